import { describe, it, expect } from 'vitest';
import { connectedLookup, lookupRoute, ownerOf, reachabilityLookup, segments, sourceAddressLookup, withInstalledRoutes, type KernelRoute } from '../../src/fib/index.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { formatPrefix } from '../../src/net/addr.js';
import { renderRouteGet, renderRoutes, renderRoutesJson } from '../../src/views/iproute2.js';
import { cidr, ip, labCluster } from './fixtures.js';

const trimmed = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

const bgp = (dst: string, ...gws: [string, string][]): KernelRoute => ({
  table: 'main',
  type: 'unicast',
  dst: cidr(dst),
  nexthops: gws.map(([g, dev]) => ({ gateway: ip(g), dev, weight: 1 })),
  protocol: 'bgp',
  scope: 'universe',
  metric: 20,
  origin: 'zebra',
});

const installed = (etpLocal = false): ReadonlyMap<string, readonly KernelRoute[]> =>
  new Map([
    [
      'router',
      [
        bgp('172.20.0.0/24', ['192.168.10.100', 'eth1']),
        bgp('172.20.1.0/24', ['192.168.10.101', 'eth1']),
        bgp('172.20.2.0/24', ['192.168.20.100', 'eth2']),
        etpLocal
          ? bgp('172.16.1.1/32', ['192.168.20.100', 'eth2'], ['192.168.10.101', 'eth1'])
          : bgp('172.16.1.1/32', ['192.168.20.100', 'eth2'], ['192.168.10.101', 'eth1'], ['192.168.10.100', 'eth1']),
      ],
    ],
  ]);

describe('lookup', () => {
  it('ip route get 172.20.1.76 on k8s-ctr goes via the router with pod-routes (lab seed)', () => {
    const t = baseRoutingTables(labCluster({ podRoutes: true })).get('k8s-ctr')!;
    const r = lookupRoute(t, ip('172.20.1.76'));
    expect(renderRouteGet({ dst: ip('172.20.1.76') }, r).stdout).toBe(
      '172.20.1.76 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0 \n    cache \n',
    );
  });

  it('without pod-routes the packet follows the default route out of eth0', () => {
    const t = baseRoutingTables(labCluster()).get('k8s-ctr')!;
    const r = lookupRoute(t, ip('172.20.1.76'));
    expect(r.kind === 'unicast' && r.dev).toBe('eth0');
    expect(r.kind === 'unicast' && r.gateway?.toString()).toBe('10.0.2.2');
    expect(r.kind === 'unicast' && r.src?.toString()).toBe('10.0.2.15');
  });

  it('local pods go to cilium_host; own addresses are local', () => {
    const t = baseRoutingTables(labCluster()).get('k8s-ctr')!;
    const r = lookupRoute(t, ip('172.20.0.28'));
    expect(r.kind === 'unicast' && [r.dev, r.gateway?.toString(), r.src?.toString()]).toEqual([
      'cilium_host',
      '172.20.0.1',
      '172.20.0.1',
    ]);
    const l = lookupRoute(t, ip('192.168.10.100'));
    expect(renderRouteGet({ dst: ip('192.168.10.100') }, l).stdout).toBe(
      'local 192.168.10.100 dev lo table local src 192.168.10.100 uid 0 \n    cache <local> \n',
    );
  });

  it('from SRC: printed after the destination, src omitted; a foreign source is refused', () => {
    const t = baseRoutingTables(labCluster()).get('router')!;
    const r = lookupRoute(t, ip('192.168.10.100'), { src: ip('10.10.1.200') });
    expect(renderRouteGet({ dst: ip('192.168.10.100'), from: ip('10.10.1.200') }, r).stdout).toBe(
      '192.168.10.100 from 10.10.1.200 dev eth1 uid 0 \n    cache \n',
    );
    const bad = lookupRoute(t, ip('192.168.10.100'), { src: ip('1.2.3.4') });
    expect(renderRouteGet({ dst: ip('192.168.10.100'), from: ip('1.2.3.4') }, bad).stderr).toBe(
      'RTNETLINK answers: Invalid argument\n',
    );
  });

  it('no route: Network is unreachable', () => {
    const t = baseRoutingTables(labCluster()).get('k8s-ctr')!;
    const noDefault = { ...t, main: t.main.filter((r) => r.protocol !== 'dhcp') };
    expect(renderRouteGet({ dst: ip('8.8.8.8') }, lookupRoute(noDefault, ip('8.8.8.8'))).stderr).toBe(
      'RTNETLINK answers: Network is unreachable\n',
    );
  });

  it('lookup helpers for the BGP stage', () => {
    const tables = baseRoutingTables(labCluster());
    expect(sourceAddressLookup(tables)('k8s-w0', ip('192.168.10.200'))?.toString()).toBe('192.168.20.100');
    expect(sourceAddressLookup(tables)('router', ip('192.168.20.100'))?.toString()).toBe('192.168.20.200');
    expect(sourceAddressLookup(tables)('nope', ip('192.168.20.100'))).toBeUndefined();
    expect(reachabilityLookup(tables)('k8s-w0', ip('192.168.10.200'))).toBe(true);
    expect(connectedLookup(tables)('k8s-w0', ip('192.168.10.200'))).toBe(false);
    expect(connectedLookup(tables)('router', ip('192.168.20.100'))).toBe(true);
  });
});

describe('installed routes', () => {
  it("the router's table holds the pod CIDRs via the right node and device, proto bgp metric 20", () => {
    const tables = withInstalledRoutes(baseRoutingTables(labCluster()), installed());
    const lines = trimmed(renderRoutes(tables.get('router')!.main)).map((l) => l.replace(/nhid \d+ /, ''));
    expect(lines).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '10.10.1.0/24 dev loop1 proto kernel scope link src 10.10.1.200',
      '10.10.2.0/24 dev loop2 proto kernel scope link src 10.10.2.200',
      '172.16.1.1 proto bgp metric 20',
      '\tnexthop via 192.168.10.100 dev eth1 weight 1',
      '\tnexthop via 192.168.10.101 dev eth1 weight 1',
      '\tnexthop via 192.168.20.100 dev eth2 weight 1',
      '172.20.0.0/24 via 192.168.10.100 dev eth1 proto bgp metric 20',
      '172.20.1.0/24 via 192.168.10.101 dev eth1 proto bgp metric 20',
      '172.20.2.0/24 via 192.168.20.100 dev eth2 proto bgp metric 20',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.200',
      '192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.200',
    ]);
    // the base table is untouched; nodes are unchanged objects
    expect(baseRoutingTables(labCluster()).get('router')!.main.some((r) => r.protocol === 'bgp')).toBe(false);
  });

  it('allocates nhids: one per next hop, one per group; a single-path route shares its next hop id', () => {
    const tables = withInstalledRoutes(baseRoutingTables(labCluster()), installed());
    const bgpRoutes = tables.get('router')!.main.filter((r) => r.protocol === 'bgp');
    const ids = new Map(bgpRoutes.map((r) => [formatPrefix(r.dst), r.nhid]));
    expect(ids.get('172.16.1.1/32')).toBe(13);
    expect(ids.get('172.20.0.0/24')).toBe(10);
    expect(ids.get('172.20.1.0/24')).toBe(11);
    expect(ids.get('172.20.2.0/24')).toBe(12);
  });

  it('ip -j route has nexthops with gateway, dev, weight', () => {
    const tables = withInstalledRoutes(baseRoutingTables(labCluster()), installed(true));
    const parsed = JSON.parse(renderRoutesJson(tables.get('router')!.main)) as Record<string, unknown>[];
    const lb = parsed.find((o) => o['dst'] === '172.16.1.1');
    expect(lb).toEqual({
      dst: '172.16.1.1',
      nhid: 12,
      protocol: 'bgp',
      metric: 20,
      flags: [],
      nexthops: [
        { gateway: '192.168.10.101', dev: 'eth1', weight: 1, flags: [] },
        { gateway: '192.168.20.100', dev: 'eth2', weight: 1, flags: [] },
      ],
    });
    expect(parsed[0]).toEqual({
      dst: 'default',
      gateway: '10.0.2.2',
      dev: 'eth0',
      protocol: 'dhcp',
      prefsrc: '10.0.2.15',
      metric: 100,
      flags: [],
    });
  });

  it('ECMP: policy 0 ignores ports; policy 1 spreads source ports across members', () => {
    const base0 = baseRoutingTables(labCluster());
    const base1 = baseRoutingTables(labCluster({ routerSysctl: { 'net.ipv4.fib_multipath_hash_policy': '1' } }));
    const t0 = withInstalledRoutes(base0, installed()).get('router')!;
    const t1 = withInstalledRoutes(base1, installed()).get('router')!;
    expect(t1.multipathHashPolicy).toBe(1);
    const dst = ip('172.16.1.1');
    const src = ip('192.168.10.200');
    const members0 = new Set<number>();
    const members1 = new Set<number>();
    for (let sport = 32768; sport < 32868; sport++) {
      const flow = { protocol: 6, sport, dport: 80 };
      const r0 = lookupRoute(t0, dst, { src, flow });
      const r1 = lookupRoute(t1, dst, { src, flow });
      if (r0.kind === 'unicast') members0.add(r0.nexthopIndex);
      if (r1.kind === 'unicast') members1.add(r1.nexthopIndex);
    }
    expect(members0.size).toBe(1);
    expect(members1.size).toBe(3);
  });
});

describe('segments and owners', () => {
  it('finds the host that owns a next hop on the segment', () => {
    const tables = baseRoutingTables(labCluster());
    expect(ownerOf(tables, 'k8s-ctr', 'eth1', ip('192.168.10.200'))?.host).toBe('router');
    expect(ownerOf(tables, 'router', 'eth2', ip('192.168.20.100'))?.host).toBe('k8s-w0');
    expect(ownerOf(tables, 'k8s-ctr', 'eth0', ip('10.0.2.2'))).toBeUndefined();
    expect(ownerOf(tables, 'router', 'eth1', ip('192.168.20.100'))).toBeUndefined();
    const seg = segments(tables).find((s) => formatPrefix(s.network) === '192.168.10.0/24');
    expect(seg?.members.map((m) => `${m.host}/${m.dev}`)).toEqual(['k8s-ctr/eth1', 'k8s-w1/eth1', 'router/eth1']);
  });
});
