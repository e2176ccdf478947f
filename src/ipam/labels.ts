/**
 * Kubernetes label-selector matching, as `metav1.LabelSelectorAsSelector(...).Matches` does it.
 * Kept here so LB IPAM does not depend on the cluster stage's helper appearing first.
 *
 * @module
 */
import type { LabelSelector, StringMap } from '../input/types.js';

/**
 * Whether `labels` satisfy `selector`: every `matchLabels` pair and every expression
 * (`In`, `NotIn`, `Exists`, `DoesNotExist`). An empty selector matches everything.
 *
 * @example
 * selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [] }, { app: 'web' }); // true
 */
export function selectorMatches(selector: LabelSelector, labels: StringMap): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || value === undefined || !req.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && value !== undefined && req.values.includes(value)) return false;
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
