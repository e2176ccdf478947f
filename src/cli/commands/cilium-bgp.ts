/**
 * The Cilium BGP commands: `cilium bgp peers`, `cilium bgp routes` (cluster-wide, the cilium
 * CLI), `cilium-dbg bgp peers` and `cilium-dbg bgp route-policies` (inside a node).
 *
 * @module
 */
import { IPv4, IPv6 } from 'ip-num';
import type { Command, CommandContext, CommandResult } from '../command.js';
import { outputOf } from '../output.js';
import { ok, okJson, usageError, twinOf } from '../command.js';
import type { IpAddress } from '../../input/types.js';
import type { CiliumBgpResult } from '../../bgp/cilium/types.js';
import {
  ciliumBgpPeersJson,
  ciliumBgpRoutesJson,
  peerJson,
  MODEL_SESSION_STATE,
  renderCiliumBgpPeers,
  renderCiliumBgpRoutes,
  renderCiliumDbgBgpPeers,
  renderRoutePolicies,
  routePoliciesJson,
  type RoutesQuery,
} from '../../views/bgp/cilium-bgp.js';
import { bgpOf, sessionStatesOf } from './bgp-common.js';

const STATE_NOTE = `Session State, Uptime, Received and Advertised come from the BGP session stage (Cilium's
sessions paired with the FRR routers of the Hosts): a session is established when both sides
are configured for each other and reachable; Received counts what the peer sends before
Cilium's import policy (which rejects it all), Advertised what Cilium sends, plus one End-of-RIB
per family when graceful restart is on (as GoBGP counts). A session the stage does not know
shows "active" (Cilium keeps dialling its peer) with zero counts.`;

function parseIp(text: string): IpAddress | undefined {
  try {
    return text.includes(':') ? IPv6.fromString(text) : IPv4.fromString(text);
  } catch {
    return undefined;
  }
}

/** Keeps only the nodes named by `--node` (the cilium CLI's agent selection). */
function onlyNode(result: CiliumBgpResult, node: string | undefined): CiliumBgpResult {
  return node === undefined ? result : { ...result, nodes: result.nodes.filter((n) => n.node === node) };
}

function takeNode(args: readonly string[]): { node?: string; rest: string[] } | string {
  const rest: string[] = [];
  let node: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--node') {
      node = args[++i];
      if (node === undefined) return 'Error: flag needs an argument: --node';
    } else if (a.startsWith('--node=')) node = a.slice('--node='.length);
    else rest.push(a);
  }
  return node === undefined ? { rest } : { node, rest };
}

/** `cilium bgp peers` (cluster scope). */
export const ciliumBgpPeersCommand: Command = {
  path: ['cilium', 'bgp', 'peers'],
  aliases: [['cilium', 'bgp', 'neighbors']],
  formats: ['json'],
  scope: 'cluster',
  summary: "Every node's BGP sessions: local and peer AS, address, state, families, route counts",
  help: `Usage: cilium bgp peers [--node NODE] [-o json]

Lists the BGP sessions of every Cilium node that has a CiliumBGPNodeConfig (nodes sorted by name,
the name on a node's first row; one row per address family), as the cilium CLI prints them.

${STATE_NOTE}

Example: cilium-twin -f lab/ cilium bgp peers`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, ciliumBgpPeersCommand);
    if ('exitCode' in o) return o;
    const n = takeNode(o.rest);
    if (typeof n === 'string') return usageError(n);
    if (n.rest.length > 0) return usageError(`Error: unknown command "${n.rest[0]}" for "cilium bgp peers"`);
    const result = onlyNode(bgpOf(twinOf(ctx)), n.node);
    const states = sessionStatesOf(twinOf(ctx));
    if (o.output === 'json') return okJson(ciliumBgpPeersJson(result, states));
    return ok(renderCiliumBgpPeers(result, states));
  },
};

const AFIS = ['ipv4', 'ipv6'];
const SAFIS = ['unicast', 'multicast', 'mpls_label', 'encapsulation', 'vpls', 'evpn', 'ls', 'sr_policy', 'mup', 'mpls_vpn', 'mpls_vpn_multicast', 'route_target_constraints', 'flowspec_unicast', 'flowspec_vpn', 'key_value'];

/**
 * Parses `cilium bgp routes` arguments the way the cilium CLI does; returns the query, the
 * "Defaulting to …" note to print, or an error message.
 *
 * @example
 * ```ts
 * parseRoutesArgs([]); // { query: { table: 'available', afi: 'ipv4', safi: 'unicast' }, note: '(Defaulting to ...' }
 * ```
 */
export function parseRoutesArgs(args: readonly string[]): { query: RoutesQuery; note: string } | string {
  let a = [...args];
  let note = '';
  if (a.length < 1) {
    note = '(Defaulting to `available ipv4 unicast` routes, please see help for more options)\n\n';
    a = ['available', 'ipv4', 'unicast'];
  } else if (a.length < 2) {
    note = '(Defaulting to `ipv4 unicast` AFI & SAFI, please see help for more options)\n\n';
    a = [a[0] ?? '', 'ipv4', 'unicast'];
  } else if (a.length < 3) {
    note = '(Defaulting to `unicast` SAFI, please see help for more options)\n\n';
    a = [a[0] ?? '', a[1] ?? '', 'unicast'];
  }
  const [table, afi, safi, ...more] = a as [string, string, string, ...string[]];
  if (table !== 'available' && table !== 'advertised') return `Error: invalid argument: \`${table}\`, expected \`available\` / \`advertised\``;
  if (!AFIS.includes(afi)) return `Error: unknown AFI \`${afi}\``;
  if (!SAFIS.includes(safi)) return `Error: unknown SAFI \`${safi}\``;
  let vrouter: number | undefined;
  let peer: IpAddress | undefined;
  let rest = more;
  if (rest.length > 0 && !['vrouter', 'peer', 'neighbor'].includes(rest[0] ?? '')) {
    return `Error: invalid argument: \`${rest[0]}\`, expected \`vrouter\` / \`peer\``;
  }
  if (rest[0] === 'vrouter') {
    if (rest[1] === undefined) return 'Error: missing vrouter ASN value';
    if (!/^\d+$/.test(rest[1])) return `Error: invalid vrouter ASN: strconv.ParseInt: parsing "${rest[1]}": invalid syntax`;
    vrouter = Number(rest[1]);
    rest = rest.slice(2);
  }
  if (table === 'advertised' && rest.length > 0) {
    if (rest[0] !== 'peer' && rest[0] !== 'neighbor') return 'Error: missing `peer` argument';
    if (rest[1] === undefined) return 'Error: missing peer IP address';
    peer = parseIp(rest[1]);
    if (peer === undefined) return `Error: invalid peer IP address: ParseAddr("${rest[1]}"): unable to parse IP`;
  }
  const query: RoutesQuery = {
    table,
    afi: afi as 'ipv4' | 'ipv6',
    safi,
    ...(vrouter !== undefined ? { vrouter } : {}),
    ...(peer !== undefined ? { peer } : {}),
  };
  return { query, note };
}

/** `cilium bgp routes` (cluster scope). */
export const ciliumBgpRoutesCommand: Command = {
  path: ['cilium', 'bgp', 'routes'],
  formats: ['json'],
  scope: 'cluster',
  summary: 'BGP routes of every node: available (the RIB) or advertised (per peer)',
  help: `Usage: cilium bgp routes [available|advertised] [AFI] [SAFI] [vrouter ASN] [peer|neighbor ADDRESS] [--node NODE] [-o json]

Defaults to \`available ipv4 unicast\`. "available" is each instance's RIB: only Cilium's own paths,
since its import policy rejects everything learned from peers (and nothing reaches the node's
kernel table). "advertised" is what each peer gets after the export policies: AS path = the local AS to an
eBGP peer, next hop = the session's local address (from the node's route to the peer).
Nodes are sorted by name; Age is 0s (the model has no clock).

For "advertised", a session the BGP session stage does not report as established sends nothing.

Example: cilium-twin -f lab/ -f variants/webpod-3.yaml -f variants/lb.yaml cilium bgp routes`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, ciliumBgpRoutesCommand);
    if ('exitCode' in o) return o;
    const n = takeNode(o.rest);
    if (typeof n === 'string') return usageError(n);
    const parsed = parseRoutesArgs(n.rest);
    if (typeof parsed === 'string') return usageError(parsed);
    const result = onlyNode(bgpOf(twinOf(ctx)), n.node);
    const states = sessionStatesOf(twinOf(ctx));
    if (o.output === 'json') return okJson(ciliumBgpRoutesJson(result, parsed.query, states));
    return ok(parsed.note + renderCiliumBgpRoutes(result, parsed.query, states));
  },
};

function agentOf(ctx: CommandContext): CiliumBgpResult | CommandResult {
  const host = ctx.host;
  if (host === undefined) return { stdout: '', stderr: 'cilium-dbg: run it inside a node: exec NODE -- cilium-dbg ...\n', exitCode: 2 };
  if (!ctx.cluster.scenario.nodes.some((n) => n.meta.name === host)) {
    return { stdout: '', stderr: 'bash: line 1: cilium-dbg: command not found\n', exitCode: 127 };
  }
  return bgpOf(twinOf(ctx));
}

/** `cilium-dbg bgp peers` (host scope). */
export const ciliumDbgBgpPeersCommand: Command = {
  path: ['cilium-dbg', 'bgp', 'peers'],
  aliases: [
    ['cilium-dbg', 'bgp', 'neighbors'],
    ['cilium', 'bgp', 'peers'],
    ['cilium', 'bgp', 'neighbors'],
  ],
  formats: ['json'],
  scope: 'host',
  summary: "The node's BGP sessions as its agent reports them",
  help: `Usage: exec NODE -- cilium-dbg bgp peers [-o json]

One row per session and family (sorted by local AS, then peer address): peer address with the
port Cilium dials, session state, uptime, received and advertised counts.

${STATE_NOTE}

Example: cilium-twin -f lab/ exec k8s-w1 -- cilium-dbg bgp peers`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, ciliumDbgBgpPeersCommand);
    if ('exitCode' in o) return o;
    if (o.rest.length > 0) return usageError(`Error: unknown flag: ${o.rest[0]}`);
    const result = agentOf(ctx);
    if ('exitCode' in result) return result;
    if (!result.enabled) return ok('BGP Control Plane is disabled\n');
    const node = ctx.host ?? '';
    const states = sessionStatesOf(twinOf(ctx));
    if (o.output === 'json') {
      const sessions = (result.nodes.find((x) => x.node === node)?.instances ?? []).flatMap((i) => i.peers);
      return okJson(sessions.map((s) => peerJson(s, states?.(s.node, s.peerAddress) ?? MODEL_SESSION_STATE)));
    }
    return ok(renderCiliumDbgBgpPeers(result, node, states));
  },
};

/** `cilium-dbg bgp route-policies` (host scope). */
export const ciliumDbgBgpRoutePoliciesCommand: Command = {
  path: ['cilium-dbg', 'bgp', 'route-policies'],
  aliases: [['cilium', 'bgp', 'route-policies']],
  formats: ['json'],
  scope: 'host',
  summary: "The node's BGP route policies: allow-local import and the per-peer export policies",
  help: `Usage: exec NODE -- cilium-dbg bgp route-policies [vrouter ASN] [-o json]

The route policies the agent installed in each BGP instance, sorted by VRouter (local AS) then name:
"allow-local" (import: only locally originated routes enter the RIB) and one export policy per
peer, family and advertisement, named <peer>-<afi>-PodCIDR or
<peer>-<afi>-Service-<service>-<namespace>-<LoadBalancerIP|ClusterIP|ExternalIP>, matching the
peer (/32) and each prefix exactly. Anything no export policy accepts is not sent.

Example: cilium-twin -f lab/ -f variants/lb.yaml exec k8s-w1 -- cilium-dbg bgp route-policies`,
  run(ctx: CommandContext): CommandResult {
    const o = outputOf(ctx, ciliumDbgBgpRoutePoliciesCommand);
    if ('exitCode' in o) return o;
    let vrouter: number | undefined;
    if (o.rest.length > 0) {
      if (o.rest[0] !== 'vrouter' || o.rest[1] === undefined || !/^\d+$/.test(o.rest[1]) || o.rest.length > 2) {
        return usageError(`Error: invalid arguments: ${o.rest.join(' ')} (expected: vrouter ASN)`);
      }
      vrouter = Number(o.rest[1]);
    }
    const all = agentOf(ctx);
    if ('exitCode' in all) return all;
    if (!all.enabled) return ok('BGP Control Plane is disabled\n');
    const result: CiliumBgpResult =
      vrouter === undefined
        ? all
        : { ...all, nodes: all.nodes.map((n) => ({ ...n, instances: n.instances.filter((i) => i.localASN === vrouter) })) };
    const node = ctx.host ?? '';
    if (o.output === 'json') return okJson(routePoliciesJson(result, node));
    return ok(renderRoutePolicies(result, node));
  },
};
