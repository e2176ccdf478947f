/**
 * Keys of the twin's memo: a key is a value (an object compared by identity) that carries the
 * type of what it names, so `twin.memo(key, compute)` is typed and two stages never collide on a
 * string.
 *
 * @module
 */

/**
 * The key of one memoised value of type `T` (create it once, at module level, with
 * {@link memoKey}).
 *
 * @example
 * ```ts
 * import { memoKey, type MemoKey } from 'cilium-twin/twin';
 * const egressKey: MemoKey<readonly string[]> = memoKey('egress');
 * ```
 */
export interface MemoKey<T> {
  /** A name for messages and debugging (keys are compared by identity, not by name). */
  readonly name: string;
  /** Carries `T` in the type only; never set. */
  readonly type?: (value: T) => T;
}

/**
 * A new memo key. Two calls give two different keys, even with the same name.
 *
 * @example
 * ```ts
 * import { createTwin, memoKey } from 'cilium-twin/twin';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * const podCount = memoKey<number>('pod-count');
 * const twin = createTwin(cluster);
 * twin.memo(podCount, (t) => t.cluster.scenario.pods.length); // computed once per twin
 * ```
 */
export function memoKey<T>(name: string): MemoKey<T> {
  return { name };
}
