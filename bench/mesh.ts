/**
 * The cluster mesh at 5,000 nodes: two clusters of 2,500 nodes and 5,000 services each (the LB
 * maps benchmark's cluster), every service global, on one L2 segment, native routing with
 * auto-direct-node-routes. Reports the mesh stage (rules, each cluster's view of the other), and
 * what it adds to one node's questions: its LB maps (remote backends of 5,000 global services)
 * and its routing table (2,500 remote pod CIDRs).
 */
import type { Benchmark } from './benchmark.js';
import { bigCluster } from './lb-maps.js';
import type { Cluster } from '../src/cluster/types.js';
import { ciliumConfigFrom } from '../src/cluster/config.js';
import { meshViews, validateMesh, type MeshMember } from '../src/mesh/mesh.js';
import { createMeshTwins, createTwin } from '../src/twin/twin.js';
import { IPv4, IPv4CidrRange } from 'ip-num';

function v4(n: number): IPv4 {
  return IPv4.fromNumber(BigInt(n >>> 0));
}

/** One cluster of the mesh: `bigCluster` renamed, readdressed, its services global. */
function member(context: string, id: number, nodes: number, services: number): MeshMember {
  const base = bigCluster(nodes, services, 'random');
  const prefix = `${context}-`;
  const offset = id === 1 ? 0 : 4096;
  const rename = (n: string): string => prefix + n;
  const cidr = (i: number): IPv4CidrRange => IPv4CidrRange.fromCidr(`${9 + id}.${i >> 8}.${i & 255}.0/24`);
  const ip = (i: number): IPv4 => v4((192 << 24) | (168 << 16) | (i + offset));
  const scenario = {
    ...base.scenario,
    nodes: base.scenario.nodes.map((n, i) => ({ ...n, meta: { ...n.meta, name: rename(n.meta.name) }, podCIDRs: [cidr(i)], addresses: [{ type: 'InternalIP' as const, address: ip(i) }] })),
    services: base.scenario.services.map((s) => ({ ...s, meta: { ...s.meta, annotations: { 'service.cilium.io/global': 'true' } } })),
    endpointSlices: base.scenario.endpointSlices.map((s) => ({
      ...s,
      endpoints: s.endpoints.map((e) => ({ ...e, nodeName: e.nodeName !== undefined ? rename(e.nodeName) : undefined, addresses: e.addresses.map((a) => v4(Number(a.value) + (id - 1) * (1 << 20))) })),
    })),
  };
  const cluster: Cluster = {
    ...base,
    scenario,
    endpointSlices: scenario.endpointSlices,
    ciliumNodes: [],
    hosts: base.hosts.map((h, i) => ({
      ...h,
      meta: { ...h.meta, name: rename(h.meta.name) },
      interfaces: [{ name: 'eth0', addresses: [{ address: ip(i), prefixLength: 16, network: IPv4CidrRange.fromCidr('192.168.0.0/16') }] }],
    })),
    config: ciliumConfigFrom({
      'cluster-name': context,
      'cluster-id': String(id),
      'routing-mode': 'native',
      'auto-direct-node-routes': 'true',
      'kube-proxy-replacement': 'true',
    }),
  } as Cluster;
  return { context, cluster };
}

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(0)} ms`;
}

/** The cluster mesh benchmark. */
export const meshBenchmark: Benchmark = {
  name: 'cluster mesh (2 clusters x 2,500 nodes, 5,000 global services each)',
  run(report) {
    const members = [member('west', 1, 2500, 5000), member('east', 2, 2500, 5000)];
    let t0 = performance.now();
    const issues = validateMesh(members);
    report(`validateMesh (IDs, names, routing, pod CIDR overlap of 5,000 nodes): ${ms(t0)}, ${issues.length} issues`);
    t0 = performance.now();
    meshViews(members);
    report(`meshViews (each cluster's view of the other): ${ms(t0)}`);
    t0 = performance.now();
    const west = createMeshTwins(members);
    report(`createMeshTwins: ${ms(t0)}`);
    t0 = performance.now();
    const maps = west.maps('west-node-0')!;
    report(`maps(one node) with remote backends: ${ms(t0)} (${maps.frontends.length} frontends, ${maps.backends.length} backends)`);
    const alone = createTwin(members[0]!.cluster);
    t0 = performance.now();
    const mapsAlone = alone.maps('west-node-0')!;
    report(`maps(one node), the same cluster alone: ${ms(t0)} (${mapsAlone.backends.length} backends)`);
    t0 = performance.now();
    const fib = west.fib('west-node-0')!;
    report(`fib(one node) with 2,500 remote pod CIDRs: ${ms(t0)} (${fib.main.length} routes)`);
    t0 = performance.now();
    alone.fib('west-node-0');
    report(`fib(one node), the same cluster alone: ${ms(t0)}`);
    const mem = process.memoryUsage().heapUsed / 1024 / 1024;
    report(`heap used: ${mem.toFixed(0)} MiB`);
  },
};
