/**
 * Hostile input for fuzzing: YAML texts built to be slow or to break a reader (huge flow
 * collections, many keys, anchors and aliases, long lines, deep nesting, many documents,
 * control characters, prototype keys), and mutations of valid scenario files. Every shape takes
 * a target size in characters, so that a test can compare the work on a size-n and a size-8n
 * input.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { hostileYamlArbitrary } from 'cilium-twin/arbitraries';
 * fc.assert(fc.property(hostileYamlArbitrary({ maxSize: 10_000 }), ({ text }) => typeof text === 'string'));
 * ```
 *
 * @module
 */
import fc from 'fast-check';

/** Repeats `make(i)` for i = 0, 1, … until about `n` characters are made; joins with `sep`. */
function fill(n: number, sep: string, make: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < n; i++) {
    const p = make(i);
    parts.push(p);
    size += p.length + sep.length;
  }
  return parts.join(sep);
}

const NODE_HEAD = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n';

/**
 * Hostile YAML shapes by name: each gives a text of about `n` characters (at least a few
 * dozen). Some are valid YAML that a naive reader handles in quadratic time or deep recursion,
 * some are broken.
 *
 * @example
 * HOSTILE_SHAPES.flowSequence(1000).startsWith('a: ['); // true
 */
export const HOSTILE_SHAPES: Readonly<Record<string, (n: number) => string>> = {
  /** One line: a flow sequence of integers. */
  flowSequence: (n) => `a: [${fill(n, ', ', (i) => String(100000 + i))}]\n`,
  /** One line: a flow sequence of floats (beyond the fast reader's subset). */
  flowSequenceFloats: (n) => `a: [${fill(n, ', ', (i) => `${i}.5`)}]\n`,
  /** One line: a flow mapping with many keys. */
  flowMapping: (n) => `a: {${fill(n, ', ', (i) => `k${i}: v${i}`)}}\n`,
  /** A flow mapping with many keys and an anchor (read by the yaml package). */
  flowMappingAnchored: (n) => `a: &x {${fill(n, ', ', (i) => `k${i}: v${i}`)}}\n`,
  /** A block mapping with many keys and a tag (read by the yaml package). */
  blockMappingTagged: (n) => `x: !!str 1\n${fill(n, '\n', (i) => `k${i}: v${i}`)}\n`,
  /** A Node whose labels map has many keys. */
  manyLabels: (n) => `${NODE_HEAD}  labels:\n${fill(n, '\n', (i) => `    key${i}: value${i}`)}\n`,
  /** A Node whose labels map has many keys and an anchor (read by the yaml package). */
  manyLabelsAnchored: (n) => `${NODE_HEAD}  labels: &l\n${fill(n, '\n', (i) => `    key${i}: value${i}`)}\n`,
  /** Many anchors, each aliased once. */
  anchorsAndAliases: (n) => `${fill(n, '\n', (i) => `a${i}: &x${i} v\nb${i}: *x${i}`)}\n`,
  /** Many aliases of one anchor. */
  aliasesOfOne: (n) => `a: &x v\n${fill(n, '\n', (i) => `b${i}: *x`)}\n`,
  /** Many anchors, no alias. */
  anchorsOnly: (n) => `${fill(n, '\n', (i) => `a${i}: &x${i} v`)}\n`,
  /** Nested aliases that expand exponentially (billion laughs). */
  billionLaughs: (n) => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; lines.join('\n').length < n && i < 10_000; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    return `${lines.join('\n')}\n`;
  },
  /** One long plain scalar. */
  longLine: (n) => `a: ${'x'.repeat(n)}\n`,
  /** One long double-quoted scalar full of escapes. */
  longEscapes: (n) => `a: "${'x\\n\\t\\u0007'.repeat(Math.ceil(n / 12))}"\n`,
  /** One long key. */
  longKey: (n) => `${'k'.repeat(n)}: 1\n`,
  /** Nested flow sequences. */
  deepFlow: (n) => `a: ${'['.repeat(Math.ceil(n / 2))}${']'.repeat(Math.ceil(n / 2))}\n`,
  /** Nested flow mappings. */
  deepFlowMapping: (n) => `a: ${'{a: '.repeat(Math.ceil(n / 5))}1${'}'.repeat(Math.ceil(n / 5))}\n`,
  /** Nested block sequences on one line. */
  deepBlockSequence: (n) => `${'- '.repeat(Math.ceil(n / 2))}1\n`,
  /** Nested block mappings, one more space each line. */
  deepBlockMapping: (n) => {
    const lines: string[] = [];
    for (let i = 0, size = 0; size < n; i++) {
      lines.push(`${' '.repeat(i)}a:`);
      size += i + 3;
    }
    return `${lines.join('\n')} 1\n`;
  },
  /** Nested flows inside an anchored document (read by the yaml package). */
  deepFlowAnchored: (n) => `a: &x ${'['.repeat(Math.ceil(n / 2))}${']'.repeat(Math.ceil(n / 2))}\n`,
  /** Many small documents (each an error: no apiVersion). */
  manyDocuments: (n) => fill(n, '', () => '---\na: 1\n'),
  /** Many empty documents. */
  manyEmptyDocuments: (n) => fill(n, '', () => '---\n'),
  /** A flow sequence over many lines (read by the yaml package). */
  multiLineFlow: (n) => `a: [\n${fill(n, '\n', (i) => `  ${100000 + i},`)}\n]\n`,
  /** A flow sequence never closed. */
  unclosedFlow: (n) => `a: [${fill(n, ', ', () => 'x')}\n`,
  /** A quoted scalar never closed. */
  unclosedQuote: (n) => `a: "${'x '.repeat(Math.ceil(n / 2))}\n`,
  /** Control characters, escaped and raw. */
  controlCharacters: (n) => `a: "${'\\u0007\\x01\\e'.repeat(Math.ceil(n / 12))}"\nb: "\u0007\u0085\u2028"\n`,
  /** Many comment lines. */
  comments: (n) => fill(n, '\n', () => '# hello'),
  /** Lines of spaces only. */
  blankLines: (n) => `a: 1\n${fill(n, '\n', () => '          ')}\n`,
  /** Prototype keys everywhere. */
  prototypeKeys: (n) =>
    `${NODE_HEAD}  labels: {__proto__: x, constructor: y, prototype: z}\nspec:\n${fill(n, '\n', (i) => `  __proto__${i}: {__proto__: {polluted: true}, constructor: {prototype: {polluted: true}}}`)}\n`,
  /** A List of many Pods. */
  manyPods: (n) =>
    `apiVersion: v1\nkind: List\nitems:\n${fill(n, '\n', (i) => `- apiVersion: v1\n  kind: Pod\n  metadata: {name: p${i}, namespace: default, labels: {app: web}}\n  spec: {nodeName: n1}`)}\n`,
};

/**
 * The names of {@link HOSTILE_SHAPES}.
 *
 * @example
 * HOSTILE_SHAPE_NAMES.includes('deepFlow'); // true
 */
export const HOSTILE_SHAPE_NAMES: readonly string[] = Object.keys(HOSTILE_SHAPES);

/**
 * A hostile YAML text: one of {@link HOSTILE_SHAPES} at a size up to `maxSize`, sometimes with
 * a random snippet spliced in.
 *
 * @example
 * fc.sample(hostileYamlArbitrary({ maxSize: 1000 }), 1)[0]!.shape; // e.g. 'anchorsAndAliases'
 */
export function hostileYamlArbitrary(options: { readonly maxSize?: number } = {}): fc.Arbitrary<{ shape: string; size: number; text: string }> {
  const maxSize = options.maxSize ?? 20_000;
  return fc
    .record({
      shape: fc.constantFrom(...HOSTILE_SHAPE_NAMES),
      size: fc.integer({ min: 16, max: Math.max(16, maxSize) }),
      splice: fc.option(fc.tuple(fc.nat(), hostileSnippet), { nil: undefined }),
    })
    .map(({ shape, size, splice }) => {
      let text = HOSTILE_SHAPES[shape]!(size);
      if (splice !== undefined) {
        const at = splice[0] % (text.length + 1);
        text = text.slice(0, at) + splice[1] + text.slice(at);
      }
      return { shape, size, text };
    });
}

/** Short pieces of YAML (or not) that break or stress a reader where they land. */
const hostileSnippet: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\n', '\r', '\r\n', '\t', '\u0000', '\u0007', '\u001b[31m', '\u0085', '\u2028', '\ufeff', '\ud800',
    ': ', '- ', '? ', '#', '&a ', '*a', '!!str ', '!x ', '%YAML 1.2\n', '---\n', '...\n', '|\n', '>-\n',
    '[', ']', '{', '}', ',', '"', "'", '\\', '<<: *a\n', '__proto__: {polluted: true}\n', 'constructor: {prototype: {polluted: 1}}\n',
    '  ', '\n  x: 1\n', 'name: "a\\nb"\n', `a: ${'['.repeat(200)}\n`, '.nan', '-.inf', '0x1F', '1e309', '-0', '00',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

/**
 * A mutation of a text: delete a range, duplicate a line, or insert a hostile snippet (control
 * characters, YAML indicators, prototype keys, markers, deep brackets, …) at some offset.
 *
 * @example
 * fc.sample(mutatedTextArbitrary('kind: Node\n'), 1)[0]; // e.g. 'kind: N\u0007ode\n'
 */
export function mutatedTextArbitrary(text: string, options: { readonly maxMutations?: number } = {}): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), what: hostileSnippet }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: options.maxMutations ?? 4 }).map((ms) => {
    let t = text;
    for (const m of ms) {
      const at = m.at % (t.length + 1);
      if (m.op === 'insert') t = t.slice(0, at) + m.what + t.slice(at);
      else if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.length);
      else {
        const start = t.lastIndexOf('\n', at - 1) + 1;
        const nl = t.indexOf('\n', at);
        const end = nl < 0 ? t.length : nl + 1;
        t = t.slice(0, end) + t.slice(start, end) + t.slice(end);
      }
    }
    return t;
  });
}
