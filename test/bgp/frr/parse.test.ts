import { describe, it, expect } from 'vitest';
import { parseFrrConfig } from '../../../src/bgp/frr/parse.js';

const LAB = `frr version 8.4.4
frr defaults traditional
hostname router
log syslog informational
no ipv6 forwarding
service integrated-vtysh-config
!
router bgp 65000
 bgp router-id 192.168.10.200
 no bgp ebgp-requires-policy
 bgp graceful-restart
 bgp bestpath as-path multipath-relax
 neighbor CILIUM peer-group
 neighbor CILIUM remote-as external
 neighbor 192.168.10.100 peer-group CILIUM
 neighbor 192.168.10.101 peer-group CILIUM
 neighbor 192.168.20.100 peer-group CILIUM
 !
 address-family ipv4 unicast
  network 10.10.1.0/24
  maximum-paths 4
 exit-address-family
exit
!
`;

describe('parseFrrConfig', () => {
  it('reads the bgp-lab router configuration', () => {
    const r = parseFrrConfig(LAB);
    expect(r.errors).toEqual([]);
    expect(r.notModelled.map((n) => n.line)).toEqual([4, 5, 6]);
    const bgp = r.config.bgp!;
    expect(r.config.version).toBe('8.4.4');
    expect(r.config.hostname).toBe('router');
    expect(bgp.asn).toBe(65000);
    expect(bgp.routerId?.toString()).toBe('192.168.10.200');
    expect(bgp.ebgpRequiresPolicy).toBe(false);
    expect(bgp.gracefulRestart).toBe('full');
    expect(bgp.multipathRelax).toBe(true);
    expect(bgp.maximumPaths).toBe(4);
    expect(bgp.maximumPathsIbgp).toBe(256);
    expect(bgp.keepalive).toBe(60);
    expect(bgp.holdTime).toBe(180);
    expect(bgp.peerGroups).toEqual([{ name: 'CILIUM', settings: { remoteAs: 'external' }, line: 13 }]);
    expect(bgp.neighbors.map((n) => [n.address.toString(), n.peerGroup, n.line])).toEqual([
      ['192.168.10.100', 'CILIUM', 15],
      ['192.168.10.101', 'CILIUM', 16],
      ['192.168.20.100', 'CILIUM', 17],
    ]);
    expect(bgp.networks.map((n) => n.prefix.toCidrString())).toEqual(['10.10.1.0/24']);
    expect(r.config.text[0]).toBe('frr version 8.4.4');
  });

  it('applies the profile defaults', () => {
    const t = parseFrrConfig('router bgp 1\n').config.bgp!;
    expect([t.ebgpRequiresPolicy, t.deterministicMed, t.keepalive, t.holdTime]).toEqual([true, false, 60, 180]);
    const d = parseFrrConfig('frr defaults datacenter\nrouter bgp 1\n').config.bgp!;
    expect([d.ebgpRequiresPolicy, d.deterministicMed, d.keepalive, d.holdTime, d.showHostname]).toEqual([false, true, 3, 9, true]);
    const o = parseFrrConfig('frr defaults datacenter\nrouter bgp 1\n bgp ebgp-requires-policy\n timers bgp 10 30\n').config.bgp!;
    expect([o.ebgpRequiresPolicy, o.keepalive, o.holdTime]).toEqual([true, 10, 30]);
  });

  it('reports errors with line numbers and goes on', () => {
    const r = parseFrrConfig('router bgp abc\nrouter bgp 65000\n neighbor 10.0.0.1 ebgp-multihop 2\n neighbor 10.0.0.1 remote-as 65001\n neighbor 10.0.0.999 remote-as 1\n');
    expect(r.errors).toEqual([
      { line: 1, message: '% Invalid AS number: abc' },
      { line: 3, message: '% Specify remote-as or peer-group commands first' },
      { line: 5, message: '% Create the peer-group or interface first' },
    ]);
    expect(r.config.bgp?.neighbors.length).toBe(1);
  });

  it('refuses a peer-group member before the group has a remote AS', () => {
    const r = parseFrrConfig('router bgp 1\n neighbor G peer-group\n neighbor 10.0.0.1 peer-group G\n neighbor G remote-as external\n');
    expect(r.errors).toEqual([{ line: 3, message: '% Specify remote-as or peer-group remote AS first' }]);
  });

  it('parses prefix-lists, route-maps and neighbour policies', () => {
    const r = parseFrrConfig(`ip prefix-list PODS seq 5 permit 172.20.0.0/16 le 24
ip prefix-list PODS deny any
route-map IN permit 10
 match ip address prefix-list PODS
 set local-preference 200
 set community 65000:1 no-export additive
 set as-path prepend 65000 65000
exit
route-map IN deny 20
!
router bgp 65000
 neighbor 10.0.0.1 remote-as 65001
 neighbor 10.0.0.1 description tor one
 address-family ipv4 unicast
  neighbor 10.0.0.1 route-map IN in
  neighbor 10.0.0.1 prefix-list PODS out
  neighbor 10.0.0.1 soft-reconfiguration inbound
  redistribute connected route-map IN
 exit-address-family
`);
    expect(r.errors).toEqual([]);
    expect(r.notModelled.map((n) => n.line)).toEqual([17]);
    expect(r.config.prefixLists.get('PODS')?.map((e) => [e.seq, e.action, e.prefix?.toCidrString(), e.le])).toEqual([
      [5, 'permit', '172.20.0.0/16', 24],
      [10, 'deny', undefined, undefined],
    ]);
    const rm = r.config.routeMaps.get('IN')!;
    expect(rm.map((e) => [e.seq, e.action])).toEqual([
      [10, 'permit'],
      [20, 'deny'],
    ]);
    expect(rm[0]!.sets).toEqual({ localPref: 200, communities: { values: ['65000:1', '65535:65281'], additive: true }, asPathPrepend: [65000, 65000] });
    const n = r.config.bgp!.neighbors[0]!;
    expect(n.settings).toMatchObject({ remoteAs: 65001, description: 'tor one', routeMapIn: 'IN', prefixListOut: 'PODS' });
    expect(r.config.bgp!.redistribute).toEqual([{ source: 'connected', routeMap: 'IN', line: 18 }]);
  });

  it('keeps blocks of other daemons as not modelled', () => {
    const r = parseFrrConfig('interface eth0\n ip address 10.0.0.1/24\n ip ospf area 0\nexit\nrouter ospf\n network 10.0.0.0/24 area 0\nexit\nrouter bgp 1\n bgp router-id 1.1.1.1\n');
    expect(r.errors).toEqual([]);
    expect(r.notModelled.map((n) => n.line)).toEqual([1, 2, 3, 5, 6]);
    expect(r.config.bgp?.routerId?.toString()).toBe('1.1.1.1');
    expect(r.config.bgp?.networks).toEqual([]);
  });

  it('accepts unindented router lines and leaves contexts on a top-level command', () => {
    const r = parseFrrConfig('router bgp 1\nneighbor 10.0.0.1 remote-as 2\nroute-map X permit 10\nset metric 5\nip route 10.9.0.0/16 10.0.0.1\n');
    expect(r.errors).toEqual([]);
    expect(r.config.bgp?.neighbors.length).toBe(1);
    expect(r.config.routeMaps.get('X')?.[0]?.sets).toEqual({ med: 5 });
    expect(r.config.staticRoutes.map((s) => [s.prefix.toCidrString(), s.gateway?.toString(), s.distance])).toEqual([['10.9.0.0/16', '10.0.0.1', 1]]);
  });
});
