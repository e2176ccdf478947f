/**
 * Output formats, read in one place. Every command declares the formats it prints besides text
 * ({@link Command.formats}); the dispatcher reads `-o FORMAT` (`-o X`, `-oX`, `-o=X`,
 * `--output X`, `--output=X`; the last one wins) from the global options and from the command's
 * words, refuses a format the command lacks (exit code 2, in the tool's words) and gives the
 * command `ctx.output` and words without the flag. Commands read it with {@link outputOf}, which
 * also serves contexts built by hand (tests) with `-o` still in the words.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from './command.js';

/** The format every command prints when no `-o` is given. */
export const TEXT = 'text';

/**
 * Splits `-o FORMAT` off a command's words. Left as a string: the message of a flag without its
 * value.
 *
 * @example
 * ```ts
 * splitOutputFlag(['advertised', '-o', 'json']); // { rest: ['advertised'], output: 'json' }
 * splitOutputFlag(['-owide']); // { rest: [], output: 'wide' }
 * ```
 */
export function splitOutputFlag(args: readonly string[]): { rest: string[]; output?: string } | string {
  const rest: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') {
      const v = args[++i];
      if (v === undefined) return `flag needs an argument: '${a === '-o' ? 'o' : 'output'}' in ${a}`;
      output = v;
    } else if (a.startsWith('--output=')) output = a.slice('--output='.length);
    else if (a.startsWith('-o') && a.length > 2) output = a.slice(2).replace(/^=/, '');
    else rest.push(a);
  }
  return output === undefined ? { rest } : { rest, output };
}

/** What a command declares about output (a part of {@link Command}). */
export type OutputDeclaration = Pick<Command, 'path' | 'formats' | 'ownOutputFlag'>;

function isKubectl(command: OutputDeclaration): boolean {
  return command.path[0] === 'kubectl';
}

/**
 * The message for a format the command does not print: kubectl's words for kubectl commands,
 * the twin's for the others.
 *
 * @example
 * ```ts
 * unsupportedFormat({ path: ['kubectl', 'get', 'svc'], formats: ['json', 'wide'] }, 'yaml');
 * // 'error: unable to match a printer suitable for the output format "yaml", allowed formats are: json,wide'
 * ```
 */
export function unsupportedFormat(command: OutputDeclaration, format: string): string {
  const formats = [...(command.formats ?? [])].sort();
  if (isKubectl(command)) {
    return `error: unable to match a printer suitable for the output format "${format}", allowed formats are: ${formats.join(',')}`;
  }
  const has = formats.length === 0 ? 'prints text only' : `prints text or ${formats.map((f) => `-o ${f}`).join(', ')}`;
  return `Error: unsupported output format "${format}": ${command.path.join(' ')} ${has}`;
}

function usage(message: string): CommandResult {
  return { stdout: '', stderr: `${message}\n`, exitCode: 2 };
}

/**
 * Resolves the output format of a command line: from its words (unless the command's own `-o`
 * means something else) or else the global `-o json`; checks it against the command's formats.
 * Returns the format (`text` when none) and the words without the flag, or the usage error.
 *
 * @example
 * ```ts
 * resolveOutput(bpfLbListCommand, ['-o', 'yaml'], false); // exit code 2: Error: unsupported output format "yaml": …
 * resolveOutput(kubectlGetSvcCommand, ['webpod', '-o', 'wide'], false); // { output: 'wide', rest: ['webpod'] }
 * ```
 */
export function resolveOutput(
  command: OutputDeclaration,
  args: readonly string[],
  globalJson: boolean,
): { readonly output: string; readonly rest: readonly string[] } | CommandResult {
  let rest: readonly string[] = args;
  let fromArgs: string | undefined;
  if (command.ownOutputFlag !== true) {
    const split = splitOutputFlag(args);
    if (typeof split === 'string') return usage(isKubectl(command) ? `error: ${split}` : `Error: ${split}`);
    rest = split.rest;
    fromArgs = split.output;
  }
  const output = fromArgs ?? (globalJson ? 'json' : TEXT);
  if (output !== TEXT && !(command.formats ?? []).includes(output)) return usage(unsupportedFormat(command, output));
  return { output, rest };
}

/**
 * The output format and words of a command's context: what the dispatcher resolved
 * (`ctx.output`), or, for a context built by hand, {@link resolveOutput} of its words.
 *
 * @example
 * ```ts
 * const o = outputOf(ctx, bpfLbListCommand);
 * if ('exitCode' in o) return o;
 * return o.output === 'json' ? ok(bpfLbListJson(maps)) : ok(renderBpfLbList(maps));
 * ```
 */
export function outputOf(
  ctx: CommandContext,
  command: OutputDeclaration,
): { readonly output: string; readonly rest: readonly string[] } | CommandResult {
  if (ctx.output !== undefined) return { output: ctx.output, rest: ctx.args };
  return resolveOutput(command, ctx.args, ctx.json);
}
