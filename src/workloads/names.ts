/**
 * Names as Kubernetes' controllers form them, made deterministic.
 *
 * - **pod-template-hash** (Deployment → ReplicaSet): Kubernetes' `controller.ComputeHash` is
 *   FNV-1a (32 bit) over a dump of the pod template, printed in decimal and passed through
 *   `rand.SafeEncodeString`, which maps each character `c` to `ALPHABET[c % 27]`. The model does
 *   the same over a canonical JSON of the template (keys sorted), so the hash has the real shape
 *   (up to 10 characters from `4 5 6 7 8 9 b c d f`) and changes exactly when the template does;
 *   its value differs from the real one (Go's object dump cannot be reproduced byte for byte).
 * - **random suffixes** (a ReplicaSet's pods `rs-xxxxx`, a DaemonSet's pods `ds-xxxxx`): the real
 *   ones are `rand.String(5)` over the same 27-letter alphabet. The model takes FNV-1a of
 *   `namespace/owner/index` (a DaemonSet: `namespace/owner/node`), reduces it modulo 27^5 and
 *   writes it in base 27 with that alphabet; on a clash within the owner it hashes again with
 *   a counter appended.
 *
 * @module
 */

/**
 * The alphabet of Kubernetes' `rand.String` and `rand.SafeEncodeString` (no vowels, no
 * confusable characters).
 *
 * @example
 * SAFE_ALPHABET.length; // 27
 */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * FNV-1a, 32 bit, over the UTF-8 bytes of a string.
 *
 * @example
 * fnv1a32(''); // 2166136261
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A pod's UID: `metadata.uid` when given, else a version-4-shaped UUID made from FNV-1a of
 * `namespace/name` (the API server draws a random one; the model's is the same on every run).
 *
 * @example
 * podUid({ name: 'my-app', namespace: 'default', labels: {}, annotations: {} }).length; // 36
 */
export function podUid(meta: { readonly name: string; readonly namespace?: string; readonly uid?: string }): string {
  if (meta.uid !== undefined) return meta.uid;
  const key = `${meta.namespace ?? 'default'}/${meta.name}`;
  const hex = [0, 1, 2, 3].map((i) => fnv1a32(`${key}/uid/${i}`).toString(16).padStart(8, '0')).join('');
  const variant = (8 | (parseInt(hex[16]!, 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `rand.SafeEncodeString`: each character mapped to `SAFE_ALPHABET[code % 27]`.
 *
 * @example
 * safeEncode('2536101913'); // '697b545f57'
 */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted, so that equal objects print alike. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof (value as { toString?: unknown }).toString === 'function' && (value as object).constructor?.name?.startsWith('IPv')) {
    return JSON.stringify(String(value));
  }
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/**
 * The `pod-template-hash` of a pod template (see the module doc).
 *
 * @example
 * templateHash({ labels: { app: 'webpod' } }); // a string like '5f7d9c4b68'
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const text = canonical(template) + (collisionCount > 0 ? String(collisionCount) : '');
  return safeEncode(String(fnv1a32(text)));
}

const SUFFIX_SPACE = 27 ** 5;

/**
 * A 5-character suffix from a key (see the module doc).
 *
 * @example
 * randomSuffix('default/webpod-5f7d9c4b68/0').length; // 5
 */
export function randomSuffix(key: string): string {
  let n = fnv1a32(key) % SUFFIX_SPACE;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out = SAFE_ALPHABET[n % 27] + out;
    n = Math.floor(n / 27);
  }
  return out;
}

/**
 * Makes unique suffixes for one owner: `next(key)` returns a suffix not handed out before.
 *
 * @example
 * const s = suffixer(); s('a') !== s('a'); // true
 */
export function suffixer(): (key: string) => string {
  const used = new Set<string>();
  return (key) => {
    let s = randomSuffix(key);
    for (let i = 1; used.has(s); i++) s = randomSuffix(`${key}#${i}`);
    used.add(s);
    return s;
  };
}
