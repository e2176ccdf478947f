/**
 * Values shared between the documents of one decoding: a large cluster's pods are written alike
 * (the ten pods of a service carry the same labels, every pod of a generated cluster the same
 * containers), so a decoded value equal to the one the previous document gave is that same
 * object instead of a copy. Decoded values are readonly data: sharing them changes no answer,
 * only the objects kept (at 100,000 pods, ~400 bytes a pod: a null-prototype label map and a
 * container list; a Host's parsed routes) and so the collector's copying. One {@link DecodeShare} lives as long as one
 * decoding (no module-level cache); each check is linear in the value compared.
 *
 * @module
 */
import type { Container, StaticRoute, StringMap } from './types.js';
import { fastStringMap, own } from './codec.js';

/**
 * The last values handed out by one decoding, offered to the next document (one per decoding:
 * a merger's lifetime).
 */
export interface DecodeShare {
  /** The last metadata label map decoded, and its keys in order. */
  labels: StringMap | undefined;
  labelKeys: readonly string[] | undefined;
  /** The last Pod container list decoded. */
  containers: readonly Container[] | undefined;
  /** The last Host `routes:` text parsed without error, and its routes. */
  routesText: string | undefined;
  routes: readonly StaticRoute[] | undefined;
}

/** An empty share, for one decoding. */
export function newDecodeShare(): DecodeShare {
  return { labels: undefined, labelKeys: undefined, containers: undefined, routesText: undefined, routes: undefined };
}

/**
 * `fastStringMap(u)` (the same value, `undefined` in the same cases), the very map the share
 * last gave when `u` holds the same keys in the same order with the same values
 * (`sharedStringMap({ app: 'web' }, share)` twice gives one map).
 */
export function sharedStringMap(u: unknown, share: DecodeShare): StringMap | undefined {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return undefined;
  const o = u as Readonly<Record<string, unknown>>;
  const keys = Object.keys(o);
  const prev = share.labels;
  const prevKeys = share.labelKeys;
  if (prev !== undefined && prevKeys !== undefined && prevKeys.length === keys.length) {
    let i = 0;
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (k !== prevKeys[i]) break;
      const v = own(o, k);
      if (typeof v !== 'string') return undefined;
      if (v !== prev[k]) break;
    }
    if (i === keys.length) return prev;
  }
  const m = fastStringMap(o);
  if (m !== undefined) {
    share.labels = m;
    share.labelKeys = keys;
  }
  return m;
}
