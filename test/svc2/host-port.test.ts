/**
 * Host ports (`upsertHostPort` in `pkg/loadbalancer/reflectors`; scenarios
 * `pkg/loadbalancer/tests/testdata/hostport.txtar` and `hostport-lb-collision.txtar`) and the
 * scheduler's NodePorts filter.
 */
import { describe, it, expect } from 'vitest';
import { cli, featureFile, twinOf } from './helpers.js';
import { formatIp } from '../../src/net/addr.js';
import { podUid } from '../../src/workloads/names.js';
import { fitError } from '../../src/workloads/schedule.js';

const HP = featureFile('variants/host-port.yaml');
const paths = ['examples/bgp-lab/lab', 'examples/bgp-lab/variants/pod-routes.yaml', 'examples/service-features/variants/host-port.yaml'];
const rows = (t: ReturnType<typeof twinOf>, node: string, port: number) =>
  t.maps(node)!.frontends.filter((f) => f.port === port).map((f) => `${formatIp(f.address)}:${f.port}/${f.protocol} ${f.flagNames.join('+')} COUNT=${f.count}`);

const node = `apiVersion: v1
kind: Node
metadata: {name: testnode, labels: {kubernetes.io/hostname: testnode}}
spec: {podCIDRs: [10.244.1.0/24]}
status: {addresses: [{type: InternalIP, address: 1.1.1.1}]}`;
const pod = (name: string, uid: string, ports: string, ips = '[{ip: 10.244.1.113}]') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, uid: ${uid}}
spec:
  nodeName: testnode
  containers:
  - name: app
    image: nginx
    ports: ${ports}
status: {phase: Running, podIPs: ${ips}}`;

describe('hostport.txtar', () => {
  const t = twinOf([], [node, pod('my-app', '11111111-2e9b-4c61-8454-ae81344876d8', '[{containerPort: 80, hostPort: 4444, protocol: TCP}]')]);
  it('the surrogate and its node-address copy, flags as lbmaps.expected', () => {
    expect(rows(t, 'testnode', 4444)).toEqual(['0.0.0.0:4444/TCP HostPort+non-routable COUNT=1', '1.1.1.1:4444/TCP HostPort COUNT=1']);
    const m = t.maps('testnode')!;
    const be = m.backends.find((b) => b.id === m.frontends.find((f) => f.port === 4444)!.backendIds[0])!;
    expect(`${formatIp(be.address)}:${be.port}/${be.protocol}`).toBe('10.244.1.113:80/TCP');
  });
  it('the synthetic service is named <pod>:host-port:<port>:<uid>', () => {
    expect(t.maps('testnode')!.frontends.find((f) => f.port === 4444)!.service).toEqual({ namespace: 'default', name: 'my-app:host-port:4444:11111111-2e9b-4c61-8454-ae81344876d8' });
  });
  it('a Succeeded pod has none', () => {
    const done = pod('my-app', 'u', '[{containerPort: 80, hostPort: 4444, protocol: TCP}]').replace('phase: Running', 'phase: Succeeded');
    expect(rows(twinOf([], [node, done]), 'testnode', 4444)).toEqual([]);
  });
  it('without metadata.uid the UID is derived, the same on every run, UUID-shaped', () => {
    const u = podUid({ name: 'my-app', namespace: 'default' });
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(podUid({ name: 'my-app', namespace: 'default' })).toBe(u);
    expect(podUid({ name: 'other', namespace: 'default' })).not.toBe(u);
  });
});

describe('host port forms', () => {
  it('hostIP: only that address, no surrogate', () => {
    const t = twinOf([], [node, pod('a', 'u1', '[{containerPort: 80, hostPort: 9090, hostIP: 1.1.1.1, protocol: TCP}]')]);
    expect(rows(t, 'testnode', 9090)).toEqual(['1.1.1.1:9090/TCP HostPort COUNT=1']);
  });
  it('loopback hostIP: the surrogate with the loopback flag (copied to node addresses)', () => {
    const t = twinOf([], [node, pod('a', 'u1', '[{containerPort: 80, hostPort: 9090, hostIP: 127.0.0.1, protocol: TCP}]')]);
    expect(rows(t, 'testnode', 9090)).toEqual(['0.0.0.0:9090/TCP HostPort+non-routable+loopback COUNT=1', '1.1.1.1:9090/TCP HostPort+loopback COUNT=1']);
  });
  it('hostIP 0.0.0.0 given: no frontend (Cilium matches neither branch)', () => {
    const t = twinOf([], [node, pod('a', 'u1', '[{containerPort: 80, hostPort: 9090, hostIP: 0.0.0.0, protocol: TCP}]')]);
    expect(rows(t, 'testnode', 9090)).toEqual([]);
  });
  it('a host port inside the NodePort range is ignored', () => {
    const t = twinOf([], [node, pod('a', 'u1', '[{containerPort: 80, hostPort: 30080, protocol: TCP}]')]);
    expect(rows(t, 'testnode', 30080)).toEqual([]);
  });
  it('TCP and UDP on the same host port: one service, a frontend per protocol, each with its own backend', () => {
    const t = twinOf([], [node, pod('dns', 'u1', '[{containerPort: 53, hostPort: 53, protocol: UDP}, {containerPort: 53, hostPort: 53, protocol: TCP}]')]);
    expect(rows(t, 'testnode', 53)).toEqual(['0.0.0.0:53/TCP HostPort+non-routable COUNT=1', '0.0.0.0:53/UDP HostPort+non-routable COUNT=1', '1.1.1.1:53/TCP HostPort COUNT=1', '1.1.1.1:53/UDP HostPort COUNT=1']);
    const names = new Set(t.maps('testnode')!.frontends.filter((f) => f.port === 53).map((f) => f.service.name));
    expect([...names]).toEqual(['dns:host-port:53:u1']);
  });
  it('a dual-stack pod gets the [::] surrogate too', () => {
    const t = twinOf([], [node, pod('a', 'u1', '[{containerPort: 80, hostPort: 9090, protocol: TCP}]', '[{ip: 10.244.1.5}, {ip: "fd00:10:244:1::5"}]')], { 'enable-ipv6': 'true' });
    const addrs = t.maps('testnode')!.frontends.filter((f) => f.port === 9090 && f.surrogate).map((f) => `${formatIp(f.address)} ${f.count}`);
    expect(addrs).toEqual(['0.0.0.0 1', ':: 1']);
  });
});

describe('hostport-lb-collision.txtar: a LoadBalancer frontend on the node address wins', () => {
  it('1.1.1.1:80 stays LoadBalancer; the HostPort keeps only its surrogate', () => {
    const svc = `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: test}
spec:
  type: LoadBalancer
  clusterIP: 10.96.50.104
  clusterIPs: [10.96.50.104]
  selector: {name: echo}
  ports: [{name: http, port: 80, protocol: TCP, targetPort: 80}]
status: {loadBalancer: {ingress: [{ip: 1.1.1.1}]}}`;
    const t = twinOf([], [node, svc, pod('svclb-traefik', 'bbbbbbbb-2e9b-4c61-8454-ae81344876d8', '[{containerPort: 8080, hostPort: 80, protocol: TCP}]', '[{ip: 10.244.1.2}]')]);
    const r = t.maps('testnode')!.frontends.filter((f) => f.port === 80 && !f.wildcard && (f.service.name === 'echo' || f.service.name.includes(':host-port:'))).map((f) => `${formatIp(f.address)} ${f.type}`);
    expect(r).toEqual(['0.0.0.0 HostPort', '1.1.1.1 LoadBalancer', '10.96.50.104 ClusterIP']);
  });
});

describe('the example: a Deployment with hostPort 8080 on three nodes', () => {
  const t = twinOf(['pod-routes.yaml'], [HP]);
  it('three replicas run, one per node; the fourth is Pending with the scheduler message', () => {
    const edge = t.cluster.scenario.pods.filter((p) => p.meta.name.startsWith('edge-'));
    expect(edge.filter((p) => p.phase === 'Running').map((p) => p.nodeName).sort()).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    const pending = edge.filter((p) => p.phase === 'Pending');
    expect(pending.map((p) => p.pendingMessage)).toEqual([fitError(3, [0, 1, 2].map(() => ({ text: "node(s) didn't have free ports for the requested pod ports", unresolvable: false })))]);
    expect(pending[0]!.pendingMessage).toBe("0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
  });
  it('the router reaches each node on 8080, answered by that node\'s replica', () => {
    for (const [addr, nodeName] of [['192.168.10.100', 'k8s-ctr'], ['192.168.10.101', 'k8s-w1'], ['192.168.20.100', 'k8s-w0']] as const) {
      const r = t.trace({ from: 'router', dst: addr, dport: 8080 });
      expect([r.verdict, r.backend?.node]).toEqual(['FORWARDED', nodeName]);
    }
  });
  it('hostIP 192.168.10.101: 9090 answers there and nowhere else', () => {
    expect(t.trace({ from: 'router', dst: '192.168.10.101', dport: 9090 }).backend?.pod).toBe('default/pinned');
    expect(t.trace({ from: 'router', dst: '192.168.20.100', dport: 9090 }).outcome).toBe('refused');
  });
  it('a different hostIP on the same port does not conflict; the same one does', () => {
    const two = (ip1: string, ip2: string) => `apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: default}
spec:
  nodeSelector: {kubernetes.io/hostname: k8s-w1}
  containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 7000, hostIP: ${ip1}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: p2, namespace: default}
spec:
  nodeSelector: {kubernetes.io/hostname: k8s-w1}
  containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 7000, hostIP: ${ip2}}]}]`;
    const phases = (ip1: string, ip2: string) => twinOf([], [two(ip1, ip2)]).cluster.scenario.pods.filter((p) => p.meta.name === 'p1' || p.meta.name === 'p2').map((p) => p.phase);
    expect(phases('192.168.10.101', '10.0.2.15')).toEqual(['Running', 'Running']);
    expect(phases('192.168.10.101', '192.168.10.101')).toEqual(['Running', 'Pending']);
  });
  it('bpf lb list on k8s-w1', () => {
    const r = cli(paths, 'exec', 'k8s-w1', '--', 'cilium-dbg', 'bpf', 'lb', 'list');
    expect(r.stdout).toMatch(/0\.0\.0\.0:8080\/TCP \(0\)\s+0\.0\.0\.0:0 \(\d+\) \(0\) \[HostPort, non-routable\]/);
    expect(r.stdout).toMatch(/192\.168\.10\.101:9090\/TCP \(0\)\s+0\.0\.0\.0:0 \(\d+\) \(0\) \[HostPort\]/);
    expect(r.stdout).not.toMatch(/10\.0\.2\.15:9090/);
  });
});

describe('two pods pinned to one node with the same host port', () => {
  it('the first (by namespace, name) keeps the frontends; the map has each key once', () => {
    const pinned = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  nodeName: k8s-w1
  containers: [{name: c, image: traefik/whoami, ports: [{containerPort: 80, hostPort: 7000}]}]`;
    const t = twinOf([], [pinned('a2'), pinned('a1')]);
    const fes = t.maps('k8s-w1')!.frontends.filter((f) => f.port === 7000);
    expect(fes.map((f) => formatIp(f.address))).toEqual(['0.0.0.0', '10.0.2.15', '192.168.10.101']);
    expect(new Set(fes.map((f) => f.service.name.split(':')[0]))).toEqual(new Set(['a1']));
  });
});
