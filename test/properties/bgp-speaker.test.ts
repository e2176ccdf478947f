/**
 * Cilium BGP speaker properties (issue 4) over generated scenarios, 1,000 runs. Each run decodes
 * one scenario (some nodes stripped of their labels) and checks, on the same result:
 * - a node no cluster config selects has no BGP instance and advertises nothing;
 * - eTP=Local (LB and external IPs) and iTP=Local (ClusterIP): a node advertises the address iff it
 *   has a local active endpoint; under Cluster policies every selected node advertises it (when the
 *   service has active endpoints or no-endpoints-routable is on);
 * - every prefix sent to a peer is accepted by an export policy naming that peer (exactly one when
 *   the prefix has one source), and nothing else is sent (default reject);
 * - nothing learned is imported or installed: `allow-local` is the only import policy, a speaker
 *   originates only its own RIB, and no node's final routing table (after the BGP network ran and
 *   zebra installed what the routers chose) holds a BGP route.
 * (Decoding is the costly part, so the four share one decode per run.)
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { computeCiliumBgp, evaluateExport, speakersOf, statementMatches } from '../../src/bgp/cilium/index.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';
import type { CiliumBgpResult } from '../../src/bgp/cilium/index.js';
import type { Cluster } from '../../src/cluster/types.js';
import { matchesSelector } from '../../src/cluster/selector.js';
import { allocateLbIps, lbIpsOf } from '../../src/ipam/index.js';
import { createTwin } from '../../src/twin/twin.js';
import type { GeneratedScenario } from '../../src/arbitraries/index.js';
import { bgpScenarioWithUnlabelled, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

function ribHas(r: CiliumBgpResult, node: string, prefix: string, svc: { namespace: string; name: string }, type: string): boolean {
  const n = r.nodes.find((x) => x.node === node);
  return (n?.instances ?? []).some((i) =>
    i.rib.some(
      (p) =>
        formatPrefix(p.prefix) === prefix &&
        p.sources.some((s) => s.service?.namespace === svc.namespace && s.service.name === svc.name && s.service.addressType === type),
    ),
  );
}

function unselectedNodesHaveNothing(cluster: Cluster, r: CiliumBgpResult): void {
  const speakers = speakersOf(r);
  for (const cn of cluster.ciliumNodes) {
    const selected = cluster.scenario.bgpClusterConfigs.some((c) => c.nodeSelector === undefined || matchesSelector(c.nodeSelector, cn.meta.labels));
    const node = r.nodes.find((n) => n.node === cn.meta.name);
    if (!selected) {
      expect(node, `${cn.meta.name} is not selected`).toBeUndefined();
      expect(speakers.filter((s) => s.host === cn.meta.name)).toEqual([]);
    } else {
      expect(node?.instances.length ?? 0, `${cn.meta.name} is selected`).toBeGreaterThan(0);
    }
  }
}

function trafficPolicyGates(s: GeneratedScenario, cluster: Cluster, r: CiliumBgpResult): void {
  const bgp = s.facts.bgp;
  if (bgp === undefined || r.nodes.length === 0) return;
  const ipam = allocateLbIps(cluster);
  for (const svc of s.facts.services) {
    if (!svc.bgpAdvertised || svc.type === 'Headless' || svc.type === 'ExternalName' || svc.ports.length === 0) continue;
    const addrs: [string, string, 'Cluster' | 'Local'][] = [];
    const etp = svc.externalTrafficPolicy ?? 'Cluster';
    for (const t of bgp.serviceAddresses) {
      if (t === 'ClusterIP' && svc.clusterIP !== undefined) addrs.push([t, svc.clusterIP, svc.internalTrafficPolicy]);
      if (t === 'ExternalIP') for (const ip of svc.externalIPs) addrs.push([t, ip, etp]);
      if (t === 'LoadBalancerIP' && svc.type === 'LoadBalancer') for (const ip of lbIpsOf(ipam, svc.namespace, svc.name)) addrs.push([t, formatIp(ip), etp]);
    }
    const active = svc.backends.filter((b) => b.ready && !b.terminating);
    for (const [type, ip, policy] of addrs) {
      if (ip.includes(':')) continue;
      for (const n of r.nodes) {
        if (n.instances.length === 0) continue;
        const expected = policy === 'Local' ? active.some((b) => b.node === n.node) : active.length > 0 || cluster.config.enableNoServiceEndpointsRoutable;
        expect(ribHas(r, n.node, `${ip}/32`, svc, type), `${n.node} ${svc.namespace}/${svc.name} ${type} ${ip} ${policy}`).toBe(expected);
      }
    }
  }
}

function exportPoliciesCarryEverything(r: CiliumBgpResult): void {
  for (const n of r.nodes) {
    for (const inst of n.instances) {
      const exports = inst.policies.filter((p) => p.type === 'export');
      inst.peers.forEach((peer, i) => {
        const sent = inst.advertisements[i]?.paths ?? [];
        const naming = exports.filter((p) => p.name.startsWith(`${peer.peer}-ipv4-`) || p.name.startsWith(`${peer.peer}-ipv6-`));
        for (const path of sent) {
          const matching = naming.filter((p) => p.statements.some((st) => statementMatches(st, peer.peerAddress, path.prefix)));
          expect(matching.length, `${n.node} ${peer.peer} ${formatPrefix(path.prefix)}`).toBeGreaterThanOrEqual(1);
          expect(path.policy).toBe(matching[0]?.name);
          const rib = inst.rib.find((x) => formatPrefix(x.prefix) === formatPrefix(path.prefix));
          expect(rib).toBeDefined();
          if (rib !== undefined && rib.sources.length === 1) expect(matching.length).toBe(1);
          for (const st of matching[0]?.statements ?? []) expect(st.matchNeighbors.map(formatIp)).toEqual([formatIp(peer.peerAddress)]);
        }
        for (const p of inst.rib) {
          if (!peer.families.some((f) => f.afi === p.family.afi && f.safi === p.family.safi)) continue;
          const accepted = evaluateExport(exports, peer.peerAddress, p.prefix) !== undefined;
          expect(sent.some((x) => formatPrefix(x.prefix) === formatPrefix(p.prefix))).toBe(accepted);
        }
      });
    }
  }
}

function nothingLearnedIsInstalled(cluster: Cluster, r: CiliumBgpResult): void {
  for (const n of r.nodes) {
    for (const inst of n.instances) expect(inst.policies.filter((p) => p.type === 'import').map((p) => p.name)).toEqual(['allow-local']);
  }
  const pods = new Map(cluster.ciliumNodes.map((c) => [c.meta.name, c.podCIDRs.map(formatPrefix)]));
  for (const sp of speakersOf(r)) {
    const node = r.nodes.find((n) => n.node === sp.host);
    for (const p of sp.originated) {
      const own = pods.get(sp.host) ?? [];
      const fromService = (node?.instances ?? []).some((i) =>
        i.rib.some((x) => formatPrefix(x.prefix) === formatPrefix(p.prefix) && x.sources.some((src) => src.type === 'Service')),
      );
      expect(own.includes(formatPrefix(p.prefix)) || fromService).toBe(true);
    }
  }
  const final = createTwin(cluster).fibs();
  for (const cn of cluster.ciliumNodes) {
    expect(final.get(cn.meta.name)?.main.filter((x) => x.protocol === 'bgp') ?? [], cn.meta.name).toEqual([]);
  }
}

describe('Cilium BGP speaker properties', () => {
  test.prop([bgpScenarioWithUnlabelled], RUNS)(
    'unselected nodes have nothing; traffic-policy gates; export policies carry every sent prefix, nothing else; nothing learned is installed',
    ({ s, documents }) => {
      const cluster = clusterOf(documents);
      const r = computeCiliumBgp(cluster);
      unselectedNodesHaveNothing(cluster, r);
      trafficPolicyGates(s, cluster, r);
      exportPoliciesCarryEverything(r);
      nothingLearnedIsInstalled(cluster, r);
    },
  );
});
