/**
 * FRR 8.4's defaults and the model's fixed choices where the real router depends on build
 * options, timing or history (reference README decisions 2–4). Kept in one place.
 *
 * @module
 */
import type { FrrDefaultsProfile } from './types.js';

/**
 * Decision 3: `maximum-paths` (eBGP and iBGP) when not configured. FRR starts every instance
 * with the compile-time `MULTIPATH_NUM`; the Debian/Ubuntu packages the labs install use 256.
 *
 * @example
 * DEFAULT_MAXIMUM_PATHS; // 256
 */
export const DEFAULT_MAXIMUM_PATHS = 256;

/**
 * The largest `maximum-paths` the CLI accepts (the same build constant).
 *
 * @example
 * MAX_MAXIMUM_PATHS; // 256
 */
export const MAX_MAXIMUM_PATHS = 256;

/**
 * Weight of locally originated paths (`network`, `redistribute`): `BGP_ATTR_DEFAULT_WEIGHT`.
 *
 * @example
 * LOCAL_WEIGHT; // 32768
 */
export const LOCAL_WEIGHT = 32768;

/**
 * Default LOCAL_PREF (`bgp default local-preference`).
 *
 * @example
 * DEFAULT_LOCAL_PREF; // 100
 */
export const DEFAULT_LOCAL_PREF = 100;

/**
 * The port bgpd listens on and dials.
 *
 * @example
 * BGP_PORT; // 179
 */
export const BGP_PORT = 179;

/**
 * Zebra's administrative distances for BGP routes: eBGP 20, iBGP 200 (`lib/frrdistance.h`).
 *
 * @example
 * BGP_DISTANCE.ebgp; // 20
 */
export const BGP_DISTANCE = { ebgp: 20, ibgp: 200 } as const;

/**
 * The kernel metric of every route zebra installs (`ROUTE_INSTALLATION_METRIC`).
 *
 * @example
 * ZEBRA_KERNEL_METRIC; // 20
 */
export const ZEBRA_KERNEL_METRIC = 20;

/**
 * Knobs that `frr defaults traditional|datacenter` sets (FRR 8.4, `FRR_CFG_DEFAULT_*`).
 *
 * @example
 * profileDefaults('datacenter').keepalive; // 3
 */
export interface ProfileDefaults {
  /** `bgp ebgp-requires-policy`. */
  readonly ebgpRequiresPolicy: boolean;
  /** `bgp deterministic-med`. */
  readonly deterministicMed: boolean;
  /** `bgp log-neighbor-changes`. */
  readonly logNeighborChanges: boolean;
  /** `bgp default show-hostname`. */
  readonly showHostname: boolean;
  /** Keepalive (s). */
  readonly keepalive: number;
  /** Hold time (s). */
  readonly holdTime: number;
}

/**
 * The defaults of a profile.
 *
 * @example
 * profileDefaults('traditional').ebgpRequiresPolicy; // true
 */
export function profileDefaults(profile: FrrDefaultsProfile): ProfileDefaults {
  return profile === 'datacenter'
    ? { ebgpRequiresPolicy: false, deterministicMed: true, logNeighborChanges: true, showHostname: true, keepalive: 3, holdTime: 9 }
    : { ebgpRequiresPolicy: true, deterministicMed: false, logNeighborChanges: false, showHostname: false, keepalive: 60, holdTime: 180 };
}

/**
 * The uptime every Established session shows (the model has no clock): 218 s, which FRR prints as
 * `00:03:38` (the bgp-lab's `show ip bgp summary`) and Cilium as `3m38s`.
 *
 * @example
 * SESSION_UPTIME_SECONDS; // 218
 */
export const SESSION_UPTIME_SECONDS = 218;

/**
 * The `Last update:` time `show ip bgp PREFIX` prints for every path (the model has no clock):
 * the bgp-lab's observation.
 *
 * @example
 * LAST_UPDATE_TEXT; // 'Fri Aug 15 06:41:04 2025'
 */
export const LAST_UPDATE_TEXT = 'Fri Aug 15 06:41:04 2025';

/**
 * Build-dependent sizes `show ip bgp summary` multiplies counts by (`struct bgp_dest`,
 * `struct peer`, `struct peer_group` on x86-64, FRR 8.4 as Ubuntu packages it); only the memory
 * figures depend on them. `bgp_dest` and `peer` are read off a published `show ip bgp summary` of
 * FRR 8.4.4 in a lab like ours (`RIB entries 9, using 1728 bytes`; `Peers 4, using 2896 KiB`).
 *
 * @example
 * STRUCT_SIZES.bgpDest; // 192
 */
export const STRUCT_SIZES = { bgpDest: 192, peer: 741376, peerGroup: 64 } as const;
