/**
 * What the mesh changes in each cluster's datapath: routes to the remote nodes' pod CIDRs, the
 * remote backends of global services (shared, affinity), the ipcache's remote pods and nodes,
 * identities carrying the cluster ID, and traffic across clusters.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { isRight } from 'fp-ts/lib/Either.js';
import { loadScenario } from '../../src/twin/load.js';
import { ipcacheEntries } from '../../src/datapath/ipcache/ipcache.js';
import { config, mesh, node } from './helpers.js';
import { formatPrefix } from '../../src/net/addr.js';

const V = 'examples/cluster-mesh/variants';
const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());

/** The backends `cilium-dbg service list` shows for webpod on a node (west or east ClusterIP). */
function webpodBackends(out: string): string[] {
  const all = lines(out);
  const i = all.findIndex((l) => / 10\.[23]\.\d+\.\d+:80\/TCP /.test(l));
  const rows: string[] = [];
  for (let k = i; k >= 0 && k < all.length; k++) {
    const m = /\d+ => (\S+) \((\w+)\)( \(preferred\))?$/.exec(all[k]!);
    if (m === null || (k > i && !/^\s/.test(all[k]!))) break;
    rows.push(`${m[1]}${m[3] ?? ''}`);
  }
  return rows;
}

describe('routes between the clusters (auto-direct-node-routes)', () => {
  it('each node routes every remote node\'s pod CIDR via that node, as the lab\'s ip route showed', () => {
    const r = mesh('exec', 'west-control-plane', '--', 'ip', 'route');
    expect(lines(r.stdout)).toEqual([
      'default via 172.19.0.1 dev eth0',
      '10.0.0.0/24 via 10.0.0.1 dev cilium_host proto kernel src 10.0.0.1',
      '10.0.0.1 dev cilium_host proto kernel scope link',
      '10.0.1.0/24 via 172.19.0.2 dev eth0 proto kernel',
      '10.1.0.0/24 via 172.19.0.4 dev eth0 proto kernel',
      '10.1.1.0/24 via 172.19.0.5 dev eth0 proto kernel',
      '172.19.0.0/16 dev eth0 proto kernel scope link src 172.19.0.3',
      '',
    ]);
    expect(mesh('exec', 'east-worker', '--', 'ip', 'route').stdout).toContain('10.0.1.0/24 via 172.19.0.2 dev eth0 proto kernel');
  });

  it('without the mesh (one cluster alone) the other cluster\'s pod CIDRs are not routed', () => {
    expect(mesh('exec', 'west-control-plane', '--', 'ip', 'route').stdout).toContain('10.1.1.0/24');
    const alone = loadScenario([{ file: 'w.yaml', text: node('w1', '172.19.0.2', '10.0.1.0/24') + '---\n' + config({ 'routing-mode': 'native', 'auto-direct-node-routes': 'true' }) }]);
    expect(isRight(alone) && alone.right.fib('w1')!.main.every((r) => !formatPrefix(r.dst).startsWith('10.1.'))).toBe(true);
  });

  it('in tunnel mode the remote pod CIDRs go through cilium_host with the tunnel MTU', () => {
    const cfg = (name: string, id: string) => config({ 'cluster-name': name, 'cluster-id': id, 'routing-mode': 'tunnel' });
    const r = loadScenario([
      { file: 'a.yaml', text: node('a1', '172.19.0.2', '10.0.1.0/24') + '---\n' + cfg('a', '1'), cluster: 'a' },
      { file: 'b.yaml', text: node('b1', '172.19.0.5', '10.1.1.0/24') + '---\n' + cfg('b', '2'), cluster: 'b' },
    ]);
    expect(isRight(r)).toBe(true);
    if (!isRight(r)) return;
    const route = r.right.fib('a1')!.main.find((x) => formatPrefix(x.dst) === '10.1.1.0/24');
    expect(route?.nexthops[0]?.dev).toBe('cilium_host');
    expect(route?.mtu).toBe(1450);
    expect(ipcacheEntries(r.right.cluster, 'a1').find((e) => e.prefix === '10.1.1.0/24')?.tunnelEndpoint).toBe('172.19.0.5');
  });
});

describe('global services (service.cilium.io/global, shared, affinity)', () => {
  it('a global service has the ready endpoints of both clusters on every node of each', () => {
    const all = ['10.0.1.117:80/TCP', '10.0.1.155:80/TCP', '10.1.1.27:80/TCP', '10.1.1.179:80/TCP'];
    for (const n of ['west-control-plane', 'west-worker', 'east-control-plane', 'east-worker']) {
      expect(webpodBackends(mesh('exec', n, '--', 'cilium-dbg', 'service', 'list').stdout)).toEqual(all);
    }
  });

  it('affinity local: the local backends only while one is active; (preferred) with --clustermesh-affinity', () => {
    const r = mesh('-f', `kind-west=${V}/affinity-local.yaml`, 'exec', 'west-worker', '--', 'cilium-dbg', 'service', 'list', '--clustermesh-affinity');
    expect(webpodBackends(r.stdout)).toEqual(['10.0.1.117:80/TCP (preferred)', '10.0.1.155:80/TCP (preferred)']);
    // east has no affinity: it keeps all four
    expect(webpodBackends(mesh('-f', `kind-west=${V}/affinity-local.yaml`, 'exec', 'east-worker', '--', 'cilium-dbg', 'service', 'list').stdout)).toHaveLength(4);
    // west's pods not ready: the remote ones take over
    const down = mesh('-f', `kind-west=${V}/affinity-local.yaml`, '-f', `kind-west=${V}/west-webpods-not-ready.yaml`, 'exec', 'west-worker', '--', 'cilium-dbg', 'service', 'list', '--clustermesh-affinity');
    expect(webpodBackends(down.stdout)).toEqual(['10.1.1.27:80/TCP', '10.1.1.179:80/TCP']);
  });

  it('affinity remote: the remote backends, marked preferred', () => {
    const r = mesh('-f', `kind-west=${V}/affinity-remote.yaml`, 'exec', 'west-worker', '--', 'cilium-dbg', 'service', 'list', '--clustermesh-affinity');
    expect(webpodBackends(r.stdout)).toEqual(['10.1.1.27:80/TCP (preferred)', '10.1.1.179:80/TCP (preferred)']);
  });

  it('shared false: west keeps its backends to itself, east sees only its own', () => {
    const east = mesh('-f', `kind-west=${V}/shared-false.yaml`, 'exec', 'east-worker', '--', 'cilium-dbg', 'service', 'list');
    expect(webpodBackends(east.stdout)).toEqual(['10.1.1.27:80/TCP', '10.1.1.179:80/TCP']);
  });

  it('a service that is not global gets no remote backends, and a remote service that is not global exports none', () => {
    const local = 'apiVersion: v1\nkind: Service\nmetadata: {name: webpod, namespace: default}\nspec: {type: ClusterIP, clusterIP: 10.2.183.236, clusterIPs: [10.2.183.236], selector: {app: webpod}, ports: [{protocol: TCP, port: 80, targetPort: 80}]}\n';
    const t = '/tmp/mesh-local-webpod.yaml';
    writeFileSync(t, local);
    expect(webpodBackends(mesh('-f', `kind-west=${t}`, 'exec', 'west-worker', '--', 'cilium-dbg', 'service', 'list').stdout)).toEqual(['10.0.1.117:80/TCP', '10.0.1.155:80/TCP']);
    expect(webpodBackends(mesh('-f', `kind-west=${t}`, 'exec', 'east-worker', '--', 'cilium-dbg', 'service', 'list').stdout)).toEqual(['10.1.1.27:80/TCP', '10.1.1.179:80/TCP']);
  });

  it('the old annotation aliases work too (io.cilium/global-service)', () => {
    const t = '/tmp/mesh-alias-webpod.yaml';
    writeFileSync(
      t,
      'apiVersion: v1\nkind: Service\nmetadata: {name: webpod, namespace: default, annotations: {io.cilium/global-service: "true", io.cilium/service-affinity: remote}}\nspec: {type: ClusterIP, clusterIP: 10.2.183.236, clusterIPs: [10.2.183.236], selector: {app: webpod}, ports: [{protocol: TCP, port: 80, targetPort: 80}]}\n',
    );
    expect(webpodBackends(mesh('-f', `kind-west=${t}`, 'exec', 'west-worker', '--', 'cilium-dbg', 'service', 'list').stdout)).toEqual(['10.1.1.27:80/TCP', '10.1.1.179:80/TCP']);
  });
});

describe('identities and the ipcache across clusters', () => {
  it('identities start at cluster-id << 16 and carry io.cilium.k8s.policy.cluster', () => {
    const r = mesh('exec', 'west-worker', '--', 'cilium-dbg', 'bpf', 'ipcache', 'list');
    const out = lines(r.stdout);
    expect(out).toContain('10.0.1.188/32       identity=65536 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>');
    expect(out).toContain('10.1.1.81/32        identity=131072 encryptkey=0 tunnelendpoint=172.19.0.5 flags=hastunnel');
    expect(out).toContain('172.19.0.5/32       identity=6 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>');
  });

  it('a remote pod\'s identity labels name its own cluster', () => {
    const r = mesh('--context', 'kind-east', 'exec', 'east-worker', '--', 'cilium-dbg', 'bpf', 'ipcache', 'list');
    expect(lines(r.stdout)).toContain('10.0.1.155/32       identity=65537 encryptkey=0 tunnelendpoint=172.19.0.2 flags=hastunnel');
  });
});

describe('traffic across clusters', () => {
  it('pod to a pod of the other cluster: routed natively, no NAT, answered by the pod', () => {
    const r = mesh('--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', '10.1.1.179:80');
    expect(r.stdout).toContain('west-worker                     route         10.1.1.179 via 172.19.0.5 dev eth0: route 10.1.1.0/24 proto kernel');
    expect(r.stdout).toContain('seen by backend: 10.0.1.188:40000 -> 10.1.1.179:80');
    expect(r.stdout).toContain('verdict:         FORWARDED');
    const curl = mesh('exec', 'curl-pod', '--context', 'kind-east', '--', 'curl', '-s', '10.0.1.155');
    expect(lines(curl.stdout)[0]).toBe('Hostname: webpod-7c8f9d5b4-2xkqp');
    expect(curl.stdout).toContain('RemoteAddr: 10.1.1.81:40000');
  });

  it('pod to the global service: answered from both clusters, from the service address', () => {
    const hosts = new Set<string>();
    for (let p = 40000; p < 40012; p++) {
      const r = mesh('--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', '10.2.183.236:80', '--sport', String(p), '-o', 'json');
      const j = JSON.parse(r.stdout) as { verdict: string; reply: { src: string }; backend: { node: string } };
      expect(j.verdict).toBe('FORWARDED');
      expect(j.reply.src).toBe('10.2.183.236:80');
      hosts.add(j.backend.node);
    }
    expect([...hosts].sort()).toEqual(['east-worker', 'west-worker']);
  });

  it('affinity local keeps the flows in the cluster', () => {
    for (let p = 40000; p < 40006; p++) {
      const r = mesh('-f', `kind-west=${V}/affinity-local.yaml`, '--context', 'kind-west', 'trace', '--from', 'default/curl-pod', '--to', '10.2.183.236:80', '--sport', String(p), '-o', 'json');
      expect((JSON.parse(r.stdout) as { backend: { node: string } }).backend.node).toBe('west-worker');
    }
  });
});
