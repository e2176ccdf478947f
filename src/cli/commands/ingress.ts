/**
 * `kubectl get ingress [NAME…] [-n NS | -A] [-o wide]`: Ingresses with their class, hosts, the
 * address Cilium's ingress controller gives them, and ports.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, twinOf, usageError } from '../command.js';
import { outputOf } from '../output.js';
import { parseKubectlGetArgs } from '../kubectl-args.js';
import { renderGetIngress } from '../../views/ingress.js';

/**
 * `kubectl get ingress` (cluster scope).
 *
 * @example
 * kubectlGetIngressCommand.run({ cluster, args: ['-A'], json: false });
 */
export const kubectlGetIngressCommand: Command = {
  path: ['kubectl', 'get', 'ingress'],
  aliases: [
    ['kubectl', 'get', 'ingresses'],
    ['kubectl', 'get', 'ing'],
    ['kubectl', 'get', 'ingresses.networking.k8s.io'],
  ],
  formats: ['wide'],
  scope: 'cluster',
  summary: 'List Ingresses with their class, hosts, address (from Cilium\'s ingress controller) and ports',
  help: `Usage: kubectl get ingress [NAME...] [-n NAMESPACE | -A] [-o wide]

Columns NAME CLASS HOSTS ADDRESS PORTS AGE (-A adds NAMESPACE). ADDRESS is the LB IP of the
Ingress's load-balancer Service (kube-system/cilium-ingress when shared, cilium-ingress-NAME in
the Ingress's namespace when dedicated), which Cilium's operator copies into the Ingress status;
empty for an Ingress Cilium does not manage. AGE is <unknown>: the model has no clock.

Example: cilium-twin -f examples/bgp-lab/lab -f examples/ingress-l7/scenario kubectl get ingress`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, kubectlGetIngressCommand);
    if ('exitCode' in o) return o;
    const a = parseKubectlGetArgs(o.rest);
    if (typeof a === 'string') return usageError(a);
    const twin = twinOf(ctx);
    const text = renderGetIngress(twin.cluster, twin.ingress(), twin.lbIpam(), { ...a, wide: o.output === 'wide' });
    if (text !== undefined) return ok(text);
    if (a.names.length > 0) return { stdout: '', stderr: `Error from server (NotFound): ingresses.networking.k8s.io "${a.names[0]}" not found\n`, exitCode: 1 };
    return { stdout: '', stderr: `No resources found${a.allNamespaces ? '' : ` in ${a.namespace} namespace`}.\n`, exitCode: 0 };
  },
};
