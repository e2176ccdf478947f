/**
 * Propagation by peer groups (issue 10), 1,000 runs: on generated stars of Cilium-like speakers
 * around an FRR router (shared path objects and shared export arrays, own paths between them,
 * missing shared paths, per-neighbour settings and route-maps, invalid and own next hops,
 * repeated router IDs, iBGP and eBGP, IPv4 and IPv6, maximum-paths and deterministic-med, a
 * second FRR router), grouped propagation gives exactly what path-by-path propagation gives:
 * every Loc-RIB selection in full (paths in order with every attribute and key order, best,
 * reason, multipath, deterministic-MED winners, each path read alone before the list), received,
 * sent and accepted lists and counts, and zebra's routes.
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv6, IPv6CidrRange } from 'ip-num';
import { propagate, type PropagationResult, type RouterInput } from '../../src/bgp/network/propagate.js';
import type { BgpSession, SessionEnd } from '../../src/bgp/network/sessions.js';
import type { BgpTables } from '../../src/bgp/network/types.js';
import { zebraInstall } from '../../src/bgp/network/zebra.js';
import { selectedPath, type Candidate } from '../../src/bgp/frr/bestpath.js';
import { parseFrrConfig } from '../../src/bgp/frr/parse.js';
import { frrSpeaker, localPaths } from '../../src/bgp/frr/speaker.js';
import type { BgpPath, BgpSpeaker } from '../../src/bgp/speaker.js';
import type { IpAddress } from '../../src/input/types.js';
import { cidr, host, ip } from '../bgp/fixtures.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

const PREFIXES = ['172.16.0.1/32', '172.16.0.2/32', '10.244.0.0/24', 'fd00:16::1/128', '172.16.0.3/32', '172.16.0.4/32', '10.244.1.0/24'];
const v6 = (t: string): IPv6 => IPv6.fromString(t);
const prefixOf = (t: string) => (t.includes(':') ? IPv6CidrRange.fromCidr(t) : cidr(t));

const pathArb = fc.record({
  prefix: fc.nat(PREFIXES.length - 1),
  asPath: fc.constantFrom([65001], [65001], [65001, 65003], [], [65002], [65001, 65000]),
  med: fc.option(fc.constantFrom(0, 5), { nil: undefined }),
  localPref: fc.option(fc.constantFrom(100, 300), { nil: undefined }),
  nextHop: fc.constantFrom('unspec', 'unspec', 'unspec', 'unspec', '192.168.10.50', '10.9.9.9'),
});

const nodeSpecArb = fc.record({
  asn: fc.constantFrom(65001, 65001, 65001, 65002, 65000),
  rid: fc.integer({ min: 1, max: 4 }),
  local: fc.constantFrom('own', 'own', 'own', 'own', 'own', 'v6', 'router', 'other'),
  families: fc.constantFrom(['ipv4-unicast'], ['ipv4-unicast'], ['ipv4-unicast', 'ipv6-unicast'], ['ipv6-unicast']),
  mode: fc.constantFrom('same', 'same', 'own', 'own', 'drop', 'random', 'pair'),
  own: fc.array(pathArb, { maxLength: 2 }),
  ownAt: fc.array(fc.nat(6), { maxLength: 2 }),
  drop: fc.nat(5),
  pick: fc.array(fc.nat(5), { maxLength: 5 }),
  setting: fc.constantFrom('', '', '', '', 'prefix-list', 'prefix-list2', 'route-map', 'route-map-peer', 'allowas-in', 'enforce-first-as', 'multihop', 'dcc'),
});

/** Most nodes look alike (the groups' case: same AS, families, settings; shared paths plus a few own); some differ in any way. */
const nodeArb = fc.tuple(nodeSpecArb, fc.constantFrom(false, false, true)).map(([n, odd]) =>
  odd ? n : { ...n, asn: 65001, local: n.local === 'other' || n.local === 'v6' ? ('other' as const) : ('own' as const), families: ['ipv4-unicast'], mode: n.mode === 'same' || n.mode === 'drop' ? ('same' as const) : n.mode === 'pair' ? ('pair' as const) : ('own' as const), setting: '' as const },
);

const scenarioArb = fc.record({
  shared: fc.oneof(
    { arbitrary: fc.uniqueArray(pathArb, { minLength: 1, maxLength: 5, selector: (p) => p.prefix }), weight: 3 },
    { arbitrary: fc.array(pathArb, { minLength: 1, maxLength: 5 }), weight: 1 },
  ),
  nodes: fc.array(nodeArb, { minLength: 2, maxLength: 10 }),
  valid: fc.array(fc.constantFrom(true, true, true, false), { minLength: 14, maxLength: 14 }),
  relax: fc.boolean(),
  dmed: fc.constantFrom(false, false, false, true),
  requiresPolicy: fc.constantFrom(false, false, true),
  maxPaths: fc.constantFrom(1, 2, 3, 16),
  maxIbgp: fc.constantFrom(1, 2, 16),
  second: fc.boolean(),
});

type NodeSpec = typeof nodeSpecArb extends fc.Arbitrary<infer T> ? T : never;
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const ADDRS = ['192.168.10.1', '192.168.10.2', '192.168.10.3', '192.168.10.4', '192.168.10.5', '192.168.10.6', '192.168.10.7', '192.168.10.8', '192.168.10.9', '192.168.10.10', '192.168.10.50', '10.9.9.9', 'fd00::1', '192.168.10.99'];

function makePath(p: (typeof pathArb extends fc.Arbitrary<infer T> ? T : never)): BgpPath {
  const text = PREFIXES[p.prefix]!;
  const isV6 = text.includes(':');
  return {
    prefix: prefixOf(text),
    origin: 'igp',
    asPath: p.asPath,
    nextHop: p.nextHop === 'unspec' ? (isV6 ? v6('::') : ip('0.0.0.0')) : ip(p.nextHop),
    ...(p.med !== undefined ? { med: p.med } : {}),
    ...(p.localPref !== undefined ? { localPref: p.localPref } : {}),
    communities: [],
    largeCommunities: [],
  };
}

function build(sc: Scenario): { routers: RouterInput[]; sessions: BgpSession[]; tables: BgpTables } {
  const shared = sc.shared.map(makePath);
  const pairPath = makePath({ prefix: 5, asPath: [65001], med: undefined, localPref: undefined, nextHop: 'unspec' });
  const n = sc.nodes.length;
  const neighborLines = sc.nodes.map((nd, i) => {
    const addr = `192.168.10.${i + 1}`;
    const lines = [` neighbor ${addr} remote-as ${nd.asn === 65000 ? 'internal' : 'external'}`];
    if (nd.setting === 'prefix-list') lines.push(` neighbor ${addr} prefix-list LBS in`);
    if (nd.setting === 'prefix-list2') lines.push(` neighbor ${addr} prefix-list PODS in`);
    if (nd.setting === 'route-map') lines.push(` neighbor ${addr} route-map LP in`);
    if (nd.setting === 'route-map-peer') lines.push(` neighbor ${addr} route-map PEER in`);
    if (nd.setting === 'allowas-in') lines.push(` neighbor ${addr} allowas-in 1`);
    if (nd.setting === 'enforce-first-as') lines.push(` neighbor ${addr} enforce-first-as`);
    if (nd.setting === 'multihop') lines.push(` neighbor ${addr} ebgp-multihop 2`);
    if (nd.setting === 'dcc') lines.push(` neighbor ${addr} disable-connected-check`);
    return lines.join('\n');
  });
  const frr = `ip prefix-list LBS seq 5 permit 172.16.0.0/16 le 32
ip prefix-list PODS seq 5 permit 10.0.0.0/8 le 32
route-map LP permit 10
 set local-preference 250
route-map PEER permit 10
 set ip next-hop peer-address
router bgp 65000
 bgp router-id 192.168.10.254
${sc.requiresPolicy ? '' : ' no bgp ebgp-requires-policy\n'}${sc.relax ? ' bgp bestpath as-path multipath-relax\n' : ''}${sc.dmed ? ' bgp deterministic-med\n' : ' no bgp deterministic-med\n'}${neighborLines.join('\n')}
${sc.second ? ' neighbor 10.1.0.2 remote-as external\n' : ''} address-family ipv4 unicast
  network 172.16.0.2/32
  maximum-paths ${sc.maxPaths}
  maximum-paths ibgp ${sc.maxIbgp}
 exit-address-family
 address-family ipv6 unicast
${sc.nodes.map((_, i) => `  neighbor 192.168.10.${i + 1} activate`).join('\n')}
  maximum-paths ${sc.maxPaths}
 exit-address-family
`;
  const routerHost = host('router', { eth1: '192.168.10.254/24', eth2: '10.1.0.1/24', lo: '172.16.0.2/32' }, frr);
  const config = parseFrrConfig(frr).config;
  const routerSpeaker = frrSpeaker(routerHost, config)!;
  const r2frr = `router bgp 65100\n bgp router-id 10.1.0.2\n no bgp ebgp-requires-policy\n neighbor 10.1.0.1 remote-as external\n address-family ipv4 unicast\n  network 172.16.0.1/32\n exit-address-family\n`;
  const r2Host = host('r2', { eth0: '10.1.0.2/24', lo: '172.16.0.1/32' }, r2frr);
  const r2Config = parseFrrConfig(r2frr).config;
  const r2Speaker = frrSpeaker(r2Host, r2Config)!;
  const ownArrays = new Map<string, BgpPath[]>();
  const sessions: BgpSession[] = [];
  const speakers: BgpSpeaker[] = [];
  sc.nodes.forEach((nd, i) => {
    let exports: BgpPath[];
    if (nd.mode === 'same') {
      // the very same array for every node in this mode with the same families
      const k = 'same';
      exports = ownArrays.get(k) ?? shared;
      ownArrays.set(k, exports);
    } else if (nd.mode === 'own') {
      exports = [...shared];
      nd.own.forEach((o, j) => exports.splice(Math.min(nd.ownAt[j] ?? 0, exports.length), 0, makePath(o)));
    } else if (nd.mode === 'pair') {
      // a path only some nodes send (a Local-policy service), between the shared ones
      exports = [...shared.slice(0, 1), pairPath, ...shared.slice(1)];
    } else if (nd.mode === 'drop') {
      exports = shared.filter((_, j) => j !== nd.drop % shared.length);
      nd.own.forEach((o) => exports.push(makePath(o)));
    } else {
      exports = nd.pick.map((j) => shared[j % shared.length]!);
    }
    const address = ip(`192.168.10.${i + 1}`);
    const localAddress: IpAddress =
      nd.local === 'own' ? address : nd.local === 'v6' ? v6('fd00::1') : nd.local === 'router' ? ip('192.168.10.254') : ip('192.168.10.99');
    const speaker: BgpSpeaker = {
      host: `n${i}`,
      kind: 'cilium',
      instance: 'i',
      asn: nd.asn,
      routerId: ip(`1.1.1.${nd.rid}`),
      neighbors: [
        {
          address: ip('192.168.10.254'),
          remoteAs: 65000,
          holdTime: 9,
          keepalive: 3,
          port: 179,
          passive: false,
          families: nd.families,
          exports,
          label: 'r',
        },
      ],
      originated: [],
    };
    speakers.push(speaker);
    const ri = config.bgp!.neighbors.findIndex((x) => formatIp(x.address) === formatIp(address));
    const a: SessionEnd = { speakerIndex: 0, speaker: routerSpeaker, neighborIndex: ri, neighbor: routerSpeaker.neighbors[ri]!, localAddress: ip('192.168.10.254'), keepalive: 3 };
    const b: SessionEnd = { speakerIndex: i + 1, speaker, neighborIndex: 0, neighbor: speaker.neighbors[0]!, localAddress, keepalive: 3 };
    sessions.push({ a, b, type: nd.asn === 65000 ? 'internal' : 'external', holdTime: 9, families: nd.families, initiator: 'a' });
  });
  const routers: RouterInput[] = [{ speakerIndex: 0, host: routerHost, config, bgp: config.bgp!, local: localPaths(routerHost, config) }];
  if (sc.second) {
    const si = n + 1;
    const ri = config.bgp!.neighbors.findIndex((x) => formatIp(x.address) === '10.1.0.2');
    sessions.push({
      a: { speakerIndex: 0, speaker: routerSpeaker, neighborIndex: ri, neighbor: routerSpeaker.neighbors[ri]!, localAddress: ip('10.1.0.1'), keepalive: 3 },
      b: { speakerIndex: si, speaker: r2Speaker, neighborIndex: 0, neighbor: r2Speaker.neighbors[0]!, localAddress: ip('10.1.0.2'), keepalive: 3 },
      type: 'external',
      holdTime: 9,
      families: ['ipv4-unicast'],
      initiator: 'a',
    });
    routers.push({ speakerIndex: si, host: r2Host, config: r2Config, bgp: r2Config.bgp!, local: localPaths(r2Host, r2Config) });
  }
  const valid = new Set(ADDRS.filter((_, i) => sc.valid[i]));
  valid.add('10.1.0.1');
  valid.add('10.1.0.2');
  const ok = (_h: string, a: IpAddress): boolean => valid.has(formatIp(a));
  const tables: BgpTables = { sourceAddress: () => undefined, reachable: ok, connected: ok };
  return { routers, sessions, tables };
}

function pathText(p: BgpPath): string {
  return `${Object.keys(p).join(',')}|${formatPrefix(p.prefix)}|${p.origin}|${p.asPath.join(' ')}|${formatIp(p.nextHop)}|${p.med ?? '-'}|${p.localPref ?? '-'}|${p.communities.join(' ')}|${p.largeCommunities.join(' ')}`;
}

function candText(c: Candidate): string {
  const s = c.source;
  const src = s.kind === 'peer' ? `peer ${formatIp(s.address)} ${formatIp(s.routerId)} ${s.peerAs} ${s.type} ${s.host}` : `local ${s.subType} ${s.redistribute ?? ''}`;
  return `${Object.keys(c).join(',')}|${pathText(c.path)}|${c.weight}|${src}|${c.valid}`;
}

/** Everything a view can read of a propagation, as text (each selection's paths read one by one first, then as a list). */
function dump(p: PropagationResult, routers: readonly RouterInput[], tables: BgpTables): string {
  const out: string[] = [`converged ${p.converged} rounds ${p.rounds}`];
  for (const r of routers) {
    const rt = p.routers.get(r.speakerIndex)!;
    for (const [k, sel] of rt.locRib) {
      out.push(`rib ${k} best=${sel.best} reason=${sel.reason} mp=${sel.multipath.join(',')} dmed=${sel.dmedSelected.join(',')}`);
      for (let i = 0; i < sel.paths.length; i++) out.push(`  ${candText(sel.paths[i]!)}`);
    }
    for (const [ni, ps] of rt.adjRibIn) out.push(`in ${ni}: ${ps.map(pathText).join(' ; ')}`);
    for (const [ni, ps] of rt.adjRibOut) out.push(`out ${ni}: ${ps.map(pathText).join(' ; ')}`);
    for (const [ni, c] of rt.accepted) {
      const f = rt.acceptedByFamily?.get(ni);
      out.push(`acc ${ni}: ${c} v4=${f?.get('ipv4-unicast') ?? 0} v6=${f?.get('ipv6-unicast') ?? 0} pm=${JSON.stringify(rt.policyMissing.get(ni))}`);
    }
    const z = zebraInstall(r.host, r.config, rt.locRib, tables);
    for (const route of z.routes) out.push(`zebra ${formatPrefix(route.dst)} ${route.nexthops.map((h) => `${h.gateway ? formatIp(h.gateway) : ''}@${h.dev}`).join(',')}`);
  }
  for (const [k, ps] of p.received) out.push(`rcv ${k}: ${ps.map(pathText).join(' ; ')}`);
  for (const [k, ps] of p.sent) out.push(`snt ${k}: ${ps.map(pathText).join(' ; ')}`);
  return out.join('\n');
}

/** Each selection's paths read alone (before anything reads the list). */
function onePathAtATime(p: PropagationResult, routers: readonly RouterInput[]): string {
  const out: string[] = [];
  for (const r of routers) {
    for (const [k, sel] of p.routers.get(r.speakerIndex)!.locRib) {
      if (sel.best !== undefined) out.push(`${k} best ${candText(selectedPath(sel, sel.best))}`);
      for (const i of sel.multipath) out.push(`${k} mp ${candText(selectedPath(sel, i))}`);
      out.push(`${k} first ${candText(selectedPath(sel, 0))}`);
    }
  }
  return out.join('\n');
}

/** How many selections came from a peer group (made without their path list). */
function grouped(p: PropagationResult): number {
  let n = 0;
  for (const rt of p.routers.values()) for (const sel of rt.locRib.values()) if (sel.pathAt !== undefined) n++;
  return n;
}

describe('propagation by peer groups', () => {
  test.prop([scenarioArb], RUNS)('grouped propagation gives what path-by-path propagation gives', (sc) => {
    const { routers, sessions, tables } = build(sc);
    const plain = propagate(routers, sessions, tables, { peerGroups: false });
    const fast = propagate(routers, sessions, tables);
    expect(grouped(plain)).toBe(0);
    const alone = onePathAtATime(fast, routers);
    expect(alone).toBe(onePathAtATime(plain, routers));
    expect(dump(fast, routers, tables)).toBe(dump(plain, routers, tables));
  });

  it('a path only the first two nodes send does not split the group (the shared list is cut down)', () => {
    const node = (mode: 'pair' | 'same', i: number) => ({
      asn: 65001, rid: 1 + (i % 3), local: 'own' as const, families: ['ipv4-unicast'], mode, own: [], ownAt: [], drop: 0, pick: [], setting: '' as const,
    });
    const sc: Scenario = {
      shared: [0, 2, 4].map((prefix) => ({ prefix, asPath: [65001], med: undefined, localPref: undefined, nextHop: 'unspec' as const })),
      nodes: [node('pair', 0), node('pair', 1), ...[2, 3, 4, 5].map((i) => node('same', i))],
      valid: Array.from({ length: 14 }, () => true),
      relax: true, dmed: false, requiresPolicy: false, maxPaths: 16, maxIbgp: 1, second: false,
    };
    const { routers, sessions, tables } = build(sc);
    const fast = propagate(routers, sessions, tables);
    // the three shared prefixes from one group of six; the pair's own path by path
    expect(grouped(fast)).toBe(3);
    expect(dump(fast, routers, tables)).toBe(dump(propagate(routers, sessions, tables, { peerGroups: false }), routers, tables));
  });

  it('groups form on a star of nodes sending the same paths (and the selections agree)', () => {
    const sc: Scenario = {
      shared: [
        { prefix: 0, asPath: [65001], med: undefined, localPref: undefined, nextHop: 'unspec' },
        { prefix: 1, asPath: [65001], med: undefined, localPref: undefined, nextHop: 'unspec' },
      ],
      nodes: Array.from({ length: 6 }, (_, i) => ({
        asn: 65001,
        rid: 4 - (i % 4),
        local: 'own' as const,
        families: ['ipv4-unicast'],
        mode: i % 2 === 0 ? ('same' as const) : ('own' as const),
        own: [{ prefix: 2, asPath: [65001], med: undefined, localPref: undefined, nextHop: 'unspec' as const }],
        ownAt: [i],
        drop: 0,
        pick: [],
        setting: '' as const,
      })),
      valid: Array.from({ length: 14 }, (_, i) => i !== 2),
      relax: true,
      dmed: false,
      requiresPolicy: false,
      maxPaths: 3,
      maxIbgp: 1,
      second: false,
    };
    const { routers, sessions, tables } = build(sc);
    const fast = propagate(routers, sessions, tables);
    expect(grouped(fast)).toBeGreaterThan(0);
    expect(dump(fast, routers, tables)).toBe(dump(propagate(routers, sessions, tables, { peerGroups: false }), routers, tables));
  });
});
