/**
 * Views of the workloads: `kubectl get pods / deploy / rs / ds / sts / nodes / endpointslices`,
 * `kubectl describe pod`, `cilium status` (the CLI's summary), `cilium-dbg status` (the agent's),
 * `cilium config view` and `cilium-dbg endpoint list`, in the real tools' layouts. AGE is
 * `<unknown>` (the model has no clock); the model's choices (endpoint IDs, identities) are
 * those of the datapath stage.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { EndpointSlice, Node, Pod, WorkloadController } from '../input/types.js';
import { KUBECTL_TABWRITER, tabwrite } from './tabwriter.js';
import { matchesSelector } from '../cluster/selector.js';
import { nodeDevices } from '../cluster/devices.js';
import { endpointIds } from '../datapath/endpoints/endpoints.js';
import { identityTable, podIdentityLabels, type IdentityTable } from '../datapath/endpoints/identity.js';
import { PolicyEngine } from '../policy/resolve.js';
import { masqueradingStatus } from '../egress/masquerade.js';
import { nodePodCidrs, ciliumHostAddress } from '../fib/base.js';
import { familyOf, formatIp, formatPrefix, prefixLength } from '../net/addr.js';
import { compareStrings } from '../net/compare.js';

const AGE = '<unknown>';
const ns = (o: { meta: { namespace?: string } }) => o.meta.namespace ?? 'default';

/** Which objects a `kubectl get` lists. */
export interface GetOptions {
  /** Namespace (default `default`). */
  readonly namespace: string;
  /** `-A`. */
  readonly allNamespaces: boolean;
  /** Names asked for (empty: all). */
  readonly names: readonly string[];
  /** `-o wide`. */
  readonly wide?: boolean;
}

function pick<T extends { meta: { name: string; namespace?: string } }>(items: readonly T[], o: GetOptions, namespaced = true): T[] {
  return items
    .filter((x) => !namespaced || o.allNamespaces || ns(x) === o.namespace)
    .filter((x) => o.names.length === 0 || o.names.includes(x.meta.name))
    .sort((a, b) => (namespaced ? compareStrings(ns(a), ns(b)) : 0) || compareStrings(a.meta.name, b.meta.name));
}

/** The STATUS column of a pod. */
function podStatus(p: Pod): string {
  if (p.terminating) return 'Terminating';
  if (p.phase === 'Pending' && p.nodeName !== undefined) return 'ContainerCreating';
  return p.phase;
}

/**
 * `kubectl get pods` as text; `undefined` when nothing matches.
 *
 * @example
 * renderGetPods(cluster, { namespace: 'default', allNamespaces: false, names: [], wide: true });
 */
export function renderGetPods(c: Cluster, o: GetOptions): string | undefined {
  const pods = pick(c.scenario.pods, o);
  if (pods.length === 0) return undefined;
  const head = [...(o.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(o.wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])];
  const rows = pods.map((p) => {
    const n = p.containers.length;
    const ready = p.ready && p.phase === 'Running' ? n : 0;
    return [
      ...(o.allNamespaces ? [ns(p)] : []),
      p.meta.name,
      `${ready}/${n}`,
      podStatus(p),
      '0',
      AGE,
      ...(o.wide ? [(p.podIPs[0] !== undefined ? formatIp(p.podIPs[0]) : '<none>'), p.nodeName ?? '<none>', '<none>', '<none>'] : []),
    ];
  });
  return tabwrite([head, ...rows].map((r) => r.join('\t')), KUBECTL_TABWRITER);
}

/**
 * A pod as `kubectl get pod -o json` prints the fields the model knows.
 *
 * @example
 * podJson(pod).status.podIP;
 */
export function podJson(p: Pod) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.meta.name,
      namespace: ns(p),
      labels: { ...p.meta.labels },
      ...(Object.keys(p.meta.annotations).length > 0 ? { annotations: { ...p.meta.annotations } } : {}),
      ...(p.ownerReferences !== undefined && p.ownerReferences.length > 0
        ? { ownerReferences: p.ownerReferences.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, controller: r.controller, blockOwnerDeletion: r.controller })) }
        : {}),
    },
    spec: {
      containers: p.containers.map((k) => ({
        name: k.name,
        image: k.image,
        ...(k.ports.length > 0 ? { ports: k.ports.map((q) => ({ ...(q.name !== undefined ? { name: q.name } : {}), containerPort: q.containerPort, protocol: q.protocol })) } : {}),
      })),
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.nodeName !== undefined ? { nodeName: p.nodeName } : {}),
    },
    status: {
      phase: p.phase,
      conditions:
        p.nodeName === undefined
          ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: p.pendingMessage ?? '' }]
          : [
              { type: 'PodScheduled', status: 'True' },
              { type: 'Ready', status: p.ready ? 'True' : 'False' },
            ],
      ...(p.podIPs[0] !== undefined ? { podIP: formatIp(p.podIPs[0]), podIPs: p.podIPs.map((a) => ({ ip: formatIp(a) })) } : {}),
    },
  };
}

/**
 * `kubectl get pods -o json`: a `List` (or the object when one name is asked for).
 *
 * @example
 * getPodsJson(cluster, { namespace: 'default', allNamespaces: false, names: [] });
 */
export function getPodsJson(c: Cluster, o: GetOptions): string {
  const pods = pick(c.scenario.pods, o).map(podJson);
  const value = o.names.length === 1 && pods.length === 1 ? pods[0] : { apiVersion: 'v1', kind: 'List', items: pods, metadata: { resourceVersion: '' } };
  return `${JSON.stringify(value, null, 4)}\n`;
}

function podsOf(c: Cluster, w: WorkloadController): Pod[] {
  return c.scenario.pods.filter((p) => ns(p) === ns(w) && p.ownerReferences?.some((r) => r.controller && r.kind === w.kind && r.name === w.meta.name));
}

const running = (p: Pod) => p.phase === 'Running' && p.ready;

/** The kinds `kubectl get` knows for workloads, with the qualified name used in mixed lists. */
export const CONTROLLER_KINDS = {
  Deployment: 'deployment.apps',
  ReplicaSet: 'replicaset.apps',
  DaemonSet: 'daemonset.apps',
  StatefulSet: 'statefulset.apps',
} as const;

/**
 * `kubectl get deploy|rs|ds|sts` for one kind; `prefix` names rows `kind.apps/name` (as kubectl
 * does when several kinds are listed). `undefined` when nothing matches.
 *
 * @example
 * renderGetControllers(cluster, 'Deployment', opts, false);
 */
export function renderGetControllers(c: Cluster, kind: keyof typeof CONTROLLER_KINDS, o: GetOptions, prefix: boolean): string | undefined {
  const items = pick((c.scenario.controllers ?? []).filter((w) => w.kind === kind), o);
  if (items.length === 0) return undefined;
  const name = (w: WorkloadController) => (prefix ? `${CONTROLLER_KINDS[kind]}/${w.meta.name}` : w.meta.name);
  const nsCol = (w: WorkloadController) => (o.allNamespaces ? [ns(w)] : []);
  const nsHead = o.allNamespaces ? ['NAMESPACE'] : [];
  let head: string[];
  let rows: string[][];
  if (kind === 'Deployment') {
    head = [...nsHead, 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'];
    rows = items.map((w) => {
      const rss = (c.scenario.controllers ?? []).filter((r) => r.kind === 'ReplicaSet' && ns(r) === ns(w) && r.ownerReferences.some((x) => x.kind === 'Deployment' && x.name === w.meta.name));
      const pods = rss.flatMap((r) => podsOf(c, r));
      const ready = pods.filter(running).length;
      return [...nsCol(w), name(w), `${ready}/${w.replicas}`, String(pods.length), String(ready), AGE];
    });
  } else if (kind === 'ReplicaSet') {
    head = [...nsHead, 'NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'];
    rows = items.map((w) => {
      const pods = podsOf(c, w);
      return [...nsCol(w), name(w), String(w.replicas), String(pods.length), String(pods.filter(running).length), AGE];
    });
  } else if (kind === 'DaemonSet') {
    head = [...nsHead, 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'];
    rows = items.map((w) => {
      const pods = podsOf(c, w);
      const ready = pods.filter(running).length;
      const sel = Object.keys(w.template.scheduling.nodeSelector).sort().map((k) => `${k}=${w.template.scheduling.nodeSelector[k]}`).join(',');
      return [...nsCol(w), name(w), String(pods.length), String(pods.length), String(ready), String(pods.length), String(ready), sel === '' ? '<none>' : sel, AGE];
    });
  } else {
    head = [...nsHead, 'NAME', 'READY', 'AGE'];
    rows = items.map((w) => [...nsCol(w), name(w), `${podsOf(c, w).filter(running).length}/${w.replicas}`, AGE]);
  }
  return tabwrite([head, ...rows].map((r) => r.join('\t')), KUBECTL_TABWRITER);
}

/**
 * `kubectl get nodes [-o wide]`; `undefined` when nothing matches.
 *
 * @example
 * renderGetNodes(cluster, { namespace: 'default', allNamespaces: false, names: [], wide: true });
 */
export function renderGetNodes(c: Cluster, o: GetOptions): string | undefined {
  const nodes = pick(c.scenario.nodes, o, false);
  if (nodes.length === 0) return undefined;
  const head = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(o.wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : [])];
  const rows = nodes.map((n: Node) => {
    const roles = Object.keys(n.meta.labels)
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length))
      .sort()
      .join(',');
    const taints = n.taints.some((t) => t.key === 'node.kubernetes.io/unschedulable') ? ',SchedulingDisabled' : '';
    const addr = (t: 'InternalIP' | 'ExternalIP') => ((x) => (x !== undefined ? formatIp(x) : '<none>'))(n.addresses.find((a) => a.type === t)?.address);
    return [n.meta.name, `${n.ready ? 'Ready' : 'NotReady'}${taints}`, roles === '' ? '<none>' : roles, AGE, '<unknown>', ...(o.wide ? [addr('InternalIP'), addr('ExternalIP'), '<unknown>', '<unknown>', '<unknown>'] : [])];
  });
  return tabwrite([head, ...rows].map((r) => r.join('\t')), KUBECTL_TABWRITER);
}

/**
 * `kubectl get endpointslices`; `undefined` when nothing matches. ENDPOINTS lists at most three
 * addresses then `+ N more...`, as kubectl does.
 *
 * @example
 * renderGetEndpointSlices(cluster, { namespace: 'default', allNamespaces: false, names: [] });
 */
export function renderGetEndpointSlices(c: Cluster, o: GetOptions): string | undefined {
  const slices = pick(c.endpointSlices, o);
  if (slices.length === 0) return undefined;
  const head = [...(o.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'];
  const rows = slices.map((s: EndpointSlice) => {
    const addrs = s.endpoints.flatMap((e) => e.addresses.map((a) => formatIp(a)));
    const shown = addrs.slice(0, 3).join(',') + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : '');
    const ports = s.ports.map((p) => String(p.port)).join(',');
    return [...(o.allNamespaces ? [ns(s)] : []), s.meta.name, s.addressType, ports === '' ? '<unset>' : ports, shown === '' ? '<unset>' : shown, AGE];
  });
  return tabwrite([head, ...rows].map((r) => r.join('\t')), KUBECTL_TABWRITER);
}

function mapLines(title: string, m: Readonly<Record<string, string>>, width: number, sep = '='): string[] {
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return [`${title.padEnd(width)}<none>`];
  return keys.map((k, i) => `${(i === 0 ? title : '').padEnd(width)}${k}${sep}${m[k]}`);
}

/**
 * `kubectl describe pod` (the parts the model knows; a Pending pod's FailedScheduling event).
 *
 * @example
 * renderDescribePod(cluster, pod);
 */
export function renderDescribePod(c: Cluster, p: Pod): string {
  const w = 18;
  const out: string[] = [];
  const line = (k: string, v: string) => out.push(`${`${k}:`.padEnd(w)}${v}`);
  line('Name', p.meta.name);
  line('Namespace', ns(p));
  line('Priority', '0');
  line('Service Account', 'default');
  const node = c.scenario.nodes.find((n) => n.meta.name === p.nodeName);
  line('Node', p.nodeName === undefined ? '<none>' : `${p.nodeName}/${((x) => (x !== undefined ? formatIp(x) : ''))(node?.addresses.find((a) => a.type === 'InternalIP')?.address)}`);
  out.push(...mapLines('Labels:', p.meta.labels, w));
  out.push(...mapLines('Annotations:', p.meta.annotations, w, ': '));
  line('Status', p.phase);
  line('IP', p.podIPs[0] !== undefined ? formatIp(p.podIPs[0]) : '');
  if (p.podIPs.length === 0) line('IPs', '<none>');
  else {
    out.push('IPs:');
    for (const a of p.podIPs) out.push(`  IP:           ${formatIp(a)}`);
  }
  const owner = p.ownerReferences?.find((r) => r.controller);
  if (owner !== undefined) line('Controlled By', `${owner.kind}/${owner.name}`);
  out.push('Containers:');
  for (const k of p.containers) {
    out.push(`  ${k.name}:`);
    out.push(`    Image:        ${k.image}`);
    if (k.ports.length === 0) {
      out.push('    Port:         <none>');
      out.push('    Host Port:    <none>');
    } else {
      out.push(`    Port:         ${k.ports.map((q) => `${q.containerPort}/${q.protocol}`).join(', ')}`);
      out.push(`    Host Port:    ${k.ports.map((q) => `${q.hostPort ?? 0}/${q.protocol}`).join(', ')}`);
    }
  }
  out.push('Conditions:');
  out.push('  Type           Status');
  if (p.nodeName === undefined) out.push('  PodScheduled   False ');
  else {
    out.push(`  Ready          ${p.ready ? 'True ' : 'False '}`);
    out.push('  PodScheduled   True ');
  }
  const sched = p.scheduling;
  const sel = sched?.nodeSelector ?? {};
  out.push(...mapLines('Node-Selectors:', sel, 29));
  const tols = [
    ...(sched?.tolerations ?? []).map((t) => `${t.key ?? ''}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? ''}${t.operator === 'Exists' ? ' op=Exists' : ''}`),
    'node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
    'node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
  ];
  tols.forEach((t, i) => out.push(`${(i === 0 ? 'Tolerations:' : '').padEnd(29)}${t}`));
  if (p.pendingMessage !== undefined) {
    out.push('Events:');
    out.push(
      tabwrite(
        ['  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------', `  Warning\tFailedScheduling\t${AGE}\tdefault-scheduler\t${p.pendingMessage}`],
        { minwidth: 0, padding: 2 },
      ).trimEnd(),
    );
  } else out.push('Events:                      <none>');
  return `${out.join('\n')}\n`;
}

function hostRouting(c: Cluster): string {
  const legacy = c.config.enableHostLegacyRouting;
  return !legacy && c.config.kubeProxyReplacement && (c.config.enableBpfMasquerade || !c.config.enableIPv4Masquerade) ? 'BPF' : 'Legacy';
}

/**
 * `cilium status` (the cilium CLI's summary of the installation).
 *
 * @example
 * renderCiliumStatus(cluster).includes('Cluster Pods:'); // true
 */
export function renderCiliumStatus(c: Cluster): string {
  const n = c.scenario.nodes.length;
  const ready = c.scenario.nodes.filter((x) => x.ready).length;
  const pods = c.scenario.pods.filter((p) => !p.hostNetwork && p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const managed = pods.filter((p) => p.phase === 'Running' && p.podIPs.length > 0).length;
  const inMesh = (c.mesh?.remotes.length ?? 0) > 0;
  const rows = [
    `DaemonSet\tcilium\tDesired: ${n}, Ready: ${ready}/${n}, Available: ${ready}/${n}`,
    `DaemonSet\tcilium-envoy\tDesired: ${n}, Ready: ${ready}/${n}, Available: ${ready}/${n}`,
    'Deployment\tcilium-operator\tDesired: 1, Ready: 1/1, Available: 1/1',
    // cluster mesh: the clustermesh-apiserver deployment (`cilium clustermesh enable`)
    ...(inMesh ? ['Deployment\tclustermesh-apiserver\tDesired: 1, Ready: 1/1, Available: 1/1'] : []),
    `Containers:\tcilium\tRunning: ${ready}`,
    `\tcilium-envoy\tRunning: ${ready}`,
    '\tcilium-operator\tRunning: 1',
    `\tclustermesh-apiserver\t${inMesh ? 'Running: 1' : ''}`,
    '\thubble-relay\t',
    `Cluster Pods:\t${managed}/${pods.length} managed by Cilium`,
    'Helm chart version:\t1.18.0',
  ];
  const logo = [
    '    /¯¯\\',
    ` /¯¯\\__/¯¯\\    Cilium:             ${ready === n ? 'OK' : `${n - ready} errors`}`,
    ' \\__/¯¯\\__/    Operator:           OK',
    ' /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK',
    ' \\__/¯¯\\__/    Hubble Relay:       disabled',
    `    \\__/       ClusterMesh:        ${inMesh ? 'OK' : 'disabled'}`,
  ];
  const text = rows.map((r) => {
    const [a = '', b = '', c2 = ''] = r.split('\t');
    return `${a.padEnd(23)}${b.padEnd(25)}${c2}`.trimEnd();
  });
  return `${logo.join('\n')}\n\n${text.join('\n')}\n`;
}

/**
 * The controllers `cilium-dbg status` counts on a node, by the model's rule: 30 agent-wide
 * controllers plus 4 per local endpoint (the host endpoint included), all healthy.
 *
 * @example
 * controllerCount(cluster, 'k8s-ctr'); // 42 with two pods
 */
export function controllerCount(c: Cluster, node: string): number {
  return 30 + 4 * (endpointIds(c, node).size + 1);
}

/**
 * The agent's identity range (`min 256, max 65535` for cluster 0; `(1 << shift) × ID` up to the
 * next cluster's start otherwise, the shift 16, or 15 with `max-connected-clusters: 511`).
 */
function identityRange(c: Cluster): string {
  const id = c.config.clusterId;
  if (id === 0) return 'min 256, max 65535';
  const size = c.config.raw['max-connected-clusters'] === '511' ? 32768 : 65536;
  return `min ${id * size}, max ${(id + 1) * size - 1}`;
}

/**
 * `cilium-dbg status` on a node (the agent's summary: KubeProxyReplacement with the devices,
 * IPAM, Routing, Masquerading, Controller Status).
 *
 * @example
 * renderAgentStatus(cluster, 'k8s-ctr').includes('KubeProxyReplacement:'); // true
 */
export function renderAgentStatus(c: Cluster, node: string): string {
  const k = c.config;
  const devices = nodeDevices(c, node);
  const host = c.hosts.find((h) => h.meta.name === node);
  const nodeObj = c.scenario.nodes.find((n) => n.meta.name === node);
  const internal = nodeObj?.addresses.find((a) => a.type === 'InternalIP')?.address.toString();
  const devText = devices
    .map((d) => {
      const addrs = host?.interfaces.find((i) => i.name === d)?.addresses.map((a) => a.address.toString()) ?? [];
      const direct = internal !== undefined && addrs.includes(internal) ? ' (Direct Routing)' : '';
      return `${d}   ${addrs.join(' ')}${direct}`;
    })
    .join(', ');
  const cidr = nodePodCidrs(c, node).find((p) => familyOf(p) === 4);
  const used = c.scenario.pods.filter((p) => p.nodeName === node && !p.hostNetwork && p.podIPs.some((a) => familyOf(a) === 4)).length;
  const router = ciliumHostAddress(c, node) !== undefined ? 1 : 0;
  const size = cidr === undefined ? 0 : 2 ** (32 - Number(cidr.toCidrString().split('/')[1])) - 2;
  // the egress stage decides masquerading (mode, devices, SNAT exclusion CIDR); the tool's
  // tabwriter pads its columns by three spaces
  const masq = masqueradingStatus(c, node, devices).replaceAll('\t', '   ');
  const n = controllerCount(c, node);
  const nodes = c.scenario.nodes.length;
  const rows = [
    'KVStore:\tDisabled',
    'Kubernetes:\tOk   1.33 (v1.33.2) [linux/amd64]',
    `KubeProxyReplacement:\t${k.kubeProxyReplacement ? `True   [${devText}]` : 'False'}`,
    'Host firewall:\tDisabled',
    'SRv6:\tDisabled',
    'CNI Chaining:\tnone',
    'Cilium:\tOk   1.18.0',
    `IPAM:\tIPv4: ${used + router}/${size} allocated${cidr !== undefined ? ` from ${cidr.toCidrString()}` : ''}, ${ipamV6(c, node)}`,
    'IPv4 BIG TCP:\tDisabled',
    'IPv6 BIG TCP:\tDisabled',
    'BandwidthManager:\tDisabled',
    `Routing:\tNetwork: ${k.routingMode === 'native' ? 'Native' : `Tunnel [${k.tunnelProtocol}]`}   Host: ${hostRouting(c)}`,
    'Attach Mode:\tTCX',
    'Device Mode:\tveth',
    `Masquerading:\t${masq}`,
    `Controller Status:\t${n}/${n} healthy`,
    'Proxy Status:\tOK, ip ' + (ciliumHostAddress(c, node)?.toString() ?? '') + ', 0 redirects active on ports 10000-20000, Envoy: external',
    `Global Identity Range:\t${identityRange(c)}`,
    'Hubble:\tDisabled',
    'Encryption:\tDisabled',
    `Cluster health:\t${nodes}/${nodes} reachable`,
    // cluster mesh: the remote clusters this agent is connected to, and the global services it knows
    ...(c.mesh !== undefined && c.mesh.remotes.length > 0
      ? [`ClusterMesh:\t${c.mesh.remotes.length}/${c.mesh.remotes.length} remote clusters ready, ${new Set(c.mesh.remotes.flatMap((r) => r.globalServices)).size} global-services`]
      : []),
  ];
  return `${rows.map((r) => {
    const [a = '', b = ''] = r.split('\t');
    return `${a.padEnd(25)}${b}`;
  }).join('\n')}\n`;
}

/**
 * `cilium config view`: the `cilium-config` keys as given (after `--set`), sorted.
 *
 * @example
 * renderConfigView(cluster).split('\n')[0]; // 'auto-direct-node-routes                           false'
 */
export function renderConfigView(c: Cluster): string {
  const keys = Object.keys(c.config.raw).sort();
  return keys.map((key) => `${key.padEnd(50)}${c.config.raw[key]}`).join('\n') + (keys.length > 0 ? '\n' : '');
}

/**
 * One row of `cilium-dbg endpoint list` (also the `-o json` element).
 *
 * @example
 * ```ts
 * const r: EndpointListRow = { id: 1873, ingress: false, egress: false, identity: 256, labels: ['k8s:app=curl'], ipv4: '172.20.0.247', status: 'ready' };
 * ```
 */
export interface EndpointListRow {
  /** Endpoint ID. */
  readonly id: number;
  /** Ingress policy enforced (from the policy stage). */
  readonly ingress: boolean;
  /** Egress policy enforced (from the policy stage). */
  readonly egress: boolean;
  /** Security identity (from the identity table). */
  readonly identity: number;
  /** Identity labels, sorted. */
  readonly labels: readonly string[];
  /** IPv4 address (empty when none). */
  readonly ipv4: string;
  /** Status (`ready`). */
  readonly status: string;
  /** The pod (`namespace/name`); absent for the host endpoint. */
  readonly pod?: string;
}

/**
 * The endpoints of a node, by ID: the host endpoint (identity 1, reserved:host, enforcement
 * Disabled: host firewall not modelled) and each local pod endpoint with its identity and labels
 * from the identity table and its per-direction enforcement from the policy engine.
 *
 * @example
 * endpointListRows(cluster, 'k8s-ctr')[0]?.identity; // 1 (the host endpoint) or a pod identity
 */
export function endpointListRows(c: Cluster, node: string, table: IdentityTable = identityTable(c), engine: PolicyEngine = new PolicyEngine(c, table)): EndpointListRow[] {
  const ids = endpointIds(c, node);
  const nodeObj = c.scenario.nodes.find((n) => n.meta.name === node);
  const rows: EndpointListRow[] = [];
  const hostLabels = Object.keys(nodeObj?.meta.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/') || k === 'node.kubernetes.io/exclude-from-external-load-balancers')
    .map((k) => `k8s:${k}`);
  let hostId = 1;
  while ([...ids.values()].includes(hostId)) hostId++;
  rows.push({ id: hostId, ingress: false, egress: false, identity: 1, labels: [...hostLabels.sort(), 'reserved:host'], ipv4: '', status: 'ready' });
  for (const p of c.scenario.pods) {
    const key = `${ns(p)}/${p.meta.name}`;
    const id = ids.get(key);
    if (id === undefined) continue;
    const pol = engine.endpointPolicy(key);
    const identity = pol?.identity ?? table.pods.get(key) ?? 0;
    rows.push({
      id,
      ingress: pol?.ingressEnforced ?? false,
      egress: pol?.egressEnforced ?? false,
      identity,
      labels: table.byId.get(identity)?.labels ?? podIdentityLabels(c, p),
      ipv4: p.podIPs.find((a) => familyOf(a) === 4)?.toString() ?? '',
      status: 'ready',
      pod: key,
    });
  }
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * `cilium-dbg endpoint list` on a node, as Cilium 1.18 prints it: two header lines, one row per
 * endpoint (by ID) with its first label, the other labels on continuation lines.
 *
 * @example
 * renderEndpointListAgent(cluster, 'k8s-ctr').split('\n')[1]; // '           ENFORCEMENT        ENFORCEMENT …'
 */
export function renderEndpointListAgent(c: Cluster, node: string, table?: IdentityTable, engine?: PolicyEngine): string {
  const en = (b: boolean): string => (b ? 'Enabled' : 'Disabled');
  const lines = ['ENDPOINT\tPOLICY (ingress)\tPOLICY (egress)\tIDENTITY\tLABELS (source:key[=value])\tIPv6\tIPv4\tSTATUS', '\tENFORCEMENT\tENFORCEMENT\t\t\t\t\t'];
  for (const r of endpointListRows(c, node, table, engine)) {
    const [first, ...rest] = r.labels.length > 0 ? r.labels : [''];
    lines.push(`${r.id}\t${en(r.ingress)}\t${en(r.egress)}\t${r.identity}\t${first}\t\t${r.ipv4}\t${r.status}`);
    for (const l of rest) lines.push(`\t\t\t\t${l}\t\t\t`);
  }
  return tabwrite(lines, KUBECTL_TABWRITER);
}

/**
 * The pods of a namespace matching a selector (used by `describe` lookups and tests).
 *
 * @example
 * podsSelected(cluster, 'default', { matchLabels: { app: 'webpod' }, matchExpressions: [] }).length;
 */
export function podsSelected(c: Cluster, namespace: string, selector: Parameters<typeof matchesSelector>[0]): Pod[] {
  return c.scenario.pods.filter((p) => ns(p) === namespace && matchesSelector(selector, p.meta.labels));
}

/**
 * ipv6 (issue 18): the IPv6 half of `cilium-dbg status`'s IPAM line when IPv6 is on
 * (`IPv6: USED/SIZE allocated from CIDR`, SIZE = addresses of the pod CIDR minus 2); empty otherwise.
 */
function ipamV6(c: Cluster, node: string): string {
  if (!c.config.enableIPv6) return '';
  const cidr = nodePodCidrs(c, node).find((p) => familyOf(p) === 6);
  const used = c.scenario.pods.filter((p) => p.nodeName === node && !p.hostNetwork && p.podIPs.some((a) => familyOf(a) === 6)).length;
  const router = ciliumHostAddress(c, node, 6) !== undefined ? 1 : 0;
  const size = cidr === undefined ? 0n : (1n << BigInt(128 - prefixLength(cidr))) - 2n;
  return `IPv6: ${used + router}/${size} allocated${cidr !== undefined ? ` from ${formatPrefix(cidr)}` : ''}`;
}
