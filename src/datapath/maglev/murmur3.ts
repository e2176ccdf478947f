/**
 * MurmurHash3 x64_128, as Cilium's `pkg/murmur3.Hash128(data, seed uint32)` computes it
 * (Austin Appleby's reference with a 32-bit seed copied into both 64-bit lanes, blocks read
 * little-endian as on every machine Cilium runs on).
 *
 * The hot path works on 32-bit halves with `Math.imul` and 16-bit limbs; no BigInt is involved.
 * BigInt appears only in {@link murmur3x64_128}, the convenience wrapper for callers and tests.
 *
 * @module
 */

// 64-bit constants split into [high, low] 32-bit words.
const C1_HI = 0x87c37b91;
const C1_LO = 0x114253d5;
const C2_HI = 0x4cf5ad43;
const C2_LO = 0x2745937f;
const FMIX1_HI = 0xff51afd7;
const FMIX1_LO = 0xed558ccd;
const FMIX2_HI = 0xc4ceb9fe;
const FMIX2_LO = 0x1a85ec53;

// Result registers of mul64 (module-local scratch; the functions are synchronous).
let mh = 0;
let ml = 0;

/** (ah:al) * (bh:bl) mod 2^64 into (mh:ml). */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  ml = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  mh = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** Output words of the last {@link murmur3Words} call: [h1 high, h1 low, h2 high, h2 low]. */
const OUT = new Uint32Array(4);

/**
 * MurmurHash3 x64_128 of `data[0..length)` with a 32-bit `seed`; returns a shared
 * `Uint32Array` `[h1hi, h1lo, h2hi, h2lo]` that the next call overwrites.
 *
 * @example
 * ```ts
 * const w = murmur3Words(new TextEncoder().encode('x'), 1, 0x24b7ef82);
 * const h1 = (BigInt(w[0]!) << 32n) | BigInt(w[1]!); // 3008469686142081045n
 * ```
 */
export function murmur3Words(data: Uint8Array, length: number, seed: number): Uint32Array {
  let h1h = 0;
  let h1l = seed >>> 0;
  let h2h = 0;
  let h2l = seed >>> 0;
  const nblocks = length >>> 4;
  let k1h: number;
  let k1l: number;
  let k2h: number;
  let k2l: number;
  let t: number;
  let lo: number;

  for (let b = 0; b < nblocks; b++) {
    const i = b << 4;
    k1l = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    k1h = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    k2l = (data[i + 8]! | (data[i + 9]! << 8) | (data[i + 10]! << 16) | (data[i + 11]! << 24)) >>> 0;
    k2h = (data[i + 12]! | (data[i + 13]! << 8) | (data[i + 14]! << 16) | (data[i + 15]! << 24)) >>> 0;

    // k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1
    mul64(k1h, k1l, C1_HI, C1_LO);
    t = ((mh << 31) | (ml >>> 1)) >>> 0; // rotl 31 (hi part)
    k1l = ((ml << 31) | (mh >>> 1)) >>> 0;
    k1h = t;
    mul64(k1h, k1l, C2_HI, C2_LO);
    h1h = (h1h ^ mh) >>> 0;
    h1l = (h1l ^ ml) >>> 0;
    // h1 = rotl(h1, 27); h1 += h2; h1 = h1*5 + 0x52dce729
    t = ((h1h << 27) | (h1l >>> 5)) >>> 0;
    h1l = ((h1l << 27) | (h1h >>> 5)) >>> 0;
    h1h = t;
    lo = h1l + h2l;
    h1h = (h1h + h2h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    h1l = lo >>> 0;
    mul64(h1h, h1l, 0, 5);
    lo = ml + 0x52dce729;
    h1h = (mh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    h1l = lo >>> 0;

    // k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2
    mul64(k2h, k2l, C2_HI, C2_LO);
    // rotl 33 = swap halves then rotl 1
    t = ((ml << 1) | (mh >>> 31)) >>> 0;
    k2l = ((mh << 1) | (ml >>> 31)) >>> 0;
    k2h = t;
    mul64(k2h, k2l, C1_HI, C1_LO);
    h2h = (h2h ^ mh) >>> 0;
    h2l = (h2l ^ ml) >>> 0;
    // h2 = rotl(h2, 31); h2 += h1; h2 = h2*5 + 0x38495ab5
    t = ((h2h << 31) | (h2l >>> 1)) >>> 0;
    h2l = ((h2l << 31) | (h2h >>> 1)) >>> 0;
    h2h = t;
    lo = h2l + h1l;
    h2h = (h2h + h1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    h2l = lo >>> 0;
    mul64(h2h, h2l, 0, 5);
    lo = ml + 0x38495ab5;
    h2h = (mh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    h2l = lo >>> 0;
  }

  // Tail: bytes 8..14 into k2, bytes 0..7 into k1 (little-endian).
  const tail = nblocks << 4;
  const rem = length & 15;
  if (rem > 8) {
    k2l = 0;
    k2h = 0;
    for (let j = rem - 1; j >= 8; j--) {
      const v = data[tail + j]!;
      const shift = (j - 8) * 8;
      if (shift < 32) k2l |= v << shift;
      else k2h |= v << (shift - 32);
    }
    mul64(k2h >>> 0, k2l >>> 0, C2_HI, C2_LO);
    t = ((ml << 1) | (mh >>> 31)) >>> 0;
    k2l = ((mh << 1) | (ml >>> 31)) >>> 0;
    k2h = t;
    mul64(k2h, k2l, C1_HI, C1_LO);
    h2h = (h2h ^ mh) >>> 0;
    h2l = (h2l ^ ml) >>> 0;
  }
  if (rem > 0) {
    k1l = 0;
    k1h = 0;
    const top = rem > 8 ? 8 : rem;
    for (let j = top - 1; j >= 0; j--) {
      const v = data[tail + j]!;
      const shift = j * 8;
      if (shift < 32) k1l |= v << shift;
      else k1h |= v << (shift - 32);
    }
    mul64(k1h >>> 0, k1l >>> 0, C1_HI, C1_LO);
    t = ((mh << 31) | (ml >>> 1)) >>> 0;
    k1l = ((ml << 31) | (mh >>> 1)) >>> 0;
    k1h = t;
    mul64(k1h, k1l, C2_HI, C2_LO);
    h1h = (h1h ^ mh) >>> 0;
    h1l = (h1l ^ ml) >>> 0;
  }

  // Finalisation: h ^= len (len < 2^32 here); h1 += h2; h2 += h1; fmix; h1 += h2; h2 += h1.
  h1l = (h1l ^ length) >>> 0;
  h2l = (h2l ^ length) >>> 0;
  lo = h1l + h2l;
  h1h = (h1h + h2h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  h1l = lo >>> 0;
  lo = h2l + h1l;
  h2h = (h2h + h1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  h2l = lo >>> 0;

  // fmix64(h1)
  h1l = (h1l ^ (h1h >>> 1)) >>> 0;
  mul64(h1h, h1l, FMIX1_HI, FMIX1_LO);
  h1h = mh;
  h1l = (ml ^ (mh >>> 1)) >>> 0;
  mul64(h1h, h1l, FMIX2_HI, FMIX2_LO);
  h1h = mh;
  h1l = (ml ^ (mh >>> 1)) >>> 0;
  // fmix64(h2)
  h2l = (h2l ^ (h2h >>> 1)) >>> 0;
  mul64(h2h, h2l, FMIX1_HI, FMIX1_LO);
  h2h = mh;
  h2l = (ml ^ (mh >>> 1)) >>> 0;
  mul64(h2h, h2l, FMIX2_HI, FMIX2_LO);
  h2h = mh;
  h2l = (ml ^ (mh >>> 1)) >>> 0;

  lo = h1l + h2l;
  h1h = (h1h + h2h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  h1l = lo >>> 0;
  lo = h2l + h1l;
  h2h = (h2h + h1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  h2l = lo >>> 0;

  OUT[0] = h1h;
  OUT[1] = h1l;
  OUT[2] = h2h;
  OUT[3] = h2l;
  return OUT;
}

const encoder = new TextEncoder();

/**
 * MurmurHash3 x64_128 of a string (UTF-8) or bytes with a 32-bit seed, as Cilium's
 * `murmur3.Hash128`. Returns both 64-bit halves as unsigned BigInts.
 *
 * @example
 * ```ts
 * murmur3x64_128('[10.0.0.1:80/TCP,State:active]', 0x24b7ef82);
 * // { h1: 14274885571859861510n, h2: 5378949350395471594n }
 * ```
 */
export function murmur3x64_128(data: string | Uint8Array, seed: number): { h1: bigint; h2: bigint } {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const w = murmur3Words(bytes, bytes.length, seed);
  return {
    h1: (BigInt(w[0]!) << 32n) | BigInt(w[1]!),
    h2: (BigInt(w[2]!) << 32n) | BigInt(w[3]!),
  };
}

/**
 * `(hi * 2^32 + lo) mod m` for a 64-bit value given as two unsigned 32-bit words and `m` below
 * 2^21, without BigInt.
 *
 * @example
 * ```ts
 * mod64(1, 0, 16381); // 4294967296 % 16381 === 3026
 * ```
 */
export function mod64(hi: number, lo: number, m: number): number {
  // (hi mod m) * (2^32 mod m) < 2^42: exact in a double.
  return ((hi % m) * (4294967296 % m) + (lo % m)) % m;
}
