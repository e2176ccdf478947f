/**
 * `service.cilium.io/forwarding-mode` (`pkg/loadbalancer/tests/testdata/svc-forwarding-mode-annotation.txtar`,
 * `bpf_reconciler.go`: the annotation wins over `bpf-lb-mode` only with `bpf-lb-mode-annotation`)
 * and headless services (no frontends, `None` in `kubectl get svc`, no BGP route, DNS to the
 * endpoints).
 */
import { describe, it, expect } from 'vitest';
import { LB_LAB, LB_LAB_PATHS, cli, featureFile, twinOf } from './helpers.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';

const FWD = featureFile('variants/forwarding-mode.yaml');
const HEADLESS_PATH = 'examples/service-features/variants/headless.yaml';
const ON = { 'bpf-lb-mode-annotation': 'true' };
const flags = (t: ReturnType<typeof twinOf>) =>
  t.maps('k8s-ctr')!.frontends.filter((f) => f.service.name === 'webpod' && !f.nodeAddressCopy && !f.wildcard).map((f) => `${formatIp(f.address)} ${f.flagNames.join('+')}`);

describe('service.cilium.io/forwarding-mode', () => {
  it('dsr with bpf-lb-mode-annotation: every frontend of the service gets dsr (maps_dsr.expected)', () => {
    expect(flags(twinOf(LB_LAB, [FWD], ON))).toEqual(['0.0.0.0 NodePort+non-routable+dsr', '10.96.252.129 ClusterIP+non-routable+dsr', '172.16.1.1 LoadBalancer+dsr']);
  });
  it('without bpf-lb-mode-annotation the annotation is ignored (maps_snat.expected)', () => {
    expect(flags(twinOf(LB_LAB, [FWD]))).toEqual(['0.0.0.0 NodePort+non-routable', '10.96.252.129 ClusterIP+non-routable', '172.16.1.1 LoadBalancer']);
  });
  it('snat on a service of a DSR cluster: that service stays SNAT, the others DSR', () => {
    const snat = FWD.replace('forwarding-mode: dsr', 'forwarding-mode: snat');
    const t = twinOf(LB_LAB, [snat], { ...ON, 'bpf-lb-mode': 'dsr' });
    expect(flags(t)).toEqual(['0.0.0.0 NodePort+non-routable', '10.96.252.129 ClusterIP+non-routable', '172.16.1.1 LoadBalancer']);
    expect(t.maps('k8s-ctr')!.frontends.find((f) => f.service.name === 'kubernetes')!.flagNames).toContain('dsr');
  });
  it('only the exact values dsr and snat count (DSR, Dsr, other: the cluster mode)', () => {
    for (const v of ['DSR', 'Dsr', 'direct']) expect(flags(twinOf(LB_LAB, [FWD.replace('forwarding-mode: dsr', `forwarding-mode: ${v}`)], ON))).not.toContain('172.16.1.1 LoadBalancer+dsr');
  });
  it('the walk: the backend sees the client, the answer leaves the backend node straight to the router', () => {
    const r = twinOf(LB_LAB, [FWD], ON).trace({ from: 'router', dst: '172.16.1.1', dport: 80 });
    expect(r.verdict).toBe('FORWARDED');
    expect(r.seenByBackend?.src).toBe('192.168.10.200:40000');
    expect(r.hops.some((h) => h.event === 'dsr')).toBe(true);
    const plain = twinOf(LB_LAB, [FWD]).trace({ from: 'router', dst: '172.16.1.1', dport: 80 });
    expect(plain.hops.some((h) => h.event === 'dsr')).toBe(false);
  });
});

describe('headless services', () => {
  const headless = featureFile('variants/headless.yaml');
  const advertiseAll = `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: bgp-advertisements-lb-exip-webpod, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: Service
      service: {addresses: [ClusterIP, ExternalIP, LoadBalancerIP]}
      selector: {matchLabels: {app: webpod}}`;
  const t = twinOf(LB_LAB, [headless, advertiseAll]);
  it('no frontend on any node', () => {
    for (const n of ['k8s-ctr', 'k8s-w0', 'k8s-w1']) expect(t.maps(n)!.frontends.some((f) => f.service.name === 'webpod-headless')).toBe(false);
  });
  it('the label service.kubernetes.io/headless makes a service with a ClusterIP headless for Cilium too', () => {
    const labelled = headless.replace('clusterIP: None', 'clusterIP: 10.96.99.99').replace('labels: {app: webpod}', 'labels: {app: webpod, service.kubernetes.io/headless: ""}');
    expect(twinOf(LB_LAB, [labelled]).maps('k8s-ctr')!.frontends.some((f) => f.service.name === 'webpod-headless')).toBe(false);
  });
  it('kubectl get svc shows None; its EndpointSlice lists the pods', () => {
    const r = cli([...LB_LAB_PATHS, HEADLESS_PATH], 'kubectl', 'get', 'svc');
    expect(r.stdout).toMatch(/webpod-headless\s+ClusterIP\s+None\s+<none>\s+80\/TCP/);
    const slice = t.cluster.endpointSlices.find((s) => s.serviceName === 'webpod-headless')!;
    expect(slice.endpoints.flatMap((e) => e.addresses.map(formatIp)).sort()).toEqual(['172.20.1.76', '172.20.2.68']);
  });
  it('BGP advertises nothing for it, the ClusterIP of webpod still', () => {
    const prefixes = t.ciliumBgp().nodes.flatMap((n) => n.instances[0]!.advertisements.flatMap((a) => a.paths.map((p) => formatPrefix(p.prefix))));
    expect(prefixes).toContain('10.96.252.129/32');
    expect(prefixes.filter((p) => !['10.96.252.129/32', '172.16.1.1/32'].includes(p) && !p.startsWith('172.20.'))).toEqual([]);
  });
  it('a pod resolves the name to an endpoint (the lowest address) and reaches it without service translation', () => {
    const r = cli([...LB_LAB_PATHS, HEADLESS_PATH], 'exec', 'curl-pod', '--', 'curl', '-s', 'webpod-headless');
    expect(r.stdout).toContain('Hostname: webpod-697b545f57-hhjqw');
    expect(r.stdout).toContain('IP: 172.20.1.76');
  });
});
