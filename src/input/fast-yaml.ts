/**
 * A fast reader for the part of YAML that Kubernetes manifests use, giving exactly the values the
 * `yaml` package gives (YAML 1.2 core schema), and giving up (`undefined`) on anything else so
 * that the caller falls back to the `yaml` package, which also reports errors with positions.
 *
 * Supported: `---` document markers (with an optional comment); block mappings and sequences
 * (including sequences at the same indentation as their key, and `- key: value` items);
 * single-line flow collections (`{a: b, c: [d, e]}`); plain, single-quoted and double-quoted
 * (simple escapes) scalars on one line; literal block scalars `|` and `|-`; comments.
 * Numbers in every form of the core schema (`1.5`, `1e3`, `0x1F`, `0o17`, `007`, `.inf`, `.nan`),
 * every escape of double-quoted scalars, CRLF line breaks and a byte order mark are read too.
 * Given up on: anchors, aliases, tags, directives, `...`, folded `>` and keep `|+` scalars,
 * explicit indentation indicators, multi-line plain or quoted scalars, multi-line flow
 * collections, complex or duplicate keys, tabs in indentation, a lone `\r`, and number-like keys
 * whose text the `yaml` package would change. Nesting deeper than 64 is refused (the limit of
 * `limits.ts`), not given up on.
 *
 * Why: the `yaml` package reads about 1.5 MB/s, so a cluster at Kubernetes' limits (100,000 pods)
 * took about 25 seconds to read; this reader takes under half a second for the same files.
 *
 * @module
 */

import { MAX_DEPTH } from './limits.js';

/** Thrown (and caught in {@link fastEachDocument}) when the text leaves the supported subset. */
class GiveUp {}
const GIVE_UP = new GiveUp();

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Thrown when a document nests deeper than {@link MAX_DEPTH}: a sure refusal (the reader counts
 * one level per collection), so the document is not handed to another reader.
 */
class TooDeep {
  constructor(
    /** Offset in the text where the limit was passed. */
    readonly offset: number,
  ) {}
}
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
    if (NUMBER_LIKE.test(s)) return resolveNumber(s);
  }
  return s;
}

/** A number in any form of the core schema, resolved exactly as the `yaml` package does (tags tried in its order). */
function resolveNumber(s: string): number | string {
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
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

/**
 * Where the last value read ended: the flow readers return their value and leave the offset
 * after it here (one cursor per document read; no tuple per value).
 */
interface Cursor {
  p: number;
  /**
   * Keys already read, by a hash of their length and end characters: a key whose text equals
   * one of them is that same string (no new string; property lookups with a string already used
   * as a key skip hashing it again).
   */
  readonly keys: (string | undefined)[];
  /** Plain scalars already read, the same way as `keys` (namespaces, node names, `Running`, pod IPs read twice). */
  readonly values: (string | undefined)[];
}

const KEY_SLOTS = 1024;

/** A cursor for one text. */
function cursor(): Cursor {
  return { p: 0, keys: new Array<string | undefined>(KEY_SLOTS).fill(undefined), values: new Array<string | undefined>(KEY_SLOTS).fill(undefined) };
}

/** Whether `s` holds `known` (of length `n`) at `p`: `s.startsWith(known, p)` without the builtin's call (these are a few characters). */
function sameText(s: string, p: number, known: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (s.charCodeAt(p + i) !== known.charCodeAt(i)) return false;
  return true;
}

/** The text `s[p, e)` of a plain scalar, the same string as an equal one read before when the slot still holds it. */
function plainText(s: string, p: number, e: number, cur: Cursor): string {
  const n = e - p;
  if (n === 0 || n > 40) return s.slice(p, e);
  const slot = (n * 31 + s.charCodeAt(p) * 7 + s.charCodeAt(e - 1) * 3 + s.charCodeAt(p + (n >> 1))) & (KEY_SLOTS - 1);
  const known = cur.values[slot];
  if (known !== undefined && known.length === n && sameText(s, p, known, n)) return known;
  const text = s.slice(p, e);
  cur.values[slot] = text;
  return text;
}

/** The plain key `s[p..e)` (non-empty, already checked as a plain scalar): from the cache, or resolved and cached. */
function plainKey(s: string, p: number, e: number, cur: Cursor): string {
  const n = e - p;
  const slot = (n * 31 + s.charCodeAt(p) * 7 + s.charCodeAt(e - 1)) & (KEY_SLOTS - 1);
  const known = cur.keys[slot];
  if (known !== undefined && known.length === n && sameText(s, p, known, n)) return known;
  const key = resolveKey(s.slice(p, e));
  cur.keys[slot] = key;
  return key;
}

/** A quoted scalar starting at `s[p]` (a quote), closed before `end`; returns the value and leaves the index after it in `cur`. */
function readQuoted(s: string, p: number, end: number, cur: Cursor): string {
  const q = s.charCodeAt(p);
  let out = '';
  let start = p + 1;
  for (let i = p + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (q === 39) {
      if (c === 39) {
        if (i + 1 < end && s.charCodeAt(i + 1) === 39) {
          out += s.slice(start, i + 1);
          i++;
          start = i + 1;
          continue;
        }
        cur.p = i + 1;
        return out + s.slice(start, i);
      }
    } else if (c === 34) {
      cur.p = i + 1;
      return out + s.slice(start, i);
    } else if (c === 92) {
      out += s.slice(start, i);
      const e = i + 1 < end ? s[i + 1] : undefined;
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
        case 'a': out += '\x07'; break;
        case 'e': out += '\x1b'; break;
        case 'v': out += '\v'; break;
        case 'N': out += '\u0085'; break;
        case '_': out += '\u00a0'; break;
        case 'L': out += '\u2028'; break;
        case 'P': out += '\u2029'; break;
        case ' ': out += ' '; break;
        case '\t': out += '\t'; break;
        case 'x':
        case 'u':
        case 'U': {
          const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          if (i + 2 + length > end) giveUp();
          const hex = s.slice(i + 2, i + 2 + length);
          if (!/^[0-9a-fA-F]+$/.test(hex)) giveUp();
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) giveUp();
          out += String.fromCodePoint(code);
          i += length;
          break;
        }
        default: giveUp();
      }
      i++;
      start = i + 1;
    }
  }
  return giveUp(); // not closed on this line
}

/** True when `s` from `p` to `end` holds only spaces and perhaps a comment after a space. */
function restIsEmpty(s: string, p: number, end: number): boolean {
  let i = p;
  while (i < end && s.charCodeAt(i) === SPACE) i++;
  if (i === end) return true;
  return s.charCodeAt(i) === HASH && i > p;
}

function skipSpaces(s: string, p: number, end: number): number {
  while (p < end && s.charCodeAt(p) === SPACE) p++;
  return p;
}

/** The character at `p`, or NaN at and after `end` (as past the end of a one-line string). */
function at(s: string, p: number, end: number): number {
  return p < end ? s.charCodeAt(p) : NaN;
}

/** Flow-context plain scalar from `p`: up to `,[]{}`, `: `, or ` #` (the stop left in `cur`). */
function readFlowPlain(s: string, p: number, end: number, cur: Cursor): string {
  readFlowPlainEnd(s, p, end, cur);
  let e = cur.p;
  while (e > p && s.charCodeAt(e - 1) === SPACE) e--;
  return plainText(s, p, e, cur);
}

/** Where the flow-context plain scalar from `p` stops (left in `cur`; spaces before it included). */
function readFlowPlainEnd(s: string, p: number, end: number, cur: Cursor): void {
  const c0 = at(s, p, end);
  if (badPlainStart(c0)) giveUp();
  if (c0 === 45 || c0 === 63 || c0 === 58) {
    const n = at(s, p + 1, end);
    if (p + 1 >= end || n === SPACE || n === 44 || n === 93 || n === 125) giveUp();
  }
  let i = p;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
    if (c === TAB) giveUp();
    if (c === 58) {
      const n = at(s, i + 1, end);
      if (i + 1 >= end || n === SPACE || n === 44 || n === 91 || n === 93 || n === 123 || n === 125) break;
    }
    if (c === HASH && i > p && s.charCodeAt(i - 1) === SPACE) giveUp();
  }
  cur.p = i;
}

/** A plain key in a flow mapping (as {@link readFlowPlain}, then {@link resolveKey}). */
function readFlowKey(s: string, p: number, end: number, cur: Cursor): string {
  const start = p;
  readFlowPlainEnd(s, p, end, cur);
  let e = cur.p;
  while (e > start && s.charCodeAt(e - 1) === SPACE) e--;
  if (e === start) return resolveKey('');
  return plainKey(s, start, e, cur);
}

/** A flow value at `s[p]` (before `end`); returns the value and leaves the index after it in `cur`. */
function readFlow(s: string, p: number, end: number, depth: number, cur: Cursor): unknown {
  if (depth > MAX_DEPTH) throw new TooDeep(p);
  p = skipSpaces(s, p, end);
  const c = at(s, p, end);
  if (c === 91) {
    const arr: unknown[] = [];
    p = skipSpaces(s, p + 1, end);
    if (at(s, p, end) === 93) {
      cur.p = p + 1;
      return arr;
    }
    for (;;) {
      arr.push(readFlow(s, p, end, depth + 1, cur));
      p = skipSpaces(s, cur.p, end);
      const d = at(s, p, end);
      if (d === 93) {
        cur.p = p + 1;
        return arr;
      }
      if (d !== 44) giveUp(); // includes `key: value` pairs inside a sequence
      p = skipSpaces(s, p + 1, end);
      if (at(s, p, end) === 93) giveUp(); // trailing comma
    }
  }
  if (c === 123) {
    const obj: Record<string, unknown> = {};
    p = skipSpaces(s, p + 1, end);
    if (at(s, p, end) === 125) {
      cur.p = p + 1;
      return obj;
    }
    for (;;) {
      const k = at(s, p, end);
      const key = k === 34 || k === 39 ? readQuoted(s, p, end, cur) : readFlowKey(s, p, end, cur);
      p = skipSpaces(s, cur.p, end);
      if (at(s, p, end) !== 58) giveUp();
      p = skipSpaces(s, p + 1, end);
      const after = at(s, p, end);
      if (after === 44 || after === 125 || p >= end) giveUp(); // empty value
      put(obj, key, readFlow(s, p, end, depth + 1, cur));
      p = skipSpaces(s, cur.p, end);
      const d = at(s, p, end);
      if (d === 125) {
        cur.p = p + 1;
        return obj;
      }
      if (d !== 44) giveUp();
      p = skipSpaces(s, p + 1, end);
      if (at(s, p, end) === 125) giveUp(); // trailing comma
    }
  }
  if (c === 34 || c === 39) {
    const v = readQuoted(s, p, end, cur);
    const n = skipSpaces(s, cur.p, end);
    if (at(s, n, end) === 58) giveUp(); // implicit key inside a flow sequence
    return v;
  }
  const text = readFlowPlain(s, p, end, cur);
  if (text === '') giveUp();
  if (at(s, cur.p, end) === 58) giveUp(); // implicit key inside a flow sequence
  return resolvePlain(text);
}

/** The text split into lines, without making a string per line. */
interface Lines {
  /** The whole text. */
  readonly text: string;
  /** Offset of each line's first character. */
  readonly starts: Int32Array;
  /** Offset just after each line's last character (its newline excluded). */
  readonly ends: Int32Array;
  /** Each line's indentation; {@link BLANK} for blank/comment lines, {@link TABBED} for a tab before content. */
  readonly indents: Int32Array;
}

/** The reader of one document's lines. Content is read in place: the text and offsets. */
class Reader {
  private i: number;
  private readonly text: string;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  /** A line whose start was consumed (`- ` of a sequence item), and where its content now starts. */
  private overLine = -1;
  private overIndent = 0;

  /** Cached `splitKey` of one line. */
  private splitLine = -1;
  private splitAt = -1;
  private splitResult: [string, number] | undefined;

  constructor(
    lines: Lines,
    start: number,
    private readonly end: number,
    /** Where the flow readers leave the offset after a value; the keys read so far. */
    private readonly cur: Cursor,
  ) {
    this.text = lines.text;
    this.starts = lines.starts;
    this.ends = lines.ends;
    this.indents = lines.indents;
    this.i = start;
  }

  /**
   * Line `j`'s indentation, which is also where its content starts (for a line whose `- ` was
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

  /** `splitKey` of line `j` from column `col`, computed once. */
  private key(j: number, col: number): [string, number] | undefined {
    if (j !== this.splitLine || col !== this.splitAt) {
      this.splitLine = j;
      this.splitAt = col;
      this.splitResult = splitKey(this.text, this.starts[j]! + col, this.ends[j]!, this.cur);
    }
    return this.splitResult;
  }

  private skipBlank(): void {
    while (this.i < this.end && this.blank(this.i)) this.i++;
  }

  /** The line being read (0-based), e.g. where the reader gave up. */
  get line(): number {
    return this.i;
  }

  /** Reads the document's root; `null` for an empty document. */
  document(): unknown {
    this.skipBlank();
    if (this.i >= this.end) return null;
    const ind = this.indent(this.i);
    if (!this.seqItem(this.i, ind) && this.key(this.i, ind) === undefined) giveUp(); // scalar documents: leave to the library
    const v = this.node(ind, 0);
    this.skipBlank();
    if (this.i < this.end) giveUp();
    return v;
  }

  /** Line `j` holds a sequence entry (`- ` or a lone `-`) at column `col`. */
  private seqItem(j: number, col: number): boolean {
    const p = this.starts[j]! + col;
    const e = this.ends[j]!;
    return p < e && this.text.charCodeAt(p) === 45 && (p + 1 === e || this.text.charCodeAt(p + 1) === SPACE);
  }

  /** A node whose first line (the current one) has indentation `ind`. */
  private node(ind: number, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new TooDeep(this.starts[this.i]! + ind);
    if (this.seqItem(this.i, ind)) return this.sequence(ind, depth);
    if (this.key(this.i, ind) !== undefined) return this.mapping(ind, depth);
    return this.inline(this.starts[this.i]! + ind, ind, depth);
  }

  /** The value of a key or item written on the following lines (or nothing: null). */
  private below(parent: number, sameIndentSeq: boolean, depth: number): unknown {
    this.skipBlank();
    if (this.i >= this.end) return null;
    const ind = this.indent(this.i);
    if (ind > parent) return this.node(ind, depth + 1);
    if (sameIndentSeq && ind === parent && this.seqItem(this.i, ind)) return this.sequence(ind, depth + 1);
    return null;
  }

  private sequence(ind: number, depth: number): unknown[] {
    const arr: unknown[] = [];
    const s = this.text;
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end) break;
      const li = this.indent(this.i);
      if (li !== ind) {
        if (li > ind) giveUp();
        break;
      }
      if (!this.seqItem(this.i, ind)) break;
      const start = this.starts[this.i]!;
      const e = this.ends[this.i]!;
      const k = skipSpaces(s, start + ind + 1, e);
      if (k === e || s.charCodeAt(k) === HASH) {
        this.i++;
        arr.push(this.below(ind, false, depth));
      } else {
        if (s.charCodeAt(k) === TAB) giveUp();
        this.overLine = this.i;
        this.overIndent = k - start;
        arr.push(this.node(k - start, depth + 1));
      }
    }
    return arr;
  }

  private mapping(ind: number, depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const s = this.text;
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end) break;
      const li = this.indent(this.i);
      if (li < ind) break;
      if (li > ind) giveUp();
      if (this.seqItem(this.i, ind)) break; // a sequence at the key's indentation belongs to the enclosing node
      const kv = this.key(this.i, ind);
      if (kv === undefined) giveUp();
      const [key, restAt] = kv;
      const e = this.ends[this.i]!;
      const p = skipSpaces(s, restAt, e);
      if (p === e || (s.charCodeAt(p) === HASH && p > restAt)) {
        this.i++;
        put(obj, key, this.below(ind, true, depth));
      } else {
        if (p === restAt) giveUp();
        put(obj, key, this.inline(p, ind, depth));
      }
    }
    return obj;
  }

  /** A value written on the current line from offset `p` (after `key: ` or `- `); consumes the line(s). */
  private inline(p: number, ind: number, depth: number): unknown {
    const s = this.text;
    const e = this.ends[this.i]!;
    const c = at(s, p, e);
    if (c === 124) {
      // | or |- with an optional comment
      let q = p + 1;
      let strip = false;
      if (at(s, q, e) === 45) {
        strip = true;
        q++;
      }
      if (!restIsEmpty(s, q, e) || (q < e && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return this.literal(ind, strip);
    }
    if (c === 91 || c === 123) {
      const v = readFlow(s, p, e, depth + 1, this.cur);
      const q = this.cur.p;
      if (!restIsEmpty(s, q, e) || (q < e && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return v;
    }
    if (c === 34 || c === 39) {
      const v = readQuoted(s, p, e, this.cur);
      const q = this.cur.p;
      if (!restIsEmpty(s, q, e) || (q < e && s.charCodeAt(q) !== SPACE)) giveUp();
      this.i++;
      return v;
    }
    if (badPlainStart(c)) giveUp();
    if ((c === 45 || c === 63 || c === 58) && (p + 1 === e || s.charCodeAt(p + 1) === SPACE)) giveUp();
    // plain scalar up to a comment
    let stop = e;
    for (let i = p; i < e; i++) {
      const d = s.charCodeAt(i);
      if (d === HASH && i > p && s.charCodeAt(i - 1) === SPACE) {
        stop = i;
        break;
      }
      if (d === TAB) giveUp();
      if (d === 58 && (i + 1 === e || s.charCodeAt(i + 1) === SPACE)) giveUp();
      if (d === 91 || d === 93 || d === 123 || d === 125) giveUp();
    }
    while (stop > p && s.charCodeAt(stop - 1) === SPACE) stop--;
    const text = plainText(s, p, stop, this.cur);
    this.i++;
    // a more-indented line after a plain scalar would continue it (multi-line plain scalar)
    let j = this.i;
    while (j < this.end && this.indents[j] === BLANK && this.onlySpaces(j)) j++;
    if (j < this.end && this.indent(j) > ind) giveUp();
    return resolvePlain(text);
  }

  /** Line `j` holds nothing but spaces (or nothing). */
  private onlySpaces(j: number): boolean {
    const e = this.ends[j]!;
    for (let i = this.starts[j]!; i < e; i++) if (this.text.charCodeAt(i) !== SPACE) return false;
    return true;
  }

  /** A literal block scalar whose header was on the previous line; `ind` is its parent's indent. */
  private literal(ind: number, strip: boolean): string {
    const s = this.text;
    const lines: string[] = [];
    let contentIndent = -1;
    let j = this.i;
    for (; j < this.end; j++) {
      const start = this.starts[j]!;
      const e = this.ends[j]!;
      let n = 0;
      while (start + n < e && s.charCodeAt(start + n) === SPACE) n++;
      if (start + n === e) {
        // spaces only: an empty line, unless it has more spaces than the content's indentation
        if (contentIndent >= 0 && n > contentIndent) giveUp();
        if (contentIndent < 0 && n > ind + 1) giveUp();
        lines.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (n <= ind) break;
        if (s.charCodeAt(start + n) === TAB) giveUp();
        contentIndent = n;
        if (lines.length > 0) giveUp(); // leading empty lines: rare, leave to the library
      } else if (n < contentIndent) {
        break;
      }
      lines.push(s.slice(start + contentIndent, e));
    }
    this.i = j;
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const body = lines.join('\n');
    if (body === '') return '';
    return strip ? body : `${body}\n`;
  }
}

/** A block mapping entry `key: ...` at `p` (line ending at `end`): the key and the offset after the colon, or `undefined`. */
function splitKey(t: string, p: number, end: number, cur: Cursor): [string, number] | undefined {
  const c = at(t, p, end);
  if (c === 34 || c === 39) {
    let key: string;
    let q: number;
    try {
      key = readQuoted(t, p, end, cur);
      q = cur.p;
    } catch {
      return giveUp();
    }
    q = skipSpaces(t, q, end);
    if (at(t, q, end) !== 58) return undefined;
    if (q + 1 < end && t.charCodeAt(q + 1) !== SPACE) giveUp();
    return [key, q + 1];
  }
  if (c === 63 || c === 38 || c === 42 || c === 33 || c === 91 || c === 123) return undefined; // ? & * ! [ { : not a plain key
  for (let i = p; i < end; i++) {
    const d = t.charCodeAt(i);
    if (d === 58 && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) {
      let e = i;
      while (e > p && t.charCodeAt(e - 1) === SPACE) e--;
      if (e === p || badPlainStart(c)) giveUp();
      for (let k = p; k < e; k++) {
        const f = t.charCodeAt(k);
        if (f === 91 || f === 93 || f === 123 || f === 125 || f === TAB) giveUp();
      }
      return [plainKey(t, p, e, cur), i + 1];
    }
    if (d === HASH && i > p && t.charCodeAt(i - 1) === SPACE) return undefined;
  }
  return undefined;
}

/** Whether a line holds only spaces and tabs, perhaps before a comment. */
function isBlankTabbed(text: string, start: number, end: number): boolean {
  let n = start;
  while (n < end && (text.charCodeAt(n) === SPACE || text.charCodeAt(n) === TAB)) n++;
  return n === end || text.charCodeAt(n) === HASH;
}

interface Prepared {
  readonly lines: Lines;
  readonly ranges: readonly (readonly [number, number])[];
}

/** Finds the lines and documents of the text, and measures each line's indentation. */
function prepare(source: string): Prepared {
  let text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // CRLF line breaks are line breaks (YAML normalises them to LF everywhere, block scalars too);
  // a lone CR is left to the yaml package
  if (text.includes('\r')) {
    text = text.replace(/\r\n/g, '\n');
    if (text.includes('\r')) giveUp();
  }
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const indents = new Int32Array(count);
  const markers: number[] = [];
  let start = 0;
  for (let j = 0; j < count; j++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    starts[j] = start;
    ends[j] = end;
    const c0 = start < end ? text.charCodeAt(start) : NaN;
    if (c0 === 37) giveUp(); // % directive
    if (c0 === 46 && text.startsWith('...', start)) giveUp();
    if (c0 === 45 && text.startsWith('---', start) && (end - start === 3 || text.charCodeAt(start + 3) === SPACE || text.charCodeAt(start + 3) === TAB)) {
      const rest = text.slice(start + 3, end).replace(/\t/g, ' '); // starts with a space, or is empty
      if (!restIsEmpty(rest, 0, rest.length)) giveUp();
      markers.push(j);
    }
    let n = start;
    while (n < end && text.charCodeAt(n) === SPACE) n++;
    if (n === end) indents[j] = BLANK;
    else {
      const c = text.charCodeAt(n);
      if (c === HASH) indents[j] = BLANK;
      else if (c === TAB) indents[j] = TABBED; // even on a blank line: the yaml package decides
      else indents[j] = n - start;
    }
    start = end + 1;
  }
  // Text before the first marker is a document only when it holds content (else it is the
  // prelude of the next one); every marker starts a document, empty ones being null.
  const ranges: [number, number][] = [];
  const firstEnd = markers[0] ?? count;
  let content = false;
  for (let j = 0; j < firstEnd && !content; j++) content = indents[j] !== BLANK;
  if (content) ranges.push([0, firstEnd]);
  markers.forEach((m, k) => ranges.push([m + 1, markers[k + 1] ?? count]));
  // A byte-order mark (U+FEFF) opening a line is skipped by the yaml package while no document
  // has begun (before the first content line of the text), and is content everywhere else; a
  // document handed to it alone would have such a mark skipped too. So a mark opening the first
  // content line of a document (after blank and comment lines) goes to the yaml package, whole.
  // A document whose only lines are blank, comments or tab-indented blank lines holds nothing
  // the yaml package reads alone as it does in the stream (alone: no document at all; in the
  // stream: null, or an error for a tab ending the text): the whole text goes to it too.
  for (const [from, to] of ranges) {
    let j = from;
    while (j < to && indents[j] === BLANK) j++;
    if (j < to && text.charCodeAt(starts[j]!) === 0xfeff) giveUp();
    let k = j;
    while (k < to && (indents[k] === BLANK || (indents[k] === TABBED && isBlankTabbed(text, starts[k]!, ends[k]!)))) k++;
    if (k === to && j < to) giveUp();
  }
  return { lines: { text, starts, ends, indents }, ranges };
}

/**
 * A document the fast reader could not read: where it is in the text (so that the caller can
 * hand that part alone to the `yaml` package) and where the reader stopped.
 *
 * @example
 * // for 'a: 1\n---\nb: &x 2\n': { index: 2, text: 'b: &x 2\n', firstLine: 3, stopLine: 3 }
 */
export interface SkippedDocument {
  /** Document number in the file, from 1. */
  readonly index: number;
  /** The document's text (from the line after its `---` marker to the next marker). */
  readonly text: string;
  /** Line (1-based) of the document's first line in the file. */
  readonly firstLine: number;
  /** Line (1-based) where the fast reader stopped. */
  readonly stopLine: number;
  /**
   * Set when the reader stopped because the document nests deeper than the limit
   * (`limits.ts`' `MAX_DEPTH`): the line and column (1-based) where it went past it.
   */
  readonly tooDeep?: { readonly line: number; readonly column: number };
}

/**
 * Reads the documents of `text` one at a time and in order: each document in the supported
 * subset goes to `onDocument` (with its number, from 1) as soon as it is read; each other
 * document goes to `onSkipped`, which may read it another way (documents are split at `---`
 * lines, which end a document in any YAML reader). Returns false, having called nothing, when
 * the text as a whole leaves the subset (directives, `...` markers, a lone CR line break): the
 * caller then reads it whole another way. A callback returning false stops the reading (the
 * result is then true). Errors thrown by the callbacks are not caught.
 *
 * Time and memory are linear in the text's length: each line is looked at a bounded number of
 * times, and nesting past 64 levels is left to `onSkipped`.
 *
 * @example
 * fastEachDocument('a: 1\n---\nb: &x 2\n', (doc, n) => console.log(n, doc), (skipped) => console.log(skipped.firstLine)); // true
 */
export function fastEachDocument(
  text: string,
  onDocument: (value: unknown, index: number) => boolean | void,
  onSkipped: (skipped: SkippedDocument) => boolean | void,
): boolean {
  let prepared: Prepared;
  try {
    prepared = prepare(text);
  } catch {
    return false;
  }
  const { lines, ranges } = prepared;
  const cur = cursor();
  for (let k = 0; k < ranges.length; k++) {
    const [from, to] = ranges[k]!;
    const reader = new Reader(lines, from, to, cur);
    let value: unknown;
    let ok = true;
    let deep: TooDeep | undefined;
    try {
      value = reader.document();
    } catch (e) {
      // GIVE_UP, or anything unexpected (even a stack overflow): another reader decides.
      ok = false;
      if (e instanceof TooDeep) deep = e;
    }
    if (ok) {
      if (onDocument(value, k + 1) === false) return true;
      continue;
    }
    const start = lines.starts[from] ?? lines.text.length;
    const end = to < lines.starts.length ? lines.starts[to]! : lines.text.length;
    const stop = Math.min(Math.max(reader.line, from), to - 1);
    const tooDeep = deep !== undefined ? positionIn(lines, deep.offset) : undefined;
    const skipped: SkippedDocument = { index: k + 1, text: lines.text.slice(start, end), firstLine: from + 1, stopLine: stop + 1, ...(tooDeep ? { tooDeep } : {}) };
    if (onSkipped(skipped) === false) return true;
  }
  return true;
}

/** 1-based line and column of an offset (a binary search over the line starts). */
function positionIn(lines: Lines, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lines.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lines.starts[lo]! + 1 };
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
  let all = true;
  const read = fastEachDocument(
    text,
    (v, k) => onDocument(v, k),
    () => {
      all = false;
      return false;
    },
  );
  return read && all;
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
