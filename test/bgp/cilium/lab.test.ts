import { describe, it, expect } from 'vitest';
import { computeCiliumBgp, ciliumSpeakers } from '../../../src/bgp/cilium/index.js';
import { formatIp, formatPrefix } from '../../../src/net/addr.js';
import type { CiliumBgpResult } from '../../../src/bgp/cilium/index.js';
import { lab, labLbIps } from './fixtures.js';

function advertisedBy(result: CiliumBgpResult, prefix: string): string[] {
  return result.nodes
    .filter((n) => n.instances.some((i) => i.advertisements.some((a) => a.paths.some((p) => formatPrefix(p.prefix) === prefix))))
    .map((n) => n.node);
}

describe('bgp-lab (hand-built cluster)', () => {
  it('gives every enable-bgp node a NodeConfig owned by cilium-bgp', () => {
    const r = computeCiliumBgp(lab());
    expect(r.nodeConfigs.map((n) => [n.name, n.owner])).toEqual([
      ['k8s-ctr', 'cilium-bgp'],
      ['k8s-w0', 'cilium-bgp'],
      ['k8s-w1', 'cilium-bgp'],
    ]);
    expect(r.clusterConfigs[0]?.conditions.map((c) => c.status)).toEqual(['False', 'False', 'False']);
  });

  it('configures instance-65001 with the node IP as router ID and the PeerConfig settings', () => {
    const r = computeCiliumBgp(lab());
    const w0 = r.nodes.find((n) => n.node === 'k8s-w0')?.instances[0];
    expect(w0?.localASN).toBe(65001);
    expect(formatIp(w0!.routerId)).toBe('192.168.20.100');
    expect(w0?.listenPort).toBeUndefined();
    const s = w0!.peers[0]!;
    expect(formatIp(s.peerAddress)).toBe('192.168.10.200');
    expect(s.peerASN).toBe(65000);
    expect(s.sessionType).toBe('ebgp');
    expect(formatIp(s.localAddress!)).toBe('192.168.20.100');
    expect(s.timers).toEqual({ connectRetryTimeSeconds: 120, holdTimeSeconds: 9, keepAliveTimeSeconds: 3 });
    expect(s.ebgpMultihopTTL).toBe(2);
    expect(s.gracefulRestart).toEqual({ enabled: true, restartTimeSeconds: 15 });
    expect(s.families).toEqual([{ afi: 'ipv4', safi: 'unicast' }]);
    expect(s.peerPort).toBe(179);
  });

  it('advertises each node pod CIDR (origin IGP, AS path 65001) and nothing else', () => {
    const r = computeCiliumBgp(lab());
    const got = r.nodes.map((n) => [n.node, n.instances[0]!.advertisements[0]!.paths.map((p) => [formatPrefix(p.prefix), p.origin, p.asPath.join(' '), formatIp(p.nextHop)])]);
    expect(got).toEqual([
      ['k8s-ctr', [['172.20.0.0/24', 'igp', '65001', '0.0.0.0']]],
      ['k8s-w0', [['172.20.2.0/24', 'igp', '65001', '0.0.0.0']]],
      ['k8s-w1', [['172.20.1.0/24', 'igp', '65001', '0.0.0.0']]],
    ]);
  });

  it('observation 5: the three route policies on k8s-w1', () => {
    const c = lab({ lb: true });
    const r = computeCiliumBgp(c, { lbIps: labLbIps(c) });
    const w1 = r.nodes.find((n) => n.node === 'k8s-w1')!.instances[0]!;
    expect(
      w1.policies.map((p) => [
        p.name,
        p.type,
        p.statements.map((s) => [s.matchNeighbors.map(formatIp).join(','), s.matchPrefixes.map((m) => `${formatPrefix(m.prefix)} (${m.lenMin}..${m.lenMax})`).join(','), s.routeAction]),
      ]),
    ).toEqual([
      ['allow-local', 'import', [['', '', 'accept']]],
      ['tor-switch-ipv4-PodCIDR', 'export', [['192.168.10.200', '172.20.1.0/24 (24..24)', 'accept']]],
      ['tor-switch-ipv4-Service-webpod-default-LoadBalancerIP', 'export', [['192.168.10.200', '172.16.1.1/32 (32..32)', 'accept']]],
    ]);
  });

  it('observation 6: eTP=Cluster, every node advertises 172.16.1.1/32', () => {
    const c = lab({ lb: true, webpods: 2 });
    expect(advertisedBy(computeCiliumBgp(c, { lbIps: labLbIps(c) }), '172.16.1.1/32')).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
  });

  it('observation 7: eTP=Local with two replicas, only k8s-w0 and k8s-w1 advertise it', () => {
    const c = lab({ lb: true, etpLocal: true, webpods: 2 });
    expect(advertisedBy(computeCiliumBgp(c, { lbIps: labLbIps(c) }), '172.16.1.1/32')).toEqual(['k8s-w0', 'k8s-w1']);
  });

  it('ClusterIP with iTP=Local: only nodes with a local backend', () => {
    expect(advertisedBy(computeCiliumBgp(lab({ clusterIpItpLocal: true, webpods: 3 })), '10.96.252.129/32')).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    expect(advertisedBy(computeCiliumBgp(lab({ clusterIpItpLocal: true, webpods: 2 })), '10.96.252.129/32')).toEqual(['k8s-w0', 'k8s-w1']);
  });

  it('speakers carry the wire paths and meet the neutral type', () => {
    const c = lab({ lb: true });
    const sp = ciliumSpeakers(c, { lbIps: labLbIps(c) });
    expect(sp.map((s) => [s.host, s.kind, s.asn, formatIp(s.routerId)])).toEqual([
      ['k8s-ctr', 'cilium', 65001, '192.168.10.100'],
      ['k8s-w0', 'cilium', 65001, '192.168.20.100'],
      ['k8s-w1', 'cilium', 65001, '192.168.10.101'],
    ]);
    const n = sp[0]!.neighbors[0]!;
    expect(n).toMatchObject({ remoteAs: 65000, holdTime: 9, keepalive: 3, port: 179, passive: false, ebgpMultihop: 2, families: ['ipv4-unicast'], label: 'tor-switch' });
    expect(n.localAddress).toBeUndefined();
    expect(n.exports?.map((p) => formatPrefix(p.prefix))).toEqual(['172.16.1.1/32', '172.20.0.0/24']);
    expect(sp[0]!.originated.map((p) => formatPrefix(p.prefix))).toEqual(['172.16.1.1/32', '172.20.0.0/24']);
  });
});
