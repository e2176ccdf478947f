/**
 * ipv6 (issue 18): the API server's defaults for dual-stack Services (families, IPv6 cluster
 * IPs) and LB IPAM per family (operator/pkg/lbipam: one address per requested family).
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { allocateLbIps, lbIpsOf } from '../../src/ipam/allocate.js';
import { formatIp } from '../../src/net/addr.js';
import type { Cluster } from '../../src/cluster/types.js';

const CONFIG = (v4: boolean, v6: boolean) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-ipv4: "${v4}", enable-ipv6: "${v6}"}\n---\n`;
const POOL = 'apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: [{cidr: 172.16.1.0/24}, {cidr: "fd00:aa::/120"}]}\n---\n';
const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]${spec}}\n---\n`;

function cluster(text: string): Cluster {
  const r = decodeScenario([{ file: 's.yaml', text }]);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return buildWorkloadCluster(r.right);
}
const serviceOf = (c: Cluster, name: string) => c.scenario.services.find((s) => s.meta.name === name)!;
const lbIps = (c: Cluster, name: string) => lbIpsOf(allocateLbIps(c), 'default', name).map(formatIp);

describe('API server defaults on a dual-stack cluster', () => {
  const c = cluster(
    CONFIG(true, true) +
      svc('single', '') +
      svc('prefer', ', ipFamilyPolicy: PreferDualStack') +
      svc('v6first', ', ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv6]') +
      svc('given', ', ipFamilyPolicy: PreferDualStack, clusterIPs: [10.96.0.50]'),
  );

  it('ipFamilies: SingleStack takes the primary family, dual-stack policies add the other', () => {
    expect(serviceOf(c, 'single').ipFamilies).toEqual(['IPv4']);
    expect(serviceOf(c, 'prefer').ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(serviceOf(c, 'v6first').ipFamilies).toEqual(['IPv6', 'IPv4']);
    expect(serviceOf(c, 'given').ipFamilies).toEqual(['IPv4', 'IPv6']);
  });

  it('one cluster IP per family, in ipFamilies order, IPv6 from fd00:10:96::/112; given addresses kept', () => {
    const fams = (name: string) => serviceOf(c, name).clusterIPs.map((a) => (formatIp(a).includes(':') ? 6 : 4));
    expect(fams('single')).toEqual([4]);
    expect(fams('prefer')).toEqual([4, 6]);
    expect(fams('v6first')).toEqual([6, 4]);
    expect(formatIp(serviceOf(c, 'given').clusterIPs[0]!)).toBe('10.96.0.50');
    for (const s of c.scenario.services) {
      for (const a of s.clusterIPs) if (formatIp(a).includes(':')) expect(formatIp(a)).toMatch(/^fd00:10:96::[0-9a-f]{1,4}$/);
    }
    const all = c.scenario.services.flatMap((s) => s.clusterIPs.map(formatIp));
    expect(new Set(all).size).toBe(all.length);
  });

  it('the same input gives the same addresses (hashed picks, no randomness)', () => {
    const again = cluster(CONFIG(true, true) + svc('prefer', ', ipFamilyPolicy: PreferDualStack'));
    expect(serviceOf(again, 'prefer').clusterIPs.map(formatIp)).toEqual(serviceOf(c, 'prefer').clusterIPs.map(formatIp));
  });
});

describe('LB IPAM per family', () => {
  it('SingleStack: the first family; PreferDualStack/RequireDualStack: each enabled family', () => {
    const c = cluster(
      CONFIG(true, true) +
        POOL +
        svc('single', '') +
        svc('six', ', ipFamilies: [IPv6]') +
        svc('prefer', ', ipFamilyPolicy: PreferDualStack') +
        svc('require', ', ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv6, IPv4]'),
    );
    // services are served in name order: prefer, require, single, six
    expect(lbIps(c, 'prefer')).toEqual(['172.16.1.0', 'fd00:aa::']);
    expect(lbIps(c, 'require')).toEqual(['172.16.1.1', 'fd00:aa::1']);
    expect(lbIps(c, 'single')).toEqual(['172.16.1.2']);
    expect(lbIps(c, 'six')).toEqual(['fd00:aa::2']);
  });

  it('PreferDualStack on an IPv4-only cluster: IPv4 only; an IPv6 block stays unused', () => {
    const c = cluster(CONFIG(true, false) + POOL + svc('prefer', ', ipFamilyPolicy: PreferDualStack'));
    expect(lbIps(c, 'prefer')).toEqual(['172.16.1.0']);
  });
});
