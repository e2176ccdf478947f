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
