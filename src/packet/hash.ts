/**
 * Hashes the packet walk uses besides the Maglev stage's (`maglevPacketHash`, `jhash3Words`):
 * the documented flow hash that stands in for random draws (decision 6 of
 * `shared/reference/README.md`), the Maglev seed words, FNV-1a for identifiers.
 *
 * @module
 */

import { jhash3Words } from '../datapath/maglev/jhash.js';
import { parseMaglevSeed } from '../datapath/maglev/config.js';

/**
 * IANA protocol numbers.
 *
 * @example
 * ```ts
 * PROTO_NUMBER.UDP; // 17
 * ```
 */
export const PROTO_NUMBER: Readonly<Record<'TCP' | 'UDP' | 'SCTP', number>> = { TCP: 6, UDP: 17, SCTP: 132 };

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
 * Decodes Cilium's `bpf-lb-maglev-hash-seed` (base64 of 12 bytes) into its three 32-bit words:
 * `[seedMurmur, seedJhash0, seedJhash1]`, read big-endian. `undefined` when malformed.
 *
 * @example
 * ```ts
 * maglevSeeds('JLfvgnHc2kaSUFaI'); // [0x24b7ef82, 0x71dcda46, 0x92505688]
 * ```
 */
export function maglevSeeds(seed: string): readonly [number, number, number] | undefined {
  try {
    const s = parseMaglevSeed(seed);
    return [s.murmurSeed, s.jhashSeed0, s.jhashSeed1];
  } catch {
    return undefined;
  }
}

/**
 * FNV-1a over a string (32-bit): the documented hash behind deterministic identifiers
 * (identities, endpoint ids, MAC addresses).
 *
 * @example
 * ```ts
 * fnv1a('default/curl-pod'); // a fixed 32-bit value
 * ```
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
