/**
 * Lazy, memoised maps: a `ReadonlyMap` over a known, ordered key list whose values are computed
 * the first time they are asked for. `get(key)` computes one value; iteration computes them all in
 * key order. The twin hands these to stages that take a map (routing tables by host, LB maps by
 * node) so that a question about one host or node computes only that host's or node's value.
 *
 * Complexity: `get` O(1) after the first call for a key; `has` O(1); iteration O(n) values.
 *
 * @module
 */

/**
 * A `ReadonlyMap` whose values are computed on first use and memoised.
 *
 * @example
 * ```ts
 * import { LazyMap } from 'cilium-twin/twin';
 * const squares = new LazyMap(['a', 'bb'], (k) => k.length ** 2);
 * squares.get('bb'); // 4 (only 'bb' was computed)
 * [...squares.keys()]; // ['a', 'bb']
 * ```
 */
export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  readonly #order: ReadonlyMap<K, K>;
  #full: ReadonlyMap<K, V> | undefined;
  readonly #values = new Map<K, V>();
  readonly #compute: (key: K) => V;

  /**
   * @param keys - every key, in iteration order (duplicates are ignored after the first).
   * @param compute - the value of a key; called at most once per key.
   */
  constructor(keys: Iterable<K>, compute: (key: K) => V) {
    const order = new Map<K, K>();
    for (const k of keys) if (!order.has(k)) order.set(k, k);
    this.#order = order;
    this.#compute = compute;
  }

  /** Number of keys (values need not have been computed). */
  get size(): number {
    return this.#order.size;
  }

  /** Whether `key` is one of the keys (computes nothing). */
  has(key: K): boolean {
    return this.#order.has(key);
  }

  /** The value of `key`, computed on first use; `undefined` for an unknown key. */
  get(key: K): V | undefined {
    if (!this.#order.has(key)) return undefined;
    if (this.#values.has(key)) return this.#values.get(key);
    const v = this.#compute(key);
    this.#values.set(key, v);
    return v;
  }

  /** Whether the value of `key` has been computed already (for tests of laziness). */
  computed(key: K): boolean {
    return this.#values.has(key);
  }

  /** Every `[key, value]` in key order (computes every value). */
  entries(): MapIterator<[K, V]> {
    return this.#all().entries();
  }

  /** Every key in order (computes nothing). */
  keys(): MapIterator<K> {
    return this.#order.keys();
  }

  /** Every value in key order (computes every value). */
  values(): MapIterator<V> {
    return this.#all().values();
  }

  /** Calls `fn` for every entry in key order (computes every value). */
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.#all()) fn(v, k, this);
  }

  /** Every value computed, in key order (built once). */
  #all(): ReadonlyMap<K, V> {
    if (this.#full === undefined) {
      const m = new Map<K, V>();
      for (const k of this.#order.keys()) m.set(k, this.get(k) as V);
      this.#full = m;
    }
    return this.#full;
  }

  /** Same as {@link LazyMap.entries}. */
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
