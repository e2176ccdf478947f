/**
 * BGP details of issue 18 item 3, end to end on the bgp-lab: service aggregation lengths (and
 * Local keeping the full length), CiliumBGPNodeConfigOverride (router ID, local ASN, local port,
 * the peer's local address), Ingress-owned services, and the per-peer route counts of
 * `cilium bgp peers` against what the router receives and sends.
 */
import { describe, it, expect } from 'vitest';
import { LB_LAB, LB_LAB_PATHS, cli, featureFile, twinOf } from './helpers.js';
import type { Twin } from '../../src/twin/twin.js';
import { formatIp, formatPrefix } from '../../src/net/addr.js';

const AGG = featureFile('variants/bgp-aggregation.yaml');
const OVR = featureFile('variants/bgp-node-override.yaml');


/**
 * Every Cilium peer row against the router's view of the same session: the Cilium side's
 * Advertised (less its End-of-RIB markers) is what the router received from it, and its
 * Received is what the router sent it.
 */
function countsAgree(t: Twin): { node: string; advertised: number; routerReceived: number; received: number; routerSent: number }[] {
  const bgp = t.bgp();
  const out = [];
  for (const row of bgp.ciliumPeers) {
    const mine = bgp.peers.find((p) => p.kind === 'cilium' && p.host === row.node && formatIp(p.neighbor.address) === formatIp(row.peerAddress))!;
    if (mine.localAddress === undefined) continue;
    const theirs = bgp.peers.find((p) => p.kind === 'frr' && p.host === 'router' && formatIp(p.neighbor.address) === formatIp(mine.localAddress!))!;
    const eor = mine.advertised - mine.sent;
    out.push({ node: row.node, advertised: row.advertised - eor, routerReceived: theirs.received, received: row.received, routerSent: theirs.sent });
  }
  return out;
}

describe('per-peer route counts: cilium bgp peers = what the router gets and gives', () => {
  const cases: [string, Twin][] = [
    ['lab + lb', twinOf(LB_LAB)],
    ['eTP Local', twinOf([...LB_LAB, 'etp-local.yaml'])],
    ['aggregation', twinOf(LB_LAB, [AGG])],
    ['node override', twinOf(LB_LAB, [OVR])],
  ];
  for (const [name, t] of cases) {
    it(name, () => {
      const rows = countsAgree(t);
      expect(rows.length).toBe(3);
      for (const r of rows) {
        expect(r.advertised, `${r.node} advertised`).toBe(r.routerReceived);
        expect(r.received, `${r.node} received`).toBe(r.routerSent);
      }
    });
  }
  it('eTP Local: only the nodes with a webpod advertise the LB IP (3 = 2 routes + End-of-RIB vs 2)', () => {
    const rows = twinOf([...LB_LAB, 'etp-local.yaml']).bgp().ciliumPeers.map((r) => [r.node, r.advertised]);
    expect(rows).toEqual([['k8s-ctr', 2], ['k8s-w0', 3], ['k8s-w1', 3]]);
  });
});

describe('service aggregation lengths (aggregationLengthIPv4)', () => {
  const t = twinOf(LB_LAB, [AGG]);
  it('webpod (eTP Cluster) is advertised as 172.16.1.0/24 by every node; webpod-local (eTP Local) keeps its /32 where it has a backend', () => {
    const adverts = t.ciliumBgp().nodes.map((n) => [n.node, n.instances[0]!.advertisements[0]!.paths.map((p) => formatPrefix(p.prefix)).sort()]);
    expect(adverts).toEqual([
      ['k8s-ctr', ['172.16.1.0/24', '172.20.0.0/24']],
      ['k8s-w0', ['172.16.1.0/24', '172.16.1.2/32', '172.20.2.0/24']],
      ['k8s-w1', ['172.16.1.0/24', '172.16.1.2/32', '172.20.1.0/24']],
    ]);
  });
  it('the router: 172.16.1.0/24 over three next hops, 172.16.1.2/32 over two', () => {
    const r = cli([...LB_LAB_PATHS, 'examples/service-features/variants/bgp-aggregation.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp');
    expect(r.stdout).toContain('*> 172.16.1.0/24    192.168.10.100                         0 65001 i\n*=                  192.168.10.101');
    expect(r.stdout).toMatch(/\*> 172\.16\.1\.2\/32    192\.168\.10\.101 +0 65001 i\n\*= +192\.168\.20\.100/);
  });
  it('the export policy matches the aggregate (24..24)', () => {
    const r = cli([...LB_LAB_PATHS, 'examples/service-features/variants/bgp-aggregation.yaml'], 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'bgp', 'route-policies');
    expect(r.stdout).toMatch(/tor-switch-ipv4-Service-webpod-default-LoadBalancerIP\s+export\s+192\.168\.10\.200\/32\s+172\.16\.1\.0\/24 \(24\.\.24\)/);
  });
});

describe('CiliumBGPNodeConfigOverride', () => {
  const t = twinOf(LB_LAB, [OVR]);
  it('the NodeConfig of k8s-w1 carries the override; the others do not', () => {
    const nc = t.ciliumBgp().nodeConfigs;
    const w1 = nc.find((n) => n.name === 'k8s-w1')!.bgpInstances[0]!;
    expect([w1.localASN, formatIp(w1.routerID!), w1.localPort, formatIp(w1.peers[0]!.localAddress!)]).toEqual([65011, '10.10.10.1', 1790, '192.168.10.101']);
    const ctr = nc.find((n) => n.name === 'k8s-ctr')!.bgpInstances[0]!;
    expect([ctr.localASN, ctr.routerID, ctr.localPort]).toEqual([65001, undefined, undefined]);
  });
  it('the router sees AS 65011 and router ID 10.10.10.1 on the session from 192.168.10.101', () => {
    const p = t.bgp().peers.find((x) => x.host === 'router' && formatIp(x.neighbor.address) === '192.168.10.101')!;
    expect([p.state, p.remoteAs, formatIp(p.remote!.routerId)]).toEqual(['Established', 65011, '10.10.10.1']);
    const r = cli([...LB_LAB_PATHS, 'examples/service-features/variants/bgp-node-override.yaml'], 'cilium', 'bgp', 'peers');
    expect(r.stdout).toMatch(/k8s-w1\s+65011\s+65000\s+192\.168\.10\.200\s+established/);
  });
  it('a local address the node does not own, or that the router does not know: the session stays down', () => {
    const t2 = twinOf(LB_LAB, [OVR.replace('localAddress: 192.168.10.101', 'localAddress: 10.0.2.15')]);
    const row = t2.bgp().ciliumPeers.find((r) => r.node === 'k8s-w1')!;
    expect(row.state).toBe('active');
  });
  it('an override naming another instance changes nothing', () => {
    const t3 = twinOf(LB_LAB, [OVR.replace('- name: instance-65001', '- name: instance-other')]);
    expect(t3.ciliumBgp().nodeConfigs.find((n) => n.name === 'k8s-w1')!.bgpInstances[0]!.localASN).toBe(65001);
  });
});

describe('services owned by Ingress', () => {
  it('the shared and dedicated cilium-ingress services are advertised like any LoadBalancer service', () => {
    const r = cli(['examples/bgp-lab/lab', 'examples/bgp-lab/variants/pod-routes.yaml', 'examples/ingress-l7/scenario'], 'cilium', 'bgp', 'routes', 'advertised', 'ipv4', 'unicast');
    expect(r.stdout.match(/172\.16\.1\.1\/32/g)?.length).toBe(3);
    expect(r.stdout.match(/172\.16\.1\.2\/32/g)?.length).toBe(3);
  });
});
