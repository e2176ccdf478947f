/**
 * All LB maps of one node for a generated cluster of 5,000 nodes and 10,000 services
 * (70% ClusterIP, 10% NodePort, 20% LoadBalancer; 3 backends each, on random nodes; one LB IPAM
 * pool), with `bpf-lb-algorithm` random and maglev (M=16381). Reports the cold time (LB IPAM
 * plus the cluster-wide part plus the node's maps) and the time for each further node.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Benchmark } from './benchmark.js';
import type { Cluster } from '../src/cluster/types.js';
import type { EndpointSlice, Host, Meta, Node, Service, Scenario } from '../src/input/types.js';
import { ciliumConfigFrom } from '../src/cluster/config.js';
import { allocateLbIps } from '../src/ipam/allocate.js';
import { nodeLbMaps } from '../src/datapath/lb/maps.js';

function meta(name: string, namespace?: string): Meta {
  return { name, ...(namespace !== undefined ? { namespace } : {}), labels: {}, annotations: {} };
}

function v4(n: number): IPv4 {
  return IPv4.fromNumber(BigInt(n >>> 0));
}

/** A deterministic pseudo-random sequence (LCG), so every run builds the same cluster. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A generated cluster of `nodeCount` nodes and `serviceCount` services (deterministic).
 *
 * @example
 * const c = bigCluster(5000, 10000, 'random');
 */
export function bigCluster(nodeCount: number, serviceCount: number, algorithm: 'random' | 'maglev'): Cluster {
  const rand = rng(7);
  const nodes: Node[] = [];
  const hosts: Host[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const addr = v4((192 << 24) | (168 << 16) | i); // 192.168.0.0/16 .. upwards
    nodes.push({ meta: meta(`node-${i}`), podCIDRs: [], taints: [], addresses: [{ type: 'InternalIP', address: addr }], ready: true });
    hosts.push({
      meta: meta(`node-${i}`),
      interfaces: [{ name: 'eth0', addresses: [{ address: addr, prefixLength: 16, network: IPv4CidrRange.fromCidr('192.168.0.0/16') }] }],
      routes: [],
      sysctl: {},
    });
  }
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const r = rand();
    const type = r < 0.7 ? 'ClusterIP' : r < 0.8 ? 'NodePort' : 'LoadBalancer';
    const name = `svc-${i}`;
    services.push({
      meta: meta(name, 'default'),
      type,
      clusterIPs: [v4((10 << 24) | (96 << 16) | i)],
      headless: false,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, ...(type !== 'ClusterIP' ? { nodePort: 30000 + (i % 2768) } : {}) }],
      selector: { app: name },
      externalTrafficPolicy: rand() < 0.2 ? 'Local' : 'Cluster',
      internalTrafficPolicy: 'Cluster',
      externalIPs: [],
      loadBalancerSourceRanges: [],
      sessionAffinity: 'None',
      sessionAffinityTimeoutSeconds: 10800,
      ipFamilies: [],
      loadBalancerIngress: [],
    });
    slices.push({
      meta: meta(`${name}-x`, 'default'),
      serviceName: name,
      addressType: 'IPv4',
      endpoints: [0, 1, 2].map((k) => {
        const n = Math.floor(rand() * nodeCount);
        return {
          addresses: [v4((172 << 24) | (16 << 16) | ((i * 3 + k) & 0xffff) | (((i * 3 + k) >> 16) << 16))],
          ready: true,
          serving: true,
          terminating: false,
          nodeName: `node-${n}`,
        };
      }),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  const scenario: Scenario = {
    nodes,
    namespaces: [],
    pods: [],
    services,
    endpointSlices: slices,
    ingresses: [],
    networkPolicies: [],
    ciliumNodes: [],
    bgpClusterConfigs: [],
    bgpPeerConfigs: [],
    bgpAdvertisements: [],
    bgpNodeConfigOverrides: [],
    lbIpPools: [{ meta: meta('pool'), blocks: [{ cidr: IPv4CidrRange.fromCidr('172.31.0.0/16') }], disabled: false }],
    l2AnnouncementPolicies: [],
    egressGatewayPolicies: [],
    ciliumNetworkPolicies: [],
    ciliumClusterwideNetworkPolicies: [],
    hosts,
    ignored: [],
  };
  const config = ciliumConfigFrom({ 'kube-proxy-replacement': 'true', 'bpf-lb-algorithm': algorithm, 'routing-mode': 'native' });
  return { scenario, config, namespaces: [], ciliumNodes: [], endpointSlices: slices, hosts, warnings: [] };
}

/** The "all LB maps of one node" benchmark. */
export const lbMapsBenchmark: Benchmark = {
  name: 'LB maps of one node (5,000 nodes, 10,000 services)',
  run(report) {
    for (const algorithm of ['random', 'maglev'] as const) {
      const cluster = bigCluster(5000, 10000, algorithm);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const ipam = allocateLbIps(cluster);
      const t1 = performance.now();
      const maps = nodeLbMaps(cluster, ipam, 'node-0');
      const t2 = performance.now();
      const cpu = process.cpuUsage(c0);
      const more: number[] = [];
      for (const n of ['node-1', 'node-2', 'node-3']) {
        const a = performance.now();
        nodeLbMaps(cluster, ipam, n);
        more.push(performance.now() - a);
      }
      more.sort((a, b) => a - b);
      const tables = maps.frontends.filter((f) => f.maglev !== undefined).length;
      report(
        `${algorithm}: LB IPAM ${(t1 - t0).toFixed(0)} ms; first node ${(t2 - t1).toFixed(0)} ms ` +
          `(LB IPAM + first node: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU) ` +
          `(${maps.frontends.length} frontends, ${maps.backends.length} backends, ${tables} Maglev tables); ` +
          `each further node ${more[1]!.toFixed(0)} ms`,
      );
    }
  },
};
