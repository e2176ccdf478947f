/**
 * Types of the session and propagation stage: every configured neighbour's session state, each
 * FRR router's RIBs, what zebra installs, and the counters `cilium bgp peers` shows.
 *
 * @module
 */
import type { IpAddress, IpPrefix } from '../../input/types.js';
import type { KernelRoute } from '../../fib/types.js';
import type { Candidate } from '../frr/bestpath.js';
import type { FrrConfig } from '../frr/types.js';
import type { BgpNeighborConfig, BgpPath, BgpSpeaker } from '../speaker.js';

/**
 * The routing-table lookups the stage needs (from the base tables, without BGP routes), given as
 * functions so that the stage does not depend on the FIB's internals.
 *
 * @example
 * ```ts
 * const base = baseRoutingTables(cluster);
 * const tables: BgpTables = {
 *   sourceAddress: sourceAddressLookup(base), reachable: reachabilityLookup(base), connected: connectedLookup(base),
 * };
 * ```
 */
export interface BgpTables {
  /** The source address a host uses towards a destination (`ip route get DST` src). */
  readonly sourceAddress: (host: string, dst: IpAddress) => IpAddress | undefined;
  /** True when a host has a usable route to a destination. */
  readonly reachable: (host: string, dst: IpAddress) => boolean;
  /** True when an address is on one of the host's connected subnets. */
  readonly connected: (host: string, addr: IpAddress) => boolean;
  /**
   * Optional: how a host reaches an address (gateway and device of the route used), for zebra's
   * next-hop resolution. Without it, next hops resolve only on the router's connected subnets.
   */
  readonly resolve?: (host: string, dst: IpAddress) => { readonly gateway?: IpAddress; readonly dev: string } | undefined;
}

/**
 * Session state as FRR names it (`bgp_status_msg`), plus `Idle (Admin)` for a shut neighbour.
 *
 * @example
 * const s: SessionState = 'Established';
 */
export type SessionState = 'Established' | 'Active' | 'Idle' | 'Idle (Admin)';

/**
 * One configured neighbour of one speaker and what became of its session.
 *
 * @example
 * ```ts
 * const p = result.peers.find((x) => x.host === 'router' && x.neighbor.address.toString() === '192.168.10.100');
 * p?.state; // 'Established'
 * ```
 */
export interface BgpPeerStatus {
  /** Host of the speaker that configures this neighbour. */
  readonly host: string;
  /** `cilium` or `frr`. */
  readonly kind: 'cilium' | 'frr';
  /** Instance name of the speaker. */
  readonly instance: string;
  /** The speaker's local AS. */
  readonly localAs: number;
  /** The neighbour as configured. */
  readonly neighbor: BgpNeighborConfig;
  /** Session state. */
  readonly state: SessionState;
  /** Why the session is not Established (FRR's wording where it has one). */
  readonly reason?: string;
  /** The peer's AS: the AS in its OPEN when Established, else the configured number. */
  readonly remoteAs?: number;
  /** eBGP or iBGP (known once the AS is). */
  readonly type?: 'external' | 'internal';
  /** The session's local address (Established only). */
  readonly localAddress?: IpAddress;
  /** The other end (Established only). */
  readonly remote?: {
    /** Host. */
    readonly host: string;
    /** Instance. */
    readonly instance: string;
    /** Kind of speaker. */
    readonly kind: 'cilium' | 'frr';
    /** BGP identifier. */
    readonly routerId: IpAddress;
    /** Hostname it announces (FRR peers: `hostname`), for `show-hostname`. */
    readonly hostname?: string;
  };
  /** Negotiated hold time (configured when not Established). */
  readonly holdTime: number;
  /** Effective keepalive (configured when not Established). */
  readonly keepalive: number;
  /** Seconds since Established (a fixed documented value), undefined otherwise. */
  readonly uptimeSeconds?: number;
  /** Address families negotiated (both sides configure them). */
  readonly families: readonly string[];
  /** Paths received from the peer (adj-RIB-in, before import policy). */
  readonly received: number;
  /** Paths accepted (FRR `PfxRcd`: valid paths that passed inbound policy; Cilium: not own-AS looped). */
  readonly accepted: number;
  /** Prefixes sent to the peer (FRR `PfxSnt`). */
  readonly sent: number;
  /**
   * v6walk: `PfxRcd`/`PfxSnt` per address family (`ipv4-unicast`, `ipv6-unicast`) of a neighbour
   * (FRR prints each family's counts in that family's summary); absent when not Established.
   */
  readonly byFamily?: Readonly<Record<string, { readonly accepted: number; readonly sent: number }>>;
  /**
   * GoBGP's `Advertised` counter (`cilium bgp peers`): prefixes it sends plus one End-of-RIB
   * marker per configured family once graceful restart is negotiated (both ends enable it);
   * 0 when not Established.
   */
  readonly advertised: number;
  /** `bgp ebgp-requires-policy` blocks everything received (FRR `(Policy)` in PfxRcd). */
  readonly inboundPolicyMissing: boolean;
  /** `bgp ebgp-requires-policy` blocks everything sent (FRR `(Policy)` in PfxSnt). */
  readonly outboundPolicyMissing: boolean;
  /** Messages received (a documented formula: OPEN + KEEPALIVE + UPDATEs + End-of-RIB + keepalives over the uptime). */
  readonly messagesReceived: number;
  /** Messages sent (same formula). */
  readonly messagesSent: number;
}

/**
 * One prefix of an FRR router's Loc-RIB.
 *
 * @example
 * ```ts
 * const e = router.locRib.find((x) => prefixKey(x.prefix) === '172.16.1.1/32');
 * e?.reason; // 'Router ID'
 * ```
 */
export interface LocRibEntry {
  /** The prefix. */
  readonly prefix: IpPrefix;
  /** Paths, as FRR lists them (best first). */
  readonly paths: readonly Candidate[];
  /** Index of the best path, when there is one. */
  readonly best?: number;
  /** FRR's reason string for the selection. */
  readonly reason: string;
  /** Indices of the multipath set (best first). */
  readonly multipath: readonly number[];
  /** Indices of deterministic-MED group winners (`bestpath-from-AS`). */
  readonly dmedSelected: readonly number[];
  /** Table version of the prefix (documented order: local first, then shorter prefixes, then address). */
  readonly version: number;
  /** Peers the best path is advertised to (ascending address). */
  readonly advertisedTo: readonly IpAddress[];
  /** True when zebra installed the route (selected over connected/kernel/static routes). */
  readonly installed: boolean;
}

/**
 * Everything the model knows about one FRR router.
 *
 * @example
 * ```ts
 * result.routers.get('router')?.locRib.length; // 5 in the lab with lb.yaml
 * ```
 */
export interface FrrRouterState {
  /** Host name. */
  readonly host: string;
  /** Parsed configuration. */
  readonly config: FrrConfig;
  /** The router as a neutral speaker (undefined without `router bgp`). */
  readonly speaker?: BgpSpeaker;
  /** Its neighbours' session states. */
  readonly peers: readonly BgpPeerStatus[];
  /** Received paths per neighbour address (wire form, before inbound policy). */
  readonly adjRibIn: ReadonlyMap<string, readonly BgpPath[]>;
  /** Loc-RIB, by prefix. */
  readonly locRib: readonly LocRibEntry[];
  /** Paths sent per neighbour address. */
  readonly adjRibOut: ReadonlyMap<string, readonly BgpPath[]>;
  /** `BGP table version`. */
  readonly tableVersion: number;
  /** Route-table nodes of the BGP table (what `RIB entries` counts, including branch nodes). */
  readonly ribNodes: number;
  /** Routes zebra installs into the kernel. */
  readonly installed: readonly KernelRoute[];
}

/**
 * The counters `cilium bgp peers` shows for one Cilium peer and family.
 *
 * @example
 * ```ts
 * result.ciliumPeers.find((p) => p.node === 'k8s-ctr')?.advertised; // 3 in the lab with lb.yaml
 * ```
 */
export interface CiliumPeerCounters {
  /** Node. */
  readonly node: string;
  /** Instance name. */
  readonly instance: string;
  /** Peer name (label). */
  readonly peer: string;
  /** Peer address. */
  readonly peerAddress: IpAddress;
  /** Local AS. */
  readonly localAs: number;
  /** Peer AS (configured, else learned). */
  readonly peerAs: number;
  /** GoBGP session state name (`established`, `active`, `idle`). */
  readonly state: 'established' | 'active' | 'idle';
  /** Uptime in seconds (0 when not established). */
  readonly uptimeSeconds: number;
  /** Family, e.g. `ipv4/unicast`. */
  readonly family: string;
  /** Paths received in this family. */
  readonly received: number;
  /** Paths accepted in this family. */
  readonly accepted: number;
  /** GoBGP's Advertised counter in this family (with the End-of-RIB marker under graceful restart). */
  readonly advertised: number;
  /** Negotiated hold time. */
  readonly holdTime: number;
  /** Effective keepalive. */
  readonly keepalive: number;
}

/**
 * The result of the BGP network stage.
 *
 * @example
 * ```ts
 * const bgp = runBgpNetwork(cluster, ciliumSpeakers(cluster), tables);
 * bgp.installed.get('router')?.length; // 3 in the lab
 * ```
 */
export interface BgpNetworkResult {
  /** Every speaker (FRR and Cilium), by host then instance. */
  readonly speakers: readonly BgpSpeaker[];
  /** Every configured neighbour of every speaker, by host, instance, address. */
  readonly peers: readonly BgpPeerStatus[];
  /** FRR routers by host name (hosts with an `frr:` text). */
  readonly routers: ReadonlyMap<string, FrrRouterState>;
  /** Routes zebra installs, per host (FRR routers only; Cilium installs nothing it learns). */
  readonly installed: ReadonlyMap<string, readonly KernelRoute[]>;
  /** `cilium bgp peers` counters, per Cilium peer and family. */
  readonly ciliumPeers: readonly CiliumPeerCounters[];
  /** True when propagation reached a fixed point within the round limit. */
  readonly converged: boolean;
  /** Rounds of propagation run. */
  readonly rounds: number;
  /** Things worth telling the user (parse errors, not-modelled FRR lines, dropped paths). */
  readonly warnings: readonly string[];
}
