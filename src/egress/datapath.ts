/**
 * What the packet walk reads from the egress stage: the egress gateway map (one per cluster,
 * identical on every node but for the egress IP) and the ip-masq-agent's non-masquerade list.
 * The walk's two hooks call {@link egressAtSource} (bpf_lxc on the source node) and
 * {@link egressSnatAt} (bpf_host on the way out of the gateway).
 *
 * Complexity: built once per cluster (see `gateway.ts`); each hook is O(entries of the source).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { Prefix4 } from '../net/addr.js';
import { type EgressEntry, type EgressState, egressLookup, egressState } from './gateway.js';
import { compiledNonMasquerade, masqueradeSettings } from './masquerade.js';

/**
 * The egress stage's datapath view.
 *
 * @example
 * ```ts
 * const d = egressDatapath(cluster);
 * d.state.enabled;
 * ```
 */
export interface EgressDatapath {
  /** The egress gateway state. */
  readonly state: EgressState;
  /** The ip-masq-agent's non-masquerade prefixes, when it runs. */
  readonly nonMasquerade?: readonly Prefix4[];
}

/**
 * The egress datapath of a cluster.
 *
 * @example
 * ```ts
 * egressDatapath(cluster).nonMasquerade; // undefined unless enable-ip-masq-agent
 * ```
 */
export function egressDatapath(cluster: Cluster): EgressDatapath {
  const nm = compiledNonMasquerade(masqueradeSettings(cluster));
  return { state: egressState(cluster), ...(nm !== undefined ? { nonMasquerade: nm } : {}) };
}

/**
 * What bpf_lxc does with a pod's packet to a non-cluster destination: nothing (`none`: no entry,
 * or an excluded CIDR), drop 194 (`no-gateway`), or send it to a gateway (`gateway`, chosen among
 * several by `flowHash % n`; the local node when it is the gateway itself).
 *
 * @example
 * ```ts
 * egressAtSource(d, src, dst, 0); // { kind: 'none' }
 * ```
 */
export function egressAtSource(
  d: EgressDatapath,
  src: number,
  dst: number,
  flowHash: number,
): { readonly kind: 'none' } | { readonly kind: 'no-gateway'; readonly entry: EgressEntry } | { readonly kind: 'gateway'; readonly gateway: number; readonly entry: EgressEntry } {
  if (!d.state.enabled) return NONE;
  const e = egressLookup(d.state, src, dst);
  if (e === undefined || e.excluded) return NONE;
  if (e.gateways.length === 0) return { kind: 'no-gateway', entry: e };
  const gateway = e.gateways.length === 1 ? e.gateways[0]! : e.gateways[(flowHash >>> 0) % e.gateways.length]!;
  return { kind: 'gateway', gateway, entry: e };
}

const NONE = { kind: 'none' } as const;

/**
 * The egress IP a gateway node (`nodeIP`) SNATs a packet to, `0` when it is the gateway but has
 * no egress IP (drop 204), or `undefined` when no entry makes it the gateway for this packet.
 *
 * @example
 * ```ts
 * egressSnatAt(d, gatewayIP, podIP, dst); // the egress IP as u32
 * ```
 */
export function egressSnatAt(d: EgressDatapath, nodeIP: number, src: number, dst: number): number | undefined {
  if (!d.state.enabled) return undefined;
  const e = egressLookup(d.state, src, dst);
  if (e === undefined || e.excluded || !e.gateways.includes(nodeIP)) return undefined;
  return e.egressIPs.get(nodeIP) ?? 0;
}
