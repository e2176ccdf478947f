/**
 * Hashes the packet walk uses besides the Maglev stage's (`maglevPacketHash`, `jhash3Words`):
 * the documented flow hash that stands in for random draws (decision 6 of
 * `shared/reference/README.md`), the Maglev seed words, FNV-1a for identifiers.
 *
 * @module
 */

import { jhash3Words } from '../datapath/maglev/jhash.js';
import { maglevSeeds } from '../datapath/maglev/config.js';
import { PROTO_NUMBER, fnv1a } from '../net/hash.js';

export { PROTO_NUMBER, fnv1a, maglevSeeds };


/**
 * Decision 6: the flow hash that replaces Cilium's `prandom` backend pick under
 * `bpf-lb-algorithm: random` (and in socket LB): `jhash_3words(saddr, daddr, (sport << 16) | dport,
 * proto)`. The slot is `hash % count + 1`, so a flow keeps its backend and different flows spread.
 *
 * @example
 * ```ts
 * const slot = (flowHash(src, dst, 40000, 80, 6) % count) + 1;
 * ```
 */
export function flowHash(saddr: number, daddr: number, sport: number, dport: number, proto: number): number {
  return jhash3Words(saddr, daddr, (((sport & 0xffff) << 16) | (dport & 0xffff)) >>> 0, proto);
}



/**
 * Decision 6 for IPv6 (and mixed) flows: the same `jhash_3words`, each IPv6 address folded to 32
 * bits by XOR of its four words (an IPv4 number is its own fold). The model's stand-in for
 * `prandom`, as for IPv4: a flow keeps its backend, different flows spread.
 *
 * @example
 * ```ts
 * import { flowHash6 } from 'cilium-twin/packet';
 * declare const count: number;
 * const slot = (flowHash6(0xfd000000000000000000000000000001n, 0xfd000000000000000000000000000002n, 40000, 80, 6) % count) + 1;
 * ```
 */
export function flowHash6(saddr: number | bigint, daddr: number | bigint, sport: number, dport: number, proto: number): number {
  return flowHash(fold32(saddr), fold32(daddr), sport, dport, proto);
}

function fold32(a: number | bigint): number {
  if (typeof a === 'number') return a;
  return Number(((a >> 96n) ^ (a >> 64n) ^ (a >> 32n) ^ a) & 0xffffffffn) >>> 0;
}
