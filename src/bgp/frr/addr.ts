/**
 * The IPv4 forms FRR's configuration accepts (the model evaluates FRR's IPv4 unicast address
 * family). Every other address helper of this stage is in `src/net/addr.ts`.
 *
 * @module
 */
import type { IPv4, IPv4CidrRange } from 'ip-num';
import { isIPv4, isIPv4Prefix, parseIp, parsePrefix, unspecified } from '../../net/addr.js';

/**
 * Parses a dotted-quad IPv4 address strictly; `undefined` when malformed or IPv6.
 *
 * @example
 * parseIPv4('192.168.10.200')?.toString(); // '192.168.10.200'
 * parseIPv4('192.168.10'); // undefined
 */
export function parseIPv4(text: string): IPv4 | undefined {
  const a = parseIp(text);
  return a !== undefined && isIPv4(a) ? a : undefined;
}

/**
 * Parses `A.B.C.D/M`, masking host bits as FRR does (`apply_mask`); `undefined` when malformed
 * or IPv6.
 *
 * @example
 * parseIPv4Prefix('10.10.1.7/24')?.toCidrString(); // '10.10.1.0/24'
 */
export function parseIPv4Prefix(text: string): IPv4CidrRange | undefined {
  const p = parsePrefix(text);
  return p !== undefined && isIPv4Prefix(p) ? p : undefined;
}

/**
 * The unspecified IPv4 address 0.0.0.0 (a locally originated path's next hop).
 *
 * @example
 * ZERO_V4.toString(); // '0.0.0.0'
 */
export const ZERO_V4: IPv4 = unspecified(4) as IPv4;
