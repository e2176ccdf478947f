/**
 * CiliumLocalRedirectPolicy: address and service matchers in the LB maps, the node-local
 * backends, no redirect without a local backend, skipRedirectFromBackend in the walk, and the
 * agent's refusals (pkg/loadbalancer/redirectpolicy and its script tests).
 */
import { describe, it, expect } from 'vitest';
import { labFiles } from '../helpers/lab.js';
import { cli, decodeErrors, featureFile, twinWith } from './helpers.js';
import { formatIp } from '../../src/net/addr.js';

const webpod3 = labFiles(['webpod-3.yaml']).at(-1)!.text;
const variant = featureFile('variants/local-redirect.yaml');
const V = ['../bgp-lab/variants/webpod-3.yaml', 'variants/local-redirect.yaml'];
const fe = (t: ReturnType<typeof twinWith>, node: string, addr: string) =>
  t.maps(node)!.frontends.filter((f) => formatIp(f.address) === addr && !f.wildcard);

describe('CiliumLocalRedirectPolicy in the LB maps', () => {
  const t = twinWith([webpod3, variant]);

  it('address matcher: a LocalRedirect frontend per node, to that node\'s own selected pod (address.txtar)', () => {
    for (const node of ['k8s-ctr', 'k8s-w0', 'k8s-w1']) {
      const [f] = fe(t, node, '169.254.169.254');
      expect(f?.flagNames).toEqual(['LocalRedirect']);
      expect(f?.service).toEqual({ namespace: 'kube-system', name: 'metadata:local-redirect' });
      const backends = f!.backendIds.map((id) => t.maps(node)!.backends.find((b) => b.id === id)!);
      expect(backends.map((b) => [b.nodeName, b.port, b.pod?.name.startsWith('metadata-proxy-')])).toEqual([[node, 80, true]]);
    }
  });

  it('service matcher: the ClusterIP frontend keeps its ID and becomes LocalRedirect with the local pod (service.txtar)', () => {
    const before = twinWith([webpod3]).maps('k8s-ctr')!.frontends.find((f) => formatIp(f.address) === '10.96.252.129' && !f.wildcard)!;
    const [f] = fe(t, 'k8s-ctr', '10.96.252.129');
    expect(f!.id).toBe(before.id);
    expect(f!.flagNames).toEqual(['LocalRedirect']);
    expect(f!.type).toBe('LocalRedirect');
    expect(f!.backendIds.map((id) => t.maps('k8s-ctr')!.backends.find((b) => b.id === id)!.pod?.name)).toEqual(['webpod-cache']);
    expect(f!.redirect?.original?.backendIds).toEqual(before.backendIds);
  });

  it('a node without a selected pod keeps the service as it was (no-target-pods.txtar)', () => {
    const [f] = fe(t, 'k8s-w1', '10.96.252.129');
    expect(f!.flagNames).toEqual(['ClusterIP', 'non-routable']);
    expect(f!.count).toBe(3);
  });

  it('off unless enable-local-redirect-policy is true', () => {
    const off = twinWith([webpod3, variant], { 'enable-local-redirect-policy': 'false' });
    expect(fe(off, 'k8s-ctr', '169.254.169.254')).toEqual([]);
    expect(fe(off, 'k8s-ctr', '10.96.252.129')[0]!.flagNames).toEqual(['ClusterIP', 'non-routable']);
  });

  it('pods that are not Ready are not backends', () => {
    const notReady = `apiVersion: v1
kind: Pod
metadata: {name: webpod-cache, namespace: default, labels: {app: webpod-cache}}
spec: {nodeName: k8s-ctr, containers: [{name: cache, image: traefik/whoami}]}
status: {phase: Running, podIP: 172.20.0.9, podIPs: [{ip: 172.20.0.9}], conditions: [{type: Ready, status: "False"}]}`;
    const t2 = twinWith([webpod3, variant, notReady]);
    expect(fe(t2, 'k8s-ctr', '10.96.252.129')[0]!.flagNames).toEqual(['ClusterIP', 'non-routable']);
  });

  it('several backend ports map by name; a named backend port takes the pod\'s container port of that name', () => {
    const svc = `apiVersion: v1
kind: Service
metadata: {name: dns, namespace: kube-system}
spec:
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10]
  ports:
    - {name: dns, port: 53, protocol: UDP}
    - {name: dns-tcp, port: 53, protocol: TCP}`;
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: node-local-dns, namespace: kube-system, labels: {k8s-app: node-local-dns}}
spec:
  nodeName: k8s-w0
  containers: [{name: dns, image: k8s-dns-node-cache, ports: [{containerPort: 5353, name: dns, protocol: UDP}, {containerPort: 5353, name: dns-tcp, protocol: TCP}]}]`;
    const lrp = `apiVersion: cilium.io/v2
kind: CiliumLocalRedirectPolicy
metadata: {name: nodelocaldns, namespace: kube-system}
spec:
  redirectFrontend:
    serviceMatcher: {serviceName: dns, namespace: kube-system}
  redirectBackend:
    localEndpointSelector: {matchLabels: {k8s-app: node-local-dns}}
    toPorts:
      - {port: "53", name: dns, protocol: UDP}
      - {port: "53", name: dns-tcp, protocol: TCP}`;
    const t3 = twinWith([webpod3, variant, svc, pod, lrp]);
    const rows = fe(t3, 'k8s-w0', '10.96.0.10').map((f) => {
      const b = t3.maps('k8s-w0')!.backends.find((x) => x.id === f.backendIds[0])!;
      return `${f.port}/${f.protocol} ${f.flagNames.join(',')} -> ${b.port}/${b.protocol}`;
    });
    expect(rows.sort()).toEqual(['53/TCP LocalRedirect -> 5353/TCP', '53/UDP LocalRedirect -> 5353/UDP']);
  });
});

describe('CiliumLocalRedirectPolicy in the walk and the CLI', () => {
  it('a client pod reaches the local pod; the redirect\'s own backend skips it and reaches the service\'s backends', () => {
    const t = twinWith([webpod3, variant]);
    const fromClient = t.trace({ from: 'default/curl-pod', dst: '10.96.252.129', dport: 80 });
    expect(fromClient.verdict).toBe('FORWARDED');
    expect(fromClient.backend?.pod).toBe('default/webpod-cache');
    const fromBackend = t.trace({ from: 'default/webpod-cache', dst: '10.96.252.129', dport: 80 });
    expect(fromBackend.hops[0]?.event).toBe('skip-lb');
    expect(fromBackend.hops[1]?.event).toBe('sock-xlate');
    expect(fromBackend.hops[1]?.detail).toMatch(/\(default\/webpod, ClusterIP, revnat 2\) -> 172\.20\.\d+\.\d+:80 \(default\/webpod-[0-9a-f]+-/);
    const meta = t.trace({ from: 'default/curl-pod', dst: '169.254.169.254', dport: 8080 });
    expect(meta.backend?.pod).toMatch(/^kube-system\/metadata-proxy-/);
    expect(meta.reply?.src).toBe('169.254.169.254:8080');
  });

  it('cilium-dbg bpf lb list and service list show the LocalRedirect rows', () => {
    const r = cli(V, 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list');
    expect(r.stdout).toMatch(/10\.96\.252\.129:80\/TCP \(0\)\s+0\.0\.0\.0:0 \(2\) \(0\) \[LocalRedirect\]/);
    expect(r.stdout).toMatch(/169\.254\.169\.254:8080\/TCP \(1\)\s+172\.20\.0\.3:80\/TCP \(3\) \(1\)/);
    const s = cli(V, 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'service', 'list');
    expect(s.stdout).toMatch(/169\.254\.169\.254:8080\/TCP\s+LocalRedirect\s+1 => 172\.20\.0\.3:80\/TCP \(active\)/);
  });
});

describe('CiliumLocalRedirectPolicy: bad input, with the agent\'s messages, located', () => {
  const lrp = (frontend: string, backend = '      - {port: "80", protocol: TCP}') => `apiVersion: cilium.io/v2
kind: CiliumLocalRedirectPolicy
metadata: {name: bad, namespace: default}
spec:
  redirectFrontend:
${frontend}
  redirectBackend:
    localEndpointSelector: {matchLabels: {app: x}}
    toPorts:
${backend}`;
  const at = 'extra-0.yaml#1 CiliumLocalRedirectPolicy/bad';
  it('neither or both matchers', () => {
    expect(decodeErrors([lrp('    {}')])).toEqual([`${at}: spec.redirectFrontend: both address and service matchers can not be empty`]);
    expect(decodeErrors([lrp('    addressMatcher: {ip: 169.254.169.254, toPorts: [{port: "80"}]}\n    serviceMatcher: {serviceName: a, namespace: default}')])).toEqual([
      `${at}: spec.redirectFrontend: both address and service matchers can not be specified`,
    ]);
  });
  it('a bad matcher IP, a service of another namespace, mismatched protocols, unnamed ports', () => {
    expect(decodeErrors([lrp('    addressMatcher: {ip: "169.254.169", toPorts: [{port: "80"}]}')])[0]).toBe(
      `${at}: spec.redirectFrontend.addressMatcher.ip: invalid address matcher IP 169.254.169: ParseAddr("169.254.169"): unable to parse IP`,
    );
    expect(decodeErrors([lrp('    serviceMatcher: {serviceName: a, namespace: kube-system}')])[0]).toBe(
      `${at}: spec.redirectFrontend.serviceMatcher.namespace: kubernetes service namespace does not match with the CiliumLocalRedirectPolicy namespace`,
    );
    expect(decodeErrors([lrp('    addressMatcher: {ip: 169.254.169.254, toPorts: [{port: "53", protocol: UDP}]}')])[0]).toBe(
      `${at}: spec.redirectBackend.toPorts[0].protocol: backend protocol must match with frontend protocol`,
    );
    expect(decodeErrors([lrp('    addressMatcher: {ip: 169.254.169.254, toPorts: [{port: "53"}, {port: "54"}]}')])[0]).toBe(
      `${at}: spec.redirectFrontend.addressMatcher.toPorts[0].name: invalid address matcher port: port name must be specified when several ports are given`,
    );
    expect(decodeErrors([lrp('    addressMatcher: {ip: 169.254.169.254, toPorts: [{port: "99999"}]}')])[0]).toBe(
      `${at}: spec.redirectFrontend.addressMatcher.toPorts[0].port: expected a port number 1..65535 (a string such as "8080"), got "99999"`,
    );
  });
});
