import { describe, expect, it } from 'vitest';
import { bpfIp4, renderArping, renderL2AnnounceTable, renderL2ResponderDump, renderLeases, renderNeighbours } from '../../src/views/l2.js';
import { IPv4 } from 'ip-num';

describe('L2 views', () => {
  it("bpftool's ip4: the reference's vector 10.0.10.0 -> 655370", () => {
    expect(bpfIp4('10.0.10.0')).toBe(655370);
    expect(bpfIp4('192.168.10.210')).toBe(0xd20aa8c0);
  });

  it('the responder map dump has the layout of the documentation', () => {
    expect(renderL2ResponderDump([{ ip: '10.0.10.0', ifindex: 50, responses: 20 }])).toBe(
      '[{\n        "key": {\n            "ip4": 655370,\n            "ifindex": 50\n        },\n        "value": {\n            "responses_sent": 20\n        }\n    }\n]\n',
    );
    expect(renderL2ResponderDump([])).toBe('[]\n');
    expect(JSON.parse(renderL2ResponderDump([{ ip: '10.0.10.0', ifindex: 50, responses: 0 }, { ip: '10.0.10.1', ifindex: 50, responses: 0 }]))).toHaveLength(2);
  });

  it("the l2-announce table as the documentation's db/show prints it", () => {
    expect(renderL2AnnounceTable([{ ip: IPv4.fromString('10.0.10.0'), dev: 'eth0', ifindex: 50, services: ['default/x'] }])).toBe('# IP        NetworkInterface\n10.0.10.0   eth0\n');
  });

  it("leases as the documentation's kubectl prints them", () => {
    const out = renderLeases([{ service: 'default/deathstar', name: 'cilium-l2announce-default-deathstar', namespace: 'kube-system', holder: 'worker-node', candidates: [], policies: [], entries: [] }], false);
    expect(out).toBe('NAME                                  HOLDER        AGE\ncilium-l2announce-default-deathstar   worker-node   <unknown>\n');
  });

  it('arping and ip neigh lines', () => {
    expect(renderArping({ target: '10.0.10.0', source: '10.0.10.9', dev: 'eth0', count: 1, mac: '02:42:ac:13:00:03' })).toBe(
      'ARPING 10.0.10.0 from 10.0.10.9 eth0\nUnicast reply from 10.0.10.0 [02:42:AC:13:00:03]  0.550ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n',
    );
    expect(renderNeighbours([{ address: '10.0.10.0', dev: 'eth0', mac: '02:42:ac:13:00:03', state: 'REACHABLE' }, { address: '10.0.10.1', dev: 'eth0', state: 'FAILED' }])).toBe(
      '10.0.10.0 dev eth0 lladdr 02:42:ac:13:00:03 REACHABLE\n10.0.10.1 dev eth0 FAILED\n',
    );
  });
});
