/**
 * Policy properties (issue 12), 1,000 runs each, over generated NetworkPolicies and
 * CiliumNetworkPolicies on the classic x/y/z × a/b/c setup:
 * - no policy ⇒ every trace's verdict is what it was without the policy stage;
 * - a deny rule always wins over an allow;
 * - Kubernetes policies are additive (the union of what each allows);
 * - with default deny (`policy-enforcement=always`), a flow is allowed iff some rule allows it and
 *   none denies it (an oracle over the rules, against the policy map's LPM lookup);
 * - adding an allow rule that does not isolate (enableDefaultDeny false) never drops a flow;
 * - the matrix agrees with single traces.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import type { PolicyDocument, PolicyRuleSpec } from '../../src/input/types.js';
import { cnpRuleArbitrary, knpRuleArbitrary, policyDocumentsArbitrary } from '../../src/arbitraries/policy.js';
import { identityTable } from '../../src/datapath/endpoints/identity.js';
import { policyEngine } from '../../src/policy/resolve.js';
import { compileNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';
import { matrixCell } from '../../src/packet/matrix.js';
import { NETPOL_PODS, netpolCluster } from '../helpers/netpol.js';

const RUNS = { numRuns: Number(process.env.POLICY_RUNS ?? 1000) };
const base = netpolCluster('');
const baseAlways = netpolCluster('', { 'enable-policy': 'always' });

function withPolicies(knp: readonly PolicyDocument[], cnp: readonly PolicyDocument[], from: Cluster = base): Cluster {
  return buildCluster({ ...from.scenario, networkPolicies: knp, ciliumNetworkPolicies: cnp });
}

const flowArb = fc.record({
  from: fc.constantFrom(...NETPOL_PODS),
  to: fc.constantFrom(...NETPOL_PODS),
  port: fc.constantFrom(80, 81),
  proto: fc.constantFrom(6, 17),
});

function ingressAllowed(c: Cluster, f: { from: string; to: string; port: number; proto: number }): boolean {
  const id = identityTable(c).pods.get(f.from)!;
  return policyEngine(c).decide(f.to, 'ingress', id, f.proto, f.port).allowed;
}

/** The oracle: does some entry of the rules selecting `to` match the flow (allow or deny)? */
function oracle(c: Cluster, f: { from: string; to: string; port: number; proto: number }, deny: boolean): boolean {
  const e = policyEngine(c);
  const t = identityTable(c);
  const src = t.pods.get(f.from)!;
  for (const r of e.rulesFor(t.pods.get(f.to)!)) {
    for (const entry of r.ingress) {
      if (entry.deny !== deny) continue;
      const ids = entry.peers.flatMap((p) => e.peerIdentities(p));
      if (!ids.includes(0) && !ids.includes(src)) continue;
      const portOk =
        entry.ports === undefined ||
        entry.ports.some((p) => {
          const protoOk = p.protocol === 'ANY' || (p.protocol === 'TCP' && f.proto === 6) || (p.protocol === 'UDP' && f.proto === 17);
          if (!protoOk) return false;
          if (p.port === undefined) return true;
          return typeof p.port === 'number' && f.port >= p.port && f.port <= (p.endPort ?? p.port);
        });
      if (portOk) return true;
    }
  }
  return false;
}

describe('policy properties', () => {
  test.prop([flowArb], { numRuns: 50 })('no policy: every verdict is what it was without the policy stage', (f) => {
    const net = compileNetwork(base);
    const bare = { ...net, policy: undefined };
    const dst = `172.20.${'abc'.indexOf(f.to.split('/')[1]!)}.${10 + 10 * 'xyz'.indexOf(f.to.split('/')[0]!) + 'abc'.indexOf(f.to.split('/')[1]!)}`;
    const req = { from: f.from, dst, dport: f.port, protocol: f.proto === 6 ? ('TCP' as const) : ('UDP' as const) };
    const a = trace(net, req);
    const b = trace(bare, req);
    expect([a.verdict, a.reason]).toEqual([b.verdict, b.reason]);
  });

  test.prop([policyDocumentsArbitrary(cnpRuleArbitrary()), flowArb], RUNS)('default deny: allowed iff some rule allows and none denies', (docs, f) => {
    const c = withPolicies([], docs, baseAlways);
    const allows = oracle(c, f, false);
    const denies = oracle(c, f, true);
    expect(ingressAllowed(c, f)).toBe(allows && !denies);
  });

  test.prop([policyDocumentsArbitrary(cnpRuleArbitrary()), flowArb, fc.constantFrom('x', 'y', 'z')], RUNS)('a deny rule always wins over an allow', (docs, f, ns) => {
    const [tns, tpod] = f.to.split('/');
    const [fns, fpod] = f.from.split('/');
    const deny: PolicyDocument = {
      meta: { name: 'deny', namespace: tns!, labels: {}, annotations: {} },
      specs: [],
      rules: [{
        flavour: 'cilium',
        endpointSelector: { matchLabels: { pod: tpod! }, matchExpressions: [] },
        ingress: [],
        egress: [],
        ingressDeny: [{ peers: [{ kind: 'endpoints', selector: { matchLabels: { pod: fpod!, 'k8s:io.kubernetes.pod.namespace': fns! }, matchExpressions: [] } }], l7: false }],
        egressDeny: [],
        enableDefaultDeny: {},
      }],
    };
    void ns;
    const c = withPolicies([], [...docs, deny]);
    const v = policyEngine(c).decide(f.to, 'ingress', identityTable(c).pods.get(f.from)!, f.proto, f.port);
    expect(v.allowed).toBe(false);
    expect(v.code).toBe(181);
  });

  test.prop([policyDocumentsArbitrary(knpRuleArbitrary(), 2), policyDocumentsArbitrary(knpRuleArbitrary(), 2), flowArb], RUNS)(
    'Kubernetes policies are additive',
    (p1, p2, f) => {
      const rename = (d: readonly PolicyDocument[], tag: string) => d.map((x) => ({ ...x, meta: { ...x.meta, name: `${tag}${x.meta.name}` } }));
      const c1 = withPolicies(rename(p1, 'a'), []);
      const c2 = withPolicies(rename(p2, 'b'), []);
      const cu = withPolicies([...rename(p1, 'a'), ...rename(p2, 'b')], []);
      const iso = (c: Cluster) => policyEngine(c).endpointPolicy(f.to)!.ingressEnforced;
      const a1 = ingressAllowed(c1, f);
      const a2 = ingressAllowed(c2, f);
      const expectedU = (!iso(c1) && !iso(c2)) || (iso(c1) && a1) || (iso(c2) && a2);
      expect(ingressAllowed(cu, f)).toBe(expectedU);
    },
  );

  test.prop([policyDocumentsArbitrary(cnpRuleArbitrary()), cnpRuleArbitrary(), flowArb], RUNS)('adding a non-isolating allow rule never drops an allowed flow', (docs, extra, f) => {
    const before = withPolicies([], docs);
    const soft: PolicyRuleSpec = { ...extra, ingressDeny: [], egressDeny: [], enableDefaultDeny: { ingress: false, egress: false } };
    const after = withPolicies([], [...docs, { meta: { name: 'zz-extra', namespace: 'x', labels: {}, annotations: {} }, specs: [], rules: [soft] }]);
    if (ingressAllowed(before, f)) expect(ingressAllowed(after, f)).toBe(true);
  });

  test.prop([policyDocumentsArbitrary(knpRuleArbitrary(), 2), flowArb], { numRuns: 100 })('the matrix agrees with single traces', (docs, f) => {
    const c = withPolicies(docs, []);
    const net = compileNetwork(c);
    const from = net.pods.get(f.from)!;
    const to = net.pods.get(f.to)!;
    const cell = matrixCell(net, from, to, f.port, 'TCP');
    const r = trace(net, { from: f.from, dst: `${(to.ip >>> 24) & 255}.${(to.ip >>> 16) & 255}.${(to.ip >>> 8) & 255}.${to.ip & 255}`, dport: f.port });
    expect(cell.allowed).toBe(r.verdict === 'FORWARDED');
    if (f.from !== f.to) expect(cell.allowed).toBe(ingressAllowed(c, { ...f, proto: 6 }) && policyEngine(c).decide(f.from, 'egress', identityTable(c).pods.get(f.to)!, 6, f.port).allowed);
  });
});
