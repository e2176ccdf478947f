/**
 * Address and prefix parsing into ip-num values, strict the way Go's `net/netip` is (no leading
 * zeros in IPv4 octets, no zones), and fast enough for clusters at Kubernetes' limits.
 *
 * @module
 */
import { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange, IPv4Prefix, IPv6Prefix, Octet, Validator } from 'ip-num';
import type { IpAddress, IpPrefix } from './types.js';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Parses a dotted-quad IPv4 address to its 32-bit value, or `undefined`.
 *
 * @example
 * ipv4ToNumber('10.0.0.1'); // 167772161
 */
export function ipv4ToNumber(s: string): number | undefined {
  const m = IPV4.exec(s);
  if (m === null) return undefined;
  return ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
}

const OCTETS: readonly Octet[] = Array.from({ length: 256 }, (_, i) => Octet.fromNumber(i));
const IPV4_MAX = 4294967295n;

/**
 * The ip-num `IPv4` of a 32-bit value, built directly: the same object `IPv4.fromNumber` builds
 * (same class, same fields), without its detour through binary strings, which made it the
 * largest cost of decoding 100,000 pods. Octet objects are shared (ip-num never changes them).
 *
 * @example
 * ipv4FromNumber(167772161).toString(); // '10.0.0.1'
 */
export function ipv4FromNumber(n: number): IPv4 {
  const ip = Object.create(IPv4.prototype) as Record<string, unknown>;
  ip['bitSize'] = 32;
  ip['maximumBitSize'] = IPV4_MAX;
  ip['type'] = 'IPv4';
  ip['octets'] = [OCTETS[n >>> 24], OCTETS[(n >>> 16) & 255], OCTETS[(n >>> 8) & 255], OCTETS[n & 255]];
  ip['separator'] = '.';
  ip['value'] = BigInt(n >>> 0);
  return ip as unknown as IPv4;
}

/**
 * Parses an IPv4 or IPv6 address (`10.0.0.1`, `fd00::1`), or `undefined` when it is not one.
 *
 * @example
 * parseIp('192.168.10.100')?.toString(); // '192.168.10.100'
 */
export function parseIp(s: string): IpAddress | undefined {
  const n = ipv4ToNumber(s);
  if (n !== undefined) return ipv4FromNumber(n);
  if (!s.includes(':') || s.includes('%') || s.length > 45) return undefined;
  try {
    const [valid] = Validator.isValidIPv6String(s);
    return valid ? IPv6.fromString(s) : undefined;
  } catch {
    return undefined;
  }
}

const v4Prefixes = new Map<number, IPv4Prefix>();
const v6Prefixes = new Map<number, IPv6Prefix>();

/**
 * Parses a prefix `address/length` to an ip-num range whose address is the network address
 * (host bits cleared), or `undefined`.
 *
 * @example
 * parsePrefix('172.20.0.5/24')?.toCidrString(); // '172.20.0.0/24'
 */
export function parsePrefix(s: string): IpPrefix | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return undefined;
  const len = Number(lenText);
  const addr = s.slice(0, slash);
  const n = ipv4ToNumber(addr);
  if (n !== undefined) {
    if (len > 32) return undefined;
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return v4Range((n & mask) >>> 0, len);
  }
  const a = parseIp(addr);
  if (a === undefined || !(a instanceof IPv6) || len > 128) return undefined;
  const bits = 128n - BigInt(len);
  const network = (a.getValue() >> bits) << bits;
  let p = v6Prefixes.get(len);
  if (p === undefined) {
    p = new IPv6Prefix(BigInt(len));
    v6Prefixes.set(len, p);
  }
  return new IPv6CidrRange(IPv6.fromBigInt(network), p);
}

/**
 * The IPv4 range of a network number and prefix length (the address must already be the network).
 *
 * @example
 * v4Range(0xac140000, 16).toCidrString(); // '172.20.0.0/16'
 */
export function v4Range(network: number, len: number): IPv4CidrRange {
  let p = v4Prefixes.get(len);
  if (p === undefined) {
    p = new IPv4Prefix(BigInt(len));
    v4Prefixes.set(len, p);
  }
  return new IPv4CidrRange(ipv4FromNumber(network), p);
}

/**
 * `4` or `6`: the family of an address or prefix.
 *
 * @example
 * familyOf(parseIp('fd00::1')!); // 6
 */
export function familyOf(a: IpAddress | IpPrefix): 4 | 6 {
  if (a instanceof IPv4 || a instanceof IPv4CidrRange) return 4;
  return 6;
}

/**
 * Compares two addresses: IPv4 before IPv6, then by numeric value (for sorting).
 *
 * @example
 * [b, a].sort(compareIp);
 */
export function compareIp(a: IpAddress, b: IpAddress): number {
  const fa = familyOf(a);
  const fb = familyOf(b);
  if (fa !== fb) return fa - fb;
  const va = a.getValue();
  const vb = b.getValue();
  return va < vb ? -1 : va > vb ? 1 : 0;
}

/**
 * Compares two prefixes: IPv4 first, then network address, then length.
 *
 * @example
 * prefixes.slice().sort(comparePrefix);
 */
export function comparePrefix(a: IpPrefix, b: IpPrefix): number {
  const c = compareIp(a.getFirst(), b.getFirst());
  if (c !== 0) return c;
  return Number(a.cidrPrefix.getValue() - b.cidrPrefix.getValue());
}

const networkValues = new WeakMap<IpPrefix, bigint>();

/**
 * The network address of a prefix as a number, computed once per prefix object (ip-num's
 * `getFirst()` rebuilds a mask on every call).
 *
 * @example
 * prefixNetworkValue(parsePrefix('10.0.0.0/8')!); // 167772160n
 */
export function prefixNetworkValue(p: IpPrefix): bigint {
  let v = networkValues.get(p);
  if (v === undefined) {
    v = p.getFirst().getValue();
    networkValues.set(p, v);
  }
  return v;
}

/**
 * True when the address lies in the prefix (same family, same network bits).
 *
 * @example
 * prefixContains(parsePrefix('172.20.0.0/24')!, parseIp('172.20.0.28')!); // true
 */
export function prefixContains(p: IpPrefix, a: IpAddress): boolean {
  const family = familyOf(p);
  if (family !== familyOf(a)) return false;
  const host = BigInt((family === 4 ? 32 : 128) - Number(p.cidrPrefix.getValue()));
  return a.getValue() >> host === prefixNetworkValue(p) >> host;
}
