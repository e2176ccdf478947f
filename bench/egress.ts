/**
 * The egress stage at 5,000 nodes: a generated kind-style cluster (5,000 nodes in 4 zones on
 * 10.128.0.0/9, every 50th node an egress gateway, 20,000 client pods, 8 CiliumEgressGatewayPolicies
 * and 2 IsovalentEgressGatewayPolicies with egressCIDRs and azAffinity). Measures the egress
 * state (selection, gateways, HA status, map entries: once per scenario), one node's
 * `bpf egress list` rows, and the per-packet LPM lookup the walk does.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Benchmark } from './benchmark.js';
import { timeMs } from './benchmark.js';
import { decodeScenario } from '../src/input/decode.js';
import { buildCluster } from '../src/cluster/build.js';
import type { Cluster } from '../src/cluster/types.js';
import { egressLookup, egressMapRows, egressState } from '../src/egress/index.js';

function ip(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * The generated cluster.
 *
 * @example
 * const c = egressCluster(5000, 20000);
 */
export function egressCluster(nodes: number, pods: number): Cluster {
  const docs: string[] = [];
  docs.push(`apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  routing-mode: tunnel
  kube-proxy-replacement: "true"
  enable-bpf-masquerade: "true"
  enable-ipv4-egress-gateway: "true"`);
  const nodeIp = (i: number): string => ip(((10 << 24) | (128 << 16)) + i + 1);
  const podCidr = (i: number): string => `10.${(i >> 8) & 127}.${i & 255}.0/24`;
  for (let i = 0; i < nodes; i++) {
    const gw = i % 50 === 0;
    docs.push(`apiVersion: v1
kind: Node
metadata: {name: node-${String(i).padStart(5, '0')}, labels: {topology.kubernetes.io/zone: zone-${i % 4}${gw ? ', egress-gw: "true"' : ''}}}
spec: {podCIDRs: [${podCidr(i)}]}
status: {addresses: [{type: InternalIP, address: ${nodeIp(i)}}]}`);
    docs.push(`apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: node-${String(i).padStart(5, '0')}}
spec:
  interfaces: [{name: eth0, addresses: ["${nodeIp(i)}/9"${gw ? `, "10.255.${(i >> 8) & 255}.${i & 255}/9"` : ''}]}]
  routes: |
    default via 10.128.0.1 dev eth0`);
  }
  for (let j = 0; j < pods; j++) {
    const n = j % nodes;
    const podIp = `10.${(n >> 8) & 127}.${n & 255}.${2 + Math.floor(j / nodes)}`;
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: client-${j}, namespace: ns-${j % 20}, labels: {team: t${j % 10}}}
spec: {nodeName: node-${String(n).padStart(5, '0')}, containers: [{name: c, image: nicolaka/netshoot}]}
status: {phase: Running, podIPs: [{ip: ${podIp}}]}`);
  }
  for (let k = 0; k < 8; k++) {
    docs.push(`apiVersion: cilium.io/v2
kind: CiliumEgressGatewayPolicy
metadata: {name: egress-${k}}
spec:
  selectors: [{podSelector: {matchLabels: {team: t${k}}}}]
  destinationCIDRs: ["203.0.${k}.0/24", "198.51.100.0/24"]
  excludedCIDRs: ["203.0.${k}.128/25"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}, interface: eth0}`);
  }
  for (let k = 0; k < 2; k++) {
    docs.push(`apiVersion: isovalent.com/v1
kind: IsovalentEgressGatewayPolicy
metadata: {name: ha-${k}}
spec:
  selectors: [{podSelector: {matchLabels: {team: t${8 + k}}}}]
  destinationCIDRs: ["0.0.0.0/0"]
  egressCIDRs: ["192.0.2.0/24"]
  azAffinity: ${k === 0 ? 'localOnly' : 'localPriority'}
  egressGroups: [{nodeSelector: {matchLabels: {egress-gw: "true"}}, interface: eth0, maxGatewayNodes: 8}]`);
  }
  const d = decodeScenario([{ file: 'egress.yaml', text: docs.join('\n---\n') }], { set: {} });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildCluster(d.right);
}

/** The egress benchmark. */
export const egressBenchmark: Benchmark = {
  name: 'egress (5,000 nodes, 20,000 pods, 10 policies)',
  run(report) {
    let t0 = performance.now();
    const cluster = egressCluster(5000, 20000);
    report(`decode + build: ${(performance.now() - t0).toFixed(0)} ms (not the egress stage)`);
    t0 = performance.now();
    const state = egressState(cluster);
    report(`egressState: ${(performance.now() - t0).toFixed(0)} ms, ${state.entries.length} map entries, ${state.policies.length} policies`);
    const once = timeMs(() => egressState(cluster), 1, 1);
    report(`egressState (warm): ${once.toFixed(0)} ms`);
    const rows = timeMs(() => egressMapRows(state, '10.128.0.1'), 5);
    report(`bpf egress list of one node: ${rows.toFixed(1)} ms (${state.entries.length} rows)`);
    const srcs = state.entries.map((e) => e.src);
    const dst = (203 << 24) | 7;
    let k = 0;
    const per = timeMs(() => {
      for (let i = 0; i < 10000; i++) egressLookup(state, srcs[(k++ * 7919) % srcs.length]!, dst >>> 0);
    }, 5);
    report(`lookup: ${((per / 10000) * 1e6).toFixed(0)} ns per packet`);
  },
};
