/**
 * Maglev configuration as Cilium's agent validates it (`pkg/maglev`, `UserConfig.ToConfig`):
 * the supported table sizes (`--bpf-lb-maglev-table-size`) and the cluster-wide seed
 * (`--bpf-lb-maglev-hash-seed`, base64 of 12 bytes) split into the three 32-bit words Cilium uses.
 *
 * @module
 */

import { MAGLEV_TABLE_SIZES } from '../../input/cilium-config.js';

// The one list of table sizes lives with the configuration it validates; re-exported here.
export { MAGLEV_TABLE_SIZES };

/**
 * Cilium's default table size (`DefaultTableSize`).
 *
 * @example
 * ```ts
 * maglevTable(backends).length === DEFAULT_MAGLEV_TABLE_SIZE; // 16381
 * ```
 */
export const DEFAULT_MAGLEV_TABLE_SIZE = 16381;

/**
 * Cilium's default seed (`DefaultHashSeed`): base64 of 12 bytes.
 *
 * @example
 * ```ts
 * parseMaglevSeed(DEFAULT_MAGLEV_HASH_SEED).murmurSeed; // 0x24b7ef82
 * ```
 */
export const DEFAULT_MAGLEV_HASH_SEED = 'JLfvgnHc2kaSUFaI';

/**
 * The seed words derived from `--bpf-lb-maglev-hash-seed`: each is four seed bytes read
 * big-endian (`uint32(d[0])<<24 | ...`).
 *
 * @example
 * ```ts
 * const seed: MaglevSeed = { murmurSeed: 0x24b7ef82, jhashSeed0: 0x71dcda46, jhashSeed1: 0x92505688 };
 * ```
 */
export interface MaglevSeed {
  /** Bytes 0..3: the MurmurHash3 seed of the table build (`SeedMurmur`). */
  readonly murmurSeed: number;
  /** Bytes 4..7: `HASH_INIT4_SEED`, the jhash initval of the IPv4 per-packet hash (`SeedJhash0`). */
  readonly jhashSeed0: number;
  /** Bytes 8..11: `HASH_INIT6_SEED`, the initval of the IPv6 per-packet hash (`SeedJhash1`). */
  readonly jhashSeed1: number;
}

/**
 * Whether `m` is one of {@link MAGLEV_TABLE_SIZES}.
 *
 * @example
 * ```ts
 * isMaglevTableSize(16381); // true
 * isMaglevTableSize(1000);  // false
 * ```
 */
export function isMaglevTableSize(m: number): boolean {
  return MAGLEV_TABLE_SIZES.includes(m);
}

/**
 * The agent's error for an unsupported table size, or `undefined` when `m` is supported.
 * Text as Cilium's: `Invalid value for --bpf-lb-maglev-table-size: 1000, supported values are:
 * [251 509 1021 2039 4093 8191 16381 32749 65521 131071]`.
 *
 * @example
 * ```ts
 * maglevTableSizeError(16381); // undefined
 * ```
 */
export function maglevTableSizeError(m: number): string | undefined {
  if (isMaglevTableSize(m)) return undefined;
  return (
    `Invalid value for --bpf-lb-maglev-table-size: ${String(m)}, ` +
    `supported values are: [${MAGLEV_TABLE_SIZES.join(' ')}]`
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Go's `base64.StdEncoding.DecodeString` (padded standard alphabet; `\r` and `\n` ignored).
 * Returns the bytes or Go's error text.
 */
function decodeStdBase64(text: string): Uint8Array | string {
  const s = text.replace(/[\r\n]/g, '');
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    const quantum: number[] = [];
    let pad = 0;
    for (let j = 0; j < 4; j++, i++) {
      if (i >= s.length) {
        if (j === 0) break;
        return `illegal base64 data at input byte ${String(s.length)}`;
      }
      const ch = s[i]!;
      if (ch === '=') {
        if (j < 2) return `illegal base64 data at input byte ${String(i)}`;
        pad = 4 - j;
        // the rest of the quantum must be '=' and nothing may follow it
        for (let k = j; k < 4; k++, i++) {
          if (s[i] !== '=') return `illegal base64 data at input byte ${String(i)}`;
        }
        if (i < s.length) return `illegal base64 data at input byte ${String(i)}`;
        break;
      }
      const v = ALPHABET.indexOf(ch);
      if (v < 0) return `illegal base64 data at input byte ${String(i)}`;
      quantum.push(v);
    }
    if (quantum.length === 0) break;
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out.push((n >>> 16) & 0xff);
    if (pad < 2) out.push((n >>> 8) & 0xff);
    if (pad < 1) out.push(n & 0xff);
  }
  return Uint8Array.from(out);
}

/**
 * Splits a `--bpf-lb-maglev-hash-seed` value into Cilium's three seed words. Throws a
 * `RangeError` with the agent's message when the value is not base64 (`cannot decode base64
 * Maglev hash seed "…": …`) or not 12 bytes (`decoded hash seed is N bytes (not 12 bytes)`).
 *
 * @example
 * ```ts
 * parseMaglevSeed('JLfvgnHc2kaSUFaI');
 * // { murmurSeed: 0x24b7ef82, jhashSeed0: 0x71dcda46, jhashSeed1: 0x92505688 }
 * ```
 */
export function parseMaglevSeed(base64: string): MaglevSeed {
  const d = decodeStdBase64(base64);
  if (typeof d === 'string') {
    throw new RangeError(`cannot decode base64 Maglev hash seed ${JSON.stringify(base64)}: ${d}`);
  }
  if (d.length !== 12) {
    throw new RangeError(`decoded hash seed is ${String(d.length)} bytes (not 12 bytes)`);
  }
  const word = (o: number): number =>
    ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
  return { murmurSeed: word(0), jhashSeed0: word(4), jhashSeed1: word(8) };
}

/**
 * The parsed default seed.
 *
 * @example
 * ```ts
 * DEFAULT_MAGLEV_SEED.jhashSeed0; // 0x71dcda46 (HASH_INIT4_SEED)
 * ```
 */
export const DEFAULT_MAGLEV_SEED: MaglevSeed = Object.freeze(parseMaglevSeed(DEFAULT_MAGLEV_HASH_SEED));

/**
 * A seed given either as the base64 flag value or already parsed; `undefined` means Cilium's
 * default. Throws like {@link parseMaglevSeed}.
 *
 * @example
 * ```ts
 * resolveMaglevSeed(undefined).murmurSeed; // 0x24b7ef82
 * ```
 */
export function resolveMaglevSeed(seed: string | MaglevSeed | undefined): MaglevSeed {
  if (seed === undefined) return DEFAULT_MAGLEV_SEED;
  if (typeof seed === 'string') {
    return seed === DEFAULT_MAGLEV_HASH_SEED ? DEFAULT_MAGLEV_SEED : parseMaglevSeed(seed);
  }
  return seed;
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
