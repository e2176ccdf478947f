/**
 * Bulk flows per second (issue 10, third pass): the bulk functions (`traceAll`, which
 * `twin.traces` and `trace --flows` use) over a compiled network, each flow's result consumed
 * the way `--summary` does (`FlowSummary.add`: verdict, reason, entry node, backend), and the
 * `-o json` way (`JSON.stringify(traceJson(r))`) on a smaller count. Every round is a fresh bulk
 * job (a new `traceAll`: templates built again) with fresh random source ports, so the figures
 * include the first flows of each class (full walks) and building every template.
 *
 * "Once compiled" (the words, after "traces per second with a compiled network"): the
 * network is compiled (`compileNetwork`, and the per-node state it builds on demand for the nodes
 * the workload reaches: one whole warm-up job of the workload before the rounds), the bulk job
 * is not (its templates are part of each round). Requests name their clients and destinations
 * with strings from a list (as a library caller does, and as the CLI's reader does for `to`).
 *
 * Workloads:
 * - bgp-lab: router → LB IP (eTP=Cluster, SNAT), curl-pod → ClusterIP, and a mix of 12 classes
 *   (router, nodes and pods to the LB IP, the ClusterIP and a NodePort);
 * - the 1,000-node cluster of the trace benchmark: router → 25 LB IPs, router → NodePorts of 50
 *   services on 10 nodes, 100 client pods → 50 ClusterIPs (up to 5,525 classes);
 * - the same cluster with the trace benchmark's 20,000 flows (up to 55,000 classes: almost every
 *   flow its own class, the fast path's worst case);
 * - the mixed 1,000-node workload on one bulk job that has already seen it (every template built:
 *   the cost per flow alone, what a long flows file pays after its first flows of each class);
 * - the flows file reader of `trace --flows` (`parseFlows`) on 200,000 lines of the common shape,
 *   against `JSON.parse` and the decoder per line.
 * Prints flows per CPU second of this process (one core) and per wall-clock second, the median of
 * 5 rounds, with the bulk job's counts (classes, templates, flows that took the full walk).
 */
import type { Benchmark } from './benchmark.js';
import { compileNetwork } from '../src/network/compile.js';
import type { Network } from '../src/network/types.js';
import { BulkTracer } from '../src/packet/bulk.js';
import { FlowSummary, flowLine, parseFlowLine, parseFlows, traceAll } from '../src/packet/flows.js';
import { trace, traceJson } from '../src/packet/trace.js';
import type { TraceRequest } from '../src/packet/types.js';
import { bigTraceCluster, labCluster } from './trace.js';

function rng(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

type Workload = (round: number) => TraceRequest[];

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function measure(report: (line: string) => void, label: string, net: Network, make: Workload, consume: 'summary' | 'warm' | 'json' | 'walk'): void {
  const warm = new BulkTracer(net);
  const run = (reqs: readonly TraceRequest[]): void => {
    if (consume === 'warm') {
      const s = new FlowSummary(net);
      for (const r of reqs) s.add(warm.trace(r));
      if (s.rows().length === 0) throw new Error('no rows');
    } else if (consume === 'walk') {
      let n = 0;
      for (const r of reqs) if (trace(net, r).verdict === 'FORWARDED') n++;
      if (n < 0) throw new Error('unreachable');
    } else if (consume === 'summary') {
      const s = new FlowSummary(net);
      for (const r of traceAll(net, reqs)) s.add(r);
      if (s.rows().length === 0) throw new Error('no rows');
    } else {
      let bytes = 0;
      for (const r of traceAll(net, reqs)) bytes += JSON.stringify(traceJson(r)).length;
      if (bytes === 0) throw new Error('no output');
    }
  };
  // Warm up: one whole job of the workload (other ports) on the same network, so that the
  // network is compiled for it (each node's LB maps and FIB are built on demand, the first time a
  // flow reaches the node): the "once compiled". Every round is still a fresh bulk job
  // (its templates built again); the warm job keeps its templates (the per-flow cost alone).
  run(make(99));
  const wall: number[] = [];
  const cpu: number[] = [];
  let count = 0;
  for (let k = 0; k < 5; k++) {
    const reqs = make(k);
    count = reqs.length;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run(reqs);
    const c = process.cpuUsage(c0);
    wall.push(reqs.length / ((performance.now() - t0) / 1000));
    cpu.push(reqs.length / ((c.user + c.system) / 1e6));
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  let stats = '';
  if (consume === 'summary' || consume === 'json') {
    const t = new BulkTracer(net);
    for (const r of make(0)) t.trace(r);
    const s = t.stats();
    stats = `; ${fmt(s.classes)} classes, ${fmt(s.leaves)} templates, ${fmt(s.walked)} full walks`;
  }
  report(`${label}: ${fmt(cpu[2]!)} flows/s per CPU second (wall clock: ${fmt(wall[2]!)}/s; median of 5 rounds of ${fmt(count)}${stats})`);
}

function sports(round: number, n: number, make: (sport: number, r: (n: number) => number) => TraceRequest): TraceRequest[] {
  const r = rng(1000 + round);
  const out: TraceRequest[] = [];
  for (let i = 0; i < n; i++) out.push(make(32768 + r(28232), r));
  return out;
}

/** The bulk flows benchmark. */
export const flowsBenchmark: Benchmark = {
  name: 'bulk flows',
  run(report) {
    const lab = compileNetwork(labCluster());
    const N = 200_000;
    const router: Workload = (k) => sports(k, N, (sport) => ({ from: 'router', dst: '172.16.1.1', dport: 80, sport }));
    const pod: Workload = (k) => sports(k, N, (sport) => ({ from: 'default/curl-pod', dst: '10.96.252.129', dport: 80, sport }));
    const labClients = ['router', 'k8s-ctr', 'k8s-w1', 'default/curl-pod'];
    const labDests = [
      { dst: '172.16.1.1', dport: 80 },
      { dst: '10.96.252.129', dport: 80 },
      { dst: '192.168.10.101', dport: 30080 },
    ];
    const mixed: Workload = (k) =>
      sports(k, N, (sport, r) => {
        const d = labDests[r(labDests.length)]!;
        return { from: labClients[r(labClients.length)]!, dst: d.dst, dport: d.dport, sport };
      });
    measure(report, 'bgp-lab, router -> LB IP, full walk per flow (trace)', lab, (k) => router(k).slice(0, 20000), 'walk');
    measure(report, 'bgp-lab, router -> LB IP, bulk + summary', lab, router, 'summary');
    measure(report, 'bgp-lab, curl-pod -> ClusterIP, bulk + summary', lab, pod, 'summary');
    measure(report, 'bgp-lab, 12 classes mixed, bulk + summary', lab, mixed, 'summary');
    measure(report, 'bgp-lab, router -> LB IP, bulk + JSON line per flow', lab, (k) => router(k).slice(0, 50000), 'json');

    const big = compileNetwork(bigTraceCluster(1000, 50, 100));
    const lbIps = big.ipam.services.flatMap((s) => s.ips.map((a) => a.toString()));
    const nodeIp = (n: number): string => `192.168.${((n + 1) >> 8) & 255}.${(n + 1) & 255}`;
    const clients = Array.from({ length: 100 }, (_, i) => `default/client-${i}`);
    const clusterIps = Array.from({ length: 50 }, (_, i) => `10.96.0.${1 + i}`);
    const nodeIps = Array.from({ length: 1000 }, (_, i) => nodeIp(i));
    const bigMix: Workload = (k) =>
      sports(k, N, (sport, r) => {
        const kind = r(3);
        if (kind === 0 && lbIps.length > 0) return { from: 'router', dst: lbIps[r(lbIps.length)]!, dport: 80, sport };
        if (kind === 1) return { from: 'router', dst: nodeIps[r(10) * 100]!, dport: 30000 + r(50), sport };
        return { from: clients[r(100)]!, dst: clusterIps[r(50)]!, dport: 80, sport };
      });
    const spread: Workload = (k) =>
      sports(k, 20000, (sport, r) => {
        const kind = r(3);
        if (kind === 0 && lbIps.length > 0) return { from: 'router', dst: lbIps[r(lbIps.length)]!, dport: 80, sport };
        if (kind === 1) return { from: 'router', dst: nodeIps[r(1000)]!, dport: 30000 + r(50), sport };
        return { from: clients[r(100)]!, dst: clusterIps[r(50)]!, dport: 80, sport };
      });
    measure(report, '1,000 nodes, mixed (LB IPs, NodePorts on 10 nodes, ClusterIPs from 100 pods), full walk per flow', big, (k) => bigMix(k).slice(0, 20000), 'walk');
    measure(report, '1,000 nodes, mixed (LB IPs, NodePorts on 10 nodes, ClusterIPs from 100 pods), bulk + summary', big, bigMix, 'summary');
    measure(report, '1,000 nodes, 20,000 flows over up to 55,000 classes (NodePorts on every node), bulk + summary', big, spread, 'summary');
    measure(report, '1,000 nodes, mixed, the same bulk job later on (its templates built: the per-flow cost alone), bulk + summary', big, bigMix, 'warm');

    // the CLI's flows file reader: 200,000 lines of the common shape
    const lines: string[] = [];
    for (const r of bigMix(0)) lines.push(flowLine(r));
    const text = `${lines.join('\n')}\n`;
    const rate = (read: () => number): number => {
      read();
      const xs: number[] = [];
      for (let k = 0; k < 5; k++) {
        const c0 = process.cpuUsage();
        if (read() !== lines.length) throw new Error('lines lost');
        const c = process.cpuUsage(c0);
        xs.push(lines.length / ((c.user + c.system) / 1e6));
      }
      return xs.sort((a, b) => a - b)[2]!;
    };
    const fast = rate(() => {
      let n = 0;
      for (const f of parseFlows(text)) if (f.request !== undefined) n++;
      return n;
    });
    const slow = rate(() => {
      let n = 0;
      for (const l of text.split('\n')) if (l.trim() !== '' && typeof parseFlowLine(l.trim()) !== 'string') n++;
      return n;
    });
    report(`flows file reader (parseFlows, 200,000 lines like {"from":"router","to":"…:80/TCP","sport":…}): ${fmt(fast)} lines/s per CPU second (JSON.parse + decoder per line: ${fmt(slow)}/s)`);
  },
};
