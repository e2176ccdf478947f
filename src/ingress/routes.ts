/**
 * Envoy's route matching for the Ingress listeners (`operator/pkg/model/translation`: one
 * virtual host per Ingress host, routes sorted within it):
 *
 * - **Virtual host**: the request's `Host` (`:authority`, port removed, case-insensitive) —
 *   an exact host first, then the longest `*.suffix` wildcard (one or more labels), then `*`.
 * - **Routes** within a host, in this order: `Exact` (longer path first), `Regex` (longer
 *   expression first), `Prefix` (longer first); equal ones keep the Ingresses' order (namespace,
 *   name, then rule order), the default backend last. The first that matches wins.
 * - **Path** (the query string removed): `Exact` equal; `Prefix` element-wise (`/foo` matches
 *   `/foo`, `/foo/`, `/foo/bar`, not `/foobar`; a trailing `/` in the rule is ignored; `/`
 *   matches everything); `Regex` a full RE2 match.
 *
 * Cost: O(routes) per request, regular expressions compiled once per pattern per call site.
 *
 * @module
 */
import { compileGoRegexp } from '../input/go-regexp.js';
import type { IngressListener, IngressRoute, PathMatch } from './types.js';

const ORDER: Readonly<Record<PathMatch['kind'], number>> = { Exact: 0, Regex: 1, Prefix: 2 };

/**
 * Routes in Envoy's order (see the module doc). Stable.
 *
 * @example
 * ```ts
 * import { sortRoutes, type IngressRoute } from 'cilium-twin/ingress';
 * declare const routes: IngressRoute[];
 * sortRoutes(routes).map((r) => r.match.path); // ['/details/1', '/details', '/']
 * ```
 */
export function sortRoutes(routes: readonly IngressRoute[]): IngressRoute[] {
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      if (a.r.defaultBackend !== b.r.defaultBackend) return a.r.defaultBackend ? 1 : -1;
      const k = ORDER[a.r.match.kind] - ORDER[b.r.match.kind];
      if (k !== 0) return k;
      const l = b.r.match.path.length - a.r.match.path.length;
      return l !== 0 ? l : a.i - b.i;
    })
    .map((x) => x.r);
}

/**
 * The `Host` header without its port, lower-cased.
 *
 * @example
 * ```ts
 * import { hostOnly } from 'cilium-twin/ingress';
 * hostOnly('Bookinfo.Example.com:80'); // 'bookinfo.example.com'
 * ```
 */
export function hostOnly(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const i = h.lastIndexOf(':');
  return i >= 0 && /^\d+$/.test(h.slice(i + 1)) ? h.slice(0, i) : h;
}

/**
 * Whether a route host matches a request host (exact, `*.suffix`, or `*`).
 *
 * @example
 * ```ts
 * import { hostMatches } from 'cilium-twin/ingress';
 * hostMatches('*.example.com', 'a.b.example.com'); // true
 * hostMatches('*.example.com', 'example.com'); // false
 * ```
 */
export function hostMatches(routeHost: string, host: string): boolean {
  const r = routeHost.toLowerCase();
  if (r === '*') return true;
  if (r.startsWith('*.')) return host.endsWith(r.slice(1)) && host.length > r.length - 1;
  return r === host;
}

function hostRank(routeHost: string): number {
  if (routeHost === '*') return 0;
  if (routeHost.startsWith('*.')) return routeHost.length;
  return Number.MAX_SAFE_INTEGER;
}

/**
 * Whether a path matches a route's path match (the query string already removed).
 *
 * @example
 * ```ts
 * import { pathMatches } from 'cilium-twin/ingress';
 * pathMatches({ kind: 'Prefix', path: '/foo' }, '/foo/bar'); // true
 * pathMatches({ kind: 'Prefix', path: '/foo' }, '/foobar'); // false
 * ```
 */
export function pathMatches(m: PathMatch, path: string): boolean {
  switch (m.kind) {
    case 'Exact':
      return path === m.path;
    case 'Prefix': {
      const p = m.path.endsWith('/') ? m.path.slice(0, -1) : m.path;
      if (p === '') return true;
      return path === p || path.startsWith(`${p}/`);
    }
    case 'Regex': {
      const r = compileGoRegexp(m.path);
      if (!r.ok) return false;
      return new RegExp(`^(?:${r.regexp.source})$`, r.regexp.flags).test(path);
    }
  }
}

/**
 * The route Envoy takes for a request on a listener, or `undefined` (Envoy answers 404).
 *
 * @example
 * ```ts
 * import { matchRoute, type IngressListener } from 'cilium-twin/ingress';
 * declare const listener: IngressListener;
 * matchRoute(listener, '172.16.1.2', '/details/1')?.backend.service; // 'details'
 * ```
 */
export function matchRoute(listener: IngressListener, host: string, pathAndQuery: string): IngressRoute | undefined {
  const h = hostOnly(host);
  const q = pathAndQuery.indexOf('?');
  const path = q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery;
  // the virtual host: the most specific host among the routes that match the request's host
  let best = -1;
  let vhost: string | undefined;
  for (const r of listener.routes) {
    if (!hostMatches(r.host, h)) continue;
    const rank = hostRank(r.host.toLowerCase());
    if (rank > best) {
      best = rank;
      vhost = r.host.toLowerCase();
    }
  }
  if (vhost === undefined) return undefined;
  for (const r of listener.routes) {
    if (r.host.toLowerCase() !== vhost) continue;
    if (pathMatches(r.match, path)) return r;
  }
  return undefined;
}
