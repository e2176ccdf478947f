/**
 * Generators for Cilium Ingress and L7 policy properties: HTTP requests over a small vocabulary
 * of paths (`/details…`, `/reviews…`, others), hosts, methods and headers; HTTP rules
 * (`toPorts[].rules.http`) over the same vocabulary; and policy documents with HTTP rules added
 * to their entries on port 80/TCP.
 *
 * @module
 */
import fc from 'fast-check';
import type { HttpRule, PolicyDocument, PolicyEntry, PolicyRuleSpec } from '../input/types.js';

/**
 * An HTTP request as curl sends it through a proxy: method, request target (path and query),
 * extra headers; the host is the listener's unless `hosts` gives choices.
 *
 * @example
 * ```ts
 * import type { GeneratedHttpRequest } from 'cilium-twin/arbitraries';
 * const r: GeneratedHttpRequest = { method: 'GET', path: '/details/3?q=a', headers: [] };
 * r.path;
 * ```
 */
export interface GeneratedHttpRequest {
  /** Method. */
  readonly method: string;
  /** Request target. */
  readonly path: string;
  /** Extra headers (`-H`). */
  readonly headers: readonly (readonly [string, string])[];
}

const segment = fc.constantFrom('details', 'reviews', 'ratings', 'public', 'api', 'v1', '1', '2', 'a-b');

/**
 * Request paths: one to three segments (the first often `details` or `reviews`), an optional
 * trailing slash and query string.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { httpPathArbitrary } from 'cilium-twin/arbitraries';
 * fc.sample(httpPathArbitrary(), 3); // ['/details', '/reviews/1/', '/ratings?x=1']
 * ```
 */
export function httpPathArbitrary(): fc.Arbitrary<string> {
  return fc
    .record({
      first: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('details', 'reviews') }, { weight: 1, arbitrary: segment }),
      rest: fc.array(segment, { maxLength: 2 }),
      slash: fc.boolean(),
      query: fc.option(fc.constantFrom('q=a', 'page=2', 'x=1&y=2'), { nil: undefined }),
    })
    .map(({ first, rest, slash, query }) => `/${[first, ...rest].join('/')}${slash ? '/' : ''}${query !== undefined ? `?${query}` : ''}`);
}

/**
 * HTTP requests (see {@link GeneratedHttpRequest}).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { httpRequestArbitrary } from 'cilium-twin/arbitraries';
 * fc.sample(httpRequestArbitrary(), 1);
 * ```
 */
export function httpRequestArbitrary(): fc.Arbitrary<GeneratedHttpRequest> {
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE'),
    path: httpPathArbitrary(),
    headers: fc.array(
      fc.tuple(fc.constantFrom('X-Token', 'X-Team', 'Accept-Language'), fc.constantFrom('yes', 'no', 'blue', 'en')),
      { maxLength: 2 },
    ),
  });
}

/**
 * One `rules.http` entry over the request vocabulary (method and path regular expressions,
 * `headers` presence or value).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { httpRuleArbitrary } from 'cilium-twin/arbitraries';
 * fc.sample(httpRuleArbitrary(), 1)[0]; // { method: 'GET', path: '/details.*' }
 * ```
 */
export function httpRuleArbitrary(): fc.Arbitrary<HttpRule> {
  return fc
    .record({
      method: fc.option(fc.constantFrom('GET', 'POST', 'GET|POST', 'PUT'), { nil: undefined }),
      path: fc.option(fc.constantFrom('/details.*', '/reviews', '/reviews/.*', '/public/[a-z0-9-]+', '/.*', '/(details|reviews)(/.*)?'), { nil: undefined }),
      headers: fc.option(fc.array(fc.constantFrom('X-Token', 'X-Token: yes', 'X-Team: blue'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    })
    .map(({ method, path, headers }) => ({
      ...(method !== undefined ? { method } : {}),
      ...(path !== undefined ? { path } : {}),
      ...(headers !== undefined ? { headers } : {}),
    }));
}

function withRules(e: PolicyEntry, http: readonly HttpRule[]): PolicyEntry {
  const on80 = (e.ports ?? []).filter((p) => (p.protocol === 'TCP' || p.protocol === 'ANY') && p.port === 80 && p.endPort === undefined);
  if (on80.length === 0) return e;
  return { ...e, l7: true, l7Rules: [{ ports: on80, http }] };
}

/**
 * Policy documents whose allow entries on port 80/TCP carry HTTP rules, paired with the same
 * documents without them (for properties comparing the two).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { cnpRuleArbitrary, policyDocumentsArbitrary, withHttpRulesArbitrary } from 'cilium-twin/arbitraries';
 * fc.sample(withHttpRulesArbitrary(policyDocumentsArbitrary(cnpRuleArbitrary())), 1)[0]?.plain.length;
 * ```
 */
export function withHttpRulesArbitrary(docs: fc.Arbitrary<PolicyDocument[]>): fc.Arbitrary<{ readonly plain: PolicyDocument[]; readonly l7: PolicyDocument[] }> {
  return fc.tuple(docs, fc.array(httpRuleArbitrary(), { maxLength: 2 })).map(([plain, http]) => ({
    plain,
    l7: plain.map((d) => ({
      ...d,
      rules: d.rules.map((r): PolicyRuleSpec => ({ ...r, ingress: r.ingress.map((e) => withRules(e, http)), egress: r.egress.map((e) => withRules(e, http)) })),
    })),
  }));
}
