import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { loadLab } from '../helpers/lab.js';

function cluster(text: string): Cluster {
  const r = decodeScenario([{ file: 't.yaml', text }]);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return buildCluster(r.right);
}

const NODES = `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {zone: a}}
spec: {podCIDRs: [10.0.1.0/24]}
status: {addresses: [{type: InternalIP, address: 192.168.1.11}, {type: ExternalIP, address: 203.0.113.1}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
spec: {podCIDRs: [10.0.2.0/24]}
status: {addresses: [{type: InternalIP, address: 192.168.1.12}]}
`;

function pod(name: string, node: string, ip: string, extra = ''): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: app, labels: {app: web}${extra.includes('deletion') ? ', deletionTimestamp: "2025-01-01T00:00:00Z"' : ''}}
spec: {nodeName: ${node}${extra.includes('hostNetwork') ? ', hostNetwork: true' : ''}, containers: [{name: c, image: traefik/whoami, ports: [{name: web, containerPort: 8080}]}]}
status: {podIP: ${ip}${extra.includes('notready') ? ', conditions: [{type: Ready, status: "False"}]' : ''}${extra.includes('failed') ? ', phase: Failed' : ''}}
`;
}

const SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec:
  clusterIP: 10.96.0.10
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: web}, {name: raw, port: 81, targetPort: 9090, protocol: UDP}]
`;

describe('buildCluster on the lab', () => {
  const c = loadLab(['webpod-3.yaml']);

  it('derives a CiliumNode per Node', () => {
    expect(c.ciliumNodes.map((n) => [n.meta.name, n.podCIDRs.map((p) => p.toCidrString()), n.addresses.map((a) => `${a.type} ${a.ip.toString()}`)])).toEqual([
      ['k8s-ctr', ['172.20.0.0/24'], ['InternalIP 192.168.10.100']],
      ['k8s-w0', ['172.20.2.0/24'], ['InternalIP 192.168.20.100']],
      ['k8s-w1', ['172.20.1.0/24'], ['InternalIP 192.168.10.101']],
    ]);
    expect(c.ciliumNodes[0]!.meta.labels['enable-bgp']).toBe('true');
  });

  it('derives the webpod EndpointSlice from the three pods (and the API server writes kubernetes)', () => {
    expect(c.endpointSlices.map((x) => x.meta.name)).toEqual(['kubernetes', 'webpod-ipv4']);
    const k = c.endpointSlices[0]!;
    expect(k.endpoints.map((e) => e.addresses[0]!.toString())).toEqual(['192.168.10.100']);
    expect(k.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
    const s = c.endpointSlices[1]!;
    expect(s.meta).toMatchObject({ name: 'webpod-ipv4', namespace: 'default' });
    expect(s.serviceName).toBe('webpod');
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(s.endpoints.map((e) => [e.addresses[0]!.toString(), e.nodeName, e.ready, e.serving, e.terminating, e.podRef?.name])).toEqual([
      ['172.20.0.28', 'k8s-ctr', true, true, false, 'webpod-697b545f57-phntn'],
      ['172.20.1.76', 'k8s-w1', true, true, false, 'webpod-697b545f57-hhjqw'],
      ['172.20.2.68', 'k8s-w0', true, true, false, 'webpod-697b545f57-8d2xs'],
    ]);
  });

  it('keeps the given hosts, and has namespaces and no warnings', () => {
    expect(c.hosts.map((h) => h.meta.name)).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1', 'router']);
    expect(c.namespaces.map((n) => n.meta.name)).toEqual(['default', 'kube-system']);
    expect(c.warnings).toEqual([]);
  });

  it('gives a service without pods an empty slice', () => {
    const empty = loadLab().endpointSlices.filter((x) => x.serviceName === 'webpod');
    expect(empty).toHaveLength(1);
    expect(empty[0]!.endpoints).toEqual([]);
  });
});

describe('buildCluster', () => {
  it('derives a default Host (eth0, InternalIP/24) for a node without one', () => {
    const c = cluster(NODES);
    expect(c.hosts.map((h) => [h.meta.name, h.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => `${a.address.toString()}/${a.prefixLength} ${a.network.toCidrString()}`).join(' ')}`), h.routes.length])).toEqual([
      ['n1', ['eth0 192.168.1.11/24 192.168.1.0/24'], 0],
      ['n2', ['eth0 192.168.1.12/24 192.168.1.0/24'], 0],
    ]);
  });

  it('resolves named target ports, marks terminating and unready pods, skips finished pods', () => {
    const c = cluster(
      NODES +
        pod('a', 'n1', '10.0.1.5') +
        pod('b', 'n2', '10.0.2.5', 'notready') +
        pod('c', 'n2', '10.0.2.6', 'deletion') +
        pod('d', 'n1', '10.0.1.6', 'failed') +
        SERVICE,
    );
    const slices = c.endpointSlices.filter((s) => s.serviceName === 'web');
    expect(slices).toHaveLength(1);
    expect(slices[0]!.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'raw', port: 9090, protocol: 'UDP' },
    ]);
    expect(slices[0]!.endpoints.map((e) => [e.addresses[0]!.toString(), e.ready, e.serving, e.terminating])).toEqual([
      ['10.0.1.5', true, true, false],
      ['10.0.2.5', false, false, false],
      ['10.0.2.6', false, true, true],
    ]);
  });

  it('lists a hostNetwork pod with its node address', () => {
    const c = cluster(NODES + pod('h', 'n2', '192.168.1.12', 'hostNetwork') + SERVICE);
    expect(c.endpointSlices[0]!.endpoints[0]!.addresses[0]!.toString()).toBe('192.168.1.12');
    expect(c.warnings).toEqual([]);
  });

  it('puts pods whose named port resolves differently into separate slices', () => {
    const other = pod('z', 'n1', '10.0.1.9').replace('containerPort: 8080', 'containerPort: 8081');
    const c = cluster(NODES + pod('a', 'n1', '10.0.1.5') + other + SERVICE);
    expect(c.endpointSlices.map((s) => [s.meta.name, s.ports.map((p) => p.port).join(','), s.endpoints.map((e) => e.addresses[0]!.toString()).join(',')])).toEqual([
      ['web-ipv4', '8080,9090', '10.0.1.5'],
      ['web-ipv4-2', '8081,9090', '10.0.1.9'],
    ]);
  });

  it('does not derive slices for a service that has its own', () => {
    const given = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abcde, namespace: app, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.0.1.77], conditions: {ready: false}}]
ports: [{name: http, port: 8080}]
`;
    const c = cluster(NODES + pod('a', 'n1', '10.0.1.5') + SERVICE + given);
    expect(c.endpointSlices.map((s) => s.meta.name)).toEqual(['web-abcde']);
    expect(c.endpointSlices[0]!.endpoints[0]).toMatchObject({ ready: false, serving: false, terminating: false });
  });

  it('warns about what will not work as written', () => {
    const c = cluster(
      NODES +
        pod('a', 'n3', '10.0.1.5') +
        pod('b', 'n1', '10.9.9.9') +
        `---
apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {routing-mode: native, enable-egress-gateway: "true"}
`,
    );
    expect(c.warnings).toEqual([
      'Pod app/a is on node n3, which the scenario does not define',
      'Pod app/b has address 10.9.9.9 outside the pod CIDRs of node n1',
      'cilium-config key enable-egress-gateway is not read by Cilium 1.18: the key is enable-ipv4-egress-gateway (Helm egressGateway.enabled)',
      'routing-mode is native with IPv4 masquerading but ipv4-native-routing-cidr is not set: the agent refuses to start this way',
    ]);
  });

  it('is deterministic', () => {
    const text = NODES + pod('a', 'n1', '10.0.1.5') + pod('b', 'n2', '10.0.2.5') + SERVICE;
    const a = cluster(text);
    const b = cluster(text.split('---\n').reverse().join('---\n'));
    expect(JSON.stringify(b.endpointSlices, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(
      JSON.stringify(a.endpointSlices, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  });
});
