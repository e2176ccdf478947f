/**
 * Reading scenario files (the CLI's only file access): a file, a directory (its `*.yaml` and
 * `*.yml`, not recursive, in lexical order, like `kubectl apply -f DIR`), or `-` for standard
 * input, in bounded time and memory:
 *
 * - only regular files are read: a device, FIFO, socket or directory (given, or found in a
 *   folder, or the target of a symbolic link) is refused from its `stat`, before it is opened,
 *   so `-f /dev/zero` or a FIFO never hangs; a file is then opened non-blocking and checked
 *   again on its descriptor (it may have been swapped in between);
 * - symbolic links given directly are followed; a symbolic link found in a folder is followed
 *   only when its target stays inside that folder, else it is refused (give it with `-f` to
 *   read it);
 * - all inputs together (files, folders, standard input) may hold at most
 *   {@link MAX_INPUT_BYTES} bytes: a larger file is refused from its size before it is read,
 *   and reading (standard input included) stops one byte past the limit, whatever the size
 *   says (devices and pipes say 0).
 *
 * Every refusal is one line naming the entry (exit code 2 in the CLI).
 *
 * @module
 */
import { type Stats, closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { MAX_INPUT_BYTES, oneLine } from '../input/limits.js';

/**
 * A scenario file: its name (as given) and its text.
 *
 * @example
 * const f: ScenarioFile = { file: 'lab/00-hosts.yaml', text: '...' };
 */
export interface ScenarioFile {
  /** Name used in messages. */
  readonly file: string;
  /** The text. */
  readonly text: string;
  /** The cluster (context) it was given for, with `-f NAME=PATH`. */
  readonly cluster?: string;
}

/**
 * A `-f` value split into its cluster (context) name and path: `NAME=PATH` names the cluster
 * the file or folder belongs to (a scenario of several clusters); a value that exists as a path,
 * or whose part before `=` is not a name (letters, digits, `.`, `_`, `-`, starting with a letter
 * or digit), is a path. Pure except for `exists`.
 *
 * @example
 * splitClusterPath('kind-west=lab/west/'); // { cluster: 'kind-west', path: 'lab/west/' }
 * splitClusterPath('lab/shared/'); // { path: 'lab/shared/' }
 */
export function splitClusterPath(value: string, exists: (path: string) => boolean = () => false): { readonly cluster?: string; readonly path: string } {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/.exec(value);
  if (m === null || exists(value)) return { path: value };
  return { cluster: m[1]!, path: m[2]! };
}

function pathExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads standard input: at most `maxBytes + 1` bytes (one more than allowed, so that the caller
 * sees that it went past the limit); the default reads file descriptor 0.
 *
 * @example
 * const fromString: StdinReader = (max) => Buffer.from('kind: Node\n').subarray(0, max + 1);
 */
export type StdinReader = (maxBytes: number) => Uint8Array;

const CHUNK = 1 << 16;

/** What a stat says the entry is, for messages. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Sleeps a few milliseconds (standard input opened non-blocking by a parent). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads `fd` to its end, or until one byte past `maxBytes`. */
function readBounded(fd: number, maxBytes: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= maxBytes) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        pause(5);
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads standard input (file descriptor 0) up to one byte past `maxBytes`.
 *
 * @example
 * readStdinBounded(MAX_INPUT_BYTES).length <= MAX_INPUT_BYTES + 1; // true
 */
export function readStdinBounded(maxBytes: number): Uint8Array {
  return readBounded(0, maxBytes);
}

/** A system error as a short phrase (`no such file or directory`). */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const byCode: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'too many levels of symbolic links',
    ENOTDIR: 'not a directory',
    EISDIR: 'a directory',
    EMFILE: 'too many open files',
  };
  if (typeof err?.code === 'string' && byCode[err.code] !== undefined) return byCode[err.code]!;
  return oneLine(e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e));
}

function notRegular(name: string, st: Stats): string {
  return `${oneLine(name)}: not a regular file (${kindOf(st)}); only regular files are read`;
}

function tooLarge(name: string, budget: number, max: number): string {
  const mib = max % (1024 * 1024) === 0 ? ` (${max / (1024 * 1024)} MiB)` : '';
  return budget < max
    ? `${oneLine(name)}: too large: the inputs together exceed ${max} bytes${mib}, the most read (refused)`
    : `${oneLine(name)}: too large: more than ${max} bytes${mib}, the most read (refused)`;
}

/**
 * Reads one regular file whose `stat` (following links or not) was already checked: opens it
 * without blocking and without following a link in its last part (when `follow` is false),
 * checks its descriptor again, and reads at most `budget` bytes.
 */
function readRegular(path: string, name: string, st: Stats, budget: number, max: number, follow: boolean): E.Either<string, Uint8Array> {
  if (!st.isFile()) return E.left(notRegular(name, st));
  if (st.size > budget) return E.left(tooLarge(name, budget, max));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (follow ? 0 : (constants.O_NOFOLLOW ?? 0)));
  } catch (e) {
    return E.left(`${oneLine(name)}: ${reason(e)}`);
  }
  try {
    const again = fstatSync(fd);
    if (!again.isFile()) return E.left(notRegular(name, again));
    const bytes = readBounded(fd, budget);
    return bytes.length > budget ? E.left(tooLarge(name, budget, max)) : E.right(bytes);
  } catch (e) {
    return E.left(`${oneLine(name)}: ${reason(e)}`);
  } finally {
    closeSync(fd);
  }
}

function isInside(folder: string, target: string): boolean {
  return target.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The YAML files of a folder, each read or refused. */
function readFolder(dir: string, budget: () => number, max: number, push: (name: string, bytes: Uint8Array) => void): E.Either<string, void> {
  let real: string;
  let names: string[];
  try {
    real = realpathSync(dir);
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (e) {
    return E.left(`${oneLine(dir)}: ${reason(e)}`);
  }
  if (names.length === 0) return E.left(`the directory "${oneLine(dir)}" holds no *.yaml or *.yml file`);
  for (const n of names) {
    const full = join(dir, n);
    let path = full;
    let st: Stats;
    try {
      st = lstatSync(full);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(full);
        } catch (e) {
          return E.left(`${oneLine(full)}: a symbolic link that cannot be followed (${reason(e)})`);
        }
        if (!isInside(real, target)) {
          return E.left(
            `${oneLine(full)}: a symbolic link to ${oneLine(target)}, outside ${oneLine(dir)}: not followed (links found in a folder must stay inside it; give the file with -f to read it)`,
          );
        }
        path = target;
        st = lstatSync(target);
      }
    } catch (e) {
      return E.left(`${oneLine(full)}: ${reason(e)}`);
    }
    const bytes = readRegular(path, full, st, budget(), max, false);
    if (E.isLeft(bytes)) return bytes;
    push(full, bytes.right);
  }
  return E.right(undefined);
}

/**
 * Reads `-f` paths in order; a directory gives its YAML files in lexical order; `-` reads
 * standard input; `NAME=PATH` reads PATH for the cluster (context) NAME (see
 * {@link splitClusterPath}). Refuses (one line naming the entry) what is not a regular file, links in a
 * folder that leave it, and inputs past {@link MAX_INPUT_BYTES} in all.
 *
 * @example
 * readScenarioFiles(['examples/bgp-lab/lab', 'examples/bgp-lab/variants/lb.yaml']);
 */
export function readScenarioFiles(
  paths: readonly string[],
  readStdin: StdinReader = readStdinBounded,
  maxBytes: number = MAX_INPUT_BYTES,
): E.Either<string, ScenarioFile[]> {
  const out: ScenarioFile[] = [];
  let used = 0;
  const budget = (): number => maxBytes - used;
  let cluster: string | undefined;
  const push = (file: string, bytes: Uint8Array): void => {
    used += bytes.length;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    out.push(cluster !== undefined ? { file, text, cluster } : { file, text });
  };
  for (const given of paths) {
    const split = splitClusterPath(given, pathExists);
    const p = split.path;
    cluster = split.cluster;
    if (p === '-') {
      let bytes: Uint8Array;
      try {
        bytes = readStdin(budget());
      } catch (e) {
        return E.left(`-: cannot read standard input: ${reason(e)}`);
      }
      if (bytes.length > budget()) return E.left(tooLarge('-: standard input', budget(), maxBytes));
      push('<stdin>', bytes);
      continue;
    }
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return E.left(`the path "${oneLine(p)}" does not exist`);
      return E.left(`${oneLine(p)}: ${reason(e)}`);
    }
    if (st.isDirectory()) {
      const r = readFolder(p, budget, maxBytes, push);
      if (E.isLeft(r)) return r;
      continue;
    }
    const bytes = readRegular(p, p, st, budget(), maxBytes, true);
    if (E.isLeft(bytes)) return bytes;
    push(p, bytes.right);
  }
  return E.right(out);
}

/**
 * The package's root directory (where `package.json` and `examples/` are), found from this
 * module's location (`dist/src/cli/` when built, `src/cli/` in the sources).
 *
 * @example
 * join(packageRoot(), 'examples', 'bgp-lab');
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      if (statSync(join(dir, 'package.json')).isFile() && statSync(join(dir, 'examples')).isDirectory()) return dir;
    } catch {
      // keep climbing
    }
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/**
 * The embedded bgp-lab's directory, relative to the package root.
 *
 * @example
 * join(packageRoot(), EMBEDDED_LAB, 'variants', 'lb.yaml');
 */
export const EMBEDDED_LAB = join('examples', 'bgp-lab');

/**
 * Reads the embedded bgp-lab (`examples/bgp-lab/lab/`) and the given variants
 * (`examples/bgp-lab/variants/NAME`), named relative to the package root.
 *
 * @example
 * readEmbeddedLab(['webpod-3.yaml', 'lb.yaml']);
 */
export function readEmbeddedLab(variants: readonly string[] = []): E.Either<string, ScenarioFile[]> {
  const root = packageRoot();
  const lab = join(root, EMBEDDED_LAB);
  const r = readScenarioFiles([join(lab, 'lab'), ...variants.map((v) => join(lab, 'variants', v))]);
  return E.map((files: ScenarioFile[]) => files.map((f) => ({ file: relative(root, f.file), text: f.text })))(r);
}

/**
 * The package version from `package.json`.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
