/**
 * Go's `text/tabwriter` (left-aligned, space padding), as the cilium CLI and cilium-dbg use it
 * (`NewWriter(out, 5, 0, 3, ' ', 0)`): tab-terminated cells in consecutive lines form a column,
 * padded to the widest cell plus the padding (at least the minimum width); the last cell of a
 * line is not part of a column. Like Go, a line ending in a tab leaves trailing spaces.
 *
 * @module
 */

/** Parameters of {@link tabwrite}. */
export interface TabwriterOptions {
  /** Minimal cell width including padding. */
  readonly minwidth: number;
  /** Padding added to a cell's width. */
  readonly padding: number;
}

/** The cilium CLI's and cilium-dbg's parameters: min width 5, padding 3. */
export const CILIUM_TABWRITER: TabwriterOptions = { minwidth: 5, padding: 3 };

const width = (s: string): number => [...s].length;

/**
 * Formats tab-separated text the way Go's tabwriter does (flushed at the end).
 *
 * @example
 * ```ts
 * tabwrite('Node\tVRouter\nk8s-ctr\t65001\n'); // 'Node      VRouter\nk8s-ctr   65001\n'
 * ```
 */
export function tabwrite(text: string, opts: TabwriterOptions = CILIUM_TABWRITER): string {
  const trailingNewline = text.endsWith('\n');
  const body = trailingNewline ? text.slice(0, -1) : text;
  const lines = body.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const writeLines = (line0: number, line1: number, widths: readonly number[]): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i] ?? [];
      let s = '';
      line.forEach((cell, j) => {
        s += cell;
        const w = widths[j];
        if (j < line.length - 1 && w !== undefined) s += ' '.repeat(Math.max(0, w - width(cell)));
      });
      out.push(s);
    }
  };
  const format = (line0: number, line1: number, widths: readonly number[]): void => {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      const line = lines[i] ?? [];
      if (column >= line.length - 1) continue;
      writeLines(line0, i, widths);
      line0 = i;
      let w = opts.minwidth;
      for (; i < line1; i++) {
        const l = lines[i] ?? [];
        if (column >= l.length - 1) break;
        const cw = width(l[column] ?? '') + opts.padding;
        if (cw > w) w = cw;
      }
      format(line0, i, [...widths, w]);
      line0 = i;
    }
    writeLines(line0, line1, widths);
  };
  format(0, lines.length, []);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
