/**
 * L7 HTTP policy as Envoy's Cilium filter enforces it (`api.PortRuleHTTP`, reference §B and
 * `Documentation/security/policy/layer7.rst`): a request is allowed when at least one rule
 * matches it; a rule matches when every field it gives matches — `method`, `path` and `host` are
 * regular expressions matched against the whole value (the path against the request target,
 * query included), `headers` entries `Name` (present) or `Name: value` (equal, name
 * case-insensitive), `headerMatches` `{name, value}`. An empty rule list allows everything. A
 * denied request gets Envoy's `403 Forbidden` with body `Access denied\r\n`.
 *
 * Cost: O(rules × fields) per request; regular expressions are compiled per call (no module cache).
 *
 * @module
 */
import type { HttpRule } from '../input/types.js';
import { compileGoRegexp } from '../input/go-regexp.js';

/**
 * An HTTP request as the proxy sees it.
 *
 * @example
 * ```ts
 * import type { HttpRequest } from 'cilium-twin/policy';
 * const r: HttpRequest = { method: 'GET', path: '/details/1', host: '172.16.1.2', headers: [['User-Agent', 'curl/8.5.0']] };
 * r.path;
 * ```
 */
export interface HttpRequest {
  /** Method. */
  readonly method: string;
  /** Request target: path and query. */
  readonly path: string;
  /** `Host` header. */
  readonly host: string;
  /** Other headers, as sent. */
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * The body Envoy sends with a 403 from an L7 policy (15 bytes).
 *
 * @example
 * ```ts
 * import { ACCESS_DENIED_BODY } from 'cilium-twin/policy';
 * ACCESS_DENIED_BODY.length; // 15
 * ```
 */
export const ACCESS_DENIED_BODY = 'Access denied\r\n';

function fullMatch(pattern: string, value: string): boolean {
  const r = compileGoRegexp(pattern);
  if (!r.ok) return false;
  return new RegExp(`^(?:${r.regexp.source})$`, r.regexp.flags).test(value);
}

function header(req: HttpRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === 'host' || n === ':authority') return req.host;
  if (n === ':method') return req.method;
  if (n === ':path') return req.path;
  for (const [k, v] of req.headers) if (k.toLowerCase() === n) return v;
  return undefined;
}

/**
 * Whether one HTTP rule matches a request (see the module doc).
 *
 * @example
 * ```ts
 * import { httpRuleMatches } from 'cilium-twin/policy';
 * httpRuleMatches({ method: 'GET', path: '/public.*' }, { method: 'GET', path: '/public/a', host: 'x', headers: [] }); // true
 * ```
 */
export function httpRuleMatches(rule: HttpRule, req: HttpRequest): boolean {
  if (rule.method !== undefined && !fullMatch(rule.method, req.method)) return false;
  if (rule.path !== undefined && !fullMatch(rule.path, req.path)) return false;
  if (rule.host !== undefined && !fullMatch(rule.host, req.host)) return false;
  for (const h of rule.headers ?? []) {
    const i = h.indexOf(':');
    const name = (i >= 0 ? h.slice(0, i) : h).trim();
    const v = header(req, name);
    if (v === undefined) return false;
    if (i >= 0 && v !== h.slice(i + 1).trim()) return false;
  }
  for (const m of rule.headerMatches ?? []) {
    const v = header(req, m.name);
    if (v === undefined) return false;
    if (m.value !== undefined && v !== m.value) return false;
  }
  return true;
}

/**
 * Whether a request passes a list of HTTP rules (one must match; an empty list allows all).
 *
 * @example
 * ```ts
 * import { httpAllowed } from 'cilium-twin/policy';
 * httpAllowed([{ path: '/details.*' }], { method: 'GET', path: '/reviews', host: 'x', headers: [] }); // false
 * ```
 */
export function httpAllowed(rules: readonly HttpRule[], req: HttpRequest): boolean {
  return rules.length === 0 || rules.some((r) => httpRuleMatches(r, req));
}
