/**
 * The packet walk's request and result types, and the JSON contract of `trace -o json`.
 *
 * @module
 */
import type { FlowEvent } from '../policy/flow-event.js';

import type { L4Protocol } from '../net/hash.js';

export type { L4Protocol };

/**
 * What to trace: a client, a destination `address:port/protocol`, and optionally the source
 * address (curl's `--interface`) and source port.
 *
 * @example
 * ```ts
 * const req: TraceRequest = { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' };
 * ```
 */
export interface TraceRequest {
  /** The client: a Host or node name, or a pod (`namespace/name`, or a pod name when unique). */
  readonly from: string;
  /** Source address to bind (an address of the client), like curl's `--interface ADDR`. */
  readonly srcAddress?: string;
  /** Destination IPv4 address. */
  readonly dst: string;
  /** Destination port. */
  readonly dport: number;
  /** L4 protocol (default TCP). */
  readonly protocol?: L4Protocol;
  /** Source port (default: decision 7's fixed ephemeral port). */
  readonly sport?: number;
  /**
   * The HTTP request as curl sends it: the `Host` header and the request target (default: `/` and
   * the address), the method (default `GET`) and extra headers (`-H`).
   */
  readonly http?: {
    readonly host: string;
    readonly path: string;
    readonly method?: string;
    readonly headers?: readonly (readonly [string, string])[];
  };
}

/**
 * The one verdict of a trace.
 *
 * @example
 * ```ts
 * const v: Verdict = 'DROPPED';
 * ```
 */
export type Verdict = 'FORWARDED' | 'DROPPED';

/**
 * One step of the walk: where it happened, what happened, and the details a person reads
 * (Hubble-like lines on Cilium nodes).
 *
 * @example
 * ```ts
 * const hop: Hop = { host: 'k8s-ctr', event: 'to-network', detail: '...' };
 * ```
 */
export interface Hop {
  /** The host (node or router name) or pod (`namespace/name`) where it happened. */
  readonly host: string;
  /** What happened: `route`, `forward`, `from-network`, `lb`, `snat`, `to-endpoint`, `drop`, … */
  readonly event: string;
  /** Human-readable details. */
  readonly detail: string;
}

/**
 * An address pair as `ip:port` strings.
 *
 * @example
 * ```ts
 * const a: AddressPair = { src: '192.168.10.100:40000', dst: '172.20.1.76:80' };
 * ```
 */
export interface AddressPair {
  /** Source `ip:port`. */
  readonly src: string;
  /** Destination `ip:port`. */
  readonly dst: string;
}

/**
 * The backend that answered (or was chosen).
 *
 * @example
 * ```ts
 * const b: TraceBackend = { pod: 'default/webpod-697b545f57-hhjqw', node: 'k8s-w1', address: '172.20.1.76:80' };
 * ```
 */
export interface TraceBackend {
  /** `namespace/name` of the pod; `null` when a Host (or a node's host network) answers. */
  readonly pod: string | null;
  /** The node (or Host) it runs on. */
  readonly node: string;
  /** Its `ip:port`. */
  readonly address: string;
}

/**
 * What the server sent back: the HTTP body of a `traefik/whoami` pod or of a Host's `http:`
 * server (`null` body for other applications).
 *
 * @example
 * ```ts
 * const a: TraceAnswer = { kind: 'host-http', status: 403, body: 'Access denied. …\n' };
 * ```
 */
export interface TraceAnswer {
  /** `whoami`, `host-http`, `envoy` (an answer through Cilium's Envoy), or `tcp` (an application the model does not know). */
  readonly kind: 'whoami' | 'host-http' | 'envoy' | 'tcp';
  /** HTTP status code (0 for `tcp`). */
  readonly status: number;
  /** The body, exactly as the server writes it (`null` for `tcp`). */
  readonly body: string | null;
  /** Response headers as sent (Envoy's; absent: the server's defaults, see `src/views/curl.ts`). */
  readonly headers?: readonly (readonly [string, string])[];
}

/**
 * How the client perceives the outcome: an answer; nothing at all (`timeout`, curl exit 28);
 * an immediate refusal (`refused`: TCP reset or ICMP unreachable, curl exit 7); or no route on
 * the client itself (`unreachable`, curl exit 7).
 *
 * @example
 * ```ts
 * const o: ClientOutcome = 'timeout'; // curl exits 28
 * ```
 */
export type ClientOutcome = 'answered' | 'timeout' | 'refused' | 'unreachable';

/**
 * The result of a trace: the JSON contract's fields, plus what curl needs.
 *
 * @example
 * ```ts
 * const r = trace(network, { from: 'router', dst: '172.16.1.1', dport: 80 });
 * if (r.verdict === 'DROPPED') console.log(r.reason);
 * ```
 */
export interface TraceResult {
  /** FORWARDED when the client got its answer from the address it asked; DROPPED otherwise. */
  readonly verdict: Verdict;
  /** Why it was dropped (Cilium's drop reason text, or a network reason); `null` when forwarded. */
  readonly reason: string | null;
  /** The request as the client sends it. */
  readonly request: { readonly src: string; readonly dst: string; readonly proto: L4Protocol };
  /** The chosen backend, when the packet reached one. */
  readonly backend: TraceBackend | null;
  /** The packet as the backend receives it. */
  readonly seenByBackend: AddressPair | null;
  /** The answer as the client receives it. */
  readonly reply: AddressPair | null;
  /** Every step: forward walk, the answer, and the walk back. */
  readonly hops: readonly Hop[];
  /** The server's answer, when one was sent. */
  readonly answer: TraceAnswer | null;
  /** How the client perceives the outcome. */
  readonly outcome: ClientOutcome;
  /** Cilium's drop code when the datapath dropped, else `null`. */
  readonly dropCode: number | null;
  /** What Hubble would show of it (datapath events of both walks); absent when not recorded. */
  readonly flows?: readonly FlowEvent[];
  /** The source NAT translations the flow left in nodes' NAT maps (`cilium-dbg bpf nat list`). */
  readonly nat?: readonly NatTranslation[];
}

/**
 * One source NAT translation a traced flow left in a node's BPF NAT map
 * (`cilium_snat_v4_external`): the original tuple and the translated source.
 *
 * @example
 * ```ts
 * const n: NatTranslation = { node: 'kind-worker2', proto: 'TCP', src: '10.244.1.37', sport: 40000, dst: '172.18.0.50', dport: 8000, natAddr: '172.18.0.100', natPort: 40000 };
 * ```
 */
export interface NatTranslation {
  /** The node holding the entry. */
  readonly node: string;
  /** `TCP`, `UDP`, `SCTP`. */
  readonly proto: string;
  /** Original source address. */
  readonly src: string;
  /** Original source port. */
  readonly sport: number;
  /** Destination address. */
  readonly dst: string;
  /** Destination port. */
  readonly dport: number;
  /** Translated source address. */
  readonly natAddr: string;
  /** Translated source port. */
  readonly natPort: number;
}

/**
 * The JSON contract of `trace -o json` (stable): exactly these fields.
 *
 * @example
 * ```ts
 * const json: TraceJson = traceJson(result);
 * ```
 */
export interface TraceJson {
  /** FORWARDED or DROPPED. */
  readonly verdict: Verdict;
  /** Drop reason or `null`. */
  readonly reason: string | null;
  /** `{src, dst, proto}` of the request. */
  readonly request: { readonly src: string; readonly dst: string; readonly proto: L4Protocol };
  /** `{pod, node, address}` or `null`. */
  readonly backend: TraceBackend | null;
  /** `{src, dst}` or `null`. */
  readonly seenByBackend: AddressPair | null;
  /** `{src, dst}` or `null`. */
  readonly reply: AddressPair | null;
  /** `[{host, event, detail}]`. */
  readonly hops: readonly Hop[];
}
