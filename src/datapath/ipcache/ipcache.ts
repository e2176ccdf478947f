/**
 * A node's IP cache (`cilium_ipcache`, printed by `cilium-dbg bpf ipcache list`): for every
 * address (or prefix) the node knows, its security identity and the tunnel endpoint (the node
 * that holds it).
 *
 * Rows (as Cilium 1.18 writes them, seed `002_…`):
 * - `0.0.0.0/0`: world (2; `world-ipv4`, 9, when IPv6 is enabled too);
 * - every pod address `/32`: the pod's identity; pods on other nodes carry that node's
 *   InternalIP as `tunnelendpoint` and the `hastunnel` flag, also in native routing mode (the seed
 *   shows `172.20.2.68/32 identity=28377 encryptkey=0 tunnelendpoint=192.168.20.100 flags=hastunnel`);
 * - this node's addresses (interfaces and `cilium_host`): host (1);
 * - other nodes' addresses: remote-node (6); their `cilium_host` address with their InternalIP as
 *   tunnel endpoint (`hastunnel`);
 * - tunnel mode: other nodes' pod CIDRs, world identity, tunnelled to the node;
 * - the prefixes policies name: their CIDR identities (16777217…, see `identity.ts`);
 * - in a cluster mesh, the remote clusters' pods (their identity, their node as tunnel endpoint),
 *   nodes (remote-node) and, in tunnel mode, pod CIDRs;
 * - IPv6 (issue 18, when `enable-ipv6`): the same rows for IPv6 addresses (`/128`) and `::/0`
 *   (world-ipv6, 10), after the IPv4 rows.
 * Not modelled: health endpoints, the kube-apiserver identity (7) of the control plane's address.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { ciliumHostAddress, hostRoutingTable, nodeAddress, nodePodCidrs } from '../../fib/base.js';
import { RESERVED_IDENTITY, identityTable, type IdentityTable } from '../endpoints/identity.js';
import { type IpAddress, familyOf, formatIp, isIPv4Prefix, unspecified } from '../../net/addr.js';
import { clusterIndexes } from '../../cluster/indexes.js';

/**
 * One row of the IP cache.
 *
 * @example
 * ```ts
 * const e: IpcacheEntry = { prefix: '172.20.2.68/32', identity: 28377, encryptKey: 0, tunnelEndpoint: '192.168.20.100', flags: ['hastunnel'] };
 * ```
 */
export interface IpcacheEntry {
  /** `ip/len`. */
  readonly prefix: string;
  /** Security identity. */
  readonly identity: number;
  /** Encryption key index (0: no encryption). */
  readonly encryptKey: number;
  /** Tunnel endpoint (`0.0.0.0` when none). */
  readonly tunnelEndpoint: string;
  /** Flags: `hastunnel`, … */
  readonly flags: readonly string[];
}

function order(prefix: string): [number, number] {
  const [ip, len] = prefix.split('/');
  const p = (ip ?? '').split('.').map(Number);
  return [(((p[0] ?? 0) * 256 + (p[1] ?? 0)) * 256 + (p[2] ?? 0)) * 256 + (p[3] ?? 0), Number(len)];
}

/**
 * The IPv4 IP cache of a node, sorted by address then prefix length (the real tool prints BPF
 * hash order).
 *
 * @example
 * ```ts
 * ipcacheEntries(cluster, 'k8s-ctr').find((e) => e.prefix === '172.20.1.76/32')?.tunnelEndpoint; // '192.168.10.101'
 * ```
 */
export function ipcacheEntries(cluster: Cluster, node: string, identities: IdentityTable = identityTable(cluster)): IpcacheEntry[] {
  const nodes = cluster.scenario.nodes.map((n) => n.meta.name);
  if (!nodes.includes(node)) return [];
  const rows = new Map<string, IpcacheEntry>();
  const put = (prefix: string, identity: number, tep = '0.0.0.0'): void => {
    if (rows.has(prefix)) return;
    rows.set(prefix, {
      prefix,
      identity,
      encryptKey: 0,
      tunnelEndpoint: tep,
      flags: tep === '0.0.0.0' ? [] : ['hastunnel'],
    });
  };
  const tep = (n: string): string => (n === node ? '0.0.0.0' : (nodeAddress(cluster, n)?.toString() ?? '0.0.0.0'));

  // This node's own addresses.
  const host = clusterIndexes(cluster).host(node);
  if (host) {
    for (const l of hostRoutingTable(cluster, host).links) {
      if (l.kind === 'loopback') continue;
      for (const a of l.addresses) if (a.address.bitSize === 32) put(`${a.address.toString()}/32`, RESERVED_IDENTITY.host);
    }
  }
  // Pods.
  for (const pod of cluster.scenario.pods) {
    if (pod.hostNetwork || pod.nodeName === undefined || pod.phase !== 'Running') continue;
    const id = identities.pods.get(`${pod.meta.namespace ?? 'default'}/${pod.meta.name}`) ?? RESERVED_IDENTITY.unmanaged;
    for (const a of pod.podIPs) if (a.bitSize === 32) put(`${a.toString()}/32`, id, tep(pod.nodeName));
  }
  // Cluster mesh: the remote clusters' pods (their own identities, their node as tunnel
  // endpoint), their nodes (remote-node) and, in tunnel mode, their pod CIDRs.
  for (const r of cluster.mesh?.remotes ?? []) {
    for (const p of r.pods) {
      const via = p.hostIP?.toString() ?? '0.0.0.0';
      for (const a of p.ips) if (a.bitSize === 32) put(`${a.toString()}/32`, p.identity, via);
    }
    for (const n of r.nodes) {
      if (n.internalIP === undefined || n.internalIP.bitSize !== 32) continue;
      put(`${n.internalIP.toString()}/32`, RESERVED_IDENTITY['remote-node']);
      if (cluster.config.routingMode === 'tunnel') {
        for (const c of n.podCidrs) if ('cidrPrefix' in c && isIPv4Prefix(c)) put(c.toCidrString(), RESERVED_IDENTITY.world, n.internalIP.toString());
      }
    }
  }
  // Nodes.
  for (const n of [...nodes].sort()) {
    const identity = n === node ? RESERVED_IDENTITY.host : RESERVED_IDENTITY['remote-node'];
    const ch = ciliumHostAddress(cluster, n);
    if (ch !== undefined && ch.bitSize === 32) put(`${ch.toString()}/32`, identity, tep(n));
    const scen = clusterIndexes(cluster).node(n);
    const cn = clusterIndexes(cluster).ciliumNode(n);
    const addrs = [...(scen?.addresses.map((a) => a.address) ?? []), ...(cn?.addresses.filter((a) => a.type !== 'CiliumInternalIP').map((a) => a.ip) ?? [])];
    for (const a of addrs) if (a.bitSize === 32) put(`${a.toString()}/32`, identity);
    if (cluster.config.routingMode === 'tunnel' && n !== node) {
      for (const c of nodePodCidrs(cluster, n)) {
        if ('cidrPrefix' in c && isIPv4Prefix(c)) put(c.toCidrString(), RESERVED_IDENTITY.world, tep(n));
      }
    }
  }
  // CIDR identities of the prefixes policies name (local scope, 16777217…).
  for (const c of identities.cidrs) if (c.cidr !== undefined && !c.cidr.includes(':')) put(c.cidr, c.id);
  put('0.0.0.0/0', cluster.config.enableIPv6 ? RESERVED_IDENTITY['world-ipv4'] : RESERVED_IDENTITY.world);
  const v4 = [...rows.values()].sort((a, b) => {
    const [x, xl] = order(a.prefix);
    const [y, yl] = order(b.prefix);
    return x - y || xl - yl;
  });
  return cluster.config.enableIPv6 ? [...v4, ...ipv6Entries(cluster, node, nodes, identities.pods, tep)] : v4;
}

/**
 * ipv6 (issue 18): the IPv6 rows of a node's IP cache when IPv6 is on, after the IPv4 ones and in
 * address order: this node's IPv6 interface addresses and `cilium_host` (host), pods' IPv6
 * addresses (`/128`, tunnelled to their node's IPv4 InternalIP like the IPv4 rows), other nodes'
 * IPv6 addresses (remote-node), and `::/0` (world-ipv6, 10).
 */
function ipv6Entries(cluster: Cluster, node: string, nodes: readonly string[], identities: ReadonlyMap<string, number>, tep: (n: string) => string): IpcacheEntry[] {
  const rows = new Map<string, { value: bigint; len: number; e: IpcacheEntry }>();
  const put = (a: IpAddress, len: number, identity: number, endpoint = '0.0.0.0'): void => {
    const prefix = `${formatIp(a)}/${len}`;
    if (rows.has(prefix)) return;
    rows.set(prefix, { value: a.value, len, e: { prefix, identity, encryptKey: 0, tunnelEndpoint: endpoint, flags: endpoint === '0.0.0.0' ? [] : ['hastunnel'] } });
  };
  const host = clusterIndexes(cluster).host(node);
  if (host) {
    for (const l of hostRoutingTable(cluster, host).links) {
      if (l.kind === 'loopback') continue;
      for (const a of l.addresses) if (familyOf(a.address) === 6) put(a.address, 128, RESERVED_IDENTITY.host);
    }
  }
  for (const pod of cluster.scenario.pods) {
    if (pod.hostNetwork || pod.nodeName === undefined || pod.phase !== 'Running') continue;
    const id = identities.get(`${pod.meta.namespace ?? 'default'}/${pod.meta.name}`) ?? RESERVED_IDENTITY.unmanaged;
    for (const a of pod.podIPs) if (familyOf(a) === 6) put(a, 128, id, tep(pod.nodeName));
  }
  for (const n of [...nodes].sort()) {
    const identity = n === node ? RESERVED_IDENTITY.host : RESERVED_IDENTITY['remote-node'];
    const ch = ciliumHostAddress(cluster, n, 6);
    if (ch !== undefined) put(ch, 128, identity, tep(n));
    for (const a of clusterIndexes(cluster).node(n)?.addresses ?? []) if (familyOf(a.address) === 6) put(a.address, 128, identity);
  }
  put(unspecified(6), 0, RESERVED_IDENTITY['world-ipv6']);
  return [...rows.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.len - b.len)).map((r) => r.e);
}
