/**
 * Go regular expressions (RE2 syntax, `regexp.Compile`) read into JavaScript `RegExp`s, for the
 * fields Cilium matches with Go's `regexp` (a `CiliumL2AnnouncementPolicy`'s `interfaces`).
 *
 * What it checks as Go's parser does, with Go's error text (`error parsing regexp: …`):
 * unbalanced parentheses and brackets, a repetition with nothing to repeat, nested repetition
 * (`a**`), inverted class ranges, repeat counts over 1000, unknown escapes (`\y`),
 * back-references (`\1`), a trailing backslash, and Perl look-arounds (`(?=`, `(?!`, `(?<=`,
 * `(?<!`), which RE2 does not have. What it translates: `\A` and `\z` (to `^` and `$`; without the
 * `m` flag JavaScript's `$` is the end of text too), `\Q…\E` literals, `(?P<name>…)`, POSIX
 * classes inside brackets (`[[:alpha:]]`), and leading flag groups `(?i)`, `(?s)`, `(?m)`.
 * Matching is unanchored, as Go's `MatchString`. Not supported (reported as errors naming the
 * limitation): flag groups after the start (`a(?i)b`, `(?i:…)`), the ungreedy flag `U`, and
 * Unicode classes `\p{…}`. Linear in the pattern's length.
 *
 * @module
 */

/**
 * A Go regular expression, compiled; or Go's error.
 *
 * @example
 * ```ts
 * const r = compileGoRegexp('^eth[0-9]+'); // { ok: true, regexp: /^eth[0-9]+/ }
 * ```
 */
export type GoRegexp = { readonly ok: true; readonly regexp: RegExp } | { readonly ok: false; readonly error: string };

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const SIMPLE_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W', 'a', 'f', 't', 'n', 'r', 'v']);

function fail(code: string, arg: string): GoRegexp {
  return { ok: false, error: `error parsing regexp: ${code}: \`${arg}\`` };
}

function escapeJs(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Compiles a Go (RE2) regular expression into a JavaScript `RegExp` with the same matches on
 * ASCII text, or returns Go's error (see the module doc for what is checked and translated).
 *
 * @example
 * ```ts
 * compileGoRegexp('eth(?=0)'); // { ok: false, error: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' }
 * compileGoRegexp('[a'); // { ok: false, error: 'error parsing regexp: missing closing ]: `[a`' }
 * ```
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  let out = '';
  let flags = '';
  let i = 0;
  const n = pattern.length;
  // leading flag groups: (?i) (?s) (?m) (?is) …
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of m[1]!) {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else if (f === 'U') return { ok: false, error: `the ungreedy flag (?U) is not supported by the model: \`${m[0]}\`` };
      else return fail('invalid or unsupported Perl syntax', m[0].slice(0, 3));
    }
    i += m[0].length;
  }
  const parens: number[] = [];
  // whether the last item can be repeated, and whether it is itself a repetition
  let atom = false;
  let repeated = false;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) return { ok: false, error: 'error parsing regexp: trailing backslash at end of expression: ``' };
      if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        out += [...lit].map(escapeJs).join('');
        i = end < 0 ? n : end + 2;
        atom = lit.length > 0;
        repeated = false;
        continue;
      }
      if (e === 'A') out += '^';
      else if (e === 'z') out += '$';
      else if (e === 'b' || e === 'B') out += `\\${e}`;
      else if (SIMPLE_ESCAPES.has(e)) out += e === 'a' ? '\\x07' : `\\${e}`;
      else if (e === 'x') {
        const m = /^x(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{2})/.exec(pattern.slice(i + 1));
        if (!m) return fail('invalid escape sequence', pattern.slice(i, i + 4));
        const hex = m[1]!.replace(/[{}]/g, '');
        const code = parseInt(hex, 16);
        out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : escapeJs(String.fromCodePoint(code));
        i += 1 + m[0].length;
        atom = true;
        repeated = false;
        continue;
      } else if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,3}/.exec(pattern.slice(i + 1))![0];
        if (e !== '0' && m.length === 1) return fail('invalid escape sequence', `\\${e}`);
        out += `\\x${parseInt(m, 8).toString(16).padStart(2, '0')}`;
        i += 1 + m.length;
        atom = true;
        repeated = false;
        continue;
      } else if (e === 'p' || e === 'P') return { ok: false, error: `Unicode classes are not supported by the model: \`\\${e}\`` };
      else if (/[0-9A-Za-z_]/.test(e) || e.charCodeAt(0) > 0x7f) return fail('invalid escape sequence', `\\${e}`);
      else out += escapeJs(e);
      atom = e !== 'A' && e !== 'z' && e !== 'b' && e !== 'B';
      repeated = false;
      i += 2;
      continue;
    }
    if (c === '[') {
      const start = i;
      let j = i + 1;
      let cls = '[';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      let prev: string | undefined;
      let closed = false;
      while (j < n) {
        const d = pattern[j]!;
        if (d === ']' && !first) {
          closed = true;
          j++;
          break;
        }
        first = false;
        if (d === '[' && pattern[j + 1] === ':') {
          const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(j));
          if (m) {
            const set = POSIX[m[2]!];
            if (set === undefined) return fail('invalid character class range', m[0]);
            if (m[1] === '^') return { ok: false, error: `negated POSIX classes are not supported by the model: \`${m[0]}\`` };
            cls += set;
            j += m[0].length;
            prev = undefined;
            continue;
          }
        }
        let ch = d;
        let text: string;
        if (d === '\\') {
          const e = pattern[j + 1];
          if (e === undefined) return { ok: false, error: 'error parsing regexp: trailing backslash at end of expression: ``' };
          if (SIMPLE_ESCAPES.has(e)) {
            cls += e === 'a' ? '\\x07' : `\\${e}`;
            j += 2;
            prev = undefined;
            continue;
          }
          if (/[0-9A-Za-z_]/.test(e)) return fail('invalid escape sequence', `\\${e}`);
          ch = e;
          text = `\\${e}`;
          j += 2;
        } else {
          text = d === '[' || d === '^' ? `\\${d}` : d;
          j++;
        }
        if (pattern[j] === '-' && pattern[j + 1] !== undefined && pattern[j + 1] !== ']') {
          let hi = pattern[j + 1]!;
          let hiText = hi === '[' ? '\\[' : hi;
          let step = 2;
          if (hi === '\\') {
            const e = pattern[j + 2];
            if (e === undefined || /[0-9A-Za-z_]/.test(e)) return fail('invalid escape sequence', `\\${e ?? ''}`);
            hi = e;
            hiText = `\\${e}`;
            step = 3;
          }
          if (hi < ch) return fail('invalid character class range', `${ch}-${hi}`);
          cls += `${text}-${hiText}`;
          j += step;
          prev = undefined;
          continue;
        }
        prev = ch;
        cls += text;
      }
      void prev;
      if (!closed) return fail('missing closing ]', pattern.slice(start));
      out += `${cls}]`;
      i = j;
      atom = true;
      repeated = false;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const rest = pattern.slice(i);
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
        } else {
          const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
          if (named) {
            out += `(?<${named[1]}>`;
            i += named[0].length;
          } else if (/^\(\?[a-zA-Z-]+[:)]/.test(rest)) {
            return { ok: false, error: `flag groups after the start of the expression are not supported by the model: \`${rest.slice(0, rest.search(/[:)]/) + 1)}\`` };
          } else {
            return fail('invalid or unsupported Perl syntax', rest.slice(0, rest.startsWith('(?<') ? 4 : 3));
          }
        }
      } else {
        out += '(';
        i++;
      }
      parens.push(i);
      atom = false;
      repeated = false;
      continue;
    }
    if (c === ')') {
      if (parens.length === 0) return fail('unexpected )', pattern);
      parens.pop();
      out += ')';
      i++;
      atom = true;
      repeated = false;
      continue;
    }
    if (c === '|') {
      out += '|';
      i++;
      atom = false;
      repeated = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      const rep = c === '{' ? /^\{\d+(,\d*)?\}/.exec(pattern.slice(i))![0] : c;
      if (c === '{') {
        const [lo, hi] = rep.slice(1, -1).split(',');
        const min = Number(lo);
        const max = hi === undefined ? min : hi === '' ? min : Number(hi);
        if (min > 1000 || max > 1000 || max < min) return fail('invalid repeat count', rep);
      }
      if (repeated) return fail('invalid nested repetition operator', pattern.slice(i - 1, i + rep.length));
      if (!atom) return fail('missing argument to repetition operator', rep);
      out += rep;
      i += rep.length;
      if (pattern[i] === '?') {
        out += '?';
        i++;
      }
      repeated = true;
      continue;
    }
    out += c === '/' ? '\\/' : c === '{' || c === '}' ? `\\${c}` : c;
    atom = c !== '^' && c !== '$';
    repeated = false;
    i++;
  }
  if (parens.length > 0) return fail('missing closing )', pattern);
  try {
    return { ok: true, regexp: new RegExp(out, flags) };
  } catch (e) {
    return { ok: false, error: `error parsing regexp: ${(e as Error).message}` };
  }
}
