/**
 * `cilium-twin -f … trace --from SOURCE --to ADDR:PORT[/PROTO] [--sport N] [--interface ADDR]
 * [-o json]`: walks one request hop by hop and prints the verdict.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, twinOf, usageError } from '../command.js';
import { parseDestination } from '../../packet/trace.js';
import { recordFlows } from './flow-log.js';
import type { TraceRequest } from '../../packet/types.js';
import { traceFlows, wantsFlows } from './trace-flows.js';
import { renderTrace, renderTraceJson } from '../../views/trace.js';

/**
 * Parses the trace command's words into a request, or returns a usage error.
 *
 * @example
 * ```ts
 * parseTraceArgs(['--from', 'router', '--to', '172.16.1.1:80']); // { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' }
 * ```
 */
export function parseTraceArgs(args: readonly string[]): { request: TraceRequest } | string {
  let from: string | undefined;
  let to: string | undefined;
  let sport: number | undefined;
  let iface: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--from':
        from = value();
        break;
      case '--to':
        to = value();
        break;
      case '--sport': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1 || v > 65535) return `trace: --sport needs a port 1..65535`;
        sport = v;
        break;
      }
      case '--interface':
        iface = value();
        break;
      default:
        return `trace: unknown argument ${a}`;
    }
  }
  if (from === undefined) return 'trace: --from SOURCE is required';
  if (to === undefined) return 'trace: --to ADDR:PORT[/PROTO] is required';
  const d = parseDestination(to);
  if (d === undefined) return `trace: --to must be ADDR:PORT[/TCP|UDP|SCTP] or [IPV6]:PORT[/PROTO], got ${to}`;
  return {
    request: {
      from,
      dst: d.dst,
      dport: d.dport,
      protocol: d.protocol,
      ...(sport !== undefined ? { sport } : {}),
      ...(iface !== undefined ? { srcAddress: iface } : {}),
    },
  };
}

/**
 * `trace` (cluster scope).
 *
 * @example
 * ```ts
 * traceCommand.run({ cluster, args: ['--from', 'router', '--to', '172.16.1.1:80'], json: false });
 * ```
 */
export const traceCommand: Command = {
  path: ['trace'],
  formats: ['json'],
  scope: 'cluster',
  summary: 'Walk one request from a client to its answer, hop by hop, with the verdict',
  help: `Usage: trace --from SOURCE --to ADDR:PORT[/PROTO]|[IPV6]:PORT[/PROTO] [--sport N] [--interface ADDR] [-o json]
       trace --flows FILE|- [--summary] [-o json]

Walks a request through the modelled network: the client's routing (or a pod's socket-level
service translation), every host's route lookup and ECMP choice, Cilium's datapath on each node
(service lookup, backend choice, SNAT or DSR, masquerading, tunnels), the server's answer and the
way back. Prints each hop (Hubble-like lines on Cilium nodes), the verdict (FORWARDED, or DROPPED
with Cilium's drop reason or a network reason), the backend, what the backend saw and the reply.

SOURCE is a host or node name, a pod as namespace/name, or a pod name that is unique.
--sport sets the client's source port (default 40000); --interface binds the source address.
-o json prints the stable contract: {verdict, reason, request, backend, seenByBackend, reply, hops}.

--flows FILE (- for standard input) traces many flows, one JSON object per line with the fields
of the single form: {"from": "router", "to": "172.16.1.1:80/TCP", "sport": 40001, "interface": ADDR}
(from and to required). It prints a table of counts by verdict, reason, entry node and backend;
with -o json, one contract line per flow instead (--summary -o json: the table as JSON). Invalid
lines are reported on standard error with their line number, the others still run (exit code 1).

Example: cilium-twin -f lab/ -f variants/webpod-2.yaml -f variants/pod-routes.yaml -f variants/lb.yaml trace --from router --to 172.16.1.1:80`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, traceCommand);
    if ('exitCode' in o) return o;
    if (wantsFlows(o.rest)) return traceFlows({ ...ctx, args: o.rest, json: o.output === 'json', output: o.output });
    const parsed = parseTraceArgs(o.rest);
    if (typeof parsed === 'string') return usageError(parsed);
    const r = twinOf(ctx).trace(parsed.request);
    recordFlows(twinOf(ctx), r);
    return ok(o.output === 'json' ? renderTraceJson(r) : renderTrace(parsed.request, r));
  },
};
