/**
 * cil6 (issue 10): what depends on the instance alone is made once and shared by the nodes that
 * share the instance object (every node without an override): each session comes from a
 * per-instance template with the node's name and source address filled in, and `speakersOf`
 * gives sessions that send the same wire array one exports array. Property (1,000 runs): on
 * generated scenarios, every session equals the one built for its node alone by the rules of
 * `buildSession` (written out here: same fields, same key order, same values), every speaker's
 * exports equal the unshared conversion (`instanceSpeaker`), and exports are shared exactly when
 * the wire arrays are.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import {
  PEER_CONFIG_DEFAULTS,
  computeCiliumBgp,
  fibSourceAddress,
  instanceSpeaker,
  speakersOf,
  type BgpFamilyKey,
  type CiliumPeerSession,
  type NodeConfigInstance,
} from '../../src/bgp/cilium/index.js';
import type { Cluster } from '../../src/cluster/types.js';
import { bgpScenarioWithUnlabelled, canonical, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

/** A session for one node, built from scratch (the agent's rules before the templates). */
function alone(cluster: Cluster, node: string, instance: NodeConfigInstance, localASN: number, i: number): CiliumPeerSession | undefined {
  const peer = instance.peers[i]!;
  if (peer.peerAddress === undefined) return undefined;
  const ref = peer.peerConfigRef;
  const pc = ref === undefined || ref === '' ? undefined : cluster.scenario.bgpPeerConfigs.find((p) => p.meta.name === ref);
  if (ref !== undefined && ref !== '' && pc === undefined) return undefined;
  const d = PEER_CONFIG_DEFAULTS;
  const nz = (v: number | undefined, def: number): number => (v === undefined || v === 0 ? def : v);
  const families: BgpFamilyKey[] = pc === undefined || pc.families.length === 0 ? [...d.families] : pc.families.map((f) => ({ afi: f.afi, safi: f.safi }));
  const localAddress = peer.localAddress ?? fibSourceAddress(cluster)(node, peer.peerAddress);
  return {
    node,
    instance: instance.name,
    peer: peer.name,
    localASN,
    peerAddress: peer.peerAddress,
    peerASN: peer.peerASN,
    sessionType: peer.peerASN === 0 ? 'unknown' : peer.peerASN === localASN ? 'ibgp' : 'ebgp',
    peerPort: nz(pc?.peerPort, d.peerPort),
    ...(instance.localPort !== undefined ? { listenPort: instance.localPort } : {}),
    ...(peer.localAddress !== undefined ? { configuredLocalAddress: peer.localAddress } : {}),
    ...(localAddress !== undefined ? { localAddress } : {}),
    families,
    timers: {
      connectRetryTimeSeconds: nz(pc?.timers.connectRetryTimeSeconds, d.connectRetryTimeSeconds),
      holdTimeSeconds: nz(pc?.timers.holdTimeSeconds, d.holdTimeSeconds),
      keepAliveTimeSeconds: nz(pc?.timers.keepAliveTimeSeconds, d.keepAliveTimeSeconds),
    },
    ebgpMultihopTTL: pc?.ebgpMultihop ?? d.ebgpMultihop,
    gracefulRestart: {
      enabled: pc?.gracefulRestart?.enabled ?? false,
      restartTimeSeconds: nz(pc?.gracefulRestart?.restartTimeSeconds, d.gracefulRestartTimeSeconds),
    },
    ...(ref !== undefined && ref !== '' ? { peerConfigRef: ref } : {}),
    ...(pc?.authSecretRef !== undefined ? { authSecretRef: pc.authSecretRef } : {}),
  };
}

describe('per-instance session templates and shared exports (cil6)', () => {
  test.prop([bgpScenarioWithUnlabelled], RUNS)('every session and export list equals its unshared computation', ({ documents }) => {
    const cluster = clusterOf(documents);
    const r = computeCiliumBgp(cluster);
    for (const n of r.nodes) {
      for (const inst of n.instances) {
        const cfg = n.nodeConfig.bgpInstances.find((i) => i.name === inst.name)!;
        const want = cfg.peers.flatMap((_, i) => {
          const s = alone(cluster, n.node, cfg, inst.localASN, i);
          return s === undefined ? [] : [s];
        });
        // JSON keeps the key order: the sessions print the same
        expect(canonical(inst.peers), `${n.node} sessions`).toBe(canonical(want));
      }
    }
    const speakers = speakersOf(r);
    const instances = r.nodes.flatMap((n) => n.instances);
    expect(speakers.length).toBe(instances.length);
    const byWires = new Map<unknown, unknown>();
    speakers.forEach((sp, k) => {
      const inst = instances[k]!;
      const own = instanceSpeaker(inst);
      sp.neighbors.forEach((nb, i) => {
        expect(canonical(nb.exports), `${sp.host} exports`).toBe(canonical(own.neighbors[i]?.exports));
        const wires = inst.advertisements[i]?.paths;
        if (wires === undefined) return;
        const seen = byWires.get(wires);
        if (seen === undefined) byWires.set(wires, nb.exports);
        else expect(nb.exports === seen, `${sp.host} exports shared with the same wire array`).toBe(true);
      });
    });
  });
});
