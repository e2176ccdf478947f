/**
 * Who may talk to whom: the connectivity matrix of a set of pods on one port, each cell a full
 * {@link trace} from the client pod to the server pod's address (so services, SNAT and routing
 * around policy count as they would on the wire), with the verdict and, when policy dropped it,
 * the policy that did.
 *
 * Cost: one trace per (client, server) pair: n² walks for n pods; pick pods by namespace.
 *
 * @module
 */
import { u32ToIpv4 } from '../net/addr.js';
import type { Network, NetPod } from '../network/types.js';
import { trace } from './trace.js';
import type { L4Protocol } from './types.js';
import { compareStrings } from '../net/compare.js';

/**
 * One cell of the matrix.
 *
 * @example
 * ```ts
 * const c: MatrixCell = { from: 'x/a', to: 'x/b', allowed: false, reason: 'Policy denied', policies: ['NetworkPolicy x/deny-all'] };
 * ```
 */
export interface MatrixCell {
  /** Client pod. */
  readonly from: string;
  /** Server pod. */
  readonly to: string;
  /** The client got its answer. */
  readonly allowed: boolean;
  /** Why not (the trace's reason), null when allowed. */
  readonly reason: string | null;
  /** The policies behind a policy drop (deny rule, or the policies that made the direction default-deny). */
  readonly policies: readonly string[];
}

/**
 * The matrix: pods in order, and `cells[i][j]` from pod i to pod j.
 *
 * @example
 * ```ts
 * const m = policyMatrix(net, { port: 80 });
 * m.cells[0]?.[1]?.allowed;
 * ```
 */
export interface PolicyMatrix {
  /** Port probed. */
  readonly port: number;
  /** Protocol probed. */
  readonly protocol: L4Protocol;
  /** Pods (`namespace/name`), sorted. */
  readonly pods: readonly string[];
  /** Rows by client, columns by server. */
  readonly cells: readonly (readonly MatrixCell[])[];
}

/**
 * The pods the matrix shows: every pod with an address that is not host-network, optionally
 * only those of some namespaces.
 *
 * @example
 * ```ts
 * matrixPods(net, ['x', 'y']).map((p) => p.key); // ['x/a', 'x/b', …]
 * ```
 */
export function matrixPods(net: Network, namespaces?: readonly string[]): NetPod[] {
  return [...net.pods.values()]
    .filter((p) => !p.hostNetwork && p.ip >= 0 && (namespaces === undefined || namespaces.length === 0 || namespaces.includes(p.namespace)))
    .sort((a, b) => compareStrings(a.key, b.key));
}

/**
 * One cell: a trace from `from` to `to`'s address on the port.
 *
 * @example
 * ```ts
 * matrixCell(net, fromPod, toPod, 80, 'TCP').allowed;
 * ```
 */
export function matrixCell(net: Network, from: NetPod, to: NetPod, port: number, protocol: L4Protocol): MatrixCell {
  const r = trace(net, { from: from.key, dst: u32ToIpv4(to.ip), dport: port, protocol });
  const allowed = r.verdict === 'FORWARDED';
  const policies = new Set<string>();
  if (!allowed) {
    for (const f of r.flows ?? []) if (f.event === 'policy-verdict' && f.verdict === 'DROPPED') for (const p of f.policies ?? []) policies.add(p);
  }
  return { from: from.key, to: to.key, allowed, reason: allowed ? null : r.reason, policies: [...policies] };
}

/**
 * The connectivity matrix of the pods of `namespaces` (all pods when empty) on `port`.
 *
 * @example
 * ```ts
 * policyMatrix(net, { port: 80, namespaces: ['x', 'y', 'z'] }).pods.length; // 9
 * ```
 */
export function policyMatrix(net: Network, opts: { port: number; protocol?: L4Protocol; namespaces?: readonly string[] }): PolicyMatrix {
  const protocol = opts.protocol ?? 'TCP';
  const pods = matrixPods(net, opts.namespaces);
  const cells = pods.map((a) => pods.map((b) => matrixCell(net, a, b, opts.port, protocol)));
  return { port: opts.port, protocol, pods: pods.map((p) => p.key), cells };
}
