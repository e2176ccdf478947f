/**
 * ipv6 (issue 18): dual-stack input, the API server's family rules and their messages, located.
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import type { Scenario } from '../../src/input/types.js';
import { clusterServiceFamilies, defaultedIpFamilies, serviceFamilyIssues, serviceIpFieldIssues } from '../../src/input/ip-families.js';

const DUAL = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-ipv6: "true"}\n---\n';

function decode(text: string): E.Either<string[], Scenario> {
  const r = decodeScenario([{ file: 's.yaml', text }]);
  return E.isLeft(r) ? E.left(r.left.map((e) => e.message)) : E.right(r.right);
}
const svc = (spec: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}], ${spec}}\n`;

describe('Service ipFamilies, ipFamilyPolicy, clusterIPs (the API server)', () => {
  it('reads a dual-stack service on a dual-stack cluster', () => {
    const r = decode(DUAL + svc('ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv6, IPv4], clusterIPs: ["fd00:10:96::a", 10.96.0.10]'));
    expect(E.isRight(r)).toBe(true);
    if (E.isRight(r)) {
      expect(r.right.services[0]!.ipFamilyPolicy).toBe('RequireDualStack');
      expect(r.right.services[0]!.ipFamilies).toEqual(['IPv6', 'IPv4']);
    }
  });

  it('refuses a cluster IP of the wrong family for its ipFamilies entry', () => {
    expect(decode(DUAL + svc('ipFamilyPolicy: PreferDualStack, ipFamilies: [IPv4, IPv6], clusterIPs: ["fd00::1", 10.96.0.10]'))).toEqual(
      E.left([
        's.yaml#2 Service/web: spec.clusterIPs[0]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
        's.yaml#2 Service/web: spec.clusterIPs[1]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[1]`',
      ]),
    );
  });

  it('refuses two cluster IPs of one family, and SingleStack with two', () => {
    expect(decode(DUAL + svc('ipFamilyPolicy: PreferDualStack, clusterIPs: [10.96.0.10, 10.96.0.11]'))).toEqual(
      E.left(['s.yaml#2 Service/web: spec.clusterIPs: Invalid value: []string{"10.96.0.10", "10.96.0.11"}: may specify no more than one IP for each IP family']),
    );
    expect(decode(DUAL + svc('clusterIPs: [10.96.0.10, "fd00::a"]'))).toEqual(
      E.left([`s.yaml#2 Service/web: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`]),
    );
    expect(decode(DUAL + svc('ipFamilyPolicy: SingleStack, ipFamilies: [IPv4, IPv6]'))).toEqual(
      E.left([`s.yaml#2 Service/web: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`]),
    );
  });

  it('refuses a duplicated family, an unknown policy, and clusterIP/clusterIPs that disagree', () => {
    expect(decode(DUAL + svc('ipFamilyPolicy: PreferDualStack, ipFamilies: [IPv6, IPv6]'))).toEqual(
      E.left(['s.yaml#2 Service/web: spec.ipFamilies[1]: Duplicate value: "IPv6"']),
    );
    const bad = decode(DUAL + svc('ipFamilyPolicy: Dual'));
    expect(E.isLeft(bad) && bad.left[0]).toMatch(/^s\.yaml#2 Service\/web: spec\.ipFamilyPolicy: expected one of SingleStack, PreferDualStack, RequireDualStack/);
    expect(decode(DUAL + svc('ipFamilyPolicy: PreferDualStack, clusterIP: 10.96.0.10, clusterIPs: [10.96.0.11, "fd00::a"]'))).toEqual(
      E.left(['s.yaml#2 Service/web: spec.clusterIPs: Invalid value: []string{"10.96.0.11", "fd00::a"}: first value must match `clusterIP`']),
    );
  });

  it('enable-ipv6 false: IPv6 is not configured on this cluster (the API server serves the families Cilium has)', () => {
    expect(decode(svc('ipFamilyPolicy: RequireDualStack'))).toEqual(
      E.left(['s.yaml#1 Service/web: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']),
    );
    expect(decode(svc('ipFamilies: [IPv6]'))).toEqual(E.left(['s.yaml#1 Service/web: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']));
    expect(decode(svc('clusterIP: "fd00::a"'))).toEqual(
      E.left(['s.yaml#1 Service/web: spec.clusterIPs[0]: Invalid value: []string{"fd00::a"}: IPv6 is not configured on this cluster']),
    );
    // PreferDualStack is fine on a single-stack cluster
    expect(E.isRight(decode(svc('ipFamilyPolicy: PreferDualStack')))).toBe(true);
  });

  it('a ServiceCIDR decides the families the API server serves', () => {
    const cidr = 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec: {cidrs: ["fd00:10:96::/112"]}\n---\n';
    expect(decode(DUAL + cidr + svc('ipFamilies: [IPv4]'))).toEqual(E.left(['s.yaml#3 Service/web: spec.ipFamilies[0]: Invalid value: "IPv4": not configured on this cluster']));
  });

  it('both families off: the agent refuses to start', () => {
    expect(decode('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-ipv4: "false"}\n')).toEqual(
      E.left(['s.yaml#1 ConfigMap/cilium-config: data.enable-ipv4: Either IPv4 or IPv6 addressing must be enabled (the agent exits: enable-ipv4 and enable-ipv6 are both false)']),
    );
  });

  it('defaulting: families from the cluster IPs, the primary family, the second family for dual-stack policies', () => {
    expect(defaultedIpFamilies({}, ['IPv4', 'IPv6'])).toEqual(['IPv4']);
    expect(defaultedIpFamilies({ ipFamilyPolicy: 'PreferDualStack' }, ['IPv4', 'IPv6'])).toEqual(['IPv4', 'IPv6']);
    expect(defaultedIpFamilies({ ipFamilyPolicy: 'PreferDualStack' }, ['IPv4'])).toEqual(['IPv4']);
    expect(defaultedIpFamilies({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'RequireDualStack' }, ['IPv4', 'IPv6'])).toEqual(['IPv6', 'IPv4']);
    expect(defaultedIpFamilies({ clusterIPs: ['fd00::1'] }, ['IPv4', 'IPv6'])).toEqual(['IPv6']);
    expect(defaultedIpFamilies({ clusterIP: 'None' }, ['IPv4'])).toEqual(['IPv4', 'IPv6']); // headless selectorless: RequireDualStack
    expect(clusterServiceFamilies([], undefined)).toEqual(['IPv4']);
    expect(clusterServiceFamilies([], { 'enable-ipv4': 'false', 'enable-ipv6': 'true' })).toEqual(['IPv6']);
    expect(serviceIpFieldIssues({ type: 'ExternalName', clusterIPs: ['x', 'y', 'z'] })).toEqual([]);
    expect(serviceFamilyIssues({ clusterIP: 'None' }, ['IPv4'])).toEqual([]);
  });
});

describe('Nodes and pods of both families', () => {
  it('reads dual-stack nodes and pods; refuses two pod CIDRs or pod IPs of one family', () => {
    const node = (cidrs: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {podCIDRs: [${cidrs}]}\nstatus: {addresses: [{type: InternalIP, address: 10.0.0.1}, {type: InternalIP, address: "fd00::1"}]}\n`;
    const ok = decode(DUAL + node('10.244.0.0/24, "fd00:244::/64"'));
    expect(E.isRight(ok) && ok.right.nodes[0]!.podCIDRs.length).toBe(2);
    expect(decode(node('10.244.0.0/24, 10.244.1.0/24'))).toEqual(
      E.left(['s.yaml#1 Node/n1: spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.244.1.0/24"}: may specify no more than one CIDR for each IP family']),
    );
    const pod = (ips: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIPs: [${ips}]}\n`;
    expect(decode(pod('{ip: "fd00::5"}, {ip: "fd00::6"}'))).toEqual(
      E.left(['s.yaml#1 Pod/p: status.podIPs: Invalid value: []string{"fd00::5", "fd00::6"}: may specify no more than one IP for each IP family']),
    );
  });
});
