import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import { loadLab } from '../helpers/lab.js';
import { baseRoutingTables, lookupRoute } from '../../src/fib/index.js';
import { finalRoutingTables } from '../../src/fib/final.js';
import { renderRouteGet, renderRoutes } from '../../src/views/iproute2.js';
import { ipCommand } from '../../src/cli/commands/ip-command.js';

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
      const tables = finalRoutingTables(loadLab(variants));
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
