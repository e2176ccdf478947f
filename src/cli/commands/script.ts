/**
 * `run` (lab sessions as scripts) and `diff` (what-if): the CLI side of `src/script/`. Both
 * read their own inputs (scripts, `--from`/`--to` scenarios, flows) through the injected file
 * access; parsing, running, comparing and diffing are the pure functions of `src/script/`.
 * Questions in a script are answered by the CLI's own command table on the twin rebuilt after
 * each change.
 *
 * @module
 */
import { dirname, isAbsolute, join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Command, CommandIo, CommandResult, StandaloneRequest } from '../command.js';
import { usageError } from '../command.js';
import { parseArgs } from '../args.js';
import { findCommand } from '../run.js';
import { parseYamlFiles } from '../../input/decode.js';
import type { Twin } from '../../twin/twin.js';
import { loadScenarioDocuments } from '../../twin/load.js';
import { resolveOutput } from '../output.js';
import { type Documents, normalizeDocuments } from '../../script/documents.js';
import { parseScript, formatScriptError, type Script } from '../../script/parse.js';
import { runScript, type Output, type ScriptEnv } from '../../script/run.js';
import { parseFlows, renderWhatIf, whatIf, type Flow } from '../../script/whatif.js';

/**
 * Builds the twin of documents, or the errors that refuse the scenario (decode errors, FRR lines
 * the model reads but cannot parse), one a line: the loading boundary's `loadScenarioDocuments`
 * (`loadScenario` for parsed documents).
 *
 * @example
 * loadDocuments(docs, {}); // { ok: true, state: twin }
 */
export function loadDocuments(docs: Documents, set: Readonly<Record<string, string>>): { ok: true; state: Twin } | { ok: false; errors: string } {
  const loaded = loadScenarioDocuments(docs, { set });
  if (E.isLeft(loaded)) return { ok: false, errors: loaded.left.map((e) => e.message).join('\n') };
  return { ok: true, state: loaded.right };
}

/**
 * Answers a question of a script with the CLI's commands on a twin, as the dispatcher runs them:
 * the words as typed after `cilium-twin` (`kubectl get svc`, `exec router -- ip route`,
 * `-o json trace …`).
 *
 * @example
 * askTwin(twin, ['exec', 'router', '--', 'ip', 'route'], commands).stdout;
 */
export function askTwin(twin: Twin, words: readonly string[], commands: readonly Command[]): Output {
  const cluster = twin.cluster;
  const parsed = parseArgs(words);
  if (E.isLeft(parsed)) return { stdout: '', stderr: `cilium-twin: ${parsed.left}\n`, exitCode: 2 };
  const a = parsed.right;
  if (a.files.length > 0 || Object.keys(a.set).length > 0) return { stdout: '', stderr: 'cilium-twin: unknown option: -f and --set are not taken inside a script (use kubectl apply -f or cilium config set)\n', exitCode: 2 };
  let found = findCommand(commands, a.words, a.host !== undefined ? 'host' : 'cluster');
  if (found === undefined && a.host !== undefined) found = findCommand(commands, a.words, 'cluster');
  if (found === undefined) {
    if (a.host === undefined && findCommand(commands, a.words, 'host') !== undefined) {
      return { stdout: '', stderr: `cilium-twin: ${a.words[0]} runs inside a host: exec HOST -- ${a.words.join(' ')}\n`, exitCode: 2 };
    }
    return { stdout: '', stderr: `cilium-twin: unknown command "${a.words.join(' ')}"${a.host !== undefined ? ` on host ${a.host}` : ''}\n`, exitCode: 2 };
  }
  if (found.command.standalone !== undefined) return { stdout: '', stderr: `cilium-twin: unknown command "${a.words.join(' ')}" (not inside a script)\n`, exitCode: 2 };
  if (a.host !== undefined) {
    const hosts = new Set([...cluster.hosts.map((h) => h.meta.name), ...cluster.scenario.nodes.map((n) => n.meta.name)]);
    const pods = cluster.scenario.pods;
    const isPod = pods.some((p) => `${p.meta.namespace ?? 'default'}/${p.meta.name}` === a.host) || pods.filter((p) => p.meta.name === a.host).length === 1;
    if (!hosts.has(a.host) && !isPod) return { stdout: '', stderr: `cilium-twin: exec: unknown host or pod "${a.host}"\n`, exitCode: 2 };
  }
  let args: readonly string[] = found.rest;
  let json = a.json;
  let output: string | undefined;
  if (found.command.formats !== undefined) {
    const o = resolveOutput(found.command, found.rest, a.json);
    if ('exitCode' in o) return o;
    args = o.rest;
    output = o.output;
    json = o.output === 'json';
  }
  const r = found.command.run({ twin, cluster, args, json, ...(output !== undefined ? { output } : {}), ...(a.host !== undefined ? { host: a.host } : {}) });
  const stdout = r.stdout !== '' && !r.stdout.endsWith('\n') ? `${r.stdout}\n` : r.stdout;
  return { stdout, ...(r.stderr !== undefined ? { stderr: r.stderr } : {}), exitCode: r.exitCode };
}

/** Reads `-f` inputs into documents (no `-f`: none). */
function initialDocuments(paths: readonly string[], io: CommandIo): E.Either<string, Documents> {
  if (paths.length === 0) return E.right([]);
  const files = io.readFiles(paths);
  if (E.isLeft(files)) return files;
  const parsed = parseYamlFiles(files.right);
  if (E.isLeft(parsed)) return E.left(`${parsed.left.map((e) => e.message).join('\n')}\ncilium-twin: the scenario has ${parsed.left.length} error${parsed.left.length === 1 ? '' : 's'}; nothing was computed.`);
  return E.right(normalizeDocuments(parsed.right));
}

/** The script environment of the CLI: the twin from documents, questions through the command table, files relative to the script. */
function scriptEnv(scriptPath: string, set: Readonly<Record<string, string>>, io: CommandIo, commands: readonly Command[]): ScriptEnv<Twin> {
  return {
    load: (docs) => loadDocuments(docs, set),
    ask: (twin, words) => askTwin(twin, words, commands),
    readFile: (path) => {
      const candidates = isAbsolute(path) ? [path] : [join(dirname(scriptPath), path), path];
      let last = `the path "${path}" does not exist`;
      for (const c of candidates) {
        const r = io.readFiles([c]);
        if (E.isRight(r)) return { ok: true, files: r.right };
        last = r.left;
      }
      return { ok: false, error: last };
    },
  };
}

function readScript(path: string, io: CommandIo): E.Either<string, Script> {
  if (!io.readText) return E.left('reading scripts is not available here');
  const text = io.readText(path);
  if (E.isLeft(text)) return text;
  const p = parseScript(path, text.right);
  return p.ok ? E.right(p.script) : E.left(formatScriptError(p.error));
}

const runHelp = `Usage: cilium-twin [-f PATH]... [--set KEY=VALUE]... run [--update] SCRIPT...

Runs lab scripts: each from the -f inputs (or an empty scenario), each command in turn, each
output compared with the lines the script expects under it.

A script is text:
  # a comment
  $ kubectl patch svc webpod -p '{"spec":{"externalTrafficPolicy":"Local"}}'
  service/webpod patched
  $ exec router -- ip route | grep -A2 172.16.1.1
  172.16.1.1 nhid 1 proto bgp metric 20
  # match: \\s+nexthop via 192\\.168\\.\\d+\\.\\d+ dev eth\\d weight 1
  ...
  $ ! exec router -- curl -s -m 1 10.96.252.129     ('!': expected to fail)
  -- lb.yaml --                                     (a file: kubectl apply -f lb.yaml)
  apiVersion: v1
  ...

Commands are the CLI's own (kubectl get …, cilium …, exec HOST -- …, trace …) and changes:
  kubectl apply|create|replace|delete -f NAME, kubectl delete TYPE NAME, kubectl patch TYPE NAME
  -p PATCH [--type strategic|merge|json], kubectl label|annotate TYPE NAME KEY=VALUE|KEY-
  [--overwrite], kubectl scale TYPE NAME --replicas N, kubectl cordon|uncordon NODE,
  kubectl taint nodes NODE KEY[=VALUE]:EFFECT[-], kubectl rollout restart TYPE/NAME,
  exec HOST -- ip route add|append|del|replace|change ROUTE, exec HOST -- sysctl -w KEY=VALUE,
  exec ROUTER -- vtysh -c 'conf t' -c LINE..., cilium config set|delete KEY [VALUE],
  helm upgrade RELEASE CHART --set NAME=VALUE...
Filters after |: grep [-v] [-E] [-F] [-i] [-c] [-A N] [-B N], sort [-r] [-n] [-u], uniq [-c],
  head [-n N], tail [-n N], wc -l, awk '{print $N}', cat.

Options:
  --update   rewrite each command's expected lines with what the twin prints (kept when they hold)

Exit codes: 0 every expectation held; 1 a difference (a unified diff headed SCRIPT:LINE) or an
error (SCRIPT:LINE: message; nothing after it runs); 2 the command line is wrong.

Example: cilium-twin -f examples/bgp-lab/lab run examples/scripts/etp-local.script`;

function runStandalone(req: StandaloneRequest, io: CommandIo, commands: readonly Command[]): CommandResult {
  let update = false;
  const files = [...req.files];
  const scripts: string[] = [];
  for (let i = 0; i < req.args.length; i++) {
    const w = req.args[i]!;
    if (w === '--update' || w === '-u') update = true;
    else if (w === '-f' || w === '--filename') {
      const v = req.args[++i];
      if (v === undefined) return usageError('run: -f needs a path');
      files.push(v);
    } else if (w.startsWith('-')) return usageError(`run: unknown option ${w}\n\n${runHelp}`);
    else scripts.push(w);
  }
  if (scripts.length === 0) return usageError(`run: which script?\n\n${runHelp}`);
  const initial = initialDocuments(files, io);
  if (E.isLeft(initial)) return { stdout: '', stderr: `${initial.left}\n`, exitCode: initial.left.includes('nothing was computed') ? 1 : 2 };
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const path of scripts) {
    const script = readScript(path, io);
    if (E.isLeft(script)) {
      stderr += `${script.left}\n`;
      exitCode = exitCode || (script.left.startsWith(path + ':') ? 1 : 2);
      continue;
    }
    const r = runScript(script.right, initial.right, scriptEnv(path, req.set, io, commands), { update });
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.exitCode !== 0) exitCode = 1;
    if (update && r.updated !== undefined) {
      const old = script.right.lines.length === 0 ? '' : `${script.right.lines.join('\n')}\n`;
      if (r.updated !== old) {
        if (!io.writeText) return usageError('run --update: writing files is not available here');
        const w = io.writeText(path, r.updated);
        if (E.isLeft(w)) return usageError(`run --update: ${w.left}`);
        stderr += `${path}: expected outputs updated\n`;
      }
    }
  }
  return { stdout, stderr, exitCode };
}

/**
 * `run`: lab scripts (standalone: reads its own inputs).
 *
 * @example
 * ```ts
 * runCli(['-f', 'examples/bgp-lab/lab', 'run', 'examples/scripts/etp-local.script'], env, commands).exitCode; // 0
 * ```
 */
export const runCommand: Command = {
  path: ['run'],
  scope: 'cluster',
  summary: 'Run lab scripts: commands with their expected outputs, changes applied in turn (--update rewrites them)',
  help: runHelp,
  formats: [],
  run: () => usageError('run: reads its own inputs; call it from the command line'),
  standalone: runStandalone,
};

/** A `--from`/`--to` side: scenario paths, or `SCRIPT[:LINE]` (the documents after the script's changes up to LINE). */
function sideDocuments(paths: readonly string[], base: readonly string[], set: Readonly<Record<string, string>>, io: CommandIo, commands: readonly Command[]): E.Either<string, Documents> {
  const scenario: string[] = [];
  let script: { path: string; line?: number } | undefined;
  for (const p of paths) {
    const m = /^(.*\.(?:script|txtar|txt))(?::(\d+))?$/.exec(p);
    if (m) script = { path: m[1]!, ...(m[2] !== undefined ? { line: Number(m[2]) } : {}) };
    else scenario.push(p);
  }
  const docs = initialDocuments(script ? [...base, ...scenario] : scenario.length > 0 ? scenario : base, io);
  if (E.isLeft(docs) || script === undefined) return docs;
  const parsed = readScript(script.path, io);
  if (E.isLeft(parsed)) return parsed;
  const upTo = script.line;
  const cut: Script = { ...parsed.right, steps: parsed.right.steps.filter((s) => upTo === undefined || s.line <= upTo) };
  const r = runScript(cut, docs.right, scriptEnv(script.path, set, io, commands), { update: true });
  if (r.updated === undefined) return E.left(r.stderr.trimEnd());
  return E.right(r.documents);
}

const diffHelp = `Usage: cilium-twin diff --from PATH... --to PATH... [--flows FILE] [-o json]

What changes from one scenario to another, stage by stage: LB IPAM addresses, BGP advertisements
(per node) and best paths (per router), FIB entries (per host), BPF service and backend rows (per
node), and a sample of flows: verdict, entry node, backend and the source address the backend sees.

Each --from/--to is a file or folder as -f takes them (repeat it to layer variants), or a script
and a line, SCRIPT:LINE, for the scenario after the script's commands up to that line (the script
starts from the -f inputs). Without --flows the sample is one flow per client and service port:
every Host that is not a node to every LoadBalancer/external address, every pod that backs no
service to every ClusterIP. A flows file holds one flow a line: CLIENT ADDRESS:PORT[/PROTO] [SPORT].

-o json prints {"changes": [{"stage", "where", "kind": "added"|"removed"|"changed", "before",
"after"}]}, an empty list when nothing changed.

Example:
  cilium-twin diff --from examples/bgp-lab/lab --from examples/bgp-lab/variants/webpod-2.yaml \\
    --from examples/bgp-lab/variants/pod-routes.yaml --from examples/bgp-lab/variants/lb.yaml \\
    --to examples/bgp-lab/lab --to examples/bgp-lab/variants/webpod-2.yaml \\
    --to examples/bgp-lab/variants/pod-routes.yaml --to examples/bgp-lab/variants/lb.yaml \\
    --to examples/bgp-lab/variants/etp-local.yaml`;

function diffStandalone(req: StandaloneRequest, io: CommandIo, commands: readonly Command[]): CommandResult {
  const from: string[] = [];
  const to: string[] = [];
  let flowsPath: string | undefined;
  let json = req.json;
  for (let i = 0; i < req.args.length; i++) {
    const w = req.args[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    const value = (): string | undefined => (eq > 0 ? w.slice(eq + 1) : req.args[++i]);
    if (name === '--from' || name === '--to' || name === '--flows') {
      const v = value();
      if (v === undefined) return usageError(`diff: ${name} needs a path`);
      if (name === '--from') from.push(v);
      else if (name === '--to') to.push(v);
      else flowsPath = v;
    } else if (name === '-o' || name === '--output') {
      const v = value();
      if (v !== 'json') return usageError(`diff: ${name} ${v ?? ''}: the only output format is json`);
      json = true;
    } else if (w === '-ojson') json = true;
    else return usageError(`diff: unexpected argument ${w}\n\n${diffHelp}`);
  }
  if (from.length === 0 || to.length === 0) return usageError(`diff: give --from and --to\n\n${diffHelp}`);
  const sides: Twin[] = [];
  for (const [label, paths] of [['--from', from], ['--to', to]] as const) {
    const docs = sideDocuments(paths, req.files, req.set, io, commands);
    if (E.isLeft(docs)) return { stdout: '', stderr: `diff ${label}: ${docs.left}\n`, exitCode: docs.left.includes(':') ? 1 : 2 };
    const loaded = loadDocuments(docs.right, req.set);
    if (!loaded.ok) return { stdout: '', stderr: `diff ${label}: the scenario is refused:\n${loaded.errors}\n`, exitCode: 1 };
    sides.push(loaded.state);
  }
  let flows: Flow[] | undefined;
  if (flowsPath !== undefined) {
    if (!io.readText) return usageError('diff --flows: reading files is not available here');
    const text = io.readText(flowsPath);
    if (E.isLeft(text)) return usageError(`diff --flows: ${text.left}`);
    const parsed = parseFlows(text.right);
    if (!parsed.ok) return usageError(`diff --flows ${flowsPath}: ${parsed.error}`);
    flows = parsed.flows;
  }
  const changes = whatIf(sides[0]!, sides[1]!, flows);
  if (json) return { stdout: `${JSON.stringify({ changes }, null, 2)}\n`, exitCode: 0 };
  return { stdout: renderWhatIf(changes), exitCode: 0 };
}

/**
 * `diff`: what-if between two scenarios (standalone: reads its own inputs).
 *
 * @example
 * ```ts
 * runCli(['diff', '--from', 'a/', '--to', 'b/', '-o', 'json'], env, commands).stdout; // '{"changes": [...]}'
 * ```
 */
export const diffCommand: Command = {
  path: ['diff'],
  scope: 'cluster',
  summary: 'What-if: what changes from one scenario to another, stage by stage (LB IPAM, BGP, FIB, BPF, flows)',
  help: diffHelp,
  formats: ['json'],
  run: () => usageError('diff: reads its own inputs; call it from the command line'),
  standalone: diffStandalone,
};
