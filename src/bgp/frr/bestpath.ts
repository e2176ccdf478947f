/**
 * FRR 8.4's best-path decision (`bgp_path_info_cmp`, `bgp_best_selection`) and multipath
 * selection (`bgp_path_info_mpath_update`), with FRR's reason strings.
 *
 * Reference decision 2: all paths of a prefix are taken to arrive in the same best-path run, so
 * the `Older Path` step never applies (no path is the incumbent) and equal eBGP paths fall to the
 * lowest router ID (`best (Router ID)`). Paths are scanned in a canonical order: locally
 * originated first, then by peer address ascending (FRR's peer list order). The reason shown is,
 * as in FRR, the verdict of the last comparison made (first pass, then the multipath pass, which
 * compares each candidate against the best). The list FRR prints puts the best path first
 * (`best #1`), then the others in canonical order.
 *
 * Complexity: O(c log c) for c candidates (one decorated sort for the canonical order; the
 * multipath set from a heap, O(c + k log c) for `maximum-paths k`); `deterministic-med` adds
 * O(c²) in the worst case (FRR's own pairwise grouping).
 *
 * @module
 */
import type { IpAddress } from '../../input/types.js';
import type { BgpPath } from '../speaker.js';
import { compareIp, sameIp } from '../../net/addr.js';

/**
 * Where a path came from.
 *
 * @example
 * const s: PathSource = { kind: 'local', subType: 'network' };
 */
export type PathSource =
  | {
      /** Originated by this router. */
      readonly kind: 'local';
      /** `network` statement or `redistribute`. */
      readonly subType: 'network' | 'redistribute';
      /** The redistributed route type. */
      readonly redistribute?: 'connected' | 'static' | 'kernel';
    }
  | {
      /** Learned from a peer. */
      readonly kind: 'peer';
      /** The peer's address (the session's remote address). */
      readonly address: IpAddress;
      /** The peer's BGP identifier. */
      readonly routerId: IpAddress;
      /** The peer's AS. */
      readonly peerAs: number;
      /** eBGP or iBGP session. */
      readonly type: 'external' | 'internal';
      /** Host the peer runs on. */
      readonly host: string;
    };

/**
 * A path in a router's table: attributes, weight, origin, and whether its next hop is usable.
 *
 * @example
 * const c: Candidate = { path, weight: 0, source, valid: true };
 */
export interface Candidate {
  /** Attributes after inbound policy. */
  readonly path: BgpPath;
  /** Weight (32768 for local paths). */
  readonly weight: number;
  /** Origin of the path. */
  readonly source: PathSource;
  /** False when the next hop is not usable (FRR: not `valid`; never selected). */
  readonly valid: boolean;
}

/**
 * The knobs of the decision process (from `router bgp`).
 *
 * @example
 * const o: DecisionOptions = { routerId, defaultLocalPref: 100, alwaysCompareMed: false, medMissingAsWorst: false,
 *   asPathIgnore: false, multipathRelax: true, deterministicMed: false, maximumPaths: 4, maximumPathsIbgp: 256 };
 */
export interface DecisionOptions {
  /** `bgp default local-preference`. */
  readonly defaultLocalPref: number;
  /** `bgp always-compare-med`. */
  readonly alwaysCompareMed: boolean;
  /** `bgp bestpath med missing-as-worst`. */
  readonly medMissingAsWorst: boolean;
  /** `bgp bestpath as-path ignore`. */
  readonly asPathIgnore: boolean;
  /** `bgp bestpath as-path multipath-relax`. */
  readonly multipathRelax: boolean;
  /** `bgp deterministic-med`. */
  readonly deterministicMed: boolean;
  /** `maximum-paths` (eBGP). */
  readonly maximumPaths: number;
  /** `maximum-paths ibgp`. */
  readonly maximumPathsIbgp: number;
}

/**
 * FRR's reason strings (`bgp_path_selection_reason2str`).
 *
 * @example
 * REASONS.routerId; // 'Router ID'
 */
export const REASONS = {
  none: 'Nothing to Select',
  first: 'First path received',
  weight: 'Weight',
  localPref: 'Local Pref',
  localRoute: 'Local Route',
  asPath: 'AS Path',
  origin: 'Origin',
  med: 'MED',
  peerType: 'Peer Type',
  igpMetric: 'IGP Metric',
  olderPath: 'Older Path',
  routerId: 'Router ID',
  clusterLength: 'Cluster length',
  localConfigured: 'Locally configured route',
  neighborIp: 'Neighbor IP',
  default: 'Nothing left to compare',
} as const;

/**
 * The outcome of one pairwise comparison.
 *
 * @example
 * comparePaths(a, b, options); // { newWins: true, reason: 'Router ID', pathsEq: true }
 */
export interface Comparison {
  /** True when `next` is better than `exist`. */
  readonly newWins: boolean;
  /** The step that decided. */
  readonly reason: string;
  /** Step 11: the two are equal for multipath. */
  readonly pathsEq: boolean;
}

const ORIGIN_RANK = { igp: 0, egp: 1, incomplete: 2 } as const;

/**
 * Every possible {@link Comparison}, made once (a constant table: best-path selection compares
 * each of thousands of candidates twice, so no result object is allocated per comparison).
 */
const COMPARISONS: ReadonlyMap<string, readonly Comparison[]> = new Map(
  Object.values(REASONS).map((reason) => [
    reason,
    [false, true].flatMap((newWins) => [false, true].map((pathsEq) => Object.freeze({ newWins, reason, pathsEq }))),
  ]),
);

function r(newWins: boolean, reason: string, pathsEq = false): Comparison {
  return COMPARISONS.get(reason)![(newWins ? 2 : 0) + (pathsEq ? 1 : 0)]!;
}

function leftmostAs(p: BgpPath): number | undefined {
  return p.asPath[0];
}

function sameAsPath(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isLocal(c: Candidate): boolean {
  return c.source.kind === 'local';
}

function peerType(c: Candidate): 'external' | 'internal' {
  // peer_self is an internal peer.
  return c.source.kind === 'peer' ? c.source.type : 'internal';
}

function routerIdOf(c: Candidate): bigint {
  // peer_self has no remote identifier (0.0.0.0).
  return c.source.kind === 'peer' ? c.source.routerId.getValue() : 0n;
}

/**
 * Compares `next` against the currently selected `exist` (FRR `bgp_path_info_cmp`, 8.4 order):
 * weight, local-pref, local route, AS-path length, origin, MED (same neighbour AS, both empty, or
 * always-compare-med), eBGP over iBGP, IGP metric (the model's are all 0), multipath equality,
 * router ID, cluster length, locally configured, neighbour address (lower wins).
 *
 * @example
 * comparePaths(pathFrom101, pathFrom100, options).reason; // 'Router ID'
 */
export function comparePaths(next: Candidate, exist: Candidate | undefined, o: DecisionOptions): Comparison {
  if (exist === undefined) return r(true, REASONS.first);
  // 1. weight
  if (next.weight !== exist.weight) return r(next.weight > exist.weight, REASONS.weight);
  // 2. local preference
  const nlp = next.path.localPref ?? o.defaultLocalPref;
  const elp = exist.path.localPref ?? o.defaultLocalPref;
  if (nlp !== elp) return r(nlp > elp, REASONS.localPref);
  // 3. locally originated
  if (isLocal(next) !== isLocal(exist)) return r(isLocal(next), REASONS.localRoute);
  // 4. AS path length
  if (!o.asPathIgnore && next.path.asPath.length !== exist.path.asPath.length) {
    return r(next.path.asPath.length < exist.path.asPath.length, REASONS.asPath);
  }
  // 5. origin
  if (next.path.origin !== exist.path.origin) return r(ORIGIN_RANK[next.path.origin] < ORIGIN_RANK[exist.path.origin], REASONS.origin);
  // 6. MED
  const nla = leftmostAs(next.path);
  const ela = leftmostAs(exist.path);
  const bothInternal = next.path.asPath.length === 0 && exist.path.asPath.length === 0;
  if (o.alwaysCompareMed || (nla !== undefined && nla === ela) || bothInternal) {
    const missing = o.medMissingAsWorst ? 4294967295 : 0;
    const nm = next.path.med ?? missing;
    const em = exist.path.med ?? missing;
    if (nm !== em) return r(nm < em, REASONS.med);
  }
  // 7. peer type
  const nt = peerType(next);
  const et = peerType(exist);
  if (nt !== et) return r(nt === 'external', REASONS.peerType);
  // 8–10. IGP metric (all 0 in the model), cluster length, confederations: equal.
  // 11. multipath equality
  let pathsEq = false;
  if (o.multipathRelax) pathsEq = true;
  else if (nt === 'internal') pathsEq = sameAsPath(next.path.asPath, exist.path.asPath);
  else {
    const nas = next.source.kind === 'peer' ? next.source.peerAs : undefined;
    const eas = exist.source.kind === 'peer' ? exist.source.peerAs : undefined;
    pathsEq = nas !== undefined && nas === eas;
  }
  // 12. Older Path: never (decision 2: no incumbent).
  // 13. router ID
  const nid = routerIdOf(next);
  const eid = routerIdOf(exist);
  if (nid !== eid) return r(nid < eid, REASONS.routerId, pathsEq);
  // 14. cluster length: equal. 15. locally configured routes lose, then lower peer address.
  if (next.source.kind !== 'peer') return r(false, REASONS.localConfigured, pathsEq);
  if (exist.source.kind !== 'peer') return r(true, REASONS.localConfigured, pathsEq);
  const c = compareIp(next.source.address, exist.source.address);
  if (c !== 0) return r(c < 0, REASONS.neighborIp, pathsEq);
  return r(true, REASONS.default, pathsEq);
}

const REDISTRIBUTE_RANK = { connected: 1, kernel: 2, static: 3 } as const;

/**
 * The canonical scan order of a prefix's paths: locally originated first (`network`, then
 * `redistribute` connected, kernel, static), then learned paths by peer address.
 *
 * @example
 * canonicalOrder(paths)[0]?.source.kind; // 'local'
 */
export function canonicalOrder(paths: readonly Candidate[]): Candidate[] {
  // Already in order (peers added in address order, as the propagation does): a copy, O(c).
  if (inCanonicalOrder(paths)) return paths.slice();
  // Decorated sort: rank and (for IPv4 peers) the address as a number, computed once per path.
  const keyed = paths.map((c, i) => {
    const rank =
      c.source.kind === 'peer' ? 10 : c.source.subType === 'network' ? 0 : REDISTRIBUTE_RANK[c.source.redistribute ?? 'connected'];
    const v4 = c.source.kind === 'peer' && c.source.address.bitSize === 32 ? Number(c.source.address.value) : undefined;
    return { c, i, rank, v4 };
  });
  keyed.sort((a, b) => {
    const d = a.rank - b.rank;
    if (d !== 0) return d;
    if (a.c.source.kind === 'peer' && b.c.source.kind === 'peer') {
      if (a.v4 !== undefined && b.v4 !== undefined) return a.v4 - b.v4 || a.i - b.i;
      return compareIp(a.c.source.address, b.c.source.address) || a.i - b.i;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.c);
}

function scanRank(c: Candidate): number {
  return c.source.kind === 'peer' ? 10 : c.source.subType === 'network' ? 0 : REDISTRIBUTE_RANK[c.source.redistribute ?? 'connected'];
}

/**
 * True when the stable canonical sort would leave `paths` as they are: every neighbour pair
 * already in (rank, peer address) order (equal keys keep their input order either way).
 */
function inCanonicalOrder(paths: readonly Candidate[]): boolean {
  for (let i = 1; i < paths.length; i++) {
    const a = paths[i - 1]!;
    const b = paths[i]!;
    const d = scanRank(a) - scanRank(b);
    if (d > 0) return false;
    if (d < 0) continue;
    if (a.source.kind === 'peer' && b.source.kind === 'peer' && compareIp(a.source.address, b.source.address) > 0) return false;
  }
  return true;
}

/**
 * The result of best-path selection for one prefix.
 *
 * @example
 * const s = selectBestPath(paths, options);
 * s.paths[s.best ?? 0]; // the best path (always index 0 when there is one)
 */
export interface BestPathSelection {
  /** The paths in the order FRR lists them: the best first, then the others in canonical order. */
  readonly paths: readonly Candidate[];
  /** Index of the best path (0), or undefined when no path is valid. */
  readonly best?: number;
  /** The reason string of the last comparison (`Nothing to Select` without a best path). */
  readonly reason: string;
  /** Indices (into `paths`) of the multipath set, best first, in FRR's selection order. */
  readonly multipath: readonly number[];
  /** Indices of the paths that won their neighbour-AS group (deterministic-med only). */
  readonly dmedSelected: readonly number[];
  /**
   * Optional: the path at an index of {@link BestPathSelection.paths} without making the whole
   * list (a selection computed for a peer group makes its per-peer paths only when a view reads
   * them). Read paths through {@link selectedPath}.
   */
  readonly pathAt?: (index: number) => Candidate;
}

/**
 * The path at `index` of a selection's list (the best is at `sel.best`), without making the
 * whole list when the selection can give one path alone.
 *
 * @example
 * ```ts
 * import { selectedPath, selectBestPath } from 'cilium-twin/bgp';
 * declare const s: ReturnType<typeof selectBestPath>;
 * const best = s.best !== undefined ? selectedPath(s, s.best) : undefined;
 * ```
 */
export function selectedPath(sel: BestPathSelection, index: number): Candidate {
  return sel.pathAt !== undefined ? sel.pathAt(index) : sel.paths[index]!;
}

/**
 * Runs FRR's selection on a prefix's paths: the deterministic-MED grouping pass when enabled,
 * the best-path pass, then the multipath pass and `maximum-paths` (eBGP or iBGP after the best
 * path's peer type): candidates equal to the best at step 11 and with a next hop different from
 * the best's, sorted by next hop then peer address, each taken when its next hop differs from the
 * previously taken one, up to the limit.
 *
 * @example
 * ```ts
 * const s = selectBestPath([p100, p101, p20_100], { ...options, maximumPaths: 4 });
 * s.reason; // 'Router ID'
 * s.multipath.length; // 3
 * ```
 */
export function selectBestPath(input: readonly Candidate[], o: DecisionOptions): BestPathSelection {
  // One path (a node's own pod CIDR): what the passes below give, without their sets and maps.
  if (input.length === 1) {
    const only = input[0]!;
    if (!only.valid) return { paths: [only], reason: REASONS.none, multipath: [], dmedSelected: [] };
    return { paths: [only], best: 0, reason: REASONS.first, multipath: [0], dmedSelected: o.deterministicMed ? [0] : [] };
  }
  const order = canonicalOrder(input);
  const usable = order.filter((c) => c.valid);
  const dmed = new Set<Candidate>();
  let reason: string = REASONS.none;
  if (o.deterministicMed) {
    const checked = new Set<Candidate>();
    for (let i = 0; i < usable.length; i++) {
      const p1 = usable[i]!;
      if (checked.has(p1)) continue;
      let sel = p1;
      for (let j = i + 1; j < usable.length; j++) {
        const p2 = usable[j]!;
        if (checked.has(p2)) continue;
        const l1 = leftmostAs(p1.path);
        if (l1 === undefined || l1 !== leftmostAs(p2.path)) continue;
        const c = comparePaths(p2, sel, o);
        reason = c.reason;
        if (c.newWins) sel = p2;
        checked.add(p2);
      }
      checked.add(sel);
      dmed.add(sel);
    }
  }
  let best: Candidate | undefined;
  for (const c of usable) {
    if (o.deterministicMed && !dmed.has(c)) continue;
    const cmp = comparePaths(c, best, o);
    reason = cmp.reason;
    if (cmp.newWins) best = c;
  }
  if (best === undefined) {
    return { paths: order, reason: REASONS.none, multipath: [], dmedSelected: [] };
  }
  const paths = [best, ...order.filter((c) => c !== best)];
  const maxpaths = peerType(best) === 'internal' ? o.maximumPathsIbgp : o.maximumPaths;
  const candidates: Candidate[] = [];
  if (o.maximumPaths > 1 || o.maximumPathsIbgp > 1) {
    for (const c of paths) {
      if (c === best || !c.valid) continue;
      if (sameIp(c.path.nextHop, best.path.nextHop)) continue;
      const cmp = comparePaths(c, best, o);
      reason = cmp.reason;
      if (cmp.pathsEq) candidates.push(c);
    }
  }
  // The multipath set takes candidates in (next hop, peer address) order until `maxpaths` are
  // chosen: a heap yields them in that order without sorting every candidate (O(n + k log n)).
  const chosen: Candidate[] = [best];
  let prev = best;
  for (const c of inOrder(candidates, compareMultipath)) {
    if (chosen.length >= maxpaths) break;
    if (sameIp(c.path.nextHop, prev.path.nextHop)) continue;
    chosen.push(c);
    prev = c;
  }
  // positions of the (at most maximum-paths) chosen paths, found in one pass without a map of all
  const wanted = new Set(chosen);
  const position = new Map<Candidate, number>();
  for (let i = 0; i < paths.length && position.size < wanted.size; i++) if (wanted.has(paths[i]!)) position.set(paths[i]!, i);
  return {
    paths,
    best: 0,
    reason,
    multipath: chosen.map((c) => position.get(c)!),
    dmedSelected: o.deterministicMed ? paths.map((c, i) => (dmed.has(c) ? i : -1)).filter((i) => i >= 0) : [],
  };
}

function compareMultipath(a: Candidate, b: Candidate): number {
  const d = compareIp(a.path.nextHop, b.path.nextHop);
  if (d !== 0) return d;
  if (a.source.kind !== 'peer' || b.source.kind !== 'peer') return a.source.kind === 'peer' ? -1 : b.source.kind === 'peer' ? 1 : 0;
  return compareIp(a.source.address, b.source.address);
}

/**
 * The items in `cmp` order, ties in input order (what a stable sort gives), produced lazily
 * from a binary heap: O(n) to start, O(log n) per item taken.
 */
function* inOrder<T>(items: readonly T[], cmp: (a: T, b: T) => number): Generator<T> {
  const heap = items.map((item, i) => ({ item, i }));
  const less = (x: { item: T; i: number }, y: { item: T; i: number }): boolean => {
    const d = cmp(x.item, y.item);
    return d < 0 || (d === 0 && x.i < y.i);
  };
  const down = (start: number): void => {
    let k = start;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= heap.length) return;
      const r = l + 1;
      const m = r < heap.length && less(heap[r]!, heap[l]!) ? r : l;
      if (!less(heap[m]!, heap[k]!)) return;
      [heap[k], heap[m]] = [heap[m]!, heap[k]!];
      k = m;
    }
  };
  for (let k = (heap.length >> 1) - 1; k >= 0; k--) down(k);
  while (heap.length > 0) {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    yield top.item;
  }
}
