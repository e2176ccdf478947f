/**
 * Composite keys that are values: a map keyed by tuples of primitives (compared element by
 * element, as a record would be), instead of joining the parts into a string such as
 * `${namespace}/${name}` (which confuses `a/b` + `c` with `a` + `b/c` and hides the key's type).
 *
 * Complexity: get/set/has are O(tuple length) Map operations; iteration is in insertion order.
 *
 * @module
 */

/** A part of a {@link TupleMap} key. */
export type KeyPart = string | number | bigint | boolean | undefined;

const END: unique symbol = Symbol('end');

type Trie = Map<KeyPart | typeof END, unknown>;

/**
 * A map keyed by tuples of primitives, in insertion order. Tuples of different lengths are
 * different keys (`['a']` is not a prefix key of `['a', 'b']`).
 *
 * @example
 * ```ts
 * import { TupleMap } from 'cilium-twin/net';
 * const m = new TupleMap<readonly [string, string], number>();
 * m.set(['default', 'webpod'], 1);
 * m.get(['default', 'webpod']); // 1
 * m.get(['default/webpod', '']); // undefined
 * ```
 */
export class TupleMap<K extends readonly KeyPart[], V> {
  private readonly root: Trie = new Map();
  private readonly order: [K, V][] = [];

  /** The number of keys. */
  get size(): number {
    return this.order.length;
  }

  /** The value of a key, or undefined. */
  get(key: K): V | undefined {
    let node: Trie | undefined = this.root;
    for (const part of key) {
      node = node.get(part) as Trie | undefined;
      if (node === undefined) return undefined;
    }
    const slot = node.get(END) as { index: number } | undefined;
    return slot === undefined ? undefined : this.order[slot.index]![1];
  }

  /** Whether the key is present. */
  has(key: K): boolean {
    let node: Trie | undefined = this.root;
    for (const part of key) {
      node = node.get(part) as Trie | undefined;
      if (node === undefined) return false;
    }
    return node.has(END);
  }

  /** Sets a key's value (a new key goes last in iteration order). */
  set(key: K, value: V): this {
    let node: Trie = this.root;
    for (const part of key) {
      let next = node.get(part) as Trie | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
    const slot = node.get(END) as { index: number } | undefined;
    if (slot === undefined) {
      node.set(END, { index: this.order.length });
      this.order.push([key, value]);
    } else this.order[slot.index]![1] = value;
    return this;
  }

  /** The value of a key, computed and stored by `make` when absent. */
  getOrSet(key: K, make: () => V): V {
    const v = this.get(key);
    if (v !== undefined || this.has(key)) return v as V;
    const made = make();
    this.set(key, made);
    return made;
  }

  /** Values in insertion order. */
  values(): IterableIterator<V> {
    return this.order.map((e) => e[1])[Symbol.iterator]();
  }

  /** `[key, value]` entries in insertion order. */
  entries(): IterableIterator<readonly [K, V]> {
    return this.order.map((e) => [e[0], e[1]] as const)[Symbol.iterator]();
  }
}
