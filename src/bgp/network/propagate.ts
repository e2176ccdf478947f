/**
 * Route exchange along Established sessions to a fixed point.
 *
 * Each round, every FRR router builds its Loc-RIB from its own paths and what its peers sent in
 * the previous round (after FRR's inbound rules), then computes what it sends to each peer (FRR's
 * outbound rules); Cilium instances send their fixed exports. Rounds repeat until nothing a
 * speaker receives changes. Evaluation is synchronous (every router reads the previous round), so
 * the result does not depend on the order in which routers are visited.
 *
 * Inbound (FRR): the families negotiated on the session (IPv4 and IPv6 unicast); `bgp ebgp-requires-policy` without an inbound policy filters
 * everything from an eBGP peer; own AS in the AS path (beyond `allowas-in`); `enforce-first-as`;
 * a martian or own next hop; LOCAL_PREF from an eBGP peer ignored; prefix-list then route-map
 * `in`. A path whose next hop is not on a connected subnet (single-hop eBGP) or not reachable
 * (others) is kept but not valid.
 *
 * Outbound (FRR): the best path only; not iBGP-learned to iBGP peers; back to the peer it came
 * from unless that peer is alone in its update group (same peer type and outbound policy) or
 * `solo`; `sender-as-path-loop-detection`; NO_ADVERTISE, NO_EXPORT (eBGP), LOCAL_AS (eBGP);
 * `ebgp-requires-policy` without an outbound policy sends nothing to an eBGP peer; prefix-list
 * `out`; MED dropped towards eBGP unless locally originated; LOCAL_PREF only to iBGP; next hop:
 * self for local paths and `next-hop-self`, kept towards eBGP when it shares a connected subnet
 * with the peer's address (third-party), else self; kept towards iBGP; route-map `out`; own AS
 * prepended towards eBGP.
 *
 * Peer groups (issue 10): a Cilium speaker's exports travel as they are (a shared array, its
 * path objects shared by every node that sends the same path) with the next hop to fill; the
 * per-session copies are made only when a view reads a session's list. A router puts the peers
 * that sent such exports in inbound classes (same treatment of a path up to the next hop: session
 * type and families, peer AS, allowas-in, enforce-first-as, prefix-list in, policy requirement,
 * single-hop check; no route-map in, no own or unspecified next hop), and the peers of a class
 * that hold the same shared paths (the same objects, in order, with their own paths between
 * them) in one group (a peer that lacks a few of them, such as a Local-policy service only the
 * group's first peers advertise, cuts the shared list down: at most 4 times per group, each
 * keeping at least half). The shared paths go through inbound once per group; a prefix whose only
 * candidates are one group's path gets its selection from the group's ranking (`peer-groups.ts`:
 * router ID, peer address, in O(k) for `maximum-paths k`) and its per-peer candidates only when
 * a view reads them. Everything else (own paths, several groups or other candidates for the
 * prefix, deterministic-med, route-maps in, FRR neighbours) takes the path-by-path computation,
 * with candidates in the same order as without groups. A property (1,000 runs) checks that
 * grouped and path-by-path propagation agree on everything.
 *
 * Complexity, for R routers with P peers each and N prefixes: a round computes each router in
 * O(paths received + N·(c log c)) for best paths over c candidates (the multipath set from a heap:
 * O(c + k log c) for `maximum-paths k`), then its outbound lists once per distinct outbound
 * signature (update group, local address, subnets holding the peer, session type), so P peers in
 * one update group cost one O(N) list, shared. With peer groups, the received paths cost
 * O(Σ|exports|) identity comparisons (no object per path; O(P) when nodes share one export
 * array) plus O(own paths) candidates, and a prefix held by one group O(k) instead of O(P): for
 * 5,000 Cilium peers sending 1,000 shared LoadBalancer paths, no per-(peer, prefix) object.
 * A router whose received lists are the same arrays as last round reuses its tables, so a star
 * of Cilium nodes around one router (1 router, 5,000 peers, `maximum-paths 16`) converges in two
 * cheap rounds: near O(paths) overall.
 *
 * @module
 */
import type { Host, IpAddress } from '../../input/types.js';
import { type IpPrefix, compareIp, comparePrefix, formatIp, formatPrefix, ipFromValue, isIPv4, isIPv4Prefix, isUnspecified, prefixContains, sameIp } from '../../net/addr.js';
import { selectBestPath, selectedPath, type BestPathSelection, type Candidate, type DecisionOptions } from '../frr/bestpath.js';
import { rankGroup, selectForGroup, type GroupMember, type GroupPath, type GroupRanking } from './peer-groups.js';
import {
  applyRouteMap,
  effectiveSettings,
  hasInboundPolicy,
  hasOutboundPolicy,
  keepsNextHop,
  prefixListPermits,
} from '../frr/policy.js';
import type { LocalPath } from '../frr/speaker.js';
import type { FrrBgpRouter, FrrConfig, FrrNeighborSettings } from '../frr/types.js';
import type { BgpPath } from '../speaker.js';
import type { BgpSession, SessionEnd } from './sessions.js';
import type { BgpTables } from './types.js';

/**
 * An FRR router as the propagation sees it.
 *
 * @example
 * const r: RouterInput = { speakerIndex: 0, host, config, bgp, local: localPaths(host, config) };
 */
export interface RouterInput {
  /** Index of its speaker among the session entries. */
  readonly speakerIndex: number;
  /** Its host. */
  readonly host: Host;
  /** Its configuration. */
  readonly config: FrrConfig;
  /** Its `router bgp`. */
  readonly bgp: FrrBgpRouter;
  /** Paths it originates. */
  readonly local: readonly LocalPath[];
}

/**
 * One router's tables after propagation.
 *
 * @example
 * out.locRib.get('172.16.1.1/32')?.multipath.length; // 3
 */
export interface RouterTables {
  /** Loc-RIB selections by prefix key. */
  readonly locRib: ReadonlyMap<string, BestPathSelection>;
  /** Received paths per neighbour index (wire form). */
  readonly adjRibIn: ReadonlyMap<number, readonly BgpPath[]>;
  /** Paths sent per neighbour index. */
  readonly adjRibOut: ReadonlyMap<number, readonly BgpPath[]>;
  /** Valid paths accepted per neighbour index (FRR `PfxRcd`). */
  readonly accepted: ReadonlyMap<number, number>;
  /** v6walk: valid paths accepted per neighbour index and family (`ipv4-unicast`, `ipv6-unicast`): the per-family `PfxRcd`. */
  readonly acceptedByFamily?: ReadonlyMap<number, ReadonlyMap<string, number>>;
  /** Neighbour indices blocked by `ebgp-requires-policy` inbound / outbound. */
  readonly policyMissing: ReadonlyMap<number, { readonly inbound: boolean; readonly outbound: boolean }>;
}

/**
 * One end of a session as a number: (speaker index, neighbour index), a value key for maps.
 *
 * @example
 * ```ts
 * import { linkKey } from 'cilium-twin/bgp';
 * const k: number = linkKey(2, 0);
 * ```
 */
export type LinkKey = number & { readonly __link: unique symbol };

const NEIGHBOR_SPACE = 2 ** 21;

/**
 * The {@link LinkKey} of a speaker's neighbour (both indices from 0; neighbours per speaker below 2^21).
 *
 * @example
 * ```ts
 * import { linkKey } from 'cilium-twin/bgp';
 * linkKey(1, 3) === linkKey(1, 3); // true
 * ```
 */
export function linkKey(speakerIndex: number, neighborIndex: number): LinkKey {
  if (neighborIndex >= NEIGHBOR_SPACE) throw new RangeError(`neighbour index ${neighborIndex} out of range`);
  return (speakerIndex * NEIGHBOR_SPACE + neighborIndex) as LinkKey;
}

/**
 * The propagation result.
 *
 * @example
 * ```ts
 * import type { PropagationResult } from 'cilium-twin/bgp';
 * declare const result: PropagationResult;
 * result.converged; // true
 * ```
 */
export interface PropagationResult {
  /** Per FRR speaker index. */
  readonly routers: ReadonlyMap<number, RouterTables>;
  /** What each speaker received on each neighbour, by {@link linkKey}. */
  readonly received: ReadonlyMap<LinkKey, readonly BgpPath[]>;
  /** What each speaker sent on each neighbour, by {@link linkKey}. */
  readonly sent: ReadonlyMap<LinkKey, readonly BgpPath[]>;
  /** True when a fixed point was reached. */
  readonly converged: boolean;
  /** Rounds run. */
  readonly rounds: number;
}

/** The maximum number of propagation rounds. */
export const MAX_ROUNDS = 64;

/**
 * A text key of a path's attributes (for fixed-point comparison and UPDATE packing).
 *
 * @example
 * pathKey(path); // '172.20.0.0/24|igp|65001|192.168.10.100|||||'
 */
export function pathKey(p: BgpPath): string {
  return [
    formatPrefix(p.prefix),
    p.origin,
    p.asPath.join(' '),
    formatIp(p.nextHop),
    p.med ?? '',
    p.localPref ?? '',
    p.communities.join(' '),
    p.largeCommunities.join(' '),
  ].join('|');
}

function withoutLocalPref(p: BgpPath): BgpPath {
  if (p.localPref === undefined) return p;
  const { localPref: _drop, ...rest } = p;
  void _drop;
  return rest;
}

function withoutMed(p: BgpPath): BgpPath {
  if (p.med === undefined) return p;
  const { med: _drop, ...rest } = p;
  void _drop;
  return rest;
}

function decisionOptions(bgp: FrrBgpRouter): DecisionOptions {
  return {
    defaultLocalPref: bgp.defaultLocalPref,
    alwaysCompareMed: bgp.alwaysCompareMed,
    medMissingAsWorst: bgp.medMissingAsWorst,
    asPathIgnore: bgp.asPathIgnore,
    multipathRelax: bgp.multipathRelax,
    deterministicMed: bgp.deterministicMed,
    maximumPaths: bgp.maximumPaths,
    maximumPathsIbgp: bgp.maximumPathsIbgp,
  };
}

interface Link {
  readonly session: BgpSession;
  readonly self: SessionEnd;
  readonly peer: SessionEnd;
}

function linksOf(sessions: readonly BgpSession[], speakerIndex: number): Link[] {
  const out: Link[] = [];
  for (const s of sessions) {
    if (s.a.speakerIndex === speakerIndex) out.push({ session: s, self: s.a, peer: s.b });
    if (s.b.speakerIndex === speakerIndex) out.push({ session: s, self: s.b, peer: s.a });
  }
  return out.sort((x, y) => x.self.neighborIndex - y.self.neighborIndex);
}

/**
 * ipv6 (issue 18): the next hop a router writes for itself: its session address when of the
 * prefix's family; an IPv6 prefix over an IPv4 session gets the IPv4-mapped form
 * (`::ffff:a.b.c.d`, as FRR writes it without extended next hop); an IPv4 prefix over an IPv6
 * session keeps the IPv6 address (RFC 8950 extended next hop).
 */
function selfNextHop(local: IpAddress, prefix: BgpPath['prefix']): IpAddress {
  if (!isIPv4(local) && isIPv4Prefix(prefix)) return local;
  if (isIPv4(local) && !isIPv4Prefix(prefix)) return ipFromValue(6, 0xffff00000000n | local.value);
  return local;
}

function familyOfPrefix(p: BgpPath): string {
  return isIPv4Prefix(p.prefix) ? 'ipv4-unicast' : 'ipv6-unicast';
}

/**
 * What a Cilium (or other non-FRR) speaker sends on a session, kept as its exports (one array
 * shared by every session of the speaker, its path objects shared by every node that sends the
 * same path) with the next hop to fill: the paths of the session's families, each unspecified
 * next hop of the session's address family replaced by the session's local address. The
 * per-session copies are made only when something reads the list ({@link sentPaths}).
 */
interface TemplatedSend {
  /** The exports as the speaker holds them. */
  readonly template: readonly BgpPath[];
  /** The sender's local address on the session. */
  readonly nextHop: IpAddress;
  /** The session's families. */
  readonly families: readonly string[];
}

/** What travels on one link in one direction: a list of paths, or a {@link TemplatedSend}. */
type Delivery = readonly BgpPath[] | TemplatedSend;

function isTemplated(d: Delivery): d is TemplatedSend {
  return !Array.isArray(d);
}

/** A path with an unspecified next hop of `nh`'s family given `nh` (what a Cilium speaker writes). */
function fillNextHop(p: BgpPath, nh: IpAddress): BgpPath {
  return isUnspecified(p.nextHop) && isIPv4(p.nextHop) === isIPv4(nh) ? { ...p, nextHop: nh } : p;
}

/** The paths of a {@link TemplatedSend}, as a session carries them. */
function sentPaths(t: TemplatedSend): BgpPath[] {
  return t.template.filter((p) => t.families.includes(familyOfPrefix(p))).map((p) => fillNextHop(p, t.nextHop));
}

/** What a Cilium (or other non-FRR) speaker sends on a session: its exports, next hop to fill. */
function exportsOn(link: Link): TemplatedSend {
  return { template: link.self.neighbor.exports ?? [], nextHop: link.self.localAddress, families: link.session.families };
}

/** Each delivery's list of paths, made once per delivery (one memo per propagation). */
type PathsOf = (d: Delivery) => readonly BgpPath[];

function pathsMemo(): PathsOf {
  const made = new WeakMap<TemplatedSend, readonly BgpPath[]>();
  return (d) => {
    if (!isTemplated(d)) return d;
    let ps = made.get(d);
    if (ps === undefined) made.set(d, (ps = sentPaths(d)));
    return ps;
  };
}

/**
 * A read-only map whose values are made from a source map's values when read (per key, through
 * `make`, which memoises): the received and sent lists of every session, which only views of
 * single sessions read.
 *
 * @example
 * ```ts
 * import { LazyValues } from 'cilium-twin/bgp';
 * new LazyValues(new Map([[1, 'a']]), (s: string) => s.length).get(1); // 1
 * ```
 */
export class LazyValues<K, D, V> implements ReadonlyMap<K, V> {
  readonly #source: ReadonlyMap<K, D>;
  readonly #make: (d: D) => V;
  constructor(source: ReadonlyMap<K, D>, make: (d: D) => V) {
    this.#source = source;
    this.#make = make;
  }
  get size(): number {
    return this.#source.size;
  }
  get(k: K): V | undefined {
    const d = this.#source.get(k);
    return d === undefined && !this.#source.has(k) ? undefined : this.#make(d as D);
  }
  has(k: K): boolean {
    return this.#source.has(k);
  }
  forEach(fn: (v: V, k: K, m: ReadonlyMap<K, V>) => void): void {
    for (const [k, d] of this.#source) fn(this.#make(d), k, this);
  }
  *entries(): IterableIterator<[K, V]> {
    for (const [k, d] of this.#source) yield [k, this.#make(d)];
  }
  keys(): IterableIterator<K> {
    return this.#source.keys();
  }
  *values(): IterableIterator<V> {
    for (const d of this.#source.values()) yield this.#make(d);
  }
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

interface RouterRuntime {
  readonly input: RouterInput;
  readonly settings: readonly FrrNeighborSettings[];
  readonly links: readonly Link[];
  readonly ownAddrs: readonly IpAddress[];
  readonly nets: readonly IpPrefix[];
  readonly options: DecisionOptions;
  /** The decision options of `address-family ipv6 unicast` (its own maximum-paths). */
  readonly options6: DecisionOptions;
}

function updateGroupKey(rt: RouterRuntime, link: Link): string {
  const s = rt.settings[link.self.neighborIndex]!;
  if (s.solo) return `solo:${link.self.neighborIndex}`;
  return [link.session.type, s.routeMapOut ?? '', s.prefixListOut ?? '', s.nextHopSelf ? 'nhs' : '', s.senderAsPathLoopDetection ? 'loop' : ''].join('|');
}

/**
 * What {@link inbound} computes once per link instead of once per path: the candidates' source
 * (one object for every path of the link) and next hops' validity, by next-hop object.
 */
interface LinkContext {
  source: PeerSource | undefined;
  readonly valid: Map<IpAddress, boolean>;
}

/** The source of a path learned from a peer. */
type PeerSource = Extract<Candidate['source'], { readonly kind: 'peer' }>;

function sourceOf(link: Link): PeerSource {
  return {
    kind: 'peer',
    address: link.self.neighbor.address,
    routerId: link.peer.speaker.routerId,
    peerAs: link.peer.speaker.asn,
    type: link.session.type,
    host: link.peer.speaker.host,
  };
}

/** The inbound rules up to (not including) next-hop validity: the path as accepted, its weight, or why not. */
function inboundPath(
  rt: RouterRuntime,
  link: Link,
  path: BgpPath,
): { readonly path?: BgpPath; readonly weight?: number; readonly policyBlocked: boolean } {
  const { bgp, config } = rt.input;
  const s = rt.settings[link.self.neighborIndex]!;
  const type = link.session.type;
  if (!link.session.families.includes(familyOfPrefix(path))) return { policyBlocked: false };
  if (type === 'external' && bgp.ebgpRequiresPolicy && !hasInboundPolicy(s)) return { policyBlocked: true };
  let loops = 0;
  for (const a of path.asPath) if (a === bgp.asn) loops++;
  if (loops > (s.allowasIn ?? 0)) return { policyBlocked: false };
  if (s.enforceFirstAs && type === 'external' && path.asPath[0] !== link.peer.speaker.asn) return { policyBlocked: false };
  if (isUnspecified(path.nextHop) || rt.ownAddrs.some((a) => sameIp(a, path.nextHop))) return { policyBlocked: false };
  let p: BgpPath = type === 'external' ? withoutLocalPref(path) : path;
  let weight = 0;
  if (s.prefixListIn !== undefined && !prefixListPermits(config, s.prefixListIn, p.prefix)) return { policyBlocked: false };
  if (s.routeMapIn !== undefined) {
    const r = applyRouteMap(config, s.routeMapIn, { path: p, weight }, { direction: 'in', peerAddress: link.self.neighbor.address });
    if (!r) return { policyBlocked: false };
    p = r.path;
    weight = r.weight;
  }
  return { policyBlocked: false, path: p, weight };
}

/** Whether a next hop is usable on a link: on a connected subnet (single-hop eBGP), else reachable. */
function nextHopValid(rt: RouterRuntime, link: Link, nh: IpAddress, tables: BgpTables): boolean {
  return singleHop(rt, link) ? tables.connected(rt.input.host.meta.name, nh) : tables.reachable(rt.input.host.meta.name, nh);
}

function singleHop(rt: RouterRuntime, link: Link): boolean {
  const s = rt.settings[link.self.neighborIndex]!;
  return link.session.type === 'external' && (link.self.neighbor.ebgpMultihop ?? 1) <= 1 && !s.disableConnectedCheck;
}

function inbound(
  rt: RouterRuntime,
  link: Link,
  path: BgpPath,
  tables: BgpTables,
  ctx: LinkContext = { source: undefined, valid: new Map() },
): { readonly candidate?: Candidate; readonly policyBlocked: boolean } {
  const r = inboundPath(rt, link, path);
  if (r.path === undefined) return { policyBlocked: r.policyBlocked };
  const p = r.path;
  let valid = ctx.valid.get(p.nextHop);
  if (valid === undefined) {
    valid = nextHopValid(rt, link, p.nextHop, tables);
    ctx.valid.set(p.nextHop, valid);
  }
  ctx.source ??= sourceOf(link);
  return { policyBlocked: false, candidate: { path: p, weight: r.weight ?? 0, source: ctx.source, valid } };
}

const NO_EXPORT = '65535:65281';
const NO_ADVERTISE = '65535:65282';
const LOCAL_AS = '65535:65283';

function outbound(
  rt: RouterRuntime,
  link: Link,
  locRib: ReadonlyMap<string, BestPathSelection>,
  groupSize: number,
  peerNets: readonly IpPrefix[],
): { readonly paths: BgpPath[]; readonly policyBlocked: boolean } {
  const { bgp, config } = rt.input;
  const s = rt.settings[link.self.neighborIndex]!;
  const type = link.session.type;
  if (link.session.families.length === 0) return { paths: [], policyBlocked: false };
  if (type === 'external' && bgp.ebgpRequiresPolicy && !hasOutboundPolicy(s)) return { paths: [], policyBlocked: true };
  const peerAddr = link.self.neighbor.address;
  const localAddr = link.self.localAddress;
  const out: BgpPath[] = [];
  for (const sel of locRib.values()) {
    if (sel.best === undefined) continue;
    const b = selectedPath(sel, sel.best);
    // ipv6 (issue 18): each family goes only where it was negotiated, with a next hop of its family
    if (!link.session.families.includes(familyOfPrefix(b.path))) continue;
    if (b.source.kind === 'peer') {
      if (b.source.type === 'internal' && type === 'internal') continue;
      if (sameIp(b.source.address, peerAddr) && (groupSize <= 1 || s.solo)) continue;
    }
    if (s.senderAsPathLoopDetection && b.path.asPath.includes(link.peer.speaker.asn)) continue;
    if (b.path.communities.includes(NO_ADVERTISE)) continue;
    if (type === 'external' && (b.path.communities.includes(NO_EXPORT) || b.path.communities.includes(LOCAL_AS))) continue;
    if (s.prefixListOut !== undefined && !prefixListPermits(config, s.prefixListOut, b.path.prefix)) continue;
    const isLocal = b.source.kind === 'local';
    let p: BgpPath = b.path;
    if (type === 'external' && !isLocal) p = withoutMed(p);
    p = type === 'internal' ? { ...p, localPref: b.path.localPref ?? bgp.defaultLocalPref } : withoutLocalPref(p);
    let nextHop: IpAddress = p.nextHop;
    if (isUnspecified(nextHop) || s.nextHopSelf || isIPv4(nextHop) !== isIPv4Prefix(p.prefix)) nextHop = selfNextHop(localAddr, p.prefix);
    else if (type === 'external') {
      const shared = peerNets.some((n) => prefixContains(n, nextHop));
      if (!shared) nextHop = selfNextHop(localAddr, p.prefix);
    }
    p = { ...p, nextHop };
    if (s.routeMapOut !== undefined) {
      const r = applyRouteMap(config, s.routeMapOut, { path: p, weight: b.weight }, { direction: 'out', peerAddress: localAddr });
      if (!r) continue;
      p = keepsNextHop(config, s.routeMapOut, p) ? { ...r.path, nextHop: b.path.nextHop } : r.path;
    }
    if (type === 'external') p = { ...p, asPath: [bgp.asn, ...p.asPath] };
    out.push(p);
  }
  return { paths: out.sort((x, y) => comparePrefix(x.prefix, y.prefix)), policyBlocked: false };
}

function runtimeOf(r: RouterInput, sessions: readonly BgpSession[]): RouterRuntime {
  const settings = r.bgp.neighbors.map((n) => effectiveSettings(r.bgp, n));
  const ownAddrs = r.host.interfaces.flatMap((i) => i.addresses.map((a) => a.address));
  const nets = r.host.interfaces.flatMap((i) => i.addresses.map((a) => a.network));
  return { input: r, settings, links: linksOf(sessions, r.speakerIndex), ownAddrs, nets, options: decisionOptions(r.bgp), options6: { ...decisionOptions(r.bgp), maximumPaths: r.bgp.maximumPaths6, maximumPathsIbgp: r.bgp.maximumPathsIbgp6 } };
}

/** A link whose received paths are a peer group's shared path list plus its own (`extras`). */
interface Member extends GroupMember {
  readonly link: Link;
  /** The paths it sent (its speaker's exports). */
  readonly template: readonly BgpPath[];
  /** Its own paths: position in its list and the index of the shared path they come before. */
  readonly extras: readonly { readonly pos: number; readonly before: number; readonly path: BgpPath }[];
}

/**
 * Peers of one inbound class (same treatment of a path, whatever the peer) that sent the same
 * shared paths `ref` (as the same path objects, in the same order), each with its own extras.
 */
interface PeerGroup {
  ref: readonly BgpPath[];
  members: Member[];
  /** Index of `ref`'s paths, made when an alignment first needs it. */
  index?: Map<BgpPath, number>;
  ranking?: GroupRanking;
  /** Times the shared list was cut down to let a peer in (bounded). */
  shrinks: number;
}

const MAX_SHRINKS = 4;

/**
 * The extras of a list `t` against a group's shared list (`t` holds every shared path, in order,
 * and paths of its own between them), or undefined when `t` does not fit. O(|t|).
 */
function alignTo(g: PeerGroup, t: readonly BgpPath[]): Member['extras'] | undefined {
  if (t === g.ref) return [];
  const ref = g.ref;
  const extras: { pos: number; before: number; path: BgpPath }[] = [];
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    const p = t[i]!;
    if (j < ref.length && p === ref[j]) {
      j++;
      continue;
    }
    if (extras.length === 0 || g.index === undefined) g.index ??= new Map(ref.map((x, k) => [x, k]));
    if (g.index.has(p)) return undefined;
    extras.push({ pos: i, before: j, path: p });
  }
  return j === ref.length ? extras : undefined;
}

/**
 * The inbound class of a link whose peer sends a {@link TemplatedSend}: links of one class treat
 * every path alike up to the next hop (session type and families, peer AS, the neighbour's
 * allowas-in, enforce-first-as, prefix-list in, policy requirement, single-hop check, the family
 * of the next hop filled in); undefined when a link must be handled on its own (route-map in,
 * whose match may depend on the peer; a filled next hop that inbound rejects).
 */
function inboundClass(rt: RouterRuntime, link: Link, d: TemplatedSend): string | undefined {
  const s = rt.settings[link.self.neighborIndex]!;
  if (s.routeMapIn !== undefined) return undefined;
  if (isUnspecified(d.nextHop) || rt.ownAddrs.some((a) => sameIp(a, d.nextHop))) return undefined;
  return [
    link.session.type,
    link.session.families.join(','),
    d.families.join(','),
    link.peer.speaker.asn,
    s.allowasIn ?? 0,
    s.enforceFirstAs ? 1 : 0,
    s.prefixListIn ?? '',
    hasInboundPolicy(s) ? 1 : 0,
    singleHop(rt, link) ? 1 : 0,
    isIPv4(d.nextHop) ? 4 : 6,
  ].join('|');
}

/**
 * Groups the links of one inbound class by the shared paths they sent: each link joins a group
 * whose shared list it holds (a few tries), else pairs with a waiting link (their common paths
 * make a new group), else waits; a link left waiting makes a group of its own. Links that fit
 * nowhere come back as `loose` (handled path by path). O(Σ|list|) for lists that share one part.
 */
function formGroups(links: readonly { readonly link: Link; readonly d: TemplatedSend; readonly rank: number; readonly valid: boolean }[]): { groups: PeerGroup[]; loose: typeof links } {
  const groups: PeerGroup[] = [];
  const loose: (typeof links)[number][] = [];
  const memberOf = (x: (typeof links)[number], extras: Member['extras']): Member => ({
    link: x.link,
    template: x.d.template,
    rank: x.rank,
    nextHop: x.d.nextHop,
    valid: x.valid,
    source: sourceOf(x.link),
    extras,
  });
  const join = (g: PeerGroup, x: (typeof links)[number]): boolean => {
    const extras = alignTo(g, x.d.template);
    if (extras === undefined) return false;
    g.members.push(memberOf(x, extras));
    return true;
  };
  // A peer that lacks a few of a group's shared paths (a LoadBalancer service with
  // externalTrafficPolicy Local that the group's first two peers both advertise): the shared
  // list cut down to what it has, when that keeps at least half, the members re-aligned (their
  // lost shared paths become their own). At most MAX_SHRINKS times per group.
  const shrinkInto = (g: PeerGroup, x: (typeof links)[number]): boolean => {
    if (g.shrinks >= MAX_SHRINKS) return false;
    const theirs = new Set(x.d.template);
    const common = g.ref.filter((p) => theirs.has(p));
    if (common.length === 0 || common.length * 2 < g.ref.length) return false;
    const trial: PeerGroup = { ref: common, members: [], shrinks: g.shrinks + 1 };
    for (const m of g.members) {
      const extras = alignTo(trial, m.template);
      if (extras === undefined) return false;
      trial.members.push({ ...m, extras });
    }
    if (!join(trial, x)) return false;
    g.ref = trial.ref;
    g.members = trial.members;
    g.index = trial.index;
    g.shrinks = trial.shrinks;
    return true;
  };
  let waiting: (typeof links)[number] | undefined;
  for (const x of links) {
    let placed = false;
    for (let k = groups.length - 1; k >= 0 && k >= groups.length - 4 && !placed; k--) placed = join(groups[k]!, x);
    if (!placed && groups.length > 0) placed = shrinkInto(groups[groups.length - 1]!, x);
    if (placed) continue;
    if (waiting === undefined) {
      waiting = x;
      continue;
    }
    const mine = new Set(x.d.template);
    const common = waiting.d.template.filter((p) => mine.has(p));
    if (common.length === 0) {
      loose.push(waiting);
      waiting = x;
      continue;
    }
    const g: PeerGroup = { ref: common, members: [], shrinks: 0 };
    groups.push(g);
    if (!join(g, waiting)) loose.push(waiting);
    if (!join(g, x)) loose.push(x);
    waiting = undefined;
  }
  if (waiting !== undefined) {
    const g: PeerGroup = { ref: waiting.d.template, members: [], shrinks: 0 };
    groups.push(g);
    join(g, waiting);
  }
  return { groups: groups.filter((g) => g.members.length > 0), loose };
}

/** A prefix's candidates while a router is computed: explicit ones (with their link rank and position) and peer-group paths. */
interface Slot {
  readonly prefix: BgpPath['prefix'];
  readonly cands: Candidate[];
  readonly ranks: number[];
  readonly seqs: number[];
  readonly groupPaths: { readonly group: PeerGroup; readonly index: number; readonly item: GroupPath }[];
}

function computeRouter(
  rt: RouterRuntime,
  received: ReadonlyMap<LinkKey, Delivery>,
  tables: BgpTables,
  pathsOf: PathsOf,
  grouping: boolean,
): {
  tables: RouterTables;
  sent: Map<number, BgpPath[]>;
} {
  const byPrefix = new Map<string, Slot>();
  const slotOf = (prefix: BgpPath['prefix']): Slot => {
    const k = formatPrefix(prefix);
    let slot = byPrefix.get(k);
    if (slot === undefined) byPrefix.set(k, (slot = { prefix, cands: [], ranks: [], seqs: [], groupPaths: [] }));
    return slot;
  };
  const add = (c: Candidate, rank: number, seq: number): void => {
    const slot = slotOf(c.path.prefix);
    slot.cands.push(c);
    slot.ranks.push(rank);
    slot.seqs.push(seq);
  };
  rt.input.local.forEach((l, i) => {
    add({ path: l.path, weight: l.weight, source: { kind: 'local', subType: l.subType, ...(l.redistribute ? { redistribute: l.redistribute } : {}) }, valid: true }, -1, i);
  });
  const adjIn = new Map<number, Delivery>();
  const accepted = new Map<number, number>();
  const acceptedByFamily = new Map<number, Map<string, number>>();
  const policyMissing = new Map<number, { inbound: boolean; outbound: boolean }>();
  // canonical rank of each link: peer address, then neighbour index (a stable sort)
  const byAddress = [...rt.links].sort((a, b) => compareIp(a.self.neighbor.address, b.self.neighbor.address));
  const rankOf = new Map(byAddress.map((l, i) => [l.self.neighborIndex, i]));
  // each link's explicit candidates (with their position in its list), added below in rank order
  const fromLinks: { readonly rank: number; readonly cands: Candidate[]; readonly seqs: number[] }[] = [];
  const classes = new Map<string, { link: Link; d: TemplatedSend; rank: number; valid: boolean }[]>();
  const explicit = (link: Link, ps: readonly BgpPath[], positions?: readonly number[]): { count: number; perFamily: Map<string, number> } => {
    let count = 0;
    const perFamily = new Map<string, number>();
    const ctx: LinkContext = { source: undefined, valid: new Map() };
    const cands: Candidate[] = [];
    const seqs: number[] = [];
    fromLinks.push({ rank: rankOf.get(link.self.neighborIndex)!, cands, seqs });
    ps.forEach((p, i) => {
      const r = inbound(rt, link, p, tables, ctx);
      if (r.candidate) {
        cands.push(r.candidate);
        seqs.push(positions?.[i] ?? i);
        if (r.candidate.valid) {
          count++;
          const fam = isIPv4Prefix(r.candidate.path.prefix) ? 'ipv4-unicast' : 'ipv6-unicast';
          perFamily.set(fam, (perFamily.get(fam) ?? 0) + 1);
        }
      }
    });
    return { count, perFamily };
  };
  for (const link of rt.links) {
    const ni = link.self.neighborIndex;
    const d = received.get(linkKey(rt.input.speakerIndex, ni)) ?? [];
    adjIn.set(ni, d);
    const s = rt.settings[ni]!;
    policyMissing.set(ni, {
      inbound: link.session.type === 'external' && rt.input.bgp.ebgpRequiresPolicy && !hasInboundPolicy(s),
      outbound: link.session.type === 'external' && rt.input.bgp.ebgpRequiresPolicy && !hasOutboundPolicy(s),
    });
    const cls = grouping && isTemplated(d) ? inboundClass(rt, link, d) : undefined;
    if (cls !== undefined && isTemplated(d)) {
      const list = classes.get(cls) ?? [];
      list.push({ link, d, rank: rankOf.get(ni)!, valid: nextHopValid(rt, link, d.nextHop, tables) });
      classes.set(cls, list);
      // (counted below; the maps keep the links' order)
      accepted.set(ni, 0);
      acceptedByFamily.set(ni, new Map());
      continue;
    }
    const { count, perFamily } = explicit(link, pathsOf(d));
    accepted.set(ni, count);
    acceptedByFamily.set(ni, perFamily);
  }
  for (const links of classes.values()) {
    const { groups, loose } = formGroups(links);
    for (const x of loose) {
      const { count, perFamily } = explicit(x.link, pathsOf(x.d));
      accepted.set(x.link.self.neighborIndex, count);
      acceptedByFamily.set(x.link.self.neighborIndex, perFamily);
    }
    for (const g of groups) {
      const first = g.members[0]!;
      // the shared paths through inbound once, for the first member; the others differ in next hop only
      const filledCount = new Map<string, number>();
      const fixedCount = new Map<string, number>();
      g.ref.forEach((p, index) => {
        const q = fillNextHop(p, first.nextHop);
        const r = inboundPath(rt, first.link, q);
        if (r.path === undefined) return;
        const filled = q !== p;
        const validFixed = filled ? false : nextHopValid(rt, first.link, r.path.nextHop, tables);
        const fam = isIPv4Prefix(p.prefix) ? 'ipv4-unicast' : 'ipv6-unicast';
        if (filled) filledCount.set(fam, (filledCount.get(fam) ?? 0) + 1);
        else if (validFixed) fixedCount.set(fam, (fixedCount.get(fam) ?? 0) + 1);
        slotOf(p.prefix).groupPaths.push({ group: g, index, item: { path: r.path, filled, validFixed } });
      });
      // each member's counts: the group's (its next hop valid or not) plus its own paths'
      const families = [...new Set([...filledCount.keys(), ...fixedCount.keys()])];
      const counted = (valid: boolean): { count: number; perFamily: Map<string, number> } => {
        const perFamily = new Map<string, number>();
        for (const fam of families) {
          const n = (valid ? (filledCount.get(fam) ?? 0) : 0) + (fixedCount.get(fam) ?? 0);
          if (n > 0) perFamily.set(fam, n);
        }
        return { count: (valid ? sum(filledCount) : 0) + sum(fixedCount), perFamily };
      };
      for (const m of g.members) {
        const ni = m.link.self.neighborIndex;
        const mine = counted(m.valid);
        if (m.extras.length > 0) {
          const own = explicit(
            m.link,
            m.extras.map((e) => fillNextHop(e.path, m.nextHop)),
            m.extras.map((e) => e.pos),
          );
          mine.count += own.count;
          for (const [fam, n] of own.perFamily) mine.perFamily.set(fam, (mine.perFamily.get(fam) ?? 0) + n);
        }
        accepted.set(ni, mine.count);
        acceptedByFamily.set(ni, mine.perFamily);
      }
    }
  }
  fromLinks.sort((a, b) => a.rank - b.rank);
  for (const { rank, cands, seqs } of fromLinks) cands.forEach((c, i) => add(c, rank, seqs[i]!));
  const keys = [...byPrefix.keys()];
  keys.sort((a, b) => comparePrefix(byPrefix.get(a)!.prefix, byPrefix.get(b)!.prefix));
  const locRib = new Map<string, BestPathSelection>();
  for (const k of keys) {
    const slot = byPrefix.get(k)!;
    const o = isIPv4Prefix(slot.prefix) ? rt.options : rt.options6;
    if (slot.cands.length === 0 && slot.groupPaths.length === 1 && !o.deterministicMed) {
      const { group, item } = slot.groupPaths[0]!;
      locRib.set(k, selectForGroup((group.ranking ??= rankGroup(group.members)), item, o));
      continue;
    }
    locRib.set(k, selectBestPath(slotCandidates(slot), o));
  }
  const groups = new Map<string, number>();
  for (const link of rt.links) {
    const g = updateGroupKey(rt, link);
    groups.set(g, (groups.get(g) ?? 0) + 1);
  }
  // Links whose outbound answer cannot differ share one list: same update group (of more than one
  // member, so nothing is held back from the peer it came from), same local address and session
  // type, the same connected subnets holding the peer's address, the same peer AS when
  // sender-side loop detection looks at it.
  const sent = new Map<number, BgpPath[]>();
  const shared = new Map<string, BgpPath[]>();
  for (const link of rt.links) {
    const g = updateGroupKey(rt, link);
    const size = groups.get(g) ?? 0;
    const s = rt.settings[link.self.neighborIndex]!;
    const peerAddr = link.self.neighbor.address;
    const netIdx: number[] = [];
    rt.nets.forEach((n, i) => {
      if (prefixContains(n, peerAddr)) netIdx.push(i);
    });
    const peerNets = netIdx.map((i) => rt.nets[i]!);
    const key =
      size <= 1 || s.solo
        ? undefined
        : [
            g,
            formatIp(link.self.localAddress),
            link.session.type,
            link.session.families.join(','),
            netIdx.join(','),
            s.senderAsPathLoopDetection ? link.peer.speaker.asn : '',
          ].join('#');
    let paths = key !== undefined ? shared.get(key) : undefined;
    if (paths === undefined) {
      paths = outbound(rt, link, locRib, size, peerNets).paths;
      if (key !== undefined) shared.set(key, paths);
    }
    sent.set(link.self.neighborIndex, paths);
  }
  return {
    tables: { locRib, adjRibIn: new LazyValues(adjIn, pathsOf), adjRibOut: sent, accepted, acceptedByFamily, policyMissing },
    sent,
  };
}

function sum(m: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

/**
 * A prefix's candidates in the order the path-by-path computation adds them: local paths, then
 * peers by canonical rank, each peer's paths in the order it sent them (a peer group's paths
 * made for every member).
 */
function slotCandidates(slot: Slot): Candidate[] {
  if (slot.groupPaths.length === 0) return slot.cands;
  const all: { c: Candidate; rank: number; seq: number }[] = slot.cands.map((c, i) => ({ c, rank: slot.ranks[i]!, seq: slot.seqs[i]! }));
  for (const { group, index, item } of slot.groupPaths) {
    for (const m of group.members) {
      let seq = index;
      for (const e of m.extras) if (e.before <= index) seq++;
      all.push({
        c: { path: item.filled ? { ...item.path, nextHop: m.nextHop } : item.path, weight: 0, source: m.source, valid: item.filled ? m.valid : item.validFixed },
        rank: m.rank,
        seq,
      });
    }
  }
  all.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
  return all.map((x) => x.c);
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => eq(x, b[i]!)));
}

/** Attribute equality of two paths (what a fixed point compares). */
function samePath(a: BgpPath, b: BgpPath): boolean {
  return (
    a === b ||
    (formatPrefix(a.prefix) === formatPrefix(b.prefix) &&
      a.origin === b.origin &&
      sameList(a.asPath, b.asPath, (x, y) => x === y) &&
      sameIp(a.nextHop, b.nextHop) &&
      a.med === b.med &&
      a.localPref === b.localPref &&
      sameList(a.communities, b.communities, (x, y) => x === y) &&
      sameList(a.largeCommunities, b.largeCommunities, (x, y) => x === y))
  );
}

function sameReceived(a: ReadonlyMap<LinkKey, Delivery>, b: ReadonlyMap<LinkKey, Delivery>, pathsOf: PathsOf): boolean {
  if (a.size !== b.size) return false;
  for (const [k, ps] of a) {
    const qs = b.get(k);
    if (qs === undefined) return false;
    if (ps !== qs && !sameList(pathsOf(ps), pathsOf(qs), samePath)) return false;
  }
  return true;
}

/**
 * How rounds visit routers. `synchronous` (the default): every router reads what was sent in
 * the previous round. `order`: asynchronous (Gauss–Seidel) rounds; each round visits routers in
 * the order the function gives (indices into the router list) and a router's sends are
 * delivered at once, so later routers of the same round see them. Both reach the same fixed
 * point when the policies have one stable state (tests check it).
 *
 * @example
 * ```ts
 * import type { PropagationOptions } from 'cilium-twin/bgp';
 * const o: PropagationOptions = { order: (_round, n) => [...Array(n).keys()].reverse() };
 * const pathByPath: PropagationOptions = { peerGroups: false };
 * ```
 */
export interface PropagationOptions {
  /** Asynchronous visiting order per round; absent = synchronous rounds. */
  readonly order?: (round: number, routerCount: number) => readonly number[];
  /**
   * False: every received path is a candidate of its own (no peer groups). The result is the
   * same either way (a property checks it); the default (true) is the fast one.
   */
  readonly peerGroups?: boolean;
}

/**
 * Runs propagation over Established sessions until what every speaker receives stops changing
 * (at most {@link MAX_ROUNDS} rounds).
 *
 * @example
 * ```ts
 * const p = propagate(routers, sessions, tables);
 * p.routers.get(routerIndex)?.locRib.size; // 4 in the lab
 * ```
 */
export function propagate(
  routers: readonly RouterInput[],
  sessions: readonly BgpSession[],
  tables: BgpTables,
  options: PropagationOptions = {},
): PropagationResult {
  const runtimes = routers.map((r) => runtimeOf(r, sessions));
  const frrIndex = new Set(routers.map((r) => r.speakerIndex));
  const pathsOf = pathsMemo();
  const grouping = options.peerGroups ?? true;
  // Fixed sends of non-FRR speakers.
  const fixed = new Map<LinkKey, Delivery>();
  for (const s of sessions) {
    for (const [self, peer] of [
      [s.a, s.b],
      [s.b, s.a],
    ] as const) {
      if (frrIndex.has(self.speakerIndex)) continue;
      fixed.set(linkKey(self.speakerIndex, self.neighborIndex), exportsOn({ session: s, self, peer }));
    }
  }
  // Where each send lands: the sender's link → the receiver's link.
  const route = new Map<LinkKey, LinkKey>();
  for (const s of sessions) {
    route.set(linkKey(s.a.speakerIndex, s.a.neighborIndex), linkKey(s.b.speakerIndex, s.b.neighborIndex));
    route.set(linkKey(s.b.speakerIndex, s.b.neighborIndex), linkKey(s.a.speakerIndex, s.a.neighborIndex));
  }
  const deliver = (sent: ReadonlyMap<LinkKey, Delivery>): Map<LinkKey, Delivery> => {
    const received = new Map<LinkKey, Delivery>();
    for (const [from, to] of route) received.set(to, sent.get(from) ?? []);
    return received;
  };
  // A router whose received lists are the very same arrays as last time computes the same
  // tables: reuse them (what a converged star of Cilium nodes around one router does each round).
  const memo = new Map<number, { inputs: (Delivery | undefined)[]; out: ReturnType<typeof computeRouter> }>();
  const compute = (rt: RouterRuntime, rec: ReadonlyMap<LinkKey, Delivery>): ReturnType<typeof computeRouter> => {
    const inputs = rt.links.map((l) => rec.get(linkKey(rt.input.speakerIndex, l.self.neighborIndex)));
    const prev = memo.get(rt.input.speakerIndex);
    if (prev !== undefined && prev.inputs.length === inputs.length && prev.inputs.every((x, i) => x === inputs[i])) return prev.out;
    const out = computeRouter(rt, rec, tables, pathsOf, grouping);
    memo.set(rt.input.speakerIndex, { inputs, out });
    return out;
  };
  const sent = new Map<LinkKey, Delivery>(fixed);
  let received = deliver(sent);
  const results = new Map<number, RouterTables>();
  let converged = false;
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    rounds++;
    const before = new Map(received);
    if (options.order) {
      for (const i of options.order(rounds, runtimes.length)) {
        const rt = runtimes[i];
        if (!rt) continue;
        const r = compute(rt, received);
        results.set(rt.input.speakerIndex, r.tables);
        for (const [ni, ps] of r.sent) {
          const from = linkKey(rt.input.speakerIndex, ni);
          sent.set(from, ps);
          const to = route.get(from);
          if (to !== undefined) received.set(to, ps);
        }
      }
    } else {
      for (const rt of runtimes) {
        const r = compute(rt, received);
        results.set(rt.input.speakerIndex, r.tables);
        for (const [ni, ps] of r.sent) sent.set(linkKey(rt.input.speakerIndex, ni), ps);
      }
      received = deliver(sent);
    }
    if (sameReceived(received, before, pathsOf)) {
      converged = true;
      break;
    }
  }
  // Every router's tables from the final inputs.
  for (const rt of runtimes) results.set(rt.input.speakerIndex, compute(rt, received).tables);
  return { routers: results, received: new LazyValues(received, pathsOf), sent: new LazyValues(sent, pathsOf), converged, rounds };
}
