/**
 * Shared setup of the LB map properties (IPv4 and dual stack): a cluster from generated
 * documents, the small generated scenarios they run over, and every node's maps.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeDocuments } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import { scenarioArbitrary } from '../../src/arbitraries/index.js';
import { allocateLbIps } from '../../src/ipam/index.js';
import { lbMapsBuilder, type NodeLbMaps } from '../../src/datapath/lb/index.js';
import type { Cluster } from '../../src/cluster/types.js';

/** The cluster of generated documents (throws on a decode error: generated input is valid). */
export function clusterOfDocuments(docs: readonly unknown[]): Cluster {
  const decoded = decodeDocuments(docs.map((value, i) => ({ file: 'scenario.yaml', index: i + 1, value })));
  if (E.isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildCluster(decoded.right);
}

/** Small scenarios: 1–3 nodes and services, up to 4 pods each, one router, two Maglev sizes. */
export const smallLbScenario = scenarioArbitrary({
  nodes: { min: 1, max: 3 },
  services: { min: 1, max: 3 },
  podsPerService: { min: 0, max: 4 },
  routers: { min: 1, max: 1 },
  maglevTableSizes: [251, 509],
});

/** Every node's LB maps, in node order. */
export function allNodeMaps(c: Cluster): NodeLbMaps[] {
  const mapsOf = lbMapsBuilder(c, allocateLbIps(c));
  return c.scenario.nodes.map((n) => mapsOf(n.meta.name));
}
