import { describe, it, expect } from 'vitest';
import { IPv4 } from 'ip-num';
import { loadLab } from '../helpers/lab.js';
import { createTwin } from '../../src/twin/twin.js';
import { lookupRoute } from '../../src/fib/lookup.js';
import { ownerOf } from '../../src/fib/neighbor.js';
import { ipv4ToU32 } from '../../src/net/addr.js';
import { Walk } from '../../src/packet/walk.js';

describe('compileNetwork', () => {
  const twin = createTwin(loadLab(['webpod-3.yaml', 'pod-routes.yaml', 'lb.yaml']));
  const net = twin.network();

  it('composes every stage once per twin', () => {
    expect(twin.network()).toBe(net);
    expect([...net.hosts.keys()]).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1', 'router']);
    expect([...net.nodes.keys()]).toEqual(['k8s-ctr', 'k8s-w0', 'k8s-w1']);
    expect(net.pods.get('default/curl-pod')?.node).toBe('k8s-ctr');
    expect(net.installed.get('router')?.some((r) => r.dst.toCidrString() === '172.16.1.1/32')).toBe(true);
    expect(net.config).toMatchObject({ routingMode: 'native', kubeProxyReplacement: true, nativeRoutingCIDR: '172.20.0.0/16' });
    expect(net.nodes.get('k8s-ctr')?.ciliumHostIP).toBe(ipv4ToU32('172.20.0.1'));
  });

  it('the walk\'s route lookup and ECMP member agree with the FIB stage (ip route get)', () => {
    const router = net.hosts.get('router')!;
    const table = net.tables.get('router')!;
    const w = new Walk(net);
    for (const dst of ['172.16.1.1', '172.20.1.76', '10.10.1.5', '8.8.8.8']) {
      for (let sport = 40000; sport < 40020; sport++) {
        const d = ipv4ToU32(dst)!;
        const route = w.lookup(router, d)!;
        const src = IPv4.fromString('192.168.10.200');
        const fib = lookupRoute(table, IPv4.fromString(dst), { src, flow: { protocol: 6, sport, dport: 80 } });
        if (fib.kind !== 'unicast') continue;
        const member = net.ecmpMember(router, route, { src: ipv4ToU32('192.168.10.200')!, dst: d, sport, dport: 80, proto: 6 });
        expect(member).toBe(fib.nexthopIndex);
        expect(route.nexthops[member]!.dev).toBe(fib.dev);
      }
    }
  });

  it('neighbour resolution agrees with the FIB stage\'s ownerOf', () => {
    const addrs = ['192.168.10.200', '192.168.10.101', '192.168.20.100', '10.0.2.2', '10.0.2.15', '172.20.1.1', '10.10.1.200'];
    for (const [name, host] of net.hosts) {
      for (const i of host.interfaces) {
        if (i.kind !== 'ethernet') continue;
        for (const a of addrs) {
          const ours = host.neighbor(i.name, ipv4ToU32(a)!);
          const theirs = ownerOf(net.tables, name, i.name, IPv4.fromString(a));
          expect(ours ? `${ours.host.name}/${ours.dev}` : undefined).toBe(theirs ? `${theirs.host}/${theirs.dev}` : undefined);
        }
      }
    }
  });
});

describe('document order', () => {
  it('the same traces whatever the order of the documents', async () => {
    const { labFiles } = await import('../helpers/lab.js');
    const { decodeScenario } = await import('../../src/input/decode.js');
    const { buildCluster } = await import('../../src/cluster/build.js');
    const { trace, traceJson } = await import('../../src/packet/trace.js');
    const docs = labFiles(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']).flatMap((f) =>
      f.text.split(/^---$/m).map((text, i) => ({ file: `${f.file}#${i}`, text, order: f.file.startsWith('variants') ? 1 : 0 })),
    );
    const requests = [
      { from: 'router', dst: '172.16.1.1', dport: 80 },
      { from: 'router', dst: '172.16.1.1', dport: 80, sport: 40001 },
      { from: 'curl-pod', dst: '10.96.252.129', dport: 80 },
      { from: 'k8s-w0', dst: '10.96.252.129', dport: 80, sport: 40002 },
    ];
    const run = (files: { file: string; text: string }[]): string => {
      const d = decodeScenario(files, { set: {} });
      if (d._tag === 'Left') throw new Error('decode');
      const n = createTwin(buildCluster(d.right)).network();
      return JSON.stringify(requests.map((r) => traceJson(trace(n, r))));
    };
    const expected = run(docs);
    let seed = 1;
    for (let k = 0; k < 3; k++) {
      // shuffle within base and within variants (a variant must come after what it replaces)
      const shuffled = [...docs]
        .map((d) => ({ d, key: (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) }))
        .sort((a, b) => a.d.order - b.d.order || a.key - b.key)
        .map((x) => x.d);
      expect(run(shuffled)).toBe(expected);
    }
  });
});
