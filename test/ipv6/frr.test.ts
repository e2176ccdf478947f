/**
 * ipv6 (issue 18): FRR's IPv6 unicast address family in the configuration model, and one
 * family's view of a router's state.
 */
import { describe, it, expect } from 'vitest';
import { parseFrrConfig } from '../../src/bgp/frr/parse.js';
import { frrSpeaker, localPaths } from '../../src/bgp/frr/speaker.js';
import { routeTableNodes } from '../../src/bgp/network/run.js';
import { routeTableNodesAnyFamily } from '../../src/bgp/network/family.js';
import { formatIp, formatPrefix, parsePrefix } from '../../src/net/addr.js';
import type { Host } from '../../src/input/types.js';

const CONF = `frr defaults traditional
router bgp 65000
 neighbor V4 peer-group
 neighbor V4 remote-as external
 neighbor V6 peer-group
 neighbor V6 remote-as external
 neighbor 192.168.10.100 peer-group V4
 neighbor fd00:10::100 peer-group V6
 neighbor fd00:10::101 remote-as 65002
 !
 address-family ipv4 unicast
  no neighbor V6 activate
  no neighbor fd00:10::101 activate
 exit-address-family
 !
 address-family ipv6 unicast
  network fd00:10:1::/64
  redistribute connected
  neighbor V6 activate
  neighbor fd00:10::101 activate
  maximum-paths 8
 exit-address-family
exit
`;

describe('FRR address-family ipv6 unicast', () => {
  const r = parseFrrConfig(CONF);

  it('parses without errors or not-modelled lines', () => {
    expect(r.errors).toEqual([]);
    expect(r.notModelled).toEqual([]);
  });

  it('neighbours of both families; activation per family (IPv4 by default, IPv6 by activate)', () => {
    const bgp = r.config.bgp!;
    expect(bgp.neighbors.map((n) => formatIp(n.address))).toEqual(['192.168.10.100', 'fd00:10::100', 'fd00:10::101']);
    expect(bgp.maximumPaths6).toBe(8);
    expect(bgp.redistribute6.map((x) => x.source)).toEqual(['connected']);
    expect(bgp.networks.map((n) => formatPrefix(n.prefix))).toEqual(['fd00:10:1::/64']);
  });

  it('the speaker negotiates ipv4-unicast and/or ipv6-unicast per neighbour', () => {
    const sp = frrSpeaker({ meta: { name: 'router', labels: {}, annotations: {} }, interfaces: [], routes: [] } as unknown as Host, r.config)!;
    expect(sp.neighbors.map((n) => [n.label, n.families])).toEqual([
      ['192.168.10.100', ['ipv4-unicast']],
      ['fd00:10::100', ['ipv6-unicast']],
      ['fd00:10::101', ['ipv6-unicast']],
    ]);
  });

  it('refuses a malformed IPv6 neighbour and an IPv4 network in the IPv6 family', () => {
    expect(parseFrrConfig('router bgp 65000\n neighbor fd00::zz remote-as 65001\n').errors).toEqual([{ line: 2, message: '% Malformed address: fd00::zz' }]);
    expect(parseFrrConfig('router bgp 65000\n address-family ipv6 unicast\n  network 10.0.0.0/8\n').errors).toEqual([{ line: 3, message: '% Malformed prefix: 10.0.0.0/8' }]);
  });

  it('an IPv6 network is originated with next hop :: when zebra has the prefix', () => {
    const h = {
      meta: { name: 'router', labels: {}, annotations: {} },
      interfaces: [{ name: 'loop1', addresses: [{ address: parsePrefix('fd00:10:1::200/128')!, network: parsePrefix('fd00:10:1::/64')!, prefixLength: 64 }] }],
      routes: [],
    } as unknown as Host;
    const paths = localPaths(h, r.config);
    expect(paths.map((l) => [formatPrefix(l.path.prefix), formatIp(l.path.nextHop), l.subType])).toEqual([
      ['fd00:10:1::/64', '::', 'network'],
      ['fd00:10:1::/64', '::', 'redistribute'],
    ]);
  });
});

describe('redistribute under address-family ipv6 unicast', () => {
  const withLine = (line: string) => parseFrrConfig(`router bgp 65000\n address-family ipv6 unicast\n  ${line}\n exit-address-family\n`);
  it('reads metric and route-map as the IPv4 family does', () => {
    const r = withLine('redistribute static metric 7 route-map RM');
    expect(r.errors).toEqual([]);
    expect(r.config.bgp!.redistribute6.map((x) => [x.source, x.metric, x.routeMap])).toEqual([['static', 7, 'RM']]);
  });
  it('refuses a route-map without a name, as the IPv4 family does', () => {
    expect(withLine('redistribute connected route-map').errors.map((e) => e.message).join('\n')).toContain('% Command incomplete');
  });
});

describe('route-table nodes of either family', () => {
  it('IPv4 as before; IPv6 by the same rule over 128 bits', () => {
    const v4 = ['172.20.0.0/24', '172.20.1.0/24'].map((c) => parsePrefix(c)!);
    expect(routeTableNodesAnyFamily(v4)).toBe(routeTableNodes(v4));
    expect(routeTableNodesAnyFamily(['fd00:1::/64', 'fd00:2::/64'].map((c) => parsePrefix(c)!))).toBe(3);
    expect(routeTableNodesAnyFamily(['fd00::/16'].map((c) => parsePrefix(c)!))).toBe(1);
  });
});
