/**
 * The health-check node port server (`pkg/loadbalancer/healthserver/healthserver.go`, scenario
 * `pkg/loadbalancer/tests/testdata/healthserver.txtar`): a LoadBalancer service with
 * externalTrafficPolicy Local gets a `healthCheckNodePort` from the API server; every node's agent
 * answers it on its addresses with 200 and `localEndpoints` N when it has active local backends,
 * 503 with 0 otherwise; `enable-health-check-loadbalancer-ip` adds the `LB_IP:port` frontend of
 * the synthetic `<service>:healthserver` service (LoadBalancer, Local, InternalLocal) whose one
 * backend is the node's own NodePort address.
 */
import { describe, it, expect } from 'vitest';
import { LB_LAB, LB_LAB_PATHS, cli, decodeErrors, featureFile, twinOf } from './helpers.js';
import { formatIp } from '../../src/net/addr.js';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { createTwin } from '../../src/twin/twin.js';

const HC = featureFile('variants/health-check.yaml');
const PORT = 32511; // the API server's pick for default/webpod/health (FNV-1a rule, docs/decisions.md)
const ON = { 'enable-health-check-loadbalancer-ip': 'true' };
const paths = [...LB_LAB_PATHS, 'examples/service-features/variants/health-check.yaml'];

describe('healthCheckNodePort allocation (API server)', () => {
  it('a LoadBalancer service with eTP Local gets one; the same one on every run', () => {
    const t = twinOf(LB_LAB, [HC]);
    const svc = t.cluster.scenario.services.find((s) => s.meta.name === 'webpod')!;
    expect(svc.healthCheckNodePort).toBe(PORT);
    const again = twinOf(LB_LAB, [HC]).cluster.scenario.services.find((s) => s.meta.name === 'webpod')!;
    expect(again.healthCheckNodePort).toBe(PORT);
  });
  it('eTP Cluster: none', () => {
    const svc = twinOf(LB_LAB).cluster.scenario.services.find((s) => s.meta.name === 'webpod')!;
    expect(svc.healthCheckNodePort).toBeUndefined();
  });
  it('given with eTP Cluster: the API server refuses it, located', () => {
    const bad = HC.replace('externalTrafficPolicy: Local', 'externalTrafficPolicy: Cluster').replace('  selector:', '  healthCheckNodePort: 31000\n  selector:');
    const errs = decodeErrors([bad]);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('Service/webpod');
    expect(errs[0]).toContain("spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  });
  it('kubectl get svc -o json shows it', () => {
    const r = cli(paths, 'kubectl', 'get', 'svc', '-o', 'json');
    expect(r.stdout).toContain(`"healthCheckNodePort": ${PORT}`);
  });
});

describe('the health server answers on every node address', () => {
  it('200 and localEndpoints 1 on the nodes with a webpod, 503 and 0 on k8s-ctr', () => {
    const t = twinOf(LB_LAB, [HC]);
    expect(['k8s-ctr', 'k8s-w0', 'k8s-w1'].map((n) => t.maps(n)!.healthServers)).toEqual([
      [{ port: PORT, service: { namespace: 'default', name: 'webpod' }, localEndpoints: 0 }],
      [{ port: PORT, service: { namespace: 'default', name: 'webpod' }, localEndpoints: 1 }],
      [{ port: PORT, service: { namespace: 'default', name: 'webpod' }, localEndpoints: 1 }],
    ]);
    const w1 = t.trace({ from: 'router', dst: '192.168.10.101', dport: PORT });
    expect([w1.verdict, w1.answer?.status, w1.answer?.body]).toEqual(['FORWARDED', 200, '{"service":{"namespace":"default","name":"webpod"},"localEndpoints":1}\n']);
    const ctr = t.trace({ from: 'router', dst: '192.168.10.100', dport: PORT });
    expect([ctr.verdict, ctr.answer?.status, ctr.answer?.body]).toEqual(['FORWARDED', 503, '{"service":{"namespace":"default","name":"webpod"},"localEndpoints":0}\n']);
  });
  it('curl -v: headers as Go net/http writes them (kube-proxy compatible)', () => {
    const r = cli(paths, 'exec', 'router', '--', 'curl', '-sv', `192.168.10.100:${PORT}`);
    expect(r.stdout).toBe('{"service":{"namespace":"default","name":"webpod"},"localEndpoints":0}\n');
    expect(r.stderr).toContain(
      ['< HTTP/1.1 503 Service Unavailable', '< Content-Type: application/json', '< X-Content-Type-Options: nosniff', '< X-Load-Balancing-Endpoint-Weight: 0', '< Date: Thu, 01 Jan 1970 00:00:00 GMT', '< Content-Length: 71'].join('\n'),
    );
    expect(cli(paths, 'exec', 'router', '--', 'curl', '-sf', `192.168.10.100:${PORT}`).exitCode).toBe(22);
  });
  it('eTP Cluster or no kube-proxy replacement or enable-health-check-nodeport=false: nothing listens', () => {
    for (const t of [twinOf(LB_LAB), twinOf(LB_LAB, [HC], { 'enable-health-check-nodeport': 'false' }), twinOf(LB_LAB, [HC], { 'kube-proxy-replacement': 'false' })]) {
      expect(t.maps('k8s-w1')!.healthServers).toBeUndefined();
      const r = t.trace({ from: 'router', dst: '192.168.10.101', dport: PORT });
      expect(r.outcome).toBe('refused');
    }
  });
  it('no LB frontend by default (enable-health-check-loadbalancer-ip false): the LB IP does not answer the port', () => {
    const t = twinOf(LB_LAB, [HC]);
    expect(t.maps('k8s-w1')!.frontends.some((f) => f.port === PORT)).toBe(false);
  });
});

describe('enable-health-check-loadbalancer-ip: the LB_IP:port frontend', () => {
  it('LoadBalancer, Local, InternalLocal; one backend, the node address; right after the service', () => {
    const t = twinOf(LB_LAB, [HC], ON);
    const m = t.maps('k8s-w1')!;
    const fe = m.frontends.find((f) => f.port === PORT)!;
    expect([formatIp(fe.address), fe.type, fe.service.name, fe.flagNames, fe.count]).toEqual(['172.16.1.1', 'LoadBalancer', 'webpod:healthserver', ['LoadBalancer', 'Local', 'InternalLocal'], 1]);
    const be = m.backends.find((b) => b.id === fe.backendIds[0])!;
    expect([formatIp(be.address), be.port, be.nodeName]).toEqual(['10.0.2.15', PORT, 'k8s-w1']);
    const webpodIds = m.frontends.filter((f) => f.service.name === 'webpod' && !f.wildcard).map((f) => f.id);
    expect(fe.id).toBe(Math.max(...webpodIds) + 1);
    // every node has its own backend (its own address), under distinct IDs
    const ids = ['k8s-ctr', 'k8s-w0', 'k8s-w1'].map((n) => t.maps(n)!.frontends.find((f) => f.port === PORT)!.backendIds[0]);
    expect(new Set(ids).size).toBe(3);
  });
  it('the router reaches the health server through the LB IP; the answer comes from the VIP', () => {
    const t = twinOf(LB_LAB, [HC], ON);
    const r = t.trace({ from: 'router', dst: '172.16.1.1', dport: PORT });
    expect(r.verdict).toBe('FORWARDED');
    expect(r.reply?.src).toBe(`172.16.1.1:${PORT}`);
    expect(r.answer?.status).toBe(200);
    expect(r.hops.some((h) => h.event === 'lb' && h.detail.includes('default/webpod:healthserver'))).toBe(true);
  });
  it('bpf lb list and service list show it', () => {
    const list = cli(paths, '--set', 'enable-health-check-loadbalancer-ip=true', 'exec', 'k8s-w1', '--', 'cilium-dbg', 'bpf', 'lb', 'list');
    expect(list.stdout).toMatch(/172\.16\.1\.1:32511\/TCP \(0\)\s+0\.0\.0\.0:0 \(11\) \(0\) \[LoadBalancer, Local, InternalLocal\]/);
    expect(list.stdout).toMatch(/172\.16\.1\.1:32511\/TCP \(1\)\s+10\.0\.2\.15:32511\/TCP \(11\) \(1\)/);
    const svc = cli(paths, '--set', 'enable-health-check-loadbalancer-ip=true', 'exec', 'k8s-w1', '--', 'cilium-dbg', 'service', 'list');
    expect(svc.stdout).toMatch(/11\s+172\.16\.1\.1:32511\/TCP\s+LoadBalancer\s+1 => 10\.0\.2\.15:32511\/TCP \(active\)/);
  });
});

describe('healthserver.txtar, as a scenario', () => {
  // node 1.1.1.1 (testnode), echo eTP=iTP=Local, LB 172.16.1.1, hcnp 40000, backends 10.244.1.1-2 on
  // testnode and 10.244.1.3-4 on othernode; the test harness turns the LB-IP frontend on.
  const docs = [
    `apiVersion: v1
kind: Node
metadata: {name: testnode, labels: {kubernetes.io/hostname: testnode}}
spec: {podCIDRs: [10.244.1.0/24]}
status: {addresses: [{type: InternalIP, address: 1.1.1.1}]}`,
    `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: test}
spec:
  type: LoadBalancer
  clusterIP: 10.96.50.104
  clusterIPs: [10.96.50.104]
  externalTrafficPolicy: Local
  internalTrafficPolicy: Local
  healthCheckNodePort: 40000
  selector: {name: echo}
  ports: [{name: http, nodePort: 30781, port: 80, protocol: TCP, targetPort: 80}]
status: {loadBalancer: {ingress: [{ip: 172.16.1.1}]}}`,
    `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-eps, namespace: test, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
endpoints:
- {addresses: [10.244.1.1], nodeName: testnode}
- {addresses: [10.244.1.2], nodeName: testnode}
- {addresses: [10.244.1.3], nodeName: othernode}
- {addresses: [10.244.1.4], nodeName: othernode}
ports: [{name: http, port: 80, protocol: TCP}]`,
  ];
  it('the frontends and the health answers of lbmaps.expected and healthserver.expected', () => {
    const t = twinOf([], docs, ON);
    const m = t.maps('testnode')!;
    const rows = m.frontends.filter((f) => f.service.namespace === 'test' && !f.wildcard).map((f) => `${formatIp(f.address)}:${f.port} ${f.service.name} ${f.flagNames.join('+')} COUNT=${f.count}`);
    expect(rows).toContain('172.16.1.1:40000 echo:healthserver LoadBalancer+Local+InternalLocal COUNT=1');
    expect(rows).toContain('172.16.1.1:80 echo LoadBalancer+Local+InternalLocal COUNT=2');
    const hs = m.frontends.find((f) => f.port === 40000)!;
    const be = m.backends.find((b) => b.id === hs.backendIds[0])!;
    expect(`${formatIp(be.address)}:${be.port}/${be.protocol}`).toBe('1.1.1.1:40000/TCP');
    expect(m.healthServers).toEqual([{ port: 40000, service: { namespace: 'test', name: 'echo' }, localEndpoints: 2 }]);
  });
  it('without local backends (endpointslice2.yaml): 503 and localEndpoints 0; the frontend stays', () => {
    const only = docs[2]!.replace('- {addresses: [10.244.1.1], nodeName: testnode}\n- {addresses: [10.244.1.2], nodeName: testnode}\n', '');
    const m = twinOf([], [docs[0]!, docs[1]!, only], ON).maps('testnode')!;
    expect(m.healthServers?.[0]?.localEndpoints).toBe(0);
    expect(m.frontends.some((f) => f.port === 40000 && f.service.name === 'echo:healthserver')).toBe(true);
  });
  it('eTP Cluster (service2_tpcluster.yaml): no health server, no frontend', () => {
    const cluster = docs[1]!.replace('externalTrafficPolicy: Local', 'externalTrafficPolicy: Cluster').replace('internalTrafficPolicy: Local', 'internalTrafficPolicy: Cluster').replace('  healthCheckNodePort: 40000\n', '');
    const m = twinOf([], [docs[0]!, cluster, docs[2]!], ON).maps('testnode')!;
    expect(m.healthServers).toBeUndefined();
    expect(m.frontends.some((f) => f.port === 40000)).toBe(false);
  });
});

describe('dual stack (healthserver-ipv6.txtar\'s shape)', () => {
  it('an IPv6 LB IP gets its own health frontend, backed by the node\'s lowest IPv6 NodePort address', () => {
    const D = 'examples/bgp-lab-dual-stack';
    const lb = readFileSync(join(import.meta.dirname, '..', '..', D, 'variants', 'lb.yaml'), 'utf8').replace('externalTrafficPolicy: Cluster', 'externalTrafficPolicy: Local');
    const files = [D + '/lab', D + '/variants/webpod-3.yaml'].flatMap((p) => readdirOrFile(p));
    const d = decodeScenario([...files, { file: 'lb.yaml', text: lb }], { set: ON });
    if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
    const m = createTwin(buildWorkloadCluster(d.right)).maps('k8s-w1')!;
    const rows = m.frontends
      .filter((f) => f.service.name === 'webpod:healthserver')
      .map((f) => {
        const be = m.backends.find((b) => b.id === f.backendIds[0])!;
        return `${formatIp(f.address)} -> ${formatIp(be.address)}:${be.port}`;
      });
    expect(rows).toEqual([`172.16.1.1 -> 10.0.2.15:${PORT}`, `fd00:172:16:1::1 -> fd00:2::15:${PORT}`]);
  });
});

function readdirOrFile(p: string): { file: string; text: string }[] {
  const abs = join(import.meta.dirname, '..', '..', p);
  if (!statSync(abs).isDirectory()) return [{ file: p, text: readFileSync(abs, 'utf8') }];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: `${p}/${f}`, text: readFileSync(join(abs, f), 'utf8') }));
}
