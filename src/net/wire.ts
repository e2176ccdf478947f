/**
 * Addresses as the packet walk carries them, in either family: an IPv4 address is an unsigned
 * 32-bit `number` (the hot paths' form, unchanged), an IPv6 address is its 128-bit value as a
 * `bigint`. The type of the value is its family, so maps keyed by addresses hold both families
 * without collisions (`Map` compares bigints by value) and every IPv4 path keeps its numbers.
 *
 * "Unset" (a packet whose source is not chosen yet) is the number 0 in both families.
 *
 * @module
 */
import { type Prefix4, formatValue, inPrefix, ipv4ToU32, parseIp, u32ToIpv4, maskOf } from './addr.js';

/**
 * An address on the wire: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint.
 *
 * @example
 * ```ts
 * import { type WireAddr } from 'cilium-twin/net';
 * const a: WireAddr = 0xac100101; // 172.16.1.1
 * const b: WireAddr = 0xfd000172001600010000000000000001n; // fd00:172:16:1::1
 * ```
 */
export type WireAddr = number | bigint;

/**
 * An IPv6 prefix as a bigint network value and a length.
 *
 * @example
 * ```ts
 * import { parseWirePrefix, type Prefix6 } from 'cilium-twin/net';
 * const p: Prefix6 = parseWirePrefix('fd00:172:20::/48') as Prefix6;
 * ```
 */
export interface Prefix6 {
  /** Network address (masked). */
  readonly addr: bigint;
  /** Prefix length 0..128. */
  readonly len: number;
}

/**
 * A prefix of either family.
 *
 * @example
 * ```ts
 * import { parseWirePrefix, type WirePrefix } from 'cilium-twin/net';
 * const p: WirePrefix = parseWirePrefix('172.20.0.0/16')!;
 * ```
 */
export type WirePrefix = Prefix4 | Prefix6;

const ALL128 = (1n << 128n) - 1n;

/**
 * The netmask of an IPv6 prefix length as a bigint.
 *
 * @example
 * ```ts
 * import { mask6 } from 'cilium-twin/net';
 * mask6(64) === 0xffffffffffffffff0000000000000000n; // true
 * ```
 */
export function mask6(len: number): bigint {
  if (len <= 0) return 0n;
  if (len >= 128) return ALL128;
  return (ALL128 >> BigInt(128 - len)) << BigInt(128 - len);
}

/**
 * True for an IPv6 value.
 *
 * @example
 * ```ts
 * import { isWire6 } from 'cilium-twin/net';
 * isWire6(1n); // true
 * isWire6(1); // false
 * ```
 */
export function isWire6(a: WireAddr): a is bigint {
  return typeof a === 'bigint';
}

/**
 * The family of a wire address.
 *
 * @example
 * ```ts
 * import { wireFamily } from 'cilium-twin/net';
 * wireFamily(0xac100101); // 4
 * ```
 */
export function wireFamily(a: WireAddr): 4 | 6 {
  return typeof a === 'bigint' ? 6 : 4;
}

/**
 * The text of a wire address (dotted quad, RFC 5952 IPv6).
 *
 * @example
 * ```ts
 * import { wireText } from 'cilium-twin/net';
 * wireText(0xac100101); // '172.16.1.1'
 * wireText(0xfd000000000000000000000000000001n); // 'fd00::1'
 * ```
 */
export function wireText(a: WireAddr): string {
  return typeof a === 'bigint' ? formatValue(6, a) : u32ToIpv4(a);
}

/**
 * Parses an address of either family into its wire form; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { parseWire } from 'cilium-twin/net';
 * parseWire('172.16.1.1'); // 2886729985
 * parseWire('fd00::1'); // 336294682933583715844663186250927177729n
 * ```
 */
export function parseWire(text: string): WireAddr | undefined {
  const n = ipv4ToU32(text);
  if (n !== undefined) return n;
  const a = parseIp(text);
  return a === undefined ? undefined : a.value;
}

/**
 * Parses `addr/len` (or a bare address, a host prefix, or `default` as the IPv4 default) of
 * either family, host bits cleared.
 *
 * @example
 * ```ts
 * import { parseWirePrefix } from 'cilium-twin/net';
 * parseWirePrefix('fd00:172:20:1::4c/64'); // { addr: <fd00:172:20:1::>, len: 64 }
 * ```
 */
export function parseWirePrefix(text: string): WirePrefix | undefined {
  if (text === 'default') return { addr: 0, len: 0 };
  const slash = text.indexOf('/');
  const a = parseWire(slash < 0 ? text : text.slice(0, slash));
  if (a === undefined) return undefined;
  const max = typeof a === 'bigint' ? 128 : 32;
  const len = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(len) || len < 0 || len > max) return undefined;
  return maskWire(a, len);
}

/**
 * The prefix of length `len` holding `a`.
 *
 * @example
 * ```ts
 * import { maskWire } from 'cilium-twin/net';
 * maskWire(0xac140105, 16); // { addr: 0xac140000, len: 16 }
 * ```
 */
export function maskWire(a: WireAddr, len: number): WirePrefix {
  if (typeof a === 'bigint') return { addr: a & mask6(len), len };
  return { addr: (a & maskOf(len)) >>> 0, len };
}

/**
 * True when the address lies in the prefix (a prefix of the other family holds nothing).
 *
 * @example
 * ```ts
 * import { inWirePrefix } from 'cilium-twin/net';
 * inWirePrefix(0xac140105, { addr: 0xac140000, len: 16 }); // true
 * ```
 */
export function inWirePrefix(a: WireAddr, p: WirePrefix): boolean {
  if (typeof a === 'bigint') return typeof p.addr === 'bigint' && (a & mask6(p.len)) === p.addr;
  return typeof p.addr === 'number' && inPrefix(a, p as Prefix4);
}

/**
 * The text of a prefix (`default` for the IPv4 default route, `::/0` for IPv6's).
 *
 * @example
 * ```ts
 * import { wirePrefixText } from 'cilium-twin/net';
 * wirePrefixText({ addr: 0xac140000, len: 16 }); // '172.20.0.0/16'
 * ```
 */
export function wirePrefixText(p: WirePrefix): string {
  if (typeof p.addr === 'number' && p.len === 0) return 'default';
  return `${wireText(p.addr)}/${p.len}`;
}

/**
 * True for a loopback address (`127.0.0.0/8`, `::1`).
 *
 * @example
 * ```ts
 * import { isLoopback } from 'cilium-twin/net';
 * isLoopback(0x7f000001); // true
 * ```
 */
export function isLoopback(a: WireAddr): boolean {
  return typeof a === 'bigint' ? a === 1n : a >>> 24 === 127;
}

/**
 * The four 32-bit words of an IPv6 value, most significant first (hashes).
 *
 * @example
 * ```ts
 * import { words6 } from 'cilium-twin/net';
 * words6(1n); // [0, 0, 0, 1]
 * ```
 */
export function words6(a: bigint): readonly [number, number, number, number] {
  return [Number((a >> 96n) & 0xffffffffn), Number((a >> 64n) & 0xffffffffn), Number((a >> 32n) & 0xffffffffn), Number(a & 0xffffffffn)];
}
