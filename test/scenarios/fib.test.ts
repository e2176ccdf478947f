import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import { loadLab } from '../helpers/lab.js';
import { lookupRoute } from '../../src/fib/index.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { createTwin } from '../../src/twin/twin.js';
import { renderRouteGet, renderRoutes } from '../../src/views/iproute2.js';
import { ipCommand } from '../../src/cli/commands/ip-command.js';
import type { Cluster } from '../../src/cluster/types.js';

const lines = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

describe('bgp-lab: routing tables', () => {
  it('observation 2: with pod-routes, ip route get 172.20.1.76 on k8s-ctr goes via 192.168.10.200', () => {
    const cluster = loadLab(['webpod-2.yaml', 'pod-routes.yaml']);
    const out = ipCommand.run({ cluster, host: 'k8s-ctr', args: ['route', 'get', '172.20.1.76'], json: false });
    expect(out.exitCode).toBe(0);
    expect(lines(out.stdout)).toEqual(['172.20.1.76 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0', '    cache']);
    const again = ipCommand.run({ cluster, host: 'k8s-ctr', args: ['route', 'get', '172.20.2.68'], json: false });
    expect(lines(again.stdout)[0]).toBe('172.20.2.68 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0');
  });

  it('observation 1: without pod-routes the node sends other pod CIDRs to its default route (eth0)', () => {
    const table = baseRoutingTables(loadLab(['webpod-3.yaml'])).get('k8s-ctr')!;
    const r = lookupRoute(table, IPv4.fromString('172.20.1.76'));
    expect(renderRouteGet({ dst: IPv4.fromString('172.20.1.76') }, r).stdout.split('\n')[0]).toBe(
      '172.20.1.76 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0 ',
    );
  });

  it("the nodes' tables hold no BGP route", () => {
    for (const variants of [['webpod-3.yaml'], ['webpod-3.yaml', 'lb.yaml'], ['webpod-2.yaml', 'lb.yaml', 'pod-routes.yaml']]) {
      const tables = createTwin(loadLab(variants)).fibs();
      for (const node of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
        expect(tables.get(node)!.main.some((r) => r.protocol === 'bgp' || r.origin === 'zebra')).toBe(false);
      }
    }
  });

  it("k8s-ctr's ip route is the lab's, with the model's cilium_host address", () => {
    const cluster = loadLab(['webpod-3.yaml']);
    const out = ipCommand.run({ cluster, host: 'k8s-ctr', args: ['route'], json: false });
    expect(lines(out.stdout)).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '172.20.0.0/24 via 172.20.0.1 dev cilium_host proto kernel src 172.20.0.1',
      '172.20.0.1 dev cilium_host proto kernel scope link',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.100',
      '192.168.20.0/24 via 192.168.10.200 dev eth1 proto static',
    ]);
  });

  it("the router's connected routes are the lab's", () => {
    const table = baseRoutingTables(loadLab(['webpod-3.yaml'])).get('router')!;
    expect(lines(renderRoutes(table.main))).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '10.10.1.0/24 dev loop1 proto kernel scope link src 10.10.1.200',
      '10.10.2.0/24 dev loop2 proto kernel scope link src 10.10.2.200',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.200',
      '192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.200',
    ]);
  });
});

const noNhid = (l: string): string => l.replace(/ nhid \d+/, '');
const ipRoute = (cluster: Cluster, host = 'router', ...args: string[]) =>
  ipCommand.run({ cluster, host, args: args.length ? args : ['route'], json: false });

describe('bgp-lab: final tables with the routes zebra installs', () => {
  it('observation 1: the router holds the three pod CIDRs via the right node and device, proto bgp metric 20', () => {
    const out = lines(ipRoute(loadLab(['webpod-3.yaml'])).stdout).map(noNhid);
    expect(out).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '10.10.1.0/24 dev loop1 proto kernel scope link src 10.10.1.200',
      '10.10.2.0/24 dev loop2 proto kernel scope link src 10.10.2.200',
      '172.20.0.0/24 via 192.168.10.100 dev eth1 proto bgp metric 20',
      '172.20.1.0/24 via 192.168.10.101 dev eth1 proto bgp metric 20',
      '172.20.2.0/24 via 192.168.20.100 dev eth2 proto bgp metric 20',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.200',
      '192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.200',
    ]);
    expect(lines(ipRoute(loadLab(['webpod-3.yaml'])).stdout)[4]).toMatch(/^172\.20\.0\.0\/24 nhid \d+ via /);
  });

  it('observation 6: eTP=Cluster gives 172.16.1.1 three next hops, weight 1 each', () => {
    const out = lines(ipRoute(loadLab(['webpod-3.yaml', 'lb.yaml'])).stdout);
    const i = out.findIndex((l) => l.startsWith('172.16.1.1 '));
    expect(out[i]).toMatch(/^172\.16\.1\.1 nhid \d+ proto bgp metric 20$/);
    expect(new Set(out.slice(i + 1, i + 4))).toEqual(
      new Set([
        '\tnexthop via 192.168.10.100 dev eth1 weight 1',
        '\tnexthop via 192.168.20.100 dev eth2 weight 1',
        '\tnexthop via 192.168.10.101 dev eth1 weight 1',
      ]),
    );
  });

  it('observation 7: eTP=Local with webpod-2 keeps two next hops (k8s-w0, k8s-w1)', () => {
    const out = lines(ipRoute(loadLab(['webpod-2.yaml', 'lb.yaml', 'etp-local.yaml'])).stdout);
    const i = out.findIndex((l) => l.startsWith('172.16.1.1 '));
    expect(new Set(out.slice(i + 1, i + 3))).toEqual(
      new Set(['\tnexthop via 192.168.20.100 dev eth2 weight 1', '\tnexthop via 192.168.10.101 dev eth1 weight 1']),
    );
    expect(out[i + 3]?.startsWith('\t')).toBe(false);
  });

  it('observation 8: the router picks next hops by address only under policy 0, by 5-tuple under policy 1', () => {
    const base = loadLab(['webpod-3.yaml', 'lb.yaml']);
    const l4 = loadLab(['webpod-3.yaml', 'lb.yaml'], {});
    const policy1: Cluster = {
      ...l4,
      hosts: l4.hosts.map((h) =>
        h.meta.name === 'router' ? { ...h, sysctl: { ...h.sysctl, 'net.ipv4.fib_multipath_hash_policy': '1' } } : h,
      ),
    };
    const devsFor = (cluster: Cluster): Set<string> => {
      const seen = new Set<string>();
      for (let sport = 40000; sport < 40064; sport++) {
        const r = ipRoute(cluster, 'router', 'route', 'get', '172.16.1.1', 'from', '192.168.10.200', 'ipproto', 'tcp', 'sport', String(sport), 'dport', '80');
        seen.add(lines(r.stdout)[0] ?? '');
      }
      return seen;
    };
    expect(devsFor(base).size).toBe(1);
    expect(devsFor(policy1).size).toBe(3);
  });

  it('with ebgp-requires-policy and no route-map the router installs nothing', () => {
    const cluster = loadLab(['webpod-3.yaml', 'lb.yaml']);
    const strict: Cluster = {
      ...cluster,
      hosts: cluster.hosts.map((h) =>
        h.frr ? { ...h, frr: h.frr.replace(' no bgp ebgp-requires-policy\n', '') } : h,
      ),
    };
    expect(lines(ipRoute(strict).stdout).some((l) => l.includes('proto bgp'))).toBe(false);
  });
});
