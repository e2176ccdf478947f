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
 * **How.** The first flow of a class takes the full walk. From the second on, a class is a tree:
 * each branch is one of the decision points above (a question: the frontend and packet for a
 * backend choice, the host and route for an ECMP choice, with the source port as a symbol), its
 * children are the outcomes (the backend, the member), and each leaf is a template of the
 * result. A leaf is made from two runs of the real walk ({@link traceWith}) for the same decisions:
 * one with a sentinel source port, one with the flow's own; the walk's decision points are
 * answered from the flow's port in both (a `Walk` subclass for the backend choice, the network's
 * `ecmpMember` wrapped), and the backend choice's slot text is a marker. The two results are
 * compared field by field: what differs must be exactly the port (or its NAT port) or a marker,
 * everything else is a constant. Any other difference, a different sequence of decisions, a
 * feature above, or a flow whose port equals a number the template holds as a constant, and the
 * flow (or the whole class) takes the full walk instead: correctness never depends on the cache.
 * A flow of a known leaf costs its decisions (a few hashes, the walk's own functions) and one
 * small object, {@link BulkResult}, whose fields are filled in from the template when read.
 *
 * Complexity: O(1) map lookups plus one hash per decision point per flow once its leaf exists;
 * two full walks per new leaf (at most backends × ECMP members per class); memory O(classes +
 * leaves × result size).
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
  readonly hows: string[] = [];
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

/** The walk of a template run: backend choices answered from the flow's own port. */
class DecidingWalk extends Walk {
  constructor(
    net: Network,
    private readonly rec: Recorder,
  ) {
    super(net);
  }

  override selectBackend(fe: NetFrontend, p: Packet, northSouth: boolean, clientAddr: WireAddr): { backend: NetBackend; how: string } | undefined {
    const r = this.rec;
    const q: LbQuestion = { kind: 'lb', fe, northSouth, clientAddr, src: p.src, sport: r.sym(p.sport), dst: p.dst, dport: r.sym(p.dport), proto: p.proto };
    const pick = askLb(r.plain, q, r.s, r.n);
    r.steps.push({ q, o: pick === undefined ? NO_BACKEND : pick.backend });
    if (pick === undefined) return undefined;
    r.hows.push(pick.how);
    return { backend: pick.backend, how: marker(r.hows.length - 1) };
  }
}

function askLb(plain: Walk, q: LbQuestion, s: number, n: number): { backend: NetBackend; how: string } | undefined {
  const p: Packet = { src: q.src, sport: portOf(q.sport, s, n), dst: q.dst, dport: portOf(q.dport, s, n), proto: q.proto };
  return plain.selectBackend(q.fe, p, q.northSouth, q.clientAddr);
}

function askEcmp(net: Network, q: EcmpQuestion, s: number, n: number): number {
  return net.ecmpMember(q.host, q.route, { src: q.src, sport: portOf(q.sport, s, n), dst: q.dst, dport: portOf(q.dport, s, n), proto: q.proto });
}

/**
 * The network of template runs: ECMP choices recorded and answered from the flow's own port, by
 * the recorder of the run in progress (`current.rec`).
 */
function decidingNetwork(net: Network, current: { rec: Recorder | undefined }): Network {
  const ecmpMember = (host: NetHost, route: FibRoute, flow: FlowTuple): number => {
    const rec = current.rec!;
    const q: EcmpQuestion = { kind: 'ecmp', host, route, src: flow.src, sport: rec.sym(flow.sport), dst: flow.dst, dport: rec.sym(flow.dport), proto: flow.proto };
    const m = askEcmp(net, q, rec.s, rec.n);
    rec.steps.push({ q, o: m });
    return m;
  };
  return Object.create(net, { ecmpMember: { value: ecmpMember } }) as Network;
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/** A value with holes: a constant, a port symbol, a string of parts, an array, an object. */
type Tpl =
  | { readonly c: true; readonly v: unknown }
  | { readonly c: false; readonly port: number }
  | { readonly c: false; readonly parts: readonly (string | number)[] }
  | { readonly c: false; readonly items: readonly Tpl[] }
  | { readonly c: false; readonly keys: readonly string[]; readonly vals: readonly Tpl[] };

interface CompileContext {
  /** Sentinel port and its NAT port (first run), the flow's port and its NAT port (second run). */
  readonly a: number;
  readonly na: number;
  readonly s: number;
  readonly n: number;
  /** Every number (≤ 65535) the template holds as a constant. */
  readonly consts: Set<number>;
}

const TOKEN = /\u0001(\d+)\u0002|\d+/g;

function addConst(ctx: CompileContext, v: number): void {
  if (Number.isInteger(v) && v >= 0 && v <= 65535) ctx.consts.add(v);
}

function collectConsts(v: unknown, ctx: CompileContext): void {
  if (typeof v === 'number') addConst(ctx, v);
  else if (typeof v === 'string') {
    for (const m of v.matchAll(TOKEN)) if (m[1] === undefined) addConst(ctx, Number(m[0]));
  } else if (Array.isArray(v)) for (const x of v) collectConsts(x, ctx);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collectConsts(x, ctx);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** The template of two runs' values, or undefined when they differ by more than the port. */
function compile(x: unknown, y: unknown, ctx: CompileContext): Tpl | undefined {
  if (typeof x === 'string' && typeof y === 'string') return compileString(x, y, ctx);
  if (x === y) {
    collectConsts(y, ctx);
    return { c: true, v: y };
  }
  if (typeof x === 'number' && typeof y === 'number') {
    if (x === ctx.a && y === ctx.s) return { c: false, port: SPORT };
    if (x === ctx.na && y === ctx.n) return { c: false, port: NPORT };
    return undefined;
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return undefined;
    const items: Tpl[] = [];
    let constant = true;
    for (let i = 0; i < x.length; i++) {
      const t = compile(x[i], y[i], ctx);
      if (t === undefined) return undefined;
      constant &&= t.c;
      items.push(t);
    }
    return constant ? { c: true, v: y } : { c: false, items };
  }
  if (isPlain(x) && isPlain(y)) {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return undefined;
    const vals: Tpl[] = [];
    let constant = true;
    for (const k of ky) {
      const t = compile(x[k], y[k], ctx);
      if (t === undefined) return undefined;
      constant &&= t.c;
      vals.push(t);
    }
    return constant ? { c: true, v: y } : { c: false, keys: ky, vals };
  }
  return undefined;
}

function compileString(x: string, y: string, ctx: CompileContext): Tpl | undefined {
  if (x === y && !y.includes('\u0001')) {
    collectConsts(y, ctx);
    return { c: true, v: y };
  }
  const r1 = new RegExp(TOKEN.source, 'g');
  const r2 = new RegExp(TOKEN.source, 'g');
  const parts: (string | number)[] = [];
  let lit = '';
  let i1 = 0;
  let i2 = 0;
  const sym = (p: number): void => {
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(p);
  };
  for (;;) {
    const m1 = r1.exec(x);
    const m2 = r2.exec(y);
    if (m1 === null || m2 === null) {
      if (m1 !== null || m2 !== null) return undefined;
      break;
    }
    const pre = x.slice(i1, m1.index);
    if (pre !== y.slice(i2, m2.index)) return undefined;
    lit += pre;
    i1 = r1.lastIndex;
    i2 = r2.lastIndex;
    if (m1[1] !== undefined || m2[1] !== undefined) {
      if (m1[1] !== m2[1]) return undefined;
      sym(Number(m1[1]));
      continue;
    }
    const t1 = m1[0];
    const t2 = m2[0];
    if (t1 === t2) {
      lit += t1;
      addConst(ctx, Number(t1));
    } else if (t1 === String(ctx.a) && t2 === String(ctx.s)) sym(SPORT);
    else if (t1 === String(ctx.na) && t2 === String(ctx.n)) sym(NPORT);
    else return undefined;
  }
  const rest = x.slice(i1);
  if (rest !== y.slice(i2)) return undefined;
  lit += rest;
  if (lit !== '') parts.push(lit);
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

/** The fields made templates when a leaf is built (cheap to compare: no hop detail, no body). */
const EAGER = ['verdict', 'reason', 'request', 'backend', 'seenByBackend', 'reply', 'outcome', 'dropCode', 'flows', 'nat'] as const;
/** The fields made templates when first read (hop details, the answer's body). */
type LazyField = 'hops' | 'answer';

/** The same structure in both runs: hops at the same hosts with the same events, the same kind of answer. */
function sameShape(a: TraceResult, r: TraceResult): boolean {
  if (a.hops.length !== r.hops.length) return false;
  for (let i = 0; i < a.hops.length; i++) if (a.hops[i]!.host !== r.hops[i]!.host || a.hops[i]!.event !== r.hops[i]!.event) return false;
  if (a.answer === null || r.answer === null) return a.answer === r.answer;
  return a.answer.kind === r.answer.kind && a.answer.status === r.answer.status;
}

interface Leaf {
  readonly kind: 'leaf';
  readonly fields: Partial<Record<keyof TraceResultData, Tpl>>;
  readonly consts: ReadonlySet<number>;
  /** The hosts of the hops (for the summary's entry node). */
  readonly hosts: readonly string[];
  /** How to make the two template runs again (for the lazy fields): the tracer, a flow of the leaf, the sentinel. */
  runs: { readonly tracer: BulkTracer; readonly request: TraceRequest; readonly ctx: CompileContext } | undefined;
  /** True when a lazy field could not be made a template: results read it from their own walk. */
  textless: boolean;
  /** The summary's (entry node, backend) and key, once asked. */
  summary?: { readonly key: string; readonly entry: string; readonly backend: string; readonly reason: string };
}

interface Branch {
  readonly kind: 'branch';
  readonly q: Question;
  readonly next: Map<Step['o'], Branch | Leaf>;
}

/** A flow class: its tree, once the second flow arrived; dead after an inconsistency. */
interface FlowClass {
  seen: number;
  failures: number;
  dead: boolean;
  root: Branch | Leaf | undefined;
}

/** Template runs' sentinel ports: two in the NAT range (kept as is), two below (moved up). */
const HIGH_SENTINELS = [49157, 57349] as const;
const LOW_SENTINELS = [12437, 20631] as const;

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
  readonly #net: Network;
  readonly #request: TraceRequest;
  readonly #s: number;
  readonly #n: number;
  readonly #hows: readonly string[];
  #filled: Partial<Record<keyof TraceResultData, unknown>> | undefined;
  #own: TraceResult | undefined;

  /** @internal */
  constructor(leaf: Leaf, net: Network, request: TraceRequest, s: number, n: number, hows: readonly string[]) {
    this.#leaf = leaf;
    this.#net = net;
    this.#request = request;
    this.#s = s;
    this.#n = n;
    this.#hows = hows;
  }

  #get<K extends keyof TraceResultData>(k: K): TraceResultData[K] {
    const t = this.#leaf.fields[k] ?? lazyTemplate(this.#leaf, k as LazyField);
    if (t === undefined) {
      // no template for this field: the flow's own walk
      this.#own ??= trace(this.#net, this.#request);
      return this.#own[k as LazyField] as TraceResultData[K];
    }
    if (t.c) return t.v as TraceResultData[K];
    const f = (this.#filled ??= {});
    if (!(k in f)) f[k] = fill(t, this.#s, this.#n, this.#hows);
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
   * The summary's view of this flow (shared by every flow of its template): the first Cilium
   * node its hops pass through (`-` when none), its backend (`namespace/name`, else the node,
   * `-` when none), its reason (`-` when forwarded), and the row key; undefined when the reason
   * shows the port (then each flow's own fields are read).
   */
  summaryOf(net: Network): { readonly key: string; readonly entry: string; readonly backend: string; readonly reason: string } | undefined {
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
    leaf.summary = { key: `${this.verdict}\u0000${reason}\u0000${entry}\u0000${backend}`, entry, backend, reason };
    return leaf.summary;
  }

  /** The result as plain data ({@link traceResultData}). */
  toJSON(): TraceResultData {
    return traceResultData(this);
  }
}

const PROTO_INDEX: Readonly<Record<string, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/**
 * Traces many flows over one network with the bulk fast path (module doc): the first flow of a
 * class (client, source address, destination, port, protocol, and whether the source port is in
 * the NAT range) takes the full walk, later ones are filled in from the class's templates. Every
 * result equals `trace(net, request)` of the same request. Holds its templates for its lifetime
 * (one bulk job); it never changes the network.
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
  readonly #current: { rec: Recorder | undefined } = { rec: undefined };
  readonly #deciding: Network;
  readonly #classes = new Map<string, Map<string, Map<number, FlowClass>>>();
  #flows = 0;
  #walked = 0;
  #classCount = 0;
  #leaves = 0;

  /** @param net The network every flow is traced on. */
  constructor(net: Network) {
    this.#net = net;
    this.#plain = new Walk(net);
    this.#deciding = decidingNetwork(net, this.#current);
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
    if (!this.#enabled || request.http !== undefined || proto === undefined || !Number.isInteger(s) || s < 1 || s > 65535) return this.#walk(request);
    const c = this.#classOf(request, proto, s >= NAT_PORT_MIN);
    if (c.dead || c.seen++ < 2) return this.#walk(request);
    const n = natPort(s);
    let node = c.root;
    let hows: string[] | undefined;
    while (node !== undefined && node.kind === 'branch') {
      const q = node.q;
      let o: Step['o'];
      if (q.kind === 'lb') {
        const pick = askLb(this.#plain, q, s, n);
        if (pick === undefined) o = NO_BACKEND;
        else {
          o = pick.backend;
          (hows ??= []).push(pick.how);
        }
      } else o = askEcmp(net, q, s, n);
      node = node.next.get(o);
    }
    if (node === undefined) return this.#build(c, request, s);
    if (node.consts.has(s) || node.consts.has(n)) return this.#walk(request);
    if (node.textless) return this.#walk(request);
    return new BulkResult(node, net, request, s, n, hows ?? NO_HOWS);
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
      m2.set(k3, (c = { seen: 0, failures: 0, dead: false, root: undefined }));
      this.#classCount++;
    }
    return c;
  }

  /** One template run: the walk of `request` carrying port `sentinel`, decisions from port `s`. */
  #run(request: TraceRequest, sentinel: number, s: number): [Recorder, TraceResult] {
    const rec = new Recorder(sentinel, s, this.#plain);
    this.#current.rec = rec;
    try {
      return [rec, traceWith(this.#deciding, { ...request, sport: sentinel }, (w) => new DecidingWalk(w, rec))];
    } finally {
      this.#current.rec = undefined;
    }
  }

  /**
   * The two template runs of a leaf again (sentinel `a`, the port `s` it was built from), for
   * its lazy fields; undefined if they no longer decide the same (never for a pure walk).
   * @internal
   */
  templateRuns(request: TraceRequest, a: number, s: number): [TraceResult, TraceResult] | undefined {
    const [recA, resA] = this.#run(request, a, s);
    const [recR, resR] = this.#run(request, s, s);
    if (recA.steps.length !== recR.steps.length || recA.steps.some((st, i) => !sameQuestion(st.q, recR.steps[i]!.q) || st.o !== recR.steps[i]!.o)) return undefined;
    return [resA, resR];
  }

  /** A new leaf from two template runs (module doc); the full walk when that fails. */
  #build(c: FlowClass, request: TraceRequest, s: number): TraceResult {
    const net = this.#net;
    const n = natPort(s);
    const candidates = s >= NAT_PORT_MIN ? HIGH_SENTINELS : LOW_SENTINELS;
    const a = candidates[0] !== s && natPort(candidates[0]) !== n ? candidates[0] : candidates[1];
    const [recA, resA] = this.#run(request, a, s);
    const [recR, resR] = this.#run(request, s, s);
    const fail = (dead: boolean): TraceResult => {
      if (dead || ++c.failures >= 3) c.dead = true;
      return this.#walk(request);
    };
    if (!templatable(resR) || !templatable(resA)) return fail(true);
    if (recA.steps.length !== recR.steps.length || recA.steps.some((st, i) => !sameQuestion(st.q, recR.steps[i]!.q) || st.o !== recR.steps[i]!.o)) return fail(false);
    if (!sameShape(resA, resR)) return fail(false);
    const ctx: CompileContext = { a, na: natPort(a), s, n, consts: new Set() };
    for (const st of recR.steps) {
      if (st.q.sport >= 0) addConst(ctx, st.q.sport);
      if (st.q.dport >= 0) addConst(ctx, st.q.dport);
    }
    const fields: Partial<Record<keyof TraceResultData, Tpl>> = {};
    for (const k of EAGER) {
      const t = compile(resA[k], resR[k], ctx);
      if (t === undefined) return fail(false);
      fields[k] = t;
    }
    // A sentinel or the flow's port equal to a constant of the walk: the runs may not be the real one.
    if (ctx.consts.has(a) || ctx.consts.has(ctx.na) || ctx.consts.has(s) || ctx.consts.has(n)) return fail(false);
    const leaf: Leaf = { kind: 'leaf', fields, consts: ctx.consts, hosts: resR.hops.map((h) => h.host), runs: { tracer: this, request, ctx }, textless: false };
    if (!insert(c, recR.steps, leaf)) return fail(true);
    this.#leaves++;
    return new BulkResult(leaf, net, request, s, n, recR.hows);
  }
}

/**
 * The template of a lazy field (hops, answer), compiled from the leaf's two runs when first read;
 * undefined (and the leaf marked textless) when the runs differ by more than the port there.
 */
function lazyTemplate(leaf: Leaf, k: LazyField): Tpl | undefined {
  if (leaf.textless || leaf.runs === undefined) return undefined;
  const { tracer, request, ctx } = leaf.runs;
  const runs = tracer.templateRuns(request, ctx.a, ctx.s);
  if (runs === undefined) {
    leaf.textless = true;
    leaf.runs = undefined;
    return undefined;
  }
  const [a, r] = runs;
  const data = (x: TraceResult): unknown => {
    if (k === 'hops') return x.hops.map((h) => ({ host: h.host, event: h.event, detail: h.detail }));
    const ans = x.answer;
    return ans === null ? null : { kind: ans.kind, status: ans.status, body: ans.body };
  };
  // the constants of the text are not packet ports: a scratch set (the leaf's guard is already fixed)
  const t = compile(data(a), data(r), { ...ctx, consts: new Set() });
  if (t === undefined) {
    leaf.textless = true;
    leaf.runs = undefined;
    return undefined;
  }
  leaf.fields[k] = t;
  if (leaf.fields.hops !== undefined && leaf.fields.answer !== undefined) leaf.runs = undefined;
  return t;
}

/** Adds a leaf at the end of a path of decisions; false when the path contradicts the tree. */
function insert(c: FlowClass, steps: readonly Step[], leaf: Leaf): boolean {
  const chain = (i: number): Branch | Leaf => (i === steps.length ? leaf : { kind: 'branch', q: steps[i]!.q, next: new Map([[steps[i]!.o, chain(i + 1)]]) });
  if (c.root === undefined) {
    c.root = chain(0);
    return true;
  }
  let node: Branch | Leaf = c.root;
  for (let i = 0; i < steps.length; i++) {
    if (node.kind !== 'branch' || !sameQuestion(node.q, steps[i]!.q)) return false;
    const next: Branch | Leaf | undefined = node.next.get(steps[i]!.o);
    if (next === undefined) {
      node.next.set(steps[i]!.o, chain(i + 1));
      return true;
    }
    node = next;
  }
  return false;
}
