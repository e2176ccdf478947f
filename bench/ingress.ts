/**
 * Cilium Ingress at 5,000 nodes: 2,000 Services, 1,000 Ingresses (900 shared, 100 dedicated)
 * with three paths each. Reports the ingress stage (the controller's Services and slices, the
 * cluster rebuilt), the controller's state (listeners and routes), LB IPAM with the ingress
 * Services, the walk's ingress view (listeners, one node's ingress address, every node's for
 * the ipcache), and per-request costs: route match on the shared listener and backend resolution.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Benchmark } from './benchmark.js';
import { timeMs } from './benchmark.js';
import { bigCluster } from './lb-maps.js';
import type { Cluster } from '../src/cluster/types.js';
import { ciliumConfigFrom } from '../src/cluster/config.js';
import type { Ingress } from '../src/input/types.js';
import { buildIngress, ingressState, matchRoute } from '../src/ingress/index.js';
import { allocateLbIps } from '../src/ipam/allocate.js';
import { ingressDatapath } from '../src/network/ingress.js';

function ingressCluster(): Cluster {
  const base = bigCluster(5000, 2000, 'random');
  const nodes = base.scenario.nodes.map((n, i) => ({ ...n, podCIDRs: [IPv4CidrRange.fromCidr(`10.${(i >> 8) & 255}.${i & 255}.0/24`)] }));
  const ingresses: Ingress[] = [];
  for (let k = 0; k < 1000; k++) {
    const dedicated = k % 10 === 0;
    ingresses.push({
      meta: { name: `ing-${k}`, namespace: 'default', labels: {}, annotations: { 'ingress.cilium.io/loadbalancer-mode': dedicated ? 'dedicated' : 'shared' } },
      ingressClassName: 'cilium',
      rules: [
        {
          ...(k % 3 === 0 ? { host: `app-${k}.example.com` } : {}),
          paths: [0, 1, 2].map((j) => ({
            path: j === 2 ? `/api-${k}/v[0-9]+` : `/app-${k}/p${j}`,
            pathType: j === 0 ? 'Prefix' : j === 1 ? 'Exact' : 'ImplementationSpecific',
            backend: { serviceName: `svc-${(k * 3 + j) % 2000}`, port: 80 },
          })),
        },
      ],
    });
  }
  const data = { 'kube-proxy-replacement': 'true', 'routing-mode': 'native', 'enable-ingress-controller': 'true', 'ingress-default-lb-mode': 'shared' };
  const config = ciliumConfigFrom(data);
  const scenario = { ...base.scenario, nodes, ingresses, ciliumConfig: data };
  return { ...base, scenario, config };
}

/** The ingress benchmark. */
export const ingressBenchmark: Benchmark = {
  name: 'Cilium Ingress (5,000 nodes, 2,000 services, 1,000 Ingresses)',
  run(report) {
    const before = ingressCluster();
    let t0 = performance.now();
    const cluster = buildIngress(before);
    report(`ingress stage (Services, slices, cluster rebuilt): ${cluster.scenario.services.length - before.scenario.services.length} Services added in ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const state = ingressState(cluster);
    const routes = state.listeners.reduce((n, l) => n + l.routes.length, 0);
    report(`controller state: ${state.ingresses.length} Ingresses, ${state.listeners.length} listeners, ${routes} routes in ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const ipam = allocateLbIps(cluster);
    report(`LB IPAM with the ingress Services: ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const d = ingressDatapath(cluster, state, ipam)!;
    report(`walk's ingress view (listeners by address): ${(performance.now() - t0).toFixed(1)} ms`);
    t0 = performance.now();
    const a = d.nodeAddress('node-17');
    report(`one node's ingress address (${IPv4.fromNumber(BigInt(a)).toString()}): ${(performance.now() - t0).toFixed(2)} ms`);
    t0 = performance.now();
    d.ownerOf(a);
    report(`every node's ingress address (ipcache index, first lookup): ${(performance.now() - t0).toFixed(0)} ms`);
    const shared = state.listeners.find((l) => l.service === 'kube-system/cilium-ingress' && l.port === 80)!;
    const paths = ['/app-500/p0/x', '/app-501/p1', '/api-502/v3', '/nothing'];
    let i = 0;
    const perMatch = timeMs(() => matchRoute(shared, i % 3 === 0 ? 'app-501.example.com' : '172.31.0.1', paths[i++ % 4]!), 200);
    report(`route match on the shared listener (${shared.routes.length} routes): ${(perMatch * 1000).toFixed(0)} µs per request`);
    const perBackends = timeMs(() => d.backends({ namespace: 'default', service: `svc-${i++ % 2000}`, port: 80 }), 1000);
    report(`backend resolution (EndpointSlices of the route's Service): ${(perBackends * 1000).toFixed(1)} µs per request`);
  },
};
