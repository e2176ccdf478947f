/**
 * Workloads stage benchmark: 5,000 nodes and 10,000 Deployments of 10 replicas (100,000 pods),
 * 10,000 Services without cluster IPs, in `kubernetes` IPAM mode; then the same cluster with 100
 * Deployments of 5 replicas carrying required anti-affinity by hostname (the dynamic path).
 * Measures `expandWorkloads` (controllers, scheduler, pod IPs, service defaults) and
 * `buildWorkloads` (the stage plus rebuilding the cluster), one run each after a warm-up.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Benchmark } from './benchmark.js';
import { decodeScenario } from '../src/input/decode.js';
import { buildCluster } from '../src/cluster/build.js';
import { buildWorkloads, expandWorkloads } from '../src/workloads/index.js';

function text(nodes: number, deployments: number, replicas: number, anti: number): string {
  const parts: string[] = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {ipam: kubernetes, routing-mode: native, ipv4-native-routing-cidr: 10.0.0.0/8}\n',
  ];
  for (let n = 0; n < nodes; n++) {
    parts.push(`apiVersion: v1\nkind: Node\nmetadata: {name: node-${n}, labels: {kubernetes.io/hostname: node-${n}}}\nspec: {podCIDRs: [10.${n >> 8}.${n & 255}.0/24]}\nstatus: {addresses: [{type: InternalIP, address: 172.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}}]}\n`);
  }
  for (let d = 0; d < deployments; d++) {
    const a = d < anti ? `      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: app-${d}}}, topologyKey: kubernetes.io/hostname}]}}\n` : '';
    parts.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${d}, namespace: ns-${d % 10}}\nspec:\n  replicas: ${d < anti ? 5 : replicas}\n  selector: {matchLabels: {app: app-${d}}}\n  template:\n    metadata: {labels: {app: app-${d}}}\n    spec:\n      containers: [{name: c, image: traefik/whoami, ports: [{name: http, containerPort: 80}]}]\n${a}`);
    parts.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app-${d}, namespace: ns-${d % 10}}\nspec: {selector: {app: app-${d}}, ports: [{port: 80, targetPort: http}]}\n`);
  }
  return parts.join('---\n');
}

function measure(report: (line: string) => void, label: string, nodes: number, deployments: number, replicas: number, anti: number): void {
  const d = decodeScenario([{ file: 'w.yaml', text: text(nodes, deployments, replicas, anti) }]);
  if (E.isLeft(d)) throw new Error(d.left[0]!.message);
  const cluster = buildCluster(d.right);
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const r = expandWorkloads(cluster.scenario, cluster.config);
  const cpu = process.cpuUsage(u0);
  const expandMs = performance.now() - t0;
  const t1 = performance.now();
  const c = buildWorkloads(cluster);
  const buildMs = performance.now() - t1;
  const pending = r.scenario.pods.filter((p) => p.pendingMessage !== undefined).length;
  report(
    `${label}: expandWorkloads ${expandMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (${r.scenario.pods.length} pods, ${pending} pending, ${r.scenario.services.length} services); buildWorkloads ${buildMs.toFixed(0)} ms (${c.endpointSlices.length} EndpointSlices); heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}

/** The workloads benchmark (see the module doc). */
export const workloadsBenchmark: Benchmark = {
  name: 'workloads: 5,000 nodes, 100,000 pods from Deployments',
  run(report) {
    measure(report, 'warm-up (100 nodes, 2,000 pods)', 100, 200, 10, 0);
    measure(report, '5,000 nodes, 10,000 Deployments x 10', 5000, 10000, 10, 0);
    measure(report, 'same + 100 anti-affinity Deployments x 5', 5000, 10000, 10, 100);
  },
};
