/**
 * The L2 announcement and neighbour commands: `kubectl get leases`, `kubectl get
 * ciliuml2announcementpolicies`, and inside hosts `cilium-dbg shell -- db/show l2-announce`,
 * `bpftool map dump pinned …/cilium_l2_responder_v4`, `arping`, `ip neigh` and `sh -c '…; …'`
 * (a command list run in one shell, so that `ip neigh` shows what the traffic before it resolved).
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, okJson, twinOf, usageError } from '../command.js';
import { parseKubectlGetArgs } from '../kubectl-args.js';
import { outputOf } from '../output.js';
import type { Cluster } from '../../cluster/types.js';
import { l2Announcements, LEASE_NAMESPACE, type L2Index } from '../../l2/announce.js';
import { l2Settings } from '../../l2/settings.js';
import { memoKey } from '../../twin/memo.js';
import { ipv4ToU32 } from '../../net/addr.js';
import { arpRequest, neighboursAfter } from '../../packet/arp.js';
import type { TraceResult } from '../../packet/types.js';
import {
  leaseObject,
  leaseYaml,
  renderArping,
  renderL2AnnounceTable,
  renderL2Policies,
  renderL2ResponderDump,
  renderLeases,
  renderNeighbours,
} from '../../views/l2.js';
import { runCurl } from './curl.js';

const l2Key = memoKey<L2Index>('l2-announcements');

/** The L2 announcements of the context's scenario, computed once per twin. */
function indexOf(ctx: CommandContext): L2Index {
  return twinOf(ctx).memo(l2Key, (t) => l2Announcements(t.cluster, t.lbIpam()));
}

function runGetLeases(ctx: CommandContext, namespace: string, command: Command): CommandResult {
  const o = outputOf(ctx, command);
  if (!('output' in o)) return o;
  const a = parseKubectlGetArgs(o.rest, { namespace });
  if (typeof a === 'string') return usageError(a);
  const settings = l2Settings(ctx.cluster);
  let leases = indexOf(ctx).leases.filter((l) => a.allNamespaces || l.namespace === a.namespace);
  if (a.names.length > 0) {
    const missing = a.names.find((n) => !leases.some((l) => l.name === n));
    if (missing !== undefined) {
      return { stdout: '', stderr: `Error from server (NotFound): leases.coordination.k8s.io "${missing}" not found\n`, exitCode: 1 };
    }
    leases = a.names.map((n) => leases.find((l) => l.name === n)!);
  }
  if (o.output === 'json') {
    const items = leases.map((l) => leaseObject(l, settings));
    return okJson(a.names.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items });
  }
  if (o.output === 'yaml') {
    const docs = leases.map((l) => leaseYaml(l, settings));
    return ok(docs.join('---\n'));
  }
  if (leases.length === 0) {
    const where = a.allNamespaces ? '' : ` in ${a.namespace} namespace`;
    return { stdout: '', stderr: `No resources found${where}.\n`, exitCode: 0 };
  }
  return ok(renderLeases(leases, a.allNamespaces));
}

/** `kubectl get leases` prints text, `-o json`, `-o yaml`, and `-o wide` (the same columns here). */
const LEASE_FORMATS = ['json', 'wide', 'yaml'] as const;

const LEASES_HELP = `Usage: kubectl get leases [NAME…] [-n NAMESPACE | -A] [-o yaml|json]

The Leases of L2 announcements: one per announced service, cilium-l2announce-<namespace>-<name>
in kube-system, held by the node that answers ARP for its IPs. The holder stands in for the
election (first come, first served in Cilium): among the candidates (nodes a policy selecting
the service applies on; those with a matching interface first), the highest rendezvous score of
(lease name, node) wins (docs/decisions.md). -o yaml shows holderIdentity and
leaseDurationSeconds (l2-announcements-lease-duration). AGE is <unknown> (no clock).

Example: cilium-twin -f examples/l2-announcements/lab -f examples/l2-announcements/variants/l2-policy.yaml kubectl get leases -n kube-system`;

/**
 * `kubectl get leases` (cluster scope).
 *
 * @example
 * ```ts
 * kubectlGetLeasesCommand.run({ cluster, args: ['-n', 'kube-system'], json: false });
 * ```
 */
export const kubectlGetLeasesCommand: Command = {
  path: ['kubectl', 'get', 'leases'],
  aliases: [
    ['kubectl', 'get', 'lease'],
    ['kubectl', 'get', 'leases.coordination.k8s.io'],
  ],
  scope: 'cluster',
  summary: 'kubectl get leases: the L2 announcement leases and their holders',
  help: LEASES_HELP,
  formats: LEASE_FORMATS,
  run: (ctx) => runGetLeases(ctx, 'default', kubectlGetLeasesCommand),
};

/**
 * `kubectl -n kube-system get leases` (the documentation's word order).
 *
 * @example
 * ```ts
 * kubectlNsGetLeasesCommand.run({ cluster, args: [], json: false });
 * ```
 */
export const kubectlNsGetLeasesCommand: Command = {
  path: ['kubectl', '-n', LEASE_NAMESPACE, 'get', 'leases'],
  aliases: [['kubectl', '-n', LEASE_NAMESPACE, 'get', 'lease']],
  scope: 'cluster',
  summary: 'kubectl -n kube-system get lease: the L2 announcement leases',
  help: LEASES_HELP,
  formats: LEASE_FORMATS,
  run: (ctx) => runGetLeases(ctx, LEASE_NAMESPACE, kubectlNsGetLeasesCommand),
};

/**
 * `kubectl get ciliuml2announcementpolicies` (cluster scope; short name `l2announcement`).
 *
 * @example
 * ```ts
 * kubectlGetL2PoliciesCommand.run({ cluster, args: [], json: false });
 * ```
 */
export const kubectlGetL2PoliciesCommand: Command = {
  path: ['kubectl', 'get', 'ciliuml2announcementpolicies'],
  aliases: [
    ['kubectl', 'get', 'ciliuml2announcementpolicy'],
    ['kubectl', 'get', 'ciliuml2announcementpolicies.cilium.io'],
    ['kubectl', 'get', 'CiliumL2AnnouncementPolicy'],
    ['kubectl', 'get', 'l2announcement'],
    ['kubectl', 'get', 'l2announcements'],
  ],
  scope: 'cluster',
  summary: 'kubectl get ciliuml2announcementpolicies: the L2 announcement policies',
  help: `Usage: kubectl get ciliuml2announcementpolicies [NAME…] [-o json]

The CiliumL2AnnouncementPolicies (cluster-scoped; short name l2announcement). -o json adds what
each policy covers: the nodes it applies on with their matching devices, and the services it
selects. AGE is <unknown> (no clock).

Example: cilium-twin -f examples/l2-announcements/lab -f examples/l2-announcements/variants/l2-policy.yaml kubectl get l2announcement`,
  formats: ['json', 'wide'],
  run(ctx) {
    const o = outputOf(ctx, kubectlGetL2PoliciesCommand);
    if (!('output' in o)) return o;
    const a = parseKubectlGetArgs(o.rest);
    if (typeof a === 'string') return usageError(a);
    let names = ctx.cluster.scenario.l2AnnouncementPolicies.map((p) => p.meta.name).sort();
    if (a.names.length > 0) {
      const missing = a.names.find((n) => !names.includes(n));
      if (missing !== undefined) {
        return { stdout: '', stderr: `Error from server (NotFound): ciliuml2announcementpolicies.cilium.io "${missing}" not found\n`, exitCode: 1 };
      }
      names = [...a.names];
    }
    if (o.output === 'json') {
      const cov = indexOf(ctx).coverage;
      return okJson({ items: names.map((n) => cov.find((c) => c.name === n) ?? { name: n, nodes: [], services: [] }) });
    }
    if (names.length === 0) return { stdout: '', stderr: 'No resources found\n', exitCode: 0 };
    return ok(renderL2Policies(names));
  },
};

/**
 * `cilium-dbg shell -- db/show l2-announce` inside a node (host scope): the agent's L2
 * announce table.
 *
 * @example
 * ```ts
 * ciliumDbgShellCommand.run({ cluster, args: ['--', 'db/show', 'l2-announce'], json: false, host: 'k8s-w1' });
 * ```
 */
export const ciliumDbgShellCommand: Command = {
  path: ['cilium-dbg', 'shell'],
  scope: 'host',
  formats: [],
  ownOutputFlag: true, // the words after -- are the shell's
  summary: "cilium-dbg shell -- db/show l2-announce: the node's L2 announce table",
  help: `Usage: exec NODE -- cilium-dbg shell -- db/show l2-announce

The agent's statedb table of L2 announcements: one row per (IP, network interface) the node
answers ARP for, as the lease holder of the services whose IPs they are. Only the l2-announce
table is modelled.

Example: cilium-twin -f examples/l2-announcements/lab -f examples/l2-announcements/variants/l2-policy.yaml exec k8s-w1 -- cilium-dbg shell -- db/show l2-announce`,
  run(ctx) {
    const words = ctx.args.filter((w) => w !== '--');
    if (words[0] !== 'db/show' || words.length !== 2) return usageError('cilium-dbg shell: only "db/show l2-announce" is modelled');
    if (words[1] !== 'l2-announce') return usageError(`cilium-dbg shell: only the l2-announce table is modelled (got ${words[1]})`);
    const node = ctx.host;
    if (node === undefined || !ctx.cluster.scenario.nodes.some((n) => n.meta.name === node)) {
      return { stdout: '', stderr: `exec: ${node ?? '(none)'} is not a Cilium node: cilium-dbg does not run there\n`, exitCode: 1 };
    }
    return ok(renderL2AnnounceTable(indexOf(ctx).entriesOf(node)));
  },
};

const RESPONDER_MAP = 'cilium_l2_responder_v4';

/**
 * `bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_l2_responder_v4` (or `name
 * cilium_l2_responder_v4`) inside a node: the L2 responder map.
 *
 * @example
 * ```ts
 * bpftoolMapDumpCommand.run({ cluster, args: ['name', 'cilium_l2_responder_v4'], json: false, host: 'k8s-w1' });
 * ```
 */
export const bpftoolMapDumpCommand: Command = {
  path: ['bpftool', 'map', 'dump'],
  scope: 'host',
  formats: [],
  summary: "bpftool map dump … cilium_l2_responder_v4: the node's L2 responder map",
  help: `Usage: exec NODE -- bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_l2_responder_v4
       exec NODE -- bpftool map dump name cilium_l2_responder_v4

The datapath's L2 responder map (Cilium 1.18 has no cilium-dbg command for it): key {ip4,
ifindex} (ip4 is the address's network-order bytes read as a little-endian u32, as bpftool
prints it), value {responses_sent}. responses_sent counts the ARP requests the node answered; a
fresh map (every invocation of the model) shows 0. Only this map is modelled.

Example: cilium-twin -f examples/l2-announcements/lab -f examples/l2-announcements/variants/l2-policy.yaml exec k8s-w1 -- bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_l2_responder_v4`,
  run: (ctx) => runBpftool(ctx),
};

function runBpftool(ctx: CommandContext): CommandResult {
  const [how, what] = ctx.args;
  const ok1 = (how === 'pinned' && what !== undefined && what.endsWith(`/${RESPONDER_MAP}`)) || (how === 'name' && what === RESPONDER_MAP);
  if (!ok1) return usageError(`bpftool map dump: only ${RESPONDER_MAP} is modelled (pinned /sys/fs/bpf/tc/globals/${RESPONDER_MAP} or name ${RESPONDER_MAP})`);
  const node = ctx.host;
  if (node === undefined || !ctx.cluster.scenario.nodes.some((n) => n.meta.name === node)) {
    return { stdout: '', stderr: `Error: bpf obj get (/sys/fs/bpf/tc/globals): No such file or directory\n`, exitCode: 255 };
  }
  const rows = indexOf(ctx)
    .entriesOf(node)
    .map((e) => ({ ip: e.ip.toString(), ifindex: e.ifindex, responses: 0 }));
  return ok(renderL2ResponderDump(rows));
}

/** Neighbour state of one shell: the requests traced so far. */
interface ShellState {
  readonly traces: TraceResult[];
}

function runArping(ctx: CommandContext): CommandResult {
  let count = 3;
  let dev: string | undefined;
  let target: string | undefined;
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 1) return usageError(`arping: invalid argument: '${args[i] ?? ''}'`);
      count = v;
    } else if (a === '-I') {
      dev = args[++i];
      if (dev === undefined) return usageError('arping: option requires an argument -- \'I\'');
    } else if (a === '-q' || a === '-f' || a === '-b' || a === '-D' || a === '-U' || a === '-A') {
      // accepted, not modelled
    } else if (a.startsWith('-')) return usageError(`arping: invalid option -- '${a.slice(1)}'`);
    else target = a;
  }
  if (target === undefined) return usageError('arping: no target address');
  if (ipv4ToU32(target) === undefined) return { stdout: '', stderr: `arping: ${target}: Name or service not known\n`, exitCode: 2 };
  const host = ctx.host;
  if (host === undefined) return usageError('arping: run it inside a host: exec HOST -- arping IP');
  const net = twinOf(ctx).network();
  const r = arpRequest(net, host, target, dev);
  if (typeof r === 'string') return { stdout: '', stderr: `arping: ${r}\n`, exitCode: 2 };
  const text = renderArping({ target, source: r.source, dev: r.dev, count, ...(r.answer ? { mac: r.answer.mac } : {}) });
  return { stdout: text, exitCode: r.answer ? 0 : 1 };
}

/**
 * `arping [-c N] [-I DEV] IP` inside a host (iputils): who answers ARP for the address, with its
 * MAC; exit 1 when nobody does.
 *
 * @example
 * ```ts
 * arpingCommand.run({ cluster, args: ['-c', '1', '192.168.10.210'], json: false, host: 'client' });
 * ```
 */
export const arpingCommand: Command = {
  path: ['arping'],
  scope: 'host',
  formats: [],
  summary: 'arping: who answers ARP for an address on the LAN (iputils output)',
  help: `Usage: exec HOST -- arping [-c COUNT] [-I DEVICE] ADDRESS

Sends COUNT ARP requests (default 3 here; iputils sends until interrupted) for ADDRESS out of
DEVICE (default: the device of the route to it) and prints iputils' lines: one 'Unicast reply'
per probe with the answering device's MAC, or none; exit 1 without a reply. A node answers for
its own addresses and, as an L2 announcement lease holder, for the announced IPs on the matching
interfaces. MACs are stable functions of host and device names; the time is fixed (no clock).

Example: cilium-twin -f examples/l2-announcements/lab -f examples/l2-announcements/variants/l2-policy.yaml exec client -- arping -c 1 192.168.10.210`,
  run: (ctx) => runArping(ctx),
};

function runIpNeigh(ctx: CommandContext, state?: ShellState): CommandResult {
  const args = ctx.args.filter((a) => a !== 'show' && a !== 'list' && a !== 'ls');
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') dev = args[++i];
    else return usageError(`ip neigh: only "ip neigh [show] [dev DEV]" is modelled (got ${args[i]})`);
  }
  const host = ctx.host;
  if (host === undefined) return usageError('ip neigh: run it inside a host: exec HOST -- ip neigh');
  const net = twinOf(ctx).network();
  const h = net.hosts.get(host);
  if (h === undefined) return { stdout: '', stderr: `exec: ${host} has no network namespace of its own here\n`, exitCode: 1 };
  if (dev !== undefined && !h.interfaces.some((i) => i.name === dev)) return { stdout: '', stderr: `Cannot find device "${dev}"\n`, exitCode: 1 };
  const entries = neighboursAfter(net, host, state?.traces ?? []).filter((e) => dev === undefined || e.dev === dev);
  return ok(renderNeighbours(entries));
}

/**
 * `ip neigh [show] [dev DEV]` inside a host: the neighbour entries the traffic before it (in the
 * same `sh -c`) resolved; a fresh host has none.
 *
 * @example
 * ```ts
 * ipNeighCommand.run({ cluster, args: [], json: false, host: 'client' }); // '' (no traffic yet)
 * ```
 */
export const ipNeighCommand: Command = {
  path: ['ip', 'neigh'],
  aliases: [
    ['ip', 'neighbor'],
    ['ip', 'neighbour'],
    ['ip', 'n'],
  ],
  scope: 'host',
  formats: [],
  ownOutputFlag: true, // ip's -o is its one-line mode
  summary: 'ip neigh: the neighbour (ARP) entries after the traffic of the same sh -c',
  help: `Usage: exec HOST -- ip neigh [show] [dev DEVICE]
       exec HOST -- sh -c 'curl -s --connect-timeout 2 ADDRESS; ip neigh'

The host's ARP cache: one entry per next hop its own traffic resolved on an Ethernet device,
'ADDR dev DEV lladdr MAC REACHABLE' when someone answered, 'ADDR dev DEV FAILED' when nobody did
(an unannounced LoadBalancer IP). Each invocation starts with an empty cache: run the traffic and
ip neigh in one 'sh -c'.

Example: cilium-twin -f examples/l2-announcements/lab exec client -- sh -c 'curl -s --connect-timeout 2 192.168.10.210; ip neigh'`,
  run: (ctx) => runIpNeigh(ctx),
};

/** One command of a shell line: its words, the operator before it, and what goes to /dev/null. */
interface ShellCommand {
  words: string[];
  op: ';' | '&&' | '||';
  quiet?: boolean;
  quietErr?: boolean;
}

/** Takes `>/dev/null`, `2>/dev/null` and `&>/dev/null` (also with a space) off a command's words. */
function redirections(c: ShellCommand): ShellCommand | string {
  const words: string[] = [];
  for (let i = 0; i < c.words.length; i++) {
    const w = c.words[i]!;
    const m = /^(1|2|&)?>(.*)$/.exec(w);
    if (!m) {
      words.push(w);
      continue;
    }
    const target = m[2] !== '' ? m[2] : c.words[++i];
    if (target !== '/dev/null') return `sh: redirection to ${target ?? '(nothing)'} is not modelled (only /dev/null)`;
    if (m[1] === '2') c.quietErr = true;
    else if (m[1] === '&') c.quiet = c.quietErr = true;
    else c.quiet = true;
  }
  c.words = words;
  return c;
}

/** Splits a shell line into commands (`;`, `&&`, `||`) and words (single and double quotes). */
function splitShell(text: string): ShellCommand[] | string {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let op: ';' | '&&' | '||' = ';';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `sh: 1: Syntax error: Unterminated quoted string`;
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === ';' || (c === '&' && text[i + 1] === '&') || (c === '|' && text[i + 1] === '|')) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      if (words.length > 0) out.push({ words, op });
      words = [];
      op = c === ';' ? ';' : c === '&' ? '&&' : '||';
      if (c !== ';') i++;
    } else if (c === '>' && (!inWord || /^[12&]$/.test(word))) {
      word += c;
      inWord = true;
    } else if (c === '|' || c === '<' || c === '&' || c === '>') {
      return `sh: pipes, input redirections and background jobs are not modelled (${c})`;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length > 0) out.push({ words, op });
  const done: ShellCommand[] = [];
  for (const c of out) {
    const r = redirections(c);
    if (typeof r === 'string') return r;
    done.push(r);
  }
  return done;
}

/**
 * `sh -c 'CMD; CMD && CMD'` inside a host: runs `curl`, `arping`, `ip neigh`, `bpftool map
 * dump` and `echo` in order in one shell, so that `ip neigh` sees the traffic before it; `$?`
 * expands to the previous exit code.
 *
 * @example
 * ```ts
 * shCommand.run({ cluster, args: ['-c', 'curl -s --connect-timeout 2 192.168.10.209; ip neigh'], json: false, host: 'client' });
 * ```
 */
export const shCommand: Command = {
  path: ['sh'],
  aliases: [['bash']],
  scope: 'host',
  formats: [],
  ownOutputFlag: true, // -c's words are a shell line
  summary: "sh -c 'curl …; ip neigh': commands in one shell, sharing the neighbour cache",
  help: `Usage: exec HOST -- sh -c 'COMMAND; COMMAND && COMMAND || COMMAND'

Runs curl, arping, ip neigh, bpftool map dump and echo (with $?) in one shell on HOST and prints
their output in order; the exit code is the last command's. Inside one shell the host's
neighbour cache carries over from one command to the next.
Output may go to /dev/null (>/dev/null, 2>/dev/null, &>/dev/null); pipes are not modelled.

Example: cilium-twin -f examples/l2-announcements/lab exec client -- sh -c 'curl -s --connect-timeout 2 192.168.10.209; echo "exit $?"; ip neigh'`,
  run(ctx) {
    if (ctx.args[0] !== '-c' || ctx.args[1] === undefined) return usageError("sh: only 'sh -c COMMANDS' is modelled");
    const list = splitShell(ctx.args[1]);
    if (typeof list === 'string') return { stdout: '', stderr: `${list}\n`, exitCode: 2 };
    const state: ShellState = { traces: [] };
    let stdout = '';
    let stderr = '';
    let code = 0;
    for (const { words: raw, op, quiet, quietErr } of list) {
      if ((op === '&&' && code !== 0) || (op === '||' && code === 0)) continue;
      const words = raw.map((w) => w.replace(/\$\?/g, String(code)));
      const [tool, ...rest] = words;
      const sub: CommandContext = { ...ctx, args: rest };
      let r: CommandResult;
      if (tool === 'curl') {
        r = runCurl(twinOf(ctx), ctx.host!, rest, (t) => state.traces.push(t));
      } else if (tool === 'arping') r = runArping(sub);
      else if (tool === 'ip' && ['neigh', 'neighbor', 'neighbour', 'n'].includes(rest[0] ?? '')) r = runIpNeigh({ ...ctx, args: rest.slice(1) }, state);
      else if (tool === 'bpftool' && rest[0] === 'map' && rest[1] === 'dump') r = runBpftool({ ...ctx, args: rest.slice(2) });
      else if (tool === 'echo') r = ok(`${rest.join(' ')}\n`);
      else if (tool === 'true' || tool === 'false') r = { stdout: '', exitCode: tool === 'true' ? 0 : 1 };
      else r = { stdout: '', stderr: `sh: 1: ${tool ?? ''}: not modelled inside sh -c (curl, arping, ip neigh, bpftool map dump, echo)\n`, exitCode: 127 };
      if (quiet !== true) stdout += r.stdout === '' || r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`;
      if (quietErr !== true) stderr += r.stderr ?? '';
      code = r.exitCode;
    }
    return { stdout, stderr, exitCode: code };
  },
};
