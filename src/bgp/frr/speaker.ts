/**
 * An FRR router as a neutral {@link BgpSpeaker}: its router ID (configured, else zebra's choice),
 * its neighbours with peer-group settings merged, and the paths it originates (`network` with
 * the import check, `redistribute connected|kernel|static`).
 *
 * @module
 */
import type { IPv4 } from 'ip-num';
import type { Host, IpAddress } from '../../input/types.js';
import type { BgpNeighborConfig, BgpPath, BgpSpeaker } from '../speaker.js';
import { type IpPrefix, comparePrefix, familyOf, formatIp, formatPrefix, isIPv4, isIPv4Prefix, networkValue, parseIp, unspecified } from '../../net/addr.js';
import { ZERO_V4 } from './addr.js';

/** An IPv6 link-local subnet (fe80::/10), which zebra does not offer to `redistribute connected`. */
function isLinkLocal6(p: IpPrefix): boolean {
  return !isIPv4Prefix(p) && networkValue(p) >> 118n === 0x3fan;
}
import { BGP_PORT, LOCAL_WEIGHT } from './defaults.js';
import { applyRouteMap, effectiveSettings } from './policy.js';
import type { FrrConfig } from './types.js';

/**
 * The router ID zebra gives bgpd when `bgp router-id` is not configured: the highest IPv4
 * address on a loopback interface (`lo`, 127.0.0.0/8 excluded), else the highest IPv4 address on
 * any interface; 0.0.0.0 when there is none (`zebra/router-id.c`).
 *
 * @example
 * zebraRouterId(routerHost).toString(); // '192.168.20.200' (the lab router's highest address)
 */
export function zebraRouterId(host: Host): IPv4 {
  const pick = (names: (n: string) => boolean): IPv4 | undefined => {
    let best: IPv4 | undefined;
    for (const i of host.interfaces) {
      if (!names(i.name)) continue;
      for (const a of i.addresses) {
        if (!isIPv4(a.address)) continue;
        if (a.address.getValue() >> 24n === 127n) continue;
        if (best === undefined || a.address.getValue() > best.getValue()) best = a.address;
      }
    }
    return best;
  };
  return pick((n) => n === 'lo') ?? pick(() => true) ?? ZERO_V4;
}

/**
 * The router ID bgpd uses: `bgp router-id`, else zebra's.
 *
 * @example
 * frrRouterId(host, config).toString(); // '192.168.10.200'
 */
export function frrRouterId(host: Host, config: FrrConfig): IPv4 {
  return config.bgp?.routerId ?? zebraRouterId(host);
}

/**
 * The address `update-source` names: an address literal, or the first IPv4 address of the named
 * interface; `undefined` when it names nothing on the host.
 *
 * @example
 * updateSourceAddress(host, 'loop1')?.toString(); // '10.10.1.200'
 */
export function updateSourceAddress(host: Host, value: string): IpAddress | undefined {
  const lit = parseIp(value);
  if (lit) return lit;
  const iface = host.interfaces.find((i) => i.name === value);
  return iface?.addresses.find((a) => isIPv4(a.address))?.address;
}

/**
 * A path the router originates, with how it was originated.
 *
 * @example
 * const l: LocalPath = { path, subType: 'network' };
 */
export interface LocalPath {
  /** The path (next hop 0.0.0.0, empty AS path). */
  readonly path: BgpPath;
  /** Weight (32768 unless a route-map sets it). */
  readonly weight: number;
  /** `network` statement or `redistribute`. */
  readonly subType: 'network' | 'redistribute';
  /** The redistributed route type. */
  readonly redistribute?: 'connected' | 'static' | 'kernel';
}

/**
 * A route zebra knows without BGP (what `network` checks and `redistribute` reads).
 *
 * @example
 * const r: ZebraBaseRoute = { prefix: IPv4CidrRange.fromCidr('10.10.1.0/24'), type: 'connected', metric: 0 };
 */
export interface ZebraBaseRoute {
  /** Destination (IPv4 or IPv6). */
  readonly prefix: IpPrefix;
  /** Route type. */
  readonly type: 'connected' | 'kernel' | 'static';
  /** Metric (kernel routes' `metric`). */
  readonly metric: number;
}

/**
 * The routes zebra knows on a router without BGP: connected subnets, the Host's kernel routes
 * (`routes:`, unicast, not the default route), and `ip route` statics; IPv4 and IPv6 (ipv6,
 * issue 18: IPv6 link-local subnets left out).
 *
 * @example
 * zebraBaseRoutes(host, config).map((r) => `${r.type} ${r.prefix.toCidrString()}`);
 */
export function zebraBaseRoutes(host: Host, config: FrrConfig): readonly ZebraBaseRoute[] {
  const out: ZebraBaseRoute[] = [];
  for (const i of host.interfaces) {
    if (i.name === 'lo') continue;
    for (const a of i.addresses) {
      if (isIPv4Prefix(a.network) || !isLinkLocal6(a.network)) out.push({ prefix: a.network, type: 'connected', metric: 0 });
    }
  }
  for (const r of host.routes) {
    if (r.type !== 'unicast') continue;
    out.push({ prefix: r.dst, type: 'kernel', metric: r.metric });
  }
  for (const s of config.staticRoutes) out.push({ prefix: s.prefix, type: 'static', metric: 0 });
  return out;
}

/**
 * The paths a router originates: each `network` whose prefix is in zebra's table (unless
 * `no bgp network import-check`), origin IGP, MED 0; each redistributed route (not the default
 * route), origin incomplete, MED = the route's metric (or `metric N`); next hop 0.0.0.0, weight
 * 32768; route-maps applied. Sorted by prefix; a prefix both networked and redistributed yields
 * both paths.
 *
 * @example
 * localPaths(routerHost, config).map((l) => formatPrefix(l.path.prefix)); // ['10.10.1.0/24']
 */
export function localPaths(host: Host, config: FrrConfig): LocalPath[] {
  const bgp = config.bgp;
  if (!bgp) return [];
  const base = zebraBaseRoutes(host, config);
  const have = new Set(base.map((r) => formatPrefix(r.prefix)));
  const out: LocalPath[] = [];
  const emit = (lp: LocalPath, routeMap: string | undefined): void => {
    if (routeMap === undefined) {
      out.push(lp);
      return;
    }
    const r = applyRouteMap(config, routeMap, { path: lp.path, weight: lp.weight }, { direction: 'local' });
    if (r) out.push({ ...lp, path: r.path, weight: r.weight });
  };
  for (const n of bgp.networks) {
    if (bgp.networkImportCheck && !have.has(formatPrefix(n.prefix))) continue;
    emit(
      {
        path: { prefix: n.prefix, origin: 'igp', asPath: [], nextHop: unspecified(familyOf(n.prefix)), med: 0, communities: [], largeCommunities: [] },
        weight: LOCAL_WEIGHT,
        subType: 'network',
      },
      n.routeMap,
    );
  }
  const redistributions = [...bgp.redistribute.map((rd) => ({ rd, family: 4 as const })), ...bgp.redistribute6.map((rd) => ({ rd, family: 6 as const }))];
  for (const { rd, family } of redistributions) {
    const seen = new Set<string>();
    for (const r of base) {
      if (r.type !== rd.source || familyOf(r.prefix) !== family) continue;
      if (Number(r.prefix.getPrefix().getValue()) === 0) continue;
      const key = formatPrefix(r.prefix);
      if (seen.has(key)) continue;
      seen.add(key);
      emit(
        {
          path: {
            prefix: r.prefix,
            origin: 'incomplete',
            asPath: [],
            nextHop: unspecified(family),
            med: rd.metric ?? r.metric,
            communities: [],
            largeCommunities: [],
          },
          weight: LOCAL_WEIGHT,
          subType: 'redistribute',
          redistribute: rd.source,
        },
        rd.routeMap,
      );
    }
  }
  return out.sort((a, b) => comparePrefix(a.path.prefix, b.path.prefix));
}

/**
 * The router as a {@link BgpSpeaker}: AS, router ID, listening on 179, each neighbour with its
 * effective settings (peer-group merged): remote AS, `update-source`, `ebgp-multihop`, timers
 * (neighbour, else `timers bgp`, else the profile's), port, passive, family `ipv4-unicast` when
 * activated; `originated` = {@link localPaths}. `undefined` without `router bgp`.
 *
 * @example
 * frrSpeaker(routerHost, config)?.neighbors.map((n) => n.address.toString());
 * // ['192.168.10.100', '192.168.10.101', '192.168.20.100']
 */
export function frrSpeaker(host: Host, config: FrrConfig): BgpSpeaker | undefined {
  const bgp = config.bgp;
  if (!bgp) return undefined;
  const neighbors: BgpNeighborConfig[] = bgp.neighbors.map((n) => {
    const s = effectiveSettings(bgp, n);
    const activated = s.activate ?? bgp.defaultIpv4Unicast;
    // ipv6 (issue 18): `neighbor X activate` under `address-family ipv6 unicast`
    const families = [...(activated ? ['ipv4-unicast'] : []), ...(s.activate6 === true ? ['ipv6-unicast'] : [])];
    const local = s.updateSource === undefined ? undefined : updateSourceAddress(host, s.updateSource);
    return {
      address: n.address,
      remoteAs: s.remoteAs ?? 'auto',
      ...(local !== undefined ? { localAddress: local } : {}),
      ...(s.ebgpMultihop !== undefined ? { ebgpMultihop: s.ebgpMultihop } : {}),
      holdTime: s.holdTime ?? bgp.holdTime,
      keepalive: s.keepalive ?? bgp.keepalive,
      port: s.port ?? BGP_PORT,
      passive: s.passive ?? false,
      families,
      gracefulRestart: bgp.gracefulRestart !== 'disable',
      label: formatIp(n.address),
    };
  });
  return {
    host: host.meta.name,
    kind: 'frr',
    instance: 'default',
    asn: bgp.asn,
    routerId: frrRouterId(host, config),
    listenPort: BGP_PORT,
    neighbors,
    originated: localPaths(host, config).map((l) => l.path),
  };
}
