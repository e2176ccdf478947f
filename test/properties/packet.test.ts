/**
 * Packet-walk properties over generated scenarios and flows (1000 runs each): eTP=Local keeps the
 * client address, SNAT under eTP=Cluster, determinism, bounded walks, drops with reasons.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { trace, traceJson } from '../../src/packet/trace.js';
import { u32ToIpv4 } from '../../src/net/addr.js';
import type { Network } from '../../src/network/types.js';
import type { TraceRequest, TraceResult } from '../../src/packet/types.js';
import { flowArbitrary, pinnedNetwork, scenarioPool, type PoolEntry } from './packet-pool.js';

const pool = scenarioPool(
  {
    bgp: true,
    lbIpam: true,
    serviceTypes: ['LoadBalancer'],
    nodes: { min: 2, max: 5 },
    services: { min: 1, max: 3 },
    podsPerService: { min: 0, max: 4 },
    kubeProxyReplacement: true,
    lbMode: 'snat',
  },
  24,
  20240601,
);

const exercised = { local: 0, snat: 0 };

const entryOf = (r: TraceResult): string | undefined => r.hops.find((h) => h.event === 'from-network')?.host;
const ipOf = (hostPort: string): string => hostPort.slice(0, hostPort.lastIndexOf(':'));

interface Case {
  readonly entry: PoolEntry;
  readonly net: Network;
  readonly request: TraceRequest;
  readonly node: string;
  readonly vip: PoolEntry['vips'][number];
}

function caseOf(f: { scenario: number; vip: number; node: number; router: number; source: number; sport: number }, pinnedEntry: boolean): Case {
  const entry = pool[f.scenario % pool.length]!;
  const vip = entry.vips[f.vip % entry.vips.length]!;
  const nodes = entry.scenario.facts.nodes;
  const node = nodes[f.node % nodes.length]!.name;
  const routers = entry.scenario.facts.routers;
  const router = routers[f.router % routers.length]!.name;
  const net = pinnedEntry ? pinnedNetwork(entry, router, vip.ip, node) : entry.net;
  const local = [...(net.hosts.get(router)?.local.keys() ?? [])].filter((a): a is number => typeof a === 'number' && a >>> 24 !== 127 && a >>> 24 !== 10);
  const choice = f.source % (local.length + 1);
  const srcAddress = choice < local.length ? u32ToIpv4(local[choice]!) : undefined;
  return {
    entry,
    net,
    node,
    vip,
    request: { from: router, dst: vip.ip, dport: vip.port, protocol: vip.protocol, sport: f.sport, ...(srcAddress ? { srcAddress } : {}) },
  };
}

describe('packet properties', () => {
  test('the pool holds scenarios with LB IPs', () => {
    expect(pool.length).toBeGreaterThan(5);
  });

  test.prop([flowArbitrary(pool.length), fc.boolean()], { numRuns: 1000 })(
    'eTP=Local preserves the source: the backend runs on the entry node and sees the client; the reply leaves from the LB IP',
    (f, pin) => {
      const c = caseOf(f, pin);
      if (c.vip.svc.externalTrafficPolicy !== 'Local') return;
      const r = trace(c.net, c.request);
      const e = entryOf(r);
      if (e === undefined || !c.net.nodes.has(e)) return; // the router did not deliver it to a node
      if (r.backend === null) {
        if (r.seenByBackend === null && r.dropCode !== null) expect(r.reason).toBe('Service backend not found');
        return;
      }
      expect(r.backend.node).toBe(e);
      expect(r.seenByBackend!.src).toBe(r.request.src);
      exercised.local++;
      const rev = r.hops.find((h) => h.event === 'rev-nat');
      expect(rev?.detail).toContain(`-> ${c.vip.ip}:${c.vip.port}`);
      if (r.reply !== null) expect(r.reply.src).toBe(`${c.vip.ip}:${c.vip.port}`);
    },
  );

  test.prop([flowArbitrary(pool.length)], { numRuns: 1000 })(
    'SNAT under eTP=Cluster: a flow forwarded to another node reaches it from the entry node\'s address and returns through the entry node',
    (f) => {
      const c = caseOf(f, true);
      if (c.vip.svc.externalTrafficPolicy === 'Local') return;
      const r = trace(c.net, c.request);
      const e = entryOf(r);
      if (e === undefined || r.backend === null || r.backend.node === e) return;
      const entryNode = c.net.nodes.get(e)!;
      expect(ipOf(r.seenByBackend!.src)).toBe(u32ToIpv4(entryNode.internalIP));
      if (r.verdict === 'FORWARDED') {
        exercised.snat++;
        const answer = r.hops.findIndex((h) => h.event === 'answer');
        expect(r.hops.slice(answer).some((h) => h.host === e && h.event === 'rev-nat')).toBe(true);
        expect(r.reply).toEqual({ src: `${c.vip.ip}:${c.vip.port}`, dst: r.request.src });
      }
    },
  );

  test.prop([flowArbitrary(pool.length), fc.boolean()], { numRuns: 1000 })(
    'the same request gives the same trace; a DROPPED verdict has a reason; walks are bounded',
    (f, pin) => {
      const c = caseOf(f, pin);
      const a = trace(c.net, c.request);
      const b = trace(c.net, c.request);
      expect(JSON.stringify(traceJson(a))).toBe(JSON.stringify(traceJson(b)));
      if (a.verdict === 'DROPPED') expect(a.reason).toBeTruthy();
      else {
        expect(a.reason).toBeNull();
        expect(a.reply).not.toBeNull();
      }
      expect(a.hops.length).toBeLessThan(300);
    },
  );

  test.prop([flowArbitrary(pool.length), fc.constantFrom('pod', 'node')], { numRuns: 1000 })(
    'pods and nodes reach LB IPs and ClusterIPs with a verdict; answers come from the address asked',
    (f, kind) => {
      const entry = pool[f.scenario % pool.length]!;
      const pods = entry.scenario.facts.pods;
      const from = kind === 'pod' && pods.length > 0 ? `${pods[f.source % pods.length]!.namespace}/${pods[f.source % pods.length]!.name}` : entry.scenario.facts.nodes[f.node % entry.scenario.facts.nodes.length]!.name;
      const vip = entry.vips[f.vip % entry.vips.length]!;
      const targets = [vip.ip, ...(vip.svc.clusterIP ? [vip.svc.clusterIP] : [])];
      for (const dst of targets) {
        const r = trace(entry.net, { from, dst, dport: vip.port, protocol: vip.protocol, sport: f.sport });
        if (r.verdict === 'FORWARDED') expect(r.reply!.src).toBe(`${dst}:${vip.port}`);
        else expect(r.reason).toBeTruthy();
      }
    },
  );

  test('the properties were exercised', () => {
    expect(exercised.local).toBeGreaterThan(50);
    expect(exercised.snat).toBeGreaterThan(50);
  });
});
