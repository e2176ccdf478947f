/**
 * The scale benchmark (issue 10): the four questions a user asks first, each as a fresh process
 * of the CLI on the generated cluster of `cluster.ts` (2 services and 20 pods per node, an LB
 * pool, one BGP peer per node on an FRR router with `maximum-paths 16`) at 100, 1,000 and 5,000
 * nodes, printing n, wall time, CPU time and peak RSS:
 *
 * - `validate`
 * - `exec router -- ip route`
 * - `exec node-0 -- cilium-dbg bpf lb list`
 * - `trace --from router --to 172.16.0.1:80` (an LB IP advertised by every node)
 *
 * then 200,000 flows through the CLI with `trace --flows FILE --summary` on the bgp-lab and on
 * 1,000 nodes (flows reaching about 30 nodes: a node's LB maps are built when a flow first
 * reaches it). Targets: each question under 5 s and 2 GiB at 5,000 nodes (2 cores); time growing
 * at most as n log n. Sizes: `SCALE_SIZES=100,1000 npm run bench -- scale` (default 100,1000,5000).
 *
 * The scenario files are written to the system's temporary directory
 * (`cilium-twin-bench-N/`), the flows files next to them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './benchmark.js';
import { nodeIp, scaleScenario } from './cluster.js';

const CLI = join(import.meta.dirname, 'question.js');
const LAB = join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab');

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly exitCode: number;
  readonly stdoutBytes: number;
}

/**
 * The Node flags of the CLI's first line (`#!/usr/bin/env -S node FLAGS…`), so that a question
 * runs as `npx cilium-twin` runs it.
 */
export function cliNodeFlags(): string[] {
  const first = readFileSync(join(import.meta.dirname, '..', 'src', 'cli', 'main.js'), 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S node(.*)$/.exec(first);
  return m === null ? [] : m[1]!.trim().split(/\s+/).filter((f) => f !== '');
}

/** Runs the CLI in a fresh process (with the CLI's own Node flags); stdout is counted, not kept. */
export function runQuestion(args: readonly string[], input?: string): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...cliNodeFlags(), CLI, ...args], {
    input,
    timeout: 600_000,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const wallMs = performance.now() - t0;
  const m = /@@bench (\{.*\})/.exec(r.stderr ?? '');
  const j = m ? (JSON.parse(m[1]!) as { cpuMs: number; maxRssKiB: number; exitCode: number }) : { cpuMs: NaN, maxRssKiB: NaN, exitCode: r.status ?? -1 };
  return { wallMs, cpuMs: j.cpuMs, maxRssMiB: j.maxRssKiB / 1024, exitCode: j.exitCode, stdoutBytes: (r.stdout ?? '').length };
}

function scenarioDir(n: number): string {
  const dir = join(tmpdir(), `cilium-twin-bench-${n}`);
  mkdirSync(dir, { recursive: true });
  for (const f of scaleScenario(n)) writeFileSync(join(dir, f.file), f.text);
  return dir;
}

const QUESTIONS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: 'validate', args: ['validate'] },
  { name: 'exec router -- ip route', args: ['exec', 'router', '--', 'ip', 'route'] },
  { name: 'exec node-0 -- cilium-dbg bpf lb list', args: ['exec', 'node-0', '--', 'cilium-dbg', 'bpf', 'lb', 'list'] },
  { name: 'trace --from router --to 172.16.0.1:80', args: ['trace', '--from', 'router', '--to', '172.16.0.1:80'] },
];

function fmt(r: Run): string {
  const failed = r.exitCode !== 0 ? `  EXIT ${r.exitCode}` : '';
  return `${(r.wallMs / 1000).toFixed(2).padStart(6)} s wall  ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s CPU  ${r.maxRssMiB.toFixed(0).padStart(5)} MiB peak RSS${failed}`;
}

function labArgs(): string[] {
  const base = readdirSync(join(LAB, 'lab')).length > 0 ? ['-f', join(LAB, 'lab')] : [];
  return [...base, ...['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'].flatMap((v) => ['-f', join(LAB, 'variants', v)])];
}

/** 200,000 flow lines: the router to an LB IP with successive source ports, pods to ClusterIPs. */
function flowsText(count: number, kinds: readonly ((i: number) => string)[]): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(kinds[i % kinds.length]!(i));
  return `${lines.join('\n')}\n`;
}

/** `npm run bench -- scale`. */
export const scaleBenchmark: Benchmark = {
  name: 'scale: the four questions as fresh processes, 200,000 flows through the CLI',
  run(report) {
    const sizes = (process.env.SCALE_SIZES ?? '100,1000,5000').split(',').map(Number).filter((n) => n > 0);
    report(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, CLI flags: ${cliNodeFlags().join(' ') || '(none)'}`);
    const dirs = new Map<number, string>();
    for (const n of sizes) {
      const dir = scenarioDir(n);
      dirs.set(n, dir);
      report(`\nn = ${n} nodes (${2 * n} services, ${20 * n} pods, ${n} BGP sessions on the router):`);
      for (const q of QUESTIONS) report(`  ${q.name.padEnd(40)} ${fmt(runQuestion(['-f', dir, ...q.args]))}`);
    }

    const count = 200_000;
    const flowDir = join(tmpdir(), 'cilium-twin-bench-flows');
    mkdirSync(flowDir, { recursive: true });
    const labFlows = join(flowDir, 'lab.jsonl');
    writeFileSync(
      labFlows,
      flowsText(count, [
        (i) => `{"from":"router","to":"172.16.1.1:80","sport":${1024 + (i % 60000)}}`,
        (i) => `{"from":"default/curl-pod","to":"10.96.252.129:80/TCP","sport":${1024 + (i % 60000)}}`,
      ]),
    );
    report(`\n${count.toLocaleString('en-US')} flows, trace --flows FILE --summary (fresh process, start-up and reading included):`);
    report(`  bgp-lab${' '.repeat(33)} ${fmt(runQuestion([...labArgs(), 'trace', '--flows', labFlows, '--summary']))}`);
    const n = 1000;
    const dir = dirs.get(n) ?? scenarioDir(n);
    const bigFlows = join(flowDir, `n${n}.jsonl`);
    writeFileSync(
      bigFlows,
      // Flows that reach a bounded set of nodes (a node's LB maps are built when a flow first
      // reaches it, and at 1,000 nodes each holds every service): the LB IP every node
      // advertises (16 ECMP entry nodes, its 10 backends' nodes) and NodePorts on 10 nodes.
      flowsText(count, [
        (i) => `{"from":"router","to":"172.16.0.1:80","sport":${1024 + (i % 60000)}}`,
        (i) => `{"from":"router","to":"${nodeIp(i % 10)}:${30000 + ((i * 13) % 200)}","sport":${1024 + (i % 60000)}}`,
      ]),
    );
    report(`  ${n} nodes${' '.repeat(31)} ${fmt(runQuestion(['-f', dir, 'trace', '--flows', bigFlows, '--summary']))}`);
  },
};
