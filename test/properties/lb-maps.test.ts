/**
 * LB map properties (issue 3) over generated scenarios, on every node: eTP=Local and iTP=Local
 * backend filtering, the non-routable flag of ClusterIP frontends, identical Maglev tables on
 * every node for cluster-wide frontends, identical backend IDs, and document-order independence.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { allNodeMaps, clusterOfDocuments, smallLbScenario } from '../helpers/lb-properties.js';
import { scenarioArbitrary, type GeneratedScenario } from '../../src/arbitraries/index.js';
import { backendById, type NodeLbMaps } from '../../src/datapath/lb/index.js';
import { formatIp } from '../../src/net/addr.js';
import type { Cluster } from '../../src/cluster/types.js';

function clusterOf(s: GeneratedScenario, order?: (docs: readonly unknown[]) => unknown[]): Cluster {
  return clusterOfDocuments(order ? order(s.documents) : s.documents);
}



/** Addresses of the active backends in a frontend's slots. */
function activeAddrs(m: NodeLbMaps, f: NodeLbMaps['frontends'][number]): string[] {
  return f.backendIds
    .map((id) => backendById(m, id)!)
    .filter((b) => b.state === 'active')
    .map((b) => `${formatIp(b.address)}`)
    .sort();
}

describe('LB map properties', () => {
  test.prop([smallLbScenario], { numRuns: 1000 })(
    'eTP/iTP Local keep exactly the ready node-local backends; ClusterIP is non-routable exactly without external ClusterIP; backend IDs agree',
    (s) => {
      const maps = allNodeMaps(clusterOf(s));
      for (const m of maps) {
        for (const f of m.frontends) {
          if (f.wildcard || f.type === 'HostPort') continue;
          const svc = s.facts.services.find((x) => x.namespace === f.service.namespace && x.name === f.service.name)!;
          const local =
            f.scope === 'internal' || f.type === 'ClusterIP' ? svc.internalTrafficPolicy === 'Local' : svc.externalTrafficPolicy === 'Local';
          const ready = svc.backends.filter((b) => b.ready && !b.terminating && (!local || b.node === m.node)).map((b) => b.ip);
          expect(activeAddrs(m, f)).toEqual([...new Set(ready)].sort());
          if (f.type === 'ClusterIP') {
            expect(f.flagNames.includes('non-routable')).toBe(!s.facts.config.externalClusterIP);
            expect(f.routable).toBe(s.facts.config.externalClusterIP);
          }
        }
      }
      const first = maps[0]!;
      for (const m of maps.slice(1)) {
        for (const b of m.backends) {
          const o = backendById(first, b.id);
          if (o !== undefined) expect(`${formatIp(o.address)}:${o.port}`).toBe(`${formatIp(b.address)}:${b.port}`);
        }
      }
    },
  );

  test.prop([scenarioArbitrary({ nodes: { min: 2, max: 4 }, services: { min: 1, max: 3 }, lbAlgorithm: 'maglev', maglevTableSizes: [251, 1021] })], {
    numRuns: 1000,
  })('Maglev: a cluster-wide frontend has the same table on every node', (s) => {
    const maps = allNodeMaps(clusterOf(s));
    const key = (f: NodeLbMaps['frontends'][number]) => `${formatIp(f.address)}:${f.port}/${f.protocol}/${f.scope}`;
    const first = maps[0]!;
    for (const m of maps.slice(1)) {
      for (const f of m.frontends) {
        if (f.maglev === undefined || f.nodeAddressCopy || f.externalTrafficPolicy === 'Local' || f.internalTrafficPolicy === 'Local') continue;
        const g = first.frontends.find((x) => key(x) === key(f));
        expect(g?.maglev).toBeDefined();
        expect(Array.from(g!.maglev!)).toEqual(Array.from(f.maglev));
      }
    }
  });

  test.prop([smallLbScenario, fc.integer()], { numRuns: 100 })('the maps do not depend on document order', (s, seed) => {
    const shuffle = (docs: readonly unknown[]): unknown[] => {
      const out = [...docs];
      let x = seed >>> 0;
      for (let i = out.length - 1; i > 0; i--) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        const j = x % (i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    };
    const view = (ms: NodeLbMaps[]) =>
      JSON.stringify(ms, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v instanceof Uint32Array ? Array.from(v).join(',') : v,
      );
    expect(view(allNodeMaps(clusterOf(s, shuffle)))).toBe(view(allNodeMaps(clusterOf(s))));
  });
});
