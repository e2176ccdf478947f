import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parseIproute2Routes } from '../../src/input/iproute2.js';
import type { StaticRoute } from '../../src/input/types.js';

function routes(text: string): readonly StaticRoute[] {
  const r = parseIproute2Routes(text);
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
}
function show(r: StaticRoute): string {
  const nh = r.nexthops.map((n) => `${n.gateway?.toString() ?? '-'}@${n.dev ?? '-'}w${n.weight}`).join(' ');
  return `${r.type} ${r.dst.toCidrString()} [${nh}] proto=${r.protocol} metric=${r.metric} scope=${r.scope ?? '-'} src=${r.src?.toString() ?? '-'}`;
}

describe('parseIproute2Routes', () => {
  it('reads the lines ip route prints', () => {
    expect(
      routes(`default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
192.168.20.0/24 via 192.168.10.200 dev eth1 proto static
172.20.0.0/16 via 192.168.10.200 dev eth1
blackhole 10.0.0.0/8
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100
`).map(show),
    ).toEqual([
      'unicast 0.0.0.0/0 [10.0.2.2@eth0w1] proto=dhcp metric=100 scope=- src=10.0.2.15',
      'unicast 192.168.20.0/24 [192.168.10.200@eth1w1] proto=static metric=0 scope=- src=-',
      'unicast 172.20.0.0/16 [192.168.10.200@eth1w1] proto=boot metric=0 scope=- src=-',
      'blackhole 10.0.0.0/8 [] proto=boot metric=0 scope=- src=-',
      'unicast 10.0.2.0/24 [-@eth0w1] proto=kernel metric=100 scope=link src=10.0.2.15',
    ]);
  });

  it('reads multipath routes with next hops on following lines or on the same line', () => {
    const several = routes('10.0.0.0/8 proto bgp metric 20 \n\tnexthop via 192.168.10.100 dev eth1 weight 1 \n\tnexthop via 192.168.20.100 dev eth2 weight 2 \n');
    const one = routes('10.0.0.0/8 proto bgp metric 20 nexthop via 192.168.10.100 dev eth1 weight 1 nexthop via 192.168.20.100 dev eth2 weight 2');
    expect(several.map(show)).toEqual(['unicast 10.0.0.0/8 [192.168.10.100@eth1w1 192.168.20.100@eth2w2] proto=bgp metric=20 scope=- src=-']);
    expect(one.map(show)).toEqual(several.map(show));
    expect(several[0]!.text).toContain('nexthop via 192.168.20.100');
  });

  it('reads a host address as a /32 and ignores flags that do not route', () => {
    expect(routes('10.1.2.3 via 10.0.0.1 dev eth0 onlink mtu lock 1400').map(show)).toEqual(['unicast 10.1.2.3/32 [10.0.0.1@eth0w1] proto=boot metric=0 scope=- src=-']);
  });

  it('reports errors with their line numbers', () => {
    const r = parseIproute2Routes('default via 10.0.2.2 dev eth0\n\n10.0.0.0/33 dev eth0\n10.1.0.0/16 via nowhere\n10.2.0.0/16\nlocal 10.3.0.0/16 dev lo\n10.4.0.0/16 dev eth0 frob 1\n10.5.0.0/16 dev eth0 table 100\n');
    expect(r).toEqual(
      E.left([
        { line: 3, message: 'expected a destination prefix, got "10.0.0.0/33"' },
        { line: 4, message: 'via: expected an address, got "nowhere"' },
        { line: 5, message: 'a unicast route needs via, dev or nexthop' },
        { line: 6, message: 'route type local is not supported (unicast, blackhole, unreachable, prohibit)' },
        { line: 7, message: 'unknown word "frob"' },
        { line: 8, message: 'only the main table is modelled, got table 100' },
      ]),
    );
    expect(parseIproute2Routes('\tnexthop via 1.1.1.1 dev eth0')).toEqual(E.left([{ line: 1, message: 'nexthop line without a route above it' }]));
    expect(parseIproute2Routes('10.0.0.0/88 proto bgp\n\tnexthop via 1.1.1.1 dev eth0\n\tnexthop via 1.1.1.2 dev eth0\n')).toEqual(
      E.left([{ line: 1, message: 'expected a destination prefix, got "10.0.0.0/88"' }]),
    );
  });

  it('gives the Host path and line in decode errors', async () => {
    const { decodeScenario } = await import('../../src/input/decode.js');
    const r = decodeScenario([{ file: 'h.yaml', text: 'apiVersion: cilium-twin/v1alpha1\nkind: Host\nmetadata: {name: r}\nspec:\n  interfaces: [{name: eth0, addresses: ["10.0.0.1/24"]}]\n  routes: |\n    default via 10.0.0.254\n    bogus\n' }]);
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual(['h.yaml#1 Host/r: spec.routes: line 2: expected a destination prefix, got "bogus"']);
  });
});
