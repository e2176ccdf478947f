/**
 * Packet-walk properties for DSR and Maglev over generated scenarios and flows (1000 runs each).
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { trace } from '../../src/packet/trace.js';
import type { TraceResult } from '../../src/packet/types.js';
import { flowArbitrary, pinnedNetwork, scenarioPool } from './packet-pool.js';

const dsrPool = scenarioPool(
  { bgp: true, lbIpam: true, serviceTypes: ['LoadBalancer'], nodes: { min: 2, max: 4 }, services: { min: 1, max: 2 }, podsPerService: { min: 1, max: 4 }, lbMode: 'dsr' },
  14,
  77,
);
const maglevPool = scenarioPool(
  { bgp: true, lbIpam: true, serviceTypes: ['LoadBalancer'], nodes: { min: 2, max: 5 }, services: { min: 1, max: 2 }, podsPerService: { min: 1, max: 5 }, lbAlgorithm: 'maglev', kubeProxyReplacement: true, maglevTableSizes: [251, 1021] },
  14,
  99,
);

const exercised = { dsr: 0, maglev: 0 };

const entryOf = (r: TraceResult): string | undefined => r.hops.find((h) => h.event === 'from-network')?.host;
const lbPick = (r: TraceResult): string | undefined => /: backend (\S+)/.exec(r.hops.find((h) => h.event === 'lb')?.detail ?? '')?.[1];

describe('DSR and Maglev properties', () => {
  test('the pools hold scenarios', () => {
    expect(dsrPool.length).toBeGreaterThan(3);
    expect(maglevPool.length).toBeGreaterThan(3);
  });

  test.prop([flowArbitrary(dsrPool.length)], { numRuns: 1000 })(
    'DSR: the backend sees the client address, and the client receives the reply from the VIP',
    (f) => {
      const entry = dsrPool[f.scenario % dsrPool.length]!;
      const vip = entry.vips[f.vip % entry.vips.length]!;
      const nodes = entry.scenario.facts.nodes;
      const node = nodes[f.node % nodes.length]!.name;
      const router = entry.scenario.facts.routers[f.router % entry.scenario.facts.routers.length]!.name;
      const net = pinnedNetwork(entry, router, vip.ip, node);
      const r = trace(net, { from: router, dst: vip.ip, dport: vip.port, protocol: vip.protocol, sport: f.sport });
      const e = entryOf(r);
      if (e === undefined || r.seenByBackend === null) return;
      expect(r.seenByBackend.src).toBe(r.request.src);
      const viaDsr = r.hops.some((h) => h.event === 'dsr' && h.host === e);
      if (viaDsr) {
        exercised.dsr++;
        // the answer never passes the entry node again
        const answer = r.hops.findIndex((h) => h.event === 'answer');
        expect(r.hops.slice(answer).some((h) => h.host === e && h.event === 'rev-nat')).toBe(false);
      }
      if (r.reply !== null) expect(r.reply.src).toBe(`${vip.ip}:${vip.port}`);
    },
  );

  test.prop([flowArbitrary(maglevPool.length)], { numRuns: 1000 })(
    'Maglev across nodes: a flow gets the same backend whichever node the router sends it to',
    (f) => {
      const entry = maglevPool[f.scenario % maglevPool.length]!;
      const vip = entry.vips[f.vip % entry.vips.length]!;
      if (vip.svc.externalTrafficPolicy === 'Local') return;
      const router = entry.scenario.facts.routers[f.router % entry.scenario.facts.routers.length]!;
      const srcAddress = router.addresses[0]!;
      const picks = new Set<string>();
      let count = 0;
      for (const n of entry.scenario.facts.nodes) {
        const net = pinnedNetwork(entry, router.name, vip.ip, n.name);
        const r = trace(net, { from: router.name, dst: vip.ip, dport: vip.port, protocol: vip.protocol, sport: f.sport, srcAddress });
        const pick = lbPick(r);
        if (pick !== undefined) {
          picks.add(pick);
          count++;
          expect(r.hops.find((h) => h.event === 'lb')?.detail).toMatch(/maglev slot \d+ of (251|1021)/);
        }
      }
      expect(picks.size).toBeLessThanOrEqual(1);
      if (count > 1) exercised.maglev++;
    },
  );

  test('the properties were exercised (DSR forwarding happened; Maglev compared several nodes)', () => {
    expect(exercised.dsr).toBeGreaterThan(50);
    expect(exercised.maglev).toBeGreaterThan(50);
  });
});
