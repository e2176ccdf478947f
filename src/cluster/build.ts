/**
 * Scenario → Cluster: the agent configuration with defaults, and the objects Kubernetes and
 * Cilium would have created by themselves when the scenario does not give them:
 *
 * - a `CiliumNode` per `Node` (pod CIDRs from `spec.podCIDRs`, addresses from `status.addresses`,
 *   labels copied from the Node);
 * - `EndpointSlice`s for every Service with a selector and no slice of its own, the way the
 *   endpoint-slice controller makes them (see {@link deriveEndpointSlices});
 * - a `Host` for every node without one: `eth0` holding the InternalIP with a /24 (/64 for IPv6);
 * - the namespaces the objects live in.
 *
 * Cost: O(pods × labels) to index the pods (nested maps namespace → label key → value, no key
 * string per pod label), then per service O(its smallest label bucket + its endpoints log
 * endpoints); O(nodes) for CiliumNodes and Hosts. The check that each pod's addresses lie in its
 * node's pod CIDRs is O(pods) with IPv4 compared as 32-bit numbers (each node's CIDRs converted
 * once); derived slices and CiliumNodes share one empty annotation map.
 *
 * @module
 */
import { nodeZone, withHints } from './topology-hints.js';
import type {
  CiliumNode,
  Endpoint,
  EndpointPort,
  EndpointSlice,
  Host,
  IpAddress,
  Meta,
  Namespace,
  Node,
  Pod,
  Scenario,
  Service,
  StringMap,
} from '../input/types.js';
import { type Prefix4, compareIp, familyOf, formatIp, inPrefix, ipv4Value, isIPv4, isIPv4Prefix, parsePrefix, prefix4Of, prefixContains } from '../net/addr.js';
import { ciliumConfigFrom } from './config.js';
import { matchesLabels } from './selector.js';
import type { Cluster } from './types.js';
import { compareStrings } from '../net/compare.js';
import { emptyMap } from '../input/codec.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

function nullMap(entries: readonly (readonly [string, string])[] = []): StringMap {
  const m = Object.create(null) as Record<string, string>;
  for (const [k, v] of entries) m[k] = v;
  return m;
}


function byMeta(a: { meta: Meta }, b: { meta: Meta }): number {
  return compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name);
}

/**
 * The CiliumNode the agent would create for a Node: same name and labels, the Node's pod CIDRs
 * and its InternalIP/ExternalIP addresses.
 *
 * @example
 * deriveCiliumNode(node).podCIDRs; // node.podCIDRs
 */
export function deriveCiliumNode(node: Node): CiliumNode {
  return {
    meta: { name: node.meta.name, labels: node.meta.labels, annotations: emptyMap() }, // one shared empty map
    podCIDRs: node.podCIDRs,
    addresses: node.addresses.map((a) => ({ type: a.type, ip: a.address })),
  };
}

/**
 * The Host of a node the scenario says nothing about: interface `eth0` with the node's first
 * InternalIP (and, on a dual-stack node, its first InternalIP of the other family) and a /24
 * (IPv4) or /64 (IPv6) prefix, no routes.
 *
 * @example
 * defaultHost(node).interfaces[0]?.name; // 'eth0'
 */
export function defaultHost(node: Node): Host {
  const internal = node.addresses.find((a) => a.type === 'InternalIP') ?? node.addresses[0];
  const addresses = [];
  // ipv6 (issue 18): a dual-stack node's eth0 holds its first InternalIP of each family
  const second = internal === undefined ? undefined : node.addresses.find((a) => a.type === 'InternalIP' && familyOf(a.address) !== familyOf(internal.address));
  for (const a of [internal, second]) {
    if (a === undefined) continue;
    const len = familyOf(a.address) === 4 ? 24 : 64;
    const network = parsePrefix(`${formatIp(a.address)}/${len}`)!;
    addresses.push({ address: a.address, prefixLength: len, network });
  }
  return {
    meta: { name: node.meta.name, labels: nullMap(), annotations: nullMap() },
    interfaces: [{ name: 'eth0', addresses }],
    routes: [],
    sysctl: nullMap(),
  };
}

/** The address families a Service's slices are made for. */
function serviceFamilies(svc: Service): ('IPv4' | 'IPv6')[] {
  if (svc.ipFamilies.length > 0) return [...svc.ipFamilies];
  if (svc.clusterIPs.length > 0) return svc.clusterIPs.map((a) => (familyOf(a) === 4 ? 'IPv4' : 'IPv6'));
  return ['IPv4'];
}

/** `podutil.FindPort`: a numeric target port as is, a named one through the pod's container ports. */
function findPort(pod: Pod, target: number | string, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  for (const c of pod.containers) {
    for (const p of c.ports) if (p.name === target && p.protocol === protocol) return p.containerPort;
  }
  return undefined;
}

/** Whether the endpoint-slice controller lists a pod at all (has an address, not finished). */
function listed(pod: Pod): boolean {
  return pod.podIPs.length > 0 && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/**
 * EndpointSlices for one Service with a selector, as the endpoint-slice controller makes them:
 * for each address family of the service, the pods of its namespace whose labels match the
 * selector and that have an address and are not finished (Succeeded/Failed); a hostNetwork pod
 * is listed with its node's address. Per endpoint: `serving` = the pod is Ready, `terminating` =
 * the pod has a deletion timestamp, `ready` = serving and not terminating; `nodeName` and a
 * reference to the pod. Ports resolve each service port's `targetPort` (a named port through the
 * pod's container ports; a pod without that name lacks the port). Endpoints with the same ports
 * share a slice; slices are named `<service>-ipv4` / `<service>-ipv6` (then `-2`, `-3`, … for
 * more port sets) instead of the controller's random suffix. A service without endpoints still
 * gets one empty slice per family.
 *
 * @example
 * deriveEndpointSlices(service, podsOfNamespace, nodesByName)[0]?.meta.name; // 'webpod-ipv4'
 */
export function deriveEndpointSlices(
  svc: Service,
  pods: readonly Pod[] | PodIndex,
  nodes: ReadonlyMap<string, Node>,
): EndpointSlice[] {
  const selector = svc.selector;
  if (selector === undefined) return [];
  const ns = svc.meta.namespace ?? 'default';
  const candidates: readonly Pod[] = pods instanceof PodIndex ? pods.candidates(ns, selector) : pods;
  const selected: Pod[] = [];
  for (const p of candidates) if ((p.meta.namespace ?? 'default') === ns && listed(p) && matchesLabels(selector, p.meta.labels)) selected.push(p);
  const slices: EndpointSlice[] = [];
  // With only numeric target ports every pod has the same ports: computed once.
  const numeric = svc.ports.every((sp) => typeof sp.targetPort === 'number');
  const portsOf = (pod: Pod): EndpointPort[] => {
    const ports: EndpointPort[] = [];
    for (const sp of svc.ports) {
      const port = findPort(pod, sp.targetPort, sp.protocol);
      if (port === undefined) continue;
      ports.push(sp.name !== undefined ? { name: sp.name, port, protocol: sp.protocol } : { port, protocol: sp.protocol });
    }
    return ports;
  };
  for (const family of serviceFamilies(svc)) {
    const want = family === 'IPv4' ? 4 : 6;
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    let same: { key: string; ports: EndpointPort[] } | undefined;
    for (const pod of selected) {
      let address: IpAddress | undefined;
      for (const a of pod.podIPs) {
        if (familyOf(a) === want) {
          address = a;
          break;
        }
      }
      if (pod.hostNetwork && pod.nodeName !== undefined) {
        const node = nodes.get(pod.nodeName);
        const nodeIp = node?.addresses.find((a) => a.type === 'InternalIP' && familyOf(a.address) === want)?.address;
        address = nodeIp ?? address;
      }
      if (address === undefined) continue;
      let ports: EndpointPort[];
      let key: string;
      if (numeric) {
        // every pod has these ports: one group, whose key is never compared with another
        if (same === undefined) same = { key: '', ports: portsOf(pod) };
        key = same.key;
        ports = same.ports;
      } else {
        ports = portsOf(pod);
        key = JSON.stringify(ports);
      }
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { ports, endpoints: [] }));
      const serving = pod.ready;
      const ready = serving && !pod.terminating;
      const terminating = pod.terminating;
      const podRef = { namespace: ns, name: pod.meta.name };
      // the pod's own one-address list when it is [address] (readonly data: one list, not two)
      const addresses = pod.podIPs.length === 1 && pod.podIPs[0] === address ? pod.podIPs : [address];
      const nodeName = pod.nodeName;
      // built without spreads, in the same key order (100,000 endpoints for a large cluster)
      let endpoint: Endpoint;
      if (nodeName === undefined) endpoint = { addresses, ready, serving, terminating, podRef };
      else {
        const zone = nodeZone(nodes.get(nodeName));
        endpoint =
          zone === undefined
            ? { addresses, ready, serving, terminating, nodeName, podRef }
            : { addresses, ready, serving, terminating, nodeName, zone, podRef };
      }
      group.endpoints.push(endpoint);
    }
    // topology-aware hints over all endpoints of the family (topology-hints.ts); one group (the
    // common case): its list as is (withHints does not change the list it is given)
    const all = groups.size === 1 ? groups.values().next().value!.endpoints : [...groups.values()].flatMap((g) => g.endpoints);
    const hinted = withHints(svc, all, () => [...nodes.values()]); // nodes listed only when hints need them
    // without hints every endpoint stays the same object: no remapping
    if (hinted.some((e, i) => e !== all[i])) {
      const byOld = new Map(all.map((e, i) => [e, hinted[i]!] as const));
      for (const g of groups.values()) g.endpoints = g.endpoints.map((e) => byOld.get(e)!);
    }
    const base = `${svc.meta.name}-${family.toLowerCase()}`;
    const sorted = [...groups.entries()].sort(([a], [b]) => compareStrings(a, b));
    if (sorted.length === 0) sorted.push(['', { ports: [], endpoints: [] }]);
    sorted.forEach(([, g], i) => {
      slices.push({
        meta: {
          name: i === 0 ? base : `${base}-${i + 1}`,
          namespace: ns,
          labels: nullMap([
            [SERVICE_NAME_LABEL, svc.meta.name],
            [MANAGED_BY_LABEL, 'endpointslice-controller.k8s.io'],
          ]),
          annotations: emptyMap(), // one shared empty map (a null-prototype map is ~150 bytes)
        },
        serviceName: svc.meta.name,
        addressType: family,
        endpoints: g.endpoints.sort((a, b) => compareIp(a.addresses[0]!, b.addresses[0]!)),
        ports: g.ports,
      });
    });
  }
  return slices;
}

/**
 * Pods indexed by namespace and label, so that finding a selector's pods does not scan every pod.
 *
 * @example
 * new PodIndex(scenario.pods).candidates('default', { app: 'webpod' }); // the pods labelled app=webpod (and maybe more)
 */
export class PodIndex {
  // namespace -> label key -> label value -> pods, in input order (nested maps: no key string
  // made per (pod, label), 100,000 pods × their labels at 5,000 nodes)
  private readonly byLabel = new Map<string, Map<string, Map<string, Pod[]>>>();
  private readonly byNamespace = new Map<string, Pod[]>();

  constructor(pods: readonly Pod[]) {
    for (const p of pods) {
      const ns = p.meta.namespace ?? 'default';
      push(this.byNamespace, ns, p);
      let keys = this.byLabel.get(ns);
      if (keys === undefined) this.byLabel.set(ns, (keys = new Map()));
      const labels = p.meta.labels;
      for (const k of Object.keys(labels)) {
        let values = keys.get(k);
        if (values === undefined) keys.set(k, (values = new Map()));
        push(values, labels[k]!, p);
      }
    }
  }

  /** The pods of `namespace` that carry at least one of the selector's labels (all of them for an empty selector). */
  candidates(namespace: string, selector: StringMap): readonly Pod[] {
    let best: readonly Pod[] | undefined;
    const keys = this.byLabel.get(namespace);
    for (const k of Object.keys(selector)) {
      const l = keys?.get(k)?.get(selector[k]!) ?? [];
      if (best === undefined || l.length < best.length) best = l;
    }
    return best ?? this.byNamespace.get(namespace) ?? [];
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l === undefined) m.set(k, [v]);
  else l.push(v);
}

/**
 * Whether every address of a pod lies in one of its node's pod CIDRs (a node without pod CIDRs
 * holds any), as `prefixContains` says; IPv4 compared as 32-bit numbers, each node's IPv4 CIDRs
 * made numbers once (no bigint per pod).
 */
function nodeCidrCheck(): (pod: Pod, node: Node) => boolean {
  const v4 = new Map<Node, readonly (Prefix4 | undefined)[]>();
  return (pod, node) => {
    const cidrs = node.podCIDRs;
    if (cidrs.length === 0) return true;
    let c4 = v4.get(node);
    if (c4 === undefined) v4.set(node, (c4 = cidrs.map((c) => (isIPv4Prefix(c) ? prefix4Of(c) : undefined))));
    for (const a of pod.podIPs) {
      let inside = false;
      if (isIPv4(a)) {
        const n = ipv4Value(a);
        for (const c of c4) {
          if (c !== undefined && inPrefix(n, c)) {
            inside = true;
            break;
          }
        }
      } else {
        for (const c of cidrs) {
          if (prefixContains(c, a)) {
            inside = true;
            break;
          }
        }
      }
      if (!inside) return false;
    }
    return true;
  };
}

/**
 * Builds the cluster: configuration with defaults, derived CiliumNodes, EndpointSlices, Hosts
 * and namespaces, and warnings about what looks wrong but is not fatal. Total and pure.
 *
 * @example
 * ```ts
 * import { buildCluster } from 'cilium-twin';
 * declare const scenario: import('cilium-twin').Scenario;
 * const cluster = buildCluster(scenario);
 * cluster.config.routingMode; // 'native' in the bgp-lab
 * cluster.hosts.map((h) => h.meta.name); // ['k8s-ctr', 'k8s-w0', 'k8s-w1', 'router']
 * ```
 */
export function buildCluster(scenario: Scenario): Cluster {
  const warnings: string[] = [];
  const config = ciliumConfigFrom(scenario.ciliumConfig);
  const nodesByName = new Map(scenario.nodes.map((n) => [n.meta.name, n] as const));

  // CiliumNodes
  const givenCn = new Map(scenario.ciliumNodes.map((c) => [c.meta.name, c] as const));
  const ciliumNodes = [...scenario.ciliumNodes];
  for (const node of scenario.nodes) if (!givenCn.has(node.meta.name)) ciliumNodes.push(deriveCiliumNode(node));
  ciliumNodes.sort(byMeta);
  for (const cn of scenario.ciliumNodes) {
    if (!nodesByName.has(cn.meta.name)) warnings.push(`CiliumNode ${cn.meta.name} has no Node of the same name`);
  }

  // EndpointSlices
  const sliced = new Set(scenario.endpointSlices.map((s) => `${s.meta.namespace ?? 'default'}/${s.serviceName}`));
  const podIndex = new PodIndex(scenario.pods);
  const endpointSlices = [...scenario.endpointSlices];
  for (const svc of scenario.services) {
    if (svc.selector === undefined || svc.type === 'ExternalName') continue;
    if (sliced.size > 0 && sliced.has(`${svc.meta.namespace ?? 'default'}/${svc.meta.name}`)) continue;
    endpointSlices.push(...deriveEndpointSlices(svc, podIndex, nodesByName));
  }
  endpointSlices.sort(byMeta);
  for (const s of scenario.endpointSlices) {
    if (s.serviceName === '') warnings.push(`EndpointSlice ${s.meta.namespace ?? 'default'}/${s.meta.name} has no ${SERVICE_NAME_LABEL} label: no service uses it`);
  }

  // Hosts
  const givenHosts = new Set(scenario.hosts.map((h) => h.meta.name));
  const hosts = [...scenario.hosts];
  for (const node of scenario.nodes) {
    if (givenHosts.has(node.meta.name)) continue;
    hosts.push(defaultHost(node));
  }
  hosts.sort(byMeta);

  // Namespaces: given, used, and the two every cluster has.
  const namespaces = new Map<string, Namespace>(scenario.namespaces.map((n) => [n.meta.name, n] as const));
  const used = new Set<string>(['default', 'kube-system']);
  for (const list of [scenario.pods, scenario.services, scenario.endpointSlices, scenario.ingresses, scenario.networkPolicies, scenario.ciliumNetworkPolicies]) {
    for (const o of list) if (o.meta.namespace !== undefined) used.add(o.meta.namespace);
  }
  for (const name of used) {
    if (namespaces.has(name)) continue;
    namespaces.set(name, {
      meta: { name, labels: nullMap([['kubernetes.io/metadata.name', name]]), annotations: nullMap() },
    });
  }

  // Warnings about what will not work as the author may expect.
  const inCidrs = nodeCidrCheck();
  for (const node of scenario.nodes) {
    if (!node.addresses.some((a) => a.type === 'InternalIP')) warnings.push(`Node ${node.meta.name} has no InternalIP address`);
  }
  const multiPool = (scenario.ciliumConfig ?? {})['ipam'] === 'multi-pool';
  const idOf = (pod: Pod) => `${pod.meta.namespace ?? 'default'}/${pod.meta.name}`; // made only for a warning
  for (const pod of scenario.pods) {
    if (pod.nodeName === undefined) continue;
    const node = nodesByName.get(pod.nodeName);
    if (node === undefined) warnings.push(`Pod ${idOf(pod)} is on node ${pod.nodeName}, which the scenario does not define`);
    // multi-pool IPAM ignores the Node's pod CIDRs (addresses come from the CiliumPodIPPools)
    else if (!pod.hostNetwork && !multiPool && !inCidrs(pod, node)) {
      warnings.push(`Pod ${idOf(pod)} has address ${pod.podIPs.map((a) => a.toString()).join(', ')} outside the pod CIDRs of node ${node.meta.name}`);
    }
  }
  const raw = scenario.ciliumConfig ?? {};
  if (Object.prototype.hasOwnProperty.call(raw, 'enable-egress-gateway')) {
    warnings.push('cilium-config key enable-egress-gateway is not read by Cilium 1.18: the key is enable-ipv4-egress-gateway (Helm egressGateway.enabled)');
  }
  if (config.routingMode === 'native' && config.enableIPv4 && config.enableIPv4Masquerade && config.ipv4NativeRoutingCIDR === undefined) {
    warnings.push('routing-mode is native with IPv4 masquerading but ipv4-native-routing-cidr is not set: the agent refuses to start this way');
  }

  return {
    scenario,
    config,
    namespaces: [...namespaces.values()].sort(byMeta),
    ciliumNodes,
    endpointSlices,
    hosts,
    warnings,
  };
}
