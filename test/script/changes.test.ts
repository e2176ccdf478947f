import { describe, expect, it } from 'vitest';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../../src/script/patch.js';
import { kubectlChange } from '../../src/script/kubectl.js';
import { frrConfigure, hostChange, readSysctl } from '../../src/script/host.js';
import { ciliumConfigChange, helmChange } from '../../src/script/config.js';
import { findDocument, resourceType, type Documents } from '../../src/script/documents.js';
import type { ChangeContext, ChangeResult } from '../../src/script/change.js';
import { labDocuments } from './helpers.js';

const ctx: ChangeContext = { files: new Map([['pool.yaml', 'apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p2}\nspec:\n  blocks: [{cidr: 172.16.9.0/24}]\n']]), step: 1 };

function ok(r: ChangeResult | undefined): { docs: Documents; stdout: string } {
  if (r === undefined || r.kind !== 'done') throw new Error(`not done: ${JSON.stringify(r)}`);
  if (r.exitCode !== 0) throw new Error(`refused: ${r.stderr}`);
  return r;
}

function value(docs: Documents, type: string, name: string, ns = 'default'): Record<string, any> {
  const at = findDocument(docs, resourceType(type)!, ns, name);
  return docs[at]!.value as Record<string, any>;
}

describe('patches', () => {
  it('JSON merge patch: objects merge, null deletes, lists replace', () => {
    expect(jsonMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });

  it('strategic merge patch merges service ports by port and containers by name', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 80 }, { port: 443, targetPort: 8443 }] } };
    expect(strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 8080 }] } })).toEqual({
      spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] },
    });
    expect(strategicMergePatch(svc, { spec: { ports: [{ port: 443, $patch: 'delete' }] } })).toEqual({ spec: { ports: [{ port: 80, targetPort: 80 }] } });
    const dep = { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } } };
    expect(strategicMergePatch(dep, { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }] } } } })).toEqual({
      spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }] } } },
    });
    // a list without a merge key is replaced
    expect(strategicMergePatch({ spec: { externalIPs: ['1.1.1.1'] } }, { spec: { externalIPs: ['2.2.2.2'] } })).toEqual({ spec: { externalIPs: ['2.2.2.2'] } });
  });

  it('JSON patch applies add, remove, replace, test; refuses a path that does not exist', () => {
    expect(jsonPatch({ spec: { a: [1] } }, [{ op: 'add', path: '/spec/a/-', value: 2 }, { op: 'replace', path: '/spec/b', value: 1 }])).toEqual({
      ok: false,
      error: 'replace /spec/b: the path does not exist',
    });
    expect(jsonPatch({ spec: { a: [1] } }, [{ op: 'add', path: '/spec/a/-', value: 2 }, { op: 'test', path: '/spec/a/0', value: 1 }, { op: 'remove', path: '/spec/a/0' }])).toEqual({
      ok: true,
      value: { spec: { a: [2] } },
    });
  });
});

describe('kubectl changes', () => {
  const docs = labDocuments(['webpod-2.yaml', 'lb.yaml']);

  it('patch: strategic merge on a Service, merge on a custom resource, refusal of strategic on a custom resource', () => {
    const r = ok(kubectlChange(docs, ['patch', 'service', 'webpod', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}'], ctx));
    expect(r.stdout).toBe('service/webpod patched\n');
    expect(value(r.docs, 'svc', 'webpod').spec.externalTrafficPolicy).toBe('Local');
    expect(ok(kubectlChange(r.docs, ['patch', 'svc', 'webpod', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}'], ctx)).stdout).toBe('service/webpod patched (no change)\n');
    const crd = kubectlChange(docs, ['patch', 'ippool', 'cilium-pool', '-p', '{"spec":{"disabled":true}}'], ctx);
    expect(crd).toMatchObject({ kind: 'done', exitCode: 1 });
    expect(crd?.kind === 'done' && crd.stderr).toMatch(/strategic-merge-patch\+json is not supported by cilium.io/);
    const m = ok(kubectlChange(docs, ['patch', 'ippool', 'cilium-pool', '--type', 'merge', '-p', '{"spec":{"disabled":true}}'], ctx));
    expect(m.stdout).toBe('ciliumloadbalancerippool.cilium.io/cilium-pool patched\n');
    expect(value(m.docs, 'ippool', 'cilium-pool', '').spec.disabled).toBe(true);
    const j = kubectlChange(docs, ['patch', 'svc', 'webpod', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nothere"}]'], ctx);
    expect(j).toMatchObject({ kind: 'done', exitCode: 1 });
  });

  it('patch of a missing object is NotFound', () => {
    expect(kubectlChange(docs, ['patch', 'svc', 'nope', '-p', '{}'], ctx)).toMatchObject({ kind: 'done', exitCode: 1, stderr: 'Error from server (NotFound): services "nope" not found\n' });
  });

  it('label and unlabel, with kubectl --overwrite rule', () => {
    const r = ok(kubectlChange(docs, ['label', 'nodes', 'k8s-w0', 'enable-bgp-'], ctx));
    expect(r.stdout).toBe('node/k8s-w0 unlabeled\n');
    expect(value(r.docs, 'node', 'k8s-w0', '').metadata.labels['enable-bgp']).toBeUndefined();
    const back = ok(kubectlChange(r.docs, ['label', 'nodes', 'k8s-w0', 'enable-bgp=true'], ctx));
    expect(back.stdout).toBe('node/k8s-w0 labeled\n');
    expect(back.docs).toEqual(docs);
    expect(kubectlChange(docs, ['label', 'node', 'k8s-w0', 'enable-bgp=false'], ctx)).toMatchObject({ exitCode: 1, stderr: "error: 'enable-bgp' already has a value (true), and --overwrite is false\n" });
    expect(ok(kubectlChange(docs, ['label', 'node', 'k8s-w0', 'enable-bgp=false', '--overwrite'], ctx)).stdout).toBe('node/k8s-w0 labeled\n');
    expect(ok(kubectlChange(docs, ['label', 'nodes', 'k8s-ctr', 'k8s-w0', 'x=y'], ctx)).stdout).toBe('node/k8s-ctr labeled\nnode/k8s-w0 labeled\n');
    expect(ok(kubectlChange(docs, ['annotate', 'svc/webpod', 'a=b'], ctx)).stdout).toBe('service/webpod annotated\n');
  });

  it('apply, create, delete print what kubectl prints', () => {
    const a = ok(kubectlChange(docs, ['apply', '-f', 'pool.yaml'], ctx));
    expect(a.stdout).toBe('ciliumloadbalancerippool.cilium.io/p2 created\n');
    expect(ok(kubectlChange(a.docs, ['apply', '-f', 'pool.yaml'], ctx)).stdout).toBe('ciliumloadbalancerippool.cilium.io/p2 unchanged\n');
    expect(kubectlChange(a.docs, ['create', '-f', 'pool.yaml'], ctx)).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/AlreadyExists/) });
    const d = ok(kubectlChange(a.docs, ['delete', 'ippool', 'p2'], ctx));
    expect(d.stdout).toBe('ciliumloadbalancerippool.cilium.io "p2" deleted\n');
    expect(d.docs).toEqual(docs);
    expect(ok(kubectlChange(a.docs, ['delete', '-f', 'pool.yaml'], ctx)).docs).toEqual(docs);
    expect(kubectlChange(docs, ['apply', '-f', 'missing.yaml'], ctx)).toMatchObject({ exitCode: 1 });
  });

  it('cordon, taint, scale, rollout restart', () => {
    const c = ok(kubectlChange(docs, ['cordon', 'k8s-w0'], ctx));
    expect(c.stdout).toBe('node/k8s-w0 cordoned\n');
    expect(value(c.docs, 'node', 'k8s-w0', '').spec.unschedulable).toBe(true);
    expect(ok(kubectlChange(c.docs, ['uncordon', 'k8s-w0'], ctx)).docs).toEqual(docs);
    const t = ok(kubectlChange(docs, ['taint', 'nodes', 'k8s-w0', 'dedicated=x:NoSchedule'], ctx));
    expect(t.stdout).toBe('node/k8s-w0 tainted\n');
    expect(value(t.docs, 'node', 'k8s-w0', '').spec.taints).toEqual([{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    expect(ok(kubectlChange(t.docs, ['taint', 'nodes', 'k8s-w0', 'dedicated:NoSchedule-'], ctx)).stdout).toBe('node/k8s-w0 untainted\n');
    const dep: Documents = [
      ...docs,
      { file: 'd', index: 1, value: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'webpod', namespace: 'default' }, spec: { replicas: 3, template: { metadata: { labels: { app: 'webpod' } } } } } },
    ];
    const s = ok(kubectlChange(dep, ['scale', 'deployment', 'webpod', '--replicas', '2'], ctx));
    expect(s.stdout).toBe('deployment.apps/webpod scaled\n');
    expect(value(s.docs, 'deploy', 'webpod').spec.replicas).toBe(2);
    const rr = ok(kubectlChange(dep, ['rollout', 'restart', 'deploy/webpod'], { ...ctx, step: 61 }));
    expect(rr.stdout).toBe('deployment.apps/webpod restarted\n');
    expect(value(rr.docs, 'deploy', 'webpod').spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2025-08-15T00:01:01Z' });
    expect(ok(kubectlChange(docs, ['rollout', 'restart', 'ds/cilium', '-n', 'kube-system'], ctx)).stdout).toBe('daemonset.apps/cilium restarted\n');
    expect(kubectlChange(docs, ['scale', 'deploy', 'nope', '--replicas', '2'], ctx)).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
  });

  it('questions are not changes; edit is unsupported', () => {
    expect(kubectlChange(docs, ['get', 'svc'], ctx)).toBeUndefined();
    expect(kubectlChange(docs, ['edit', 'svc', 'webpod'], ctx)).toMatchObject({ kind: 'unsupported' });
  });
});

describe('host changes', () => {
  const docs = labDocuments();

  it('ip route add, del, replace edit the Host routes; the kernel errors as iproute2 prints them', () => {
    const a = hostChange(docs, 'k8s-ctr', ['ip', 'route', 'add', '172.20.0.0/16', 'via', '192.168.10.200', 'dev', 'eth1']);
    const r = ok(a);
    expect(value(r.docs, 'host', 'k8s-ctr', '').spec.routes).toMatch(/172\.20\.0\.0\/16 via 192\.168\.10\.200 dev eth1\n$/);
    expect(hostChange(r.docs, 'k8s-ctr', ['ip', 'route', 'add', '172.20.0.0/16', 'via', '192.168.10.200'])).toMatchObject({ exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' });
    const d = ok(hostChange(r.docs, 'k8s-ctr', ['ip', 'route', 'del', '172.20.0.0/16']));
    expect(value(d.docs, 'host', 'k8s-ctr', '').spec.routes).toBe(value(docs, 'host', 'k8s-ctr', '').spec.routes);
    expect(hostChange(docs, 'k8s-ctr', ['ip', 'route', 'del', '172.20.0.0/16'])).toMatchObject({ exitCode: 2, stderr: 'RTNETLINK answers: No such process\n' });
    const rep = ok(hostChange(r.docs, 'k8s-ctr', ['ip', 'route', 'replace', '172.20.0.0/16', 'via', '192.168.10.201', 'dev', 'eth1']));
    expect(value(rep.docs, 'host', 'k8s-ctr', '').spec.routes).toMatch(/172\.20\.0\.0\/16 via 192\.168\.10\.201 dev eth1\n$/);
    expect(hostChange(docs, 'router', ['ip', 'route'])).toBeUndefined();
    expect(hostChange(docs, 'router', ['ip', 'link', 'set', 'eth1', 'down'])).toMatchObject({ kind: 'unsupported' });
  });

  it('sysctl -w for the keys the model reads; reads with defaults', () => {
    const r = ok(hostChange(docs, 'router', ['sysctl', '-w', 'net.ipv4.fib_multipath_hash_policy=1']));
    expect(r.stdout).toBe('net.ipv4.fib_multipath_hash_policy = 1\n');
    expect(readSysctl(r.docs, 'router', ['net.ipv4.fib_multipath_hash_policy'])).toEqual({ ok: true, text: 'net.ipv4.fib_multipath_hash_policy = 1\n' });
    expect(readSysctl(docs, 'router', ['net.ipv4.ip_forward'])).toEqual({ ok: true, text: 'net.ipv4.ip_forward = 1\n' });
    const f = ok(hostChange(docs, 'router', ['sysctl', '-w', 'net.ipv4.conf.all.forwarding=0']));
    expect(value(f.docs, 'host', 'router', '').spec.sysctl).toEqual({ 'net.ipv4.ip_forward': '0' });
    expect(hostChange(docs, 'router', ['sysctl', '-w', 'vm.swappiness=10'])).toMatchObject({ kind: 'unsupported' });
  });

  it('vtysh conf t puts lines where FRR keeps them', () => {
    const frr = value(docs, 'host', 'router', '').spec.frr as string;
    const r = frrConfigure(frr, ['router bgp 65000', 'maximum-paths 2']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toContain('  network 10.10.1.0/24\n  maximum-paths 2\n exit-address-family\n');
    expect(r.text).not.toContain('maximum-paths 4');
    const n = frrConfigure(r.text, ['router bgp 65000', 'address-family ipv4 unicast', 'no maximum-paths']);
    expect(n.ok && n.text).not.toContain('maximum-paths');
    const nb = frrConfigure(frr, ['router bgp 65000', 'no neighbor 192.168.20.100 peer-group CILIUM']);
    expect(nb.ok && nb.text).not.toContain('neighbor 192.168.20.100');
    const ebgp = frrConfigure(frr, ['router bgp 65000', 'bgp ebgp-requires-policy']);
    expect(ebgp.ok && ebgp.text).not.toContain('no bgp ebgp-requires-policy');
    expect(frrConfigure(frr, ['router bgp 65000', 'bgp frobnicate'])).toMatchObject({ ok: false, unsupported: 'FRR line "bgp frobnicate" is not modelled' });
    expect(frrConfigure(frr, ['router bgp 65001'])).toMatchObject({ ok: false, error: '% BGP is already running; AS is 65000' });
    const v = ok(hostChange(docs, 'router', ['vtysh', '-c', 'conf t', '-c', 'router bgp 65000', '-c', 'maximum-paths 1', '-c', 'end', '-c', 'write memory']));
    expect(v.stdout).toMatch(/\[OK\]\n$/);
    expect(hostChange(docs, 'router', ['vtysh', '-c', 'show ip bgp'])).toBeUndefined();
    expect(hostChange(docs, 'k8s-ctr', ['vtysh', '-c', 'conf t'])).toMatchObject({ exitCode: 127 });
  });
});

describe('configuration changes', () => {
  const docs = labDocuments();

  it('cilium config set patches cilium-config and restarts the agents', () => {
    const r = ok(ciliumConfigChange(docs, ['set', 'bpf-lb-mode', 'dsr']));
    expect(r.stdout).toBe('✨ Patching ConfigMap cilium-config with bpf-lb-mode=dsr...\n♻️  Restarted Cilium pods\n');
    expect(value(r.docs, 'cm', 'cilium-config', 'kube-system').data['bpf-lb-mode']).toBe('dsr');
    expect(ok(ciliumConfigChange(r.docs, ['delete', 'bpf-lb-mode'])).stdout).toBe('✨ Removing key bpf-lb-mode from ConfigMap cilium-config...\n♻️  Restarted Cilium pods\n');
    expect(ciliumConfigChange(docs, ['view'])).toBeUndefined();
  });

  it('helm upgrade --set maps Helm names to cilium-config keys', () => {
    const r = ok(helmChange(docs, ['upgrade', 'cilium', 'cilium/cilium', '--reuse-values', '--set', 'loadBalancer.mode=dsr,loadBalancer.algorithm=maglev']));
    expect(r.stdout).toBe('Release "cilium" has been upgraded. Happy Helming!\n');
    const data = value(r.docs, 'cm', 'cilium-config', 'kube-system').data;
    expect([data['bpf-lb-mode'], data['bpf-lb-algorithm']]).toEqual(['dsr', 'maglev']);
    expect(helmChange(docs, ['upgrade', 'cilium', 'c', '--set', 'Not.A.Key=1'])).toMatchObject({ kind: 'unsupported' });
  });
});
