/**
 * Commands about workloads: `kubectl get pods|deploy|rs|ds|sts|nodes|endpointslices` (kinds may
 * be combined with commas, `kubectl get deploy,rs,ds`), `kubectl describe pod`, `cilium status`,
 * `cilium config view`, and inside a node `cilium-dbg status` and `cilium-dbg endpoint list`.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, okJson, twinOf, usageError } from '../command.js';
import { outputOf } from '../output.js';
import { parseKubectlGetArgs } from '../kubectl-args.js';
import {
  CONTROLLER_KINDS,
  type GetOptions,
  getPodsJson,
  podJson,
  renderAgentStatus,
  renderCiliumStatus,
  renderConfigView,
  renderDescribePod,
  endpointListRows,
  renderEndpointListAgent,
  renderGetControllers,
  renderGetEndpointSlices,
  renderGetNodes,
  renderGetPods,
} from '../../views/workloads.js';

interface Parsed extends GetOptions {
  readonly output?: string;
}

function parse(args: readonly string[]): Parsed | string {
  const a = parseKubectlGetArgs(args, { output: true });
  if (typeof a === 'string') return a;
  const { output } = a;
  if (output !== undefined && !['wide', 'json'].includes(output)) {
    return `error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,wide`;
  }
  return { namespace: a.namespace, allNamespaces: a.allNamespaces, names: a.names, wide: output === 'wide', ...(output !== undefined ? { output } : {}) };
}

const RESOURCE: Readonly<Record<string, string>> = {
  po: 'pods',
  pod: 'pods',
  pods: 'pods',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  'deployments.apps': 'Deployment',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  no: 'nodes',
  node: 'nodes',
  nodes: 'nodes',
  endpointslice: 'endpointslices',
  endpointslices: 'endpointslices',
  'endpointslices.discovery.k8s.io': 'endpointslices',
};

function none(o: Parsed, kind: string, namespaced: boolean): CommandResult {
  if (o.names.length > 0) return { stdout: '', stderr: `Error from server (NotFound): ${kind} "${o.names[0]}" not found\n`, exitCode: 1 };
  return { stdout: '', stderr: `No resources found${namespaced && !o.allNamespaces ? ` in ${o.namespace} namespace` : ''}.\n`, exitCode: 0 };
}

/**
 * `kubectl get KIND[,KIND…]` for pods, workload controllers, nodes and EndpointSlices (services
 * and pools have their own commands).
 *
 * @example
 * kubectlGetCommand.run({ cluster, args: ['pods', '-o', 'wide'], json: false });
 */
export const kubectlGetCommand: Command = {
  path: ['kubectl', 'get'],
  scope: 'cluster',
  formats: ['json', 'wide'],
  summary: 'List pods, deployments, replicasets, daemonsets, statefulsets, nodes or endpointslices',
  help: `Usage: kubectl get (pods|deploy|rs|ds|sts|nodes|endpointslices)[,KIND...] [NAME...] [-n NAMESPACE | -A] [-o wide | -o json]

The objects the workloads stage computed: pods with their node and address (Pending ones with no
node), the ReplicaSets of Deployments, nodes, and EndpointSlices (given or derived). Several
controller kinds can be listed at once (kubectl get deploy,rs,ds). AGE is <unknown>.

Example: cilium-twin -f examples/bgp-lab-workloads/lab kubectl get pods -o wide`,
  run(ctx: CommandContext): CommandResult {
    const [what, ...rest] = ctx.args;
    if (what === undefined) return usageError('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.');
    const o = parse(rest);
    if (typeof o === 'string') return usageError(o);
    const kinds = what.split(',').filter((k) => k !== '');
    const resolved = kinds.map((k) => RESOURCE[k.toLowerCase()]);
    const bad = kinds.find((_, i) => resolved[i] === undefined);
    if (bad !== undefined) return { stdout: '', stderr: `error: the server doesn't have a resource type "${bad}"\n`, exitCode: 1 };
    const output = ctx.output !== undefined && ctx.output !== 'text' ? ctx.output : o.output;
    const json = ctx.json || output === 'json';
    const wide = output === 'wide';
    const o2 = { ...o, wide };
    if (resolved.length === 1 && resolved[0] === 'pods') {
      if (json) return ok(getPodsJson(ctx.cluster, o));
      const t = renderGetPods(ctx.cluster, o2);
      return t === undefined ? none(o, 'pods', true) : ok(t);
    }
    if (resolved.length === 1 && resolved[0] === 'nodes') {
      if (json) return okJson({ apiVersion: 'v1', kind: 'List', items: ctx.cluster.scenario.nodes.filter((n) => o.names.length === 0 || o.names.includes(n.meta.name)).map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.meta.name, labels: { ...n.meta.labels } }, spec: { podCIDRs: n.podCIDRs.map((p) => p.toCidrString()), ...(n.taints.length > 0 ? { taints: n.taints } : {}) }, status: { addresses: n.addresses.map((a) => ({ type: a.type, address: a.address.toString() })) } })) });
      const t = renderGetNodes(ctx.cluster, o2);
      return t === undefined ? none(o, 'nodes', false) : ok(t);
    }
    if (resolved.length === 1 && resolved[0] === 'endpointslices') {
      if (json) {
        const items = ctx.cluster.endpointSlices
          .filter((s) => (o.allNamespaces || (s.meta.namespace ?? 'default') === o.namespace) && (o.names.length === 0 || o.names.includes(s.meta.name)))
          .map((s) => ({
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name: s.meta.name, namespace: s.meta.namespace ?? 'default', labels: { ...s.meta.labels } },
            addressType: s.addressType,
            endpoints: s.endpoints.map((e) => ({ addresses: e.addresses.map((a) => a.toString()), conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating }, ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}), ...(e.podRef !== undefined ? { targetRef: { kind: 'Pod', namespace: e.podRef.namespace, name: e.podRef.name } } : {}), ...(e.zone !== undefined ? { zone: e.zone } : {}), ...(e.forZones !== undefined ? { hints: { forZones: e.forZones.map((z) => ({ name: z })) } } : {}) })),
            ports: s.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.port, protocol: p.protocol })),
          }));
        return okJson({ apiVersion: 'v1', kind: 'List', items });
      }
      const t = renderGetEndpointSlices(ctx.cluster, o);
      return t === undefined ? none(o, 'endpointslices', true) : ok(t);
    }
    if (resolved.some((r) => !(r! in CONTROLLER_KINDS))) {
      return usageError('error: only workload kinds (deploy, rs, ds, sts) can be combined in this model');
    }
    const controllerKinds = resolved as (keyof typeof CONTROLLER_KINDS)[];
    if (json) {
      const items = (ctx.cluster.scenario.controllers ?? [])
        .filter((w) => controllerKinds.includes(w.kind) && (o.allNamespaces || (w.meta.namespace ?? 'default') === o.namespace))
        .map((w) => ({
          apiVersion: 'apps/v1',
          kind: w.kind,
          metadata: { name: w.meta.name, namespace: w.meta.namespace ?? 'default', labels: { ...w.meta.labels }, ...(w.ownerReferences.length > 0 ? { ownerReferences: w.ownerReferences } : {}) },
          spec: { ...(w.kind !== 'DaemonSet' ? { replicas: w.replicas } : {}), selector: { matchLabels: { ...w.selector.matchLabels }, ...(w.selector.matchExpressions.length > 0 ? { matchExpressions: w.selector.matchExpressions } : {}) } },
        }));
      return okJson({ apiVersion: 'v1', kind: 'List', items });
    }
    const blocks = controllerKinds.map((k) => renderGetControllers(ctx.cluster, k, o, controllerKinds.length > 1)).filter((b): b is string => b !== undefined);
    if (blocks.length === 0) return none(o, what, true);
    return ok(blocks.join('\n'));
  },
};

/**
 * `kubectl describe pod NAME`.
 *
 * @example
 * kubectlDescribePodCommand.run({ cluster, args: ['webpod-…'], json: false });
 */
export const kubectlDescribePodCommand: Command = {
  path: ['kubectl', 'describe', 'pod'],
  formats: ['json'],
  aliases: [
    ['kubectl', 'describe', 'pods'],
    ['kubectl', 'describe', 'po'],
  ],
  scope: 'cluster',
  summary: "Describe a pod: its node, addresses, owner, and for a Pending pod the scheduler's message",
  help: `Usage: kubectl describe pod NAME [-n NAMESPACE]

Name, namespace, node, labels, status, IPs, controller, containers, conditions, tolerations, and
for a pod the scheduler could not place the FailedScheduling event with the scheduler's message.

Example: cilium-twin -f examples/bgp-lab-workloads/lab -f examples/bgp-lab-workloads/variants/control-plane-taint.yaml kubectl describe pod webpod-…`,
  run(ctx: CommandContext): CommandResult {
    const o = parse(ctx.args);
    if (typeof o === 'string') return usageError(o);
    const pods = ctx.cluster.scenario.pods.filter((p) => (o.allNamespaces || (p.meta.namespace ?? 'default') === o.namespace) && (o.names.length === 0 || o.names.includes(p.meta.name)));
    if (pods.length === 0) return o.names.length > 0 ? { stdout: '', stderr: `Error from server (NotFound): pods "${o.names[0]}" not found\n`, exitCode: 1 } : none(o, 'pods', true);
    if (ctx.json) return okJson(pods.map(podJson));
    return ok(pods.map((p) => renderDescribePod(ctx.cluster, p)).join('\n\n'));
  },
};

/**
 * `cilium status` (the cilium CLI's summary).
 *
 * @example
 * ciliumStatusCommand.run({ cluster, args: [], json: false });
 */
export const ciliumStatusCommand: Command = {
  path: ['cilium', 'status'],
  scope: 'cluster',
  formats: [],
  summary: "The cilium CLI's summary: components, DaemonSet readiness, Cluster Pods managed by Cilium",
  help: `Usage: cilium status [--wait]

The installation summary as the cilium CLI prints it. Cluster Pods counts the pods with an
address from Cilium (not host-network) over every pod that is not host-network.

Example: cilium-twin -f examples/bgp-lab-workloads/lab cilium status`,
  run(ctx: CommandContext): CommandResult {
    const bad = ctx.args.find((a) => a !== '--wait' && a !== '--verbose');
    if (bad !== undefined) return usageError(`Error: unknown flag: ${bad}`);
    return ok(renderCiliumStatus(ctx.cluster));
  },
};

/**
 * `cilium config view`.
 *
 * @example
 * ciliumConfigViewCommand.run({ cluster, args: [], json: false });
 */
export const ciliumConfigViewCommand: Command = {
  path: ['cilium', 'config', 'view'],
  scope: 'cluster',
  formats: ['json'],
  summary: 'The cilium-config keys as given (after --set)',
  help: `Usage: cilium config view

Every key of the kube-system/cilium-config ConfigMap (after --set overrides), sorted, with its value.

Example: cilium-twin -f lab/ --set loadBalancer.algorithm=maglev cilium config view`,
  run(ctx: CommandContext): CommandResult {
    if (ctx.args.length > 0) return usageError(`Error: unknown flag: ${ctx.args[0]}`);
    if (ctx.json) return okJson(ctx.cluster.config.raw);
    return ok(renderConfigView(ctx.cluster));
  },
};

function nodeOf(ctx: CommandContext): string | CommandResult {
  const host = ctx.host;
  if (host === undefined || !ctx.cluster.scenario.nodes.some((n) => n.meta.name === host)) {
    return { stdout: '', stderr: `${host ?? 'this host'} is not a Kubernetes node: no Cilium agent runs here\n`, exitCode: 1 };
  }
  return host;
}

/**
 * `cilium-dbg status` inside a node.
 *
 * @example
 * agentStatusCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' });
 */
export const agentStatusCommand: Command = {
  path: ['cilium-dbg', 'status'],
  aliases: [['cilium', 'status']],
  scope: 'host',
  formats: [],
  summary: "The agent's status: KubeProxyReplacement and its devices, IPAM, Routing, Masquerading, controllers",
  help: `Usage: exec NODE -- cilium-dbg status [--verbose]

The agent's summary on a node. Devices follow the devices setting (wildcards, auto-detection);
the controller count is the model's rule (30 + 4 per local endpoint, host included; docs/decisions.md).

Example: cilium-twin -f examples/bgp-lab/lab exec k8s-ctr -- cilium-dbg status`,
  run(ctx: CommandContext): CommandResult {
    const node = nodeOf(ctx);
    if (typeof node !== 'string') return node;
    const bad = ctx.args.find((a) => a !== '--verbose');
    if (bad !== undefined) return usageError(`Error: unknown flag: ${bad}`);
    return ok(renderAgentStatus(ctx.cluster, node));
  },
};

/**
 * `cilium-dbg endpoint list` inside a node.
 *
 * @example
 * endpointListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' });
 */
export const endpointListCommand: Command = {
  path: ['cilium-dbg', 'endpoint', 'list'],
  aliases: [['cilium', 'endpoint', 'list'], ['cilium-dbg', 'endpoint', 'ls']],
  scope: 'host',
  formats: ['json'],
  summary: "The node's endpoints: ID, policy enforcement, identity, labels, addresses",
  help: `Usage: exec NODE -- cilium-dbg endpoint list [-o json]

The host endpoint (identity 1, reserved:host) and every pod endpoint of the node with whether
ingress and egress policy are enforced (Enabled when a policy selects the endpoint in that
direction, or policy-enforcement=always), its security identity and identity labels. Endpoint
IDs and identities are the model's deterministic choices (docs/decisions.md); the health
endpoint is not modelled.

Example: cilium-twin -f examples/bgp-lab-workloads/lab exec k8s-ctr -- cilium-dbg endpoint list`,
  run(ctx: CommandContext): CommandResult {
    const node = nodeOf(ctx);
    if (typeof node !== 'string') return node;
    const o = outputOf(ctx, endpointListCommand);
    if ('exitCode' in o) return o;
    if (o.rest.length > 0) return usageError(`Error: unknown flag: ${o.rest[0]}`);
    const twin = twinOf(ctx);
    if (o.output === 'json') return okJson(endpointListRows(ctx.cluster, node, twin.identityTable(), twin.policy()));
    return ok(renderEndpointListAgent(ctx.cluster, node, twin.identityTable(), twin.policy()));
  },
};
