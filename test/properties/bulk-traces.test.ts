/**
 * Bulk traces (issue 10), 1,000 runs: over generated scenarios, tracing flows in bulk
 * (`traceAll`, the path of `trace --flows`) gives exactly the single traces of the same flows,
 * whatever was traced before on the same network (the singles run in reverse order on a second,
 * independently compiled network); flows survive their JSON-lines form; the summary counts every
 * flow once.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { toFiles } from '../../src/arbitraries/index.js';
import { buildCluster } from '../../src/cluster/build.js';
import { decodeScenario } from '../../src/input/decode.js';
import { compileNetwork } from '../../src/network/compile.js';
import type { Network } from '../../src/network/types.js';
import { FlowSummary, flowLine, parseFlows, traceAll } from '../../src/packet/flows.js';
import { trace, traceJson } from '../../src/packet/trace.js';
import type { TraceRequest } from '../../src/packet/types.js';
import { scenarioPool } from './packet-pool.js';

const pool = scenarioPool(
  {
    bgp: true,
    lbIpam: true,
    serviceTypes: ['LoadBalancer', 'NodePort', 'ClusterIP'],
    nodes: { min: 2, max: 4 },
    services: { min: 1, max: 3 },
    podsPerService: { min: 0, max: 3 },
    kubeProxyReplacement: true,
  },
  12,
  20261204,
);

/** A second network per pool entry, compiled from a fresh decode (nothing shared with the first). */
const second = new Map<number, Network>();
function secondNet(i: number): Network {
  let n = second.get(i);
  if (n === undefined) {
    const d = decodeScenario(toFiles(pool[i]!.scenario.documents), { set: {} });
    if (isLeft(d)) throw new Error('pool scenario does not decode');
    n = compileNetwork(buildCluster(d.right));
    second.set(i, n);
  }
  return n;
}

const flowsArb = fc.record({
  scenario: fc.nat(),
  flows: fc.array(
    fc.record({ client: fc.nat(), vip: fc.nat(), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), sport: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }),
    { minLength: 1, maxLength: 12 },
  ),
});

function requestsOf(i: number, flows: readonly { client: number; vip: number; port: number | undefined; sport: number | undefined }[]): TraceRequest[] {
  const e = pool[i]!;
  const clients = [...e.scenario.facts.routers.map((r) => r.name), ...e.scenario.facts.nodes.map((n) => n.name), ...e.net.pods.keys()];
  return flows.map((f) => {
    const v = e.vips[f.vip % e.vips.length]!;
    return {
      from: clients[f.client % clients.length]!,
      dst: v.ip,
      dport: f.port ?? v.port,
      protocol: v.protocol,
      ...(f.sport !== undefined ? { sport: f.sport } : {}),
    };
  });
}

describe('bulk traces', () => {
  test.prop([flowsArb], { numRuns: 1000 })('traceAll equals the single traces of the same flows, in any order of asking', ({ scenario, flows }) => {
    const i = scenario % pool.length;
    const requests = requestsOf(i, flows);
    const bulk = [...traceAll(pool[i]!.net, requests)].map((r) => JSON.stringify(traceJson(r)));
    const singles = [...requests].reverse().map((r) => JSON.stringify(traceJson(trace(secondNet(i), r)))).reverse();
    expect(bulk).toEqual(singles);
  });

  test.prop([flowsArb, fc.array(fc.constantFrom('', '# a comment', 'nope', '{"from":"x"}', '{"to":"1.2.3.4:80"}'), { maxLength: 4 })], { numRuns: 1000 })(
    'flows survive JSON lines; invalid lines are counted with their line numbers and the others still run',
    ({ scenario, flows }, junk) => {
      const i = scenario % pool.length;
      const requests = requestsOf(i, flows);
      const lines = [...junk, ...requests.map(flowLine)];
      const parsed = [...parseFlows(lines.join('\n'))];
      const ok = parsed.filter((f) => f.request !== undefined).map((f) => f.request);
      expect(ok).toEqual(requests.map((r) => ({ ...r, protocol: r.protocol ?? 'TCP' })));
      const bad = parsed.filter((f) => f.error !== undefined).map((f) => f.line);
      expect(bad).toEqual(junk.flatMap((j, k) => (j === '' || j.startsWith('#') ? [] : [k + 1])));
      const s = new FlowSummary(pool[i]!.net);
      for (const r of traceAll(pool[i]!.net, ok as TraceRequest[])) s.add(r);
      expect(s.rows().reduce((n, r) => n + r.count, 0)).toBe(requests.length);
      expect(s.total).toBe(requests.length);
    },
  );
});
