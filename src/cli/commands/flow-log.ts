/**
 * The flows of one CLI invocation: every trace a command runs (`trace`, `curl`) leaves its
 * datapath events in the twin it asked (a twin memo, so they live exactly as long as the
 * invocation's twin), for `hubble observe` later in the same invocation (a `run` script, or the
 * `main` job). Session state of the CLI: the core stays pure.
 *
 * @module
 */
import type { FlowEvent } from '../../policy/flow-event.js';
import type { TraceResult } from '../../packet/types.js';
import { memoKey } from '../../twin/memo.js';
import type { Twin } from '../../twin/twin.js';

/** The invocation's flow log, one array per twin. */
const flowLog = memoKey<FlowEvent[]>('cli-flow-log');

/**
 * Records a trace's flow events in the twin's log.
 *
 * @example
 * ```ts
 * recordFlows(twinOf(ctx), twinOf(ctx).trace(request));
 * ```
 */
export function recordFlows(twin: Twin, r: TraceResult): void {
  if (r.flows === undefined || r.flows.length === 0) return;
  twin.memo(flowLog, () => []).push(...r.flows);
}

/**
 * The flow events recorded in the twin so far, in order.
 *
 * @example
 * ```ts
 * recordedFlows(twinOf(ctx)).length;
 * ```
 */
export function recordedFlows(twin: Twin): readonly FlowEvent[] {
  return twin.memo(flowLog, () => []);
}
