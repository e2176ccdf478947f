import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import * as E from 'fp-ts/lib/Either.js';
import { fastParseYaml } from '../../src/input/fast-yaml.js';
import { parseWithLibrary } from '../../src/input/yaml.js';

/** The yaml package's documents for `text`, or 'error'. */
function library(text: string): unknown[] | 'error' {
  const r = parseWithLibrary(text);
  return E.isLeft(r) ? 'error' : [...r.right];
}

/** Whenever the fast reader answers, it answers what the yaml package answers. */
function agree(text: string): void {
  const fast = fastParseYaml(text);
  if (fast === undefined) return;
  expect(fast).toEqual(library(text));
}

const labRoot = join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab');

describe('fast YAML reader', () => {
  it('reads every lab file, exactly as the yaml package does', () => {
    for (const dir of ['lab', 'variants']) {
      for (const f of readdirSync(join(labRoot, dir))) {
        const text = readFileSync(join(labRoot, dir, f), 'utf8');
        const fast = fastParseYaml(text);
        expect(fast, f).toBeDefined();
        expect(fast).toEqual(library(text));
      }
    }
  });

  it.each([
    ['empty text', ''],
    ['comments only', '# a\n# b\n'],
    ['trailing marker', 'a: 1\n---\n'],
    ['leading marker', '---\na: 1'],
    ['comment before marker', '# c\n---\na: 1'],
    ['empty document between markers', 'a: 1\n---\n---\nb: 2\n'],
    ['marker with comment', '--- # c\na: 1\n'],
    ['sequence with null item', 'a:\n  - 1\n  -\n  - x\n'],
    ['sequence at key indentation', 'a:\n- 1\n- b: 2\n  c: 3\nd: 4\n'],
    ['literal with blank lines', 'k: |\n  a\n\n  b\n\n\nz: 1'],
    ['literal strip', 'k: |-\n  a\n  \n'],
    ['literal empty', 'k: |\nz: 1\n'],
    ['literal with tabs inside', 'routes: |\n  10.0.0.0/8 proto bgp\n  \tnexthop via 1.1.1.1 dev eth1\n'],
    ['int keys', '1: a\ntrue: b\n'],
    ['proto key', '__proto__: {a: 1}\nconstructor: 2\n'],
    ['quotes', "a: 'it''s'\nb: \"x\\ty\"\nc: \"\"\n"],
    ['comments after values', "a: b # c\nd: 'x' # y\ne: [1, 2] # z\n"],
    ['nested sequences', 'a:\n- - 1\n  - 2\n- - 3\n'],
    ['flow in sequence', 'a:\n  - {name: eth0, addresses: ["10.0.2.15/24"]}\n  - [a, "b", \'c\']\n'],
    ['null forms', 'a: ~\nb: null\nc:\nd: NULL\n'],
    ['booleans', 'a: true\nb: False\nc: TRUE\nd: "true"\n'],
    ['ints', 'a: 0\nb: -12\nc: 65001\nd: 4294967295\n'],
    ['strings that look like addresses', 'a: 10.96.252.129\nb: 172.20.0.0/24\nc: fd00::1\nd: 1.2\n'],
    ['urls', 'a: http://x:80/y\nb: {u: http://x}\n'],
    ['indented document', '  a: 1\n  b: 2\n'],
    ['deep', 'a:\n  b:\n    c:\n      d: [[[1]]]\n'],
    ['crlf', 'a: 1\r\nb: |\r\n  x\r\n  y\r\nc: "p\r\n  q"\r\n'],
    ['byte order mark', '\ufeffa: 1\n'],
    ['numbers of every form', 'a: [1.5, -2.25, 1e3, 1E-3, .5, 5., +1, 007, -0, 0x1F, 0o17, .inf, -.Inf, +.INF, .nan, 99999999999999999999, 1.0, 0.10]\nb: 1.5\n'],
    ['number-like keys', 'x: {1.5: a, 2: b}\n'],
    ['escapes', 'a: "\\a\\e\\v\\N\\_\\L\\P\\ \\\t|\\x41\\u00e9\\U0001F600\\uD800"\n'],
  ])('agrees with the yaml package: %s', (_name, text) => {
    agree(text);
  });

  it.each([
    ['anchors', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['folded', 'a: >\n  x\n'],
    ['multi-line plain', 'a: b\n  c\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['directive', '%YAML 1.2\n---\na: 1\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['lone cr', 'a: 1\rb: 2\r'],
    ['multi-line flow', 'a: [1,\n  2]\n'],
    ['broken', 'a: [1, 2\n'],
    ['bad escape', 'a: "\\q"\n'],
    ['short hex escape', 'a: "\\x4"\n'],
    ['number keys the yaml package rewrites', 'x: {007: a}\n'],
  ])('leaves to the yaml package: %s', (_name, text) => {
    expect(fastParseYaml(text)).toBeUndefined();
  });

  const key = fc.oneof(
    fc.constantFrom('a', 'name', 'kind', 'app.kubernetes.io/name', '__proto__', 'constructor', 'x-y', '1', 'true', 'null', 'on'),
    fc.string({ maxLength: 8 }),
  );
  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('10.0.0.1', '172.20.0.0/24', 'No', 'yes', '~', '-', '- a', 'a: b', '#x', 'a #b', '007', '1e3', '.5', "it's", '"q"', '[x]', '{y}', '|', '>'),
    fc.integer({ min: -1_000_000, max: 5_000_000_000 }),
    fc.boolean(),
    fc.constant(null),
    fc.double({ noNaN: true }),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  })).node;

  test.prop([fc.array(value, { minLength: 1, maxLength: 3 }), fc.constantFrom('block', 'flow', 'any'), fc.boolean()], { numRuns: 300 })(
    'agrees with the yaml package on any value the yaml package writes',
    (docs, collectionStyle, quoted) => {
      const options = { lineWidth: 0, ...(quoted ? { defaultStringType: 'QUOTE_DOUBLE' as const } : {}) };
      const text = docs
        .map((d) =>
          collectionStyle === 'flow'
            ? `k: ${stringify(d, { ...options, collectionStyle: 'flow' }).trim()}\n`
            : stringify(d, { ...options, collectionStyle: collectionStyle as 'block' | 'any' }),
        )
        .join('---\n');
      agree(text);
    },
  );

  const fragment = fc.constantFrom(
    'a', 'b', ':', ': ', ' ', '  ', '- ', '-', '#', ' #', '|', '|-', '|+', '>', '[', ']', '{', '}', ',', '"', "'", '\\', '\t', '---', '...',
    '&x', '*x', '!t', '%', '1', '0', '-1', '1.5', 'true', 'null', '~', 'x: y', '\n', '\n  ', '\n    ', '\n- ',
  );
  test.prop([fc.array(fragment, { maxLength: 40 })], { numRuns: 1000 })(
    'never throws, and agrees with the yaml package when it answers, on token soup',
    (parts) => {
      agree(parts.join(''));
    },
  );

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 500 })('never throws on any string', (s) => {
    agree(s);
  });
});
