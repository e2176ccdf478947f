/**
 * The egress stage (`cilium-twin/egress`): which source address a pod's traffic to the outside
 * leaves with. Masquerading as Cilium decides it (BPF or iptables, the SNAT exclusion CIDR, the
 * ip-masq-agent), the OSS egress gateway (`CiliumEgressGatewayPolicy`) and the highly available
 * one (`IsovalentEgressGatewayPolicy`): the policy map every agent writes, the gateways and egress
 * IPs, and the HA operator's status. The packet walk reads {@link EgressDatapath} through two small
 * hooks; the CLI's `cilium-dbg bpf egress list` and `kubectl get iegp` read {@link egressState}.
 *
 * Sits at the datapath's depth: it reads the cluster, identities and the base routing tables, and
 * is read by the network and packet stages.
 *
 * Complexity: everything is computed once per cluster (the caller keeps it) — O(P·(E·S + N) + R log R) for
 * P policies, E endpoints, S selector entries, N nodes, R map rows; per packet, a lookup is
 * O(entries of its source); one node's map is O(R).
 *
 * @example
 * ```ts
 * import { egressState, egressMapRows } from 'cilium-twin/egress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * const rows = egressMapRows(egressState(cluster), '172.18.0.4');
 * ```
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { egressState } from './gateway.js';
import { masqueradeSettings } from './masquerade.js';

export {
  GATEWAY_EXCLUDED,
  GATEWAY_NOT_FOUND,
  ZONE_LABEL,
  allocatedEgressAddresses,
  egressLookup,
  egressMapRows,
  egressRefusal,
  egressState,
  type EgressEntry,
  type EgressMapRow,
  type EgressPolicyState,
  type EgressState,
  type GatewayGroupState,
} from './gateway.js';
export {
  IP_MASQ_AGENT_DEFAULTS,
  LINK_LOCAL_V4,
  compiledNonMasquerade,
  effectiveNonMasqueradeCIDRs,
  masqueradeSettings,
  masqueradingStatus,
  nonMasqueraded,
  snatExclusionCidr,
  type MasqueradeSettings,
} from './masquerade.js';
export { egressAtSource, egressDatapath, egressSnatAt, type EgressDatapath } from './datapath.js';

/**
 * Everything `validate` reports about egress: the agent's refusal, policies without a gateway, egress
 * IPs no gateway holds, overlapping policies, and an ip-masq-agent that cannot run.
 *
 * @example
 * ```ts
 * egressWarnings(cluster); // [] for a healthy lab
 * ```
 */
export function egressWarnings(cluster: Cluster): string[] {
  const out: string[] = [];
  const c = cluster.config;
  if (c.enableIpMasqAgent && !c.enableBpfMasquerade) {
    out.push('enable-ip-masq-agent is true but enable-bpf-masquerade is false: the BPF ip-masq-agent needs BPF masquerading (the agent refuses to start)');
  }
  if (!masqueradeSettings(cluster).ipMasqAgent && cluster.scenario.ipMasqAgent !== undefined) {
    out.push('ConfigMap kube-system/ip-masq-agent is given but enable-ip-masq-agent is not true: Cilium does not read it');
  }
  return [...out, ...egressState(cluster).warnings];
}
