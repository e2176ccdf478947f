/**
 * Compact views of a Maglev table for printing: runs in table order (`3(1),1(2),…`), per-ID
 * counts (`INNER=[1(84), 2(84), 3(83)]` of Cilium's test dumps), and Go's `%v` of the ID slice
 * (what `cilium-dbg bpf lb maglev get` prints in its `LOOKUP TABLE` column).
 *
 * @module
 */

/**
 * A run of equal consecutive entries, or an ID's total, depending on the function.
 *
 * @example
 * ```ts
 * const c: MaglevIdCount = { id: 1, count: 84 };
 * ```
 */
export interface MaglevIdCount {
  /** Backend ID. */
  readonly id: number;
  /** Number of entries. */
  readonly count: number;
}

/**
 * Run-length encoding of the table in slot order.
 *
 * @example
 * ```ts
 * maglevRuns(Uint32Array.from([3, 1, 1, 2])); // [{id:3,count:1},{id:1,count:2},{id:2,count:1}]
 * ```
 */
export function maglevRuns(table: ArrayLike<number>): MaglevIdCount[] {
  const runs: MaglevIdCount[] = [];
  let prev = -1;
  let count = 0;
  for (let k = 0; k < table.length; k++) {
    const id = table[k]!;
    if (id === prev) {
      count++;
    } else {
      if (count > 0) runs.push({ id: prev, count });
      prev = id;
      count = 1;
    }
  }
  if (count > 0) runs.push({ id: prev, count });
  return runs;
}

/**
 * The runs as `id(count)` joined by commas (the `rle` form of the test vectors).
 *
 * @example
 * ```ts
 * maglevRunString(Uint32Array.from([3, 1, 1, 2])); // '3(1),1(2),2(1)'
 * ```
 */
export function maglevRunString(table: ArrayLike<number>): string {
  return maglevRuns(table)
    .map((r) => `${String(r.id)}(${String(r.count)})`)
    .join(',');
}

/**
 * How many entries each backend ID owns, most entries first (ties by ascending ID), as in
 * Cilium's test dump `MAGLEV: ID=<revnat> INNER=[1(84), 2(84), 3(83)]`.
 *
 * @example
 * ```ts
 * maglevCounts(Uint32Array.from([3, 1, 1, 2])); // [{id:1,count:2},{id:2,count:1},{id:3,count:1}]
 * ```
 */
export function maglevCounts(table: ArrayLike<number>): MaglevIdCount[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < table.length; k++) {
    const id = table[k]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || a.id - b.id);
}

/**
 * The table as Go's `fmt.Sprintf("%v", ids)`: `[1 2 3 …]`.
 *
 * @example
 * ```ts
 * maglevGoSlice(Uint32Array.from([3, 1, 2])); // '[3 1 2]'
 * ```
 */
export function maglevGoSlice(table: ArrayLike<number>): string {
  return `[${Array.from(table, String).join(' ')}]`;
}
