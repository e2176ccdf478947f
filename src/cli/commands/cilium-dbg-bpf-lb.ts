/**
 * `cilium-dbg bpf lb list [--revnat|--frontends|--backends|--source-ranges] [-o json]` and
 * `cilium-dbg bpf lb maglev get <service id> [--rle] [-o json]`, run inside a node.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, usageError } from '../command.js';
import { bpfLbListJson, renderBpfLbList, renderMaglevGet } from '../../views/lb/cilium-dbg.js';
import type { BpfLbListMode } from '../../views/lb/cilium-dbg.js';
import { mapsOfHost } from './lb-common.js';

/**
 * `cilium-dbg bpf lb list` (host scope).
 *
 * @example
 * bpfLbListCommand.run({ cluster, args: ['--revnat'], json: false, host: 'k8s-ctr' });
 */
export const bpfLbListCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'lb', 'list'],
  aliases: [
    ['cilium-dbg', 'bpf', 'lb', 'ls'],
    ['cilium', 'bpf', 'lb', 'list'],
    ['cilium', 'bpf', 'lb', 'ls'],
  ],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's BPF load-balancing maps (services, --revnat, --frontends, --backends)",
  help: `Usage: exec NODE -- cilium-dbg bpf lb list [--revnat | --frontends | --backends | --source-ranges] [-o json]

Dumps the node's cilium_lb4/6 maps as the agent programs them: every frontend (master row, slot 0,
with its rev-NAT ID and flags) and its backend slots; --revnat the reverse-NAT map, --frontends the
raw service values (union count[qcount] (revnat) [flags flags2]), --backends the backend map.
Rows come in frontend order (the real tool prints BPF hash order).

Example: cilium-twin -f lab/ -f variants/lb.yaml exec k8s-ctr -- cilium-dbg bpf lb list`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, bpfLbListCommand);
    if ('exitCode' in o) return o;
    const { rest } = o;
    const json = o.output === 'json';
    let mode: BpfLbListMode = 'services';
    for (const a of rest) {
      if (a === '--revnat') mode = 'revnat';
      else if (a === '--frontends') mode = 'frontends';
      else if (a === '--backends') mode = 'backends';
      else if (a === '--source-ranges') mode = 'source-ranges';
      else return usageError(`Error: unknown flag: ${a}`);
    }
    const maps = mapsOfHost(ctx, 'cilium-dbg');
    if ('exitCode' in maps) return maps;
    return json ? ok(bpfLbListJson(maps, mode)) : ok(renderBpfLbList(maps, mode));
  },
};

/**
 * `cilium-dbg bpf lb maglev get <service id>` (host scope).
 *
 * @example
 * bpfLbMaglevGetCommand.run({ cluster, args: ['5', '--rle'], json: false, host: 'k8s-ctr' });
 */
export const bpfLbMaglevGetCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'lb', 'maglev', 'get'],
  aliases: [['cilium', 'bpf', 'lb', 'maglev', 'get']],
  formats: ['json'],
  scope: 'host',
  summary: 'Show the Maglev lookup table of a service ID on this node',
  help: `Usage: exec NODE -- cilium-dbg bpf lb maglev get <service id> [--rle] [-o json]

Prints the Maglev lookup table (M backend IDs) that the node holds for a frontend's service ID,
as the real tool does: 'SVC ID' / 'LOOKUP TABLE', key [ID]/v4, value the ID slice.
--rle (a twin option) prints the table in run-length form (id(run),...) and each backend's count.
Tables exist for frontends Cilium builds one for (bpf-lb-algorithm=maglev: NodePort node-address
rows, LoadBalancer, ExternalIPs, HostPort; ClusterIP only with bpf-lb-external-clusterip).

Example: cilium-twin -f lab/ -f variants/dsr-maglev.yaml -f variants/lb.yaml exec k8s-ctr -- cilium-dbg bpf lb maglev get 5 --rle`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, bpfLbMaglevGetCommand);
    if ('exitCode' in o) return o;
    const { rest } = o;
    const json = o.output === 'json';
    const rle = rest.includes('--rle');
    const ids = rest.filter((a) => a !== '--rle');
    const unknown = ids.find((a) => a.startsWith('-'));
    if (unknown !== undefined) return usageError(`Error: unknown flag: ${unknown}`);
    if (ids.length === 0) return usageError('Error: Missing service id argument');
    const text = ids[0]!;
    const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(id) || id > 0xffff) {
      return { stdout: '', stderr: `Error: Unable to parse ${text}: strconv.ParseUint: parsing "${text}": invalid syntax\n`, exitCode: 1 };
    }
    const maps = mapsOfHost(ctx, 'cilium-dbg');
    if ('exitCode' in maps) return maps;
    const r = renderMaglevGet(maps, id, { json, rle });
    return r.exitCode === 0 ? ok(r.stdout) : { stdout: '', stderr: r.stderr, exitCode: r.exitCode };
  },
};
