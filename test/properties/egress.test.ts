/**
 * Egress properties over generated egress scenarios (a pool sampled once with a fixed seed and
 * compiled once each; 1000 runs per property over pool × pod × outpost): a selected pod leaves
 * with an egress IP, a non-selected one with its node's address (its own when not masqueraded),
 * excluded CIDRs win, every node's egress map agrees on the gateway, and with azAffinity localOnly
 * a flow never leaves through another zone.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { egressScenarioArbitrary, toFiles, type GeneratedEgressScenario } from '../../src/arbitraries/index.js';
import { buildCluster } from '../../src/cluster/build.js';
import { decodeScenario } from '../../src/input/decode.js';
import { compileNetwork, type CompiledNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';
import { egressMapRows, egressState } from '../../src/egress/index.js';
import { inPrefix, ipv4ToU32, parsePrefix4 } from '../../src/net/addr.js';
import type { TraceResult } from '../../src/packet/types.js';

const RUNS = { numRuns: Number(process.env.EGRESS_RUNS ?? 1000) };

interface Entry {
  readonly s: GeneratedEgressScenario;
  readonly net: CompiledNetwork;
  readonly unmasq: CompiledNetwork;
}

function compile(s: GeneratedEgressScenario, set: Record<string, string>): CompiledNetwork {
  const d = decodeScenario(toFiles(s.documents), { set });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('; '));
  return compileNetwork(buildCluster(d.right));
}

const pool: Entry[] = fc.sample(egressScenarioArbitrary(), { numRuns: 32, seed: 1404 }).map((s) => ({
  s,
  net: compile(s, {}),
  unmasq: compile(s, { 'enable-ipv4-masquerade': 'false', 'enable-ipv4-egress-gateway': 'false' }),
}));

const caseArb = fc
  .integer({ min: 0, max: pool.length - 1 })
  .chain((i) => fc.record({ e: fc.constant(pool[i]!), pod: fc.nat(), outpost: fc.nat(), sport: fc.integer({ min: 32768, max: 60999 }) }))
  .map(({ e, pod, outpost, sport }) => ({ e, pod: e.s.facts.pods[pod % e.s.facts.pods.length]!, dst: e.s.facts.outposts[outpost % e.s.facts.outposts.length]!, sport }));

const within = (ip: string, cidrs: readonly string[]): boolean => cidrs.some((c) => inPrefix(ipv4ToU32(ip)!, parsePrefix4(c)!));
const srcOf = (r: TraceResult): string | undefined => r.seenByBackend?.src.split(':')[0];

function selected(e: Entry, pod: { org: string }, dst: string): boolean {
  const p = e.s.facts.policy;
  return pod.org === 'empire' && within(dst, p.destinationCIDRs) && !within(dst, p.excludedCIDRs);
}

const exercised = { egress: 0, masq: 0, dropped: 0 };

describe('egress properties (generated scenarios)', () => {
  test.prop([caseArb], RUNS)('a selected pod leaves with an egress IP; any other with its node address; excluded CIDRs win', ({ e, pod, dst, sport }) => {
    const r = trace(e.net, { from: `default/${pod.name}`, dst, dport: 8000, sport });
    const node = e.s.facts.nodes.find((n) => n.name === pod.node)!;
    if (!selected(e, pod, dst)) {
      exercised.masq++;
      expect(r.verdict).toBe('FORWARDED');
      expect(srcOf(r)).toBe(node.ip);
      return;
    }
    const p = e.s.facts.policy;
    const serving = e.s.facts.nodes.filter((n) => n.gateway && n.ready && !n.cordoned);
    if (r.verdict === 'DROPPED') {
      exercised.dropped++;
      if (p.kind === 'cilium') {
        const gw = serving[0];
        if (gw === undefined) expect(r.dropCode).toBe(194);
        else {
          expect(p.egressIPNode).not.toBe(gw.name);
          expect(r.dropCode).toBe(204);
        }
      } else {
        expect(r.dropCode).toBe(194);
        const local = serving.filter((n) => n.zone === node.zone);
        expect(serving.length === 0 || (p.azAffinity === 'localOnly' && local.length === 0)).toBe(true);
      }
      return;
    }
    exercised.egress++;
    const seen = srcOf(r)!;
    if (p.kind === 'cilium') {
      expect(serving[0]?.name).toBe(p.egressIPNode);
      expect(seen).toBe(serving[0]?.secondary);
    } else {
      expect(within(seen, ['172.18.2.0/28'])).toBe(true);
      const gwName = r.hops.find((h) => h.event === 'egress-snat')?.host;
      const gw = serving.find((n) => n.name === gwName);
      expect(gw).toBeDefined();
    }
  });

  test.prop([caseArb], RUNS)('with azAffinity localOnly a flow never leaves through another zone', ({ e, pod, dst, sport }) => {
    const r = trace(e.net, { from: `default/${pod.name}`, dst, dport: 8000, sport });
    const gwName = r.hops.find((h) => h.event === 'egress-snat')?.host;
    if (e.s.facts.policy.azAffinity !== 'localOnly' || gwName === undefined) return;
    const zoneOf = (n: string) => e.s.facts.nodes.find((x) => x.name === n)?.zone;
    expect(zoneOf(gwName)).toBe(zoneOf(pod.node));
  });

  test.prop([caseArb], RUNS)('without masquerading a pod leaves with its own address', ({ e, pod, dst, sport }) => {
    const r = trace(e.unmasq, { from: `default/${pod.name}`, dst, dport: 8000, sport });
    expect(srcOf(r)).toBe(pod.ip);
  });

  test.prop([fc.integer({ min: 0, max: pool.length - 1 })], { numRuns: pool.length * 4 })('every node\'s egress map agrees on the gateway; only gateways fill in the egress IP', (i) => {
    const e = pool[i]!;
    const state = egressState(e.net.cluster);
    const maps = e.s.facts.nodes.map((n) => ({ n, rows: egressMapRows(state, n.ip) }));
    const first = maps[0]!.rows.map((r) => `${r.SourceIP} ${r.DestCIDR} ${r.GatewayIP}`);
    for (const { n, rows } of maps) {
      expect(rows.map((r) => `${r.SourceIP} ${r.DestCIDR} ${r.GatewayIP}`)).toEqual(first);
      for (const r of rows) {
        if (r.EgressIP === '0.0.0.0') continue;
        // excluded rows carry the gateway's egress IP too (the agent writes the policy's egress IP)
        const gatewayRows = r.GatewayIP === 'Excluded CIDR' ? rows.filter((x) => x.SourceIP === r.SourceIP && x.GatewayIP !== 'Excluded CIDR') : [r];
        expect(gatewayRows.some((x) => x.GatewayIP.split(/[ ,>]+/).includes(n.ip))).toBe(true);
      }
    }
  });

  test.prop([fc.constant(0)], { numRuns: 1 })('the pool exercises egress, masquerading and drops', () => {
    expect(exercised.egress).toBeGreaterThan(0);
    expect(exercised.masq).toBeGreaterThan(0);
    expect(exercised.dropped).toBeGreaterThan(0);
  });
});
