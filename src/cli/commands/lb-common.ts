/**
 * Shared pieces of the LB commands: the maps of the node a `cilium-dbg` runs on.
 *
 * @module
 */
import { twinOf, type CommandContext, type CommandResult } from '../command.js';
import type { NodeLbMaps } from '../../datapath/lb/types.js';

/**
 * The LB maps of the node `ctx.host`, or the shell's answer when `cilium-dbg` is not there
 * (no host given, or a host that is not a Cilium node).
 *
 * @example
 * const maps = mapsOfHost(ctx, 'cilium-dbg');
 * if ('exitCode' in maps) return maps;
 */
export function mapsOfHost(ctx: CommandContext, tool: string): NodeLbMaps | CommandResult {
  const host = ctx.host;
  if (host === undefined) {
    return { stdout: '', stderr: `${tool}: run it inside a node: exec NODE -- ${tool} ...\n`, exitCode: 2 };
  }
  if (!ctx.cluster.scenario.nodes.some((n) => n.meta.name === host)) {
    return { stdout: '', stderr: `bash: line 1: ${tool}: command not found\n`, exitCode: 127 };
  }
  return twinOf(ctx).maps(host) ?? { stdout: '', stderr: `bash: line 1: ${tool}: command not found\n`, exitCode: 127 };
}
