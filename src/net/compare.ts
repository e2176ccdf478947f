/**
 * The one string order of the project: UTF-16 code units, as Go's `strings.Compare` and
 * `sort.Strings` order ASCII names (what Kubernetes and Cilium list by). Not locale-aware on
 * purpose: the same input sorts the same on every machine.
 *
 * @module
 */

/**
 * Compares two strings by code unit: negative, zero or positive, for `Array.prototype.sort`.
 *
 * @example
 * ```ts
 * import { compareStrings } from 'cilium-twin/net';
 * ['b', 'a', 'B'].sort(compareStrings); // ['B', 'a', 'b']
 * ```
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares `[key, value]` entries by their string key (for sorting `Map` entries).
 *
 * @example
 * ```ts
 * import { compareEntryKeys } from 'cilium-twin/net';
 * [...new Map([['b', 1], ['a', 2]])].sort(compareEntryKeys); // [['a', 2], ['b', 1]]
 * ```
 */
export function compareEntryKeys(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return compareStrings(a[0], b[0]);
}
