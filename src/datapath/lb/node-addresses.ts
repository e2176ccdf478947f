/**
 * The node addresses Cilium exposes NodePort and HostPort services on (the `NodePort: true`
 * rows of the agent's node-address table): the primary IPv4 and IPv6 address of each native
 * device. Native devices are those listed in `devices`, else every device the agent would
 * auto-detect (all but loopback, virtual and Cilium's own).
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { HostInterface, IpAddress } from '../../input/types.js';
import { compareIp, isIPv4 } from '../../net/addr.js';
import { clusterIndexes } from '../../cluster/indexes.js';

const EXCLUDED = /^(lo$|cilium_|lxc|veth|docker|cni|flannel|kube-ipvs|nodelocaldns|genev|vxlan|tunl|dummy)/;

function deviceSelected(name: string, devices: readonly string[]): boolean {
  if (devices.length === 0) return !EXCLUDED.test(name);
  return devices.some((d) => (d.endsWith('+') ? name.startsWith(d.slice(0, -1)) : d === name));
}

function isLinkLocal(addr: IpAddress): boolean {
  if (isIPv4(addr)) return (addr.value >> 16n) === 0xa9fen;
  return (addr.value >> 118n) === 0x3fan; // fe80::/10
}

/**
 * The node's NodePort addresses, sorted (IPv4 first, then by value). Falls back to the Node's
 * `status.addresses` when no Host describes the node's interfaces.
 *
 * @example
 * nodePortAddresses(cluster, 'k8s-ctr').map(String); // ['10.0.2.15', '192.168.10.100']
 */
export function nodePortAddresses(cluster: Cluster, nodeName: string): IpAddress[] {
  const cfg = cluster.config;
  const host = clusterIndexes(cluster).host(nodeName);
  const out: IpAddress[] = [];
  if (host !== undefined && host.interfaces.length > 0) {
    for (const iface of host.interfaces as readonly HostInterface[]) {
      if (!deviceSelected(iface.name, cfg.devices)) continue;
      const v4 = iface.addresses.find((a) => isIPv4(a.address) && !isLinkLocal(a.address));
      const v6 = iface.addresses.find((a) => !isIPv4(a.address) && !isLinkLocal(a.address));
      if (cfg.enableIPv4 && v4 !== undefined) out.push(v4.address);
      if (cfg.enableIPv6 && v6 !== undefined) out.push(v6.address);
    }
  } else {
    const node = clusterIndexes(cluster).node(nodeName);
    for (const a of node?.addresses ?? []) {
      if (isIPv4(a.address) ? cfg.enableIPv4 : cfg.enableIPv6) out.push(a.address);
    }
  }
  const uniq: IpAddress[] = [];
  for (const a of out.sort(compareIp)) {
    if (uniq.length === 0 || compareIp(uniq[uniq.length - 1]!, a) !== 0) uniq.push(a);
  }
  return uniq;
}

/**
 * Every address the node owns (all interface addresses, or its Node addresses): what the agent
 * checks before programming a wildcard row for a VIP.
 *
 * @example
 * nodeLocalAddresses(cluster, 'k8s-ctr').length; // 2 in the lab
 */
export function nodeLocalAddresses(cluster: Cluster, nodeName: string): IpAddress[] {
  const host = clusterIndexes(cluster).host(nodeName);
  if (host !== undefined && host.interfaces.length > 0) {
    return host.interfaces.flatMap((i) => i.addresses.map((a) => a.address));
  }
  const node = clusterIndexes(cluster).node(nodeName);
  return (node?.addresses ?? []).map((a) => a.address);
}
