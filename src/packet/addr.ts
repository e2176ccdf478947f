/**
 * IPv4 addresses as unsigned 32-bit numbers: the representation of the packet walk's hot path.
 *
 * @module
 */

/**
 * Parses dotted-quad IPv4 text into an unsigned 32-bit number; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * ipv4ToU32('192.168.10.200'); // 3232238280
 * ipv4ToU32('::1'); // undefined
 * ```
 */
export function ipv4ToU32(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + part) >>> 0;
}

/**
 * Formats an unsigned 32-bit number as dotted-quad IPv4 text.
 *
 * @example
 * ```ts
 * u32ToIpv4(3232238280); // '192.168.10.200'
 * ```
 */
export function u32ToIpv4(n: number): string {
  const hit = textCache.get(n);
  if (hit !== undefined) return hit;
  const t = `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  if (textCache.size >= TEXT_CACHE_MAX) textCache.clear();
  textCache.set(n, t);
  return t;
}

/** Formatting cache (a pure function's memo, bounded). */
const textCache = new Map<number, string>();
const TEXT_CACHE_MAX = 1 << 16;

/**
 * The netmask of a prefix length as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * maskOf(24) === 0xffffff00; // true
 * maskOf(0); // 0
 * ```
 */
export function maskOf(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * An IPv4 prefix as numbers.
 *
 * @example
 * ```ts
 * const p: Prefix4 = parsePrefix4('172.20.0.0/16')!;
 * ```
 */
export interface Prefix4 {
  /** Network address (masked). */
  readonly addr: number;
  /** Prefix length 0..32. */
  readonly len: number;
}

/**
 * Parses `a.b.c.d/len` (or `a.b.c.d`, a /32, or `default`) into a masked {@link Prefix4}.
 *
 * @example
 * ```ts
 * parsePrefix4('172.20.1.7/24'); // { addr: <172.20.1.0>, len: 24 }
 * parsePrefix4('default'); // { addr: 0, len: 0 }
 * ```
 */
export function parsePrefix4(text: string): Prefix4 | undefined {
  if (text === 'default') return { addr: 0, len: 0 };
  const [a, l] = text.split('/');
  const addr = ipv4ToU32(a ?? '');
  if (addr === undefined) return undefined;
  const len = l === undefined ? 32 : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > 32) return undefined;
  return { addr: (addr & maskOf(len)) >>> 0, len };
}

/**
 * True when `addr` lies in the prefix.
 *
 * @example
 * ```ts
 * inPrefix(ipv4ToU32('172.20.1.76')!, parsePrefix4('172.20.0.0/16')!); // true
 * ```
 */
export function inPrefix(addr: number, p: Prefix4): boolean {
  return ((addr & maskOf(p.len)) >>> 0) === p.addr;
}

/**
 * Formats an address and port as `ip:port`.
 *
 * @example
 * ```ts
 * hostPort(ipv4ToU32('172.16.1.1')!, 80); // '172.16.1.1:80'
 * ```
 */
export function hostPort(addr: number, port: number): string {
  return `${u32ToIpv4(addr)}:${port}`;
}
