/**
 * A node's local endpoint map (`cilium_lxc`, printed by `cilium-dbg bpf endpoint list`): one row
 * per local pod endpoint (its ID, security identity, host-side `lxc` ifindex and MACs) and one
 * `(localhost)` row per address of the host itself.
 *
 * Where the real agent draws at random, the model derives (documented in `docs/decisions.md`):
 * - endpoint ID: `1 + fnv1a(node/namespace/name) % 4095`, probing upwards past IDs taken by
 *   endpoints that sort first (real IDs are random in 1..4095);
 * - MACs: the pod's `eth0` MAC from `fnv1a(namespace/name)` and `fnv1a(namespace/name + '#')`,
 *   the host-side `lxc` MAC (`nodemac`) the same way with `@lxc` appended; both locally
 *   administered unicast;
 * - `lxc` ifindex: after the host's last device (`lo`, the Host's interfaces, `cilium_net`,
 *   `cilium_host`, the tunnel device), each endpoint in `namespace/name` order takes the next
 *   even index (the pod-side peer takes the one between).
 * The health endpoint (`lxc_health`) is not modelled: its address is not in the scenario.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { Pod } from '../../input/types.js';
import { hostRoutingTable, ciliumHostAddress } from '../../fib/base.js';
import type { RoutingTable } from '../../fib/types.js';
import { fnv1a } from '../../net/hash.js';
import { podIdentities } from './identity.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import { compareStrings } from '../../net/compare.js';

/**
 * One row of the endpoint map.
 *
 * @example
 * ```ts
 * const e: EndpointMapEntry = { address: '172.20.0.247', localhost: false, id: 1234, identity: 34817,
 *   flags: 0, ifindex: 8, mac: '12:52:E3:7E:87:4F', nodeMac: '2E:E6:8A:A2:06:1E', pod: 'default/curl-pod' };
 * ```
 */
export interface EndpointMapEntry {
  /** The address (key `ip:0`). */
  readonly address: string;
  /** True for a `(localhost)` row (an address of the host itself). */
  readonly localhost: boolean;
  /** Endpoint ID (0 for localhost rows). */
  readonly id: number;
  /** Security identity (`sec_id`; 0 for localhost rows). */
  readonly identity: number;
  /** Endpoint flags (0). */
  readonly flags: number;
  /** ifindex of the host-side `lxc` device. */
  readonly ifindex: number;
  /** MAC of the pod's `eth0`, upper case as the tool prints it. */
  readonly mac: string;
  /** MAC of the host-side `lxc` device. */
  readonly nodeMac: string;
  /** `namespace/name` of the pod (empty for localhost rows). */
  readonly pod: string;
}

function macFrom(key: string): string {
  const a = fnv1a(key);
  const b = fnv1a(`${key}#`);
  const bytes = [((a >>> 24) & 0xfe) | 0x02, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff, (b >>> 8) & 0xff, b & 0xff];
  return bytes.map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/**
 * The deterministic MAC of a pod's `eth0` (lower case, as `ip link` prints it).
 *
 * @example
 * ```ts
 * podMac('default', 'curl-pod'); // e.g. '6a:1f:…'
 * ```
 */
export function podMac(namespace: string, name: string): string {
  return macFrom(`${namespace}/${name}`).toLowerCase();
}

/** Pods that are endpoints on a node: scheduled there, not host-network, with an IPv4 address. */
function isEndpointOn(pod: Pod, node: string): boolean {
  return pod.nodeName === node && !pod.hostNetwork && pod.phase === 'Running' && pod.podIPs.some((a) => a.bitSize === 32);
}

/**
 * Endpoint IDs of every pod endpoint of a node (`namespace/name` → ID), see the module doc.
 *
 * @example
 * ```ts
 * endpointIds(cluster, 'k8s-ctr').get('default/curl-pod'); // e.g. 1873
 * ```
 */
export function endpointIds(cluster: Cluster, node: string): ReadonlyMap<string, number> {
  const names = cluster.scenario.pods
    .filter((p) => isEndpointOn(p, node))
    .map((p) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`)
    .sort();
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const name of names) {
    let id = fnv1a(`${node}/${name}`) % 4095;
    while (taken.has(id)) id = (id + 1) % 4095;
    taken.add(id);
    out.set(name, id + 1);
  }
  return out;
}

/**
 * The endpoint map of a node: pod endpoints and `(localhost)` rows (the `cilium_host` address
 * and the addresses of the host's interfaces), sorted by address. `table` is the node's routing
 * table (for ifindexes); computed when not given.
 *
 * @example
 * ```ts
 * endpointMap(cluster, 'k8s-ctr').map((e) => e.address);
 * // ['10.0.2.15', '172.20.0.1', '172.20.0.247', '192.168.10.100']
 * ```
 */
export function endpointMap(
  cluster: Cluster,
  node: string,
  table?: RoutingTable,
  identities: ReadonlyMap<string, number> = podIdentities(cluster),
): EndpointMapEntry[] {
  const host = clusterIndexes(cluster).host(node);
  if (host === undefined || !(clusterIndexes(cluster).node(node) !== undefined)) return [];
  const t = table ?? hostRoutingTable(cluster, host);
  const ids = endpointIds(cluster, node);
  const lastIndex = t.links.reduce((m, l) => Math.max(m, l.index), 0);
  const rows: EndpointMapEntry[] = [];
  const pods = cluster.scenario.pods
    .filter((p) => isEndpointOn(p, node))
    .sort((a, b) => compareStrings(`${a.meta.namespace}/${a.meta.name}`, `${b.meta.namespace}/${b.meta.name}`));
  pods.forEach((p, k) => {
    const key = `${p.meta.namespace ?? 'default'}/${p.meta.name}`;
    const ip = p.podIPs.find((a) => a.bitSize === 32);
    if (ip === undefined) return;
    rows.push({
      address: ip.toString(),
      localhost: false,
      id: ids.get(key) ?? 0,
      identity: identities.get(key) ?? 0,
      flags: 0,
      ifindex: lastIndex + 2 * (k + 1),
      mac: macFrom(key),
      nodeMac: macFrom(`${key}@lxc`),
      pod: key,
    });
  });
  const local = new Set<string>();
  const ch = ciliumHostAddress(cluster, node);
  if (ch !== undefined && ch.bitSize === 32) local.add(ch.toString());
  for (const l of t.links) {
    if (l.kind !== 'ethernet') continue;
    for (const a of l.addresses) if (a.address.bitSize === 32) local.add(a.address.toString());
  }
  for (const a of local) {
    if (rows.some((r) => r.address === a)) continue;
    rows.push({ address: a, localhost: true, id: 0, identity: 0, flags: 0, ifindex: 0, mac: '', nodeMac: '', pod: '' });
  }
  return rows.sort((a, b) => ipOrder(a.address) - ipOrder(b.address));
}

function ipOrder(text: string): number {
  const p = text.split('.').map(Number);
  return (((p[0] ?? 0) * 256 + (p[1] ?? 0)) * 256 + (p[2] ?? 0)) * 256 + (p[3] ?? 0);
}

