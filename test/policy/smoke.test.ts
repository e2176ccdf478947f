import { describe, expect, it } from 'vitest';
import { expected, netpolCluster, nsOf, reachability } from '../helpers/netpol.js';

describe('smoke', () => {
  it('no policy: everything reachable', () => {
    expect(reachability(netpolCluster(''), 80)).toEqual(expected(() => false));
  });
  it('default deny ingress in x', () => {
    const c = netpolCluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}
`);
    expect(reachability(c, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });
});
