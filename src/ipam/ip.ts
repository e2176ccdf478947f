/**
 * Small address helpers shared by the LB IPAM stage, the LB datapath stage and their views:
 * family tests, ordering, and text the way Go's `netip.Addr.String()` writes it (IPv6 compressed
 * per RFC 5952, which ip-num's `toString()` does not do).
 *
 * @module
 */
import { IPv4, IPv6 } from 'ip-num';
import type { IpAddress, IpPrefix } from '../input/types.js';

/**
 * True for an IPv4 address.
 *
 * @example
 * isIPv4(IPv4.fromString('10.0.0.1')); // true
 */
export function isIPv4(addr: IpAddress): addr is IPv4 {
  return addr.bitSize === 32;
}

/**
 * Orders addresses as Go's `netip.Addr.Compare` does: IPv4 before IPv6, then by value.
 *
 * @example
 * [b, a].sort(compareIp);
 */
export function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.bitSize !== b.bitSize) return a.bitSize - b.bitSize;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * True when both addresses are the same family and value.
 *
 * @example
 * sameIp(IPv4.fromString('1.1.1.1'), IPv4.fromString('1.1.1.1')); // true
 */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.bitSize === b.bitSize && a.value === b.value;
}

/**
 * The address as Go prints it: dotted quad, or RFC 5952 compressed IPv6 (`fd00::1`).
 *
 * @example
 * formatIp(IPv6.fromString('fd00:0:0:0:0:0:0:1')); // 'fd00::1'
 */
export function formatIp(addr: IpAddress): string {
  if (isIPv4(addr)) return addr.toString();
  return formatIPv6Value(addr.value);
}

/** RFC 5952 text of a 128-bit value. */
function formatIPv6Value(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped addresses print as ::ffff:a.b.c.d (Go does the same).
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
 * `ip:port` as Go's `net.JoinHostPort` writes it (`[v6]:port` for IPv6).
 *
 * @example
 * joinHostPort(IPv4.fromString('10.0.0.1'), 80); // '10.0.0.1:80'
 */
export function joinHostPort(addr: IpAddress, port: number): string {
  return isIPv4(addr) ? `${formatIp(addr)}:${port}` : `[${formatIp(addr)}]:${port}`;
}

/**
 * Builds an address of the same family as `like` from a numeric value.
 *
 * @example
 * ipFromValue(IPv4.fromString('0.0.0.0'), 167772161n); // 10.0.0.1
 */
export function ipFromValue(like: IpAddress, value: bigint): IpAddress {
  return isIPv4(like) ? IPv4.fromNumber(value) : IPv6.fromBigInt(value);
}

/**
 * The unspecified address of a family (`0.0.0.0` or `::`).
 *
 * @example
 * unspecified(4).toString(); // '0.0.0.0'
 */
export function unspecified(family: 4 | 6): IpAddress {
  return family === 4 ? IPv4.fromNumber(0n) : IPv6.fromBigInt(0n);
}

/**
 * First and last address of a prefix, as values.
 *
 * @example
 * prefixBounds(IPv4CidrRange.fromCidr('10.0.0.0/30')); // { first: 167772160n, last: 167772163n }
 */
export function prefixBounds(prefix: IpPrefix): { first: bigint; last: bigint } {
  return { first: prefix.getFirst().value, last: prefix.getLast().value };
}

/**
 * Whether a prefix contains an address (same family only).
 *
 * @example
 * prefixContains(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4.fromString('10.1.2.3')); // true
 */
export function prefixContains(prefix: IpPrefix, addr: IpAddress): boolean {
  const first = prefix.getFirst();
  if (first.bitSize !== addr.bitSize) return false;
  return addr.value >= first.value && addr.value <= prefix.getLast().value;
}

/**
 * The prefix as `a.b.c.d/n` (IPv6 compressed).
 *
 * @example
 * formatPrefix(IPv4CidrRange.fromCidr('10.0.0.0/8')); // '10.0.0.0/8'
 */
export function formatPrefix(prefix: IpPrefix): string {
  return `${formatIp(prefix.getFirst())}/${prefix.cidrPrefix.getValue()}`;
}
