/**
 * The egress commands: `exec NODE -- cilium-dbg bpf egress list [-o json]` and
 * `kubectl get isovalentegressgatewaypolicies [NAME...] [-o yaml|json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, okJson, twinOf, usageError } from '../command.js';
import { outputOf } from '../output.js';
import { type EgressState, egressMapRows, egressState } from '../../egress/gateway.js';
import { memoKey } from '../../twin/memo.js';
import { iegpValue, renderEgressList, renderIegpYaml, renderNatList } from '../../views/egress.js';
import { parseDestination } from '../../packet/trace.js';
import { ciliumNodeOf } from './cilium-dbg-bpf-ipcache.js';
import { UNKNOWN_AGE } from '../../views/bgp/node-configs.js';

const egressKey = memoKey<EgressState>('egress');

/** The egress state of the command's scenario, computed once per twin. */
function egressOf(ctx: CommandContext): EgressState {
  return twinOf(ctx).memo(egressKey, (t) => egressState(t.cluster));
}

/**
 * `cilium-dbg bpf egress list` (host scope).
 *
 * @example
 * ```ts
 * bpfEgressListCommand.run({ cluster, args: [], json: false, host: 'kind-worker' }).stdout;
 * ```
 */
export const bpfEgressListCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'egress', 'list'],
  aliases: [
    ['cilium', 'bpf', 'egress', 'list'],
    ['cilium-dbg', 'bpf', 'egress', 'ls'],
  ],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's egress gateway policy map (source IP, destination CIDR, egress IP, gateway IP)",
  help: `Usage: exec NODE -- cilium-dbg bpf egress list [-o json]

Prints the node's cilium_egress_gw_policy_v4 map: one row per (selected pod IP, destination or
excluded CIDR) of every egress gateway policy. The rows are the same on every node except the Egress
IP column, which only the gateway node fills in (0.0.0.0 elsewhere). Gateway IP is the gateway node's
InternalIP, "Not Found" when no node can be the gateway, "Excluded CIDR" for excludedCIDRs; for an
IsovalentEgressGatewayPolicy it lists the gateways the source uses ("0 => ip, 1 => ip").
Rows are sorted by source IP, then destination (the real tool prints map order).

Example: cilium-twin -f examples/egress-gateway/lab exec kind-worker2 -- cilium-dbg bpf egress list`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const o = outputOf(ctx, bpfEgressListCommand);
    if ('exitCode' in o) return o;
    const json = o.output === 'json';
    if (o.rest.length > 0) return usageError(`Error: unknown flag: ${o.rest[0]}`);
    const state = egressOf(ctx);
    if (!state.enabled) return { stdout: '', stderr: 'Cannot find egress gateway bpf maps\n', exitCode: 0 };
    const n = ctx.cluster.scenario.nodes.find((x) => x.meta.name === node);
    const ip = n?.addresses.find((a) => a.type === 'InternalIP')?.address.toString();
    const rows = egressMapRows(state, ip);
    if (json) return okJson(rows);
    const text = renderEgressList(rows);
    return text === undefined ? { stdout: '', stderr: 'No entries found.\n', exitCode: 0 } : ok(text);
  },
};

const IEGP = 'isovalentegressgatewaypolicies.isovalent.com';

/**
 * `kubectl get isovalentegressgatewaypolicies` (cluster scope; alias `iegp`).
 *
 * @example
 * ```ts
 * kubectlGetIegpCommand.run({ cluster, args: ['egress-ha', '-o', 'yaml'], json: false }).stdout;
 * ```
 */
export const kubectlGetIegpCommand: Command = {
  path: ['kubectl', 'get', 'isovalentegressgatewaypolicies'],
  aliases: [
    ['kubectl', 'get', 'iegp'],
    ['kubectl', 'get', 'isovalentegressgatewaypolicy'],
    ['kubectl', 'get', IEGP],
  ],
  formats: ['json', 'yaml'],
  scope: 'cluster',
  summary: 'IsovalentEgressGatewayPolicies with the status the HA operator writes (active and healthy gateways, egress IPs)',
  help: `Usage: kubectl get iegp [NAME...] [-o yaml | -o json]

The table has NAME and AGE (<unknown>: the model has no clock). With -o yaml/json each policy shows
its spec and status.groupStatuses[]: activeGatewayIPs, activeGatewayIPsByAZ (azAffinity other than
disabled), egressIPByGatewayIP (from egressCIDRs, else the group's egressIP/interface) and
healthyGatewayIPs (matching nodes that are Ready and not cordoned), plus the
isovalent.com/IPAMRequestSatisfied condition.

Example: cilium-twin -f examples/egress-gateway/lab -f examples/egress-gateway/variants/ha.yaml kubectl get iegp egress-ha -o yaml`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, kubectlGetIegpCommand);
    if ('exitCode' in o) return o;
    const flag = o.rest.find((a) => a.startsWith('-'));
    if (flag !== undefined) return usageError(`error: unknown flag: ${flag}`);
    const names = o.rest;
    const policies = egressOf(ctx).policies.filter((p) => p.flavour === 'isovalent');
    const missing = names.find((n) => !policies.some((p) => p.name === n));
    if (missing !== undefined) return { stdout: '', stderr: `Error from server (NotFound): ${IEGP} "${missing}" not found\n`, exitCode: 1 };
    if (o.output === 'json') return okJson(iegpValue(policies, names));
    if (o.output === 'yaml') return ok(renderIegpYaml(policies, names));
    const rows = policies.filter((p) => names.length === 0 || names.includes(p.name));
    if (rows.length === 0) return { stdout: '', stderr: 'No resources found\n', exitCode: 0 };
    const w = Math.max(4, ...rows.map((r) => r.name.length)) + 3;
    return ok(['NAME'.padEnd(w) + 'AGE', ...rows.map((r) => r.name.padEnd(w) + UNKNOWN_AGE)].join('\n') + '\n');
  },
};

/**
 * `cilium-dbg bpf nat list` (host scope): the node's NAT entries for the flows traced in the same
 * invocation. A fresh model has no connections, so the flows are named with the twin option
 * `--trace SOURCE ADDR:PORT[/PROTO]` (repeatable; SOURCE as for `trace --from`).
 *
 * @example
 * ```ts
 * bpfNatListCommand.run({ cluster, args: ['--trace', 'tiefighter', '172.18.0.50:8000'], json: false, host: 'kind-worker2' }).stdout;
 * ```
 */
export const bpfNatListCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'nat', 'list'],
  aliases: [['cilium', 'bpf', 'nat', 'list']],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's BPF NAT entries (masquerading, egress gateway and NodePort SNAT) for traced flows",
  help: `Usage: exec NODE -- cilium-dbg bpf nat list [--trace SOURCE ADDR:PORT[/PROTO]]...

Prints the entries the flows traced in this invocation left in the node's cilium_snat_v4_external
map, in the real dump format: for each translation an OUT entry (original tuple -> XLATE_SRC
translated source) and its IN twin (reply tuple -> XLATE_DST original source), with Created=0sec ago
(the flow was just traced) and HostLocal=0. A fresh model has no connections: name the flows with
--trace (a twin option; SOURCE is a host, node or pod as for trace --from). An empty map prints nothing.

Example: cilium-twin -f examples/egress-gateway/lab -f examples/egress-gateway/variants/egress-policy.yaml exec kind-worker2 -- cilium-dbg bpf nat list --trace tiefighter 172.18.0.50:8000`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const o = outputOf(ctx, bpfNatListCommand);
    if ('exitCode' in o) return o;
    const json = o.output === 'json';
    const rest = o.rest;
    const flows: { from: string; dst: string; dport: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a !== '--trace') return usageError(`Error: unknown flag: ${a}`);
      const from = rest[i + 1];
      const to = rest[i + 2] !== undefined ? parseDestination(rest[i + 2]!) : undefined;
      if (from === undefined || to === undefined) return usageError('Error: --trace needs SOURCE ADDR:PORT[/PROTO]');
      flows.push({ from, ...to });
      i += 2;
    }
    const twin = twinOf(ctx);
    const entries = flows.flatMap((f) => (twin.trace(f).nat ?? []).filter((n) => n.node === node));
    return json ? okJson(entries) : ok(renderNatList(entries));
  },
};
