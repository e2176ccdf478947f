import { describe, it, expect } from 'vitest';
import { allocateLbIps, lbIpsLookup, lbIpsOf } from '../../src/ipam/index.js';
import { makeCluster, pool, service, ip, port } from './fixtures.js';

// every answer also checked against the indexed lookup
const ips = (r: ReturnType<typeof allocateLbIps>, name: string, ns = 'default'): string[] => {
  const found = lbIpsOf(r, ns, name);
  expect(lbIpsLookup(r)(ns, name)).toEqual(found);
  return found.map((a) => a.toString());
};

describe('allocateLbIps', () => {
  it('hands out the first usable address of a /24 with allowFirstLastIPs No (lab observation 4)', () => {
    const r = allocateLbIps(
      makeCluster({ services: [service('webpod')], lbIpPools: [pool('cilium-pool', ['172.16.1.0/24'], { allowFirstLastIPs: 'No' })] }),
    );
    expect(ips(r, 'webpod')).toEqual(['172.16.1.1']);
    const p = r.pools[0]!;
    expect([p.total, p.used, p.available]).toEqual([256n, 3n, 253n]);
    expect(r.services[0]!.condition).toEqual({
      type: 'cilium.io/IPAMRequestSatisfied',
      status: 'True',
      reason: 'satisfied',
      message: '',
    });
    expect(p.conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['cilium.io/PoolConflict', 'False', 'resolved', ''],
      ['cilium.io/IPsTotal', 'Unknown', 'noreason', '256'],
      ['cilium.io/IPsAvailable', 'Unknown', 'noreason', '253'],
      ['cilium.io/IPsUsed', 'Unknown', 'noreason', '3'],
    ]);
  });

  it('a pool without services: /24 No has 254 available, /24 unset 256', () => {
    const r = allocateLbIps(
      makeCluster({
        lbIpPools: [pool('a', ['10.0.0.0/24'], { allowFirstLastIPs: 'No' }), pool('b', ['10.0.1.0/24']), pool('c', ['10.0.2.0/29'], { allowFirstLastIPs: 'No' })],
      }),
    );
    expect(r.pools.map((p) => p.available)).toEqual([254n, 256n, 6n]);
  });

  it('allowFirstLastIPs unset gives .0 first; No on /31 and /32 reserves nothing', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('a'), service('b'), service('c')],
        lbIpPools: [pool('p1', ['10.0.0.0/31'], { allowFirstLastIPs: 'No' }), pool('p2', ['10.0.1.0/24'])],
      }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.0']);
    expect(ips(r, 'b')).toEqual(['10.0.0.1']);
    expect(ips(r, 'c')).toEqual(['10.0.1.0']);
  });

  it('start/stop blocks never reserve first/last', () => {
    const r = allocateLbIps(
      makeCluster({ services: [service('a')], lbIpPools: [pool('p', [['10.0.0.10', '10.0.0.20']], { allowFirstLastIPs: 'No' })] }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.10']);
    expect(r.pools[0]!.available).toBe(10n);
  });

  it('serviceSelector with the service name pseudo-label', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('a'), service('b')],
        lbIpPools: [
          pool('only-b', ['10.0.9.0/24'], {
            serviceSelector: { matchLabels: { 'io.kubernetes.service.name': 'b' }, matchExpressions: [] },
          }),
        ],
      }),
    );
    expect(ips(r, 'a')).toEqual([]);
    expect(r.services[0]!.condition).toMatchObject({
      status: 'False',
      reason: 'no_pool',
      message: 'There are no enabled CiliumLoadBalancerIPPools that match this service',
    });
    expect(ips(r, 'b')).toEqual(['10.0.9.0']);
  });

  it('exhaustion: out_of_ips', () => {
    const r = allocateLbIps(
      makeCluster({ services: [service('a'), service('b')], lbIpPools: [pool('p', [['10.0.0.1', '10.0.0.1']])] }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.1']);
    expect(ips(r, 'b')).toEqual([]);
    expect(r.services[1]!.condition).toMatchObject({
      reason: 'out_of_ips',
      message: 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs',
    });
  });

  it('disabled pools allocate nothing', () => {
    const r = allocateLbIps(makeCluster({ services: [service('a')], lbIpPools: [pool('p', ['10.0.0.0/24'], { disabled: true })] }));
    expect(ips(r, 'a')).toEqual([]);
    expect(r.services[0]!.condition?.reason).toBe('no_pool');
  });

  it('requested IPs: spec.loadBalancerIP and annotation; no_pool / already_allocated messages', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [
          service('a', { loadBalancerIP: ip('10.0.0.50') }),
          service('b', { annotations: { 'lbipam.cilium.io/ips': '10.0.0.50' } }),
          service('c', { annotations: { 'lbipam.cilium.io/ips': '192.0.2.1' } }),
        ],
        lbIpPools: [pool('p', ['10.0.0.0/24'])],
      }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.50']);
    expect(ips(r, 'b')).toEqual([]);
    expect(r.services[1]!.condition).toMatchObject({
      reason: 'already_allocated',
      message: "The IP '10.0.0.50' is already allocated to another service",
    });
    expect(r.services[2]!.condition).toMatchObject({
      reason: 'no_pool',
      message: "No pool exists with a CIDR containing '192.0.2.1'",
    });
  });

  it('a requested IP splits the free block; generic requests then take the smallest block first', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('a', { loadBalancerIP: ip('10.0.0.2') }), service('b'), service('c')],
        lbIpPools: [pool('p', ['10.0.0.0/29'])],
      }),
    );
    // blocks after .2 is taken: [.0-.1] (size 1) and [.3-.7]; smallest first
    expect(ips(r, 'b')).toEqual(['10.0.0.0']);
    expect(ips(r, 'c')).toEqual(['10.0.0.1']);
  });

  it('pool_selector_mismatch', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('a', { loadBalancerIP: ip('10.0.0.5') })],
        lbIpPools: [pool('p', ['10.0.0.0/24'], { serviceSelector: { matchLabels: { x: 'y' }, matchExpressions: [] } })],
      }),
    );
    expect(r.services[0]!.condition).toMatchObject({
      reason: 'pool_selector_mismatch',
      message: "The pool with the CIDR containing '10.0.0.5', doesn't select this service",
    });
  });

  it('sharing keys: compatible services share, incompatible ones do not', () => {
    const key = { 'lbipam.cilium.io/sharing-key': 'k' };
    const r = allocateLbIps(
      makeCluster({
        services: [
          service('a', { annotations: key, ports: [port(80)] }),
          service('b', { annotations: key, ports: [port(443)] }),
          service('c', { annotations: key, ports: [port(80)] }),
          service('d', { annotations: key, ports: [port(8080)], externalTrafficPolicy: 'Local' }),
        ],
        lbIpPools: [pool('p', ['10.0.0.0/24'])],
      }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.0']);
    expect(ips(r, 'b')).toEqual(['10.0.0.0']);
    expect(ips(r, 'c')).toEqual(['10.0.0.1']);
    expect(ips(r, 'd')).toEqual(['10.0.0.2']);
    expect(r.pools[0]!.used).toBe(3n);
    expect(r.services[0]!.allocations[0]!.shared).toBe(true);
  });

  it('a requested shared IP with an incompatible service names the reason', () => {
    const key = { 'lbipam.cilium.io/sharing-key': 'k', 'lbipam.cilium.io/ips': '10.0.0.7' };
    const r = allocateLbIps(
      makeCluster({
        services: [service('a', { annotations: key }), service('b', { annotations: key })],
        lbIpPools: [pool('p', ['10.0.0.0/24'])],
      }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.7']);
    expect(r.services[1]!.condition).toMatchObject({
      reason: 'already_allocated_incompatible_service',
      message: "The IP '10.0.0.7' is already allocated to an incompatible service. Reason: same port",
    });
  });

  it('cross-namespace sharing needs both services to allow it', () => {
    const mk = (ns: string, p: number, allow?: string) =>
      service(`s${p}`, {
        namespace: ns,
        ports: [port(p)],
        annotations: { 'lbipam.cilium.io/sharing-key': 'k', ...(allow ? { 'lbipam.cilium.io/sharing-cross-namespace': allow } : {}) },
      });
    const both = allocateLbIps(makeCluster({ services: [mk('a', 80, '*'), mk('b', 81, 'a')], lbIpPools: [pool('p', ['10.0.0.0/24'])] }));
    expect(ips(both, 's80', 'a')).toEqual(ips(both, 's81', 'b'));
    const one = allocateLbIps(makeCluster({ services: [mk('a', 80, '*'), mk('b', 81)], lbIpPools: [pool('p', ['10.0.0.0/24'])] }));
    expect(ips(one, 's80', 'a')).not.toEqual(ips(one, 's81', 'b'));
  });

  it('overlapping pools: the newer one conflicts with Cilium\'s message', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('a')],
        lbIpPools: [
          pool('zz-old', ['10.0.0.0/24'], { creationTimestamp: '2025-01-01T00:00:00Z' }),
          pool('aa-new', ['10.0.0.128/25'], { creationTimestamp: '2025-02-01T00:00:00Z' }),
        ],
      }),
    );
    const byName = Object.fromEntries(r.pools.map((p) => [p.name, p]));
    expect(byName['aa-new']!.conflicting).toBe(true);
    expect(byName['aa-new']!.conflictMessage).toBe(
      "Pool conflicts since range '10.0.0.128 - 10.0.0.255' overlaps range '10.0.0.0 - 10.0.0.255' from IP Pool 'zz-old'",
    );
    expect(byName['zz-old']!.conflicting).toBe(false);
    expect(ips(r, 'a')).toEqual(['10.0.0.0']);
  });

  it('existing ingress inside a matching range is kept; outside any range it is replaced', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [
          service('a', { loadBalancerIngress: [ip('10.0.0.9')] }),
          service('b', { loadBalancerIngress: [ip('192.0.2.9')] }),
        ],
        lbIpPools: [pool('p', ['10.0.0.0/24'])],
      }),
    );
    expect(ips(r, 'a')).toEqual(['10.0.0.9']);
    expect(ips(r, 'b')).toEqual(['10.0.0.0']);
  });

  it('responsibility: classes and the default-lb-service-ipam setting', () => {
    const services = [
      service('nil-class'),
      service('bgp', { loadBalancerClass: 'io.cilium/bgp-control-plane' }),
      service('l2', { loadBalancerClass: 'io.cilium/l2-announcer' }),
      service('other', { loadBalancerClass: 'example.com/lb', loadBalancerIngress: [ip('1.2.3.4')] }),
      service('cip', { type: 'ClusterIP' }),
    ];
    const r = allocateLbIps(makeCluster({ services, lbIpPools: [pool('p', ['10.0.0.0/24'])] }));
    expect(r.services.map((s) => [s.name, s.responsible])).toEqual([
      ['bgp', true],
      ['l2', false],
      ['nil-class', true],
      ['other', false],
    ]);
    expect(ips(r, 'other')).toEqual(['1.2.3.4']);
    expect(r.services.find((s) => s.name === 'other')!.condition).toBeUndefined();
    const none = allocateLbIps(makeCluster({ services, lbIpPools: [pool('p', ['10.0.0.0/24'])], config: { defaultLbServiceIpam: 'none' } }));
    expect(ips(none, 'nil-class')).toEqual([]);
  });

  it('dormant without pools: no conditions, ingress untouched', () => {
    const r = allocateLbIps(makeCluster({ services: [service('a', { loadBalancerIngress: [ip('9.9.9.9')] })] }));
    expect(r.active).toBe(false);
    expect(ips(r, 'a')).toEqual(['9.9.9.9']);
    expect(r.services[0]!.condition).toBeUndefined();
  });

  it('IPv6 pools and families', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('v6', { ipFamilies: ['IPv6'] })],
        lbIpPools: [pool('p6', ['fd00::/120'], { allowFirstLastIPs: 'No' })],
        config: { enableIPv6: true },
      }),
    );
    expect(lbIpsOf(r, 'default', 'v6').map((a) => a.value)).toEqual([0xfd00n << 112n | 1n]);
    expect(r.pools[0]!.available).toBe(253n);
  });
});

describe('lbIpsLookup', () => {
  it('answers as lbIpsOf: by namespace and name, empty for an unknown service', () => {
    const r = allocateLbIps(
      makeCluster({
        services: [service('web'), service('web', { namespace: 'other' })],
        lbIpPools: [pool('p', ['172.16.1.0/24'])],
      }),
    );
    const look = lbIpsLookup(r);
    for (const [ns, name] of [['default', 'web'], ['other', 'web'], ['default', 'nope'], ['nope', 'web']] as const) {
      expect(look(ns, name)).toEqual(lbIpsOf(r, ns, name));
    }
    expect(look('default', 'web').map(String)).not.toEqual(look('other', 'web').map(String));
    expect(look('default', 'nope')).toEqual([]);
  });
});
