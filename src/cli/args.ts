/**
 * The command line, read by a pure function: global options first, then the command's words.
 *
 * ```
 * cilium-twin [-f PATH]... [--set KEY=VALUE]... [-o json] [--help] [--version] COMMAND [ARGS...]
 * cilium-twin [-f PATH]... exec HOST [--] TOOL [ARGS...]
 * cilium-twin -f NAME=PATH... [--context NAME] COMMAND [ARGS...]
 * ```
 *
 * Global options end at the first word that is not one; everything after belongs to the
 * command (so `kubectl get svc -o wide` keeps its own `-o`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';

/**
 * The command line, read.
 *
 * @example
 * const a: ParsedArgs = { files: ['lab/'], set: {}, json: false, help: false, version: false, words: ['validate'] };
 */
export interface ParsedArgs {
  /** `-f PATH` values in order (`-` = standard input). */
  readonly files: readonly string[];
  /** `--set KEY=VALUE` values (a later one for the same key wins). */
  readonly set: Readonly<Record<string, string>>;
  /** `-o json` was given. */
  readonly json: boolean;
  /** `--help`/`-h` before the command. */
  readonly help: boolean;
  /** `--version` before the command. */
  readonly version: boolean;
  /** The command's words (for `exec`, the words after the host and `--`). */
  readonly words: readonly string[];
  /** For `exec HOST -- ...`: the host. */
  readonly host?: string;
  /**
   * `--context NAME`: the cluster (kubectl context) the command is for, in a scenario of several
   * clusters. Read before the command and among the command's own words (`kubectl --context
   * NAME get pods`, `cilium clustermesh status --context NAME`), up to a `--`.
   */
  readonly context?: string;
}

/**
 * Takes `--context NAME` / `--context=NAME` out of a command's words (up to the first `--`,
 * after which words belong to the tool run inside). Left: a message when it lacks its value.
 *
 * @example
 * takeContext(['kubectl', '--context', 'kind-west', 'get', 'pods']); // right({ words: ['kubectl', 'get', 'pods'], context: 'kind-west' })
 */
export function takeContext(words: readonly string[]): E.Either<string, { readonly words: readonly string[]; readonly context?: string }> {
  const out: string[] = [];
  let context: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      out.push(...words.slice(i));
      break;
    }
    if (w === '--context') {
      const v = words[i + 1];
      if (v === undefined || v === '--') return E.left('--context needs a value');
      context = v;
      i++;
    } else if (w.startsWith('--context=')) {
      context = w.slice('--context='.length);
    } else out.push(w);
  }
  return E.right(context !== undefined ? { words: out, context } : { words: out });
}

/** `--set a=1,b=2` holds two settings (Helm's syntax); a comma not followed by `key=` stays in the value. */
function splitSettings(text: string): string[] {
  return text.split(/,(?=[A-Za-z0-9_.-]+=)/);
}

/**
 * Reads the command line (without `node` and the script). Left: a message for a usage error
 * (exit code 2).
 *
 * @example
 * ```ts
 * parseArgs(['-f', 'lab/', '--set', 'loadBalancer.algorithm=maglev', 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list']);
 * // right({ files: ['lab/'], set: { 'loadBalancer.algorithm': 'maglev' }, json: false, help: false, version: false,
 * //         host: 'k8s-ctr', words: ['cilium-dbg', 'bpf', 'lb', 'list'] })
 * ```
 */
export function parseArgs(argv: readonly string[]): E.Either<string, ParsedArgs> {
  const files: string[] = [];
  const set: Record<string, string> = {};
  let json = false;
  let help = false;
  let version = false;
  let context: string | undefined;
  let i = 0;
  const value = (flag: string, inline: string | undefined): E.Either<string, string> => {
    if (inline !== undefined) return E.right(inline);
    const v = argv[i + 1];
    if (v === undefined) return E.left(`${flag} needs a value`);
    i++;
    return E.right(v);
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name === '-f' || name === '--filename' || name === '--file') {
      const v = value(name, inline);
      if (E.isLeft(v)) return v;
      files.push(v.right);
    } else if (arg.startsWith('-f') && arg.length > 2 && !arg.startsWith('--')) {
      files.push(arg.slice(2).replace(/^=/, ''));
    } else if (name === '--set') {
      const v = value(name, inline);
      if (E.isLeft(v)) return v;
      for (const setting of splitSettings(v.right)) {
        const at = setting.indexOf('=');
        if (at <= 0) return E.left(`--set ${setting}: expected KEY=VALUE`);
        set[setting.slice(0, at)] = setting.slice(at + 1);
      }
    } else if (name === '-o' || name === '--output') {
      const v = value(name, inline);
      if (E.isLeft(v)) return v;
      if (v.right !== 'json') return E.left(`${name} ${v.right}: the only global output format is json`);
      json = true;
    } else if (arg === '-ojson') {
      json = true;
    } else if (name === '--context') {
      const v = value(name, inline);
      if (E.isLeft(v)) return v;
      context = v.right;
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '--version' || arg === '-v') {
      version = true;
    } else if (arg === '--') {
      i++;
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return E.left(`unknown option ${arg}`);
    } else {
      break;
    }
  }
  // --context among the command's words (up to `--`)
  const taken = takeContext(argv.slice(i));
  if (E.isLeft(taken)) return taken;
  const rest = taken.right.words;
  context = taken.right.context ?? context;
  const ctx = context !== undefined ? { context } : {};
  if (rest[0] === 'exec') {
    const host = rest[1];
    if (host === undefined || host === '--') return E.left('exec needs a host: exec HOST -- TOOL [ARGS...]');
    const words = rest[2] === '--' ? rest.slice(3) : rest.slice(2);
    if (words.length === 0) return E.left(`exec ${host}: which tool? exec HOST -- TOOL [ARGS...]`);
    return E.right({ files, set, json, help, version, words, host, ...ctx });
  }
  return E.right({ files, set, json, help, version, words: rest, ...ctx });
}
