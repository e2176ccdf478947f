/**
 * Cilium's own policy features on the x/y/z × a/b/c setup: CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy selectors, entities, CIDR rules, deny precedence (reference
 * §B4's vector), toServices, enableDefaultDeny, policy-enforcement modes, and what the datapath
 * sees (SNAT, host clients), with the Hubble lines and policy maps they produce.
 */
import { describe, expect, it } from 'vitest';
import { expected, netpolCluster, nsOf, reachability } from '../helpers/netpol.js';
import { compileNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';
import { policyEngine } from '../../src/policy/resolve.js';
import { identityTable } from '../../src/datapath/endpoints/identity.js';
import { ipcacheEntries } from '../../src/datapath/ipcache/ipcache.js';
import { renderPolicyGet } from '../../src/views/policy.js';

const cnp = (ns: string, name: string, spec: string): string =>
  `---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}\n`;
const ccnp = (name: string, spec: string): string =>
  `---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}\n`;
const ip = (pod: string): string => {
  const [ns, p] = pod.split('/');
  const i = 'xyz'.indexOf(ns!);
  const j = 'abc'.indexOf(p!);
  return `172.20.${j}.${10 + i * 10 + j}`;
};
const probe = (c: ReturnType<typeof netpolCluster>, from: string, to: string, port = 80, protocol: 'TCP' | 'UDP' = 'TCP') =>
  trace(compileNetwork(c), { from, dst: to.includes('/') ? ip(to) : to, dport: port, protocol });

describe('CiliumNetworkPolicy', () => {
  it('fromEndpoints gets the policy namespace: only x/b reaches x/a', () => {
    const c = netpolCluster(cnp('x', 'a-from-b', '  endpointSelector: {matchLabels: {pod: a}}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: b}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'x/b'));
  });

  it('fromEndpoints naming the namespace label reaches across namespaces', () => {
    const c = netpolCluster(
      cnp('x', 'a-from-y-b', "  endpointSelector: {matchLabels: {pod: a}}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: b, 'k8s:io.kubernetes.pod.namespace': y}}]}]"),
    );
    expect(reachability(c, 80)).toEqual(expected((f, t) => t === 'x/a' && f !== 'y/b'));
  });

  it('an explicitly empty fromEndpoints list selects nothing; an empty selector selects the namespace', () => {
    const none = netpolCluster(cnp('x', 'none', '  endpointSelector: {}\n  ingress: [{fromEndpoints: []}]'));
    expect(reachability(none, 80)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
    const ns = netpolCluster(cnp('x', 'ns', '  endpointSelector: {}\n  ingress: [{fromEndpoints: [{}]}]'));
    expect(reachability(ns, 80)).toEqual(expected((f, t) => nsOf(t) === 'x' && nsOf(f) !== 'x'));
  });

  it('toPorts with protocols: TCP 80 only', () => {
    const c = netpolCluster(cnp('x', 'tcp80', '  endpointSelector: {}\n  ingress: [{toPorts: [{ports: [{port: "80", protocol: TCP}]}]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    expect(reachability(c, 81)).toEqual(expected((_f, t) => nsOf(t) === 'x'));
    expect(reachability(c, 80, 'UDP')).toEqual(expected((_f, t) => nsOf(t) === 'x'));
  });

  it('an L7 rule allows its L4 port here (the Ingress/L7 issue models the proxy)', () => {
    const c = netpolCluster(cnp('x', 'l7', "  endpointSelector: {}\n  ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET}]}}]}]"));
    expect(reachability(c, 80)).toEqual(expected(() => false));
  });

  it('deny beats allow (reference §B4 vector)', () => {
    const allows = "  endpointSelector: {matchLabels: {pod: a}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {pod: b}}]\n      toPorts: [{ports: [{port: '80', protocol: TCP}, {port: '81', protocol: TCP}]}]";
    const deny80 = "  endpointSelector: {matchLabels: {pod: a}}\n  ingressDeny: [{toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]";
    const denyL3 = '  endpointSelector: {matchLabels: {pod: a}}\n  ingressDeny: [{fromEndpoints: [{matchLabels: {pod: b}}]}]';
    const row = (policies: string) => {
      const c = netpolCluster(policies);
      return [probe(c, 'x/b', 'x/a', 81).verdict, probe(c, 'x/b', 'x/a', 80).verdict];
    };
    expect(row(cnp('x', 'allow', allows))).toEqual(['FORWARDED', 'FORWARDED']);
    expect(row(cnp('x', 'allow', allows) + cnp('x', 'deny', deny80))).toEqual(['FORWARDED', 'DROPPED']);
    expect(row(cnp('x', 'allow', allows) + cnp('x', 'deny', denyL3))).toEqual(['DROPPED', 'DROPPED']);
    expect(row(cnp('x', 'allow', allows) + cnp('x', 'deny', denyL3) + cnp('x', 'deny80', deny80))).toEqual(['DROPPED', 'DROPPED']);
    expect(row(cnp('x', 'deny', deny80))).toEqual(['DROPPED', 'DROPPED']);
    const r = probe(netpolCluster(cnp('x', 'allow', allows) + cnp('x', 'deny', deny80)), 'x/b', 'x/a', 80);
    expect(r.reason).toBe('Policy denied by denylist');
    expect(r.dropCode).toBe(181);
    expect(r.outcome).toBe('timeout');
  });

  it('a deny rule makes the endpoint default-deny in its direction', () => {
    const c = netpolCluster(cnp('x', 'deny-c', '  endpointSelector: {matchLabels: {pod: a}}\n  ingressDeny: [{fromEndpoints: [{matchLabels: {pod: c}}]}]'));
    expect(probe(c, 'x/b', 'x/a').reason).toBe('Policy denied');
    expect(probe(c, 'x/c', 'x/a').reason).toBe('Policy denied by denylist');
  });

  it('enableDefaultDeny false only adds: a deny-free allow does not isolate', () => {
    const c = netpolCluster(cnp('x', 'soft', '  endpointSelector: {}\n  enableDefaultDeny: {ingress: false}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: b}}]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    const hard = netpolCluster(cnp('x', 'hard', '  endpointSelector: {}\n  enableDefaultDeny: {egress: true}'));
    expect(reachability(hard, 80)).toEqual(expected((f) => nsOf(f) === 'x'));
  });

  it('toServices: egress to the backends of a service', () => {
    const svc = `---\napiVersion: v1\nkind: Service\nmetadata: {name: s-y-a, namespace: y}\nspec: {clusterIP: 10.96.100.10, clusterIPs: [10.96.100.10], selector: {pod: a}, ports: [{port: 80, protocol: TCP}]}\n`;
    const c = netpolCluster(svc + cnp('x', 'to-svc', '  endpointSelector: {matchLabels: {pod: a}}\n  egress: [{toServices: [{k8sService: {serviceName: s-y-a, namespace: y}}]}]'));
    expect(probe(c, 'x/a', '10.96.100.10').verdict).toBe('FORWARDED');
    expect(probe(c, 'x/a', 'y/a').verdict).toBe('FORWARDED');
    expect(probe(c, 'x/a', 'y/b').reason).toBe('Policy denied');
  });

  it('egress is checked after service translation, ingress sees the client pod', () => {
    const svc = `---\napiVersion: v1\nkind: Service\nmetadata: {name: s-y-a, namespace: y}\nspec: {clusterIP: 10.96.100.10, clusterIPs: [10.96.100.10], selector: {pod: a}, ports: [{port: 80, protocol: TCP}]}\n`;
    const c = netpolCluster(svc + cnp('y', 'a-from-x-b', "  endpointSelector: {matchLabels: {pod: a}}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: b, 'k8s:io.kubernetes.pod.namespace': x}}]}]"));
    expect(probe(c, 'x/b', '10.96.100.10').verdict).toBe('FORWARDED');
    const r = probe(c, 'x/c', '10.96.100.10');
    expect(r.reason).toBe('Policy denied');
    const drop = r.hops.find((h) => h.event === 'drop');
    expect(drop?.host).toBe('k8s-ctr'); // y/a runs on k8s-ctr: dropped at the destination's node
  });
});

describe('entities and CIDRs', () => {
  it('fromEntities host: the node itself reaches its pods; remote-node other nodes', () => {
    const c = netpolCluster(cnp('x', 'host-only', '  endpointSelector: {}\n  ingress: [{fromEntities: [host]}]'));
    expect(probe(c, 'k8s-ctr', 'x/a').verdict).toBe('FORWARDED');
    expect(probe(c, 'k8s-w1', 'x/a').reason).toBe('Policy denied');
    const rn = netpolCluster(cnp('x', 'rn', '  endpointSelector: {}\n  ingress: [{fromEntities: [remote-node]}]'));
    expect(probe(rn, 'k8s-w1', 'x/a').verdict).toBe('FORWARDED');
    expect(probe(rn, 'y/a', 'x/a').reason).toBe('Policy denied');
  });

  it('allow-localhost: the node always reaches its own pods, even under deny-all', () => {
    const c = netpolCluster(cnp('x', 'deny-all', '  endpointSelector: {}\n  ingress: [{fromEndpoints: []}]'));
    expect(probe(c, 'k8s-ctr', 'x/a').verdict).toBe('FORWARDED');
    expect(probe(c, 'k8s-w1', 'x/a').reason).toBe('Policy denied');
  });

  it('fromEntities cluster admits every pod and node; world the router', () => {
    const c = netpolCluster(cnp('x', 'cluster', '  endpointSelector: {}\n  ingress: [{fromEntities: [cluster]}]'));
    expect(reachability(c, 80)).toEqual(expected(() => false));
    expect(probe(c, 'router', 'x/a').reason).toBe('Policy denied');
    const w = netpolCluster(cnp('x', 'world', '  endpointSelector: {}\n  ingress: [{fromEntities: [world]}]'));
    expect(probe(w, 'router', 'x/a').verdict).toBe('FORWARDED');
    expect(probe(w, 'y/a', 'x/a').reason).toBe('Policy denied');
  });

  it('toCIDR / toCIDRSet with except: CIDR identities, the ipcache, and pods never matched by CIDR', () => {
    const c = netpolCluster(
      cnp('x', 'cidr', '  endpointSelector: {matchLabels: {pod: a}}\n  egress: [{toCIDRSet: [{cidr: 192.168.0.0/16, except: [192.168.20.0/24]}]}, {toCIDR: [172.20.1.0/24]}]'),
    );
    const t = identityTable(c);
    expect(t.cidrs.map((i) => [i.id, i.labels])).toEqual([
      [16777217, ['cidr:172.20.1.0/24', 'reserved:world']],
      [16777218, ['cidr:192.168.0.0/16', 'reserved:world']],
      [16777219, ['cidr:192.168.20.0/24', 'reserved:world']],
    ]);
    expect(ipcacheEntries(c, 'k8s-ctr').find((e) => e.prefix === '192.168.0.0/16')?.identity).toBe(16777218);
    expect(probe(c, 'x/a', '192.168.10.200').reason ?? '').not.toMatch(/Policy/); // router: inside the block
    expect(probe(c, 'x/a', '192.168.20.1').reason).toBe('Policy denied'); // in the except
    expect(probe(c, 'x/a', 'x/b').reason).toBe('Policy denied'); // a pod: its own identity
  });

  it('clusterwide: endpointSelector {} selects every pod; peers need a namespace', () => {
    const c = netpolCluster(ccnp('lockdown', '  endpointSelector: {}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: a}}]}]'));
    expect(reachability(c, 80)).toEqual(expected((f) => !f.endsWith('/a')));
  });
});

describe('policy-enforcement', () => {
  it('never: policies are ignored; always: default deny without any policy', () => {
    const deny = cnp('x', 'deny-all', '  endpointSelector: {}\n  ingress: [{fromEndpoints: []}]');
    expect(reachability(netpolCluster(deny, { 'enable-policy': 'never' }), 80)).toEqual(expected(() => false));
    expect(reachability(netpolCluster('', { 'enable-policy': 'always' }), 80)).toEqual(expected(() => true));
  });
});

describe('policy map', () => {
  it('bpf policy get: host entry, the allow, egress allow-all; reference §I layout', () => {
    const c = netpolCluster(cnp('x', 'a-from-b-80', "  endpointSelector: {matchLabels: {pod: a}}\n  ingress: [{fromEndpoints: [{matchLabels: {pod: b}}], toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]"));
    const p = policyEngine(c).endpointPolicy('x/a')!;
    const out = renderPolicyGet(p, (id) => identityTable(c).byId.get(id)?.labels, true);
    const b = identityTable(c).pods.get('x/b');
    expect(out.split('\n').map((l) => l.trimEnd())).toEqual([
      'POLICY   DIRECTION   IDENTITY   PORT/PROTO   PROXY PORT   AUTH TYPE   BYTES   PACKETS   PREFIX   COOKIE',
      'Allow    Ingress     1          ANY          NONE         disabled    0       0         0        0',
      `Allow    Ingress     ${b}        80/TCP       NONE         disabled    0       0         24       0`,
      'Allow    Egress      0          ANY          NONE         disabled    0       0         0        0',
      '',
    ]);
  });

  it('port ranges become aligned blocks (80-444 → 9 keys)', () => {
    const c = netpolCluster(cnp('x', 'range', "  endpointSelector: {matchLabels: {pod: a}}\n  ingress: [{toPorts: [{ports: [{port: '80', endPort: 444, protocol: TCP}]}]}]"));
    const p = policyEngine(c).endpointPolicy('x/a')!;
    expect(p.entries.filter((e) => e.direction === 'ingress' && e.identity === 0).map((e) => `${e.port}/${e.prefix}`)).toEqual([
      '80/20', '96/19', '128/17', '256/17', '384/19', '416/20', '432/21', '440/22', '444/24',
    ]);
    expect(probe(c, 'x/b', 'x/a', 81).verdict).toBe('FORWARDED');
  });
});
