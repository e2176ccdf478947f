/**
 * `kubectl get svc [NAME…] [-n NS | -A] [-o wide|json]` and `kubectl get ippools [NAME…] [-o json]`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { type KubectlGetArgs as KubectlArgs, parseKubectlGetArgs } from '../kubectl-args.js';
import { ok, twinOf, usageError } from '../command.js';
import { getIpPoolsJson, getServicesJson, renderGetIpPools, renderGetServices } from '../../views/lb/kubectl.js';

function notFound(namespaced: boolean, a: KubectlArgs, kind: string): CommandResult {
  if (a.names.length > 0) {
    return { stdout: '', stderr: `Error from server (NotFound): ${kind} "${a.names[0]}" not found\n`, exitCode: 1 };
  }
  const where = namespaced && !a.allNamespaces ? ` in ${a.namespace} namespace` : '';
  return { stdout: '', stderr: `No resources found${where}.\n`, exitCode: 0 };
}

/**
 * `kubectl get svc` (cluster scope).
 *
 * @example
 * kubectlGetSvcCommand.run({ cluster, args: ['-o', 'wide'], json: false });
 */
export const kubectlGetSvcCommand: Command = {
  path: ['kubectl', 'get', 'svc'],
  aliases: [
    ['kubectl', 'get', 'services'],
    ['kubectl', 'get', 'service'],
  ],
  formats: ['json', 'wide'],
  scope: 'cluster',
  summary: 'List Services with their cluster IPs and LB IPAM addresses',
  help: `Usage: kubectl get svc [NAME...] [-n NAMESPACE | -A] [-o wide | -o json]

Columns NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (-o wide adds SELECTOR, -A adds NAMESPACE).
EXTERNAL-IP of a LoadBalancer service is the address LB IPAM allocated (<pending> when none).
AGE is <unknown>: the model has no clock.

Example: cilium-twin -f lab/ -f variants/lb.yaml kubectl get svc -o wide`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, kubectlGetSvcCommand);
    if ('exitCode' in o) return o;
    const a = parseKubectlGetArgs(o.rest);
    if (typeof a === 'string') return usageError(a);
    const ipam = twinOf(ctx).lbIpam();
    const opts = { namespace: a.namespace, allNamespaces: a.allNamespaces, wide: o.output === 'wide', names: a.names };
    if (o.output === 'json') return ok(getServicesJson(ctx.cluster, ipam, opts));
    const text = renderGetServices(ctx.cluster, ipam, opts);
    return text === undefined ? notFound(true, a, 'services') : ok(text);
  },
};

/**
 * `kubectl get ippools` (cluster scope).
 *
 * @example
 * kubectlGetIpPoolsCommand.run({ cluster, args: [], json: false });
 */
export const kubectlGetIpPoolsCommand: Command = {
  path: ['kubectl', 'get', 'ippools'],
  aliases: [
    ['kubectl', 'get', 'ippool'],
    ['kubectl', 'get', 'ciliumloadbalancerippools'],
    ['kubectl', 'get', 'ciliumloadbalancerippool'],
    ['kubectl', 'get', 'ciliumloadbalancerippools.cilium.io'],
  ],
  formats: ['json', 'wide'],
  scope: 'cluster',
  summary: 'List CiliumLoadBalancerIPPools with their conflict state and available addresses',
  help: `Usage: kubectl get ippools [NAME...] [-o json]

Columns NAME DISABLED CONFLICTING IPS AVAILABLE AGE, from the pools' status as LB IPAM leaves it
(IPS AVAILABLE counts reserved first/last addresses and every allocation as used).

Example: cilium-twin -f lab/ -f variants/lb.yaml kubectl get ippools`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, kubectlGetIpPoolsCommand);
    if ('exitCode' in o) return o;
    const a = parseKubectlGetArgs(o.rest);
    if (typeof a === 'string') return usageError(a);
    const ipam = twinOf(ctx).lbIpam();
    if (o.output === 'json') return ok(getIpPoolsJson(ctx.cluster, ipam, a.names));
    const text = renderGetIpPools(ipam, a.names);
    return text === undefined ? notFound(false, a, 'ciliumloadbalancerippools.cilium.io') : ok(text);
  },
};
