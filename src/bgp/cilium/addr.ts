/**
 * Address families as Cilium and GoBGP name them. Every other address helper of this stage is in
 * `src/net/addr.ts`.
 *
 * @module
 */
import { familyOf, type IpAddress, type IpPrefix } from '../../net/addr.js';

/** An address family as Cilium and GoBGP name it. */
export type Afi = 'ipv4' | 'ipv6';

/**
 * The family of an address or a prefix, as Cilium names it.
 *
 * @example
 * ```ts
 * afiOf(IPv4.fromString('10.0.0.1')); // 'ipv4'
 * afiOf(IPv6CidrRange.fromCidr('fd00::/64')); // 'ipv6'
 * ```
 */
export function afiOf(x: IpAddress | IpPrefix): Afi {
  return familyOf(x) === 4 ? 'ipv4' : 'ipv6';
}
