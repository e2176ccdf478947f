import { describe, it, expect } from 'vitest';
import { runBgpNetwork } from '../../../src/bgp/network/run.js';
import { runVtysh, vtyshCommandLines } from '../../../src/views/vtysh/vtysh.js';
import { frrUptime, memString } from '../../../src/views/vtysh/format.js';
import { clusterOf, ciliumLike, host, tablesOf } from '../../bgp/fixtures.js';
import { hostRoutingTable } from '../../../src/fib/base.js';
import type { Cluster } from '../../../src/cluster/types.js';

const FRR = `frr version 8.4.4
frr defaults traditional
hostname r1
router bgp 65000
 bgp router-id 1.1.1.1
 no bgp ebgp-requires-policy
 neighbor 192.168.10.100 remote-as external
 neighbor 192.168.10.77 remote-as 65077
 neighbor 192.168.10.77 description a very long description text
 neighbor 10.0.12.2 remote-as internal
 address-family ipv4 unicast
  network 10.10.0.0/16
 exit-address-family
exit
`;

function setup() {
  const r1 = host('r1', { eth1: '192.168.10.200/24', eth9: '10.0.12.1/24', loop: '10.10.0.1/16' }, FRR);
  const r2 = host('r2', { eth9: '10.0.12.2/24', loop: '10.99.0.1/24' }, `router bgp 65000\n bgp router-id 2.2.2.2\n neighbor 10.0.12.1 remote-as internal\n network 10.99.0.0/24\n`, [['192.168.10.0/24', '10.0.12.1']]);
  const n1 = host('n1', { eth1: '192.168.10.100/24' }, undefined, [['default', '192.168.10.200']]);
  const hosts = [r1, r2, n1];
  const bgp = runBgpNetwork(clusterOf(hosts), [ciliumLike('n1', '192.168.10.100', 65001, '192.168.10.200', 65000, ['172.20.0.0/24', '172.20.128.128/25'])], tablesOf(hosts));
  return { bgp, r1, r2 };
}

const lines = (s: string) => s.split('\n');

describe('vtysh views', () => {
  const { bgp, r1, r2 } = setup();
  const stub = { scenario: { nodes: [] }, config: { routingMode: 'native' }, hosts: [r1, r2], ciliumNodes: [] } as unknown as Cluster;
  const on = (name: 'r1' | 'r2', cmd: string) => {
    const h = name === 'r1' ? r1 : r2;
    return runVtysh({ router: bgp.routers.get(name)!, host: h, table: hostRoutingTable(stub, h) }, cmd);
  };

  it('show ip bgp on an iBGP receiver: i status, LocPrf 100, local paths', () => {
    const out = lines(on('r2', 'show ip bgp').output);
    expect(out.slice(out.indexOf('   Network          Next Hop            Metric LocPrf Weight Path') + 1, -3)).toEqual([
      '*>i10.10.0.0/16     10.0.12.1                0    100      0 i',
      '*> 10.99.0.0/24     0.0.0.0                  0         32768 i',
      '*>i172.20.0.0/24    192.168.10.100                100      0 65001 i',
      '*>i172.20.128.128/25',
      '                    192.168.10.100                100      0 65001 i',
    ]);
    expect(out[out.length - 2]).toBe('Displayed  4 routes and 4 total paths');
  });

  it('show ip bgp summary: down neighbours show never and their state; descriptions are cut at 20', () => {
    const out = lines(on('r1', 'sh ip b su').output);
    expect(out.slice(8, 11)).toEqual([
      '10.0.12.2       4      65000         7         9        0    0    0 00:03:38            1        3 N/A',
      '192.168.10.77   4      65077         0         0        0    0    0    never       Active        0 a very long',
      '192.168.10.100  4      65001        77        77        0    0    0 00:03:38            2        2 N/A',
    ]);
  });

  it('show bgp ipv4 unicast summary has no AFI heading', () => {
    expect(lines(on('r1', 'show bgp ipv4 unicast summary').output)[0]).toBe('BGP router identifier 1.1.1.1, local AS number 65000 vrf-id 0');
  });

  it('show ip bgp PREFIX: internal path detail, longest match for an address, not in table', () => {
    const d = lines(on('r2', 'show ip bgp 172.20.0.9').output);
    expect(d.slice(0, 7)).toEqual([
      'BGP routing table entry for 172.20.0.0/24, version 3',
      'Paths: (1 available, best #1, table default)',
      '  Not advertised to any peer',
      '  65001',
      '    192.168.10.100 from 10.0.12.1 (1.1.1.1)',
      '      Origin IGP, localpref 100, valid, internal, best (First path received)',
      '      Last update: Fri Aug 15 06:41:04 2025',
    ]);
    expect(on('r2', 'show ip bgp 8.8.8.0/24').output).toBe('% Network not in table\n');
  });

  it('show ip route on r2: iBGP routes at distance 200, recursive next hops resolved through the static route', () => {
    const out = on('r2', 'show ip route bgp').output;
    expect(lines(out).filter((l) => l.startsWith('B'))).toEqual([
      'B>* 10.10.0.0/16 [200/0] via 10.0.12.1, eth9, weight 1, 00:03:38',
      'B>  172.20.0.0/24 [200/0] via 192.168.10.100 (recursive), weight 1, 00:03:38',
      'B>  172.20.128.128/25 [200/0] via 192.168.10.100 (recursive), weight 1, 00:03:38',
    ]);
    expect(lines(out).filter((l) => l.startsWith('  *'))).toEqual([
      '  *                         via 10.0.12.1, eth9, weight 1, 00:03:38',
      '  *                             via 10.0.12.1, eth9, weight 1, 00:03:38',
    ]);
  });

  it('show running-config echoes the configuration and adds what FRR always prints', () => {
    const out = lines(on('r2', 'show run').output);
    expect(out.slice(0, 7)).toEqual(['Building configuration...', '', 'Current configuration:', '!', 'frr version 8.4.4', 'frr defaults traditional', 'hostname r2']);
    expect(out.slice(-3)).toEqual(['!', 'end', '']);
  });

  it('unknown commands fail like vtysh', () => {
    expect(on('r1', 'show ip ospf')).toEqual({ output: '% Unknown command: show ip ospf\n', ok: false });
    expect(on('r1', 'configure terminal').ok).toBe(false);
    expect(on('r1', 'show ip bgp summary json')).toEqual({ output: '% JSON output is not modelled: show ip bgp summary json\n', ok: false });
  });

  it('splits -c arguments', () => {
    expect(vtyshCommandLines(['-c', 'show ip bgp', '-c', 'show', 'run'])).toEqual(['show ip bgp', 'show run']);
    expect(vtyshCommandLines(['show'])).toBe('vtysh: unknown option show');
  });

  it('formats uptimes and memory like FRR', () => {
    expect([frrUptime(0), frrUptime(218), frrUptime(90061), frrUptime(700000)]).toEqual(['00:00:00', '00:03:38', '1d01h01m', '01w1d02h']);
    expect([memString(0), memString(1), memString(1800), memString(11 * 1024 + 600)]).toEqual(['0 bytes', '1 byte', '1800 bytes', '12 KiB']);
  });
});
