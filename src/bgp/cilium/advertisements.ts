/**
 * What a Cilium BGP instance advertises (Cilium 1.18, the "frontend-era" reconcilers): for each
 * peer with a PeerConfig, each of its families selects CiliumBGPAdvertisements by label; PodCIDR
 * adverts put the node's pod CIDRs in the RIB, Service adverts the service addresses that pass
 * the traffic-policy gates. Each (peer, family, advertisement, resource) becomes an export policy;
 * the RIB is the union over peers.
 *
 * Complexity: per Service advertisement entry, its services are indexed once per cluster
 * ({@link AdvertisementIndex}): O(services) to find which it yields prefixes for, split into
 * node-independent answers and, under a Local traffic policy, the nodes with a local active
 * backend (from the cluster's slice index, O(slices) once; such a service has at most four
 * answers, by whether the node has a local backend per family, each made once). A node then costs O(its prefixes and
 * policies), never a scan of every service or EndpointSlice: O(nodes × advertised services + Σ
 * local backends) for the whole cluster. Nodes of the same shape (same peers, families and Service
 * entries) share the node-independent services' RIB paths and policies, made once
 * ({@link instanceAdvertisementParts}); a node then adds only its own part (pod CIDRs, pools,
 * interfaces, services under a Local policy it has a backend for): O(own × log common) key
 * comparisons plus a copy of the common list, instead of O(P log P) per node.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type {
  BgpAdvertisementEntry,
  BgpFamily,
  BgpPeerConfig,
  CiliumNode,
  IpAddress,
  IpPrefix,
  Service,
} from '../../input/types.js';
import { bitLength, comparePrefix, familyOf, formatIp, formatPrefix, maskedPrefix, networkValue, prefixLength } from '../../net/addr.js';
import { afiOf } from './addr.js';
import { createExportPolicy, mergeRoutePolicies, policyName } from './policies.js';
import { addExtraAdvertisements } from './extra-advertisements.js';
import { matchesSelector } from '../../cluster/selector.js';
import { clusterIndexes, type ActiveBackends } from '../../cluster/indexes.js';
import type { BgpFamilyKey, CiliumRibPath, LbIpLookup, NodeConfigInstance, RibSource, RoutePolicy } from './types.js';
import { compareEntryKeys } from '../../net/compare.js';
import { compareStrings } from '../../net/compare.js';

/** Service address types an advertisement can ask for. */
export type ServiceAddressType = 'LoadBalancerIP' | 'ClusterIP' | 'ExternalIP';

/** The LB class whose services the BGP control plane announces (besides unclassed ones). */
export const BGP_LOADBALANCER_CLASS = 'io.cilium/bgp-control-plane';

/** IPAM modes for which PodCIDR advertisements work (`CanAdvertisePodCIDR`). */
export const PODCIDR_IPAM_MODES: readonly string[] = ['kubernetes', 'cluster-pool'];

/** A peer's advertisements per family, as `GetConfiguredAdvertisements` returns them. */
export interface PeerFamilyAdverts {
  /** Peer name. */
  readonly peer: string;
  /** Peer address (`undefined`: paths still go into the RIB, but no policy is made). */
  readonly peerAddress?: IpAddress;
  /** Families of the PeerConfig as written (no defaults) with their selected advert entries. */
  readonly families: readonly { readonly family: BgpFamilyKey; readonly adverts: readonly BgpAdvertisementEntry[] }[];
}

function familySelects(family: BgpFamily, labels: Readonly<Record<string, string>>): boolean {
  return family.advertisements !== undefined && matchesSelector(family.advertisements, labels);
}

/**
 * For each peer of an instance that has an existing PeerConfig, its families (as written in the
 * PeerConfig, without defaults) and the advertisement entries each family selects (the
 * CiliumBGPAdvertisements, by name, whose labels match the family's selector; no selector = none).
 * Peers without `peerConfigRef`, or whose PeerConfig is missing, advertise nothing.
 *
 * @example
 * ```ts
 * peerAdvertisements(cluster, instance)[0]?.families[0]?.adverts.length; // 1 (PodCIDR) in the bgp-lab
 * ```
 */
export function peerAdvertisements(cluster: Cluster, instance: NodeConfigInstance): PeerFamilyAdverts[] {
  const sc = cluster.scenario;
  const adverts = [...sc.bgpAdvertisements].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  const out: PeerFamilyAdverts[] = [];
  for (const peer of instance.peers) {
    if (peer.peerConfigRef === undefined || peer.peerConfigRef === '') continue;
    const pc: BgpPeerConfig | undefined = sc.bgpPeerConfigs.find((p) => p.meta.name === peer.peerConfigRef);
    if (pc === undefined) continue;
    out.push({
      peer: peer.name,
      ...(peer.peerAddress !== undefined ? { peerAddress: peer.peerAddress } : {}),
      families: pc.families.map((f) => ({
        family: { afi: f.afi, safi: f.safi },
        adverts: adverts.filter((a) => familySelects(f, a.meta.labels)).flatMap((a) => a.advertisements),
      })),
    });
  }
  return out;
}

function familyEnabled(cluster: Cluster, addr: IpAddress): boolean {
  return afiOf(addr) === 'ipv4' ? cluster.config.enableIPv4 : cluster.config.enableIPv6;
}

function backendsOf(cluster: Cluster, svc: Service, afi: 'ipv4' | 'ipv6'): ActiveBackends {
  return clusterIndexes(cluster).activeBackends(svc.meta.namespace ?? 'default', svc.meta.name, afi);
}

/**
 * Backend facts of a service for one address family, as the load-balancer tables see them:
 * whether it has an active backend anywhere, and on the given node. A backend is active when
 * its endpoint is `ready` (whatever `terminating` says). O(1) after a one-pass index of the
 * cluster's EndpointSlices (built once per cluster).
 *
 * @example
 * ```ts
 * serviceBackends(cluster, svc, 'ipv4', 'k8s-w1'); // { any: true, local: true }
 * ```
 */
export function serviceBackends(
  cluster: Cluster,
  svc: Service,
  afi: 'ipv4' | 'ipv6',
  node: string,
): { any: boolean; local: boolean } {
  const b = backendsOf(cluster, svc, afi);
  return { any: b.any, local: b.nodes.has(node) };
}

function isHeadless(svc: Service): boolean {
  return svc.headless || Object.prototype.hasOwnProperty.call(svc.meta.labels, 'service.kubernetes.io/headless');
}

/**
 * The prefixes a node advertises for one service and one Service advertisement entry, per
 * address type. Nothing when the entry has no selector or service options, the selector does
 * not match, the service is headless or has no ports; LoadBalancerIP only for `LoadBalancer`
 * services without a foreign `loadBalancerClass`; `externalTrafficPolicy: Local` (LB and
 * external IPs) and `internalTrafficPolicy: Local` (ClusterIP) need an active local backend;
 * with `enable-no-service-endpoints-routable=false` a service without active backends is
 * skipped. Aggregation lengths apply except under a Local policy.
 *
 * @example
 * ```ts
 * servicePrefixes(cluster, svc, entry, 'k8s-w1', lbIps).get('LoadBalancerIP'); // [172.16.1.1/32]
 * ```
 */
export function servicePrefixes(
  cluster: Cluster,
  svc: Service,
  entry: BgpAdvertisementEntry,
  node: string,
  lbIps: LbIpLookup,
): Map<ServiceAddressType, IpPrefix[]> {
  const res = new Map<ServiceAddressType, IpPrefix[]>();
  if (entry.advertisementType !== 'Service' || entry.selector === undefined || entry.service === undefined) return res;
  if (!matchesSelector(entry.selector, clusterIndexes(cluster).serviceLabels(svc))) return res;
  if (svc.type === 'ExternalName' || isHeadless(svc) || svc.ports.length === 0) return res;
  const ns = svc.meta.namespace ?? 'default';
  const opts = entry.service;
  for (const addrType of opts.addresses) {
    let addrs: readonly IpAddress[] = [];
    let local: boolean;
    if (addrType === 'LoadBalancerIP') {
      if (svc.type !== 'LoadBalancer') addrs = [];
      else if (svc.loadBalancerClass !== undefined && svc.loadBalancerClass !== BGP_LOADBALANCER_CLASS) addrs = [];
      else addrs = lbIps(ns, svc.meta.name);
      local = svc.externalTrafficPolicy === 'Local';
    } else if (addrType === 'ClusterIP') {
      addrs = svc.clusterIPs;
      local = svc.internalTrafficPolicy === 'Local';
    } else {
      addrs = svc.externalIPs;
      local = svc.externalTrafficPolicy === 'Local';
    }
    const prefixes: IpPrefix[] = [];
    for (const addr of addrs) {
      if (!familyEnabled(cluster, addr)) continue;
      const afi = afiOf(addr);
      const be = serviceBackends(cluster, svc, afi, node);
      if (local && !be.local) continue;
      if (!cluster.config.enableNoServiceEndpointsRoutable && !be.any) continue;
      let len: number = bitLength(familyOf(addr));
      if (!local) {
        const agg = afi === 'ipv4' ? opts.aggregationLengthIPv4 : opts.aggregationLengthIPv6;
        if (agg !== undefined) len = agg;
      }
      const p = maskedPrefix(addr, len);
      if (!prefixes.some((q) => comparePrefix(p, q) === 0)) prefixes.push(p);
    }
    const prev = res.get(addrType) ?? [];
    res.set(addrType, [...prev, ...prefixes.filter((p) => !prev.some((q) => comparePrefix(p, q) === 0))]);
  }
  return res;
}

/** One service's prefixes for one advertisement entry, as {@link servicePrefixes} gives them. */
export interface ServiceTyped {
  readonly svc: Service;
  readonly typed: ReadonlyMap<ServiceAddressType, readonly IpPrefix[]>;
}

/**
 * The services one Service advertisement entry can yield prefixes for, split so that a node's
 * share costs what it yields: services whose prefixes do not depend on the node (no Local
 * traffic policy in play) are computed once; under a Local policy the prefixes are computed for
 * the nodes with a local active backend (the others get the no-local-backend answer, computed
 * once).
 */
export interface EntryIndex {
  /** The entry's services with a non-empty answer for this node, in namespace/name order. */
  forNode(node: string): readonly { readonly pos: number; readonly item: ServiceTyped }[];
  /** The services whose answer is the same non-empty one for every node (one shared array). */
  readonly common: readonly { readonly pos: number; readonly item: ServiceTyped }[];
  /** {@link forNode} minus {@link common}: the node-dependent part, in namespace/name order. */
  nodeOnly(node: string): readonly { readonly pos: number; readonly item: ServiceTyped }[];
}

/** A node name no node has: the answer for nodes without a local backend. */
const NO_NODE = '\u0000';

function nonEmpty(m: ReadonlyMap<ServiceAddressType, readonly IpPrefix[]>): boolean {
  for (const v of m.values()) if (v.length > 0) return true;
  return false;
}

/**
 * The per-scenario work {@link instanceAdvertisements} shares between nodes: for each Service
 * advertisement entry, which services it yields prefixes for and on which nodes. Make one per
 * cluster and LB IP lookup ({@link advertisementIndex}) and pass it to every node's call.
 *
 * @example
 * const ix: AdvertisementIndex = advertisementIndex(cluster, lbIps);
 */
export interface AdvertisementIndex {
  /** The cluster it is for. */
  readonly cluster: Cluster;
  /** The LB IP lookup it is for. */
  readonly lbIps: LbIpLookup;
  /** Entries already indexed. */
  readonly entries: Map<BgpAdvertisementEntry, EntryIndex>;
  /**
   * Export policies and RIB paths already made, by content: nodes advertising the same service
   * to the same peer share one (immutable) object instead of one each.
   */
  readonly shared: Map<string, RoutePolicy | CiliumRibPath>;
  /** RIB sources of a service answer by address type (one object and key for every node). */
  readonly sources: WeakMap<ServiceTyped, Map<string, { readonly source: RibSource; readonly key: string }>>;
  /** Service export policies by service answer, entry, peer (name and address), AFI and address type; null: none. */
  readonly policies: WeakMap<ServiceTyped, Map<BgpAdvertisementEntry, Map<string, Map<string, Map<string, RoutePolicy | null>>>>>;
  /** RIB paths of one source already made, by family key, prefix text and source key. */
  readonly ribPaths: Map<string, Map<string, Map<string, CiliumRibPath>>>;
  /** Node-independent service parts already made, by shape (peers, families, Service entries). */
  readonly commons: Map<string, CommonAdvertisements>;
  /** A number per Service advertisement entry (for shape keys). */
  readonly entryIds: Map<BgpAdvertisementEntry, number>;
  /** {@link peerAdvertisements} of an instance, by instance object (nodes without an override share theirs). */
  readonly peerAdverts: WeakMap<NodeConfigInstance, readonly PeerFamilyAdverts[]>;
  /** The common part by the peers' advertisements object (what {@link peerAdverts} gives). */
  readonly commonsByPeers: WeakMap<readonly PeerFamilyAdverts[], CommonAdvertisements>;
}

/**
 * An empty {@link AdvertisementIndex} for a cluster and LB IP lookup (filled as nodes ask).
 *
 * @example
 * ```ts
 * const ix = advertisementIndex(cluster, lbIps);
 * for (const n of cluster.ciliumNodes) instanceAdvertisements(cluster, n, instance, lbIps, ix);
 * ```
 */
export function advertisementIndex(cluster: Cluster, lbIps: LbIpLookup): AdvertisementIndex {
  return {
    cluster,
    lbIps,
    entries: new Map(),
    shared: new Map(),
    sources: new WeakMap(),
    policies: new WeakMap(),
    ribPaths: new Map(),
    commons: new Map(),
    entryIds: new Map(),
    peerAdverts: new WeakMap(),
    commonsByPeers: new WeakMap(),
  };
}

function entryIndex(index: AdvertisementIndex, entry: BgpAdvertisementEntry): EntryIndex {
  const { cluster, lbIps } = index;
  const byEntry = index.entries;
  const hit = byEntry.get(entry);
  if (hit !== undefined) return hit;
  // Services whose answer is the same for every node, and the node-dependent ones.
  const fixed: { pos: number; item: ServiceTyped }[] = [];
  // byLocal: the answer for a node by whether it has a local active backend per family (index
  // v4 + 2·v6); the only way servicePrefixes depends on the node. null: nothing advertised.
  const dependent: { pos: number; svc: Service; other?: ServiceTyped; byLocal: (ServiceTyped | null | undefined)[] }[] = [];
  // per node, its node-dependent services and whether it has a local backend per family (k)
  const byNode = new Map<string, { readonly d: number; readonly k: number }[]>();
  const services = clusterIndexes(cluster).sortedServices;
  services.forEach((svc, pos) => {
    const other = servicePrefixes(cluster, svc, entry, NO_NODE, lbIps);
    const opts = entry.service;
    const usesLocal =
      opts !== undefined &&
      opts.addresses.some((t) => (t === 'ClusterIP' ? svc.internalTrafficPolicy === 'Local' : svc.externalTrafficPolicy === 'Local'));
    // k = v4 + 2·v6: whether the node has a local active backend per family
    const nodes = new Map<string, number>();
    if (usesLocal) {
      for (const n of backendsOf(cluster, svc, 'ipv4').nodes) nodes.set(n, 1);
      for (const n of backendsOf(cluster, svc, 'ipv6').nodes) nodes.set(n, (nodes.get(n) ?? 0) | 2);
    }
    const item = nonEmpty(other) ? { svc, typed: other } : undefined;
    if (nodes.size === 0) {
      if (item !== undefined) fixed.push({ pos, item });
      return;
    }
    const d = dependent.length;
    dependent.push({ pos, svc, ...(item !== undefined ? { other: item } : {}), byLocal: [] });
    for (const [n, k] of nodes) {
      const list = byNode.get(n);
      if (list === undefined) byNode.set(n, [{ d, k }]);
      else list.push({ d, k });
    }
  });
  const withOther = dependent.flatMap((d, i) => (d.other !== undefined ? [i] : []));
  const none: { pos: number; item: ServiceTyped }[] = [];
  const nodeOnly = (node: string): { pos: number; item: ServiceTyped }[] => {
    const mine = byNode.get(node);
    if (mine === undefined && withOther.length === 0) return none;
    const parts: { pos: number; item: ServiceTyped }[] = [];
    const done = withOther.length === 0 ? undefined : new Set<number>();
    for (const { d: i, k } of mine ?? []) {
      const d = dependent[i]!;
      done?.add(i);
      let item = d.byLocal[k];
      if (item === undefined) {
        const typed = servicePrefixes(cluster, d.svc, entry, node, lbIps);
        d.byLocal[k] = item = nonEmpty(typed) ? { svc: d.svc, typed } : null;
      }
      if (item !== null) parts.push({ pos: d.pos, item });
    }
    if (done !== undefined) for (const i of withOther) if (!done.has(i)) parts.push({ pos: dependent[i]!.pos, item: dependent[i]!.other! });
    if (parts.length === 0) return none;
    if (parts.length > 1) parts.sort((x, y) => x.pos - y.pos);
    return parts;
  };
  const ix: EntryIndex = {
    common: fixed,
    nodeOnly,
    forNode(node) {
      const own = nodeOnly(node);
      if (own.length === 0) return fixed;
      return [...fixed, ...own].sort((x, y) => x.pos - y.pos);
    },
  };
  byEntry.set(entry, ix);
  return ix;
}

/** What {@link instanceAdvertisements} returns. */
export interface InstanceAdvertisements {
  /** Loc-RIB, sorted by family then prefix. */
  readonly rib: readonly CiliumRibPath[];
  /** Export policies, sorted by name. */
  readonly exportPolicies: readonly RoutePolicy[];
}

function familyKey(f: BgpFamilyKey): string {
  return `${f.afi}/${f.safi}`;
}

function sourceKey(s: RibSource): string {
  if (s.pool !== undefined) return `${s.type}/${s.pool}`;
  if (s.interface !== undefined) return `${s.type}/${s.interface}`;
  return s.service === undefined ? s.type : `${s.type}/${s.service.namespace}/${s.service.name}/${s.service.addressType}`;
}

/**
 * The RIB and export policies of one instance on one node.
 *
 * PodCIDR (IPAM `kubernetes` or `cluster-pool` only): the node's CiliumNode pod CIDRs, one policy
 * `<peer>-<afi>-PodCIDR` per peer and family; when several PodCIDR adverts select the same peer
 * and family, the last one (advertisements by name, entries in order) defines the policy's
 * attributes. Service: one policy `<peer>-<afi>-Service-<svc>-<ns>-<addrType>` per peer, family,
 * service and address type; adverts yielding the same name are merged.
 *
 * @example
 * ```ts
 * const { rib, exportPolicies } = instanceAdvertisements(cluster, ciliumNode, instance, lbIps);
 * ```
 */
export function instanceAdvertisements(
  cluster: Cluster,
  node: CiliumNode,
  instance: NodeConfigInstance,
  lbIps: LbIpLookup,
): InstanceAdvertisements {
  return advertise(advertisementIndex(cluster, lbIps), node, peerAdvertisements(cluster, instance), 'all');
}

/**
 * {@link instanceAdvertisements} with a shared {@link AdvertisementIndex} (what the agent uses
 * for every node of a cluster, so that each Service advertisement entry is indexed once).
 *
 * @example
 * ```ts
 * const ix = advertisementIndex(cluster, lbIps);
 * const { rib } = instanceAdvertisementsWith(ix, ciliumNode, instance);
 * ```
 */
export function instanceAdvertisementsWith(shared: AdvertisementIndex, node: CiliumNode, instance: NodeConfigInstance): InstanceAdvertisements {
  const { rib, exportPolicies } = instanceAdvertisementParts(shared, node, instance);
  return { rib, exportPolicies };
}

/** Which services (and node-only sources) {@link advertise} puts in: all, the node-independent ones, the rest. */
type Part = 'all' | 'common' | 'node';

/** Sort key of a RIB path: family key, then family, network, length. */
export interface RibKey {
  readonly fk: string;
  readonly fam: number;
  readonly net: bigint;
  readonly len: number;
}

function compareRibKeys(a: RibKey, b: RibKey): number {
  if (a.fk !== b.fk) return a.fk < b.fk ? -1 : 1;
  if (a.fam !== b.fam) return a.fam - b.fam;
  if (a.net !== b.net) return a.net < b.net ? -1 : 1;
  return a.len - b.len;
}

function ribKey(path: CiliumRibPath): RibKey {
  return { fk: familyKey(path.family), fam: familyOf(path.prefix), net: networkValue(path.prefix), len: prefixLength(path.prefix) };
}

/**
 * The node-independent part of an instance's advertisements, shared by every node of the same
 * shape (same peers, families and Service advertisement entries): the RIB paths and export
 * policies of the services whose answer does not depend on the node, sorted as the whole is.
 */
export interface CommonAdvertisements {
  /** The common RIB paths, sorted as {@link InstanceAdvertisements.rib}. */
  readonly rib: readonly CiliumRibPath[];
  /** Their sort keys (same positions). */
  readonly ribKeys: readonly RibKey[];
  /** The common export policies, sorted by name. */
  readonly exportPolicies: readonly RoutePolicy[];
  /** Prefix texts of the RIB paths and of every policy prefix match. */
  readonly texts: ReadonlySet<string>;
  /** Names of the export policies. */
  readonly names: ReadonlySet<string>;
  /** Every statement matches exact prefixes only (and at least one). */
  readonly exact: boolean;
  /** Room for the agent's per-session wire paths of this part (by session kind). */
  readonly wires: Map<string, unknown>;
}

/**
 * What {@link instanceAdvertisementParts} returns: the whole answer, and when it was assembled
 * from a shared common part, that part and the node's own (disjoint from it: no prefix of one
 * is matched or carried by the other, no policy name in both).
 */
export interface InstanceAdvertisementParts extends InstanceAdvertisements {
  /** The split, when the common part is shared; `undefined`: computed whole. */
  readonly split?: {
    readonly common: CommonAdvertisements;
    readonly own: InstanceAdvertisements;
  };
}

function exactStatements(policies: readonly RoutePolicy[]): boolean {
  for (const pol of policies) {
    for (const st of pol.statements) {
      if (st.matchPrefixes.length === 0) return false;
      for (const m of st.matchPrefixes) if (m.lenMin !== m.lenMax || m.lenMin !== prefixLength(m.prefix)) return false;
    }
  }
  return true;
}

function shapeKey(shared: AdvertisementIndex, peers: readonly PeerFamilyAdverts[]): string {
  const parts: (string | number)[] = [];
  for (const p of peers) {
    parts.push('p', p.peer, p.peerAddress === undefined ? '' : formatIp(p.peerAddress));
    for (const { family, adverts } of p.families) {
      parts.push('f', familyKey(family));
      for (const a of adverts) {
        if (a.advertisementType !== 'Service') continue;
        let id = shared.entryIds.get(a);
        if (id === undefined) shared.entryIds.set(a, (id = shared.entryIds.size));
        parts.push(id);
      }
    }
  }
  return JSON.stringify(parts);
}

function commonPart(shared: AdvertisementIndex, node: CiliumNode, peers: readonly PeerFamilyAdverts[]): CommonAdvertisements {
  const known = shared.commonsByPeers.get(peers);
  if (known !== undefined) return known;
  const key = shapeKey(shared, peers);
  const hit = shared.commons.get(key);
  if (hit !== undefined) {
    shared.commonsByPeers.set(peers, hit);
    return hit;
  }
  const { rib, exportPolicies } = advertise(shared, node, peers, 'common');
  const texts = new Set<string>();
  for (const p of rib) texts.add(formatPrefix(p.prefix));
  for (const pol of exportPolicies) for (const st of pol.statements) for (const m of st.matchPrefixes) texts.add(formatPrefix(m.prefix));
  const common: CommonAdvertisements = {
    rib,
    ribKeys: rib.map(ribKey),
    exportPolicies,
    texts,
    names: new Set(exportPolicies.map((x) => x.name)),
    exact: exactStatements(exportPolicies),
    wires: new Map(),
  };
  shared.commons.set(key, common);
  shared.commonsByPeers.set(peers, common);
  return common;
}

/**
 * {@link instanceAdvertisementsWith}, assembled when it can be from the part shared by every node
 * of the same shape (computed once) and the node's own part (its pod CIDRs, pools, interfaces and
 * the services whose answer depends on the node, e.g. under `externalTrafficPolicy: Local`): a
 * merge of two sorted lists, O(common + own) per node instead of building and sorting the whole
 * RIB and policy set. The parts are used only when they cannot interact (no prefix text, policy
 * name or non-exact statement in common); otherwise the whole is computed. Same answer as
 * {@link instanceAdvertisements} either way.
 *
 * @example
 * ```ts
 * import { advertisementIndex, instanceAdvertisementParts, type LbIpLookup, type NodeConfigInstance } from 'cilium-twin/bgp';
 * import type { Cluster } from 'cilium-twin/cluster';
 * import type { CiliumNode } from 'cilium-twin/input';
 * declare const cluster: Cluster;
 * declare const lbIps: LbIpLookup;
 * declare const ciliumNode: CiliumNode;
 * declare const instance: NodeConfigInstance;
 * const ix = advertisementIndex(cluster, lbIps);
 * const { rib, split } = instanceAdvertisementParts(ix, ciliumNode, instance);
 * ```
 */
export function instanceAdvertisementParts(shared: AdvertisementIndex, node: CiliumNode, instance: NodeConfigInstance): InstanceAdvertisementParts {
  let peers = shared.peerAdverts.get(instance);
  if (peers === undefined) shared.peerAdverts.set(instance, (peers = peerAdvertisements(shared.cluster, instance)));
  const common = commonPart(shared, node, peers);
  if (!common.exact) return advertise(shared, node, peers, 'all');
  const own = advertise(shared, node, peers, 'node');
  if (own.rib.length === 0 && own.exportPolicies.length === 0) return { rib: common.rib, exportPolicies: common.exportPolicies, split: { common, own } };
  for (const p of own.rib) if (common.texts.has(formatPrefix(p.prefix))) return advertise(shared, node, peers, 'all');
  if (!exactStatements(own.exportPolicies)) return advertise(shared, node, peers, 'all');
  for (const pol of own.exportPolicies) {
    if (common.names.has(pol.name)) return advertise(shared, node, peers, 'all');
    for (const st of pol.statements) for (const m of st.matchPrefixes) if (common.texts.has(formatPrefix(m.prefix))) return advertise(shared, node, peers, 'all');
  }
  // merge the sorted lists (keys are distinct across the parts: their prefix texts are), when
  // first read: the wire paths come from the split, so a question about the router never
  // copies every node's RIB and policies (5,000 nodes × the common part)
  let rib: readonly CiliumRibPath[] | undefined;
  let exportPolicies: readonly RoutePolicy[] | undefined;
  return {
    get rib(): readonly CiliumRibPath[] {
      return (rib ??= mergeSorted(common.rib, common.ribKeys, own.rib, own.rib.map(ribKey), compareRibKeys));
    },
    get exportPolicies(): readonly RoutePolicy[] {
      return (exportPolicies ??= mergeSorted(
        common.exportPolicies,
        common.exportPolicies.map((x) => x.name),
        own.exportPolicies,
        own.exportPolicies.map((x) => x.name),
        compareStrings,
      ));
    },
    split: { common, own },
  };
}

/**
 * Merges a long sorted list and a short one whose keys never equal the long one's: each short
 * item goes where a binary search over the long list's keys puts it (O(short × log long) key
 * comparisons, plus the copy).
 *
 * @example
 * ```ts
 * import { mergeSorted } from 'cilium-twin/bgp';
 * import { compareStrings } from 'cilium-twin/net';
 * mergeSorted(['a', 'c'], ['a', 'c'], ['b'], ['b'], compareStrings); // ['a', 'b', 'c']
 * ```
 */
export function mergeSorted<T, K>(
  long: readonly T[],
  longKeys: readonly K[],
  short: readonly T[],
  shortKeys: readonly K[],
  compare: (a: K, b: K) => number,
): T[] {
  if (short.length === 0) return [...long];
  const out: T[] = [];
  let from = 0;
  for (let j = 0; j < short.length; j++) {
    const k = shortKeys[j]!;
    let lo = from;
    let hi = long.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(longKeys[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(long[i]!);
    out.push(short[j]!);
    from = lo;
  }
  for (let i = from; i < long.length; i++) out.push(long[i]!);
  return out;
}

/**
 * The RIB and export policies of one instance on one node, or of a part of it (see {@link Part}):
 * the rules of {@link instanceAdvertisements}.
 */
function advertise(shared: AdvertisementIndex, node: CiliumNode, peers: readonly PeerFamilyAdverts[], part: Part): InstanceAdvertisements {
  const { cluster } = shared;
  // RIB entries by family key, then prefix text (texts computed once per family / prefix object)
  type RibEntry = { family: BgpFamilyKey; fk: string; prefix: IpPrefix; text: string; sources: Map<string, RibSource> };
  const rib = new Map<string, Map<string, RibEntry>>();
  const familyKeys = new Map<BgpFamilyKey, string>();
  const addPathKeyed = (family: BgpFamilyKey, prefix: IpPrefix, source: RibSource, sk: string): void => {
    if (afiOf(prefix) !== family.afi) return;
    let fk = familyKeys.get(family);
    if (fk === undefined) familyKeys.set(family, (fk = familyKey(family)));
    let byPrefix = rib.get(fk);
    if (byPrefix === undefined) rib.set(fk, (byPrefix = new Map()));
    const text = formatPrefix(prefix);
    let e = byPrefix.get(text);
    if (e === undefined) {
      e = { family, fk, prefix, text, sources: new Map() };
      byPrefix.set(text, e);
    }
    e.sources.set(sk, source);
  };
  const addPath = (family: BgpFamilyKey, prefix: IpPrefix, source: RibSource): void => addPathKeyed(family, prefix, source, sourceKey(source));
  const policies = new Map<string, RoutePolicy>();

  // PodCIDR
  if (part !== 'common' && PODCIDR_IPAM_MODES.includes(cluster.config.ipam)) {
    const podCidrs = node.podCIDRs;
    for (const p of peers) {
      for (const { family, adverts } of p.families) {
        const pod = adverts.filter((a) => a.advertisementType === 'PodCIDR');
        if (pod.length === 0) continue;
        for (const prefix of podCidrs) addPath(family, prefix, { type: 'PodCIDR' });
        if (p.peerAddress === undefined) continue;
        const mine = podCidrs.filter((c) => afiOf(c) === family.afi);
        if (mine.length === 0) continue;
        for (const a of pod) {
          const name = policyName(p.peer, family.afi, 'PodCIDR');
          policies.set(name, createExportPolicy(name, p.peerAddress, mine, a.attributes));
        }
      }
    }
  }

  // CiliumPodIPPool and Interface (extra-advertisements.ts)
  if (part !== 'common') addExtraAdvertisements(cluster, node, peers, addPath, policies);

  // Service: services in namespace/name order, then peers, families and entries in order (the
  // order policies with the same name are merged in).
  const work: { pos: number; seq: number; item: ServiceTyped; p: PeerFamilyAdverts; family: BgpFamilyKey; a: BgpAdvertisementEntry }[] = [];
  let seq = 0;
  for (const p of peers) {
    for (const { family, adverts } of p.families) {
      for (const a of adverts) {
        if (a.advertisementType !== 'Service') continue;
        const s = seq++;
        const ix = entryIndex(shared, a);
        const items = part === 'all' ? ix.forNode(node.meta.name) : part === 'common' ? ix.common : ix.nodeOnly(node.meta.name);
        for (const { pos, item } of items) work.push({ pos, seq: s, item, p, family, a });
      }
    }
  }
  work.sort((x, y) => x.pos - y.pos || x.seq - y.seq);
  const peerKeys = new Map<PeerFamilyAdverts, string>();
  for (const { item, p, family, a } of work) {
    const { svc, typed } = item;
    const ns = svc.meta.namespace ?? 'default';
    for (const [addrType, prefixes] of typed) {
      if (prefixes.length > 0) {
        // one source object (and key) per (service answer, address type), shared by every node
        let bySvc = shared.sources.get(item);
        if (bySvc === undefined) shared.sources.set(item, (bySvc = new Map()));
        let src = bySvc.get(addrType);
        if (src === undefined) {
          const source: RibSource = { type: 'Service', service: { namespace: ns, name: svc.meta.name, addressType: addrType } };
          bySvc.set(addrType, (src = { source, key: sourceKey(source) }));
        }
        for (const prefix of prefixes) addPathKeyed(family, prefix, src.source, src.key);
      }
      if (p.peerAddress === undefined) continue;
      // The policy depends on (service answer, entry, peer name and address, family, address
      // type) only: made once and shared by every node that sends the same to the same peer.
      let pk = peerKeys.get(p);
      if (pk === undefined) peerKeys.set(p, (pk = `${p.peer}|${formatIp(p.peerAddress)}`));
      // (nested maps: no key string is built and hashed per node and service)
      let byEntry = shared.policies.get(item);
      if (byEntry === undefined) shared.policies.set(item, (byEntry = new Map()));
      let byPeer = byEntry.get(a);
      if (byPeer === undefined) byEntry.set(a, (byPeer = new Map()));
      let byAfi = byPeer.get(pk);
      if (byAfi === undefined) byPeer.set(pk, (byAfi = new Map()));
      let byType = byAfi.get(family.afi);
      if (byType === undefined) byAfi.set(family.afi, (byType = new Map()));
      let policy = byType.get(addrType) ?? null;
      if (!byType.has(addrType)) {
        const mine = prefixes.filter((x) => afiOf(x) === family.afi);
        const name = policyName(p.peer, family.afi, 'Service', `${svc.meta.name}-${ns}-${addrType}`);
        policy = mine.length === 0 ? null : createExportPolicy(name, p.peerAddress, mine, a.attributes);
        byType.set(addrType, policy);
      }
      if (policy === null) continue;
      const name = policy.name;
      const existing = policies.get(name);
      policies.set(name, existing === undefined ? policy : mergeRoutePolicies(existing, policy));
    }
  }

  // Sorted by family key, then prefix (family, network, length), each computed once per entry.
  const decorated: { fk: string; fam: number; net: bigint; len: number; path: CiliumRibPath }[] = [];
  for (const byPrefix of rib.values()) {
    for (const e of byPrefix.values()) {
      let path: CiliumRibPath | undefined;
      if (e.sources.size === 1) {
        // one source (nearly every path): nested maps by family key, prefix text, source key
        const [first] = e.sources;
        const [sk, source] = first!;
        let byPrefix = shared.ribPaths.get(e.fk);
        if (byPrefix === undefined) shared.ribPaths.set(e.fk, (byPrefix = new Map()));
        let bySource = byPrefix.get(e.text);
        if (bySource === undefined) byPrefix.set(e.text, (bySource = new Map()));
        path = bySource.get(sk);
        if (path === undefined) bySource.set(sk, (path = { family: e.family, prefix: e.prefix, origin: 'igp' as const, sources: [source] }));
      } else {
        const sorted = [...e.sources.entries()].sort(compareEntryKeys);
        const k = `rib|${e.fk}|${e.text}|${sorted.map(([sk]) => sk).join('|')}`;
        path = shared.shared.get(k) as CiliumRibPath | undefined;
        if (path === undefined) {
          path = { family: e.family, prefix: e.prefix, origin: 'igp' as const, sources: sorted.map(([, x]) => x) };
          shared.shared.set(k, path);
        }
      }
      decorated.push({ fk: e.fk, fam: familyOf(path.prefix), net: networkValue(path.prefix), len: prefixLength(path.prefix), path });
    }
  }
  decorated.sort(compareRibKeys);
  const ribPaths: CiliumRibPath[] = decorated.map((d) => d.path);
  const exportPolicies = [...policies.values()].sort((a, b) => compareStrings(a.name, b.name));
  return { rib: ribPaths, exportPolicies };
}
