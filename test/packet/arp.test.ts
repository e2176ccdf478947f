import { describe, expect, it } from 'vitest';
import { loadLab } from '../helpers/lab.js';
import { compileNetwork } from '../../src/network/compile.js';
import { arpRequest, neighboursAfter } from '../../src/packet/arp.js';
import { trace } from '../../src/packet/trace.js';
import { deviceMac } from '../../src/l2/hash.js';

describe('ARP on the bgp-lab (no L2 announcements)', () => {
  const net = compileNetwork(loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']));

  it('a host resolves its gateway: the router answers with its eth1 MAC', () => {
    const r = arpRequest(net, 'k8s-ctr', '192.168.10.200');
    expect(r).toEqual({ dev: 'eth1', source: '192.168.10.100', answer: { host: 'router', dev: 'eth1', mac: deviceMac('router', 'eth1'), l2: false } });
  });

  it('nobody answers for an address no one holds; a route-less target is unreachable', () => {
    expect(arpRequest(net, 'k8s-ctr', '192.168.10.77')).toEqual({ dev: 'eth1', source: '192.168.10.100' });
    expect(arpRequest(net, 'router', '192.168.10.77', 'lo')).toBe('Interface "lo" is not ARPable');
  });

  it('the neighbour entries after traffic: the next hop of each route step of the host', () => {
    const r = trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 });
    const n = neighboursAfter(net, 'router', [r]);
    expect(n).toHaveLength(1);
    expect(n[0]!.state).toBe('REACHABLE');
    expect(n[0]!.dev).toMatch(/^eth[12]$/);
    expect(neighboursAfter(net, 'router', [])).toEqual([]);
  });
});

describe('ARP on the l2-announcements lab', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const { decodeScenario } = await import('../../src/input/decode.js');
  const { buildCluster } = await import('../../src/cluster/build.js');
  const { ownerOf } = await import('../../src/fib/neighbor.js');
  const { IPv4 } = await import('ip-num');
  const { ipv4ToU32 } = await import('../../src/net/addr.js');
  const dir = 'examples/l2-announcements';
  const files = [
    ...readdirSync(`${dir}/lab`).sort().map((f) => `${dir}/lab/${f}`),
    `${dir}/variants/l2-policy.yaml`,
  ].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const d = decodeScenario(files);
  if (d._tag === 'Left') throw new Error(d.left.map((e) => e.message).join('\n'));
  const net = compileNetwork(buildCluster(d.right));

  it('the client resolves an announced IP to the lease holder, an unannounced one to nobody', () => {
    const blue = arpRequest(net, 'client', '192.168.10.210');
    expect(typeof blue !== 'string' && blue.answer).toEqual({ host: 'k8s-w1', dev: 'eth1', mac: deviceMac('k8s-w1', 'eth1'), l2: true });
    const red = arpRequest(net, 'client', '192.168.10.211');
    expect(typeof red !== 'string' && red.answer).toBeUndefined();
  });

  it("the network's neighbour resolution agrees with the FIB stage's ownerOf given the responders", () => {
    const responders = (net.spec.l2Responders ?? []).map((r) => ({ host: r.host, dev: r.dev, address: IPv4.fromString(r.address) }));
    expect(responders.length).toBeGreaterThan(0);
    const addrs = ['192.168.10.209', '192.168.10.210', '192.168.10.211', '192.168.10.100', '192.168.10.50', '10.0.2.15'];
    for (const [name, host] of net.hosts) {
      for (const i of host.interfaces) {
        if (i.kind !== 'ethernet') continue;
        for (const a of addrs) {
          const ours = host.neighbor(i.name, ipv4ToU32(a)!);
          const theirs = ownerOf(net.tables, name, i.name, IPv4.fromString(a), responders);
          expect(ours ? `${ours.host.name}/${ours.dev}` : undefined).toBe(theirs ? `${theirs.host}/${theirs.dev}` : undefined);
        }
      }
    }
  });
});
