/**
 * Decoding benchmark at Kubernetes' scalability limits: 5,000 nodes, 10,000 services and
 * 100,000 pods (10 per service, 20 per node) written as block YAML in one file, then
 * `decodeScenario` (YAML reading, decoding, merging) and `buildCluster` (defaults, CiliumNodes,
 * EndpointSlices, Hosts). Target: decoding under 2 s and the process under 1 GB.
 *
 * Times are wall and CPU (user + system) time of one run each, after one warm-up run on a
 * smaller scenario; peak memory is the largest RSS and heap seen around the runs.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Benchmark } from './benchmark.js';
import { decodeScenario } from '../src/input/decode.js';
import { buildCluster } from '../src/cluster/build.js';

/** The YAML text of a scenario with `nodes` nodes, `services` services and `podsPerService` pods each. */
export function scenarioText(nodes: number, services: number, podsPerService: number): string {
  const parts: string[] = [];
  parts.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  routing-mode: native
  ipv4-native-routing-cidr: 10.0.0.0/8
  kube-proxy-replacement: "true"
  enable-bgp-control-plane: "true"
`);
  for (let n = 0; n < nodes; n++) {
    parts.push(`apiVersion: v1
kind: Node
metadata:
  name: node-${n}
  labels:
    kubernetes.io/hostname: node-${n}
    topology.kubernetes.io/zone: zone-${n % 3}
spec:
  podCIDR: 10.${n >> 8}.${n & 255}.0/24
  podCIDRs:
    - 10.${n >> 8}.${n & 255}.0/24
status:
  addresses:
    - type: InternalIP
      address: 172.16.${n >> 8}.${n & 255}
    - type: Hostname
      address: node-${n}
`);
  }
  for (let s = 0; s < services; s++) {
    const ns = `ns-${s % 100}`;
    parts.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${s}
  namespace: ${ns}
  labels:
    app: svc-${s}
spec:
  type: ${s % 10 === 0 ? 'LoadBalancer' : 'ClusterIP'}
  clusterIP: 10.${96 + (s >> 16)}.${(s >> 8) & 255}.${s & 255}
  selector:
    app: svc-${s}
  ports:
    - name: http
      port: 80
      targetPort: 8080
      protocol: TCP
`);
    for (let k = 0; k < podsPerService; k++) {
      const p = s * podsPerService + k;
      const node = p % nodes;
      const slot = Math.floor(p / nodes) + 2;
      parts.push(`apiVersion: v1
kind: Pod
metadata:
  name: svc-${s}-${k}
  namespace: ${ns}
  labels:
    app: svc-${s}
spec:
  nodeName: node-${node}
  containers:
    - name: web
      image: traefik/whoami
      ports:
        - containerPort: 8080
status:
  phase: Running
  podIP: 10.${node >> 8}.${node & 255}.${slot}
  podIPs:
    - ip: 10.${node >> 8}.${node & 255}.${slot}
`);
    }
  }
  return parts.join('---\n');
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** `npm run bench -- decode`. */
export const decodeBenchmark: Benchmark = {
  name: 'decode: 5,000 nodes, 10,000 services, 100,000 pods',
  run(report) {
    // warm-up on a small scenario
    const small = decodeScenario([{ file: 'warm.yaml', text: scenarioText(50, 100, 10) }]);
    if (E.isRight(small)) buildCluster(small.right);

    let peakRss = 0;
    let peakHeap = 0;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const t0 = performance.now();
    const text = scenarioText(5000, 10000, 10);
    report(`generated YAML: ${(text.length / 1e6).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms`);
    sample();

    const w1 = performance.now();
    const c1 = cpuMs();
    const decoded = decodeScenario([{ file: 'limits.yaml', text }]);
    const decodeWall = performance.now() - w1;
    const decodeCpu = cpuMs() - c1;
    sample();
    if (E.isLeft(decoded)) {
      report(`decode FAILED: ${decoded.left.slice(0, 3).map((e) => e.message).join('; ')}`);
      return;
    }
    const s = decoded.right;
    report(`decodeScenario: ${decodeWall.toFixed(0)} ms wall, ${decodeCpu.toFixed(0)} ms CPU (${s.nodes.length} nodes, ${s.services.length} services, ${s.pods.length} pods) — target < 2000 ms`);

    const w2 = performance.now();
    const c2 = cpuMs();
    const cluster = buildCluster(s);
    const buildWall = performance.now() - w2;
    const buildCpu = cpuMs() - c2;
    sample();
    report(`buildCluster: ${buildWall.toFixed(0)} ms wall, ${buildCpu.toFixed(0)} ms CPU (${cluster.endpointSlices.length} EndpointSlices, ${cluster.hosts.length} Hosts, ${cluster.warnings.length} warnings)`);
    report(`peak memory: RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB — target < 1024 MiB`);
  },
};
