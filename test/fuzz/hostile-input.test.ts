/**
 * Hostile YAML, shape by shape (`HOSTILE_SHAPES`): each gets an answer or a clear refusal, with
 * one-line located errors, through the library and the CLI (from a file and from standard
 * input), and reading takes time linear in the input (a size-8n input costs less than 20 times
 * a size-n one; quadratic work would cost 64 times).
 *
 * Sizes are small in `npm test`; `npm run fuzz` (FUZZ=1) reads each shape at 1 MB and measures
 * growth from 64 KB.
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { HOSTILE_SHAPES, HOSTILE_SHAPE_NAMES } from '../../src/arbitraries/index.js';
import { decodeScenario } from '../../src/input/decode.js';
import { parseYamlText } from '../../src/input/yaml.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { FUZZ, TIMEOUT, expectNoPollution, expectOneLineErrors, growth, memoryEnv } from './support.js';

const SIZE = FUZZ ? 1_000_000 : 50_000;

/** What each shape must give: read, or refused with this message. */
const EXPECTED: Readonly<Record<string, RegExp | 'read'>> = {
  flowSequence: 'read',
  flowSequenceFloats: 'read',
  flowMapping: 'read',
  flowMappingAnchored: 'read',
  blockMappingTagged: 'read',
  manyLabels: 'read',
  manyLabelsAnchored: 'read',
  anchorsAndAliases: /too many aliases: more than 100 in one document/,
  aliasesOfOne: /too many aliases: more than 100 in one document/,
  anchorsOnly: 'read',
  billionLaughs: /too many aliases/,
  longLine: 'read',
  longEscapes: 'read',
  longKey: /implicit block mapping key/,
  deepFlow: /document nested too deeply: more than 64 levels/,
  deepFlowMapping: /document nested too deeply: more than 64 levels/,
  deepBlockSequence: /document nested too deeply: more than 64 levels/,
  deepBlockMapping: /document nested too deeply: more than 64 levels/,
  deepFlowAnchored: /document nested too deeply: more than 64 levels/,
  manyDocuments: 'read',
  manyEmptyDocuments: 'read',
  multiLineFlow: 'read',
  unclosedFlow: /./,
  unclosedQuote: /./,
  controlCharacters: 'read',
  comments: 'read',
  blankLines: 'read',
  prototypeKeys: 'read',
  manyPods: 'read',
};

describe('hostile YAML shapes', () => {
  it('has an expectation for every shape', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...HOSTILE_SHAPE_NAMES].sort());
  });

  it.each(HOSTILE_SHAPE_NAMES.map((s) => [s]))('%s: read, or refused on one located line', (shape) => {
    const text = HOSTILE_SHAPES[shape]!(SIZE);
    const parsed = parseYamlText(text);
    const want = EXPECTED[shape]!;
    if (want === 'read') {
      // a shape over the yaml package's budget is refused, naming where the fast reader stopped
      if (E.isLeft(parsed)) expect(parsed.left[0]!.message).toMatch(/beyond the fast reader's subset .* would exceed 1048576 characters/);
    } else {
      expect(E.isLeft(parsed)).toBe(true);
      if (E.isLeft(parsed)) expect(parsed.left[0]!.message).toMatch(want);
    }
    const decoded = decodeScenario([{ file: 'h.yaml', text }]);
    if (E.isLeft(decoded)) {
      expect(decoded.left.length).toBeLessThanOrEqual(1001);
      expectOneLineErrors(decoded.left.map((e) => e.message).join('\n'), ['h.yaml']);
    }
    expectNoPollution();
  }, TIMEOUT);

  it.each(HOSTILE_SHAPE_NAMES.map((s) => [s]))('%s: the CLI answers 0/1/2 with one-line errors, from a file and from standard input', (shape) => {
    const text = HOSTILE_SHAPES[shape]!(FUZZ ? SIZE : 5_000);
    for (const [path, file] of [['h.yaml', 'h.yaml'], ['-', '<stdin>']] as const) {
      const r = runCli(['-f', path, 'validate'], memoryEnv([{ file, text }]), commands);
      expect([0, 1, 2]).toContain(r.exitCode);
      expectOneLineErrors(r.stderr ?? '', [file]);
    }
  }, TIMEOUT);

  it('escapes command-line words echoed in a usage error', () => {
    const r = runCli(['-f', 'h.yaml', 'frob\nnicate\u0007'], memoryEnv([{ file: 'h.yaml', text: 'a: 1\n' }]), commands);
    expect(r.exitCode).toBe(2);
    expect(r.stderr?.split('\n')[0]).toBe('cilium-twin: unknown command "frob\\nnicate\\u0007"');
  });

  it('escapes a value with a newline or a control character echoed in an error', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: "web\\npod", labels: {"a\\u0007": "\\u2028"}}\nspec: {ports: [{port: "80\\n81"}]}\n';
    const r = decodeScenario([{ file: 'e.yaml', text }]);
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual([
      'e.yaml#1 Service/web\\npod: spec.ports[0].port: expected integer 1..65535, got "80\\n81"',
    ]);
  });
});

/** The shapes whose reading must grow linearly; the others are refused early or trivially linear. */
const GROWTH = FUZZ
  ? HOSTILE_SHAPE_NAMES
  : ['flowMapping', 'flowMappingAnchored', 'blockMappingTagged', 'manyLabelsAnchored', 'anchorsOnly', 'multiLineFlow', 'manyDocuments'];

describe('reading time grows linearly with the input', () => {
  it.each(GROWTH.map((s) => [s]))('%s', (shape) => {
    const n = FUZZ ? 64_000 : 16_000;
    const ratio = growth((size) => decodeScenario([{ file: 'h.yaml', text: HOSTILE_SHAPES[shape]!(size) }]), n);
    expect(ratio, `time(8n) / time(n) = ${ratio.toFixed(1)}`).toBeLessThan(20);
  }, TIMEOUT);
});
