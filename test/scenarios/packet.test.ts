/**
 * The bgp-lab's observations 1, 2, 6, 7, 8, 9 and 10 (shared/scenarios/bgp-lab/README.md) as
 * packet traces and curl outputs, on the full pipeline (input → cluster → IPAM → BGP → FIB →
 * LB maps → packet walk).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { labFiles, loadLab } from '../helpers/lab.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { compileNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';
import type { TraceRequest, TraceResult } from '../../src/packet/types.js';
import { curlCommand, kubectlExecCommand } from '../../src/cli/commands/curl.js';
import { traceCommand } from '../../src/cli/commands/trace.js';

const LB: TraceRequest = { from: 'router', dst: '172.16.1.1', dport: 80 };
const NODE_IP: Record<string, string> = { 'k8s-ctr': '192.168.10.100', 'k8s-w1': '192.168.10.101', 'k8s-w0': '192.168.20.100' };
const entry = (r: TraceResult): string | undefined => r.hops.find((h) => h.event === 'from-network')?.host;
const remoteAddr = (r: TraceResult): string | undefined =>
  r.answer?.body?.split('\n').find((l) => l.startsWith('RemoteAddr: '))?.slice('RemoteAddr: '.length);

/** The lab with the router's Host document changed: hash policy sysctl, extra static routes. */
function labWithRouter(variants: readonly string[], o: { hashPolicy?: number; routes?: readonly string[] }): Cluster {
  const hosts = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab', 'lab', '00-hosts.yaml'), 'utf8');
  const routerDoc = hosts.split(/^---$/m).find((d) => /name: router/.test(d))!;
  let text = routerDoc.replace(
    '    default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100\n',
    `    default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100\n${(o.routes ?? []).map((r) => `    ${r}\n`).join('')}`,
  );
  if (o.hashPolicy !== undefined) text = `${text.trimEnd()}\n  sysctl:\n    net.ipv4.fib_multipath_hash_policy: "${o.hashPolicy}"\n`;
  const decoded = decodeScenario([...labFiles(variants), { file: 'router-override.yaml', text }], { set: {} });
  if (isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildCluster(decoded.right);
}

function curl(cluster: Cluster, from: string, args: readonly string[]) {
  return curlCommand.run({ cluster, args, json: false, host: from });
}

describe('observation 1: pod CIDRs reach the router, not the nodes', () => {
  const cluster = loadLab(['webpod-3.yaml']);
  const net = compileNetwork(cluster);

  it('curl-pod reaches the webpod ClusterIP only when the chosen backend is on its own node', () => {
    let local = 0;
    let lost = 0;
    for (let sport = 40000; sport < 40060; sport++) {
      const r = trace(net, { from: 'curl-pod', dst: '10.96.252.129', dport: 80, sport });
      if (r.verdict === 'FORWARDED') {
        local++;
        expect(r.backend).toEqual({ pod: 'default/webpod-697b545f57-phntn', node: 'k8s-ctr', address: '172.20.0.28:80' });
      } else {
        lost++;
        expect(r.backend).toBeNull();
        expect(r.reason).toBe('no host of the model owns next hop 10.0.2.2 on k8s-ctr eth0: packet lost');
        expect(r.hops.find((h) => h.event === 'route')?.detail).toMatch(/via 10\.0\.2\.2 dev eth0: route default/);
      }
    }
    expect(local).toBeGreaterThan(0);
    expect(lost).toBeGreaterThan(local);
  });

  it('kubectl exec curl-pod -- curl -s --connect-timeout 1 webpod: the local Hostname, or nothing and exit 28', () => {
    const outs = [40000, 40001, 40002, 40003, 40004, 40005].map((p) =>
      curl(cluster, 'curl-pod', ['-s', '--connect-timeout', '1', '--local-port', String(p), 'webpod']),
    );
    for (const o of outs) {
      if (o.exitCode === 0) expect(o.stdout).toMatch(/^Hostname: webpod-697b545f57-phntn\n/);
      else expect(o).toEqual({ stdout: '', stderr: '', exitCode: 28 });
    }
    expect(new Set(outs.map((o) => o.exitCode))).toEqual(new Set([0, 28]));
    const summary = curl(cluster, 'default/curl-pod', ['-s', '--repeat', '30', 'webpod']);
    expect(summary.stdout).toMatch(/^ +\d+ Hostname: webpod-697b545f57-phntn\n$/);
    const viaKubectl = kubectlExecCommand.run({ cluster, args: ['-it', 'curl-pod', '--', 'curl', '-s', '--connect-timeout', '1', 'webpod'], json: false });
    expect(viaKubectl).toEqual(outs[0]);
    expect(kubectlExecCommand.run({ cluster, args: ['curl-pod', '--', 'ping', 'x'], json: false }).exitCode).toBe(2);
  });
});

describe('observation 2: pod-routes.yaml makes every backend reachable', () => {
  it('curl-pod reaches all three webpods', () => {
    const net = compileNetwork(loadLab(['webpod-3.yaml', 'pod-routes.yaml']));
    const pods = new Set<string>();
    for (let sport = 40000; sport < 40060; sport++) {
      const r = trace(net, { from: 'curl-pod', dst: '10.96.252.129', dport: 80, sport });
      expect(r.verdict).toBe('FORWARDED');
      expect(remoteAddr(r)).toBe(`172.20.0.247:${sport}`);
      pods.add(r.backend!.pod!);
    }
    expect(pods.size).toBe(3);
  });
});

describe('observation 6: eTP=Cluster', () => {
  it('a request entering k8s-ctr (no backend there) is SNATed: RemoteAddr is 192.168.10.100:<port>', () => {
    const net = compileNetwork(loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']));
    let viaCtr = 0;
    for (let sport = 40000; sport < 40030; sport++) {
      for (const srcAddress of [undefined, '10.10.1.200', '10.10.2.200']) {
        const r = trace(net, { ...LB, sport, ...(srcAddress ? { srcAddress } : {}) });
        const e = entry(r)!;
        if (r.backend && r.backend.node !== e) {
          expect(remoteAddr(r)).toBe(`${NODE_IP[e]}:${sport}`);
          expect(r.hops.some((h) => h.event === 'snat' && h.host === e)).toBe(true);
          if (e === 'k8s-ctr') viaCtr++;
        }
        if (r.verdict === 'FORWARDED') expect(r.reply).toEqual({ src: '172.16.1.1:80', dst: r.request.src });
      }
    }
    expect(viaCtr).toBeGreaterThan(0);
  });

  it('without pod-routes.yaml the forwarded packet follows k8s-ctr\'s default route out of eth0 and is lost', () => {
    const net = compileNetwork(loadLab(['webpod-2.yaml', 'lb.yaml']));
    let lostAtCtr = 0;
    for (let sport = 40000; sport < 40030; sport++) {
      const r = trace(net, { ...LB, sport });
      if (entry(r) === 'k8s-ctr') {
        expect(r.verdict).toBe('DROPPED');
        expect(r.reason).toBe('no host of the model owns next hop 10.0.2.2 on k8s-ctr eth0: packet lost');
        expect(r.outcome).toBe('timeout');
        lostAtCtr++;
      }
    }
    expect(lostAtCtr).toBeGreaterThan(0);
    expect(curl(net.cluster, 'router', ['-s', '172.16.1.1']).exitCode).toBe(28);
  });
});

describe('observation 7: eTP=Local', () => {
  const cluster = loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'etp-local.yaml']);
  const net = compileNetwork(cluster);

  it('only k8s-w0 and k8s-w1 receive the requests; each is answered on the node it entered with the router\'s address', () => {
    for (let sport = 40000; sport < 40030; sport++) {
      const r = trace(net, { ...LB, sport });
      const e = entry(r)!;
      expect(['k8s-w0', 'k8s-w1']).toContain(e);
      expect(r.verdict).toBe('FORWARDED');
      expect(r.backend!.node).toBe(e);
      expect(remoteAddr(r)).toBe(r.request.src);
      expect(r.request.src).toMatch(/^192\.168\.(10|20)\.200:/);
      expect(r.reply!.src).toBe('172.16.1.1:80');
    }
  });

  it('with --interface the backend sees 10.10.x.200', () => {
    for (const iface of ['10.10.1.200', '10.10.2.200']) {
      const r = trace(net, { ...LB, srcAddress: iface });
      expect(r.seenByBackend!.src).toBe(`${iface}:40000`);
      expect(r.backend!.node).toBe(entry(r));
    }
  });

  it('router$ curl -s 172.16.1.1 prints the whoami answer', () => {
    const o = curl(cluster, 'router', ['-s', '172.16.1.1']);
    expect(o.exitCode).toBe(0);
    expect(o.stdout).toMatch(/^Hostname: webpod-697b545f57-(hhjqw|8d2xs)\nIP: 127\.0\.0\.1\nIP: ::1\nIP: 172\.20\.[12]\.\d+\nIP: fe80::[0-9a-f:]+\nRemoteAddr: 192\.168\.(10|20)\.200:40000\nGET \/ HTTP\/1\.1\r\nHost: 172\.16\.1\.1\r\nUser-Agent: curl\/8\.5\.0\r\nAccept: \*\/\*\r\n\r\n$/);
  });
});

describe('observation 8: the router\'s ECMP hash policy', () => {
  it('policy 1 spreads source ports over next hops; policy 0 keeps them on one', () => {
    const variants = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];
    for (const [policy, spreads] of [[0, false], [1, true]] as const) {
      const cluster = labWithRouter(variants, { hashPolicy: policy });
      const net = compileNetwork(cluster);
      const nodes = new Set<string>();
      for (let i = 0; i < 100; i++) nodes.add(entry(trace(net, { ...LB, sport: 40000 + i }))!);
      expect(nodes.size > 1).toBe(spreads);
      if (spreads) expect(nodes).toEqual(new Set(['k8s-ctr', 'k8s-w1', 'k8s-w0']));
      const o = curl(cluster, 'router', ['-s', '--repeat', '100', '172.16.1.1']);
      expect(o.exitCode).toBe(0);
      const counts = o.stdout.trimEnd().split('\n').map((l) => Number(l.trim().split(' ')[0]));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    }
  });
});

describe('observation 9: the ClusterIP from outside', () => {
  it('non-routable without bpf-lb-external-clusterip (no answer); answered with it', () => {
    const variants = ['webpod-3.yaml', 'pod-routes.yaml', 'clusterip-itp-local.yaml'];
    const closed = compileNetwork(loadLab(variants));
    const r = trace(closed, { from: 'router', dst: '10.96.252.129', dport: 80 });
    expect(r).toMatchObject({ verdict: 'DROPPED', reason: 'Is a ClusterIP', outcome: 'timeout', dropCode: 174 });
    const open = compileNetwork(loadLab([...variants, 'external-clusterip.yaml']));
    for (let sport = 40000; sport < 40010; sport++) {
      const o = trace(open, { from: 'router', dst: '10.96.252.129', dport: 80, sport });
      expect(o.verdict).toBe('FORWARDED');
      // iTP=Local: the ClusterIP row only holds the entry node's backend; the client is kept
      expect(o.backend!.node).toBe(entry(o));
      expect(o.seenByBackend!.src).toBe(o.request.src);
    }
  });
});

describe('observation 10: DSR with Geneve and Maglev', () => {
  const variants = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'dsr-maglev.yaml'];

  it('a request entering k8s-ctr goes to the backend node in Geneve with the client address; the backend answers from the LB IP', () => {
    const net = compileNetwork(labWithRouter(variants, { routes: ['172.16.1.1/32 via 192.168.10.100 dev eth1'] }));
    for (let sport = 40000; sport < 40010; sport++) {
      const r = trace(net, { ...LB, sport });
      expect(entry(r)).toBe('k8s-ctr');
      expect(r.verdict).toBe('FORWARDED');
      expect(remoteAddr(r)).toBe(r.request.src);
      const overlay = r.hops.find((h) => h.event === 'to-overlay' && h.host === 'k8s-ctr')!;
      expect(overlay.detail).toMatch(new RegExp(`geneve 192\\.168\\.10\\.100 -> ${NODE_IP[r.backend!.node]!.replace(/\./g, '\\.')} with DSR option 172\\.16\\.1\\.1:80`));
      const answer = r.hops.findIndex((h) => h.event === 'answer');
      expect(r.hops.slice(answer).some((h) => h.host === 'k8s-ctr')).toBe(false);
      expect(r.reply!.src).toBe('172.16.1.1:80');
    }
  });

  it('every node picks the same backend for the same flow', () => {
    const nets = Object.values(NODE_IP).map((ip) =>
      compileNetwork(labWithRouter(variants, { routes: [`172.16.1.1/32 via ${ip} dev ${ip.startsWith('192.168.20') ? 'eth2' : 'eth1'}`] })),
    );
    const backends = new Set<string>();
    for (let sport = 40000; sport < 40040; sport++) {
      const picks = nets.map((n) => {
        // the same flow (same client address and port) whichever node it is sent to
        const r = trace(n, { ...LB, sport, srcAddress: '192.168.10.200' });
        return r.backend?.pod;
      });
      expect(new Set(picks).size).toBe(1);
      backends.add(picks[0]!);
    }
    expect(backends.size).toBe(2);
  });
});

describe('the overlay alternative (routing-mode tunnel, as the notes suggest when routing cannot be fixed)', () => {
  it('curl-pod and the node itself reach every backend through VXLAN without pod routes', () => {
    const net = compileNetwork(loadLab(['webpod-3.yaml'], { 'routing-mode': 'tunnel' }));
    const pods = new Set<string>();
    for (let sport = 40000; sport < 40030; sport++) {
      for (const from of ['curl-pod', 'k8s-ctr']) {
        const r = trace(net, { from, dst: '10.96.252.129', dport: 80, sport });
        expect(r.verdict).toBe('FORWARDED');
        if (r.backend!.node !== 'k8s-ctr') {
          expect(r.hops.some((h) => h.event === 'to-overlay' && /vxlan 192\.168\.10\.100 -> /.test(h.detail))).toBe(true);
          expect(r.hops.some((h) => h.event === 'from-overlay' && h.host === r.backend!.node)).toBe(true);
        }
        pods.add(r.backend!.pod!);
      }
    }
    expect(pods.size).toBe(3);
  });
});

describe('trace command', () => {
  it('prints the walk and the JSON contract', () => {
    const cluster = loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']);
    const text = traceCommand.run({ cluster, args: ['--from', 'router', '--to', '172.16.1.1:80'], json: false });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/verdict: +FORWARDED/);
    const json = JSON.parse(traceCommand.run({ cluster, args: ['--from', 'router', '--to', '172.16.1.1:80/TCP', '-o', 'json'], json: false }).stdout);
    expect(json.verdict).toBe('FORWARDED');
    expect(json.request).toEqual({ src: expect.stringMatching(/^192\.168\.(10|20)\.200:40000$/), dst: '172.16.1.1:80', proto: 'TCP' });
    expect(traceCommand.run({ cluster, args: ['--from', 'router'], json: false }).exitCode).toBe(2);
  });
});
