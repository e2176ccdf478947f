/**
 * The FIB stage's ECMP member choice (decision 5, `src/fib/hash.ts`) for the packet walk: the
 * FIB stage's number-based `multipathHash4` and hash-threshold selection over a compiled route's
 * next hops.
 *
 * @module
 */
import { hashThresholdSelectBy, multipathHash, multipathHash4 } from '../fib/hash.js';
import type { FibNextHop, FibRoute, FlowTuple, NetHost } from './types.js';

export { multipathHash4 };

const weightOf = (h: FibNextHop): number => h.weight;

/**
 * Hash-threshold selection over a route's next hops (weights in group order).
 *
 * @example
 * ```ts
 * thresholdMember(route, 0); // 0
 * ```
 */
export function thresholdMember(route: FibRoute, hash: number): number {
  return hashThresholdSelectBy(route.nexthops, weightOf, hash);
}

/**
 * The ECMP member a host picks for a flow: the FIB stage's rule, on numbers.
 *
 * @example
 * ```ts
 * const i = fibEcmpMember(host, route, { src, dst, sport: 40000, dport: 80, proto: 6 });
 * ```
 */
export function fibEcmpMember(host: NetHost, route: FibRoute, flow: FlowTuple): number {
  if (route.nexthops.length <= 1) return 0;
  if (typeof flow.dst === 'bigint') {
    // IPv6: the FIB stage's 128-bit form of the same hash (`ip -6 route get` agrees)
    const src = typeof flow.src === 'bigint' ? flow.src : 0n;
    const fields = { family: 6 as const, src, dst: flow.dst, protocol: flow.proto, sport: flow.sport, dport: flow.dport };
    return thresholdMember(route, multipathHash(host.hashPolicy, fields, host.hashFields));
  }
  return thresholdMember(route, multipathHash4(host.hashPolicy, flow as { src: number; dst: number; sport: number; dport: number; proto: number }, host.hashFields));
}
