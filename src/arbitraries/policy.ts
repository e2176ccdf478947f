/**
 * Generators of policy documents (decoded form) over a small vocabulary of labels: namespaces
 * `x`, `y`, `z` (label `ns`), pods labelled `pod: a|b|c`, ports 80 and 81. Used by the policy
 * properties on the classic NetworkPolicy e2e setup (`examples/policy/scenario`).
 *
 * @module
 */
import fc from 'fast-check';
import type { LabelSelector, PolicyDocument, PolicyEntry, PolicyPeer, PolicyPort, PolicyRuleSpec } from '../input/types.js';

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const podSel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant(EMPTY),
  fc.constantFrom('a', 'b', 'c').map((p) => ({ matchLabels: { pod: p }, matchExpressions: [] })),
  fc.subarray(['a', 'b', 'c'], { minLength: 1 }).map((v) => ({ matchLabels: {}, matchExpressions: [{ key: 'pod', operator: 'In' as const, values: v }] })),
  fc.constantFrom('a', 'b', 'c').map((p) => ({ matchLabels: {}, matchExpressions: [{ key: 'pod', operator: 'NotIn' as const, values: [p] }] })),
);

const nsSel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant(EMPTY),
  fc.constantFrom('x', 'y', 'z').map((n) => ({ matchLabels: { ns: n }, matchExpressions: [] })),
  fc.constantFrom('x', 'y', 'z').map((n) => ({ matchLabels: {}, matchExpressions: [{ key: 'ns', operator: 'NotIn' as const, values: [n] }] })),
);

/**
 * A port of a policy entry: 80, 81, the range 80–81, or every port, over TCP, UDP or any.
 *
 * @example
 * ```ts
 * fc.sample(policyPortArbitrary(true), 1);
 * ```
 */
export function policyPortArbitrary(cilium: boolean): fc.Arbitrary<PolicyPort> {
  const proto = cilium ? fc.constantFrom('TCP' as const, 'UDP' as const, 'ANY' as const) : fc.constantFrom('TCP' as const, 'UDP' as const);
  return fc.record({ protocol: proto, p: fc.constantFrom(undefined, 80, 81, 'range' as const) }).map(({ protocol, p }) =>
    p === undefined ? { protocol } : p === 'range' ? { protocol, port: 80, endPort: 81 } : { protocol, port: p },
  );
}

const knpPeer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  podSel.map((s) => ({ kind: 'knp' as const, podSelector: s })),
  nsSel.map((s) => ({ kind: 'knp' as const, namespaceSelector: s })),
  fc.tuple(podSel, nsSel).map(([p, n]) => ({ kind: 'knp' as const, podSelector: p, namespaceSelector: n })),
);

const ciliumPeer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  podSel.map((s) => ({ kind: 'endpoints' as const, selector: s })),
  fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y', 'z')).map(([p, n]) => ({
    kind: 'endpoints' as const,
    selector: { matchLabels: { pod: p, 'k8s:io.kubernetes.pod.namespace': n }, matchExpressions: [] },
  })),
  fc.constantFrom('all', 'cluster', 'world', 'host', 'remote-node').map((e) => ({ kind: 'entity' as const, entity: e })),
);

function entry(peer: fc.Arbitrary<PolicyPeer>, cilium: boolean): fc.Arbitrary<PolicyEntry> {
  return fc.record({
    peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
    ports: fc.option(fc.array(policyPortArbitrary(cilium), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  }).map(({ peers, ports }) => ({ ...(peers !== undefined ? { peers } : {}), ...(ports !== undefined ? { ports } : {}), l7: false }));
}

/**
 * A Kubernetes NetworkPolicy rule (decoded form).
 *
 * @example
 * ```ts
 * fc.sample(knpRuleArbitrary(), 1)[0]?.flavour; // 'k8s'
 * ```
 */
export function knpRuleArbitrary(): fc.Arbitrary<PolicyRuleSpec> {
  return fc.record({
    sel: podSel,
    ingress: fc.array(entry(knpPeer, false), { maxLength: 2 }),
    egress: fc.array(entry(knpPeer, false), { maxLength: 2 }),
    types: fc.constantFrom(undefined, ['Ingress' as const], ['Egress' as const], ['Ingress' as const, 'Egress' as const]),
  }).map(({ sel, ingress, egress, types }) => ({
    flavour: 'k8s' as const,
    endpointSelector: sel,
    ingress,
    egress,
    ingressDeny: [],
    egressDeny: [],
    enableDefaultDeny: {},
    ...(types !== undefined ? { policyTypes: types } : {}),
  }));
}

/**
 * A CiliumNetworkPolicy rule (decoded form) with allow and deny entries.
 *
 * @example
 * ```ts
 * fc.sample(cnpRuleArbitrary(), 1)[0]?.flavour; // 'cilium'
 * ```
 */
export function cnpRuleArbitrary(): fc.Arbitrary<PolicyRuleSpec> {
  return fc.record({
    sel: podSel,
    ingress: fc.array(entry(ciliumPeer, true), { maxLength: 2 }),
    ingressDeny: fc.array(entry(ciliumPeer, true), { maxLength: 1 }),
    egress: fc.array(entry(ciliumPeer, true), { maxLength: 2 }),
    egressDeny: fc.array(entry(ciliumPeer, true), { maxLength: 1 }),
  }).map((r) => ({ flavour: 'cilium' as const, endpointSelector: r.sel, ingress: r.ingress, ingressDeny: r.ingressDeny, egress: r.egress, egressDeny: r.egressDeny, enableDefaultDeny: {} }));
}

/**
 * Policy documents in namespaces x, y, z named `p0`, `p1`, … from rules.
 *
 * @example
 * ```ts
 * fc.sample(policyDocumentsArbitrary(knpRuleArbitrary()), 1);
 * ```
 */
export function policyDocumentsArbitrary(rule: fc.Arbitrary<PolicyRuleSpec>, maxLength = 3): fc.Arbitrary<PolicyDocument[]> {
  return fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), rule), { maxLength }).map((list) =>
    list.map(([ns, r], i) => ({ meta: { name: `p${i}`, namespace: ns, labels: {}, annotations: {} }, specs: [], rules: [r] })),
  );
}
