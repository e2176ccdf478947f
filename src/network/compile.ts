/**
 * `compileNetwork(cluster)`: the composition of every stage, computed once — LB IPAM, the hosts'
 * base routing tables, the BGP network (Cilium's speakers with IPAM's LB IPs and the base
 * tables' source addresses, FRR routers, sessions, the routes zebra installs; the BGP stage's
 * memoised `bgpNetworkOf`), the final tables (`withInstalledRoutes`), each node's LB maps,
 * identities and endpoints — and the packet walk's compiled view of it all.
 *
 * Cost follows the question (issue 10): a node's frontends are compiled when a packet first
 * reaches the node, and pods are handed to `buildNetwork` as a {@link PodCatalog} (indexed up
 * front, each pod's spec built when the walk meets it), so one trace through a 5,000-node,
 * 100,000-pod cluster builds the specs of the pods it meets, not 100,000. Every host's
 * addresses are read up front from its links (`hostShape` through
 * {@link NetworkInputs.hostShape}), never by building its routing table: a host's routes are
 * read when the walk first routes through it. A node's frontends at an address find their
 * backends by one scan of the node's backends for the first few addresses looked up (O(B) each),
 * then through one index of them all. With {@link NetworkInputs.lbRowsAt} (the twin's) a node's
 * frontends at an address are built alone, without the node's whole LB maps (O(F) once per node
 * reached, then the address's services), and pod identities are answered one pod at a time. A
 * host's routes are compiled from its kernel routes directly (no text formatted and parsed back).
 *
 * @module
 */
import type { BgpSpeaker } from '../bgp/speaker.js';
import { bgpNetworkOf } from '../bgp/network/pipeline.js';
import type { BgpNetworkResult } from '../bgp/network/types.js';
import type { Cluster } from '../cluster/types.js';
import { clusterIndexes } from '../cluster/indexes.js';
import { podMac } from '../datapath/endpoints/endpoints.js';
import { podIdentities } from '../datapath/endpoints/identity.js';
import { PolicyEngine } from '../policy/resolve.js';
import { ingressState } from '../ingress/controller.js';
import type { IngressState } from '../ingress/types.js';
import { type IngressDatapath, ingressDatapath } from './ingress.js';
import { lbMapsBuilder, type LbAddressRows } from '../datapath/lb/maps.js';
import type { LbBackend, LbFrontend, NodeLbMaps } from '../datapath/lb/types.js';
import { baseRoutingTables, ciliumHostAddress, nodeAddress, nodePodCidrs, type HostShape } from '../fib/base.js';
import { withInstalledRoutes } from '../fib/install.js';
import type { KernelRoute, RoutingTable } from '../fib/types.js';
import type { Host, Pod } from '../input/types.js';
import { allocateLbIps } from '../ipam/allocate.js';
import type { LbIpamResult } from '../ipam/types.js';
import { maglevSeeds } from '../datapath/maglev/config.js';
import { buildNetwork } from './build.js';
import type { WireAddr } from '../net/wire.js';
import { egressDatapath } from '../egress/datapath.js';
import { allocatedEgressAddresses } from '../egress/gateway.js';
import { l2Announcements } from '../l2/announce.js';
import { formatIp, formatPrefix, inPrefix, ipv4ToU32, isIPv4, isIPv4Prefix, networkValue, parsePrefix4, prefixLength, type IpAddress } from '../net/addr.js';
import type { BackendSpec, DatapathConfig, FibRoute, FrontendIndex, FrontendSpec, HealthServerSpec, HostSpec, L2ResponderSpec, Network, NodeSpec, PodCatalog, PodSpec, RouteSpec } from './types.js';

/**
 * A compiled network with the outputs of the stages it was composed from, for the commands
 * that print them.
 *
 * @example
 * ```ts
 * const net = compileNetwork(cluster);
 * net.tables.get('router')?.main.length;
 * net.lbMaps.get('k8s-ctr')?.frontends.length;
 * ```
 */
export interface CompiledNetwork extends Network {
  /** The cluster it was compiled from. */
  readonly cluster: Cluster;
  /** LB IPAM's allocations. */
  readonly ipam: LbIpamResult;
  /** Routing tables before BGP. */
  readonly baseTables: ReadonlyMap<string, RoutingTable>;
  /** Every BGP speaker (FRR routers and Cilium nodes). */
  readonly speakers: readonly BgpSpeaker[];
  /** The BGP network: sessions, RIBs, what zebra installs. */
  readonly bgp: BgpNetworkResult;
  /** Routes installed by routing daemons (zebra), per host. */
  readonly installed: ReadonlyMap<string, readonly KernelRoute[]>;
  /** Final routing tables (base plus installed). */
  readonly tables: ReadonlyMap<string, RoutingTable>;
  /** LB maps of every Cilium node. */
  readonly lbMaps: ReadonlyMap<string, NodeLbMaps>;
  /** Pod identities (`namespace/name` → ID). */
  readonly identities: ReadonlyMap<string, number>;
}

/**
 * What a compiled network is composed from: the outputs of the stages before it. The maps may be
 * lazy (the twin passes `LazyMap`s): a node's LB maps are read the first time a
 * packet reaches that node (or `spec.nodes[i].frontends` is read), never before.
 *
 * @example
 * ```ts
 * const inputs: NetworkInputs = { cluster, ipam, baseTables, bgp, tables, lbMaps, identities };
 * compileNetworkFrom(inputs).nodes.size;
 * ```
 */
export interface NetworkInputs {
  /** The cluster. */
  readonly cluster: Cluster;
  /** LB IPAM's allocations. */
  readonly ipam: LbIpamResult;
  /** Routing tables before BGP, by host. */
  readonly baseTables: ReadonlyMap<string, RoutingTable>;
  /** The BGP network. */
  readonly bgp: BgpNetworkResult;
  /** Final routing tables by host (base plus what zebra installs). */
  readonly tables: ReadonlyMap<string, RoutingTable>;
  /** LB maps by Cilium node (read lazily, one node at a time). */
  readonly lbMaps: ReadonlyMap<string, NodeLbMaps>;
  /** Pod identities (`namespace/name` → ID). */
  readonly identities: ReadonlyMap<string, number>;
  /** The ingress stage's state (computed from the cluster when absent). */
  readonly ingress?: IngressState;
  /**
   * Cluster mesh: the inputs of the connected clusters, whose hosts, nodes (with their own LB
   * maps) and pods join the network after this cluster's (a host of the same name is taken from
   * this cluster; a remote pod never hides a local pod of the same namespace and name).
   */
  readonly remotes?: readonly NetworkInputs[];
  /** The policy engine (the twin's); a new one over the cluster when absent. */
  readonly policy?: PolicyEngine;
  /**
   * One node's frontend rows at one address, equal to its LB maps' rows there (the twin's:
   * `lbRowsBuilder` of the datapath stage), or `undefined` to read them from `lbMaps`: a trace
   * looks up the address it is sent to without building the node's whole maps. Absent: always
   * `lbMaps`.
   */
  readonly lbRowsAt?: (node: string, address: WireAddr) => LbAddressRows | undefined;
  /**
   * A host's table without its routes (links, sysctl; `hostShape` of the FIB stage), equal to
   * what `tables` gives: the walk needs every host's addresses up front but only the routes of
   * the hosts a packet routes through, so a host's table is not built to read its addresses
   * (the twin's: the base table's when built, else the shape alone). Absent: read from `tables`.
   */
  readonly hostShape?: (host: string) => HostShape | undefined;
}

/** The hosts, nodes and pods of one cluster's inputs, as the walk's specs (pods as a lazy source). */
function partsOf(inputs: NetworkInputs, extra: readonly { node: string; dev: string; ip: string }[]): { hosts: HostSpec[]; nodes: NodeSpec[]; pods: PodSource } {
  const { cluster, tables, lbMaps, identities } = inputs;
  const nodeNames = cluster.scenario.nodes.map((n) => n.meta.name).sort();
  const v6 = cluster.config.enableIPv6; // v6walk: the IPv6 side joins the walk when Cilium runs IPv6
  return {
    hosts: cluster.hosts.flatMap((h) => {
      const name = h.meta.name;
      if (!tables.has(name)) return [];
      const shape = inputs.hostShape?.(name) ?? tables.get(name);
      return shape ? [withEgressAddresses(hostSpec(h, shape, () => tables.get(name)?.main ?? [], v6), extra)] : [];
    }),
    nodes: nodeNames.flatMap((n) => (lbMaps.has(n) && tables.has(n) ? [lazyNodeSpec(cluster, n, lbMaps, v6, inputs.lbRowsAt)] : [])),
    pods: podSource(cluster, identities),
  };
}

/**
 * Compiles the packet walk's view of the stages' outputs. A node's frontends (its LB maps) are
 * compiled the first time the walk asks for that node's services, so a trace through two nodes
 * builds two nodes' maps. Pure from outside: the answer never depends on what was asked before.
 *
 * Complexity: O(hosts' routes + nodes + P) up front, where the P pods are only indexed (key,
 * node, first IPv4 address: no text formatted, no spec built); O(1) per pod the walk meets
 * (its spec and compiled form, built once); O(node's frontends and backends) per node reached.
 * `spec.pods` builds every pod's spec only if something reads it.
 *
 * @example
 * ```ts
 * const net = compileNetworkFrom({ cluster, ipam, baseTables, bgp, tables, lbMaps, identities });
 * trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 }).verdict; // 'FORWARDED'
 * ```
 */
export function compileNetworkFrom(inputs: NetworkInputs): CompiledNetwork {
  const { cluster, tables, lbMaps, identities } = inputs;
  const egress = egressDatapath(cluster);
  const extra = allocatedEgressAddresses(egress.state);
  const own = partsOf(inputs, extra);
  const hosts = own.hosts;
  const nodes = own.nodes;
  const sources = [own.pods];
  const podPolicies = new Map<string, PolicyEngine>();
  if (inputs.remotes !== undefined && inputs.remotes.length > 0) {
    const names = new Set(hosts.map((h) => h.name));
    const podKeys = new Set(own.pods.keys);
    for (const r of inputs.remotes) {
      const parts = partsOf(r, []);
      for (const h of parts.hosts) if (!names.has(h.name)) (names.add(h.name), hosts.push(h));
      nodes.push(...parts.nodes.filter((n) => !nodes.some((x) => x.name === n.name)));
      sources.push(parts.pods);
      // the remote cluster's own policies guard its pods (a pod hidden by a same-named one is not walked)
      const engine = r.policy ?? new PolicyEngine(r.cluster);
      for (const k of parts.pods.keys) if (!podKeys.has(k)) (podKeys.add(k), podPolicies.set(k, engine));
    }
  }
  const podCatalog = catalogOf(sources);
  let pods: PodSpec[] | undefined;
  const spec = {
    config: datapathConfig(cluster),
    hosts,
    nodes,
    // every pod's spec only when something reads the list (the walk reads the catalog)
    get pods(): readonly PodSpec[] {
      if (pods === undefined) {
        pods = [];
        for (let i = 0; i < podCatalog.size; i++) pods.push(podCatalog.spec(i));
      }
      return pods;
    },
    ...l2ResponderSpecs(cluster, inputs.ipam),
  };
  // not enumerable: a spec derived by spreading (`{ ...net.spec, pods }`) compiles its own pods
  withHidden(spec, 'podCatalog', podCatalog);
  return {
    ...buildNetwork(spec),
    egress,
    cluster,
    ipam: inputs.ipam,
    baseTables: inputs.baseTables,
    speakers: inputs.bgp.speakers,
    bgp: inputs.bgp,
    installed: inputs.bgp.installed,
    tables,
    lbMaps,
    identities,
    policy: inputs.policy ?? new PolicyEngine(cluster),
    ...(podPolicies.size > 0 ? { podPolicies } : {}),
    ...ingressOf(inputs),
  };
}

function ingressOf(inputs: NetworkInputs): { ingress?: IngressDatapath } {
  const d = ingressDatapath(inputs.cluster, inputs.ingress ?? ingressState(inputs.cluster), inputs.ipam);
  return d === undefined ? {} : { ingress: d };
}

/**
 * Composes every stage for a cluster and compiles the packet walk's view.
 * Internal: not exported from the stage's sub-path (the tests' uncached entry point); users ask
 * the twin.
 *
 * @deprecated Recomputes every stage on each call. Use the twin: `createTwin(cluster).network()`
 * (or `loadScenario(files)`), which memoises each stage once per scenario.
 *
 * @example
 * ```ts
 * const net = compileNetwork(loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']));
 * trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 }).verdict; // 'FORWARDED'
 * ```
 */
export function compileNetwork(cluster: Cluster): CompiledNetwork {
  const ipam = allocateLbIps(cluster);
  const baseTables = baseRoutingTables(cluster);
  const bgp = bgpNetworkOf(cluster);
  const tables = withInstalledRoutes(baseTables, bgp.installed);
  const mapsOf = lbMapsBuilder(cluster, ipam);
  const lbMaps = new Map<string, NodeLbMaps>();
  for (const n of cluster.scenario.nodes.map((x) => x.meta.name).sort()) lbMaps.set(n, mapsOf(n));
  return compileNetworkFrom({ cluster, ipam, baseTables, bgp, tables, lbMaps, identities: podIdentities(cluster) });
}

/**
 * The datapath settings of a cluster's Cilium configuration.
 *
 * @example
 * ```ts
 * datapathConfig(cluster).routingMode; // 'native' in the bgp-lab
 * ```
 */
export function datapathConfig(cluster: Cluster): DatapathConfig {
  const c = cluster.config;
  const seeds = maglevSeeds(c.maglevHashSeed) ?? maglevSeeds('JLfvgnHc2kaSUFaI')!;
  const native = c.ipv4NativeRoutingCIDR;
  const native6 = c.ipv6NativeRoutingCIDR;
  return {
    routingMode: c.routingMode,
    tunnelProtocol: c.tunnelProtocol,
    kubeProxyReplacement: c.kubeProxyReplacement,
    lbMode: c.lbMode,
    lbDsrDispatch: c.lbDsrDispatch,
    lbAlgorithm: c.lbAlgorithm,
    maglevSeedJhash: seeds[1],
    ...(native !== undefined && isIPv4Prefix(native) ? { nativeRoutingCIDR: native.toCidrString() } : {}),
    enableBpfMasquerade: c.enableBpfMasquerade,
    enableIPv4Masquerade: c.enableIPv4Masquerade,
    clusterName: c.clusterName,
    // v6walk (issue 18): the IPv6 side of the walk
    enableIPv6Masquerade: c.enableIPv6Masquerade,
    maglevSeedJhash6: seeds[2],
    ...(native6 !== undefined && !isIPv4Prefix(native6) ? { nativeRoutingCIDR6: native6.toCidrString() } : {}),
  };
}

function routeSpec(r: KernelRoute, v6: boolean): RouteSpec | undefined {
  if (r.table !== 'main' || (!v6 && !isIPv4Prefix(r.dst))) return undefined;
  if (r.type !== 'unicast' && r.type !== 'blackhole' && r.type !== 'unreachable' && r.type !== 'prohibit') return undefined;
  return {
    dst: isIPv4Prefix(r.dst) ? r.dst.toCidrString() : formatPrefix(r.dst),
    type: r.type,
    nexthops: r.nexthops.map((n) => ({
      ...(n.gateway !== undefined && (v6 || isIPv4(n.gateway)) ? { via: formatIp(n.gateway) } : {}),
      dev: n.dev,
      weight: n.weight,
    })),
    ...(r.prefsrc !== undefined && (v6 || isIPv4(r.prefsrc)) ? { src: formatIp(r.prefsrc) } : {}),
    metric: r.metric,
    proto: r.protocol,
  };
}

/**
 * A kernel route as the walk compiles it, equal to compiling its {@link routeSpec} (the same
 * filter; the prefix's network address and the gateways' values, no text), or `undefined` when
 * the spec leaves it out.
 */
function fibRoute(r: KernelRoute, v6: boolean): FibRoute | undefined {
  if (r.table !== 'main' || (!v6 && !isIPv4Prefix(r.dst))) return undefined;
  if (r.type !== 'unicast' && r.type !== 'blackhole' && r.type !== 'unreachable' && r.type !== 'prohibit') return undefined;
  const value = networkValue(r.dst);
  return {
    addr: isIPv4Prefix(r.dst) ? Number(value) : value,
    len: prefixLength(r.dst),
    type: r.type,
    nexthops: r.nexthops.map((n) => ({
      gw: n.gateway !== undefined && (v6 || isIPv4(n.gateway)) ? wireOf(n.gateway) : -1,
      dev: n.dev,
      weight: n.weight ?? 1,
    })),
    src: r.prefsrc !== undefined && (v6 || isIPv4(r.prefsrc)) ? wireOf(r.prefsrc) : -1,
    metric: r.metric ?? 0,
    proto: r.protocol ?? 'boot',
  };
}

/** An address as the walk keys it (IPv4 as a number, IPv6 as a bigint). */
function wireOf(a: IpAddress): WireAddr {
  return isIPv4(a) ? Number(a.value) : a.value;
}

function hostSpec(h: Host, t: HostShape, main: () => readonly KernelRoute[], v6: boolean): HostSpec {
  const sys = t.sysctl;
  const num = (k: string, d: number): number => {
    const v = sys[k];
    if (v === undefined) return d;
    const n = v.trim().toLowerCase().startsWith('0x') ? parseInt(v.trim(), 16) : parseInt(v.trim(), 10);
    return Number.isFinite(n) ? n : d;
  };
  const spec: HostSpec = {
    name: t.host,
    interfaces: t.links.map((l) => ({
      name: l.name,
      kind: l.kind,
      addresses: l.addresses.filter((a) => v6 || isIPv4(a.address)).map((a) => `${formatIp(a.address)}/${a.prefixLength}`),
    })),
    // the routes' specs when first read (the walk compiles a host's routes when it routes there)
    get routes(): readonly RouteSpec[] {
      const routes = main().flatMap((r) => {
        const s = routeSpec(r, v6);
        return s ? [s] : [];
      });
      Object.defineProperty(this, 'routes', { value: routes, enumerable: true });
      return routes;
    },
    hashPolicy: t.multipathHashPolicy,
    hashFields: num('net.ipv4.fib_multipath_hash_fields', 0x0007),
    arpIgnore: num('net.ipv4.conf.all.arp_ignore', 0),
    forwarding: num('net.ipv4.ip_forward', 1) !== 0,
    ...(h.http
      ? { http: { port: h.http.port, allow: h.http.allow.filter((a) => v6 || isIPv4(a)).map((a) => formatIp(a)) } }
      : {}),
  };
  // the walk compiles a host's routes from these when it first routes there (no text round trip)
  return withHidden(spec, 'fibRoutes', () =>
    main().flatMap((r) => {
      const f = fibRoute(r, v6);
      return f ? [f] : [];
    }),
  );
}

/** Adds the egress IPs the HA operator allocated to their gateway's device (egress stage). */
function withEgressAddresses(h: HostSpec, extra: readonly { node: string; dev: string; ip: string }[]): HostSpec {
  const mine = extra.filter((e) => e.node === h.name);
  if (mine.length === 0) return h;
  return {
    ...h,
    interfaces: h.interfaces.map((i) => {
      const add = mine.filter((e) => e.dev === i.name && !i.addresses.some((a) => a.startsWith(`${e.ip}/`)));
      if (add.length === 0) return i;
      const first = i.addresses[0] !== undefined ? parsePrefix4(i.addresses[0]) : undefined;
      const lenOf = (ip: string): number => (first !== undefined && inPrefix(ipv4ToU32(ip) ?? 0, first) ? first.len : 32);
      return { ...i, addresses: [...i.addresses, ...add.map((e) => `${e.ip}/${lenOf(e.ip)}`)] };
    }),
  };
}

function frontendSpec(f: LbFrontend, backendsById: ReadonlyMap<number, LbBackend>): FrontendSpec | undefined {
  const v4 = isIPv4(f.address);
  const backends: BackendSpec[] = [];
  for (const id of f.backendIds) {
    const b = backendsById.get(id);
    if (b === undefined || isIPv4(b.address) !== v4) continue;
    backends.push({
      id: b.id,
      address: formatIp(b.address),
      port: b.port,
      protocol: b.protocol,
      state: b.state,
      ...(b.nodeName !== undefined ? { node: b.nodeName } : {}),
      ...(b.pod !== undefined ? { pod: `${b.pod.namespace}/${b.pod.name}` } : {}),
    });
  }
  return {
    service: `${f.service.namespace}/${f.service.name}`,
    address: formatIp(f.address),
    port: f.port,
    protocol: f.protocol,
    scope: f.scope === 'internal' ? 'Internal' : 'External',
    revNat: f.id,
    type: f.type,
    routable: f.routable,
    local: f.externalTrafficPolicy === 'Local',
    internalLocal: f.internalTrafficPolicy === 'Local',
    twoScopes: f.twoScopes,
    dsr: f.forwardingMode === 'dsr',
    sessionAffinity: f.sessionAffinity,
    ...(f.checkSourceRange
      ? { sourceRanges: f.sourceRanges.filter((p) => isIPv4Prefix(p) === v4).map((p) => formatPrefix(p)), sourceRangesDeny: f.sourceRangeDeny }
      : {}),
    backends,
    count: f.count,
    ...(f.maglev !== undefined && f.algorithm === 'maglev' ? { maglev: f.maglev } : {}),
    ...redirectSpec(f, backendsById),
  };
}

/** A local redirect's skip list and original frontend (`src/datapath/lb/redirect.ts`). */
function redirectSpec(f: LbFrontend, backendsById: ReadonlyMap<number, LbBackend>): Pick<FrontendSpec, 'skipRedirectFrom' | 'original'> {
  if (f.redirect === undefined || f.redirect.skipFrom.length === 0) return {};
  const original = f.redirect.original !== undefined ? frontendSpec(f.redirect.original, backendsById) : undefined;
  return { skipRedirectFrom: f.redirect.skipFrom, ...(original !== undefined ? { original } : {}) };
}

/**
 * A node's spec whose `frontends` are computed from its LB maps the first time they are read
 * (then kept): the node's addresses are cheap, its maps are not.
 */
function lazyNodeSpec(
  cluster: Cluster,
  name: string,
  lbMaps: ReadonlyMap<string, NodeLbMaps>,
  v6: boolean,
  rowsAt: ((node: string, address: WireAddr) => LbAddressRows | undefined) | undefined,
): NodeSpec {
  const internal = nodeAddress(cluster, name, 4);
  const internal6 = v6 ? nodeAddress(cluster, name, 6) : undefined;
  const ix = clusterIndexes(cluster); // the first node / CiliumNode of the name, as `find` gave
  const scen = ix.node(name);
  const cn = ix.ciliumNode(name);
  const others = [
    ...(scen?.addresses.map((a) => a.address) ?? []),
    ...(cn?.addresses.filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.ip) ?? []),
  ];
  const firsts = [...(internal ? [formatIp(internal)] : []), ...(internal6 ? [formatIp(internal6)] : [])];
  const addresses = [...new Set([...firsts, ...others.filter((a) => v6 || isIPv4(a)).map((a) => formatIp(a))])];
  const ch = ciliumHostAddress(cluster, name, 4);
  const ch6 = v6 ? ciliumHostAddress(cluster, name, 6) : undefined;
  const devices = cluster.config.devices.length > 0 ? cluster.config.devices : undefined;
  let frontends: readonly FrontendSpec[] | undefined;
  const spec: NodeSpec = {
    name,
    addresses,
    podCIDRs: nodePodCidrs(cluster, name).filter((p) => v6 || isIPv4Prefix(p)).map((p) => formatPrefix(p)),
    ...(ch !== undefined ? { ciliumHostIP: ch.toString() } : {}),
    ...(ch6 !== undefined && !isIPv4(ch6) ? { ciliumHostIP6: formatIp(ch6) } : {}),
    ...(devices !== undefined ? { devices } : {}),
    get frontends(): readonly FrontendSpec[] {
      if (frontends === undefined) {
        const maps = lbMaps.get(name);
        frontends = maps === undefined ? [] : frontendSpecs(maps);
      }
      return frontends;
    },
    get healthServers(): readonly HealthServerSpec[] {
      return (lbMaps.get(name)?.healthServers ?? []).map((h) => ({ port: h.port, namespace: h.service.namespace, name: h.service.name, localEndpoints: h.localEndpoints }));
    },
  };
  // not enumerable: a spec derived by spreading (`{ ...node, frontends }`) compiles its own frontends
  const wholeIndex = (): FrontendIndex => {
    const maps = lbMaps.get(name);
    return maps === undefined ? { addresses: [], at: () => [] } : frontendIndexOf(maps);
  };
  return withHidden(spec, 'frontendIndex', () => (rowsAt === undefined ? wholeIndex() : addressIndex(name, rowsAt, wholeIndex)));
}

/**
 * A node's frontends by address, each address's rows asked alone (`rowsAt`, the twin's
 * per-address rows: no whole maps for a trace) and read from the whole maps' index when
 * `rowsAt` leaves them to it (or once the whole index is built); every address (size,
 * iteration) from the whole maps.
 */
function addressIndex(
  name: string,
  rowsAt: (node: string, address: WireAddr) => LbAddressRows | undefined,
  wholeIndex: () => FrontendIndex,
): FrontendIndex {
  let whole: FrontendIndex | undefined;
  const all = (): FrontendIndex => (whole ??= wholeIndex());
  return {
    get addresses(): readonly WireAddr[] {
      return all().addresses;
    },
    at(addr) {
      if (whole !== undefined) return whole.at(addr);
      const rows = rowsAt(name, addr);
      if (rows === undefined) return all().at(addr);
      return rows.frontends.flatMap((f) => {
        const s = frontendSpec(f, rows.backends);
        return s ? [s] : [];
      });
    },
  };
}


/**
 * `target` with `key` set as a non-enumerable property: an object spread (`{ ...spec, pods }`)
 * leaves it out, so a spec derived from the twin's with other pods or frontends never reads the
 * catalog or index of the original.
 */
function withHidden<T extends object, K extends string, V>(target: T, key: K, value: V): T & { readonly [P in K]: V } {
  Object.defineProperty(target, key, { value, enumerable: false });
  return target as T & { readonly [P in K]: V };
}

/**
 * A node's frontends by IPv4 address, each address's specs built when asked (the walk looks up
 * a few addresses of a node holding 10,000 services): O(frontends) to group, then O(frontends
 * and backends at the address) per address.
 */
function frontendIndexOf(maps: NodeLbMaps): FrontendIndex {
  const groups = new Map<WireAddr, LbFrontend[]>();
  for (const f of maps.frontends) {
    const addr: WireAddr = isIPv4(f.address) ? Number(f.address.value) : f.address.value;
    const g = groups.get(addr);
    if (g === undefined) groups.set(addr, [f]);
    else g.push(f);
  }
  let byId: ReadonlyMap<number, LbBackend> | undefined;
  let lookups = 0;
  return {
    addresses: [...groups.keys()],
    at(addr) {
      const g = groups.get(addr);
      if (g === undefined) return [];
      // the first few addresses: one scan for the backends they name (a node holds every
      // service's backends, 100,000 at 5,000 nodes); after that, one index of them all
      const index = byId ?? (++lookups > SCANNED_LOOKUPS ? (byId = new Map(maps.backends.map((b) => [b.id, b] as const))) : backendsNamed(maps, g));
      return g.flatMap((f) => {
        const s = frontendSpec(f, index);
        return s ? [s] : [];
      });
    },
  };
}

/** How many addresses of a node {@link frontendIndexOf} answers by scanning its backends before it indexes them. */
const SCANNED_LOOKUPS = 8;

/**
 * The backends (by ID) that frontends and their local-redirect originals name: the entries of
 * `new Map(maps.backends.map((b) => [b.id, b]))` for those IDs (the last of an ID wins), in one
 * scan without indexing every backend.
 */
function backendsNamed(maps: NodeLbMaps, frontends: readonly LbFrontend[]): ReadonlyMap<number, LbBackend> {
  const need = new Set<number>();
  const add = (f: LbFrontend): void => {
    for (const id of f.backendIds) need.add(id);
    if (f.redirect?.original !== undefined) add(f.redirect.original);
  };
  for (const f of frontends) add(f);
  const out = new Map<number, LbBackend>();
  if (need.size > 0) for (const b of maps.backends) if (need.has(b.id)) out.set(b.id, b);
  return out;
}

/** The walk's frontends of one node's LB maps (backends looked up by ID through one index). */
function frontendSpecs(maps: NodeLbMaps): FrontendSpec[] {
  const byId = new Map(maps.backends.map((b) => [b.id, b] as const));
  return maps.frontends.flatMap((f) => {
    const s = frontendSpec(f, byId);
    return s ? [s] : [];
  });
}

/**
 * The pods of one cluster the walk knows (scheduled and Running), by position: keys and the
 * index fields up front (O(P), no text formatted), each pod's spec when asked.
 */
interface PodSource {
  readonly pods: readonly Pod[];
  readonly keys: readonly string[];
  readonly identities: ReadonlyMap<string, number>;
}

function podSource(cluster: Cluster, identities: ReadonlyMap<string, number>): PodSource {
  const pods: Pod[] = [];
  const keys: string[] = [];
  for (const p of cluster.scenario.pods) {
    if (p.nodeName === undefined || p.phase !== 'Running') continue;
    pods.push(p);
    keys.push(`${p.meta.namespace ?? 'default'}/${p.meta.name}`);
  }
  return { pods, keys, identities };
}

/** The first IPv4 address of a pod as u32, -1 when it has none. */
function firstIpv4(p: Pod): number {
  for (const a of p.podIPs) if (isIPv4(a)) return Number(a.value);
  return -1;
}

/** The first IPv6 address of a pod as a bigint, `undefined` when it has none. */
function firstIpv6(p: Pod): bigint | undefined {
  for (const a of p.podIPs) if (!isIPv4(a)) return a.value;
  return undefined;
}

/** One catalog over the sources in order (this cluster's pods, then each remote cluster's). */
function catalogOf(sources: readonly PodSource[]): PodCatalog {
  const size = sources.reduce((n, s) => n + s.pods.length, 0);
  const at = (i: number): { source: PodSource; j: number } => {
    let j = i;
    for (const source of sources) {
      if (j < source.pods.length) return { source, j };
      j -= source.pods.length;
    }
    throw new RangeError(`pod position ${i} out of range`);
  };
  const single = sources.length === 1 ? sources[0] : undefined;
  const podAt = (i: number): Pod => (single !== undefined ? single.pods[i]! : (({ source, j }) => source.pods[j]!)(at(i)));
  return {
    size,
    key: (i) => (single !== undefined ? single.keys[i]! : (({ source, j }) => source.keys[j]!)(at(i))),
    node: (i) => podAt(i).nodeName!,
    ip4: (i) => firstIpv4(podAt(i)),
    ip6: (i) => firstIpv6(podAt(i)),
    hostNetwork: (i) => podAt(i).hostNetwork,
    spec: (i) => {
      const { source, j } = at(i);
      return podSpec(source.pods[j]!, source.keys[j]!, source.identities);
    },
  };
}

function podSpec(p: Pod, key: string, identities: ReadonlyMap<string, number>): PodSpec {
  const ns = p.meta.namespace ?? 'default';
  return {
    namespace: ns,
    name: p.meta.name,
    node: p.nodeName!,
    ips: p.podIPs.map((a) => formatIp(a)), // ipv6 (issue 18): both families; the walk reads the IPv4 one
    hostNetwork: p.hostNetwork,
    images: p.containers.map((c) => c.image),
    ports: p.containers.flatMap((c) => c.ports.map((port) => ({ port: port.containerPort, protocol: port.protocol }))),
    identity: p.hostNetwork ? 1 : (identities.get(key) ?? 0),
    mac: podMac(ns, p.meta.name),
  };
}

/** The L2 announcements' responder entries as the network's ARP answers (none: no field). */
function l2ResponderSpecs(cluster: Cluster, ipam: LbIpamResult): { l2Responders?: readonly L2ResponderSpec[] } {
  const idx = l2Announcements(cluster, ipam);
  if (idx.leases.length === 0) return {};
  const out: L2ResponderSpec[] = [];
  for (const l of idx.leases) for (const e of l.entries) if (isIPv4(e.ip)) out.push({ host: l.holder, dev: e.dev, address: e.ip.toString() });
  return { l2Responders: out };
}
