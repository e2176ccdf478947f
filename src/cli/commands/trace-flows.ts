/**
 * `cilium-twin -f … trace --flows FILE|- [--summary] [-o json]`: many flows at once, one JSON
 * line per flow (`{"from": "router", "to": "172.16.1.1:80/TCP", "sport": 40001}`, the fields of
 * the single-flow form: `from`, `to`, `sport`, `interface`). With `-o json`, one JSON contract
 * line per valid flow (the single trace's `-o json`, on one line); otherwise (or with
 * `--summary`) a table of counts by verdict, reason, entry node and backend. Invalid lines are
 * reported on standard error with their line number while the others still run; the exit code
 * is then 1.
 *
 * @module
 */
import type { CommandContext, CommandResult } from '../command.js';
import { ok, twinOf, usageError } from '../command.js';
import { BulkTracer, FlowSummary, parseFlows } from '../../packet/index.js';
import { traceJson } from '../../packet/trace.js';
import { flowSummaryJson, renderFlowSummary } from '../../views/flows.js';

/**
 * True when the words of `trace` select the bulk form (`--flows`).
 *
 * @example
 * wantsFlows(["--flows", "f.jsonl"]); // true
 */
export function wantsFlows(args: readonly string[]): boolean {
  return args.some((a) => a === '--flows' || a.startsWith('--flows='));
}

/**
 * Runs `trace --flows`.
 *
 * @example
 * ```ts
 * traceFlows({ cluster, args: ['--flows', 'flows.jsonl', '--summary'], json: false, readText });
 * ```
 */
export function traceFlows(ctx: CommandContext): CommandResult {
  let file: string | undefined;
  let summary = false;
  let json = ctx.json;
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i]!;
    if (a === '--flows') {
      file = ctx.args[++i];
      if (file === undefined) return usageError('trace: --flows needs a file (or - for standard input)');
    } else if (a.startsWith('--flows=')) file = a.slice('--flows='.length);
    else if (a === '--summary') summary = true;
    else if (a === '-o' || a === '--output') {
      if (ctx.args[++i] !== 'json') return usageError('trace: -o supports json only');
      json = true;
    } else if (a === '-ojson' || a === '--output=json') json = true;
    else return usageError(`trace: ${a} does not go with --flows (the flows file gives from, to, sport and interface)`);
  }
  if (file === undefined || file === '') return usageError('trace: --flows needs a file (or - for standard input)');
  if (ctx.readText === undefined) return usageError('trace: --flows cannot read files here');
  const text = ctx.readText(file);
  if (text._tag === 'Left') return usageError(`trace: ${text.left}`);

  // The twin's network: a node's maps are compiled when a flow first reaches that node; the bulk
  // fast path fills later flows of a class in from its templates (packet/bulk.ts).
  const net = twinOf(ctx).network();
  const errors: string[] = [];
  const name = file === '-' ? '<stdin>' : file;
  const out: string[] = [];
  const sum = new FlowSummary(net);
  const bulk = new BulkTracer(net);
  for (const f of parseFlows(text.right)) {
    if (f.error !== undefined) {
      errors.push(`${name}:${f.line}: ${f.error}`);
      sum.addInvalid();
      continue;
    }
    const r = bulk.trace(f.request);
    if (json && !summary) out.push(JSON.stringify(traceJson(r)));
    else sum.add(r);
  }
  const stdout = json && !summary ? (out.length > 0 ? `${out.join('\n')}\n` : '') : json ? `${JSON.stringify(flowSummaryJson(sum), null, 2)}\n` : renderFlowSummary(sum);
  if (errors.length === 0) return ok(stdout);
  const n = errors.length;
  return { stdout, stderr: `${errors.join('\n')}\ntrace: ${n} invalid line${n === 1 ? '' : 's'} left out\n`, exitCode: 1 };
}
