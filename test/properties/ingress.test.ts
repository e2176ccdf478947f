/**
 * Ingress and L7 policy properties (issue 13), 1,000 runs each, cheap per run (one twin built
 * once; a run is a few traces or policy lookups):
 * - without L7 policy, the answer through the Ingress equals the answer from the Service directly,
 *   apart from the headers Envoy adds and the source the backend sees;
 * - an L7 deny never changes L3/L4 verdicts: HTTP rules added to a policy's port-80 entries leave
 *   every (identity, port) decision's allowed flag, drop code and match type as they were, on
 *   every port;
 * - through the Ingress the backend never sees the client's address as the source (it sees the
 *   node's ingress address, identity `reserved:ingress`) and always sees it in X-Forwarded-For.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { ingressTwin } from '../ingress/helpers.js';
import { httpRequestArbitrary } from '../../src/arbitraries/ingress.js';
import { withHttpRulesArbitrary } from '../../src/arbitraries/ingress.js';
import { cnpRuleArbitrary, policyDocumentsArbitrary } from '../../src/arbitraries/policy.js';
import { buildCluster } from '../../src/cluster/build.js';
import { identityTable } from '../../src/datapath/endpoints/identity.js';
import { policyEngine } from '../../src/policy/resolve.js';
import { NETPOL_PODS, netpolCluster } from '../helpers/netpol.js';
import type { TraceRequest, TraceResult } from '../../src/packet/types.js';

const RUNS = { numRuns: Number(process.env.INGRESS_RUNS ?? 1000) };
const twin = ingressTwin();
const net = twin.network();
const ingressAddresses = new Set(['k8s-ctr', 'k8s-w1', 'k8s-w0'].map((n) => net.ingress!.nodeAddress(n)));
const u32 = (ip: string) => ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);

const clientArb = fc.oneof(
  fc.record({ from: fc.constant('router'), src: fc.constant('192.168.10.200') }),
  fc.record({ from: fc.constant('default/curl-pod'), src: fc.constant('172.20.0.247') }),
);
const sportArb = fc.integer({ min: 32768, max: 60999 });

/** The whoami body without what differs by design: RemoteAddr and the proxy's headers. */
function comparable(body: string | null | undefined): string {
  return (body ?? '')
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('RemoteAddr: ') && !/^X-(Envoy|Forwarded|Request-Id)/.test(l))
    .join('\n');
}

const header = (r: TraceResult, name: string): string | undefined =>
  r.answer?.body?.split('\r\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);

describe('ingress properties', () => {
  test.prop([clientArb, httpRequestArbitrary(), sportArb], RUNS)(
    'without L7 policy, the answer through the Ingress equals the answer from the Service directly (apart from headers and source)',
    (client, req, sport) => {
      const http = { host: '172.16.1.2', path: req.path, method: req.method, headers: req.headers };
      const via = twin.trace({ from: client.from, dst: '172.16.1.2', dport: 80, sport, http });
      const path = req.path.split('?')[0]!;
      const target = /^\/details(\/|$)/.test(path) ? 'details' : /^\/reviews(\/|$)/.test(path) ? 'reviews' : undefined;
      if (target === undefined) {
        expect(via.answer?.status).toBe(404);
        return;
      }
      const backend = twin.cluster.scenario.pods.find((p) => p.meta.labels.app === target)!;
      const direct: TraceRequest = { from: client.from, dst: backend.podIPs[0]!.toString(), dport: 80, sport, http };
      const d = twin.trace(direct);
      expect(via.verdict).toBe(d.verdict);
      expect(via.answer?.status).toBe(d.answer?.status);
      expect(via.backend?.pod).toBe(d.backend?.pod);
      expect(comparable(via.answer?.body)).toBe(comparable(d.answer?.body));
    },
  );

  test.prop([clientArb, httpRequestArbitrary(), sportArb, fc.constantFrom('172.16.1.2', '172.16.1.1')], RUNS)(
    'through the Ingress the backend never sees the client address as source, and always sees it in X-Forwarded-For',
    (client, req, sport, vip) => {
      const host = vip === '172.16.1.1' ? 'reviews.example.com' : vip;
      const r = twin.trace({ from: client.from, dst: vip, dport: 80, sport, http: { host, path: req.path, method: req.method, headers: req.headers } });
      if (r.seenByBackend === null) return;
      const src = r.seenByBackend.src.split(':')[0]!;
      expect(src).not.toBe(client.src);
      expect(ingressAddresses.has(u32(src))).toBe(true);
      expect(header(r, 'X-Forwarded-For')).toBe(client.src);
    },
  );

  const base = netpolCluster('');
  test.prop([withHttpRulesArbitrary(policyDocumentsArbitrary(cnpRuleArbitrary())), fc.constantFrom(...NETPOL_PODS), fc.constantFrom(...NETPOL_PODS), fc.constantFrom(79, 80, 81), fc.constantFrom(6, 17)], RUNS)(
    'an L7 rule never changes an L3/L4 verdict, on its port or any other',
    ({ plain, l7 }, from, to, port, proto) => {
      const a = buildCluster({ ...base.scenario, ciliumNetworkPolicies: plain });
      const b = buildCluster({ ...base.scenario, ciliumNetworkPolicies: l7 });
      const id = identityTable(a).pods.get(from)!;
      for (const dir of ['ingress', 'egress'] as const) {
        const va = policyEngine(a).decide(dir === 'ingress' ? to : from, dir, dir === 'ingress' ? id : identityTable(a).pods.get(to)!, proto, port);
        const vb = policyEngine(b).decide(dir === 'ingress' ? to : from, dir, dir === 'ingress' ? id : identityTable(b).pods.get(to)!, proto, port);
        expect([vb.allowed, vb.code, vb.match]).toEqual([va.allowed, va.code, va.match]);
        if (port !== 80 || proto !== 6) expect(vb.http).toBeUndefined();
      }
    },
  );
});
