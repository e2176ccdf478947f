/**
 * Kubernetes label selectors: `matchLabels` and `matchExpressions` (`In`, `NotIn`, `Exists`,
 * `DoesNotExist`), all requirements ANDed; an empty selector matches everything.
 *
 * @module
 */
import type { LabelSelector, StringMap } from '../input/types.js';

function has(labels: StringMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/**
 * True when `labels` satisfy `selector` (Kubernetes semantics; `{}` selects everything).
 *
 * @example
 * ```ts
 * matchesSelector({ matchLabels: { app: 'webpod' }, matchExpressions: [] }, { app: 'webpod', x: 'y' }); // true
 * matchesSelector({ matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['webpod'] }] }, {}); // true
 * ```
 */
export function matchesSelector(selector: LabelSelector, labels: StringMap): boolean {
  for (const key of Object.keys(selector.matchLabels)) {
    if (!has(labels, key) || labels[key] !== selector.matchLabels[key]) return false;
  }
  for (const r of selector.matchExpressions) {
    const present = has(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!present || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (present && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/**
 * True when every key/value of a Service-style selector (`spec.selector`) is in `labels`.
 *
 * @example
 * matchesLabels({ app: 'webpod' }, { app: 'webpod', tier: 'web' }); // true
 */
export function matchesLabels(selector: StringMap, labels: StringMap): boolean {
  for (const key of Object.keys(selector)) {
    if (!has(labels, key) || labels[key] !== selector[key]) return false;
  }
  return true;
}
