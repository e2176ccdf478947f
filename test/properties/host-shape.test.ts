/**
 * The packet walk reads every host's links without building its routing table (`hostShape`,
 * issue 10): what it reads must be exactly what the table gives, for every host (routers,
 * nodes, dual-stack, tunnel or native routing) of generated scenarios.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { clusterOfDocuments } from '../helpers/lb-properties.js';
import { scenarioArbitrary } from '../../src/arbitraries/index.js';
import { hostRoutingTable, hostShape } from '../../src/fib/base.js';

describe('hostShape', () => {
  test.prop([scenarioArbitrary({ nodes: { min: 1, max: 4 }, services: { min: 0, max: 2 } })], { numRuns: 1000 })(
    'equals the routing table without its routes, on every host',
    (s) => {
      const cluster = clusterOfDocuments(s.documents);
      for (const h of cluster.hosts) {
        const t = hostRoutingTable(cluster, h);
        expect(hostShape(cluster, h)).toEqual({ host: t.host, isNode: t.isNode, links: t.links, multipathHashPolicy: t.multipathHashPolicy, sysctl: t.sysctl });
      }
    },
  );
});
