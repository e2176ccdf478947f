import { describe, expect, it } from 'vitest';
import { hostMatches, hostOnly, matchRoute, pathMatches, sortRoutes } from '../../src/ingress/routes.js';
import type { IngressListener, IngressRoute, PathMatch } from '../../src/ingress/types.js';

const route = (host: string, kind: PathMatch['kind'], path: string, service: string, defaultBackend = false): IngressRoute => ({
  ingress: 'default/x',
  host,
  match: { kind, path },
  backend: { namespace: 'default', service, port: 80 },
  defaultBackend,
});
const listener = (routes: IngressRoute[]): IngressListener => ({ service: 'kube-system/cilium-ingress', port: 80, tls: false, routes: sortRoutes(routes), tlsHosts: [] });

describe('Envoy route matching', () => {
  it('Prefix matches by path element; a trailing slash in the rule is ignored; / matches all', () => {
    const m: PathMatch = { kind: 'Prefix', path: '/foo' };
    expect(pathMatches(m, '/foo')).toBe(true);
    expect(pathMatches(m, '/foo/')).toBe(true);
    expect(pathMatches(m, '/foo/bar')).toBe(true);
    expect(pathMatches(m, '/foobar')).toBe(false);
    expect(pathMatches({ kind: 'Prefix', path: '/foo/' }, '/foo')).toBe(true);
    expect(pathMatches({ kind: 'Prefix', path: '/' }, '/anything/at/all')).toBe(true);
  });

  it('Exact is equality; ImplementationSpecific is a full regular-expression match', () => {
    expect(pathMatches({ kind: 'Exact', path: '/foo' }, '/foo')).toBe(true);
    expect(pathMatches({ kind: 'Exact', path: '/foo' }, '/foo/')).toBe(false);
    expect(pathMatches({ kind: 'Regex', path: '/api/v[0-9]+' }, '/api/v12')).toBe(true);
    expect(pathMatches({ kind: 'Regex', path: '/api/v[0-9]+' }, '/api/v12/x')).toBe(false);
    expect(pathMatches({ kind: 'Regex', path: '(' }, '/')).toBe(false);
  });

  it('hosts: exact, then the longest wildcard, then *; the port and case do not matter', () => {
    expect(hostOnly('Reviews.Example.com:8080')).toBe('reviews.example.com');
    expect(hostMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    const l = listener([route('*', 'Prefix', '/', 'any'), route('*.example.com', 'Prefix', '/', 'wild'), route('a.example.com', 'Prefix', '/', 'exact')]);
    expect(matchRoute(l, 'a.example.com:80', '/')?.backend.service).toBe('exact');
    expect(matchRoute(l, 'b.example.com', '/')?.backend.service).toBe('wild');
    expect(matchRoute(l, '172.16.1.2', '/')?.backend.service).toBe('any');
  });

  it('within a host: Exact, then Regex, then Prefix (longer first), the default backend last; the query string is not matched', () => {
    const l = listener([
      route('*', 'Prefix', '/', 'default', true),
      route('*', 'Prefix', '/details', 'prefix'),
      route('*', 'Prefix', '/details/1', 'longer-prefix'),
      route('*', 'Exact', '/details/1', 'exact'),
      route('*', 'Regex', '/details/[0-9]+', 'regex'),
    ]);
    expect(l.routes.map((r) => r.backend.service)).toEqual(['exact', 'regex', 'longer-prefix', 'prefix', 'default']);
    expect(matchRoute(l, 'h', '/details/1?x=2')?.backend.service).toBe('exact');
    expect(matchRoute(l, 'h', '/details/22')?.backend.service).toBe('regex');
    expect(matchRoute(l, 'h', '/details/x')?.backend.service).toBe('prefix');
    expect(matchRoute(l, 'h', '/ratings')?.backend.service).toBe('default');
  });

  it('no virtual host or no route: undefined (Envoy answers 404)', () => {
    const l = listener([route('a.example.com', 'Prefix', '/x', 's')]);
    expect(matchRoute(l, 'b.example.com', '/x')).toBeUndefined();
    expect(matchRoute(l, 'a.example.com', '/y')).toBeUndefined();
  });
});
