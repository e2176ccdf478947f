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


