/**
 * The `trace --flows … --summary` table: counts of flows by verdict, reason, entry node and
 * backend (largest first), then a total line.
 *
 * @module
 */
import type { FlowSummary } from '../packet/flows.js';

/**
 * Renders a flow summary as a table (columns separated by two spaces) and a total line.
 *
 * @example
 * ```ts
 * renderFlowSummary(summary);
 * // COUNT   VERDICT    REASON  ENTRY   BACKEND
 * // 200000  FORWARDED  -       k8s-w1  default/webpod-1
 * //
 * // 200000 flows: 200000 FORWARDED, 0 DROPPED
 * ```
 */
export function renderFlowSummary(summary: FlowSummary): string {
  const header = ['COUNT', 'VERDICT', 'REASON', 'ENTRY', 'BACKEND'];
  const rows = summary.rows().map((r) => [String(r.count), r.verdict, r.reason, r.entry, r.backend]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => all.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  const lines = all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  const dropped = summary.total - summary.forwarded;
  const invalid = summary.invalid > 0 ? `; ${summary.invalid} invalid line${summary.invalid === 1 ? '' : 's'}` : '';
  lines.push('', `${summary.total} flow${summary.total === 1 ? '' : 's'}: ${summary.forwarded} FORWARDED, ${dropped} DROPPED${invalid}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The summary as JSON data (`trace --flows … --summary -o json`).
 *
 * @example
 * ```ts
 * flowSummaryJson(summary).rows[0]?.count; // 200000
 * ```
 */
export function flowSummaryJson(summary: FlowSummary) {
  return { total: summary.total, forwarded: summary.forwarded, dropped: summary.total - summary.forwarded, invalid: summary.invalid, rows: summary.rows() };
}
