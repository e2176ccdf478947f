/**
 * The policy commands: `cilium-dbg identity list`, `cilium-dbg bpf policy get`,
 * (host scope; `cilium-dbg endpoint list` is in workloads.ts), `hubble observe` (cluster scope, and inside a node
 * for the flows that node saw) and `cilium-twin policy matrix`.
 *
 * @module
 */
import { parseWire } from '../../net/wire.js';
import type { Cluster } from '../../cluster/types.js';
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, okJson, twinOf, usageError } from '../command.js';
import { endpointIds } from '../../datapath/endpoints/endpoints.js';

import { trace } from '../../packet/trace.js';
import { policyMatrix } from '../../packet/matrix.js';
import type { FlowEvent } from '../../policy/flow-event.js';
import type { L4Protocol } from '../../packet/types.js';
import { identityListJson, policyGetJson, renderIdentityList, renderPolicyGet, renderPolicyMatrix } from '../../views/policy.js';
import { type FlowFilter, flowMatches as flowMatchesQ, renderFlows, resolveFlows } from '../../views/hubble.js';
import { ciliumNodeOf } from './cilium-dbg-bpf-ipcache.js';
import { outputOf } from '../output.js';

/** `-o` through the dispatcher (`formats`), as `{json, rest}`; or the usage error. */
function jsonOut(ctx: CommandContext, command: Command): { json: boolean; rest: readonly string[] } | CommandResult {
  const o = outputOf(ctx, command);
  if ('exitCode' in o) return o;
  return { json: o.output === 'json', rest: o.rest };
}
import { recordedFlows } from './flow-log.js';

/**
 * `cilium-dbg identity list` (host scope): every identity the agent knows.
 *
 * @example
 * ```ts
 * identityListCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' }).stdout;
 * ```
 */
export const identityListCommand: Command = {
  formats: ['json'],
  path: ['cilium-dbg', 'identity', 'list'],
  aliases: [['cilium', 'identity', 'list'], ['cilium-dbg', 'identity', 'ls']],
  scope: 'host',
  summary: 'List security identities: reserved, pods (by label set) and CIDR identities',
  help: `Usage: exec NODE -- cilium-dbg identity list [-o json]

Prints every security identity with its labels: the reserved ones (1 host … 10 world-ipv6), one
per distinct pod label set (numbered from 256 in the sorted order of the label sets; see
docs/decisions.md), and the CIDR identities (16777217…) of the prefixes policies name.

Example: cilium-twin -f examples/policy/scenario exec k8s-ctr -- cilium-dbg identity list`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const jo = jsonOut(ctx, identityListCommand);
    if ('exitCode' in jo) return jo;
    const { json, rest } = jo;
    if (rest.length > 0 && rest[0]!.startsWith('-')) return usageError(`Error: unknown flag: ${rest[0]}`);
    let ids = twinOf(ctx).identityTable().all;
    if (rest.length > 0) ids = ids.filter((i) => rest.every((l) => i.labels.some((x) => x === l || x.endsWith(`:${l}`))));
    return ok(json ? identityListJson(ids) : renderIdentityList(ids));
  },
};

/** The pod behind an endpoint ID of a node. */
function podOfEndpoint(cluster: Cluster, node: string, id: number): string | undefined {
  for (const [pod, epId] of endpointIds(cluster, node)) if (epId === id) return pod;
  return undefined;
}

/**
 * `cilium-dbg bpf policy get ENDPOINT_ID [-n] [-o json]` and `--all` (host scope).
 *
 * @example
 * ```ts
 * bpfPolicyGetCommand.run({ cluster, args: ['1873'], json: false, host: 'k8s-ctr' }).stdout;
 * ```
 */
export const bpfPolicyGetCommand: Command = {
  formats: ['json'],
  path: ['cilium-dbg', 'bpf', 'policy', 'get'],
  aliases: [['cilium', 'bpf', 'policy', 'get']],
  scope: 'host',
  summary: "Print an endpoint's policy map (identity × port/protocol → allow or deny)",
  help: `Usage: exec NODE -- cilium-dbg bpf policy get ENDPOINT_ID [-n] [-o json]
       exec NODE -- cilium-dbg bpf policy get --all

Prints the endpoint's cilium_policy_v2 map as the agent computes it from the policies that
select it: POLICY (Allow/Deny), DIRECTION, the remote identity's labels (ANY for identity 0;
-n prints the number), PORT/PROTO, PROXY PORT, AUTH TYPE, BYTES, PACKETS (0: the twin keeps no
counters), PREFIX (LPM length over protocol and port) and COOKIE. Endpoint IDs: cilium-dbg
endpoint list.

Example: cilium-twin -f examples/policy/scenario exec k8s-ctr -- cilium-dbg bpf policy get 1234`,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    const jo = jsonOut(ctx, bpfPolicyGetCommand);
    if ('exitCode' in jo) return jo;
    const { json, rest } = jo;
    let numeric = false;
    let all = false;
    const ids: string[] = [];
    for (const a of rest) {
      if (a === '-n' || a === '--numeric') numeric = true;
      else if (a === '--all') all = true;
      else if (a.startsWith('-')) return usageError(`Error: unknown flag: ${a}`);
      else ids.push(a);
    }
    const engine = twinOf(ctx).policy();
    const labelsOf = (id: number): readonly string[] | undefined => twinOf(ctx).identityTable().byId.get(id)?.labels;
    if (all) {
      const eps = [...endpointIds(ctx.cluster, node).entries()].sort((a, b) => a[1] - b[1]);
      if (eps.length === 0) return ok('no maps found\n');
      let out = '';
      for (const [pod, id] of eps) {
        const p = engine.endpointPolicy(pod);
        if (p === undefined) continue;
        const path = `/sys/fs/bpf/tc/globals/cilium_policy_v2_${String(id).padStart(5, '0')}`;
        out += `Endpoint ID: ${id}\nPath: ${path}\n\n${renderPolicyGet(p, labelsOf, numeric)}\n\n`;
      }
      return ok(out);
    }
    if (ids.length === 0) return usageError('Error: endpoint ID not specified');
    const id = Number(ids[0]);
    const pod = Number.isInteger(id) ? podOfEndpoint(ctx.cluster, node, id) : undefined;
    const policy = pod !== undefined ? engine.endpointPolicy(pod) : undefined;
    if (policy === undefined) {
      return { stdout: '', stderr: `Failed to open map: unable to get object /sys/fs/bpf/tc/globals/cilium_policy_v2_${String(ids[0]).padStart(5, '0')}: no such file or directory\n`, exitCode: 1 };
    }
    return ok(json ? policyGetJson(policy) : renderPolicyGet(policy, labelsOf, numeric));
  },
};

/** Resolves a `Traffic` destination to an address. */
function trafficTarget(ctx: CommandContext, to: string): string | undefined {
  if (parseWire(to) !== undefined) return to; // v6walk: an IPv6 literal is an IPv6 flow
  const s = ctx.cluster.scenario;
  if (to.startsWith('svc/')) {
    const [ns, name] = to.slice(4).split('/');
    const svc = s.services.find((x) => (x.meta.namespace ?? 'default') === ns && x.meta.name === name);
    return svc?.clusterIPs.find((a) => !a.toString().includes(':'))?.toString();
  }
  const pod = s.pods.find((p) => `${p.meta.namespace ?? 'default'}/${p.meta.name}` === to) ?? (to.includes('/') ? undefined : s.pods.find((p) => p.meta.name === to));
  return pod?.podIPs.find((a) => !a.toString().includes(':'))?.toString();
}

/** The flows of the scenario's `Traffic` lists, then those recorded by this invocation. */
function allFlows(ctx: CommandContext): FlowEvent[] {
  const net = twinOf(ctx).network();
  const out: FlowEvent[] = [];
  for (const t of ctx.cluster.scenario.traffic ?? []) {
    for (const f of t.flows) {
      const dst = trafficTarget(ctx, f.to);
      if (dst === undefined) continue;
      const hostName = dst.includes(':') ? `[${dst}]` : dst;
      const http = f.http !== undefined ? { http: { host: f.http.host ?? (f.port === 80 ? hostName : `${hostName}:${f.port}`), path: f.http.path, ...(f.http.method !== undefined ? { method: f.http.method } : {}) } } : {};
      out.push(...(trace(net, { from: f.from, dst, dport: f.port, protocol: f.protocol as L4Protocol, ...http }).flows ?? []));
    }
  }
  out.push(...recordedFlows(twinOf(ctx)));
  return out;
}

const LIST_FLAGS: Readonly<Record<string, keyof FlowFilter>> = {
  '--from-pod': 'fromPods',
  '--to-pod': 'toPods',
  '--pod': 'pods',
  '--namespace': 'namespaces',
  '-n': 'namespaces',
  '--label': 'labels',
  '-l': 'labels',
  '--identity': 'identities',
  '--verdict': 'verdicts',
  '--protocol': 'protocols',
  '--port': 'ports',
  '--type': 'types',
  '-t': 'types',
  '--node-name': 'nodes',
};

const HUBBLE_FORMATS: readonly string[] = ['compact', 'dict', 'json', 'jsonpb'];

function observe(ctx: CommandContext, node: string | undefined): CommandResult {
  const filter: Record<string, (string | number)[]> = {};
  const o = outputOf(ctx, { path: ['hubble', 'observe'], formats: HUBBLE_FORMATS });
  if ('exitCode' in o) return o;
  let mode: 'compact' | 'dict' | 'json' | 'jsonpb' = o.output === 'text' ? 'compact' : (o.output as 'compact');
  let last: number | undefined;
  let printNode = false;
  const args = o.rest;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      v = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === '-f' || a === '--follow' || a === '--all' || a === '-P') continue;
    if (a === '--print-node-name') {
      printNode = true;
      continue;
    }
    const take = (): string | undefined => v ?? args[++i];
    if (a === '-o' || a === '--output') {
      const m = take();
      if (m !== 'compact' && m !== 'dict' && m !== 'json' && m !== 'jsonpb') return usageError(`invalid output format: ${m ?? ''}`);
      mode = m;
      continue;
    }
    if (a === '--last') {
      last = Number(take());
      continue;
    }
    const key = LIST_FLAGS[a];
    if (key === undefined) return usageError(`Error: unknown flag: ${a}`);
    const value = take();
    if (value === undefined) return usageError(`Error: flag needs an argument: ${a}`);
    if (key === 'ports' && !/^[0-9]+$/.test(value)) return usageError(`invalid port: ${value}`);
    (filter[key] ??= []).push(key === 'ports' ? Number(value) : value);
  }
  const q = filter as unknown as FlowFilter;
  const net = twinOf(ctx).network();
  const table = twinOf(ctx).identityTable();
  let flows = resolveFlows(
    allFlows(ctx).filter((e) => node === undefined || e.node === node),
    (addr) => net.podsByIp.get(addr)?.key,
    (id) => table.byId.get(id)?.labels ?? [],
  );
  flows = flows.filter((f) => flowMatchesQ(f, q));
  if (last !== undefined && Number.isInteger(last) && last >= 0) flows = flows.slice(Math.max(0, flows.length - last));
  return ok(renderFlows(flows, mode, printNode));
}

const OBSERVE_HELP = `Usage: hubble observe [--from-pod [NS/]POD] [--to-pod [NS/]POD] [--pod [NS/]POD]
         [--namespace NS] [--label KEY[=VALUE]] [--identity ID|NAME] [--verdict VERDICT]
         [--protocol tcp|udp|http] [--port N] [--type trace|drop|policy-verdict] [--node-name NODE]
         [--last N] [--print-node-name] [-o compact|dict|json|jsonpb]

Prints the flows Hubble would have recorded: the datapath events (trace points, socket-LB
translations, policy verdicts, drops) of the requests in the scenario's Traffic lists
(cilium-twin/v1alpha1, kind Traffic) and of the traces and curls run earlier in the same
invocation. A flag given twice matches either value; different flags must all match. Every flow
has the fixed time Jan  1 00:00:00.000 (1970-01-01T00:00:00Z; docs/decisions.md).

Example: cilium-twin -f examples/policy/scenario hubble observe --verdict DROPPED`;

/**
 * `hubble observe` (cluster scope: every node's flows, as through Hubble Relay).
 *
 * @example
 * ```ts
 * hubbleObserveCommand.run({ cluster, args: ['--verdict', 'DROPPED'], json: false }).stdout;
 * ```
 */
export const hubbleObserveCommand: Command = {
  path: ['hubble', 'observe'],
  formats: HUBBLE_FORMATS,
  scope: 'cluster',
  summary: 'Flows as Hubble shows them (Traffic lists and traces of this invocation), with its filters',
  help: OBSERVE_HELP,
  run: (ctx) => observe(ctx, undefined),
};

/**
 * `hubble observe` inside a node (the agent's local Hubble: that node's flows only).
 *
 * @example
 * ```ts
 * hubbleObserveNodeCommand.run({ cluster, args: [], json: false, host: 'k8s-ctr' }).stdout;
 * ```
 */
export const hubbleObserveNodeCommand: Command = {
  path: ['hubble', 'observe'],
  formats: HUBBLE_FORMATS,
  scope: 'host',
  summary: "The flows this node's Hubble recorded",
  help: OBSERVE_HELP,
  run(ctx: CommandContext): CommandResult {
    const node = ciliumNodeOf(ctx);
    if (typeof node !== 'string') return node;
    return observe(ctx, node);
  },
};

/**
 * `cilium-twin policy matrix [--port N] [--protocol P] [--namespace NS]... [-o json]`.
 *
 * @example
 * ```ts
 * policyMatrixCommand.run({ cluster, args: ['--port', '80', '--namespace', 'x'], json: false }).stdout;
 * ```
 */
export const policyMatrixCommand: Command = {
  formats: ['json'],
  path: ['policy', 'matrix'],
  scope: 'cluster',
  summary: 'Who may talk to whom: pods × pods on a port, allowed or which policy denies',
  help: `Usage: policy matrix [--port N] [--protocol TCP|UDP] [--namespace NS]... [-o json]

Traces a request from every pod to every pod's address (services, routing and SNAT included)
on the port (default 80, TCP) and prints a table: rows are clients, columns servers, allow or
DENY; then every denied pair with the reason (Policy denied, Policy denied by denylist, …) and
the policies behind it. --namespace limits the pods (repeat it for several); -o json prints
{port, protocol, pods, cells}.

Example: cilium-twin -f examples/policy/scenario policy matrix --port 80 --namespace x --namespace y`,
  run(ctx: CommandContext): CommandResult {
    const jo = jsonOut(ctx, policyMatrixCommand);
    if ('exitCode' in jo) return jo;
    const { json, rest } = jo;
    let port = 80;
    let protocol: L4Protocol = 'TCP';
    const namespaces: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      const v = rest[i + 1];
      if (a === '--port' && v !== undefined && /^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535) {
        port = Number(v);
        i++;
      } else if (a === '--protocol' && v !== undefined && ['TCP', 'UDP', 'SCTP'].includes(v.toUpperCase())) {
        protocol = v.toUpperCase() as L4Protocol;
        i++;
      } else if ((a === '--namespace' || a === '-n') && v !== undefined) {
        namespaces.push(v);
        i++;
      } else return usageError(`policy matrix: bad argument ${a}${v !== undefined && a.startsWith('--') ? ` ${v}` : ''}`);
    }
    const m = policyMatrix(twinOf(ctx).network(), { port, protocol, namespaces });
    return json ? okJson(m) : ok(renderPolicyMatrix(m));
  },
};
