/**
 * Topology-aware routing: the EndpointSlice controller's zone and hints (topology-mode Auto,
 * trafficDistribution PreferClose, and their fallbacks), and Cilium keeping only the backends
 * hinted for a node's zone (`pkg/loadbalancer/tests/testdata/topology-aware.txtar`).
 */
import { describe, it, expect } from 'vitest';
import { labFiles } from '../helpers/lab.js';
import { clusterWith, featureFile, twinWith } from './helpers.js';
import { formatIp } from '../../src/net/addr.js';
import { withHints } from '../../src/cluster/topology-hints.js';
import type { Endpoint, Node, Service } from '../../src/input/types.js';
import { IPv4 } from 'ip-num';

const webpod3 = labFiles(['webpod-3.yaml']).at(-1)!.text;
const variant = featureFile('variants/topology.yaml');
const svc = (annotations: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: webpod
  namespace: default
  labels: {app: webpod}
  annotations: {${annotations}}
spec:
  type: ClusterIP
  clusterIP: 10.96.252.129
  clusterIPs: [10.96.252.129]
  selector: {app: webpod}
${extra}  ports:
    - {name: http, port: 80, targetPort: 80, protocol: TCP}`;

const backendsOn = (t: ReturnType<typeof twinWith>, node: string) => {
  const m = t.maps(node)!;
  const f = m.frontends.find((x) => formatIp(x.address) === '10.96.252.129' && !x.wildcard)!;
  return f.backendIds.slice(0, f.count).map((id) => formatIp(m.backends.find((b) => b.id === id)!.address));
};
const hintsOf = (c: ReturnType<typeof clusterWith>) =>
  c.endpointSlices
    .filter((s) => s.serviceName === 'webpod')
    .flatMap((s) => s.endpoints.map((e) => `${formatIp(e.addresses[0]!)} ${e.zone ?? '-'} ${e.forZones?.join(',') ?? '-'}`));

describe('topology-aware routing: EndpointSlice hints', () => {
  it('topology-mode Auto: zones in proportion to the nodes; every endpoint hinted for its own zone here', () => {
    expect(hintsOf(clusterWith([webpod3, variant]))).toEqual(['172.20.0.28 zone-a zone-a', '172.20.1.76 zone-a zone-a', '172.20.2.68 zone-b zone-b']);
  });

  it('trafficDistribution: PreferClose hints each ready endpoint for its own zone', () => {
    expect(hintsOf(clusterWith([webpod3, variant, svc('', '  trafficDistribution: PreferClose\n')]))).toEqual([
      '172.20.0.28 zone-a zone-a',
      '172.20.1.76 zone-a zone-a',
      '172.20.2.68 zone-b zone-b',
    ]);
  });

  it('no annotation: zones, no hints', () => {
    expect(hintsOf(clusterWith([webpod3, variant, svc('')]))).toEqual(['172.20.0.28 zone-a -', '172.20.1.76 zone-a -', '172.20.2.68 zone-b -']);
  });

  const node = (name: string, zone?: string): Node =>
    ({ meta: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {}, annotations: {} }, ready: true }) as unknown as Node;
  const ep = (ip: string, zone?: string, ready = true): Endpoint => ({ addresses: [IPv4.fromString(ip)], ready, serving: ready, terminating: false, ...(zone ? { zone } : {}) });
  const auto = { meta: { name: 's', annotations: { 'service.kubernetes.io/topology-mode': 'Auto' }, labels: {} }, internalTrafficPolicy: 'Cluster' } as unknown as Service;

  it('Auto falls back to no hints: fewer endpoints than zones, a node or an endpoint without a zone', () => {
    const nodes = [node('a', 'z1'), node('b', 'z2'), node('c', 'z3')];
    expect(withHints(auto, [ep('10.0.0.1', 'z1'), ep('10.0.0.2', 'z2')], nodes).map((e) => e.forZones)).toEqual([undefined, undefined]);
    expect(withHints(auto, [ep('10.0.0.1', 'z1'), ep('10.0.0.2', 'z2'), ep('10.0.0.3')], nodes).map((e) => e.forZones)).toEqual([undefined, undefined, undefined]);
    expect(withHints(auto, [ep('10.0.0.1', 'z1'), ep('10.0.0.2', 'z2')], [node('a', 'z1'), node('b')]).every((e) => e.forZones === undefined)).toBe(true);
  });

  it('Auto moves endpoints from a zone above its share to a zone below its minimum', () => {
    // 2 zones of one node each, 4 endpoints all but one in z1: z2 needs ceil(2/1.2) = 2
    const r = withHints(auto, [ep('10.0.0.1', 'z1'), ep('10.0.0.2', 'z1'), ep('10.0.0.3', 'z1'), ep('10.0.0.4', 'z2')], [node('a', 'z1'), node('b', 'z2')]);
    expect(r.map((e) => e.forZones?.[0])).toEqual(['z1', 'z1', 'z2', 'z2']);
  });

  it('Auto gives up when a zone cannot be balanced (overloaded beyond 20 %)', () => {
    // z1 has 3 nodes, z2 one: desired z1 = 1.5, z2 = 0.5 -> minimum z2 = 1, but 2 endpoints both in z2 leave z1 below its minimum 2
    const nodes = [node('a', 'z1'), node('b', 'z1'), node('c', 'z1'), node('d', 'z2')];
    const r = withHints(auto, [ep('10.0.0.1', 'z2'), ep('10.0.0.2', 'z2')], nodes);
    expect(r.map((e) => e.forZones)).toEqual([undefined, undefined]);
  });
});

describe('topology-aware routing: each node\'s backends', () => {
  it('a node keeps only the backends hinted for its zone', () => {
    const t = twinWith([webpod3, variant]);
    expect(backendsOn(t, 'k8s-ctr')).toEqual(['172.20.0.28', '172.20.1.76']);
    expect(backendsOn(t, 'k8s-w1')).toEqual(['172.20.0.28', '172.20.1.76']);
    expect(backendsOn(t, 'k8s-w0')).toEqual(['172.20.2.68']);
  });

  it('off without enable-service-topology, and under internalTrafficPolicy: Local', () => {
    expect(backendsOn(twinWith([webpod3, variant], { 'enable-service-topology': 'false' }), 'k8s-w0')).toEqual(['172.20.0.28', '172.20.1.76', '172.20.2.68']);
    const itpLocal = svc("service.kubernetes.io/topology-mode: Auto", '  internalTrafficPolicy: Local\n');
    expect(backendsOn(twinWith([webpod3, variant, itpLocal]), 'k8s-ctr')).toEqual(['172.20.0.28']);
  });

  it('a node whose zone no hint names gets no backend (no fallback in 1.18; topology-aware.txtar)', () => {
    const slice = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: webpod-hinted, namespace: default, labels: {kubernetes.io/service-name: webpod}}
addressType: IPv4
endpoints:
  - addresses: [172.20.0.28]
    nodeName: k8s-ctr
    zone: zone-a
    hints: {forZones: [{name: zone-a}, {name: zone-c}]}
ports: [{name: http, port: 80, protocol: TCP}]`;
    const noSelector = svc('service.kubernetes.io/topology-mode: Auto').replace('  selector: {app: webpod}\n', '');
    const t = twinWith([webpod3, variant, noSelector, slice]);
    expect(backendsOn(t, 'k8s-ctr')).toEqual(['172.20.0.28']);
    expect(backendsOn(t, 'k8s-w0')).toEqual([]);
  });

  it('a trace from zone-b reaches the zone-b backend only', () => {
    const t = twinWith([webpod3, variant]);
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: client-b, namespace: default}
spec: {nodeName: k8s-w0, containers: [{name: c, image: nicolaka/netshoot}]}`;
    const t2 = twinWith([webpod3, variant, pod]);
    for (const sport of [40000, 40001, 40002, 40003]) {
      expect(t2.trace({ from: 'default/client-b', dst: '10.96.252.129', dport: 80, sport }).backend?.address).toBe('172.20.2.68:80');
    }
    void t;
  });
});
