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

/**
 * Every host's final routing tables, computed on each call.
 *
 * @deprecated The FIB stage must not import the BGP stage: use the twin's `fib(host)` /
 * `fibs()`, which compose the two and memoise them per scenario.
 *
 * @example
 * finalRoutingTables(cluster).get('router')?.main.filter((r) => r.protocol === 'bgp');
 */
export function finalRoutingTables(cluster: Cluster): ReadonlyMap<string, RoutingTable> {
  return withInstalledRoutes(baseRoutingTables(cluster), bgpNetworkOf(cluster).installed);
}
