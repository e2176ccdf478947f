import { describe, expect, it } from 'vitest';
import { ingressTwin } from './helpers.js';
import type { TraceRequest } from '../../src/packet/types.js';

const req = (from: string, dst: string, path: string, extra: Partial<NonNullable<TraceRequest['http']>> = {}): TraceRequest => ({
  from,
  dst,
  dport: 80,
  http: { host: dst, path, ...extra },
});
const header = (body: string | null | undefined, name: string): string | undefined =>
  body?.split('\r\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);

describe('Envoy in the walk', () => {
  const t = ingressTwin();

  it('routes by path to two Services; the backend sees the node ingress address (reserved:ingress) and X-Forwarded-For', () => {
    const d = t.trace(req('router', '172.16.1.2', '/details/1'));
    expect(d.verdict).toBe('FORWARDED');
    expect(d.backend?.pod).toBe('default/details-v1');
    const r = t.trace(req('router', '172.16.1.2', '/reviews'));
    expect(r.backend?.pod).toBe('default/reviews-v1');
    for (const x of [d, r]) {
      expect(x.answer?.status).toBe(200);
      const entry = x.hops.find((h) => h.event === 'to-proxy')!.host;
      const src = x.seenByBackend!.src.split(':')[0]!;
      // the ingress address of the node the request entered: in its pod CIDR, not the router
      expect(src).not.toBe('192.168.10.200');
      expect(src).toMatch(entry === 'k8s-ctr' ? /^172\.20\.0\./ : entry === 'k8s-w1' ? /^172\.20\.1\./ : /^172\.20\.2\./);
      expect(header(x.answer?.body, 'X-Forwarded-For')).toBe('192.168.10.200');
      expect(header(x.answer?.body, 'X-Forwarded-Proto')).toBe('http');
      expect(header(x.answer?.body, 'X-Envoy-Internal')).toBe('true');
      expect(x.answer?.body).toContain(`RemoteAddr: ${x.seenByBackend!.src}\n`);
      expect(x.answer?.headers?.find(([k]) => k === 'server')?.[1]).toBe('envoy');
      expect(x.reply?.src).toBe('172.16.1.2:80');
    }
    expect(t.trace(req('router', '172.16.1.2', '/reviews')).answer?.body).toBe(r.answer?.body);
  });

  it('a pod client goes to the Envoy of its own node', () => {
    const r = t.trace(req('default/curl-pod', '172.16.1.2', '/details'));
    expect(r.verdict).toBe('FORWARDED');
    expect(r.hops.find((h) => h.event === 'to-proxy')?.host).toBe('k8s-ctr');
    expect(r.seenByBackend?.src.startsWith('172.20.0.')).toBe(true);
    expect(header(r.answer?.body, 'X-Forwarded-For')).toBe('172.20.0.247');
  });

  it('the dedicated Ingress answers on its own LB IP by Host; another host gets 404 from Envoy', () => {
    const ok = t.trace(req('router', '172.16.1.1', '/', { host: 'reviews.example.com' }));
    expect(ok.backend?.pod).toBe('default/reviews-v1');
    const nf = t.trace(req('router', '172.16.1.1', '/', { host: 'other.example.com' }));
    expect(nf.verdict).toBe('FORWARDED');
    expect(nf.answer?.status).toBe(404);
    expect(nf.answer?.body).toBe('');
    expect(nf.backend).toBeNull();
  });

  it('a missing backend Service answers 503 no healthy upstream', () => {
    const t2 = ingressTwin(['bad']);
    const r = t2.trace(req('router', '172.16.1.2', '/ratings', { host: 'broken.example.com' }));
    expect(r.answer?.status).toBe(503);
    expect(r.answer?.body).toBe('no healthy upstream');
  });


  it('the backend pod policy sees identity 8 (reserved:ingress): allowing it lets the Ingress through, denying it gives 503', () => {
    const allow = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: details-from-ingress, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: details}}
  ingress:
  - fromEntities: [ingress]
`;
    const t2 = ingressTwin([], [allow]);
    expect(t2.trace(req('router', '172.16.1.2', '/details')).answer?.status).toBe(200);
    // a direct request from the router to the pod is denied by the same policy
    expect(t2.trace({ from: 'router', dst: '172.20.1.2', dport: 80 }).verdict).toBe('DROPPED');
    const deny = allow.replace('fromEntities: [ingress]', 'fromEntities: [world]');
    const t3 = ingressTwin([], [deny]);
    const r = t3.trace(req('router', '172.16.1.2', '/details'));
    expect(r.answer?.status).toBe(503);
    expect(r.answer?.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection timeout');
    expect(r.hops.some((h) => h.event === 'policy' && h.detail.includes('(ingress)'))).toBe(true);
  });
});

describe('L7 policy at Envoy and at pods', () => {
  it('the ingress endpoint L7 rule returns 403 Access denied on one path; a CIDR allow on the same port restores 200', () => {
    const t = ingressTwin(['policies/10-l7-details-only.yaml']);
    expect(t.trace(req('router', '172.16.1.2', '/details/1')).answer?.status).toBe(200);
    const d = t.trace(req('router', '172.16.1.2', '/reviews'));
    expect(d.answer?.status).toBe(403);
    expect(d.answer?.body).toBe('Access denied\r\n');
    expect(d.answer?.headers).toEqual([
      ['content-length', '15'],
      ['content-type', 'text/plain'],
      ['date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['server', 'envoy'],
    ]);
    expect(d.flows?.filter((f) => f.http !== undefined).map((f) => `${f.event} ${f.verdict} ${f.http?.code ?? ''}`)).toEqual(['http-request DROPPED ', 'http-response FORWARDED 403']);
    const t2 = ingressTwin(['policies/10-l7-details-only.yaml', 'policies/20-allow-cidr.yaml']);
    expect(t2.trace(req('router', '172.16.1.2', '/reviews')).answer?.status).toBe(200);
    expect(t2.trace(req('default/curl-pod', '172.16.1.2', '/reviews')).answer?.status).toBe(403);
  });

  it('external-lockdown (fromEntities cluster on every endpoint): world gets 403 from Envoy, a pod still 200', () => {
    const lockdown = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: external-lockdown}
spec:
  endpointSelector: {}
  ingress:
  - fromEntities: [cluster]
`;
    const t = ingressTwin([], [lockdown]);
    expect(t.trace(req('router', '172.16.1.2', '/details')).answer?.status).toBe(403);
    expect(t.trace(req('default/curl-pod', '172.16.1.2', '/details')).answer?.status).toBe(200);
  });

  it('a pod L7 rule (method and path) goes through the node proxy: 403 for other requests, the source kept for allowed ones', () => {
    const l7 = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: details-l7, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: details}}
  ingress:
  - toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules:
        http:
        - {method: GET, path: "/public.*"}
        - {method: POST, path: "/submit", headers: ["X-Token: yes"]}
`;
    const t = ingressTwin([], [l7]);
    const ok = t.trace({ from: 'default/curl-pod', dst: '172.20.1.2', dport: 80, http: { host: '172.20.1.2', path: '/public/a' } });
    expect(ok.answer?.status).toBe(200);
    expect(ok.seenByBackend?.src.startsWith('172.20.0.247:')).toBe(true);
    expect(ok.flows?.filter((f) => f.http !== undefined).map((f) => `${f.event} ${f.verdict}`)).toEqual(['http-request FORWARDED', 'http-response FORWARDED']);
    const no = t.trace({ from: 'default/curl-pod', dst: '172.20.1.2', dport: 80, http: { host: '172.20.1.2', path: '/private' } });
    expect(no.answer?.status).toBe(403);
    expect(no.answer?.body).toBe('Access denied\r\n');
    const post = (headers: [string, string][]) =>
      t.trace({ from: 'default/curl-pod', dst: '172.20.1.2', dport: 80, http: { host: '172.20.1.2', path: '/submit', method: 'POST', headers } }).answer?.status;
    expect(post([['X-Token', 'yes']])).toBe(200);
    expect(post([['X-Token', 'no']])).toBe(403);
    expect(post([])).toBe(403);
  });
});
