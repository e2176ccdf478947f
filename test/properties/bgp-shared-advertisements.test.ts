/**
 * The agent shares the node-independent part of each instance's advertisements between nodes of
 * the same shape and merges each node's own part in (bgpfast, issue 10). Property (1,000 runs):
 * on generated scenarios, every node's RIB, policies and wire paths from `computeCiliumBgp` equal
 * the unshared computation of that node alone (`instanceAdvertisements` with a fresh index, then
 * `wirePaths` per session).
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { allowLocalPolicy, computeCiliumBgp, instanceAdvertisements, ipamLbIps, wirePaths } from '../../src/bgp/cilium/index.js';
import type { CiliumBgpResult } from '../../src/bgp/cilium/index.js';
import type { Cluster } from '../../src/cluster/types.js';
import { compareStrings } from '../../src/net/compare.js';
import { bgpScenarioWithUnlabelled, canonical, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

function unshared(cluster: Cluster, r: CiliumBgpResult): void {
  const lbIps = ipamLbIps(cluster);
  for (const n of r.nodes) {
    const cn = cluster.ciliumNodes.find((c) => c.meta.name === n.node)!;
    for (const inst of n.instances) {
      const cfg = n.nodeConfig.bgpInstances.find((i) => i.name === inst.name)!;
      const { rib, exportPolicies } = instanceAdvertisements(cluster, cn, cfg, lbIps);
      expect(canonical(inst.rib), `${n.node} rib`).toBe(canonical(rib));
      const policies = [allowLocalPolicy(), ...exportPolicies].sort((a, b) => compareStrings(a.name, b.name));
      expect(canonical(inst.policies), `${n.node} policies`).toBe(canonical(policies));
      inst.peers.forEach((s, i) => {
        expect(canonical(inst.advertisements[i]?.paths), `${n.node} ${s.peer} wire`).toBe(canonical(wirePaths(s, rib, exportPolicies)));
      });
    }
  }
}

describe('shared advertisements (bgpfast)', () => {
  test.prop([bgpScenarioWithUnlabelled], RUNS)('every node equals its unshared computation', ({ documents }) => {
    const cluster = clusterOf(documents);
    unshared(cluster, computeCiliumBgp(cluster));
  });
});
