/**
 * The record of one datapath event as Hubble sees it (a trace point, a socket-LB translation, a
 * policy verdict, a drop). The packet walk writes them (`src/packet/flows.ts`), `hubble observe`
 * prints them (`src/views/hubble.ts`). Defined here, below both, with the policy vocabulary it
 * uses.
 *
 * @module
 */
import type { Direction, MatchType } from './resolve.js';
import type { WireAddr } from '../net/wire.js';

/**
 * One event Hubble would show.
 *
 * @example
 * ```ts
 * import type { FlowEvent } from 'cilium-twin/policy';
 * const f: FlowEvent = { node: 'k8s-ctr', src: 0xac140001, sport: 40000, dst: 0xac140102, dport: 80, proto: 6, srcIdentity: 256, dstIdentity: 257, event: 'to-endpoint', verdict: 'FORWARDED', reply: false };
 * f.event;
 * ```
 */
export interface FlowEvent {
  /** Node that observed it. */
  readonly node: string;
  /** Source address (u32 IPv4, bigint IPv6). */
  readonly src: WireAddr;
  /** Source port. */
  readonly sport: number;
  /** Destination address (u32 IPv4, bigint IPv6). */
  readonly dst: WireAddr;
  /** Destination port. */
  readonly dport: number;
  /** IANA protocol. */
  readonly proto: number;
  /** Source identity. */
  readonly srcIdentity: number;
  /** Destination identity. */
  readonly dstIdentity: number;
  /** Trace point (`to-endpoint`, …), `policy-verdict`, `drop`, or a socket-LB point (`post-xlate-fwd`). */
  readonly event: string;
  /** `FORWARDED`, `DROPPED`, `TRANSLATED`, … */
  readonly verdict: string;
  /** True for the answer direction. */
  readonly reply: boolean;
  /** Drop code (drops). */
  readonly dropCode?: number;
  /** Drop reason text (drops). */
  readonly dropReason?: string;
  /** Policy-verdict match type. */
  readonly match?: MatchType;
  /** Policy-verdict direction. */
  readonly direction?: Direction;
  /** The policies behind a policy verdict. */
  readonly policies?: readonly string[];
  /** An L7 HTTP record (`http-request`, `http-response` events from the proxy's access log). */
  readonly http?: HttpFlowRecord;
  /** A name Hubble prints for the destination instead of its address (a Service `namespace/name`). */
  readonly dstName?: string;
  /** A name Hubble prints for the source instead of its address (a Service `namespace/name`). */
  readonly srcName?: string;
}

/**
 * The HTTP part of an L7 flow (Hubble's `l7.http`).
 *
 * @example
 * ```ts
 * import type { HttpFlowRecord } from 'cilium-twin/policy';
 * const h: HttpFlowRecord = { method: 'GET', url: 'http://172.16.1.2/details/1', protocol: 'HTTP/1.1', code: 403 };
 * h.code;
 * ```
 */
export interface HttpFlowRecord {
  /** Method. */
  readonly method: string;
  /** URL (`http://host/path`). */
  readonly url: string;
  /** Protocol (`HTTP/1.1`). */
  readonly protocol: string;
  /** Status code (responses). */
  readonly code?: number;
}

