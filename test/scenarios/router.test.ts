/**
 * bgp-lab observations 1, 2, 6, 7 and 8, the router's side: FRR's sessions with the nodes, its
 * BGP table, what zebra installs, and the ECMP member a flow takes; plus `ebgp-requires-policy`.
 */
import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import { isLeft } from 'fp-ts/lib/Either.js';
import { labFiles, loadLab } from '../helpers/lab.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { lookupRoute, withInstalledRoutes } from '../../src/fib/index.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { bgpNetworkOf } from '../../src/bgp/network/pipeline.js';
import { vtyshCommand } from '../../src/cli/commands/vtysh.js';
import { renderRoutes } from '../../src/views/iproute2.js';

const lines = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

function vtysh(cluster: Cluster, command: string): string {
  const r = vtyshCommand.run({ cluster, args: ['-c', command], json: false, host: 'router' });
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

function routerRoutes(cluster: Cluster): string[] {
  const installed = bgpNetworkOf(cluster).installed;
  const table = withInstalledRoutes(baseRoutingTables(cluster), installed).get('router')!;
  return lines(renderRoutes(table.main.filter((r) => r.protocol === 'bgp'), {}))
    .map((l) => l.replace(/ nhid \d+/, '').trim());
}

/** The lab with the router's frr text edited. */
function labWithFrr(variants: string[], edit: (frr: string) => string): Cluster {
  const files = labFiles(variants).map((f) => (f.file.endsWith('00-hosts.yaml') ? { ...f, text: f.text.replace(/frr: \|\n([\s\S]*?)(?=\n---|\n*$)/, (m) => edit(m)) } : f));
  const decoded = decodeScenario(files, { set: {} });
  if (isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildCluster(decoded.right);
}

describe('bgp-lab: the router', () => {
  it('observation 1: the router installs the three pod CIDRs via the right node and device', () => {
    const cluster = loadLab(['webpod-3.yaml']);
    expect(routerRoutes(cluster)).toEqual([
      '172.20.0.0/24 via 192.168.10.100 dev eth1 proto bgp metric 20',
      '172.20.1.0/24 via 192.168.10.101 dev eth1 proto bgp metric 20',
      '172.20.2.0/24 via 192.168.20.100 dev eth2 proto bgp metric 20',
    ]);
    const bgp = bgpNetworkOf(cluster);
    for (const node of ['k8s-ctr', 'k8s-w0', 'k8s-w1']) expect(bgp.installed.get(node) ?? []).toEqual([]);
  });

  it('observation 1: show ip bgp lists the pod CIDRs with path 65001 i and its own network with weight 32768', () => {
    const out = lines(vtysh(loadLab(['webpod-3.yaml']), 'show ip bgp'));
    expect(out.slice(out.indexOf('   Network          Next Hop            Metric LocPrf Weight Path') + 1)).toEqual([
      '*> 10.10.1.0/24     0.0.0.0                  0         32768 i',
      '*> 172.20.0.0/24    192.168.10.100                         0 65001 i',
      '*> 172.20.1.0/24    192.168.10.101                         0 65001 i',
      '*> 172.20.2.0/24    192.168.20.100                         0 65001 i',
      'Displayed  4 routes and 4 total paths',
    ]);
    expect(out[0]).toBe('BGP table version is 4, local router ID is 192.168.10.200, vrf id 0');
    expect(out[1]).toBe('Default local pref 100, local AS 65000');
  });

  it('observation 1: three sessions Established, one prefix received from each node (76/79 messages)', () => {
    const out = lines(vtysh(loadLab(['webpod-3.yaml']), 'show ip bgp summary'));
    expect(out).toEqual([
      'IPv4 Unicast Summary (VRF default):',
      'BGP router identifier 192.168.10.200, local AS number 65000 vrf-id 0',
      'BGP table version 4',
      'RIB entries 7, using 1344 bytes of memory',
      'Peers 3, using 2172 KiB of memory',
      'Peer groups 1, using 64 bytes of memory',
      'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
      '192.168.10.100  4      65001        76        79        0    0    0 00:03:38            1        4 N/A',
      '192.168.10.101  4      65001        76        79        0    0    0 00:03:38            1        4 N/A',
      '192.168.20.100  4      65001        76        79        0    0    0 00:03:38            1        4 N/A',
      'Total number of neighbors 3',
    ]);
  });

  it('cilium bgp peers counters: Received 5 / Advertised 3 with lb.yaml (the router echoes every best path)', () => {
    const bgp = bgpNetworkOf(loadLab(['webpod-3.yaml', 'lb.yaml']));
    expect(bgp.ciliumPeers.map((p) => [p.node, p.state, p.family, p.received, p.advertised, p.holdTime, p.keepalive])).toEqual([
      ['k8s-ctr', 'established', 'ipv4/unicast', 5, 3, 9, 3],
      ['k8s-w0', 'established', 'ipv4/unicast', 5, 3, 9, 3],
      ['k8s-w1', 'established', 'ipv4/unicast', 5, 3, 9, 3],
    ]);
  });

  it('observation 2: with pod-routes, k8s-ctr reaches 172.20.1.76 via the router', () => {
    const cluster = loadLab(['webpod-2.yaml', 'pod-routes.yaml']);
    const table = withInstalledRoutes(baseRoutingTables(cluster), bgpNetworkOf(cluster).installed).get('k8s-ctr')!;
    const r = lookupRoute(table, IPv4.fromString('172.20.1.76'));
    expect(r.kind === 'unicast' && [r.gateway?.toString(), r.dev]).toEqual(['192.168.10.200', 'eth1']);
  });

  it('observation 6: eTP=Cluster, 172.16.1.1 has three next hops; best by Router ID from 192.168.10.100', () => {
    const cluster = loadLab(['webpod-3.yaml', 'lb.yaml']);
    expect(routerRoutes(cluster)).toEqual([
      '172.16.1.1 proto bgp metric 20',
      'nexthop via 192.168.10.100 dev eth1 weight 1',
      'nexthop via 192.168.10.101 dev eth1 weight 1',
      'nexthop via 192.168.20.100 dev eth2 weight 1',
      '172.20.0.0/24 via 192.168.10.100 dev eth1 proto bgp metric 20',
      '172.20.1.0/24 via 192.168.10.101 dev eth1 proto bgp metric 20',
      '172.20.2.0/24 via 192.168.20.100 dev eth2 proto bgp metric 20',
    ]);
    expect(lines(vtysh(cluster, 'show ip bgp 172.16.1.1/32'))).toEqual([
      'BGP routing table entry for 172.16.1.1/32, version 5',
      'Paths: (3 available, best #1, table default)',
      '  Advertised to non peer-group peers:',
      '  192.168.10.100 192.168.10.101 192.168.20.100',
      '  65001',
      '    192.168.10.100 from 192.168.10.100 (192.168.10.100)',
      '      Origin IGP, valid, external, multipath, best (Router ID)',
      '      Last update: Fri Aug 15 06:41:04 2025',
      '  65001',
      '    192.168.10.101 from 192.168.10.101 (192.168.10.101)',
      '      Origin IGP, valid, external, multipath',
      '      Last update: Fri Aug 15 06:41:04 2025',
      '  65001',
      '    192.168.20.100 from 192.168.20.100 (192.168.20.100)',
      '      Origin IGP, valid, external, multipath',
      '      Last update: Fri Aug 15 06:41:04 2025',
    ]);
    const table = lines(vtysh(cluster, 'show ip bgp'));
    expect(table.filter((l) => l.startsWith('*'))).toContain('*=                  192.168.20.100                         0 65001 i');
    expect(lines(vtysh(cluster, 'show ip route bgp')).slice(-6, -3)).toEqual([
      'B>* 172.16.1.1/32 [20/0] via 192.168.10.100, eth1, weight 1, 00:03:38',
      '  *                      via 192.168.10.101, eth1, weight 1, 00:03:38',
      '  *                      via 192.168.20.100, eth2, weight 1, 00:03:38',
    ]);
  });

  it('observation 7: eTP=Local with webpod-2, 172.16.1.1 keeps two next hops (k8s-w0 and k8s-w1)', () => {
    const cluster = loadLab(['webpod-2.yaml', 'lb.yaml', 'etp-local.yaml']);
    const routes = routerRoutes(cluster);
    expect(routes.slice(0, 3)).toEqual([
      '172.16.1.1 proto bgp metric 20',
      'nexthop via 192.168.10.101 dev eth1 weight 1',
      'nexthop via 192.168.20.100 dev eth2 weight 1',
    ]);
    const detail = lines(vtysh(cluster, 'show ip bgp 172.16.1.1'));
    expect(detail[1]).toBe('Paths: (2 available, best #1, table default)');
    expect(detail[5]).toBe('    192.168.10.101 from 192.168.10.101 (192.168.10.101)');
    expect(detail[6]).toBe('      Origin IGP, valid, external, multipath, best (Router ID)');
  });

  it('observation 8: with hash policy 0 a flow keeps its next hop whatever its ports; with 1 ports spread flows', () => {
    const cluster = loadLab(['webpod-3.yaml', 'lb.yaml']);
    const base = withInstalledRoutes(baseRoutingTables(cluster), bgpNetworkOf(cluster).installed).get('router')!;
    const dst = IPv4.fromString('172.16.1.1');
    const src = IPv4.fromString('192.168.10.200');
    const members = (policy: number): Set<string> => {
      const table = { ...base, multipathHashPolicy: policy };
      const seen = new Set<string>();
      for (let sport = 40000; sport < 40064; sport++) {
        const r = lookupRoute(table, dst, { src, flow: { protocol: 6, sport, dport: 80 } });
        if (r.kind === 'unicast') seen.add(r.gateway?.toString() ?? '');
      }
      return seen;
    };
    expect(members(0).size).toBe(1);
    expect(members(1).size).toBeGreaterThan(1);
  });

  it('ebgp-requires-policy on without a route-map: sessions up, nothing installed, (Policy) in the summary', () => {
    const cluster = labWithFrr(['webpod-3.yaml', 'lb.yaml'], (frr) => frr.replace(/ *no bgp ebgp-requires-policy\n/, ''));
    expect(bgpNetworkOf(cluster).installed.get('router')).toEqual([]);
    const out = lines(vtysh(cluster, 'show ip bgp summary'));
    expect(out.slice(-4, -1)).toEqual([
      '192.168.10.100  4      65001        77        75        0    0    0 00:03:38     (Policy) (Policy) N/A',
      '192.168.10.101  4      65001        77        75        0    0    0 00:03:38     (Policy) (Policy) N/A',
      '192.168.20.100  4      65001        77        75        0    0    0 00:03:38     (Policy) (Policy) N/A',
    ]);
    expect(lines(vtysh(cluster, 'show ip bgp')).slice(-2)).toEqual([
      '*> 10.10.1.0/24     0.0.0.0                  0         32768 i',
      'Displayed  1 routes and 1 total paths',
    ]);
    expect(bgpNetworkOf(cluster).ciliumPeers.map((p) => p.received)).toEqual([0, 0, 0]);
  });
});
