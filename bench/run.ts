/**
 * `npm run bench`: runs every benchmark and prints its figures. Benchmarks are not tests: they
 * measure, they never fail on time. Add a benchmark as a module under `bench/` exporting a
 * `Benchmark`, and list it here (one line each).
 */
import type { Benchmark } from './benchmark.js';
import { bgpNetworkBenchmark } from './bgp-network.js';
import { decodeBenchmark } from './decode.js';
import { egressBenchmark } from './egress.js';
import { fibBenchmark } from './fib.js';
import { l2Benchmark } from './l2.js';
import { lbMapsBenchmark } from './lb-maps.js';
import { maglevBenchmark } from './maglev.js';
import { policyBenchmark } from './policy.js';
import { ingressBenchmark } from './ingress.js';
import { scriptBenchmark } from './script.js';
import { traceBenchmark } from './trace.js';
import { flowsBenchmark } from './flows.js';
import { workloadsBenchmark } from './workloads.js';
import { scaleBenchmark } from './scale.js';
import { meshBenchmark } from './mesh.js';

const benchmarks: readonly Benchmark[] = [
  bgpNetworkBenchmark,
  decodeBenchmark,
  egressBenchmark,
  fibBenchmark,
  l2Benchmark,
  maglevBenchmark,
  policyBenchmark,
  ingressBenchmark,
  lbMapsBenchmark,
  scriptBenchmark,
  traceBenchmark,
  flowsBenchmark,
  scaleBenchmark,
  workloadsBenchmark,
  meshBenchmark,
];

const only = process.argv.slice(2);
for (const b of benchmarks) {
  if (only.length > 0 && !only.some((o) => b.name.includes(o))) continue;
  process.stdout.write(`\n## ${b.name}\n`);
  await b.run((line) => process.stdout.write(`${line}\n`));
}
