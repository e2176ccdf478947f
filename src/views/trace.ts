/**
 * The `trace` views: a person's hop-by-hop reading of a trace, and the stable JSON contract.
 *
 * @module
 */
import type { TraceRequest, TraceResult } from '../packet/types.js';
import { traceJson } from '../packet/trace.js';

/**
 * Renders a trace for a person: the request, each hop (host, event, details: route decisions,
 * Hubble-like lines on Cilium nodes, NAT steps, the answer), then the verdict and the addresses
 * the backend and the client saw.
 *
 * @example
 * ```ts
 * import { renderTrace } from 'cilium-twin';
 * import { createTwin } from 'cilium-twin';
 * declare const cluster: import('cilium-twin').Cluster;
 * const req = { from: 'router', dst: '172.16.1.1', dport: 80 } as const;
 * const r = createTwin(cluster).trace(req);
 * renderTrace(req, r);
 * // 'trace router -> 172.16.1.1:80/TCP\n  1  router  route  172.16.1.1 via …\n…\nverdict: FORWARDED\n…'
 * ```
 */
export function renderTrace(request: TraceRequest, r: TraceResult): string {
  const lines: string[] = [];
  lines.push(`trace ${request.from} -> ${r.request.dst}/${r.request.proto} from ${r.request.src}`);
  const hostW = Math.max(4, ...r.hops.map((h) => h.host.length));
  const eventW = Math.max(5, ...r.hops.map((h) => h.event.length));
  const numW = String(r.hops.length).length;
  r.hops.forEach((h, i) => {
    lines.push(`  ${String(i + 1).padStart(numW)}  ${h.host.padEnd(hostW)}  ${h.event.padEnd(eventW)}  ${h.detail}`);
  });
  lines.push('');
  lines.push(`verdict:         ${r.verdict}${r.reason !== null ? ` (${r.reason})` : ''}`);
  if (r.backend) {
    lines.push(`backend:         ${r.backend.pod ?? r.backend.node}${r.backend.pod ? ` on ${r.backend.node}` : ''} (${r.backend.address})`);
  }
  if (r.seenByBackend) lines.push(`seen by backend: ${r.seenByBackend.src} -> ${r.seenByBackend.dst}`);
  if (r.reply) lines.push(`reply:           ${r.reply.src} -> ${r.reply.dst}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Renders the JSON contract of `trace -o json` (two-space indent, trailing newline):
 * `{verdict, reason, request: {src, dst, proto}, backend: {pod, node, address} | null,
 * seenByBackend: {src, dst} | null, reply: {src, dst} | null, hops: [{host, event, detail}]}`.
 *
 * @example
 * ```ts
 * import { renderTraceJson } from 'cilium-twin';
 * import { createTwin } from 'cilium-twin';
 * declare const cluster: import('cilium-twin').Cluster;
 * const req = { from: 'router', dst: '172.16.1.1', dport: 80 } as const;
 * const r = createTwin(cluster).trace(req);
 * JSON.parse(renderTraceJson(r)).verdict; // 'FORWARDED'
 * ```
 */
export function renderTraceJson(r: TraceResult): string {
  return `${JSON.stringify(traceJson(r), null, 2)}\n`;
}
