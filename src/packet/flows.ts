/**
 * Flows in bulk: JSON lines of trace requests (`{"from": "router", "to": "172.16.1.1:80/TCP",
 * "sport": 40001}`, any field of the single-flow form `trace --from --to --sport --interface`),
 * a trace per flow over one compiled network, and the `sort | uniq -c` a user wants from
 * thousands of them: counts by verdict, reason, entry node and backend.
 *
 * Bulk traces are the single traces of the same flows (a property checks it): {@link traceAll}
 * traces each request on the same network, in order, lazily, through the bulk fast path
 * (`bulk.ts`: per flow class, templates filled in with each flow's source port; the full walk
 * wherever a template does not apply).
 *
 * Complexity: parsing is O(line length) per line; tracing is a few hashes per flow once its
 * class has a template (`bulk.ts`), else the walk's cost (a few route lookups and map reads,
 * independent of the cluster's size once the nodes the flows reach are compiled); {@link FlowSummary} is O(hops to the first node) per flow plus O(rows log rows)
 * to list.
 *
 * @module
 */
import type { Network } from '../network/types.js';
import { parseDestination } from './trace.js';
import { BulkResult, BulkTracer, type FlowSummaryView } from './bulk.js';
import type { L4Protocol, TraceRequest, TraceResult, Verdict } from './types.js';
import { compareStrings } from '../net/compare.js';

/**
 * One line of a flows file: its request, or why it is refused. Blank lines and lines starting
 * with `#` are neither (they are skipped).
 *
 * @example
 * ```ts
 * const f: FlowLine = { line: 1, request: { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' } };
 * ```
 */
export type FlowLine =
  | { readonly line: number; readonly request: TraceRequest; readonly error?: undefined }
  | { readonly line: number; readonly error: string; readonly request?: undefined };

/** The fields a flow line may have (the single-flow form's options). */
export const FLOW_FIELDS: readonly string[] = ['from', 'to', 'sport', 'interface'];

/**
 * Parses one JSON line into a trace request: `from` (a host, node or pod) and `to`
 * (`ADDR:PORT[/TCP|UDP|SCTP]`) are required, `sport` (1..65535) and `interface` (a source
 * address of the client) optional; any other field is an error.
 *
 * @example
 * ```ts
 * parseFlowLine('{"from": "router", "to": "172.16.1.1:80", "sport": 40001}');
 * // { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP', sport: 40001 }
 * parseFlowLine('{"from": "router"}'); // 'missing "to" (ADDR:PORT[/PROTO])'
 * ```
 */
export function parseFlowLine(text: string): TraceRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object {"from": …, "to": …}';
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!FLOW_FIELDS.includes(k)) return `unknown field "${k}" (fields: ${FLOW_FIELDS.join(', ')})`;
  }
  const { from, to, sport, interface: iface } = o;
  if (from === undefined) return 'missing "from" (a host, node or pod)';
  if (typeof from !== 'string' || from === '') return '"from" must be a non-empty string';
  if (to === undefined) return 'missing "to" (ADDR:PORT[/PROTO])';
  if (typeof to !== 'string') return '"to" must be a string ADDR:PORT[/PROTO]';
  const d = parseDestination(to);
  if (d === undefined) return `"to" must be ADDR:PORT[/TCP|UDP|SCTP], got ${JSON.stringify(to)}`;
  if (sport !== undefined && (typeof sport !== 'number' || !Number.isInteger(sport) || sport < 1 || sport > 65535)) {
    return `"sport" must be a port 1..65535, got ${JSON.stringify(sport)}`;
  }
  if (iface !== undefined && typeof iface !== 'string') return '"interface" must be a string (an address of the client)';
  return {
    from,
    dst: d.dst,
    dport: d.dport,
    protocol: d.protocol,
    ...(sport !== undefined ? { sport: sport as number } : {}),
    ...(iface !== undefined ? { srcAddress: iface as string } : {}),
  };
}

/**
 * The flows of a JSON-lines text, one entry per non-blank line that is not a `#` comment, with
 * its 1-based line number: the request, or the error of that line. Lazy: lines are read as the
 * result is iterated. Lines of the common shape are read by a small reader of their own (no
 * `JSON.parse`, no intermediate object); every other line goes through {@link parseFlowLine}, and
 * both give the same answer for every line (a property checks it).
 *
 * @example
 * ```ts
 * [...parseFlows('{"from":"router","to":"172.16.1.1:80"}\nnope\n')].map((f) => f.error ?? 'ok');
 * // ['ok', 'not JSON: …']
 * ```
 */
export function* parseFlows(text: string): Generator<FlowLine> {
  let start = 0;
  let line = 0;
  const dests = new Map<string, Destination | undefined>();
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const fast = fastFlowLine(text, start, end, dests);
    if (fast !== undefined) {
      start = end + 1;
      yield { line, request: fast };
      continue;
    }
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    const r = parseFlowLine(raw);
    yield typeof r === 'string' ? { line, error: r } : { line, request: r };
  }
}

/** Character codes of the fast reader. */
const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;
const TAB = 9;
const CR = 13;

function skipSpace(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR) break;
    i++;
  }
  return i;
}

/** The end (index of the closing quote) of a string without escapes or control characters starting after `i`'s quote, else -1. */
function stringEnd(text: string, i: number, end: number): number {
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j;
    if (c === BACKSLASH || c < 32) return -1;
  }
  return -1;
}

/**
 * The request of a flow line `text[start, end)` in the common shape (an object of `from`, `to`,
 * `sport`, `interface`, each once, strings without escapes, `sport` a plain integer, spaces and
 * tabs between tokens) when it is valid; undefined for anything else (the caller then takes
 * {@link parseFlowLine}, which gives the same request for every line this accepts, and the error
 * of every other).
 */
function fastFlowLine(text: string, start: number, end: number, dests: Map<string, Destination | undefined>): TraceRequest | undefined {
  let i = skipSpace(text, start, end);
  if (text.charCodeAt(i) !== 123 /* { */) return undefined;
  let from: string | undefined;
  let to: string | undefined;
  let sport: number | undefined;
  let iface: string | undefined;
  i = skipSpace(text, i + 1, end);
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const ke = stringEnd(text, i + 1, end);
    if (ke < 0) return undefined;
    const klen = ke - i - 1;
    i = skipSpace(text, ke + 1, end);
    if (text.charCodeAt(i) !== 58 /* : */) return undefined;
    i = skipSpace(text, i + 1, end);
    const c = text.charCodeAt(i);
    if (klen === 5 && text.startsWith('sport', ke - 5)) {
      if (sport !== undefined || c < 49 || c > 57) return undefined; // 1-9: no sign, no leading zero
      let v = 0;
      let j = i;
      for (; j < end; j++) {
        const d = text.charCodeAt(j) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        if (v > 65535) return undefined;
      }
      const after = text.charCodeAt(j);
      if (after === 46 /* . */ || after === 101 /* e */ || after === 69 /* E */) return undefined;
      sport = v;
      i = j;
    } else {
      if (c !== QUOTE) return undefined;
      const ve = stringEnd(text, i + 1, end);
      if (ve < 0) return undefined;
      const v = text.slice(i + 1, ve);
      if (klen === 4 && text.startsWith('from', ke - 4)) {
        if (from !== undefined) return undefined;
        from = v;
      } else if (klen === 2 && text.startsWith('to', ke - 2)) {
        if (to !== undefined) return undefined;
        to = v;
      } else if (klen === 9 && text.startsWith('interface', ke - 9)) {
        if (iface !== undefined) return undefined;
        iface = v;
      } else return undefined;
      i = ve + 1;
    }
    i = skipSpace(text, i, end);
    const sep = text.charCodeAt(i);
    if (sep === 44 /* , */) {
      i = skipSpace(text, i + 1, end);
      continue;
    }
    if (sep !== 125 /* } */ || skipSpace(text, i + 1, end) !== end) return undefined;
    break;
  }
  if (from === undefined || from === '' || to === undefined) return undefined;
  let d = dests.get(to);
  if (d === undefined && !dests.has(to)) {
    d = parseDestination(to);
    if (dests.size < MAX_DESTINATIONS) dests.set(to, d);
  }
  if (d === undefined) return undefined;
  const r: { from: string; dst: string; dport: number; protocol: L4Protocol; sport?: number; srcAddress?: string } = { from, dst: d.dst, dport: d.dport, protocol: d.protocol };
  if (sport !== undefined) r.sport = sport;
  if (iface !== undefined) r.srcAddress = iface;
  return r;
}

/** A parsed `to` (`ADDR:PORT[/PROTO]`). */
type Destination = NonNullable<ReturnType<typeof parseDestination>>;

/** How many distinct `to` texts one {@link parseFlows} remembers parsed. */
const MAX_DESTINATIONS = 65536;

/**
 * The flow in JSON-lines form (the inverse of {@link parseFlowLine}).
 *
 * @example
 * ```ts
 * flowLine({ from: 'router', dst: '172.16.1.1', dport: 80 }); // '{"from":"router","to":"172.16.1.1:80/TCP"}'
 * ```
 */
export function flowLine(r: TraceRequest): string {
  return JSON.stringify({
    from: r.from,
    to: `${r.dst}:${r.dport}/${r.protocol ?? 'TCP'}`,
    ...(r.sport !== undefined ? { sport: r.sport } : {}),
    ...(r.srcAddress !== undefined ? { interface: r.srcAddress } : {}),
  });
}

/**
 * Traces every request on one network, in order, lazily (one result per request as the result
 * is iterated), with the bulk fast path ({@link BulkTracer}: flows of one class share templates
 * for the lifetime of the iteration). The same as calling `trace(net, r)` for each (a property
 * checks it).
 *
 * @example
 * ```ts
 * for (const r of traceAll(net, requests)) if (r.verdict === 'DROPPED') console.log(r.reason);
 * ```
 */
export function* traceAll(net: Network, requests: Iterable<TraceRequest>): Generator<TraceResult> {
  const bulk = new BulkTracer(net);
  for (const r of requests) yield bulk.trace(r);
}

/**
 * The first Cilium node a trace's hops pass through (the node the flow enters the cluster at,
 * or a pod client's own node), or `-` when it reached none.
 *
 * @example
 * ```ts
 * entryNode(net, trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 })); // 'k8s-w1'
 * ```
 */
export function entryNode(net: Network, r: TraceResult): string {
  if (r instanceof BulkResult) {
    const s = r.summaryOf(net);
    if (s !== undefined) return s.entry;
  }
  for (const h of r.hops) if (net.nodes.has(h.host)) return h.host;
  return '-';
}

/**
 * One row of a flow summary: how many flows had this verdict, reason, entry node and backend.
 *
 * @example
 * ```ts
 * const row: FlowSummaryRow = { count: 3, verdict: 'FORWARDED', reason: '-', entry: 'k8s-w1', backend: 'default/webpod-1' };
 * ```
 */
export interface FlowSummaryRow {
  /** Number of flows. */
  readonly count: number;
  /** FORWARDED or DROPPED. */
  readonly verdict: Verdict;
  /** The drop reason, `-` when forwarded. */
  readonly reason: string;
  /** {@link entryNode}. */
  readonly entry: string;
  /** The backend pod (`namespace/name`), else its `node` for a host server, `-` when none. */
  readonly backend: string;
}

/**
 * Counts of traces by (verdict, reason, entry node, backend), and of invalid lines. Add results
 * one by one; {@link FlowSummary.rows} lists them by count (largest first), then by key.
 *
 * @example
 * ```ts
 * const s = new FlowSummary(net);
 * for (const r of traceAll(net, requests)) s.add(r);
 * s.rows()[0]; // { count: 199990, verdict: 'FORWARDED', … }
 * ```
 */
export class FlowSummary {
  private readonly counts = new Map<string, { count: number; row: Omit<FlowSummaryRow, 'count'> }>();
  private readonly byView = new Map<FlowSummaryView, { count: number; row: Omit<FlowSummaryRow, 'count'> }>();
  /** Flows traced. */
  total = 0;
  /** Flows forwarded. */
  forwarded = 0;
  /** Lines that were not a valid flow. */
  invalid = 0;

  /** @param net The network the traces ran on (to tell nodes from other hosts). */
  constructor(private readonly net: Network) {}

  /** Counts one trace. */
  add(r: TraceResult): void {
    this.total++;
    if (r instanceof BulkResult) {
      const s = r.summaryOf(this.net);
      if (s !== undefined) {
        if (s.verdict === 'FORWARDED') this.forwarded++;
        // a template's flows share one view: its row is found by the view's identity
        let e = this.byView.get(s);
        if (e === undefined) {
          e = this.counts.get(s.key);
          if (e === undefined) this.counts.set(s.key, (e = { count: 0, row: { verdict: s.verdict, reason: s.reason, entry: s.entry, backend: s.backend } }));
          this.byView.set(s, e);
        }
        e.count++;
        return;
      }
    }
    if (r.verdict === 'FORWARDED') this.forwarded++;
    const entry = entryNode(this.net, r);
    const backend = r.backend === null ? '-' : (r.backend.pod ?? r.backend.node);
    const reason = r.reason ?? '-';
    const key = `${r.verdict}\u0000${reason}\u0000${entry}\u0000${backend}`;
    const e = this.counts.get(key);
    if (e !== undefined) e.count++;
    else this.counts.set(key, { count: 1, row: { verdict: r.verdict, reason, entry, backend } });
  }

  /** Counts one invalid line. */
  addInvalid(): void {
    this.invalid++;
  }

  /** The rows, largest count first, then by verdict, reason, entry and backend. */
  rows(): FlowSummaryRow[] {
    const out = [...this.counts.values()].map((e) => ({ count: e.count, ...e.row }));
    return out.sort(
      (a, b) => b.count - a.count || compareStrings(a.verdict, b.verdict) || compareStrings(a.reason, b.reason) || compareStrings(a.entry, b.entry) || compareStrings(a.backend, b.backend),
    );
  }
}
