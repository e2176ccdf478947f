/**
 * Best path by peer groups: the selection for a prefix whose candidates all come from one group
 * of peers that sent the same path with the same inbound treatment (propagation forms the
 * groups, `propagate.ts`). Such candidates differ only in their peer keys: next hop (each
 * member's session address), router ID, peer address, and next-hop validity. So FRR's
 * comparison (`bgp_path_info_cmp`, `bestpath.ts`) between two members goes to step 11 (equal for
 * multipath: same attributes, same peer type and AS) and is decided by router ID, then peer
 * address (lower wins), then the later one scanned. The group is ranked once by those keys
 * ({@link rankGroup}) and each prefix's selection ({@link selectForGroup}) gives exactly what
 * {@link selectBestPath} gives on the members' candidates in canonical order: the same best,
 * reason (the last comparison FRR makes: the multipath pass's last candidate, else the first
 * pass's last usable path against the best before it), multipath set and list order. The
 * candidates themselves are made only when read (`pathAt` for one, `paths` for the list).
 *
 * Not for `deterministic-med` (its grouping pass is left to {@link selectBestPath}).
 *
 * Complexity: ranking O(m log m) per group of m members, once; each prefix O(k + s) for
 * `maximum-paths k`, where s counts members skipped at the ends of the orders (invalid next
 * hops, the best's own next hop), O(1) when every next hop is valid and distinct; the full list
 * O(m) when read.
 *
 * @module
 */
import type { IpAddress } from '../../input/types.js';
import { compareIp, sameIp } from '../../net/addr.js';
import { comparePaths, REASONS, type BestPathSelection, type Candidate, type DecisionOptions } from '../frr/bestpath.js';
import type { BgpPath } from '../speaker.js';

/**
 * One peer of a group, as the group's candidates see it.
 *
 * @example
 * ```ts
 * import type { GroupMember, Candidate } from 'cilium-twin/bgp';
 * import { IPv4 } from 'ip-num';
 * declare const source: Extract<Candidate['source'], { kind: 'peer' }>;
 * const m: GroupMember = { rank: 3, nextHop: IPv4.fromString('192.168.0.13'), valid: true, source };
 * ```
 */
export interface GroupMember {
  /** Position of its session in the router's canonical peer order (address, then neighbour index). */
  readonly rank: number;
  /** The next hop it gives the group's filled paths (its session's local address). */
  readonly nextHop: IpAddress;
  /** Whether that next hop is usable on its session. */
  readonly valid: boolean;
  /** The candidates' source (peer). */
  readonly source: Extract<Candidate['source'], { readonly kind: 'peer' }>;
}

/**
 * A group's members in the three orders selection reads, made once per group.
 *
 * @example
 * ```ts
 * import { rankGroup, type GroupMember, type GroupRanking } from 'cilium-twin/bgp';
 * declare const members: readonly GroupMember[];
 * const r: GroupRanking = rankGroup(members);
 * ```
 */
export interface GroupRanking {
  /** Members in canonical order (rank ascending). */
  readonly canon: readonly GroupMember[];
  /** Canonical index of each member. */
  readonly canonIndex: ReadonlyMap<GroupMember, number>;
  /** Members in FRR preference order among themselves: router ID, peer address, later scanned first. */
  readonly byPreference: readonly GroupMember[];
  /** Members in multipath order: next hop, peer address, canonical order. */
  readonly byNextHop: readonly GroupMember[];
}

/**
 * Ranks a group's members once (O(m log m)).
 *
 * @example
 * ```ts
 * import { rankGroup, type GroupMember } from 'cilium-twin/bgp';
 * declare const members: readonly GroupMember[];
 * rankGroup(members).byPreference[0]; // the member with the lowest router ID
 * ```
 */
export function rankGroup(members: readonly GroupMember[]): GroupRanking {
  const canon = [...members].sort((a, b) => a.rank - b.rank);
  const canonIndex = new Map(canon.map((m, i) => [m, i]));
  const rid = new Map(canon.map((m) => [m, m.source.routerId.getValue()]));
  const byPreference = [...canon].sort((a, b) => {
    const x = rid.get(a)!;
    const y = rid.get(b)!;
    if (x !== y) return x < y ? -1 : 1;
    return compareIp(a.source.address, b.source.address) || b.rank - a.rank;
  });
  const byNextHop = [...canon].sort((a, b) => compareIp(a.nextHop, b.nextHop) || compareIp(a.source.address, b.source.address) || a.rank - b.rank);
  return { canon, canonIndex, byPreference, byNextHop };
}

/**
 * The group's path for one prefix after inbound rules: `path` as the first member would get it;
 * `filled` when each member's path carries that member's next hop (else every member gets
 * `path` with its own next hop and `validFixed` says whether it is usable).
 *
 * @example
 * ```ts
 * import type { GroupPath, BgpPath } from 'cilium-twin/bgp';
 * declare const path: BgpPath;
 * const g: GroupPath = { path, filled: true, validFixed: false };
 * ```
 */
export interface GroupPath {
  /** The accepted path (next hop: the first member's when filled). */
  readonly path: BgpPath;
  /** True when the next hop is each member's own. */
  readonly filled: boolean;
  /** Validity of the shared next hop (when not filled). */
  readonly validFixed: boolean;
}

/**
 * The selection {@link selectBestPath} makes over the candidates of every member of a group for
 * one path, from the group's ranking (O(k + skipped), see the module doc). Not for
 * `deterministic-med`.
 *
 * @example
 * ```ts
 * import { selectForGroup, rankGroup } from 'cilium-twin/bgp';
 * declare const members: Parameters<typeof rankGroup>[0];
 * declare const item: Parameters<typeof selectForGroup>[1];
 * declare const options: Parameters<typeof selectForGroup>[2];
 * selectForGroup(rankGroup(members), item, options).multipath.length; // up to maximum-paths
 * ```
 */
export function selectForGroup(g: GroupRanking, item: GroupPath, o: DecisionOptions): BestPathSelection {
  const validOf = (m: GroupMember): boolean => (item.filled ? m.valid : item.validFixed);
  const nextHopOf = (m: GroupMember): IpAddress => (item.filled ? m.nextHop : item.path.nextHop);
  const candidateOf = (m: GroupMember): Candidate => ({
    path: item.filled ? { ...item.path, nextHop: m.nextHop } : item.path,
    weight: 0,
    source: m.source,
    valid: validOf(m),
  });
  const { canon, canonIndex, byPreference, byNextHop } = g;
  const best = byPreference.find(validOf);
  let paths: readonly Candidate[] | undefined;
  if (best === undefined) {
    return {
      get paths() {
        return (paths ??= canon.map(candidateOf));
      },
      reason: REASONS.none,
      multipath: [],
      dmedSelected: [],
      pathAt: (i) => (paths !== undefined ? paths[i]! : candidateOf(canon[i]!)),
    };
  }
  const bestIndex = canonIndex.get(best)!;
  const bestHop = nextHopOf(best);
  const bestCandidate = candidateOf(best);
  const multipathPass = o.maximumPaths > 1 || o.maximumPathsIbgp > 1;
  // the reason: FRR's last comparison
  let lastEligible: GroupMember | undefined;
  if (multipathPass) {
    for (let i = canon.length - 1; i >= 0; i--) {
      const m = canon[i]!;
      if (m !== best && validOf(m) && !sameIp(nextHopOf(m), bestHop)) {
        lastEligible = m;
        break;
      }
    }
  }
  let reason: string;
  if (lastEligible !== undefined) reason = comparePaths(candidateOf(lastEligible), bestCandidate, o).reason;
  else {
    let lastUsable: GroupMember | undefined;
    for (let i = canon.length - 1; i >= 0 && lastUsable === undefined; i--) if (validOf(canon[i]!)) lastUsable = canon[i]!;
    const before = byPreference.find((m) => m !== lastUsable && validOf(m));
    reason = comparePaths(candidateOf(lastUsable!), before !== undefined ? candidateOf(before) : undefined, o).reason;
  }
  // the multipath set: members in (next hop, address) order, distinct next hops, up to the limit
  const maxpaths = best.source.type === 'internal' ? o.maximumPathsIbgp : o.maximumPaths;
  const chosen: GroupMember[] = [best];
  if (multipathPass && item.filled) {
    let prev = best;
    for (const m of byNextHop) {
      if (m === best || !validOf(m) || sameIp(nextHopOf(m), bestHop)) continue;
      if (chosen.length >= maxpaths) break;
      if (sameIp(nextHopOf(m), nextHopOf(prev))) continue;
      chosen.push(m);
      prev = m;
    }
  }
  const position = (m: GroupMember): number => {
    if (m === best) return 0;
    const c = canonIndex.get(m)!;
    return c < bestIndex ? c + 1 : c;
  };
  const atPosition = (i: number): GroupMember => (i === 0 ? best : canon[i - 1 < bestIndex ? i - 1 : i]!);
  return {
    get paths() {
      return (paths ??= [bestCandidate, ...canon.filter((m) => m !== best).map(candidateOf)]);
    },
    best: 0,
    reason,
    multipath: chosen.map(position),
    dmedSelected: [],
    pathAt: (i) => (paths !== undefined ? paths[i]! : i === 0 ? bestCandidate : candidateOf(atPosition(i))),
  };
}
