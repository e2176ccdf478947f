/**
 * What zebra installs into an FRR router's kernel: each selected BGP route learned from a peer
 * (not `network`/`redistribute` paths, which zebra already has) whose prefix no better zebra route
 * holds (connected and kernel routes have distance 0, statics their own, eBGP 20, iBGP 200), with
 * one next hop per multipath member (resolved to a device on a connected subnet, or recursively
 * through the base table), deduplicated and sorted by gateway (reference decision 4),
 * `proto bgp metric 20`; and `ip route` statics (`proto static metric 20`) not shadowed by a
 * kernel or connected route.
 *
 * @module
 */
import type { Host, IpAddress } from '../../input/types.js';
import type { KernelNextHop, KernelRoute } from '../../fib/types.js';
import { compareIp, formatPrefix, prefixContains, sameIp } from '../../net/addr.js';
import { selectedPath, type BestPathSelection } from '../frr/bestpath.js';
import { BGP_DISTANCE, ZEBRA_KERNEL_METRIC } from '../frr/defaults.js';
import type { FrrConfig } from '../frr/types.js';
import type { BgpTables } from './types.js';
import { compareStrings } from '../../net/compare.js';

/**
 * How zebra reaches a next hop on a host: directly on a connected subnet (the gateway is the
 * next hop), else through `tables.resolve` (recursive); `undefined` when unresolvable.
 *
 * @example
 * resolveNextHop(routerHost, IPv4.fromString('192.168.20.100'), tables); // { gateway: 192.168.20.100, dev: 'eth2' }
 */
export function resolveNextHop(host: Host, nh: IpAddress, tables: BgpTables): KernelNextHop | undefined {
  for (const i of host.interfaces) {
    for (const a of i.addresses) {
      if (prefixContains(a.network, nh) && !sameIp(a.address, nh)) return { gateway: nh, dev: i.name, weight: 1 };
    }
  }
  const r = tables.resolve?.(host.meta.name, nh);
  if (r === undefined) return undefined;
  return { gateway: r.gateway ?? nh, dev: r.dev, weight: 1 };
}

/**
 * The administrative distance of the best zebra route other than BGP for an exact prefix
 * (connected 0, kernel 0, static its distance), `undefined` when zebra has none.
 *
 * @example
 * otherRouteDistance(routerHost, config, '10.10.1.0/24'); // 0 (connected)
 */
export function otherRouteDistance(host: Host, config: FrrConfig, key: string): number | undefined {
  let best: number | undefined;
  const take = (d: number): void => {
    best = best === undefined ? d : Math.min(best, d);
  };
  for (const i of host.interfaces) for (const a of i.addresses) if (formatPrefix(a.network) === key) take(0);
  for (const r of host.routes) if (formatPrefix(r.dst) === key) take(0);
  for (const s of config.staticRoutes) if (formatPrefix(s.prefix) === key) take(s.distance);
  return best;
}

/**
 * The routes zebra installs on one router, and the prefixes of BGP routes it installed.
 *
 * @example
 * ```ts
 * const z = zebraInstall(host, config, locRib, tables);
 * z.routes.map((r) => r.dst.toCidrString()); // ['172.20.0.0/24', '172.20.1.0/24', '172.20.2.0/24']
 * ```
 */
export function zebraInstall(
  host: Host,
  config: FrrConfig,
  locRib: ReadonlyMap<string, BestPathSelection>,
  tables: BgpTables,
): { readonly routes: readonly KernelRoute[]; readonly installedBgp: ReadonlySet<string> } {
  const routes: KernelRoute[] = [];
  const installedBgp = new Set<string>();
  for (const [key, sel] of locRib) {
    if (sel.best === undefined) continue;
    const best = selectedPath(sel, sel.best);
    if (best.source.kind !== 'peer') continue; // ipv6 (issue 18): both families
    const distance = best.source.type === 'external' ? BGP_DISTANCE.ebgp : BGP_DISTANCE.ibgp;
    const other = otherRouteDistance(host, config, key);
    if (other !== undefined && other <= distance) continue;
    const hops: KernelNextHop[] = [];
    for (const i of sel.multipath) {
      const c = selectedPath(sel, i);
      const nh = resolveNextHop(host, c.path.nextHop, tables);
      if (!nh) continue;
      if (hops.some((h) => h.dev === nh.dev && sameIp(h.gateway, nh.gateway))) continue;
      hops.push(nh);
    }
    if (hops.length === 0) continue;
    hops.sort((a, b) => compareIp(a.gateway!, b.gateway!) || compareStrings(a.dev, b.dev));
    installedBgp.add(key);
    routes.push({
      table: 'main',
      type: 'unicast',
      dst: best.path.prefix,
      nexthops: hops,
      protocol: 'bgp',
      scope: 'universe',
      metric: ZEBRA_KERNEL_METRIC,
      origin: 'zebra',
    });
  }
  for (const s of config.staticRoutes) {
    const key = formatPrefix(s.prefix);
    const kernelOrConnected =
      host.interfaces.some((i) => i.addresses.some((a) => formatPrefix(a.network) === key)) || host.routes.some((r) => formatPrefix(r.dst) === key);
    if (kernelOrConnected) continue;
    if (routes.some((r) => formatPrefix(r.dst) === key)) {
      // A BGP route holds the prefix only when its distance beats the static's.
      const bgp = locRib.get(key);
      const b = bgp?.best !== undefined ? selectedPath(bgp, bgp.best) : undefined;
      const d = b?.source.kind === 'peer' && b.source.type === 'external' ? BGP_DISTANCE.ebgp : BGP_DISTANCE.ibgp;
      if (d < s.distance) continue;
      const idx = routes.findIndex((r) => formatPrefix(r.dst) === key);
      routes.splice(idx, 1);
      installedBgp.delete(key);
    }
    if (s.blackhole) {
      routes.push({ table: 'main', type: 'blackhole', dst: s.prefix, nexthops: [], protocol: 'static', scope: 'universe', metric: ZEBRA_KERNEL_METRIC, origin: 'zebra' });
      continue;
    }
    let hop: KernelNextHop | undefined;
    if (s.gateway) hop = resolveNextHop(host, s.gateway, tables);
    else if (s.dev && host.interfaces.some((i) => i.name === s.dev)) hop = { dev: s.dev, weight: 1 };
    if (!hop) continue;
    routes.push({
      table: 'main',
      type: 'unicast',
      dst: s.prefix,
      nexthops: [hop],
      protocol: 'static',
      scope: s.gateway ? 'universe' : 'link',
      metric: ZEBRA_KERNEL_METRIC,
      origin: 'zebra',
    });
  }
  return { routes, installedBgp };
}
