/**
 * `buildNetwork(spec)`: compiles a plain-data {@link NetworkSpec} into the lookup structures of
 * the packet walk (32-bit addresses, LPM maps grouped by prefix length, service maps).
 *
 * Complexity: O(hosts' addresses + nodes) up front (segments and neighbours); a host's routes
 * O(R log R) when the walk first routes through it (from `fibRoutes` when the spec has them, else
 * parsed from `routes`); pods O(P log P) from `spec.pods`, or, given
 * a `spec.podCatalog`, O(P) to index positions (by key, address, node) with each pod compiled
 * when first read (the same answers: see `LazyPods`); a node's services when first read, per
 * address looked up when the node spec has a `frontendIndex` (every address only for the map's
 * size or iteration).
 *
 * @module
 */
import { ipv4ToU32 } from '../net/addr.js';
import { type WireAddr, type WirePrefix, type Prefix6, parseWire, parseWirePrefix, maskWire, wirePrefixText } from '../net/wire.js';
import { PROTO_NUMBER } from '../net/hash.js';
import { fibEcmpMember } from './ecmp.js';
import type {
  DatapathConfig,
  FibRoute,
  FlowTuple,
  FrontendIndex,
  FrontendSpec,
  HealthServerSpec,
  HostSpec,
  NetBackend,
  NetFrontend,
  NetHost,
  NetInterface,
  NetNode,
  NetPod,
  Neighbor,
  Network,
  NetworkSpec,
  NodeSpec,
  PodCatalog,
  PodSpec,
} from './types.js';
import { compareStrings } from '../net/compare.js';

/**
 * Cilium 1.18's defaults for the settings the walk reads.
 *
 * @example
 * ```ts
 * DEFAULT_DATAPATH_CONFIG.routingMode; // 'tunnel'
 * ```
 */
export const DEFAULT_DATAPATH_CONFIG: DatapathConfig = {
  routingMode: 'tunnel',
  tunnelProtocol: 'vxlan',
  kubeProxyReplacement: false,
  lbMode: 'snat',
  lbDsrDispatch: 'opt',
  lbAlgorithm: 'random',
  maglevSeedJhash: 0x71dcda46,
  enableBpfMasquerade: false,
  enableIPv4Masquerade: true,
  clusterName: 'default',
};

function u32(text: string, what: string): number {
  const v = ipv4ToU32(text);
  if (v === undefined) throw new Error(`${what}: not an IPv4 address: ${text}`);
  return v;
}

/** An address of either family (IPv4 as u32, IPv6 as bigint). */
function wire(text: string, what: string): WireAddr {
  const v = parseWire(text);
  if (v === undefined) throw new Error(`${what}: not an IP address: ${text}`);
  return v;
}

function prefix(text: string, what: string): WirePrefix {
  const p = parseWirePrefix(text);
  if (p === undefined) throw new Error(`${what}: not an IP prefix: ${text}`);
  return p;
}

type RouteGroups<K> = (readonly [number, ReadonlyMap<K, readonly FibRoute[]>])[];

/** A host's main table grouped by prefix length, longest first: IPv4 (u32 keys) and IPv6 (bigint keys). */
function compileRoutes(h: HostSpec): { v4: RouteGroups<number>; v6: RouteGroups<bigint> } {
  const byLen = new Map<number, Map<number, FibRoute[]>>();
  const byLen6 = new Map<number, Map<bigint, FibRoute[]>>();
  for (const route of h.fibRoutes !== undefined ? h.fibRoutes() : h.routes.map((r) => routeOf(h, r))) {
    if (typeof route.addr === 'bigint') addRoute(byLen6, route.len, route.addr, route);
    else addRoute(byLen, route.len, route.addr, route);
  }
  return { v4: groups(byLen), v6: groups(byLen6) };
}

/** One route of a host's spec compiled (addresses parsed, defaults applied). */
function routeOf(h: HostSpec, r: HostSpec['routes'][number]): FibRoute {
  {
    const p = prefix(r.dst, `host ${h.name} route`);
    const route: FibRoute = {
      addr: p.addr,
      len: p.len,
      type: r.type ?? 'unicast',
      nexthops: r.nexthops.map((nh) => ({
        gw: nh.via === undefined ? -1 : wire(nh.via, `host ${h.name} route ${r.dst}`),
        dev: nh.dev,
        weight: nh.weight ?? 1,
      })),
      src: r.src === undefined ? -1 : wire(r.src, `host ${h.name} route ${r.dst} src`),
      metric: r.metric ?? 0,
      proto: r.proto ?? 'boot',
    };
    return route;
  }
}

function addRoute<K>(byLen: Map<number, Map<K, FibRoute[]>>, len: number, key: K, route: FibRoute): void {
  let m = byLen.get(len);
  if (!m) byLen.set(len, (m = new Map()));
  const list = m.get(key);
  if (list) list.push(route);
  else m.set(key, [route]);
}

function groups<K>(byLen: Map<number, Map<K, FibRoute[]>>): RouteGroups<K> {
  for (const m of byLen.values()) for (const list of m.values()) list.sort((a, b) => a.metric - b.metric);
  return [...byLen.entries()].sort((a, b) => b[0] - a[0]);
}

function compileInterfaces(h: HostSpec): NetInterface[] {
  return h.interfaces.map((i) => {
    const addrs: WireAddr[] = [];
    const lens: number[] = [];
    for (const a of i.addresses) {
      const [ip, len] = a.split('/');
      const addr = wire(ip ?? '', `host ${h.name} interface ${i.name}`);
      addrs.push(addr);
      lens.push(len === undefined ? (typeof addr === 'bigint' ? 128 : 32) : Number(len));
    }
    const kind = i.kind ?? (i.name === 'lo' ? 'loopback' : i.name.startsWith('cilium_') ? 'cilium' : 'ethernet');
    return { name: i.name, kind, addrs, lens };
  });
}

function protoNumber(p: string): number {
  return p === 'ANY' ? 0 : (PROTO_NUMBER[p as 'TCP' | 'UDP' | 'SCTP'] ?? 0);
}

/**
 * The key of a frontend inside one address's service map: `(port << 9) | (proto << 1) | scope`.
 *
 * @example
 * ```ts
 * serviceKey(80, 6, 0); // 40972
 * ```
 */
export function serviceKey(port: number, proto: number, scope: number): number {
  return port * 512 + proto * 2 + scope;
}

function compileFrontend(f: FrontendSpec): NetFrontend {
  const backends: NetBackend[] = f.backends.map((b) => ({
    id: b.id,
    addr: wire(b.address, `frontend ${f.address}:${f.port} backend`),
    port: b.port,
    state: b.state,
    ...(b.node !== undefined ? { node: b.node } : {}),
    ...(b.pod !== undefined ? { pod: b.pod } : {}),
  }));
  return {
    service: f.service,
    addr: wire(f.address, `frontend of ${f.service}`),
    port: f.port,
    proto: protoNumber(f.protocol),
    scope: f.scope === 'Internal' ? 1 : 0,
    revNat: f.revNat,
    type: f.type,
    routable: f.routable,
    local: f.local ?? false,
    internalLocal: f.internalLocal ?? false,
    twoScopes: f.twoScopes ?? false,
    dsr: f.dsr ?? false,
    sessionAffinity: f.sessionAffinity ?? false,
    ...(f.sourceRanges !== undefined
      ? { sourceRanges: f.sourceRanges.map((s) => prefix(s, `source range of ${f.service}`)) }
      : {}),
    sourceRangesDeny: f.sourceRangesDeny ?? false,
    backends,
    count: Math.min(f.count, backends.length),
    ...(f.maglev !== undefined ? { maglev: f.maglev } : {}),
    byId: new Map(backends.map((b) => [b.id, b])),
    ...(f.skipRedirectFrom !== undefined ? { skipRedirectFrom: new Set(f.skipRedirectFrom) } : {}),
    ...(f.original !== undefined ? { original: compileFrontend(f.original) } : {}),
  };
}

const WHOAMI = /(^|\/)whoami(:|@|$)/;

function compilePod(p: PodSpec, nodeIP: number, nodeIP6: bigint | undefined): NetPod {
  const v4 = p.ips.map((ip) => ipv4ToU32(ip)).find((x) => x !== undefined);
  const v6 = p.ips.map((ip) => (ip.includes(':') ? parseWire(ip) : undefined)).find((x) => typeof x === 'bigint') as bigint | undefined;
  const ip6 = p.hostNetwork ? nodeIP6 : v6;
  const whoami = p.images.some((i) => WHOAMI.test(i));
  const tcp = new Set<number>();
  const udp = new Set<number>();
  if (whoami) tcp.add(80);
  for (const port of p.ports ?? []) (port.protocol === 'UDP' ? udp : tcp).add(port.port);
  return {
    key: `${p.namespace}/${p.name}`,
    namespace: p.namespace,
    name: p.name,
    node: p.node,
    ip: p.hostNetwork ? nodeIP : (v4 ?? -1),
    hostNetwork: p.hostNetwork ?? false,
    whoami,
    tcpPorts: tcp,
    udpPorts: udp,
    identity: p.identity ?? 0,
    ...(p.mac !== undefined ? { mac: p.mac } : {}),
    ...(ips6(p).length > 0 ? { ips6: ips6(p) } : {}),
    ...(ip6 !== undefined ? { ip6 } : {}),
  };
}

/** ipv6 (issue 18): a pod's IPv6 addresses as text (whoami lists them). */
function ips6(p: PodSpec): readonly string[] {
  return p.hostNetwork === true ? [] : p.ips.filter((ip) => ip.includes(':'));
}

/**
 * Compiles a {@link NetworkSpec}. Throws on malformed addresses (a spec is built by code, not
 * typed by users).
 *
 * @example
 * ```ts
 * const net = buildNetwork({ config: DEFAULT_DATAPATH_CONFIG, hosts, nodes, pods });
 * trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 });
 * ```
 */
export function buildNetwork(
  spec: NetworkSpec,
  ecmpMember: (host: NetHost, route: FibRoute, flow: FlowTuple) => number = fibEcmpMember,
): Network {
  // Hosts first (mutable shells so nodes can point back).
  type MutableHost = { -readonly [K in keyof NetHost]: NetHost[K] };
  const hosts = new Map<string, MutableHost>();
  for (const h of [...spec.hosts].sort((a, b) => compareStrings(a.name, b.name))) {
    const interfaces = compileInterfaces(h);
    const local = new Map<WireAddr, string>();
    for (const i of interfaces) for (const a of i.addrs) if (!local.has(a)) local.set(a, i.name);
    const http = h.http
      ? { port: h.http.port, allow: new Set(h.http.allow.map((a) => wire(a, `host ${h.name} http allow`))) }
      : undefined;
    // a host's routes are compiled when the walk first routes through it (5,000 nodes' tables)
    let fib: ReturnType<typeof compileRoutes> | undefined;
    hosts.set(h.name, {
      name: h.name,
      interfaces,
      local,
      get fib() {
        return (fib ??= compileRoutes(h)).v4;
      },
      get fib6() {
        return (fib ??= compileRoutes(h)).v6;
      },
      hashPolicy: h.hashPolicy ?? 0,
      hashFields: h.hashFields ?? 0x0007,
      arpIgnore: h.arpIgnore ?? 0,
      forwarding: h.forwarding ?? true,
      ...(http ? { http } : {}),
      neighbor: () => undefined,
    });
  }

  // Segments: Ethernet devices holding an address (shorter than /32) in the same subnet.
  interface Member {
    readonly host: MutableHost;
    readonly dev: string;
    readonly addr: WireAddr;
  }
  const segmentsByKey = new Map<string, Member[]>();
  const devSegments = new Map<MutableHost, Map<string, string[]>>();
  const holders = new Map<WireAddr, MutableHost[]>();
  for (const h of hosts.values()) {
    const perDev = new Map<string, string[]>();
    devSegments.set(h, perDev);
    for (const i of h.interfaces) {
      i.addrs.forEach((a, k) => {
        if (i.kind !== 'loopback') {
          const list = holders.get(a);
          if (!list) holders.set(a, [h]);
          else if (!list.includes(h)) list.push(h);
        }
        const max = typeof a === 'bigint' ? 128 : 32;
        const len = i.lens[k] ?? max;
        if (i.kind !== 'ethernet' || len >= max) return;
        const key = wirePrefixText(maskWire(a, len));
        let members = segmentsByKey.get(key);
        if (!members) segmentsByKey.set(key, (members = []));
        members.push({ host: h, dev: i.name, addr: a });
        const keys = perDev.get(i.name);
        if (!keys) perDev.set(i.name, [key]);
        else if (!keys.includes(key)) keys.push(key);
      });
    }
  }
  // L2 responders (announced addresses): address -> the hosts and devices answering for it
  const responders = new Map<WireAddr, { host: MutableHost; dev: string }[]>();
  for (const r of spec.l2Responders ?? []) {
    const host = hosts.get(r.host);
    if (host === undefined) continue;
    const a = wire(r.address, `L2 responder of ${r.host}`);
    const list = responders.get(a);
    if (list) list.push({ host, dev: r.dev });
    else responders.set(a, [{ host, dev: r.dev }]);
  }
  for (const members of segmentsByKey.values()) {
    members.sort((x, y) => compareStrings(x.host.name, y.host.name) || compareStrings(x.dev, y.dev));
  }
  for (const h of hosts.values()) {
    const cache = new Map<string, Map<WireAddr, Neighbor | null>>();
    const perDev = devSegments.get(h)!;
    h.neighbor = (dev: string, addr: WireAddr): Neighbor | undefined => {
      let m = cache.get(dev);
      if (!m) cache.set(dev, (m = new Map()));
      const hit = m.get(addr);
      if (hit !== undefined) return hit ?? undefined;
      const found = resolveNeighbor(h, perDev.get(dev) ?? [], addr);
      m.set(addr, found ?? null);
      return found;
    };
  }
  function resolveNeighbor(h: MutableHost, keys: readonly string[], addr: WireAddr): Neighbor | undefined {
    for (const key of keys) {
      for (const m of segmentsByKey.get(key) ?? []) if (m.host !== h && m.addr === addr) return { host: m.host, dev: m.dev };
    }
    for (const r of responders.get(addr) ?? []) {
      if (r.host === h) continue;
      const theirs = devSegments.get(r.host)?.get(r.dev) ?? [];
      if (theirs.some((k) => keys.includes(k))) return { host: r.host, dev: r.dev, l2: true };
    }
    const owners = holders.get(addr) ?? [];
    if (owners.length === 0) return undefined;
    for (const key of keys) {
      const seen = new Set<MutableHost>();
      for (const m of segmentsByKey.get(key) ?? []) {
        if (m.host === h || seen.has(m.host)) continue;
        seen.add(m.host);
        if (m.host.arpIgnore >= 1) continue;
        if (owners.includes(m.host)) return { host: m.host, dev: m.dev };
      }
    }
    return undefined;
  }

  // Nodes.
  const nodes = new Map<string, NetNode>();
  const nodesByIp = new Map<WireAddr, NetNode>();
  const catalog = spec.podCatalog;
  const lazy = catalog !== undefined ? new LazyPods(catalog, nodes) : undefined;
  const nodeEndpoints = new Map<string, Map<WireAddr, NetPod>>();
  const nodeHostPods = new Map<string, NetPod[]>();
  for (const n of [...spec.nodes].sort((a, b) => compareStrings(a.name, b.name))) {
    const host = hosts.get(n.name);
    if (!host) throw new Error(`node ${n.name} has no host`);
    const node =
      lazy !== undefined
        ? compileNode(n, host, lazy.endpointsOf(n.name), () => lazy.hostPodsOf(n.name))
        : compileNode(n, host, new Map(), undefined);
    nodes.set(n.name, node);
    if (lazy === undefined) {
      nodeEndpoints.set(n.name, node.endpoints as Map<WireAddr, NetPod>);
      nodeHostPods.set(n.name, node.hostPods as NetPod[]);
    }
    host.node = node;
    for (const a of node.addrs) if (!nodesByIp.has(a)) nodesByIp.set(a, node);
    if (node.ciliumHostIP >= 0 && !nodesByIp.has(node.ciliumHostIP)) nodesByIp.set(node.ciliumHostIP, node);
    if (node.ciliumHostIP6 !== undefined && !nodesByIp.has(node.ciliumHostIP6)) nodesByIp.set(node.ciliumHostIP6, node);
  }

  // Pods: compiled up front from `spec.pods`, or on demand from the catalog (the same rules).
  let pods: ReadonlyMap<string, NetPod>;
  let podsByIp: ReadonlyMap<WireAddr, NetPod>;
  if (lazy !== undefined) {
    pods = lazy.byKey;
    podsByIp = lazy.byIp;
  } else {
    const all = new Map<string, NetPod>();
    const byIp = new Map<WireAddr, NetPod>();
    for (const p of [...spec.pods].sort((a, b) => compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))) {
      const node = nodes.get(p.node);
      const pod = compilePod(p, node?.internalIP ?? -1, node?.internalIP6);
      // the first pod of a key wins (a cluster mesh's remote pods come after the local ones)
      if (!all.has(pod.key)) all.set(pod.key, pod);
      if (pod.hostNetwork) nodeHostPods.get(p.node)?.push(pod);
      if (!pod.hostNetwork && pod.ip >= 0) {
        if (!byIp.has(pod.ip)) byIp.set(pod.ip, pod);
        const eps = nodeEndpoints.get(p.node);
        if (eps && !eps.has(pod.ip)) eps.set(pod.ip, pod);
      }
      if (!pod.hostNetwork && pod.ip6 !== undefined) {
        if (!byIp.has(pod.ip6)) byIp.set(pod.ip6, pod);
        const eps = nodeEndpoints.get(p.node);
        if (eps && !eps.has(pod.ip6)) eps.set(pod.ip6, pod);
      }
    }
    pods = all;
    podsByIp = byIp;
  }

  const native = spec.config.nativeRoutingCIDR;
  const native6 = spec.config.nativeRoutingCIDR6;
  return {
    spec,
    config: spec.config,
    ...(native !== undefined ? { nativeRoutingCIDR: prefix(native, 'ipv4-native-routing-cidr') } : {}),
    ...(native6 !== undefined ? { nativeRoutingCIDR6: prefix(native6, 'ipv6-native-routing-cidr') as Prefix6 } : {}),
    hosts,
    nodes,
    pods,
    podsByIp,
    nodesByIp,
    ecmpMember,
  };
}


/** A node's service lookup: address → (port, proto, scope key) → frontend. */
function compileServices(frontends: readonly FrontendSpec[]): Map<WireAddr, Map<number, NetFrontend>> {
  const services = new Map<WireAddr, Map<number, NetFrontend>>();
  for (const f of frontends) {
    const fe = compileFrontend(f);
    let m = services.get(fe.addr);
    if (!m) services.set(fe.addr, (m = new Map()));
    m.set(serviceKey(fe.port, fe.proto, fe.scope), fe);
  }
  return services;
}

/**
 * {@link compileServices} one address at a time: an address's frontends are compiled when the
 * walk first looks it up (the same map: later frontends of a key replace earlier ones;
 * iteration in the order of each address's first frontend).
 */
function servicesByAddress(index: FrontendIndex): ReadonlyMap<WireAddr, ReadonlyMap<number, NetFrontend>> {
  // every address only for `size` and iteration: a lookup asks the index for its address alone
  let known: ReadonlySet<WireAddr> | undefined;
  const all = (): ReadonlySet<WireAddr> => (known ??= new Set(index.addresses));
  const compiled = new Map<WireAddr, ReadonlyMap<number, NetFrontend> | null>();
  const at = (addr: WireAddr): ReadonlyMap<number, NetFrontend> | undefined => {
    let m = compiled.get(addr);
    if (m === undefined) {
      const list = index.at(addr);
      if (list.length === 0) m = null;
      else {
        const own = new Map<number, NetFrontend>();
        for (const f of list) {
          const fe = compileFrontend(f);
          own.set(serviceKey(fe.port, fe.proto, fe.scope), fe);
        }
        m = own;
      }
      compiled.set(addr, m);
    }
    return m ?? undefined;
  };
  return new ReadonlyView<WireAddr, ReadonlyMap<number, NetFrontend>>(
    () => all().size,
    (addr) => at(addr) !== undefined,
    at,
    function* () {
      for (const addr of all()) yield [addr, at(addr)!] as [WireAddr, ReadonlyMap<number, NetFrontend>];
    },
  );
}

/**
 * A compiled node. Its `services` are compiled from `n.frontends` the first time they are read:
 * a spec whose `frontends` is a lazy getter (the twin's) builds a node's LB maps only when a
 * packet reaches the node. With a pod catalog its endpoints and host-network pods are read on
 * demand too (`hostPods` given as a function).
 */
function compileNode(
  n: NodeSpec,
  host: NetHost,
  endpoints: ReadonlyMap<WireAddr, NetPod>,
  hostPodsOf: (() => readonly NetPod[]) | undefined,
): NetNode {
  const addrs = n.addresses.map((a) => wire(a, `node ${n.name}`));
  let services: ReadonlyMap<WireAddr, ReadonlyMap<number, NetFrontend>> | undefined;
  let hostPods: readonly NetPod[] | undefined = hostPodsOf === undefined ? [] : undefined;
  let health: ReadonlyMap<number, HealthServerSpec> | undefined;
  const v4 = addrs.find((a): a is number => typeof a === 'number');
  const v6 = addrs.find((a): a is bigint => typeof a === 'bigint');
  const ch6 = n.ciliumHostIP6 === undefined ? undefined : wire(n.ciliumHostIP6, `node ${n.name} cilium_host`);
  return {
    name: n.name,
    host,
    addrs,
    internalIP: v4 ?? -1,
    ...(v6 !== undefined ? { internalIP6: v6 } : {}),
    ciliumHostIP: n.ciliumHostIP === undefined ? -1 : u32(n.ciliumHostIP, `node ${n.name} cilium_host`),
    ...(typeof ch6 === 'bigint' ? { ciliumHostIP6: ch6 } : {}),
    podCIDRs: n.podCIDRs.flatMap((c) => {
      const p = parseWirePrefix(c);
      return p ? [p] : [];
    }),
    devices: new Set(n.devices ?? host.interfaces.map((i) => i.name)),
    get services(): ReadonlyMap<WireAddr, ReadonlyMap<number, NetFrontend>> {
      return (services ??= n.frontendIndex !== undefined ? servicesByAddress(n.frontendIndex()) : compileServices(n.frontends));
    },
    endpoints,
    get hostPods(): readonly NetPod[] {
      return (hostPods ??= hostPodsOf!());
    },
    get healthServers(): ReadonlyMap<number, HealthServerSpec> {
      return (health ??= new Map((n.healthServers ?? []).map((h) => [h.port, h] as const)));
    },
  };
}

/**
 * The pods of a {@link PodCatalog}, compiled one at a time when the walk meets them, with the
 * same answers as compiling every pod in key order: the first pod of a key (in catalog order)
 * wins its key; of the non-host-network pods holding an address, the one with the smallest key
 * (then the first in the catalog) wins the address, network-wide and on its node; a node's
 * host-network pods come in key order.
 *
 * Complexity: O(pods) to index positions by address and node (no pod compiled); then
 * O(candidates of an address) per lookup and O(1) per pod compiled. By key: the first 8 lookups
 * scan the catalog (O(P) each, no index of 100,000 keys for a trace that names a few pods), then
 * one O(P) index and O(1) per lookup; iterating every pod costs O(P log P) once (the key order).
 */
class LazyPods {
  readonly #catalog: PodCatalog;
  readonly #nodes: ReadonlyMap<string, NetNode>;
  readonly #compiled: (NetPod | undefined)[];
  /** The first position of each key, built when more than {@link SCANNED_KEY_LOOKUPS} keys were looked up. */
  #firstOfKeyIndex: Map<string, number> | undefined;
  #keyLookups = 0;
  /** Positions of the pods holding an address: one number (the common case, no array allocated) or a list. */
  readonly #ofIp = new Map<WireAddr, number | number[]>();
  readonly #hostNetOf = new Map<string, number[]>();
  #keys: string[] | undefined;
  /** Pods by key. */
  readonly byKey: ReadonlyMap<string, NetPod>;
  /** Non-host-network pods by address (IPv4 and IPv6). */
  readonly byIp: ReadonlyMap<WireAddr, NetPod>;

  constructor(catalog: PodCatalog, nodes: ReadonlyMap<string, NetNode>) {
    this.#catalog = catalog;
    this.#nodes = nodes;
    this.#compiled = new Array<NetPod | undefined>(catalog.size);
    const add = (ip: WireAddr, i: number): void => {
      const list = this.#ofIp.get(ip);
      if (list === undefined) this.#ofIp.set(ip, i);
      else if (typeof list === 'number') {
        if (list !== i) this.#ofIp.set(ip, [list, i]);
      } else if (list[list.length - 1] !== i) list.push(i);
    };
    for (let i = 0; i < catalog.size; i++) {
      if (catalog.hostNetwork(i)) {
        const node = catalog.node(i);
        const list = this.#hostNetOf.get(node);
        if (list === undefined) this.#hostNetOf.set(node, [i]);
        else list.push(i);
        continue;
      }
      const ip = catalog.ip4(i);
      if (ip >= 0) add(ip, i);
      const ip6 = catalog.ip6(i);
      if (ip6 !== undefined) add(ip6, i);
    }
    const self = this;
    this.byKey = new ReadonlyView<string, NetPod>(
      () => this.#firstOfKey().size,
      (key) => this.#firstOf(key) !== undefined,
      (key) => {
        const i = this.#firstOf(key);
        return i === undefined ? undefined : this.#pod(i);
      },
      function* () {
        for (const key of self.#sortedKeys()) yield [key, self.#pod(self.#firstOfKey().get(key)!)] as [string, NetPod];
      },
    );
    let byIpAll: Map<WireAddr, NetPod> | undefined;
    const allByIp = (): Map<WireAddr, NetPod> => (byIpAll ??= this.#eagerByIp(undefined));
    this.byIp = new ReadonlyView<WireAddr, NetPod>(
      () => allByIp().size,
      (ip) => this.#ofIp.has(ip),
      (ip) => {
        const i = this.#best(this.#ofIp.get(ip), undefined);
        return i === undefined ? undefined : this.#pod(i);
      },
      () => allByIp().entries(),
    );
  }

  /** Every key's first position in the catalog (built once). */
  #firstOfKey(): Map<string, number> {
    if (this.#firstOfKeyIndex === undefined) {
      const m = new Map<string, number>();
      for (let i = 0; i < this.#catalog.size; i++) {
        const key = this.#catalog.key(i);
        if (!m.has(key)) m.set(key, i);
      }
      this.#firstOfKeyIndex = m;
    }
    return this.#firstOfKeyIndex;
  }

  /**
   * The first position of a key: the first few lookups scan the catalog (a trace looks up a few
   * pods by key), later ones go through the index. O(P) per scanned lookup, O(1) after.
   */
  #firstOf(key: string): number | undefined {
    if (this.#firstOfKeyIndex === undefined && ++this.#keyLookups <= SCANNED_KEY_LOOKUPS) {
      for (let i = 0; i < this.#catalog.size; i++) if (this.#catalog.key(i) === key) return i;
      return undefined;
    }
    return this.#firstOfKey().get(key);
  }

  /** A node's endpoints: its non-host-network pods by address. */
  endpointsOf(node: string): ReadonlyMap<WireAddr, NetPod> {
    let all: Map<WireAddr, NetPod> | undefined;
    const everything = (): Map<WireAddr, NetPod> => (all ??= this.#eagerByIp(node));
    return new ReadonlyView<WireAddr, NetPod>(
      () => everything().size,
      (ip) => this.#best(this.#ofIp.get(ip), node) !== undefined,
      (ip) => {
        const i = this.#best(this.#ofIp.get(ip), node);
        return i === undefined ? undefined : this.#pod(i);
      },
      () => everything().entries(),
    );
  }

  /** A node's host-network pods in key order. */
  hostPodsOf(node: string): readonly NetPod[] {
    const list = [...(this.#hostNetOf.get(node) ?? [])].sort((a, b) => this.#compare(a, b));
    return list.map((i) => this.#pod(i));
  }

  /**
   * The eager build's map (of one node, or of all): pods holding an address in key order
   * (stable), each putting its IPv4 then its IPv6 address unless taken. O(P log P), once.
   */
  #eagerByIp(node: string | undefined): Map<WireAddr, NetPod> {
    const holders = new Set<number>();
    for (const list of this.#ofIp.values()) {
      for (const i of typeof list === 'number' ? [list] : list) if (node === undefined || this.#catalog.node(i) === node) holders.add(i);
    }
    const order = [...holders].sort((a, b) => this.#compare(a, b));
    const out = new Map<WireAddr, NetPod>();
    for (const i of order) {
      const pod = this.#pod(i);
      if (pod.ip >= 0 && !out.has(pod.ip)) out.set(pod.ip, pod);
      if (pod.ip6 !== undefined && !out.has(pod.ip6)) out.set(pod.ip6, pod);
    }
    return out;
  }

  /** Key order, then catalog order (the eager build's stable sort). */
  #compare(a: number, b: number): number {
    return compareStrings(this.#catalog.key(a), this.#catalog.key(b)) || a - b;
  }

  /** The first of `candidates` in key order (on `node` only, when given). */
  #best(candidates: number | readonly number[] | undefined, node: string | undefined): number | undefined {
    if (typeof candidates === 'number') return node !== undefined && this.#catalog.node(candidates) !== node ? undefined : candidates;
    let best: number | undefined;
    for (const i of candidates ?? []) {
      if (node !== undefined && this.#catalog.node(i) !== node) continue;
      if (best === undefined || this.#compare(i, best) < 0) best = i;
    }
    return best;
  }

  #sortedKeys(): readonly string[] {
    return (this.#keys ??= [...this.#firstOfKey().keys()].sort(compareStrings));
  }

  #pod(i: number): NetPod {
    let pod = this.#compiled[i];
    if (pod === undefined) {
      const spec = this.#catalog.spec(i);
      const node = this.#nodes.get(spec.node);
      pod = compilePod(spec, node?.internalIP ?? -1, node?.internalIP6);
      this.#compiled[i] = pod;
    }
    return pod;
  }
}

/** How many pods a {@link LazyPods} finds by key with a scan before it indexes every key. */
const SCANNED_KEY_LOOKUPS = 8;

/** A `ReadonlyMap` over functions (size, has, get, entries in order). */
class ReadonlyView<K, V> implements ReadonlyMap<K, V> {
  readonly #size: () => number;
  readonly #has: (key: K) => boolean;
  readonly #get: (key: K) => V | undefined;
  readonly #entries: () => Iterator<[K, V]>;

  constructor(size: () => number, has: (key: K) => boolean, get: (key: K) => V | undefined, entries: () => Iterator<[K, V]>) {
    this.#size = size;
    this.#has = has;
    this.#get = get;
    this.#entries = entries;
  }

  get size(): number {
    return this.#size();
  }

  has(key: K): boolean {
    return this.#has(key);
  }

  get(key: K): V | undefined {
    return this.#get(key);
  }

  *entries(): MapIterator<[K, V]> {
    const it = this.#entries();
    for (let r = it.next(); r.done !== true; r = it.next()) yield r.value;
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
