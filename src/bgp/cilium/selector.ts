/**
 * Label selector matching with Kubernetes semantics, for the Cilium BGP stage.
 * (`src/cluster/selector.ts` provides the shared one; this stage keeps a private copy so it
 * does not depend on the order in which stages land.)
 *
 * @module
 */
import type { LabelSelector, StringMap } from '../../input/types.js';

/**
 * Whether a selector matches a label set: every `matchLabels` pair present and every
 * requirement satisfied (`NotIn` and `DoesNotExist` also hold when the key is absent).
 * An empty selector matches everything; what an absent selector means is the caller's rule.
 *
 * @example
 * ```ts
 * selectorMatches({ matchLabels: { app: 'webpod' }, matchExpressions: [] }, { app: 'webpod' }); // true
 * ```
 */
export function selectorMatches(selector: LabelSelector, labels: StringMap): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
