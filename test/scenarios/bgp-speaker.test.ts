/**
 * bgp-lab observations 1, 3, 5, 6, 7 and 9 (ClusterIP with iTP=Local), Cilium's side: what each
 * node configures and sends, loaded from the embedded lab files.
 */
import { describe, it, expect } from 'vitest';
import { loadLab } from '../helpers/lab.js';
import { ciliumSpeakers, computeCiliumBgp } from '../../src/bgp/cilium/index.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';
import type { CiliumBgpResult } from '../../src/bgp/cilium/index.js';
import { renderCiliumBgpRoutes, renderRoutePolicies } from '../../src/views/bgp/cilium-bgp.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { createTwin } from '../../src/twin/twin.js';

const trim = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');

function sendersOf(r: CiliumBgpResult, prefix: string): string[] {
  return r.nodes.filter((n) => n.instances.some((i) => i.advertisements.some((a) => a.paths.some((p) => formatPrefix(p.prefix) === prefix)))).map((n) => n.node);
}

describe('bgp-lab: Cilium BGP speakers', () => {
  it('observation 1: each node sends its pod CIDR to the router with AS path 65001; nodes import nothing', () => {
    const r = computeCiliumBgp(loadLab(['webpod-3.yaml']));
    const sent = r.nodes.map((n) => {
      const s = n.instances[0]!.peers[0]!;
      const a = n.instances[0]!.advertisements[0]!;
      return [n.node, formatIp(s.peerAddress), formatIp(s.localAddress!), a.paths.map((p) => `${formatPrefix(p.prefix)} ${p.asPath.join(' ')} ${p.origin}`)];
    });
    expect(sent).toEqual([
      ['k8s-ctr', '192.168.10.200', '192.168.10.100', ['172.20.0.0/24 65001 igp']],
      ['k8s-w0', '192.168.10.200', '192.168.20.100', ['172.20.2.0/24 65001 igp']],
      ['k8s-w1', '192.168.10.200', '192.168.10.101', ['172.20.1.0/24 65001 igp']],
    ]);
    for (const n of r.nodes) {
      const imp = n.instances[0]!.policies.filter((p) => p.type === 'import');
      expect(imp.map((p) => p.name)).toEqual(['allow-local']);
    }
    const lab = loadLab(['webpod-3.yaml']);
    const base = baseRoutingTables(lab);
    const final = createTwin(lab).fibs();
    for (const node of ['k8s-ctr', 'k8s-w0', 'k8s-w1']) {
      expect(base.get(node)?.main.filter((x) => x.protocol === 'bgp')).toEqual([]);
      expect(final.get(node)?.main.filter((x) => x.protocol === 'bgp')).toEqual([]);
    }
    expect(final.get('router')?.main.filter((x) => x.protocol === 'bgp').map((x) => formatPrefix(x.dst))).toEqual(['172.20.0.0/24', '172.20.1.0/24', '172.20.2.0/24']);
  });

  it('observation 3: cilium bgp routes shows each pod CIDR, and 172.16.1.1/32 everywhere with lb.yaml', () => {
    const q = { table: 'available', afi: 'ipv4', safi: 'unicast' } as const;
    expect(trim(renderCiliumBgpRoutes(computeCiliumBgp(loadLab(['webpod-3.yaml'])), q))).toBe(
      [
        'Node      VRouter   Prefix          NextHop   Age   Attrs',
        'k8s-ctr   65001     172.20.0.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        'k8s-w0    65001     172.20.2.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        'k8s-w1    65001     172.20.1.0/24   0.0.0.0   0s    [{Origin: i} {Nexthop: 0.0.0.0}]',
        '',
      ].join('\n'),
    );
    const lb = computeCiliumBgp(loadLab(['webpod-3.yaml', 'lb.yaml']));
    for (const n of lb.nodes) expect(n.instances[0]!.rib.map((p) => formatPrefix(p.prefix))).toContain('172.16.1.1/32');
  });

  it('observation 5: route policies on k8s-w1', () => {
    const r = computeCiliumBgp(loadLab(['webpod-3.yaml', 'lb.yaml']));
    expect(trim(renderRoutePolicies(r, 'k8s-w1'))).toBe(
      [
        'VRouter   Policy Name                                             Type     Match Peers         Match Families   Match Prefixes (Min..Max Len)   RIB Action   Path Actions',
        '65001     allow-local                                             import                                                                        accept',
        '65001     tor-switch-ipv4-PodCIDR                                 export   192.168.10.200/32                    172.20.1.0/24 (24..24)          accept',
        '65001     tor-switch-ipv4-Service-webpod-default-LoadBalancerIP   export   192.168.10.200/32                    172.16.1.1/32 (32..32)          accept',
        '',
      ].join('\n'),
    );
  });

  it('observation 6: eTP=Cluster, all three nodes send 172.16.1.1/32 (also with two replicas)', () => {
    expect(sendersOf(computeCiliumBgp(loadLab(['webpod-3.yaml', 'lb.yaml'])), '172.16.1.1/32')).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    expect(sendersOf(computeCiliumBgp(loadLab(['webpod-2.yaml', 'lb.yaml', 'pod-routes.yaml'])), '172.16.1.1/32')).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
  });

  it('observation 7: eTP=Local with webpod-2, only k8s-w0 and k8s-w1 send it', () => {
    expect(sendersOf(computeCiliumBgp(loadLab(['webpod-2.yaml', 'lb.yaml', 'etp-local.yaml'])), '172.16.1.1/32')).toEqual(['k8s-w0', 'k8s-w1']);
  });

  it('ClusterIP advertisement with iTP=Local: only nodes with a local backend', () => {
    const three = computeCiliumBgp(loadLab(['webpod-3.yaml', 'pod-routes.yaml', 'external-clusterip.yaml', 'clusterip-itp-local.yaml']));
    expect(sendersOf(three, '10.96.252.129/32')).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    const two = computeCiliumBgp(loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'external-clusterip.yaml', 'clusterip-itp-local.yaml']));
    expect(sendersOf(two, '10.96.252.129/32')).toEqual(['k8s-w0', 'k8s-w1']);
    expect(two.nodes.find((n) => n.node === 'k8s-w1')!.instances[0]!.policies.map((p) => p.name)).toContain('tor-switch-ipv4-Service-webpod-default-ClusterIP');
  });

  it('speakers: one per node, eBGP 65001 to 65000, hold 9 / keepalive 3, multihop 2, graceful restart', () => {
    const sp = ciliumSpeakers(loadLab(['webpod-3.yaml', 'lb.yaml']));
    expect(sp.map((s) => `${s.host} ${s.kind} ${s.instance} ${s.asn} ${formatIp(s.routerId)} ${s.listenPort ?? '-'}`)).toEqual([
      'k8s-ctr cilium instance-65001 65001 192.168.10.100 -',
      'k8s-w0 cilium instance-65001 65001 192.168.20.100 -',
      'k8s-w1 cilium instance-65001 65001 192.168.10.101 -',
    ]);
    for (const s of sp) {
      const n = s.neighbors[0]!;
      expect([formatIp(n.address), n.remoteAs, n.holdTime, n.keepalive, n.ebgpMultihop, n.port, n.passive, n.gracefulRestart, n.families]).toEqual([
        '192.168.10.200',
        65000,
        9,
        3,
        2,
        179,
        false,
        true,
        ['ipv4-unicast'],
      ]);
      expect(n.exports?.every((p) => p.asPath.join() === '65001' && p.localPref === undefined && formatIp(p.nextHop) === '0.0.0.0')).toBe(true);
    }
  });
});
