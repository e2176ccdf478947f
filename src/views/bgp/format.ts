/**
 * Text formats shared by the Cilium BGP views: Go durations, GoBGP path attributes, next hops.
 *
 * @module
 */
import { IPv4 } from 'ip-num';
import type { IpAddress, IpPrefix } from '../../input/types.js';
import type { BgpPath } from '../../bgp/speaker.js';
import { familyOf, formatIp, formatPrefix, unspecified } from '../../net/addr.js';
import { afiOf } from '../../bgp/cilium/addr.js';
import { communityDisplay, communityValue } from '../../bgp/cilium/policies.js';

/**
 * A whole number of seconds as Go's `time.Duration.String()` prints it.
 *
 * @example
 * ```ts
 * goDuration(135891); // '37h44m51s'
 * goDuration(0); // '0s'
 * ```
 */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

const ORIGIN: Record<BgpPath['origin'], string> = { igp: 'i', egp: 'e', incomplete: '?' };

/**
 * GoBGP's attribute list of a path as `cilium bgp routes` prints it (attributes in type-code
 * order; an IPv4 prefix with an IPv4 next hop uses NEXT_HOP, anything else MP_REACH_NLRI).
 * `nextHop` is the next hop to print (the session's local address on the wire, unspecified in
 * the loc-RIB).
 *
 * @example
 * ```ts
 * formatPathAttributes(path, IPv4.fromString('0.0.0.0')); // '[{Origin: i} {Nexthop: 0.0.0.0}]'
 * ```
 */
export function formatPathAttributes(
  path: Pick<BgpPath, 'prefix' | 'origin' | 'asPath' | 'med' | 'localPref' | 'communities' | 'largeCommunities'>,
  nextHop: IpAddress,
  options: { readonly asPath: boolean } = { asPath: true },
): string {
  const attrs: string[] = [`{Origin: ${ORIGIN[path.origin]}}`];
  if (options.asPath) attrs.push(`{AsPath: ${path.asPath.join(' ')}}`);
  const afi = afiOf(path.prefix);
  const classic = afi === 'ipv4' && afiOf(nextHop) === 'ipv4';
  if (classic) attrs.push(`{Nexthop: ${formatIp(nextHop)}}`);
  if (path.med !== undefined) attrs.push(`{Med: ${path.med}}`);
  if (path.localPref !== undefined) attrs.push(`{LocalPref: ${path.localPref}}`);
  if (path.communities.length > 0) {
    const shown = path.communities.map((c) => {
      const v = communityValue(c);
      return v === undefined ? c : communityDisplay(v);
    });
    attrs.push(`{Communities: ${shown.join(', ')}}`);
  }
  if (!classic) {
    attrs.push(`{MpReach(${afi}-unicast): {Nexthop: ${formatIp(nextHop)}, NLRIs: [${formatPrefix(path.prefix)}]}}`);
  }
  if (path.largeCommunities.length > 0) attrs.push(`{LargeCommunity: [ ${path.largeCommunities.join(', ')}]}`);
  return `[${attrs.join(' ')}]`;
}

/**
 * The next hop GoBGP puts on a path sent over a session: the session's local address when its
 * family can carry the prefix's next hop (IPv4 prefixes also over IPv6 sessions, with an IPv6
 * next hop), an IPv4-mapped IPv6 address for IPv6 prefixes over an IPv4 session, and the
 * unspecified address when the session has no local address.
 *
 * @example
 * ```ts
 * formatIp(wireNextHop(prefix, IPv4.fromString('192.168.10.101'))); // '192.168.10.101'
 * ```
 */
export function wireNextHop(prefix: IpPrefix, local: IpAddress | undefined): IpAddress {
  const afi = afiOf(prefix);
  if (local === undefined) return unspecified(familyOf(prefix));
  if (afi === 'ipv6' && local instanceof IPv4) return local.toIPv4MappedIPv6();
  return local;
}
