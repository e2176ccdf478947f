/**
 * A unified diff of two lists of lines (as `diff -u` prints it, three lines of context), with
 * an injected equality so that `# match:` lines compare as regular expressions.
 *
 * Cost: O(n·m) time and memory for the longest common subsequence, on outputs of lab size; past
 * 4 million cells the lines after the common head and tail are shown as replaced whole.
 *
 * @module
 */

/**
 * Options of {@link unifiedDiff}.
 *
 * @example
 * const o: DiffOptions = { from: 'lab.script:12 (expected)', to: 'lab.script:12 (got)' };
 */
export interface DiffOptions {
  /** The `---` header. */
  readonly from: string;
  /** The `+++` header. */
  readonly to: string;
  /** Number of the first `a` line in hunk headers (default 1). */
  readonly fromStart?: number;
  /** Lines of context (default 3). */
  readonly context?: number;
}

type Op = { readonly tag: ' ' | '-' | '+'; readonly a: number; readonly b: number };

function ops(a: readonly string[], b: readonly string[], eq: (i: number, j: number) => boolean): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && eq(head, head)) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && eq(a.length - 1 - tail, b.length - 1 - tail)) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  const out: Op[] = [];
  for (let i = 0; i < head; i++) out.push({ tag: ' ', a: i, b: i });
  if (n * m > 4_000_000) {
    for (let i = 0; i < n; i++) out.push({ tag: '-', a: head + i, b: head });
    for (let j = 0; j < m; j++) out.push({ tag: '+', a: head + n, b: head + j });
  } else {
    // lcs[i][j]: length of the LCS of a[head+i..] and b[head+j..]
    const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = eq(head + i, head + j) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && eq(head + i, head + j)) {
        out.push({ tag: ' ', a: head + i, b: head + j });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        out.push({ tag: '-', a: head + i, b: head + j });
        i++;
      } else {
        out.push({ tag: '+', a: head + i, b: head + j });
        j++;
      }
    }
  }
  for (let k = 0; k < tail; k++) out.push({ tag: ' ', a: a.length - tail + k, b: b.length - tail + k });
  return out;
}

/**
 * The unified diff of `a` (expected) and `b` (got); empty when they are equal.
 *
 * @example
 * ```ts
 * unifiedDiff(['x', 'y'], ['x', 'z'], (i, j) => ['x', 'y'][i] === ['x', 'z'][j], { from: 'a', to: 'b' });
 * // '--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n'
 * ```
 */
export function unifiedDiff(a: readonly string[], b: readonly string[], eq: (i: number, j: number) => boolean, options: DiffOptions): string {
  const all = ops(a, b, eq);
  if (all.every((o) => o.tag === ' ')) return '';
  const context = options.context ?? 3;
  const start = options.fromStart ?? 1;
  const changed = all.map((o, k) => (o.tag !== ' ' ? k : -1)).filter((k) => k >= 0);
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(all.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else hunks.push([lo, hi]);
  }
  let out = `--- ${options.from}\n+++ ${options.to}\n`;
  for (const [lo, hi] of hunks) {
    const slice = all.slice(lo, hi + 1);
    const aLines = slice.filter((o) => o.tag !== '+');
    const bLines = slice.filter((o) => o.tag !== '-');
    const aStart = (aLines[0]?.a ?? slice[0]!.a) + (aLines.length === 0 ? 0 : 1);
    const bStart = (bLines[0]?.b ?? slice[0]!.b) + (bLines.length === 0 ? 0 : 1);
    out += `@@ -${aStart + start - 1},${aLines.length} +${bStart},${bLines.length} @@\n`;
    for (const o of slice) out += `${o.tag}${o.tag === '+' ? b[o.b] : a[o.a]}\n`;
  }
  return out;
}
