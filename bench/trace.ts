/**
 * Packet traces per second: compile a network once (`compileNetwork`: every stage), then trace
 * many flows. Two networks:
 * - the bgp-lab (`lab/ + webpod-2 + pod-routes + lb`): the router curls the LB IP (successive
 *   source ports), curl-pod curls the ClusterIP;
 * - a generated cluster of 1,000 nodes on one /16, a router holding a route to every pod CIDR
 *   and an ECMP route for the LB IP over 8 nodes, 50 services (NodePort/LoadBalancer, 4 whoami
 *   backends each) and 100 client pods: the router curls LB IPs and NodePorts on random nodes,
 *   pods curl ClusterIPs.
 * Reports the compile time and traces per second: per CPU second of this process (the one-core
 * figure, robust to other load on the machine) and per wall-clock second. The walk renders hop
 * details and answer bodies only when asked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Benchmark } from './benchmark.js';
import { decodeScenario } from '../src/input/decode.js';
import { buildCluster } from '../src/cluster/build.js';
import type { Cluster } from '../src/cluster/types.js';
import { compileNetwork } from '../src/network/compile.js';
import { trace } from '../src/packet/trace.js';
import type { TraceRequest } from '../src/packet/types.js';

function load(files: { file: string; text: string }[]): Cluster {
  const d = decodeScenario(files, { set: {} });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildCluster(d.right);
}

/** The bgp-lab with webpod-2, pod-routes and the LB pool (the trace benchmarks' lab). */
export function labCluster(): Cluster {
  const root = join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab');
  const base = readdirSync(join(root, 'lab')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join('lab', f));
  const files = [...base, ...['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'].map((v) => join('variants', v))];
  return load(files.map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') })));
}

function ip(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * The generated cluster: `nodes` nodes (`node-i`, 192.168.0.0/16, pod CIDR 10.x.y.0/24), a router,
 * `services` services with 4 whoami backends each, `clients` client pods.
 *
 * @example
 * const c = bigTraceCluster(1000, 50, 100);
 */
export function bigTraceCluster(nodes: number, services: number, clients: number): Cluster {
  const docs: string[] = [];
  docs.push(`apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  routing-mode: native
  ipv4-native-routing-cidr: 10.0.0.0/8
  kube-proxy-replacement: "true"
  enable-bpf-masquerade: "true"
  bpf-lb-algorithm: random`);
  const nodeIp = (i: number): string => ip((192 << 24) | (168 << 16) | (i + 1));
  const podCidr = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}.0/24`;
  const routerRoutes: string[] = ['default via 192.168.255.254 dev eth1'];
  for (let i = 0; i < nodes; i++) {
    docs.push(`apiVersion: v1
kind: Node
metadata: {name: node-${i}}
spec: {podCIDR: ${podCidr(i)}, podCIDRs: [${podCidr(i)}]}
status: {addresses: [{type: InternalIP, address: ${nodeIp(i)}}]}`);
    docs.push(`apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: node-${i}}
spec:
  interfaces: [{name: eth0, addresses: ["${nodeIp(i)}/16"]}]
  routes: |
    default via 192.168.255.1 dev eth0`);
    routerRoutes.push(`${podCidr(i)} via ${nodeIp(i)} dev eth1`);
  }
  const lbMembers = Array.from({ length: 8 }, (_, k) => `nexthop via ${nodeIp(k * 7)} dev eth1`).join(' ');
  routerRoutes.push(`172.16.0.0/16 ${lbMembers}`);
  docs.push(`apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: router}
spec:
  interfaces: [{name: eth1, addresses: ["192.168.255.1/16"]}]
  sysctl: {net.ipv4.fib_multipath_hash_policy: "1"}
  routes: |
${routerRoutes.map((r) => `    ${r}`).join('\n')}`);
  docs.push(`apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: pool}
spec: {blocks: [{cidr: 172.16.0.0/16}]}`);
  let rand = 12345;
  const next = (n: number): number => {
    rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
    return rand % n;
  };
  const podIndex = new Array<number>(nodes).fill(2);
  const podIp = (node: number): string => {
    const k = podIndex[node]!++;
    return `10.${(node >> 8) & 255}.${node & 255}.${k}`;
  };
  for (let s = 0; s < services; s++) {
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc-${s}, namespace: default}
spec:
  type: ${s % 2 === 0 ? 'LoadBalancer' : 'NodePort'}
  clusterIP: ${ip((10 << 24) | (96 << 16) | (s + 1))}
  externalTrafficPolicy: ${s % 5 === 0 ? 'Local' : 'Cluster'}
  selector: {app: svc-${s}}
  ports: [{port: 80, targetPort: 80, nodePort: ${30000 + s}, protocol: TCP}]`);
    for (let b = 0; b < 4; b++) {
      const n = next(nodes);
      docs.push(`apiVersion: v1
kind: Pod
metadata: {name: svc-${s}-${b}, namespace: default, labels: {app: svc-${s}}}
spec: {nodeName: node-${n}, containers: [{name: w, image: traefik/whoami}]}
status: {phase: Running, podIP: ${podIp(n)}}`);
    }
  }
  for (let c = 0; c < clients; c++) {
    const n = next(nodes);
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: client-${c}, namespace: default, labels: {app: client}}
spec: {nodeName: node-${n}, containers: [{name: c, image: nicolaka/netshoot}]}
status: {phase: Running, podIP: ${podIp(n)}}`);
  }
  return load([{ file: 'big.yaml', text: docs.join('\n---\n') }]);
}

function measure(report: (line: string) => void, label: string, requests: readonly TraceRequest[], run: (r: TraceRequest) => unknown): void {
  for (let i = 0; i < Math.min(requests.length, 2000); i++) run(requests[i]!); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < 5; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const r of requests) run(r);
    const c = process.cpuUsage(c0);
    wall.push(requests.length / ((performance.now() - t0) / 1000));
    cpu.push(requests.length / ((c.user + c.system) / 1e6));
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  report(`${label}: ${fmt(cpu[2]!)} traces/s per CPU second (wall clock: ${fmt(wall[2]!)}/s; median of 5 rounds of ${requests.length})`);
}

/** The trace benchmark. */
export const traceBenchmark: Benchmark = {
  name: 'packet trace',
  run(report) {
    let t0 = performance.now();
    const lab = compileNetwork(labCluster());
    report(`bgp-lab compile (every stage): ${(performance.now() - t0).toFixed(1)} ms`);
    const labRouter: TraceRequest[] = [];
    const labPods: TraceRequest[] = [];
    for (let i = 0; i < 20000; i++) {
      labRouter.push({ from: 'router', dst: '172.16.1.1', dport: 80, sport: 32768 + (i % 28000) });
      labPods.push({ from: 'default/curl-pod', dst: '10.96.252.129', dport: 80, sport: 32768 + (i % 28000) });
    }
    measure(report, 'bgp-lab, router -> LB IP (eTP=Cluster, SNAT)', labRouter, (r) => trace(lab, r));
    measure(report, 'bgp-lab, curl-pod -> ClusterIP (socket LB)', labPods, (r) => trace(lab, r));

    t0 = performance.now();
    const cluster = bigTraceCluster(1000, 50, 100);
    report(`1,000-node cluster: decode and build ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const big = compileNetwork(cluster);
    report(`1,000-node cluster: compile (every stage) ${(performance.now() - t0).toFixed(0)} ms`);
    const lbIps = big.ipam.services.flatMap((s) => s.ips.map((a) => a.toString()));
    const reqs: TraceRequest[] = [];
    let rand = 99;
    const next = (n: number): number => {
      rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
      return rand % n;
    };
    for (let i = 0; i < 20000; i++) {
      const sport = 32768 + next(28000);
      const kind = i % 3;
      if (kind === 0 && lbIps.length > 0) reqs.push({ from: 'router', dst: lbIps[next(lbIps.length)]!, dport: 80, sport });
      else if (kind === 1) {
        const n = next(1000);
        reqs.push({ from: 'router', dst: `192.168.${((n + 1) >> 8) & 255}.${(n + 1) & 255}`, dport: 30000 + next(50), sport });
      } else reqs.push({ from: `default/client-${next(100)}`, dst: `10.96.0.${1 + next(50)}`, dport: 80, sport });
    }
    measure(report, '1,000-node cluster, mixed (LB IPs, NodePorts, ClusterIPs from pods)', reqs, (r) => trace(big, r));
  },
};
