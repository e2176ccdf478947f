/**
 * The `devices` setting as the Cilium agent reads it: the native devices a node's BPF NodePort,
 * masquerading and host firewall programs attach to.
 *
 * - `devices` (`cilium-config`; Helm `devices`) is a list separated by spaces or commas
 *   (`"eth+ net+"`, `"eth0,eth1"`). An entry ending in `+` matches every name with that prefix
 *   (`eth+` matches `eth0`, `eth1`); an entry starting with `!` excludes the names it matches
 *   (Cilium 1.18's device filter). Entries match only devices the agent would consider at all.
 * - Empty `devices` means auto-detection (Cilium 1.18, `pkg/datapath/tables` device selection):
 *   a device is selected when it is not one of Cilium's own or a container's device (names
 *   starting with `cilium_`, `lxc`, `lo`, `docker`, `cni`, `veth`, `kube-ipvs`, `nodelocaldns`,
 *   `genev_sys`, `vxlan_sys`, `flannel`), and it has a global unicast address (not loopback,
 *   not link-local) or carries the default route.
 *
 * The result keeps the host's interface order. {@link nodeDevices} answers for one node of a
 * cluster.
 *
 * @module
 */
import type { Host } from '../input/types.js';
import type { Cluster } from './types.js';

/**
 * Name prefixes Cilium never selects as native devices.
 *
 * @example
 * EXCLUDED_DEVICE_PREFIXES.includes('lxc'); // true
 */
export const EXCLUDED_DEVICE_PREFIXES: readonly string[] = [
  'cilium_',
  'lxc',
  'lo',
  'docker',
  'cni',
  'veth',
  'kube-ipvs',
  'nodelocaldns',
  'genev_sys',
  'vxlan_sys',
  'flannel',
];

/**
 * Splits a `devices` value as the agent's string-slice flag does (spaces or commas).
 *
 * @example
 * parseDevicesSetting('eth+ net+'); // ['eth+', 'net+']
 * parseDevicesSetting('eth0,eth1'); // ['eth0', 'eth1']
 */
export function parseDevicesSetting(text: string): string[] {
  return text.split(/[\s,]+/).filter((x) => x !== '');
}

/**
 * Whether a device name matches one filter entry (`eth+` is a prefix, anything else exact).
 *
 * @example
 * deviceMatches('eth+', 'eth1'); // true
 */
export function deviceMatches(entry: string, name: string): boolean {
  return entry.endsWith('+') ? name.startsWith(entry.slice(0, -1)) : name === entry;
}

function excluded(name: string): boolean {
  return EXCLUDED_DEVICE_PREFIXES.some((p) => name.startsWith(p));
}

/** Whether an address is global unicast (not loopback, link-local, multicast or unspecified). */
function globalUnicast(text: string): boolean {
  if (text.includes(':')) {
    const t = text.toLowerCase();
    return !(t === '::' || t === '::1' || t.startsWith('fe8') || t.startsWith('fe9') || t.startsWith('fea') || t.startsWith('feb') || t.startsWith('ff'));
  }
  const first = Number(text.split('.')[0]);
  const second = Number(text.split('.')[1]);
  return !(first === 127 || first === 0 || (first === 169 && second === 254) || first >= 224);
}

/**
 * The native devices of one host by the rule of the module doc.
 *
 * @example
 * selectDevices(['eth+'], host); // ['eth0', 'eth1'] on a host with eth0, eth1 and loop1
 * selectDevices([], host);       // every interface with a global address or the default route
 */
export function selectDevices(filter: readonly string[], host: Host): string[] {
  const names = host.interfaces.map((i) => i.name).filter((n) => !excluded(n));
  if (filter.length > 0) {
    const include = filter.filter((e) => !e.startsWith('!'));
    const exclude = filter.filter((e) => e.startsWith('!')).map((e) => e.slice(1));
    return names.filter((n) => (include.length === 0 || include.some((e) => deviceMatches(e, n))) && !exclude.some((e) => deviceMatches(e, n)));
  }
  const defaultDevs = new Set<string>();
  for (const r of host.routes) {
    if (r.type !== 'unicast' || r.dst.toCidrString().split('/')[1] !== '0') continue;
    for (const nh of r.nexthops) if (nh.dev !== undefined) defaultDevs.add(nh.dev);
  }
  return names.filter((n) => {
    if (defaultDevs.has(n)) return true;
    const itf = host.interfaces.find((i) => i.name === n)!;
    return itf.addresses.some((a) => globalUnicast(a.address.toString()));
  });
}

/**
 * The native devices of a node of the cluster (its Host's interfaces, by the rule of the module
 * doc); empty for a name that is no host. O(hosts + interfaces).
 *
 * @example
 * nodeDevices(cluster, 'k8s-ctr'); // ['eth0', 'eth1'] in the bgp-lab (no `devices` given)
 */
export function nodeDevices(cluster: Cluster, nodeName: string): readonly string[] {
  const host = cluster.hosts.find((h) => h.meta.name === nodeName);
  return host === undefined ? [] : selectDevices(cluster.config.devices, host);
}
