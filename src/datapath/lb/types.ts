/**
 * What Cilium's load balancer holds on one node: the BPF maps `cilium_lb{4,6}_services_v2`,
 * `cilium_lb{4,6}_backends_v3`, `cilium_lb{4,6}_reverse_nat`, `cilium_lb{4,6}_source_range` and
 * `cilium_lb{4,6}_maglev`, in a form the views print and the packet walk reads.
 *
 * @module
 */
import type { IpAddress, IpPrefix, Protocol } from '../../input/types.js';

/**
 * L4 protocol of a frontend key; `ANY` only on wildcard rows (port 0).
 *
 * @example
 * const p: LbProtocol = 'TCP';
 */
export type LbProtocol = Protocol | 'ANY';

/**
 * Lookup scope of a frontend key: external (`0`) or internal (`1`, printed `/i`).
 *
 * @example
 * const s: LbScope = 'internal'; // printed '/i'
 */
export type LbScope = 'external' | 'internal';

/**
 * Frontend (service) type, as Cilium's `SVCType` spells it.
 *
 * @example
 * const t: LbFrontendType = 'LoadBalancer';
 */
export type LbFrontendType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIPs' | 'HostPort' | 'LocalRedirect';

/**
 * Backend state, as `cilium-dbg service list` prints it.
 *
 * @example
 * const s: LbBackendState = 'terminating';
 */
export type LbBackendState =
  | 'active'
  | 'terminating'
  | 'terminating-not-serving'
  | 'quarantined'
  | 'maintenance';

/**
 * The Kubernetes object a frontend was made from.
 *
 * @example
 * const r: LbServiceRef = { namespace: 'default', name: 'webpod' };
 */
export interface LbServiceRef {
  /** Namespace. */
  readonly namespace: string;
  /**
   * Service name; for HostPort, Cilium's synthetic `<pod>:host-port:<port>:<pod UID>` name; for a
   * health-check frontend, `<service>:healthserver`.
   */
  readonly name: string;
}

/**
 * One backend row of `cilium_lb4_backends_v3` (shared by every frontend that uses it).
 *
 * @example
 * backendById(maps, 1)?.nodeName; // 'k8s-ctr'
 */
export interface LbBackend {
  /** Backend ID (the same for the same address/port/protocol on every node; see docs/decisions.md). */
  readonly id: number;
  /** Backend address. */
  readonly address: IpAddress;
  /** Backend port. */
  readonly port: number;
  /** L4 protocol. */
  readonly protocol: Protocol;
  /** State (map flags 0 active, 1 terminating, 2 quarantined, 3 maintenance). */
  readonly state: LbBackendState;
  /** The node the endpoint runs on, when the EndpointSlice says. */
  readonly nodeName?: string;
  /** The pod behind the endpoint, when known. */
  readonly pod?: { readonly namespace: string; readonly name: string };
  /** The service port names this backend serves (sorted). */
  readonly portNames: readonly string[];
  /** Weight (Cilium's default 100). */
  readonly weight: number;
  /** For a backend of a global service from another cluster of a mesh: that cluster's ID. */
  readonly clusterId?: number;
}

/**
 * One frontend: the master row (slot 0) of the services map and its backend slots.
 *
 * @example
 * lookupFrontend(maps, IPv4.fromString('172.16.1.1'), 80, 'TCP')?.flagNames; // ['LoadBalancer']
 */
export interface LbFrontend {
  /** Service ID = reverse-NAT index (`(N)` in `bpf lb list`); 0 for wildcard rows. */
  readonly id: number;
  /** Frontend address (`0.0.0.0`/`::` for the NodePort/HostPort surrogate). */
  readonly address: IpAddress;
  /** Frontend port (0 for wildcard rows). */
  readonly port: number;
  /** L4 protocol (`ANY` for wildcard rows). */
  readonly protocol: LbProtocol;
  /** Lookup scope. */
  readonly scope: LbScope;
  /** Frontend type. */
  readonly type: LbFrontendType;
  /** The service it belongs to. */
  readonly service: LbServiceRef;
  /** The service port's name ('' when unnamed). */
  readonly portName: string;
  /** The service port (`spec.ports[].port`; for NodePort rows the service port, not the node port). */
  readonly servicePort: number;
  /** True for the `0.0.0.0`/`::` NodePort or HostPort surrogate. */
  readonly surrogate: boolean;
  /** True for a NodePort/HostPort copy on a node address (exists only in the maps). */
  readonly nodeAddressCopy: boolean;
  /** True for a wildcard `VIP:0/ANY` row (drops unknown ports of a known VIP). */
  readonly wildcard: boolean;
  /** Master-row flags (u16: `flags | flags2 << 8`). */
  readonly flags: number;
  /** Backend-slot flags (the master flags without the source-range bits). */
  readonly slotFlags: number;
  /** The master flags as `cilium-dbg` prints them, in order (`['ClusterIP', 'non-routable']`). */
  readonly flagNames: readonly string[];
  /** Backend IDs of slots 1..n, in slot order (active first). */
  readonly backendIds: readonly number[];
  /** `count`: backends the datapath selects from (active, or terminating when none is active). */
  readonly count: number;
  /** `qcount`: the other slots (terminating, terminating-not-serving, quarantined). */
  readonly qcount: number;
  /** The service's `externalTrafficPolicy`. */
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  /** The service's `internalTrafficPolicy`. */
  readonly internalTrafficPolicy: 'Cluster' | 'Local';
  /** True when exactly one of eTP/iTP is Local: the service has an internal-scope (`/i`) copy. */
  readonly twoScopes: boolean;
  /** `sessionAffinity: ClientIP` (and session affinity enabled). */
  readonly sessionAffinity: boolean;
  /** Affinity timeout in seconds (0 without affinity). */
  readonly affinityTimeoutSeconds: number;
  /** `lb_alg` written in the master value: 0 undef, 1 random, 2 maglev (annotation only). */
  readonly lbAlgorithmBits: 0 | 1 | 2;
  /** How the datapath picks a backend for this frontend. */
  readonly algorithm: 'random' | 'maglev';
  /** Forwarding of N-S traffic to a remote backend. */
  readonly forwardingMode: 'snat' | 'dsr';
  /** True when the frontend is reachable from outside (no `non-routable`). */
  readonly routable: boolean;
  /** `loadBalancerSourceRanges` of the service (the source-range map holds them for this ID). */
  readonly sourceRanges: readonly IpPrefix[];
  /** The `check source-range` flag: the N-S path checks `sourceRanges`. */
  readonly checkSourceRange: boolean;
  /** `service.cilium.io/src-ranges-policy: deny`: the ranges are a deny list. */
  readonly sourceRangeDeny: boolean;
  /**
   * The Maglev lookup table (backend IDs, length M) when Cilium builds one for this frontend.
   * Frontends with the same active backends share one array: treat it as read-only.
   */
  readonly maglev?: Uint32Array;
  /**
   * Set when a `CiliumLocalRedirectPolicy` redirects this frontend to node-local pods (see
   * `redirect.ts`): the policy (`namespace/name`), the pods whose own traffic skips the redirect
   * (`skipRedirectFromBackend`), and for a service matcher the frontend as it was before.
   */
  readonly redirect?: {
    readonly policy: string;
    readonly skipFrom: readonly string[];
    readonly original?: LbFrontend;
  };
}

/**
 * A `cilium_lb4_reverse_nat` row: rev-NAT index to the frontend address the reply must show.
 *
 * @example
 * maps.revNat.map((r) => `${r.id} ${r.address}:${r.port}`);
 */
export interface LbRevNatEntry {
  /** Rev-NAT index (= service ID). */
  readonly id: number;
  /** Frontend address. */
  readonly address: IpAddress;
  /** Frontend port. */
  readonly port: number;
}

/**
 * A `cilium_lb4_source_range` row.
 *
 * @example
 * maps.sourceRanges.filter((s) => s.id === 5).map((s) => s.prefix.toCidrString());
 */
export interface LbSourceRangeEntry {
  /** Rev-NAT index. */
  readonly id: number;
  /** The allowed (or, with deny, refused) client prefix. */
  readonly prefix: IpPrefix;
}

/**
 * Every LB map of one node, as the twin's `maps(node)` (through {@link lbMapsBuilder}) computes it.
 *
 * @example
 * ```ts
 * const maps = nodeLbMaps(cluster, allocateLbIps(cluster), 'k8s-ctr');
 * maps.frontends.filter((f) => f.type === 'LoadBalancer').map((f) => f.id);
 * ```
 */
export interface NodeLbMaps {
  /** The node. */
  readonly node: string;
  /** Every frontend (master row), sorted by family, address, port, protocol, scope. */
  readonly frontends: readonly LbFrontend[];
  /** Every backend row referenced by a frontend of this node, sorted by ID. */
  readonly backends: readonly LbBackend[];
  /** Reverse-NAT rows, sorted by ID. */
  readonly revNat: readonly LbRevNatEntry[];
  /** Source-range rows, sorted by ID then prefix. */
  readonly sourceRanges: readonly LbSourceRangeEntry[];
  /** Maglev table size M in force (`bpf-lb-maglev-table-size`). */
  readonly maglevTableSize: number;
  /** `bpf-lb-maglev-hash-seed` in force. */
  readonly maglevHashSeed: string;
  /**
   * The node's health-check node port servers (`healthCheckNodePort` of the LoadBalancer services
   * with `externalTrafficPolicy: Local`), by port; absent when there are none.
   */
  readonly healthServers?: readonly LbHealthServer[];
}

/**
 * A health-check node port server of one node (Cilium's `loadbalancer-healthserver`): an HTTP
 * listener on `:port` (every address of the node) answering `200 OK` when the service has active
 * node-local backends, `503 Service Unavailable` when it has none, with the JSON body
 * `{"service":{"namespace":…,"name":…},"localEndpoints":N}`.
 *
 * @example
 * ```ts
 * import type { LbHealthServer } from 'cilium-twin/datapath';
 * const h: LbHealthServer = { port: 32000, service: { namespace: 'default', name: 'webpod' }, localEndpoints: 1 };
 * ```
 */
export interface LbHealthServer {
  /** The service's `healthCheckNodePort`. */
  readonly port: number;
  /** The service it reports on. */
  readonly service: LbServiceRef;
  /** Active backends of the service on this node (or without a node name), over all its ports. */
  readonly localEndpoints: number;
}
