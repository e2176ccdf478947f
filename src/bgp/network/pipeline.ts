/**
 * The BGP network of a cluster wired to the rest of the pipeline: base routing tables (no BGP)
 * → Cilium speakers (with LB IPAM's addresses) → sessions and propagation. Not memoised: the twin
 * (`src/twin/`) owns composition and caching.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { baseRoutingTables } from '../../fib/base.js';
import { connectedLookup, lookupRoute, reachabilityLookup, sourceAddressLookup } from '../../fib/lookup.js';
import type { BaseLookup } from '../../fib/base.js';
import type { RoutingTable } from '../../fib/types.js';
import type { IpAddress } from '../../input/types.js';
import { ciliumSpeakers } from '../cilium/speakers.js';
import { sameIp } from '../../net/addr.js';
import { runBgpNetwork } from './run.js';
import type { BgpNetworkResult, BgpTables } from './types.js';

/**
 * The lookups of {@link BgpTables} over a set of routing tables (zebra's recursive resolution
 * included).
 *
 * @example
 * ```ts
 * const tables = bgpTablesOf(baseRoutingTables(cluster));
 * tables.connected('router', IPv4.fromString('192.168.20.100')); // true
 * ```
 */
export function bgpTablesOf(base: ReadonlyMap<string, RoutingTable>): BgpTables {
  return {
    sourceAddress: sourceAddressLookup(base),
    reachable: reachabilityLookup(base),
    connected: connectedLookup(base),
    resolve: (host, dst) => {
      const table = base.get(host);
      if (!table) return undefined;
      const r = lookupRoute(table, dst);
      if (r.kind !== 'unicast') return undefined;
      return { ...(r.gateway !== undefined ? { gateway: r.gateway } : {}), dev: r.dev };
    },
  };
}

/**
 * The BGP stage's lookups from each host's {@link BaseLookup} (`baseLookupOf` in the FIB stage):
 * the same answers as {@link bgpTablesOf} on the base tables, without building a node's whole
 * table where the lookup does not need it (what the twin passes, so that a question about one
 * router does not build every node's table for its session addresses).
 *
 * @example
 * ```ts
 * import { bgpTablesFrom } from 'cilium-twin/bgp';
 * import { baseLookupOf, hostRoutingTable } from 'cilium-twin/fib';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const host = cluster.hosts[0]!;
 * const tables = bgpTablesFrom(new Map([[host.meta.name, baseLookupOf(cluster, host, () => hostRoutingTable(cluster, host))]]));
 * ```
 */
export function bgpTablesFrom(lookups: ReadonlyMap<string, BaseLookup>): BgpTables {
  return {
    sourceAddress: (host, dst) => {
      const l = lookups.get(host);
      if (l === undefined) return undefined;
      const r = l.lookup(dst);
      return r.kind === 'error' ? undefined : r.src;
    },
    reachable: (host, dst) => {
      const l = lookups.get(host);
      return l !== undefined && l.lookup(dst).kind !== 'error';
    },
    connected: (host, addr) => lookups.get(host)?.connected(addr) ?? false,
    resolve: (host, dst) => {
      const l = lookups.get(host);
      if (l === undefined) return undefined;
      const r = l.lookup(dst);
      if (r.kind !== 'unicast') return undefined;
      return { ...(r.gateway !== undefined ? { gateway: r.gateway } : {}), dev: r.dev };
    },
  };
}

/**
 * The cluster's BGP network, computed on each call: Cilium speakers from the Cilium stage, FRR
 * routers from the Hosts, lookups from the base routing tables. The twin's `bgp()` composes the
 * same from its memoised stages; prefer it.
 * Internal: not exported from the stage's sub-path (the tests' uncached entry point); users ask
 * the twin.
 *
 * @example
 * ```ts
 * bgpNetworkOf(cluster).routers.get('router')?.locRib.length; // 4 in the lab with webpod-3
 * ```
 */
export function bgpNetworkOf(cluster: Cluster): BgpNetworkResult {
  const tables = bgpTablesOf(baseRoutingTables(cluster));
  return runBgpNetwork(cluster, ciliumSpeakers(cluster, { sourceAddress: tables.sourceAddress }), tables);
}

/**
 * What the session stage knows about a Cilium peer, in the shape `cilium bgp peers` reads:
 * GoBGP state name, uptime, and Received / Advertised per family (`ipv4/unicast`).
 *
 * @example
 * ```ts
 * ciliumPeerState(bgpNetworkOf(cluster), 'k8s-ctr', IPv4.fromString('192.168.10.200'));
 * // { state: 'established', uptime: 218, received: { 'ipv4/unicast': 5 }, advertised: { 'ipv4/unicast': 3 } }
 * ```
 */
export function ciliumPeerState(
  result: BgpNetworkResult,
  node: string,
  peerAddress: IpAddress,
):
  | {
      readonly state: 'established' | 'active' | 'idle';
      readonly uptime: number;
      readonly received: Readonly<Record<string, number>>;
      readonly advertised: Readonly<Record<string, number>>;
    }
  | undefined {
  const rows = result.ciliumPeers.filter((p) => p.node === node && sameIp(p.peerAddress, peerAddress));
  const first = rows[0];
  if (!first) return undefined;
  return {
    state: first.state,
    uptime: first.uptimeSeconds,
    received: Object.fromEntries(rows.map((r) => [r.family, r.received])),
    advertised: Object.fromEntries(rows.map((r) => [r.family, r.advertised])),
  };
}
