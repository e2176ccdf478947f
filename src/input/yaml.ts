/**
 * YAML text → plain values, one per document, safely: YAML 1.2 core schema (as `yaml` reads
 * it), at most {@link MAX_ALIAS_COUNT} alias resolutions per document (billion-laughs documents
 * are refused), duplicate keys refused, `__proto__` kept as an ordinary own key, and any
 * exception (such as a stack overflow on absurd nesting) turned into an error.
 *
 * Most manifests use a small part of YAML; {@link parseYamlText} first tries a fast reader of
 * that part (`fast-yaml.ts`) and falls back to the `yaml` package for anything else, so both
 * give the same values.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { LineCounter, parseAllDocuments } from 'yaml';
import { fastParseYaml } from './fast-yaml.js';

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
  /** What is wrong. */
  readonly message: string;
}

/**
 * Most alias resolutions allowed in one document.
 *
 * @example
 * parseAllDocuments(text)[0]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses a YAML text into its documents' values (empty documents give `null`).
 *
 * @example
 * parseYamlText('a: 1\n---\nb: 2\n'); // right([{ a: 1 }, { b: 2 }])
 */
export function parseYamlText(text: string): E.Either<readonly YamlError[], readonly unknown[]> {
  const fast = fastParseYaml(text);
  if (fast !== undefined) return E.right(fast);
  return parseWithLibrary(text);
}

/**
 * Parses with the `yaml` package only (the reference the fast reader must agree with).
 *
 * @example
 * parseWithLibrary('a: [1, 2]'); // right([{ a: [1, 2] }])
 */
export function parseWithLibrary(text: string): E.Either<readonly YamlError[], readonly unknown[]> {
  const lineCounter = new LineCounter();
  try {
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    const errors: YamlError[] = [];
    const values: unknown[] = [];
    list.forEach((doc, i) => {
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          const pos = lineCounter.linePos(e.pos[0]);
          const message = /call stack/i.test(e.message) ? 'document nested too deeply' : firstLine(e.message);
          errors.push({ line: pos.line, column: pos.col, document: i + 1, message });
        }
        return;
      }
      try {
        values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
      } catch (e) {
        const start = doc.contents?.range?.[0];
        const pos = start !== undefined ? lineCounter.linePos(start) : undefined;
        errors.push({
          ...(pos !== undefined ? { line: pos.line, column: pos.col } : {}),
          document: i + 1,
          message: explain(e),
        });
      }
    });
    return errors.length > 0 ? E.left(errors) : E.right(values);
  } catch (e) {
    return E.left([{ message: explain(e) }]);
  }
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : message.slice(0, nl);
}

function explain(e: unknown): string {
  if (e instanceof RangeError) return 'document nested too deeply';
  const message = e instanceof Error ? e.message : String(e);
  if (/alias/i.test(message)) return `too many aliases: the document expands beyond ${MAX_ALIAS_COUNT} alias resolutions (refused)`;
  return firstLine(message);
}
