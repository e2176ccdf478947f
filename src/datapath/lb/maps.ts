/**
 * Each node's BPF LB maps, following Cilium 1.18's load-balancer control plane
 * (`pkg/loadbalancer/reflectors/conversions.go` for services to frontends and endpoints to
 * backends, `pkg/loadbalancer/reconciler/bpf_reconciler.go` for the map contents).
 *
 * IDs (see `docs/decisions.md`, "LB maps"):
 * - Service (rev-NAT) IDs are per node, from 1, in this order: services by namespace then name,
 *   and within a service its frontends by (family, address, port, protocol, scope), each
 *   NodePort/HostPort surrogate directly followed by its node-address copies (Cilium creates them
 *   right after the surrogate); then HostPort services by pod namespace/name and port.
 * - Backend IDs are allocated once for the whole cluster in the same walk (services, frontends,
 *   each frontend's backends in slot order), so the same backend has the same ID on every node.
 *   Cilium allocates per node on first reference; for nodes that reference the same backends in
 *   the same order (the lab) both agree.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { IpAddress, IpPrefix, Pod, Protocol, Service } from '../../input/types.js';
import { compareIp, familyOf, isIPv4, sameIp, unspecified } from '../../net/addr.js';
import type { LbIpamResult } from '../../ipam/types.js';
import { maglevTable, maglevTableSizeError, resolveMaglevSeed, type MaglevSeed } from '../maglev/index.js';
import { lbFlagNames, lbFlags } from './flags.js';
import { nodeLocalAddresses, nodePortAddresses } from './node-addresses.js';
import { withLocalRedirects } from './redirect.js';
import type {
  LbBackend,
  LbBackendState,
  LbFrontend,
  LbFrontendType,
  LbProtocol,
  LbRevNatEntry,
  LbScope,
  LbServiceRef,
  LbSourceRangeEntry,
  NodeLbMaps,
} from './types.js';

const STATE_ORDER: Record<LbBackendState, number> = {
  active: 0,
  terminating: 1,
  'terminating-not-serving': 2,
  quarantined: 3,
  maintenance: 4,
};

/** A backend of a service before node-local filtering. */
interface Candidate {
  readonly key: string;
  readonly address: IpAddress;
  readonly port: number;
  readonly protocol: Protocol;
  readonly state: LbBackendState;
  readonly nodeName?: string;
  readonly pod?: { readonly namespace: string; readonly name: string };
  readonly portNames: string[];
  readonly weight: number;
}

/** Per-service properties every frontend of it shares. */
interface ServiceProps {
  readonly ref: LbServiceRef;
  readonly etp: 'Cluster' | 'Local';
  readonly itp: 'Cluster' | 'Local';
  readonly sessionAffinity: boolean;
  readonly timeout: number;
  readonly lbAlgBits: 0 | 1 | 2;
  readonly fwdMode?: 'snat' | 'dsr';
  readonly sourceRanges: readonly IpPrefix[];
  readonly sourceRangeDeny: boolean;
  readonly wildcardClass: boolean;
}

/** A frontend of the frontends table (no node-address copies yet). */
interface TableFrontend {
  readonly props: ServiceProps;
  readonly type: LbFrontendType;
  readonly address: IpAddress;
  readonly port: number;
  readonly protocol: Protocol;
  readonly scope: LbScope;
  readonly portName: string;
  readonly servicePort: number;
  readonly surrogate: boolean;
  /** Expanded to the node's NodePort addresses (NodePort, HostPort without hostIP). */
  readonly expand: boolean;
  /** Candidate backends in slot order (state, address, port), not yet filtered by node. */
  readonly candidates: readonly Candidate[];
  /** {@link sortKey} of the frontend. */
  readonly key: string;
}

interface HostPortGroup {
  readonly nodeName: string;
  readonly frontends: readonly TableFrontend[];
}

interface Precomputed {
  readonly services: readonly (readonly TableFrontend[])[];
  readonly hostPorts: readonly HostPortGroup[];
  readonly backendIds: ReadonlyMap<string, number>;
  /**
   * Maglev tables by backend-ID list: a table depends only on its backends (weights, M and seed
   * are the cluster's), so frontends and nodes with the same active backends share one table.
   */
  readonly maglevTables: Map<string, Uint32Array>;
  /** Keys of the services' non-surrogate frontends (a node-address copy never shadows one). */
  readonly primary: ReadonlySet<string>;
}

const ZERO: Record<4 | 6, IpAddress> = { 4: unspecified(4), 6: unspecified(6) };

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function backendKey(address: IpAddress, port: number, protocol: string): string {
  return `${address.bitSize}|${address.value}|${port}|${protocol}`;
}

/** A string that sorts frontends by family, address, port, protocol, then scope (external first). */
function sortKey(address: IpAddress, port: number, protocol: string, scope: LbScope): string {
  const hex = address.value.toString(16).padStart(address.bitSize / 4, '0');
  return `${address.bitSize === 32 ? '4' : '6'}${hex}${port.toString(16).padStart(4, '0')}${protocol}${scope === 'external' ? '0' : '1'}`;
}

const flagNameCache = new Map<number, readonly string[]>();

function flagNamesOf(flags: number): readonly string[] {
  let names = flagNameCache.get(flags);
  if (names === undefined) {
    names = lbFlagNames(flags);
    flagNameCache.set(flags, names);
  }
  return names;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || compareIp(a.address, b.address) || a.port - b.port;
}

function familyEnabled(cluster: Cluster, addr: IpAddress): boolean {
  return isIPv4(addr) ? cluster.config.enableIPv4 : cluster.config.enableIPv6;
}

function raw(cluster: Cluster, key: string): string | undefined {
  return cluster.config.raw[key];
}

/** The backends of every service, from its EndpointSlices, merged per (address, port, protocol). */
function serviceBackends(cluster: Cluster): Map<string, Candidate[]> {
  const byService = new Map<string, Map<string, Candidate>>();
  for (const slice of cluster.endpointSlices) {
    if (slice.addressType === 'FQDN') continue;
    const ns = slice.meta.namespace ?? 'default';
    const svcKey = `${ns}/${slice.serviceName}`;
    let backends = byService.get(svcKey);
    if (backends === undefined) {
      backends = new Map();
      byService.set(svcKey, backends);
    }
    for (const ep of slice.endpoints) {
      const state: LbBackendState = ep.ready
        ? 'active'
        : ep.terminating && !ep.serving
          ? 'terminating-not-serving'
          : ep.terminating
            ? 'terminating'
            : 'maintenance';
      for (const address of ep.addresses) {
        if (!familyEnabled(cluster, address)) continue;
        for (const p of slice.ports) {
          const key = backendKey(address, p.port, p.protocol);
          const existing = backends.get(key);
          const name = p.name ?? '';
          if (existing !== undefined) {
            if (name !== '' && !existing.portNames.includes(name)) existing.portNames.push(name);
            continue;
          }
          backends.set(key, {
            key,
            address,
            port: p.port,
            protocol: p.protocol,
            state,
            ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
            ...(ep.podRef !== undefined ? { pod: ep.podRef } : {}),
            portNames: name === '' ? [] : [name],
            weight: 100,
          });
        }
      }
    }
  }
  const out = new Map<string, Candidate[]>();
  for (const [k, m] of byService) {
    const list = [...m.values()];
    for (const c of list) c.portNames.sort();
    out.set(k, list.sort(compareCandidates));
  }
  return out;
}

function serviceProps(cluster: Cluster, svc: Service, ref: LbServiceRef): ServiceProps {
  const ann = svc.meta.annotations;
  let lbAlgBits: 0 | 1 | 2 = 0;
  if (raw(cluster, 'bpf-lb-algorithm-annotation') === 'true') {
    const v = (ann['service.cilium.io/lb-algorithm'] ?? '').toLowerCase();
    lbAlgBits = v === 'maglev' ? 2 : v === 'random' ? 1 : 0;
  }
  let fwdMode: 'snat' | 'dsr' | undefined;
  if (raw(cluster, 'bpf-lb-mode-annotation') === 'true') {
    const v = (ann['service.cilium.io/forwarding-mode'] ?? '').toLowerCase();
    if (v === 'dsr' || v === 'snat') fwdMode = v;
  }
  const sessionAffinity = svc.sessionAffinity === 'ClientIP' && cluster.config.enableSessionAffinity;
  const cls = svc.loadBalancerClass;
  const wildcardClass =
    cls === undefined
      ? cluster.config.defaultLbServiceIpam === 'lbipam'
      : cls === 'io.cilium/bgp-control-plane' || cls === 'io.cilium/l2-announcer';
  return {
    ref,
    etp: svc.externalTrafficPolicy,
    itp: svc.internalTrafficPolicy,
    sessionAffinity,
    timeout: sessionAffinity ? (svc.sessionAffinityTimeoutSeconds || 10800) : 0,
    lbAlgBits,
    ...(fwdMode !== undefined ? { fwdMode } : {}),
    sourceRanges: svc.loadBalancerSourceRanges,
    sourceRangeDeny: (ann['service.cilium.io/src-ranges-policy'] ?? '').toLowerCase() === 'deny',
    wildcardClass,
  };
}

/** convertService: the table frontends of one service, in key order. */
function serviceFrontends(
  cluster: Cluster,
  lbIps: ReadonlyMap<string, readonly IpAddress[]>,
  svc: Service,
  candidates: readonly Candidate[],
): TableFrontend[] {
  const ns = svc.meta.namespace ?? 'default';
  if (svc.headless || svc.type === 'ExternalName') return [];
  if (Object.prototype.hasOwnProperty.call(svc.meta.labels, 'service.kubernetes.io/headless')) return [];
  const props = serviceProps(cluster, svc, { namespace: ns, name: svc.meta.name });
  const exposure = svc.meta.annotations['service.cilium.io/type'];
  const canExpose = (t: string): boolean => exposure === undefined || exposure === '' || exposure === t;
  const kpr = cluster.config.kubeProxyReplacement;
  const twoScopes = (props.etp === 'Local') !== (props.itp === 'Local');
  const scopes: LbScope[] = twoScopes ? ['external', 'internal'] : ['external'];
  const out: Omit<TableFrontend, 'candidates' | 'key'>[] = [];
  const base = { props, surrogate: false, expand: false };

  if (canExpose('ClusterIP')) {
    for (const ip of [...svc.clusterIPs].sort(compareIp)) {
      if (!familyEnabled(cluster, ip)) continue;
      for (const p of svc.ports) {
        out.push({ ...base, type: 'ClusterIP', address: ip, port: p.port, protocol: p.protocol, scope: 'external', portName: p.name ?? '', servicePort: p.port });
      }
    }
  }
  if (kpr && (svc.type === 'NodePort' || svc.type === 'LoadBalancer') && canExpose('NodePort')) {
    const families = new Set<4 | 6>();
    if (svc.ipFamilies.length > 0) for (const f of svc.ipFamilies) families.add(f === 'IPv4' ? 4 : 6);
    else for (const ip of svc.clusterIPs) families.add(isIPv4(ip) ? 4 : 6);
    for (const scope of scopes) {
      for (const fam of [...families].sort()) {
        if (fam === 4 ? !cluster.config.enableIPv4 : !cluster.config.enableIPv6) continue;
        for (const p of svc.ports) {
          if (p.nodePort === undefined || p.nodePort === 0) continue;
          out.push({
            ...base,
            type: 'NodePort',
            address: ZERO[fam],
            port: p.nodePort,
            protocol: p.protocol,
            scope,
            portName: p.name ?? '',
            servicePort: p.port,
            surrogate: true,
            expand: true,
          });
        }
      }
    }
  }
  if (svc.type === 'LoadBalancer' && canExpose('LoadBalancer')) {
    for (const ip of lbIps.get(`${ns}/${svc.meta.name}`) ?? []) {
      if (!familyEnabled(cluster, ip)) continue;
      for (const scope of scopes) {
        for (const p of svc.ports) {
          out.push({ ...base, type: 'LoadBalancer', address: ip, port: p.port, protocol: p.protocol, scope, portName: p.name ?? '', servicePort: p.port });
        }
      }
    }
  }
  for (const ip of svc.externalIPs) {
    if (!familyEnabled(cluster, ip)) continue;
    for (const p of svc.ports) {
      out.push({ ...base, type: 'ExternalIPs', address: ip, port: p.port, protocol: p.protocol, scope: 'external', portName: p.name ?? '', servicePort: p.port });
    }
  }

  // isDatapathCandidate: without kube-proxy replacement only ClusterIP, ExternalIPs and (in
  // tunnel mode) LoadBalancer frontends reach the maps.
  const kept = out.filter(
    (f) =>
      kpr ||
      f.type === 'ClusterIP' ||
      f.type === 'ExternalIPs' ||
      (f.type === 'LoadBalancer' && cluster.config.routingMode === 'tunnel'),
  );
  // Duplicate keys (the same address listed twice) collapse to one frontend.
  const keyed = kept.map((f) => ({ f, key: sortKey(f.address, f.port, f.protocol, f.scope) }));
  keyed.sort((a, b) => cmpStr(a.key, b.key));
  const result: TableFrontend[] = [];
  const selected = new Map<string, Candidate[]>();
  for (let i = 0; i < keyed.length; i++) {
    const { f, key } = keyed[i]!;
    if (i > 0 && keyed[i - 1]!.key === key) continue;
    const sel = `${f.protocol}|${f.address.bitSize}|${f.portName}`;
    let cands = selected.get(sel);
    if (cands === undefined) {
      cands = candidates.filter(
        (c) =>
          c.protocol === f.protocol &&
          c.address.bitSize === f.address.bitSize &&
          (f.portName === '' || c.portNames.includes(f.portName)),
      );
      selected.set(sel, cands);
    }
    result.push({ ...f, candidates: cands, key });
  }
  return result;
}

/** HostPort frontends of the Running pods of a node (synthetic `<pod>:host-port:<port>` services). */
function hostPortFrontends(cluster: Cluster, pod: Pod): TableFrontend[] {
  if (pod.phase !== 'Running' || pod.hostNetwork || pod.nodeName === undefined) return [];
  const ns = pod.meta.namespace ?? 'default';
  const out: TableFrontend[] = [];
  for (const c of pod.containers) {
    for (const p of c.ports) {
      if (p.hostPort === undefined || p.hostPort === 0) continue;
      const props: ServiceProps = {
        ref: { namespace: ns, name: `${pod.meta.name}:host-port:${p.hostPort}` },
        etp: 'Cluster',
        itp: 'Cluster',
        sessionAffinity: false,
        timeout: 0,
        lbAlgBits: 0,
        sourceRanges: [],
        sourceRangeDeny: false,
        wildcardClass: false,
      };
      for (const podIP of pod.podIPs) {
        if (!familyEnabled(cluster, podIP)) continue;
        if (p.hostIP !== undefined && p.hostIP.bitSize !== podIP.bitSize) continue;
        const address = p.hostIP ?? ZERO[isIPv4(podIP) ? 4 : 6];
        const surrogate = p.hostIP === undefined || p.hostIP.value === 0n;
        const cand: Candidate = {
          key: backendKey(podIP, p.containerPort, p.protocol),
          address: podIP,
          port: p.containerPort,
          protocol: p.protocol,
          state: 'active',
          nodeName: pod.nodeName,
          pod: { namespace: ns, name: pod.meta.name },
          portNames: [],
          weight: 100,
        };
        out.push({
          props,
          type: 'HostPort',
          address,
          port: p.hostPort,
          protocol: p.protocol,
          scope: 'external',
          portName: '',
          servicePort: p.hostPort,
          surrogate,
          expand: surrogate,
          candidates: [cand],
          key: sortKey(address, p.hostPort, p.protocol, 'external'),
        });
      }
    }
  }
  return out.sort((a, b) => cmpStr(a.key, b.key));
}

function precompute(cluster: Cluster, ipam: LbIpamResult): Precomputed {
  const backendsOf = serviceBackends(cluster);
  const lbIps = new Map<string, readonly IpAddress[]>();
  for (const st of ipam.services) lbIps.set(`${st.namespace}/${st.name}`, st.ips);
  const services = [...cluster.scenario.services].sort(
    (a, b) => cmpStr(a.meta.namespace ?? 'default', b.meta.namespace ?? 'default') || cmpStr(a.meta.name, b.meta.name),
  );
  const serviceFrontendLists = services.map((svc) =>
    serviceFrontends(cluster, lbIps, svc, backendsOf.get(`${svc.meta.namespace ?? 'default'}/${svc.meta.name}`) ?? []),
  );
  const hostPorts: HostPortGroup[] = [];
  if (cluster.config.kubeProxyReplacement) {
    const pods = [...cluster.scenario.pods].sort(
      (a, b) => cmpStr(a.meta.namespace ?? 'default', b.meta.namespace ?? 'default') || cmpStr(a.meta.name, b.meta.name),
    );
    for (const pod of pods) {
      const fes = hostPortFrontends(cluster, pod);
      if (fes.length > 0 && pod.nodeName !== undefined) hostPorts.push({ nodeName: pod.nodeName, frontends: fes });
    }
  }
  const backendIds = new Map<string, number>();
  const visit = (fes: readonly TableFrontend[]): void => {
    for (const f of fes) {
      for (const c of f.candidates) {
        if (!backendIds.has(c.key)) backendIds.set(c.key, backendIds.size + 1);
      }
    }
  };
  for (const fes of serviceFrontendLists) visit(fes);
  for (const g of hostPorts) visit(g.frontends);
  const primary = new Set<string>();
  for (const fes of serviceFrontendLists) for (const f of fes) if (!f.surrogate) primary.add(f.key);
  return { services: serviceFrontendLists, hostPorts, backendIds, maglevTables: new Map(), primary };
}

/** onlyLocal of `DefaultSelectBackends`: does this frontend keep node-local backends only? */
function onlyLocal(f: { type: LbFrontendType; scope: LbScope; props: ServiceProps }): boolean {
  const itpLocal = f.props.itp === 'Local';
  const etpLocal = f.props.etp === 'Local';
  if (f.scope === 'internal') return itpLocal;
  if (f.type === 'ClusterIP') return itpLocal;
  if (f.type === 'NodePort' || f.type === 'LoadBalancer' || f.type === 'ExternalIPs') return etpLocal;
  return false;
}

/**
 * Computes every LB map of one node: frontends (with node-address copies of NodePort/HostPort
 * surrogates), their backend slots after eTP/iTP Local filtering, flags in Cilium's print order,
 * count/qcount with the terminating fallback, backends, reverse NAT, source ranges, and the
 * Maglev table of every frontend Cilium builds one for. Pure and deterministic; the cluster-wide
 * part is computed on every call: to ask for several nodes, use {@link lbMapsBuilder} (or the twin's `maps(node)`).
 *
 * @example
 * ```ts
 * const cluster = loadLab(['webpod-3.yaml', 'lb.yaml']);
 * const maps = nodeLbMaps(cluster, allocateLbIps(cluster), 'k8s-ctr');
 * maps.frontends.find((f) => f.type === 'ClusterIP')?.flagNames; // ['ClusterIP', 'non-routable']
 * ```
 */
export function nodeLbMaps(cluster: Cluster, ipam: LbIpamResult, nodeName: string): NodeLbMaps {
  return withLocalRedirects(cluster, mapsOfNode(cluster, precompute(cluster, ipam), nodeName));
}

/**
 * The LB maps of any node of a cluster, the cluster-wide part (frontends, backends, backend IDs,
 * shared Maglev tables) computed once when this is called and reused by every node asked after:
 * what the twin memoises per scenario. Each call of the returned function builds one node's maps
 * (the caller memoises them).
 *
 * @example
 * ```ts
 * const mapsOf = lbMapsBuilder(cluster, allocateLbIps(cluster));
 * mapsOf('k8s-ctr').frontends.length;
 * ```
 */
export function lbMapsBuilder(cluster: Cluster, ipam: LbIpamResult): (nodeName: string) => NodeLbMaps {
  const pre = precompute(cluster, ipam);
  return (nodeName) => withLocalRedirects(cluster, mapsOfNode(cluster, pre, nodeName));
}

function mapsOfNode(cluster: Cluster, pre: Precomputed, nodeName: string): NodeLbMaps {
  const cfg = cluster.config;
  const npAddrs = nodePortAddresses(cluster, nodeName);
  const localAddrs = nodeLocalAddresses(cluster, nodeName);
  const tableSize = cfg.maglevTableSize;
  const hashSeed = cfg.maglevHashSeed;
  // A table size or seed Cilium refuses (the agent would not start) leaves no Maglev tables.
  let seed: MaglevSeed | undefined;
  try {
    seed = maglevTableSizeError(tableSize) === undefined ? resolveMaglevSeed(hashSeed) : undefined;
  } catch {
    seed = undefined;
  }
  const extClusterIP = cfg.lbExternalClusterIP;
  const srcRangeAllTypes = raw(cluster, 'bpf-lb-source-range-all-types') === 'true';
  const wildcards = raw(cluster, 'bpf-lb-enable-wildcard-entries') === 'true';

  const groups: (readonly TableFrontend[])[] = [...pre.services];
  for (const g of pre.hostPorts) if (g.nodeName === nodeName) groups.push(g.frontends);

  // Primary frontends: a node-address copy is skipped when a table frontend owns that address.
  const primary = new Set<string>(pre.primary);
  for (const g of pre.hostPorts) {
    if (g.nodeName === nodeName) for (const f of g.frontends) if (!f.surrogate) primary.add(f.key);
  }

  const frontends: LbFrontend[] = [];
  const keys: string[] = [];
  const usedBackends = new Map<number, Candidate>();
  const wildcardRows = new Map<string, LbFrontend>();
  let nextId = 1;

  const build = (f: TableFrontend, address: IpAddress, copy: boolean): LbFrontend => {
    const id = nextId++;
    const surrogate = address.value === 0n;
    const routable = !surrogate && (f.type !== 'ClusterIP' || extClusterIP);
    const checkSourceRange = f.props.sourceRanges.length > 0 && (srcRangeAllTypes || f.type === 'LoadBalancer');
    const dsr =
      (f.props.fwdMode ?? (cfg.lbMode === 'hybrid' ? (f.protocol === 'TCP' ? 'dsr' : 'snat') : cfg.lbMode)) === 'dsr';
    const params = {
      type: f.type,
      extLocal: f.props.etp === 'Local',
      intLocal: f.props.itp === 'Local',
      sessionAffinity: f.props.sessionAffinity,
      routable,
      checkSourceRange,
      sourceRangeDeny: checkSourceRange && f.props.sourceRangeDeny,
      dsr,
    };
    const flags = lbFlags(params);
    const slotFlags = lbFlags({ ...params, checkSourceRange: false, sourceRangeDeny: false });

    const local = onlyLocal(f);
    const selected = f.candidates.filter((c) => !local || c.nodeName === undefined || c.nodeName === nodeName);
    const slots = selected.filter((c) => c.state !== 'maintenance');
    let active = 0;
    let terminating = 0;
    let inactive = 0;
    for (const c of slots) {
      if (c.state === 'active') active++;
      else if (c.state === 'terminating') terminating++;
      else inactive++;
    }
    if (active === 0) active = terminating;
    else inactive += terminating;
    for (const c of selected) usedBackends.set(pre.backendIds.get(c.key)!, c);

    let useMaglev: boolean;
    if (surrogate) useMaglev = false;
    else if (f.props.lbAlgBits !== 0) useMaglev = f.props.lbAlgBits === 2;
    else if (cfg.lbAlgorithm !== 'maglev') useMaglev = false;
    else if (f.type === 'ClusterIP' && !extClusterIP) useMaglev = false;
    else useMaglev = true;
    const lutBackends = slots.slice(0, active);
    let maglev: Uint32Array | undefined;
    if (useMaglev && seed !== undefined && lutBackends.length > 0) {
      const ids = lutBackends.map((c) => pre.backendIds.get(c.key)!);
      const key = ids.join(',');
      maglev = pre.maglevTables.get(key);
      if (maglev === undefined) {
        maglev = maglevTable(
          lutBackends.map((c, i) => ({ id: ids[i]!, address: c.address, port: c.port, protocol: c.protocol, weight: c.weight })),
          { tableSize, hashSeed: seed },
        );
        pre.maglevTables.set(key, maglev);
      }
    }

    return {
      id,
      address,
      port: f.port,
      protocol: f.protocol,
      scope: f.scope,
      type: f.type,
      service: f.props.ref,
      portName: f.portName,
      servicePort: f.servicePort,
      surrogate,
      nodeAddressCopy: copy,
      wildcard: false,
      flags,
      slotFlags,
      flagNames: flagNamesOf(flags),
      backendIds: slots.map((c) => pre.backendIds.get(c.key)!),
      count: active,
      qcount: inactive,
      externalTrafficPolicy: f.props.etp,
      internalTrafficPolicy: f.props.itp,
      // Cilium sets SVC_FLAG_TWO_SCOPES on external frontends only: a ClusterIP stays one scope
      twoScopes: f.type !== 'ClusterIP' && (f.props.etp === 'Local') !== (f.props.itp === 'Local'),
      sessionAffinity: f.props.sessionAffinity,
      affinityTimeoutSeconds: f.props.timeout,
      lbAlgorithmBits: f.props.lbAlgBits,
      algorithm: maglev !== undefined ? 'maglev' : 'random',
      forwardingMode: dsr ? 'dsr' : 'snat',
      routable,
      sourceRanges:
        f.props.sourceRanges.length === 0 ? f.props.sourceRanges : f.props.sourceRanges.filter((p) => familyOf(p) === familyOf(address)),
      checkSourceRange,
      sourceRangeDeny: params.sourceRangeDeny,
      ...(maglev !== undefined ? { maglev } : {}),
    };
  };

  for (const fes of groups) {
    for (const f of fes) {
      const fe = build(f, f.address, false);
      frontends.push(fe);
      keys.push(f.key);
      if (f.expand) {
        for (const addr of npAddrs) {
          if (addr.bitSize !== f.address.bitSize) continue;
          const key = sortKey(addr, f.port, f.protocol, f.scope);
          if (primary.has(key)) continue;
          frontends.push(build(f, addr, true));
          keys.push(key);
        }
      }
      if (
        wildcards &&
        !f.surrogate &&
        (f.type === 'ClusterIP' || f.type === 'LoadBalancer') &&
        f.props.wildcardClass &&
        !localAddrs.some((a) => sameIp(a, f.address))
      ) {
        const k = `${f.address.bitSize}|${f.address.value}|${f.scope}`;
        if (!wildcardRows.has(k)) {
          const wflags = lbFlags({
            type: f.type,
            extLocal: false,
            intLocal: false,
            sessionAffinity: false,
            routable: false,
            checkSourceRange: false,
            sourceRangeDeny: false,
            dsr: false,
          });
          wildcardRows.set(k, {
            ...fe,
            id: 0,
            port: 0,
            protocol: 'ANY' as LbProtocol,
            portName: '',
            servicePort: 0,
            wildcard: true,
            flags: wflags,
            slotFlags: wflags,
            flagNames: flagNamesOf(wflags),
            backendIds: [],
            count: 0,
            qcount: 0,
            sessionAffinity: false,
            affinityTimeoutSeconds: 0,
            lbAlgorithmBits: 0,
            algorithm: 'random',
            forwardingMode: 'snat',
            routable: false,
            sourceRanges: [],
            checkSourceRange: false,
            sourceRangeDeny: false,
            maglev: undefined,
          });
        }
      }
    }
  }

  const revNat: LbRevNatEntry[] = frontends.map((f) => ({ id: f.id, address: f.address, port: f.port }));
  const sourceRanges: LbSourceRangeEntry[] = frontends.flatMap((f) => f.sourceRanges.map((prefix) => ({ id: f.id, prefix })));
  const keyedAll = frontends.map((f, i) => ({ f, k: keys[i]! }));
  for (const w of wildcardRows.values()) keyedAll.push({ f: stripUndefinedMaglev(w), k: sortKey(w.address, 0, 'ANY', w.scope) });
  keyedAll.sort((a, b) => cmpStr(a.k, b.k));
  const all = keyedAll.map((x) => x.f);

  const backends: LbBackend[] = [...usedBackends.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, c]) => ({
      id,
      address: c.address,
      port: c.port,
      protocol: c.protocol,
      state: c.state,
      ...(c.nodeName !== undefined ? { nodeName: c.nodeName } : {}),
      ...(c.pod !== undefined ? { pod: c.pod } : {}),
      portNames: c.portNames,
      weight: c.weight,
    }));

  return {
    node: nodeName,
    frontends: all,
    backends,
    revNat: revNat.sort((a, b) => a.id - b.id),
    sourceRanges,
    maglevTableSize: tableSize,
    maglevHashSeed: hashSeed,
  };
}

function stripUndefinedMaglev(f: LbFrontend): LbFrontend {
  if (f.maglev !== undefined) return f;
  const { maglev: _unused, ...rest } = f;
  return rest;
}

/**
 * The frontend a packet's key hits: exact (address, port, protocol, scope), as
 * `lb4_lookup_service` looks up slot 0. Wildcard rows match only with `protocol: 'ANY'`, port 0.
 *
 * @example
 * lookupFrontend(maps, IPv4.fromString('172.16.1.1'), 80, 'TCP', 'external')?.id;
 */
export function lookupFrontend(
  maps: NodeLbMaps,
  address: IpAddress,
  port: number,
  protocol: LbProtocol,
  scope: LbScope = 'external',
): LbFrontend | undefined {
  return indexOf(maps).byKey.get(`${address.bitSize}|${address.value}|${port}|${protocol}|${scope}`);
}

/**
 * The frontend with a service (rev-NAT) ID.
 *
 * @example
 * frontendById(maps, 5)?.type; // 'LoadBalancer'
 */
export function frontendById(maps: NodeLbMaps, id: number): LbFrontend | undefined {
  return indexOf(maps).byId.get(id);
}

/**
 * The backend row with an ID.
 *
 * @example
 * backendById(maps, 1)?.address.toString(); // '172.20.0.28'
 */
export function backendById(maps: NodeLbMaps, id: number): LbBackend | undefined {
  return indexOf(maps).backends.get(id);
}

interface MapsIndex {
  readonly byKey: Map<string, LbFrontend>;
  readonly byId: Map<number, LbFrontend>;
  readonly backends: Map<number, LbBackend>;
}

const indexes = new WeakMap<NodeLbMaps, MapsIndex>();

function indexOf(maps: NodeLbMaps): MapsIndex {
  let idx = indexes.get(maps);
  if (idx === undefined) {
    idx = { byKey: new Map(), byId: new Map(), backends: new Map() };
    for (const f of maps.frontends) {
      idx.byKey.set(`${f.address.bitSize}|${f.address.value}|${f.port}|${f.protocol}|${f.scope}`, f);
      if (!f.wildcard) idx.byId.set(f.id, f);
    }
    for (const b of maps.backends) idx.backends.set(b.id, b);
    indexes.set(maps, idx);
  }
  return idx;
}
