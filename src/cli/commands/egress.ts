/**
 * The egress commands: `exec NODE -- cilium-dbg bpf egress list [-o json]` and
 * `kubectl get isovalentegressgatewaypolicies [NAME...] [-o yaml|json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, okJson, usageError } from '../command.js';
import { egressMapRows, egressState } from '../../egress/gateway.js';
import { iegpValue, renderEgressList, renderIegpYaml } from '../../views/egress.js';
import { ciliumNodeOf, jsonFlag } from './cilium-dbg-bpf-ipcache.js';
import { parseOutput } from './bgp-common.js';
import { UNKNOWN_AGE } from '../../views/bgp/node-configs.js';

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
    const { json, rest } = jsonFlag(ctx.args, ctx.json);
    if (rest.length > 0) return usageError(`Error: unknown flag: ${rest[0]}`);
    const state = egressState(ctx.cluster);
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
    const o = parseOutput(ctx.args);
    if (typeof o === 'string') return usageError(o);
    const flag = o.rest.find((a) => a.startsWith('-'));
    if (flag !== undefined) return usageError(`error: unknown flag: ${flag}`);
    if (o.output !== undefined && !['yaml', 'json'].includes(o.output)) {
      return usageError(`error: unable to match a printer suitable for the output format "${o.output}", allowed formats are: json,yaml`);
    }
    const names = o.rest;
    const policies = egressState(ctx.cluster).policies.filter((p) => p.flavour === 'isovalent');
    const missing = names.find((n) => !policies.some((p) => p.name === n));
    if (missing !== undefined) return { stdout: '', stderr: `Error from server (NotFound): ${IEGP} "${missing}" not found\n`, exitCode: 1 };
    if (ctx.json || o.output === 'json') return okJson(iegpValue(policies, names));
    if (o.output === 'yaml') return ok(renderIegpYaml(policies, names));
    const rows = policies.filter((p) => names.length === 0 || names.includes(p.name));
    if (rows.length === 0) return { stdout: '', stderr: 'No resources found\n', exitCode: 0 };
    const w = Math.max(4, ...rows.map((r) => r.name.length)) + 3;
    return ok(['NAME'.padEnd(w) + 'AGE', ...rows.map((r) => r.name.padEnd(w) + UNKNOWN_AGE)].join('\n') + '\n');
  },
};
