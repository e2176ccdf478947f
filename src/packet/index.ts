/**
 * The packet stage as a sub-path (`cilium-twin/packet`): one trace, and flows in bulk (JSON
 * lines of requests, `traceAll` over an iterable of requests, the summary by verdict, reason,
 * entry node and backend).
 *
 * @example
 * ```ts
 * import { parseFlows, traceAll, FlowSummary } from 'cilium-twin/packet';
 * import type { CompiledNetwork } from 'cilium-twin/network';
 * declare const text: string; // flow lines
 * declare const net: CompiledNetwork;
 * const requests = [...parseFlows(text)].flatMap((f) => (f.request ? [f.request] : []));
 * const summary = new FlowSummary(net);
 * for (const r of traceAll(net, requests)) summary.add(r);
 * ```
 *
 * @module
 */
export type * from './types.js';
export { trace, traceJson, parseDestination, resolveClient, type Client } from './trace.js';
export { BulkTracer, BulkResult, traceResultData, type FlowSummaryView, type TraceResultData } from './bulk.js';
export { FLOW_FIELDS, FlowSummary, entryNode, flowLine, parseFlowLine, parseFlows, traceAll, type FlowLine, type FlowSummaryRow } from './flows.js';
export { policyMatrix, matrixCell, matrixPods, type MatrixCell, type PolicyMatrix } from './matrix.js';
export { addressIdentity, policyCheck } from './hubble-events.js';
export { whoamiBody, hostHttpAnswer, linkLocalFromMac, canonicalHeader, type WhoamiInput } from './whoami.js';
export { envoyLocalReply, httpRequestOf, requestId, HTTP_DATE, type EnvoyServed } from './envoy.js';
export { DROP_REASONS, dropReasonText } from './drop-reasons.js';
export {
  DEFAULT_SOURCE_PORT,
  EPHEMERAL_PORT_MIN,
  EPHEMERAL_PORT_MAX,
  NAT_PORT_MIN,
  NAT_PORT_MAX,
  CURL_USER_AGENT,
  INITIAL_TTL,
  repeatSourcePort,
  natPort,
} from './decisions.js';
export { flowHash, flowHash6, maglevSeeds } from './hash.js';
