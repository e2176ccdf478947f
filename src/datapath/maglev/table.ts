/**
 * The Maglev lookup table exactly as Cilium's `pkg/maglev` (`GetLookupTable` /
 * `computeLookupTable`, 1.16–1.18) computes it:
 *
 * 1. each backend's hash string `[<addr>:<port>/<PROTO>[/i],State:active]` (IPv6 in brackets,
 *    `@<clusterID>` after the address when the cluster ID is not 0);
 * 2. backends sorted by that string (byte order), so every node builds the same table whatever
 *    its node-local backend IDs;
 * 3. `(h1, h2) = MurmurHash3_x64_128(hashString, seedMurmur)`, `offset = h1 % M`,
 *    `skip = h2 % (M - 1) + 1`, permutation `perm[j] = (offset + j * skip) % M`;
 * 4. turns `n = 0..M-1`, `i = n % N`; with weights in use (`sum(weights) / N > 1`, integer
 *    division) backend `i` passes its turn to `i + 1` while `(n + 1) * w_i < trunc(cnt_i)`, and
 *    `cnt_i` (float64, starting at `w_i / N`) grows by `sum(weights)` on each turn taken;
 *    the taker fills the next free slot of its permutation with its backend ID.
 *
 * Unlike Cilium, which materialises all N×M permutation entries, this keeps per backend only
 * its current permutation position and skip (memory O(M + N)); the next position is
 * `cur + skip` minus M when it overflows, which is the same sequence.
 *
 * @module
 */
import { type MaglevAddress, addressText } from './address.js';
import {
  DEFAULT_MAGLEV_TABLE_SIZE,
  type MaglevSeed,
  maglevTableSizeError,
  resolveMaglevSeed,
} from './config.js';
import { mod64, murmur3Words } from './murmur3.js';

/**
 * Cilium's default backend weight (`loadbalancer.DefaultBackendWeight`).
 *
 * @example
 * ```ts
 * maglevTable([{ id: 1, address: '10.0.0.1', port: 80, protocol: 'TCP', weight: DEFAULT_BACKEND_WEIGHT }]);
 * ```
 */
export const DEFAULT_BACKEND_WEIGHT = 100;

/**
 * One backend of a Maglev table.
 *
 * @example
 * ```ts
 * const b: MaglevBackend = { id: 1, address: '172.20.1.76', port: 80, protocol: 'TCP' };
 * ```
 */
export interface MaglevBackend {
  /** The node-local backend ID written into the table (0 .. 2^32-2). */
  readonly id: number;
  /** The backend address: text or an ip-num `IPv4`/`IPv6`. */
  readonly address: MaglevAddress;
  /** The backend port (0..65535). */
  readonly port: number;
  /** Cilium's L4 type spelling: `TCP`, `UDP`, `SCTP` (printed as given into the hash string). */
  readonly protocol: string;
  /** Backend weight 0..65535; default {@link DEFAULT_BACKEND_WEIGHT} (100) as in Cilium. */
  readonly weight?: number;
  /** Scope of the backend's L3n4Addr; `internal` appends `/i` to the hash string. Default external. */
  readonly scope?: 'external' | 'internal';
  /** Cluster-mesh cluster ID of the address (`AddrCluster`); 0 (default) prints no `@id`. */
  readonly clusterId?: number;
}

/**
 * Options of {@link maglevTable}.
 *
 * @example
 * ```ts
 * const o: MaglevTableOptions = { tableSize: 251, hashSeed: 'JLfvgnHc2kaSUFaI' };
 * ```
 */
export interface MaglevTableOptions {
  /** M, one of `MAGLEV_TABLE_SIZES`; default 16381. */
  readonly tableSize?: number;
  /** `--bpf-lb-maglev-hash-seed` (base64 of 12 bytes) or its parsed words; default Cilium's. */
  readonly hashSeed?: string | MaglevSeed;
}

/**
 * The string Cilium hashes and sorts a backend by (`BackendInfo.setHashString`):
 * `[10.0.0.1:80/TCP,State:active]`, `[[fd00::1]:8080/UDP,State:active]`,
 * `[172.20.2.68:80/TCP/i,State:active]` (internal scope), `[10.0.0.1@2:80/TCP,State:active]`
 * (cluster ID 2).
 *
 * @example
 * ```ts
 * maglevHashString({ id: 1, address: '172.20.1.76', port: 80, protocol: 'TCP' });
 * // '[172.20.1.76:80/TCP,State:active]'
 * ```
 */
export function maglevHashString(backend: Omit<MaglevBackend, 'id'>): string {
  const a = addressText(backend.address);
  const cluster = backend.clusterId ? `@${String(backend.clusterId)}` : '';
  const host = a.v6 ? `[${a.text}${cluster}]` : `${a.text}${cluster}`;
  const scope = backend.scope === 'internal' ? '/i' : '';
  return `[${host}:${String(backend.port)}/${backend.protocol}${scope},State:active]`;
}

function checkInt(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`maglev: ${name} must be an integer in 0..${String(max)}, got ${String(v)}`);
  }
}

/**
 * A backend's place in the permutation scheme: its hash string and the `offset`/`skip` Cilium
 * derives from it for table size `m` (`getOffsetAndSkip`).
 *
 * @example
 * ```ts
 * maglevOffsetSkip('[10.0.0.1:80/TCP,State:active]', 16381, 0x24b7ef82);
 * // { offset: 14274885571859861510 % 16381, skip: 5378949350395471594 % 16380 + 1 }
 * ```
 */
export function maglevOffsetSkip(hashString: string, m: number, murmurSeed: number): { offset: number; skip: number } {
  const bytes = new TextEncoder().encode(hashString);
  const w = murmur3Words(bytes, bytes.length, murmurSeed);
  return { offset: mod64(w[0]!, w[1]!, m), skip: mod64(w[2]!, w[3]!, m - 1) + 1 };
}

const PRINTABLE = /^[\x21-\x7e]+$/;

// Reusable byte buffer for hashing ASCII hash strings.
let scratch = new Uint8Array(128);

/**
 * Builds the Maglev lookup table of `backends` as Cilium does (see the module comment): a
 * `Uint32Array` of length M whose entry k is the backend ID owning slot k, i.e. the contents of
 * the `cilium_lb4_maglev` inner map. The result does not depend on the order of `backends`
 * (they are sorted by hash string; equal hash strings, which Cilium never has for one frontend,
 * are ordered by ID). An empty backend list gives an empty array (Cilium deletes the LUT when a
 * frontend has no active backend).
 *
 * Throws a `RangeError` for an unsupported table size, a bad seed, address, port, weight or ID.
 *
 * @example
 * ```ts
 * const table = maglevTable(
 *   [
 *     { id: 1, address: '172.20.0.28', port: 80, protocol: 'TCP' },
 *     { id: 2, address: '172.20.1.76', port: 80, protocol: 'TCP' },
 *   ],
 *   { tableSize: 251 },
 * );
 * table.length; // 251; each of IDs 1 and 2 owns 125 or 126 slots
 * ```
 */
export function maglevTable(backends: readonly MaglevBackend[], options: MaglevTableOptions = {}): Uint32Array {
  const m = options.tableSize ?? DEFAULT_MAGLEV_TABLE_SIZE;
  const sizeError = maglevTableSizeError(m);
  if (sizeError !== undefined) throw new RangeError(sizeError);
  const seed = resolveMaglevSeed(options.hashSeed);
  const n = backends.length;
  if (n === 0) return new Uint32Array(0);

  // 1–2: hash strings, sorted (ASCII only, so JS string order is Go's byte order).
  const keys: string[] = new Array<string>(n);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const b = backends[i]!;
    checkInt('backend id', b.id, 0xfffffffe);
    checkInt('backend port', b.port, 0xffff);
    if (b.weight !== undefined) checkInt('backend weight', b.weight, 0xffff);
    if (b.clusterId !== undefined) checkInt('cluster id', b.clusterId, 0xffffffff);
    if (b.protocol !== 'TCP' && b.protocol !== 'UDP' && !PRINTABLE.test(b.protocol)) {
      throw new RangeError(`maglev: backend protocol must be printable ASCII, got ${JSON.stringify(b.protocol)}`);
    }
    keys[i] = maglevHashString(b);
    order[i] = i;
  }
  order.sort((x, y) => {
    const kx = keys[x]!;
    const ky = keys[y]!;
    if (kx < ky) return -1;
    if (kx > ky) return 1;
    return backends[x]!.id - backends[y]!.id;
  });

  // 3: offset and skip per sorted backend; the permutation cursor starts at offset.
  const cur = new Uint32Array(n);
  const skip = new Uint32Array(n);
  const weight = new Float64Array(n);
  const ids = new Uint32Array(n);
  let weightSum = 0;
  let equalWeights = true;
  for (let s = 0; s < n; s++) {
    const i = order[s]!;
    const key = keys[i]!;
    const len = key.length;
    if (len > scratch.length) scratch = new Uint8Array(len * 2);
    for (let c = 0; c < len; c++) scratch[c] = key.charCodeAt(c);
    const w = murmur3Words(scratch, len, seed.murmurSeed);
    cur[s] = mod64(w[0]!, w[1]!, m);
    skip[s] = mod64(w[2]!, w[3]!, m - 1) + 1;
    const b = backends[i]!;
    const wt = b.weight ?? DEFAULT_BACKEND_WEIGHT;
    weight[s] = wt;
    if (wt !== weight[0]) equalWeights = false;
    weightSum += wt;
    ids[s] = b.id;
  }

  // 4: fill, straight into the result; FREE marks a free slot (Cilium's sentinel; IDs are at
  // most 0xfffffffe).
  const table = new Uint32Array(m).fill(FREE);
  // Equal weights never make a backend pass its turn (at turn n+1 backend n % N has had
  // floor(n / N) turns, and trunc(w/N + floor(n/N)*N*w) <= (n+1)*w), so they take the plain
  // rotation too; docs/maglev.md has the argument.
  if (Math.floor(weightSum / n) > 1 && !equalWeights) fillWeighted(table, cur, skip, ids, weight, weightSum);
  else fillRoundRobin(table, cur, skip, ids);
  return table;
}

const FREE = 0xffffffff;

/**
 * Backend `i` takes its next free slot of its permutation (offset + j·skip mod M), advancing its
 * cursor past it: the one step both turn-taking rules share.
 */
function fillNext(table: Uint32Array, cur: Uint32Array, skip: Uint32Array, ids: Uint32Array, i: number): void {
  const m = table.length;
  let c = cur[i]!;
  const sk = skip[i]!;
  while (table[c] !== FREE) {
    c += sk;
    if (c >= m) c -= m;
  }
  table[c] = ids[i]!;
  c += sk;
  cur[i] = c >= m ? c - m : c;
}

/** Turns in plain rotation (`weightSum / N <= 1`): backend `n % N` fills its next free slot. */
function fillRoundRobin(table: Uint32Array, cur: Uint32Array, skip: Uint32Array, ids: Uint32Array): void {
  const m = table.length;
  const n = cur.length;
  let i = 0;
  for (let filled = 0; filled < m; filled++) {
    fillNext(table, cur, skip, ids, i);
    if (++i === n) i = 0;
  }
}

/**
 * Cilium's weighted turns: turn `t = n + 1` starts at backend `n % N` and passes on while
 * `t * w_i < trunc(cnt_i)`; the taker adds `weightSum` to its float64 counter `cnt_i`, which
 * starts at `w_i / N`. Some backend always qualifies (summing the blocking condition over all
 * backends gives `weightSum < weightSum / N`).
 *
 * Cilium scans backend by backend, which is O(N) per turn when one weight dominates. Here a turn
 * first scans up to {@link SCAN_LIMIT} backends; the first time that is not enough, a
 * min-segment-tree over each backend's first eligible turn `T_i = ceil(trunc(cnt_i) / w_i)` is
 * built and kept from then on, finding the first eligible backend at or after the start in
 * O(log N). Either way the choice is Cilium's.
 */
function fillWeighted(
  table: Uint32Array,
  cur: Uint32Array,
  skip: Uint32Array,
  ids: Uint32Array,
  weight: Float64Array,
  weightSum: number,
): void {
  const m = table.length;
  const n = cur.length;
  const cnt = new Float64Array(n);
  for (let i = 0; i < n; i++) cnt[i] = weight[i]! / n;
  let p = 0;
  let tree: Float64Array | undefined;

  let start = 0;
  for (let filled = 0; filled < m; filled++) {
    const turn = filled + 1;
    let i = start;
    let scanned = 0;
    while (turn * weight[i]! < Math.trunc(cnt[i]!)) {
      if (++i === n) i = 0;
      if (++scanned === SCAN_LIMIT) {
        if (tree === undefined) {
          p = 1;
          while (p < n) p <<= 1;
          tree = new Float64Array(2 * p).fill(Infinity);
          for (let b = 0; b < n; b++) tree[p + b] = firstTurn(cnt[b]!, weight[b]!);
          for (let k = p - 1; k >= 1; k--) tree[k] = Math.min(tree[2 * k]!, tree[2 * k + 1]!);
        }
        i = firstAtOrAfter(tree, p, start, turn);
        if (i < 0) i = firstAtOrAfter(tree, p, 0, turn);
        break;
      }
    }
    cnt[i] = cnt[i]! + weightSum;
    if (tree !== undefined) {
      let k = p + i;
      tree[k] = firstTurn(cnt[i]!, weight[i]!);
      for (k >>= 1; k >= 1; k >>= 1) {
        const a = tree[2 * k]!;
        const b = tree[2 * k + 1]!;
        const v = a < b ? a : b;
        if (tree[k] === v) break; // ancestors unchanged
        tree[k] = v;
      }
    }

    fillNext(table, cur, skip, ids, i);
    if (++start === n) start = 0;
  }
}

/** Backends a weighted turn scans one by one before the segment tree takes over. */
const SCAN_LIMIT = 8;

/** The smallest turn `t` with `t * w >= trunc(cnt)` (Infinity when none: `w = 0`, `cnt >= 1`). */
function firstTurn(cnt: number, w: number): number {
  const need = Math.trunc(cnt);
  if (need <= 0) return 0;
  if (w === 0) return Infinity;
  let t = Math.ceil(need / w);
  // exact in integers (t * w < 2^53): fix any rounding of the division
  while (t * w < need) t++;
  while (t > 0 && (t - 1) * w >= need) t--;
  return t;
}

/** First leaf index >= `from` whose value is <= `turn`, or -1. */
function firstAtOrAfter(tree: Float64Array, p: number, from: number, turn: number): number {
  let k = p + from;
  if (tree[k]! <= turn) return from;
  for (;;) {
    while (k & 1) {
      k >>= 1;
      if (k <= 1) return -1;
    }
    k++;
    if (tree[k]! <= turn) {
      while (k < p) {
        k <<= 1;
        if (tree[k]! > turn) k++;
      }
      return k - p;
    }
  }
}
