/**
 * Shared checks of the hostile-input suites: one-line located errors, no prototype pollution,
 * and a load-tolerant test of linear work (time ratio of a size-n and a size-8n input).
 */
import { expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { CliEnv } from '../../src/cli/run.js';
import { readEmbeddedLab } from '../../src/cli/files.js';

/** Run counts: small in `npm test`, larger with `npm run fuzz` (FUZZ=1). */
export const FUZZ = process.env['FUZZ'] === '1';

/** A test's time limit: the default, or 30 minutes for the long run. */
export const TIMEOUT = FUZZ ? 30 * 60_000 : 120_000;

/** Scales a run count: `n` normally, `n * factor` under `npm run fuzz`. */
export function runs(n: number, factor = 20): number {
  const forced = process.env['FUZZ_RUNS'];
  if (forced !== undefined) return Number(forced);
  return FUZZ ? n * factor : n;
}

/** An environment whose `-f` files (and standard input, as `-`) are given in memory. */
export function memoryEnv(files: readonly { file: string; text: string }[]): CliEnv {
  return {
    version: '0',
    readFiles: (paths) => {
      const out = paths.flatMap((p) => files.filter((f) => f.file === p || (p === '-' && f.file === '<stdin>')));
      return out.length === 0 ? E.left(`the path "${paths[0] ?? ''}" does not exist`) : E.right(out);
    },
    readDefault: () => readEmbeddedLab(),
    defaultName: 'bgp-lab',
  };
}

/** Control characters that must never appear raw in an error line. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Every line of a CLI's standard error is one located error (`FILE:LINE:COL: `, `FILE#DOC`,
 * `--set …`, `HOST: frr line N: `) or the CLI's own line (`cilium-twin: …`, the usage hint);
 * none holds a raw control character or a stack frame.
 */
export function expectOneLineErrors(stderr: string, files: readonly string[]): void {
  expect(stderr).not.toMatch(/\n\s+at .*[(:]\d+/); // a stack frame
  const names = files.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const located = new RegExp(`^((${names})(:\\d+:\\d+: |#\\d+[ :]|: )|--set |cilium-twin: |Run 'cilium-twin --help' for usage\\.$|[^ :]+: frr line \\d+: )`);
  for (const line of stderr.split('\n')) {
    if (line === '') continue;
    expect(line, JSON.stringify(line)).toMatch(located);
    expect(RAW_CONTROL.test(line), JSON.stringify(line)).toBe(false);
    expect(line.length).toBeLessThan(4000);
  }
}

/** Object.prototype and Array.prototype have no key they did not have before. */
export function expectNoPollution(): void {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** Wall time of `fn` in milliseconds, the smallest of `times` runs (the least disturbed by load). */
function minTime(fn: () => unknown, times: number): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * The time ratio of `work(8n)` to `work(n)` (linear work gives about 8, quadratic about 64),
 * measured robustly on a loaded machine: after a warm-up, the best of three runs of each, and
 * up to three attempts, keeping the smallest ratio (load only ever makes one side slower).
 */
export function growth(work: (n: number) => unknown, n: number): number {
  work(n);
  work(8 * n);
  let ratio = Infinity;
  for (let attempt = 0; attempt < 5 && ratio > 16; attempt++) {
    const small = Math.max(minTime(() => work(n), 3), 0.05);
    const large = minTime(() => work(8 * n), 3);
    ratio = Math.min(ratio, large / small);
  }
  return ratio;
}
