/**
 * Shared helpers below every stage (`cilium-twin/net`): addresses, prefixes, 32-bit IPv4 numbers, FNV-1a, protocol numbers.
 *
 * @module
 */
export { parseIp, parsePrefix, compareIp, comparePrefix, familyOf, type Family } from './addr.js';
export { ipv4ToU32, u32ToIpv4, parsePrefix4, formatValue, type Prefix4 } from './addr.js';
export { compareStrings, compareEntryKeys } from './compare.js';
export { TupleMap, type KeyPart } from './keys.js';
export {
  type WireAddr, type WirePrefix, type Prefix6, wireText, parseWire, parseWirePrefix, maskWire, inWirePrefix,
  wirePrefixText, isWire6, wireFamily, isLoopback, mask6, words6,
} from './wire.js';
