/**
 * The kernel's Jenkins hash (`include/linux/jhash.h`, also `bpf/lib/jhash.h` in Cilium), exactly:
 * `__jhash_mix`, `__jhash_final`, `jhash` (bytes), `jhash2` (32-bit words) and the
 * `jhash_1word` / `jhash_2words` / `jhash_3words` shortcuts. All arithmetic is modulo 2^32;
 * every function returns an unsigned 32-bit number.
 *
 * Byte loads follow the kernel on little-endian CPUs (x86-64, arm64): `jhash` reads whole 32-bit
 * words with `__get_unaligned_cpu32`, i.e. little-endian.
 *
 * @module
 */

/**
 * The kernel's `JHASH_INITVAL` (`0xdeadbeef`), an arbitrary start value.
 *
 * @example
 * ```ts
 * JHASH_INITVAL.toString(16); // 'deadbeef'
 * ```
 */
export const JHASH_INITVAL = 0xdeadbeef;

// Mix/final state (module-local scratch; the functions are synchronous).
let A = 0;
let B = 0;
let C = 0;

function rol32(w: number, s: number): number {
  return (w << s) | (w >>> (32 - s));
}

/** `__jhash_mix(a, b, c)` on the scratch registers. */
function mix(): void {
  A = (A - C) | 0; A ^= rol32(C, 4); C = (C + B) | 0;
  B = (B - A) | 0; B ^= rol32(A, 6); A = (A + C) | 0;
  C = (C - B) | 0; C ^= rol32(B, 8); B = (B + A) | 0;
  A = (A - C) | 0; A ^= rol32(C, 16); C = (C + B) | 0;
  B = (B - A) | 0; B ^= rol32(A, 19); A = (A + C) | 0;
  C = (C - B) | 0; C ^= rol32(B, 4); B = (B + A) | 0;
}

/** `__jhash_final(a, b, c)` on the scratch registers. */
function final(): void {
  C ^= B; C = (C - rol32(B, 14)) | 0;
  A ^= C; A = (A - rol32(C, 11)) | 0;
  B ^= A; B = (B - rol32(A, 25)) | 0;
  C ^= B; C = (C - rol32(B, 16)) | 0;
  A ^= C; A = (A - rol32(C, 4)) | 0;
  B ^= A; B = (B - rol32(A, 14)) | 0;
  C ^= B; C = (C - rol32(B, 24)) | 0;
}

/**
 * `__jhash_mix` then, as the caller chooses, nothing: exposed for hashes built from the two
 * primitives (Cilium's `hash_from_tuple_v6`). Takes and returns `[a, b, c]`.
 *
 * @example
 * ```ts
 * const [a, b, c] = jhashMix(1, 2, 3);
 * ```
 */
export function jhashMix(a: number, b: number, c: number): [number, number, number] {
  A = a | 0; B = b | 0; C = c | 0;
  mix();
  return [A >>> 0, B >>> 0, C >>> 0];
}

/**
 * `__jhash_final(a, b, c)`; returns the final `c` (what every jhash variant returns).
 *
 * @example
 * ```ts
 * jhashFinal(0, 0, 0); // the final mix of three zero words
 * ```
 */
export function jhashFinal(a: number, b: number, c: number): number {
  A = a | 0; B = b | 0; C = c | 0;
  final();
  return C >>> 0;
}

/** `__jhash_nwords(a, b, c, initval)`. */
function nwords(a: number, b: number, c: number, initval: number): number {
  A = (a + initval) | 0;
  B = (b + initval) | 0;
  C = (c + initval) | 0;
  final();
  return C >>> 0;
}

/**
 * The kernel's `jhash_3words(a, b, c, initval)`:
 * `__jhash_nwords(a, b, c, initval + JHASH_INITVAL + (3 << 2))`.
 *
 * @example
 * ```ts
 * jhash3Words(0x0100000a, 0x50000ad2, 6, 0x71dcda46); // Cilium's per-packet Maglev hash
 * ```
 */
export function jhash3Words(a: number, b: number, c: number, initval: number): number {
  return nwords(a, b, c, (initval + JHASH_INITVAL + (3 << 2)) | 0);
}

/**
 * The kernel's `jhash_2words(a, b, initval)`.
 *
 * @example
 * ```ts
 * jhash2Words(1, 2, 0);
 * ```
 */
export function jhash2Words(a: number, b: number, initval: number): number {
  return nwords(a, b, 0, (initval + JHASH_INITVAL + (2 << 2)) | 0);
}

/**
 * The kernel's `jhash_1word(a, initval)`.
 *
 * @example
 * ```ts
 * jhash1Word(1, 0);
 * ```
 */
export function jhash1Word(a: number, initval: number): number {
  return nwords(a, 0, 0, (initval + JHASH_INITVAL + (1 << 2)) | 0);
}

/**
 * The kernel's `jhash2(k, length, initval)` over 32-bit words (all of `words`).
 *
 * @example
 * ```ts
 * jhash2([1, 2, 3, 4], 0);
 * ```
 */
export function jhash2(words: ArrayLike<number>, initval: number): number {
  let length = words.length;
  A = B = C = (JHASH_INITVAL + ((length << 2) | 0) + initval) | 0;
  let k = 0;
  while (length > 3) {
    A = (A + words[k]!) | 0;
    B = (B + words[k + 1]!) | 0;
    C = (C + words[k + 2]!) | 0;
    mix();
    length -= 3;
    k += 3;
  }
  if (length > 0) {
    if (length >= 3) C = (C + words[k + 2]!) | 0;
    if (length >= 2) B = (B + words[k + 1]!) | 0;
    A = (A + words[k]!) | 0;
    final();
  }
  return C >>> 0;
}

/**
 * The kernel's `jhash(key, length, initval)` over bytes (all of `bytes`), reading 32-bit words
 * little-endian as on x86-64/arm64.
 *
 * @example
 * ```ts
 * jhash(new Uint8Array([1, 2, 3]), 0);
 * ```
 */
export function jhash(bytes: Uint8Array, initval: number): number {
  let length = bytes.length;
  A = B = C = (JHASH_INITVAL + length + initval) | 0;
  let k = 0;
  const w = (o: number): number =>
    bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
  while (length > 12) {
    A = (A + w(k)) | 0;
    B = (B + w(k + 4)) | 0;
    C = (C + w(k + 8)) | 0;
    mix();
    length -= 12;
    k += 12;
  }
  // The kernel's fall-through tail: byte j of the last 1..12 goes to a, b or c at bit 8*(j%4).
  if (length > 0) {
    for (let j = length - 1; j >= 0; j--) {
      const v = bytes[k + j]! << ((j & 3) << 3);
      if (j >= 8) C = (C + v) | 0;
      else if (j >= 4) B = (B + v) | 0;
      else A = (A + v) | 0;
    }
    final();
  }
  return C >>> 0;
}
