/**
 * The final routing tables of a cluster: base tables plus the routes zebra installs on FRR
 * routers (`bgpNetworkOf(cluster).installed`, the BGP stage's zebra).
 *
 * Kept out of `fib/index.ts` because it depends on the BGP stage, which itself reads the base
 * tables.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { bgpNetworkOf } from '../bgp/network/pipeline.js';
import { baseRoutingTables } from './base.js';
import { withInstalledRoutes } from './install.js';
import type { RoutingTable } from './types.js';

const cache = new WeakMap<Cluster, ReadonlyMap<string, RoutingTable>>();

/**
 * Every host's final routing tables (memoised per cluster object).
 *
 * @example
 * finalRoutingTables(cluster).get('router')?.main.filter((r) => r.protocol === 'bgp');
 */
export function finalRoutingTables(cluster: Cluster): ReadonlyMap<string, RoutingTable> {
  let t = cache.get(cluster);
  if (!t) {
    t = withInstalledRoutes(baseRoutingTables(cluster), bgpNetworkOf(cluster).installed);
    cache.set(cluster, t);
  }
  return t;
}
