/**
 * Workloads stage properties (issue 11) over generated clusters written with controllers:
 * placement independent of document order; no two pods share an address; every pod address in its
 * node's pod CIDR; required anti-affinity never violated by placed pods; every ready pod selected
 * by a Service in exactly one of its EndpointSlices.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { workloadsArbitrary } from '../../src/arbitraries/workloads.js';
import { toYaml } from '../../src/arbitraries/yaml.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { matchesLabels } from '../../src/cluster/selector.js';
import { nodePodCidrs } from '../../src/fib/base.js';
import { prefixContains } from '../../src/net/addr.js';
import type { Cluster } from '../../src/cluster/types.js';
import type { ManifestDocument } from '../../src/arbitraries/types.js';

const RUNS = { numRuns: 1000 };

function build(docs: readonly ManifestDocument[]): Cluster {
  const d = decodeScenario([{ file: 'w.yaml', text: toYaml(docs) }]);
  if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildWorkloadCluster(d.right);
}

const placement = (c: Cluster) =>
  c.scenario.pods.map((p) => `${p.meta.namespace}/${p.meta.name} ${p.nodeName ?? '-'} ${p.podIPs.map((a) => a.toString()).join(',')} ${p.pendingMessage ?? ''}`);

describe('workloads properties', () => {
  test.prop([workloadsArbitrary().chain((w) => fc.tuple(fc.constant(w), fc.shuffledSubarray([...w.documents], { minLength: w.documents.length })))], RUNS)(
    'placement, names and addresses do not depend on document order',
    ([w, shuffled]) => {
      expect(placement(build(shuffled))).toEqual(placement(build(w.documents)));
    },
  );

  test.prop([workloadsArbitrary()], RUNS)('no two pods share an address; each address lies in its node pod CIDR', (w) => {
    const c = build(w.documents);
    const seen = new Map<string, string>();
    for (const p of c.scenario.pods) {
      if (p.hostNetwork) continue;
      for (const a of p.podIPs) {
        const k = a.toString();
        expect(seen.get(k), `${k} of ${p.meta.name}`).toBeUndefined();
        seen.set(k, p.meta.name);
        const cidrs = nodePodCidrs(c, p.nodeName!);
        expect(cidrs.some((x) => prefixContains(x, a))).toBe(true);
      }
    }
  });

  test.prop([workloadsArbitrary()], RUNS)('required anti-affinity by hostname is never violated by placed pods', (w) => {
    const c = build(w.documents);
    for (const wl of w.facts.workloads.filter((x) => x.antiAffinity)) {
      const nodes = c.scenario.pods
        .filter((p) => p.meta.namespace === wl.namespace && p.meta.labels['wl'] === wl.name && p.nodeName !== undefined)
        .map((p) => p.nodeName!);
      expect(new Set(nodes).size).toBe(nodes.length);
    }
  });

  test.prop([workloadsArbitrary()], RUNS)('every ready selected pod is in exactly one EndpointSlice of its Service', (w) => {
    const c = build(w.documents);
    for (const s of c.scenario.services) {
      if (s.selector === undefined) continue;
      const ns = s.meta.namespace ?? 'default';
      const slices = c.endpointSlices.filter((x) => (x.meta.namespace ?? 'default') === ns && x.serviceName === s.meta.name && x.addressType === 'IPv4');
      for (const p of c.scenario.pods) {
        if ((p.meta.namespace ?? 'default') !== ns || !matchesLabels(s.selector, p.meta.labels) || !p.ready || p.podIPs.length === 0) continue;
        const n = slices.filter((x) => x.endpoints.some((e) => e.podRef?.name === p.meta.name)).length;
        expect(n, `${p.meta.name} in ${s.meta.name}`).toBe(1);
      }
      // and Pending pods are in none
      for (const p of c.scenario.pods.filter((x) => x.pendingMessage !== undefined)) {
        expect(slices.some((x) => x.endpoints.some((e) => e.podRef?.name === p.meta.name))).toBe(false);
      }
    }
  });
});
