/**
 * The Cilium agent's BGP control plane on every node: from the node's CiliumBGPNodeConfig, the
 * GoBGP instances (ASN, router ID, listen port), the sessions with their settings, the RIB and
 * policies, and per peer exactly what goes on the wire.
 *
 * Complexity: O(nodes × (peers + advertised prefixes)) for the cluster, with the advertisements'
 * shared index and an export matcher per session (policies indexed by exact prefix: O(policies +
 * paths) per session instead of O(policies × paths)). The paths of the node-independent services
 * are made into wire paths once per node shape and kind of session and merged with each node's
 * own (O(own × log common) comparisons plus a copy per session). What depends on the instance
 * alone (the peers' advertisements, the common part, each session but its node and local
 * address) is made once per instance object, which every node without an override shares; a
 * node then costs O(peers + own prefixes + common prefixes copied), its session source address
 * from its interfaces and default route without a routing table (`baseLookupOf`).
 *
 * @module
 */
import { IPv4 } from 'ip-num';
import type { Cluster } from '../../cluster/types.js';
import type { CiliumNode, IpAddress } from '../../input/types.js';
import { comparePrefix, familyOf, formatIp, networkValue, prefixLength, unspecified } from '../../net/addr.js';
import { afiOf } from './addr.js';
import { advertisementIndex, instanceAdvertisementParts, mergeSorted, type AdvertisementIndex, type InstanceAdvertisementParts } from './advertisements.js';
import { hostRoutingTable, lookupRoute } from '../../fib/index.js';
import type { RoutingTable } from '../../fib/index.js';
import { allocateLbIps, lbIpsLookup } from '../../ipam/index.js';
import { buildNodeConfigs } from './node-configs.js';
import { allowLocalPolicy, communityText, communityValue, exportMatcher } from './policies.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import type {
  BgpFamilyKey,
  CiliumBgpInstance,
  CiliumBgpNode,
  CiliumBgpOptions,
  CiliumBgpResult,
  CiliumPeerAdvertisement,
  CiliumPeerSession,
  CiliumRibPath,
  CiliumWirePath,
  LbIpLookup,
  NodeConfig,
  SourceAddressLookup,
  NodeConfigInstance,
  NodeConfigPeer,
  RoutePolicy,
} from './types.js';
import { compareStrings } from '../../net/compare.js';

/** Defaults of CiliumBGPPeerConfig (`SetDefaults`). */
export const PEER_CONFIG_DEFAULTS = {
  peerPort: 179,
  connectRetryTimeSeconds: 120,
  holdTimeSeconds: 90,
  keepAliveTimeSeconds: 30,
  ebgpMultihop: 1,
  gracefulRestartTimeSeconds: 120,
  families: [
    { afi: 'ipv6', safi: 'unicast' },
    { afi: 'ipv4', safi: 'unicast' },
  ] as readonly BgpFamilyKey[],
} as const;

/** LOCAL_PREF GoBGP sends to iBGP peers when no policy sets one. */
export const DEFAULT_IBGP_LOCAL_PREF = 100;

/**
 * LB IPs straight from the services' `status.loadBalancer.ingress` (an alternative {@link LbIpLookup}
 * for scenarios that give the status by hand).
 *
 * @example
 * ```ts
 * statusLbIps(cluster)('default', 'webpod'); // [] unless the status is given
 * ```
 */
export function statusLbIps(cluster: Cluster): LbIpLookup {
  return (ns, name) => cluster.scenario.services.find((s) => (s.meta.namespace ?? 'default') === ns && s.meta.name === name)?.loadBalancerIngress ?? [];
}

/**
 * LB IPs as LB IPAM allocates them (which also keeps addresses already in the services'
 * status): the default {@link LbIpLookup} of {@link computeCiliumBgp}.
 *
 * @example
 * ```ts
 * ipamLbIps(cluster)('default', 'webpod'); // [172.16.1.1] with the bgp-lab's lb.yaml
 * ```
 */
export function ipamLbIps(cluster: Cluster): LbIpLookup {
  return lbIpsLookup(allocateLbIps(cluster));
}

/**
 * The FIB stage's source-address lookup over the hosts' base routing tables, each table built
 * only when a session on that host asks (the default {@link SourceAddressLookup}).
 *
 * @example
 * ```ts
 * fibSourceAddress(cluster)('k8s-w0', IPv4.fromString('192.168.10.200')); // 192.168.20.100 in the bgp-lab
 * ```
 */
export function fibSourceAddress(cluster: Cluster): SourceAddressLookup {
  const tables = new Map<string, RoutingTable | undefined>();
  return (host, dst) => {
    if (!tables.has(host)) {
      const h = clusterIndexes(cluster).host(host);
      tables.set(host, h === undefined ? undefined : hostRoutingTable(cluster, h));
    }
    const table = tables.get(host);
    if (table === undefined) return undefined;
    const r = lookupRoute(table, dst);
    return r.kind === 'error' ? undefined : r.src;
  };
}

/**
 * Cilium's default router ID: the node's first IPv4 address in CiliumNode `spec.addresses`,
 * InternalIP first, then ExternalIP, then any other type. `undefined` on IPv6-only nodes (the
 * real agent then derives one from the `cilium_host` MAC address, which the model does not know).
 *
 * @example
 * ```ts
 * formatIp(defaultRouterId(ciliumNode)!); // '192.168.10.101' for k8s-w1 in the bgp-lab
 * ```
 */
export function defaultRouterId(node: CiliumNode): IPv4 | undefined {
  const v4 = node.addresses.filter((a) => a.ip instanceof IPv4);
  const pick = v4.find((a) => a.type === 'InternalIP') ?? v4.find((a) => a.type === 'ExternalIP') ?? v4[0];
  return pick?.ip instanceof IPv4 ? pick.ip : undefined;
}

/**
 * What a session is made of apart from its node: everything `buildSession` derives from the
 * instance, the peer and its PeerConfig (the same on every node that shares the instance
 * object), or why the peer is skipped; and the key of its kind for the common wire paths.
 */
type SessionTemplate =
  | { readonly skip: string }
  | {
      readonly skip?: undefined;
      readonly peer: NodeConfigPeer;
      /** The session without `node` and `localAddress`, in the session's key order. */
      readonly make: (node: string, localAddress: IpAddress | undefined) => CiliumPeerSession;
      /** `splitWirePaths`' key: session type, local AS, peer address, families. */
      readonly wireKey: string;
    };

function sessionTemplate(cluster: Cluster, instance: NodeConfigInstance, localASN: number, peerIndex: number): SessionTemplate | undefined {
  const peer = instance.peers[peerIndex];
  if (peer === undefined) return undefined;
  const where = `instance ${instance.name}: peer ${peer.name}`;
  if (peer.peerAddress === undefined) {
    return {
      skip:
        peer.autoDiscovery !== undefined
          ? `${where}: autoDiscovery (${peer.autoDiscovery.mode}) is not modelled; peer skipped`
          : `${where}: no peerAddress; peer skipped`,
    };
  }
  const ref = peer.peerConfigRef;
  const pc = ref === undefined || ref === '' ? undefined : cluster.scenario.bgpPeerConfigs.find((p) => p.meta.name === ref);
  if (ref !== undefined && ref !== '' && pc === undefined) {
    return { skip: `${where}: CiliumBGPPeerConfig ${ref} does not exist; peer not configured` };
  }
  const d = PEER_CONFIG_DEFAULTS;
  const nz = (v: number | undefined, def: number): number => (v === undefined || v === 0 ? def : v);
  const families: BgpFamilyKey[] =
    pc === undefined || pc.families.length === 0 ? [...d.families] : pc.families.map((f) => ({ afi: f.afi, safi: f.safi }));
  const sessionType = peer.peerASN === 0 ? 'unknown' : peer.peerASN === localASN ? 'ibgp' : 'ebgp';
  const peerAddress = peer.peerAddress;
  const peerPort = nz(pc?.peerPort, d.peerPort);
  const timers = {
    connectRetryTimeSeconds: nz(pc?.timers.connectRetryTimeSeconds, d.connectRetryTimeSeconds),
    holdTimeSeconds: nz(pc?.timers.holdTimeSeconds, d.holdTimeSeconds),
    keepAliveTimeSeconds: nz(pc?.timers.keepAliveTimeSeconds, d.keepAliveTimeSeconds),
  };
  const ebgpMultihopTTL = pc?.ebgpMultihop ?? d.ebgpMultihop;
  const gracefulRestart = {
    enabled: pc?.gracefulRestart?.enabled ?? false,
    restartTimeSeconds: nz(pc?.gracefulRestart?.restartTimeSeconds, d.gracefulRestartTimeSeconds),
  };
  const authSecretRef = pc?.authSecretRef;
  const make = (node: string, localAddress: IpAddress | undefined): CiliumPeerSession => ({
    node,
    instance: instance.name,
    peer: peer.name,
    localASN,
    peerAddress,
    peerASN: peer.peerASN,
    sessionType,
    peerPort,
    ...(instance.localPort !== undefined ? { listenPort: instance.localPort } : {}),
    ...(peer.localAddress !== undefined ? { configuredLocalAddress: peer.localAddress } : {}),
    ...(localAddress !== undefined ? { localAddress } : {}),
    families,
    timers,
    ebgpMultihopTTL,
    gracefulRestart,
    ...(ref !== undefined && ref !== '' ? { peerConfigRef: ref } : {}),
    ...(authSecretRef !== undefined ? { authSecretRef } : {}),
  });
  const wireKey = `${sessionType === 'ibgp' ? 'i' : 'e'}|${localASN}|${formatIp(peerAddress)}|${families.map((f) => `${f.afi}/${f.safi}`).join(',')}`;
  return { peer, make, wireKey };
}

/** The templates of an instance's sessions, made once per instance object and local AS. */
type SessionTemplates = WeakMap<NodeConfigInstance, Map<number, readonly (SessionTemplate | undefined)[]>>;

function templatesOf(cluster: Cluster, templates: SessionTemplates, instance: NodeConfigInstance, localASN: number): readonly (SessionTemplate | undefined)[] {
  let byAsn = templates.get(instance);
  if (byAsn === undefined) templates.set(instance, (byAsn = new Map()));
  let made = byAsn.get(localASN);
  if (made === undefined) byAsn.set(localASN, (made = instance.peers.map((_, i) => sessionTemplate(cluster, instance, localASN, i))));
  return made;
}

/**
 * Wire paths already made, by RIB path, accepting statement and session kind: nodes that send the
 * same (shared) RIB path under the same (shared) policy statement to the same kind of session
 * share one immutable wire path. One cache per computation of the control plane.
 *
 * @example
 * ```ts
 * const cache = new WirePathCache();
 * wirePathsWith(cache, session, rib, policies);
 * ```
 */
export class WirePathCache {
  private readonly byPath = new WeakMap<CiliumRibPath, WeakMap<object, Map<string, CiliumWirePath>>>();

  /** The wire path made before for this RIB path, statement and session key. */
  get(path: CiliumRibPath, statement: object, key: string): CiliumWirePath | undefined {
    return this.byPath.get(path)?.get(statement)?.get(key);
  }

  /** Remembers a wire path and returns it. */
  set(path: CiliumRibPath, statement: object, key: string, wire: CiliumWirePath): CiliumWirePath {
    let m = this.byPath.get(path);
    if (m === undefined) this.byPath.set(path, (m = new WeakMap()));
    let k = m.get(statement);
    if (k === undefined) m.set(statement, (k = new Map()));
    k.set(key, wire);
    return wire;
  }
}

/**
 * What an instance sends to one session: every RIB path of a family configured on the session
 * that an export policy accepts for the peer, with the attributes GoBGP puts on the wire:
 * ORIGIN IGP, AS_PATH `[localASN]` to eBGP (empty to iBGP), LOCAL_PREF only to iBGP (the
 * policy's, else 100), the policy's communities; next hop unspecified (= the session's local
 * address). A peer AS of 0 is treated as eBGP.
 *
 * @example
 * ```ts
 * wirePaths(session, rib, policies).map((p) => p.policy); // ['tor-switch-ipv4-PodCIDR']
 * ```
 */
export function wirePaths(session: CiliumPeerSession, rib: readonly CiliumRibPath[], policies: readonly RoutePolicy[]): CiliumWirePath[] {
  return wirePathsWith(new WirePathCache(), session, rib, policies);
}

/**
 * {@link wirePaths} with a cache shared by every node of one computation.
 *
 * @example
 * ```ts
 * wirePathsWith(new WirePathCache(), session, rib, policies);
 * ```
 */
export function wirePathsWith(
  shared: WirePathCache,
  session: CiliumPeerSession,
  rib: readonly CiliumRibPath[],
  policies: readonly RoutePolicy[],
): CiliumWirePath[] {
  return sortedWirePaths(shared, session, rib, policies).wires;
}

/** {@link wirePathsWith} with each wire path's sort key (same positions). */
function sortedWirePaths(
  shared: WirePathCache,
  session: CiliumPeerSession,
  rib: readonly CiliumRibPath[],
  policies: readonly RoutePolicy[],
): { readonly wires: CiliumWirePath[]; readonly keys: WireKey[] } {
  const out: CiliumWirePath[] = [];
  const ibgp = session.sessionType === 'ibgp';
  const match = exportMatcher(policies, session.peerAddress);
  const cacheKeys = new Map<RoutePolicy, string>();
  for (const family of session.families) {
    for (const path of rib) {
      if (path.family.afi !== family.afi || path.family.safi !== family.safi) continue;
      const hit = match(path.prefix);
      if (hit === undefined) continue;
      let cacheKey = cacheKeys.get(hit.policy);
      if (cacheKey === undefined) cacheKeys.set(hit.policy, (cacheKey = `${ibgp ? 'i' : 'e'}|${session.localASN}|${hit.policy.name}`));
      const known = shared.get(path, hit.statement, cacheKey);
      if (known !== undefined) {
        out.push(known);
        continue;
      }
      const communities: string[] = [];
      for (const c of hit.statement.addCommunities) {
        const v = communityValue(c);
        if (v === undefined) continue;
        const t = communityText(v);
        if (!communities.includes(t)) communities.push(t);
      }
      out.push(shared.set(path, hit.statement, cacheKey, {
        prefix: path.prefix,
        origin: 'igp',
        asPath: ibgp ? [] : [session.localASN],
        nextHop: unspecified(familyOf(path.prefix)),
        ...(ibgp ? { localPref: hit.statement.setLocalPreference ?? DEFAULT_IBGP_LOCAL_PREF } : {}),
        communities,
        largeCommunities: [...hit.statement.addLargeCommunities],
        policy: hit.policy.name,
      }));
    }
  }
  // by family, then prefix (family, network, length): keys computed once per path
  const decorated = out.map((w) => ({ key: wireKey(w), w }));
  if (decorated.length > 1) decorated.sort((a, b) => compareWireKeys(a.key, b.key));
  return { wires: decorated.map((d) => d.w), keys: decorated.map((d) => d.key) };
}

/** Sort key of a wire path: AFI, then family, network, length. */
interface WireKey {
  readonly afi: string;
  readonly fam: number;
  readonly net: bigint;
  readonly len: number;
}

function wireKey(w: CiliumWirePath): WireKey {
  return { afi: afiOf(w.prefix), fam: familyOf(w.prefix), net: networkValue(w.prefix), len: prefixLength(w.prefix) };
}

function compareWireKeys(a: WireKey, b: WireKey): number {
  if (a.afi !== b.afi) return a.afi < b.afi ? -1 : 1;
  if (a.fam !== b.fam) return a.fam - b.fam;
  if (a.net !== b.net) return a.net < b.net ? -1 : 1;
  return a.len - b.len;
}

/**
 * {@link wirePathsWith} over advertisements assembled from a shared common part and the node's
 * own: the common part's wire paths are made once per kind of session (iBGP or eBGP, local AS,
 * peer address, families: all that decides them) and merged with the node's own, which no
 * common policy matches and whose policies match no common path (the split guarantees it).
 * O(common + own) per session instead of matching and sorting every path.
 */
function splitWirePaths(
  shared: WirePathCache,
  session: CiliumPeerSession,
  key: string,
  split: NonNullable<InstanceAdvertisementParts['split']>,
): readonly CiliumWirePath[] {
  const { common, own } = split;
  let made = common.wires.get(key) as { wires: readonly CiliumWirePath[]; keys: readonly WireKey[] } | undefined;
  if (made === undefined) {
    made = sortedWirePaths(shared, session, common.rib, common.exportPolicies);
    common.wires.set(key, made);
  }
  if (own.rib.length === 0) return made.wires;
  const mine = sortedWirePaths(shared, session, own.rib, own.exportPolicies);
  return mergeSorted(made.wires, made.keys, mine.wires, mine.keys, compareWireKeys);
}

function buildInstance(
  cluster: Cluster,
  node: CiliumNode,
  inst: NodeConfigInstance,
  lbIps: LbIpLookup,
  sourceAddress: (host: string, dst: IpAddress) => IpAddress | undefined,
  errors: string[],
  index: AdvertisementIndex,
  wireCache: WirePathCache,
  templates: SessionTemplates,
): CiliumBgpInstance | undefined {
  const nodeName = node.meta.name;
  if (inst.localASN === undefined) {
    errors.push(`${nodeName}: instance ${inst.name}: missing ASN; instance not created`);
    return undefined;
  }
  const routerId = inst.routerID ?? defaultRouterId(node);
  if (routerId === undefined) {
    errors.push(`${nodeName}: instance ${inst.name}: no IPv4 address for the router ID (cilium_host MAC derivation not modelled); instance not created`);
    return undefined;
  }
  const peers: CiliumPeerSession[] = [];
  const wireKeys: string[] = [];
  for (const t of templatesOf(cluster, templates, inst, inst.localASN)) {
    if (t === undefined) continue;
    if (t.skip !== undefined) {
      errors.push(`${nodeName}: ${t.skip}`);
      continue;
    }
    peers.push(t.make(nodeName, t.peer.localAddress ?? sourceAddress(nodeName, t.peer.peerAddress!)));
    wireKeys.push(t.wireKey);
  }
  const adv = instanceAdvertisementParts(index, node, inst);
  const split = adv.split;
  // the policy list with allow-local among the (name-sorted) export policies, what a stable sort
  // by name gives; made when first read (with the split, the RIB too): the wire paths do not
  // need them, so a router question does not copy them for every node
  let policies: readonly RoutePolicy[] | undefined;
  const policiesOf = (): readonly RoutePolicy[] => {
    const exportPolicies = adv.exportPolicies;
    const allow = allowLocalPolicy();
    let at = 0;
    while (at < exportPolicies.length && compareStrings(exportPolicies[at]!.name, allow.name) < 0) at++;
    return [...exportPolicies.slice(0, at), allow, ...exportPolicies.slice(at)];
  };
  const advertisements: CiliumPeerAdvertisement[] = peers.map((s, i) => ({
    peer: s.peer,
    peerAddress: s.peerAddress,
    paths: split !== undefined ? splitWirePaths(wireCache, s, wireKeys[i]!, split) : wirePathsWith(wireCache, s, adv.rib, adv.exportPolicies),
  }));
  return {
    node: nodeName,
    name: inst.name,
    localASN: inst.localASN,
    routerId,
    ...(inst.localPort !== undefined ? { listenPort: inst.localPort } : {}),
    peers,
    get rib(): readonly CiliumRibPath[] {
      return adv.rib;
    },
    get policies(): readonly RoutePolicy[] {
      return (policies ??= policiesOf());
    },
    advertisements,
  };
}

/**
 * Computes the whole Cilium BGP control plane of a cluster: the operator's NodeConfigs, and on
 * every node that has one, the agent's instances, sessions, RIB, policies and wire paths.
 * Nodes without a NodeConfig have no BGP at all.
 *
 * @example
 * ```ts
 * const bgp = computeCiliumBgp(cluster, { lbIps: (ns, n) => lbIpsOf(allocateLbIps(cluster), ns, n) });
 * bgp.nodes.map((n) => n.node); // ['k8s-ctr', 'k8s-w0', 'k8s-w1']
 * ```
 */
export function computeCiliumBgp(cluster: Cluster, options: CiliumBgpOptions = {}): CiliumBgpResult {
  const warnings: string[] = [];
  const enabled = cluster.config.enableBgpControlPlane;
  if (!enabled) {
    if (cluster.scenario.bgpClusterConfigs.length > 0) {
      warnings.push('enable-bgp-control-plane is false: CiliumBGPClusterConfigs are ignored');
    }
    return { enabled, nodeConfigs: [], clusterConfigs: [], nodes: [], warnings };
  }
  if (cluster.config.bgpRouterIdAllocationMode !== 'default') {
    warnings.push(`bgp-router-id-allocation-mode ${cluster.config.bgpRouterIdAllocationMode} is not modelled; router IDs follow the default mode`);
  }
  const lbIps = options.lbIps ?? ipamLbIps(cluster);
  const sourceAddress = options.sourceAddress ?? fibSourceAddress(cluster);
  const { nodeConfigs, clusterConfigs } = buildNodeConfigs(cluster);
  const index = advertisementIndex(cluster, lbIps);
  const wireCache = new WirePathCache();
  const templates: SessionTemplates = new WeakMap();
  const nodes: CiliumBgpNode[] = [];
  for (const nc of nodeConfigs) {
    const cn = clusterIndexes(cluster).ciliumNode(nc.name);
    if (cn === undefined) continue;
    const errors: string[] = [];
    const instances: CiliumBgpInstance[] = [];
    for (const inst of nc.bgpInstances) {
      const i = buildInstance(cluster, cn, inst, lbIps, sourceAddress, errors, index, wireCache, templates);
      if (i !== undefined) instances.push(i);
    }
    nodes.push({ node: nc.name, nodeConfig: nc, instances, errors });
  }
  return { enabled, nodeConfigs, clusterConfigs, nodes, warnings: [...new Set(warnings)] };
}

/**
 * The node config of a node, if any (convenience for views).
 *
 * @example
 * ```ts
 * nodeConfigOf(result, 'k8s-w1')?.owner; // 'cilium-bgp'
 * ```
 */
export function nodeConfigOf(result: CiliumBgpResult, node: string): NodeConfig | undefined {
  return result.nodeConfigs.find((n) => n.name === node);
}

/**
 * A short description of a session for messages, e.g. `k8s-w1/instance-65001/tor-switch (192.168.10.200)`.
 *
 * @example
 * ```ts
 * describeSession(session);
 * ```
 */
export function describeSession(s: CiliumPeerSession): string {
  return `${s.node}/${s.instance}/${s.peer} (${formatIp(s.peerAddress)})`;
}
