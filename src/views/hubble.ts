/**
 * `hubble observe`: flows rendered as Hubble's printer does (`hubble/pkg/printer/printer.go`):
 * compact (the default), `-o dict`, `-o json` (one `GetFlowsResponse` per line), and the
 * filters the CLI takes.
 *
 * Timestamps: flows of the twin have no time; every flow carries the fixed time
 * {@link HUBBLE_TIME} (`1970-01-01T00:00:00Z`, compact `Jan  1 00:00:00.000`), documented in
 * `docs/decisions.md`; the order of the lines is the order of the events.
 *
 * @module
 */
import { type WireAddr, wireText } from '../net/wire.js';
import type { FlowEvent } from '../policy/flow-event.js';

/**
 * The fixed time of every flow (RFC 3339).
 *
 * @example
 * ```ts
 * HUBBLE_TIME; // '1970-01-01T00:00:00Z'
 * ```
 */
export const HUBBLE_TIME = '1970-01-01T00:00:00Z';

const COMPACT_TIME = 'Jan  1 00:00:00.000';

/**
 * One end of a flow, resolved: address, port, pod and identity with its labels.
 *
 * @example
 * ```ts
 * const e: FlowEndpoint = { ip: '172.20.0.10', port: 40000, namespace: 'x', pod: 'a', identity: 256, labels: ['k8s:pod=a'] };
 * ```
 */
export interface FlowEndpoint {
  /** Address. */
  readonly ip: string;
  /** L4 port. */
  readonly port: number;
  /** Pod namespace, when a pod. */
  readonly namespace?: string;
  /** Pod name, when a pod. */
  readonly pod?: string;
  /** Security identity. */
  readonly identity: number;
  /** Identity labels. */
  readonly labels: readonly string[];
}

/**
 * A flow as `hubble observe` prints it (the packet in the direction it travelled).
 *
 * @example
 * ```ts
 * const f: HubbleFlow = { event, source, destination };
 * ```
 */
export interface HubbleFlow {
  /** The datapath event. */
  readonly event: FlowEvent;
  /** Source end. */
  readonly source: FlowEndpoint;
  /** Destination end. */
  readonly destination: FlowEndpoint;
}

const RESERVED_NAMES: Readonly<Record<number, string>> = {
  1: 'host',
  2: 'world',
  3: 'unmanaged',
  4: 'health',
  5: 'init',
  6: 'remote-node',
  7: 'kube-apiserver',
  8: 'ingress',
  9: 'world-ipv4',
  10: 'world-ipv6',
};

const PROTO_NAME: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** Trace points: sub-type and proto enum name. */
const TRACE_POINTS: Readonly<Record<string, { sub: number; name: string }>> = {
  'to-endpoint': { sub: 0, name: 'TO_ENDPOINT' },
  'to-proxy': { sub: 1, name: 'TO_PROXY' },
  'to-host': { sub: 2, name: 'TO_HOST' },
  'to-stack': { sub: 3, name: 'TO_STACK' },
  'to-overlay': { sub: 4, name: 'TO_OVERLAY' },
  'from-endpoint': { sub: 5, name: 'FROM_ENDPOINT' },
  'from-network': { sub: 10, name: 'FROM_NETWORK' },
  'to-network': { sub: 11, name: 'TO_NETWORK' },
};

const DROP_NAMES: Readonly<Record<number, string>> = {
  133: 'POLICY_DENIED',
  134: 'INVALID_PACKET_DROPPED',
  151: 'STALE_OR_UNROUTABLE_IP',
  158: 'SERVICE_BACKEND_NOT_FOUND',
  160: 'NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT',
  174: 'IS_A_CLUSTERIP',
  177: 'DENIED_BY_LB_SRC_RANGE_CHECK',
  181: 'POLICY_DENY',
  196: 'TTL_EXCEEDED',
};

/**
 * Hubble's identity tag: `(host)` for reserved identities, else `(ID:n)`.
 *
 * @example
 * ```ts
 * identityTag(1); // '(host)'
 * identityTag(256); // '(ID:256)'
 * ```
 */
export function identityTag(id: number): string {
  const r = RESERVED_NAMES[id];
  return r !== undefined ? `(${r})` : `(ID:${id})`;
}

function hostText(e: FlowEndpoint): string {
  const host = e.pod !== undefined ? `${e.namespace}/${e.pod}` : e.ip;
  if (e.port === 0) return host;
  return e.pod !== undefined || !e.ip.includes(':') ? `${host}:${e.port}` : `[${e.ip}]:${e.port}`;
}

function tcpFlags(f: HubbleFlow): string[] {
  return f.event.reply ? ['SYN', 'ACK'] : ['SYN'];
}

/**
 * The summary column: `TCP Flags: SYN`, `UDP`, …
 *
 * @example
 * ```ts
 * flowSummary(flow); // 'TCP Flags: SYN'
 * ```
 */
export function flowSummary(f: HubbleFlow): string {
  const h = f.event.http;
  if (h !== undefined) {
    return h.code === undefined ? `${h.protocol} ${h.method} ${h.url}` : `${h.protocol} ${h.code} 0ms (${h.method} ${h.url})`;
  }
  if (f.event.proto === 6) return `TCP Flags: ${tcpFlags(f).join(', ')}`;
  return PROTO_NAME[f.event.proto] ?? 'IP';
}

/**
 * The TYPE column (`GetFlowType`): the trace point, the drop reason, `policy-verdict:<match> <DIR>`,
 * or the socket-LB point.
 *
 * @example
 * ```ts
 * flowType(flow); // 'policy-verdict:L3-L4 INGRESS'
 * ```
 */
export function flowType(f: HubbleFlow): string {
  const e = f.event;
  if (e.event === 'drop') return e.dropReason ?? `${e.dropCode}`;
  if (e.event === 'policy-verdict') return `policy-verdict:${e.match ?? 'none'} ${(e.direction ?? 'ingress').toUpperCase()}`;
  return e.event;
}

/**
 * The VERDICT column: `ALLOWED`/`DENIED` for policy verdicts, else the verdict name.
 *
 * @example
 * ```ts
 * flowVerdict(flow); // 'DROPPED'
 * ```
 */
export function flowVerdict(f: HubbleFlow): string {
  if (f.event.event === 'policy-verdict') return f.event.verdict === 'DROPPED' ? 'DENIED' : 'ALLOWED';
  return f.event.verdict;
}

/**
 * One compact line: `TIME: SRC (ID) -> DST (ID) TYPE VERDICT (SUMMARY)`; replies print the
 * initiator first with `<-`.
 *
 * @example
 * ```ts
 * compactLine(flow); // 'Jan  1 00:00:00.000: x/a:40000 (ID:256) -> x/b:80 (ID:257) to-endpoint FORWARDED (TCP Flags: SYN)'
 * ```
 */
export function compactLine(f: HubbleFlow, nodeName = false): string {
  const a = `${hostText(f.source)} ${identityTag(f.source.identity)}`;
  const b = `${hostText(f.destination)} ${identityTag(f.destination.identity)}`;
  const flow = f.event.reply ? `${b} <- ${a}` : `${a} -> ${b}`;
  const node = nodeName ? ` [${f.event.node}]` : '';
  return `${COMPACT_TIME}${node}: ${flow} ${flowType(f)} ${flowVerdict(f)} (${flowSummary(f)})`;
}

/**
 * `-o dict`: one block per flow, separated by `------------`.
 *
 * @example
 * ```ts
 * dictBlock(flow).split('\n')[0]; // '  TIMESTAMP: Jan  1 00:00:00.000'
 * ```
 */
export function dictBlock(f: HubbleFlow): string {
  return [
    `  TIMESTAMP: ${COMPACT_TIME}`,
    `     SOURCE: ${hostText(f.source)}`,
    `DESTINATION: ${hostText(f.destination)}`,
    `       TYPE: ${flowType(f)}`,
    `    VERDICT: ${flowVerdict(f)}`,
    `    SUMMARY: ${flowSummary(f)}`,
  ].join('\n');
}

function endpointJson(e: FlowEndpoint): Record<string, unknown> {
  return {
    identity: e.identity,
    ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
    ...(e.labels.length > 0 ? { labels: e.labels } : {}),
    ...(e.pod !== undefined ? { pod_name: e.pod } : {}),
  };
}

/**
 * `-o json`: a `GetFlowsResponse` object (`{"flow": …, "node_name": …, "time": …}`) with the
 * flow in protojson field names.
 *
 * @example
 * ```ts
 * JSON.parse(flowJson(flow)).flow.verdict; // 'FORWARDED'
 * ```
 */
export function flowJson(f: HubbleFlow): string {
  const e = f.event;
  const proto = PROTO_NAME[e.proto] ?? 'IP';
  const l4 =
    e.proto === 6
      ? { TCP: { source_port: f.source.port, destination_port: f.destination.port, flags: Object.fromEntries(tcpFlags(f).map((x) => [x, true])) } }
      : { [proto]: { source_port: f.source.port, destination_port: f.destination.port } };
  const eventType =
    e.event === 'drop'
      ? { type: 1, sub_type: e.dropCode ?? 0 }
      : e.event === 'policy-verdict'
        ? { type: 5 }
        : e.event.includes('xlate')
          ? { type: 7 }
          : e.http !== undefined
            ? { type: 129 }
            : { type: 4, sub_type: TRACE_POINTS[e.event]?.sub ?? 0 };
  const flow: Record<string, unknown> = {
    time: HUBBLE_TIME,
    verdict: e.verdict,
    ...(e.event === 'drop' ? { drop_reason: e.dropCode } : {}),
    IP: { source: f.source.ip, destination: f.destination.ip, ipVersion: 'IPv4' },
    l4,
    source: endpointJson(f.source),
    destination: endpointJson(f.destination),
    Type: e.http !== undefined ? 'L7' : 'L3_L4',
    ...(e.http !== undefined
      ? {
          l7: {
            type: e.http.code === undefined ? 'REQUEST' : 'RESPONSE',
            http: { ...(e.http.code !== undefined ? { code: e.http.code } : {}), method: e.http.method, url: e.http.url, protocol: e.http.protocol },
          },
        }
      : {}),
    node_name: e.node,
    event_type: eventType,
    ...(e.direction !== undefined ? { traffic_direction: e.direction.toUpperCase() } : {}),
    ...(e.match !== undefined ? { policy_match_type: e.match } : {}),
    ...(TRACE_POINTS[e.event] !== undefined ? { trace_observation_point: TRACE_POINTS[e.event]!.name } : {}),
    is_reply: e.reply,
    ...(e.event === 'drop' ? { drop_reason_desc: DROP_NAMES[e.dropCode ?? 0] ?? 'DROP_REASON_UNKNOWN' } : {}),
    Summary: flowSummary(f),
  };
  return JSON.stringify({ flow, node_name: e.node, time: HUBBLE_TIME });
}

/**
 * The filters of `hubble observe`: a flag given several times matches any of its values; flags
 * of different kinds must all match.
 *
 * @example
 * ```ts
 * const q: FlowFilter = { verdicts: ['DROPPED'] };
 * ```
 */
export interface FlowFilter {
  /** `--from-pod` (`[ns/]pod`, namespace default `default`; a trailing `/` for a whole namespace). */
  readonly fromPods?: readonly string[];
  /** `--to-pod`. */
  readonly toPods?: readonly string[];
  /** `--pod` (either end). */
  readonly pods?: readonly string[];
  /** `--namespace` (either end). */
  readonly namespaces?: readonly string[];
  /** `--label key=value` or `key` (either end; identity labels, any source). */
  readonly labels?: readonly string[];
  /** `--identity` number or reserved name (either end). */
  readonly identities?: readonly string[];
  /** `--verdict`. */
  readonly verdicts?: readonly string[];
  /** `--protocol`. */
  readonly protocols?: readonly string[];
  /** `--port` (either end). */
  readonly ports?: readonly number[];
  /** `--type` (`trace`, `drop`, `policy-verdict`, `trace-sock`). */
  readonly types?: readonly string[];
  /** `--node-name`. */
  readonly nodes?: readonly string[];
}

function podMatches(e: FlowEndpoint, spec: string): boolean {
  const slash = spec.indexOf('/');
  const ns = slash < 0 ? 'default' : spec.slice(0, slash);
  const name = slash < 0 ? spec : spec.slice(slash + 1);
  if (e.pod === undefined || e.namespace !== ns) return false;
  return name === '' || e.pod.startsWith(name);
}

function labelMatches(e: FlowEndpoint, spec: string): boolean {
  const eq = spec.indexOf('=');
  const key = eq < 0 ? spec : spec.slice(0, eq);
  const value = eq < 0 ? undefined : spec.slice(eq + 1);
  return e.labels.some((l) => {
    const colon = l.indexOf(':');
    const rest = l.slice(colon + 1);
    const lk = rest.split('=')[0]!;
    const lv = rest.slice(lk.length + 1);
    const kOk = key.includes(':') ? l.startsWith(`${key}=`) || l === key || `${l.slice(0, colon)}:${lk}` === key : lk === key;
    return kOk && (value === undefined || lv === value);
  });
}

function identityMatches(e: FlowEndpoint, spec: string): boolean {
  if (/^[0-9]+$/.test(spec)) return e.identity === Number(spec);
  return RESERVED_NAMES[e.identity] === spec.replace(/^reserved:/, '');
}

function either(f: HubbleFlow, pred: (e: FlowEndpoint) => boolean): boolean {
  return pred(f.source) || pred(f.destination);
}

/**
 * True when a flow passes the filters.
 *
 * @example
 * ```ts
 * flowMatches(flow, { verdicts: ['DROPPED'] });
 * ```
 */
export function flowMatches(f: HubbleFlow, q: FlowFilter): boolean {
  const any = <A>(list: readonly A[] | undefined, pred: (a: A) => boolean): boolean => list === undefined || list.length === 0 || list.some(pred);
  const e = f.event;
  return (
    any(q.fromPods, (s) => podMatches(f.source, s)) &&
    any(q.toPods, (s) => podMatches(f.destination, s)) &&
    any(q.pods, (s) => either(f, (x) => podMatches(x, s))) &&
    any(q.namespaces, (s) => either(f, (x) => x.namespace === s)) &&
    any(q.labels, (s) => either(f, (x) => labelMatches(x, s))) &&
    any(q.identities, (s) => either(f, (x) => identityMatches(x, s))) &&
    any(q.verdicts, (v) => e.verdict === v.toUpperCase()) &&
    any(q.protocols, (p) => (p.toLowerCase() === 'http' ? e.http !== undefined : (PROTO_NAME[e.proto] ?? '').toLowerCase() === p.toLowerCase())) &&
    any(q.ports, (p) => f.source.port === p || f.destination.port === p) &&
    any(q.types, (t) => (t === 'trace' ? TRACE_POINTS[e.event] !== undefined : t === 'trace-sock' ? e.event.includes('xlate') : t === 'l7' ? e.http !== undefined : e.event === t)) &&
    any(q.nodes, (n) => e.node === n)
  );
}

/**
 * Renders flows in an output mode.
 *
 * @example
 * ```ts
 * renderFlows(flows, 'compact');
 * ```
 */
export function renderFlows(flows: readonly HubbleFlow[], mode: 'compact' | 'dict' | 'json' | 'jsonpb', nodeName = false): string {
  if (flows.length === 0) return '';
  if (mode === 'json' || mode === 'jsonpb') return `${flows.map(flowJson).join('\n')}\n`;
  if (mode === 'dict') return `${flows.map(dictBlock).join('\n------------\n')}\n`;
  return `${flows.map((f) => compactLine(f, nodeName)).join('\n')}\n`;
}

/**
 * Resolves a walk's flow events for printing: names and identity labels of both ends.
 *
 * @example
 * ```ts
 * resolveFlows(events, (addr) => net.podsByIp.get(addr)?.key, (id) => identityTable(cluster).byId.get(id)?.labels ?? []);
 * ```
 */
export function resolveFlows(
  events: readonly FlowEvent[],
  podOf: (addr: WireAddr) => string | undefined,
  labelsOf: (identity: number) => readonly string[],
): HubbleFlow[] {
  const end = (addr: WireAddr, port: number, identity: number): FlowEndpoint => {
    const key = podOf(addr);
    const slash = key?.indexOf('/') ?? -1;
    return {
      ip: wireText(addr),
      port,
      ...(key !== undefined ? { namespace: key.slice(0, slash), pod: key.slice(slash + 1) } : {}),
      identity,
      labels: labelsOf(identity),
    };
  };
  const named = (x: FlowEndpoint, name: string | undefined): FlowEndpoint => {
    if (name === undefined) return x;
    const slash = name.indexOf('/');
    return { ...x, namespace: name.slice(0, slash), pod: name.slice(slash + 1) };
  };
  return events.map((e) => ({
    event: e,
    source: named(end(e.src, e.sport, e.srcIdentity), e.srcName),
    destination: named(end(e.dst, e.dport, e.dstIdentity), e.dstName),
  }));
}
