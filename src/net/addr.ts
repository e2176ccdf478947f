/**
 * Addresses and prefixes, shared by every stage: families, ordering, equality, the text the real
 * tools print (dotted quad; RFC 5952 compressed IPv6, as Go's `netip` and glibc's `inet_ntop`
 * write it), strict parsing (as Go's `net/netip`: no leading zeros in IPv4 octets, no zones),
 * prefix arithmetic, and unsigned 32-bit IPv4 numbers for the hot paths (LPM, hashing, the packet
 * walk).
 *
 * This module sits below every stage and imports only ip-num. ip-num's `getFirst()` is slow
 * (about 50 µs), so the network value of a prefix is cached per prefix object, and every prefix
 * built here is created with its network value already known.
 *
 * @module
 */
import { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange, IPv4Prefix, IPv6Prefix, Octet, Validator } from 'ip-num';

/** An IPv4 or IPv6 address (ip-num). */
export type IpAddress = IPv4 | IPv6;

/** An IPv4 or IPv6 prefix (ip-num); the address part is the network address. */
export type IpPrefix = IPv4CidrRange | IPv6CidrRange;

/**
 * An address family: 4 or 6.
 *
 * @example
 * const f: Family = familyOf(IPv4.fromString('10.0.0.1')); // 4
 */
export type Family = 4 | 6;

// ---------------------------------------------------------------------------------------------
// Families

/**
 * The family of an address or a prefix: 4 or 6.
 *
 * @example
 * familyOf(IPv4.fromString('10.0.0.1')); // 4
 * familyOf(IPv6CidrRange.fromCidr('fd00::/64')); // 6
 */
export function familyOf(x: IpAddress | IpPrefix): Family {
  if ('cidrPrefix' in x) return x instanceof IPv4CidrRange ? 4 : 6;
  return x.bitSize === 32 ? 4 : 6;
}

/**
 * True for an IPv4 address.
 *
 * @example
 * isIPv4(IPv4.fromString('10.0.0.1')); // true
 */
export function isIPv4(a: IpAddress): a is IPv4 {
  return a.bitSize === 32;
}

/**
 * True for an IPv4 prefix.
 *
 * @example
 * isIPv4Prefix(IPv4CidrRange.fromCidr('10.0.0.0/8')); // true
 */
export function isIPv4Prefix(p: IpPrefix): p is IPv4CidrRange {
  return p instanceof IPv4CidrRange;
}

/**
 * Number of bits of an address of the family: 32 or 128.
 *
 * @example
 * bitLength(6); // 128
 */
export function bitLength(family: Family): 32 | 128 {
  return family === 4 ? 32 : 128;
}

// ---------------------------------------------------------------------------------------------
// Ordering and equality

/**
 * Orders addresses as Go's `netip.Addr.Compare` does: IPv4 before IPv6, then by value.
 *
 * @example
 * [IPv4.fromString('10.0.0.10'), IPv4.fromString('10.0.0.2')].sort(compareIp); // 10.0.0.2 first
 */
export function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.bitSize !== b.bitSize) return a.bitSize - b.bitSize;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * True when two addresses are the same (family and value); two `undefined` are the same too.
 *
 * @example
 * sameIp(IPv4.fromString('1.1.1.1'), IPv4.fromString('1.1.1.1')); // true
 * sameIp(IPv4.fromString('1.1.1.1'), undefined); // false
 */
export function sameIp(a: IpAddress | undefined, b: IpAddress | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.bitSize === b.bitSize && a.value === b.value;
}

/**
 * Orders prefixes: IPv4 first, then by network address, then shorter first (the order of FRR's
 * route table walk and of Go's `netip.Prefix` sorting by address).
 *
 * @example
 * comparePrefix(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4CidrRange.fromCidr('10.0.0.0/24')); // < 0
 */
export function comparePrefix(a: IpPrefix, b: IpPrefix): number {
  const fa = familyOf(a);
  const fb = familyOf(b);
  if (fa !== fb) return fa - fb;
  const va = networkValue(a);
  const vb = networkValue(b);
  if (va !== vb) return va < vb ? -1 : 1;
  return prefixLength(a) - prefixLength(b);
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * The text of an address: dotted quad, or RFC 5952 compressed IPv6 (`fd00::1`; IPv4-mapped
 * addresses as `::ffff:a.b.c.d`), as Go's `netip.Addr.String()` and glibc's `inet_ntop` write it
 * (ip-num's own `toString()` does not compress IPv6).
 *
 * @example
 * formatIp(IPv6.fromString('fd00:0:0:0:0:0:0:1')); // 'fd00::1'
 * formatIp(IPv4.fromString('10.0.0.1')); // '10.0.0.1'
 */
export function formatIp(a: IpAddress): string {
  return formatValue(familyOf(a), a.value);
}

const prefixTexts = new WeakMap<IpPrefix, string>();

/**
 * The text of a prefix with host bits cleared, e.g. `10.0.0.0/8` (IPv6 compressed); computed
 * once per prefix object.
 *
 * @example
 * formatPrefix(IPv4CidrRange.fromCidr('192.168.10.100/24')); // '192.168.10.0/24'
 */
export function formatPrefix(p: IpPrefix): string {
  let t = prefixTexts.get(p);
  if (t === undefined) {
    t = `${formatValue(familyOf(p), networkValue(p))}/${prefixLength(p)}`;
    prefixTexts.set(p, t);
  }
  return t;
}

/**
 * Text of an address value of a family (as `formatIp` writes it): dotted quad, or RFC 5952 IPv6.
 *
 * @example
 * ```ts
 * import { formatValue } from 'cilium-twin/net';
 * formatValue(6, 0xfd000000000000000000000000000001n); // 'fd00::1'
 * ```
 */
export function formatValue(family: Family, v: bigint): string {
  if (family === 4) return u32ToIpv4(Number(v));
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${u32ToIpv4(Number(v & 0xffffffffn))}`;
  }
  // the longest run of two or more zero groups, the leftmost on ties, becomes `::`
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * `ip:port` as Go's `net.JoinHostPort` writes it (`[v6]:port` for IPv6). A number is an IPv4
 * address as an unsigned 32-bit value (the packet walk's form).
 *
 * @example
 * joinHostPort(IPv4.fromString('10.0.0.1'), 80); // '10.0.0.1:80'
 * joinHostPort(IPv6.fromString('fd00::1'), 80); // '[fd00::1]:80'
 * joinHostPort(ipv4ToU32('172.16.1.1')!, 80); // '172.16.1.1:80'
 * joinHostPort(0xfd000000000000000000000000000001n, 80); // '[fd00::1]:80' (a bigint is an IPv6 value)
 */
export function joinHostPort(a: IpAddress | number | bigint, port: number): string {
  if (typeof a === 'number') return `${u32ToIpv4(a)}:${port}`;
  if (typeof a === 'bigint') return `[${formatValue(6, a)}]:${port}`;
  return isIPv4(a) ? `${formatIp(a)}:${port}` : `[${formatIp(a)}]:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses an address (`10.0.0.1`, `fd00::1`) strictly, as Go's `netip.ParseAddr` does (no leading
 * zeros in IPv4 octets, no zones); `undefined` when it is not one.
 *
 * @example
 * parseIp('192.168.10.100')?.toString(); // '192.168.10.100'
 * parseIp('010.0.0.1'); // undefined
 */
export function parseIp(s: string): IpAddress | undefined {
  const n = ipv4ToU32(s);
  if (n !== undefined) return ipv4FromU32(n);
  if (!s.includes(':') || s.includes('%') || s.length > 45) return undefined;
  try {
    const [valid] = Validator.isValidIPv6String(s);
    return valid ? IPv6.fromString(s) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses a prefix `address/length` (host bits cleared); `undefined` when it is not one.
 *
 * @example
 * parsePrefix('172.20.0.5/24')?.toCidrString(); // '172.20.0.0/24'
 * parsePrefix('172.20.0.5'); // undefined
 */
export function parsePrefix(s: string): IpPrefix | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return undefined;
  const len = Number(lenText);
  const addr = s.slice(0, slash);
  const n = ipv4ToU32(addr);
  if (n !== undefined) return len > 32 ? undefined : ipv4Prefix(n, len);
  const a = parseIp(addr);
  if (a === undefined || isIPv4(a) || len > 128) return undefined;
  return maskedPrefix(a, len);
}

// ---------------------------------------------------------------------------------------------
// Prefixes

/**
 * The length of a prefix.
 *
 * @example
 * prefixLength(IPv4CidrRange.fromCidr('10.0.0.0/8')); // 8
 */
export function prefixLength(p: IpPrefix): number {
  return Number(p.cidrPrefix.value);
}

const networkValues = new WeakMap<IpPrefix, bigint>();

/**
 * The network address (host bits cleared) of a prefix as a number, computed once per prefix
 * object (ip-num's `getFirst()` rebuilds a mask on every call).
 *
 * @example
 * networkValue(IPv4CidrRange.fromCidr('192.168.10.100/24')); // 3232238080n (192.168.10.0)
 */
export function networkValue(p: IpPrefix): bigint {
  let v = networkValues.get(p);
  if (v === undefined) {
    v = p.getFirst().value;
    networkValues.set(p, v);
  }
  return v;
}

/**
 * The network address (host bits cleared) of a prefix.
 *
 * @example
 * formatIp(prefixNetwork(IPv4CidrRange.fromCidr('10.0.0.7/24'))); // '10.0.0.0'
 */
export function prefixNetwork(p: IpPrefix): IpAddress {
  return ipFromValue(familyOf(p), networkValue(p));
}

/**
 * The last address of a prefix (all host bits set), as a number.
 *
 * @example
 * lastValue(IPv4CidrRange.fromCidr('10.0.0.0/30')); // 167772163n (10.0.0.3)
 */
export function lastValue(p: IpPrefix): bigint {
  const host = BigInt(bitLength(familyOf(p)) - prefixLength(p));
  return networkValue(p) | ((1n << host) - 1n);
}

/**
 * True when the prefix contains the address (same family, same network bits).
 *
 * @example
 * prefixContains(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4.fromString('10.1.2.3')); // true
 */
export function prefixContains(p: IpPrefix, a: IpAddress): boolean {
  const family = familyOf(p);
  if (family !== familyOf(a)) return false;
  const host = BigInt(bitLength(family) - prefixLength(p));
  return a.value >> host === networkValue(p) >> host;
}

/**
 * True when `outer` covers `inner`: same family, `outer` no longer, and the same network bits.
 *
 * @example
 * prefixCovers(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4CidrRange.fromCidr('10.1.0.0/16')); // true
 */
export function prefixCovers(outer: IpPrefix, inner: IpPrefix): boolean {
  const family = familyOf(outer);
  if (family !== familyOf(inner)) return false;
  const len = prefixLength(outer);
  if (len > prefixLength(inner)) return false;
  const host = BigInt(bitLength(family) - len);
  return networkValue(outer) >> host === networkValue(inner) >> host;
}

/**
 * The prefix `addr/len` with host bits cleared (Go's `netip.Addr.Prefix`); the length is clamped
 * to the family's bits.
 *
 * @example
 * formatPrefix(maskedPrefix(IPv4.fromString('192.168.10.100'), 24)); // '192.168.10.0/24'
 */
export function maskedPrefix(a: IpAddress, len: number): IpPrefix {
  if (isIPv4(a)) return ipv4Prefix(Number(a.value), len);
  const l = Math.max(0, Math.min(128, len));
  const host = BigInt(128 - l);
  const value = (a.value >> host) << host;
  let pl = v6Lengths[l];
  if (pl === undefined) pl = v6Lengths[l] = IPv6Prefix.fromNumber(BigInt(l));
  const p = new IPv6CidrRange(new IPv6(value), pl);
  networkValues.set(p, value);
  return p;
}

/**
 * The host prefix of an address (`/32` or `/128`).
 *
 * @example
 * formatPrefix(hostPrefix(IPv4.fromString('172.20.0.1'))); // '172.20.0.1/32'
 */
export function hostPrefix(a: IpAddress): IpPrefix {
  return maskedPrefix(a, bitLength(familyOf(a)));
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * An address of the family from its numeric value.
 *
 * @example
 * ipFromValue(4, 167772161n).toString(); // '10.0.0.1'
 */
export function ipFromValue(family: Family, value: bigint): IpAddress {
  return family === 4 ? ipv4FromU32(Number(value)) : new IPv6(value);
}

const UNSPECIFIED_V4 = IPv4.fromNumber(0n);
const UNSPECIFIED_V6 = new IPv6(0n);

/**
 * The unspecified address of a family (`0.0.0.0` or `::`).
 *
 * @example
 * formatIp(unspecified(6)); // '::'
 */
export function unspecified(family: Family): IpAddress {
  return family === 4 ? UNSPECIFIED_V4 : UNSPECIFIED_V6;
}

/**
 * True for `0.0.0.0` or `::`.
 *
 * @example
 * isUnspecified(unspecified(4)); // true
 */
export function isUnspecified(a: IpAddress): boolean {
  return a.value === 0n;
}

// ---------------------------------------------------------------------------------------------
// IPv4 as unsigned 32-bit numbers (hot paths)

/**
 * Parses dotted-quad IPv4 text into an unsigned 32-bit number, strictly (no leading zeros, as
 * Go's `netip`); `undefined` when it is not one.
 *
 * @example
 * ipv4ToU32('192.168.10.200'); // 3232238280
 * ipv4ToU32('::1'); // undefined
 */
export function ipv4ToU32(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return undefined; // leading zero
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
 * u32ToIpv4(3232238280); // '192.168.10.200'
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
 * The unsigned 32-bit value of an IPv4 address.
 *
 * @example
 * ipv4Value(IPv4.fromString('0.0.1.2')); // 258
 */
export function ipv4Value(a: IPv4): number {
  return Number(a.value);
}

const OCTETS: readonly Octet[] = Array.from({ length: 256 }, (_, i) => Octet.fromNumber(i));
const IPV4_MAX = 4294967295n;

/**
 * The ip-num `IPv4` of an unsigned 32-bit value, built directly: the same object
 * `IPv4.fromNumber` builds (same class, same fields), without its detour through binary strings.
 * Octet objects are shared (ip-num never changes them).
 *
 * @example
 * ipv4FromU32(167772161).toString(); // '10.0.0.1'
 */
export function ipv4FromU32(n: number): IPv4 {
  const ip = Object.create(IPv4.prototype) as Record<string, unknown>;
  ip['bitSize'] = 32;
  ip['maximumBitSize'] = IPV4_MAX;
  ip['type'] = 'IPv4';
  ip['octets'] = [OCTETS[n >>> 24], OCTETS[(n >>> 16) & 255], OCTETS[(n >>> 8) & 255], OCTETS[n & 255]];
  ip['separator'] = '.';
  ip['value'] = BigInt(n >>> 0);
  return ip as unknown as IPv4;
}

const v4Lengths: (IPv4Prefix | undefined)[] = [];
const v6Lengths: (IPv6Prefix | undefined)[] = [];

/**
 * The IPv4 prefix `value/len` with host bits cleared (the length clamped to 0..32).
 *
 * @example
 * ipv4Prefix(0xac140105, 16).toCidrString(); // '172.20.0.0/16'
 */
export function ipv4Prefix(value: number, len: number): IPv4CidrRange {
  const l = Math.max(0, Math.min(32, len));
  const network = (value & maskOf(l)) >>> 0;
  let pl = v4Lengths[l];
  if (pl === undefined) pl = v4Lengths[l] = IPv4Prefix.fromNumber(BigInt(l));
  const p = new IPv4CidrRange(ipv4FromU32(network), pl);
  networkValues.set(p, BigInt(network));
  return p;
}

/**
 * The netmask of a prefix length as an unsigned 32-bit number.
 *
 * @example
 * maskOf(24) === 0xffffff00; // true
 * maskOf(0); // 0
 */
export function maskOf(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * An IPv4 prefix as numbers.
 *
 * @example
 * const p: Prefix4 = parsePrefix4('172.20.0.0/16')!;
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
 * parsePrefix4('172.20.1.7/24'); // { addr: <172.20.1.0>, len: 24 }
 * parsePrefix4('default'); // { addr: 0, len: 0 }
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
 * The numeric form of an IPv4 prefix.
 *
 * @example
 * prefix4Of(IPv4CidrRange.fromCidr('10.0.0.0/8')); // { addr: 167772160, len: 8 }
 */
export function prefix4Of(p: IPv4CidrRange): Prefix4 {
  return { addr: Number(networkValue(p)), len: prefixLength(p) };
}

/**
 * True when the address (an unsigned 32-bit number) lies in the prefix.
 *
 * @example
 * inPrefix(ipv4ToU32('172.20.1.76')!, parsePrefix4('172.20.0.0/16')!); // true
 */
export function inPrefix(addr: number, p: Prefix4): boolean {
  return ((addr & maskOf(p.len)) >>> 0) === p.addr;
}
