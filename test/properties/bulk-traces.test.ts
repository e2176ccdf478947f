/**
 * Bulk traces (issue 10), 1,000 runs each: over generated scenarios (single stack and dual
 * stack), tracing flows in bulk (`traceAll` / `BulkTracer`, the path of `trace --flows` and
 * `twin.traces`: per-class templates filled in with each flow's source port) gives exactly the
 * single traces of the same flows, every field deep-equal (`traceResultData`: hops rendered,
 * answer bodies, Hubble events, NAT translations), whatever was traced before on the same
 * network (the singles run in reverse order on a second, independently compiled network). The
 * flows repeat a few classes with many source ports, interleaved (so templates are built and
 * reused), in both port ranges (inside and below the NAT range), with ports equal to numbers the
 * walk shows (destination and backend ports, 80, 40000), and invalid ones (unknown clients,
 * addresses that are not IPv4, ports out of range, unbound source addresses). Flows survive their
 * JSON-lines form; the summary counts every flow once and equals the summary of single traces.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { toFiles } from '../../src/arbitraries/index.js';
import { buildCluster } from '../../src/cluster/build.js';
import { decodeScenario } from '../../src/input/decode.js';
import { compileNetwork } from '../../src/network/compile.js';
import type { Network } from '../../src/network/types.js';
import { BulkTracer, traceResultData } from '../../src/packet/bulk.js';
import { FlowSummary, flowLine, parseFlows, traceAll } from '../../src/packet/flows.js';
import { trace } from '../../src/packet/trace.js';
import type { L4Protocol, TraceRequest } from '../../src/packet/types.js';
import { type PoolEntry, scenarioPool } from './packet-pool.js';

const pool: PoolEntry[] = [
  ...scenarioPool(
    {
      lbIpam: true,
      serviceTypes: ['LoadBalancer', 'NodePort', 'ClusterIP'],
      nodes: { min: 2, max: 4 },
      services: { min: 1, max: 3 },
      podsPerService: { min: 0, max: 3 },
      maglevTableSizes: [251, 1021],
    },
    16,
    20261204,
  ),
  ...scenarioPool(
    {
      bgp: true,
      lbIpam: true,
      serviceTypes: ['LoadBalancer', 'NodePort', 'ClusterIP'],
      nodes: { min: 2, max: 4 },
      services: { min: 1, max: 3 },
      podsPerService: { min: 0, max: 3 },
      kubeProxyReplacement: true,
      maglevTableSizes: [251],
      dualStack: true,
    },
    8,
    20261205,
  ),
];

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

/** Clients, destinations (address, port, protocol) and source addresses a scenario offers. */
interface Offer {
  readonly clients: readonly string[];
  readonly dests: readonly { readonly dst: string; readonly dport: number; readonly protocol: L4Protocol }[];
  readonly sources: readonly string[];
}
const offers = new Map<number, Offer>();
function offerOf(i: number): Offer {
  const hit = offers.get(i);
  if (hit !== undefined) return hit;
  const e = pool[i]!;
  const f = e.scenario.facts;
  const clients = [...f.routers.map((r) => r.name), ...f.nodes.map((n) => n.name), ...e.net.pods.keys(), 'no-such-client'];
  const dests: { dst: string; dport: number; protocol: L4Protocol }[] = e.vips.map((v) => ({ dst: v.ip, dport: v.port, protocol: v.protocol }));
  for (const s of f.services) {
    for (const p of s.ports) {
      if (s.clusterIP !== undefined && !s.clusterIP.includes(':')) dests.push({ dst: s.clusterIP, dport: p.port, protocol: p.protocol });
      if (p.nodePort !== undefined) for (const n of f.nodes.slice(0, 2)) dests.push({ dst: n.internalIP, dport: p.nodePort, protocol: p.protocol });
      for (const b of s.backends.slice(0, 1)) if (!b.ip.includes(':')) dests.push({ dst: b.ip, dport: typeof p.targetPort === 'number' ? p.targetPort : p.containerPort, protocol: p.protocol });
    }
  }
  dests.push({ dst: '203.0.113.9', dport: 80, protocol: 'TCP' }, { dst: 'fd00::1', dport: 80, protocol: 'TCP' }, { dst: '300.1.1.1', dport: 80, protocol: 'UDP' });
  const sources = [...f.routers.flatMap((r) => r.addresses.slice(0, 1)), '198.51.100.7'];
  const o = { clients, dests, sources };
  offers.set(i, o);
  return o;
}

/** A class: client, destination, an optional source address (index), and a port override. */
const classArb = fc.record({
  client: fc.nat(),
  dest: fc.nat(),
  source: fc.option(fc.nat(), { nil: undefined, freq: 8 }),
  port: fc.option(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000)), { nil: undefined, freq: 6 }),
  protocol: fc.option(fc.constantFrom<L4Protocol>('TCP', 'UDP', 'SCTP'), { nil: undefined, freq: 6 }),
});

/** A source port: random in either range, at the range edge, equal to a number the walk shows, or invalid. */
const sportArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 32768, max: 65535 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 32767 }) },
  { weight: 2, arbitrary: fc.constantFrom(32767, 32768, 65535, 1, 80, 8080, 40000, 49157, 57349, 12437, 20631, 45205) },
  { weight: 1, arbitrary: fc.constantFrom(0, 65536, 1.5, -3) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

type ClassDraw = { client: number; dest: number; source: number | undefined; port: number | undefined; protocol: L4Protocol | undefined };

const flowsArb = fc.record({
  scenario: fc.nat(),
  classes: fc.array(classArb, { minLength: 1, maxLength: 4 }),
  flows: fc.array(fc.record({ k: fc.nat(), sport: sportArb, dportEcho: fc.boolean() }), { minLength: 1, maxLength: 100, size: 'max' }),
});

function requestsOf(i: number, classes: readonly ClassDraw[], flows: readonly { k: number; sport: number | undefined; dportEcho: boolean }[]): TraceRequest[] {
  const o = offerOf(i);
  return flows.map((f) => {
    const c = classes[f.k % classes.length]!;
    const d = o.dests[c.dest % o.dests.length]!;
    const dport = c.port ?? d.dport;
    // some flows use the destination port as their source port (a number the walk shows)
    const sport = f.dportEcho && f.sport !== undefined && f.sport < 100 ? dport : f.sport;
    return {
      from: o.clients[c.client % o.clients.length]!,
      dst: d.dst,
      dport,
      protocol: c.protocol ?? d.protocol,
      ...(sport !== undefined ? { sport } : {}),
      ...(c.source !== undefined ? { srcAddress: o.sources[c.source % o.sources.length]! } : {}),
    };
  });
}

/** v6walk: IPv6 addresses in flow events are bigints (JSON has no bigint). */
const bigintText = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

describe('bulk traces', () => {
  test.prop([flowsArb], { numRuns: 1000 })('bulk traces equal the single traces of the same flows, every field, in any order of asking', ({ scenario, classes, flows }) => {
    const i = scenario % pool.length;
    const requests = requestsOf(i, classes, flows);
    const bulk = [...traceAll(pool[i]!.net, requests)].map((r) => JSON.stringify(traceResultData(r), bigintText));
    const singles = [...requests].reverse().map((r) => JSON.stringify(traceResultData(trace(secondNet(i), r)), bigintText)).reverse();
    expect(bulk).toEqual(singles);
  });

  test.prop([flowsArb], { numRuns: 1000 })('the bulk summary equals the summary of single traces', ({ scenario, classes, flows }) => {
    const i = scenario % pool.length;
    const net = pool[i]!.net;
    const requests = requestsOf(i, classes, flows);
    const bulk = new FlowSummary(net);
    for (const r of traceAll(net, requests)) bulk.add(r);
    const single = new FlowSummary(net);
    for (const r of requests) single.add(trace(net, r));
    expect(bulk.rows()).toEqual(single.rows());
    expect([bulk.total, bulk.forwarded]).toEqual([single.total, single.forwarded]);
  });

  test.prop([flowsArb, fc.array(fc.constantFrom('', '# a comment', 'nope', '{"from":"x"}', '{"to":"1.2.3.4:80"}'), { maxLength: 4 })], { numRuns: 1000 })(
    'flows survive JSON lines; invalid lines are counted with their line numbers and the others still run',
    ({ scenario, classes, flows }, junk) => {
      const i = scenario % pool.length;
      const requests = requestsOf(i, classes, flows).filter((r) => Number.isInteger(r.sport ?? 1) && (r.sport ?? 1) >= 1 && (r.sport ?? 1) <= 65535 && r.dport >= 1 && r.dport <= 65535 && !r.dst.includes(':') && !r.dst.startsWith('300.'));
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

  test('the fast path is taken: a class of many source ports builds few templates and walks few flows', () => {
    let fast = 0;
    for (let i = 0; i < pool.length; i++) {
      const e = pool[i]!;
      const v = e.vips[0]!;
      const t = new BulkTracer(e.net);
      for (let k = 0; k < 200; k++) t.trace({ from: e.scenario.facts.routers[0]!.name, dst: v.ip, dport: v.port, protocol: v.protocol, sport: 33000 + k * 97 });
      const s = t.stats();
      expect(s.flows).toBe(200);
      if (s.walked < 50) fast++;
    }
    expect(fast).toBeGreaterThan(pool.length / 2);
  });
});
