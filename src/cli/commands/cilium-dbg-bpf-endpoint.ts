/**
 * `exec NODE -- cilium-dbg bpf endpoint list [-o json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, twinOf, usageError } from '../command.js';
import { endpointMap } from '../../datapath/endpoints/endpoints.js';
import { endpointListJson, renderEndpointList } from '../../views/bpf-ipcache.js';
import { ciliumNodeOf } from './cilium-dbg-bpf-ipcache.js';

/**
 * `cilium-dbg bpf endpoint list` (host scope).
 *
 * @example
 * ```ts
 * bpfEndpointListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' }).stdout;
 * ```
 */
export const bpfEndpointListCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'endpoint', 'list'],
  aliases: [['cilium', 'bpf', 'endpoint', 'list']],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's local endpoint map (pods and the host's own addresses)",
  help: `Usage: exec NODE -- cilium-dbg bpf endpoint list [-o json]

Prints the node's cilium_lxc map: each local pod endpoint (endpoint id, security identity, flags,
host-side lxc ifindex, pod MAC and node MAC) and '(localhost)' for the host's own addresses.
Endpoint ids, MACs and ifindexes are the model's deterministic choices (docs/decisions.md).

Example: cilium-twin -f lab/ -f variants/webpod-3.yaml exec k8s-ctr -- cilium-dbg bpf endpoint list`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const o = outputOf(ctx, bpfEndpointListCommand);
    if ('exitCode' in o) return o;
    const { rest } = o;
    const json = o.output === 'json';
    if (rest.length > 0) return usageError(`Error: unknown flag: ${rest[0]}`);
    const entries = endpointMap(ctx.cluster, node, undefined, twinOf(ctx).identities());
    return ok(json ? endpointListJson(entries) : renderEndpointList(entries));
  },
};
