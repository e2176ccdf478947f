/**
 * The BGP network stage: FRR routers from the Hosts' `frr:` texts, sessions with every Cilium
 * instance and each other, propagation to a fixed point, and what zebra installs.
 *
 * Staging: the caller builds the base routing tables (no BGP), passes their lookups here, then
 * adds {@link BgpNetworkResult.installed} to get the final tables.
 *
 * Complexity: sessions and propagation as their modules say; the router states list each prefix's
 * advertised-to peers once per distinct combination of shared outbound lists and count each
 * session's received and sent paths once per shared list, so the whole stage is O(paths log
 * paths) for one router with thousands of peers in one update group.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { KernelRoute } from '../../fib/types.js';
import type { Host, IpAddress, IpPrefix } from '../../input/types.js';
import { compareIp, comparePrefix, formatPrefix, isIPv4Prefix, prefix4Of } from '../../net/addr.js';
import { SESSION_UPTIME_SECONDS } from '../frr/defaults.js';
import { parseFrrConfig } from '../frr/parse.js';
import { effectiveSettings } from '../frr/policy.js';
import { selectedPath } from '../frr/bestpath.js';
import { frrSpeaker, localPaths } from '../frr/speaker.js';
import type { FrrConfig } from '../frr/types.js';
import type { BgpNeighborConfig, BgpPath, BgpSpeaker } from '../speaker.js';
import { LazyValues, linkKey, propagate, type PropagationOptions, type PropagationResult, type RouterInput, type RouterTables } from './propagate.js';
import { establishSessions, type NeighborOutcome, type SessionEnd, type SessionsResult, type SpeakerEntry } from './sessions.js';
import { TupleMap } from '../../net/keys.js';
import type {
  BgpNetworkResult,
  BgpPeerStatus,
  BgpTables,
  CiliumPeerCounters,
  FrrRouterState,
  LocRibEntry,
} from './types.js';
import { zebraInstall } from './zebra.js';
import { compareStrings } from '../../net/compare.js';

/**
 * Number of nodes FRR's route table holds for a set of prefixes: one per prefix plus one per
 * branch point that is not itself a prefix (what `show ip bgp summary` calls `RIB entries`).
 *
 * @example
 * ```ts
 * routeTableNodes(['172.20.0.0/24', '172.20.1.0/24'].map((c) => IPv4CidrRange.fromCidr(c))); // 3
 * ```
 */
export function routeTableNodes(prefixes: readonly IpPrefix[]): number {
  const keys = [...new Map(prefixes.filter(isIPv4Prefix).map((p) => [formatPrefix(p), p])).values()].map((p) => prefix4Of(p));
  return trieNodeCount(keys, (v, i) => (v >>> (31 - i)) & 1);
}

/**
 * Nodes of a binary trie holding `keys` (address bits read by `bit`): one per key plus one per
 * branch point that is not itself a key. Shared by both families' {@link routeTableNodes}.
 *
 * @example
 * ```ts
 * import { trieNodeCount } from 'cilium-twin/bgp';
 * trieNodeCount([{ addr: 0, len: 24 }, { addr: 256, len: 24 }], (v, i) => (v >>> (31 - i)) & 1); // 3
 * ```
 */
export function trieNodeCount<A>(keys: readonly { readonly addr: A; readonly len: number }[], bit: (addr: A, i: number) => number): number {
  const count = (set: readonly { readonly addr: A; readonly len: number }[]): number => {
    if (set.length === 0) return 0;
    if (set.length === 1) return 1;
    const minLen = Math.min(...set.map((k) => k.len));
    let common = 0;
    const first = set[0]!.addr;
    while (common < minLen && set.every((k) => bit(k.addr, common) === bit(first, common))) common++;
    const here = set.filter((k) => k.len === common);
    const rest = set.filter((k) => k.len !== common);
    const left = rest.filter((k) => bit(k.addr, common) === 0);
    const right = rest.filter((k) => bit(k.addr, common) === 1);
    // A node exists at the common prefix: the prefix itself, or a branch (glue) node.
    if (here.length === 0 && (left.length === 0 || right.length === 0)) return count(rest);
    return 1 + count(left) + count(right);
  };
  return count(keys);
}

/**
 * Messages exchanged on an Established session (the model has no clock; documented formula):
 * OPEN + first KEEPALIVE + one UPDATE per path + End-of-RIB + one KEEPALIVE per keepalive
 * interval over the fixed uptime. The lab's 76/79 follow from it.
 */
function messages(established: boolean, paths: readonly BgpPath[], senderKeepalive: number): number {
  if (!established) return 0;
  return 3 + paths.length + (senderKeepalive > 0 ? Math.floor(SESSION_UPTIME_SECONDS / senderKeepalive) : 0);
}

function hasOwnAsLoop(p: BgpPath, asn: number): boolean {
  return p.asPath.includes(asn);
}

function familyOf(p: BgpPath): string {
  return isIPv4Prefix(p.prefix) ? 'ipv4-unicast' : 'ipv6-unicast';
}

/**
 * An FRR router read from its Host: configuration, parse errors, speaker.
 *
 * @example
 * frrRouters(cluster)[0]?.config.bgp?.asn; // 65000
 */
export interface RouterBuild {
  /** The Host. */
  readonly host: Host;
  /** Parsed configuration. */
  readonly config: FrrConfig;
  /** Errors of the parse (lines left out). */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
  /** The router as a speaker (undefined without `router bgp`). */
  readonly speaker?: BgpSpeaker;
}

/**
 * Parses every Host's `frr:` text (hosts sorted by name).
 *
 * @example
 * frrRouters(cluster).map((r) => r.host.meta.name); // ['router']
 */
export function frrRouters(cluster: Cluster): readonly RouterBuild[] {
  return [...cluster.hosts]
    .filter((h) => h.frr !== undefined)
    .sort((a, b) => compareStrings(a.meta.name, b.meta.name))
    .map((host) => {
      const { config, errors } = parseFrrConfig(host.frr ?? '');
      const speaker = frrSpeaker(host, config);
      return { host, config, errors, ...(speaker ? { speaker } : {}) };
    });
}

function speakerOrder(a: BgpSpeaker, b: BgpSpeaker): number {
  return compareStrings(a.host, b.host) || compareStrings(a.kind, b.kind) || compareStrings(a.instance, b.instance);
}

/**
 * Runs the BGP network: sessions between every pair of configured speakers, propagation to a
 * fixed point, each FRR router's RIBs and zebra's installed routes, the counters of
 * `cilium bgp peers`. `options` choose how propagation rounds visit routers (synchronous by
 * default).
 *
 * Phases (named functions of this module): `frrWarnings`, `speakerEntries`,
 * `establishSessions`, `routerInputs`, `propagate`, `notEstablishedWarnings`, `zebraOf` (what
 * zebra installs); on first read of `peers`/`ciliumPeers`/`routers` (getters of the result, each
 * computed once): `peerStatuses` (per speaker `peerStatus` and `ciliumPeerRows`), `routerStates`
 * (per router `routerState`, `advertisedToIndex`). Routes and traces read only `installed`.
 *
 * @example
 * ```ts
 * import { runBgpNetwork, ciliumSpeakers } from 'cilium-twin/bgp';
 * import type { BgpTables } from 'cilium-twin/bgp';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * declare const tables: BgpTables;
 * const bgp = runBgpNetwork(cluster, ciliumSpeakers(cluster), tables);
 * bgp.installed.get('router')?.map((r) => r.dst.toString());
 * ```
 */
export function runBgpNetwork(
  cluster: Cluster,
  ciliumSpeakers: readonly BgpSpeaker[],
  tables: BgpTables,
  options: PropagationOptions = {},
): BgpNetworkResult {
  const routerBuilds = frrRouters(cluster);
  const warnings = frrWarnings(routerBuilds);
  const { all, entries, frrByHost } = speakerEntries(routerBuilds, ciliumSpeakers);
  const { sessions, outcomes } = establishSessions(entries, cluster.hosts, tables);
  const prop = propagate(routerInputs(entries, frrByHost), sessions, tables, options);
  if (!prop.converged) warnings.push(`BGP propagation did not converge within ${prop.rounds} rounds`);
  notEstablishedWarnings(entries, outcomes, warnings);
  // What zebra installs now (routes and traces need it); the peer statuses and router states
  // (summary, neighbor and RIB views) when first read.
  const zebra = zebraOf(routerBuilds, entries, prop, tables);
  let statuses: ReturnType<typeof peerStatuses> | undefined;
  let states: Map<string, FrrRouterState> | undefined;
  const statusesOf = (): ReturnType<typeof peerStatuses> => (statuses ??= peerStatuses(entries, outcomes, prop));
  return {
    speakers: all,
    get peers() {
      return statusesOf().peers;
    },
    get routers() {
      return (states ??= routerStates(routerBuilds, entries, prop, statusesOf().peersBySpeaker, zebra));
    },
    installed: zebra.installed,
    get ciliumPeers() {
      return statusesOf().ciliumPeers;
    },
    converged: prop.converged,
    rounds: prop.rounds,
    warnings,
  };
}

/**
 * Phase: a warning per neighbour that is not Established, per speaker in neighbour address order
 * (what the peer statuses list, without building them).
 */
function notEstablishedWarnings(entries: readonly SpeakerEntry[], outcomes: SessionsResult['outcomes'], warnings: string[]): void {
  for (let si = 0; si < entries.length; si++) {
    const sp = entries[si]!.speaker;
    const down: number[] = [];
    sp.neighbors.forEach((_n, ni) => {
      if (outcomes[si]![ni]!.state !== 'Established') down.push(ni);
    });
    down.sort((a, b) => compareIp(sp.neighbors[a]!.address, sp.neighbors[b]!.address));
    for (const ni of down) {
      const o = outcomes[si]![ni]!;
      warnings.push(`${sp.host}${sp.kind === 'cilium' ? `/${sp.instance}` : ''}: BGP neighbor ${sp.neighbors[ni]!.address.toString()} is ${o.state}${o.reason !== undefined ? ` (${o.reason})` : ''}`);
    }
  }
}

/** Phase: zebra's decision on every FRR router with propagation tables (by host), and the installed routes of every router. */
function zebraOf(
  routerBuilds: readonly RouterBuild[],
  entries: readonly SpeakerEntry[],
  prop: PropagationResult,
  tables: BgpTables,
): { byHost: Map<string, ReturnType<typeof zebraInstall>>; installed: Map<string, readonly KernelRoute[]> } {
  const byHost = new Map<string, ReturnType<typeof zebraInstall>>();
  const installed = new Map<string, readonly KernelRoute[]>();
  for (const rb of routerBuilds) {
    const si = frrIndexOf(entries, rb);
    const rt = si >= 0 ? prop.routers.get(si) : undefined;
    if (rt !== undefined) {
      const z = zebraInstall(rb.host, rb.config, rt.locRib, tables);
      byHost.set(rb.host.meta.name, z);
      installed.set(rb.host.meta.name, z.routes);
    } else installed.set(rb.host.meta.name, []);
  }
  return { byHost, installed };
}

function frrIndexOf(entries: readonly SpeakerEntry[], rb: RouterBuild): number {
  return entries.findIndex((e) => e.speaker.kind === 'frr' && e.speaker.host === rb.host.meta.name);
}

/** Phase: the warnings of the FRR configurations (lines left out, no `router bgp`). */
function frrWarnings(routerBuilds: readonly RouterBuild[]): string[] {
  const warnings: string[] = [];
  for (const r of routerBuilds) {
    for (const e of r.errors) warnings.push(`${r.host.meta.name}: frr line ${e.line}: ${e.message}`);
    if (!r.config.bgp) warnings.push(`${r.host.meta.name}: frr configuration has no router bgp`);
  }
  return warnings;
}

/**
 * Phase: every speaker (FRR routers and Cilium instances) in speaker order, each with what the
 * session stage needs (an FRR router's hostname and per-neighbour shutdown/connected-check).
 */
function speakerEntries(
  routerBuilds: readonly RouterBuild[],
  ciliumSpeakers: readonly BgpSpeaker[],
): { all: BgpSpeaker[]; entries: SpeakerEntry[]; frrByHost: ReadonlyMap<string, RouterBuild> } {
  const frrByHost = new Map(routerBuilds.map((r) => [r.host.meta.name, r]));
  const all: BgpSpeaker[] = [...routerBuilds.flatMap((r) => (r.speaker ? [r.speaker] : [])), ...ciliumSpeakers].sort(speakerOrder);
  const entries: SpeakerEntry[] = all.map((speaker) => {
    const rb = speaker.kind === 'frr' ? frrByHost.get(speaker.host) : undefined;
    const bgp = rb?.config.bgp;
    if (!rb || !bgp) return { speaker };
    return {
      speaker,
      hostname: rb.config.hostname ?? rb.host.meta.name,
      extras: (_n, i) => {
        const fn = bgp.neighbors[i];
        const s = fn ? effectiveSettings(bgp, fn) : {};
        return { shutdown: s.shutdown ?? false, disableConnectedCheck: s.disableConnectedCheck ?? false };
      },
    };
  });
  return { all, entries, frrByHost };
}

/** Phase: the propagation inputs of the FRR routers with `router bgp` (their local paths). */
function routerInputs(entries: readonly SpeakerEntry[], frrByHost: ReadonlyMap<string, RouterBuild>): RouterInput[] {
  const out: RouterInput[] = [];
  for (let si = 0; si < entries.length; si++) {
    const sp = entries[si]!.speaker;
    if (sp.kind !== 'frr') continue;
    const rb = frrByHost.get(sp.host);
    if (!rb?.config.bgp) continue;
    out.push({ speakerIndex: si, host: rb.host, config: rb.config, bgp: rb.config.bgp, local: localPaths(rb.host, rb.config) });
  }
  return out;
}

/** Counts paths of a list per (family, AS whose loops are left out), each combination once per list. */
type PathCounter = (ps: readonly BgpPath[], family: string, loopAs?: number) => number;

/**
 * Many sessions receive the very same list (a router's update group): counts per (list, family,
 * loop AS) are computed once. Keys: the list object, then the (family, AS) tuple.
 */
function pathCounter(): PathCounter {
  const counts = new WeakMap<readonly BgpPath[], TupleMap<readonly [string, number | undefined], number>>();
  return (ps, fam, loopAs) => {
    let m = counts.get(ps);
    if (m === undefined) counts.set(ps, (m = new TupleMap()));
    return m.getOrSet([fam, loopAs], () =>
      ps.filter((p) => (fam === '' || familyOf(p) === fam) && (loopAs === undefined || !hasOwnAsLoop(p, loopAs))).length,
    );
  };
}

/** v6walk: `PfxRcd`/`PfxSnt` per family of one neighbour (FRR: accepted paths; GoBGP: not own-AS looped). */
function familyCounts(v: NeighborView, ni: number, rt: RouterTables | undefined, countOf: PathCounter): Record<string, { accepted: number; sent: number }> {
  const out: Record<string, { accepted: number; sent: number }> = {};
  const byFam = rt?.acceptedByFamily?.get(ni);
  for (const fam of v.n.families) {
    const accepted = v.sp.kind === 'frr' ? (byFam?.get(fam) ?? 0) : countOf(v.rcv, fam, v.sp.asn);
    out[fam] = { accepted, sent: countOf(v.snt, fam) };
  }
  return out;
}

/** What one neighbour of one speaker saw: its outcome, its session ends, its paths. */
interface NeighborView {
  readonly entries: readonly SpeakerEntry[];
  readonly sp: BgpSpeaker;
  readonly n: BgpNeighborConfig;
  readonly o: NeighborOutcome;
  readonly established: boolean;
  readonly self: SessionEnd | undefined;
  readonly other: SessionEnd | undefined;
  /** Received paths (empty unless Established). */
  readonly rcv: readonly BgpPath[];
  /** Sent paths (empty unless Established). */
  readonly snt: readonly BgpPath[];
  /** GoBGP counts End-of-RIB markers only once graceful restart is negotiated (both ends). */
  readonly gr: boolean;
}

/** Per neighbour: the `show bgp summary`/`cilium bgp peers` status row. */
function peerStatus(v: NeighborView, ni: number, rt: RouterTables | undefined, countOf: PathCounter): BgpPeerStatus {
  const { sp, n, o, established, self, other, rcv, snt, gr } = v;
  const accepted = sp.kind === 'frr' ? (rt?.accepted.get(ni) ?? 0) : countOf(rcv, '', sp.asn);
  const families = established ? o.session!.families : [];
  const pm = rt?.policyMissing.get(ni);
  const remoteEntry = other ? v.entries[other.speakerIndex] : undefined;
  return {
    host: sp.host,
    kind: sp.kind,
    instance: sp.instance,
    localAs: sp.asn,
    neighbor: n,
    state: o.state,
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
    ...(o.remoteAs !== undefined ? { remoteAs: o.remoteAs } : typeof n.remoteAs === 'number' ? { remoteAs: n.remoteAs } : {}),
    ...(o.session ? { type: o.session.type } : typeof n.remoteAs === 'number' ? { type: n.remoteAs === sp.asn ? ('internal' as const) : ('external' as const) } : {}),
    ...(self ? { localAddress: self.localAddress } : {}),
    ...(other
      ? {
          remote: {
            host: other.speaker.host,
            instance: other.speaker.instance,
            kind: other.speaker.kind,
            routerId: other.speaker.routerId,
            ...(remoteEntry?.hostname !== undefined ? { hostname: remoteEntry.hostname } : {}),
          },
        }
      : {}),
    holdTime: established ? o.session!.holdTime : n.holdTime,
    keepalive: self ? self.keepalive : n.keepalive,
    ...(established ? { uptimeSeconds: SESSION_UPTIME_SECONDS } : {}),
    families,
    received: rcv.length,
    accepted: established ? accepted : 0,
    sent: snt.length,
    ...(established ? { byFamily: familyCounts(v, ni, rt, countOf) } : {}),
    advertised: snt.length + (gr ? n.families.length : 0),
    inboundPolicyMissing: established && (pm?.inbound ?? false),
    outboundPolicyMissing: established && (pm?.outbound ?? false),
    messagesReceived: messages(established, rcv, other?.keepalive ?? 0),
    messagesSent: messages(established, snt, self?.keepalive ?? 0),
  };
}

/** Per Cilium neighbour: one `cilium bgp peers` row per address family. */
function ciliumPeerRows(v: NeighborView, status: BgpPeerStatus, countOf: PathCounter): CiliumPeerCounters[] {
  const { sp, n, o, established, rcv, snt, gr } = v;
  return n.families.map((fam) => {
    const [afi, safi] = fam.split('-');
    return {
      node: sp.host,
      instance: sp.instance,
      peer: n.label,
      peerAddress: n.address,
      localAs: sp.asn,
      peerAs: typeof n.remoteAs === 'number' ? n.remoteAs : (o.remoteAs ?? 0),
      state: established ? 'established' : o.state === 'Idle (Admin)' ? 'idle' : 'active',
      uptimeSeconds: established ? SESSION_UPTIME_SECONDS : 0,
      family: `${afi ?? fam}/${safi ?? ''}`,
      received: countOf(rcv, fam),
      accepted: countOf(rcv, fam, sp.asn),
      advertised: countOf(snt, fam) + (gr ? 1 : 0),
      holdTime: status.holdTime,
      keepalive: status.keepalive,
    };
  });
}

/**
 * Phase: every speaker's peer statuses (sorted by neighbour address) and the Cilium per-family
 * counters (built when a view first reads them).
 */
function peerStatuses(
  entries: readonly SpeakerEntry[],
  outcomes: SessionsResult['outcomes'],
  prop: PropagationResult,
): { peers: BgpPeerStatus[]; peersBySpeaker: Map<number, BgpPeerStatus[]>; ciliumPeers: CiliumPeerCounters[] } {
  const countOf = pathCounter();
  const peers: BgpPeerStatus[] = [];
  const peersBySpeaker = new Map<number, BgpPeerStatus[]>();
  const ciliumPeers: CiliumPeerCounters[] = [];
  for (let si = 0; si < entries.length; si++) {
    const sp = entries[si]!.speaker;
    const rt = prop.routers.get(si);
    const list: BgpPeerStatus[] = [];
    sp.neighbors.forEach((n, ni) => {
      const o = outcomes[si]![ni]!;
      const established = o.state === 'Established' && o.session !== undefined;
      const self = established ? (o.side === 'a' ? o.session!.a : o.session!.b) : undefined;
      const other = established ? (o.side === 'a' ? o.session!.b : o.session!.a) : undefined;
      const v: NeighborView = {
        entries,
        sp,
        n,
        o,
        established,
        self,
        other,
        rcv: established ? (prop.received.get(linkKey(si, ni)) ?? []) : [],
        snt: established ? (prop.sent.get(linkKey(si, ni)) ?? []) : [],
        gr: established && n.gracefulRestart === true && other?.neighbor.gracefulRestart === true,
      };
      const status = peerStatus(v, ni, rt, countOf);
      list.push(status);
      if (sp.kind === 'cilium') ciliumPeers.push(...ciliumPeerRows(v, status, countOf));
    });
    list.sort((a, b) => compareIp(a.neighbor.address, b.neighbor.address));
    peersBySpeaker.set(si, list);
    peers.push(...list);
  }
  return { peers, peersBySpeaker, ciliumPeers };
}

/**
 * Who each prefix was sent to. Neighbours of one update group share one sent list, so the
 * prefixes of each distinct list are read once and a prefix's neighbour list is built once per
 * distinct combination of lists (O(neighbours + distinct lists × prefixes)). Keys: the list
 * objects, the prefix (formatted, one per route-table entry), the combination of list indices.
 */
function advertisedToIndex(rt: RouterTables, addrOf: (ni: number) => IpAddress): (prefixKey: string) => readonly IpAddress[] {
  const groupsByList = new Map<readonly BgpPath[], number[]>();
  for (const [ni, ps] of rt.adjRibOut) {
    const g = groupsByList.get(ps);
    if (g === undefined) groupsByList.set(ps, [ni]);
    else g.push(ni);
  }
  const groupList = [...groupsByList.entries()];
  const listsOf = new Map<string, number[]>();
  groupList.forEach(([ps], gi) => {
    for (const p of ps) {
      const k = formatPrefix(p.prefix);
      const l = listsOf.get(k);
      if (l === undefined) listsOf.set(k, [gi]);
      else if (l[l.length - 1] !== gi) l.push(gi);
    }
  });
  const advertisedBy = new TupleMap<readonly number[], readonly IpAddress[]>();
  return (k) => {
    const gs = listsOf.get(k);
    if (gs === undefined) return [];
    return advertisedBy.getOrSet(gs, () => gs.flatMap((gi) => groupList[gi]![1].map(addrOf)).sort(compareIp));
  };
}

/** Table versions: local prefixes first, then by network address, then prefix order (FRR's walk). */
function locRibVersions(rt: RouterTables): Map<string, number> {
  // local paths come first in a selection's list (a peer group's selection has none)
  const hasLocal = (k: string): boolean => {
    const sel = rt.locRib.get(k)!;
    return sel.pathAt === undefined && sel.paths.some((c) => c.source.kind === 'local');
  };
  const prefixOf = (k: string): IpPrefix => selectedPath(rt.locRib.get(k)!, 0).path.prefix;
  const ordered = [...rt.locRib.keys()].sort((a, b) => {
    const la = hasLocal(a) ? 0 : 1;
    const lb = hasLocal(b) ? 0 : 1;
    if (la !== lb) return la - lb;
    const pa = prefixOf(a);
    const pb = prefixOf(b);
    const d = Number(pa.getPrefix().getValue()) - Number(pb.getPrefix().getValue());
    return d !== 0 ? d : comparePrefix(pa, pb);
  });
  return new Map(ordered.map((k, i) => [k, i + 1]));
}

/** Per router: its RIBs with versions and advertised-to lists, and what zebra installs. */
function routerState(rb: RouterBuild, sp: BgpSpeaker, rt: RouterTables, peers: readonly BgpPeerStatus[], z: ReturnType<typeof zebraInstall>): FrrRouterState {
  const keys = [...rt.locRib.keys()];
  const versionOf = locRibVersions(rt);
  const addrOf = (ni: number): IpAddress => sp.neighbors[ni]!.address;
  const advertisedToOf = advertisedToIndex(rt, addrOf);
  const locRib: LocRibEntry[] = keys.map((k) => {
    const sel = rt.locRib.get(k)!;
    return {
      prefix: selectedPath(sel, 0).path.prefix,
      // a peer group's paths are made when a view reads them
      get paths() {
        return sel.paths;
      },
      ...(sel.best !== undefined ? { best: sel.best } : {}),
      reason: sel.reason,
      multipath: sel.multipath,
      dmedSelected: sel.dmedSelected,
      version: versionOf.get(k)!,
      advertisedTo: advertisedToOf(k),
      installed: z.installedBgp.has(k),
    };
  });
  locRib.sort((a, b) => comparePrefix(a.prefix, b.prefix));
  // (the received lists made only when read: a peer group's members share its paths until then)
  const byAddr = <T>(m: ReadonlyMap<number, T>): ReadonlyMap<string, T> =>
    new LazyValues(new Map([...m.keys()].map((ni) => [addrOf(ni).toString(), ni])), (ni: number) => m.get(ni)!);
  return {
    host: rb.host.meta.name,
    config: rb.config,
    speaker: sp,
    peers,
    adjRibIn: byAddr(rt.adjRibIn),
    locRib,
    adjRibOut: byAddr(rt.adjRibOut),
    tableVersion: keys.length,
    ribNodes: routeTableNodes(locRib.map((e) => e.prefix)),
    installed: z.routes,
  };
}

/** A router without `router bgp` (or without a propagation result): empty RIBs, nothing installed. */
function idleRouterState(rb: RouterBuild, peers: readonly BgpPeerStatus[]): FrrRouterState {
  return {
    host: rb.host.meta.name,
    config: rb.config,
    ...(rb.speaker ? { speaker: rb.speaker } : {}),
    peers,
    adjRibIn: new Map(),
    locRib: [],
    adjRibOut: new Map(),
    tableVersion: 0,
    ribNodes: 0,
    installed: [],
  };
}

/** Phase: every FRR router's state (RIBs with versions and advertised-to lists), by host name. */
function routerStates(
  routerBuilds: readonly RouterBuild[],
  entries: readonly SpeakerEntry[],
  prop: PropagationResult,
  peersBySpeaker: ReadonlyMap<number, BgpPeerStatus[]>,
  zebra: ReturnType<typeof zebraOf>,
): Map<string, FrrRouterState> {
  const routers = new Map<string, FrrRouterState>();
  for (const rb of routerBuilds) {
    const si = frrIndexOf(entries, rb);
    const rt = si >= 0 ? prop.routers.get(si) : undefined;
    const sp = si >= 0 ? entries[si]!.speaker : undefined;
    const peers = si >= 0 ? (peersBySpeaker.get(si) ?? []) : [];
    const z = zebra.byHost.get(rb.host.meta.name);
    const state = rt && sp && z ? routerState(rb, sp, rt, peers, z) : idleRouterState(rb, peers);
    routers.set(rb.host.meta.name, state);
  }
  return routers;
}
