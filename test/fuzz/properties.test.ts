/**
 * Fuzz properties over hostile input: mutated generated scenarios, mutated lab files and
 * hostile YAML texts, through the library and the CLI's `validate`:
 *
 * - the exit code is 0, 1 or 2, never a crash (70) and never a stack trace;
 * - every error is one line, located (file and line/column or document), control characters
 *   escaped;
 * - `validate` agrees with the library (exit 1 exactly when `loadScenario` finds an error:
 *   decoding or the FRR checks; 0 when it loads);
 * - the fast reader and the `yaml` package agree document by document whenever both read;
 * - no prototype is ever polluted (`__proto__`, `constructor`, `prototype` keys).
 *
 * `npm test` runs a small number of cases; `npm run fuzz` (FUZZ=1) twenty times more, on larger
 * inputs; FUZZ_RUNS=N sets the count.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { hostileYamlArbitrary, mutatedTextArbitrary, scenarioArbitrary, toFiles } from '../../src/arbitraries/index.js';
import { parseWithLibrary, readYaml } from '../../src/input/yaml.js';
import { loadScenario } from '../../src/twin/load.js';
import { decodeScenario } from '../../src/input/decode.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { FUZZ, TIMEOUT, expectNoPollution, expectOneLineErrors, memoryEnv, runs } from './support.js';

const small = {
  nodes: { min: 1, max: 3 },
  subnets: { min: 1, max: 2 },
  routers: { min: 1, max: 2 },
  services: { min: 1, max: 3 },
  podsPerService: { min: 0, max: 2 },
  clients: { min: 0, max: 1 },
} as const;

/** The library's verdict on files (`loadScenario`: decoding, then the FRR checks). */
function libraryVerdict(files: readonly { file: string; text: string }[]): 'ok' | 'error' {
  return E.isLeft(loadScenario(files)) ? 'error' : 'ok';
}

/** Runs `validate` on in-memory files and checks the common properties; returns the exit code. */
function validate(files: readonly { file: string; text: string }[]): number {
  const env = memoryEnv(files);
  const args = files.flatMap((f) => ['-f', f.file === '<stdin>' ? '-' : f.file]);
  const r = runCli([...args, 'validate'], env, commands);
  expect([0, 1, 2]).toContain(r.exitCode);
  expectOneLineErrors(r.stderr ?? '', files.map((f) => f.file));
  expectNoPollution();
  const verdict = libraryVerdict(files);
  expect(r.exitCode, r.stderr).toBe(verdict === 'ok' ? 0 : 1);
  return r.exitCode;
}

/** A generated scenario as one file, and a mutation of that file. */
const mutatedScenario = scenarioArbitrary(small).chain((s) => {
  const text = toFiles(s.documents)[0]?.text ?? '';
  return mutatedTextArbitrary(text, { maxMutations: 3 });
});

const labDir = join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab', 'lab');
const labTexts = readdirSync(labDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: `lab/${f}`, text: readFileSync(join(labDir, f), 'utf8') }));

/** The lab with one of its files mutated. */
const mutatedLab = fc.nat({ max: labTexts.length - 1 }).chain((i) =>
  mutatedTextArbitrary(labTexts[i]!.text, { maxMutations: 4 }).map((text) => labTexts.map((f, j) => (j === i ? { ...f, text } : f))),
);

describe('fuzz: hostile and mutated input', () => {
  test.prop([mutatedScenario], { numRuns: runs(40) })('validate on a mutated generated scenario: 0/1/2, one-line errors, agrees with the library', (text) => {
    validate([{ file: 'scenario.yaml', text }]);
  }, TIMEOUT);

  test.prop([mutatedLab], { numRuns: runs(30) })('validate on the lab with a mutated file: 0/1/2, one-line errors, agrees with the library', (files) => {
    validate(files);
  }, TIMEOUT);

  test.prop([hostileYamlArbitrary({ maxSize: FUZZ ? 50_000 : 3_000 })], { numRuns: runs(60) })(
    'validate on hostile YAML, from a file and from standard input: 0/1/2, one-line errors, agrees with the library',
    ({ text }) => {
      validate([{ file: 'h.yaml', text }]);
      validate([{ file: '<stdin>', text }]);
    },
    TIMEOUT,
  );

  test.prop([fc.oneof(mutatedLab.map((fs) => fs.map((f) => f.text).join('---\n')), hostileYamlArbitrary({ maxSize: 2_000 }).map((h) => h.text))], {
    numRuns: runs(60),
  })('the fast reader and the yaml package agree document by document whenever both read', (text) => {
    const values: unknown[] = [];
    const errors = readYaml(text, (v) => {
      values.push(v);
    });
    const library = parseWithLibrary(text);
    if (errors.length === 0 && E.isRight(library)) expect(values).toEqual(library.right);
    // an error of the library is an error of the reading too (the fast reader never invents values)
    if (E.isLeft(library) && !/too many aliases|nested too deeply/.test(library.left[0]!.message)) expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).not.toMatch(/\n/);
    expectNoPollution();
  }, TIMEOUT);

  test.prop(
    [
      fc.array(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    ],
    { numRuns: runs(100) },
  )('prototype keys stay plain data, wherever they are', (keys, anchored) => {
    const nested = keys.reduceRight<string>((inner, k) => `{${k}: ${inner}}`, '{polluted: true}');
    const text =
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: ${anchored ? '&l ' : ''}{${keys.map((k, i) => `${k}: v${i}`).join(', ')}}\n` +
      `  annotations: ${nested}\nspec: ${nested}\n`;
    const r = decodeScenario([{ file: 'p.yaml', text }]);
    expectNoPollution();
    if (E.isRight(r)) {
      const labels = r.right.pods[0]!.meta.labels;
      for (const k of new Set(keys)) expect(Object.prototype.hasOwnProperty.call(labels, k)).toBe(true);
    }
  }, TIMEOUT);
});
