import { describe, it, expect } from 'vitest';
import { IPv4, IPv4CidrRange } from 'ip-num';
import { parseFrrConfig } from '../../../src/bgp/frr/parse.js';
import { applyRouteMap, effectiveSettings, hasInboundPolicy, hasOutboundPolicy, prefixListMatch, prefixListPermits } from '../../../src/bgp/frr/policy.js';
import type { BgpPath } from '../../../src/bgp/speaker.js';

const config = parseFrrConfig(`ip prefix-list EXACT permit 172.20.0.0/24
ip prefix-list LE permit 172.20.0.0/16 le 24
ip prefix-list GE permit 172.20.0.0/16 ge 25
ip prefix-list GELE seq 10 deny 172.20.9.0/24
ip prefix-list GELE seq 20 permit 172.20.0.0/16 ge 24 le 24
route-map RM deny 5
 match ip address prefix-list EXACT
route-map RM permit 10
 match ip address prefix-list LE
 set local-preference 300
 set metric 7
 set weight 100
 set community 65000:2 65000:10
 set as-path prepend 65099
route-map RM permit 20
 match ip address prefix-list MISSING
 set origin incomplete
route-map ADD permit 10
 set community 65000:1 additive
 set ip next-hop peer-address
route-map NONE permit 10
 set community none
router bgp 65000
 neighbor G peer-group
 neighbor G remote-as external
 neighbor G route-map RM in
 neighbor 10.0.0.1 peer-group G
 neighbor 10.0.0.1 route-map ADD in
 neighbor 10.0.0.2 remote-as 65002
 neighbor 10.0.0.2 prefix-list LE out
`).config;

const pfx = (c: string) => IPv4CidrRange.fromCidr(c);
const path = (c: string, extra: Partial<BgpPath> = {}): BgpPath => ({
  prefix: pfx(c),
  origin: 'igp',
  asPath: [65001],
  nextHop: IPv4.fromString('10.0.0.9'),
  communities: [],
  largeCommunities: [],
  ...extra,
});

describe('prefix-lists', () => {
  it.each([
    ['EXACT', '172.20.0.0/24', 'permit'],
    ['EXACT', '172.20.0.0/25', 'deny'],
    ['LE', '172.20.5.0/24', 'permit'],
    ['LE', '172.20.0.0/16', 'permit'],
    ['LE', '172.20.5.0/25', 'deny'],
    ['GE', '172.20.5.0/25', 'permit'],
    ['GE', '172.20.5.0/24', 'deny'],
    ['GELE', '172.20.9.0/24', 'deny'],
    ['GELE', '172.20.8.0/24', 'permit'],
    ['GELE', '10.0.0.0/24', 'deny'],
  ] as const)('%s %s → %s', (list, prefix, action) => {
    expect(prefixListMatch(config, list, pfx(prefix))).toBe(action);
  });

  it('an undefined prefix-list permits (FRR prefix_list_apply on NULL)', () => {
    expect(prefixListPermits(config, 'NOPE', pfx('1.2.3.0/24'))).toBe(true);
  });
});

describe('route-maps', () => {
  it('first matching entry decides; sets apply; no match denies', () => {
    expect(applyRouteMap(config, 'RM', { path: path('172.20.0.0/24'), weight: 0 }, { direction: 'in' })).toBeUndefined();
    const r = applyRouteMap(config, 'RM', { path: path('172.20.1.0/24', { communities: ['65000:99'] }), weight: 0 }, { direction: 'in' })!;
    expect(r.weight).toBe(100);
    expect(r.path).toMatchObject({ localPref: 300, med: 7, communities: ['65000:2', '65000:10'], asPath: [65099, 65001] });
    expect(applyRouteMap(config, 'RM', { path: path('10.0.0.0/8'), weight: 0 }, { direction: 'in' })).toBeUndefined();
  });

  it('a match on an undefined prefix-list does not match', () => {
    expect(applyRouteMap(config, 'RM', { path: path('10.1.0.0/16'), weight: 0 }, { direction: 'in' })).toBeUndefined();
  });

  it('additive communities merge sorted; peer-address sets the next hop; none clears', () => {
    const r = applyRouteMap(config, 'ADD', { path: path('1.0.0.0/8', { communities: ['65000:5'] }), weight: 0 }, { direction: 'in', peerAddress: IPv4.fromString('10.0.0.1') })!;
    expect(r.path.communities).toEqual(['65000:1', '65000:5']);
    expect(r.path.nextHop.toString()).toBe('10.0.0.1');
    expect(applyRouteMap(config, 'NONE', { path: path('1.0.0.0/8', { communities: ['65000:5'] }), weight: 0 }, { direction: 'in' })!.path.communities).toEqual([]);
  });

  it('an undefined route-map denies everything', () => {
    expect(applyRouteMap(config, 'MISSING', { path: path('1.0.0.0/8'), weight: 0 }, { direction: 'in' })).toBeUndefined();
  });
});

describe('peer-groups and ebgp-requires-policy', () => {
  it('a member inherits the group settings; its own win', () => {
    const bgp = config.bgp!;
    const s = effectiveSettings(bgp, bgp.neighbors[0]!);
    expect(s).toMatchObject({ remoteAs: 'external', routeMapIn: 'ADD' });
    expect(hasInboundPolicy(s)).toBe(true);
    expect(hasOutboundPolicy(s)).toBe(false);
    const t = effectiveSettings(bgp, bgp.neighbors[1]!);
    expect([hasInboundPolicy(t), hasOutboundPolicy(t)]).toEqual([false, true]);
  });
});
