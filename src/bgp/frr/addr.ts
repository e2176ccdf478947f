/**
 * IPv4 helpers of the FRR stage (the model evaluates FRR's IPv4 unicast address family): strict
 * parsing of the dotted forms FRR accepts, 32-bit values, prefix keys.
 *
 * @module
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { IpAddress, IpPrefix } from '../../input/types.js';

/**
 * Parses a dotted-quad IPv4 address strictly; `undefined` when malformed.
 *
 * @example
 * parseIPv4('192.168.10.200')?.toString(); // '192.168.10.200'
 * parseIPv4('192.168.10'); // undefined
 */
export function parseIPv4(text: string): IPv4 | undefined {
  const hit = v4Memo.get(text);
  if (hit !== undefined) return hit;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return remember(v4Memo, text, IPv4.fromNumber(((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!));
}

/** Parsed values by text (ip-num construction is slow; values are immutable). */
const v4Memo = new Map<string, IPv4>();
const prefixMemo = new Map<string, IPv4CidrRange>();
const MEMO_LIMIT = 4096;

function remember<T>(m: Map<string, T>, k: string, v: T): T {
  if (m.size >= MEMO_LIMIT) m.delete(m.keys().next().value as string);
  m.set(k, v);
  return v;
}

/**
 * Parses `A.B.C.D/M`, masking host bits as FRR does (`apply_mask`); `undefined` when malformed.
 *
 * @example
 * parseIPv4Prefix('10.10.1.7/24')?.toCidrString(); // '10.10.1.0/24'
 */
export function parseIPv4Prefix(text: string): IPv4CidrRange | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const a = parseIPv4(m[1]!);
  const len = Number(m[2]);
  if (!a || len > 32) return undefined;
  return v4Prefix(v4Value(a), len);
}

/**
 * The 32-bit value of an IPv4 address.
 *
 * @example
 * v4Value(IPv4.fromString('0.0.1.2')); // 258
 */
export function v4Value(a: IPv4): number {
  return Number(a.getValue());
}

/**
 * An IPv4 address from its 32-bit value.
 *
 * @example
 * v4FromValue(258).toString(); // '0.0.1.2'
 */
export function v4FromValue(v: number): IPv4 {
  const x = v >>> 0;
  return parseIPv4(`${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`)!;
}

/**
 * The netmask of a prefix length as a 32-bit value.
 *
 * @example
 * maskOf(24); // 4294967040
 */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * The prefix `value/len` with host bits cleared.
 *
 * @example
 * v4Prefix(v4Value(IPv4.fromString('10.1.2.3')), 8).toCidrString(); // '10.0.0.0/8'
 */
export function v4Prefix(value: number, len: number): IPv4CidrRange {
  const x = (value & maskOf(len)) >>> 0;
  const text = `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}/${len}`;
  return prefixMemo.get(text) ?? remember(prefixMemo, text, IPv4CidrRange.fromCidr(text));
}

/**
 * True for an IPv4 address (ip-num `IPv4`).
 *
 * @example
 * isV4(IPv4.fromString('1.2.3.4')); // true
 */
export function isV4(a: IpAddress): a is IPv4 {
  return a.type === 'IPv4';
}

const textCache = new WeakMap<object, string>();

/**
 * The text of an address, computed once per address object.
 *
 * @example
 * ipText(IPv4.fromString('10.0.0.1')); // '10.0.0.1'
 */
export function ipText(a: IpAddress): string {
  let t = textCache.get(a);
  if (t === undefined) {
    t = a.toString();
    textCache.set(a, t);
  }
  return t;
}

/**
 * True for an IPv4 prefix.
 *
 * @example
 * isV4Prefix(IPv4CidrRange.fromCidr('10.0.0.0/8')); // true
 */
export function isV4Prefix(p: IpPrefix): p is IPv4CidrRange {
  return p instanceof IPv4CidrRange;
}

interface PrefixInfo {
  readonly key: string;
  readonly net: bigint;
  readonly len: number;
  readonly v4: boolean;
}

const prefixCache = new WeakMap<object, PrefixInfo>();

/** Network value, length and text of a prefix, computed once per prefix object (ip-num is slow). */
function info(p: IpPrefix): PrefixInfo {
  let i = prefixCache.get(p);
  if (!i) {
    const first = p.getFirst();
    const len = Number(p.getPrefix().getValue());
    i = { key: `${first.toString()}/${len}`, net: first.getValue(), len, v4: p instanceof IPv4CidrRange };
    prefixCache.set(p, i);
  }
  return i;
}

/**
 * Network value and length of an IPv4 prefix.
 *
 * @example
 * prefixParts(IPv4CidrRange.fromCidr('10.0.0.0/8')); // { net: 167772160, len: 8 }
 */
export function prefixParts(p: IPv4CidrRange): { readonly net: number; readonly len: number } {
  const i = info(p);
  return { net: Number(i.net), len: i.len };
}

/**
 * A stable text key for a prefix (`A.B.C.D/M`).
 *
 * @example
 * prefixKey(IPv4CidrRange.fromCidr('10.0.0.0/8')); // '10.0.0.0/8'
 */
export function prefixKey(p: IpPrefix): string {
  return info(p).key;
}

/**
 * Orders IPv4 prefixes as FRR's route table walks them: by network address, then shorter first.
 *
 * @example
 * comparePrefixes(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4CidrRange.fromCidr('10.0.0.0/24')); // < 0
 */
export function comparePrefixes(a: IpPrefix, b: IpPrefix): number {
  const x = info(a);
  const y = info(b);
  if (x.v4 !== y.v4) return x.v4 ? -1 : 1;
  if (x.net !== y.net) return x.net < y.net ? -1 : 1;
  return x.len - y.len;
}

/**
 * Length of a prefix (cached).
 *
 * @example
 * prefixLen(IPv4CidrRange.fromCidr('10.0.0.0/8')); // 8
 */
export function prefixLen(p: IpPrefix): number {
  return info(p).len;
}

/**
 * Orders addresses numerically (IPv4 before IPv6).
 *
 * @example
 * compareIps(IPv4.fromString('10.0.0.2'), IPv4.fromString('10.0.0.10')); // < 0
 */
export function compareIps(a: IpAddress, b: IpAddress): number {
  const fa = isV4(a) ? 4 : 6;
  const fb = isV4(b) ? 4 : 6;
  if (fa !== fb) return fa - fb;
  const av = a.getValue();
  const bv = b.getValue();
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/**
 * True when both addresses are the same (family and value).
 *
 * @example
 * sameIp(IPv4.fromString('1.1.1.1'), IPv4.fromString('1.1.1.1')); // true
 */
export function sameIp(a: IpAddress | undefined, b: IpAddress | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return compareIps(a, b) === 0;
}

/**
 * True when the prefix contains the address (same family).
 *
 * @example
 * prefixHas(IPv4CidrRange.fromCidr('10.0.0.0/8'), IPv4.fromString('10.1.2.3')); // true
 */
export function prefixHas(p: IpPrefix, a: IpAddress): boolean {
  const i = info(p);
  if (i.v4 !== isV4(a)) return false;
  const shift = BigInt((i.v4 ? 32 : 128) - i.len);
  return i.net >> shift === a.getValue() >> shift;
}

/**
 * The unspecified IPv4 address 0.0.0.0 (a locally originated path's next hop).
 *
 * @example
 * ZERO_V4.toString(); // '0.0.0.0'
 */
export const ZERO_V4: IPv4 = IPv4.fromNumber(0);

/**
 * True for 0.0.0.0 or ::.
 *
 * @example
 * isUnspecified(ZERO_V4); // true
 */
export function isUnspecified(a: IpAddress): boolean {
  return a.getValue() === 0n;
}
