import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import { ciliumConfigFrom } from '../../src/cluster/config.js';
import type { Cluster } from '../../src/cluster/types.js';
import {
  buildWorkloadCluster,
  expandWorkloads,
  fnv1a32,
  safeEncode,
  templateHash,
  randomSuffix,
  allocateClusterPool,
  NodeAllocator,
} from '../../src/workloads/index.js';
import { ciliumHostAddress } from '../../src/fib/base.js';
import { selectDevices, parseDevicesSetting, nodeDevices } from '../../src/cluster/devices.js';
import { commands } from '../../src/cli/commands/index.js';
import { parsePrefix, parseIp, prefixContains } from '../../src/net/addr.js';

function decode(text: string) {
  return decodeScenario([{ file: 't.yaml', text }]);
}
function cluster(text: string): Cluster {
  const r = decode(text);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return buildWorkloadCluster(r.right);
}
function run(c: Cluster, path: string, args: string[] = [], host?: string) {
  const cmd = commands.find((x) => x.path.join(' ') === path);
  if (!cmd) throw new Error(path);
  return cmd.run({ cluster: c, args, json: false, ...(host !== undefined ? { host } : {}) });
}

const node = (name: string, cidr: string | undefined, ip: string, extra = '') => `---
apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}${extra.includes('cp') ? ', node-role.kubernetes.io/control-plane: ""' : ''}${extra.includes('ssd') ? ', disk: ssd' : ''}}}
spec: {${cidr !== undefined ? `podCIDRs: [${cidr}]` : ''}${extra.includes('taint') ? `${cidr !== undefined ? ', ' : ''}taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]` : ''}}
status: {addresses: [{type: InternalIP, address: ${ip}}]}
`;
const NODES = node('n1', '10.1.1.0/24', '192.168.0.1', 'cp taint') + node('n2', '10.1.2.0/24', '192.168.0.2', 'ssd') + node('n3', '10.1.3.0/24', '192.168.0.3');
const CONFIG = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {ipam: kubernetes}
`;
const deploy = (name: string, replicas: number, spec = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: traefik/whoami, ports: [{name: http, containerPort: 8080}]}]
${spec}`;
const ANTI = (app: string) => `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: ${app}}}, topologyKey: kubernetes.io/hostname}
`;

describe('names', () => {
  it('FNV-1a and SafeEncodeString as Kubernetes computes them', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    // the lab's pod-template-hash decodes to a 32-bit decimal
    expect(safeEncode('2536101913')).toBe('697b545f57');
  });
  it('hashes have the real shape and change with the template', () => {
    const h = templateHash({ labels: { app: 'web' } });
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    expect(templateHash({ labels: { app: 'web' } })).toBe(h);
    expect(templateHash({ labels: { app: 'api' } })).not.toBe(h);
    expect(randomSuffix('default/web/0')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('API server validation of workloads', () => {
  const bad = (spec: string) => {
    const r = decode(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n${spec}`);
    return E.isLeft(r) ? r.left.map((e) => e.message) : [];
  };
  it('template labels that miss the selector', () => {
    expect(bad('  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: api, tier: x}}\n    spec: {containers: [{name: c}]}\n')).toEqual([
      't.yaml#1 Deployment/web: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"x"}: `selector` does not match template `labels`',
    ]);
  });
  it('an empty selector, a missing one, no containers', () => {
    expect(bad('  selector: {}\n  template: {spec: {containers: [{name: c}]}}\n')).toEqual([
      't.yaml#1 Deployment/web: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
    expect(bad('  template: {metadata: {labels: {app: web}}}\n')).toEqual([
      't.yaml#1 Deployment/web: spec.selector: Required value',
      't.yaml#1 Deployment/web: spec.template.spec.containers: Required value',
    ]);
  });
  it('ownerReferences: the API server\'s texts for empty fields and a second controller', () => {
    const msgs = (kind: string, refs: string, spec = '{containers: [{name: c}]}') => {
      const r = decode(`apiVersion: ${kind === 'Pod' ? 'v1' : 'apps/v1'}\nkind: ${kind}\nmetadata:\n  name: x\n  ownerReferences:\n${refs}spec: ${spec}\n`);
      return E.isLeft(r) ? r.left.map((e) => e.message) : [];
    };
    expect(msgs('Pod', '  - {apiVersion: apps/v1, kind: ReplicaSet, name: "", controller: true}\n')).toEqual([
      't.yaml#1 Pod/x: metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      't.yaml#1 Pod/x: metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ]);
    expect(msgs('Pod', '  - {apiVersion: apps/, kind: "", name: a, uid: u1}\n')).toEqual([
      't.yaml#1 Pod/x: metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      't.yaml#1 Pod/x: metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    ]);
    const two = '  - {apiVersion: apps/v1, kind: Deployment, name: a, uid: u1, controller: true}\n  - {apiVersion: apps/v1, kind: Deployment, name: b, uid: u2, controller: true}\n';
    expect(
      msgs('ReplicaSet', two, '{selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}'),
    ).toEqual([
      't.yaml#1 ReplicaSet/x: metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"Deployment","name":"a","uid":"u1","controller":true},{"apiVersion":"apps/v1","kind":"Deployment","name":"b","uid":"u2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for Deployment/a and Deployment/b',
    ]);
  });
  it('an owner reference cycle is refused at its first member, named in full', () => {
    const obj = (kind: string, name: string, ownerKind: string, owner: string, doc: string) =>
      `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  ownerReferences: [{apiVersion: apps/v1, kind: ${ownerKind}, name: ${owner}, uid: u-${owner}, controller: true}]\n${doc}`;
    const spec = 'spec: {selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}\n';
    const r = decode(obj('ReplicaSet', 'b', 'Deployment', 'a', spec) + '---\n' + obj('Deployment', 'a', 'ReplicaSet', 'b', spec));
    expect(E.isLeft(r) && r.left.map((e) => [e.document, e.path, e.message])).toEqual([
      [
        2,
        'metadata.ownerReferences',
        't.yaml#2 Deployment/a: metadata.ownerReferences: owner reference cycle in namespace default: Deployment/a -> ReplicaSet/b -> Deployment/a (the API server accepts it, but the garbage collector never collects these objects on its own; the twin refuses it)',
      ],
    ]);
    // a chain without a cycle, and a self-reference
    expect(E.isRight(decode(obj('ReplicaSet', 'b', 'Deployment', 'a', spec)))).toBe(true);
    const self = decode(obj('ReplicaSet', 'b', 'ReplicaSet', 'b', spec));
    expect(E.isLeft(self) && self.left[0]!.message).toContain('cycle in namespace default: ReplicaSet/b -> ReplicaSet/b');
  });
  it('an unknown kind is still only ignored', () => {
    const r = decode('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\n');
    expect(E.isRight(r) && r.right.ignored.map((i) => i.kind)).toEqual(['CronJob']);
  });
});

describe('controllers and the scheduler', () => {
  it('Deployment → ReplicaSet → pods spread over untainted nodes, names as Kubernetes forms them', () => {
    const c = cluster(NODES + CONFIG + deploy('web', 4));
    const rs = c.scenario.controllers!.filter((x) => x.kind === 'ReplicaSet');
    expect(rs).toHaveLength(1);
    const hash = rs[0]!.meta.labels['pod-template-hash']!;
    expect(rs[0]!.meta.name).toBe(`web-${hash}`);
    const pods = c.scenario.pods;
    expect(pods.map((p) => p.meta.name).every((n) => new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`).test(n))).toBe(true);
    expect(pods.map((p) => p.nodeName).sort()).toEqual(['n2', 'n2', 'n3', 'n3']);
    expect(pods.every((p) => p.meta.labels['pod-template-hash'] === hash && p.containers[0]!.ports[0]!.containerPort === 8080)).toBe(true);
  });

  it('an unplaceable replica stays Pending with the scheduler message, and is no endpoint', () => {
    const svc = `---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n`;
    const c = cluster(NODES + CONFIG + deploy('web', 3, ANTI('web')) + svc);
    const pending = c.scenario.pods.filter((p) => p.pendingMessage !== undefined);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.pendingMessage).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    const slice = c.endpointSlices.find((s) => s.serviceName === 'web')!;
    expect(slice.endpoints.map((e) => e.podRef?.name)).not.toContain(pending[0]!.meta.name);
    expect(slice.endpoints).toHaveLength(2);
    expect(slice.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const d = run(c, 'kubectl describe pod', [pending[0]!.meta.name]).stdout;
    expect(d).toContain('Warning  FailedScheduling  <unknown>  default-scheduler  0/3 nodes are available:');
  });

  it('tolerations, nodeSelector, nodeName, topology spread', () => {
    const tol = '      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n';
    expect(cluster(NODES + CONFIG + deploy('web', 3, tol)).scenario.pods.map((p) => p.nodeName).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(cluster(NODES + CONFIG + deploy('web', 2, '      nodeSelector: {disk: ssd}\n')).scenario.pods.map((p) => p.nodeName)).toEqual(['n2', 'n2']);
    const none = cluster(NODES + CONFIG + deploy('web', 1, '      nodeSelector: {disk: hdd}\n')).scenario.pods[0]!;
    expect(none.pendingMessage).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(cluster(NODES + CONFIG + deploy('web', 1, '      nodeName: n1\n')).scenario.pods[0]!.nodeName).toBe('n1');
    const spread = '      topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}]\n';
    expect(cluster(NODES + CONFIG + deploy('web', 4, spread)).scenario.pods.map((p) => p.nodeName).sort()).toEqual(['n2', 'n2', 'n3', 'n3']);
  });

  it('DaemonSet: one pod per eligible node; StatefulSet: ordinal names', () => {
    const ds = `---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: a, image: x}]}\n`;
    const sts = `---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: a, image: x}]}\n`;
    const c = cluster(NODES + CONFIG + ds + sts);
    const agents = c.scenario.pods.filter((p) => p.meta.labels['app'] === 'agent');
    expect(agents.map((p) => p.nodeName).sort()).toEqual(['n2', 'n3']);
    expect(agents.every((p) => /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.meta.name))).toBe(true);
    expect(c.scenario.pods.filter((p) => p.meta.labels['app'] === 'db').map((p) => p.meta.name)).toEqual(['db-0', 'db-1']);
    const out = run(c, 'kubectl get', ['ds,sts']).stdout;
    expect(out).toContain('daemonset.apps/agent');
    expect(out).toContain('statefulset.apps/db');
  });
});

describe('pod addresses', () => {
  it('kubernetes IPAM: router first, pods next in order; explicit addresses kept', () => {
    const pinned = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: fixed}\nspec: {nodeName: n2, containers: [{name: c}]}\nstatus: {podIP: 10.1.2.1}\n`;
    const c = cluster(NODES + CONFIG + deploy('web', 2, '      nodeSelector: {disk: ssd}\n') + pinned);
    const ips = c.scenario.pods.map((p) => `${p.meta.name.startsWith('web') ? 'web' : p.meta.name} ${p.podIPs[0]!.toString()}`).sort();
    expect(ips).toEqual(['fixed 10.1.2.1', 'web 10.1.2.3', 'web 10.1.2.4']);
    expect(ciliumHostAddress(c, 'n2')?.toString()).toBe('10.1.2.2');
  });
  it('hostNetwork pods take the node address', () => {
    const c = cluster(NODES + CONFIG + deploy('web', 1, '      hostNetwork: true\n'));
    expect(c.scenario.pods[0]!.podIPs[0]!.toString()).toBe(c.scenario.pods[0]!.nodeName === 'n2' ? '192.168.0.2' : '192.168.0.3');
  });
  it('cluster-pool: per-node CIDRs as the operator hands them out, in CiliumNodes', () => {
    const cfg = `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {ipam: cluster-pool, cluster-pool-ipv4-cidr: "10.0.0.0/8", cluster-pool-ipv4-mask-size: "24"}\n`;
    const c = cluster(node('a', undefined, '192.168.0.1') + node('b', '10.0.0.0/24', '192.168.0.2') + node('c', undefined, '192.168.0.3') + cfg + deploy('web', 2));
    expect(c.ciliumNodes.map((n) => `${n.meta.name} ${n.podCIDRs.map((p) => p.toCidrString()).join()}`)).toEqual(['a 10.0.1.0/24', 'b 10.0.0.0/24', 'c 10.0.2.0/24']);
    expect(allocateClusterPool(['10.0.0.0/8'], 24, [], 2).map((p) => p.toCidrString())).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    const al = new NodeAllocator(parsePrefix('10.0.0.0/30')!, []);
    expect([al.router?.toString(), al.next()?.toString(), al.next()]).toEqual(['10.0.0.1', '10.0.0.2', undefined]);
  });
});

describe('API server defaults for services', () => {
  const svc = (name: string, type: string, extra = '') => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {type: ${type}, selector: {app: web}, ports: [{port: 80}]${extra}}\n`;
  it('cluster IPs from the upper band of 10.96.0.0/12, node ports from 30086-32767, health check port for eTP Local', () => {
    const c = cluster(NODES + CONFIG + svc('a', 'ClusterIP') + svc('b', 'NodePort') + svc('c', 'LoadBalancer', ', externalTrafficPolicy: Local'));
    const s = new Map(c.scenario.services.map((x) => [x.meta.name, x]));
    expect(s.get('kubernetes')!.clusterIPs[0]!.toString()).toBe('10.96.0.1');
    for (const n of ['a', 'b', 'c']) {
      const ip = s.get(n)!.clusterIPs[0]!;
      expect(prefixContains(parsePrefix('10.96.0.0/12')!, ip)).toBe(true);
      expect(ip.value - parseIp('10.96.0.0')!.value).toBeGreaterThan(256n);
    }
    const np = s.get('b')!.ports[0]!.nodePort!;
    expect(np).toBeGreaterThanOrEqual(30086);
    expect(np).toBeLessThanOrEqual(32767);
    expect(s.get('a')!.ports[0]!.nodePort).toBeUndefined();
    expect(s.get('c')!.healthCheckNodePort).toBeGreaterThanOrEqual(30086);
  });
  it('a ServiceCIDR overrides the range; given values win', () => {
    const cidr = `---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec: {cidrs: [10.2.0.0/16]}\n`;
    const c = cluster(NODES + CONFIG + cidr + svc('a', 'NodePort', ', clusterIP: 10.2.0.50') + svc('b', 'ClusterIP'));
    const s = new Map(c.scenario.services.map((x) => [x.meta.name, x]));
    expect(s.get('kubernetes')!.clusterIPs[0]!.toString()).toBe('10.2.0.1');
    expect(s.get('a')!.clusterIPs[0]!.toString()).toBe('10.2.0.50');
    expect(s.get('b')!.clusterIPs[0]!.toString()).toMatch(/^10\.2\./);
  });
  it('default/kubernetes → control-plane nodes on 6443', () => {
    const c = cluster(NODES + CONFIG);
    const out = run(c, 'kubectl get', ['endpointslices']).stdout;
    expect(out).toBe('NAME         ADDRESSTYPE   PORTS   ENDPOINTS     AGE\nkubernetes   IPv4          6443    192.168.0.1   <unknown>\n');
  });
});

describe('devices', () => {
  const host = (names: string[]) => ({
    meta: { name: 'h', labels: {}, annotations: {} },
    interfaces: names.map((n, i) => ({ name: n, addresses: n === 'lo' ? [] : [{ address: parseIp(`10.0.${i}.1`)!, prefixLength: 24, network: parsePrefix(`10.0.${i}.0/24`)! }] })),
    routes: [],
    sysctl: {},
  });
  it('space or comma separated, + wildcards, ! exclusions, auto-detection', () => {
    expect(parseDevicesSetting('eth+ net+')).toEqual(['eth+', 'net+']);
    expect(parseDevicesSetting('eth0,eth1')).toEqual(['eth0', 'eth1']);
    const h = host(['lo', 'eth0', 'eth1', 'net0', 'lxc123', 'cilium_host', 'bond0']);
    expect(selectDevices(['eth+', 'net+'], h)).toEqual(['eth0', 'eth1', 'net0']);
    expect(selectDevices(['eth+', '!eth0'], h)).toEqual(['eth1']);
    expect(selectDevices([], h)).toEqual(['eth0', 'eth1', 'net0', 'bond0']);
  });
  it('on the lab: auto-detection picks eth0 and eth1; the status view prints them', () => {
    const r = decodeScenario(labFiles('bgp-lab'), { set: { devices: 'eth1' } });
    if (E.isLeft(r)) throw new Error('lab');
    const c = buildWorkloadCluster(r.right);
    expect(nodeDevices(c, 'k8s-ctr')).toEqual(['eth1']);
    expect(run(c, 'cilium-dbg status', [], 'k8s-ctr').stdout).toContain('Masquerading:            BPF   [eth1]   172.20.0.0/16 [IPv4: Enabled, IPv6: Disabled]');
  });
  it('the Masquerading line follows the egress stage: iptables mode, ip-masq-agent, disabled', () => {
    const line = (set: Record<string, string>): string | undefined => {
      const r = decodeScenario(labFiles('bgp-lab'), { set });
      if (E.isLeft(r)) throw new Error('lab');
      return run(buildWorkloadCluster(r.right), 'cilium-dbg status', [], 'k8s-ctr').stdout.split('\n').find((l) => l.startsWith('Masquerading:'));
    };
    expect(line({ 'enable-bpf-masquerade': 'false' })).toBe('Masquerading:            IPTables [IPv4: Enabled, IPv6: Disabled]');
    expect(line({ 'enable-ip-masq-agent': 'true', devices: 'eth1' })).toBe('Masquerading:            BPF (ip-masq-agent)   [eth1]   172.20.0.0/16 [IPv4: Enabled, IPv6: Disabled]');
    expect(line({ 'enable-ipv4-masquerade': 'false' })).toBe('Masquerading:            Disabled');
  });
});

function labFiles(dir: string, variants: string[] = []) {
  const root = join(import.meta.dirname, '..', '..', 'examples', dir);
  const base = readdirSync(join(root, 'lab')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join('lab', f));
  return [...base, ...variants.map((v) => join('variants', v))].map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') }));
}

describe('the bgp-lab written with Deployments (examples/bgp-lab-workloads)', () => {
  const load = (variants: string[] = [], extra: { file: string; text: string }[] = []) => {
    const r = decodeScenario([...labFiles('bgp-lab-workloads', variants), ...extra]);
    if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
    return buildWorkloadCluster(r.right);
  };
  const podRoutes = { file: 'pod-routes.yaml', text: readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'bgp-lab', 'variants', 'pod-routes.yaml'), 'utf8') };

  it('three webpods, one per node; curl-pod on k8s-ctr; services with computed addresses', () => {
    const c = load();
    expect(c.scenario.pods.map((p) => `${p.meta.name.replace(/-[a-z0-9]{10}-[a-z0-9]{5}$/, '-*')} ${p.nodeName}`).sort()).toEqual([
      'curl-pod k8s-ctr',
      'webpod-* k8s-ctr',
      'webpod-* k8s-w0',
      'webpod-* k8s-w1',
    ]);
    const svc = run(c, 'kubectl get svc').stdout;
    expect(svc).toMatch(/^kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP/m);
    expect(svc).toMatch(/^webpod +ClusterIP +10\.\d+\.\d+\.\d+ +<none> +80\/TCP/m);
  });

  it('curl-pod reaches every webpod once the pod routes are added, as in the hand-written lab', () => {
    const c = load([], [podRoutes]);
    const seen = new Set<string>();
    for (let p = 40000; p < 40030; p++) {
      const r = run(c, 'kubectl exec', ['curl-pod', '--', 'curl', '-s', '--local-port', String(p), 'webpod']);
      const h = r.stdout.split('\n').find((l) => l.startsWith('Hostname: '));
      if (h !== undefined) seen.add(h);
    }
    expect(seen.size).toBe(3);
  });

  it('with the control-plane taint, webpod-2 lands on the workers and the router reaches it through k8s-ctr with SNAT', () => {
    const c = load(['control-plane-taint.yaml', 'webpod-2.yaml', 'lb.yaml'], [podRoutes]);
    const nodes = c.scenario.pods.filter((p) => p.meta.labels['app'] === 'webpod').map((p) => p.nodeName).sort();
    expect(nodes).toEqual(['k8s-w0', 'k8s-w1']);
    const out = run(c, 'kubectl get svc').stdout;
    expect(out).toMatch(/^webpod +LoadBalancer +\S+ +172\.16\.1\.1 +80:3\d{4}\/TCP/m);
    const routes = run(c, 'cilium bgp routes').stdout;
    expect(routes).toContain('172.16.1.1/32');
  });

  it('the third replica stays Pending when k8s-ctr is tainted', () => {
    const c = load(['control-plane-taint.yaml']);
    const p = c.scenario.pods.find((x) => x.pendingMessage !== undefined)!;
    expect(p.pendingMessage).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    expect(run(c, 'kubectl get', ['pods']).stdout).toMatch(/webpod-\S+ +0\/1 +Pending/);
  });

  it('the hand-written lab is unchanged by the stage (given pods, addresses, cluster IP kept)', () => {
    const r = decodeScenario(labFiles('bgp-lab', ['webpod-3.yaml']));
    if (E.isLeft(r)) throw new Error('lab');
    const before = buildCluster(r.right);
    const after = expandWorkloads(r.right, ciliumConfigFrom(r.right.ciliumConfig)).scenario;
    expect(after.pods).toEqual(before.scenario.pods);
    // the API server fills in ipFamilies from the cluster IPs (ipv6, issue 18)
    expect(after.services.filter((s) => s.meta.name !== 'kubernetes')).toEqual(before.scenario.services.map((s) => ({ ...s, ipFamilies: ['IPv4'] })));
  });
});

describe('views', () => {
  it('kubectl get pods -o wide, nodes -o wide, cilium status', () => {
    const c = cluster(NODES + CONFIG + deploy('web', 1, '      nodeSelector: {disk: ssd}\n'));
    const name = c.scenario.pods[0]!.meta.name;
    expect(run(c, 'kubectl get', ['pods', '-o', 'wide']).stdout).toBe(
      `NAME${' '.repeat(name.length - 1)}READY   STATUS    RESTARTS   AGE         IP         NODE   NOMINATED NODE   READINESS GATES\n` +
        `${name}   1/1     Running   0          <unknown>   10.1.2.2   n2     <none>           <none>\n`,
    );
    expect(run(c, 'kubectl get', ['nodes']).stdout.split('\n')[1]).toBe('n1     Ready    control-plane   <unknown>   <unknown>');
    expect(run(c, 'cilium status').stdout).toContain('Cluster Pods:          1/1 managed by Cilium');
    expect(run(c, 'kubectl get', ['pods', 'nope']).exitCode).toBe(1);
    expect(run(c, 'kubectl get', ['widgets']).stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
  });
});
