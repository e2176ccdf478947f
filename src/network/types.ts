/**
 * The compiled network: every host's routing, every Cilium node's BPF state and every pod, in
 * the shape the packet walk reads (32-bit addresses, precomputed lookup maps).
 *
 * A {@link NetworkSpec} is the plain-data description (addresses as text); `buildNetwork` turns
 * it into a {@link Network}. `compileNetwork(cluster)` derives the spec from the pipeline's
 * stages (routing tables, BGP, LB maps, identities) and keeps the stages' outputs beside it.
 *
 * @module
 */
import type { IngressDatapath } from './ingress.js';
import type { WireAddr, WirePrefix, Prefix6 } from '../net/wire.js';
import type { L4Protocol } from '../net/hash.js';
import type { PolicyEngine } from '../policy/resolve.js';
import type { EgressDatapath } from '../egress/datapath.js';

// ---------------------------------------------------------------------------------------------
// Plain-data description
// ---------------------------------------------------------------------------------------------

/**
 * The agent settings the datapath walk reads (from `CiliumConfig`).
 *
 * @example
 * ```ts
 * const c: DatapathConfig = { ...DEFAULT_DATAPATH_CONFIG, routingMode: 'native' };
 * ```
 */
export interface DatapathConfig {
  /** `routing-mode`. */
  readonly routingMode: 'tunnel' | 'native';
  /** `tunnel-protocol`. */
  readonly tunnelProtocol: 'vxlan' | 'geneve';
  /** `kube-proxy-replacement`: socket LB and N-S service handling in BPF. */
  readonly kubeProxyReplacement: boolean;
  /** `bpf-lb-mode`. */
  readonly lbMode: 'snat' | 'dsr' | 'hybrid';
  /** `bpf-lb-dsr-dispatch`. */
  readonly lbDsrDispatch: 'opt' | 'ipip' | 'geneve';
  /** `bpf-lb-algorithm`. */
  readonly lbAlgorithm: 'random' | 'maglev';
  /** The jhash seed of the per-packet Maglev hash (`SeedJhash0` of `bpf-lb-maglev-hash-seed`). */
  readonly maglevSeedJhash: number;
  /** `ipv4-native-routing-cidr` (CIDR text), when set. */
  readonly nativeRoutingCIDR?: string;
  /** `enable-bpf-masquerade`. */
  readonly enableBpfMasquerade: boolean;
  /** `enable-ipv4-masquerade`. */
  readonly enableIPv4Masquerade: boolean;
  /** `enable-ipv6-masquerade` (default true). */
  readonly enableIPv6Masquerade?: boolean;
  /** `ipv6-native-routing-cidr` (CIDR text), when set. */
  readonly nativeRoutingCIDR6?: string;
  /** The jhash seed of the IPv6 per-packet Maglev hash (`SeedJhash1`; absent: Cilium's default seed's). */
  readonly maglevSeedJhash6?: number;
  /** `cluster-name`. */
  readonly clusterName: string;
}

/**
 * A next hop of a route.
 *
 * @example
 * ```ts
 * const nh: NextHopSpec = { via: '192.168.10.200', dev: 'eth1' };
 * ```
 */
export interface NextHopSpec {
  /** Gateway address (text); absent for a device route. */
  readonly via?: string;
  /** Output device. */
  readonly dev: string;
  /** ECMP weight (1 when absent). */
  readonly weight?: number;
}

/**
 * A kernel route of a host's main table.
 *
 * @example
 * ```ts
 * const r: RouteSpec = { dst: '172.20.0.0/16', nexthops: [{ via: '192.168.10.200', dev: 'eth1' }] };
 * ```
 */
export interface RouteSpec {
  /** Destination prefix (`a.b.c.d/len` or `default`). */
  readonly dst: string;
  /** Route type (default `unicast`). */
  readonly type?: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  /** Next hops (several = ECMP). */
  readonly nexthops: readonly NextHopSpec[];
  /** Preferred source address. */
  readonly src?: string;
  /** Metric (default 0). */
  readonly metric?: number;
  /** `proto` as `ip route` prints it (`kernel`, `bgp`, `static`, …), for display. */
  readonly proto?: string;
}

/**
 * An interface and its addresses.
 *
 * @example
 * ```ts
 * const i: InterfaceSpec = { name: 'eth1', addresses: ['192.168.10.100/24'] };
 * ```
 */
export interface InterfaceSpec {
  /** Device name. */
  readonly name: string;
  /** `ethernet` (default; `loopback` for `lo`, `cilium` for `cilium_*`): only Ethernet devices are on segments. */
  readonly kind?: 'loopback' | 'ethernet' | 'cilium';
  /** Addresses with prefix length, `a.b.c.d/len`. */
  readonly addresses: readonly string[];
}

/**
 * A machine: a router, an external Host, or a Kubernetes node's host network namespace.
 *
 * @example
 * ```ts
 * const h: HostSpec = { name: 'router', interfaces: [{ name: 'eth1', addresses: ['192.168.10.200/24'] }], routes: [] };
 * ```
 */
export interface HostSpec {
  /** Name (a node's name for a node). */
  readonly name: string;
  /** Interfaces. */
  readonly interfaces: readonly InterfaceSpec[];
  /** The main table, connected routes included. */
  readonly routes: readonly RouteSpec[];
  /** `net.ipv4.fib_multipath_hash_policy` (default 0). */
  readonly hashPolicy?: number;
  /** `net.ipv4.fib_multipath_hash_fields` (policy 3; default 0x0007). */
  readonly hashFields?: number;
  /** `net.ipv4.conf.all.arp_ignore` (default 0: the host answers ARP for any of its addresses). */
  readonly arpIgnore?: number;
  /** `net.ipv4.ip_forward` (default true: routers and Kubernetes nodes forward). */
  readonly forwarding?: boolean;
  /** An HTTP server on this host. */
  readonly http?: { readonly port: number; readonly allow: readonly string[] };
  /**
   * `routes` already compiled, in the same order (what `buildNetwork` would parse from them),
   * read instead of `routes` when present: the twin's host specs hold it as a non-enumerable
   * property (no text formatted and parsed back for a router's thousands of routes), so a spec
   * derived by spreading (`{ ...host, routes }`) compiles its own `routes`.
   */
  readonly fibRoutes?: () => readonly FibRoute[];
}

/**
 * The state of a backend slot.
 *
 * @example
 * ```ts
 * const s: BackendState = 'active';
 * ```
 */
export type BackendState = 'active' | 'terminating' | 'terminating-not-serving' | 'quarantined' | 'maintenance';

/**
 * A backend of a frontend, in slot order.
 *
 * @example
 * ```ts
 * const b: BackendSpec = { id: 1, address: '172.20.1.76', port: 80, protocol: 'TCP', state: 'active', node: 'k8s-w1' };
 * ```
 */
export interface BackendSpec {
  /** Backend id (`cilium_lb4_backends_v3` key). */
  readonly id: number;
  /** Address. */
  readonly address: string;
  /** Port. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: L4Protocol;
  /** State. */
  readonly state: BackendState;
  /** Node the backend runs on, when known. */
  readonly node?: string;
  /** Pod (`namespace/name`) behind it, when known. */
  readonly pod?: string;
}

/**
 * The service type a frontend stands for (its type flag).
 *
 * @example
 * ```ts
 * const t: FrontendType = 'LoadBalancer';
 * ```
 */
export type FrontendType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIPs' | 'HostPort' | 'LocalRedirect';

/**
 * One frontend row (slot 0) of a node's `cilium_lb4_services_v2`, with its backend slots.
 *
 * @example
 * ```ts
 * const fe: FrontendSpec = {
 *   service: 'default/webpod', address: '172.16.1.1', port: 80, protocol: 'TCP', scope: 'External',
 *   revNat: 16, type: 'LoadBalancer', routable: true, backends: [], count: 0,
 * };
 * ```
 */
export interface FrontendSpec {
  /** `namespace/name` of the service. */
  readonly service: string;
  /** Frontend address (`0.0.0.0` for a NodePort surrogate). */
  readonly address: string;
  /** Port (0 for a wildcard row). */
  readonly port: number;
  /** Protocol (`ANY` for a wildcard row). */
  readonly protocol: L4Protocol | 'ANY';
  /** Scope. */
  readonly scope: 'External' | 'Internal';
  /** Reverse-NAT id. */
  readonly revNat: number;
  /** Type flag. */
  readonly type: FrontendType;
  /** `Routable` flag (absence prints `non-routable`). */
  readonly routable: boolean;
  /** `Local` flag (eTP=Local). */
  readonly local?: boolean;
  /** `InternalLocal` flag (iTP=Local). */
  readonly internalLocal?: boolean;
  /** `two-scopes` flag. */
  readonly twoScopes?: boolean;
  /** `dsr` flag. */
  readonly dsr?: boolean;
  /** `sessionAffinity` flag. */
  readonly sessionAffinity?: boolean;
  /** `loadBalancerSourceRanges` (CIDR text), when the `check source-range` flag is set. */
  readonly sourceRanges?: readonly string[];
  /** `deny` flag (source ranges deny-list). */
  readonly sourceRangesDeny?: boolean;
  /** Backend slots 1..n, in slot order. */
  readonly backends: readonly BackendSpec[];
  /** Number of slots eligible for selection (`count`). */
  readonly count: number;
  /** The Maglev lookup table (backend ids), when the frontend has one. */
  readonly maglev?: ArrayLike<number>;
  /** Local redirect: pods (`namespace/name`) whose own traffic skips it (`skipRedirectFromBackend`). */
  readonly skipRedirectFrom?: readonly string[];
  /** Local redirect of a service: the frontend as it was, used by the pods that skip it. */
  readonly original?: FrontendSpec;
}

/**
 * A Cilium node: its addresses and BPF LB maps (endpoints come from the pods on it).
 *
 * @example
 * ```ts
 * const n: NodeSpec = { name: 'k8s-ctr', addresses: ['192.168.10.100'], podCIDRs: ['172.20.0.0/24'], frontends: [] };
 * ```
 */
export interface NodeSpec {
  /** Node name (its host has the same name). */
  readonly name: string;
  /** Node addresses (both families), the IPv4 InternalIP first, then the IPv6 one. */
  readonly addresses: readonly string[];
  /** Pod CIDRs. */
  readonly podCIDRs: readonly string[];
  /** The `cilium_host` address (CiliumInternalIP), when known. */
  readonly ciliumHostIP?: string;
  /** The `cilium_host` IPv6 address, when known. */
  readonly ciliumHostIP6?: string;
  /** Devices running `bpf_host` (default: every interface of the host). */
  readonly devices?: readonly string[];
  /** Frontend rows of its LB map. */
  readonly frontends: readonly FrontendSpec[];
  /** Its health-check node port servers (read when a packet reaches the node's host stack). */
  readonly healthServers?: readonly HealthServerSpec[];
  /**
   * The same frontends by address, for a node whose frontends are costly to describe (the
   * twin's: 10,000 services): `buildNetwork` then compiles only the addresses the walk looks
   * up. Called at most once, when the node's services are first read. It must describe
   * `frontends`: a spec that replaces `frontends` must leave it out (the twin's node specs hold it
   * as a non-enumerable property, so `{ ...node, frontends }` does).
   */
  readonly frontendIndex?: () => FrontendIndex;
}

/**
 * A health-check node port server of a node: what answers `NodeIP:port` over HTTP.
 *
 * @example
 * ```ts
 * import type { HealthServerSpec } from 'cilium-twin/network';
 * const h: HealthServerSpec = { port: 32000, namespace: 'default', name: 'webpod', localEndpoints: 1 };
 * ```
 */
export interface HealthServerSpec {
  /** `healthCheckNodePort`. */
  readonly port: number;
  /** The service's namespace. */
  readonly namespace: string;
  /** The service's name. */
  readonly name: string;
  /** Active node-local backends (200 when > 0, else 503). */
  readonly localEndpoints: number;
}

/**
 * A node's frontends grouped by address (see {@link NodeSpec.frontendIndex}).
 *
 * @example
 * ```ts
 * import type { FrontendIndex, FrontendSpec } from 'cilium-twin/network';
 * import { ipv4ToU32 } from 'cilium-twin/net';
 * declare const frontends: readonly FrontendSpec[];
 * const index: FrontendIndex = { addresses: [ipv4ToU32('172.16.1.1')!], at: (addr) => frontends.filter((f) => ipv4ToU32(f.address) === addr) };
 * ```
 */
export interface FrontendIndex {
  /**
   * Every address holding a frontend (IPv4 u32, IPv6 bigint), in the order of its first frontend
   * in `frontends`: read only for the node's `services.size` and iteration (it may be a getter
   * that builds every frontend); a lookup of one address asks `at` alone.
   */
  readonly addresses: readonly WireAddr[];
  /** The frontends at an address, in `frontends` order (`[]` for none: exactly the addresses not in `addresses`). */
  at(addr: WireAddr): readonly FrontendSpec[];
}

/**
 * A pod: where it runs, its address, and what answers inside it.
 *
 * @example
 * ```ts
 * const p: PodSpec = { namespace: 'default', name: 'curl-pod', node: 'k8s-ctr', ips: ['172.20.0.247'], images: ['nicolaka/netshoot'] };
 * ```
 */
export interface PodSpec {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Node it runs on. */
  readonly node: string;
  /** Pod IPs (the first of each family is used). */
  readonly ips: readonly string[];
  /** Host network pod (uses the node's addresses). */
  readonly hostNetwork?: boolean;
  /** Container images. */
  readonly images: readonly string[];
  /** Declared container ports (TCP unless told). */
  readonly ports?: readonly { readonly port: number; readonly protocol: L4Protocol }[];
  /** Security identity. */
  readonly identity?: number;
  /** MAC address of the pod's `eth0`. */
  readonly mac?: string;
}

/**
 * Pods described by position, for a network that compiles each pod only when it is needed (a
 * cluster of 100,000 pods whose trace meets three of them). Positions run from 0 to `size - 1`
 * in the order of {@link NetworkSpec.pods}; the index fields are cheap, `spec(i)` may be costly.
 *
 * @example
 * ```ts
 * import type { PodCatalog, PodSpec } from 'cilium-twin/network';
 * import { ipv4ToU32 } from 'cilium-twin/net';
 * const pods: PodSpec[] = [{ namespace: 'default', name: 'curl-pod', node: 'k8s-ctr', ips: ['172.20.0.247'], images: [] }];
 * const catalog: PodCatalog = {
 *   size: pods.length,
 *   key: (i) => `${pods[i]!.namespace}/${pods[i]!.name}`,
 *   node: (i) => pods[i]!.node,
 *   ip4: (i) => ipv4ToU32(pods[i]!.ips[0] ?? '') ?? -1,
 *   ip6: () => undefined,
 *   hostNetwork: (i) => pods[i]!.hostNetwork ?? false,
 *   spec: (i) => pods[i]!,
 * };
 * ```
 */
export interface PodCatalog {
  /** Number of pods. */
  readonly size: number;
  /** `namespace/name` of the pod at position `i`. */
  key(i: number): string;
  /** The node the pod at position `i` runs on. */
  node(i: number): string;
  /** The first IPv4 address of the pod at position `i` (u32), or -1 when it has none. */
  ip4(i: number): number;
  /** The first IPv6 address of the pod at position `i` (bigint), or `undefined` when it has none. */
  ip6(i: number): bigint | undefined;
  /** Whether the pod at position `i` uses the host network. */
  hostNetwork(i: number): boolean;
  /** The full spec of the pod at position `i`. */
  spec(i: number): PodSpec;
}

/**
 * The plain-data description of a network.
 *
 * @example
 * ```ts
 * const net = buildNetwork({ config: DEFAULT_DATAPATH_CONFIG, hosts: [], nodes: [], pods: [] });
 * ```
 */
export interface NetworkSpec {
  /** Agent settings. */
  readonly config: DatapathConfig;
  /** Every machine. */
  readonly hosts: readonly HostSpec[];
  /** Cilium nodes (each has a host of the same name). */
  readonly nodes: readonly NodeSpec[];
  /** Pods. */
  readonly pods: readonly PodSpec[];
  /**
   * The same pods as a catalog read on demand (what `compileNetworkFrom` gives): when present,
   * `buildNetwork` indexes pods by key, address and node and compiles a pod the first time the
   * walk meets it, instead of compiling every pod of `pods` up front. It must describe the same
   * pods as `pods`, in the same order: a spec that replaces `pods` must leave it out (the twin's
   * spec holds it as a non-enumerable property, so `{ ...spec, pods }` does).
   */
  readonly podCatalog?: PodCatalog;
  /**
   * Addresses Cilium answers ARP for on a node's device (L2 announcements: the lease holder's
   * responder entries); a host on the device's segment resolves them to that node.
   */
  readonly l2Responders?: readonly L2ResponderSpec[];
}

/**
 * An L2 responder entry: `host` answers ARP for `address` on `dev`.
 *
 * @example
 * ```ts
 * const r: L2ResponderSpec = { host: 'k8s-w1', dev: 'eth1', address: '192.168.10.210' };
 * ```
 */
export interface L2ResponderSpec {
  /** The node (its host name). */
  readonly host: string;
  /** The device. */
  readonly dev: string;
  /** The announced address. */
  readonly address: string;
}

// ---------------------------------------------------------------------------------------------
// Compiled
// ---------------------------------------------------------------------------------------------

/**
 * A compiled next hop: gateway (`-1` for none) and device.
 *
 * @example
 * ```ts
 * const nh: FibNextHop = { gw: -1, dev: 'eth1', weight: 1 };
 * ```
 */
export interface FibNextHop {
  /** Gateway (u32 IPv4, bigint IPv6), or -1 for a device route. */
  readonly gw: WireAddr;
  /** Device. */
  readonly dev: string;
  /** Weight. */
  readonly weight: number;
}

/**
 * A compiled route.
 *
 * @example
 * ```ts
 * const r = w.lookup(host, dst); // a FibRoute or undefined
 * ```
 */
export interface FibRoute {
  /** Masked destination (u32 IPv4, bigint IPv6). */
  readonly addr: WireAddr;
  /** Prefix length. */
  readonly len: number;
  /** Route type. */
  readonly type: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  /** Next hops. */
  readonly nexthops: readonly FibNextHop[];
  /** Preferred source (u32 IPv4, bigint IPv6), or -1. */
  readonly src: WireAddr;
  /** Metric. */
  readonly metric: number;
  /** Protocol text. */
  readonly proto: string;
}

/**
 * A compiled interface.
 *
 * @example
 * ```ts
 * net.hosts.get('router')?.interfaces.map((i) => i.name); // ['lo', 'eth0', 'eth1', …]
 * ```
 */
export interface NetInterface {
  /** Device name. */
  readonly name: string;
  /** Device kind. */
  readonly kind: 'loopback' | 'ethernet' | 'cilium';
  /** Addresses (u32 IPv4, bigint IPv6). */
  readonly addrs: readonly WireAddr[];
  /** Prefix lengths, parallel to `addrs`. */
  readonly lens: readonly number[];
}

/**
 * A neighbour on a segment: the host and device owning an address.
 *
 * @example
 * ```ts
 * net.hosts.get('k8s-ctr')?.neighbor('eth1', ipv4ToU32('192.168.10.200')!)?.host.name; // 'router'
 * ```
 */
export interface Neighbor {
  /** The host. */
  readonly host: NetHost;
  /** Its device. */
  readonly dev: string;
  /** True when the host answers as an L2 responder (an announced address, not its own). */
  readonly l2?: boolean;
}

/**
 * A compiled host.
 *
 * @example
 * ```ts
 * net.hosts.get('router')?.hashPolicy; // 0
 * ```
 */
export interface NetHost {
  /** Name. */
  readonly name: string;
  /** Interfaces. */
  readonly interfaces: readonly NetInterface[];
  /** Own addresses → device. */
  readonly local: ReadonlyMap<WireAddr, string>;
  /** Main table routes grouped by prefix length: `[len, Map<masked dst, routes by metric>]`, longest first. */
  readonly fib: readonly (readonly [number, ReadonlyMap<number, readonly FibRoute[]>])[];
  /** The IPv6 main table, grouped the same way (masked bigint destinations). */
  readonly fib6: readonly (readonly [number, ReadonlyMap<bigint, readonly FibRoute[]>])[];
  /** `fib_multipath_hash_policy`. */
  readonly hashPolicy: number;
  /** `fib_multipath_hash_fields`. */
  readonly hashFields: number;
  /** `arp_ignore`. */
  readonly arpIgnore: number;
  /** Whether it forwards packets not addressed to it. */
  readonly forwarding: boolean;
  /** HTTP server. */
  readonly http?: { readonly port: number; readonly allow: ReadonlySet<WireAddr> };
  /**
   * Who answers ARP for `addr` on the segment(s) of device `dev` (the FIB stage's rule: the
   * device facing the segment that holds it, else, with `arp_ignore` 0, a host on the segment
   * holding it on any device; first by host name); `undefined` when nobody does.
   */
  readonly neighbor: (dev: string, addr: WireAddr) => Neighbor | undefined;
  /** The Cilium node of this host, when it is one. */
  readonly node?: NetNode;
}

/**
 * A compiled backend.
 *
 * @example
 * ```ts
 * net.nodes.get('k8s-ctr')?.services.get(ipv4ToU32('172.16.1.1')!)?.get(serviceKey(80, 6, 0))?.backends[0]?.pod;
 * ```
 */
export interface NetBackend {
  /** Id. */
  readonly id: number;
  /** Address (u32 IPv4, bigint IPv6). */
  readonly addr: WireAddr;
  /** Port. */
  readonly port: number;
  /** State. */
  readonly state: BackendState;
  /** Node, when known. */
  readonly node?: string;
  /** Pod `namespace/name`, when known. */
  readonly pod?: string;
}

/**
 * A compiled frontend.
 *
 * @example
 * ```ts
 * net.nodes.get('k8s-ctr')?.services.get(ipv4ToU32('172.16.1.1')!)?.get(serviceKey(80, 6, 0))?.count;
 * ```
 */
export interface NetFrontend {
  /** Service `namespace/name`. */
  readonly service: string;
  /** Address (u32 IPv4, bigint IPv6; 0 / 0n for the surrogates). */
  readonly addr: WireAddr;
  /** Port. */
  readonly port: number;
  /** IANA protocol number (0 = ANY). */
  readonly proto: number;
  /** 0 External, 1 Internal. */
  readonly scope: 0 | 1;
  /** Reverse-NAT id. */
  readonly revNat: number;
  /** Type flag. */
  readonly type: FrontendType;
  /** Flags. */
  readonly routable: boolean;
  /** eTP=Local flag. */
  readonly local: boolean;
  /** iTP=Local flag. */
  readonly internalLocal: boolean;
  /** two-scopes flag. */
  readonly twoScopes: boolean;
  /** dsr flag. */
  readonly dsr: boolean;
  /** sessionAffinity flag. */
  readonly sessionAffinity: boolean;
  /** Source ranges (undefined = no check). */
  readonly sourceRanges?: readonly WirePrefix[];
  /** Source-range deny flag. */
  readonly sourceRangesDeny: boolean;
  /** Slots 1..n. */
  readonly backends: readonly NetBackend[];
  /** Eligible slots. */
  readonly count: number;
  /** Maglev table (backend ids). */
  readonly maglev?: ArrayLike<number>;
  /** Backend by id. */
  readonly byId: ReadonlyMap<number, NetBackend>;
  /** Local redirect: pods whose own traffic skips it. */
  readonly skipRedirectFrom?: ReadonlySet<string>;
  /** Local redirect of a service: the frontend as it was (for the pods that skip it). */
  readonly original?: NetFrontend;
}

/**
 * A compiled Cilium node.
 *
 * @example
 * ```ts
 * net.nodes.get('k8s-w1')?.endpoints.size;
 * ```
 */
export interface NetNode {
  /** Name. */
  readonly name: string;
  /** Its host. */
  readonly host: NetHost;
  /** Node addresses (u32 IPv4, bigint IPv6), the IPv4 InternalIP first. */
  readonly addrs: readonly WireAddr[];
  /** IPv4 InternalIP (u32), or -1. */
  readonly internalIP: number;
  /** IPv6 InternalIP, when the node has one. */
  readonly internalIP6?: bigint;
  /** `cilium_host` IPv4 address or -1. */
  readonly ciliumHostIP: number;
  /** `cilium_host` IPv6 address, when known. */
  readonly ciliumHostIP6?: bigint;
  /** Pod CIDRs (both families). */
  readonly podCIDRs: readonly WirePrefix[];
  /** Devices with `bpf_host`. */
  readonly devices: ReadonlySet<string>;
  /** Service lookup: address → (port, proto, scope key) → frontend. */
  readonly services: ReadonlyMap<WireAddr, ReadonlyMap<number, NetFrontend>>;
  /** Local endpoints: pod address (either family) → pod. */
  readonly endpoints: ReadonlyMap<WireAddr, NetPod>;
  /** Host-network pods on the node (they answer on the node's addresses). */
  readonly hostPods: readonly NetPod[];
  /** Health-check node port servers by port (absent: none). */
  readonly healthServers?: ReadonlyMap<number, HealthServerSpec>;
}

/**
 * A compiled pod.
 *
 * @example
 * ```ts
 * net.pods.get('default/curl-pod')?.node; // 'k8s-ctr'
 * ```
 */
export interface NetPod {
  /** `namespace/name`. */
  readonly key: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Node name. */
  readonly node: string;
  /** IPv4 address (u32); the node's InternalIP for host-network pods; -1 when none. */
  readonly ip: number;
  /** Host network. */
  readonly hostNetwork: boolean;
  /** Whether a `traefik/whoami` container runs in it. */
  readonly whoami: boolean;
  /** TCP ports something listens on (whoami: 80 plus declared ports). */
  readonly tcpPorts: ReadonlySet<number>;
  /** UDP ports declared. */
  readonly udpPorts: ReadonlySet<number>;
  /** Security identity (0 unknown). */
  readonly identity: number;
  /** MAC of `eth0` (lower-case, colon-separated), when known. */
  readonly mac?: string;
  /** ipv6 (issue 18): the pod's IPv6 addresses (text), when it has any (whoami lists them). */
  readonly ips6?: readonly string[];
  /** The pod's IPv6 address (the first), when it has one; the node's IPv6 InternalIP for host-network pods. */
  readonly ip6?: bigint;
}

/**
 * The compiled network the walk reads.
 *
 * @example
 * ```ts
 * const net = compileNetwork(cluster);
 * net.hosts.get('router')?.hashPolicy; // 0
 * ```
 */
export interface Network {
  /** The description it was built from. */
  readonly spec: NetworkSpec;
  /** Agent settings. */
  readonly config: DatapathConfig;
  /** Native routing CIDR (compiled). */
  readonly nativeRoutingCIDR?: WirePrefix;
  /** IPv6 native routing CIDR (compiled). */
  readonly nativeRoutingCIDR6?: Prefix6;
  /** Hosts by name. */
  readonly hosts: ReadonlyMap<string, NetHost>;
  /** Cilium nodes by name. */
  readonly nodes: ReadonlyMap<string, NetNode>;
  /** Pods by `namespace/name`. */
  readonly pods: ReadonlyMap<string, NetPod>;
  /** Non-host-network pods by address. */
  readonly podsByIp: ReadonlyMap<WireAddr, NetPod>;
  /** Node by any of its addresses (node IPs and `cilium_host`). */
  readonly nodesByIp: ReadonlyMap<WireAddr, NetNode>;
  /**
   * The ECMP member a host picks for a flow (decision 5: the FIB stage's hash of the fields
   * the host's hash policy selects).
   */
  readonly ecmpMember: (host: NetHost, route: FibRoute, flow: FlowTuple) => number;
  /** The policy stage (`src/policy/`) when compiled from a cluster; absent: no policy is enforced. */
  readonly policy?: PolicyEngine;
  /**
   * Cluster mesh: the policy engine of each remote cluster's pod (`namespace/name` → the engine
   * of the cluster that owns it), so that a packet delivered to (or sent by) a pod of another
   * cluster meets that cluster's policies. Pods absent here use {@link Network.policy}.
   */
  readonly podPolicies?: ReadonlyMap<string, PolicyEngine>;
  /** The egress stage's view (egress gateway map, ip-masq-agent), when compiled from a cluster. */
  readonly egress?: EgressDatapath;
  /** Cilium Ingress (Envoy listeners, node ingress addresses), when the ingress controller is on. */
  readonly ingress?: IngressDatapath;
}

/**
 * The fields a flow hash may read.
 *
 * @example
 * ```ts
 * const f: FlowTuple = { src: 0, dst: 0xac100101, sport: 40000, dport: 80, proto: 6 };
 * ```
 */
export interface FlowTuple {
  /** Source address (0 when not yet chosen). */
  readonly src: WireAddr;
  /** Destination address. */
  readonly dst: WireAddr;
  /** Source port. */
  readonly sport: number;
  /** Destination port. */
  readonly dport: number;
  /** IANA protocol number. */
  readonly proto: number;
}
