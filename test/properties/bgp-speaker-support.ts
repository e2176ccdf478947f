/**
 * Support for the Cilium BGP speaker properties: generated scenarios decoded and built, and a
 * canonical text of a result for equality checks.
 */
import * as E from 'fp-ts/lib/Either.js';
import { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange } from 'ip-num';
import { fc } from '@fast-check/vitest';
import { decodeDocuments } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { scenarioArbitrary, type GeneratedScenario, type ManifestDocument } from '../../src/arbitraries/index.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';

/** Small BGP scenarios, cheap enough for 1,000 runs. */
export const bgpScenario = scenarioArbitrary({
  bgp: true,
  nodes: { min: 1, max: 4 },
  services: { min: 0, max: 4 },
  podsPerService: { min: 0, max: 3 },
  routers: { min: 1, max: 2 },
  clients: { min: 0, max: 0 },
});

/** Decodes and builds a generated scenario's documents (throws on a decode error: a generator bug). */
export function clusterOf(documents: readonly ManifestDocument[]): Cluster {
  const d = decodeDocuments(documents.map((value, i) => ({ file: 'scenario.yaml', index: i + 1, value })));
  if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildCluster(d.right);
}

/** A generated scenario where some nodes lose their labels (so that selectors may skip them). */
export const bgpScenarioWithUnlabelled: fc.Arbitrary<{ s: GeneratedScenario; documents: ManifestDocument[] }> = bgpScenario.chain((s) =>
  fc.subarray(s.facts.nodes.map((n) => n.name)).map((strip) => ({
    s,
    documents: s.documents.map((d) => {
      const meta = d['metadata'] as Record<string, unknown> | undefined;
      if (d['kind'] !== 'Node' || meta === undefined || !strip.includes(String(meta['name']))) return d;
      return { ...d, metadata: { ...meta, labels: {} } };
    }),
  })),
);

/** JSON text of any value with addresses and prefixes as strings (for equality checks). */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof IPv4 || x instanceof IPv6) return formatIp(x);
    if (x instanceof IPv4CidrRange || x instanceof IPv6CidrRange) return formatPrefix(x);
    if (typeof x === 'bigint') return x.toString();
    return x;
  });
}
