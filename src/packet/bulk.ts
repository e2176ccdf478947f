/**
 * The bulk fast path (issue 10): traces of many flows that differ only in their source port,
 * compiled once per flow class and then filled in per flow. It sits beside the walk, never
 * inside it: the walk (`walk.ts`) and `trace` stay the one definition of a trace, and every
 * result of this module is checked against them (below, and by the bulk property).
 *
 * **Why it works.** A trace of `(from, srcAddress, dst, dport, protocol)` depends on the source
 * port only at these points of the walk (read from `walk.ts`, `trace.ts`, `network/ecmp.ts`):
 * - the backend choice (`Walk.selectBackend`: the Maglev slot or the flow-hash slot, both hash
 *   the source port unless the service has session affinity);
 * - ECMP member choices (`Network.ecmpMember`: the L4 hash policies hash both ports, the reply's
 *   destination port is the client's source port);
 * - BPF SNAT's port (`natPort`: the port itself inside 32768–65535, `port + 32768` below), so the
 *   class key holds which of the two ranges the port is in;
 * - comparisons of the reply's ports with the NAT records the forward walk made (they compare
 *   port values derived the same way from the source port, so within one range they agree);
 * - the text and numbers that show the port (hop details, request and reply addresses,
 *   `RemoteAddr` in whoami's body, Hubble events, NAT translations).
 * Egress gateways (a flow hash picks the gateway), Ingress/Envoy (request ids and upstream
 * ports hash it) and L7 policy are not handled: a class reaching them always takes the full walk.
 *
 * **How.** A class is a tree: each branch is one of the decision points above (a question: the
 * frontend and packet for a backend choice, the host and route for an ECMP choice, with the
 * source port as a symbol), its children are the outcomes (the backend, the member), and each
 * leaf is a template of the result. A flow follows the tree by asking each question of the walk's
 * own functions with its port. Where it reaches no template, one run of the walk makes it
 * ({@link traceWith} with a `Walk` subclass whose `selectBackend` and `pick` record the questions
 * and answer them with the flow's port `s`), carrying the *sentinel* `s + 2^-10` as its source
 * port: no constant of the walk can equal it (ports, octets, identities, codes are integers), so
 * the run itself reports where the port went: every value equal to the sentinel or to its NAT
 * port (`natPort(s) + 2^-10`), and every text showing them, is a hole; everything else is a
 * constant; any other fraction (the port went through arithmetic a template cannot redo) and no
 * template is made. A comparison of the sentinel with an integer `c` agrees with `s`'s unless
 * `s = c`, 32-bit hashes truncate it to `s`, and the decisions are taken with `s` itself. The recorded decisions place the leaf in the tree; the flow
 * that made it is then filled in from it like every later flow. A feature above, a decision
 * sequence that contradicts the tree, a template that cannot be made, or a flow whose port
 * equals a number the template holds as a constant, and the flow (or the whole class) takes the
 * full walk instead: correctness never depends on the cache. A flow of a known leaf costs its
 * decisions (a few hashes, the walk's own functions) and one small object, {@link BulkResult},
 * whose fields are filled in from the template when read. A leaf holds templates of what
 * `--summary` reads (verdict, reason, backend, outcome, drop code) and the numbers the guard
 * needs (the decisions' ports, the packets' ports, those fields' numbers); the rest (request,
 * packets seen, NAT translations, Hubble events, hop details, the answer body) is made a template
 * when first read, from the sentinel run again (the backend choices' slot texts as markers), and
 * a flow's slot texts are asked of the walk again when its hops are read.
 *
 * Complexity: O(1) map lookups plus one hash per decision point per flow once its leaf exists;
 * one recorded walk per leaf (at most backends × ECMP members per class), made by the first flow
 * that reaches it; memory O(classes + leaves × result size).
 *
 * @module
 */
import type { WireAddr } from '../net/wire.js'; // v6walk: questions carry either family's addresses
import { DEFAULT_SOURCE_PORT, NAT_PORT_MIN, natPort } from './decisions.js';
import { trace, traceWith } from './trace.js';
import { Walk, type Packet } from './walk.js';
import type { FibRoute, FlowTuple, NetBackend, NetFrontend, NetHost, Network } from '../network/types.js';
import type { AddressPair, ClientOutcome, Hop, L4Protocol, NatTranslation, TraceAnswer, TraceBackend, TraceRequest, TraceResult, Verdict } from './types.js';
import type { FlowEvent } from '../policy/flow-event.js';

/**
 * Every field of a trace result as plain data (hops with their details rendered, the answer's
 * body written): two results are the same trace exactly when their data are deep-equal. The
 * bulk fast path compiles its templates from it; the bulk property compares with it.
 *
 * @example
 * ```ts
 * import { trace, traceResultData } from 'cilium-twin/packet';
 * import type { Network } from 'cilium-twin/network';
 * declare const net: Network;
 * const d = traceResultData(trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 }));
 * d.hops[0]?.detail;
 * ```
 */
export interface TraceResultData {
  /** {@link TraceResult.verdict}. */
  readonly verdict: Verdict;
  /** {@link TraceResult.reason}. */
  readonly reason: string | null;
  /** {@link TraceResult.request}. */
  readonly request: { readonly src: string; readonly dst: string; readonly proto: L4Protocol };
  /** {@link TraceResult.backend}. */
  readonly backend: TraceBackend | null;
  /** {@link TraceResult.seenByBackend}. */
  readonly seenByBackend: AddressPair | null;
  /** {@link TraceResult.reply}. */
  readonly reply: AddressPair | null;
  /** {@link TraceResult.hops}, as plain `{host, event, detail}`. */
  readonly hops: readonly Hop[];
  /** {@link TraceResult.answer}, as plain data. */
  readonly answer: TraceAnswer | null;
  /** {@link TraceResult.outcome}. */
  readonly outcome: ClientOutcome;
  /** {@link TraceResult.dropCode}. */
  readonly dropCode: number | null;
  /** {@link TraceResult.flows}. */
  readonly flows: readonly FlowEvent[] | undefined;
  /** {@link TraceResult.nat}. */
  readonly nat: readonly NatTranslation[] | undefined;
}

/**
 * The plain data of a trace result ({@link TraceResultData}).
 *
 * @example
 * ```ts
 * import { trace, traceResultData } from 'cilium-twin/packet';
 * import type { Network } from 'cilium-twin/network';
 * declare const net: Network;
 * JSON.stringify(traceResultData(trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 })));
 * ```
 */
export function traceResultData(r: TraceResult): TraceResultData {
  const a = r.answer;
  const data: { [K in keyof Required<TraceResult>]: TraceResultData[K] } = {
    verdict: r.verdict,
    reason: r.reason,
    request: { src: r.request.src, dst: r.request.dst, proto: r.request.proto },
    backend: r.backend === null ? null : { pod: r.backend.pod, node: r.backend.node, address: r.backend.address },
    seenByBackend: r.seenByBackend === null ? null : { src: r.seenByBackend.src, dst: r.seenByBackend.dst },
    reply: r.reply === null ? null : { src: r.reply.src, dst: r.reply.dst },
    hops: r.hops.map((h) => ({ host: h.host, event: h.event, detail: h.detail })),
    answer: a === null ? null : { kind: a.kind, status: a.status, body: a.body, ...(a.headers !== undefined ? { headers: a.headers } : {}) },
    outcome: r.outcome,
    dropCode: r.dropCode,
    flows: r.flows,
    nat: r.nat,
  };
  return data;
}

// ---------------------------------------------------------------------------------------------
// Decision points
// ---------------------------------------------------------------------------------------------

/** Symbolic ports in questions and templates: the flow's source port, and its NAT port. */
const SPORT = -1;
const NPORT = -2;

/** A backend choice: `Walk.selectBackend(fe, packet, northSouth, clientAddr)`. */
interface LbQuestion {
  readonly kind: 'lb';
  readonly fe: NetFrontend;
  readonly northSouth: boolean;
  readonly clientAddr: WireAddr;
  readonly src: WireAddr;
  readonly sport: number;
  readonly dst: WireAddr;
  readonly dport: number;
  readonly proto: number;
}

/** An ECMP choice: `Network.ecmpMember(host, route, flow)`. */
interface EcmpQuestion {
  readonly kind: 'ecmp';
  readonly host: NetHost;
  readonly route: FibRoute;
  readonly src: WireAddr;
  readonly sport: number;
  readonly dst: WireAddr;
  readonly dport: number;
  readonly proto: number;
}

type Question = LbQuestion | EcmpQuestion;

/** What a backend choice found no backend for. */
const NO_BACKEND: unique symbol = Symbol('no backend');

interface Step {
  readonly q: Question;
  /** The outcome: the backend (or {@link NO_BACKEND}), or the ECMP member. */
  readonly o: NetBackend | typeof NO_BACKEND | number;
}

function portOf(x: number, s: number, n: number): number {
  return x === SPORT ? s : x === NPORT ? n : x;
}

function sameQuestion(a: Question, b: Question): boolean {
  if (a.kind === 'lb') {
    if (b.kind !== 'lb' || a.fe !== b.fe || a.northSouth !== b.northSouth || a.clientAddr !== b.clientAddr) return false;
  } else if (b.kind !== 'ecmp' || a.host !== b.host || a.route !== b.route) return false;
  return a.src === b.src && a.sport === b.sport && a.dst === b.dst && a.dport === b.dport && a.proto === b.proto;
}

/** The marker standing for the i-th backend choice's slot text in a template run. */
function marker(i: number): string {
  return `\u0001${i}\u0002`;
}

/** One instrumented run: the flow's real port `s`, the port the run carries (`sentinel`). */
class Recorder {
  readonly steps: Step[] = [];
  /** Backend choices made so far (the next one's slot text is `marker(found)`). */
  found = 0;
  readonly ns: number;
  readonly n: number;
  constructor(
    readonly sentinel: number,
    readonly s: number,
    readonly plain: Walk,
  ) {
    this.ns = natPort(sentinel);
    this.n = natPort(s);
  }
  sym(v: number): number {
    return v === this.sentinel ? SPORT : v === this.ns ? NPORT : v;
  }
}

/** The walk of a recorded run: backend and ECMP choices recorded, and answered from the flow's own port; slot texts are markers. */
class DecidingWalk extends Walk {
  constructor(
    net: Network,
    private readonly rec: Recorder,
  ) {
    super(net);
  }

  protected override pick(host: NetHost, route: FibRoute, flow: FlowTuple): number {
    if (route.nexthops.length <= 1) return 0;
    const r = this.rec;
    const q: EcmpQuestion = { kind: 'ecmp', host, route, src: flow.src, sport: r.sym(flow.sport), dst: flow.dst, dport: r.sym(flow.dport), proto: flow.proto };
    const m = askEcmp(this.net, q, r.s, r.n);
    r.steps.push({ q, o: m });
    return m;
  }

  override selectBackend(fe: NetFrontend, p: Packet, northSouth: boolean, clientAddr: WireAddr): { backend: NetBackend; how: string } | undefined {
    const r = this.rec;
    const q: LbQuestion = { kind: 'lb', fe, northSouth, clientAddr, src: p.src, sport: r.sym(p.sport), dst: p.dst, dport: r.sym(p.dport), proto: p.proto };
    const b = r.plain.chooseBackend(fe, portOf(q.sport, r.s, r.n), q.proto, northSouth, clientAddr);
    r.steps.push({ q, o: b ?? NO_BACKEND });
    // the slot text as a marker: a flow's own text is asked of the walk when its hops are read
    return b === undefined ? undefined : { backend: b, how: marker(r.found++) };
  }
}

function askLb(plain: Walk, q: LbQuestion, s: number, n: number): { backend: NetBackend; how: string } | undefined {
  const p: Packet = { src: q.src, sport: portOf(q.sport, s, n), dst: q.dst, dport: portOf(q.dport, s, n), proto: q.proto };
  return plain.selectBackend(q.fe, p, q.northSouth, q.clientAddr);
}

function askEcmp(net: Network, q: EcmpQuestion, s: number, n: number): number {
  return net.ecmpMember(q.host, q.route, { src: q.src, sport: portOf(q.sport, s, n), dst: q.dst, dport: portOf(q.dport, s, n), proto: q.proto });
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/**
 * The fraction a template run adds to the flow's source port: the run carries `s + FRAC` (the
 * sentinel), a number no constant of the walk can equal (every port, address octet, identity or
 * code the walk shows is an integer), so every place the sentinel (or its NAT port, which is
 * `natPort(s) + FRAC`) shows is a place the walk put the port, and no other. `FRAC` is exact in
 * binary (2^-10) and its text has ten digits (no address octet looks like it); a comparison with
 * an integer `c` agrees with `s`'s unless `s = c`, and 32-bit truncations (hashes) give `s`.
 */
const FRAC = 1 / 1024;
const FRAC_TEXT = '.0009765625';

/** A value with holes: a constant, a port symbol, a string of parts, an array, an object. */
type Tpl =
  | { readonly c: true; readonly v: unknown }
  | { readonly c: false; readonly port: number }
  | { readonly c: false; readonly parts: readonly (string | number)[] }
  | { readonly c: false; readonly items: readonly Tpl[] }
  | { readonly c: false; readonly keys: readonly string[]; readonly vals: readonly Tpl[] };

interface CompileContext {
  /** The sentinel (`s + FRAC`) and its NAT port, as numbers and as text. */
  readonly sig: number;
  readonly nsig: number;
  readonly sigText: string;
  readonly nsigText: string;
  /** True when backend-choice markers may show (the lazy fields' runs). */
  readonly markers: boolean;
  /** Every integer (≤ 65535) the template holds as a constant. */
  readonly consts: Set<number>;
}

function compileContext(s: number, markers: boolean, consts: Set<number>): CompileContext {
  const sig = s + FRAC;
  const nsig = natPort(sig);
  return { sig, nsig, sigText: String(sig), nsigText: String(nsig), markers, consts };
}

function addConst(ctx: CompileContext, v: number): void {
  if (v >= 0 && v <= 65535) ctx.consts.add(v);
}

/** Adds the numbers (runs of digits, ≤ 65535) of a text without holes. */
function collectStringConsts(v: string, ctx: CompileContext): void {
  let x = -1;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) x = x < 0 ? d : x > 65535 ? x : x * 10 + d;
    else if (x >= 0) {
      if (x <= 65535) ctx.consts.add(x);
      x = -1;
    }
  }
  if (x >= 0 && x <= 65535) ctx.consts.add(x);
}

/** Adds the port of an `address:port` text (when an integer: not the sentinel). */
function addPortOf(text: string, ctx: CompileContext): void {
  let v = 0;
  let i = text.lastIndexOf(':') + 1;
  if (i === 0 || i === text.length) return;
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || v > 65535) return;
    v = v * 10 + d;
  }
  addConst(ctx, v);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** What {@link compileValue} returns for a value without holes (no allocation: most values are). */
const CONST = 0;

/**
 * The template of a value of one sentinel run: the sentinel and its NAT port become holes, every
 * other value a constant; undefined when the value shows a fraction that is neither (the port
 * went through arithmetic the template cannot redo) or is not plain data.
 */
function compile(v: unknown, ctx: CompileContext): Tpl | undefined {
  const t = compileValue(v, ctx);
  return t === CONST ? { c: true, v } : t;
}

/** {@link compile}, with {@link CONST} for a constant. */
function compileValue(v: unknown, ctx: CompileContext): Tpl | typeof CONST | undefined {
  switch (typeof v) {
    case 'string':
      return compileString(v, ctx);
    case 'number':
      if (v === ctx.sig) return { c: false, port: SPORT };
      if (v === ctx.nsig) return { c: false, port: NPORT };
      if (!Number.isInteger(v)) return undefined;
      addConst(ctx, v);
      return CONST;
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return CONST;
    default:
  }
  if (v === null) return CONST;
  if (Array.isArray(v)) {
    let items: Tpl[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const t = compileValue(v[i], ctx);
      if (t === undefined) return undefined;
      if (t !== CONST) {
        items ??= v.slice(0, i).map((x: unknown) => ({ c: true, v: x }));
        items.push(t);
      } else if (items !== undefined) items.push({ c: true, v: v[i] });
    }
    return items === undefined ? CONST : { c: false, items };
  }
  if (isPlain(v)) {
    const keys = Object.keys(v);
    let vals: Tpl[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const x = v[keys[i]!];
      const t = compileValue(x, ctx);
      if (t === undefined) return undefined;
      if (t !== CONST) {
        vals ??= keys.slice(0, i).map((k) => ({ c: true, v: v[k] }));
        vals.push(t);
      } else if (vals !== undefined) vals.push({ c: true, v: x });
    }
    return vals === undefined ? CONST : { c: false, keys, vals };
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A text of a sentinel run: the sentinel's text (and its NAT port's) become holes, markers slots. */
function compileString(v: string, ctx: CompileContext): Tpl | typeof CONST | undefined {
  let m = v.indexOf('\u0001');
  if (m >= 0 && !ctx.markers) return undefined;
  let f = v.indexOf(FRAC_TEXT);
  if (f < 0 && m < 0) {
    collectStringConsts(v, ctx);
    return CONST;
  }
  const parts: (string | number)[] = [];
  let lit = '';
  let i = 0;
  const push = (upTo: number, hole: number): void => {
    lit += v.slice(i, upTo);
    if (lit !== '') {
      collectStringConsts(lit, ctx);
      parts.push(lit);
    }
    lit = '';
    parts.push(hole);
  };
  while (f >= 0 || m >= 0) {
    if (m >= 0 && (f < 0 || m < f)) {
      const e = v.indexOf('\u0002', m);
      if (e < 0) return undefined;
      const idx = Number(v.slice(m + 1, e));
      if (!Number.isInteger(idx) || idx < 0 || e === m + 1) return undefined;
      push(m, idx);
      i = e + 1;
    } else {
      let j = f;
      while (j > i && isDigit(v.charCodeAt(j - 1))) j--;
      const end = f + FRAC_TEXT.length;
      // a token boundary on both sides (digits before j belong to an earlier hole)
      if (j === f || (j > 0 && isDigit(v.charCodeAt(j - 1))) || (end < v.length && isDigit(v.charCodeAt(end)))) return undefined;
      const num = v.slice(j, end);
      const hole = num === ctx.sigText ? SPORT : num === ctx.nsigText ? NPORT : undefined;
      if (hole === undefined) return undefined;
      push(j, hole);
      i = end;
    }
    f = v.indexOf(FRAC_TEXT, i);
    m = v.indexOf('\u0001', i);
  }
  const rest = v.slice(i);
  if (rest !== '') {
    collectStringConsts(rest, ctx);
    parts.push(rest);
  }
  return { c: false, parts };
}

function fill(t: Tpl, s: number, n: number, hows: readonly string[]): unknown {
  if (t.c) return t.v;
  if ('port' in t) return t.port === SPORT ? s : n;
  if ('parts' in t) {
    let out = '';
    for (const p of t.parts) out += typeof p === 'string' ? p : p === SPORT ? String(s) : p === NPORT ? String(n) : hows[p]!;
    return out;
  }
  if ('items' in t) return t.items.map((i) => fill(i, s, n, hows));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < t.keys.length; i++) o[t.keys[i]!] = fill(t.vals[i]!, s, n, hows);
  return o;
}

/** Hop events a template may hold (the walk's events that carry no other per-flow state). */
const TEMPLATE_EVENTS: ReadonlySet<string> = new Set([
  'send', 'route', 'from-network', 'from-overlay', 'to-overlay', 'to-stack', 'to-endpoint', 'to-network',
  'lb', 'sock-xlate', 'skip-lb', 'snat', 'masquerade', 'rev-nat', 'rev-snat', 'dsr', 'policy', 'l2-responder',
  'answer', 'deliver', 'drop',
]);

/** True when a result shows nothing the fast path leaves out (Envoy, L7, egress gateway); no text rendered. */
function templatable(r: TraceResult): boolean {
  if (r.hops.some((h) => !TEMPLATE_EVENTS.has(h.event))) return false;
  if (r.flows?.some((f) => f.http !== undefined)) return false;
  return r.answer === null || (r.answer.kind !== 'envoy' && r.answer.headers === undefined);
}

/** The fields made templates when a leaf is built: what the summary reads (and two scalars). */
const EAGER = ['verdict', 'reason', 'backend', 'outcome', 'dropCode'] as const;
/** The fields made templates when first read, from one re-run of the walk (what `--summary` never reads). */
type LazyField = 'hops' | 'answer' | (typeof PACKET_FIELDS)[number];
/** The lazy fields without slot texts: the request, the packets seen, NAT translations, Hubble events. */
const PACKET_FIELDS = ['request', 'seenByBackend', 'reply', 'nat', 'flows'] as const;

interface Leaf {
  readonly kind: 'leaf';
  readonly fields: Partial<Record<keyof TraceResultData, Tpl>>;
  readonly consts: ReadonlySet<number>;
  /** The hosts of the hops (for the summary's entry node). */
  readonly hosts: readonly string[];
  /** The network (for a flow's own walk when a lazy field has no template). */
  readonly net: Network;
  /** The backend choices on the leaf's path, in order (to write a flow's slot texts when its hops are read). */
  readonly lbs: readonly LbQuestion[];
  /** A plain walk of the network (asks the backend choices again). */
  readonly plain: Walk;
  /** How to make the template run again (for the lazy fields): the tracer, the flow the leaf was made from (its port `s`), its decisions. */
  runs: { readonly tracer: BulkTracer; readonly request: TraceRequest; readonly s: number; readonly steps: readonly Step[] } | undefined;
  /** True when a lazy field could not be made a template: results read it from their own walk. */
  textless: boolean;
  /** The summary's view of the leaf's flows, once asked. */
  summary?: FlowSummaryView;
}

interface Branch {
  readonly kind: 'branch';
  readonly q: Question;
  /** The outcomes seen so far and the subtree of each (parallel arrays: a few entries, scanned). */
  readonly outs: Step['o'][];
  readonly kids: Node[];
}

type Node = Branch | Leaf;

/** A flow class: its tree of decisions; dead after an inconsistency. */
interface FlowClass {
  failures: number;
  dead: boolean;
  root: Node | undefined;
}

/**
 * What the flow summary reads of a result that shares its leaf's row: verdict, reason (`-` when
 * forwarded), entry node (`-` when none), backend (`-` when none) and the row's key.
 */
export interface FlowSummaryView {
  /** The row key (verdict, reason, entry, backend). */
  readonly key: string;
  /** The verdict. */
  readonly verdict: Verdict;
  /** The first Cilium node of the hops, `-` when none. */
  readonly entry: string;
  /** The backend pod (`namespace/name`), else its node, `-` when none. */
  readonly backend: string;
  /** The drop reason, `-` when forwarded. */
  readonly reason: string;
}

const NO_HOWS: readonly string[] = [];

/**
 * A trace result of the bulk fast path: the fields of its flow's template, filled in with the
 * flow's source port when read. It equals the single trace of the same flow
 * ({@link traceResultData} of both are deep-equal).
 *
 * @example
 * ```ts
 * import { BulkTracer } from 'cilium-twin/packet';
 * import type { Network } from 'cilium-twin/network';
 * declare const net: Network;
 * const r = new BulkTracer(net).trace({ from: 'router', dst: '172.16.1.1', dport: 80, sport: 40001 });
 * r.request.src; // '192.168.10.100:40001'
 * ```
 */
export class BulkResult implements TraceResult {
  readonly #leaf: Leaf;
  readonly #request: TraceRequest;
  readonly #s: number;
  /** The fields filled in so far, and the flow's own walk when a field has no template. */
  #x: { filled: Partial<Record<keyof TraceResultData, unknown>>; own?: TraceResult } | undefined;

  /** @internal */
  constructor(leaf: Leaf, request: TraceRequest, s: number) {
    this.#leaf = leaf;
    this.#request = request;
    this.#s = s;
  }

  #get<K extends keyof TraceResultData>(k: K): TraceResultData[K] {
    const leaf = this.#leaf;
    const t = leaf.fields[k] ?? lazyTemplate(leaf, k as LazyField);
    if (t !== undefined && t.c) return t.v as TraceResultData[K];
    const x = (this.#x ??= { filled: {} });
    if (t === undefined) {
      // no template for this field: the flow's own walk
      x.own ??= trace(leaf.net, this.#request);
      return x.own[k as LazyField] as TraceResultData[K];
    }
    const f = x.filled;
    if (!(k in f)) {
      const s = this.#s;
      const n = natPort(s);
      // slot texts only show in the lazy fields (hop details): asked again of the walk
      const hows = k === 'hops' || k === 'answer' ? leaf.lbs.map((q) => askLb(leaf.plain, q, s, n)?.how ?? '') : NO_HOWS;
      f[k] = fill(t, s, n, hows);
    }
    return f[k] as TraceResultData[K];
  }

  /** {@link TraceResult.verdict}. */
  get verdict(): Verdict {
    return this.#get('verdict');
  }
  /** {@link TraceResult.reason}. */
  get reason(): string | null {
    return this.#get('reason');
  }
  /** {@link TraceResult.request}. */
  get request(): TraceResult['request'] {
    return this.#get('request');
  }
  /** {@link TraceResult.backend}. */
  get backend(): TraceBackend | null {
    return this.#get('backend');
  }
  /** {@link TraceResult.seenByBackend}. */
  get seenByBackend(): AddressPair | null {
    return this.#get('seenByBackend');
  }
  /** {@link TraceResult.reply}. */
  get reply(): AddressPair | null {
    return this.#get('reply');
  }
  /** {@link TraceResult.hops}. */
  get hops(): readonly Hop[] {
    return this.#get('hops');
  }
  /** {@link TraceResult.answer}. */
  get answer(): TraceAnswer | null {
    return this.#get('answer');
  }
  /** {@link TraceResult.outcome}. */
  get outcome(): ClientOutcome {
    return this.#get('outcome');
  }
  /** {@link TraceResult.dropCode}. */
  get dropCode(): number | null {
    return this.#get('dropCode');
  }
  /** {@link TraceResult.flows}. */
  get flows(): readonly FlowEvent[] | undefined {
    return this.#get('flows');
  }
  /** {@link TraceResult.nat}. */
  get nat(): readonly NatTranslation[] | undefined {
    return this.#get('nat');
  }

  /**
   * The summary's view of this flow, shared by every flow of its template (one object per
   * template: a summary may key its rows by it); undefined when the verdict, reason or backend
   * shows the port (then each flow's own fields are read).
   */
  summaryOf(net: Network): FlowSummaryView | undefined {
    const leaf = this.#leaf;
    if (leaf.summary !== undefined) return leaf.summary;
    if (leaf.fields.reason?.c !== true || leaf.fields.backend?.c !== true || leaf.fields.verdict?.c !== true) return undefined;
    let entry = '-';
    for (const h of leaf.hosts) {
      if (net.nodes.has(h)) {
        entry = h;
        break;
      }
    }
    const b = this.backend;
    const backend = b === null ? '-' : (b.pod ?? b.node);
    const reason = this.reason ?? '-';
    const verdict = this.verdict;
    leaf.summary = { key: `${verdict}\u0000${reason}\u0000${entry}\u0000${backend}`, verdict, entry, backend, reason };
    return leaf.summary;
  }

  /** The result as plain data ({@link traceResultData}). */
  toJSON(): TraceResultData {
    return traceResultData(this);
  }
}

const PROTO_INDEX: Readonly<Record<string, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/**
 * Traces many flows over one network with the bulk fast path (module doc): flows of a class
 * (client, source address, destination, port, protocol, and whether the source port is in the
 * NAT range) take their own (recorded) walk until two of them with the same decisions make a
 * template, later ones are filled in from the class's templates. Every result equals
 * `trace(net, request)` of the same request. Holds its templates for its lifetime (one bulk
 * job); it never changes the network.
 *
 * @example
 * ```ts
 * import { BulkTracer } from 'cilium-twin/packet';
 * import type { Network } from 'cilium-twin/network';
 * declare const net: Network;
 * const t = new BulkTracer(net);
 * for (let sport = 32768; sport < 42768; sport++) t.trace({ from: 'router', dst: '172.16.1.1', dport: 80, sport });
 * t.stats(); // { flows: 10000, walked: …, classes: 1, leaves: … }
 * ```
 */
export class BulkTracer {
  readonly #net: Network;
  readonly #plain: Walk;
  readonly #enabled: boolean;
  readonly #classes = new Map<string, Map<string, Map<number, FlowClass>>>();
  /** 1 for every number some leaf holds as a constant (the union of the leaves' `consts`: a flow's port outside it needs no look at its leaf's). */
  readonly #risky = new Uint8Array(65536);
  #flows = 0;
  #walked = 0;
  #classCount = 0;
  #leaves = 0;

  /** @param net The network every flow is traced on. */
  constructor(net: Network) {
    this.#net = net;
    this.#plain = new Walk(net);
    // Egress gateways pick a gateway by a flow hash the walk computes inline: no fast path.
    this.#enabled = net.egress?.state.enabled !== true;
  }

  /** Counts: flows traced, flows that took the full walk, flow classes, templates (leaves). */
  stats(): { readonly flows: number; readonly walked: number; readonly classes: number; readonly leaves: number } {
    return { flows: this.#flows, walked: this.#walked, classes: this.#classCount, leaves: this.#leaves };
  }

  /** Traces one request: the same result as `trace(net, request)`. */
  trace(request: TraceRequest): TraceResult {
    this.#flows++;
    const net = this.#net;
    const s = request.sport ?? DEFAULT_SOURCE_PORT;
    const proto = PROTO_INDEX[request.protocol ?? 'TCP'];
    if (!this.#enabled || request.http !== undefined || proto === undefined || !Number.isInteger(s) || s < 1 || s > 65535 || !Number.isInteger(request.dport)) return this.#walk(request);
    const c = this.#classOf(request, proto, s >= NAT_PORT_MIN);
    if (c.dead) return this.#walk(request);
    const n = natPort(s);
    let node = c.root;
    while (node !== undefined && node.kind === 'branch') {
      const q = node.q;
      let o: Step['o'];
      if (q.kind === 'lb') o = this.#plain.chooseBackend(q.fe, portOf(q.sport, s, n), q.proto, q.northSouth, q.clientAddr) ?? NO_BACKEND;
      else o = askEcmp(net, q, s, n);
      node = childOf(node, o);
    }
    if (node === undefined) return this.#learn(c, request, s);
    const risky = this.#risky;
    if (node.textless || ((risky[s] !== 0 || risky[n] !== 0) && (node.consts.has(s) || node.consts.has(n)))) return this.#walk(request);
    return new BulkResult(node, request, s);
  }

  #walk(request: TraceRequest): TraceResult {
    this.#walked++;
    return trace(this.#net, request);
  }

  #classOf(r: TraceRequest, proto: number, high: boolean): FlowClass {
    const k1 = r.srcAddress === undefined ? r.from : `${r.from}\u0000${r.srcAddress}`;
    let m1 = this.#classes.get(k1);
    if (m1 === undefined) this.#classes.set(k1, (m1 = new Map()));
    let m2 = m1.get(r.dst);
    if (m2 === undefined) m1.set(r.dst, (m2 = new Map()));
    const k3 = (r.dport * 4 + proto) * 2 + (high ? 1 : 0);
    let c = m2.get(k3);
    if (c === undefined) {
      m2.set(k3, (c = { failures: 0, dead: false, root: undefined }));
      this.#classCount++;
    }
    return c;
  }

  /**
   * One recorded run: the walk of `request` carrying the sentinel `s + FRAC` (see {@link FRAC}),
   * its decisions taken with the port `s` itself; backend choices' slot texts are markers.
   */
  #run(request: TraceRequest, s: number): [Recorder, TraceResult] {
    const rec = new Recorder(s + FRAC, s, this.#plain);
    return [rec, traceWith(this.#net, { ...request, sport: s + FRAC }, (w) => new DecidingWalk(w, rec))];
  }

  /**
   * The template run of a leaf again (for its lazy fields): the sentinel run of the flow it was
   * made from; undefined if it no longer decides the same (never for a pure walk).
   * @internal
   */
  templateRun(request: TraceRequest, s: number, steps: readonly Step[]): TraceResult | undefined {
    const [rec, res] = this.#run(request, s);
    if (!sameSteps(rec.steps, steps)) return undefined;
    return res;
  }

  /**
   * A flow whose decisions reach no template yet: one sentinel run of it, recorded, makes the
   * template of its path of decisions (module doc); the flow's result is filled in from it like
   * any later flow's. A run the fast path cannot hold, a path that contradicts the tree (the
   * class dies), or a template that cannot be made (three times: the class dies): the flow takes
   * the full walk.
   */
  #learn(c: FlowClass, request: TraceRequest, s: number): TraceResult {
    this.#walked++;
    const [rec, res] = this.#run(request, s);
    const spot = templatable(res) ? place(c, rec.steps) : undefined;
    if (spot === undefined || spot.node !== undefined) {
      // a feature the fast path leaves out, or the walk decided differently from the tree
      c.dead = true;
      c.root = undefined;
      return this.#walk(request);
    }
    const leaf = this.#compile(res, rec.steps, request, s);
    if (leaf === undefined) {
      if (++c.failures >= 3) {
        c.dead = true;
        c.root = undefined;
      }
      return this.#walk(request);
    }
    for (const k of leaf.consts) this.#risky[k] = 1;
    spot.set(leaf);
    this.#leaves++;
    const n = natPort(s);
    if (leaf.consts.has(s) || leaf.consts.has(n)) return this.#walk(request);
    return new BulkResult(leaf, request, s);
  }

  /** The leaf of a sentinel run (the flow's port `s`) with its decisions, or undefined. */
  #compile(res: TraceResult, steps: readonly Step[], request: TraceRequest, s: number): Leaf | undefined {
    const ctx = compileContext(s, false, new Set());
    const lbs: LbQuestion[] = [];
    for (const st of steps) {
      const q = st.q;
      // a port of a question is the sentinel (a symbol), its NAT port, or a constant; anything else came from arithmetic on the port
      if (q.sport >= 0) {
        if (!Number.isInteger(q.sport)) return undefined;
        addConst(ctx, q.sport);
      }
      if (q.dport >= 0) {
        if (!Number.isInteger(q.dport)) return undefined;
        addConst(ctx, q.dport);
      }
      if (q.kind === 'lb' && st.o !== NO_BACKEND) lbs.push(q);
    }
    const fields: Partial<Record<keyof TraceResultData, Tpl>> = {};
    for (const k of EAGER) {
      const t = compile(res[k], ctx);
      if (t === undefined) return undefined;
      fields[k] = t;
    }
    // the guard's numbers of the fields made templates later: the packets' ports
    for (const e of [res.request, res.seenByBackend, res.reply]) {
      if (e === null) continue;
      addPortOf(e.src, ctx);
      addPortOf(e.dst, ctx);
    }
    for (const t of res.nat ?? []) {
      if (Number.isInteger(t.sport)) addConst(ctx, t.sport);
      if (Number.isInteger(t.dport)) addConst(ctx, t.dport);
      if (Number.isInteger(t.natPort)) addConst(ctx, t.natPort);
    }
    return {
      kind: 'leaf',
      fields,
      consts: ctx.consts,
      hosts: res.hops.map((h) => h.host),
      net: this.#net,
      lbs,
      plain: this.#plain,
      runs: { tracer: this, request, s, steps },
      textless: false,
    };
  }
}

function sameSteps(a: readonly Step[], b: readonly Step[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameQuestion(a[i]!.q, b[i]!.q) || a[i]!.o !== b[i]!.o) return false;
  return true;
}

/**
 * The template of a lazy field (hops, answer), compiled with the other lazy field from the
 * leaf's sentinel run (again) when first read; undefined (and the leaf marked textless) when
 * they cannot be made.
 */
function lazyTemplate(leaf: Leaf, k: LazyField): Tpl | undefined {
  if (leaf.textless || leaf.runs === undefined) return undefined;
  const { tracer, request, s, steps } = leaf.runs;
  leaf.runs = undefined;
  const x = tracer.templateRun(request, s, steps);
  // the constants of the text are not packet ports: a scratch set (the leaf's guard is already fixed)
  const ctx = compileContext(s, true, new Set());
  const hops = x === undefined ? undefined : compile(x.hops.map((h) => ({ host: h.host, event: h.event, detail: h.detail })), ctx);
  const ans = x?.answer ?? null;
  const answer = x === undefined ? undefined : compile(ans === null ? null : { kind: ans.kind, status: ans.status, body: ans.body }, ctx);
  // the packet fields and Hubble events show no slot text: no markers there
  const plain = compileContext(s, false, ctx.consts);
  const rest: Partial<Record<keyof TraceResultData, Tpl>> = {};
  for (const f of PACKET_FIELDS) {
    const t = x === undefined ? undefined : compile(x[f], plain);
    if (t === undefined) {
      leaf.textless = true;
      return undefined;
    }
    rest[f] = t;
  }
  if (hops === undefined || answer === undefined) {
    leaf.textless = true;
    return undefined;
  }
  Object.assign(leaf.fields, rest);
  leaf.fields.hops = hops;
  leaf.fields.answer = answer;
  return leaf.fields[k];
}

/** A chain of branches for `steps[i..]` ending in `end`. */
function chain(steps: readonly Step[], i: number, end: Leaf): Node {
  return i === steps.length ? end : { kind: 'branch', q: steps[i]!.q, outs: [steps[i]!.o], kids: [chain(steps, i + 1, end)] };
}

/** The subtree of a branch for an outcome. */
function childOf(b: Branch, o: Step['o']): Node | undefined {
  const outs = b.outs;
  for (let i = 0; i < outs.length; i++) if (outs[i] === o) return b.kids[i];
  return undefined;
}

/** Sets the subtree of a branch for an outcome. */
function setChild(b: Branch, o: Step['o'], x: Node): void {
  const i = b.outs.indexOf(o);
  if (i >= 0) b.kids[i] = x;
  else {
    b.outs.push(o);
    b.kids.push(x);
  }
}

/**
 * Where a path of decisions ends in a class's tree: the leaf there (undefined:
 * none yet) and how to put one there; undefined when the path contradicts the tree.
 */
function place(c: FlowClass, steps: readonly Step[]): { readonly node: Leaf | undefined; readonly set: (x: Leaf) => void } | undefined {
  let parent: Branch | undefined;
  let node = c.root;
  let i = 0;
  for (; i < steps.length && node !== undefined; i++) {
    if (node.kind !== 'branch' || !sameQuestion(node.q, steps[i]!.q)) return undefined;
    parent = node;
    node = childOf(node, steps[i]!.o);
  }
  if (node !== undefined && node.kind === 'branch') return undefined;
  const at = i;
  const p = parent;
  const set = (x: Leaf): void => {
    const sub = chain(steps, at, x);
    if (p === undefined) c.root = sub;
    else setChild(p, steps[at - 1]!.o, sub);
  };
  return { node, set };
}
