/**
 * The upstream Kubernetes NetworkPolicy e2e cases (kubernetes test/e2e/network/netpol,
 * network_policy.go) on the classic setup: namespaces x, y, z × pods a, b, c serving TCP 80/81.
 * Each case: its policies and its truth table (`reachability.Expect…` of the upstream test),
 * probed by full traces through the lab's datapath. Self-probes (x/a → x/a) are left out: the
 * twin's client reaches its own address on loopback (see docs/decisions.md).
 */
import { describe, expect, it } from 'vitest';
import { expected, netpolCluster, nsOf, podOf, reachability } from '../helpers/netpol.js';

const NS = 'kubernetes.io/metadata.name';
const knp = (ns: string, name: string, spec: string): string =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}\n`;

describe('Kubernetes NetworkPolicy e2e truth tables', () => {
  it("should support a 'default-deny-ingress' policy", () => {
    const c = netpolCluster(knp('x', 'deny-ingress', '  podSelector: {}\n  policyTypes: [Ingress]'));
    expect(reachability(c, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });

  it("should support a 'default-deny-all' policy", () => {
    const c = netpolCluster(knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => nsOf(t) === 'x' || nsOf(f) === 'x'));
  });

  it('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const c = netpolCluster(knp('x', 'x-a-allows-x-b', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'x/b'));
  });

  it('should enforce policy to allow ingress traffic for a target', () => {
    const c = netpolCluster(
      knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress]') +
        knp('x', 'allow-all-to-a', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]'),
    );
    expect(reachability(c, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x' && t !== 'x/a'));
  });

  it('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
    const c = netpolCluster(knp('x', 'allow-from-another-ns', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {}}]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
  });

  it('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
    const c = netpolCluster(knp('x', 'allow-client-a-via-ns-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}}]}]`));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && nsOf(f) !== 'y'));
  });

  it('should enforce policy based on PodSelector with MatchExpressions', () => {
    const c = netpolCluster(knp('x', 'x-a-allows-x-b', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'x/b'));
  });

  it('should enforce policy based on NamespaceSelector with MatchExpressions', () => {
    const c = netpolCluster(knp('x', 'allow-ns-y-match-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: In, values: [y]}]}}]}]`));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && nsOf(f) !== 'y'));
  });

  it('should enforce policy based on PodSelector or NamespaceSelector', () => {
    const c = netpolCluster(
      knp('x', 'allow-ns-y-match-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: [x]}]}}, {podSelector: {matchLabels: {pod: b}}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f === 'x/c'));
  });

  it('should enforce policy based on PodSelector and NamespaceSelector', () => {
    const c = netpolCluster(
      knp('x', 'allow-ns-y-podselector-and-nsselector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: [x]}]}, podSelector: {matchLabels: {pod: b}}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'y/b' && f !== 'z/b'));
  });

  it('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
    const c = netpolCluster(
      knp('x', 'allow-ns-y-z-pod-b-c', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: [x]}]}, podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && (nsOf(f) === 'x' || podOf(f) === 'a')));
  });

  it('should enforce policy based on any PodSelectors', () => {
    const c = netpolCluster(knp('x', 'allow-ns-x-pod-b-c', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'x/b' && f !== 'x/c'));
  });

  it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const c = netpolCluster(
      knp('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}, podSelector: {matchLabels: {pod: a}}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'y/a'));
  });

  it('should enforce policy based on Ports', () => {
    const c = netpolCluster(
      knp('x', 'allow-client-a-via-ns-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}}], ports: [{port: 81, protocol: TCP}]}]`),
    );
    expect(reachability(c, 81)).toEqual(expected((f, t) => t === 'x/a' && nsOf(f) !== 'y'));
    expect(reachability(c, 80)).toEqual(expected((_f, t) => t === 'x/a'));
  });

  it('should enforce multiple, stacked policies with overlapping podSelectors', () => {
    const p81 = knp('x', 'allow-client-a-via-ns-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}}], ports: [{port: 81, protocol: TCP}]}]`);
    const p80 = knp('x', 'allow-client-a-via-ns-selector-80', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}}], ports: [{port: 80, protocol: TCP}]}]`);
    const allow = expected((f, t) => t === 'x/a' && nsOf(f) !== 'y');
    expect(reachability(netpolCluster(p81), 81)).toEqual(allow);
    expect(reachability(netpolCluster(p81), 80)).toEqual(expected((_f, t) => t === 'x/a'));
    expect(reachability(netpolCluster(p81 + p80), 80)).toEqual(allow);
  });

  it('should support allow-all policy', () => {
    const c = netpolCluster(knp('x', 'allow-all', '  podSelector: {}\n  ingress: [{}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    expect(reachability(c, 81)).toEqual(expected(() => false));
  });

  it('should allow ingress access on one named port', () => {
    const c = netpolCluster(knp('x', 'allow-all', '  podSelector: {}\n  ingress: [{ports: [{port: serve-81-tcp}]}]'));
    expect(reachability(c, 81)).toEqual(expected(() => false));
    expect(reachability(c, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });

  it('should allow ingress access from namespace on one named port', () => {
    const c = netpolCluster(
      knp('x', 'allow-client-a-via-ns-selector-80', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: y}}}], ports: [{port: serve-80-tcp, protocol: TCP}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && nsOf(f) !== 'y'));
    expect(reachability(c, 81)).toEqual(expected((_f, t) => t === 'x/a'));
  });

  it('should allow egress access on one named port', () => {
    const c = netpolCluster(knp('x', 'allow-egress', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: serve-80-tcp}]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    expect(reachability(c, 81)).toEqual(expected((f) => nsOf(f) === 'x'));
  });

  it('should enforce updated policy (allow all, then deny all)', () => {
    expect(reachability(netpolCluster(knp('x', 'allow-all-mutate-to-deny-all', '  podSelector: {}\n  ingress: [{}]')), 81)).toEqual(expected(() => false));
    expect(reachability(netpolCluster(knp('x', 'allow-all-mutate-to-deny-all', '  podSelector: {}\n  ingress: []')), 81)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });

  it('should deny ingress from pods on other namespaces', () => {
    const c = netpolCluster(knp('x', 'deny-from-other-namespaces', '  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => nsOf(t) === 'x' && nsOf(f) !== 'x'));
  });

  it('should deny egress from all pods in a namespace', () => {
    const c = netpolCluster(knp('x', 'deny-egress', '  podSelector: {}\n  policyTypes: [Egress]'));
    expect(reachability(c, 80)).toEqual(expected((f) => nsOf(f) === 'x'));
  });

  it('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const c = netpolCluster(
      knp('x', 'allow-to-ns-y-pod-a', `  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {${NS}: y}}, podSelector: {matchLabels: {pod: a}}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => f === 'x/a' && t !== 'y/a'));
  });

  it('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
    const c = netpolCluster(knp('x', 'allow-ingress-by-proto', '  podSelector: {matchLabels: {pod: a}}\n  ingress: [{ports: [{protocol: TCP}]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    expect(reachability(c, 81, 'UDP')).toEqual(expected((_f, t) => t === 'x/a'));
  });

  it('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const c = netpolCluster(
      knp('x', 'allow-to-ns-y-pod-a', `  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {${NS}: y}}}]}]`) +
        knp('y', 'allow-from-xa-on-ya-match-selector', `  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: x}}, podSelector: {matchLabels: {pod: a}}}]}]`),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => (f === 'x/a' && nsOf(t) !== 'y') || (t === 'y/a' && f !== 'x/a')));
  });

  it('should enforce except clause while egress access to server in CIDR block', () => {
    // x/a may reach the pod range of k8s-w1 (where every b runs) except y/b's address.
    const c = netpolCluster(
      knp('x', 'allow-client-a-via-cidr-egress-rule', '  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 172.20.1.0/24, except: [172.20.1.21/32]}}]}]'),
    );
    // Pods have their own identities, so a CIDR rule does not select them (Cilium's semantics,
    // reference §A5): x/a reaches no pod at all.
    expect(reachability(c, 80)).toEqual(expected((f) => f === 'x/a'));
  });

  it('should support a port range (endPort)', () => {
    const c = netpolCluster(knp('x', 'allow-range', '  podSelector: {}\n  ingress: [{ports: [{port: 81, endPort: 82, protocol: TCP}]}]'));
    expect(reachability(c, 81)).toEqual(expected(() => false));
    expect(reachability(c, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });

  it('policyTypes [Egress] ignores the ingress rules given', () => {
    const c = netpolCluster(knp('x', 'egress-only', '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]\n  egress: [{}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
  });
});
