import { describe, it, expect } from 'vitest';
import { ciliumHostAddress } from '../../src/fib/index.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { renderRoutes } from '../../src/views/iproute2.js';
import { cluster, host, labCluster, node, pod } from './fixtures.js';

const trimmed = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

describe('base routing tables', () => {
  it("k8s-ctr's table matches the lab's ip route (cilium_host address by the model's rule)", () => {
    const t = baseRoutingTables(labCluster()).get('k8s-ctr')!;
    expect(trimmed(renderRoutes(t.main))).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '172.20.0.0/24 via 172.20.0.1 dev cilium_host proto kernel src 172.20.0.1',
      '172.20.0.1 dev cilium_host proto kernel scope link',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.100',
      '192.168.20.0/24 via 192.168.10.200 dev eth1 proto static',
    ]);
  });

  it("the router's base table matches the lab's ip route minus the BGP routes", () => {
    const t = baseRoutingTables(labCluster()).get('router')!;
    expect(trimmed(renderRoutes(t.main))).toEqual([
      'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
      '10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100',
      '10.10.1.0/24 dev loop1 proto kernel scope link src 10.10.1.200',
      '10.10.2.0/24 dev loop2 proto kernel scope link src 10.10.2.200',
      '192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.200',
      '192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.200',
    ]);
    expect(t.isNode).toBe(false);
  });

  it('prints every field followed by a space, as iproute2 does', () => {
    const t = baseRoutingTables(labCluster()).get('router')!;
    expect(renderRoutes(t.main).split('\n')[0]).toBe('default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 ');
  });

  it('pod-routes adds 172.20.0.0/16 (proto boot, not printed) after the longer 172.20.0.0/24', () => {
    const t = baseRoutingTables(labCluster({ podRoutes: true })).get('k8s-ctr')!;
    const lines = trimmed(renderRoutes(t.main));
    expect(lines.slice(2, 5)).toEqual([
      '172.20.0.0/24 via 172.20.0.1 dev cilium_host proto kernel src 172.20.0.1',
      '172.20.0.0/16 via 192.168.10.200 dev eth1',
      '172.20.0.1 dev cilium_host proto kernel scope link',
    ]);
  });

  it('skips pod addresses when choosing the cilium_host address', () => {
    const c = cluster({
      nodes: [node('n1', '10.0.0.1', '10.1.0.0/24')],
      hosts: [host('n1', { eth0: ['10.0.0.1/24'] })],
      pods: [pod('p', 'n1', '10.1.0.1')],
    });
    expect(ciliumHostAddress(c, 'n1')?.toString()).toBe('10.1.0.2');
  });

  it('auto-direct-node-routes: a route for a node on the same segment only', () => {
    const t = baseRoutingTables(labCluster({ config: { autoDirectNodeRoutes: true } }));
    const ctr = trimmed(renderRoutes(t.get('k8s-ctr')!.main));
    expect(ctr).toContain('172.20.1.0/24 via 192.168.10.101 dev eth1 proto kernel');
    expect(ctr.some((l) => l.startsWith('172.20.2.0/24'))).toBe(false);
    expect(t.get('k8s-ctr')!.warnings.join('\n')).toContain(
      'route to destination 192.168.20.100 contains gateway 192.168.10.200, must be directly reachable',
    );
  });

  it('tunnel mode: remote pod CIDRs via cilium_host with mtu 1450', () => {
    const t = baseRoutingTables(labCluster({ config: { routingMode: 'tunnel' } })).get('k8s-w1')!;
    const lines = trimmed(renderRoutes(t.main));
    expect(lines).toContain('172.20.0.0/24 via 172.20.1.1 dev cilium_host proto kernel src 172.20.1.1 mtu 1450');
    expect(lines).toContain('172.20.1.0/24 via 172.20.1.1 dev cilium_host proto kernel src 172.20.1.1');
    expect(lines).toContain('172.20.2.0/24 via 172.20.1.1 dev cilium_host proto kernel src 172.20.1.1 mtu 1450');
    expect(t.links.map((l) => l.name)).toEqual(['lo', 'eth0', 'eth1', 'cilium_net', 'cilium_host', 'cilium_vxlan']);
  });

  it('refuses a static route whose gateway is not on a connected subnet', () => {
    const c = cluster({ hosts: [host('h', { eth0: ['10.0.0.5/24'] }, '192.168.0.0/16 via 10.9.9.9\n10.8.0.0/16 via 10.0.0.1')] });
    const t = baseRoutingTables(c).get('h')!;
    expect(trimmed(renderRoutes(t.main))).toEqual([
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5',
      '10.8.0.0/16 via 10.0.0.1 dev eth0',
    ]);
    expect(t.warnings[0]).toContain('Nexthop has invalid gateway');
  });

  it('has local-table entries for every address', () => {
    const t = baseRoutingTables(labCluster()).get('k8s-ctr')!;
    expect(trimmed(renderRoutes(t.local, { tableFiltered: true }))).toEqual([
      'local 10.0.2.15 dev eth0 proto kernel scope host src 10.0.2.15',
      'broadcast 10.0.2.255 dev eth0 proto kernel scope link src 10.0.2.15',
      'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1',
      'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1',
      'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1',
      'local 172.20.0.1 dev cilium_host proto kernel scope host src 172.20.0.1',
      'local 192.168.10.100 dev eth1 proto kernel scope host src 192.168.10.100',
      'broadcast 192.168.10.255 dev eth1 proto kernel scope link src 192.168.10.100',
    ]);
  });
});
