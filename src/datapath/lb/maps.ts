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
 * - Cluster mesh: a global service's backends include the ready endpoints the connected clusters
 *   export, filtered by `service.cilium.io/affinity` (see `withRemoteBackends`).
 * - Backend IDs are allocated once for the whole cluster in the same walk (services, frontends,
 *   each frontend's backends in slot order), so the same backend has the same ID on every node.
 *   Cilium allocates per node on first reference; for nodes that reference the same backends in
 *   the same order (the lab) both agree.
 *
 * Complexity (S services, E endpoint addresses × ports, F frontends): the cluster-wide part
 * (`precompute`, once per scenario) is O(E + F log F) — backends merged per service and
 * numbered cluster-wide through one Map keyed by a packed number (IPv4) or text (IPv6) per
 * backend or frontend, no tuple tries; each candidate carries its ID. One node's maps are
 * O(its frontends + the backends they name): rows built without object spreads, backend rows in
 * ID order from an array indexed by ID (no sort).
 *
 * One node's rows at one address (`lbRowsBuilder`, what a trace reads: the frontend it is sent
 * to) without either: a cluster-wide index O(F log F + E) once (every service's table frontends
 * without candidates, the services at each address, and per service how many backend keys it
 * numbers first, from one pass keying each selected endpoint: no candidate objects), then
 * O(F) once per node to number its rev-NAT IDs (the same walk, no rows), then per address
 * O(its services' frontends and backends). The same rows and IDs as the whole maps (property
 * `lb-rows`); addresses where that needs the whole walk (NodePort copies, HostPorts, services
 * sharing a backend, mesh, local redirects, health-server frontends) are read from the whole maps.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { isGlobalService, serviceAffinity } from '../../cluster/mesh-view.js';
import type { EndpointSlice, IpAddress, IpPrefix, Pod, Protocol, Service } from '../../input/types.js';
import { compareIp, familyOf, isIPv4, sameIp, unspecified } from '../../net/addr.js';
import type { LbIpamResult } from '../../ipam/types.js';
import { maglevTable, maglevTableSizeError, resolveMaglevSeed, type MaglevSeed } from '../maglev/index.js';
import { lbFlagNames, lbFlags } from './flags.js';
import { nodeLocalAddresses, nodePortAddresses } from './node-addresses.js';
import { withLocalRedirects } from './redirect.js';
import { ciliumPrefersClose, exposedOn, inZone, nodeExposure, nodeExposureLabel, serviceTopologyEnabled, zoneSetting } from './topology.js';
import type {
  LbBackend,
  LbBackendState,
  LbFrontend,
  LbFrontendType,
  LbHealthServer,
  LbProtocol,
  LbRevNatEntry,
  LbScope,
  LbServiceRef,
  LbSourceRangeEntry,
  NodeLbMaps,
} from './types.js';
import { compareStrings } from '../../net/compare.js';
import { podUid } from '../../workloads/names.js';
import { TupleMap } from '../../net/keys.js';
import type { WireAddr } from '../../net/wire.js';

const STATE_ORDER: Record<LbBackendState, number> = {
  active: 0,
  terminating: 1,
  'terminating-not-serving': 2,
  quarantined: 3,
  maintenance: 4,
};

/** A frontend's identity and sort order: (family bits, address value, port, protocol, scope). */
type FrontendTuple = readonly [number, bigint, number, string, LbScope];

/** A service's identity: (namespace, name). */
type ServiceTuple = readonly [string, string];

/** A backend of a service before node-local filtering. */
interface Candidate {
  readonly address: IpAddress;
  readonly port: number;
  readonly protocol: Protocol;
  readonly state: LbBackendState;
  readonly nodeName?: string;
  readonly pod?: { readonly namespace: string; readonly name: string };
  readonly portNames: string[];
  readonly weight: number;
  /** The remote cluster's ID, for a backend of a global service from a cluster mesh. */
  readonly clusterId?: number;
  /** `hints.forZones` of the endpoint (topology-aware routing), when set. */
  readonly forZones?: readonly string[];
  /** A node-specific backend's fixed ID (the health server's node address; see {@link healthBackendId}). */
  readonly fixedId?: number;
  /** The cluster-wide backend ID, set once by {@link assignBackendIds} in the precompute that made the candidate. */
  id?: number;
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
  /** Topology-aware routing: keep only backends hinted for the node's zone (topology.ts). */
  readonly preferClose?: boolean;
  /** `service.cilium.io/node`: exposed only on nodes with that `service.cilium.io/node` label. */
  readonly exposeOn?: string;
  /** A HostPort service of a loopback `hostIP` (`LoopbackHostPort`: the `loopback` flag). */
  readonly loopback?: boolean;
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
  /** {@link frontendKey} of the frontend. */
  readonly key: FrontendTuple;
  /** {@link frontendFastKey} of the frontend. */
  readonly fkey: FastKey;
}

interface HostPortGroup {
  readonly nodeName: string;
  readonly frontends: readonly TableFrontend[];
}

/**
 * A service with a health-check node port server (`healthserver.go`): kube-proxy replacement,
 * `enable-health-check-nodeport`, `healthCheckNodePort` > 0, `externalTrafficPolicy: Local`, and
 * a LoadBalancer or NodePort frontend of external scope.
 */
interface HealthSpec {
  /** Index of the parent service's group in {@link Precomputed.services}. */
  readonly group: number;
  /** The parent service. */
  readonly ref: LbServiceRef;
  /** `healthCheckNodePort`. */
  readonly port: number;
  /** The parent's backends, every port (the health server counts the active local ones). */
  readonly candidates: readonly Candidate[];
  /** The parent's external LoadBalancer frontend addresses, in key order, once each. */
  readonly lbAddrs: readonly IpAddress[];
  /** `service.cilium.io/node` of the parent. */
  readonly exposeOn?: string;
}

interface Precomputed {
  readonly services: readonly (readonly TableFrontend[])[];
  /** Health-check node port servers, in service order (at most one per port: the first wins). */
  readonly health: readonly HealthSpec[];
  /** First backend ID after the cluster-wide walk: health-server backends are numbered from it. */
  readonly healthIdBase: number;
  /** Node names in order (the health-server backend IDs' node index), when there are health servers. */
  readonly nodeIndex: ReadonlyMap<string, number>;
  readonly hostPorts: readonly HostPortGroup[];
  /**
   * Maglev tables by backend-ID list: a table depends only on its backends (weights, M and seed
   * are the cluster's), so frontends and nodes with the same active backends share one table.
   */
  readonly maglevTables: TupleMap<readonly number[], Uint32Array>;
  /** Keys ({@link frontendFastKey}) of the services' non-surrogate frontends (a node-address copy never shadows one). */
  readonly primary: ReadonlySet<FastKey>;
}

const ZERO: Record<4 | 6, IpAddress> = { 4: unspecified(4), 6: unspecified(6) };

/**
 * A backend's or frontend's identity as one Map key (what a backend's (family bits, address
 * value, port, protocol) and a {@link FrontendTuple} compare equal on): a number for an IPv4 address (address, port,
 * protocol and scope packed below 2^52), a text for IPv6. A number never equals a text, and the
 * text's parts are numbers except the last (protocol, then scope), so equal keys mean equal
 * tuples. A Map of these costs one entry per key (a {@link TupleMap} costs a Map per part).
 */
type FastKey = number | string;

const PROTO_CODE: Readonly<Record<string, number>> = { TCP: 0, UDP: 1, SCTP: 2, ANY: 3 };

function fastKey(bits: number, value: bigint, port: number, protocol: string, scope: LbScope | undefined): FastKey {
  const code = PROTO_CODE[protocol];
  if (bits === 32 && code !== undefined && Number.isInteger(port) && port >= 0 && port < 65536) {
    return ((Number(value) * 65536 + port) * 4 + code) * 3 + (scope === undefined ? 0 : scope === 'external' ? 1 : 2);
  }
  return `${bits}|${value}|${port}|${protocol}|${scope ?? ''}`;
}

/** {@link fastKey} of a backend (address, port, protocol). */
function backendKey(address: IpAddress, port: number, protocol: string): FastKey {
  return fastKey(address.bitSize, address.value, port, protocol, undefined);
}

/** {@link fastKey} of a frontend tuple. */
function frontendFastKey(k: FrontendTuple): FastKey {
  return fastKey(k[0], k[1], k[2], k[3], k[4]);
}

/** A frontend's key: sorts by family, address, port, protocol, then scope (external first). */
function frontendKey(address: IpAddress, port: number, protocol: string, scope: LbScope): FrontendTuple {
  return [address.bitSize, address.value, port, protocol, scope];
}

/** The order of {@link frontendKey}s: the frontends map's order (family, address, port, protocol, scope). */
function compareFrontendKeys(a: FrontendTuple, b: FrontendTuple): number {
  return (
    a[0] - b[0] ||
    (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) ||
    a[2] - b[2] ||
    compareStrings(a[3], b[3]) ||
    (a[4] === b[4] ? 0 : a[4] === 'external' ? -1 : 1)
  );
}

function sameFrontendKey(a: FrontendTuple, b: FrontendTuple): boolean {
  return compareFrontendKeys(a, b) === 0;
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

/** The backend state of an endpoint (`ready`, `serving`, `terminating` conditions). */
function endpointState(ep: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean }): LbBackendState {
  if (ep.ready) return 'active';
  if (ep.terminating && !ep.serving) return 'terminating-not-serving';
  return ep.terminating ? 'terminating' : 'maintenance';
}

/**
 * Precompute phase: the backends of every service, from its EndpointSlices, merged per
 * (address, port, protocol), each service's list in slot order.
 */
function serviceBackends(cluster: Cluster): TupleMap<ServiceTuple, Candidate[]> {
  const byService = new TupleMap<ServiceTuple, Map<FastKey, Candidate>>();
  for (const slice of cluster.endpointSlices) {
    if (slice.addressType === 'FQDN') continue;
    addSlice(cluster, slice, byService.getOrSet([slice.meta.namespace ?? 'default', slice.serviceName], () => new Map()));
  }
  const out = new TupleMap<ServiceTuple, Candidate[]>();
  for (const [k, m] of byService.entries()) out.set(k, slotOrder(m));
  if (cluster.mesh !== undefined) withRemoteBackends(cluster, out);
  return out;
}

/** One EndpointSlice's backends merged into its service's (by address, port, protocol: the first keeps its state, port names add up). */
function addSlice(cluster: Cluster, slice: EndpointSlice, backends: Map<FastKey, Candidate>): void {
  for (const ep of slice.endpoints) {
    const state = endpointState(ep);
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
        const c: { -readonly [K in keyof Candidate]: Candidate[K] } = { address, port: p.port, protocol: p.protocol, state, portNames: name === '' ? [] : [name], weight: 100 };
        if (ep.nodeName !== undefined) c.nodeName = ep.nodeName;
        if (ep.podRef !== undefined) c.pod = ep.podRef;
        if (ep.forZones !== undefined) c.forZones = ep.forZones;
        backends.set(key, c);
      }
    }
  }
}

/** A service's merged backends in slot order (state, address, port), port names sorted. */
function slotOrder(m: ReadonlyMap<FastKey, Candidate>): Candidate[] {
  const list = [...m.values()];
  for (const c of list) c.portNames.sort();
  return list.sort(compareCandidates);
}

/**
 * Cluster mesh: the backends of each global service (`service.cilium.io/global: "true"`) get the
 * ready endpoints the connected clusters export for the service of the same namespace and name
 * (`ClusterServiceToBackendParams`: state active, no node name, the remote cluster's ID; port
 * names matched like local ones), then the affinity picks (`ClusterMeshSelectBackends`): `local`
 * keeps the local backends, and the remote ones only when no local backend is active; `remote`
 * the reverse (local ones only when no remote backend is active or terminating); `none` keeps all.
 */
function withRemoteBackends(cluster: Cluster, out: TupleMap<ServiceTuple, Candidate[]>): void {
  const remotes = cluster.mesh?.remotes ?? [];
  for (const svc of cluster.scenario.services) {
    if (!isGlobalService(svc)) continue;
    const ns = svc.meta.namespace ?? 'default';
    const key: ServiceTuple = [ns, svc.meta.name];
    const local = out.get(key) ?? [];
    const textKey = (c: { address: IpAddress; port: number; protocol: string }): string => `${c.address.bitSize}|${c.address.value}|${c.port}|${c.protocol}`;
    const seen = new Set(local.map(textKey));
    const remote: Candidate[] = [];
    const remoteKeys = new Map<string, Candidate>();
    for (const r of remotes) {
      for (const slice of r.globalSlices) {
        if ((slice.meta.namespace ?? 'default') !== ns || slice.serviceName !== svc.meta.name || slice.addressType === 'FQDN') continue;
        for (const ep of slice.endpoints) {
          for (const address of ep.addresses) {
            if (!familyEnabled(cluster, address)) continue;
            for (const p of slice.ports) {
              const k = textKey({ address, port: p.port, protocol: p.protocol });
              const name = p.name ?? '';
              const existing = remoteKeys.get(k);
              if (existing !== undefined) {
                if (name !== '' && !existing.portNames.includes(name)) existing.portNames.push(name);
                continue;
              }
              if (seen.has(k)) continue;
              const c: Candidate = { address, port: p.port, protocol: p.protocol, state: 'active', portNames: name === '' ? [] : [name], weight: 100, clusterId: r.id };
              remoteKeys.set(k, c);
              remote.push(c);
            }
          }
        }
      }
    }
    for (const c of remote) c.portNames.sort();
    const affinity = serviceAffinity(svc);
    const healthyLocal = local.filter((c) => c.state === 'active' || c.state === 'terminating').length;
    const activeLocal = local.filter((c) => c.state === 'active').length;
    const useRemote = affinity === 'none' || (affinity === 'local' ? activeLocal === 0 && remote.length > 0 : true);
    const useLocal = affinity !== 'remote' || (remote.length === 0 && healthyLocal > 0);
    const merged = [...(useLocal ? local : []), ...(useRemote ? remote : [])].sort(compareCandidates);
    if (merged.length > 0 || out.has(key)) out.set(key, merged);
  }
}

/** The per-service properties (annotations, affinity, traffic policies) its frontends share. */
function serviceProps(cluster: Cluster, svc: Service, ref: LbServiceRef): ServiceProps {
  const ann = svc.meta.annotations;
  let lbAlgBits: 0 | 1 | 2 = 0;
  if (cluster.config.lbAlgorithmAnnotation) {
    const v = (ann['service.cilium.io/lb-algorithm'] ?? '').toLowerCase();
    lbAlgBits = v === 'maglev' ? 2 : v === 'random' ? 1 : 0;
  }
  let fwdMode: 'snat' | 'dsr' | undefined;
  if (cluster.config.lbModeAnnotation) {
    // loadbalancer.ToSVCForwardingMode: exactly `dsr` or `snat` (case matters), anything else is unset
    const v = ann['service.cilium.io/forwarding-mode'] ?? '';
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
    ...(serviceTopologyEnabled(cluster) && ciliumPrefersClose(svc) ? { preferClose: true } : {}),
    ...nodeExposure(svc),
  };
}

type FrontendDraft = Omit<TableFrontend, 'candidates' | 'key' | 'fkey'>;

/** convertService, part 1: every frontend a service's spec asks for, before datapath filtering. */
function frontendDrafts(cluster: Cluster, lbIps: TupleMap<ServiceTuple, readonly IpAddress[]>, svc: Service, props: ServiceProps): FrontendDraft[] {
  const ns = props.ref.namespace;
  const exposure = svc.meta.annotations['service.cilium.io/type'];
  const canExpose = (t: string): boolean => exposure === undefined || exposure === '' || exposure === t;
  const kpr = cluster.config.kubeProxyReplacement;
  const twoScopes = (props.etp === 'Local') !== (props.itp === 'Local');
  const scopes: LbScope[] = twoScopes ? ['external', 'internal'] : ['external'];
  const out: FrontendDraft[] = [];
  // one object shape for every draft (spreading a base object per draft is slow)
  const draft = (type: LbFrontendType, address: IpAddress, port: number, protocol: Protocol, scope: LbScope, portName: string, servicePort: number, surrogate: boolean): FrontendDraft => ({
    props,
    type,
    address,
    port,
    protocol,
    scope,
    portName,
    servicePort,
    surrogate,
    expand: surrogate,
  });

  if (canExpose('ClusterIP')) {
    for (const ip of [...svc.clusterIPs].sort(compareIp)) {
      if (!familyEnabled(cluster, ip)) continue;
      for (const p of svc.ports) {
        out.push(draft('ClusterIP', ip, p.port, p.protocol, 'external', p.name ?? '', p.port, false));
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
          out.push(draft('NodePort', ZERO[fam], p.nodePort, p.protocol, scope, p.name ?? '', p.port, true));
        }
      }
    }
  }
  if (svc.type === 'LoadBalancer' && canExpose('LoadBalancer')) {
    for (const ip of lbIps.get([ns, svc.meta.name]) ?? []) {
      if (!familyEnabled(cluster, ip)) continue;
      for (const scope of scopes) {
        for (const p of svc.ports) {
          out.push(draft('LoadBalancer', ip, p.port, p.protocol, scope, p.name ?? '', p.port, false));
        }
      }
    }
  }
  for (const ip of svc.externalIPs) {
    if (!familyEnabled(cluster, ip)) continue;
    for (const p of svc.ports) {
      out.push(draft('ExternalIPs', ip, p.port, p.protocol, 'external', p.name ?? '', p.port, false));
    }
  }
  return out;
}

/** isDatapathCandidate: without kube-proxy replacement only ClusterIP, ExternalIPs and (in tunnel mode) LoadBalancer frontends reach the maps. */
function isDatapathCandidate(cluster: Cluster, f: FrontendDraft): boolean {
  return (
    cluster.config.kubeProxyReplacement ||
    f.type === 'ClusterIP' ||
    f.type === 'ExternalIPs' ||
    (f.type === 'LoadBalancer' && cluster.config.routingMode === 'tunnel')
  );
}

/**
 * convertService, part 2: the drafts in key order, duplicates (the same address listed twice)
 * collapsed, each with the candidates of its protocol, family and port name.
 */
function attachCandidates(drafts: readonly FrontendDraft[], candidates: readonly Candidate[]): TableFrontend[] {
  const keyed = drafts.map((f) => ({ f, key: frontendKey(f.address, f.port, f.protocol, f.scope) }));
  keyed.sort((a, b) => compareFrontendKeys(a.key, b.key));
  const result: TableFrontend[] = [];
  // by (protocol, family, port name): protocol and family hold no `|`, the port name comes last
  const selected = new Map<string, Candidate[]>();
  for (let i = 0; i < keyed.length; i++) {
    const { f, key } = keyed[i]!;
    if (i > 0 && sameFrontendKey(keyed[i - 1]!.key, key)) continue;
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
    result.push({
      props: f.props,
      type: f.type,
      address: f.address,
      port: f.port,
      protocol: f.protocol,
      scope: f.scope,
      portName: f.portName,
      servicePort: f.servicePort,
      surrogate: f.surrogate,
      expand: f.expand,
      candidates: cands,
      key,
      fkey: frontendFastKey(key),
    });
  }
  return result;
}

/** convertService: the table frontends of one service, in key order. */
function serviceFrontends(
  cluster: Cluster,
  lbIps: TupleMap<ServiceTuple, readonly IpAddress[]>,
  svc: Service,
  candidates: readonly Candidate[],
): TableFrontend[] {
  if (svc.headless || svc.type === 'ExternalName') return [];
  if (Object.prototype.hasOwnProperty.call(svc.meta.labels, 'service.kubernetes.io/headless')) return [];
  const props = serviceProps(cluster, svc, { namespace: svc.meta.namespace ?? 'default', name: svc.meta.name });
  const drafts = frontendDrafts(cluster, lbIps, svc, props).filter((f) => isDatapathCandidate(cluster, f));
  return attachCandidates(drafts, candidates);
}

/** Cilium's default NodePort range (`node-port-range`): a hostPort inside it is ignored. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

/**
 * HostPort frontends of a Running pod (`upsertHostPort` in `pkg/loadbalancer/reflectors`): one
 * synthetic service per host port, `<pod>:host-port:<hostPort>:<pod UID>`, eTP/iTP Cluster, its
 * backends the pod's IPs (enabled families) on the container port. A port without `hostIP` gets
 * a `0.0.0.0` (and, with an IPv6 pod IP, `[::]`) surrogate, expanded to the node's NodePort
 * addresses; a loopback `hostIP` becomes the surrogate of its family with the `loopback` flag;
 * any other `hostIP` is the frontend itself (only that address). A `hostIP` of `0.0.0.0`/`::`
 * given explicitly makes no frontend (Cilium's code matches neither branch). Host ports inside
 * the NodePort range are ignored (the agent warns).
 */
function hostPortFrontends(cluster: Cluster, pod: Pod): TableFrontend[] {
  if (pod.phase !== 'Running' || pod.hostNetwork || pod.nodeName === undefined) return [];
  if (!pod.containers.some((c) => c.ports.some((p) => p.hostPort !== undefined && p.hostPort > 0))) return [];
  const ns = pod.meta.namespace ?? 'default';
  const uid = podUid(pod.meta);
  const byPort = new Map<number, { props: ServiceProps; drafts: { address: IpAddress; port: number; protocol: Protocol; surrogate: boolean }[]; cands: Candidate[] }>();
  for (const c of pod.containers) {
    for (const p of c.ports) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      if (p.hostPort >= NODE_PORT_MIN && p.hostPort <= NODE_PORT_MAX) continue;
      let svc = byPort.get(p.hostPort);
      if (svc === undefined) {
        svc = {
          props: {
            ref: { namespace: ns, name: `${pod.meta.name}:host-port:${p.hostPort}:${uid}` },
            etp: 'Cluster',
            itp: 'Cluster',
            sessionAffinity: false,
            timeout: 0,
            lbAlgBits: 0,
            sourceRanges: [],
            sourceRangeDeny: false,
            wildcardClass: false,
          },
          drafts: [],
          cands: [],
        };
        byPort.set(p.hostPort, svc);
      }
      let v4 = false;
      let v6 = false;
      for (const podIP of pod.podIPs) {
        if (!familyEnabled(cluster, podIP)) continue;
        if (isIPv4(podIP)) v4 = true;
        else v6 = true;
        svc.cands.push({
          address: podIP,
          port: p.containerPort,
          protocol: p.protocol,
          state: 'active',
          nodeName: pod.nodeName,
          pod: { namespace: ns, name: pod.meta.name },
          portNames: [],
          weight: 100,
        });
      }
      const hostIP = p.hostIP;
      if (hostIP === undefined) {
        if (v4) svc.drafts.push({ address: ZERO[4], port: p.hostPort, protocol: p.protocol, surrogate: true });
        if (v6) svc.drafts.push({ address: ZERO[6], port: p.hostPort, protocol: p.protocol, surrogate: true });
      } else if (hostIP.value !== 0n) {
        if (isLoopback(hostIP)) {
          svc.drafts.push({ address: ZERO[familyOf(hostIP)], port: p.hostPort, protocol: p.protocol, surrogate: true });
          svc.props = { ...svc.props, loopback: true };
        } else {
          if (svc.props.loopback === true) continue; // "service with LoopbackHostPort not supported for port with non-loopback address"
          svc.drafts.push({ address: hostIP, port: p.hostPort, protocol: p.protocol, surrogate: false });
        }
      }
    }
  }
  const out: TableFrontend[] = [];
  for (const svc of byPort.values()) {
    const seen = new Set<FastKey>();
    for (const d of svc.drafts) {
      const key = frontendKey(d.address, d.port, d.protocol, 'external');
      const fkey = frontendFastKey(key);
      if (seen.has(fkey)) continue;
      seen.add(fkey);
      out.push({
        props: svc.props,
        type: 'HostPort',
        address: d.address,
        port: d.port,
        protocol: d.protocol,
        scope: 'external',
        portName: '',
        servicePort: d.port,
        surrogate: d.surrogate,
        expand: d.surrogate,
        candidates: svc.cands.filter((c) => c.protocol === d.protocol && c.address.bitSize === d.address.bitSize),
        key,
        fkey,
      });
    }
  }
  return out.sort((a, b) => compareFrontendKeys(a.key, b.key));
}

/** Whether a pod declares a host port (a plain loop: every pod of the cluster is asked). */
function declaresHostPort(pod: Pod): boolean {
  for (const c of pod.containers) {
    for (const p of c.ports) if (p.hostPort !== undefined && p.hostPort > 0) return true;
  }
  return false;
}

/** A loopback address (127.0.0.0/8, ::1). */
function isLoopback(a: IpAddress): boolean {
  return isIPv4(a) ? a.value >> 24n === 127n : a.value === 1n;
}

/** LB IPAM's IPs by service. */
function lbIpsOf(ipam: LbIpamResult): TupleMap<ServiceTuple, readonly IpAddress[]> {
  const lbIps = new TupleMap<ServiceTuple, readonly IpAddress[]>();
  for (const st of ipam.services) lbIps.set([st.namespace, st.name], st.ips);
  return lbIps;
}

/** The services in the maps' order (namespace, then name): the groups of the walk that numbers IDs. */
function servicesInOrder(cluster: Cluster): Service[] {
  // keys read once per service, then a stable sort on them (the same order as comparing the services)
  const keyed = cluster.scenario.services.map((svc) => ({ svc, ns: svc.meta.namespace ?? 'default', name: svc.meta.name }));
  keyed.sort((a, b) => compareStrings(a.ns, b.ns) || compareStrings(a.name, b.name));
  return keyed.map((k) => k.svc);
}

/** Precompute phase: every service's table frontends, services by namespace then name; and the health servers. */
function serviceFrontendTables(cluster: Cluster, ipam: LbIpamResult): { tables: TableFrontend[][]; health: HealthSpec[] } {
  const backendsOf = serviceBackends(cluster);
  const lbIps = lbIpsOf(ipam);
  const services = servicesInOrder(cluster);
  const tables: TableFrontend[][] = [];
  const health: HealthSpec[] = [];
  const ports = new Set<number>();
  services.forEach((svc, group) => {
    const candidates = backendsOf.get([svc.meta.namespace ?? 'default', svc.meta.name]) ?? [];
    const fes = serviceFrontends(cluster, lbIps, svc, candidates);
    tables.push(fes);
    const h = healthSpec(cluster, svc, fes, candidates, group);
    // healthserver.go addListener: a second service on the same port only logs "Listener already exists"
    if (h !== undefined && !ports.has(h.port)) {
      ports.add(h.port);
      health.push(h);
    }
  });
  return { tables, health };
}

/** A service's health-check node port server, when Cilium starts one (see {@link HealthSpec}). */
function healthSpec(cluster: Cluster, svc: Service, fes: readonly TableFrontend[], candidates: readonly Candidate[], group: number): HealthSpec | undefined {
  const cfg = cluster.config;
  const port = svc.healthCheckNodePort ?? 0;
  if (!cfg.kubeProxyReplacement || !cfg.enableHealthCheckNodePort || port <= 0 || svc.externalTrafficPolicy !== 'Local') return undefined;
  const external = fes.filter((f) => (f.type === 'LoadBalancer' || f.type === 'NodePort') && f.scope === 'external');
  if (external.length === 0) return undefined;
  const lbAddrs: IpAddress[] = [];
  for (const f of external) if (f.type === 'LoadBalancer' && !lbAddrs.some((a) => sameIp(a, f.address))) lbAddrs.push(f.address);
  const props = external[0]!.props;
  return { group, ref: props.ref, port, candidates, lbAddrs, ...(props.exposeOn !== undefined ? { exposeOn: props.exposeOn } : {}) };
}

/** Precompute phase: HostPort frontends per pod (pods by namespace then name), with kube-proxy replacement only. */
function hostPortGroups(cluster: Cluster): HostPortGroup[] {
  const hostPorts: HostPortGroup[] = [];
  if (!cluster.config.kubeProxyReplacement) return hostPorts;
  // only pods declaring a host port can yield frontends: sort those (not 100,000 pods)
  const pods = cluster.scenario.pods
    .filter(declaresHostPort)
    .sort((a, b) => compareStrings(a.meta.namespace ?? 'default', b.meta.namespace ?? 'default') || compareStrings(a.meta.name, b.meta.name));
  for (const pod of pods) {
    const fes = hostPortFrontends(cluster, pod);
    if (fes.length > 0 && pod.nodeName !== undefined) hostPorts.push({ nodeName: pod.nodeName, frontends: fes });
  }
  return hostPorts;
}

/**
 * Precompute phase: cluster-wide backend IDs from 1, in walk order (services, frontends, each
 * frontend's candidates; then HostPort groups), equal backends sharing one ID: each candidate's
 * `id` is set (the candidates are this precompute's own). Returns the last ID given (0 for none).
 */
function assignBackendIds(groups: readonly (readonly TableFrontend[])[]): number {
  const ids = new Map<FastKey, number>();
  for (const fes of groups) {
    for (const f of fes) {
      for (const c of f.candidates) {
        if (c.id !== undefined) continue;
        const key = backendKey(c.address, c.port, c.protocol);
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size + 1));
        c.id = id;
      }
    }
  }
  return ids.size;
}

/** The cluster-wide part of the LB maps, computed once per (cluster, LB IPAM result). */
function precompute(cluster: Cluster, ipam: LbIpamResult): Precomputed {
  const { tables: services, health } = serviceFrontendTables(cluster, ipam);
  const hostPorts = hostPortGroups(cluster);
  const lastId = assignBackendIds([...services, ...hostPorts.map((g) => g.frontends)]);
  const primary = new Set<FastKey>();
  for (const fes of services) for (const f of fes) if (!f.surrogate) primary.add(f.fkey);
  const healthIdBase = lastId + 1;
  const nodeIndex = new Map<string, number>();
  if (health.length > 0 && cluster.config.enableHealthCheckLoadBalancerIP) {
    const names = [...new Set(cluster.scenario.nodes.map((n) => n.meta.name))].sort(compareStrings);
    names.forEach((n, i) => nodeIndex.set(n, i));
  }
  return { services, health, healthIdBase, nodeIndex, hostPorts, maglevTables: new TupleMap(), primary };
}

/** A candidate's backend ID: the cluster-wide one, or a node-specific backend's fixed ID. */
function idOf(_pre: Precomputed, c: Candidate): number {
  return c.id ?? c.fixedId!;
}

/**
 * The backend ID of a health server's node address: after every other backend of the cluster,
 * numbered by (health server, node by name, family): `base + (k·N + node)·2 + (IPv6 ? 1 : 0)`.
 * Cilium numbers backends per node as it meets them; the model's IDs are the same on every run
 * (see docs/decisions.md, "Health-check node port server").
 */
function healthBackendId(pre: Precomputed, k: number, nodeName: string, family: 4 | 6): number {
  const n = pre.nodeIndex.get(nodeName) ?? pre.nodeIndex.size;
  return pre.healthIdBase + (k * (pre.nodeIndex.size + 1) + n) * 2 + (family === 6 ? 1 : 0);
}

/**
 * Per-node phase: the `<service>:healthserver` frontends of one health server on a node
 * (`enable-health-check-loadbalancer-ip`): `LB_IP:healthCheckNodePort/TCP`, type LoadBalancer,
 * both traffic policies Local, one backend: the node's first NodePort address of the family
 * (`0.0.0.0`/`::` when it has none) on the same port.
 */
function healthFrontends(s: NodeLbSettings, pre: Precomputed, h: HealthSpec, k: number): TableFrontend[] {
  const props: ServiceProps = {
    ref: { namespace: h.ref.namespace, name: `${h.ref.name}:healthserver` },
    etp: 'Local',
    itp: 'Local',
    sessionAffinity: false,
    timeout: 0,
    lbAlgBits: 0,
    sourceRanges: [],
    sourceRangeDeny: false,
    wildcardClass: false,
    ...(h.exposeOn !== undefined ? { exposeOn: h.exposeOn } : {}),
  };
  return h.lbAddrs.map((address) => {
    const fam = familyOf(address);
    // the node-addresses table's NodePort index lists addresses in address order: the lowest one
    const nodeAddr = s.nodePortAddrs.filter((a) => familyOf(a) === fam).sort(compareIp)[0] ?? ZERO[fam];
    const cand: Candidate = {
      address: nodeAddr,
      port: h.port,
      protocol: 'TCP',
      state: 'active',
      nodeName: s.nodeName,
      portNames: [],
      weight: 100,
      fixedId: healthBackendId(pre, k, s.nodeName, fam),
    };
    return {
      props,
      type: 'LoadBalancer' as const,
      address,
      port: h.port,
      protocol: 'TCP' as const,
      scope: 'external' as const,
      portName: '',
      servicePort: h.port,
      surrogate: false,
      expand: false,
      candidates: [cand],
      key: frontendKey(address, h.port, 'TCP', 'external'),
      fkey: frontendFastKey(frontendKey(address, h.port, 'TCP', 'external')),
    };
  });
}

/** Per-node phase: the node's health servers and the count of active node-local backends each reports. */
function healthServersOf(s: NodeLbSettings, pre: Precomputed): LbHealthServer[] {
  const out: LbHealthServer[] = [];
  for (const h of pre.health) {
    if (!exposedOn(h.exposeOn, s.nodeLabel)) continue;
    let local = 0;
    for (const c of h.candidates) if (c.state === 'active' && (c.nodeName === undefined || c.nodeName === s.nodeName)) local++;
    out.push({ port: h.port, service: h.ref, localEndpoints: local });
  }
  return out.sort((a, b) => a.port - b.port);
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
 * Internal: not exported from the stage's sub-path (the tests' uncached entry point); users ask
 * the twin.
 *
 * Phases (named functions of this module): the cluster-wide `precompute` (`serviceBackends`,
 * `serviceFrontendTables`, `hostPortGroups`, `assignBackendIds`), then per node `nodeLbSettings`,
 * `nodeFrontendGroups`, `frontendRow` per frontend and copy (`backendSlots`, `maglevOf`),
 * `wildcardRow`, and `orderedRows`/`backendRows` for the result.
 *
 * @example
 * ```ts
 * import { createTwin } from 'cilium-twin';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const maps = createTwin(cluster).maps('k8s-ctr'); // what nodeLbMaps(cluster, ipam, 'k8s-ctr') gives, memoised
 * maps?.frontends.find((f) => f.type === 'ClusterIP')?.flagNames; // ['ClusterIP', 'non-routable'] in the lab
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
 * import { lbMapsBuilder } from 'cilium-twin/datapath';
 * import { allocateLbIps } from 'cilium-twin/ipam';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const mapsOf = lbMapsBuilder(cluster, allocateLbIps(cluster));
 * mapsOf('k8s-ctr').frontends.length;
 * ```
 */
export function lbMapsBuilder(cluster: Cluster, ipam: LbIpamResult): (nodeName: string) => NodeLbMaps {
  const pre = precompute(cluster, ipam);
  return (nodeName) => withLocalRedirects(cluster, mapsOfNode(cluster, pre, nodeName));
}

/** What one node's maps depend on besides the table: its addresses and the LB settings. */
interface NodeLbSettings {
  readonly nodeName: string;
  readonly config: Cluster['config'];
  /** Addresses NodePort surrogates are copied to. */
  readonly nodePortAddrs: readonly IpAddress[];
  /** The node's own addresses (no wildcard row for them). */
  readonly localAddrs: readonly IpAddress[];
  readonly tableSize: number;
  readonly hashSeed: string;
  /** The resolved Maglev seed; undefined when Cilium refuses the size or seed (no tables). */
  readonly seed: MaglevSeed | undefined;
  readonly extClusterIP: boolean;
  readonly srcRangeAllTypes: boolean;
  readonly wildcards: boolean;
  /** The node's zone (topology-aware routing). */
  readonly zone?: string;
  /** The node's `service.cilium.io/node` label. */
  readonly nodeLabel?: string;
}

/** Per-node phase: the node's addresses and the LB settings, read once. */
function nodeLbSettings(cluster: Cluster, nodeName: string): NodeLbSettings {
  const cfg = cluster.config;
  const tableSize = cfg.maglevTableSize;
  const hashSeed = cfg.maglevHashSeed;
  // A table size or seed Cilium refuses (the agent would not start) leaves no Maglev tables.
  let seed: MaglevSeed | undefined;
  try {
    seed = maglevTableSizeError(tableSize) === undefined ? resolveMaglevSeed(hashSeed) : undefined;
  } catch {
    seed = undefined;
  }
  return {
    nodeName,
    config: cfg,
    nodePortAddrs: nodePortAddresses(cluster, nodeName),
    localAddrs: nodeLocalAddresses(cluster, nodeName),
    tableSize,
    hashSeed,
    seed,
    extClusterIP: cfg.lbExternalClusterIP,
    srcRangeAllTypes: cfg.lbSourceRangeAllTypes,
    wildcards: cfg.lbWildcardEntries,
    ...zoneSetting(cluster, nodeName),
    ...nodeExposureLabel(cluster, nodeName),
  };
}

/**
 * Per-node phase: the frontend groups (services, each followed by its `:healthserver` frontends
 * when `enable-health-check-loadbalancer-ip` is on, then this node's HostPorts) and the primary keys.
 */
function nodeFrontendGroups(s: NodeLbSettings, pre: Precomputed, nodeName: string): { groups: (readonly TableFrontend[])[]; primary: (k: FastKey) => boolean } {
  let groups: (readonly TableFrontend[])[] = [...pre.services];
  const own = new Set<FastKey>();
  if (s.config.enableHealthCheckLoadBalancerIP && pre.health.length > 0) {
    const after = new Map<number, TableFrontend[]>();
    pre.health.forEach((h, k) => {
      const fes = healthFrontends(s, pre, h, k);
      if (fes.length === 0) return;
      after.set(h.group, fes);
      for (const f of fes) own.add(f.fkey);
    });
    groups = pre.services.flatMap((g, i) => {
      const extra = after.get(i);
      return extra === undefined ? [g] : [g, extra];
    });
  }
  for (const g of pre.hostPorts) {
    if (g.nodeName !== nodeName) continue;
    groups.push(g.frontends);
    for (const f of g.frontends) if (!f.surrogate) own.add(f.fkey);
  }
  return { groups, primary: (k) => pre.primary.has(k) || own.has(k) };
}

/** A frontend's backend slots on a node: eTP/iTP Local filtering, count/qcount with the terminating fallback. */
function backendSlots(f: TableFrontend, nodeName: string, zone?: string): { selected: Candidate[]; slots: Candidate[]; active: number; inactive: number } {
  const local = onlyLocal(f);
  const selected = f.candidates.filter(
    (c) => (!local || c.nodeName === undefined || c.nodeName === nodeName) && (f.props.preferClose !== true || inZone(c.forZones, zone)),
  );
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
  return { selected, slots, active, inactive };
}

/** Whether Cilium builds a Maglev table for a frontend (annotation, then the cluster's algorithm). */
function usesMaglev(s: NodeLbSettings, f: TableFrontend, surrogate: boolean): boolean {
  if (surrogate) return false;
  if (f.props.lbAlgBits !== 0) return f.props.lbAlgBits === 2;
  if (s.config.lbAlgorithm !== 'maglev') return false;
  return !(f.type === 'ClusterIP' && !s.extClusterIP);
}

/** The Maglev table of a set of active backends, shared through the precomputed cache. */
function maglevOf(s: NodeLbSettings, pre: Precomputed, backends: readonly Candidate[]): Uint32Array | undefined {
  if (s.seed === undefined || backends.length === 0) return undefined;
  const seed = s.seed;
  const ids = backends.map((c) => idOf(pre, c));
  return pre.maglevTables.getOrSet(ids, () =>
    maglevTable(
      backends.map((c, i) => ({ id: ids[i]!, address: c.address, port: c.port, protocol: c.protocol, weight: c.weight })),
      { tableSize: s.tableSize, hashSeed: seed },
    ),
  );
}

/** Per-node phase: one frontends-map row (a table frontend at `address`, or its node-address copy). */
function frontendRow(
  s: NodeLbSettings,
  pre: Precomputed,
  f: TableFrontend,
  address: IpAddress,
  copy: boolean,
  id: number,
  usedBackends: (Candidate | undefined)[],
): LbFrontend {
  const cfg = s.config;
  const surrogate = address.value === 0n;
  const routable = !surrogate && (f.type !== 'ClusterIP' || s.extClusterIP);
  const checkSourceRange = f.props.sourceRanges.length > 0 && (s.srcRangeAllTypes || f.type === 'LoadBalancer');
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
    loopback: f.props.loopback === true,
  };
  const flags = lbFlags(params);
  // the slots' flags leave the source-range bits out (the same word when there are none)
  const slotFlags = checkSourceRange ? lbFlags({ ...params, checkSourceRange: false, sourceRangeDeny: false }) : flags;
  const { selected, slots, active, inactive } = backendSlots(f, s.nodeName, s.zone);
  for (const c of selected) usedBackends[idOf(pre, c)] = c;
  const maglev = usesMaglev(s, f, surrogate) ? maglevOf(s, pre, slots.slice(0, active)) : undefined;
  const ids = new Array<number>(slots.length);
  for (let i = 0; i < slots.length; i++) ids[i] = idOf(pre, slots[i]!);
  const row: { -readonly [K in keyof LbFrontend]: LbFrontend[K] } = {
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
    backendIds: ids,
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
  };
  if (maglev !== undefined) row.maglev = maglev; // last, as the spread put it
  return row;
}

/** Whether a frontend gets a wildcard (protocol ANY, port 0) row: bpf-lb-enable-wildcard-entries. */
function wantsWildcard(s: NodeLbSettings, f: TableFrontend): boolean {
  return (
    s.wildcards &&
    !f.surrogate &&
    (f.type === 'ClusterIP' || f.type === 'LoadBalancer') &&
    f.props.wildcardClass &&
    !s.localAddrs.some((a) => sameIp(a, f.address))
  );
}

/** The wildcard row of a frontend's address and scope (no backends, plain flags). */
function wildcardRow(fe: LbFrontend): LbFrontend {
  const wflags = lbFlags({
    type: fe.type,
    extLocal: false,
    intLocal: false,
    sessionAffinity: false,
    routable: false,
    checkSourceRange: false,
    sourceRangeDeny: false,
    dsr: false,
  });
  const { maglev: _unused, ...rest } = fe;
  return {
    ...rest,
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
  };
}

/** Result phase: the backend rows a node's frontends reference, by ID. */
function backendRows(usedBackends: readonly (Candidate | undefined)[]): LbBackend[] {
  const out: LbBackend[] = [];
  for (let id = 0; id < usedBackends.length; id++) {
    const c = usedBackends[id];
    if (c !== undefined) out.push(backendRow(id, c));
  }
  return out;
}

/** A backend row (fields in the same order whatever is present: one object literal per case). */
function backendRow(id: number, c: Candidate): LbBackend {
  const { address, port, protocol, state, nodeName, pod, portNames, weight } = c;
  const row: { -readonly [K in keyof LbBackend]: LbBackend[K] } =
    nodeName !== undefined
      ? pod !== undefined
        ? { id, address, port, protocol, state, nodeName, pod, portNames, weight }
        : { id, address, port, protocol, state, nodeName, portNames, weight }
      : pod !== undefined
        ? { id, address, port, protocol, state, pod, portNames, weight }
        : { id, address, port, protocol, state, portNames, weight };
  if (c.clusterId !== undefined) row.clusterId = c.clusterId;
  return row;
}

/** Result phase: the frontend rows (wildcards included) in map key order. */
function orderedRows(rows: readonly { readonly f: LbFrontend; readonly k: FrontendTuple }[]): LbFrontend[] {
  return [...rows].sort((a, b) => compareFrontendKeys(a.k, b.k)).map((x) => x.f);
}

function mapsOfNode(cluster: Cluster, pre: Precomputed, nodeName: string): NodeLbMaps {
  const s = nodeLbSettings(cluster, nodeName);
  const { groups, primary } = nodeFrontendGroups(s, pre, nodeName);
  const rows: { f: LbFrontend; k: FrontendTuple }[] = [];
  const usedBackends: (Candidate | undefined)[] = []; // by backend ID (the last candidate set wins, as a Map's set)
  const wildcardRows = new Map<FastKey, LbFrontend>(); // by (address, scope)
  let nextId = 1;
  // A key already taken on this node (two pods pinned to it with the same host port): the
  // writer refuses the second service's frontend (`UpsertServiceAndFrontends`: owned by another
  // service); the first in group order keeps it.
  const taken = new Set<FastKey>();
  for (const fes of groups) {
    for (const f of fes) {
      if (!exposedOn(f.props.exposeOn, s.nodeLabel)) continue;
      if (taken.has(f.fkey)) continue;
      taken.add(f.fkey);
      const fe = frontendRow(s, pre, f, f.address, false, nextId++, usedBackends);
      rows.push({ f: fe, k: f.key });
      if (f.expand) {
        for (const addr of s.nodePortAddrs) {
          if (addr.bitSize !== f.address.bitSize) continue;
          const key = frontendKey(addr, f.port, f.protocol, f.scope);
          const fkey = frontendFastKey(key);
          if (primary(fkey) || taken.has(fkey)) continue;
          taken.add(fkey);
          rows.push({ f: frontendRow(s, pre, f, addr, true, nextId++, usedBackends), k: key });
        }
      }
      if (wantsWildcard(s, f)) {
        const wkey = fastKey(f.address.bitSize, f.address.value, 0, 'ANY', f.scope);
        if (!wildcardRows.has(wkey)) wildcardRows.set(wkey, wildcardRow(fe));
      }
    }
  }
  const frontends = rows.map((r) => r.f);
  const revNat: LbRevNatEntry[] = frontends.map((f) => ({ id: f.id, address: f.address, port: f.port }));
  const sourceRanges: LbSourceRangeEntry[] = frontends.flatMap((f) => f.sourceRanges.map((prefix) => ({ id: f.id, prefix })));
  for (const w of wildcardRows.values()) rows.push({ f: w, k: frontendKey(w.address, 0, 'ANY', w.scope) });
  const healthServers = pre.health.length > 0 ? healthServersOf(s, pre) : [];
  return {
    node: nodeName,
    frontends: orderedRows(rows),
    backends: backendRows(usedBackends),
    revNat: revNat.sort((a, b) => a.id - b.id),
    sourceRanges,
    maglevTableSize: s.tableSize,
    maglevHashSeed: s.hashSeed,
    ...(healthServers.length > 0 ? { healthServers } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// One address of one node (entry6): a trace reads the frontends at the address it is sent to
// ---------------------------------------------------------------------------------------------

/**
 * One node's frontend rows at one address, equal to the rows of its whole maps at that address
 * (wildcard rows included, in map key order), with the backend rows they name by ID.
 *
 * @example
 * ```ts
 * import type { LbAddressRows } from 'cilium-twin/datapath';
 * declare const rows: LbAddressRows;
 * rows.frontends.map((f) => f.backendIds.map((id) => rows.backends.get(id)?.address.toString()));
 * ```
 */
export interface LbAddressRows {
  /** The frontend rows at the address, in map key order (`[]`: the address holds none on the node). */
  readonly frontends: readonly LbFrontend[];
  /** The backend rows the frontends name, by ID. */
  readonly backends: ReadonlyMap<number, LbBackend>;
}

/**
 * What numbering one service's rows needs, for the whole cluster (built once, no backend
 * objects): every service's table frontends without candidates, the services holding a
 * frontend at each address, the primary keys, and per service the backend keys it numbers first.
 */
interface AddressIndex {
  readonly services: readonly Service[];
  readonly lbIps: TupleMap<ServiceTuple, readonly IpAddress[]>;
  /** Each service's table frontends (no candidates), in the walk's order. */
  readonly tables: readonly (readonly TableFrontend[])[];
  /** Position of a service's first table frontend in the flat list of every service's. */
  readonly offsets: Int32Array;
  /** Services (ascending) holding a non-surrogate frontend at an address. */
  readonly byAddress: ReadonlyMap<WireAddr, readonly number[]>;
  /** {@link Precomputed.primary}. */
  readonly primary: ReadonlySet<FastKey>;
  readonly hostPorts: readonly HostPortGroup[];
  /** The last backend ID given before a service's own (`assignBackendIds` numbers its new keys from the next). */
  readonly idsBefore: Int32Array;
  /** How many backend keys a service numbers (those no earlier service used). */
  readonly idCount: Int32Array;
  /** Services using a backend key another service or a HostPort also uses (their rows are read from the whole maps). */
  readonly shared: ReadonlySet<number>;
  /** Each service's EndpointSlices, in cluster order. */
  readonly slices: readonly (readonly EndpointSlice[])[];
}

/** An address as the packet walk keys it (IPv4 as a number, IPv6 as a bigint). */
function wireOf(a: IpAddress): WireAddr {
  return isIPv4(a) ? Number(a.value) : a.value;
}

/** The (protocol, family, port name) selections of a service's table frontends (`attachCandidates`' filter). */
function selectionsOf(fes: readonly TableFrontend[]): { protocol: string; bits: number; portName: string }[] {
  const out: { protocol: string; bits: number; portName: string }[] = [];
  for (const f of fes) {
    if (!out.some((x) => x.protocol === f.protocol && x.bits === f.address.bitSize && x.portName === f.portName)) {
      out.push({ protocol: f.protocol, bits: f.address.bitSize, portName: f.portName });
    }
  }
  return out;
}

/**
 * The cluster-wide {@link AddressIndex}, or `undefined` when rows are always read from the whole
 * maps: a cluster mesh (remote backends), local redirect policies (they renumber the node's
 * rows), health-server frontends at LB IPs (groups of their own), or two services of one name.
 * O(F log F + E): every service's table frontends, then one pass over the EndpointSlices keying
 * each selected backend (no candidate object).
 */
function addressIndex(cluster: Cluster, ipam: LbIpamResult): AddressIndex | undefined {
  if (cluster.mesh !== undefined) return undefined;
  if ((cluster.scenario.localRedirectPolicies ?? []).length > 0 && cluster.config.enableLocalRedirectPolicy) return undefined;
  const lbIps = lbIpsOf(ipam);
  const services = servicesInOrder(cluster);
  const tables: TableFrontend[][] = [];
  const offsets = new Int32Array(services.length + 1);
  const byAddress = new Map<WireAddr, number[]>();
  const primary = new Set<FastKey>();
  const groupOf = new Map<string, Map<string, number>>(); // namespace -> name -> service
  let flat = 0;
  let health = false;
  let duplicate = false;
  for (let g = 0; g < services.length; g++) {
    const svc = services[g]!;
    const ns = svc.meta.namespace ?? 'default';
    let names = groupOf.get(ns);
    if (names === undefined) groupOf.set(ns, (names = new Map()));
    if (names.has(svc.meta.name)) duplicate = true;
    names.set(svc.meta.name, g);
    const fes = serviceFrontends(cluster, lbIps, svc, []);
    tables.push(fes);
    offsets[g] = flat;
    flat += fes.length;
    for (const f of fes) {
      if (f.surrogate) continue;
      primary.add(f.fkey);
      const a = wireOf(f.address);
      const list = byAddress.get(a);
      if (list === undefined) byAddress.set(a, [g]);
      else if (list[list.length - 1] !== g) list.push(g);
    }
    if (!health && healthSpec(cluster, svc, fes, [], g) !== undefined) health = true;
  }
  offsets[services.length] = flat;
  if (duplicate || (health && cluster.config.enableHealthCheckLoadBalancerIP)) return undefined;
  // backend keys: the first service (in walk order) that selects a key numbers it
  const sels = tables.map(selectionsOf);
  const firstOf = new Map<FastKey, number>(); // key -> service * 2 + (used by another too)
  const shared = new Set<number>();
  const slices: EndpointSlice[][] = services.map(() => []);
  const en4 = cluster.config.enableIPv4;
  const en6 = cluster.config.enableIPv6;
  for (const slice of cluster.endpointSlices) {
    if (slice.addressType === 'FQDN') continue;
    const g = groupOf.get(slice.meta.namespace ?? 'default')?.get(slice.serviceName);
    if (g === undefined) continue;
    slices[g]!.push(slice);
    const sel = sels[g]!;
    if (sel.length === 0) continue;
    // which of the slice's ports a frontend of the service selects, per family (once per slice)
    const ports = slice.ports;
    const selects = (p: (typeof ports)[number], bits: number): boolean =>
      sel.some((x) => x.protocol === p.protocol && x.bits === bits && (x.portName === '' || x.portName === (p.name ?? '')));
    const use4 = en4 ? ports.map((p) => selects(p, 32)) : [];
    const use6 = en6 ? ports.map((p) => selects(p, 128)) : [];
    if (!use4.includes(true) && !use6.includes(true)) continue;
    for (const ep of slice.endpoints) {
      for (const address of ep.addresses) {
        const use = address.bitSize === 32 ? use4 : use6;
        if (use.length === 0) continue;
        for (let pi = 0; pi < ports.length; pi++) {
          if (use[pi] !== true) continue;
          const p = ports[pi]!;
          const key = backendKey(address, p.port, p.protocol);
          const v = firstOf.get(key);
          if (v === undefined) firstOf.set(key, g * 2);
          else {
            const o = Math.floor(v / 2);
            if (o !== g) {
              shared.add(o);
              shared.add(g);
              firstOf.set(key, Math.min(o, g) * 2 + 1);
            }
          }
        }
      }
    }
  }
  const hostPorts = hostPortGroups(cluster);
  for (const hp of hostPorts) {
    for (const f of hp.frontends) {
      for (const c of f.candidates) {
        const v = firstOf.get(backendKey(c.address, c.port, c.protocol));
        if (v !== undefined) shared.add(Math.floor(v / 2));
      }
    }
  }
  const idCount = new Int32Array(services.length);
  for (const v of firstOf.values()) idCount[Math.floor(v / 2)]!++;
  const idsBefore = new Int32Array(services.length);
  for (let g = 1; g < services.length; g++) idsBefore[g] = idsBefore[g - 1]! + idCount[g - 1]!;
  return { services, lbIps, tables, offsets, byAddress, primary, hostPorts, idsBefore, idCount, shared, slices };
}

/**
 * One service's table frontends with their candidates, backend IDs as `assignBackendIds` gives
 * them (the service shares no backend key, so each of its keys is numbered here, from
 * `idsBefore + 1`); `undefined` if the count disagrees with the index (never: a guard).
 */
function serviceDetail(cluster: Cluster, ix: AddressIndex, g: number): TableFrontend[] | undefined {
  const merged = new Map<FastKey, Candidate>();
  for (const slice of ix.slices[g]!) addSlice(cluster, slice, merged);
  const fes = serviceFrontends(cluster, ix.lbIps, ix.services[g]!, slotOrder(merged));
  const ids = new Map<FastKey, number>();
  const base = ix.idsBefore[g]!;
  for (const f of fes) {
    for (const c of f.candidates) {
      if (c.id !== undefined) continue;
      const key = backendKey(c.address, c.port, c.protocol);
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = base + ids.size + 1));
      c.id = id;
    }
  }
  return ids.size === ix.idCount[g] && fes.length === ix.tables[g]!.length ? fes : undefined;
}

/** What one node's rows at an address need: its settings, each table frontend's rev-NAT ID (0: no row), and the addresses read from the whole maps. */
interface NodeIds {
  readonly s: NodeLbSettings;
  readonly ids: Int32Array;
  readonly whole: ReadonlySet<WireAddr>;
}

/**
 * `mapsOfNode`'s numbering without its rows: the rev-NAT ID of every table frontend on the node
 * (the same walk: services in order, exposure, keys taken, NodePort copies counted). Addresses
 * of NodePort copies, surrogates and this node's HostPorts are left to the whole maps. O(F).
 */
function nodeIds(cluster: Cluster, ix: AddressIndex, nodeName: string): NodeIds {
  const s = nodeLbSettings(cluster, nodeName);
  const own = new Set<FastKey>();
  const whole = new Set<WireAddr>([0, 0n]);
  for (const a of s.nodePortAddrs) whole.add(wireOf(a));
  for (const g of ix.hostPorts) {
    if (g.nodeName !== nodeName) continue;
    for (const f of g.frontends) {
      whole.add(wireOf(f.address));
      if (!f.surrogate) own.add(f.fkey);
    }
  }
  const ids = new Int32Array(ix.offsets[ix.tables.length]!);
  const taken = new Set<FastKey>();
  let nextId = 1;
  let at = 0;
  for (const fes of ix.tables) {
    for (const f of fes) {
      const i = at++;
      if (!exposedOn(f.props.exposeOn, s.nodeLabel)) continue;
      if (taken.has(f.fkey)) continue;
      taken.add(f.fkey);
      ids[i] = nextId++;
      if (!f.expand) continue;
      for (const addr of s.nodePortAddrs) {
        if (addr.bitSize !== f.address.bitSize) continue;
        const fkey = frontendFastKey(frontendKey(addr, f.port, f.protocol, f.scope));
        if (ix.primary.has(fkey) || own.has(fkey) || taken.has(fkey)) continue;
        taken.add(fkey);
        nextId++;
      }
    }
  }
  return { s, ids, whole };
}

const NO_ROWS: LbAddressRows = { frontends: [], backends: new Map() };

/**
 * One node's frontend rows at one address without building the node's whole maps (what a
 * trace needs: the frontend it is sent to), equal to the whole maps' rows at the address. The
 * returned function answers `undefined` when the rows must be read from the whole maps
 * ({@link lbMapsBuilder}): a NodePort copy's or HostPort's address on the node, a surrogate,
 * a service sharing a backend with another, or a cluster the index leaves out (see
 * `addressIndex`: mesh, local redirects, health-server frontends at LB IPs).
 *
 * Complexity: the first call O(F log F + E) for the cluster-wide index (services' table
 * frontends, each selected backend keyed once; no candidate objects, no rows); the first call
 * on a node O(F) to number its frontends; then per address O(its services' frontends and
 * backends) (each service's candidates built once).
 *
 * @example
 * ```ts
 * import { lbRowsBuilder } from 'cilium-twin/datapath';
 * import { allocateLbIps } from 'cilium-twin/ipam';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const rowsAt = lbRowsBuilder(cluster, allocateLbIps(cluster));
 * rowsAt('node-12', 0xac100001)?.frontends[0]?.id; // the rev-NAT ID node-12's whole maps give
 * ```
 */
export function lbRowsBuilder(cluster: Cluster, ipam: LbIpamResult): (nodeName: string, address: WireAddr) => LbAddressRows | undefined {
  let ix: AddressIndex | undefined | null = null;
  const nodes = new Map<string, NodeIds>();
  const details = new Map<number, TableFrontend[] | undefined>();
  const maglevTables = new TupleMap<readonly number[], Uint32Array>();
  return (nodeName, address) => {
    if (ix === null) ix = addressIndex(cluster, ipam);
    if (ix === undefined) return undefined;
    const index = ix;
    let n = nodes.get(nodeName);
    if (n === undefined) nodes.set(nodeName, (n = nodeIds(cluster, index, nodeName)));
    if (n.whole.has(address)) return undefined;
    const groups = index.byAddress.get(address);
    if (groups === undefined) return NO_ROWS;
    if (groups.some((g) => index.shared.has(g))) return undefined;
    const pre: Precomputed = { services: [], health: [], healthIdBase: 0, nodeIndex: new Map(), hostPorts: [], maglevTables, primary: index.primary };
    const rows: { f: LbFrontend; k: FrontendTuple }[] = [];
    const used: (Candidate | undefined)[] = [];
    const wildcardRows = new Map<FastKey, LbFrontend>();
    for (const g of groups) {
      if (!details.has(g)) details.set(g, serviceDetail(cluster, index, g));
      const fes = details.get(g);
      if (fes === undefined) return undefined;
      let at = index.offsets[g]!;
      for (const f of fes) {
        const id = n.ids[at++]!;
        if (id === 0 || f.surrogate || wireOf(f.address) !== address) continue;
        const fe = frontendRow(n.s, pre, f, f.address, false, id, used);
        rows.push({ f: fe, k: f.key });
        if (wantsWildcard(n.s, f)) {
          const wkey = fastKey(f.address.bitSize, f.address.value, 0, 'ANY', f.scope);
          if (!wildcardRows.has(wkey)) wildcardRows.set(wkey, wildcardRow(fe));
        }
      }
    }
    for (const w of wildcardRows.values()) rows.push({ f: w, k: frontendKey(w.address, 0, 'ANY', w.scope) });
    const frontends = orderedRows(rows);
    const backends = new Map<number, LbBackend>();
    for (const f of frontends) {
      for (const id of f.backendIds) {
        const c = used[id];
        if (c !== undefined && !backends.has(id)) backends.set(id, backendRow(id, c));
      }
    }
    return { frontends, backends };
  };
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
  return indexOf(maps).byKey.get(fastKey(address.bitSize, address.value, port, protocol, scope));
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
  readonly byKey: Map<FastKey, LbFrontend>;
  readonly byId: Map<number, LbFrontend>;
  readonly backends: Map<number, LbBackend>;
}

const indexes = new WeakMap<NodeLbMaps, MapsIndex>();

function indexOf(maps: NodeLbMaps): MapsIndex {
  let idx = indexes.get(maps);
  if (idx === undefined) {
    idx = { byKey: new Map(), byId: new Map(), backends: new Map() };
    for (const f of maps.frontends) {
      idx.byKey.set(fastKey(f.address.bitSize, f.address.value, f.port, f.protocol, f.scope), f);
      if (!f.wildcard) idx.byId.set(f.id, f);
    }
    for (const b of maps.backends) idx.backends.set(b.id, b);
    indexes.set(maps, idx);
  }
  return idx;
}
