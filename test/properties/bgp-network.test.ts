/**
 * BGP network properties (issue 5), 1,000 runs over generated topologies:
 * - a router has a BGP route for a prefix iff some Established session delivers a path for it
 *   that its import rules accept (checked against an independent statement of the rules);
 * - propagation terminates at a fixed point, and the result does not depend on the order the
 *   hosts and speakers are given in, nor on the order routers are evaluated in (synchronous
 *   rounds vs. asynchronous rounds in any visiting order).
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4CidrRange } from 'ip-num';
import { runBgpNetwork } from '../../src/bgp/network/run.js';
import type { BgpNetworkResult } from '../../src/bgp/network/types.js';
import { formatPrefix } from '../../src/net/addr.js';
import type { Host } from '../../src/input/types.js';
import type { BgpSpeaker } from '../../src/bgp/speaker.js';
import { clusterOf, ciliumLike, host, tablesOf } from '../bgp/fixtures.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };
const POOL = ['172.20.0.0/24', '172.20.1.0/24', '172.16.1.1/32', '10.10.1.0/24', '172.21.0.0/16'];

interface NodeSpec {
  readonly asn: number;
  readonly peerAs: number | 'auto';
  readonly prefixes: readonly string[];
  readonly configured: boolean;
  readonly remoteAs: string;
  readonly filter: 'none' | 'PODS' | 'DENYALL' | 'ALLOW';
}

const nodeArb: fc.Arbitrary<NodeSpec> = fc.record({
  asn: fc.constantFrom(65000, 65001, 65001, 65002),
  peerAs: fc.constantFrom<number | 'auto'>(65000, 65000, 65000, 'auto', 64999),
  prefixes: fc.subarray(POOL),
  configured: fc.constantFrom(true, true, true, false),
  remoteAs: fc.constantFrom('external', 'internal', 'auto', '65001', '65002', '65000'),
  filter: fc.constantFrom('none' as const, 'PODS' as const, 'DENYALL' as const, 'ALLOW' as const),
});

const labArb = fc.record({ requiresPolicy: fc.boolean(), nodes: fc.array(nodeArb, { minLength: 1, maxLength: 5 }) });

function buildLab(spec: { requiresPolicy: boolean; nodes: readonly NodeSpec[] }): { hosts: Host[]; speakers: BgpSpeaker[] } {
  const neighbors = spec.nodes
    .map((n, i) => ({ n, addr: `192.168.10.${100 + i}` }))
    .filter(({ n }) => n.configured)
    .map(({ n, addr }) => {
      const lines = [` neighbor ${addr} remote-as ${n.remoteAs}`];
      if (n.filter === 'PODS' || n.filter === 'DENYALL') lines.push(` neighbor ${addr} prefix-list ${n.filter} in`);
      if (n.filter === 'ALLOW') lines.push(` neighbor ${addr} route-map ALLOW in`);
      return lines.join('\n');
    });
  const frr = `ip prefix-list PODS seq 5 permit 172.20.0.0/16 le 24
ip prefix-list DENYALL seq 5 deny any
route-map ALLOW permit 10
router bgp 65000
 bgp router-id 192.168.10.200
${spec.requiresPolicy ? '' : ' no bgp ebgp-requires-policy\n'}${neighbors.join('\n')}
 network 10.10.1.0/24
`;
  const hosts = [
    host('router', { eth1: '192.168.10.200/24', loop1: '10.10.1.200/24' }, frr),
    ...spec.nodes.map((_, i) => host(`n${i}`, { eth1: `192.168.10.${100 + i}/24` }, undefined, [['default', '192.168.10.200']])),
  ];
  const speakers = spec.nodes.map((n, i) => ciliumLike(`n${i}`, `192.168.10.${100 + i}`, n.asn, '192.168.10.200', n.peerAs, [...n.prefixes]));
  return { hosts, speakers };
}

/** The import rules, stated independently of the implementation. */
function accepts(spec: NodeSpec, asPath: readonly number[], requiresPolicy: boolean, prefix: string): boolean {
  const ebgp = spec.asn !== 65000;
  if (ebgp && requiresPolicy && spec.filter === 'none') return false;
  if (asPath.includes(65000)) return false;
  const len = Number(prefix.split('/')[1]);
  if (spec.filter === 'DENYALL') return false;
  if (spec.filter === 'PODS') return prefix.startsWith('172.20.') && len >= 16 && len <= 24;
  return true;
}

function canonical(r: BgpNetworkResult): string {
  const routers = [...r.routers.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([h, s]) => ({
      h,
      rib: s.locRib.map((e) => ({
        p: formatPrefix(e.prefix),
        paths: e.paths.map((c) => `${c.valid}|${c.source.kind === 'peer' ? c.source.address.toString() : 'local'}|${c.path.asPath.join(' ')}|${c.path.nextHop.toString()}|${c.path.localPref ?? ''}|${c.path.med ?? ''}`),
        best: e.best,
        mp: e.multipath,
        reason: e.reason,
        adv: e.advertisedTo.map(String),
      })),
      installed: s.installed.map((k) => `${formatPrefix(k.dst)} ${k.nexthops.map((n) => `${n.gateway?.toString()}@${n.dev}`).join(',')}`),
    }));
  const peers = r.peers.map((p) => `${p.host}|${p.neighbor.address.toString()}|${p.state}|${p.received}|${p.accepted}|${p.sent}|${p.advertised}`);
  return JSON.stringify({ routers, peers });
}

function shuffled<T>(xs: readonly T[], perm: readonly number[]): T[] {
  return [...xs].map((x, i) => ({ x, k: perm[i % perm.length]! * 31 + i })).sort((a, b) => a.k - b.k).map((o) => o.x);
}

describe('BGP network properties', () => {
  test.prop([labArb], RUNS)('a router has a BGP route for a prefix iff an Established session delivers an accepted path for it', (spec) => {
    const { hosts, speakers } = buildLab(spec);
    void IPv4CidrRange;
    const r = runBgpNetwork(clusterOf(hosts), speakers, tablesOf(hosts));
    expect(r.converged).toBe(true);
    const router = r.routers.get('router')!;
    const expected = new Set<string>();
    spec.nodes.forEach((n, i) => {
      const st = router.peers.find((p) => p.neighbor.address.toString() === `192.168.10.${100 + i}`);
      if (st?.state !== 'Established') return;
      // What the node sends (its wire form): its exports.
      for (const p of speakers[i]!.neighbors[0]!.exports ?? []) {
        const text = formatPrefix(p.prefix);
        if (accepts(n, p.asPath, spec.requiresPolicy, text)) expected.add(text);
      }
    });
    const actual = new Set(router.locRib.filter((e) => e.paths.some((c) => c.source.kind === 'peer')).map((e) => formatPrefix(e.prefix)));
    expect([...actual].sort()).toEqual([...expected].sort());
    // Zebra installs exactly the learned prefixes whose best path is learned.
    const learnedBest = router.locRib.filter((e) => e.best !== undefined && e.paths[e.best]!.source.kind === 'peer').map((e) => formatPrefix(e.prefix));
    expect(router.installed.map((k) => formatPrefix(k.dst)).sort()).toEqual(learnedBest.sort());
    // Cilium nodes install nothing.
    for (let i = 0; i < spec.nodes.length; i++) expect(r.installed.get(`n${i}`) ?? []).toEqual([]);
  });

  const meshArb = fc.record({
    routers: fc.array(
      fc.record({ asn: fc.constantFrom(65000, 65100, 65200, 65300), loops: fc.integer({ min: 0, max: 2 }), outFilter: fc.boolean() }),
      { minLength: 2, maxLength: 4 },
    ),
    links: fc.array(fc.tuple(fc.nat(3), fc.nat(3), fc.constantFrom(true, true, false)), { maxLength: 6 }),
    node: fc.subarray(POOL, { minLength: 1, maxLength: 3 }),
    perm: fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }),
    order: fc.array(fc.nat(3), { minLength: 1, maxLength: 6 }),
  });

  test.prop([meshArb], RUNS)('propagation reaches a fixed point that does not depend on input or evaluation order', (m) => {
    const n = m.routers.length;
    const pairs = new Map<string, boolean>();
    for (const [a, b, mutual] of m.links) {
      const x = a % n;
      const y = b % n;
      if (x === y) continue;
      pairs.set(`${Math.min(x, y)}-${Math.max(x, y)}`, mutual);
    }
    const hosts: Host[] = m.routers.map((r, i) => {
      const lines: string[] = [];
      for (const [k, mutual] of pairs) {
        const [x, y] = k.split('-').map(Number) as [number, number];
        const other = x === i ? y : y === i ? x : undefined;
        if (other === undefined) continue;
        if (!mutual && i === y) continue;
        const remote = m.routers[other]!.asn === r.asn ? 'internal' : 'external';
        lines.push(` neighbor 10.0.0.${1 + other} remote-as ${remote}`);
        if (r.outFilter) lines.push(` neighbor 10.0.0.${1 + other} prefix-list NOPODS out`);
      }
      if (i === 0) lines.push(' neighbor 10.0.0.100 remote-as external');
      const nets = Array.from({ length: r.loops }, (_, j) => ` network 10.${i + 1}.${j}.0/24`);
      const frr = `ip prefix-list NOPODS seq 5 deny 172.20.0.0/16 le 32\nip prefix-list NOPODS seq 10 permit any\nrouter bgp ${r.asn}\n bgp router-id 1.1.1.${i + 1}\n no bgp ebgp-requires-policy\n${lines.join('\n')}\n${nets.join('\n')}\n`;
      const ifaces: Record<string, string | string[]> = { eth0: `10.0.0.${1 + i}/24` };
      if (r.loops > 0) ifaces.loop = Array.from({ length: r.loops }, (_, j) => `10.${i + 1}.${j}.1/24`);
      return host(`r${i}`, ifaces, frr);
    });
    hosts.push(host('node', { eth0: '10.0.0.100/24' }));
    const speakers = [ciliumLike('node', '10.0.0.100', 65001, '10.0.0.1', m.routers[0]!.asn, [...m.node])];
    const base = runBgpNetwork(clusterOf(hosts), speakers, tablesOf(hosts));
    expect(base.converged).toBe(true);
    // Hosts in another order, and asynchronous rounds visiting routers in another order.
    const reordered = shuffled(hosts, m.perm);
    const other = runBgpNetwork(clusterOf(reordered), speakers, tablesOf(reordered), {
      order: (round, count) => shuffled([...Array(count).keys()], m.order.map((o) => o + round)),
    });
    expect(other.converged).toBe(true);
    expect(canonical(other)).toBe(canonical(base));
  });
});
