/**
 * Cilium's route policies: names (`<peer>-<afi>-<type>[-<resource>]`), export statements
 * (neighbor + exact prefixes → accept, with communities and local preference), the merge of
 * overlapping service advertisements, the `allow-local` import policy, and GoBGP's evaluation
 * of the export policies for one path towards one neighbor.
 *
 * Complexity: {@link evaluateExport} is O(statements) per path; {@link exportMatcher} answers the
 * same per path in O(1) after O(statements) for one neighbour.
 *
 * @module
 */
import type { BgpAttributes, IpAddress, IpPrefix } from '../../input/types.js';
import { comparePrefix, familyOf, formatIp, formatPrefix, networkValue, prefixCovers, prefixLength, sameIp } from '../../net/addr.js';
import { afiOf } from './addr.js';
import type { PolicyPrefixMatch, RoutePolicy, RoutePolicyStatement } from './types.js';

/** GoBGP's well-known community names and their values (the 14 names the CRD accepts). */
export const WELL_KNOWN_COMMUNITIES: Readonly<Record<string, number>> = {
  internet: 0x00000000,
  'planned-shut': 0xffff0000,
  'accept-own': 0xffff0001,
  'route-filter-translated-v4': 0xffff0002,
  'route-filter-v4': 0xffff0003,
  'route-filter-translated-v6': 0xffff0004,
  'route-filter-v6': 0xffff0005,
  'llgr-stale': 0xffff0006,
  'no-llgr': 0xffff0007,
  blackhole: 0xffff029a,
  'no-export': 0xffffff01,
  'no-advertise': 0xffffff02,
  'no-export-subconfed': 0xffffff03,
  'no-peer': 0xffffff04,
};

/**
 * The 32-bit value of a standard community written as `a:b`, a decimal number, or a
 * well-known name; `undefined` when it is none of these.
 *
 * @example
 * ```ts
 * communityValue('65000:100'); // 4259840100
 * communityValue('no-export'); // 4294967041
 * ```
 */
export function communityValue(text: string): number | undefined {
  const wk = WELL_KNOWN_COMMUNITIES[text];
  if (wk !== undefined) return wk;
  const ab = /^(\d+):(\d+)$/.exec(text);
  if (ab !== null) {
    const a = Number(ab[1]);
    const b = Number(ab[2]);
    if (a > 0xffff || b > 0xffff) return undefined;
    return a * 0x10000 + b;
  }
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 0xffffffff ? n : undefined;
  }
  return undefined;
}

/**
 * A community value as `a:b` (the numeric form the peer router sees).
 *
 * @example
 * ```ts
 * communityText(0xffffff01); // '65535:65281'
 * ```
 */
export function communityText(value: number): string {
  return `${Math.floor(value / 0x10000)}:${value % 0x10000}`;
}

/**
 * A community value as GoBGP prints it in path attributes: the well-known name when it has
 * one, else `a:b`.
 *
 * @example
 * ```ts
 * communityDisplay(0xffffff01); // 'no-export'
 * ```
 */
export function communityDisplay(value: number): string {
  for (const [name, v] of Object.entries(WELL_KNOWN_COMMUNITIES)) if (v === value) return name;
  return communityText(value);
}

/**
 * Cilium's policy name: `<peer>-<afi>-<type>` or `<peer>-<afi>-<type>-<resourceID>`.
 *
 * @example
 * ```ts
 * policyName('tor-switch', 'ipv4', 'Service', 'webpod-default-LoadBalancerIP');
 * // 'tor-switch-ipv4-Service-webpod-default-LoadBalancerIP'
 * ```
 */
export function policyName(peer: string, afi: string, advertType: string, resourceId = ''): string {
  return resourceId === '' ? `${peer}-${afi}-${advertType}` : `${peer}-${afi}-${advertType}-${resourceId}`;
}

/**
 * Standard and well-known communities of an advertisement merged in that order, deduplicated
 * by value (first spelling kept); large communities deduplicated as strings. Invalid
 * communities are dropped (the real agent fails the reconciliation; the CRD rejects most).
 *
 * @example
 * ```ts
 * advertCommunities({ communities: { standard: ['65535:65281'], wellKnown: ['no-export'], large: [] } });
 * // { standard: ['65535:65281'], large: [] }
 * ```
 */
export function advertCommunities(attrs: BgpAttributes | undefined): { standard: string[]; large: string[] } {
  const standard: string[] = [];
  const seen = new Set<number>();
  const c = attrs?.communities;
  for (const s of [...(c?.standard ?? []), ...(c?.wellKnown ?? [])]) {
    const v = communityValue(s);
    if (v === undefined || seen.has(v)) continue;
    seen.add(v);
    standard.push(s);
  }
  const large = [...new Set(c?.large ?? [])];
  return { standard, large };
}

/**
 * Cilium's `CreatePolicy`: an export policy with one statement per family present (IPv4 first),
 * each matching the peer and the prefixes exactly (min = max = their length), accepting, with
 * the advertisement's communities and local preference.
 *
 * @example
 * ```ts
 * createExportPolicy('tor-switch-ipv4-PodCIDR', peerAddr, [podCidr], undefined);
 * ```
 */
export function createExportPolicy(
  name: string,
  peerAddress: IpAddress,
  prefixes: readonly IpPrefix[],
  attrs: BgpAttributes | undefined,
): RoutePolicy {
  const { standard, large } = advertCommunities(attrs);
  const byFamily = (v4: boolean): PolicyPrefixMatch[] =>
    [...prefixes]
      .filter((p) => (afiOf(p) === 'ipv4') === v4)
      .sort(comparePrefix)
      .map((p) => ({ prefix: p, lenMin: prefixLength(p), lenMax: prefixLength(p) }));
  const statements: RoutePolicyStatement[] = [];
  for (const matches of [byFamily(true), byFamily(false)]) {
    if (matches.length === 0) continue;
    statements.push({
      matchNeighbors: [peerAddress],
      matchPrefixes: matches,
      routeAction: 'accept',
      ...(attrs?.localPreference !== undefined ? { setLocalPreference: attrs.localPreference } : {}),
      addCommunities: standard,
      addLargeCommunities: large,
    });
  }
  return { name, type: 'export', statements };
}

function conditionKey(s: RoutePolicyStatement): string {
  const n = s.matchNeighbors.map(formatIp).join(',');
  const p = s.matchPrefixes.map((m) => `${formatPrefix(m.prefix)}(${m.lenMin}..${m.lenMax})`).join(',');
  return `${n}|${p}`;
}

/**
 * Cilium's `MergeRoutePolicies` (1.18): statements with identical conditions are merged
 * (communities unioned, the higher local preference kept); then every statement's communities
 * are deduplicated and sorted as strings, and statements are ordered by prefix length, longest
 * first (stable).
 *
 * @example
 * ```ts
 * mergeRoutePolicies(policyFromAdvertA, policyFromAdvertB).statements[0]?.addCommunities;
 * // ['65000:102', '65000:98']
 * ```
 */
export function mergeRoutePolicies(a: RoutePolicy, b: RoutePolicy): RoutePolicy {
  const merged = new Map<string, RoutePolicyStatement>();
  for (const s of [...a.statements, ...b.statements]) {
    const key = conditionKey(s);
    const cur = merged.get(key);
    if (cur === undefined) {
      merged.set(key, s);
      continue;
    }
    let lp = cur.setLocalPreference;
    if (s.setLocalPreference !== undefined && (lp === undefined || s.setLocalPreference > lp)) lp = s.setLocalPreference;
    merged.set(key, {
      matchNeighbors: cur.matchNeighbors,
      matchPrefixes: cur.matchPrefixes,
      routeAction: cur.routeAction,
      ...(lp !== undefined ? { setLocalPreference: lp } : {}),
      addCommunities: [...cur.addCommunities, ...s.addCommunities],
      addLargeCommunities: [...cur.addLargeCommunities, ...s.addLargeCommunities],
    });
  }
  const statements = [...merged.values()].map((s) => ({
    ...s,
    addCommunities: [...new Set(s.addCommunities)].sort(),
    addLargeCommunities: [...new Set(s.addLargeCommunities)].sort(),
  }));
  const firstLen = (s: RoutePolicyStatement): number => s.matchPrefixes[0]?.lenMin ?? -1;
  statements.sort((x, y) => firstLen(y) - firstLen(x));
  return { name: a.name, type: a.type, statements };
}

/**
 * The global import policy every Cilium instance installs: accept only locally originated
 * routes (the default import action rejects everything learned from peers).
 *
 * @example
 * ```ts
 * allowLocalPolicy().name; // 'allow-local'
 * ```
 */
export function allowLocalPolicy(): RoutePolicy {
  return {
    name: 'allow-local',
    type: 'import',
    statements: [{ matchNeighbors: [], matchPrefixes: [], routeAction: 'accept', addCommunities: [], addLargeCommunities: [] }],
  };
}

/**
 * Whether a statement's conditions match a path to a neighbor: the neighbor is listed (or none
 * are) and some prefix match covers the path's prefix with a length in range.
 *
 * @example
 * ```ts
 * statementMatches(stmt, peerAddr, prefix);
 * ```
 */
export function statementMatches(s: RoutePolicyStatement, neighbor: IpAddress, prefix: IpPrefix): boolean {
  if (s.matchNeighbors.length > 0 && !s.matchNeighbors.some((n) => sameIp(n, neighbor))) return false;
  if (s.matchPrefixes.length === 0) return true;
  const len = prefixLength(prefix);
  return s.matchPrefixes.some(
    (m) => len >= m.lenMin && len <= m.lenMax && prefixCovers(m.prefix, prefix),
  );
}

/**
 * GoBGP's export decision with Cilium's policies: the policies are evaluated in order, the
 * first statement whose conditions match decides (Cilium's statements all accept); when none
 * matches, the default export action rejects. Returns the accepting policy and statement.
 *
 * @example
 * ```ts
 * const hit = evaluateExport(exportPolicies, peerAddr, prefix);
 * if (hit) hit.policy.name; // 'tor-switch-ipv4-PodCIDR'
 * ```
 */
export function evaluateExport(
  policies: readonly RoutePolicy[],
  neighbor: IpAddress,
  prefix: IpPrefix,
): { policy: RoutePolicy; statement: RoutePolicyStatement } | undefined {
  for (const policy of policies) {
    if (policy.type !== 'export') continue;
    for (const statement of policy.statements) {
      if (statementMatches(statement, neighbor, prefix)) {
        return statement.routeAction === 'accept' ? { policy, statement } : undefined;
      }
    }
  }
  return undefined;
}

/** What {@link evaluateExport} returns for a hit. */
type ExportHit = { policy: RoutePolicy; statement: RoutePolicyStatement };

function exactKey(p: IpPrefix): string {
  // the masked text names (family, network, length) exactly, and is kept per prefix object
  return formatPrefix(p);
}

/**
 * {@link evaluateExport} for one neighbour and many prefixes: the statements are filtered by
 * neighbour once; when every remaining prefix match is exact (`lenMin = lenMax` = the prefix's
 * length, as Cilium's policies are), the first matching statement per prefix comes from a map,
 * so a node with P paths and S statements costs O(S + P) instead of O(S·P). Other policies fall
 * back to the scan. Same answers as `evaluateExport`.
 *
 * @example
 * ```ts
 * const match = exportMatcher(exportPolicies, peerAddr);
 * match(prefix)?.policy.name; // 'tor-switch-ipv4-PodCIDR'
 * ```
 */
export function exportMatcher(
  policies: readonly RoutePolicy[],
  neighbor: IpAddress,
): (prefix: IpPrefix) => ExportHit | undefined {
  const ordered: ExportHit[] = [];
  for (const policy of policies) {
    if (policy.type !== 'export') continue;
    for (const statement of policy.statements) {
      if (statement.matchNeighbors.length > 0 && !statement.matchNeighbors.some((n) => sameIp(n, neighbor))) continue;
      ordered.push({ policy, statement });
    }
  }
  const exact = ordered.every(({ statement }) =>
    statement.matchPrefixes.every((m) => m.lenMin === m.lenMax && m.lenMin === prefixLength(m.prefix)),
  );
  if (!exact) return (prefix) => evaluateExport(policies, neighbor, prefix);
  // First statement index per exact prefix; the first catch-all (no prefix matches).
  const first = new Map<string, number>();
  let catchAll = Infinity;
  ordered.forEach(({ statement }, i) => {
    if (statement.matchPrefixes.length === 0) {
      if (catchAll === Infinity) catchAll = i;
      return;
    }
    for (const m of statement.matchPrefixes) {
      const k = exactKey(m.prefix);
      if (!first.has(k)) first.set(k, i);
    }
  });
  return (prefix) => {
    const i = Math.min(first.get(exactKey(prefix)) ?? Infinity, catchAll);
    if (i === Infinity) return undefined;
    const hit = ordered[i]!;
    return hit.statement.routeAction === 'accept' ? hit : undefined;
  };
}
