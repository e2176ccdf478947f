/**
 * Small shared helpers below every stage: IANA protocol numbers, the L4 protocols the model
 * carries, and FNV-1a (the hash behind deterministic identifiers: identities, endpoint IDs, MAC
 * addresses). They live here so that no stage imports a later one for them.
 *
 * @module
 */

/**
 * An L4 protocol the walk carries.
 *
 * @example
 * ```ts
 * const p: L4Protocol = 'UDP';
 * ```
 */
export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * IANA protocol numbers.
 *
 * @example
 * ```ts
 * PROTO_NUMBER.UDP; // 17
 * ```
 */
export const PROTO_NUMBER: Readonly<Record<L4Protocol, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

/**
 * FNV-1a over a string (32-bit): the documented hash behind deterministic identifiers
 * (identities, endpoint ids, MAC addresses).
 *
 * @example
 * ```ts
 * fnv1a('default/curl-pod'); // a fixed 32-bit value
 * ```
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
