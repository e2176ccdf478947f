/**
 * Cilium's label model for policy: identity labels carry a source (`k8s:app=web`,
 * `reserved:host`, `cidr:10.0.0.0/8`), and selector keys name a source or none (`app` means
 * `any:app`, any source). Matching follows `pkg/labels` and `pkg/policy/api/selector.go`: a
 * requirement on `any:key` is met by a label with that key from any source; on `src:key` only
 * by that source.
 *
 * @module
 */
import type { LabelSelector } from '../input/types.js';

/**
 * An identity's labels indexed for matching: `source:key` → value, plus `any:key` → value.
 *
 * @example
 * ```ts
 * const l = labelIndex(['k8s:app=web', 'reserved:host']);
 * l.get('any:app'); // 'web'
 * ```
 */
export type LabelIndex = ReadonlyMap<string, string>;

/**
 * Splits a label text `source:key=value` into its parts (value empty when absent).
 *
 * @example
 * ```ts
 * parseLabel('k8s:app=web'); // { source: 'k8s', key: 'app', value: 'web' }
 * parseLabel('cidr:10.0.0.0/8'); // { source: 'cidr', key: '10.0.0.0/8', value: '' }
 * ```
 */
export function parseLabel(text: string): { source: string; key: string; value: string } {
  const colon = text.indexOf(':');
  const source = colon < 0 ? 'unspec' : text.slice(0, colon);
  const rest = colon < 0 ? text : text.slice(colon + 1);
  const eq = rest.indexOf('=');
  return eq < 0 ? { source, key: rest, value: '' } : { source, key: rest.slice(0, eq), value: rest.slice(eq + 1) };
}

/**
 * Indexes identity labels for selector matching.
 *
 * @example
 * ```ts
 * labelIndex(['k8s:app=web']).get('k8s:app'); // 'web'
 * ```
 */
export function labelIndex(labels: readonly string[]): LabelIndex {
  const m = new Map<string, string>();
  for (const l of labels) {
    const { source, key, value } = parseLabel(l);
    m.set(`${source}:${key}`, value);
    if (!m.has(`any:${key}`)) m.set(`any:${key}`, value);
  }
  return m;
}

/**
 * A selector key in its `source:key` form: `app` → `any:app`, `k8s:app` stays, `$host` →
 * `reserved:host` (`labels.ParseSelectLabel`).
 *
 * @example
 * ```ts
 * selectorKey('app'); // 'any:app'
 * selectorKey('reserved:host'); // 'reserved:host'
 * ```
 */
export function selectorKey(key: string): string {
  if (key.startsWith('$')) return `reserved:${key.slice(1)}`;
  const colon = key.indexOf(':');
  if (colon < 0) return `any:${key}`;
  return key;
}

/**
 * A selector with its keys in `source:key` form, ready to match {@link LabelIndex}es.
 *
 * @example
 * ```ts
 * const s: NormSelector = { matchLabels: [['any:app', 'web']], matchExpressions: [] };
 * ```
 */
export interface NormSelector {
  /** Exact matches. */
  readonly matchLabels: readonly (readonly [string, string])[];
  /** Set-based requirements. */
  readonly matchExpressions: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values: readonly string[] }[];
}

/**
 * Normalises a selector: every key to `source:key`; `prefix` is put before source-less keys
 * (`k8s` for the selectors of Kubernetes NetworkPolicies, which `addK8sPrefix` marks).
 *
 * @example
 * ```ts
 * normSelector({ matchLabels: { app: 'web' }, matchExpressions: [] }).matchLabels; // [['any:app', 'web']]
 * ```
 */
export function normSelector(s: LabelSelector, prefix = ''): NormSelector {
  const key = (k: string): string => (prefix !== '' && !k.includes(':') && !k.startsWith('$') ? `${prefix}:${k}` : selectorKey(k));
  return {
    matchLabels: Object.entries(s.matchLabels).map(([k, v]) => [key(k), v] as const),
    matchExpressions: s.matchExpressions.map((r) => ({ key: key(r.key), operator: r.operator, values: r.values })),
  };
}

/**
 * True when an identity's labels satisfy a selector (`{}` selects everything).
 *
 * @example
 * ```ts
 * matchesIdentity(normSelector({ matchLabels: { app: 'web' }, matchExpressions: [] }), labelIndex(['k8s:app=web'])); // true
 * ```
 */
export function matchesIdentity(sel: NormSelector, labels: LabelIndex): boolean {
  for (const [k, v] of sel.matchLabels) if (labels.get(k) !== v) return false;
  for (const r of sel.matchExpressions) {
    const v = labels.get(r.key);
    switch (r.operator) {
      case 'In':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

/**
 * True when a selector names the key (any source) in `matchLabels` or `matchExpressions`.
 *
 * @example
 * ```ts
 * selectsKey(normSelector({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'x' }, matchExpressions: [] }), 'io.kubernetes.pod.namespace'); // true
 * ```
 */
export function selectsKey(sel: NormSelector, key: string): boolean {
  const has = (k: string): boolean => k.slice(k.indexOf(':') + 1) === key;
  return sel.matchLabels.some(([k]) => has(k)) || sel.matchExpressions.some((r) => has(r.key));
}

/**
 * True when a selector uses a `reserved:` key.
 *
 * @example
 * ```ts
 * usesReserved(normSelector({ matchLabels: { 'reserved:host': '' }, matchExpressions: [] })); // true
 * ```
 */
export function usesReserved(sel: NormSelector): boolean {
  return sel.matchLabels.some(([k]) => k.startsWith('reserved:')) || sel.matchExpressions.some((r) => r.key.startsWith('reserved:'));
}

/**
 * A selector's text as Cilium logs it (`k8s:app=web,any:tier In [a b]`), `{}` for empty.
 *
 * @example
 * ```ts
 * selectorText(normSelector({ matchLabels: { app: 'web' }, matchExpressions: [] })); // 'any:app=web'
 * ```
 */
export function selectorText(sel: NormSelector): string {
  const parts = [
    ...sel.matchLabels.map(([k, v]) => `${k}=${v}`),
    ...sel.matchExpressions.map((r) => `${r.key} ${r.operator}${r.values.length > 0 ? ` [${r.values.join(' ')}]` : ''}`),
  ];
  return parts.length === 0 ? '{}' : parts.join(',');
}
