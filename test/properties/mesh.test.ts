/**
 * Cluster mesh properties (issue 16), 1,000 runs over generated meshes of two to four clusters:
 * a global service's backends on any node are the union of the ready endpoints of the clusters
 * that share it (with an affinity, the preferred set when it is not empty); a cluster not in the
 * mesh sees none of the others' backends, routes or ipcache entries; a flow across clusters is
 * answered from the address the client asked; policies of one cluster never change a flow
 * inside another.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { isRight } from 'fp-ts/lib/Either.js';
import { meshArbitrary, meshPolicyArbitrary, type GeneratedMesh, type MeshClusterFacts } from '../../src/arbitraries/mesh.js';
import { loadScenario } from '../../src/twin/load.js';
import type { Twin } from '../../src/twin/twin.js';
import { ipcacheEntries } from '../../src/datapath/ipcache/ipcache.js';
import { formatPrefix } from '../../src/net/addr.js';
import { renderTraceJson } from '../../src/views/trace.js';

const RUNS = { numRuns: Number(process.env.MESH_RUNS ?? 1000) };

function load(m: GeneratedMesh): Twin {
  const r = loadScenario(m.files);
  if (!isRight(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return r.right;
}

/** The backends (`ip`) a cluster's nodes should hold for `web` (see the module doc). */
function expected(m: GeneratedMesh, c: MeshClusterFacts): string[] {
  const local = c.web.endpoints.filter((e) => e.ready).map((e) => e.ip);
  if (!c.web.global || !c.enabled) return local.sort();
  const remote = m.clusters
    .filter((o) => o !== c && o.enabled && o.web.global && o.web.shared)
    .flatMap((o) => o.web.endpoints.filter((e) => e.ready).map((e) => e.ip));
  const pick = c.web.affinity === 'local' ? (local.length > 0 ? local : remote) : c.web.affinity === 'remote' ? (remote.length > 0 ? remote : local) : [...local, ...remote];
  return pick.sort();
}

function backendsOn(t: Twin, node: string, clusterIP: string): string[] {
  const maps = t.maps(node)!;
  const f = maps.frontends.find((x) => x.address.toString() === clusterIP && x.port === 80);
  if (f === undefined) return [];
  const byId = new Map(maps.backends.map((b) => [b.id, b]));
  return f.backendIds.map((id) => byId.get(id)!).filter((b) => b.state === 'active').map((b) => b.address.toString()).sort();
}

describe('cluster mesh properties', () => {
  test.prop([meshArbitrary()], RUNS)('a global service\'s backends are the union of the sharing clusters\' ready endpoints (the preferred set with an affinity)', (m) => {
    const first = load(m);
    for (const c of m.clusters) {
      const t = first.inContext(c.context)!;
      for (const n of c.nodes) expect(backendsOn(t, n.name, c.web.clusterIP)).toEqual(expected(m, c));
    }
  });

  test.prop([meshArbitrary({ outsiders: 'some' })], RUNS)('a cluster not in the mesh sees none of the others\' backends, routes or ipcache entries', (m) => {
    const first = load(m);
    for (const c of m.clusters.filter((x) => !x.enabled)) {
      const t = first.inContext(c.context)!;
      const foreign = (ip: string) => !ip.startsWith(`10.${c.id}.`) && ip.startsWith('10.');
      for (const n of c.nodes) {
        expect(backendsOn(t, n.name, c.web.clusterIP).filter(foreign)).toEqual([]);
        expect(t.fib(n.name)!.main.map((r) => formatPrefix(r.dst)).filter(foreign)).toEqual([]);
        expect(ipcacheEntries(t.cluster, n.name).map((e) => e.prefix).filter(foreign)).toEqual([]);
      }
      expect(t.cluster.mesh?.remotes ?? []).toEqual([]);
    }
  });

  test.prop([meshArbitrary({ outsiders: 'none', maxClusters: 2 })], RUNS)('a flow across clusters is answered from the address the client asked', (m) => {
    const first = load(m);
    const [a, b] = [m.clusters[0]!, m.clusters[1]!];
    const t = first.inContext(a.context)!;
    // pod to pod: curl-pod of a to each ready web pod of b
    for (const e of b.web.endpoints.filter((x) => x.ready)) {
      const r = t.trace({ from: 'default/curl-pod', dst: e.ip, dport: 80 });
      expect(r.verdict).toBe('FORWARDED');
      expect(r.reply?.src).toBe(`${e.ip}:80`);
    }
    // pod to a global service whose backends are remote
    const backends = expected(m, a);
    if (backends.length > 0) {
      const r = t.trace({ from: 'default/curl-pod', dst: a.web.clusterIP, dport: 80 });
      expect(r.verdict).toBe('FORWARDED');
      expect(r.reply?.src).toBe(`${a.web.clusterIP}:80`);
      expect(backends.map((b) => `${b}:80`)).toContain(r.backend?.address);
    }
  });

  const twoClusters = meshArbitrary({ outsiders: 'none', maxClusters: 2 }).chain((m) =>
    meshPolicyArbitrary(m.clusters.map((c) => c.name)).map((policy) => ({ m, policy })),
  );
  test.prop([twoClusters], RUNS)('policies in cluster B never change a flow inside cluster A', ({ m, policy }) => {
    const [a, b] = [m.clusters[0]!, m.clusters[1]!];
    const withPolicy: GeneratedMesh = { ...m, files: [...m.files, { file: `${b.context}-policy.yaml`, text: policy, cluster: b.context }] };
    const plain = load(m).inContext(a.context)!;
    const policed = load(withPolicy).inContext(a.context)!;
    const flows = [
      ...a.web.endpoints.map((e) => ({ from: 'default/curl-pod', dst: e.ip, dport: 80 })),
      ...a.web.endpoints.map((e, i) => ({ from: `default/web-${i}`, dst: a.client.ip, dport: 80 })),
      ...(a.web.global ? [] : [{ from: 'default/curl-pod', dst: a.web.clusterIP, dport: 80 }]),
    ];
    for (const f of flows) expect(renderTraceJson(policed.trace(f))).toBe(renderTraceJson(plain.trace(f)));
    const sc = policed.inContext(b.context)!.cluster.scenario;
    expect(sc.ciliumNetworkPolicies.length + sc.ciliumClusterwideNetworkPolicies.length).toBeGreaterThan(0);
  });
});
