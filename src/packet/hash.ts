/**
 * Hashes the packet walk uses: the kernel's jhash (as Cilium's `bpf/lib/jhash.h` has it), the
 * per-packet Maglev index, and the documented flow hash that stands in for random draws
 * (decision 6 of `shared/reference/README.md`).
 *
 * @module
 */

const JHASH_INITVAL = 0xdeadbeef;

function rol32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The kernel's `jhash_3words(a, b, c, initval)`: adds `initval + 0xdeadbeef + 12` to the three
 * words and runs `__jhash_final`. All values are unsigned 32-bit.
 *
 * @example
 * ```ts
 * jhash3(1, 2, 3, 0); // a fixed 32-bit value
 * ```
 */
export function jhash3(a0: number, b0: number, c0: number, initval: number): number {
  const init = (initval + JHASH_INITVAL + 12) >>> 0;
  let a = (a0 + init) >>> 0;
  let b = (b0 + init) >>> 0;
  let c = (c0 + init) >>> 0;
  c = ((c ^ b) - rol32(b, 14)) >>> 0;
  a = ((a ^ c) - rol32(c, 11)) >>> 0;
  b = ((b ^ a) - rol32(a, 25)) >>> 0;
  c = ((c ^ b) - rol32(b, 16)) >>> 0;
  a = ((a ^ c) - rol32(c, 4)) >>> 0;
  b = ((b ^ a) - rol32(a, 14)) >>> 0;
  c = ((c ^ b) - rol32(b, 24)) >>> 0;
  return c;
}

/**
 * Byte-swaps a 32-bit number (network bytes read as a little-endian word, as on x86).
 *
 * @example
 * ```ts
 * bswap32(0x0a000001) === 0x0100000a; // true
 * ```
 */
export function bswap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/**
 * Byte-swaps a 16-bit number.
 *
 * @example
 * ```ts
 * bswap16(80) === 0x5000; // true
 * ```
 */
export function bswap16(n: number): number {
  return ((n & 0xff) << 8) | ((n >>> 8) & 0xff);
}

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
 * The per-packet Maglev hash of `bpf/lib/lb.h` (`hash_from_tuple_v4`):
 * `jhash_3words(saddr, (dport << 16) | sport, proto, seed)` where the address and ports are the
 * network bytes read as little-endian words (x86), `dport` is the service port and `sport` the
 * client's port (0 for services with session affinity). The destination address is not hashed,
 * so a flow maps to the same slot whichever VIP or node it reaches.
 *
 * @example
 * ```ts
 * const slot = maglevPacketHash(clientIp, 40000, 80, 6, 0x71dcda46) % 16381;
 * ```
 */
export function maglevPacketHash(saddr: number, sport: number, dport: number, proto: number, seed: number): number {
  const a = bswap32(saddr);
  const b = ((bswap16(dport) << 16) | bswap16(sport)) >>> 0;
  return jhash3(a, b, proto, seed);
}

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
  return jhash3(saddr, daddr, (((sport & 0xffff) << 16) | (dport & 0xffff)) >>> 0, proto);
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
  const bytes = base64Bytes(seed);
  if (bytes === undefined || bytes.length !== 12) return undefined;
  const w = (i: number): number =>
    (((bytes[i] ?? 0) << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0;
  return [w(0), w(4), w(8)];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Bytes(text: string): number[] | undefined {
  const clean = text.replace(/=+$/, '');
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return out;
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
