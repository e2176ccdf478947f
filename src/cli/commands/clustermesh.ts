/**
 * `cilium clustermesh status`: the cluster mesh as the cilium CLI shows it for one context.
 *
 * @module
 */
import { ok, okJson, twinOf, usageError, type Command, type CommandContext, type CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { clusterMeshStatus } from '../../mesh/status.js';
import { renderClusterMeshStatus } from '../../views/clustermesh.js';

/**
 * `cilium clustermesh status [--wait] [--context NAME]`.
 *
 * @example
 * clusterMeshStatusCommand.run({ cluster, args: [], json: false });
 */
export const clusterMeshStatusCommand: Command = {
  path: ['cilium', 'clustermesh', 'status'],
  scope: 'cluster',
  formats: ['json'],
  summary: "The cluster mesh as the cilium CLI shows it: apiserver access, connected clusters, global services",
  help: `Usage: cilium clustermesh status [--wait] [--context NAME] [-o json]

The cluster mesh of one cluster (the current context, or --context NAME) as the cilium CLI prints
it: the clustermesh-apiserver service (NodePort 32379) and its access address, KVStoreMesh
(disabled), how many nodes are connected to how many clusters, each remote cluster, and the global
services each agent knows. A scenario of several clusters is loaded with -f NAME=PATH.

Example: cilium-twin -f kind-west=examples/cluster-mesh/west -f kind-east=examples/cluster-mesh/east -f examples/cluster-mesh/shared cilium clustermesh status --context kind-west`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, clusterMeshStatusCommand);
    if ('exitCode' in o) return o;
    const bad = o.rest.find((a) => a !== '--wait' && a !== '--verbose');
    if (bad !== undefined) return usageError(`Error: unknown flag: ${bad}`);
    const status = clusterMeshStatus(twinOf(ctx).cluster);
    if (status === undefined) {
      return {
        stdout: '',
        stderr:
          'Error: Unable to determine status: unable to get clustermesh service "clustermesh-apiserver": services "clustermesh-apiserver" not found\n',
        exitCode: 1,
      };
    }
    return o.output === 'json' ? okJson(status) : ok(renderClusterMeshStatus(status));
  },
};
