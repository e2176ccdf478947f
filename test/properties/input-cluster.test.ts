/**
 * Generated scenarios through the cluster stage: they build with no warning, and the
 * EndpointSlices the cluster stage derives agree with the ones the generator writes the way the
 * endpoint-slice controller does.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeDocuments, type RawDocument } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { scenarioArbitrary, type ManifestDocument } from '../../src/arbitraries/index.js';

function cluster(documents: readonly ManifestDocument[]): Cluster {
  const raw: RawDocument[] = documents.map((value, i) => ({ file: 'scenario.yaml', index: i + 1, value }));
  const decoded = decodeDocuments(raw);
  if (E.isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildCluster(decoded.right);
}

/** Endpoints of a service's slices as comparable text, whichever slices hold them. */
function endpoints(c: Cluster, namespace: string, service: string): string[] {
  return c.endpointSlices
    .filter((s) => s.meta.namespace === namespace && s.serviceName === service)
    .flatMap((s) =>
      s.endpoints.map(
        (e) =>
          `${e.addresses.map((a) => a.toString()).join(',')} node=${e.nodeName ?? ''} ready=${e.ready} serving=${e.serving} ` +
          `terminating=${e.terminating} pod=${e.podRef?.namespace ?? ''}/${e.podRef?.name ?? ''} ` +
          `ports=${s.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).sort().join(',')}`,
      ),
    )
    .sort();
}

const arb = scenarioArbitrary({
  nodes: { min: 1, max: 5 },
  services: { min: 1, max: 5 },
  podsPerService: { min: 0, max: 4 },
  serviceTypes: ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless', 'ExternalName'],
  withEndpointSlices: true,
});

describe('generated scenarios through the cluster stage', () => {
  test.prop([scenarioArbitrary()], { numRuns: 200 })('build with no warning', (s) => {
    expect(cluster(s.documents).warnings).toEqual([]);
  });

  test.prop([arb], { numRuns: 200 })('derived EndpointSlices agree with the controller-style ones the generator writes', (s) => {
    const given = cluster(s.documents);
    const derived = cluster(s.documents.filter((d) => d['kind'] !== 'EndpointSlice'));
    for (const svc of s.facts.services) {
      if (svc.selector === undefined) continue;
      const want = endpoints(given, svc.namespace, svc.name);
      expect(want).toHaveLength(svc.backends.length);
      expect(endpoints(derived, svc.namespace, svc.name)).toEqual(want);
    }
  });
});
