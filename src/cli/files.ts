/**
 * Reading scenario files (the CLI's only file access): a file, a directory (its `*.yaml` and
 * `*.yml`, not recursive, in lexical order, like `kubectl apply -f DIR`), or `-` for standard
 * input. Files larger than the decoder accepts are refused before they are read.
 *
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { MAX_FILE_CHARS } from '../input/decode.js';

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
}

function readOne(path: string, name: string): E.Either<string, ScenarioFile> {
  try {
    const st = statSync(path);
    if (st.size > MAX_FILE_CHARS * 4) return E.left(`${name}: file too large (${st.size} bytes)`);
    return E.right({ file: name, text: readFileSync(path, 'utf8') });
  } catch (e) {
    return E.left(`${name}: ${e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e)}`);
  }
}

/**
 * Reads `-f` paths in order; a directory gives its YAML files in lexical order.
 *
 * @example
 * readScenarioFiles(['examples/bgp-lab/lab', 'examples/bgp-lab/variants/lb.yaml']);
 */
export function readScenarioFiles(paths: readonly string[], readStdin: () => string = () => readFileSync(0, 'utf8')): E.Either<string, ScenarioFile[]> {
  const out: ScenarioFile[] = [];
  for (const p of paths) {
    if (p === '-') {
      try {
        out.push({ file: '<stdin>', text: readStdin() });
      } catch (e) {
        return E.left(`-: cannot read standard input: ${e instanceof Error ? e.message : String(e)}`);
      }
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      return E.left(`the path "${p}" does not exist`);
    }
    if (!isDir) {
      const one = readOne(p, p);
      if (E.isLeft(one)) return one;
      out.push(one.right);
      continue;
    }
    const names = readdirSync(p)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
    if (names.length === 0) return E.left(`the directory "${p}" holds no *.yaml or *.yml file`);
    for (const n of names) {
      const one = readOne(join(p, n), join(p, n));
      if (E.isLeft(one)) return one;
      out.push(one.right);
    }
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
