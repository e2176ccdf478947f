/**
 * The order in which the kernel dumps a table (`ip route` order) and route identity.
 *
 * IPv4 tables are LC-tries keyed by the network address: a dump walks keys in ascending order;
 * the routes of one key are kept sorted by suffix length ascending (so the longer prefix comes
 * first: 172.20.0.0/24 before 172.20.0.0/16), then by metric ascending (`fib_insert_alias`,
 * `fib_find_alias` in net/ipv4/fib_trie.c). The model uses the same key, with IPv4 before IPv6,
 * and breaks the remaining ties (routes the kernel would keep in insertion order) by type,
 * protocol and first gateway.
 *
 * @module
 */
import { compareIp, familyOf, networkValue, prefixLength } from '../net/addr.js';
import type { KernelRoute, KernelRouteType } from './types.js';
import { compareStrings } from '../net/compare.js';

const typeRank: Record<KernelRouteType, number> = {
  unicast: 0,
  local: 1,
  broadcast: 2,
  blackhole: 3,
  unreachable: 4,
  prohibit: 5,
};

/**
 * Comparator for kernel dump order (see module doc).
 *
 * @example
 * const ordered = [...routes].sort(compareKernelOrder);
 */
export function compareKernelOrder(a: KernelRoute, b: KernelRoute): number {
  const fa = familyOf(a.dst);
  const fb = familyOf(b.dst);
  if (fa !== fb) return fa - fb;
  const na = networkValue(a.dst);
  const nb = networkValue(b.dst);
  if (na !== nb) return na < nb ? -1 : 1;
  const la = prefixLength(a.dst);
  const lb = prefixLength(b.dst);
  if (la !== lb) return lb - la;
  if (a.metric !== b.metric) return a.metric - b.metric;
  if (a.type !== b.type) return typeRank[a.type] - typeRank[b.type];
  if (a.protocol !== b.protocol) return compareStrings(a.protocol, b.protocol);
  const ga = a.nexthops[0]?.gateway;
  const gb = b.nexthops[0]?.gateway;
  if (ga && gb) {
    const c = compareIp(ga, gb);
    if (c !== 0) return c;
  } else if (ga || gb) {
    return ga ? 1 : -1;
  }
  const da = a.nexthops[0]?.dev ?? '';
  const db = b.nexthops[0]?.dev ?? '';
  return compareStrings(da, db);
}

/**
 * True when the kernel would treat two routes as the same entry (same table, destination,
 * metric): a second `ip route add` of it fails with `File exists`.
 *
 * @example
 * sameRouteKey(r1, r2); // true when only the next hop differs
 */
export function sameRouteKey(a: KernelRoute, b: KernelRoute): boolean {
  return (
    a.table === b.table &&
    familyOf(a.dst) === familyOf(b.dst) &&
    networkValue(a.dst) === networkValue(b.dst) &&
    prefixLength(a.dst) === prefixLength(b.dst) &&
    a.metric === b.metric
  );
}
