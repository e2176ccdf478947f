/**
 * The `CiliumPodIPPool` and `Interface` advertisements of the Cilium 1.18 BGP control plane
 * (`pkg/bgp/manager/reconcilerv2/pod_ip_pool.go`, the interface reconciler; their script tests
 * `pkg/bgp/test/testdata/pod-ip-pool.txtar` and `interface.txtar`):
 *
 * - **CiliumPodIPPool**: the pools whose labels, with the pseudo-labels
 *   `io.cilium.podippool.name` / `io.cilium.podippool.namespace` (empty: pools are cluster-scoped),
 *   match the advertisement's selector (no selector: none); each such pool that exists puts this
 *   node's CIDRs of it (`spec.ipam.pools.allocated`) in the RIB, each with its own length. One
 *   export policy `<peer>-<afi>-CiliumPodIPPool-<pool>` per peer, family and pool.
 * - **Interface**: the addresses of the node's interface named in the advertisement, as /32 or
 *   /128 host routes; loopback, multicast and link-local addresses are skipped. One export policy
 *   `<peer>-<afi>-Interface-<name>` per peer and family (the name's form is this model's: Cilium
 *   main merges every export into one policy per peer; see docs/decisions.md).
 *
 * Both are independent of the address family: a prefix goes to the family of its address.
 *
 * Complexity: O(adverts × (pools or interface addresses)) per node and instance.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { matchesSelector } from '../../cluster/selector.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import type { BgpAdvertisementEntry, CiliumNode, IpAddress, IpPrefix, PodIPPool } from '../../input/types.js';
import { bitLength, familyOf, maskedPrefix } from '../../net/addr.js';
import { afiOf } from './addr.js';
import { createExportPolicy, mergeRoutePolicies, policyName } from './policies.js';
import type { BgpFamilyKey, RibSource, RoutePolicy } from './types.js';

/** Pseudo-label with the pool's name, added before matching a selector. */
export const POOL_NAME_LABEL = 'io.cilium.podippool.name';
/** Pseudo-label with the pool's namespace (empty: pools are cluster-scoped). */
export const POOL_NAMESPACE_LABEL = 'io.cilium.podippool.namespace';

/**
 * The labels a `CiliumPodIPPool` advertisement's selector sees: the pool's own and the two
 * pseudo-labels.
 *
 * @example
 * poolLabels(pool)['io.cilium.podippool.name']; // 'mars'
 */
export function poolLabels(pool: PodIPPool): Readonly<Record<string, string>> {
  const out = Object.assign(Object.create(null) as Record<string, string>, pool.meta.labels);
  out[POOL_NAME_LABEL] = pool.meta.name;
  out[POOL_NAMESPACE_LABEL] = '';
  return out;
}

/**
 * The prefixes one `CiliumPodIPPool` advertisement entry gives a node, per pool (pools by name).
 *
 * @example
 * podIPPoolPrefixes(cluster, entry, ciliumNode); // [{ pool: 'mars', prefixes: [10.20.0.0/28] }]
 */
export function podIPPoolPrefixes(
  cluster: Cluster,
  entry: BgpAdvertisementEntry,
  node: CiliumNode,
): { readonly pool: string; readonly prefixes: readonly IpPrefix[] }[] {
  if (entry.advertisementType !== 'CiliumPodIPPool' || entry.selector === undefined) return [];
  const pools = cluster.scenario.podIPPools ?? [];
  const out: { pool: string; prefixes: IpPrefix[] }[] = [];
  for (const pool of pools) {
    if (!matchesSelector(entry.selector, poolLabels(pool))) continue;
    const alloc = node.pools?.find((p) => p.pool === pool.meta.name);
    if (alloc === undefined || alloc.cidrs.length === 0) continue;
    const enabled = alloc.cidrs.filter((c) => (familyOf(c) === 4 ? cluster.config.enableIPv4 : cluster.config.enableIPv6));
    if (enabled.length > 0) out.push({ pool: pool.meta.name, prefixes: enabled });
  }
  return out;
}

function advertisable(a: IpAddress): boolean {
  if (familyOf(a) === 4) {
    const first = Number(a.value >> 24n);
    return first !== 127 && !(first >= 224 && first <= 239);
  }
  const top = a.value >> 112n;
  if (a.value === 1n) return false; // ::1
  if ((top & 0xff00n) === 0xff00n) return false; // multicast ff00::/8
  if ((top & 0xffc0n) === 0xfe80n) return false; // link-local fe80::/10
  return true;
}

/**
 * The host prefixes of an `Interface` advertisement entry on a node: each address of the named
 * interface (from the node's Host), skipping loopback, multicast and link-local ones.
 *
 * @example
 * interfacePrefixes(cluster, { advertisementType: 'Interface', interface: { name: 'lo1' } }, 'k8s-w1'); // [192.168.100.100/32]
 */
export function interfacePrefixes(cluster: Cluster, entry: BgpAdvertisementEntry, node: string): IpPrefix[] {
  if (entry.advertisementType !== 'Interface' || entry.interface === undefined) return [];
  const host = clusterIndexes(cluster).host(node);
  const iface = host?.interfaces.find((i) => i.name === entry.interface!.name);
  if (iface === undefined) return [];
  const out: IpPrefix[] = [];
  for (const a of iface.addresses) {
    if (!advertisable(a.address)) continue;
    if (familyOf(a.address) === 4 ? !cluster.config.enableIPv4 : !cluster.config.enableIPv6) continue;
    out.push(maskedPrefix(a.address, bitLength(familyOf(a.address))));
  }
  return out;
}

/** A peer's families and selected entries, as the advertisement stage computes them. */
export interface PeerAdverts {
  /** Peer name. */
  readonly peer: string;
  /** Peer address (no policy without one). */
  readonly peerAddress?: IpAddress;
  /** Families with their selected advertisement entries. */
  readonly families: readonly { readonly family: BgpFamilyKey; readonly adverts: readonly BgpAdvertisementEntry[] }[];
}

/**
 * Adds the `CiliumPodIPPool` and `Interface` paths and export policies of one node's instance
 * (see the module doc) through the callbacks the advertisement stage gives.
 *
 * @example
 * addExtraAdvertisements(cluster, node, peers, addPath, policies);
 */
export function addExtraAdvertisements(
  cluster: Cluster,
  node: CiliumNode,
  peers: readonly PeerAdverts[],
  addPath: (family: BgpFamilyKey, prefix: IpPrefix, source: RibSource) => void,
  policies: Map<string, RoutePolicy>,
): void {
  const put = (policy: RoutePolicy) => {
    const existing = policies.get(policy.name);
    policies.set(policy.name, existing === undefined ? policy : mergeRoutePolicies(existing, policy));
  };
  for (const p of peers) {
    for (const { family, adverts } of p.families) {
      for (const a of adverts) {
        if (a.advertisementType === 'CiliumPodIPPool') {
          for (const { pool, prefixes } of podIPPoolPrefixes(cluster, a, node)) {
            for (const prefix of prefixes) addPath(family, prefix, { type: 'CiliumPodIPPool', pool });
            const mine = prefixes.filter((x) => afiOf(x) === family.afi);
            if (p.peerAddress === undefined || mine.length === 0) continue;
            put(createExportPolicy(policyName(p.peer, family.afi, 'CiliumPodIPPool', pool), p.peerAddress, mine, a.attributes));
          }
        } else if (a.advertisementType === 'Interface' && a.interface !== undefined) {
          const prefixes = interfacePrefixes(cluster, a, node.meta.name);
          for (const prefix of prefixes) addPath(family, prefix, { type: 'Interface', interface: a.interface.name });
          const mine = prefixes.filter((x) => afiOf(x) === family.afi);
          if (p.peerAddress === undefined || mine.length === 0) continue;
          put(createExportPolicy(policyName(p.peer, family.afi, 'Interface', a.interface.name), p.peerAddress, mine, a.attributes));
        }
      }
    }
  }
}
