/**
 * Masquerading as Cilium 1.18 decides it (`bpf/lib/nat.h` `snat_v4_needs_masquerade`,
 * `pkg/ipmasq`, `Documentation/network/concepts/masquerading.rst`): the mode (BPF or iptables),
 * the SNAT exclusion CIDR, the ip-masq-agent's non-masquerade list with its defaults, and the
 * `Masquerading:` line of `cilium status`.
 *
 * The per-packet part lives in the packet walk (`toNetdev`), which asks {@link nonMasqueraded}
 * for the ip-masq-agent check; everything here is computed once per cluster.
 *
 * Complexity: {@link masqueradeSettings} is O(|nonMasqueradeCIDRs|); {@link nonMasqueraded} is
 * O(|nonMasqueradeCIDRs|) per packet (a dozen prefixes by default).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { type Prefix4, inPrefix, isIPv4Prefix, parsePrefix4 } from '../net/addr.js';
import { nodePodCidrs } from '../fib/base.js';

/**
 * The ip-masq-agent's default non-masquerade CIDRs when its configuration gives none
 * (`pkg/ipmasq` `defaultNonMasqCIDRs`); 169.254.0.0/16 is added unless `masqLinkLocal`.
 *
 * @example
 * ```ts
 * IP_MASQ_AGENT_DEFAULTS[0]; // '10.0.0.0/8'
 * ```
 */
export const IP_MASQ_AGENT_DEFAULTS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '240.0.0.0/4',
];

/**
 * The IPv4 link-local range the ip-masq-agent exempts unless `masqLinkLocal` is true.
 *
 * @example
 * ```ts
 * LINK_LOCAL_V4; // '169.254.0.0/16'
 * ```
 */
export const LINK_LOCAL_V4 = '169.254.0.0/16';

/**
 * The masquerading settings of a cluster.
 *
 * @example
 * ```ts
 * const m = masqueradeSettings(cluster);
 * m.mode; // 'bpf' when enable-bpf-masquerade is true
 * ```
 */
export interface MasqueradeSettings {
  /** `enable-ipv4-masquerade` (and `enable-ipv4`). */
  readonly ipv4: boolean;
  /** `enable-ipv6-masquerade` (and `enable-ipv6`). */
  readonly ipv6: boolean;
  /** `bpf` (`enable-bpf-masquerade`) or `iptables`. */
  readonly mode: 'bpf' | 'iptables';
  /** The BPF ip-masq-agent is on (`enable-ip-masq-agent`, BPF mode only). */
  readonly ipMasqAgent: boolean;
  /** The effective non-masquerade CIDRs (text, in the order the agent holds them), when the agent is on. */
  readonly nonMasqueradeCIDRs: readonly string[];
}

/**
 * The effective non-masquerade list of the ip-masq-agent: the configured CIDRs (IPv4 ones), or
 * the defaults when none is configured (or the ConfigMap is absent), plus 169.254.0.0/16 unless
 * `masqLinkLocal`.
 *
 * @example
 * ```ts
 * effectiveNonMasqueradeCIDRs(undefined).length; // 12 (11 defaults + link-local)
 * ```
 */
export function effectiveNonMasqueradeCIDRs(config: Cluster['scenario']['ipMasqAgent']): readonly string[] {
  const given = (config?.nonMasqueradeCIDRs ?? []).filter(isIPv4Prefix).map((p) => p.toCidrString());
  const list = given.length > 0 || (config?.nonMasqueradeCIDRs.length ?? 0) > 0 ? given : [...IP_MASQ_AGENT_DEFAULTS];
  if (!(config?.masqLinkLocal ?? false) && !list.includes(LINK_LOCAL_V4)) list.push(LINK_LOCAL_V4);
  return list;
}

/**
 * The masquerading settings of a cluster's Cilium configuration.
 *
 * @example
 * ```ts
 * masqueradeSettings(cluster).nonMasqueradeCIDRs; // [] unless enable-ip-masq-agent
 * ```
 */
export function masqueradeSettings(cluster: Cluster): MasqueradeSettings {
  const c = cluster.config;
  const mode = c.enableBpfMasquerade ? 'bpf' : 'iptables';
  const ipMasqAgent = c.enableIpMasqAgent && mode === 'bpf';
  return {
    ipv4: c.enableIPv4 && c.enableIPv4Masquerade,
    ipv6: c.enableIPv6 && c.enableIPv6Masquerade,
    mode,
    ipMasqAgent,
    nonMasqueradeCIDRs: ipMasqAgent ? effectiveNonMasqueradeCIDRs(cluster.scenario.ipMasqAgent) : [],
  };
}

/**
 * The compiled non-masquerade list (32-bit prefixes) for the packet walk, or `undefined` when
 * the ip-masq-agent is off.
 *
 * @example
 * ```ts
 * const list = compiledNonMasquerade(masqueradeSettings(cluster));
 * ```
 */
export function compiledNonMasquerade(m: MasqueradeSettings): readonly Prefix4[] | undefined {
  if (!m.ipMasqAgent) return undefined;
  return m.nonMasqueradeCIDRs.flatMap((t) => {
    const p = parsePrefix4(t);
    return p ? [p] : [];
  });
}

/**
 * True when the ip-masq-agent exempts `dst` from masquerading.
 *
 * @example
 * ```ts
 * nonMasqueraded([{ addr: 0x0a000000, len: 8 }], 0x0a010203); // true
 * ```
 */
export function nonMasqueraded(list: readonly Prefix4[] | undefined, dst: number): boolean {
  if (list === undefined) return false;
  for (const p of list) if (inPrefix(dst, p)) return true;
  return false;
}

/**
 * The SNAT exclusion CIDR Cilium reports for a node (`SnatExclusionCidrV4`):
 * `ipv4-native-routing-cidr` when set, else the node's first IPv4 pod CIDR.
 *
 * @example
 * ```ts
 * snatExclusionCidr(cluster, 'k8s-ctr'); // '172.20.0.0/16' in the bgp-lab
 * ```
 */
export function snatExclusionCidr(cluster: Cluster, node: string): string {
  const native = cluster.config.ipv4NativeRoutingCIDR;
  if (native !== undefined && isIPv4Prefix(native)) return native.toCidrString();
  const own = nodePodCidrs(cluster, node).find(isIPv4Prefix);
  return own !== undefined ? own.toCidrString() : '';
}

/**
 * The text after `Masquerading:` in `cilium status` on `node` (Cilium 1.18's format), with tabs
 * where the real tool's tabwriter aligns: `BPF (ip-masq-agent)\t[eth0, eth1]\t10.0.0.0/16 [IPv4:
 * Enabled, IPv6: Disabled]`, `IPTables [IPv4: Enabled, IPv6: Disabled]`, or `Disabled`.
 * `devices` are the node's devices running `bpf_host` (the KPR device list).
 *
 * @example
 * ```ts
 * masqueradingStatus(cluster, 'k8s-ctr', ['eth0', 'eth1']); // 'BPF\t[eth0, eth1]\t172.20.0.0/16 [IPv4: Enabled, IPv6: Disabled]'
 * ```
 */
export function masqueradingStatus(cluster: Cluster, node: string, devices: readonly string[]): string {
  const m = masqueradeSettings(cluster);
  if (!m.ipv4 && !m.ipv6) return 'Disabled';
  const state = (b: boolean): string => (b ? 'Enabled' : 'Disabled');
  let status: string;
  if (m.mode === 'bpf') {
    status = m.ipMasqAgent ? 'BPF (ip-masq-agent)' : 'BPF';
    status += `\t[${devices.join(', ')}]\t${snatExclusionCidr(cluster, node)}`;
  } else status = 'IPTables';
  return `${status} [IPv4: ${state(m.ipv4)}, IPv6: ${state(m.ipv6)}]`;
}
