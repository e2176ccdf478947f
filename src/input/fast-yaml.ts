/**
 * A fast reader for the part of YAML that Kubernetes manifests use, giving exactly the values the
 * `yaml` package gives (YAML 1.2 core schema), and giving up (`undefined`) on anything else so
 * that the caller falls back to the `yaml` package, which also reports errors with positions.
 *
 * Supported: `---` document markers (with an optional comment); block mappings and sequences
 * (including sequences at the same indentation as their key, and `- key: value` items);
 * single-line flow collections (`{a: b, c: [d, e]}`); plain, single-quoted and double-quoted
 * (simple escapes) scalars on one line; literal block scalars `|` and `|-`; comments.
 * Given up on: anchors, aliases, tags, directives, `...`, folded `>` and keep `|+` scalars,
 * explicit indentation indicators, multi-line plain or quoted scalars, multi-line flow
 * collections, complex or duplicate keys, tabs in indentation, `\r`, numbers in forms other than
 * plain decimal integers (such as `1.5`, `0x1F`, `007`, `+1`), and nesting deeper than 64.
 *
 * Why: the `yaml` package reads about 1.5 MB/s, so a cluster at Kubernetes' limits (100,000 pods)
 * took tens of seconds; this reader is about 20 times faster on such files.
 *
 * @module
 */

/** Thrown (and caught in {@link fastForEachDocument}) when the text leaves the supported subset. */
class GiveUp {}
const GIVE_UP = new GiveUp();

function giveUp(): never {
  throw GIVE_UP;
}

const MAX_DEPTH = 64;
/** Indentation table mark of a blank or comment-only line. */
const BLANK = -1;
/** Indentation table mark of a line with a tab before its content. */
const TABBED = -2;
const SPACE = 32;
const HASH = 35;
const TAB = 9;

/** Sets an own data property, also for `__proto__` (as the `yaml` package does). */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  // A key already set is a duplicate (an error in YAML); values are never undefined here. Keys an
  // object inherits (`constructor`, `__proto__`, …) also read as set: the yaml package takes those
  // rare documents, and keeps such keys as own data properties.
  if (o[key] !== undefined) giveUp();
  o[key] = value;
}

const NUMBER_LIKE = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const PLAIN_INT = /^-?(?:0|[1-9][0-9]{0,14})$/;

/** A plain scalar's value under the core schema (null, booleans, decimal integers, strings). */
function resolvePlain(s: string): unknown {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (s !== '-0' && PLAIN_INT.test(s)) return Number(s);
    if (NUMBER_LIKE.test(s)) giveUp();
  }
  return s;
}

/** A plain key: strings, and the keys whose text the `yaml` package keeps as is. */
function resolveKey(s: string): string {
  if (s.length > 1024) giveUp();
  const v = resolvePlain(s);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && String(v) === s) return s;
  if (s === 'true' || s === 'false') return s;
  return giveUp();
}

/** Characters that may not start a plain scalar (besides `-`, `?`, `:` followed by a space). */
function badPlainStart(c: number): boolean {
  // , [ ] { } # & * ! | > ' " % @ `
  return (
    c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === HASH || c === 38 || c === 42 || c === 33 ||
    c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96
  );
}

/** A quoted scalar starting at `s[p]` (a quote); returns the value and the index after it. */
function readQuoted(s: string, p: number): [string, number] {
  const q = s.charCodeAt(p);
  let out = '';
  let start = p + 1;
  for (let i = p + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (q === 39) {
      if (c === 39) {
        if (s.charCodeAt(i + 1) === 39) {
          out += s.slice(start, i + 1);
          i++;
          start = i + 1;
          continue;
        }
        return [out + s.slice(start, i), i + 1];
      }
    } else if (c === 34) {
      return [out + s.slice(start, i), i + 1];
    } else if (c === 92) {
      out += s.slice(start, i);
      const e = s[i + 1];
      switch (e) {
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        default: giveUp();
      }
      i++;
      start = i + 1;
    }
  }
  return giveUp(); // not closed on this line
}

/** True when `s` from `p` holds only spaces and perhaps a comment after a space. */
function restIsEmpty(s: string, p: number): boolean {
  let i = p;
  while (i < s.length && s.charCodeAt(i) === SPACE) i++;
  if (i === s.length) return true;
  return s.charCodeAt(i) === HASH && i > p;
}

function skipSpaces(s: string, p: number): number {
  while (p < s.length && s.charCodeAt(p) === SPACE) p++;
  return p;
}

/** Flow-context plain scalar from `p`: up to `,[]{}`, `: `, or ` #`. */
function readFlowPlain(s: string, p: number): [string, number] {
  const c0 = s.charCodeAt(p);
  if (badPlainStart(c0)) giveUp();
  if (c0 === 45 || c0 === 63 || c0 === 58) {
    const n = s.charCodeAt(p + 1);
    if (p + 1 >= s.length || n === SPACE || n === 44 || n === 93 || n === 125) giveUp();
  }
  let i = p;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
    if (c === TAB) giveUp();
    if (c === 58) {
      const n = s.charCodeAt(i + 1);
      if (i + 1 >= s.length || n === SPACE || n === 44 || n === 91 || n === 93 || n === 123 || n === 125) break;
    }
    if (c === HASH && s.charCodeAt(i - 1) === SPACE) giveUp();
  }
  return [s.slice(p, i).trimEnd(), i];
}

/** A flow value at `s[p]`; returns the value and the index after it. */
function readFlow(s: string, p: number, depth: number): [unknown, number] {
  if (depth > MAX_DEPTH) giveUp();
  p = skipSpaces(s, p);
  const c = s.charCodeAt(p);
  if (c === 91) {
    const arr: unknown[] = [];
    p = skipSpaces(s, p + 1);
    if (s.charCodeAt(p) === 93) return [arr, p + 1];
    for (;;) {
      const [v, q] = readFlow(s, p, depth + 1);
      arr.push(v);
      p = skipSpaces(s, q);
      const d = s.charCodeAt(p);
      if (d === 93) return [arr, p + 1];
      if (d !== 44) giveUp(); // includes `key: value` pairs inside a sequence
      p = skipSpaces(s, p + 1);
      if (s.charCodeAt(p) === 93) giveUp(); // trailing comma
    }
  }
  if (c === 123) {
    const obj: Record<string, unknown> = {};
    p = skipSpaces(s, p + 1);
    if (s.charCodeAt(p) === 125) return [obj, p + 1];
    for (;;) {
      let key: string;
      const k = s.charCodeAt(p);
      if (k === 34 || k === 39) [key, p] = readQuoted(s, p);
      else {
        let text: string;
        [text, p] = readFlowPlain(s, p);
        key = resolveKey(text);
      }
      p = skipSpaces(s, p);
      if (s.charCodeAt(p) !== 58) giveUp();
      p = skipSpaces(s, p + 1);
      const after = s.charCodeAt(p);
      if (after === 44 || after === 125 || p >= s.length) giveUp(); // empty value
      const [v, q] = readFlow(s, p, depth + 1);
      put(obj, key, v);
      p = skipSpaces(s, q);
      const d = s.charCodeAt(p);
      if (d === 125) return [obj, p + 1];
      if (d !== 44) giveUp();
      p = skipSpaces(s, p + 1);
      if (s.charCodeAt(p) === 125) giveUp(); // trailing comma
    }
  }
  if (c === 34 || c === 39) {
    const [v, q] = readQuoted(s, p);
    const n = skipSpaces(s, q);
    if (s.charCodeAt(n) === 58) giveUp(); // implicit key inside a flow sequence
    return [v, q];
  }
  const [text, q] = readFlowPlain(s, p);
  if (text === '') giveUp();
  if (s.charCodeAt(q) === 58) giveUp(); // implicit key inside a flow sequence
  return [resolvePlain(text), q];
}

/** The reader of one document's lines. Content is read in place: a line and an offset. */
class Reader {
  private i: number;
  /** A line whose start was consumed (`- ` of a sequence item), and where its content now starts. */
  private overLine = -1;
  private overIndent = 0;

  /** Cached `splitKey` of one line. */
  private splitLine = -1;
  private splitAt = -1;
  private splitResult: [string, number] | undefined;

  constructor(
    private readonly lines: readonly string[],
    /** Per line: its indentation, {@link BLANK} for blank/comment lines, {@link TABBED} for a tab before content. */
    private readonly indents: Int32Array,
    start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  /**
   * Where line `j`'s content starts, which is also its indentation (for a line whose `- ` was
   * consumed, the column after it); gives up on a tab in the indentation.
   */
  private indent(j: number): number {
    if (j === this.overLine) return this.overIndent;
    const n = this.indents[j]!;
    if (n === TABBED) giveUp();
    return n;
  }

  /** Blank or comment-only line (never the overlaid line). */
  private blank(j: number): boolean {
    return j !== this.overLine && this.indents[j] === BLANK;
  }

  /** `splitKey` of line `j` from offset `p`, computed once. */
  private key(j: number, p: number): [string, number] | undefined {
    if (j !== this.splitLine || p !== this.splitAt) {
      this.splitLine = j;
      this.splitAt = p;
      this.splitResult = splitKey(this.lines[j]!, p);
    }
    return this.splitResult;
  }

  private skipBlank(): void {
    while (this.i < this.end && this.blank(this.i)) this.i++;
  }

  /** Reads the document's root; `null` for an empty document. */
  document(): unknown {
    this.skipBlank();
    if (this.i >= this.end) return null;
    const ind = this.indent(this.i);
    const s = this.lines[this.i]!;
    if (!isSeqItem(s, ind) && this.key(this.i, ind) === undefined) giveUp(); // scalar documents: leave to the library
    const v = this.node(ind, 0);
    this.skipBlank();
    if (this.i < this.end) giveUp();
    return v;
  }

  /** A node whose first line (the current one) has indentation `ind`. */
  private node(ind: number, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    const s = this.lines[this.i]!;
    if (isSeqItem(s, ind)) return this.sequence(ind, depth);
    if (this.key(this.i, ind) !== undefined) return this.mapping(ind, depth);
    return this.inline(s, ind, ind, depth);
  }

  /** The value of a key or item written on the following lines (or nothing: null). */
  private below(parent: number, sameIndentSeq: boolean, depth: number): unknown {
    this.skipBlank();
    if (this.i >= this.end) return null;
    const ind = this.indent(this.i);
    if (ind > parent) return this.node(ind, depth + 1);
    if (sameIndentSeq && ind === parent && isSeqItem(this.lines[this.i]!, ind)) return this.sequence(ind, depth + 1);
    return null;
  }

  private sequence(ind: number, depth: number): unknown[] {
    const arr: unknown[] = [];
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end) break;
      const li = this.indent(this.i);
      if (li !== ind) {
        if (li > ind) giveUp();
        break;
      }
      const s = this.lines[this.i]!;
      if (!isSeqItem(s, ind)) break;
      const k = skipSpaces(s, ind + 1);
      if (k === s.length || s.charCodeAt(k) === HASH) {
        this.i++;
        arr.push(this.below(ind, false, depth));
      } else {
        if (s.charCodeAt(k) === TAB) giveUp();
        this.overLine = this.i;
        this.overIndent = k;
        arr.push(this.node(k, depth + 1));
      }
    }
    return arr;
  }

  private mapping(ind: number, depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end) break;
      const li = this.indent(this.i);
      if (li < ind) break;
      if (li > ind) giveUp();
      const s = this.lines[this.i]!;
      if (isSeqItem(s, ind)) break; // a sequence at the key's indentation belongs to the enclosing node
      const kv = this.key(this.i, ind);
      if (kv === undefined) giveUp();
      const [key, restAt] = kv;
      const p = skipSpaces(s, restAt);
      if (p === s.length || (s.charCodeAt(p) === HASH && p > restAt)) {
        this.i++;
        put(obj, key, this.below(ind, true, depth));
      } else {
        if (p === restAt) giveUp();
        put(obj, key, this.inline(s, p, ind, depth));
      }
    }
    return obj;
  }

  /** A value written on the current line `s` from offset `p` (after `key: ` or `- `); consumes the line(s). */
  private inline(s: string, p: number, ind: number, depth: number): unknown {
    const c = s.charCodeAt(p);
    if (c === 124) {
      // | or |- with an optional comment
      let q = p + 1;
      let strip = false;
      if (s.charCodeAt(q) === 45) {
        strip = true;
        q++;
      }
      if (!restIsEmpty(s, q) || (q < s.length && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return this.literal(ind, strip);
    }
    if (c === 91 || c === 123) {
      const [v, q] = readFlow(s, p, depth + 1);
      if (!restIsEmpty(s, q) || (q < s.length && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return v;
    }
    if (c === 34 || c === 39) {
      const [v, q] = readQuoted(s, p);
      if (!restIsEmpty(s, q) || (q < s.length && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return v;
    }
    if (badPlainStart(c)) giveUp();
    if ((c === 45 || c === 63 || c === 58) && (p + 1 === s.length || s.charCodeAt(p + 1) === SPACE)) giveUp();
    // plain scalar up to a comment
    let end = s.length;
    for (let i = p; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === HASH && i > p && s.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (d === TAB) giveUp();
      if (d === 58 && (i + 1 === s.length || s.charCodeAt(i + 1) === SPACE)) giveUp();
      if (d === 91 || d === 93 || d === 123 || d === 125) giveUp();
    }
    while (end > p && s.charCodeAt(end - 1) === SPACE) end--;
    const text = p === 0 && end === s.length ? s : s.slice(p, end);
    this.i++;
    // a more-indented line after a plain scalar would continue it (multi-line plain scalar)
    let j = this.i;
    while (j < this.end && this.indents[j] === BLANK && isSpaces(this.lines[j]!)) j++;
    if (j < this.end && this.indent(j) > ind) giveUp();
    return resolvePlain(text);
  }

  /** A literal block scalar whose header was on the previous line; `ind` is its parent's indent. */
  private literal(ind: number, strip: boolean): string {
    const lines: string[] = [];
    let contentIndent = -1;
    let j = this.i;
    for (; j < this.end; j++) {
      const s = this.lines[j]!;
      let n = 0;
      while (n < s.length && s.charCodeAt(n) === SPACE) n++;
      if (n === s.length) {
        // spaces only: an empty line, unless it has more spaces than the content's indentation
        if (contentIndent >= 0 && n > contentIndent) giveUp();
        if (contentIndent < 0 && n > ind + 1) giveUp();
        lines.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (n <= ind) break;
        if (s.charCodeAt(n) === TAB) giveUp();
        contentIndent = n;
        if (lines.length > 0) giveUp(); // leading empty lines: rare, leave to the library
      } else if (n < contentIndent) {
        break;
      }
      lines.push(s.slice(contentIndent));
    }
    this.i = j;
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const body = lines.join('\n');
    if (body === '') return '';
    return strip ? body : `${body}\n`;
  }
}

function isSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== SPACE) return false;
  return true;
}

/** A sequence entry (`- ` or a lone `-`) at offset `p`. */
function isSeqItem(s: string, p: number): boolean {
  return s.charCodeAt(p) === 45 && (p + 1 === s.length || s.charCodeAt(p + 1) === SPACE);
}

/** A block mapping entry `key: ...` from offset `p`: the key and the index after the colon, or `undefined`. */
function splitKey(t: string, p: number): [string, number] | undefined {
  const c = t.charCodeAt(p);
  if (c === 34 || c === 39) {
    let key: string;
    let q: number;
    try {
      [key, q] = readQuoted(t, p);
    } catch {
      return giveUp();
    }
    q = skipSpaces(t, q);
    if (t.charCodeAt(q) !== 58) return undefined;
    if (q + 1 < t.length && t.charCodeAt(q + 1) !== SPACE) giveUp();
    return [key, q + 1];
  }
  if (c === 63 || c === 38 || c === 42 || c === 33 || c === 91 || c === 123) return undefined; // ? & * ! [ { : not a plain key
  for (let i = p; i < t.length; i++) {
    const d = t.charCodeAt(i);
    if (d === 58 && (i + 1 === t.length || t.charCodeAt(i + 1) === SPACE)) {
      let e = i;
      while (e > p && t.charCodeAt(e - 1) === SPACE) e--;
      if (e === p || badPlainStart(c)) giveUp();
      for (let k = p; k < e; k++) {
        const f = t.charCodeAt(k);
        if (f === 91 || f === 93 || f === 123 || f === 125 || f === TAB) giveUp();
      }
      return [resolveKey(t.slice(p, e)), i + 1];
    }
    if (d === HASH && i > p && t.charCodeAt(i - 1) === SPACE) return undefined;
  }
  return undefined;
}

interface Prepared {
  readonly lines: readonly string[];
  readonly indents: Int32Array;
  readonly ranges: readonly (readonly [number, number])[];
}

/** Splits the text into lines and documents, and measures each line's indentation. */
function prepare(text: string): Prepared {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) giveUp();
  const lines = text.split('\n');
  const markers: number[] = [];
  const indents = new Int32Array(lines.length);
  for (let j = 0; j < lines.length; j++) {
    const line = lines[j]!;
    const c0 = line.charCodeAt(0);
    if (c0 === 37) giveUp(); // % directive
    if (c0 === 46 && line.startsWith('...')) giveUp();
    if (c0 === 45 && isMarker(line)) {
      if (!restIsEmpty(line.replace(/\t/g, ' '), 3)) giveUp();
      markers.push(j);
    }
    let n = 0;
    while (n < line.length && line.charCodeAt(n) === SPACE) n++;
    if (n === line.length) indents[j] = BLANK;
    else {
      const c = line.charCodeAt(n);
      if (c === HASH) indents[j] = BLANK;
      else if (c === TAB) indents[j] = TABBED; // even on a blank line: the yaml package decides
      else indents[j] = n;
    }
  }
  // Text before the first marker is a document only when it holds content (else it is the
  // prelude of the next one); every marker starts a document, empty ones being null.
  const ranges: [number, number][] = [];
  const firstEnd = markers[0] ?? lines.length;
  if (hasContent(lines, 0, firstEnd)) ranges.push([0, firstEnd]);
  markers.forEach((m, k) => ranges.push([m + 1, markers[k + 1] ?? lines.length]));
  return { lines, indents, ranges };
}

/**
 * Reads the documents of `text` one at a time, handing each to `onDocument` (with its number,
 * from 1) as soon as it is read; returns false as soon as the text leaves the supported subset
 * (the documents already handed over were read correctly, the rest were not read). An error
 * thrown by `onDocument` is not caught.
 *
 * @example
 * fastForEachDocument('a: 1\n---\nb: 2\n', (doc, n) => console.log(n, doc)); // true
 */
export function fastForEachDocument(text: string, onDocument: (value: unknown, index: number) => void): boolean {
  let prepared: Prepared;
  try {
    prepared = prepare(text);
  } catch {
    return false;
  }
  const { lines, indents, ranges } = prepared;
  for (let k = 0; k < ranges.length; k++) {
    const [from, to] = ranges[k]!;
    let value: unknown;
    try {
      value = new Reader(lines, indents, from, to).document();
    } catch {
      // GIVE_UP, or anything unexpected (even a stack overflow): the yaml package decides.
      return false;
    }
    onDocument(value, k + 1);
  }
  return true;
}

/**
 * Parses `text` when it stays within the supported subset of YAML; otherwise `undefined` (the
 * caller then uses the `yaml` package). Documents are split at `---` lines; an empty document
 * between markers is `null`; text before the first marker counts only when it holds content.
 *
 * @example
 * fastParseYaml('a: 1\n---\nb: [x, y]\n'); // [{ a: 1 }, { b: ['x', 'y'] }]
 * fastParseYaml('a: &x 1\nb: *x\n');       // undefined (aliases are left to the yaml package)
 */
export function fastParseYaml(text: string): unknown[] | undefined {
  const docs: unknown[] = [];
  return fastForEachDocument(text, (v) => docs.push(v)) ? docs : undefined;
}

function isMarker(s: string): boolean {
  return s.startsWith('---') && (s.length === 3 || s.charCodeAt(3) === SPACE || s.charCodeAt(3) === TAB);
}

function hasContent(lines: readonly string[], from: number, to: number): boolean {
  for (let j = from; j < to; j++) {
    const t = lines[j]!.trim();
    if (t !== '' && !t.startsWith('#')) return true;
  }
  return false;
}
