/**
 * FRR 8.4's BGP views: `show ip bgp`, `show ip bgp PREFIX`, `show ip bgp summary`, from an
 * {@link FrrRouterState} (pure data → string).
 *
 * Formats follow `bgpd/bgp_route.c` and `bgpd/bgp_vty.c` of FRR 8.4: the table's column header
 * is indented three spaces, a status prefix is `*`/` `, `>`/`=`/` `, `i`/` `; Network is padded
 * to 17 columns, Next Hop to 16, Metric `%10u` (MED present), LocPrf `%7u` (LOCAL_PREF present),
 * Weight `%7u `, the AS path and a space, the origin code.
 *
 * @module
 */
import type { Candidate } from '../../bgp/frr/bestpath.js';
import { LAST_UPDATE_TEXT, STRUCT_SIZES } from '../../bgp/frr/defaults.js';
import type { BgpPeerStatus, FrrRouterState, LocRibEntry } from '../../bgp/network/types.js';
import type { IpAddress, IpPrefix } from '../../input/types.js';
import { communityText, frrUptime, memString, padLeft, padRight } from './format.js';
import { formatIp, formatPrefix, isIPv4Prefix, prefixContains, prefixLength, sameIp } from '../../net/addr.js';

const ORIGIN_CODE = { igp: 'i', egp: 'e', incomplete: '?' } as const;
const ORIGIN_LONG = { igp: 'IGP', egp: 'EGP', incomplete: 'incomplete' } as const;

function routerIdText(r: FrrRouterState): string {
  return r.speaker?.routerId.toString() ?? '0.0.0.0';
}

function statusOf(e: LocRibEntry, i: number, c: Candidate): string {
  const valid = c.valid ? '*' : ' ';
  const sel = e.best === i ? '>' : e.multipath.includes(i) ? '=' : ' ';
  const internal = c.source.kind === 'peer' && c.source.type === 'internal' ? 'i' : ' ';
  return valid + sel + internal;
}

function pathRow(e: LocRibEntry, i: number): string {
  const c = e.paths[i]!;
  const p = c.path;
  let line = statusOf(e, i, c);
  if (i === 0) {
    const net = formatPrefix(e.prefix);
    line += net.length >= 17 ? `${net}\n${' '.repeat(20)}` : padRight(net, 17);
  } else line += ' '.repeat(17);
  const nh = formatIp(p.nextHop);
  line += nh.length >= 16 ? `${nh}\n${' '.repeat(36)}` : padRight(nh, 16);
  line += p.med !== undefined ? padLeft(String(p.med), 10) : ' '.repeat(10);
  line += p.localPref !== undefined ? padLeft(String(p.localPref), 7) : ' '.repeat(7);
  line += `${padLeft(String(c.weight), 7)} `;
  if (p.asPath.length > 0) line += `${p.asPath.join(' ')} `;
  line += ORIGIN_CODE[p.origin];
  return line;
}

/**
 * The header `show ip bgp` prints before the table.
 *
 * @example
 * bgpTableHeader(router).split('\n')[0]; // 'BGP table version is 5, local router ID is 192.168.10.200, vrf id 0'
 */
export function bgpTableHeader(r: FrrRouterState): string {
  const bgp = r.config.bgp;
  return [
    `BGP table version is ${r.tableVersion}, local router ID is ${routerIdText(r)}, vrf id 0`,
    `Default local pref ${bgp?.defaultLocalPref ?? 100}, local AS ${bgp?.asn ?? 0}`,
    'Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,',
    '               i internal, r RIB-failure, S Stale, R Removed',
    "Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self",
    'Origin codes:  i - IGP, e - EGP, ? - incomplete',
    'RPKI validation codes: V valid, I invalid, N Not found',
    '',
    '   Network          Next Hop            Metric LocPrf Weight Path',
  ].join('\n');
}

/**
 * `show ip bgp`: every prefix and path of the router's IPv4 unicast table.
 *
 * @example
 * ```ts
 * renderShowIpBgp(router);
 * // …
 * // *> 10.10.1.0/24     0.0.0.0                  0         32768 i
 * // *> 172.20.0.0/24    192.168.10.100                         0 65001 i
 * ```
 */
export function renderShowIpBgp(r: FrrRouterState): string {
  if (!r.config.bgp) return 'No BGP process is configured\n';
  const total = r.locRib.reduce((n, e) => n + e.paths.length, 0);
  if (r.locRib.length === 0) return `No BGP prefixes displayed, ${total} exist\n`;
  const rows = r.locRib.flatMap((e) => e.paths.map((_, i) => pathRow(e, i)));
  return `${bgpTableHeader(r)}\n${rows.join('\n')}\n\nDisplayed  ${r.locRib.length} routes and ${total} total paths\n`;
}

function peerName(r: FrrRouterState, address: IpAddress): string {
  const peer = r.peers.find((p) => sameIp(p.neighbor.address, address));
  const hn = peer?.remote?.hostname;
  return r.config.bgp?.showHostname && hn !== undefined ? `${hn}(${formatIp(address)})` : formatIp(address);
}

function detailLines(r: FrrRouterState, e: LocRibEntry, i: number): string[] {
  const c = e.paths[i]!;
  const p = c.path;
  const out: string[] = [];
  out.push(p.asPath.length > 0 ? `  ${p.asPath.join(' ')}` : '  Local');
  let l2 = `    ${formatIp(p.nextHop)}`;
  if (!c.valid) l2 += ' (inaccessible)';
  if (c.source.kind === 'local') l2 += ` from ${isIPv4Prefix(e.prefix) ? '0.0.0.0' : '::'} (${routerIdText(r)})`;
  else l2 += ` from ${peerName(r, c.source.address)} (${c.source.routerId.toString()})`;
  out.push(l2);
  let l3 = `      Origin ${ORIGIN_LONG[p.origin]}`;
  if (p.med !== undefined) l3 += `, metric ${p.med}`;
  if (p.localPref !== undefined) l3 += `, localpref ${p.localPref}`;
  if (c.weight !== 0) l3 += `, weight ${c.weight}`;
  l3 += c.valid ? ', valid' : ', invalid';
  if (c.source.kind === 'peer') l3 += c.source.type === 'internal' ? ', internal' : ', external';
  else l3 += c.source.subType === 'network' ? ', sourced, local' : ', sourced';
  if (e.multipath.includes(i) && e.multipath.length > 1) l3 += ', multipath';
  if (e.dmedSelected.includes(i)) l3 += `, bestpath-from-AS ${p.asPath[0] ?? 'Local'}`;
  if (e.best === i) l3 += `, best (${e.reason})`;
  out.push(l3);
  if (p.communities.length > 0) out.push(`      Community: ${p.communities.map(communityText).join(' ')}`);
  if (p.largeCommunities.length > 0) out.push(`      Large Community: ${p.largeCommunities.join(' ')}`);
  out.push(`      Last update: ${LAST_UPDATE_TEXT}`);
  return out;
}

/**
 * `show ip bgp PREFIX`: the detail of one prefix (exact `A.B.C.D/M`, or the longest match of an
 * address); `% Network not in table` when absent.
 *
 * @example
 * ```ts
 * renderShowIpBgpPrefix(router, IPv4CidrRange.fromCidr('172.16.1.1/32'));
 * // BGP routing table entry for 172.16.1.1/32, version 5
 * // Paths: (3 available, best #1, table default)
 * // …
 * ```
 */
export function renderShowIpBgpPrefix(r: FrrRouterState, prefix: IpPrefix | IpAddress): string {
  if (!r.config.bgp) return '% No BGP process is configured\n';
  let e: LocRibEntry | undefined;
  if ('getPrefix' in prefix) {
    e = r.locRib.find((x) => formatPrefix(x.prefix) === formatPrefix(prefix));
  } else {
    let bestLen = -1;
    for (const x of r.locRib) {
      const len = prefixLength(x.prefix);
      if (prefixContains(x.prefix, prefix) && len > bestLen) {
        e = x;
        bestLen = len;
      }
    }
  }
  if (!e) return '% Network not in table\n';
  const lines: string[] = [];
  lines.push(`BGP routing table entry for ${formatPrefix(e.prefix)}, version ${e.version}`);
  let paths = `Paths: (${e.paths.length} available`;
  paths += e.best !== undefined ? `, best #${e.best + 1}, table default` : ', no best path';
  const best = e.best !== undefined ? e.paths[e.best] : undefined;
  const comms = best?.path.communities ?? [];
  if (comms.includes('65535:65282')) paths += ', not advertised to any peer';
  else if (comms.includes('65535:65281')) paths += ', not advertised to EBGP peer';
  else if (comms.includes('65535:65283')) paths += ', not advertised outside local AS';
  lines.push(`${paths})`);
  if (e.advertisedTo.length > 0) {
    lines.push('  Advertised to non peer-group peers:');
    lines.push(` ${e.advertisedTo.map((a) => ` ${peerName(r, a)}`).join('')}`);
  } else lines.push('  Not advertised to any peer');
  e.paths.forEach((_, i) => lines.push(...detailLines(r, e!, i)));
  return `${lines.join('\n')}\n`;
}

function summaryRow(r: FrrRouterState, p: BgpPeerStatus, width: number, family: 4 | 6 = 4): string {
  const name = peerName(r, p.neighbor.address);
  let line = padRight(name, width);
  const as = p.remoteAs ?? (typeof p.neighbor.remoteAs === 'number' ? p.neighbor.remoteAs : 0);
  const established = p.state === 'Established';
  line += `4 ${padLeft(String(as), 10)}`;
  line += ` ${padLeft(String(p.messagesReceived), 9)} ${padLeft(String(p.messagesSent), 9)}`;
  // TblVer: FRR 8.4 prints 0 here for every IPv4 unicast neighbour (the table version shows in
  // the header only); later FRR releases print the table version the peer has been sent.
  line += ` ${padLeft('0', 8)} ${padLeft('0', 4)} ${padLeft('0', 4)}`;
  line += ` ${padLeft(established && p.uptimeSeconds !== undefined ? frrUptime(p.uptimeSeconds) : 'never', 8)}`;
  if (established) {
    // v6walk: each family's summary shows that family's counts (a neighbour may carry both)
    const c = p.byFamily?.[family === 4 ? 'ipv4-unicast' : 'ipv6-unicast'] ?? { accepted: p.accepted, sent: p.sent };
    line += p.inboundPolicyMissing ? ` ${padLeft('(Policy)', 12)}` : ` ${padLeft(String(c.accepted), 12)}`;
    line += p.outboundPolicyMissing ? ` ${padLeft('(Policy)', 8)}` : ` ${padLeft(String(c.sent), 8)}`;
  } else {
    line += p.state === 'Idle (Admin)' ? ' Idle (Admin)' : ` ${padLeft(p.state, 12)}`;
    line += ` ${padLeft('0', 8)}`;
  }
  const desc = r.config.bgp?.neighbors.find((n) => sameIp(n.address, p.neighbor.address));
  const group = desc?.peerGroup !== undefined ? r.config.bgp?.peerGroups.find((g) => g.name === desc.peerGroup) : undefined;
  const text = desc?.settings.description ?? group?.settings.description;
  line += text !== undefined ? ` ${stripDescription(text, 20)}` : ' N/A';
  return line;
}

function stripDescription(desc: string, size: number): string {
  if (desc.length <= size) return desc;
  let lastSpace = size;
  for (let i = 1; i < size; i++) if (desc[i] === ' ' && lastSpace !== i - 1) lastSpace = i;
  return desc.slice(0, lastSpace);
}

/**
 * `show ip bgp summary` (FRR 8.4): the `IPv4 Unicast Summary (VRF default):` block, router ID,
 * table version, RIB/peer memory lines (build-dependent struct sizes), one row per neighbour
 * activated for IPv4 unicast (ascending address), `Total number of neighbors N`. Set
 * `wildcard` false for `show bgp ipv4 unicast summary` (no AFI heading).
 *
 * @example
 * ```ts
 * renderShowIpBgpSummary(router).split('\n')[1]; // 'IPv4 Unicast Summary (VRF default):'
 * ```
 */
export function renderShowIpBgpSummary(r: FrrRouterState, wildcard = true, family: 4 | 6 = 4): string {
  const bgp = r.config.bgp;
  if (!bgp) return '% BGP instance not found\n';
  const afi = family === 4 ? 'IPv4' : 'IPv6';
  const peers = r.peers.filter((p) => p.neighbor.families.includes(family === 4 ? 'ipv4-unicast' : 'ipv6-unicast'));
  if (peers.length === 0) return wildcard ? '% No BGP neighbors found in VRF default\n' : `No ${afi} Unicast neighbor is configured\n`;
  const width = Math.max(16, ...peers.map((p) => peerName(r, p.neighbor.address).length + 1));
  const lines: string[] = [];
  if (wildcard) lines.push('', `${afi} Unicast Summary (VRF default):`);
  lines.push(`BGP router identifier ${routerIdText(r)}, local AS number ${bgp.asn} vrf-id 0`);
  lines.push(`BGP table version ${r.tableVersion}`);
  lines.push(`RIB entries ${r.ribNodes}, using ${memString(r.ribNodes * STRUCT_SIZES.bgpDest)} of memory`);
  lines.push(`Peers ${peers.length}, using ${memString(peers.length * STRUCT_SIZES.peer)} of memory`);
  if (bgp.peerGroups.length > 0) {
    lines.push(`Peer groups ${bgp.peerGroups.length}, using ${memString(bgp.peerGroups.length * STRUCT_SIZES.peerGroup)} of memory`);
  }
  lines.push('');
  lines.push(`${padRight('Neighbor', width)}V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc`);
  for (const p of peers) lines.push(summaryRow(r, p, width, family));
  lines.push('');
  lines.push(`Total number of neighbors ${peers.length}`);
  return `${lines.join('\n')}\n`;
}
