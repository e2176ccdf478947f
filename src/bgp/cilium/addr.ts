/**
 * Address helpers for the Cilium BGP stage: families, masking, canonical text (as Go's
 * `netip` prints it: dotted quad, RFC 5952 compressed IPv6), ordering.
 *
 * @module
 */
import { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange, IPv4Prefix, IPv6Prefix } from 'ip-num';
import type { IpAddress, IpPrefix } from '../../input/types.js';

/** An address family as Cilium and GoBGP name it. */
export type Afi = 'ipv4' | 'ipv6';

/**
 * The family of an address.
 *
 * @example
 * ```ts
 * afiOf(IPv4.fromString('10.0.0.1')); // 'ipv4'
 * ```
 */
export function afiOf(addr: IpAddress): Afi {
  return addr instanceof IPv4 ? 'ipv4' : 'ipv6';
}

/**
 * The family of a prefix.
 *
 * @example
 * ```ts
 * prefixAfi(IPv4CidrRange.fromCidr('10.0.0.0/24')); // 'ipv4'
 * ```
 */
export function prefixAfi(prefix: IpPrefix): Afi {
  return prefix instanceof IPv4CidrRange ? 'ipv4' : 'ipv6';
}

/**
 * Bit length of an address of the family (32 or 128).
 *
 * @example
 * ```ts
 * bitLength('ipv6'); // 128
 * ```
 */
export function bitLength(afi: Afi): number {
  return afi === 'ipv4' ? 32 : 128;
}

/**
 * Prefix length of a prefix.
 *
 * @example
 * ```ts
 * prefixLength(IPv4CidrRange.fromCidr('10.0.0.0/24')); // 24
 * ```
 */
export function prefixLength(prefix: IpPrefix): number {
  return Number(prefix.cidrPrefix.value);
}

const networkCache = new WeakMap<IpPrefix, bigint>();

/**
 * The network address of a prefix as a number (host bits cleared). ip-num's `getFirst()` is
 * slow, so the value is cached per prefix object (and seeded by {@link maskedPrefix}).
 *
 * @example
 * ```ts
 * networkValue(IPv4CidrRange.fromCidr('10.0.0.7/24')); // 167772160n
 * ```
 */
export function networkValue(prefix: IpPrefix): bigint {
  let v = networkCache.get(prefix);
  if (v === undefined) {
    v = prefix.getFirst().value;
    networkCache.set(prefix, v);
  }
  return v;
}

/**
 * The network address of a prefix (host bits cleared).
 *
 * @example
 * ```ts
 * formatIp(prefixNetwork(IPv4CidrRange.fromCidr('10.0.0.7/24'))); // '10.0.0.0'
 * ```
 */
export function prefixNetwork(prefix: IpPrefix): IpAddress {
  const v = networkValue(prefix);
  return prefixAfi(prefix) === 'ipv4' ? new IPv4(v) : new IPv6(v);
}

/**
 * The prefix `addr/len` with host bits cleared (Go's `netip.Addr.Prefix`).
 *
 * @example
 * ```ts
 * formatPrefix(maskedPrefix(IPv4.fromString('172.16.1.3'), 24)); // '172.16.1.0/24'
 * ```
 */
export function maskedPrefix(addr: IpAddress, len: number): IpPrefix {
  const bits = addr instanceof IPv4 ? 32 : 128;
  const l = Math.max(0, Math.min(bits, len));
  const hostBits = BigInt(bits - l);
  const value = (addr.value >> hostBits) << hostBits;
  const p: IpPrefix =
    addr instanceof IPv4
      ? new IPv4CidrRange(new IPv4(value), IPv4Prefix.fromNumber(BigInt(l)))
      : new IPv6CidrRange(new IPv6(value), IPv6Prefix.fromNumber(BigInt(l)));
  networkCache.set(p, value);
  return p;
}

/**
 * The host prefix of an address (`/32` or `/128`).
 *
 * @example
 * ```ts
 * formatPrefix(hostPrefix(IPv4.fromString('172.16.1.1'))); // '172.16.1.1/32'
 * ```
 */
export function hostPrefix(addr: IpAddress): IpPrefix {
  return maskedPrefix(addr, addr instanceof IPv4 ? 32 : 128);
}

/**
 * True when the prefix contains the address (same family).
 *
 * @example
 * ```ts
 * prefixContains(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4.fromString('10.1.2.3')); // true
 * ```
 */
export function prefixContains(prefix: IpPrefix, addr: IpAddress): boolean {
  if (prefixAfi(prefix) !== afiOf(addr)) return false;
  const bits = bitLength(afiOf(addr));
  const hostBits = BigInt(bits - prefixLength(prefix));
  return (addr.value >> hostBits) === (networkValue(prefix) >> hostBits);
}

/**
 * True when `outer` covers `inner`: same family, `outer` no longer, and the same network bits.
 *
 * @example
 * ```ts
 * prefixCovers(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4CidrRange.fromCidr('10.1.0.0/16')); // true
 * ```
 */
export function prefixCovers(outer: IpPrefix, inner: IpPrefix): boolean {
  if (prefixAfi(outer) !== prefixAfi(inner)) return false;
  const lo = prefixLength(outer);
  if (lo > prefixLength(inner)) return false;
  const hostBits = BigInt(bitLength(prefixAfi(outer)) - lo);
  return networkValue(outer) >> hostBits === networkValue(inner) >> hostBits;
}

/**
 * Canonical text of an address: dotted quad, or RFC 5952 compressed IPv6 (as Go prints it).
 *
 * @example
 * ```ts
 * formatIp(IPv6.fromString('2001:db8:0:0:0:0:0:1')); // '2001:db8::1'
 * ```
 */
export function formatIp(addr: IpAddress): string {
  return formatValue(afiOf(addr), addr.value);
}

function formatValue(afi: Afi, v: bigint): string {
  if (afi === 'ipv4') {
    const n = Number(v);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped addresses print as ::ffff:a.b.c.d.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const lo = Number(v & 0xffffffffn);
    return `::ffff:${lo >>> 24}.${(lo >>> 16) & 255}.${(lo >>> 8) & 255}.${lo & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/**
 * Canonical text of a prefix: network address and length, e.g. `172.20.1.0/24`.
 *
 * @example
 * ```ts
 * formatPrefix(IPv4CidrRange.fromCidr('172.20.1.0/24')); // '172.20.1.0/24'
 * ```
 */
export function formatPrefix(prefix: IpPrefix): string {
  return `${formatValue(prefixAfi(prefix), networkValue(prefix))}/${prefixLength(prefix)}`;
}

/**
 * The unspecified address of a family (`0.0.0.0` or `::`).
 *
 * @example
 * ```ts
 * formatIp(unspecified('ipv6')); // '::'
 * ```
 */
export function unspecified(afi: Afi): IpAddress {
  return afi === 'ipv4' ? UNSPECIFIED_V4 : UNSPECIFIED_V6;
}

const UNSPECIFIED_V4 = new IPv4(0n);
const UNSPECIFIED_V6 = new IPv6(0n);

/**
 * Orders addresses: IPv4 before IPv6, then numerically (Go's `netip.Addr.Compare`).
 *
 * @example
 * ```ts
 * [b, a].sort(compareIp);
 * ```
 */
export function compareIp(a: IpAddress, b: IpAddress): number {
  const fa = afiOf(a) === 'ipv4' ? 0 : 1;
  const fb = afiOf(b) === 'ipv4' ? 0 : 1;
  if (fa !== fb) return fa - fb;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * Orders prefixes by network address, then length.
 *
 * @example
 * ```ts
 * prefixes.sort(comparePrefix);
 * ```
 */
export function comparePrefix(a: IpPrefix, b: IpPrefix): number {
  const fa = prefixAfi(a) === 'ipv4' ? 0 : 1;
  const fb = prefixAfi(b) === 'ipv4' ? 0 : 1;
  if (fa !== fb) return fa - fb;
  const va = networkValue(a);
  const vb = networkValue(b);
  if (va !== vb) return va < vb ? -1 : 1;
  return prefixLength(a) - prefixLength(b);
}

/**
 * True when two addresses are equal (same family and value).
 *
 * @example
 * ```ts
 * sameIp(IPv4.fromString('1.1.1.1'), IPv4.fromString('1.1.1.1')); // true
 * ```
 */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return compareIp(a, b) === 0;
}
