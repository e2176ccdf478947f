/**
 * Multi-pool IPAM (`ipam: multi-pool`): pools by annotation and namespace, what each node asks
 * for and gets, pod addresses, CiliumNode pools, and BGP `CiliumPodIPPool` advertisements
 * (Cilium's `pkg/ipam/multipool_manager.go`, `pool_allocator.go`, `pkg/bgp/test/testdata/pod-ip-pool.txtar`).
 */
import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import {
  allocatePoolCidrs,
  neededIPCeil,
  podPool,
  preAllocation,
  MultiPoolNode,
} from '../../src/workloads/index.js';
import type { Namespace, PodIPPool } from '../../src/input/types.js';
import { parsePrefix, formatPrefix } from '../../src/net/addr.js';
import { clusterWith, cli, decodeErrors, featureFile, twinWith } from './helpers.js';
import { computeCiliumBgp } from '../../src/bgp/cilium/index.js';

const nullMap = (o: Record<string, string> = {}) => Object.assign(Object.create(null) as Record<string, string>, o);
const pool = (name: string, v4: string[], mask: number, labels: Record<string, string> = {}): PodIPPool => ({
  meta: { name, labels: nullMap(labels), annotations: nullMap() },
  ipv4: { cidrs: v4.map((c) => parsePrefix(c)!), maskSize: mask },
});
const ns = (name: string, ann: Record<string, string>): Namespace => ({ meta: { name, labels: nullMap(), annotations: nullMap(ann) } });

describe('multi-pool IPAM: rules', () => {
  it('neededIPCeil rounds to the next but one multiple of the pre-allocation (Cilium\'s vectors)', () => {
    expect([0, 1, 15, 16, 17].map((n) => neededIPCeil(n, 16))).toEqual([16, 32, 32, 32, 48]);
    expect(neededIPCeil(5, 0)).toBe(5);
  });

  it('ipam-multi-pool-pre-allocation defaults to default=8 and reads pool=count pairs', () => {
    expect([...preAllocation(undefined)]).toEqual([['default', 8]]);
    expect([...preAllocation('default=16,mars=4')]).toEqual([['default', 16], ['mars', 4]]);
    expect([...preAllocation('')]).toEqual([]);
  });

  it('a pod takes its own annotation, else its namespace\'s, else default', () => {
    const n = ns('mars', { 'ipam.cilium.io/ip-pool': 'mars' });
    expect(podPool(nullMap({ 'ipam.cilium.io/ip-pool': 'jupiter' }), n)).toBe('jupiter');
    expect(podPool(nullMap(), n)).toBe('mars');
    expect(podPool(nullMap(), undefined)).toBe('default');
    expect(podPool(nullMap(), ns('x', {}))).toBe('default');
  });

  it('the operator hands out lowest blocks first until the usable addresses cover the need', () => {
    const pools = [pool('default', ['10.10.0.0/16'], 27), pool('mars', ['10.20.0.0/16'], 28)];
    const demand = new Map([
      ['a', new Map([['default', 1], ['mars', 20]])],
      ['b', new Map([['default', 1]])],
    ]);
    const r = allocatePoolCidrs(pools, demand, preAllocation(undefined), { ipv4: true, ipv6: false });
    // a: default needs neededIPCeil(1, 8) = 16 -> one /27 (30 usable); mars needs 20 -> two /28 (14 each)
    expect(r.nodes.get('a')!.map((p) => [p.pool, p.cidrs.map(formatPrefix)])).toEqual([
      ['default', ['10.10.0.0/27']],
      ['mars', ['10.20.0.0/28', '10.20.0.16/28']],
    ]);
    expect(r.nodes.get('b')!.map((p) => [p.pool, p.cidrs.map(formatPrefix)])).toEqual([['default', ['10.10.0.32/27']]]);
    expect(r.requested.get('a')!.get('default')).toBe(16);
    expect(r.warnings).toEqual([]);
  });

  it('a pool that does not exist gets nothing, with the operator\'s error', () => {
    const r = allocatePoolCidrs([pool('default', ['10.10.0.0/16'], 27)], new Map([['a', new Map([['default', 1], ['venus', 2]])]]), new Map(), { ipv4: true, ipv6: false });
    expect(r.nodes.get('a')!.map((p) => p.pool)).toEqual(['default']);
    expect(r.warnings).toEqual(['CiliumNode a: failed to allocate ipv4 address for node "a" from pool "venus": cannot allocate from non-existing pool: venus']);
  });

  it('an exhausted pool says so', () => {
    const r = allocatePoolCidrs([pool('default', ['10.10.0.0/28'], 28)], new Map([['a', new Map([['default', 1]])], ['b', new Map([['default', 1]])]]), new Map(), { ipv4: true, ipv6: false });
    expect(r.nodes.get('b')).toEqual([]);
    expect(r.warnings[0]).toContain('from pool "default": pool is exhausted');
  });

  it('the router takes the first address of the default pool; other pools start at their first address', () => {
    const n = new MultiPoolNode(
      [
        { pool: 'default', cidrs: [parsePrefix('10.10.0.0/27')!] },
        { pool: 'mars', cidrs: [parsePrefix('10.20.0.0/30')!, parsePrefix('10.20.0.4/30')!] },
      ],
      [IPv4.fromString('10.10.0.2')],
    );
    expect(n.router(4)?.toString()).toBe('10.10.0.1');
    expect(n.next('default').map(String)).toEqual(['10.10.0.3']); // .2 is held by a given pod
    expect([1, 2, 3].map(() => n.next('mars').map(String))).toEqual([['10.20.0.1'], ['10.20.0.2'], ['10.20.0.5']]);
    expect(n.next('venus')).toEqual([]);
  });
});

describe('multi-pool IPAM: the example (examples/service-features/variants/multi-pool.yaml)', () => {
  const variant = featureFile('variants/multi-pool.yaml');

  it('pods get addresses of their pool; the CiliumNodes carry the pools and the router address', () => {
    const c = clusterWith([variant]);
    const ips = c.scenario.pods.map((p) => `${p.meta.namespace}/${p.meta.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')} ${p.nodeName} ${p.podIPs.map(String).join(',')}`);
    expect(ips).toEqual([
      'default/curl-pod k8s-ctr 10.10.0.2',
      'default/lander k8s-w1 10.20.0.33',
      'mars/rover k8s-ctr 10.20.0.1',
      'mars/rover k8s-w0 10.20.0.17',
      'mars/rover k8s-w1 10.20.0.34',
    ]);
    const cn = c.ciliumNodes.find((n) => n.meta.name === 'k8s-w1')!;
    expect(cn.pools!.map((p) => `${p.pool}=${p.cidrs.map(formatPrefix).join(',')}`)).toEqual(['default=10.10.0.64/27', 'mars=10.20.0.32/28']);
    expect(cn.addresses.find((a) => a.type === 'CiliumInternalIP')?.ip.toString()).toBe('10.10.0.65');
    expect(c.warnings.filter((w) => w.includes('outside the pod CIDRs'))).toEqual([]);
  });

  it('the node routes its pool CIDRs to cilium_host', () => {
    const r = cli(['variants/multi-pool.yaml'], 'exec', 'k8s-w1', '--', 'ip', 'route');
    expect(r.stdout).toContain('10.10.0.64/27 via 10.10.0.65 dev cilium_host proto kernel src 10.10.0.65');
    expect(r.stdout).toContain('10.20.0.32/28 via 10.10.0.65 dev cilium_host proto kernel src 10.10.0.65');
  });

  it('CiliumPodIPPool advertisements: each node sends its CIDRs of the selected pools; the router learns them', () => {
    const r = cli(['variants/multi-pool.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp');
    expect(r.stdout).toMatch(/\*> 10\.10\.0\.0\/27\s+192\.168\.10\.100/);
    expect(r.stdout).toMatch(/\*> 10\.20\.0\.16\/28\s+192\.168\.20\.100/);
    const pol = computeCiliumBgp(clusterWith([variant])).nodes.find((n) => n.node === 'k8s-w1')!.instances[0]!.policies.map((p) => p.name);
    expect(pol).toContain('tor-switch-ipv4-CiliumPodIPPool-mars');
    expect(pol).toContain('tor-switch-ipv4-CiliumPodIPPool-default');
  });

  it('the selector picks pools by label and by io.cilium.podippool.name; no selector advertises nothing', () => {
    const advert = (selector: string) => `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: bgp-advertisements, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: CiliumPodIPPool
${selector}`;
    const routes = (sel: string) =>
      twinWith([variant, advert(sel)])
        .ciliumBgp()
        .nodes.find((n) => n.node === 'k8s-ctr')!
        .instances[0]!.rib.map((p) => formatPrefix(p.prefix));
    expect(routes('      selector: {matchLabels: {pool: mars}}')).toEqual(['10.20.0.0/28']);
    expect(routes("      selector: {matchLabels: {'io.cilium.podippool.name': default}}")).toEqual(['10.10.0.0/27']);
    expect(routes('')).toEqual([]);
  });

  it('PodCIDR advertisements are off in multi-pool mode (CanAdvertisePodCIDR)', () => {
    const podCidr = `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: bgp-advertisements, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: PodCIDR`;
    const rib = twinWith([variant, podCidr]).ciliumBgp().nodes.flatMap((n) => n.instances.flatMap((i) => i.rib));
    expect(rib).toEqual([]);
  });

  it('a pod whose pool does not exist gets no address, with the operator\'s error', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: lost, namespace: default, annotations: {ipam.cilium.io/ip-pool: venus}}
spec: {nodeName: k8s-w0, containers: [{name: c, image: nginx}]}`;
    const c = clusterWith([variant, pod]);
    const lost = c.scenario.pods.find((p) => p.meta.name === 'lost')!;
    expect(lost.podIPs).toEqual([]);
    expect(lost.phase).toBe('Pending');
    expect(c.warnings).toContain('CiliumNode k8s-w0: failed to allocate ipv4 address for node "k8s-w0" from pool "venus": cannot allocate from non-existing pool: venus');
  });
});

describe('CiliumPodIPPool: bad input, located', () => {
  const doc = (spec: string) => `apiVersion: cilium.io/v2alpha1
kind: CiliumPodIPPool
metadata: {name: bad}
spec:
${spec}`;
  it('maskSize out of range, a CIDR of the wrong family, a CIDR smaller than the mask', () => {
    expect(decodeErrors([doc('  ipv4: {cidrs: ["10.0.0.0/16"], maskSize: 33}')])).toEqual([
      'extra-0.yaml#1 CiliumPodIPPool/bad: spec.ipv4.maskSize: expected integer 1..32, got 33',
    ]);
    expect(decodeErrors([doc('  ipv4: {cidrs: ["fd00::/104"], maskSize: 24}')])[0]).toBe(
      'extra-0.yaml#1 CiliumPodIPPool/bad: spec.ipv4.cidrs[0]: expected an IPv4 CIDR, got "fd00::/104"',
    );
    expect(decodeErrors([doc('  ipv4: {cidrs: ["10.0.0.0/28"], maskSize: 24}')])[0]).toBe(
      'extra-0.yaml#1 CiliumPodIPPool/bad: spec.ipv4.cidrs[0]: CIDR 10.0.0.0/28 is smaller than maskSize /24',
    );
    expect(decodeErrors([doc('  ipv4: {maskSize: 24}')])[0]).toBe('extra-0.yaml#1 CiliumPodIPPool/bad: spec.ipv4.cidrs: required field missing');
  });
});
