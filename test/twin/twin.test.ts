import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { labFiles, loadLab } from '../helpers/lab.js';
import { createTwin, type Twin } from '../../src/twin/twin.js';
import { loadScenario } from '../../src/twin/load.js';
import { memoKey } from '../../src/twin/memo.js';
import { LazyMap } from '../../src/twin/lazy.js';
import { nodeLbMaps } from '../../src/datapath/lb/maps.js';
import { allocateLbIps } from '../../src/ipam/allocate.js';
import { bgpNetworkOf } from '../../src/bgp/network/pipeline.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { withInstalledRoutes } from '../../src/fib/install.js';
import { traceJson } from '../../src/packet/trace.js';
import { renderBpfLbList } from '../../src/views/lb/cilium-dbg.js';
import { renderRoutes } from '../../src/views/iproute2.js';

const VARIANTS = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];

function lab(variants: readonly string[] = VARIANTS): Twin {
  const r = loadScenario(labFiles(variants));
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return r.right;
}

describe('loadScenario', () => {
  it('loads the lab into a twin', () => {
    const twin = lab();
    expect(twin.cluster.scenario.nodes.map((n) => n.meta.name).sort()).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    expect(twin.scenario).toBe(twin.cluster.scenario);
  });

  it('refuses a broken frr.conf as the CLI does, with host and line', () => {
    const files = labFiles(VARIANTS).map((f) => ({ ...f, text: f.text.replace(/router bgp 65000/, 'router bgp abc') }));
    expect(files.some((f) => f.text.includes('router bgp abc'))).toBe(true);
    const r = loadScenario(files);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) {
      expect(r.left.every((e) => e.source === 'frr')).toBe(true);
      expect(r.left[0]?.message).toMatch(/^router: frr line \d+: /);
    }
  });

  it('returns every input error located (YAML, fields)', () => {
    const r = loadScenario([
      { file: 'bad.yaml', text: 'a: [1,\n' },
      { file: 'node.yaml', text: 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {podCIDR: nope}\n' },
    ]);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) {
      expect(r.left.length).toBeGreaterThanOrEqual(1);
      expect(r.left.every((e) => e.source === 'input')).toBe(true);
      expect(r.left[0]?.message).toContain('bad.yaml');
    }
  });
});

describe('Twin', () => {
  it('answers as the stage functions do', () => {
    const cluster = loadLab(VARIANTS);
    const twin = createTwin(cluster);
    const ipam = allocateLbIps(cluster);
    expect(twin.lbIpam()).toEqual(ipam);
    for (const n of ['k8s-ctr', 'k8s-w0', 'k8s-w1']) expect(renderBpfLbList(twin.maps(n)!)).toBe(renderBpfLbList(nodeLbMaps(cluster, ipam, n)));
    const final = withInstalledRoutes(baseRoutingTables(cluster), bgpNetworkOf(cluster).installed);
    for (const [host, table] of final) expect(renderRoutes(twin.fib(host)!.main)).toBe(renderRoutes(table.main));
    expect([...twin.fibs().keys()]).toEqual([...final.keys()]);
    expect(twin.bgp().installed).toEqual(bgpNetworkOf(cluster).installed);
    expect(twin.maps('router')).toBeUndefined();
    expect(twin.fib('nope')).toBeUndefined();
  });

  it('memoises every stage per twin', () => {
    const twin = lab();
    expect(twin.lbIpam()).toBe(twin.lbIpam());
    expect(twin.bgp()).toBe(twin.bgp());
    expect(twin.maps('k8s-ctr')).toBe(twin.maps('k8s-ctr'));
    expect(twin.fib('router')).toBe(twin.fib('router'));
    expect(twin.network()).toBe(twin.network());
    const key = memoKey<number>('count');
    let calls = 0;
    const count = (t: Twin): number => {
      calls++;
      return t.cluster.scenario.pods.length;
    };
    expect(twin.memo(key, count)).toBe(twin.memo(key, count));
    expect(calls).toBe(1);
    expect(twin.memoFor(key, 'a', () => 1)).toBe(1);
    expect(twin.memoFor(key, 'a', () => 2)).toBe(1);
    expect(twin.memoFor(key, 'b', () => 2)).toBe(2);
    // a key is a value: another key of the same name is another entry
    expect(twin.memo(memoKey<number>('count'), () => -1)).toBe(-1);
  });

  it('builds no LB maps for a trace: the entry node reads the rows at the address it is sent to', () => {
    const twin = lab();
    const maps = twin.allMaps() as LazyMap<string, unknown>;
    twin.network();
    expect(['k8s-ctr', 'k8s-w0', 'k8s-w1'].filter((n) => maps.computed(n))).toEqual([]);
    // a node's own host route question needs no LB maps at all
    twin.fib('k8s-w1');
    expect(maps.computed('k8s-w1')).toBe(false);
    const r = twin.trace({ from: 'router', dst: '172.16.1.1', dport: 80 });
    expect(r.verdict).toBe('FORWARDED');
    const entry = r.hops.find((h) => h.event === 'from-network')?.host;
    expect(entry).toBeDefined();
    // entry6: the frontend at 172.16.1.1 is built alone, not the entry node's whole maps
    expect(['k8s-ctr', 'k8s-w0', 'k8s-w1'].filter((n) => maps.computed(n))).toEqual([]);
    expect(twin.maps(entry!)).toBeDefined();
    expect(maps.computed(entry!)).toBe(true);
  });

  it('gives the same answers whatever was asked before (laziness does not leak)', () => {
    const requests = [
      { from: 'router', dst: '172.16.1.1', dport: 80 },
      { from: 'router', dst: '172.16.1.1', dport: 80, sport: 40001 },
      { from: 'curl-pod', dst: '10.96.252.129', dport: 80 },
      { from: 'k8s-w0', dst: '10.96.252.129', dport: 80, sport: 40002 },
    ];
    const questions: ((t: Twin) => string)[] = [
      ...requests.map((q) => (t: Twin) => JSON.stringify(traceJson(t.trace(q)))),
      (t) => renderBpfLbList(t.maps('k8s-w1')!),
      (t) => renderBpfLbList(t.maps('k8s-ctr')!),
      (t) => renderRoutes(t.fib('router')!.main),
      (t) => JSON.stringify([...t.identities()]),
    ];
    const answer = (order: readonly number[]): string[] => {
      const twin = lab();
      const out: string[] = [];
      for (const i of order) out[i] = questions[i]!(twin);
      return out;
    };
    const forward = questions.map((_, i) => i);
    const expected = answer(forward);
    expect(answer([...forward].reverse())).toEqual(expected);
    expect(answer([4, 0, 7, 2, 5, 1, 6, 3])).toEqual(expected);
    // bulk traces equal single traces
    const bulk = [...lab().traces(requests)].map((r) => JSON.stringify(traceJson(r)));
    expect(bulk).toEqual(expected.slice(0, requests.length));
  });
});

describe('LazyMap', () => {
  it('computes a value once, when first read; iteration in key order', () => {
    let calls = 0;
    const m = new LazyMap(['b', 'a', 'b'], (k) => {
      calls++;
      return k.toUpperCase();
    });
    expect(m.size).toBe(2);
    expect([...m.keys()]).toEqual(['b', 'a']);
    expect(calls).toBe(0);
    expect(m.get('a')).toBe('A');
    expect(m.get('a')).toBe('A');
    expect(m.get('z')).toBeUndefined();
    expect(calls).toBe(1);
    expect([...m]).toEqual([
      ['b', 'B'],
      ['a', 'A'],
    ]);
    expect(calls).toBe(2);
  });
});
