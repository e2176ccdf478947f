/**
 * The filters a lab note puts after `|`: `grep [-v] [-E] [-F] [-i] [-c] [-A N] [-B N] PATTERN`,
 * `sort [-r] [-n] [-u]`, `uniq [-c]`, `head [-n N | -N]`, `tail [-n N | -N]`, `wc -l`,
 * `awk '{print $N[, $M…]}'` (also `$0` and `$NF`), `cat`. Each is a pure function of the text,
 * as GNU coreutils prints it (`uniq -c` pads counts to 7 columns, `grep -A` separates groups
 * with `--`).
 *
 * Cost: linear in the text (`sort`: n log n).
 *
 * @module
 */
import { compareStrings } from '../net/compare.js';

/**
 * A filter: text in, text out; or an error message (unknown filter or option).
 *
 * @example
 * const f = parseFilter(['grep', '-c', '65001']);
 * if (typeof f !== 'string') f('a 65001\nb\n'); // '1\n'
 */
export type Filter = (text: string) => string;

function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

function join(l: readonly string[]): string {
  return l.length === 0 ? '' : `${l.join('\n')}\n`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A basic regular expression (grep without -E) as a JavaScript one: `\|`, `\+`, `\?`, `\(`, `\)` are operators, bare ones literal. */
function basicToExtended(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const d = re[i + 1]!;
      if ('|+?(){}'.includes(d)) out += d;
      else out += `\\${d}`;
      i++;
    } else if ('|+?(){}'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

function count(arg: string | undefined, flag: string): number | string {
  if (arg === undefined || !/^\d+$/.test(arg)) return `${flag} needs a number, got ${arg === undefined ? 'nothing' : JSON.stringify(arg)}`;
  return Number(arg);
}

function grep(args: readonly string[]): Filter | string {
  let invert = false;
  let extended = false;
  let fixed = false;
  let ignoreCase = false;
  let countOnly = false;
  let after = 0;
  let before = 0;
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (pattern === undefined && a.startsWith('-') && a.length > 1) {
      if (a === '-A' || a === '-B') {
        const n = count(args[++i], a);
        if (typeof n === 'string') return `grep: ${n}`;
        if (a === '-A') after = n;
        else before = n;
        continue;
      }
      if (/^-[AB]\d+$/.test(a)) {
        if (a[1] === 'A') after = Number(a.slice(2));
        else before = Number(a.slice(2));
        continue;
      }
      if (a === '-e') {
        pattern = args[++i];
        continue;
      }
      for (const f of a.slice(1)) {
        if (f === 'v') invert = true;
        else if (f === 'E') extended = true;
        else if (f === 'F') fixed = true;
        else if (f === 'i') ignoreCase = true;
        else if (f === 'c') countOnly = true;
        else return `grep: unsupported option -${f} (supported: -v -E -F -i -c -A N -B N)`;
      }
    } else if (pattern === undefined) pattern = a;
    else return `grep: reads only its input, not the file ${JSON.stringify(a)}`;
  }
  if (pattern === undefined) return 'grep: which pattern?';
  let re: RegExp;
  try {
    re = new RegExp(fixed ? escapeRegExp(pattern) : extended ? pattern : basicToExtended(pattern), ignoreCase ? 'i' : '');
  } catch (e) {
    return `grep: bad pattern: ${e instanceof Error ? e.message : String(e)}`;
  }
  return (text) => {
    const l = lines(text);
    const hit = l.map((x) => re.test(x) !== invert);
    if (countOnly) return `${hit.filter(Boolean).length}\n`;
    if (after === 0 && before === 0) return join(l.filter((_, i) => hit[i]));
    const keep = new Array<boolean>(l.length).fill(false);
    hit.forEach((h, i) => {
      if (!h) return;
      for (let k = Math.max(0, i - before); k <= Math.min(l.length - 1, i + after); k++) keep[k] = true;
    });
    const out: string[] = [];
    let last = -2;
    keep.forEach((k, i) => {
      if (!k) return;
      if (last >= 0 && i > last + 1) out.push('--');
      out.push(l[i]!);
      last = i;
    });
    return join(out);
  };
}

function sortFilter(args: readonly string[]): Filter | string {
  let reverse = false;
  let numeric = false;
  let unique = false;
  for (const a of args) {
    if (!a.startsWith('-')) return `sort: reads only its input, not the file ${JSON.stringify(a)}`;
    for (const f of a.slice(1)) {
      if (f === 'r') reverse = true;
      else if (f === 'n') numeric = true;
      else if (f === 'u') unique = true;
      else return `sort: unsupported option -${f} (supported: -r -n -u)`;
    }
  }
  return (text) => {
    let l = lines(text);
    l = [...l].sort((a, b) => {
      if (numeric) {
        const d = (parseFloat(a) || 0) - (parseFloat(b) || 0);
        if (d !== 0) return d;
      }
      return compareStrings(a, b);
    });
    if (reverse) l.reverse();
    if (unique) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
    return join(l);
  };
}

function uniq(args: readonly string[]): Filter | string {
  let withCount = false;
  for (const a of args) {
    if (a === '-c') withCount = true;
    else return `uniq: unsupported argument ${JSON.stringify(a)} (supported: -c)`;
  }
  return (text) => {
    const out: [string, number][] = [];
    for (const x of lines(text)) {
      const last = out[out.length - 1];
      if (last && last[0] === x) last[1]++;
      else out.push([x, 1]);
    }
    return join(out.map(([x, n]) => (withCount ? `${String(n).padStart(7)} ${x}` : x)));
  };
}

function headTail(name: 'head' | 'tail', args: readonly string[]): Filter | string {
  let n = 10;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') {
      const v = count(args[++i], '-n');
      if (typeof v === 'string') return `${name}: ${v}`;
      n = v;
    } else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
    else return `${name}: unsupported argument ${JSON.stringify(a)} (supported: -n N, -N)`;
  }
  return (text) => {
    const l = lines(text);
    return join(name === 'head' ? l.slice(0, n) : l.slice(Math.max(0, l.length - n)));
  };
}

function wc(args: readonly string[]): Filter | string {
  if (args.length !== 1 || args[0] !== '-l') return 'wc: only wc -l is supported';
  return (text) => `${lines(text).length}\n`;
}

function awk(args: readonly string[]): Filter | string {
  const program = args.length === 1 ? args[0]!.trim() : undefined;
  const m = program === undefined ? null : /^\{\s*print\s+(.*?)\s*;?\s*\}$/.exec(program);
  if (!m) return `awk: only '{print $N[, $M...]}' is supported`;
  const fields = m[1]!.split(/\s*,\s*|\s+/).filter((f) => f !== '');
  const refs: (number | 'NF')[] = [];
  for (const f of fields) {
    if (f === '$NF') refs.push('NF');
    else if (/^\$\d+$/.test(f)) refs.push(Number(f.slice(1)));
    else return `awk: cannot print ${JSON.stringify(f)} (only $N and $NF)`;
  }
  const commaSeparated = m[1]!.includes(',');
  return (text) =>
    join(
      lines(text).map((line) => {
        const parts = line.trim() === '' ? [] : line.trim().split(/[ \t]+/);
        const values = refs.map((r) => (r === 'NF' ? (parts[parts.length - 1] ?? '') : r === 0 ? line : (parts[r - 1] ?? '')));
        return values.join(commaSeparated ? ' ' : '');
      }),
    );
}

/**
 * Reads one pipeline stage after `|` into a filter, or an error message.
 *
 * @example
 * ```ts
 * const f = parseFilter(['awk', '{print $1}']);
 * if (typeof f !== 'string') f('a b\nc d\n'); // 'a\nc\n'
 * ```
 */
export function parseFilter(words: readonly string[]): Filter | string {
  const [name, ...args] = words;
  switch (name) {
    case 'grep':
      return grep(args);
    case 'egrep':
      return grep(['-E', ...args]);
    case 'sort':
      return sortFilter(args);
    case 'uniq':
      return uniq(args);
    case 'head':
      return headTail('head', args);
    case 'tail':
      return headTail('tail', args);
    case 'wc':
      return wc(args);
    case 'awk':
      return awk(args);
    case 'cat':
      return args.length === 0 ? (t) => t : 'cat: reads only its input';
    default:
      return `unknown filter "${name ?? ''}" after | (filters: grep, sort, uniq, head, tail, wc -l, awk '{print $N}', cat)`;
  }
}
