import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeDocuments, decodeScenario, parseYamlFiles, type DecodeError } from '../../src/input/decode.js';
import type { Scenario } from '../../src/input/types.js';
import { labFiles } from '../helpers/lab.js';

/** A scenario as JSON text, addresses and prefixes written out (cheap to compare). */
function plain(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v !== null && typeof v === 'object') {
      const o = v as { toCidrString?: () => string; getValue?: () => bigint; toString: () => string };
      if (typeof o.toCidrString === 'function') return o.toCidrString();
      if (typeof o.getValue === 'function') return o.toString();
    }
    return v;
  });
}

function ok(files: { file: string; text: string }[], set?: Record<string, string>): Scenario {
  const r = decodeScenario(files, set !== undefined ? { set } : {});
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return r.right;
}

function errors(files: { file: string; text: string }[], set?: Record<string, string>): readonly DecodeError[] {
  const r = decodeScenario(files, set !== undefined ? { set } : {});
  if (E.isRight(r)) throw new Error('expected errors');
  return r.left;
}

const BGP_BAD = `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: a, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: PodCIDR
---
apiVersion: cilium.io/v2
kind: CiliumBGPPeerConfig
metadata: {name: cilium-peer}
spec: {}
---
apiVersion: cilium.io/v2
kind: CiliumBGPClusterConfig
metadata:
  name: cilium-bgp
spec:
  bgpInstances:
  - name: "instance-65001"
    localASN: "abc"
`;

describe('decodeScenario on the bgp-lab', () => {
  const s = ok(labFiles());

  it('holds three nodes with their pod CIDRs and addresses', () => {
    expect(s.nodes.map((n) => [n.meta.name, n.podCIDRs.map((c) => c.toCidrString()), n.addresses.map((a) => `${a.type} ${a.address.toString()}`)])).toEqual([
      ['k8s-ctr', ['172.20.0.0/24'], ['InternalIP 192.168.10.100']],
      ['k8s-w0', ['172.20.2.0/24'], ['InternalIP 192.168.20.100']],
      ['k8s-w1', ['172.20.1.0/24'], ['InternalIP 192.168.10.101']],
    ]);
    expect(s.nodes[0]!.hostname).toBe('k8s-ctr');
    expect(s.nodes.every((n) => n.ready)).toBe(true);
  });

  it('holds the router with its interfaces, routes and FRR text', () => {
    const router = s.hosts.find((h) => h.meta.name === 'router')!;
    expect(router.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => `${a.address.toString()}/${a.prefixLength}`).join(' ')}`)).toEqual([
      'eth0 10.0.2.15/24',
      'eth1 192.168.10.200/24',
      'eth2 192.168.20.200/24',
      'loop1 10.10.1.200/24',
      'loop2 10.10.2.200/24',
    ]);
    expect(router.interfaces[1]!.addresses[0]!.network.toCidrString()).toBe('192.168.10.0/24');
    expect(router.routes).toHaveLength(1);
    expect(router.routes[0]!.protocol).toBe('dhcp');
    expect(router.frr).toContain('router bgp 65000');
    expect(router.frr!.endsWith('!\n')).toBe(true);
  });

  it('holds the webpod service and the curl pod', () => {
    expect(s.services).toHaveLength(1);
    const svc = s.services[0]!;
    expect(svc.meta).toMatchObject({ name: 'webpod', namespace: 'default' });
    expect(svc.type).toBe('ClusterIP');
    expect(svc.clusterIPs.map((a) => a.toString())).toEqual(['10.96.252.129']);
    expect(svc.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }]);
    expect(svc.selector).toEqual({ app: 'webpod' });
    expect(svc.externalTrafficPolicy).toBe('Cluster');
    expect(s.pods.map((p) => p.meta.name)).toEqual(['curl-pod']);
    expect(s.pods[0]!.podIPs.map((a) => a.toString())).toEqual(['172.20.0.247']);
    expect(s.pods[0]!.ready).toBe(true);
  });

  it('holds the BGP objects and the cilium-config data', () => {
    expect(s.bgpClusterConfigs[0]!.bgpInstances[0]!.peers[0]).toMatchObject({ name: 'tor-switch', peerASN: 65000, peerConfigRef: 'cilium-peer' });
    expect(s.bgpClusterConfigs[0]!.nodeSelector?.matchLabels).toEqual({ 'enable-bgp': 'true' });
    expect(s.bgpPeerConfigs[0]!.timers).toEqual({ holdTimeSeconds: 9, keepAliveTimeSeconds: 3 });
    expect(s.bgpPeerConfigs[0]!.families[0]!.advertisements?.matchLabels).toEqual({ advertise: 'bgp' });
    expect(s.ciliumConfig?.['routing-mode']).toBe('native');
    expect(s.ignored).toEqual([]);
  });

  it('replaces a document by a later one of the same identity (variants)', () => {
    const v = ok(labFiles(['lb.yaml', 'etp-local.yaml']));
    expect(v.services).toHaveLength(1);
    expect(v.services[0]!.type).toBe('LoadBalancer');
    expect(v.services[0]!.externalTrafficPolicy).toBe('Local');
    expect(v.services[0]!.ports[0]!.nodePort).toBe(31726);
    expect(v.lbIpPools[0]!.allowFirstLastIPs).toBe('No');
    expect(v.bgpAdvertisements.map((a) => a.meta.name)).toEqual(['bgp-advertisements', 'bgp-advertisements-lb-exip-webpod']);
  });
});

describe('errors', () => {
  it('reports a wrong field with file, document, kind/name and path', () => {
    const es = errors([{ file: 'lab/bgp.yaml', text: BGP_BAD }]);
    expect(es.map((e) => e.message)).toEqual([
      'lab/bgp.yaml#3 CiliumBGPClusterConfig/cilium-bgp: spec.bgpInstances[0].localASN: expected integer 1..4294967295, got "abc"',
    ]);
    expect(es[0]).toMatchObject({ file: 'lab/bgp.yaml', document: 3, kind: 'CiliumBGPClusterConfig', name: 'cilium-bgp', path: 'spec.bgpInstances[0].localASN' });
  });

  it('reports missing fields, wrong types and every error of a document', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: s, labels: {enable: true}}
spec:
  ports:
    - {port: http}
    - {name: b}
  clusterIP: 10.96.0.300
`;
    expect(errors([{ file: 'svc.yaml', text }]).map((e) => e.message)).toEqual([
      'svc.yaml#1 Service/s: metadata.labels.enable: expected a string (quote it), got true',
    ]);
    const text2 = text.replace('{enable: true}', '{enable: "true"}');
    expect(errors([{ file: 'svc.yaml', text: text2 }]).map((e) => e.message)).toEqual([
      'svc.yaml#1 Service/s: spec.ports[0].port: expected integer 1..65535, got "http"',
      'svc.yaml#1 Service/s: spec.ports[1].port: required field missing',
    ]);
  });

  it('reports semantic errors with the path of the field', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  clusterIP: 10.96.0.300
`;
    expect(errors([{ file: 'svc.yaml', text }]).map((e) => e.message)).toEqual([
      'svc.yaml#1 Service/s: spec.clusterIP: expected an IP address or None, got "10.96.0.300"',
    ]);
  });

  it('reports a document without kind or name', () => {
    expect(errors([{ file: 'x.yaml', text: 'apiVersion: v1\nmetadata: {name: a}\n' }]).map((e) => e.message)).toEqual([
      'x.yaml#1: kind: required field missing',
    ]);
    expect(errors([{ file: 'x.yaml', text: 'apiVersion: v1\nkind: Node\n' }]).map((e) => e.message)).toEqual([
      'x.yaml#1 Node/?: metadata.name: required field missing',
    ]);
    expect(errors([{ file: 'x.yaml', text: '- a\n- b\n' }]).map((e) => e.message)).toEqual([
      'x.yaml#1: expected a Kubernetes object (apiVersion, kind, metadata), got a list',
    ]);
  });

  it('reports broken YAML with file, line and column', () => {
    const es = errors([{ file: 'bad.yaml', text: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: [a, b\n' }]);
    expect(es.length).toBeGreaterThan(0);
    expect(es[0]!.file).toBe('bad.yaml');
    expect(es[0]!.line).toBeGreaterThanOrEqual(4);
    expect(es[0]!.column).toBeGreaterThanOrEqual(1);
    expect(es[0]!.message).toMatch(/^bad\.yaml:\d+:\d+: /);
  });

  it('reports duplicate keys as YAML errors', () => {
    const es = errors([{ file: 'd.yaml', text: 'kind: Node\nkind: Pod\n' }]);
    expect(es[0]!.message).toMatch(/^d\.yaml:2:1: /);
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'bcdefghij';
    for (let i = 0; i < names.length; i++) {
      const prev = i === 0 ? 'a' : names[i - 1];
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const t0 = performance.now();
    const r = parseYamlFiles([{ file: 'bomb.yaml', text: lines.join('\n') }]);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) expect(r.left[0]!.message).toMatch(/alias/i);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('keeps __proto__ and constructor keys as plain data, without touching prototypes', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {__proto__: x, constructor: y, toString: z}
spec: {__proto__: {polluted: true}}
`;
    const s = ok([{ file: 'p.yaml', text }]);
    const labels = s.pods[0]!.meta.labels;
    expect(Object.keys(labels).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(labels['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const s2 = ok([{ file: 'p.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n' }]);
    expect(s2.namespaces[0]!.meta.labels['constructor']).toBeUndefined();
  });

  it('refuses a file that is too large', () => {
    const r = parseYamlFiles([{ file: 'big.yaml', text: 'x'.repeat(10) }]);
    expect(E.isRight(r)).toBe(true);
  });

  it('never throws on odd documents', () => {
    for (const value of [42, 'text', [1, 2], { kind: 7 }, { apiVersion: 'v1', kind: 'Node', metadata: 'x' }, { apiVersion: 'v1', kind: 'List', items: 3 }]) {
      const r = decodeDocuments([{ file: 'f', index: 1, value }]);
      expect(E.isLeft(r)).toBe(true);
    }
  });
});

describe('decodeScenario reads as parseYamlFiles then decodeDocuments', () => {
  it('also when the fast reader gives up part way through a file, without repeating errors', () => {
    const text = 'apiVersion: v1\nkind: Node\nmetadata: {name: a, labels: {x: 1}}\n---\napiVersion: v1\nkind: Node\nmetadata: &m {name: b}\n';
    const viaStream = decodeScenario([{ file: 'f.yaml', text }]);
    const parsed = parseYamlFiles([{ file: 'f.yaml', text }]);
    expect(E.isRight(parsed)).toBe(true);
    const viaDocs = E.isRight(parsed) ? decodeDocuments(parsed.right) : parsed;
    expect(viaStream).toEqual(viaDocs);
    expect(E.isLeft(viaStream) && viaStream.left.map((e) => e.message)).toEqual(['f.yaml#1 Node/a: metadata.labels.x: expected a string (quote it), got 1']);
    const fixed = decodeScenario([{ file: 'f.yaml', text: text.replace('x: 1', 'x: "1"') }]);
    expect(E.isRight(fixed) && fixed.right.nodes.map((n) => n.meta.name)).toEqual(['a', 'b']);
  });

  it('on the lab and its variants', () => {
    const files = labFiles(['lb.yaml', 'webpod-3.yaml', 'pod-routes.yaml']);
    const parsed = parseYamlFiles(files);
    expect(E.isRight(parsed)).toBe(true);
    if (E.isRight(parsed)) expect(plain(decodeScenario(files))).toBe(plain(decodeDocuments(parsed.right)));
  });
});

describe('merging', () => {
  it('lists unknown kinds and other ConfigMaps as ignored', () => {
    const s = ok([
      {
        file: 'x.yaml',
        text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: web, namespace: prod}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b}\n',
      },
    ]);
    expect(s.ignored).toEqual([
      { source: 'x.yaml#2', apiVersion: 'v1', kind: 'ConfigMap', name: 'other', namespace: 'default' },
      { source: 'x.yaml#1', apiVersion: 'batch/v1', kind: 'CronJob', name: 'web', namespace: 'prod' },
    ]);
  });

  it('reads the items of a List', () => {
    const s = ok([{ file: 'l.yaml', text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n' }]);
    expect(s.namespaces.map((n) => n.meta.name)).toEqual(['a', 'b']);
    expect(s.namespaces[0]!.meta.labels['kubernetes.io/metadata.name']).toBe('a');
    const es = errors([{ file: 'l.yaml', text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node}\n' }]);
    expect(es[0]!.message).toBe('l.yaml#1 Node/?: items[0].metadata.name: required field missing');
  });

  it('treats cilium.io/v2alpha1 and v2 as the same identity; later wins', () => {
    const a = 'apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: [{cidr: 10.0.0.0/24}]}\n';
    const b = 'apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: [{start: 10.0.1.5}]}\n';
    const s = ok([{ file: 'a.yaml', text: a }, { file: 'b.yaml', text: b }]);
    expect(s.lbIpPools).toHaveLength(1);
    expect(s.lbIpPools[0]!.blocks).toHaveLength(1);
    expect('start' in s.lbIpPools[0]!.blocks[0]!).toBe(true);
  });

  it('drops the namespace of cluster-scoped kinds and defaults that of namespaced kinds', () => {
    const s = ok([{ file: 'a.yaml', text: 'apiVersion: v1\nkind: Node\nmetadata: {name: n, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' }]);
    expect(s.nodes[0]!.meta.namespace).toBeUndefined();
    expect(s.pods[0]!.meta.namespace).toBe('default');
  });

  it('gives the same scenario whatever the order of distinct documents', () => {
    const files = labFiles(['lb.yaml', 'webpod-3.yaml']);
    const forward = ok(files);
    const docs = files.flatMap((f) => f.text.split(/^---$/m).map((t) => ({ file: f.file, text: t })));
    const reversed = ok([...docs].reverse().filter((d) => !d.text.includes('kind: Service') && !d.text.includes('CiliumBGPAdvertisement')).concat(docs.filter((d) => d.text.includes('kind: Service') || d.text.includes('CiliumBGPAdvertisement'))));
    expect(plain(reversed)).toBe(plain(forward));
  });
});

describe('--set and cilium-config', () => {
  it('maps Helm names to cilium-config keys and overrides the ConfigMap', () => {
    const s = ok(labFiles(), { 'loadBalancer.algorithm': 'maglev', 'maglev.tableSize': '251', 'bpf-lb-mode': 'dsr', routingMode: 'tunnel' });
    expect(s.ciliumConfig?.['bpf-lb-algorithm']).toBe('maglev');
    expect(s.ciliumConfig?.['bpf-lb-maglev-table-size']).toBe('251');
    expect(s.ciliumConfig?.['bpf-lb-mode']).toBe('dsr');
    expect(s.ciliumConfig?.['routing-mode']).toBe('tunnel');
  });

  it('creates the data when the scenario has no cilium-config', () => {
    const s = ok([{ file: 'n.yaml', text: 'apiVersion: v1\nkind: Node\nmetadata: {name: n}\n' }], { 'bgpControlPlane.enabled': 'true' });
    expect(s.ciliumConfig).toEqual({ 'enable-bgp-control-plane': 'true' });
  });

  it('refuses an unknown Helm name', () => {
    const es = errors(labFiles(), { 'loadBalancer.algoritm': 'maglev' });
    expect(es[0]!.message).toMatch(/^--set loadBalancer\.algoritm=maglev: unknown setting "loadBalancer\.algoritm"/);
  });

  it('checks the values the model reads, with the path data.KEY', () => {
    const es = errors(labFiles(), { 'loadBalancer.algorithm': 'round-robin' });
    expect(es.map((e) => e.message)).toEqual([
      '--set loadBalancer.algorithm=round-robin: data.bpf-lb-algorithm: expected random or maglev, got "round-robin"',
    ]);
    const bad = labFiles().map((f) => (f.file.endsWith('01-cilium-config.yaml') ? { ...f, text: f.text.replace('bpf-lb-algorithm: random', 'bpf-lb-algorithm: rr') + '  bpf-lb-maglev-table-size: "1000"\n' } : f));
    expect(errors(bad).map((e) => e.message)).toEqual([
      'lab/01-cilium-config.yaml#1 ConfigMap/cilium-config: data.bpf-lb-algorithm: expected random or maglev, got "rr"',
      'lab/01-cilium-config.yaml#1 ConfigMap/cilium-config: data.bpf-lb-maglev-table-size: expected one of 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071, got "1000"',
    ]);
  });

  it('refuses unquoted numbers in ConfigMap data, as Kubernetes does', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata:\n  cluster-id: 0\n';
    expect(errors([{ file: 'c.yaml', text }]).map((e) => e.message)).toEqual([
      'c.yaml#1 ConfigMap/cilium-config: data.cluster-id: expected a string (quote it), got 0',
    ]);
  });
});

describe('hostile input', () => {
  it('refuses absurd nesting with a message, never a crash', () => {
    for (const text of ['['.repeat(100000) + ']'.repeat(100000), Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')]) {
      const r = decodeScenario([{ file: 'deep.yaml', text }]);
      expect(E.isLeft(r)).toBe(true);
      // too deep for the stack: "document nested too deeply"; else it decodes to a wrong document
      if (E.isLeft(r)) expect(r.left[0]!.message).toMatch(/^deep\.yaml[:#]\d+.*: (document nested too deeply: more than 64 levels of collections \(refused\)|expected a Kubernetes object .*|apiVersion: required field missing)$/);
    }
  });

  it('reads many keys and odd characters without trouble', () => {
    const labels = Array.from({ length: 20000 }, (_, i) => `    k${i}: v`).join('\n');
    const r = decodeScenario([{ file: 'k.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n${labels}\n` }]);
    expect(E.isRight(r) && Object.keys(r.right.pods[0]!.meta.labels).length).toBe(20000);
    const odd = String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 7919) % 65536));
    expect(E.isLeft(decodeScenario([{ file: 'o.yaml', text: odd }]))).toBe(true);
  });
});
