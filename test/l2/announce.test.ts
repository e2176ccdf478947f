import { describe, expect, it } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { decodeScenario } from '../../src/input/decode.js';
import { allocateLbIps } from '../../src/ipam/allocate.js';
import { agentDevices, l2Announcements, l2Lease, l2Warnings, leaseName, leaseScore, policyNodes } from '../../src/l2/announce.js';
import { deviceMac } from '../../src/l2/hash.js';
import { goDuration, l2Settings } from '../../src/l2/settings.js';

function node(name: string, i: number, labels: Record<string, string> = {}, ready = true): string {
  return `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
spec: {podCIDRs: [172.20.${i}.0/24]}
status:
  addresses: [{type: InternalIP, address: 192.168.10.${100 + i}}]
${ready ? '' : '  conditions: [{type: Ready, status: "False"}]\n'}---
apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: ${name}}
spec:
  interfaces:
    - {name: eth0, addresses: ["10.0.2.15/24"]}
    - {name: eth1, addresses: ["192.168.10.${100 + i}/24"]}
    - {name: eth2}
---
`;
}

function svc(name: string, labels: Record<string, string>, extra = ''): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default, labels: ${JSON.stringify(labels)}}
spec:
  type: LoadBalancer
  selector: {app: ${name}}
  ports: [{port: 80}]
${extra}---
`;
}

const BASE = `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  kube-proxy-replacement: "true"
  enable-l2-announcements: "true"
---
apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: pool}
spec:
  allowFirstLastIPs: "No"
  blocks: [{cidr: 192.168.10.208/29}]
---
`;

function load(text: string, set: Record<string, string> = {}): Cluster {
  const d = decodeScenario([{ file: 'lab.yaml', text }], { set });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildCluster(d.right);
}

function policy(name: string, spec: string): string {
  return `apiVersion: cilium.io/v2alpha1
kind: CiliumL2AnnouncementPolicy
metadata: {name: ${name}}
spec:
${spec}
---
`;
}

const NODES = node('k8s-ctr', 0, { 'node-role.kubernetes.io/control-plane': '' }) + node('k8s-w1', 1, { zone: 'a' }) + node('k8s-w2', 2, { zone: 'b' });

describe('L2 settings', () => {
  it("defaults: 15s lease, 5s renew, 2s retry; leaseDurationSeconds 15", () => {
    const s = l2Settings(load(BASE + NODES));
    expect([s.leaseDuration, s.renewDeadline, s.retryPeriod, s.leaseDurationSeconds]).toEqual([15e9, 5e9, 2e9, 15]);
    expect(s.active).toBe(true);
    expect(s.warnings).toEqual([]);
  });

  it('are sanitised as leaseTimings does', () => {
    const s = l2Settings(load(BASE + NODES, { 'l2-announcements-lease-duration': '3s', 'l2-announcements-renew-deadline': '3s', 'l2-announcements-retry-period': '2s' }));
    // duration <= renew: renew = duration/2 = 1.5s; renew <= 1.2 * retry: retry = renew/2
    expect([s.leaseDuration, s.renewDeadline, s.retryPeriod]).toEqual([3e9, 1.5e9, 0.75e9]);
    expect(s.warnings).toHaveLength(2);
    const t = l2Settings(load(BASE + NODES, { 'l2announcements.leaseDuration': '500ms' }));
    expect(t.leaseDuration).toBe(1e9);
    expect(t.leaseDurationSeconds).toBe(1);
  });

  it('need kube-proxy replacement', () => {
    const c = load(BASE + NODES + svc('blue', { color: 'blue' }) + policy('p', '  loadBalancerIPs: true'), { 'kube-proxy-replacement': 'false' });
    expect(l2Settings(c).active).toBe(false);
    expect(l2Announcements(c, allocateLbIps(c)).leases).toEqual([]);
    expect(l2Warnings(c)[0]).toContain('requires kube-proxy-replacement');
  });

  it('a malformed duration is a decode error on its key', () => {
    const d = decodeScenario([{ file: 'lab.yaml', text: BASE.replace('enable-l2-announcements: "true"', 'enable-l2-announcements: "true"\n  l2-announcements-lease-duration: 15') + NODES }]);
    expect(isLeft(d) && d.left[0]!.message).toContain('l2-announcements-lease-duration');
  });

  it('goDuration prints as Go does', () => {
    expect([goDuration(15e9), goDuration(2e8), goDuration(90e9), goDuration(1.5e9), goDuration(0)]).toEqual(['15s', '200ms', '1m30s', '1.5s', '0s']);
  });
});

describe('policy coverage', () => {
  it('agent devices: interfaces with an address, or the devices setting (with + prefixes)', () => {
    const c = load(BASE + NODES);
    expect(agentDevices(c, 'k8s-w1')).toEqual([{ name: 'eth0', index: 2 }, { name: 'eth1', index: 3 }]);
    const d = load(BASE + NODES, { devices: 'eth+' });
    expect(agentDevices(d, 'k8s-w1').map((x) => x.name)).toEqual(['eth0', 'eth1', 'eth2']);
  });

  it('node selector, Ready nodes only, interface regexes unanchored', () => {
    const c = load(BASE + node('k8s-w1', 1, { zone: 'a' }) + node('k8s-w2', 2, { zone: 'a' }, false) + node('k8s-w3', 3, { zone: 'b' }) +
      policy('p', '  nodeSelector: {matchLabels: {zone: a}}\n  interfaces: ["th1"]\n  loadBalancerIPs: true'));
    const p = c.scenario.l2AnnouncementPolicies[0]!;
    expect(policyNodes(c, p)).toEqual([{ node: 'k8s-w1', devices: ['eth1'] }]);
  });

  it('services: selector with the pseudo-labels, loadBalancerClass, IP types', () => {
    const c = load(BASE + NODES +
      svc('a', { color: 'blue' }) +
      svc('b', { color: 'blue' }, '  loadBalancerClass: io.cilium/bgp-control-plane\n') +
      svc('c', { color: 'red' }, '  externalIPs: [203.0.113.7]\n') +
      policy('by-name', '  serviceSelector: {matchLabels: {io.kubernetes.service.name: c}}\n  externalIPs: true') +
      policy('blue', '  serviceSelector: {matchLabels: {color: blue}}\n  loadBalancerIPs: true'));
    const idx = l2Announcements(c, allocateLbIps(c));
    expect(idx.leases.map((l) => l.service)).toEqual(['default/a', 'default/c']);
    expect(idx.byService.get('default/c')!.entries.map((e) => e.ip.toString())).toEqual(['203.0.113.7', '203.0.113.7']);
    expect(idx.coverage.map((x) => [x.name, x.services])).toEqual([['blue', ['default/a']], ['by-name', ['default/c']]]);
  });

  it('a lease per announced service: name, namespace, holder among candidates, entries on the matched devices', () => {
    const c = load(BASE + NODES + svc('blue-web', { color: 'blue' }) + svc('red-web', { color: 'red' }) +
      policy('p', '  serviceSelector: {matchLabels: {color: blue}}\n  nodeSelector: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: DoesNotExist}]}\n  interfaces: ["^eth1$"]\n  loadBalancerIPs: true'));
    const ipam = allocateLbIps(c);
    const l = l2Lease(c, ipam, 'default/blue-web')!;
    expect(l.name).toBe('cilium-l2announce-default-blue-web');
    expect(l.namespace).toBe('kube-system');
    expect(l.candidates.map((x) => x.node)).toEqual(['k8s-w1', 'k8s-w2']);
    const best = [...l.candidates].sort((a, b) => b.score - a.score)[0]!.node;
    expect(l.holder).toBe(best);
    expect(l.entries.map((e) => `${e.ip.toString()} ${e.dev} ${e.ifindex}`)).toEqual([`${ipam.services.find((s) => s.name === 'blue-web')!.ips[0]!.toString()} eth1 3`]);
    expect(l2Announcements(c, ipam).byService.get('default/blue-web')).toEqual(l);
    expect(l2Lease(c, ipam, 'default/red-web')).toBeUndefined();
    expect(l2Announcements(c, ipam).entriesOf(l.holder)).toEqual(l.entries);
  });

  it('a candidate without a matching device holds only when no candidate has one', () => {
    const c = load(BASE + NODES + svc('blue-web', { color: 'blue' }) +
      policy('p', '  interfaces: ["^eth1$"]\n  nodeSelector: {matchLabels: {zone: a}}\n  loadBalancerIPs: true') +
      policy('q', '  interfaces: ["^bond"]\n  nodeSelector: {matchLabels: {zone: b}}\n  loadBalancerIPs: true'));
    const l = l2Lease(c, allocateLbIps(c), 'default/blue-web')!;
    expect(l.candidates.map((x) => `${x.node}:${x.devices.join(',')}`)).toEqual(['k8s-w1:eth1', 'k8s-w2:']);
    expect(l.holder).toBe('k8s-w1');
    expect(l2Warnings(c)).toContain('CiliumL2AnnouncementPolicy/q: spec.interfaces (^bond) matches no device on any node it selects: nothing is announced');
  });

  it('bad input: invalid interface regex and bad selector operators name the field', () => {
    const bad = decodeScenario([{ file: 'l.yaml', text: BASE + policy('p', '  interfaces: ["eth0", "[eth"]') }]);
    expect(isLeft(bad) && bad.left[0]!.message).toBe(
      'l.yaml#3 CiliumL2AnnouncementPolicy/p: spec.interfaces[1]: error parsing regexp: missing closing ]: `[eth` (io.cilium/bad-interface-regex)',
    );
    const op = decodeScenario([{ file: 'l.yaml', text: BASE + policy('p', '  nodeSelector: {matchExpressions: [{key: zone, operator: Equals, values: [a]}]}') }]);
    expect(isLeft(op) && op.left[0]!.message).toContain('spec.nodeSelector.matchExpressions[0].operator');
    const sv = decodeScenario([{ file: 'l.yaml', text: BASE + policy('p', '  serviceSelector: {matchExpressions: [{key: color, operator: In}]}') }]);
    expect(isLeft(sv) && sv.left[0]!.message).toContain('spec.serviceSelector.matchExpressions[0]');
  });
});

describe('deterministic choices', () => {
  it('lease names and scores, MACs: stable functions of their names', () => {
    expect(leaseName('default', 'deathstar')).toBe('cilium-l2announce-default-deathstar');
    expect(leaseScore('cilium-l2announce-default-a', 'k8s-w1')).toBe(leaseScore('cilium-l2announce-default-a', 'k8s-w1'));
    expect(leaseScore('cilium-l2announce-default-a', 'k8s-w1')).not.toBe(leaseScore('cilium-l2announce-default-a', 'k8s-w2'));
    const mac = deviceMac('k8s-w1', 'eth1');
    expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(parseInt(mac.slice(0, 2), 16) & 0x03).toBe(0x02);
    expect(deviceMac('k8s-w1', 'eth1')).toBe(mac);
    expect(deviceMac('k8s-w1', 'eth2')).not.toBe(mac);
  });
});
