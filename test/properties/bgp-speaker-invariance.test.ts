/**
 * Cilium BGP speaker invariance properties (issue 4), 1,000 runs: the result does not depend on
 * document order, and renaming a peer renames its policies and changes nothing else. (One decode
 * of the original scenario per run serves both.)
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { computeCiliumBgp } from '../../src/bgp/cilium/index.js';
import type { CiliumBgpResult } from '../../src/bgp/cilium/index.js';
import { bgpScenario, canonical, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

/** The result with one peer's name changed wherever Cilium uses it (names, policy names, messages). */
function renamed(before: CiliumBgpResult, old: string, fresh: string): CiliumBgpResult {
  const rename = (name: string): string =>
    name === old ? fresh : name.startsWith(`${old}-ipv4-`) || name.startsWith(`${old}-ipv6-`) ? fresh + name.slice(old.length) : name;
  return {
    ...before,
    nodeConfigs: before.nodeConfigs.map((nc) => ({ ...nc, bgpInstances: nc.bgpInstances.map((i) => ({ ...i, peers: i.peers.map((p) => ({ ...p, name: rename(p.name) })) })) })),
    nodes: before.nodes.map((n) => ({
      ...n,
      nodeConfig: { ...n.nodeConfig, bgpInstances: n.nodeConfig.bgpInstances.map((i) => ({ ...i, peers: i.peers.map((p) => ({ ...p, name: rename(p.name) })) })) },
      instances: n.instances.map((i) => ({
        ...i,
        peers: i.peers.map((p) => ({ ...p, peer: rename(p.peer) })),
        policies: i.policies.map((p) => ({ ...p, name: rename(p.name) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        advertisements: i.advertisements.map((a) => ({ ...a, peer: rename(a.peer), paths: a.paths.map((p) => ({ ...p, policy: rename(p.policy) })) })),
      })),
      errors: n.errors.map((e) => e.replaceAll(`peer ${old}:`, `peer ${fresh}:`)),
    })),
  };
}

const withPermutation = bgpScenario.chain((s) =>
  fc.tuple(fc.shuffledSubarray([...s.documents], { minLength: s.documents.length }), fc.nat()).map(([d, k]) => ({ s, d, k })),
);

describe('Cilium BGP speaker invariance', () => {
  test.prop([withPermutation], RUNS)('document order changes nothing; renaming a peer renames its policies and nothing else', ({ s, d, k }) => {
    const before = computeCiliumBgp(clusterOf(s.documents));
    expect(canonical(computeCiliumBgp(clusterOf(d)))).toBe(canonical(before));
    const peers = s.facts.bgp?.peerNames ?? [];
    if (peers.length === 0) return;
    const old = peers[k % peers.length]!;
    const fresh = 'renamed-peer-x';
    const docs = s.documents.map((doc) => {
      if (doc['kind'] !== 'CiliumBGPClusterConfig' && doc['kind'] !== 'CiliumBGPNodeConfigOverride') return doc;
      return JSON.parse(JSON.stringify(doc).replaceAll(`"name":"${old}"`, `"name":"${fresh}"`)) as typeof doc;
    });
    expect(canonical(computeCiliumBgp(clusterOf(docs)))).toBe(canonical(renamed(before, old, fresh)));
  });
});
