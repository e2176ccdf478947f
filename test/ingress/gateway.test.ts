import { describe, expect, it } from 'vitest';
import { ingressTwin } from './helpers.js';

const GW = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: cilium
spec:
  controllerName: io.cilium/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: my-gateway
  namespace: default
spec:
  gatewayClassName: cilium
  listeners:
  - name: web
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: other
  namespace: default
spec:
  gatewayClassName: nope
  listeners:
  - name: web
    protocol: HTTP
    port: 80
`;

describe('Gateway API controller', () => {
  it('creates the LoadBalancer Service cilium-gateway-<name> with an LB IPAM address', () => {
    const t = ingressTwin([], [GW], { 'enable-gateway-api': 'true' });
    const s = t.cluster.scenario.services.find((x) => x.meta.name === 'cilium-gateway-my-gateway');
    expect(s?.type).toBe('LoadBalancer');
    expect(s?.meta.namespace).toBe('default');
    expect(s?.meta.labels['io.cilium.gateway/owning-gateway']).toBe('my-gateway');
    expect(s?.ports.map((p) => p.port)).toEqual([80]);
    expect(s?.clusterIPs.length).toBe(1);
  });
  it('warns about a Gateway whose class does not exist and makes no Service for it', () => {
    const t = ingressTwin([], [GW], { 'enable-gateway-api': 'true' });
    expect(t.cluster.warnings).toContain('Gateway default/other: GatewayClass "nope" not found: Gateway not accepted');
    expect(t.cluster.scenario.services.some((x) => x.meta.name === 'cilium-gateway-other')).toBe(false);
  });
  it('does nothing when enable-gateway-api is off', () => {
    const t = ingressTwin([], [GW]);
    expect(t.cluster.scenario.services.some((x) => x.meta.name.startsWith('cilium-gateway-'))).toBe(false);
  });
});
