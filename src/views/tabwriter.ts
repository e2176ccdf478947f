/**
 * Go's `text/tabwriter` with space padding and flags 0, which `cilium-dbg`, the cilium CLI and
 * `kubectl` print their tables with. Cells are tab-terminated; a column block is a run of
 * consecutive lines that have a cell in that column; each cell is padded to the block's widest
 * cell (in code points) plus `padding`, at least `minwidth`. The text after a line's last tab is
 * not a cell and is not padded, so a line ending in a tab keeps its trailing padding, as in Go.
 * With space padding, Go's `tabwidth` has no effect; the flags (`AlignRight`,
 * `DiscardEmptyColumns`, `TabIndent`, …) are not modelled: none of these tools sets them.
 *
 * @module
 */

/**
 * Options of {@link tabwrite}, as `tabwriter.NewWriter(out, minwidth, tabwidth, padding, ' ', 0)`.
 *
 * @example
 * tabwrite(['a\tb\t'], { minwidth: 5, padding: 3 });
 */
export interface TabwriterOptions {
  /** Minimal cell width including padding. */
  readonly minwidth: number;
  /** Padding added to each cell. */
  readonly padding: number;
}

/**
 * `cilium-dbg`'s and the cilium CLI's writer: `tabwriter.NewWriter(os.Stdout, 5, 0, 3, ' ', 0)`.
 *
 * @example
 * tabwrite(['ID\tName\t'], CILIUM_TABWRITER);
 */
export const CILIUM_TABWRITER: TabwriterOptions = { minwidth: 5, padding: 3 };

/**
 * `kubectl`'s writer: `tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)`.
 *
 * @example
 * tabwrite(['NAME\tAGE'], KUBECTL_TABWRITER);
 */
export const KUBECTL_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };

/** Code points in `s` (a surrogate pair counts once, as iterating the string does). */
function width(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Formats text exactly as Go's tabwriter would (flushed at the end). Given lines, each line is
 * written with a trailing newline; given a text, its newlines are kept as they are (a last line
 * without a newline stays without one).
 *
 * @example
 * tabwrite(['ID\tName\t', '1\tweb\t'], CILIUM_TABWRITER); // 'ID   Name   \n1    web    \n'
 * tabwrite('Node\tVRouter\nk8s-ctr\t65001\n'); // 'Node      VRouter\nk8s-ctr   65001\n'
 */
export function tabwrite(input: string | readonly string[], opts: TabwriterOptions = CILIUM_TABWRITER): string {
  if (typeof input === 'string') {
    const trailingNewline = input.endsWith('\n');
    const lines = (trailingNewline ? input.slice(0, -1) : input).split('\n');
    return formatLines(lines, opts).join('\n') + (trailingNewline ? '\n' : '');
  }
  return formatLines(input, opts)
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * {@link tabwrite} of lines made of tab-terminated cells (`cells.join('\t') + '\t'` per row),
 * without building or splitting the lines: when every row has the same number of cells and no
 * cell holds a tab or a newline, Go's tabwriter makes one block per column, each as wide as its
 * widest cell plus padding (at least `minwidth`), so the columns are measured in one pass.
 * Other input goes through {@link tabwrite}. For dumps of 100,000 rows (`bpf lb list`).
 *
 * @example
 * ```ts
 * import { tabwriteRows, tabwrite, CILIUM_TABWRITER } from 'cilium-twin/views';
 * tabwriteRows([['ID', 'Name'], ['1', 'web']], CILIUM_TABWRITER) === tabwrite(['ID\tName\t', '1\tweb\t'], CILIUM_TABWRITER); // true
 * ```
 */
export function tabwriteRows(rows: readonly (readonly string[])[], opts: TabwriterOptions = CILIUM_TABWRITER): string {
  const n = rows[0]?.length ?? 0;
  const widths = new Array<number>(n).fill(opts.minwidth);
  let uniform = n > 0;
  for (const row of rows) {
    if (row.length !== n) {
      uniform = false;
      break;
    }
    for (let j = 0; j < n; j++) {
      const c = row[j]!;
      if (c.includes('\t') || c.includes('\n')) {
        uniform = false;
        break;
      }
      const w = width(c) + opts.padding;
      if (w > widths[j]!) widths[j] = w;
    }
    if (!uniform) break;
  }
  if (!uniform) return tabwrite(rows.map((r) => `${r.join('\t')}\t`), opts);
  const parts: string[] = [];
  for (const row of rows) {
    let s = '';
    for (let j = 0; j < n; j++) {
      const c = row[j]!;
      s += c + ' '.repeat(widths[j]! - width(c));
    }
    parts.push(s);
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/** Go's `Writer.format` and `Writer.writeLines`: the padded lines, without newlines. */
function formatLines(lines: readonly string[], opts: TabwriterOptions): string[] {
  const cells = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = cells[i]!;
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        s += c;
        if (j < widths.length && j < line.length - 1) s += ' '.repeat(Math.max(0, widths[j]! - width(c)));
      }
      out.push(s);
    }
  };

  const format = (line0In: number, line1: number): void => {
    let line0 = line0In;
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= cells[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = opts.minwidth;
      let end = t;
      for (; end < line1; end++) {
        const line = cells[end]!;
        if (column >= line.length - 1) break;
        const cw = width(line[column]!) + opts.padding;
        if (cw > w) w = cw;
      }
      widths.push(w);
      format(line0, end);
      widths.pop();
      line0 = end;
      t = end - 1;
    }
    writeLines(line0, line1);
  };

  format(0, cells.length);
  return out;
}
