import { describe, it, expect } from 'vitest';
import { runBgpNetwork } from '../../../src/bgp/network/run.js';
import { clusterOf, ciliumLike, host, tablesOf } from '../fixtures.js';

const ROUTER = (neighbors: string, extra = '') => `frr defaults traditional
router bgp 65000
 bgp router-id 192.168.10.200
 no bgp ebgp-requires-policy
${neighbors}
${extra}`;

function run(routerFrr: string, nodes: { name: string; addr: string; asn: number; peerAs: number | 'auto'; extra?: object }[], routerIfaces: Record<string, string> = { eth1: '192.168.10.200/24' }) {
  const hosts = [host('router', routerIfaces, routerFrr), ...nodes.map((n) => host(n.name, { eth1: `${n.addr}/24` }, undefined, [['default', '192.168.10.200']]))];
  const speakers = nodes.map((n) => ciliumLike(n.name, n.addr, n.asn, '192.168.10.200', n.peerAs, ['172.20.0.0/24'], n.extra));
  return runBgpNetwork(clusterOf(hosts), speakers, tablesOf(hosts));
}

const stateOf = (r: ReturnType<typeof run>, h: string) => r.peers.filter((p) => p.host === h).map((p) => [p.neighbor.address.toString(), p.state, p.reason ?? '']);

describe('sessions', () => {
  it('Established with remote-as external; hold time min(9, 180) = 9, keepalive 3 on both ends', () => {
    const r = run(ROUTER(' neighbor 192.168.10.100 remote-as external'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 }]);
    expect(stateOf(r, 'router')).toEqual([['192.168.10.100', 'Established', '']]);
    const p = r.peers.find((x) => x.host === 'router')!;
    expect([p.holdTime, p.keepalive, p.type, p.remoteAs, p.localAddress?.toString()]).toEqual([9, 3, 'external', 65001, '192.168.10.200']);
    expect(r.peers.find((x) => x.host === 'n1')?.localAddress?.toString()).toBe('192.168.10.100');
  });

  it('Bad Peer AS when the configured AS does not match (number, or internal vs external)', () => {
    for (const remote of ['65009', 'internal']) {
      const r = run(ROUTER(` neighbor 192.168.10.100 remote-as ${remote}`), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 }]);
      expect(stateOf(r, 'router')).toEqual([['192.168.10.100', 'Idle', 'OPEN Message Error/Bad Peer AS']]);
      expect(r.ciliumPeers[0]?.state).toBe('active');
    }
    const wrongOnCilium = run(ROUTER(' neighbor 192.168.10.100 remote-as external'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 64999 }]);
    expect(stateOf(wrongOnCilium, 'router')[0]?.[1]).toBe('Idle');
  });

  it('remote-as internal / auto with the same AS gives iBGP', () => {
    const r = run(ROUTER(' neighbor 192.168.10.100 remote-as auto'), [{ name: 'n1', addr: '192.168.10.100', asn: 65000, peerAs: 65000 }]);
    expect(r.peers.find((x) => x.host === 'router')?.type).toBe('internal');
  });

  it('a neighbour nobody answers for stays Active; an unconfigured Cilium node cannot connect', () => {
    const r = run(ROUTER(' neighbor 192.168.10.100 remote-as external\n neighbor 192.168.10.77 remote-as external'), [
      { name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 },
      { name: 'n2', addr: '192.168.10.101', asn: 65001, peerAs: 65000 },
    ]);
    expect(stateOf(r, 'router').map((x) => x.slice(0, 2))).toEqual([
      ['192.168.10.77', 'Active'],
      ['192.168.10.100', 'Established'],
    ]);
    expect(stateOf(r, 'n2')).toEqual([['192.168.10.200', 'Active', 'router does not configure this neighbour']]);
    expect(r.warnings).toContain('n2/instance-65001: BGP neighbor 192.168.10.200 is Active (router does not configure this neighbour)');
    expect(r.warnings).toContain('router: BGP neighbor 192.168.10.77 is Active (no BGP speaker answers at 192.168.10.77)');
  });

  it('single-hop eBGP to an address off the connected subnets: Waiting for NHT; ebgp-multihop fixes it', () => {
    const hostsFor = (mh: string) => {
      const hosts = [
        host('router', { eth1: '192.168.10.200/24', eth2: '192.168.20.200/24' }, ROUTER(` neighbor 10.9.9.9 remote-as external${mh}`), [['10.9.9.0/24', '192.168.20.1']]),
        host('gw', { eth2: '192.168.20.1/24', eth3: '10.9.9.1/24' }),
        host('far', { eth1: '10.9.9.9/24' }, undefined, [['default', '10.9.9.1']]),
      ];
      return runBgpNetwork(clusterOf(hosts), [ciliumLike('far', '10.9.9.9', 65009, '192.168.20.200', 65000, ['172.30.0.0/24'], { ebgpMultihop: 3 })], tablesOf(hosts));
    };
    expect(stateOf(hostsFor(''), 'router')).toEqual([['10.9.9.9', 'Active', 'Waiting for NHT']]);
    const ok = hostsFor('\n neighbor 10.9.9.9 ebgp-multihop 3');
    expect(stateOf(ok, 'router')).toEqual([['10.9.9.9', 'Established', '']]);
    expect(ok.routers.get('router')!.installed.map((x) => `${x.dst.toCidrString()} ${x.nexthops.map((n) => n.gateway?.toString()).join(',')}`)).toEqual(['172.30.0.0/24 192.168.20.1']);
  });

  it('neighbor shutdown: Idle (Admin); not activated for IPv4: Idle', () => {
    const r = run(ROUTER(' neighbor 192.168.10.100 remote-as external\n neighbor 192.168.10.100 shutdown'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 }]);
    expect(stateOf(r, 'router')[0]?.[1]).toBe('Idle (Admin)');
    const na = run(ROUTER(' neighbor 192.168.10.100 remote-as external', ' address-family ipv4 unicast\n  no neighbor 192.168.10.100 activate'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 }]);
    expect(stateOf(na, 'router')[0]?.[1]).toBe('Idle');
  });

  it('the router is passive and Cilium does not listen: nobody dials, Active', () => {
    const r = run(ROUTER(' neighbor 192.168.10.100 remote-as external'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000, extra: { passive: true } }]);
    expect(stateOf(r, 'router')[0]?.[1]).toBe('Active');
  });

  it('timers: neighbour timers and timers bgp; hold 0 means no keepalives', () => {
    const r = run(ROUTER(' timers bgp 10 30\n neighbor 192.168.10.100 remote-as external'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000, extra: { holdTime: 90, keepalive: 30 } }]);
    const p = r.peers.find((x) => x.host === 'router')!;
    expect([p.holdTime, p.keepalive]).toEqual([30, 10]);
    const z = run(ROUTER(' neighbor 192.168.10.100 remote-as external\n neighbor 192.168.10.100 timers 0 0'), [{ name: 'n1', addr: '192.168.10.100', asn: 65001, peerAs: 65000 }]);
    expect([z.peers[z.peers.length - 1]!.holdTime, z.peers[z.peers.length - 1]!.keepalive]).toEqual([0, 0]);
  });
});
