/**
 * The policy views of `cilium-dbg`: `identity list` and `bpf policy get` (`endpoint list` is in views/workloads.ts)
 * (`cilium-dbg/cmd/identity_list.go`, `bpf_policy_get.go`, `endpoint_list.go`), each a Go
 * tabwriter `(5, 0, 3, ' ')`; and the connectivity matrix of `cilium-twin policy matrix`.
 *
 * @module
 */
import type { Identity } from '../datapath/endpoints/identity.js';
import type { EndpointPolicy, PolicyMapEntry } from '../policy/resolve.js';
import type { PolicyMatrix } from '../packet/matrix.js';
import { CILIUM_TABWRITER, tabwrite } from './tabwriter.js';

/**
 * `cilium-dbg identity list`: `ID  LABELS`, one label per line, identities by ID.
 *
 * @example
 * ```ts
 * renderIdentityList([{ id: 1, labels: ['reserved:host'] }]); // 'ID   LABELS          \n1    reserved:host   \n'
 * ```
 */
export function renderIdentityList(identities: readonly Identity[]): string {
  const lines = ['ID\tLABELS'];
  for (const i of identities) {
    i.labels.forEach((l, k) => lines.push(k === 0 ? `${i.id}\t${l}` : `\t${l}`));
  }
  return tabwrite(lines, CILIUM_TABWRITER);
}

/**
 * `cilium-dbg identity list -o json`: `[{id, labels}]`.
 *
 * @example
 * ```ts
 * JSON.parse(identityListJson([{ id: 1, labels: ['reserved:host'] }]))[0].id; // 1
 * ```
 */
export function identityListJson(identities: readonly Identity[]): string {
  return `${JSON.stringify(identities.map((i) => ({ id: i.id, labels: i.labels })), null, 2)}\n`;
}

const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP' };

/**
 * The PORT/PROTO column (`PortProtoString`): `ANY`, `TCP`, `80/TCP`, `80-95/TCP`.
 *
 * @example
 * ```ts
 * portProtoText({ proto: 6, port: 80, prefix: 20 }); // '80-95/TCP'
 * ```
 */
export function portProtoText(e: Pick<PolicyMapEntry, 'proto' | 'port' | 'prefix'>): string {
  if (e.prefix === 0) return 'ANY';
  const proto = PROTO_NAMES[e.proto] ?? String(e.proto);
  if (e.prefix <= 8) return proto;
  const size = 1 << (24 - e.prefix);
  return size === 1 ? `${e.port}/${proto}` : `${e.port}-${e.port + size - 1}/${proto}`;
}

/**
 * `cilium-dbg bpf policy get ID [-n]`: the endpoint's policy map (reference §B7). Labels of a
 * remote identity: the first on the row, the others on continuation lines; identity 0 is `ANY`.
 *
 * @example
 * ```ts
 * renderPolicyGet(policy, (id) => identityTable(cluster).byId.get(id)?.labels);
 * ```
 */
export function renderPolicyGet(policy: EndpointPolicy, labelsOf: (id: number) => readonly string[] | undefined, numeric = false): string {
  const head = ['POLICY', 'DIRECTION', numeric ? 'IDENTITY' : 'LABELS (source:key[=value])', 'PORT/PROTO', 'PROXY PORT', 'AUTH TYPE', 'BYTES', 'PACKETS', 'PREFIX', 'COOKIE'];
  const lines = [head.join('\t')];
  for (const e of policy.entries) {
    const verdict = e.deny ? 'Deny' : 'Allow';
    const dir = e.direction === 'ingress' ? 'Ingress' : 'Egress';
    const rest = `${portProtoText(e)}\tNONE\tdisabled\t0\t0\t${e.prefix}\t0`;
    if (numeric) {
      lines.push(`${verdict}\t${dir}\t${e.identity}\t${rest}`);
      continue;
    }
    const labels = e.identity === 0 ? ['ANY'] : labelsOf(e.identity);
    if (labels === undefined || labels.length === 0) {
      lines.push(`${verdict}\t${dir}\t${e.identity}\t${rest}`);
      continue;
    }
    labels.forEach((l, k) => lines.push(k === 0 ? `${verdict}\t${dir}\t${l}\t${rest}` : `\t\t${l}\t\t\t\t\t\t\t`));
  }
  const out = tabwrite(lines, CILIUM_TABWRITER);
  return policy.entries.length === 0 ? `${out}Policy stats empty. Perhaps the policy enforcement is disabled?\n` : out;
}

/**
 * `cilium-dbg bpf policy get ID -o json`: the entries as `PolicyEntriesDump`.
 *
 * @example
 * ```ts
 * JSON.parse(policyGetJson(policy))[0].Key.Identity;
 * ```
 */
export function policyGetJson(policy: EndpointPolicy): string {
  const rows = policy.entries.map((e) => ({
    Key: { Prefixlen: e.prefix + 32, Identity: e.identity, TrafficDirection: e.direction === 'ingress' ? 0 : 1, Nexthdr: e.proto, DestPortNetwork: e.port },
    PolicyEntry: { ProxyPortNetwork: 0, Flags: e.deny ? 1 : 0, AuthRequirement: 0, Cookie: 0 },
    Packets: 0,
    Bytes: 0,
    Sources: e.sources.map((s) => `${s.kind} ${s.namespace !== undefined ? `${s.namespace}/` : ''}${s.name}`),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/**
 * `cilium-twin policy matrix`: a table with a row per client and a column per server; `✓`
 * allowed, `✗` denied; then, for each denied pair, the reason and the policies behind it.
 *
 * @example
 * ```ts
 * renderPolicyMatrix(policyMatrix(net, { port: 80, namespaces: ['x'] }));
 * ```
 */
export function renderPolicyMatrix(m: PolicyMatrix): string {
  const lines = [`FROM \\ TO (${m.port}/${m.protocol})\t${m.pods.join('\t')}`];
  m.cells.forEach((row, i) => lines.push(`${m.pods[i]}\t${row.map((c) => (c.allowed ? 'allow' : 'DENY')).join('\t')}`));
  let out = tabwrite(lines, CILIUM_TABWRITER);
  const denied = m.cells.flat().filter((c) => !c.allowed);
  if (denied.length > 0) {
    out += '\nDenied:\n';
    for (const c of denied) out += `  ${c.from} -> ${c.to}: ${c.reason ?? 'dropped'}${c.policies.length > 0 ? ` (${c.policies.join(', ')})` : ''}\n`;
  }
  return out;
}
