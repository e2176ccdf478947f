/**
 * Views of Cilium's BGP control plane in the real tools' formats: `cilium bgp peers`,
 * `cilium bgp routes` (cluster-wide, cilium CLI), `cilium-dbg bgp peers` and
 * `cilium-dbg bgp route-policies` (one agent), and their `-o json` forms.
 *
 * Session state and the Received/Advertised counts are not the Cilium stage's to decide: they
 * come from the session stage through a {@link SessionStateLookup}. Without one, every session
 * shows {@link MODEL_SESSION_STATE} with zero counts.
 *
 * @module
 */
import type { IpAddress } from '../../input/types.js';
import { formatIp, formatPrefix } from '../../net/addr.js';
import { afiOf } from '../../bgp/cilium/addr.js';
import type { CiliumBgpInstance, CiliumBgpResult, CiliumPeerSession, RoutePolicy } from '../../bgp/cilium/types.js';
import { formatPathAttributes, goDuration, wireNextHop } from './format.js';
import { tabwrite } from '../tabwriter.js';
import { compareStrings } from '../../net/compare.js';

/** GoBGP session states as Cilium prints them. */
export type GoBgpSessionState = 'unknown' | 'idle' | 'connect' | 'active' | 'open_sent' | 'open_confirm' | 'established';

/** What the session stage knows about one session. */
export interface PeerSessionState {
  /** FSM state. */
  readonly state: GoBgpSessionState;
  /** Seconds since established (0 when not). */
  readonly uptime?: number;
  /** Paths received from the peer (before import policy): a total, or per family (`ipv4/unicast`). */
  readonly received?: number | Readonly<Record<string, number>>;
  /** Paths advertised to the peer (adj-RIB-out, GoBGP also counts End-of-RIB markers): total or per family. */
  readonly advertised?: number | Readonly<Record<string, number>>;
}

/** Session state of a node's session to a peer address; `undefined` = unknown to the caller. */
export type SessionStateLookup = (node: string, peerAddress: IpAddress) => PeerSessionState | undefined;

/**
 * The state shown when no session stage is wired in: Cilium always dials its peers, and
 * without the other side the model cannot say more than "trying" (`active`).
 */
export const MODEL_SESSION_STATE: PeerSessionState = { state: 'active', uptime: 0, received: 0, advertised: 0 };

function stateOf(lookup: SessionStateLookup | undefined, s: CiliumPeerSession): PeerSessionState {
  return lookup?.(s.node, s.peerAddress) ?? MODEL_SESSION_STATE;
}

function countFor(v: number | Readonly<Record<string, number>> | undefined, family: string, index: number): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return index === 0 ? v : 0;
  return v[family] ?? 0;
}

function sessionsOf(result: CiliumBgpResult, node?: string): CiliumPeerSession[] {
  return result.nodes.filter((n) => node === undefined || n.node === node).flatMap((n) => n.instances.flatMap((i) => i.peers));
}

function byAsnThenAddress(a: CiliumPeerSession, b: CiliumPeerSession): number {
  if (a.localASN !== b.localASN) return a.localASN - b.localASN;
  const x = formatIp(a.peerAddress);
  const y = formatIp(b.peerAddress);
  return compareStrings(x, y);
}

/**
 * `cilium bgp peers`: every node's sessions (nodes by name, node name on its first row),
 * one row per family.
 *
 * @example
 * ```ts
 * renderCiliumBgpPeers(result);
 * // Node      Local AS   Peer AS   Peer Address     Session State   Uptime   Family         Received   Advertised
 * // k8s-ctr   65001      65000     192.168.10.200   active          0s       ipv4/unicast   0          0
 * ```
 */
export function renderCiliumBgpPeers(result: CiliumBgpResult, lookup?: SessionStateLookup): string {
  let t = 'Node\tLocal AS\tPeer AS\tPeer Address\tSession State\tUptime\tFamily\tReceived\tAdvertised\n';
  for (const n of result.nodes) {
    const peers = sessionsOf(result, n.node).sort(byAsnThenAddress);
    peers.forEach((s, i) => {
      const st = stateOf(lookup, s);
      t += i === 0 ? `${n.node}\t` : '\t';
      t += `${s.localASN}\t${s.peerASN}\t${formatIp(s.peerAddress)}\t${st.state}\t${goDuration(st.uptime ?? 0)}\t`;
      s.families.forEach((f, j) => {
        const fam = `${f.afi}/${f.safi}`;
        if (j > 0) t += '\t'.repeat(6);
        t += `${fam}\t${countFor(st.received, fam, j)}\t${countFor(st.advertised, fam, j)}\t\n`;
      });
    });
  }
  return tabwrite(t);
}

/**
 * A session as the agent's API (`models.BgpPeer`) gives it, the element of `-o json` lists.
 *
 * @example
 * ```ts
 * peerJson(session, MODEL_SESSION_STATE)['peer-port']; // 179
 * ```
 */
export function peerJson(s: CiliumPeerSession, st: PeerSessionState): Record<string, unknown> {
  const established = st.state === 'established';
  return {
    'applied-hold-time-seconds': established ? s.timers.holdTimeSeconds : 0,
    'applied-keep-alive-time-seconds': established ? s.timers.keepAliveTimeSeconds : 0,
    'configured-hold-time-seconds': s.timers.holdTimeSeconds,
    'configured-keep-alive-time-seconds': s.timers.keepAliveTimeSeconds,
    'connect-retry-time-seconds': s.timers.connectRetryTimeSeconds,
    'ebgp-multihop-ttl': s.ebgpMultihopTTL,
    families: s.families.map((f, j) => {
      const fam = `${f.afi}/${f.safi}`;
      return { advertised: countFor(st.advertised, fam, j), afi: f.afi, received: countFor(st.received, fam, j), safi: f.safi };
    }),
    'graceful-restart': { enabled: s.gracefulRestart.enabled, 'restart-time-seconds': s.gracefulRestart.restartTimeSeconds },
    'local-asn': s.localASN,
    'peer-address': formatIp(s.peerAddress),
    'peer-asn': s.peerASN,
    'peer-port': s.peerPort,
    'session-state': st.state,
    'uptime-nanoseconds': Math.round((st.uptime ?? 0) * 1e9),
  };
}

/**
 * `cilium bgp peers -o json`: node name → its sessions.
 *
 * @example
 * ```ts
 * Object.keys(ciliumBgpPeersJson(result)); // ['k8s-ctr', 'k8s-w0', 'k8s-w1']
 * ```
 */
export function ciliumBgpPeersJson(result: CiliumBgpResult, lookup?: SessionStateLookup): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const n of result.nodes) out[n.node] = sessionsOf(result, n.node).sort(byAsnThenAddress).map((s) => peerJson(s, stateOf(lookup, s)));
  return out;
}

/**
 * `cilium-dbg bgp peers` on one node: address with port, one row per family.
 *
 * @example
 * ```ts
 * renderCiliumDbgBgpPeers(result, 'k8s-w1');
 * // Local AS   Peer AS   Peer Address         Session   Uptime   Family         Received   Advertised
 * // 65001      65000     192.168.10.200:179   active    0s       ipv4/unicast   0          0
 * ```
 */
export function renderCiliumDbgBgpPeers(result: CiliumBgpResult, node: string, lookup?: SessionStateLookup): string {
  let t = 'Local AS\tPeer AS\tPeer Address\tSession\tUptime\tFamily\tReceived\tAdvertised\n';
  for (const s of sessionsOf(result, node).sort(byAsnThenAddress)) {
    const st = stateOf(lookup, s);
    t += `${s.localASN}\t${s.peerASN}\t${formatIp(s.peerAddress)}:${s.peerPort}\t${st.state}\t${goDuration(st.uptime ?? 0)}\t`;
    s.families.forEach((f, j) => {
      const fam = `${f.afi}/${f.safi}`;
      if (j > 0) t += '\t'.repeat(5);
      t += `${fam}\t${countFor(st.received, fam, j)}\t${countFor(st.advertised, fam, j)}\n`;
    });
  }
  return tabwrite(t);
}

/** Which routes `cilium bgp routes` lists. */
export interface RoutesQuery {
  /** `available` (loc-RIB) or `advertised` (adj-RIB-out per peer). */
  readonly table: 'available' | 'advertised';
  /** AFI. */
  readonly afi: 'ipv4' | 'ipv6';
  /** SAFI. */
  readonly safi: string;
  /** Only the instance with this local ASN (`vrouter <asn>`). */
  readonly vrouter?: number;
  /** Only this peer (`peer <address>`, advertised only). */
  readonly peer?: IpAddress;
}

/** One row of `cilium bgp routes`. */
export interface RouteRow {
  /** Node. */
  readonly node: string;
  /** Local ASN of the instance (VRouter). */
  readonly routerAsn: number;
  /** Peer address (advertised only). */
  readonly neighbor?: string;
  /** Prefix. */
  readonly prefix: string;
  /** Next hop as printed. */
  readonly nextHop: string;
  /** Attributes as printed. */
  readonly attrs: string;
  /** Seconds since the path was added (the model has no clock: 0). */
  readonly age: number;
}

function instanceRows(node: string, inst: CiliumBgpInstance, q: RoutesQuery, lookup: SessionStateLookup | undefined): RouteRow[] {
  if (q.vrouter !== undefined && inst.localASN !== q.vrouter) return [];
  const rows: RouteRow[] = [];
  if (q.table === 'available') {
    for (const p of inst.rib) {
      if (p.family.afi !== q.afi || p.family.safi !== q.safi) continue;
      const nh = wireNextHop(p.prefix, undefined);
      const attrs = formatPathAttributes({ prefix: p.prefix, origin: p.origin, asPath: [], communities: [], largeCommunities: [] }, nh, { asPath: false });
      rows.push({ node, routerAsn: inst.localASN, prefix: formatPrefix(p.prefix), nextHop: formatIp(nh), attrs, age: 0 });
    }
    return rows;
  }
  inst.peers.forEach((s, i) => {
    if (q.peer !== undefined && formatIp(q.peer) !== formatIp(s.peerAddress)) return;
    if (lookup !== undefined && lookup(s.node, s.peerAddress)?.state !== 'established') return;
    for (const p of inst.advertisements[i]?.paths ?? []) {
      if (afiOf(p.prefix) !== q.afi || q.safi !== 'unicast') continue;
      if (!s.families.some((f) => f.afi === q.afi && f.safi === q.safi)) continue;
      const nh = wireNextHop(p.prefix, s.localAddress);
      rows.push({
        node,
        routerAsn: inst.localASN,
        neighbor: formatIp(s.peerAddress),
        prefix: formatPrefix(p.prefix),
        nextHop: formatIp(nh),
        attrs: formatPathAttributes(p, nh),
        age: 0,
      });
    }
  });
  return rows;
}

/**
 * The rows of `cilium bgp routes` for a query: nodes by name; within a node by VRouter, peer,
 * then prefix (as strings, like the CLI). For `advertised`, a session whose state the lookup
 * does not report as established sends nothing (GoBGP has no adj-RIB-out for it); without a
 * lookup, every session is shown as the model would send once up.
 *
 * @example
 * ```ts
 * routeRows(result, { table: 'available', afi: 'ipv4', safi: 'unicast' })[0]?.prefix; // '172.20.0.0/24'
 * ```
 */
export function routeRows(result: CiliumBgpResult, q: RoutesQuery, lookup?: SessionStateLookup): RouteRow[] {
  const out: RouteRow[] = [];
  for (const n of result.nodes) {
    const rows = n.instances.flatMap((i) => instanceRows(n.node, i, q, lookup));
    rows.sort((a, b) => {
      if (a.routerAsn !== b.routerAsn) return a.routerAsn - b.routerAsn;
      const na = a.neighbor ?? '';
      const nb = b.neighbor ?? '';
      return compareStrings(na, nb) || compareStrings(a.prefix, b.prefix);
    });
    out.push(...rows);
  }
  return out;
}

/**
 * `cilium bgp routes <available|advertised> <afi> <safi>`: the table (without the
 * "Defaulting to …" note, which the command prints).
 *
 * @example
 * ```ts
 * renderCiliumBgpRoutes(result, { table: 'available', afi: 'ipv4', safi: 'unicast' });
 * // Node      VRouter   Prefix          NextHop   Age   Attrs
 * // k8s-ctr   65001     172.20.0.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]
 * ```
 */
export function renderCiliumBgpRoutes(result: CiliumBgpResult, q: RoutesQuery, lookup?: SessionStateLookup): string {
  const peer = q.table === 'advertised';
  let t = peer ? 'Node\tVRouter\tPeer\tPrefix\tNextHop\tAge\tAttrs\n' : 'Node\tVRouter\tPrefix\tNextHop\tAge\tAttrs\n';
  let last = '';
  for (const r of routeRows(result, q, lookup)) {
    t += r.node !== last ? `${r.node}\t` : '\t';
    last = r.node;
    t += `${r.routerAsn}\t${peer ? `${r.neighbor ?? ''}\t` : ''}${r.prefix}\t${r.nextHop}\t${goDuration(r.age)}\t${r.attrs}\t\n`;
  }
  return tabwrite(t);
}

/**
 * `cilium bgp routes -o json`: node name → routes (`prefix`, `router-asn`, `neighbor`, and the
 * paths decoded: `nlri`, `next-hop`, `attributes` as printed, `age-nanoseconds`).
 *
 * @example
 * ```ts
 * ciliumBgpRoutesJson(result, { table: 'available', afi: 'ipv4', safi: 'unicast' })['k8s-ctr']?.length; // 1
 * ```
 */
export function ciliumBgpRoutesJson(result: CiliumBgpResult, q: RoutesQuery, lookup?: SessionStateLookup): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const n of result.nodes) out[n.node] = [];
  for (const r of routeRows(result, q, lookup)) {
    out[r.node]?.push({
      prefix: r.prefix,
      'router-asn': r.routerAsn,
      ...(r.neighbor !== undefined ? { neighbor: r.neighbor } : {}),
      paths: [{ family: { afi: q.afi, safi: q.safi }, nlri: { prefix: r.prefix }, 'next-hop': r.nextHop, 'path-attributes': r.attrs, 'age-nanoseconds': r.age * 1e9, best: q.table === 'available' }],
    });
  }
  return out;
}

function neighborText(a: IpAddress): string {
  return `${formatIp(a)}/${afiOf(a) === 'ipv4' ? 32 : 128}`;
}

function cell(arr: readonly string[]): string {
  if (arr.length === 1) return arr[0] ?? '';
  return arr.map((s) => `{${s}}`).join(' ');
}

interface PolicyRow {
  readonly asn: number;
  readonly policy: RoutePolicy;
}

function policiesOf(result: CiliumBgpResult, node: string): PolicyRow[] {
  const rows = (result.nodes.find((n) => n.node === node)?.instances ?? []).flatMap((i) => i.policies.map((policy) => ({ asn: i.localASN, policy })));
  // Go's sort.Slice is not stable; ties (same ASN and name, across instances) keep instance order here.
  return rows.sort((a, b) => (a.asn !== b.asn ? a.asn - b.asn : compareStrings(a.policy.name, b.policy.name)));
}

/**
 * `cilium-dbg bgp route-policies` on one node (Cilium 1.18 columns, with Match Families).
 *
 * @example
 * ```ts
 * renderRoutePolicies(result, 'k8s-w1');
 * // VRouter   Policy Name               Type     Match Peers         Match Families   Match Prefixes (Min..Max Len)   RIB Action   Path Actions
 * // 65001     allow-local               import                                                                        accept
 * // 65001     tor-switch-ipv4-PodCIDR   export   192.168.10.200/32                    172.20.1.0/24 (24..24)          accept
 * ```
 */
export function renderRoutePolicies(result: CiliumBgpResult, node: string): string {
  let t = 'VRouter\tPolicy Name\tType\tMatch Peers\tMatch Families\tMatch Prefixes (Min..Max Len)\tRIB Action\tPath Actions\n';
  for (const { asn, policy } of policiesOf(result, node)) {
    t += `${asn}\t${policy.name}\t${policy.type}\t`;
    policy.statements.forEach((s, i) => {
      if (i > 0) t += '\t\t\t';
      const actions: string[] = [];
      if (s.setLocalPreference !== undefined) actions.push(`SetLocalPreference: ${s.setLocalPreference}`);
      if (s.addCommunities.length > 0) actions.push(`AddCommunities: [${s.addCommunities.join(' ')}]`);
      if (s.addLargeCommunities.length > 0) actions.push(`AddLargeCommunities: [${s.addLargeCommunities.join(' ')}]`);
      t += `${cell(s.matchNeighbors.map(neighborText))}\t\t${cell(s.matchPrefixes.map((m) => `${formatPrefix(m.prefix)} (${m.lenMin}..${m.lenMax})`))}\t${s.routeAction}\t${cell(actions)}\n`;
    });
    if (policy.statements.length === 0) t += '\n';
  }
  return tabwrite(t);
}

/**
 * `cilium-dbg bgp route-policies -o json`: the agent API's `BgpRoutePolicy` list.
 *
 * @example
 * ```ts
 * routePoliciesJson(result, 'k8s-w1').length; // 2 in the bgp-lab without lb.yaml
 * ```
 */
export function routePoliciesJson(result: CiliumBgpResult, node: string): unknown[] {
  return policiesOf(result, node).map(({ asn, policy }) => ({
    name: policy.name,
    'router-asn': asn,
    statements: policy.statements.map((s) => ({
      'add-communities': s.addCommunities,
      'add-large-communities': s.addLargeCommunities,
      'match-neighbors': s.matchNeighbors.map(neighborText),
      'match-prefixes': s.matchPrefixes.map((m) => ({ cidr: formatPrefix(m.prefix), 'prefix-len-max': m.lenMax, 'prefix-len-min': m.lenMin })),
      'route-action': s.routeAction,
      'set-local-preference': s.setLocalPreference ?? -1,
    })),
    type: policy.type,
  }));
}
