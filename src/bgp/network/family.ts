/**
 * ipv6 (issue 18): one address family of an FRR router's state, as FRR keeps it: each AFI/SAFI
 * has its own table (`show ip bgp` is IPv4 unicast, `show bgp ipv6 unicast` IPv6 unicast), its
 * own table version and route-table nodes, and its own activated neighbours.
 *
 * {@link familyRouterState} restricts a router's state to one family: Loc-RIB entries of that
 * family, their versions renumbered in the same documented order within the family, the table
 * version (the family's prefix count), the route-table nodes of the family's prefixes, the peers
 * activated for it, and the Adj-RIBs filtered. An IPv4-only router's IPv4 state is the state
 * itself (same object), so IPv4 answers stay byte-identical.
 *
 * Complexity: O(P log P) for P Loc-RIB entries (route-table nodes: O(P · bits) at worst).
 *
 * @module
 */
import { type Family, familyOf, networkValue, prefixLength, type IpPrefix } from '../../net/addr.js';
import type { BgpPath } from '../speaker.js';
import { routeTableNodes, trieNodeCount } from './run.js';
import type { FrrRouterState } from './types.js';

/**
 * The BGP family name of an address family (`ipv4-unicast` / `ipv6-unicast`).
 *
 * @example
 * unicastFamily(6); // 'ipv6-unicast'
 */
export function unicastFamily(family: Family): 'ipv4-unicast' | 'ipv6-unicast' {
  return family === 4 ? 'ipv4-unicast' : 'ipv6-unicast';
}

/**
 * Route-table nodes (prefixes plus branch nodes) of a set of prefixes of any family: what FRR's
 * `RIB entries` counts. IPv4 sets use {@link routeTableNodes}; IPv6 sets the same rule over
 * 128-bit values.
 *
 * @example
 * routeTableNodesAnyFamily([parsePrefix('fd00:1::/64')!, parsePrefix('fd00:2::/64')!]); // 3
 */
export function routeTableNodesAnyFamily(prefixes: readonly IpPrefix[]): number {
  if (prefixes.every((p) => familyOf(p) === 4)) return routeTableNodes(prefixes);
  const keys = [...new Map(prefixes.filter((p) => familyOf(p) === 6).map((p) => [`${networkValue(p)}/${prefixLength(p)}`, p])).values()].map((p) => ({
    addr: networkValue(p),
    len: prefixLength(p),
  }));
  return trieNodeCount(keys, (v, i) => Number((v >> BigInt(127 - i)) & 1n));
}

/**
 * A router's state restricted to one address family (see the module doc).
 *
 * @example
 * familyRouterState(router, 6).locRib.map((e) => formatPrefix(e.prefix)); // ['fd00:10:1::/64', …]
 */
export function familyRouterState(r: FrrRouterState, family: Family): FrrRouterState {
  const mine = r.locRib.filter((e) => familyOf(e.prefix) === family);
  const name = unicastFamily(family);
  const peers = r.peers.filter((p) => p.neighbor.families.includes(name));
  if (mine.length === r.locRib.length && peers.length === r.peers.length) return r;
  const rank = new Map([...mine].sort((a, b) => a.version - b.version).map((e, i) => [e, i + 1]));
  const keep = (m: ReadonlyMap<string, readonly BgpPath[]>): Map<string, readonly BgpPath[]> =>
    new Map([...m.entries()].map(([k, ps]) => [k, ps.filter((p) => familyOf(p.prefix) === family)]));
  return {
    ...r,
    peers,
    locRib: mine.map((e) => ({ ...e, version: rank.get(e)! })),
    adjRibIn: keep(r.adjRibIn),
    adjRibOut: keep(r.adjRibOut),
    tableVersion: mine.length,
    ribNodes: routeTableNodesAnyFamily(mine.map((e) => e.prefix)),
    installed: r.installed.filter((k) => familyOf(k.dst) === family),
  };
}
