/**
 * The flows of one CLI invocation: every trace a command runs (`trace`, `curl`) leaves its
 * datapath events here, keyed by the cluster object, for `hubble observe` later in the same
 * invocation (a `run` script, or the `main` job). CLI-layer state: the core stays pure.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { FlowEvent } from '../../policy/flow-event.js';
import type { TraceResult } from '../../packet/types.js';

const log = new WeakMap<Cluster, FlowEvent[]>();

/**
 * Records a trace's flow events for the cluster.
 *
 * @example
 * ```ts
 * recordFlows(ctx.cluster, trace(net, request));
 * ```
 */
export function recordFlows(cluster: Cluster, r: TraceResult): void {
  if (r.flows === undefined || r.flows.length === 0) return;
  const l = log.get(cluster);
  if (l) l.push(...r.flows);
  else log.set(cluster, [...r.flows]);
}

/**
 * The flow events recorded for the cluster so far, in order.
 *
 * @example
 * ```ts
 * recordedFlows(ctx.cluster).length;
 * ```
 */
export function recordedFlows(cluster: Cluster): readonly FlowEvent[] {
  return log.get(cluster) ?? [];
}
