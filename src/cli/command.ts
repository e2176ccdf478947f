/**
 * The command layer: every CLI command is a small module that exports a {@link Command}.
 * The dispatcher (`run.ts`) reads files, loads the scenario into a twin (`loadScenario`), then finds
 * the registered command whose `path` is the longest prefix of the words the user typed and
 * calls its `run` with the remaining words. Commands are pure: they return text, never print.
 *
 * Two scopes:
 * - `cluster` commands are typed directly: `cilium-twin -f lab/ kubectl get svc`.
 * - `host` commands are what a user types inside a machine:
 *   `cilium-twin -f lab/ exec k8s-ctr -- cilium-dbg bpf lb list`; they get `ctx.host`.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { createTwin, type Twin } from '../twin/twin.js';
import type { Either } from 'fp-ts/lib/Either.js';

/** What a command is given. */
export interface CommandContext {
  /**
   * The twin of the scenario: every stage's output, memoised (`ctx.twin.maps(node)`,
   * `ctx.twin.fib(host)`, `ctx.twin.trace(request)`, …). The dispatcher always sets it; read it
   * with {@link twinOf} (which also serves contexts built by hand with only a cluster).
   */
  readonly twin?: Twin;
  /** The decoded scenario with derived facts and `--set` overrides applied (`twin.cluster`). */
  readonly cluster: Cluster;
  /** The words after the command's path (for `exec`, after the tool's path). */
  readonly args: readonly string[];
  /** The output is JSON (`-o json`, global or the command's own): print JSON instead of the tool's text. */
  readonly json: boolean;
  /**
   * The output format the dispatcher resolved (`text`, or one of the command's
   * {@link Command.formats}); its `-o` flag is then gone from `args`. Unset in contexts built by
   * hand: read it with `outputOf(ctx, command)` (`src/cli/output.ts`).
   */
  readonly output?: string;
  /** For `host` commands: the host (node or router) named after `exec`. */
  readonly host?: string;
  /** Reads a text file a command names itself (`trace --flows FILE`; `-` is standard input). */
  readonly readText?: (path: string) => Either<string, string>;
}

/** What a command returns; the dispatcher prints it and exits with `exitCode`. */
export interface CommandResult {
  /** Text for standard output (a trailing newline is added when missing and not empty). */
  readonly stdout: string;
  /** Text for standard error. */
  readonly stderr?: string;
  /** 0 fine, 1 the scenario is wrong (or the tool itself failed), 2 the command line is wrong; tools may return their own codes (curl's 28). */
  readonly exitCode: number;
}

/** A CLI command. */
export interface Command {
  /** The words that select it, e.g. `['kubectl', 'get', 'svc']` or `['cilium-dbg', 'bpf', 'lb', 'list']`. */
  readonly path: readonly string[];
  /** Other paths that select it (aliases such as `['kubectl', 'get', 'services']`). */
  readonly aliases?: readonly (readonly string[])[];
  /** `cluster`: typed directly; `host`: typed after `exec HOST --`. */
  readonly scope: 'cluster' | 'host';
  /** One line for the command list. */
  readonly summary: string;
  /** Full help text (usage, options, example), shown by `--help`. */
  readonly help: string;
  /**
   * The output formats it prints besides text (`['json']`, `['json', 'wide']`, `[]` for text
   * only). When declared, the dispatcher reads `-o` for it (see `src/cli/output.ts`): a format not
   * listed is a usage error (exit code 2). Undeclared: the command reads its own words and only
   * the global `-o json` is given to it (older commands).
   */
  readonly formats?: readonly string[];
  /** The command's own `-o` means something else (`ip -o`, `curl -o FILE`): only the global `-o json` selects a format. */
  readonly ownOutputFlag?: boolean;
  /** Runs the command. Must not throw on user error: return exit code 2 with a message instead. */
  run(ctx: CommandContext): CommandResult;
  /**
   * For commands that read their own inputs (`run`, `diff`): called instead of `run`, before any
   * scenario is read, with the global options, the command's words and the CLI's file access.
   */
  readonly standalone?: (request: StandaloneRequest, io: CommandIo, commands: readonly Command[]) => CommandResult;
}

/**
 * What a standalone command is given: the global options and its own words.
 *
 * @example
 * const r: StandaloneRequest = { files: ['lab/'], set: {}, json: false, args: ['etp.script'] };
 */
export interface StandaloneRequest {
  /** `-f PATH` values in order. */
  readonly files: readonly string[];
  /** `--set KEY=VALUE` values. */
  readonly set: Readonly<Record<string, string>>;
  /** `-o json` was given. */
  readonly json: boolean;
  /** The words after the command's path. */
  readonly args: readonly string[];
}

/**
 * The CLI's file access, injected so that standalone commands stay testable without a disk.
 *
 * @example
 * const io: CommandIo = { readFiles: (paths) => readScenarioFiles(paths) };
 */
export interface CommandIo {
  /** Reads scenario files (files, directories, `-`) as `-f` does. */
  readFiles(paths: readonly string[]): Either<string, readonly { file: string; text: string }[]>;
  /** Reads a text file (a script, a flows file). */
  readText?(path: string): Either<string, string>;
  /** Writes a text file (`run --update`). */
  writeText?(path: string, text: string): Either<string, void>;
}

/**
 * A user error from a command's own argument parsing: returns exit code 2 with a message.
 *
 * @example
 * return usageError('cilium-dbg bpf lb maglev get: missing service id');
 */
export function usageError(message: string): CommandResult {
  return { stdout: '', stderr: `${message}\n`, exitCode: 2 };
}

/**
 * A successful text result.
 *
 * @example
 * return ok(renderTable(rows));
 */
export function ok(stdout: string): CommandResult {
  return { stdout, exitCode: 0 };
}

/**
 * A successful JSON result, pretty-printed with two spaces.
 *
 * @example
 * return ctx.json ? okJson(rows) : ok(render(rows));
 */
export function okJson(value: unknown): CommandResult {
  return { stdout: `${JSON.stringify(value, null, 2)}\n`, exitCode: 0 };
}

const fallbackTwins = new WeakMap<CommandContext, Twin>();

/**
 * The twin of a command's context: `ctx.twin`, or for a context built by hand with only a
 * cluster (older tests), one twin per context object.
 *
 * @example
 * const maps = twinOf(ctx).maps(node);
 */
export function twinOf(ctx: CommandContext): Twin {
  if (ctx.twin !== undefined) return ctx.twin;
  let t = fallbackTwins.get(ctx);
  if (t === undefined) fallbackTwins.set(ctx, (t = createTwin(ctx.cluster)));
  return t;
}
