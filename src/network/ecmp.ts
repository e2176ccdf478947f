/**
 * The FIB stage's ECMP member choice (decision 5, `src/fib/hash.ts`) on 32-bit addresses: the
 * same FNV-1a over the same serialised fields and the same hash-threshold mapping, without
 * bigints, for the packet walk's hot path. Tests check it against `multipathHash` and
 * `hashThresholdSelect`.
 *
 * @module
 */
import type { FibRoute, FlowTuple, NetHost } from './types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function byte(h: number, b: number): number {
  return Math.imul(h ^ (b & 0xff), FNV_PRIME) >>> 0;
}

function word32(h: number, v: number): number {
  h = byte(h, v >>> 24);
  h = byte(h, v >>> 16);
  h = byte(h, v >>> 8);
  return byte(h, v);
}

function word16(h: number, v: number): number {
  return byte(byte(h, v >>> 8), v);
}

/**
 * The 31-bit multipath hash of an IPv4 flow under a hash policy (0 L3, 1 L4, 2 as 0, 3 custom
 * fields mask), identical to the FIB stage's `multipathHash`.
 *
 * @example
 * ```ts
 * multipathHash4(0, { src: 0, dst: 0xac100101, sport: 0, dport: 0, proto: 6 }, 7);
 * ```
 */
export function multipathHash4(policy: number, flow: FlowTuple, customFields: number): number {
  const mask = policy === 1 ? 0x37 : policy === 3 ? customFields : 0x3;
  let h = byte(FNV_OFFSET, 4);
  h = word32(h, mask & 0x1 ? flow.src : 0);
  h = word32(h, mask & 0x2 ? flow.dst : 0);
  if (policy === 1 || policy === 3) {
    h = byte(h, mask & 0x4 ? flow.proto : 0);
    h = word16(h, mask & 0x10 ? flow.sport : 0);
    h = word16(h, mask & 0x20 ? flow.dport : 0);
  }
  return h >>> 1;
}

/**
 * Hash-threshold selection over a route's next hops (weights in group order).
 *
 * @example
 * ```ts
 * thresholdMember(route, 0); // 0
 * ```
 */
export function thresholdMember(route: FibRoute, hash: number): number {
  const n = route.nexthops.length;
  if (n <= 1) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += route.nexthops[i]!.weight;
  if (total <= 0) return 0;
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += route.nexthops[i]!.weight;
    const bound = Math.floor((running * 2 ** 31 + total / 2) / total) - 1;
    if (hash <= bound) return i;
  }
  return n - 1;
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
  return thresholdMember(route, multipathHash4(host.hashPolicy, flow, host.hashFields));
}
