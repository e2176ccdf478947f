/**
 * Final tables: the base tables plus the routes zebra installs on FRR routers.
 *
 * Zebra installs each selected BGP route with `proto bgp metric 20` through kernel nexthop
 * objects; `ip route` shows the object id as `nhid N`. Real ids count every next hop zebra has
 * created since it started (the lab shows 30–32, 64, 101, …), so they cannot be derived; the model
 * allocates them per host from {@link FIRST_NHID}, in kernel order of the installed routes: each
 * distinct next hop (gateway, device) gets an id when first seen, then each distinct ECMP group
 * gets one. Routes that already carry an `nhid` keep it. ECMP members are ordered by ascending
 * gateway (reference decision 4). A zebra route replaces a kernel route with the same
 * destination and metric (zebra uses `NLM_F_REPLACE`).
 *
 * @module
 */
import { compareIp, formatIp } from '../net/addr.js';
import { compareKernelOrder, sameRouteKey } from './order.js';
import type { KernelNextHop, KernelRoute, RoutingTable } from './types.js';
import { compareStrings } from '../net/compare.js';

/**
 * The first nexthop object id the model allocates on a host.
 *
 * @example
 * FIRST_NHID; // 10: the first next hop zebra installs on a router shows `nhid 10`
 */
export const FIRST_NHID = 10;

function compareNexthops(a: KernelNextHop, b: KernelNextHop): number {
  if (a.gateway && b.gateway) {
    const c = compareIp(a.gateway, b.gateway);
    if (c !== 0) return c;
  } else if (a.gateway || b.gateway) {
    return a.gateway ? 1 : -1;
  }
  return compareStrings(a.dev, b.dev);
}

function nexthopKey(n: KernelNextHop): string {
  return `${n.gateway ? formatIp(n.gateway) : '-'}@${n.dev}/${n.weight}`;
}

/**
 * Adds installed routes (per host name) to base tables. Hosts without installed routes are
 * returned unchanged (same object).
 *
 * @example
 * ```ts
 * const final = withInstalledRoutes(baseRoutingTables(cluster), bgp.installed);
 * ```
 */
export function withInstalledRoutes(
  base: ReadonlyMap<string, RoutingTable>,
  installed: ReadonlyMap<string, readonly KernelRoute[]>,
): ReadonlyMap<string, RoutingTable> {
  const out = new Map<string, RoutingTable>();
  for (const [host, table] of base) {
    const routes = installed.get(host);
    if (!routes || routes.length === 0) {
      out.set(host, table);
      continue;
    }
    const prepared = routes
      .map((r) => ({
        ...r,
        table: 'main' as const,
        nexthops: [...r.nexthops].sort(compareNexthops),
      }))
      .sort(compareKernelOrder);
    let next = FIRST_NHID;
    const singles = new Map<string, number>();
    const groups = new Map<string, number>();
    const withIds: KernelRoute[] = prepared.map((r) => {
      if (r.nhid !== undefined || r.nexthops.length === 0) return r;
      const ids = r.nexthops.map((n) => {
        const k = nexthopKey(n);
        let id = singles.get(k);
        if (id === undefined) {
          id = next++;
          singles.set(k, id);
        }
        return id;
      });
      if (ids.length === 1) return { ...r, nhid: ids[0] as number };
      const gk = r.nexthops.map(nexthopKey).join(',');
      let gid = groups.get(gk);
      if (gid === undefined) {
        gid = next++;
        groups.set(gk, gid);
      }
      return { ...r, nhid: gid };
    });
    const kept = table.main.filter((r) => !withIds.some((z) => sameRouteKey(z, r)));
    out.set(host, { ...table, main: [...kept, ...withIds].sort(compareKernelOrder) });
  }
  return out;
}
