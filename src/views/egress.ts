/**
 * The egress stage's views: `cilium-dbg bpf egress list` (`cilium-dbg/cmd/bpf_egress_list.go`),
 * `cilium-dbg bpf nat list` (`pkg/maps/nat` dump format) and
 * `kubectl get isovalentegressgatewaypolicies` with the status the HA operator writes.
 *
 * @module
 */
import { stringify } from 'yaml';
import type { EgressMapRow, EgressPolicyState } from '../egress/gateway.js';
import type { LabelSelector } from '../input/types.js';
import type { NatTranslation } from '../packet/types.js';
import { CILIUM_TABWRITER, tabwrite } from './tabwriter.js';

/**
 * `cilium-dbg bpf egress list`: tabwriter(5, 0, 3, ' ') with the header
 * `Source IP  Destination CIDR  Egress IP  Gateway IP`; `undefined` for an empty map (the tool
 * prints `No entries found.` to standard error).
 *
 * @example
 * ```ts
 * renderEgressList([{ SourceIP: '10.244.1.37', DestCIDR: '172.18.0.50/32', EgressIP: '0.0.0.0', GatewayIP: '172.18.0.4' }]);
 * // 'Source IP     Destination CIDR   Egress IP   Gateway IP\n10.244.1.37   172.18.0.50/32     0.0.0.0     172.18.0.4\n'
 * ```
 */
export function renderEgressList(rows: readonly EgressMapRow[]): string | undefined {
  if (rows.length === 0) return undefined;
  return tabwrite(
    ['Source IP\tDestination CIDR\tEgress IP\tGateway IP', ...rows.map((r) => `${r.SourceIP}\t${r.DestCIDR}\t${r.EgressIP}\t${r.GatewayIP}`)],
    CILIUM_TABWRITER,
  );
}

/**
 * `cilium-dbg bpf nat list` lines for translations (the real dump format: key, then
 * `XLATE_SRC`/`XLATE_DST`, `Created=Nsec ago` — 0 for flows just traced — and `HostLocal=0`).
 *
 * @example
 * ```ts
 * renderNatList([n]);
 * // 'TCP OUT 10.244.1.37:40000 -> 172.18.0.50:8000 XLATE_SRC 172.18.0.100:40000 Created=0sec ago HostLocal=0\n'
 * // + 'TCP IN 172.18.0.50:8000 -> 172.18.0.100:40000 XLATE_DST 10.244.1.37:40000 Created=0sec ago HostLocal=0\n'
 * ```
 */
export function renderNatList(entries: readonly NatTranslation[]): string {
  const out: string[] = [];
  for (const e of entries) {
    out.push(`${e.proto} OUT ${e.src}:${e.sport} -> ${e.dst}:${e.dport} XLATE_SRC ${e.natAddr}:${e.natPort} Created=0sec ago HostLocal=0\n`);
    out.push(`${e.proto} IN ${e.dst}:${e.dport} -> ${e.natAddr}:${e.natPort} XLATE_DST ${e.src}:${e.sport} Created=0sec ago HostLocal=0\n`);
  }
  return out.join('');
}

function selectorObject(s: LabelSelector): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (Object.keys(s.matchLabels).length > 0) o['matchLabels'] = { ...s.matchLabels };
  if (s.matchExpressions.length > 0) {
    o['matchExpressions'] = s.matchExpressions.map((r) => ({ key: r.key, operator: r.operator, ...(r.values.length > 0 ? { values: [...r.values] } : {}) }));
  }
  return o;
}

/**
 * An `IsovalentEgressGatewayPolicy` as `kubectl get iegp NAME -o yaml|json` shows it: the spec
 * as given and the status the HA operator writes (`groupStatuses[]` with `activeGatewayIPs`,
 * `activeGatewayIPsByAZ`, `egressIPByGatewayIP`, `healthyGatewayIPs`; the
 * `isovalent.com/IPAMRequestSatisfied` condition). The model has no clock: timestamps are left out.
 *
 * @example
 * ```ts
 * iegpObject(egressState(cluster).policies[0]!).status;
 * ```
 */
export function iegpObject(p: EgressPolicyState): Record<string, unknown> {
  const pol = p.policy;
  const spec: Record<string, unknown> = {};
  if (pol.azAffinity !== undefined) spec['azAffinity'] = pol.azAffinity;
  spec['destinationCIDRs'] = pol.destinationCIDRs.map((c) => c.toCidrString());
  if (pol.egressCIDRs !== undefined) spec['egressCIDRs'] = pol.egressCIDRs.map((c) => c.toCidrString());
  spec['egressGroups'] = pol.gateways.map((g) => ({
    ...(g.egressIP !== undefined ? { egressIP: g.egressIP.toString() } : {}),
    ...(g.interface !== undefined ? { interface: g.interface } : {}),
    ...(g.maxGatewayNodes !== undefined ? { maxGatewayNodes: g.maxGatewayNodes } : {}),
    ...(g.nodeSelector !== undefined ? { nodeSelector: selectorObject(g.nodeSelector) } : {}),
  }));
  if (pol.excludedCIDRs.length > 0) spec['excludedCIDRs'] = pol.excludedCIDRs.map((c) => c.toCidrString());
  spec['selectors'] = pol.selectors.map((s) => ({
    ...(s.namespaceSelector !== undefined ? { namespaceSelector: selectorObject(s.namespaceSelector) } : {}),
    ...(s.nodeSelector !== undefined ? { nodeSelector: selectorObject(s.nodeSelector) } : {}),
    ...(s.podSelector !== undefined ? { podSelector: selectorObject(s.podSelector) } : {}),
  }));
  const satisfied = p.groups.every((g) => g.ipamSatisfied);
  const groupStatuses = p.groups.map((g) => {
    const st: Record<string, unknown> = {};
    if (g.active.length > 0) st['activeGatewayIPs'] = [...g.active];
    if (g.activeByZone.size > 0) {
      const byAz: Record<string, string[]> = {};
      for (const [z, ips] of g.activeByZone) byAz[z] = [...ips];
      st['activeGatewayIPsByAZ'] = byAz;
    }
    if (g.egressIPs.size > 0) {
      const m: Record<string, string> = {};
      for (const ip of g.active) m[ip] = g.egressIPs.get(ip) ?? '0.0.0.0';
      st['egressIPByGatewayIP'] = m;
    }
    if (g.healthy.length > 0) st['healthyGatewayIPs'] = [...g.healthy];
    return st;
  });
  return {
    apiVersion: 'isovalent.com/v1',
    kind: 'IsovalentEgressGatewayPolicy',
    metadata: { generation: 1, name: pol.meta.name, ...(Object.keys(pol.meta.labels).length > 0 ? { labels: { ...pol.meta.labels } } : {}) },
    spec,
    status: {
      conditions: [
        {
          message: satisfied ? 'allocation requests satisfied' : 'allocation requests not satisfied: egressCIDRs hold too few addresses',
          observedGeneration: 1,
          reason: satisfied ? 'Satisfied' : 'NotSatisfied',
          status: satisfied ? 'True' : 'False',
          type: 'isovalent.com/IPAMRequestSatisfied',
        },
      ],
      groupStatuses,
      observedGeneration: 1,
    },
  };
}

/**
 * `kubectl get iegp -o yaml`: one object when one name was asked for, else a `List`.
 *
 * @example
 * ```ts
 * renderIegpYaml(egressState(cluster).policies.filter((p) => p.flavour === 'isovalent'), ['egress-ha']);
 * ```
 */
export function renderIegpYaml(policies: readonly EgressPolicyState[], names: readonly string[]): string {
  return stringify(iegpValue(policies, names), { indentSeq: false, lineWidth: 0 });
}

/**
 * The value `kubectl get iegp -o yaml|json` prints: one object for one name, else a `List`.
 *
 * @example
 * ```ts
 * iegpValue(policies, []); // { apiVersion: 'v1', items: [...], kind: 'List', metadata: { resourceVersion: '' } }
 * ```
 */
export function iegpValue(policies: readonly EgressPolicyState[], names: readonly string[]): Record<string, unknown> {
  const items = policies.filter((p) => names.length === 0 || names.includes(p.name)).map(iegpObject);
  if (names.length === 1 && items[0] !== undefined) return items[0];
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
