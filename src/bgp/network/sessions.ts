/**
 * Sessions between every pair of configured speakers (FRR routers and Cilium instances).
 *
 * A session is Established when: the neighbour address belongs to a host running a speaker that
 * configures this speaker back; a TCP connection can be opened in one direction (the dialling
 * side is not passive, the other listens on that port, both addresses are reachable, the
 * listener recognises the source address as a configured neighbour, and a Cilium listener with a
 * fixed local address sees the connection arrive on it); FRR's next-hop tracking is satisfied on
 * each FRR end (a single-hop eBGP neighbour must be on a connected subnet, others reachable); and
 * both OPENs are accepted (router ID not 0, remote AS as configured — a number, `external`,
 * `internal`, `auto` —, iBGP peers with different router IDs, a common address family). When both
 * directions work, the connection dialled by the higher router ID survives (collision rule).
 * Otherwise each side gets FRR's state and reason.
 *
 * Complexity: O(speakers' neighbours + hosts' addresses) with indexes (address → owner host,
 * host → speakers, speaker → neighbours by address); pairing one neighbour costs the matching
 * neighbours of the peer, not a scan of every speaker.
 *
 * @module
 */
import type { Host, IpAddress } from '../../input/types.js';
import { compareIp, isUnspecified, sameIp } from '../../net/addr.js';
import type { BgpNeighborConfig, BgpSpeaker } from '../speaker.js';
import type { BgpTables, SessionState } from './types.js';
import { TupleMap } from '../../net/keys.js';

/**
 * Extra per-neighbour facts an FRR speaker has beyond {@link BgpNeighborConfig}.
 *
 * @example
 * const e: NeighborExtras = { shutdown: false, disableConnectedCheck: false };
 */
export interface NeighborExtras {
  /** `neighbor X shutdown`. */
  readonly shutdown: boolean;
  /** `neighbor X disable-connected-check`. */
  readonly disableConnectedCheck: boolean;
}

/**
 * A speaker with what the session stage needs besides the neutral type.
 *
 * @example
 * const e: SpeakerEntry = { speaker, extras: () => ({ shutdown: false, disableConnectedCheck: false }) };
 */
export interface SpeakerEntry {
  /** The speaker. */
  readonly speaker: BgpSpeaker;
  /** Hostname it announces (FRR `hostname`). */
  readonly hostname?: string;
  /** FRR-only per-neighbour facts. */
  readonly extras?: (n: BgpNeighborConfig, index: number) => NeighborExtras;
}

/**
 * One end of an Established session.
 *
 * @example
 * session.a.speaker.host; // 'k8s-ctr'
 */
export interface SessionEnd {
  /** Index of the speaker in the entries. */
  readonly speakerIndex: number;
  /** The speaker. */
  readonly speaker: BgpSpeaker;
  /** Index of the neighbour in the speaker's list. */
  readonly neighborIndex: number;
  /** The neighbour config this end uses for the session. */
  readonly neighbor: BgpNeighborConfig;
  /** This end's local address (what the other end configures as neighbour address). */
  readonly localAddress: IpAddress;
  /** Effective keepalive of this end. */
  readonly keepalive: number;
}

/**
 * An Established session.
 *
 * @example
 * session.type; // 'external'
 */
export interface BgpSession {
  /** First end (the one whose neighbour was evaluated first). */
  readonly a: SessionEnd;
  /** Second end. */
  readonly b: SessionEnd;
  /** eBGP or iBGP. */
  readonly type: 'external' | 'internal';
  /** Negotiated hold time. */
  readonly holdTime: number;
  /** Families both ends configure. */
  readonly families: readonly string[];
  /** Which end opened the TCP connection. */
  readonly initiator: 'a' | 'b';
}

/**
 * What became of one configured neighbour.
 *
 * @example
 * outcome.state; // 'Established'
 */
export interface NeighborOutcome {
  /** State. */
  readonly state: SessionState;
  /** Reason when not Established. */
  readonly reason?: string;
  /** The peer speaker's AS, when a peer was found. */
  readonly remoteAs?: number;
  /** The session, when Established. */
  readonly session?: BgpSession;
  /** Which end of the session this neighbour is. */
  readonly side?: 'a' | 'b';
}

/**
 * The sessions of a set of speakers.
 *
 * @example
 * ```ts
 * const s = establishSessions(entries, hosts, tables);
 * s.sessions.length; // 3 in the bgp-lab
 * ```
 */
export interface SessionsResult {
  /** Established sessions, in evaluation order. */
  readonly sessions: readonly BgpSession[];
  /** Outcome per speaker index, per neighbour index. */
  readonly outcomes: readonly (readonly NeighborOutcome[])[];
}

function asAccepts(expected: BgpNeighborConfig['remoteAs'], localAs: number, peerAs: number): boolean {
  if (expected === 'auto') return true;
  if (expected === 'external') return peerAs !== localAs;
  if (expected === 'internal') return peerAs === localAs;
  return expected === peerAs;
}

/** FRR: hold/3, or the configured keepalive when smaller. */
function frrKeepalive(configured: number, hold: number): number {
  if (hold === 0) return 0;
  const third = Math.floor(hold / 3);
  return configured > 0 && configured < third ? configured : third;
}

/** GoBGP: the configured keepalive, or hold/3 when the negotiated hold is below the configured one. */
function gobgpKeepalive(configured: number, configuredHold: number, hold: number): number {
  if (hold === 0) return 0;
  return hold < configuredHold ? Math.floor(hold / 3) : configured;
}

function effectiveKeepalive(speaker: BgpSpeaker, n: BgpNeighborConfig, hold: number): number {
  return speaker.kind === 'cilium' ? gobgpKeepalive(n.keepalive, n.holdTime, hold) : frrKeepalive(n.keepalive, hold);
}

interface Conn {
  readonly ti: number;
  readonly mi: number;
  readonly initiator: 'a' | 'b';
  readonly aLocal: IpAddress;
  readonly bLocal: IpAddress;
}

/** An address as a value key: (family bits, value). */
type AddrTuple = readonly [number, bigint];

function addrKey(a: IpAddress): AddrTuple {
  return [a.bitSize, a.value];
}

/** What pairing needs, built once per run (see {@link establishSessions}). */
interface SessionContext {
  readonly entries: readonly SpeakerEntry[];
  readonly tables: BgpTables;
  /** The owner of an address: the first host by name holding it. */
  ownerOf(addr: IpAddress): string | undefined;
  /** The speaker indices on a host. */
  speakersOn(host: string): readonly number[];
  /** T's neighbours (indices, ascending) whose address `host` holds. */
  neighborsOwnedBy(ti: number, host: string): number[];
  /** Outcome per speaker index, per neighbour index (undefined until decided). */
  readonly outcomes: (NeighborOutcome | undefined)[][];
  /** Each FRR neighbour's extras once asked (speaker index → neighbour index). */
  readonly extras: Map<number, NeighborExtras[]>;
}

/**
 * Phase: the indexes pairing uses (built once): an address's owner (the first host by name
 * holding it), each host's addresses, speakers by host, and per speaker its neighbours by address
 * (built on first use); pairing a neighbour then costs O(its peer's matching neighbours), not
 * O(speakers × neighbours).
 */
function sessionContext(entries: readonly SpeakerEntry[], hosts: readonly Host[], tables: BgpTables): SessionContext {
  const owners = new TupleMap<AddrTuple, string>();
  const hostAddrs = new Map<string, TupleMap<AddrTuple, true>>();
  for (const h of hosts) {
    const keys = new TupleMap<AddrTuple, true>();
    for (const i of h.interfaces) for (const a of i.addresses) keys.set(addrKey(a.address), true);
    hostAddrs.set(h.meta.name, keys);
    for (const [k] of keys.entries()) {
      const cur = owners.get(k);
      if (cur === undefined || h.meta.name < cur) owners.set(k, h.meta.name);
    }
  }
  const speakersOn = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const l = speakersOn.get(e.speaker.host);
    if (l === undefined) speakersOn.set(e.speaker.host, [i]);
    else l.push(i);
  });
  const neighborIndex = new Map<number, TupleMap<AddrTuple, number[]>>();
  const neighborsAt = (ti: number, key: AddrTuple): readonly number[] => {
    let m = neighborIndex.get(ti);
    if (m === undefined) {
      const built = new TupleMap<AddrTuple, number[]>();
      entries[ti]!.speaker.neighbors.forEach((n, mi) => built.getOrSet(addrKey(n.address), () => []).push(mi));
      neighborIndex.set(ti, (m = built));
    }
    return m.get(key) ?? [];
  };
  return {
    entries,
    tables,
    ownerOf: (addr) => owners.get(addrKey(addr)),
    speakersOn: (host) => speakersOn.get(host) ?? [],
    neighborsOwnedBy: (ti, host) => {
      const out: number[] = [];
      for (const [k] of hostAddrs.get(host)?.entries() ?? []) out.push(...neighborsAt(ti, k));
      return out.length <= 1 ? out : [...new Set(out)].sort((x, y) => x - y);
    },
    outcomes: entries.map((e) => e.speaker.neighbors.map(() => undefined)),
    extras: new Map(),
  };
}

const NO_EXTRAS: NeighborExtras = { shutdown: false, disableConnectedCheck: false };

/** A neighbour's extras, asked of its speaker once per run (pairing reads them several times). */
function extrasOf(ctx: SessionContext, si: number, ni: number): NeighborExtras {
  const e = ctx.entries[si]!;
  if (e.extras === undefined) return NO_EXTRAS;
  let row = ctx.extras.get(si);
  if (row === undefined) ctx.extras.set(si, (row = []));
  let x = row[ni];
  if (x === undefined) row[ni] = x = e.extras(e.speaker.neighbors[ni]!, ni);
  return x;
}

/** NHT on an FRR end: single-hop eBGP needs a connected subnet, others a route. */
function nhtOk(ctx: SessionContext, si: number, ni: number, peerAs: number | undefined): boolean {
  const e = ctx.entries[si]!;
  if (e.speaker.kind !== 'frr') return true;
  const n = e.speaker.neighbors[ni]!;
  const x = extrasOf(ctx, si, ni);
  const local = e.speaker.asn;
  const ebgp =
    n.remoteAs === 'external' ||
    (typeof n.remoteAs === 'number' && n.remoteAs !== local) ||
    (n.remoteAs === 'auto' && (peerAs === undefined || peerAs !== local));
  if (ebgp && (n.ebgpMultihop ?? 1) <= 1 && !x.disableConnectedCheck) return ctx.tables.connected(e.speaker.host, n.address);
  return ctx.tables.reachable(e.speaker.host, n.address);
}

/**
 * Phase (per neighbour N of S at A): the TCP connections that can open between S and the owner's
 * speakers that configure S back (S dials, T dials, or both: the higher router ID's survives),
 * and whether any neighbour configured S back at all.
 */
function tcpCandidates(ctx: SessionContext, si: number, ni: number, owner: string): { candidates: Conn[]; configuredBack: boolean } {
  const { tables } = ctx;
  const S = ctx.entries[si]!.speaker;
  const N = S.neighbors[ni]!;
  const A = N.address;
  const candidates: Conn[] = [];
  let configuredBack = false;
  for (const ti of ctx.speakersOn(owner)) {
    const T = ctx.entries[ti]!.speaker;
    if (ti === si) continue;
    for (const mi of ctx.neighborsOwnedBy(ti, S.host)) {
      if (ctx.outcomes[ti]![mi] !== undefined) continue;
      const M = T.neighbors[mi]!;
      configuredBack = true;
      if (M.families.length === 0 || extrasOf(ctx, ti, mi).shutdown) continue;
      // S dials A.
      let d1: Conn | undefined;
      if (!N.passive && T.listenPort === N.port) {
        const src = N.localAddress ?? tables.sourceAddress(S.host, A);
        if (
          src !== undefined &&
          sameIp(M.address, src) &&
          tables.reachable(S.host, A) &&
          tables.reachable(T.host, src) &&
          (T.kind !== 'cilium' || M.localAddress === undefined || sameIp(M.localAddress, A))
        ) {
          d1 = { ti, mi, initiator: 'a', aLocal: src, bLocal: A };
        }
      }
      // T dials M.address.
      let d2: Conn | undefined;
      if (!M.passive && S.listenPort === M.port) {
        const src = M.localAddress ?? tables.sourceAddress(T.host, M.address);
        if (
          src !== undefined &&
          sameIp(src, A) &&
          tables.reachable(T.host, M.address) &&
          tables.reachable(S.host, src) &&
          (S.kind !== 'cilium' || N.localAddress === undefined || sameIp(N.localAddress, M.address))
        ) {
          d2 = { ti, mi, initiator: 'b', aLocal: M.address, bLocal: A };
        }
      }
      if (d1 && d2) {
        // Collision: the connection opened by the higher BGP identifier survives.
        candidates.push(compareIp(S.routerId, T.routerId) > 0 ? d1 : d2);
      } else if (d1 ?? d2) candidates.push((d1 ?? d2)!);
    }
  }
  return { candidates, configuredBack };
}

/** Phase (per connection): the OPEN exchange's error, or undefined when both OPENs are accepted. */
function openError(S: BgpSpeaker, N: BgpNeighborConfig, T: BgpSpeaker, M: BgpNeighborConfig): string | undefined {
  if (isUnspecified(S.routerId) || isUnspecified(T.routerId)) return 'OPEN Message Error/Bad BGP Identifier';
  if (!asAccepts(N.remoteAs, S.asn, T.asn) || !asAccepts(M.remoteAs, T.asn, S.asn)) return 'OPEN Message Error/Bad Peer AS';
  if (S.asn === T.asn && sameIp(S.routerId, T.routerId)) return 'OPEN Message Error/Bad BGP Identifier';
  if ([N.holdTime, M.holdTime].some((h) => h === 1 || h === 2)) return 'OPEN Message Error/Unacceptable Hold Time';
  if (!N.families.some((f) => M.families.includes(f))) return 'OPEN Message Error/Unsupported Capability';
  return undefined;
}

/** Phase (per accepted connection): the Established session with its negotiated hold time and keepalives. */
function sessionOf(ctx: SessionContext, si: number, ni: number, conn: Conn): BgpSession {
  const S = ctx.entries[si]!.speaker;
  const N = S.neighbors[ni]!;
  const T = ctx.entries[conn.ti]!.speaker;
  const M = T.neighbors[conn.mi]!;
  const holdTime = Math.min(N.holdTime, M.holdTime);
  return {
    a: { speakerIndex: si, speaker: S, neighborIndex: ni, neighbor: N, localAddress: conn.aLocal, keepalive: effectiveKeepalive(S, N, holdTime) },
    b: { speakerIndex: conn.ti, speaker: T, neighborIndex: conn.mi, neighbor: M, localAddress: conn.bLocal, keepalive: effectiveKeepalive(T, M, holdTime) },
    type: S.asn === T.asn ? 'internal' : 'external',
    holdTime,
    families: N.families.filter((f) => M.families.includes(f)),
    initiator: conn.initiator,
  };
}

/**
 * Pairs neighbours into sessions and decides each session's state.
 *
 * Phases (named functions of this module): `sessionContext` (indexes), then per undecided
 * neighbour: admin/family checks, `tcpCandidates`, `nhtOk` on both ends, `openError`, `sessionOf`.
 *
 * @example
 * ```ts
 * import { establishSessions, type SpeakerEntry, type BgpTables } from 'cilium-twin/bgp';
 * declare const entries: readonly SpeakerEntry[];
 * declare const tables: BgpTables;
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const { sessions, outcomes } = establishSessions(entries, cluster.hosts, tables);
 * outcomes[0]?.[0]?.state; // 'Established' in the lab
 * ```
 */
export function establishSessions(entries: readonly SpeakerEntry[], hosts: readonly Host[], tables: BgpTables): SessionsResult {
  const ctx = sessionContext(entries, hosts, tables);
  const { outcomes } = ctx;
  const sessions: BgpSession[] = [];
  const set = (si: number, ni: number, o: NeighborOutcome): void => {
    outcomes[si]![ni] = o;
  };
  for (let si = 0; si < entries.length; si++) {
    const S = entries[si]!.speaker;
    for (let ni = 0; ni < S.neighbors.length; ni++) {
      if (outcomes[si]![ni] !== undefined) continue;
      const N = S.neighbors[ni]!;
      const A = N.address;
      if (extrasOf(ctx, si, ni).shutdown) {
        set(si, ni, { state: 'Idle (Admin)', reason: 'Admin. shutdown' });
        continue;
      }
      if (N.families.length === 0) {
        set(si, ni, { state: 'Idle', reason: 'No AFI/SAFI activated for peer' });
        continue;
      }
      const owner = ctx.ownerOf(A);
      if (owner === undefined || owner === S.host) {
        const ok = nhtOk(ctx, si, ni, undefined);
        set(si, ni, { state: 'Active', reason: ok ? `no BGP speaker answers at ${A.toString()}` : 'Waiting for NHT' });
        continue;
      }
      const { candidates, configuredBack } = tcpCandidates(ctx, si, ni, owner);
      const conn = candidates[0];
      if (conn === undefined) {
        const reason = configuredBack ? 'TCP connection failed (no usable path or listener)' : `${owner} does not configure this neighbour`;
        set(si, ni, { state: 'Active', reason: nhtOk(ctx, si, ni, undefined) ? reason : 'Waiting for NHT' });
        continue;
      }
      const T = entries[conn.ti]!.speaker;
      const M = T.neighbors[conn.mi]!;
      const both = (o: NeighborOutcome, p: NeighborOutcome = o): void => {
        set(si, ni, o);
        set(conn.ti, conn.mi, p);
      };
      if (!nhtOk(ctx, si, ni, T.asn) || !nhtOk(ctx, conn.ti, conn.mi, S.asn)) {
        const sFail = !nhtOk(ctx, si, ni, T.asn);
        both(
          { state: 'Active', reason: sFail ? 'Waiting for NHT' : 'TCP connection failed (peer waiting for NHT)', remoteAs: T.asn },
          { state: 'Active', reason: sFail ? 'TCP connection failed (peer waiting for NHT)' : 'Waiting for NHT', remoteAs: S.asn },
        );
        continue;
      }
      const error = openError(S, N, T, M);
      if (error !== undefined) {
        both({ state: 'Idle', reason: error, remoteAs: T.asn }, { state: 'Idle', reason: error, remoteAs: S.asn });
        continue;
      }
      const session = sessionOf(ctx, si, ni, conn);
      sessions.push(session);
      both({ state: 'Established', remoteAs: T.asn, session, side: 'a' }, { state: 'Established', remoteAs: S.asn, session, side: 'b' });
    }
  }
  return {
    sessions,
    outcomes: outcomes.map((row, si) =>
      row.map((o, ni) => o ?? { state: 'Active', reason: `${entries[si]!.speaker.neighbors[ni]!.address.toString()} does not configure this neighbour` }),
    ),
  };
}
