/**
 * FRR's routing policy as the model evaluates it: peer-group inheritance, prefix-lists,
 * route-maps (match prefix-list; set local-preference, metric, weight, communities, AS-path
 * prepend, next hop, origin) and the `ebgp-requires-policy` test.
 *
 * @module
 */
import type { IpAddress, IpPrefix } from '../../input/types.js';
import type { BgpPath } from '../speaker.js';
import { inPrefix, isIPv4Prefix, prefix4Of } from '../../net/addr.js';
import type { FrrBgpRouter, FrrConfig, FrrNeighbor, FrrNeighborSettings } from './types.js';

/**
 * A path with the attribute only the local router keeps (weight), as policies see it.
 *
 * @example
 * const r: PolicyRoute = { path, weight: 0 };
 */
export interface PolicyRoute {
  /** Path attributes. */
  readonly path: BgpPath;
  /** Weight. */
  readonly weight: number;
}

/**
 * A neighbour's settings with its peer-group's merged in (its own win).
 *
 * @example
 * effectiveSettings(bgp, neighbor).remoteAs; // 'external' (from the CILIUM group)
 */
export function effectiveSettings(bgp: FrrBgpRouter, n: FrrNeighbor): FrrNeighborSettings {
  const group = n.peerGroup === undefined ? undefined : bgp.peerGroups.find((g) => g.name === n.peerGroup);
  return { ...(group?.settings ?? {}), ...n.settings };
}

/**
 * True when the neighbour has an inbound policy in FRR's sense (route-map, prefix-list,
 * filter-list or distribute-list `in`), as `bgp ebgp-requires-policy` checks.
 *
 * @example
 * hasInboundPolicy({ routeMapIn: 'IN' }); // true
 */
export function hasInboundPolicy(s: FrrNeighborSettings): boolean {
  return s.routeMapIn !== undefined || s.prefixListIn !== undefined;
}

/**
 * True when the neighbour has an outbound policy (route-map, prefix-list, filter-list,
 * distribute-list `out`, unsuppress-map).
 *
 * @example
 * hasOutboundPolicy({}); // false
 */
export function hasOutboundPolicy(s: FrrNeighborSettings): boolean {
  return s.routeMapOut !== undefined || s.prefixListOut !== undefined;
}

/**
 * Evaluates a prefix-list: the first entry (by sequence) that matches decides; no match denies.
 * A list that is not defined permits everything (FRR's `prefix_list_apply` on a missing list);
 * the empty name stands for a filter the model does not evaluate (filter-list) and permits.
 *
 * @example
 * prefixListPermits(config, 'PODS', IPv4CidrRange.fromCidr('172.20.1.0/24')); // true
 */
export function prefixListPermits(config: FrrConfig, name: string, prefix: IpPrefix): boolean {
  if (name === '') return true;
  const list = config.prefixLists.get(name);
  if (list === undefined) return true;
  const m = prefixListMatch(config, name, prefix);
  return m === 'permit';
}

/**
 * The action of the first matching prefix-list entry, `undefined` when none matches or the
 * list does not exist.
 *
 * @example
 * prefixListMatch(config, 'PODS', IPv4CidrRange.fromCidr('10.0.0.0/8')); // 'deny'
 */
export function prefixListMatch(config: FrrConfig, name: string, prefix: IpPrefix): 'permit' | 'deny' | undefined {
  const list = config.prefixLists.get(name);
  if (list === undefined || !isIPv4Prefix(prefix)) return undefined;
  const { addr: net, len } = prefix4Of(prefix);
  for (const e of list) {
    if (e.prefix === undefined) return e.action;
    const p = prefix4Of(e.prefix);
    if (len < p.len) continue;
    if (!inPrefix(net, p)) continue;
    const lo = e.ge ?? (e.le !== undefined ? p.len : p.len);
    const hi = e.le ?? (e.ge !== undefined ? 32 : p.len);
    if (len < lo || len > hi) continue;
    return e.action;
  }
  return 'deny';
}

function communitySort(values: readonly string[]): string[] {
  const uniq = [...new Set(values)];
  return uniq.sort((a, b) => {
    const pa = a.split(':').map(Number);
    const pb = b.split(':').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * Where a route-map is applied (for `set ip next-hop peer-address`).
 *
 * @example
 * const c: RouteMapContext = { direction: 'in', peerAddress: IPv4.fromString('192.168.10.100') };
 */
export interface RouteMapContext {
  /** `in` (received from the peer), `out` (sent to it), `local` (network/redistribute). */
  readonly direction: 'in' | 'out' | 'local';
  /** The peer's address (in) or the session's local address (out). */
  readonly peerAddress?: IpAddress;
}

/**
 * Applies a route-map: entries by sequence; the first whose matches all hold decides (permit:
 * apply its sets; deny: drop); no matching entry denies. A route-map that is referenced but not
 * defined denies everything (FRR). Returns `undefined` when denied.
 *
 * @example
 * ```ts
 * applyRouteMap(config, 'IN', { path, weight: 0 }, { direction: 'in' })?.path.localPref; // 200
 * ```
 */
export function applyRouteMap(config: FrrConfig, name: string, route: PolicyRoute, ctx: RouteMapContext): PolicyRoute | undefined {
  if (name === '') return route;
  const entries = config.routeMaps.get(name);
  if (entries === undefined) return undefined;
  for (const e of entries) {
    const matches = e.matchPrefixLists.every((pl) => prefixListMatch(config, pl, route.path.prefix) === 'permit');
    if (!matches) continue;
    if (e.action === 'deny') return undefined;
    const s = e.sets;
    let path: BgpPath = route.path;
    let weight = route.weight;
    if (s.localPref !== undefined) path = { ...path, localPref: s.localPref };
    if (s.med !== undefined) path = { ...path, med: s.med };
    if (s.weight !== undefined) weight = s.weight;
    if (s.origin !== undefined) path = { ...path, origin: s.origin };
    if (s.communities !== undefined) {
      path = {
        ...path,
        communities: s.communities === 'none' ? [] : communitySort(s.communities.additive ? [...path.communities, ...s.communities.values] : s.communities.values),
      };
    }
    if (s.largeCommunities !== undefined) {
      path = {
        ...path,
        largeCommunities:
          s.largeCommunities === 'none' ? [] : communitySort(s.largeCommunities.additive ? [...path.largeCommunities, ...s.largeCommunities.values] : s.largeCommunities.values),
      };
    }
    if (s.asPathPrepend !== undefined) path = { ...path, asPath: [...s.asPathPrepend, ...path.asPath] };
    if (s.nextHop !== undefined && s.nextHop !== 'unchanged') {
      if (s.nextHop === 'peer-address') {
        if (ctx.peerAddress !== undefined) path = { ...path, nextHop: ctx.peerAddress };
      } else path = { ...path, nextHop: s.nextHop };
    }
    return { path, weight };
  }
  return undefined;
}

/**
 * True when a route-map entry sets `ip next-hop unchanged` on this route (outbound only).
 *
 * @example
 * keepsNextHop(config, 'OUT', path); // false
 */
export function keepsNextHop(config: FrrConfig, name: string | undefined, path: BgpPath): boolean {
  if (name === undefined || name === '') return false;
  const entries = config.routeMaps.get(name) ?? [];
  for (const e of entries) {
    if (!e.matchPrefixLists.every((pl) => prefixListMatch(config, pl, path.prefix) === 'permit')) continue;
    return e.action === 'permit' && e.sets.nextHop === 'unchanged';
  }
  return false;
}

/**
 * Sorts and de-duplicates communities numerically, as FRR stores them.
 *
 * @example
 * sortCommunities(['65000:2', '65000:10', '65000:2']); // ['65000:2', '65000:10']
 */
export function sortCommunities(values: readonly string[]): string[] {
  return communitySort(values);
}
