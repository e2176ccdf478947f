/**
 * The L2 stage's deterministic choices: a 32-bit string hash for the lease election stand-in and
 * the devices' MAC addresses. O(length of the text).
 *
 * @module
 */

/**
 * A 32-bit string hash: multiply–xorshift over the UTF-16 units, finished with murmur3's fmix32
 * (so that names differing in one character score far apart).
 *
 * @example
 * ```ts
 * hash32('k8s-w1'); // a fixed unsigned 32-bit value
 * ```
 */
export function hash32(text: string): number {
  return hashFinish(hashUpdate(HASH_SEED, text));
}

/** The state `hash32` starts from. */
const HASH_SEED = 0x9e3779b9;

/**
 * The state of `hash32` after `text` (to hash many texts sharing a prefix once:
 * `hashFinish(hashUpdate(hashUpdate(hashStart(), prefix), rest)) === hash32(prefix + rest)`).
 *
 * @example
 * ```ts
 * hashFinish(hashUpdate(hashUpdate(hashStart(), 'lease/'), 'k8s-w1')) === hash32('lease/k8s-w1'); // true
 * ```
 */
export function hashUpdate(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h;
}

/**
 * The initial state of `hash32`.
 *
 * @example
 * ```ts
 * hashFinish(hashUpdate(hashStart(), 'x')) === hash32('x'); // true
 * ```
 */
export function hashStart(): number {
  return HASH_SEED;
}

/**
 * Finishes a `hash32` state (murmur3's fmix32), as an unsigned 32-bit value.
 *
 * @example
 * ```ts
 * hashFinish(hashUpdate(hashStart(), 'x')); // hash32('x')
 * ```
 */
export function hashFinish(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The MAC address of a host's device (lower case, as `ip link` and `ip neigh` print it): a
 * stable function of the host and device names, locally administered unicast
 * (`hash32('host/dev')` gives the first four bytes, with bit 1 set and bit 0 cleared in the first;
 * `hash32('host/dev#')` the last two).
 *
 * @example
 * ```ts
 * deviceMac('k8s-w1', 'eth1'); // e.g. '5a:0c:…'
 * ```
 */
export function deviceMac(host: string, dev: string): string {
  const key = `${host}/${dev}`;
  const a = hash32(key);
  const b = hash32(`${key}#`);
  const bytes = [((a >>> 24) & 0xfe) | 0x02, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff, (b >>> 8) & 0xff, b & 0xff];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
