/**
 * `exec NODE -- cilium-dbg bpf ipcache list [-o json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, twinOf, usageError } from '../command.js';
import { ipcacheEntries } from '../../datapath/ipcache/ipcache.js';
import { ipcacheListJson, renderIpcacheList } from '../../views/bpf-ipcache.js';

/**
 * The node a `cilium-dbg` command runs on, or the shell's answer when it is not a Cilium node.
 *
 * @example
 * ```ts
 * const node = ciliumNodeOf(ctx);
 * if (typeof node !== 'string') return node;
 * ```
 */
export function ciliumNodeOf(ctx: CommandContext): string | CommandResult {
  const host = ctx.host;
  if (host === undefined) return usageError('cilium-dbg: run it inside a node: exec NODE -- cilium-dbg ...');
  if (!ctx.cluster.scenario.nodes.some((n) => n.meta.name === host)) {
    return { stdout: '', stderr: 'bash: line 1: cilium-dbg: command not found\n', exitCode: 127 };
  }
  return host;
}

/**
 * Splits `-o json` off a command's words.
 *
 * @example
 * ```ts
 * jsonFlag(['-o', 'json'], false); // { json: true, rest: [] }
 * ```
 */
export function jsonFlag(args: readonly string[], json: boolean): { json: boolean; rest: string[] } {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-o' || a === '--output') && args[i + 1] === 'json') {
      json = true;
      i++;
    } else if (a === '-ojson' || a === '--output=json') json = true;
    else rest.push(a);
  }
  return { json, rest };
}

/**
 * `cilium-dbg bpf ipcache list` (host scope).
 *
 * @example
 * ```ts
 * bpfIpcacheListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' }).stdout;
 * ```
 */
export const bpfIpcacheListCommand: Command = {
  path: ['cilium-dbg', 'bpf', 'ipcache', 'list'],
  aliases: [
    ['cilium', 'bpf', 'ipcache', 'list'],
    ['cilium-dbg', 'map', 'get', 'cilium_ipcache'],
  ],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's IP cache: identity and tunnel endpoint of every address it knows",
  help: `Usage: exec NODE -- cilium-dbg bpf ipcache list [-o json]

Prints the node's cilium_ipcache map: for each prefix, its security identity, encryption key,
tunnel endpoint (the node holding a remote pod; 0.0.0.0 when local) and flags (hastunnel).
Rows are sorted by address (the real tool prints BPF hash order).

Example: cilium-twin -f lab/ -f variants/webpod-2.yaml exec k8s-ctr -- cilium-dbg bpf ipcache list`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const o = outputOf(ctx, bpfIpcacheListCommand);
    if ('exitCode' in o) return o;
    const { rest } = o;
    const json = o.output === 'json';
    if (rest.length > 0) return usageError(`Error: unknown flag: ${rest[0]}`);
    const entries = ipcacheEntries(ctx.cluster, node, twinOf(ctx).identityTable());
    return ok(json ? ipcacheListJson(entries) : renderIpcacheList(entries));
  },
};
