/**
 * The vendor-neutral view of a BGP speaker, where the two sides of a session meet.
 *
 * Cilium nodes (from their CiliumBGPNodeConfig, `src/bgp/cilium/`) and FRR routers (from their
 * `frr.conf`, `src/bgp/frr/`) are both turned into {@link BgpSpeaker}s; the session and
 * propagation stage (`src/bgp/network/`) pairs neighbours, decides which sessions come up, and
 * runs route exchange to a fixed point. A Cilium speaker imports nothing (its import policy
 * rejects every learned route) and its exports are fixed per neighbour, so it carries them as
 * data ({@link BgpNeighborConfig.exports}); an FRR router's policy is evaluated by the FRR stage
 * from its parsed configuration.
 *
 * @module
 */
import type { IpAddress, IpPrefix } from '../input/types.js';

/** BGP ORIGIN attribute. */
export type BgpOrigin = 'igp' | 'egp' | 'incomplete';

/**
 * A path as carried on the wire (UPDATE) or held in a RIB.
 *
 * @example
 * ```ts
 * const p: BgpPath = {
 *   prefix: IPv4CidrRange.fromCidr('172.20.1.0/24'), origin: 'igp', asPath: [65001],
 *   nextHop: IPv4.fromString('192.168.10.101'), communities: [], largeCommunities: [],
 * };
 * ```
 */
export interface BgpPath {
  /** The NLRI. */
  readonly prefix: IpPrefix;
  /** ORIGIN. */
  readonly origin: BgpOrigin;
  /** AS_PATH as a plain sequence, leftmost = most recent AS. */
  readonly asPath: readonly number[];
  /** NEXT_HOP (for a locally originated route in a RIB: 0.0.0.0 / ::). */
  readonly nextHop: IpAddress;
  /** MULTI_EXIT_DISC, when present. */
  readonly med?: number;
  /** LOCAL_PREF, when present (iBGP only on the wire). */
  readonly localPref?: number;
  /** Standard communities as `a:b` strings (well-known ones by their numeric form). */
  readonly communities: readonly string[];
  /** Large communities as `a:b:c` strings. */
  readonly largeCommunities: readonly string[];
}

/** A neighbour as one speaker configures it. */
export interface BgpNeighborConfig {
  /** The neighbour's address (where this speaker connects to, or accepts from). */
  readonly address: IpAddress;
  /**
   * The AS this speaker expects the neighbour to have: a number, or FRR's `external`
   * (any AS but mine), `internal` (my AS), `auto` (either).
   */
  readonly remoteAs: number | 'external' | 'internal' | 'auto';
  /** Source address forced by configuration (`update-source`, Cilium `localAddress`). */
  readonly localAddress?: IpAddress;
  /** eBGP multihop TTL; 1 (or absent) = directly connected only. */
  readonly ebgpMultihop?: number;
  /** Configured hold time (s). */
  readonly holdTime: number;
  /** Configured keepalive (s). */
  readonly keepalive: number;
  /** Destination port this speaker dials (179 unless configured). */
  readonly port: number;
  /** True when this speaker never initiates (only accepts). */
  readonly passive: boolean;
  /** Address families configured for the session, e.g. `ipv4-unicast`. */
  readonly families: readonly string[];
  /**
   * Cilium only: exactly what this speaker sends on this session once it is up, after its export
   * policies (default reject). `nextHop` is the unspecified address (0.0.0.0 / ::), meaning the
   * session's local address, which the session stage fills in. Absent for FRR routers.
   */
  readonly exports?: readonly BgpPath[];
  /**
   * Optional: graceful restart is enabled on this session (Cilium `gracefulRestart.enabled`,
   * FRR `bgp graceful-restart`). GoBGP counts one End-of-RIB marker per configured family in its
   * `Advertised` counter when it is on, which `cilium bgp peers` shows. Absent = off.
   */
  readonly gracefulRestart?: boolean;
  /** Name of the neighbour in this speaker's own configuration (Cilium peer name, FRR address or peer-group), for messages. */
  readonly label: string;
}

/** A BGP speaker: one Cilium BGP instance on a node, or one FRR `router bgp`. */
export interface BgpSpeaker {
  /** The host (node or router name) it runs on. */
  readonly host: string;
  /** `cilium` or `frr`. */
  readonly kind: 'cilium' | 'frr';
  /** Instance name (Cilium `bgpInstances[].name`; FRR: `default`). */
  readonly instance: string;
  /** Local AS. */
  readonly asn: number;
  /** Router ID. */
  readonly routerId: IpAddress;
  /** Port it listens on; `undefined` = does not listen (Cilium without `localPort`). */
  readonly listenPort?: number;
  /** Configured neighbours. */
  readonly neighbors: readonly BgpNeighborConfig[];
  /** Paths this speaker originates itself (FRR `network`/`redistribute`; Cilium advertisements). */
  readonly originated: readonly BgpPath[];
}
