/**
 * The test vectors of reference cilium-bgp.md §7 (from Cilium's own tests), on hand-built clusters.
 * Where the vector comes from the K8S-era reconcilers and 1.18 (FE-era) differs, the 1.18 result
 * is asserted and the difference noted.
 */
import { describe, it, expect } from 'vitest';
import { computeCiliumBgp } from '../../../src/bgp/cilium/index.js';
import { formatIp, formatPrefix } from '../../../src/net/addr.js';
import type { CiliumBgpInstance, CiliumBgpResult, RoutePolicy } from '../../../src/bgp/cilium/index.js';
import type { CiliumConfig } from '../../../src/cluster/types.js';
import type { BgpAdvertisement, BgpClusterPeer, BgpPeerConfig, EndpointSlice, IpAddress, Service } from '../../../src/input/types.js';
import { advert, build, clusterConfig, ip, meta, node, peerConfig, sel, service, v4 } from './fixtures.js';

interface Case {
  podCidrs?: string[];
  peers: BgpClusterPeer[];
  peerConfigs: BgpPeerConfig[];
  adverts: BgpAdvertisement[];
  services?: Service[];
  slices?: EndpointSlice[];
  lb?: Record<string, string[]>;
  cfg?: Partial<CiliumConfig>;
}

function run(c: Case): CiliumBgpInstance {
  const cluster = build(
    {
      nodes: [node('test-node', '10.99.4.102', c.podCidrs ?? [])],
      services: c.services ?? [],
      endpointSlices: c.slices ?? [],
      bgpPeerConfigs: c.peerConfigs,
      bgpAdvertisements: c.adverts,
      bgpClusterConfigs: [clusterConfig('cc', { bgpInstances: [{ name: 'i', localASN: 65001, peers: c.peers }] })],
    },
    { enableIPv6: true, ...c.cfg },
  );
  const lb = c.lb ?? {};
  const result: CiliumBgpResult = computeCiliumBgp(cluster, {
    lbIps: (ns, name) => (lb[`${ns}/${name}`] ?? []).map(ip),
    sourceAddress: () => ip('10.99.4.102'),
  });
  const inst = result.nodes[0]?.instances[0];
  if (inst === undefined) throw new Error('no instance');
  return inst;
}

const rib = (i: CiliumBgpInstance): string[] => i.rib.map((p) => formatPrefix(p.prefix));
const exported = (i: CiliumBgpInstance): RoutePolicy[] => i.policies.filter((p) => p.type === 'export');
const describePolicy = (p: RoutePolicy) => ({
  name: p.name,
  statements: p.statements.map((s) => ({
    nbr: s.matchNeighbors.map(formatIp),
    pfx: s.matchPrefixes.map((m) => `${formatPrefix(m.prefix)} (${m.lenMin}..${m.lenMax})`),
    lp: s.setLocalPreference,
    communities: s.addCommunities,
  })),
});
const peerTo = (addr: string, ref = 'pc', name = 'red-peer-65001', asn = 65000): BgpClusterPeer => ({ name, peerAddress: ip(addr), peerASN: asn, peerConfigRef: ref });
const all = sel();

function slice(svc: string, eps: { ip: string; node: string; ready?: boolean; terminating?: boolean }[], ns = 'default'): EndpointSlice {
  const v6 = eps.some((e) => e.ip.includes(':'));
  return {
    meta: meta(`${svc}-${v6 ? 'v6' : 'v4'}`, ns, { 'kubernetes.io/service-name': svc }),
    serviceName: svc,
    addressType: v6 ? 'IPv6' : 'IPv4',
    endpoints: eps.map((e) => ({ addresses: [ip(e.ip)], ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false, nodeName: e.node })),
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  };
}

describe('TV1 PodCIDR dual-stack', () => {
  const base: Case = {
    podCidrs: ['10.10.1.0/24', '10.10.2.0/24', '2001:db8:1::/96', '2001:db8:2::/96'],
    peers: [peerTo('10.10.10.1')],
    peerConfigs: [
      peerConfig('pc', {
        families: [
          { afi: 'ipv4', safi: 'unicast', advertisements: sel({ advertise: 'bgp' }) },
          { afi: 'ipv6', safi: 'unicast', advertisements: sel({ advertise: 'bgp' }) },
        ],
      }),
    ],
    adverts: [advert('a', { advertise: 'bgp' }, [{ advertisementType: 'PodCIDR', attributes: { communities: { standard: ['65000:100'], wellKnown: [], large: [] } } }])],
  };
  it('puts both families in the RIB and makes one policy per family', () => {
    const i = run(base);
    expect(rib(i)).toEqual(['10.10.1.0/24', '10.10.2.0/24', '2001:db8:1::/96', '2001:db8:2::/96']);
    expect(exported(i).map(describePolicy)).toEqual([
      { name: 'red-peer-65001-ipv4-PodCIDR', statements: [{ nbr: ['10.10.10.1'], pfx: ['10.10.1.0/24 (24..24)', '10.10.2.0/24 (24..24)'], lp: undefined, communities: ['65000:100'] }] },
      { name: 'red-peer-65001-ipv6-PodCIDR', statements: [{ nbr: ['10.10.10.1'], pfx: ['2001:db8:1::/96 (96..96)', '2001:db8:2::/96 (96..96)'], lp: undefined, communities: ['65000:100'] }] },
    ]);
  });
  it('v4-only PeerConfig: only IPv4', () => {
    const i = run({ ...base, peerConfigs: [peerConfig('pc', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: sel({ advertise: 'bgp' }) }] })] });
    expect(rib(i)).toEqual(['10.10.1.0/24', '10.10.2.0/24']);
    expect(exported(i).map((p) => p.name)).toEqual(['red-peer-65001-ipv4-PodCIDR']);
  });
  it('no advertisement: nothing', () => {
    const i = run({ ...base, adverts: [] });
    expect(rib(i)).toEqual([]);
    expect(exported(i)).toEqual([]);
  });
  it('PeerConfig without families: default families on the session, nothing advertised', () => {
    const i = run({ ...base, peerConfigs: [peerConfig('pc')] });
    expect(i.peers[0]?.families).toEqual([{ afi: 'ipv6', safi: 'unicast' }, { afi: 'ipv4', safi: 'unicast' }]);
    expect(rib(i)).toEqual([]);
  });
});

const redSvc = service('red-svc', {
  meta: meta('red-svc', 'non-default', { color: 'red' }),
  type: 'LoadBalancer',
  clusterIPs: [ip('10.96.0.10')],
});
const lbCase = (selector = sel({ color: 'red' }), extra: Partial<Case> = {}): Case => ({
  peers: [peerTo('10.10.10.1')],
  peerConfigs: [
    peerConfig('pc', {
      families: [
        { afi: 'ipv4', safi: 'unicast', advertisements: all },
        { afi: 'ipv6', safi: 'unicast', advertisements: all },
      ],
    }),
  ],
  adverts: [
    advert('a', {}, [
      {
        advertisementType: 'Service',
        service: { addresses: ['LoadBalancerIP'] },
        selector,
        attributes: { communities: { standard: ['65535:65281'], wellKnown: ['no-export'], large: [] } },
      },
    ]),
  ],
  services: [redSvc],
  lb: { 'non-default/red-svc': ['192.168.0.1', '2001:db8::1'] },
  ...extra,
});

describe('TV2/TV3 LoadBalancer IPs', () => {
  it('TV2 eTP=Cluster: both addresses, communities deduplicated by value', () => {
    const i = run(lbCase());
    expect(rib(i)).toEqual(['192.168.0.1/32', '2001:db8::1/128']);
    expect(exported(i).map(describePolicy)).toEqual([
      { name: 'red-peer-65001-ipv4-Service-red-svc-non-default-LoadBalancerIP', statements: [{ nbr: ['10.10.10.1'], pfx: ['192.168.0.1/32 (32..32)'], lp: undefined, communities: ['65535:65281'] }] },
      { name: 'red-peer-65001-ipv6-Service-red-svc-non-default-LoadBalancerIP', statements: [{ nbr: ['10.10.10.1'], pfx: ['2001:db8::1/128 (128..128)'], lp: undefined, communities: ['65535:65281'] }] },
    ]);
  });
  it('TV3 selector mismatch: nothing', () => {
    const i = run(lbCase(sel({ color: 'blue' })));
    expect(rib(i)).toEqual([]);
    expect(exported(i)).toEqual([]);
  });
  it('nil selector matches nothing; {} matches all; pseudo-labels match', () => {
    const nilSel = lbCase();
    const entry = nilSel.adverts[0]!.advertisements[0]!;
    const { selector: _drop, ...noSelector } = entry;
    expect(rib(run({ ...nilSel, adverts: [advert('a', {}, [noSelector])] }))).toEqual([]);
    expect(rib(run(lbCase(sel())))).toEqual(['192.168.0.1/32', '2001:db8::1/128']);
    expect(rib(run(lbCase(sel({ 'io.kubernetes.service.name': 'red-svc', 'io.kubernetes.service.namespace': 'non-default' }))))).toEqual([
      '192.168.0.1/32',
      '2001:db8::1/128',
    ]);
  });
  it('loadBalancerClass: only unset or io.cilium/bgp-control-plane', () => {
    const other = service('red-svc', { ...redSvc, loadBalancerClass: 'io.cilium/l2-announcer' });
    expect(rib(run(lbCase(sel({ color: 'red' }), { services: [other] })))).toEqual([]);
    const bgp = service('red-svc', { ...redSvc, loadBalancerClass: 'io.cilium/bgp-control-plane' });
    expect(rib(run(lbCase(sel({ color: 'red' }), { services: [bgp] })))).toEqual(['192.168.0.1/32', '2001:db8::1/128']);
  });
  it('headless services and services without ports advertise nothing', () => {
    expect(rib(run(lbCase(sel({ color: 'red' }), { services: [{ ...redSvc, headless: true, clusterIPs: [] }] })))).toEqual([]);
    expect(rib(run(lbCase(sel({ color: 'red' }), { services: [{ ...redSvc, ports: [] }] })))).toEqual([]);
  });
  it('disabled IPv6: only the IPv4 address', () => {
    expect(rib(run(lbCase(sel({ color: 'red' }), { cfg: { enableIPv6: false } })))).toEqual(['192.168.0.1/32']);
  });
});

describe('TV4 eTP=Local', () => {
  const local = (eps: { ip: string; node: string; ready?: boolean; terminating?: boolean }[]): string[] =>
    rib(
      run(
        lbCase(sel({ color: 'red' }), {
          services: [{ ...redSvc, externalTrafficPolicy: 'Local' }],
          slices: [slice('red-svc', eps, 'non-default')],
          lb: { 'non-default/red-svc': ['192.168.0.1'] },
        }),
      ),
    );
  it('local endpoint: advertised', () => expect(local([{ ip: '10.0.0.1', node: 'test-node' }])).toEqual(['192.168.0.1/32']));
  it('local and remote endpoints: advertised', () =>
    expect(local([{ ip: '10.0.0.1', node: 'test-node' }, { ip: '10.0.0.2', node: 'node2' }])).toEqual(['192.168.0.1/32']));
  it('remote only: nothing', () => expect(local([{ ip: '10.0.0.2', node: 'node2' }])).toEqual([]));
  it('local terminating (not ready): nothing', () => expect(local([{ ip: '10.0.0.1', node: 'test-node', ready: false, terminating: true }])).toEqual([]));
});

describe('TV5/TV8 aggregation', () => {
  const svc = (name: string, n: number, policy: 'Cluster' | 'Local'): Service =>
    service(name, {
      meta: meta(name, 'default', { bgp: 'advertise' }),
      type: 'LoadBalancer',
      clusterIPs: [ip(`10.96.50.${100 + n}`), ip(`2001:db8:fd00::${100 + n}`)],
      externalIPs: [ip(`10.10.10.${n}`), ip(`fd00:cc:dd::${n}`)],
      externalTrafficPolicy: policy,
      internalTrafficPolicy: policy,
    });
  const aggCase = (v4len?: number, v6len?: number): Case => ({
    peers: [peerTo('10.10.10.254')],
    peerConfigs: [
      peerConfig('pc', {
        families: [
          { afi: 'ipv4', safi: 'unicast', advertisements: all },
          { afi: 'ipv6', safi: 'unicast', advertisements: all },
        ],
      }),
    ],
    adverts: [
      advert('a', {}, [
        {
          advertisementType: 'Service',
          service: {
            addresses: ['LoadBalancerIP', 'ClusterIP', 'ExternalIP'],
            ...(v4len !== undefined ? { aggregationLengthIPv4: v4len } : {}),
            ...(v6len !== undefined ? { aggregationLengthIPv6: v6len } : {}),
          },
          selector: sel({ bgp: 'advertise' }),
        },
      ]),
    ],
    services: [svc('svc1', 1, 'Cluster'), svc('svc2', 2, 'Cluster'), svc('svc3', 3, 'Local')],
    slices: [slice('svc3', [{ ip: '10.0.0.3', node: 'test-node' }]), slice('svc3', [{ ip: '2001::1:20', node: 'test-node' }])],
    lb: {
      'default/svc1': ['172.16.1.1', 'fd00:aa:bb::1'],
      'default/svc2': ['172.16.1.2', 'fd00:aa:bb::2'],
      'default/svc3': ['172.16.1.3', 'fd00:aa:bb::3'],
    },
  });
  const fam = (i: CiliumBgpInstance, afi: string): string[] => i.rib.filter((p) => p.family.afi === afi).map((p) => formatPrefix(p.prefix));
  it('TV8 /24 and /120, Local keeps the full length', () => {
    const i = run(aggCase(24, 120));
    expect(fam(i, 'ipv4')).toEqual(['10.10.10.0/24', '10.10.10.3/32', '10.96.50.0/24', '10.96.50.103/32', '172.16.1.0/24', '172.16.1.3/32']);
    expect(fam(i, 'ipv6')).toEqual([
      '2001:db8:fd00::100/120',
      '2001:db8:fd00::103/128',
      'fd00:aa:bb::/120',
      'fd00:aa:bb::3/128',
      'fd00:cc:dd::/120',
      'fd00:cc:dd::3/128',
    ]);
  });
  it('TV8 /16 and /64', () => {
    const i = run(aggCase(16, 64));
    expect(fam(i, 'ipv4')).toEqual(['10.10.0.0/16', '10.10.10.3/32', '10.96.0.0/16', '10.96.50.103/32', '172.16.0.0/16', '172.16.1.3/32']);
  });
  it('a Local service advertises a family only with a local backend of that family', () => {
    const c = aggCase(24, 120);
    const i = run({ ...c, slices: [slice('svc3', [{ ip: '10.0.0.3', node: 'test-node' }])] });
    expect(fam(i, 'ipv6')).toEqual(['2001:db8:fd00::100/120', 'fd00:aa:bb::/120', 'fd00:cc:dd::/120']);
  });
  it('TV8 no aggregation: every address exact', () => {
    expect(fam(run(aggCase()), 'ipv4')).toHaveLength(9);
    expect(fam(run(aggCase()), 'ipv6')).toHaveLength(9);
  });
  it('TV5 policies carry the masked aggregate (1.18 masks host bits; the K8S-era test kept 192.168.0.1/24)', () => {
    const i = run(aggCase(24, 120));
    const p = exported(i).find((x) => x.name === 'red-peer-65001-ipv4-Service-svc1-default-LoadBalancerIP')!;
    expect(describePolicy(p).statements[0]?.pfx).toEqual(['172.16.1.0/24 (24..24)']);
  });
});

describe('TV6 traffic policies (eBGP 65001 -> 65010)', () => {
  const echo = service('echo', { meta: meta('echo', 'test', { bgp: 'advertise' }), type: 'LoadBalancer', clusterIPs: [ip('10.96.50.104')], externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' });
  const echo2 = service('echo2', { meta: meta('echo2', 'test', { bgp: 'advertise' }), clusterIPs: [ip('10.96.50.105')] });
  const c = (localEp: boolean): Case => ({
    peers: [peerTo('10.99.4.1', 'pc', 'peer-65010', 65010)],
    peerConfigs: [peerConfig('pc', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: all }] })],
    adverts: [advert('a', {}, [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP', 'ClusterIP'] }, selector: sel({}, [{ key: 'bgp', operator: 'In', values: ['advertise'] }]) }])],
    services: [echo, echo2],
    slices: localEp ? [slice('echo', [{ ip: '10.244.0.5', node: 'test-node' }], 'test')] : [],
    lb: { 'test/echo': ['172.16.1.1'] },
  });
  it('no local endpoint: only echo2 ClusterIP', () => expect(rib(run(c(false)))).toEqual(['10.96.50.105/32']));
  it('local endpoint: all three', () => expect(rib(run(c(true)))).toEqual(['10.96.50.104/32', '10.96.50.105/32', '172.16.1.1/32']));
  it('wire: AS path 65001, no local preference to eBGP', () => {
    const p = run(c(true)).advertisements[0]!.paths[0]!;
    expect([p.asPath, p.localPref, p.origin]).toEqual([[65001], undefined, 'igp']);
  });
});

describe('TV7 overlapping adverts (iBGP)', () => {
  const svc = service('echo', { meta: meta('echo', 'test', { bgp: 'advertise' }), type: 'LoadBalancer', clusterIPs: [ip('10.96.50.104')] });
  const c: Case = {
    peers: [peerTo('10.99.4.1', 'pc', 'ibgp-peer', 65001)],
    peerConfigs: [peerConfig('pc', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: all }] })],
    adverts: [
      advert('a', {}, [
        {
          advertisementType: 'Service',
          service: { addresses: ['ClusterIP'] },
          selector: sel({}, [{ key: 'bgp', operator: 'In', values: ['advertise'] }]),
          attributes: { communities: { standard: ['65000:98'], wellKnown: [], large: [] }, localPreference: 98 },
        },
      ]),
      advert('b', {}, [
        {
          advertisementType: 'Service',
          service: { addresses: ['ClusterIP'] },
          selector: sel({}, [{ key: 'bgp', operator: 'NotIn', values: ['x'] }]),
          attributes: { communities: { standard: ['65000:102'], wellKnown: [], large: [] }, localPreference: 102 },
        },
      ]),
    ],
    services: [svc],
  };
  it('merges into one statement: union of communities (string-sorted), max local preference', () => {
    const i = run(c);
    const p = exported(i).map(describePolicy);
    expect(p).toEqual([
      { name: 'ibgp-peer-ipv4-Service-echo-test-ClusterIP', statements: [{ nbr: ['10.99.4.1'], pfx: ['10.96.50.104/32 (32..32)'], lp: 102, communities: ['65000:102', '65000:98'] }] },
    ]);
    const w = i.advertisements[0]!.paths[0]!;
    expect([w.asPath, w.localPref, w.communities]).toEqual([[], 102, ['65000:102', '65000:98']]);
  });
  it('a single advert to iBGP: its local preference, else 100', () => {
    const one = run({ ...c, adverts: [c.adverts[0]!] }).advertisements[0]!.paths[0]!;
    expect(one.localPref).toBe(98);
    const none = run({ ...c, adverts: [advert('a', {}, [{ advertisementType: 'Service', service: { addresses: ['ClusterIP'] }, selector: all }])] });
    expect(none.advertisements[0]!.paths[0]!.localPref).toBe(100);
  });
  it('aggregate and exact statements: longest prefix first', () => {
    const agg = advert('c', {}, [{ advertisementType: 'Service', service: { addresses: ['ClusterIP'], aggregationLengthIPv4: 24 }, selector: all }]);
    const p = exported(run({ ...c, adverts: [agg, c.adverts[0]!] }))[0]!;
    expect(describePolicy(p).statements.map((s) => s.pfx)).toEqual([['10.96.50.104/32 (32..32)'], ['10.96.50.0/24 (24..24)']]);
  });
});

describe('TV9/TV12 per-peer selection', () => {
  const svc1 = service('svc1', { meta: meta('svc1', 'default', { bgp: 'advertise' }), type: 'LoadBalancer', clusterIPs: [ip('10.96.50.104'), ip('2001:db8:fd00::7ebc')] });
  const svc2 = service('svc2', { meta: meta('svc2', 'default', { bgp: 'advertise' }), clusterIPs: [ip('10.96.50.105')], externalIPs: [ip('1.2.3.4'), ip('fd00:1:2::3')] });
  const c: Case = {
    peers: [peerTo('10.99.4.10', 'pc-lb', 'peer-65010', 65010), peerTo('10.99.4.11', 'pc-all', 'peer-65011', 65011)],
    peerConfigs: [
      peerConfig('pc-lb', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: sel({ type: 'lb' }) }, { afi: 'ipv6', safi: 'unicast', advertisements: sel({ type: 'lb' }) }] }),
      peerConfig('pc-all', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: all }, { afi: 'ipv6', safi: 'unicast', advertisements: all }] }),
    ],
    adverts: [
      advert('lb', { type: 'lb' }, [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: all }]),
      advert('other', { type: 'other' }, [{ advertisementType: 'Service', service: { addresses: ['ClusterIP', 'ExternalIP'] }, selector: all }]),
    ],
    services: [svc1, svc2],
    lb: { 'default/svc1': ['172.16.1.1', 'fd00:aa:bb::1'] },
  };
  it('each peer gets what its own families select', () => {
    const i = run(c);
    const sent = i.advertisements.map((a) => [a.peer, a.paths.map((p) => formatPrefix(p.prefix))]);
    expect(sent).toEqual([
      ['peer-65010', ['172.16.1.1/32', 'fd00:aa:bb::1/128']],
      ['peer-65011', ['1.2.3.4/32', '10.96.50.104/32', '10.96.50.105/32', '172.16.1.1/32', '2001:db8:fd00::7ebc/128', 'fd00:1:2::3/128', 'fd00:aa:bb::1/128']],
    ]);
  });
});

describe('TV10 enable-no-service-endpoints-routable=false', () => {
  const svc = service('echo', { type: 'LoadBalancer', clusterIPs: [ip('10.96.0.1')] });
  const c = (slices: EndpointSlice[]): Case => ({
    peers: [peerTo('10.99.4.1')],
    peerConfigs: [peerConfig('pc', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: all }] })],
    adverts: [advert('a', {}, [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: all }])],
    services: [svc],
    slices,
    lb: { 'default/echo': ['172.16.1.1'] },
    cfg: { enableNoServiceEndpointsRoutable: false },
  });
  it('without endpoints: nothing; with a (remote) endpoint: advertised', () => {
    expect(rib(run(c([])))).toEqual([]);
    expect(rib(run(c([slice('echo', [{ ip: '10.0.0.9', node: 'other' }])])))).toEqual(['172.16.1.1/32']);
  });
  it('default (true): advertised without endpoints', () => {
    expect(rib(run({ ...c([]), cfg: {} }))).toEqual(['172.16.1.1/32']);
  });
});

describe('TV11 shared VIP', () => {
  it('two services with one LB IP give one RIB path and two policies', () => {
    const s1 = service('echo1', { type: 'LoadBalancer', clusterIPs: [ip('10.96.0.1')] });
    const s2 = service('echo2', { type: 'LoadBalancer', clusterIPs: [ip('10.96.0.2')] });
    const i = run({
      peers: [peerTo('10.99.4.1')],
      peerConfigs: [peerConfig('pc', { families: [{ afi: 'ipv4', safi: 'unicast', advertisements: all }] })],
      adverts: [advert('a', {}, [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: all }])],
      services: [s1, s2],
      lb: { 'default/echo1': ['172.16.1.1'], 'default/echo2': ['172.16.1.1'] },
    });
    expect(rib(i)).toEqual(['172.16.1.1/32']);
    expect(i.rib[0]?.sources.length).toBe(2);
    expect(exported(i).map((p) => p.name)).toEqual(['red-peer-65001-ipv4-Service-echo1-default-LoadBalancerIP', 'red-peer-65001-ipv4-Service-echo2-default-LoadBalancerIP']);
    expect(i.advertisements[0]?.paths.map((p) => p.policy)).toEqual(['red-peer-65001-ipv4-Service-echo1-default-LoadBalancerIP']);
  });
});

describe('peers without PeerConfig', () => {
  it('no peerConfigRef: a session with defaults that advertises nothing', () => {
    const i = run({
      podCidrs: ['10.1.0.0/24'],
      peers: [{ name: 'bare', peerAddress: ip('10.0.0.1'), peerASN: 65000 }],
      peerConfigs: [],
      adverts: [advert('a', {}, [{ advertisementType: 'PodCIDR' }])],
    });
    expect(i.peers.map((p) => [p.peer, p.timers.holdTimeSeconds, p.families.length])).toEqual([['bare', 90, 2]]);
    expect(i.advertisements[0]?.paths).toEqual([]);
    expect(rib(i)).toEqual([]);
  });
  it('a missing PeerConfig: the peer is not configured', () => {
    const cluster = build({
      nodes: [node('n1', '10.0.0.5', ['10.1.0.0/24'])],
      bgpClusterConfigs: [clusterConfig('cc', { bgpInstances: [{ name: 'i', localASN: 65001, peers: [{ name: 'p', peerAddress: ip('10.0.0.1'), peerASN: 65000, peerConfigRef: 'nope' }] }] })],
    });
    const r = computeCiliumBgp(cluster, { sourceAddress: () => undefined, lbIps: () => [] });
    expect(r.nodes[0]?.instances[0]?.peers).toEqual([]);
    expect(r.nodes[0]?.errors.join('\n')).toMatch(/does not exist/);
    expect(r.clusterConfigs[0]?.missingPeerConfigs).toEqual(['nope']);
  });
});

describe('TV13 operator', () => {
  const peer: BgpClusterPeer = { name: 'cluster-1-instance-65002-peer-10.0.0.2', peerAddress: ip('10.0.0.2'), peerASN: 65002, peerConfigRef: 'peer-1' };
  const cc = clusterConfig('cluster-1', {
    nodeSelector: sel({ bgp: 'rack1' }),
    bgpInstances: [{ name: 'cluster-1-instance-65001', localASN: 65001, localPort: 1179, peers: [peer] }],
  });
  const override = (localPort?: number) => ({
    meta: meta('node-1'),
    bgpInstances: [
      {
        name: 'cluster-1-instance-65001',
        routerID: v4('10.10.10.10'),
        ...(localPort !== undefined ? { localPort } : {}),
        localASN: 65010,
        peers: [{ name: 'cluster-1-instance-65002-peer-10.0.0.2', localAddress: ip('10.10.10.1') }],
      },
    ],
  });
  const cluster = (labels: Record<string, string>, o = override(5400)) =>
    build({ nodes: [node('node-1', '10.0.0.1', [], labels)], bgpClusterConfigs: [cc], bgpPeerConfigs: [peerConfig('peer-1')], bgpNodeConfigOverrides: [o] });
  it('applies the override', () => {
    const r = computeCiliumBgp(cluster({ bgp: 'rack1' }), { sourceAddress: () => undefined, lbIps: () => [] });
    const inst = r.nodeConfigs[0]?.bgpInstances[0];
    expect([inst?.localASN, formatIp(inst!.routerID!), inst?.localPort, formatIp(inst!.peers[0]!.localAddress!)]).toEqual([65010, '10.10.10.10', 5400, '10.10.10.1']);
    const s = r.nodes[0]?.instances[0];
    expect([s?.localASN, formatIp(s!.routerId), s?.listenPort, formatIp(s!.peers[0]!.localAddress!)]).toEqual([65010, '10.10.10.10', 5400, '10.10.10.1']);
  });
  it('override without localPort keeps 1179', () => {
    expect(computeCiliumBgp(cluster({ bgp: 'rack1' }, override()), { sourceAddress: () => undefined, lbIps: () => [] }).nodeConfigs[0]?.bgpInstances[0]?.localPort).toBe(1179);
  });
  it('no matching node: no NodeConfig, NoMatchingNode=True', () => {
    const r = computeCiliumBgp(cluster({}), { sourceAddress: () => undefined, lbIps: () => [] });
    expect(r.nodeConfigs).toEqual([]);
    expect(r.clusterConfigs[0]?.conditions.find((x) => x.type === 'cilium.io/NoMatchingNode')?.status).toBe('True');
  });
  it('conflicting cluster configs: the first (by creation, then name) wins', () => {
    const a = clusterConfig('a', { bgpInstances: [{ name: 'x', localASN: 1, peers: [] }] });
    const b = clusterConfig('b', { bgpInstances: [{ name: 'y', localASN: 2, peers: [] }] });
    const c2 = build({ nodes: [node('n', '10.0.0.1', [])], bgpClusterConfigs: [b, a] });
    const r = computeCiliumBgp(c2, { sourceAddress: () => undefined, lbIps: () => [] });
    expect(r.nodeConfigs.map((n) => n.owner)).toEqual(['a']);
    expect(r.clusterConfigs.map((s) => [s.name, s.conditions.find((x) => x.type === 'cilium.io/ConflictingClusterConfig')?.status])).toEqual([
      ['a', 'False'],
      ['b', 'True'],
    ]);
    const older = { ...b, meta: { ...b.meta, creationTimestamp: '2025-01-01T00:00:00Z' } };
    const r2 = computeCiliumBgp(build({ nodes: [node('n', '10.0.0.1', [])], bgpClusterConfigs: [a, older] }), { sourceAddress: () => undefined, lbIps: () => [] });
    expect(r2.nodeConfigs.map((n) => n.owner)).toEqual(['b']);
  });
  it('BGP control plane disabled: nothing', () => {
    const r = computeCiliumBgp(build({ nodes: [node('node-1', '10.0.0.1', [], { bgp: 'rack1' })], bgpClusterConfigs: [cc] }, { enableBgpControlPlane: false }));
    expect([r.enabled, r.nodes.length]).toEqual([false, 0]);
  });
  it('missing ASN: the instance is not created', () => {
    const noAsn = clusterConfig('z', { bgpInstances: [{ name: 'i', peers: [] }] });
    const r = computeCiliumBgp(build({ nodes: [node('n', '10.0.0.1', [])], bgpClusterConfigs: [noAsn] }), { sourceAddress: () => undefined, lbIps: () => [] });
    expect(r.nodes[0]?.instances).toEqual([]);
    expect(r.nodes[0]?.errors[0]).toMatch(/missing ASN/);
  });
});

// keep the IpAddress import used for type-checking of helpers
export type { IpAddress };
