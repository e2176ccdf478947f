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
import { serviceAffinity } from '../../cluster/mesh-view.js';
import type { ServiceListRow } from '../../views/lb/cilium-dbg.js';

/**
 * `--clustermesh-affinity`: a global service's backends on the side its affinity prefers
 * (`local`: this cluster's, `remote`: the other clusters') are marked `(preferred)`.
 */
function preferredBackends(ctx: CommandContext): (row: ServiceListRow, backend: ServiceListRow['backends'][number]) => boolean {
  const affinity = new Map<string, string>(ctx.cluster.scenario.services.map((s) => [`${s.meta.namespace ?? 'default'}/${s.meta.name}`, serviceAffinity(s)]));
  return (row, b) => {
    const a = row.service !== undefined ? affinity.get(row.service) : undefined;
    return a === 'local' ? b.clusterId === undefined : a === 'remote' ? b.clusterId !== undefined : false;
  };
}

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
  help: `Usage: exec NODE -- cilium-dbg service list [--clustermesh-affinity] [-o json]

--clustermesh-affinity marks the backends a global service's service.cilium.io/affinity prefers.
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
    if (json) return ok(serviceListJson(maps, rows));
    return ok(o.rest.includes('--clustermesh-affinity') ? renderServiceList(rows, preferredBackends(ctx)) : renderServiceList(rows));
  },
};
