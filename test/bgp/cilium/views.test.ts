import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import { computeCiliumBgp } from '../../../src/bgp/cilium/index.js';
import { formatIp } from '../../../src/net/addr.js';
import {
  renderCiliumBgpPeers,
  renderCiliumBgpRoutes,
  renderCiliumDbgBgpPeers,
  renderRoutePolicies,
  routePoliciesJson,
  ciliumBgpPeersJson,
  type SessionStateLookup,
} from '../../../src/views/bgp/cilium-bgp.js';
import { formatPathAttributes, goDuration } from '../../../src/views/bgp/format.js';
import { renderNodeConfigTable, renderNodeConfigYaml } from '../../../src/views/bgp/node-configs.js';
import { tabwrite } from '../../../src/views/tabwriter.js';
import { cidr, lab, labLbIps } from './fixtures.js';

/** Trailing spaces (Go's tabwriter pads tab-terminated last cells; the notes lost them). */
const trim = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');

describe('tabwriter', () => {
  it('pads tab-terminated cells to the column width (min 5, padding 3), not the last cell', () => {
    expect(tabwrite('a\tbb\tc\nccc\td\te\n')).toBe('a     bb   c\nccc   d    e\n');
    expect(tabwrite('x\ty\t\n')).toBe('x    y    \n');
  });
  it('breaks columns where lines have fewer cells (blocks)', () => {
    expect(tabwrite('aaaaaaa\tb\nc\nd\te\n')).toBe('aaaaaaa   b\nc\nd    e\n');
  });
});

describe('formats', () => {
  it('Go durations', () => {
    expect([0, 59, 349, 135891, 3600].map(goDuration)).toEqual(['0s', '59s', '5m49s', '37h44m51s', '1h0m0s']);
  });
  it('GoBGP attributes (reference §6 forms)', () => {
    const base = { origin: 'igp' as const, asPath: [65001], communities: [], largeCommunities: [] };
    expect(formatPathAttributes({ ...base, prefix: cidr('10.96.50.104/32') }, IPv4.fromString('10.99.4.102'))).toBe(
      '[{Origin: i} {AsPath: 65001} {Nexthop: 10.99.4.102}]',
    );
    expect(
      formatPathAttributes(
        { ...base, asPath: [], localPref: 102, communities: ['65000:102', '65000:98'], prefix: cidr('10.96.50.104/32') },
        cidr('fd00::bb:cc:dd:102/128').getFirst(),
      ),
    ).toBe('[{Origin: i} {AsPath: } {LocalPref: 102} {Communities: 65000:102, 65000:98} {MpReach(ipv4-unicast): {Nexthop: fd00::bb:cc:dd:102, NLRIs: [10.96.50.104/32]}}]');
    expect(formatPathAttributes({ ...base, communities: ['65535:65281'], largeCommunities: ['65002:100:1'], prefix: cidr('10.1.0.0/24') }, IPv4.fromString('10.0.0.2'))).toBe(
      '[{Origin: i} {AsPath: 65001} {Nexthop: 10.0.0.2} {Communities: no-export} {LargeCommunity: [ 65002:100:1]}]',
    );
  });
});

describe('cilium bgp routes', () => {
  it('available ipv4 unicast: the seed table (ages aside)', () => {
    const c = lab({ lb: true });
    const r = computeCiliumBgp(c, { lbIps: labLbIps(c) });
    const out = renderCiliumBgpRoutes(r, { table: 'available', afi: 'ipv4', safi: 'unicast' });
    expect(trim(out)).toBe(
      [
        'Node      VRouter   Prefix          NextHop   Age   Attrs',
        'k8s-ctr   65001     172.16.1.1/32   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        '          65001     172.20.0.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        'k8s-w0    65001     172.16.1.1/32   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        '          65001     172.20.2.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        'k8s-w1    65001     172.16.1.1/32   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        '          65001     172.20.1.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        '',
      ].join('\n'),
    );
  });
  it('advertised: per peer, next hop = session local address, AS path 65001', () => {
    const r = computeCiliumBgp(lab());
    expect(trim(renderCiliumBgpRoutes(r, { table: 'advertised', afi: 'ipv4', safi: 'unicast' }))).toBe(
      [
        'Node      VRouter   Peer             Prefix          NextHop          Age   Attrs',
        'k8s-ctr   65001     192.168.10.200   172.20.0.0/24   192.168.10.100   0s    [{Origin: i} {AsPath: 65001} {Nexthop: 192.168.10.100}]',
        'k8s-w0    65001     192.168.10.200   172.20.2.0/24   192.168.20.100   0s    [{Origin: i} {AsPath: 65001} {Nexthop: 192.168.20.100}]',
        'k8s-w1    65001     192.168.10.200   172.20.1.0/24   192.168.10.101   0s    [{Origin: i} {AsPath: 65001} {Nexthop: 192.168.10.101}]',
        '',
      ].join('\n'),
    );
    const down: SessionStateLookup = () => ({ state: 'active' });
    expect(renderCiliumBgpRoutes(r, { table: 'advertised', afi: 'ipv4', safi: 'unicast' }, down).split('\n')).toHaveLength(2);
  });
});

describe('cilium bgp peers', () => {
  const established: SessionStateLookup = (node) => ({ state: 'established', uptime: node === 'k8s-ctr' ? 135891 : 135888, received: 5, advertised: 3 });
  it('reproduces the seed table with the session stage states', () => {
    const r = computeCiliumBgp(lab());
    expect(trim(renderCiliumBgpPeers(r, established))).toBe(
      [
        'Node      Local AS   Peer AS   Peer Address     Session State   Uptime      Family         Received   Advertised',
        'k8s-ctr   65001      65000     192.168.10.200   established     37h44m51s   ipv4/unicast   5          3',
        'k8s-w0    65001      65000     192.168.10.200   established     37h44m48s   ipv4/unicast   5          3',
        'k8s-w1    65001      65000     192.168.10.200   established     37h44m48s   ipv4/unicast   5          3',
        '',
      ].join('\n'),
    );
  });
  it('without a session stage: the model state (active), zero counts', () => {
    const r = computeCiliumBgp(lab());
    expect(renderCiliumBgpPeers(r).split('\n')[1]).toMatch(/^k8s-ctr\s+65001\s+65000\s+192\.168\.10\.200\s+active\s+0s\s+ipv4\/unicast\s+0\s+0/);
    expect(ciliumBgpPeersJson(r)['k8s-w1']?.[0]).toMatchObject({ 'peer-address': '192.168.10.200', 'peer-port': 179, 'session-state': 'active', 'ebgp-multihop-ttl': 2 });
  });
  it('cilium-dbg bgp peers: address:port, Session column', () => {
    const r = computeCiliumBgp(lab());
    expect(trim(renderCiliumDbgBgpPeers(r, 'k8s-w1', established))).toBe(
      [
        'Local AS   Peer AS   Peer Address         Session       Uptime      Family         Received   Advertised',
        '65001      65000     192.168.10.200:179   established   37h44m48s   ipv4/unicast   5          3',
        '',
      ].join('\n'),
    );
  });
});

describe('cilium-dbg bgp route-policies', () => {
  it('observation 5: the seed table on k8s-w1', () => {
    const c = lab({ lb: true });
    const r = computeCiliumBgp(c, { lbIps: labLbIps(c) });
    expect(trim(renderRoutePolicies(r, 'k8s-w1'))).toBe(
      [
        'VRouter   Policy Name                                             Type     Match Peers         Match Families   Match Prefixes (Min..Max Len)   RIB Action   Path Actions',
        '65001     allow-local                                             import                                                                        accept',
        '65001     tor-switch-ipv4-PodCIDR                                 export   192.168.10.200/32                    172.20.1.0/24 (24..24)          accept',
        '65001     tor-switch-ipv4-Service-webpod-default-LoadBalancerIP   export   192.168.10.200/32                    172.16.1.1/32 (32..32)          accept',
        '',
      ].join('\n'),
    );
    expect(routePoliciesJson(r, 'k8s-w1')[1]).toEqual({
      name: 'tor-switch-ipv4-PodCIDR',
      'router-asn': 65001,
      statements: [
        {
          'add-communities': [],
          'add-large-communities': [],
          'match-neighbors': ['192.168.10.200/32'],
          'match-prefixes': [{ cidr: '172.20.1.0/24', 'prefix-len-max': 24, 'prefix-len-min': 24 }],
          'route-action': 'accept',
          'set-local-preference': -1,
        },
      ],
      type: 'export',
    });
  });
});

describe('kubectl get ciliumbgpnodeconfigs', () => {
  it('table and yaml', () => {
    const r = computeCiliumBgp(lab());
    expect(renderNodeConfigTable(r)).toBe('NAME      AGE\nk8s-ctr   <unknown>\nk8s-w0    <unknown>\nk8s-w1    <unknown>\n');
    const y = renderNodeConfigYaml(r, undefined, ['k8s-w1']);
    expect(y).toContain('kind: CiliumBGPNodeConfig');
    expect(y).toContain(
      ['spec:', '  bgpInstances:', '  - localASN: 65001', '    name: instance-65001', '    peers:', '    - name: tor-switch', '      peerASN: 65000', '      peerAddress: 192.168.10.200', '      peerConfigRef:', '        name: cilium-peer'].join('\n'),
    );
    expect(formatIp(r.nodes[0]!.instances[0]!.routerId)).toBe('192.168.10.100');
  });
});
