/**
 * The dispatcher: command line → result. It reads the command line, finds the command (longest
 * path prefix among the registered commands), reads the scenario through an injected environment,
 * loads it into a twin (`loadScenario`: every located error, or the twin) and runs the command. Everything that touches the
 * outside world (files, standard input, the package's version) comes in through {@link CliEnv},
 * so the dispatcher is tested without a process.
 *
 * Exit codes: 0 fine; 1 the scenario is wrong (or the tool itself failed); 2 the command line is
 * wrong (unknown command or option, missing file, unknown host); 70 an internal error (a bug:
 * one line on standard error, never a stack trace).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Command, CommandResult } from './command.js';
import { oneLine } from '../input/limits.js';
import { parseArgs } from './args.js';
import { resolveOutput } from './output.js';
import { loadScenario } from '../twin/load.js';
import { compareEntryKeys } from '../net/compare.js';
import type { Twin } from '../twin/twin.js';

/**
 * What the dispatcher needs from the outside world.
 *
 * @example
 * const env: CliEnv = { version: '0.1.0', readFiles: readScenarioFiles, readDefault: () => readEmbeddedLab(), defaultName: 'bgp-lab' };
 */
export interface CliEnv {
  /** The package version (`--version`). */
  readonly version: string;
  /** Reads the scenario files named by `-f` (files, directories, `-`), or says what is wrong. */
  readFiles(paths: readonly string[]): E.Either<string, readonly { file: string; text: string; cluster?: string }[]>;
  /** The files of the embedded bgp-lab, used when no `-f` is given. */
  readDefault(): E.Either<string, readonly { file: string; text: string }[]>;
  /** How the embedded scenario is named in messages (e.g. `examples/bgp-lab/lab`). */
  readonly defaultName: string;
  /** Reads a text file (scripts and flows of `run` and `diff`). */
  readText?(path: string): E.Either<string, string>;
  /** Writes a text file (`run --update`). */
  writeText?(path: string, text: string): E.Either<string, void>;
}

/**
 * Exit code of an internal error (BSD `EX_SOFTWARE`).
 *
 * @example
 * process.exitCode = EXIT_INTERNAL; // after an unexpected error
 */
export const EXIT_INTERNAL = 70;

function usage(message: string): CommandResult {
  // one line whatever the command line held (control characters shown escaped)
  return { stdout: '', stderr: `cilium-twin: ${oneLine(message)}\nRun 'cilium-twin --help' for usage.\n`, exitCode: 2 };
}

function startsWith(words: readonly string[], path: readonly string[]): boolean {
  return path.length <= words.length && path.every((w, i) => words[i] === w);
}

/**
 * The command whose path (or alias) is the longest prefix of `words`, among those of `scope`.
 *
 * @example
 * findCommand(commands, ['cilium-dbg', 'bpf', 'lb', 'list', '--frontends'], 'host'); // { command: bpfLbList, rest: ['--frontends'] }
 */
export function findCommand(
  commands: readonly Command[],
  words: readonly string[],
  scope: 'cluster' | 'host',
): { command: Command; rest: readonly string[] } | undefined {
  let best: { command: Command; rest: readonly string[] } | undefined;
  let bestLength = 0;
  for (const command of commands) {
    if (command.scope !== scope) continue;
    for (const path of [command.path, ...(command.aliases ?? [])]) {
      if (path.length > bestLength && startsWith(words, path)) {
        best = { command, rest: words.slice(path.length) };
        bestLength = path.length;
      }
    }
  }
  return best;
}

function listCommands(commands: readonly Command[], scope: 'cluster' | 'host'): string {
  const rows = commands
    .filter((c) => c.scope === scope)
    .map((c) => [c.path.join(' '), c.summary] as const)
    .sort(compareEntryKeys);
  const width = Math.max(0, ...rows.map(([p]) => p.length));
  return rows.map(([p, s]) => `  ${p.padEnd(width)}  ${s}`).join('\n');
}

/**
 * The global help text, listing the commands.
 *
 * @example
 * globalHelp(commands, 'examples/bgp-lab/lab').startsWith('cilium-twin'); // true
 */
export function globalHelp(commands: readonly Command[], defaultName: string): string {
  return `cilium-twin: a digital twin of a Kubernetes cluster networked by Cilium 1.18

Usage:
  cilium-twin [-f PATH]... [--set KEY=VALUE]... [-o json] COMMAND [ARGS...]
  cilium-twin [-f PATH]... [--set KEY=VALUE]... exec HOST [--] TOOL [ARGS...]

Options:
  -f, --filename PATH  a scenario file, or a directory (its *.yaml and *.yml in lexical order), as
                       kubectl apply -f takes them; repeat it: a later document replaces an earlier
                       one of the same identity; - reads standard input.
                       Without -f: the embedded bgp-lab (${defaultName}).
                       NAME=PATH reads PATH into the cluster (kubectl context) NAME: several
                       clusters in one scenario (a cluster mesh); paths without a name hold
                       what the clusters share (hosts, routers).
  --context NAME       the cluster a command is for (kubectl, cilium, exec); also accepted among
                       the command's words (kubectl --context NAME get pods). Default: the first
                       cluster named; exec HOST finds the cluster of a node or pod by its name.
  --set KEY=VALUE      override a cilium-config key (bpf-lb-algorithm=maglev) or set it by its Helm
                       name (loadBalancer.algorithm=maglev); repeat it, or separate with commas.
  -o json              JSON output, for the commands that have it
  -h, --help           this help; COMMAND --help for a command's own
  --version            the version

Commands:
${listCommands(commands, 'cluster')}

Commands inside a host (cilium-twin exec HOST -- TOOL ...; HOST is a node or a Host; curl also runs in a pod, as POD or NAMESPACE/POD):
${listCommands(commands, 'host')}

Exit codes: 0 fine, 1 the scenario is wrong (or the tool failed), 2 the command line is wrong,
70 internal error.
`;
}

/** Is `host` a node, a Host or a pod (`name` or `namespace/name`) of this twin's cluster? */
function hasPlace(twin: Twin, host: string, nodesOnly: boolean): boolean {
  const c = twin.cluster;
  if (c.scenario.nodes.some((n) => n.meta.name === host)) return true;
  if (nodesOnly) return c.scenario.pods.some((p) => p.meta.name === host || `${p.meta.namespace ?? 'default'}/${p.meta.name}` === host);
  return c.hosts.some((h) => h.meta.name === host);
}

/**
 * The twin a command runs on. One cluster: that cluster (a \`--context\` is refused, as kubectl
 * refuses an unknown context). Several: the \`--context\` one; else for \`exec HOST\` the only
 * cluster with HOST as a node or pod (an error naming the contexts when several have it; a shared
 * host such as a router runs in the current context); else the current context (the first
 * cluster named on the command line). A string is a usage error.
 *
 * @example
 * chooseContext(twin, 'kind-east', undefined); // the kind-east twin
 */
export function chooseContext(twin: Twin, context: string | undefined, host: string | undefined): Twin | string {
  const contexts = twin.contexts();
  if (context !== undefined) {
    const t = contexts.length > 0 ? twin.inContext(context) : undefined;
    if (t === undefined) {
      const known = contexts.length > 0 ? `; contexts: ${contexts.join(', ')}` : ' (the scenario holds one cluster; name clusters with -f NAME=PATH)';
      return `error: context "${context}" does not exist${known}`;
    }
    return t;
  }
  if (contexts.length === 0 || host === undefined) return twin;
  const all = contexts.map((c) => twin.inContext(c)!);
  const owners = all.filter((t) => hasPlace(t, host, true));
  if (owners.length === 1) return owners[0]!;
  if (owners.length > 1) return `exec: "${host}" is in contexts ${owners.map((t) => t.contextName).join(', ')}: give --context NAME`;
  return twin;
}

function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help');
}

/** Adds a final newline to non-empty output that lacks one. */
function finish(r: CommandResult): CommandResult {
  const stdout = r.stdout !== '' && !r.stdout.endsWith('\n') ? `${r.stdout}\n` : r.stdout;
  const stderr = r.stderr !== undefined && r.stderr !== '' && !r.stderr.endsWith('\n') ? `${r.stderr}\n` : r.stderr;
  return { stdout, ...(stderr !== undefined ? { stderr } : {}), exitCode: r.exitCode };
}

/**
 * Runs a command line against the registered commands. Never throws: an unexpected error
 * becomes exit code {@link EXIT_INTERNAL} with one line on standard error.
 *
 * @example
 * ```ts
 * const r = runCli(['-f', 'lab/', 'validate'], env, commands);
 * process.stdout.write(r.stdout);
 * process.exitCode = r.exitCode;
 * ```
 */
export function runCli(argv: readonly string[], env: CliEnv, commands: readonly Command[]): CommandResult {
  try {
    return finish(dispatch(argv, env, commands));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { stdout: '', stderr: `cilium-twin: internal error: ${message.split('\n')[0]}\n`, exitCode: EXIT_INTERNAL };
  }
}

function dispatch(argv: readonly string[], env: CliEnv, commands: readonly Command[]): CommandResult {
  const parsed = parseArgs(argv);
  if (E.isLeft(parsed)) return usage(parsed.left);
  const a = parsed.right;
  if (a.version) return { stdout: `cilium-twin ${env.version}\n`, exitCode: 0 };
  let words = a.words;
  let help = a.help;
  if (a.host === undefined && words[0] === 'help') {
    words = words.slice(1);
    help = true;
  }
  if (a.host === undefined && words.length === 0) {
    if (help) return { stdout: globalHelp(commands, env.defaultName), exitCode: 0 };
    return { stdout: '', stderr: `cilium-twin: which command?\n\n${globalHelp(commands, env.defaultName)}`, exitCode: 2 };
  }

  let found = findCommand(commands, words, a.host !== undefined ? 'host' : 'cluster');
  if (found === undefined && a.host !== undefined) found = findCommand(commands, words, 'cluster');
  if (found === undefined) {
    if (a.host === undefined) {
      const inside = findCommand(commands, words, 'host');
      if (inside !== undefined) {
        const tool = inside.command.path.join(' ');
        return usage(`${tool} runs inside a host: cilium-twin exec HOST -- ${words.join(' ')}`);
      }
    }
    const where = a.host !== undefined ? ` on host ${a.host}` : '';
    return {
      stdout: '',
      stderr:
        `cilium-twin: unknown command "${oneLine(words.join(' '))}"${oneLine(where)}\n\nCommands:\n${listCommands(commands, 'cluster')}\n\n` +
        `Commands inside a host (exec HOST -- ...):\n${listCommands(commands, 'host')}\n`,
      exitCode: 2,
    };
  }
  const { command, rest } = found;
  if (help || wantsHelp(rest)) return { stdout: `${command.help.trimEnd()}\n`, exitCode: 0 };
  if (command.standalone !== undefined && a.host === undefined) return command.standalone({ files: a.files, set: a.set, json: a.json, args: rest }, env, commands);

  // the command line first: a format the command does not print is a usage error (exit code 2)
  let args: readonly string[] = rest;
  let json = a.json;
  let output: string | undefined;
  if (command.formats !== undefined) {
    const o = resolveOutput(command, rest, a.json);
    if ('exitCode' in o) return o;
    args = o.rest;
    output = o.output;
    json = o.output === 'json';
  }
  const files = a.files.length > 0 ? env.readFiles(a.files) : env.readDefault();
  if (E.isLeft(files)) return usage(files.left);
  const loaded = loadScenario(files.right, { set: a.set });
  if (E.isLeft(loaded)) {
    const n = loaded.left.length;
    return {
      stdout: '',
      stderr: `${loaded.left.map((e) => e.message).join('\n')}\ncilium-twin: the scenario has ${n} error${n === 1 ? '' : 's'}; nothing was computed.\n`,
      exitCode: 1,
    };
  }
  const chosen = chooseContext(loaded.right, a.context, a.host);
  if (typeof chosen === 'string') return usage(chosen);
  const twin = chosen;
  const cluster = twin.cluster;
  if (a.host !== undefined) {
    const hosts = new Set([...cluster.hosts.map((h) => h.meta.name), ...cluster.scenario.nodes.map((n) => n.meta.name)]);
    // A pod is a place to exec into too (`exec curl-pod -- curl …`, `exec default/curl-pod -- …`):
    // the command resolves it (hosts first, then `namespace/name`, then a unique pod name).
    const pods = cluster.scenario.pods;
    const isPod =
      pods.some((p) => `${p.meta.namespace ?? 'default'}/${p.meta.name}` === a.host) ||
      pods.filter((p) => p.meta.name === a.host).length === 1;
    if (!hosts.has(a.host) && !isPod) {
      return usage(`exec: unknown host or pod "${a.host}"; hosts: ${[...hosts].sort().join(', ') || '(none)'}`);
    }
  }
  const note = a.files.length === 0 && command.path[0] !== 'main' ? `cilium-twin: no -f given: using the embedded ${env.defaultName}\n` : '';
  const result = command.run({
    twin,
    cluster,
    args,
    json,
    ...(output !== undefined ? { output } : {}),
    ...(a.host !== undefined ? { host: a.host } : {}),
    ...(env.readText !== undefined ? { readText: (p: string) => env.readText!(p) } : {}),
  });
  return note === '' ? result : { ...result, stderr: `${note}${result.stderr ?? ''}` };
}
