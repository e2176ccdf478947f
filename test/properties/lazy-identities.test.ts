/**
 * Pod identities answered one pod at a time (`lazyPodIdentities`, entry6) read exactly as the
 * identity table's `pods` map, whatever is asked and in which order: generated pods repeat keys
 * (the last write of the table's fill order wins), share label sets with their labels in another
 * order, differ only by service account or namespace, and are host-network. The same for the
 * policy engine's pod-by-address scan (`identityOf`), over a lazy identity table.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4 } from 'ip-num';
import type { Cluster } from '../../src/cluster/types.js';
import type { Pod } from '../../src/input/types.js';
import { identityTable, lazyIdentityTable, lazyPodIdentities } from '../../src/datapath/endpoints/identity.js';
import { PolicyEngine } from '../../src/policy/resolve.js';

const LABELS: readonly (readonly [string, string])[] = [
  ['app', 'a'],
  ['app', 'b'],
  ['tier', 'web'],
  ['pod-template-hash', 'x1'],
  ['role', 'db'],
];

const pod: fc.Arbitrary<Pod> = fc
  .record({
    ns: fc.constantFrom('default', 'b'),
    name: fc.constantFrom('p0', 'p1', 'p2', 'p3'),
    labels: fc.subarray([0, 1, 2, 3, 4]),
    reversed: fc.boolean(),
    sa: fc.constantFrom(undefined, 'sa1'),
    hostNetwork: fc.boolean(),
    ip: fc.constantFrom('10.0.0.5', '10.0.0.6', '10.0.1.5'),
    phase: fc.constantFrom('Running', 'Running', 'Pending'),
    scheduled: fc.boolean(),
  })
  .map((r) => {
    const order = r.reversed ? [...r.labels].reverse() : r.labels;
    const labels: Record<string, string> = {};
    for (const i of order) labels[LABELS[i]![0]] = LABELS[i]![1];
    return {
      meta: { name: r.name, namespace: r.ns, labels, annotations: {} },
      hostNetwork: r.hostNetwork,
      containers: [],
      podIPs: [IPv4.fromString(r.ip)],
      phase: r.phase,
      ready: true,
      terminating: false,
      ...(r.scheduled ? { nodeName: 'n0' } : {}),
      ...(r.sa !== undefined ? { serviceAccountName: r.sa } : {}),
    } as unknown as Pod;
  });

function clusterOf(pods: readonly Pod[], clusterId: number): Cluster {
  return {
    scenario: { pods, nodes: [], networkPolicies: [], ciliumNetworkPolicies: [], ciliumClusterwideNetworkPolicies: [] },
    namespaces: [{ meta: { name: 'b', labels: { team: 'x' }, annotations: {} } }],
    ciliumNodes: [],
    config: { clusterName: 'default', clusterId, maxConnectedClusters: 255, enableIPv4: true, enableIPv6: false, policyEnforcement: 'default' },
  } as unknown as Cluster;
}

const KEYS = ['default/p0', 'default/p1', 'b/p2', 'b/p3', 'b/p0', 'x/none', 'default/p'];

describe('pod identities answered one pod at a time', () => {
  test.prop([fc.array(pod, { maxLength: 16 }), fc.array(fc.nat(KEYS.length - 1), { minLength: 1, maxLength: 14 }), fc.constantFrom(0, 3)], { numRuns: 1000 })(
    'equal the identity table whatever is asked first',
    (pods, asks, clusterId) => {
      const cluster = clusterOf(pods, clusterId);
      const full = identityTable(cluster).pods;
      const lazy = lazyPodIdentities(cluster, () => identityTable(cluster).pods);
      for (const i of asks) {
        const key = KEYS[i]!;
        expect(lazy.get(key), key).toBe(full.get(key));
        expect(lazy.has(key), key).toBe(full.has(key));
      }
      expect([...lazy]).toEqual([...full]);
    },
  );

  test.prop([fc.array(pod, { maxLength: 16 }), fc.array(fc.constantFrom('10.0.0.5', '10.0.0.6', '10.0.1.5', '10.9.9.9'), { minLength: 1, maxLength: 12 })], { numRuns: 1000 })(
    "the policy engine's address identities over a lazy table equal the eager engine's",
    (pods, addrs) => {
      const cluster = clusterOf(pods, 0);
      const eager = new PolicyEngine(cluster, identityTable(cluster), []);
      // past the scanned lookups: the reference engine answers from its map of every pod
      for (let i = 0; i < 9; i++) eager.identityOf(1, 'n0');
      const full = (): ReturnType<typeof identityTable> => identityTable(cluster);
      const lazy = new PolicyEngine(cluster, lazyIdentityTable(cluster, full, lazyPodIdentities(cluster, () => full().pods)), []);
      for (const a of addrs) {
        const n = Number(IPv4.fromString(a).value);
        expect(lazy.identityOf(n, 'n0'), a).toBe(eager.identityOf(n, 'n0'));
      }
    },
  );
});
