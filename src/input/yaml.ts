/**
 * YAML text → plain values, one per document, safely and in time linear in the text: YAML 1.2
 * core schema (as `yaml` reads it), duplicate keys refused, `__proto__` kept as an ordinary own
 * key, and every limit of `limits.ts` enforced with a located error.
 *
 * Most manifests use a small part of YAML; {@link readYaml} reads each document with a fast
 * reader of that part (`fast-yaml.ts`) and hands the documents it cannot read to the `yaml`
 * package, which gives the same values. The `yaml` package reads about 1.5 MB/s and has
 * super-linear corners, so what it is given is bounded and checked first:
 *
 * - at most {@link MAX_LIBRARY_CHARS} characters in all (a shared {@link LibraryBudget});
 * - a linear scan of its tokens first refuses nesting deeper than {@link MAX_DEPTH} and more
 *   than {@link MAX_ALIAS_COUNT} aliases in a document (each alias costs the package a scan of
 *   the document's anchors), before anything is built;
 * - duplicate keys are found here with one hash set per mapping (the package's own check
 *   compares each key with every earlier one: quadratic in a mapping's size);
 * - alias expansion is bounded (`maxAliasCount`), and any exception is turned into an error.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { CST, Lexer, LineCounter, isMap, isScalar, parseAllDocuments, visit } from 'yaml';
import { fastEachDocument } from './fast-yaml.js';
import { MAX_ALIAS_COUNT, MAX_DEPTH, MAX_LIBRARY_CHARS, oneLine } from './limits.js';

export { MAX_ALIAS_COUNT } from './limits.js';

/**
 * A YAML problem: where (1-based line and column, document number) and what.
 *
 * @example
 * // { line: 4, column: 9, document: 1, message: 'Map keys must be unique' }
 */
export interface YamlError {
  /** Line, 1-based. */
  readonly line?: number;
  /** Column, 1-based. */
  readonly column?: number;
  /** Document number in the file, from 1. */
  readonly document?: number;
  /** What is wrong (one line). */
  readonly message: string;
}

/**
 * How many characters may still be handed to the `yaml` package; shared by the files of one
 * scenario, and decreased by each document handed over.
 *
 * @example
 * const budget: LibraryBudget = { remaining: MAX_LIBRARY_CHARS };
 */
export interface LibraryBudget {
  /** Characters left. */
  remaining: number;
}

/**
 * A fresh budget of {@link MAX_LIBRARY_CHARS} characters.
 *
 * @example
 * readYaml(text, onDocument, libraryBudget());
 */
export function libraryBudget(): LibraryBudget {
  return { remaining: MAX_LIBRARY_CHARS };
}

/**
 * Reads the documents of a YAML text in order, handing each value to `onDocument` (with its
 * number in the file, from 1), and returns the errors found (documents with errors are not
 * handed over; the others are). `onDocument` returning false stops the reading.
 *
 * @example
 * const docs: unknown[] = [];
 * readYaml('a: 1\n---\nb: &x 2\nc: *x\n', (v) => { docs.push(v); }); // [] ; docs = [{ a: 1 }, { b: 2, c: 2 }]
 */
export function readYaml(
  text: string,
  onDocument: (value: unknown, index: number) => boolean | void,
  budget: LibraryBudget = libraryBudget(),
): readonly YamlError[] {
  const errors: YamlError[] = [];
  const whole = fastEachDocument(text, onDocument, (skipped) => {
    if (skipped.tooDeep !== undefined) {
      errors.push({ ...skipped.tooDeep, document: skipped.index, message: DEEP });
      return true;
    }
    if (skipped.text.length > budget.remaining) {
      errors.push(overBudget(skipped.index, skipped.stopLine));
      return false;
    }
    budget.remaining -= skipped.text.length;
    const r = libraryParse(skipped.text, skipped.firstLine - 1, skipped.index - 1);
    if (E.isLeft(r)) {
      errors.push(...r.left);
      return true;
    }
    const values = r.right;
    // a document's text holds one document (an empty one: none, i.e. null)
    return onDocument(values.length === 0 ? null : values[0], skipped.index);
  });
  if (whole) return errors;
  // directives, `...` markers or a lone CR: the whole text goes to the yaml package
  if (text.length > budget.remaining) return [overBudget(undefined, 1)];
  budget.remaining -= text.length;
  const r = libraryParse(text, 0, 0);
  if (E.isLeft(r)) return r.left;
  for (let i = 0; i < r.right.length; i++) if (onDocument(r.right[i], i + 1) === false) break;
  return [];
}

function overBudget(document: number | undefined, line: number): YamlError {
  const which = document !== undefined ? 'this document uses' : 'this text uses';
  return {
    line,
    column: 1,
    ...(document !== undefined ? { document } : {}),
    message:
      `${which} YAML beyond the fast reader's subset (from here: anchors, tags, multi-line flow or quoted scalars, …) ` +
      `and the text handed to the full YAML reader would exceed ${MAX_LIBRARY_CHARS} characters (1 MiB) in all: refused`,
  };
}

/**
 * Parses a YAML text into its documents' values (empty documents give `null`), within the
 * limits (a fresh {@link LibraryBudget}).
 *
 * @example
 * parseYamlText('a: 1\n---\nb: 2\n'); // right([{ a: 1 }, { b: 2 }])
 */
export function parseYamlText(text: string, budget: LibraryBudget = libraryBudget()): E.Either<readonly YamlError[], readonly unknown[]> {
  const values: unknown[] = [];
  const errors = readYaml(text, (v) => {
    values.push(v);
  }, budget);
  return errors.length > 0 ? E.left(errors) : E.right(values);
}

/**
 * Parses with the `yaml` package only (the reference the fast reader must agree with), with
 * the same checks as documents handed over by {@link readYaml} (depth, aliases, duplicate keys)
 * but no size budget.
 *
 * @example
 * parseWithLibrary('a: [1, 2]'); // right([{ a: [1, 2] }])
 */
export function parseWithLibrary(text: string): E.Either<readonly YamlError[], readonly unknown[]> {
  return libraryParse(text, 0, 0);
}

/**
 * The token scan run before the `yaml` package builds anything: the first place where nesting
 * goes past {@link MAX_DEPTH} or a document's aliases past {@link MAX_ALIAS_COUNT}. Nesting is
 * counted from the tokens, approximately: the number of open indentation levels, plus the block
 * indicators (`-`, `?`, `:`) before this point on the line, plus the open flow brackets (a
 * sequence written at its key's indentation adds a level without adding one, so such layouts
 * can reach about twice the limit; the `yaml` package stays safe to thousands of levels, which
 * is what this scan protects). Linear time; memory bounded by the depth limit.
 *
 * @example
 * scanLimits('a: ' + '['.repeat(100)); // { offset: 67, document: 0, message: 'nested too deeply: ...' }
 */
export function scanLimits(text: string): { readonly offset: number; readonly document: number; readonly message: string } | undefined {
  const stack: number[] = [];
  let offset = 0;
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let extra = 0;
  let aliases = 0;
  let document = 0;
  let open = false; // the current document number is in use
  let scalarNext = false;
  const tooDeep = (at: number) => ({
    offset: at,
    document,
    message: DEEP,
  });
  for (const tok of new Lexer().lex(text)) {
    const at = offset;
    // control tokens take no room in the text
    if (tok !== '\u0002' && tok !== '\u0018' && tok !== '\u001f') offset += tok.length;
    if (scalarNext) {
      scalarNext = false;
      if (tok.endsWith('\n')) {
        // a block scalar's content ends its last line
        lineStart = true;
        indent = 0;
        extra = 0;
      }
      continue;
    }
    if (tok === '\u001f') {
      enter();
      scalarNext = true;
      continue;
    }
    switch (CST.tokenType(tok)) {
      case 'doc-mode':
        break;
      case 'doc-start':
        document++;
        open = true;
        stack.length = 0;
        aliases = 0;
        flow = 0;
        lineStart = false;
        break;
      case 'doc-end':
        stack.length = 0;
        aliases = 0;
        flow = 0;
        open = false;
        break;
      case 'newline':
        if (flow === 0) {
          lineStart = true;
          indent = 0;
          extra = 0;
        }
        break;
      case 'space':
        if (lineStart && flow === 0) indent = tok.length;
        break;
      case 'comment':
        break;
      case 'flow-map-start':
      case 'flow-seq-start':
        enter();
        flow++;
        if (stack.length + extra + flow > MAX_DEPTH) return tooDeep(at);
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        if (flow > 0) flow--;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        enter();
        if (flow === 0) extra++;
        if (stack.length + extra + flow > MAX_DEPTH) return tooDeep(at);
        break;
      case 'alias':
        enter();
        if (++aliases > MAX_ALIAS_COUNT) {
          return { offset: at, document, message: `too many aliases: more than ${MAX_ALIAS_COUNT} in one document (refused)` };
        }
        break;
      default:
        enter();
    }
  }
  return undefined;

  function enter(): void {
    if (!open) {
      document++;
      open = true;
    }
    if (!lineStart || flow > 0) return;
    lineStart = false;
    while (stack.length > 0 && stack[stack.length - 1]! >= indent) stack.pop();
    stack.push(indent);
  }
}

/**
 * The `yaml` package's reading of `text`, which starts at line `lineOffset + 1` of its file and
 * whose documents are numbered from `documentOffset + 1`; every error located in the file.
 */
function libraryParse(text: string, lineOffset: number, documentOffset: number): E.Either<readonly YamlError[], readonly unknown[]> {
  const lineCounter = new LineCounter();
  const where = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line + lineOffset, column: pos.col };
  };
  try {
    const limit = scanLimits(text);
    if (limit !== undefined) {
      const pos = positionOf(text, limit.offset);
      return E.left([
        { line: pos.line + lineOffset, column: pos.column, document: documentOffset + Math.max(1, limit.document), message: limit.message },
      ]);
    }
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [docs];
    const errors: YamlError[] = [];
    const values: unknown[] = [];
    list.forEach((doc, i) => {
      const document = documentOffset + i + 1;
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          const message = /call stack/i.test(e.message) ? DEEP : firstLine(e.message);
          errors.push({ ...where(e.pos[0]), document, message });
        }
        return;
      }
      const duplicate = firstDuplicateKey(doc);
      if (duplicate !== undefined) {
        errors.push({ ...where(duplicate), document, message: 'Map keys must be unique' });
        return;
      }
      try {
        values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
      } catch (e) {
        const start = doc.contents?.range?.[0];
        errors.push({ ...(start !== undefined ? where(start) : {}), document, message: explain(e) });
      }
    });
    return errors.length > 0 ? E.left(errors) : E.right(values);
  } catch (e) {
    return E.left([{ line: lineOffset + 1, column: 1, document: documentOffset + 1, message: explain(e) }]);
  }
}

/** 1-based line and column of an offset (counted once, for an error). */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offset of the first key that repeats an earlier scalar key of its mapping (the check the
 * `yaml` package makes with `uniqueKeys`, in linear instead of quadratic time).
 */
function firstDuplicateKey(doc: ReturnType<typeof parseAllDocuments>[number]): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          found = key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return found;
}

const DEEP = `document nested too deeply: more than ${MAX_DEPTH} levels of collections (refused)`;

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return oneLine(nl < 0 ? message : message.slice(0, nl));
}

function explain(e: unknown): string {
  if (e instanceof RangeError) return DEEP;
  const message = e instanceof Error ? e.message : String(e);
  if (/alias/i.test(message)) return `too many aliases: the document expands beyond ${MAX_ALIAS_COUNT} alias resolutions (refused)`;
  return firstLine(message);
}
