/**
 * ipv6 (issue 18): what the address families of a cluster make Cilium say or ignore, as located
 * warnings (`validate` prints them):
 * - `ipam: kubernetes` with `enable-ipv6` and a node without an IPv6 pod CIDR: the agent's own
 *   `required IPv6 PodCIDR not available` (it waits for one and does not start on that node); the
 *   same for IPv4 with `enable-ipv4`;
 * - `enable-ipv6: false` with IPv6 objects Cilium then ignores: a node's IPv6 pod CIDR, a pool's
 *   IPv6 block, a BGP peer config's `ipv6/unicast` family.
 *
 * Complexity: O(nodes + pools + peer configs).
 *
 * @module
 */
import { familyOf, formatIp, formatPrefix } from '../net/addr.js';
import type { Cluster } from './types.js';

/**
 * The address-family warnings of a cluster (see the module doc), in object order.
 *
 * @example
 * familyWarnings(cluster); // ['Node k8s-ctr: required IPv6 PodCIDR not available (…)']
 */
export function familyWarnings(c: Cluster): string[] {
  const out: string[] = [];
  const k = c.config;
  const s = c.scenario;
  if (k.ipam === 'kubernetes') {
    for (const n of s.nodes) {
      for (const [fam, on] of [[4, k.enableIPv4], [6, k.enableIPv6]] as const) {
        // IPv4 without pod CIDRs at all is already reported by the workloads stage
        if (!on || n.podCIDRs.length === 0 || n.podCIDRs.some((p) => familyOf(p) === fam)) continue;
        out.push(`Node ${n.meta.name}: required IPv${fam} PodCIDR not available (the agent's message: with ipam kubernetes and enable-ipv${fam} it waits for one and does not start on this node)`);
      }
    }
  }
  if (!k.enableIPv6) {
    for (const n of s.nodes) {
      for (const p of n.podCIDRs) if (familyOf(p) === 6) out.push(`Node ${n.meta.name}: IPv6 pod CIDR ${formatPrefix(p)} is not used: enable-ipv6 is false`);
    }
    for (const pool of s.lbIpPools) {
      for (const b of pool.blocks) {
        const v6 = 'cidr' in b ? familyOf(b.cidr) === 6 : familyOf(b.start) === 6;
        const text = 'cidr' in b ? formatPrefix(b.cidr) : `${formatIp(b.start)}-${formatIp(b.stop)}`;
        if (v6) out.push(`CiliumLoadBalancerIPPool ${pool.meta.name}: IPv6 block ${text} gives no service an address: enable-ipv6 is false`);
      }
    }
    for (const pc of s.bgpPeerConfigs) {
      if (pc.families.some((f) => f.afi === 'ipv6')) out.push(`CiliumBGPPeerConfig ${pc.meta.name}: family ipv6/unicast carries no route: enable-ipv6 is false`);
    }
  }
  return out;
}
