/** A benchmark: a name and a function that measures and reports lines of figures. */
export interface Benchmark {
  /** Name printed as a heading; `npm run bench -- NAME` runs only the matching ones. */
  readonly name: string;
  /** Measures and reports, one line per figure. */
  run(report: (line: string) => void): void | Promise<void>;
}

/**
 * Times `fn` over `iterations` runs after `warmup` runs; returns milliseconds per run (median of 5 batches).
 */
export function timeMs(fn: () => unknown, iterations: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    batches.push((performance.now() - t0) / iterations);
  }
  batches.sort((a, b) => a - b);
  return batches[2]!;
}
