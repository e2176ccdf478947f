/**
 * Address helpers for the FIB: families, numeric values, prefix arithmetic, and the text forms
 * iproute2 prints (dotted quad; RFC 5952 compressed IPv6).
 *
 * @module
 */
import { IPv4, IPv4CidrRange, IPv4Prefix, IPv6, IPv6CidrRange, IPv6Prefix } from 'ip-num';
import type { IpAddress, IpPrefix } from '../input/types.js';

/**
 * Address family of an address or prefix: 4 or 6.
 *
 * @example
 * familyOf(IPv4.fromString('10.0.0.1')); // 4
 */
export function familyOf(x: IpAddress | IpPrefix): 4 | 6 {
  if ('cidrPrefix' in x) {
    let f = familyCache.get(x);
    if (f === undefined) {
      f = x instanceof IPv4CidrRange || x.getFirst().bitSize === 32 ? 4 : 6;
      familyCache.set(x, f);
    }
    return f;
  }
  return x.bitSize === 32 ? 4 : 6;
}

/**
 * Numeric value of an address (bigint, as ip-num holds it).
 *
 * @example
 * addressValue(IPv4.fromString('0.0.1.0')); // 256n
 */
export function addressValue(a: IpAddress): bigint {
  return a.value;
}

/**
 * Prefix length of a prefix.
 *
 * @example
 * prefixLength(IPv4CidrRange.fromCidr('10.0.0.0/8')); // 8
 */
export function prefixLength(p: IpPrefix): number {
  return Number(p.cidrPrefix.getValue());
}

/**
 * Network address (host bits cleared) of a prefix, as a bigint.
 *
 * @example
 * networkValue(IPv4CidrRange.fromCidr('192.168.10.100/24')); // 3232238080n (192.168.10.0)
 */
export function networkValue(p: IpPrefix): bigint {
  let v = networkCache.get(p);
  if (v === undefined) {
    v = p.getFirst().value; // ip-num computes this slowly; cache per prefix object
    networkCache.set(p, v);
  }
  return v;
}

/**
 * Network address (host bits cleared) of a prefix.
 *
 * @example
 * networkAddress(IPv4CidrRange.fromCidr('192.168.10.100/24')).toString(); // '192.168.10.0'
 */
export function networkAddress(p: IpPrefix): IpAddress {
  return addressFromValue(familyOf(p), networkValue(p));
}

const networkCache = new WeakMap<IpPrefix, bigint>();
const familyCache = new WeakMap<IpPrefix, 4 | 6>();

/**
 * True when `p` contains address `a` (same family and the leading bits match).
 *
 * @example
 * prefixContains(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4.fromString('10.1.2.3')); // true
 */
export function prefixContains(p: IpPrefix, a: IpAddress): boolean {
  if (familyOf(p) !== familyOf(a)) return false;
  const bits = familyOf(a) === 4 ? 32 : 128;
  const len = prefixLength(p);
  if (len === 0) return true;
  const shift = BigInt(bits - len);
  return (networkValue(p) >> shift) === (a.value >> shift);
}

/**
 * Builds an address of the given family from its numeric value.
 *
 * @example
 * addressFromValue(4, 167772161n).toString(); // '10.0.0.1'
 */
export function addressFromValue(family: 4 | 6, value: bigint): IpAddress {
  return family === 4 ? IPv4.fromNumber(value) : new IPv6(value);
}

/**
 * Builds a prefix (host bits cleared) from an address and a length.
 *
 * @example
 * formatPrefix(makePrefix(IPv4.fromString('192.168.10.100'), 24)); // '192.168.10.0/24'
 */
export function makePrefix(a: IpAddress, length: number): IpPrefix {
  const family = familyOf(a);
  const bits = family === 4 ? 32 : 128;
  const shift = BigInt(bits - length);
  const net = length === 0 ? 0n : (a.value >> shift) << shift;
  if (family === 4) return new IPv4CidrRange(IPv4.fromNumber(net), IPv4Prefix.fromNumber(BigInt(length)));
  return new IPv6CidrRange(new IPv6(net), IPv6Prefix.fromNumber(BigInt(length)));
}

/**
 * Host prefix (/32 or /128) of an address.
 *
 * @example
 * formatPrefix(hostPrefix(IPv4.fromString('172.20.0.1'))); // '172.20.0.1/32'
 */
export function hostPrefix(a: IpAddress): IpPrefix {
  return makePrefix(a, familyOf(a) === 4 ? 32 : 128);
}

/**
 * Text form of an address: dotted quad, or RFC 5952 compressed IPv6 (as iproute2 prints).
 *
 * @example
 * formatAddress(IPv6.fromString('fd00:0:0:0:0:0:0:1')); // 'fd00::1'
 */
export function formatAddress(a: IpAddress): string {
  if (a.bitSize === 32) return IPv4.fromNumber(a.value).toString();
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.value >> BigInt(i * 16)) & 0xffffn));
  // longest run of zero groups (length >= 2), leftmost on ties
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
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/**
 * Text form of a prefix with host bits cleared, e.g. `10.0.0.0/8`.
 *
 * @example
 * formatPrefix(IPv4CidrRange.fromCidr('192.168.10.100/24')); // '192.168.10.0/24'
 */
export function formatPrefix(p: IpPrefix): string {
  return `${formatAddress(addressFromValue(familyOf(p), networkValue(p)))}/${prefixLength(p)}`;
}

/**
 * Compares two addresses: family first (IPv4 before IPv6), then numeric value.
 *
 * @example
 * compareAddresses(IPv4.fromString('10.0.0.2'), IPv4.fromString('10.0.0.10')); // negative
 */
export function compareAddresses(a: IpAddress, b: IpAddress): number {
  const fa = familyOf(a);
  const fb = familyOf(b);
  if (fa !== fb) return fa - fb;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * True when two addresses are the same (family and value).
 *
 * @example
 * sameAddress(IPv4.fromString('10.0.0.1'), IPv4.fromString('10.0.0.1')); // true
 */
export function sameAddress(a: IpAddress | undefined, b: IpAddress | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return familyOf(a) === familyOf(b) && a.value === b.value;
}

/**
 * Parses an address (IPv4 or IPv6) from text; `undefined` when it is not one.
 *
 * @example
 * parseAddress('192.168.10.200')?.toString(); // '192.168.10.200'
 */
export function parseAddress(text: string): IpAddress | undefined {
  try {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return IPv4.fromString(text);
    if (text.includes(':')) return IPv6.fromString(text);
  } catch {
    return undefined;
  }
  return undefined;
}
