/**
 * L2 announcements on the 5,000-node, 10,000-service cluster of the LB maps benchmark (about
 * 2,000 LoadBalancer services; every other service labelled `color: blue`; nodes in two zones),
 * with two policies: blue services on zone-a nodes (all devices) and every service on zone-b nodes
 * with `interfaces: ['^eth0$']`. Reports the whole index (every lease, holder and entry), one
 * service's lease on its own, and one node's responder entries.
 */
import type { Benchmark } from './benchmark.js';
import { bigCluster } from './lb-maps.js';
import type { Cluster } from '../src/cluster/types.js';
import { ciliumConfigFrom } from '../src/cluster/config.js';
import type { L2AnnouncementPolicy, Meta } from '../src/input/types.js';
import { allocateLbIps } from '../src/ipam/allocate.js';
import { l2Model } from '../src/l2/announce.js';

function meta(name: string, labels: Record<string, string> = {}): Meta {
  return { name, labels, annotations: {} };
}

/** The L2 variant of the big cluster. */
function l2Cluster(): Cluster {
  const base = bigCluster(5000, 10000, 'random');
  const nodes = base.scenario.nodes.map((n, i) => ({ ...n, meta: meta(n.meta.name, { zone: i % 2 === 0 ? 'a' : 'b' }) }));
  const services = base.scenario.services.map((s, i) => ({ ...s, meta: { ...s.meta, labels: { color: i % 2 === 0 ? 'blue' : 'red' } } }));
  const policies: L2AnnouncementPolicy[] = [
    {
      meta: meta('blue-a'),
      serviceSelector: { matchLabels: { color: 'blue' }, matchExpressions: [] },
      nodeSelector: { matchLabels: { zone: 'a' }, matchExpressions: [] },
      interfaces: [],
      externalIPs: false,
      loadBalancerIPs: true,
    },
    {
      meta: meta('all-b'),
      nodeSelector: { matchLabels: { zone: 'b' }, matchExpressions: [] },
      interfaces: ['^eth0$'],
      externalIPs: false,
      loadBalancerIPs: true,
    },
  ];
  const config = ciliumConfigFrom({ 'kube-proxy-replacement': 'true', 'routing-mode': 'native', 'enable-l2-announcements': 'true' });
  return { ...base, config, scenario: { ...base.scenario, nodes, services, l2AnnouncementPolicies: policies } };
}

/** The L2 announcements benchmark. */
export const l2Benchmark: Benchmark = {
  name: 'L2 announcements (5,000 nodes, 10,000 services)',
  run(report) {
    {
      const cluster = l2Cluster();
      const ipam = allocateLbIps(cluster);
      const lb = cluster.scenario.services.filter((s) => s.type === 'LoadBalancer' && s.meta.labels['color'] === 'blue').at(-1)!;
      const model = l2Model(cluster, ipam);
      const t0 = performance.now();
      const lease = model.lease(`default/${lb.meta.name}`);
      const t1 = performance.now();
      const other = cluster.scenario.services.filter((s) => s.type === 'LoadBalancer').at(-2)!;
      const t2 = performance.now();
      model.lease(`default/${other.meta.name}`);
      const t3 = performance.now();
      report(
        `one service's lease, cold (per-policy node sets + its election): ${(t1 - t0).toFixed(0)} ms (${lb.meta.name}: holder ${lease?.holder ?? '-'}); ` +
          `another service's lease then: ${(t3 - t2).toFixed(1)} ms`,
      );
    }
    const cluster = l2Cluster();
    const ipam = allocateLbIps(cluster);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const idx = l2Model(cluster, ipam).index();
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    const entries = idx.leases.reduce((n, l) => n + l.entries.length, 0);
    report(
      `every lease: ${(t1 - t0).toFixed(0)} ms (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU): ` +
        `${idx.leases.length} leases, ${entries} responder entries`,
    );
    const holder = idx.leases[0]?.holder ?? 'node-0';
    const t2 = performance.now();
    const mine = idx.entriesOf(holder);
    const t3 = performance.now();
    report(`one node's responder entries after the index: ${(t3 - t2).toFixed(2)} ms (${holder}: ${mine.length} entries)`);
    const t4 = performance.now();
    const cands = idx.leases[0]?.candidates.length ?? 0;
    const t5 = performance.now();
    report(`one lease's candidate list, on demand: ${(t5 - t4).toFixed(0)} ms (${cands} candidates)`);
  },
};
