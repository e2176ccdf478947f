/**
 * `cilium-dbg service list [-o json]`, run inside a node.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, usageError } from '../command.js';
import { renderServiceList, serviceListJson, serviceListRows } from '../../views/lb/cilium-dbg.js';
import { mapsOfHost } from './lb-common.js';

/**
 * `cilium-dbg service list` (host scope).
 *
 * @example
 * serviceListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' });
 */
export const serviceListCommand: Command = {
  path: ['cilium-dbg', 'service', 'list'],
  aliases: [
    ['cilium-dbg', 'service', 'ls'],
    ['cilium', 'service', 'list'],
    ['cilium', 'service', 'ls'],
  ],
  formats: ['json'],
  scope: 'host',
  summary: "List the node's service frontends and their backends",
  help: `Usage: exec NODE -- cilium-dbg service list [-o json]

Lists every frontend of the agent's frontends table (ClusterIP, NodePort surrogate, LoadBalancer,
ExternalIPs, HostPort; node-address NodePort copies are map-only and not listed) with its ID, type
and backends in slot order with their state, sorted by ID.

Example: cilium-twin -f lab/ -f variants/lb.yaml exec k8s-ctr -- cilium-dbg service list`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, serviceListCommand);
    if ('exitCode' in o) return o;
    const json = o.output === 'json';
    for (const a of o.rest) {
      if (a === '--clustermesh-affinity') {
        continue;
      } else {
        return usageError(`Error: unknown flag: ${a}`);
      }
    }
    const maps = mapsOfHost(ctx, 'cilium-dbg');
    if ('exitCode' in maps) return maps;
    const rows = serviceListRows(maps);
    return json ? ok(serviceListJson(maps, rows)) : ok(renderServiceList(rows));
  },
};
