/**
 * ipv6 (issue 18): what the address families make Cilium say or ignore (validate's warnings).
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import { familyWarnings } from '../../src/cluster/families.js';

function warnings(text: string): string[] {
  const r = decodeScenario([{ file: 's.yaml', text }]);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return familyWarnings(buildCluster(r.right));
}
const config = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {ipam: kubernetes, ${data}}\n---\n`;
const node = (cidrs: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {podCIDRs: [${cidrs}]}\nstatus: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n---\n`;

describe('address-family warnings', () => {
  it('enable-ipv6 with ipam kubernetes and a node without an IPv6 pod CIDR: the agent waits', () => {
    expect(warnings(config('enable-ipv6: "true"') + node('10.244.0.0/24'))).toEqual([
      'Node n1: required IPv6 PodCIDR not available (the agent\'s message: with ipam kubernetes and enable-ipv6 it waits for one and does not start on this node)',
    ]);
    expect(warnings(config('enable-ipv6: "true"') + node('10.244.0.0/24, "fd00:244::/64"'))).toEqual([]);
  });

  it('enable-ipv6 false: IPv6 pod CIDRs, pool blocks and BGP families are ignored, and said so', () => {
    const pool = 'apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: [{cidr: 172.16.1.0/24}, {cidr: "fd00:16::/120"}]}\n---\n';
    const peer = 'apiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata: {name: pc}\nspec: {families: [{afi: ipv6, safi: unicast}]}\n';
    expect(warnings(config('enable-ipv6: "false"') + node('10.244.0.0/24, "fd00:244::/64"') + pool + peer)).toEqual([
      'Node n1: IPv6 pod CIDR fd00:244::/64 is not used: enable-ipv6 is false',
      'CiliumLoadBalancerIPPool p: IPv6 block fd00:16::/120 gives no service an address: enable-ipv6 is false',
      'CiliumBGPPeerConfig pc: family ipv6/unicast carries no route: enable-ipv6 is false',
    ]);
  });

  it('an IPv4-only cluster has none', () => {
    expect(warnings(config('enable-ipv6: "false"') + node('10.244.0.0/24'))).toEqual([]);
  });
});
