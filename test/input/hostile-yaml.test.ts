/**
 * The hand-over of single documents to the `yaml` package: file-absolute lines and document
 * numbers, the shared budget, the token scan of depth and aliases, the linear duplicate-key check.
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { parseWithLibrary, parseYamlText, readYaml, scanLimits } from '../../src/input/yaml.js';
import { MAX_LIBRARY_CHARS } from '../../src/input/limits.js';

function messages(text: string): string[] {
  const r = decodeScenario([{ file: 'f.yaml', text }]);
  return E.isLeft(r) ? r.left.map((e) => e.message) : [];
}

const NODE_A = 'apiVersion: v1\nkind: Node\nmetadata: {name: a}\n';

describe('documents handed to the yaml package one at a time', () => {
  it('reports errors at their line in the file, not in the document', () => {
    const ms = messages(`${NODE_A}---\napiVersion: v1\nkind: Node\nmetadata: &m {name: b}\nspec: {x: [1, 2}\n`);
    expect(ms.length).toBeGreaterThan(0);
    for (const m of ms) expect(m).toMatch(/^f\.yaml:8:\d+: /);
  });

  it('finds a duplicate key of a later document, at its line', () => {
    expect(messages(`${NODE_A}---\nb: &x 1\nb: 2\n`)).toEqual(['f.yaml:6:1: Map keys must be unique']);
  });

  it('numbers documents as in the file and reads the others fast', () => {
    const seen: [number, unknown][] = [];
    const errors = readYaml('a: 1\n---\nb: &x 2\nc: *x\n---\nd: [1,\n  2]\n---\n', (v, i) => {
      seen.push([i, v]);
    });
    expect(errors).toEqual([]);
    expect(seen).toEqual([
      [1, { a: 1 }],
      [2, { b: 2, c: 2 }],
      [3, { d: [1, 2] }],
      [4, null],
    ]);
  });

  it('shares one budget between documents, and names the document past it', () => {
    const anchored = (n: number): string => `k: &x [${'1, '.repeat(n)}1]\n`;
    const budget = { remaining: 1000 };
    const errors = readYaml(`${NODE_A}---\n${anchored(200)}---\n${anchored(200)}`, () => {}, budget);
    expect(budget.remaining).toBe(1000 - anchored(200).length);
    expect(errors).toEqual([
      { line: 7, column: 1, document: 3, message: expect.stringMatching(/^this document uses YAML beyond the fast reader's subset .*1048576 characters \(1 MiB\) in all: refused$/) },
    ]);
  });

  it('shares one budget of 1 MiB between files', () => {
    const anchored = (chars: number): string => `k: &x [${'1, '.repeat(Math.floor(chars / 3))}1]\n`;
    const r = decodeScenario([
      { file: 'a.yaml', text: anchored(300_000) },
      { file: 'b.yaml', text: anchored(MAX_LIBRARY_CHARS - 200_000) },
    ]);
    // a.yaml fits in the budget; b.yaml does not (the YAML error is reported alone)
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual([expect.stringMatching(/^b\.yaml:1:1: this document uses YAML beyond/)]);
  });

  it('checks duplicate keys in linear time (100,000 keys with an anchor)', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: ${i}`).join(', ');
    const t0 = performance.now();
    const r = parseWithLibrary(`a: &x {${keys}, k5: 0}\n`);
    expect(E.isLeft(r) && r.left[0]!.message).toBe('Map keys must be unique');
    // the package's own check compared each key with all earlier ones: minutes here
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});

describe('a byte-order mark (U+FEFF) opening a line', () => {
  /** The values of `readYaml`, which must be those of the yaml package on the whole text. */
  function read(text: string): unknown[] {
    const values: unknown[] = [];
    expect(readYaml(text, (v) => void values.push(v))).toEqual([]);
    expect(parseWithLibrary(text)).toEqual(E.right(values));
    return values;
  }

  it('is skipped before the first document, as the yaml package does (fuzz counterexample)', () => {
    // found by the property 'the fast reader and the yaml package agree document by document':
    // the fast reader handed this text over as one document and read its "no document" as null
    expect(read('# hello\n\ufeff# hello')).toEqual([]);
    expect(read('# x\n\ufeff\n')).toEqual([]);
    expect(read('# x\n\ufeffa: 1')).toEqual([{ a: 1 }]);
  });

  it('is content after a document marker and after a first mark', () => {
    expect(read('a: 1\n---\n\ufeff# c')).toEqual([{ a: 1 }, '\ufeff# c']);
    expect(read('a: 1\n---\n\ufeffb: 2')).toEqual([{ a: 1 }, { '\ufeffb': 2 }]);
    expect(read('\ufeff\ufeff# x')).toEqual(['\ufeff# x']);
    expect(read('\ufeff\ufeffa: 1')).toEqual([{ '\ufeffa': 1 }]);
    expect(read('a: 1\n\ufeffb: 2')).toEqual([{ a: 1, '\ufeffb': 2 }]);
  });
});

describe('a document of blank lines indented by tabs', () => {
  it('is read as the yaml package reads the whole text (fuzz counterexample)', () => {
    // found by the same property: handed over alone, "\t" was no document, read as null
    for (const text of ['---\n---\n---\n---\n---\n\t', '---\n\t', '\t', '---\n\t\n', '---\n \t', '---\n\t# c', 'a: 1\n---\n\t']) {
      const values: unknown[] = [];
      const errors = readYaml(text, (v) => void values.push(v));
      const library = parseWithLibrary(text);
      if (E.isRight(library)) expect([errors, values]).toEqual([[], library.right]);
      else expect(errors.length).toBeGreaterThan(0);
    }
  });
});

describe('scanLimits', () => {
  it('accepts 60 levels and refuses the 65th, at its bracket', () => {
    expect(scanLimits(`a: &x ${'['.repeat(59)}${']'.repeat(59)}\n`)).toBeUndefined();
    expect(scanLimits(`a: &x ${'['.repeat(70)}${']'.repeat(70)}\n`)).toEqual({ offset: 6 + 62, document: 1, message: expect.stringMatching(/^document nested too deeply/) });
  });

  it('counts indentation levels and the indicators of a line', () => {
    const block = Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(scanLimits(`${block} 1\n`)).toBeUndefined();
    expect(scanLimits(`${'- '.repeat(70)}1\n`)?.message).toMatch(/nested too deeply/);
  });

  it('ignores brackets inside scalars and comments', () => {
    expect(scanLimits(`a: "${'['.repeat(100)}"\nb: |\n  ${'{'.repeat(100)}\n# ${'['.repeat(100)}\nc: '${'['.repeat(100)}'\n`)).toBeUndefined();
  });

  it('counts aliases per document', () => {
    const doc = `a: &x 1\n${Array.from({ length: 100 }, (_, i) => `b${i}: *x`).join('\n')}\n`;
    expect(scanLimits(`${doc}---\n${doc}`)).toBeUndefined();
    expect(scanLimits(`${doc}c: *x\n`)).toEqual({ offset: expect.any(Number), document: 1, message: 'too many aliases: more than 100 in one document (refused)' });
    expect(scanLimits(`---\n${doc}---\n${doc}c: *x\n`)?.document).toBe(2);
  });
});
