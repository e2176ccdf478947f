import { describe, it, expect } from 'vitest';
import { runBgpNetwork, routeTableNodes } from '../../../src/bgp/network/run.js';
import { IPv4CidrRange } from 'ip-num';
import { clusterOf, ciliumLike, host, tablesOf } from '../fixtures.js';
import type { BgpNetworkResult } from '../../../src/bgp/network/types.js';
import type { Host } from '../../../src/input/types.js';

function rib(r: BgpNetworkResult, router: string): string[] {
  return r.routers.get(router)!.locRib.flatMap((e) =>
    e.paths.map((c, i) => {
      const mark = `${c.valid ? '*' : ' '}${e.best === i ? '>' : e.multipath.includes(i) ? '=' : ' '}`;
      return `${mark} ${e.prefix.toCidrString()} ${c.path.nextHop.toString()} [${c.path.asPath.join(' ')}]${c.path.localPref !== undefined ? ` lp${c.path.localPref}` : ''}${c.path.med !== undefined ? ` med${c.path.med}` : ''}`;
    }),
  );
}

function installed(r: BgpNetworkResult, router: string): string[] {
  return (r.installed.get(router) ?? []).map((x) => `${x.dst.toCidrString()} ${x.nexthops.map((n) => `${n.gateway?.toString()}@${n.dev}`).join(',')}`);
}

/** node n1 (AS 65001) — r1 (AS 65000) — r2 (AS 65100), r1/r2 on 10.0.12.0/24, n1 on 192.168.10.0/24. */
function chain(r1Extra = '', r2Extra = '', r2As = 65100, link = '10.0.12'): { hosts: Host[]; run: () => BgpNetworkResult } {
  const r1 = host(
    'r1',
    { eth1: '192.168.10.200/24', eth9: `${link}.1/24`, lo: '1.1.1.1/32' },
    `router bgp 65000
 bgp router-id 1.1.1.1
 no bgp ebgp-requires-policy
 neighbor 192.168.10.100 remote-as external
 neighbor ${link}.2 remote-as ${r2As === 65000 ? 'internal' : 'external'}
${r1Extra}`,
  );
  const r2 = host(
    'r2',
    { eth9: `${link}.2/24`, loop: '10.20.0.1/24' },
    `router bgp ${r2As}
 bgp router-id 2.2.2.2
 no bgp ebgp-requires-policy
 neighbor ${link}.1 remote-as ${r2As === 65000 ? 'internal' : 'external'}
 address-family ipv4 unicast
  network 10.20.0.0/24
${r2Extra}`,
    [['192.168.10.0/24', `${link}.1`]],
  );
  const n1 = host('n1', { eth1: '192.168.10.100/24' }, undefined, [['default', '192.168.10.200']]);
  const hosts = [r1, r2, n1];
  return { hosts, run: () => runBgpNetwork(clusterOf(hosts), [ciliumLike('n1', '192.168.10.100', 65001, '192.168.10.200', 65000, ['172.20.0.0/24'])], tablesOf(hosts)) };
}

describe('propagation', () => {
  it('eBGP chain: r2 learns the pod CIDR with path 65000 65001 via r1 (next hop self), r1 learns r2 network', () => {
    const r = chain().run();
    expect(r.converged).toBe(true);
    expect(rib(r, 'r2')).toEqual(['*> 10.20.0.0/24 0.0.0.0 [] med0', '*> 172.20.0.0/24 10.0.12.1 [65000 65001]']);
    expect(installed(r, 'r2')).toEqual(['172.20.0.0/24 10.0.12.1@eth9']);
    expect(rib(r, 'r1')).toEqual(['*> 10.20.0.0/24 10.0.12.2 [65100] med0', '*> 172.20.0.0/24 192.168.10.100 [65001]']);
    // r1 sends r2's network on to the node (AS path 65000 65100), MED dropped, next hop self.
    expect(r.peers.find((p) => p.host === 'n1')?.received).toBe(2);
  });

  it('third-party next hop: on a shared subnet, eBGP keeps the original next hop', () => {
    const { run } = chain('', '', 65100, '192.168.10');
    const r = run();
    expect(rib(r, 'r2').find((l) => l.includes('172.20.0.0/24'))).toBe('*> 172.20.0.0/24 192.168.10.100 [65000 65001]');
  });

  it('iBGP: next hop unchanged (inaccessible when not reachable), LOCAL_PREF 100; next-hop-self fixes it', () => {
    const plain = chain('', '', 65000).run();
    expect(rib(plain, 'r2').find((l) => l.includes('172.20.0.0/24'))).toBe('*> 172.20.0.0/24 192.168.10.100 [65001] lp100');
    const { hosts } = chain('', '', 65000);
    // Without r2's static route to the node subnet the next hop is not reachable.
    const r2 = { ...hosts[1]!, routes: [] };
    const hosts2 = [hosts[0]!, r2, hosts[2]!];
    const unreachable = runBgpNetwork(clusterOf(hosts2), [ciliumLike('n1', '192.168.10.100', 65001, '192.168.10.200', 65000, ['172.20.0.0/24'])], tablesOf(hosts2));
    expect(rib(unreachable, 'r2').find((l) => l.includes('172.20.0.0/24'))).toBe('   172.20.0.0/24 192.168.10.100 [65001] lp100');
    expect(installed(unreachable, 'r2')).toEqual([]);
    const nhsHosts = chain(' neighbor 10.0.12.2 next-hop-self', '', 65000).hosts.map((h, i) => (i === 1 ? { ...h, routes: [] } : h));
    const nhs = runBgpNetwork(clusterOf(nhsHosts), [ciliumLike('n1', '192.168.10.100', 65001, '192.168.10.200', 65000, ['172.20.0.0/24'])], tablesOf(nhsHosts));
    expect(rib(nhs, 'r2').find((l) => l.includes('172.20.0.0/24'))).toBe('*> 172.20.0.0/24 10.0.12.1 [65001] lp100');
  });

  it('route-map in sets local preference; prefix-list out filters', () => {
    const r = chain(
      ` address-family ipv4 unicast\n  neighbor 10.0.12.2 prefix-list NONE out\n exit-address-family\nip prefix-list NONE deny any`,
      ` neighbor 10.0.12.1 route-map LP in\nroute-map LP permit 10\n set local-preference 250`,
    ).run();
    expect(rib(r, 'r2')).toEqual(['*> 10.20.0.0/24 0.0.0.0 [] med0']);
    expect(r.routers.get('r1')!.adjRibOut.get('10.0.12.2')).toEqual([]);
  });

  it('no-export is not sent to eBGP peers', () => {
    const r = chain(
      ` neighbor 192.168.10.100 route-map NOEXP in\nroute-map NOEXP permit 10\n set community no-export`,
    ).run();
    expect(rib(r, 'r2')).toEqual(['*> 10.20.0.0/24 0.0.0.0 [] med0']);
  });

  it('own AS in the path is dropped (the node ignores its echoed CIDR; allowas-in accepts)', () => {
    const r = chain().run();
    const n1 = r.ciliumPeers[0]!;
    expect([n1.received, n1.accepted]).toEqual([2, 1]);
  });

  it('a route that loops back to its originator AS is not accepted by FRR', () => {
    const r = chain('', '', 65001).run();
    // r2 is AS 65001 like the node: r1's path 65000 65001 contains r2's AS.
    expect(rib(r, 'r2')).toEqual(['*> 10.20.0.0/24 0.0.0.0 [] med0']);
  });

  it('zebra keeps a connected route over a BGP route for the same prefix', () => {
    const r = chain('', '', 65100, '10.0.12').run();
    const e = r.routers.get('r1')!.locRib.find((x) => x.prefix.toCidrString() === '10.20.0.0/24')!;
    expect(e.installed).toBe(true);
    const r2e = r.routers.get('r2')!.locRib.find((x) => x.prefix.toCidrString() === '10.20.0.0/24')!;
    expect(r2e.installed).toBe(false);
  });

  it('RIB entries count route-table nodes (prefixes plus branch points)', () => {
    const p = (c: string) => IPv4CidrRange.fromCidr(c);
    expect(routeTableNodes([])).toBe(0);
    expect(routeTableNodes([p('10.0.0.0/8')])).toBe(1);
    expect(routeTableNodes([p('172.20.0.0/24'), p('172.20.1.0/24')])).toBe(3);
    expect(routeTableNodes([p('172.20.0.0/16'), p('172.20.1.0/24')])).toBe(2);
    expect(routeTableNodes(['10.10.1.0/24', '172.16.1.1/32', '172.20.0.0/24', '172.20.1.0/24', '172.20.2.0/24'].map(p))).toBe(9);
  });
});
