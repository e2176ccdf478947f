/**
 * `kubectl get ciliumbgpnodeconfigs [NAME...] [-o yaml|json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, okJson, usageError, twinOf } from '../command.js';
import { nodeConfigList, nodeConfigObject, renderNodeConfigTable, renderNodeConfigYaml } from '../../views/bgp/node-configs.js';
import { bgpOf, sessionStatesOf } from './bgp-common.js';

const KIND = 'ciliumbgpnodeconfigs.cilium.io';

/** `kubectl get ciliumbgpnodeconfigs` (cluster scope). */
export const kubectlGetBgpNodeConfigsCommand: Command = {
  path: ['kubectl', 'get', 'ciliumbgpnodeconfigs'],
  aliases: [
    ['kubectl', 'get', 'ciliumbgpnodeconfig'],
    ['kubectl', 'get', 'cbgpnode'],
    ['kubectl', 'get', 'ciliumbgpnodeconfigs.cilium.io'],
  ],
  formats: ['json', 'yaml'],
  scope: 'cluster',
  summary: 'The CiliumBGPNodeConfigs the operator writes, one per node a CiliumBGPClusterConfig selects',
  help: `Usage: kubectl get ciliumbgpnodeconfigs [NAME...] [-o yaml | -o json]

One object per node selected by a CiliumBGPClusterConfig (first config wins a node), with the
node's CiliumBGPNodeConfigOverride applied (routerID, localPort, localASN, peers' localAddress).
The table has NAME and AGE (<unknown>: the model has no clock). With -o yaml/json the status lists
each peer's peeringState (from the BGP session stage; the model's "active" where it is not wired in).

Example: cilium-twin -f lab/ kubectl get ciliumbgpnodeconfigs -o yaml`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, kubectlGetBgpNodeConfigsCommand);
    if ('exitCode' in o) return o;
    const flag = o.rest.find((a) => a.startsWith('-'));
    if (flag !== undefined) return usageError(`error: unknown flag: ${flag}`);
    const names = o.rest;
    const result = bgpOf(twinOf(ctx));
    const missing = names.find((n) => !result.nodeConfigs.some((c) => c.name === n));
    if (missing !== undefined) {
      return { stdout: '', stderr: `Error from server (NotFound): ${KIND} "${missing}" not found\n`, exitCode: 1 };
    }
    const states = sessionStatesOf(twinOf(ctx));
    if (o.output === 'json') {
      const one = names.length === 1 ? result.nodeConfigs.find((c) => c.name === names[0]) : undefined;
      return okJson(one !== undefined ? nodeConfigObject(result, one, states) : nodeConfigList(result, states, names));
    }
    if (o.output === 'yaml') return ok(renderNodeConfigYaml(result, states, names));
    const table = renderNodeConfigTable(result, names);
    return table === undefined ? { stdout: '', stderr: 'No resources found\n', exitCode: 0 } : ok(table);
  },
};
