/**
 * Test helpers of the script stage: the lab's documents, a script environment over the CLI's
 * command table, and a CLI environment with real files (reads and in-memory writes).
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { parseYamlFiles } from '../../src/input/decode.js';
import { normalizeDocuments, type Documents } from '../../src/script/documents.js';
import { parseScript } from '../../src/script/parse.js';
import { runScript, type RunOptions, type ScriptEnv, type ScriptResult } from '../../src/script/run.js';
import { askTwin, loadDocuments } from '../../src/cli/commands/script.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';
import type { CliEnv } from '../../src/cli/run.js';
import type { Twin } from '../../src/twin/twin.js';
import { labFiles } from '../helpers/lab.js';

/** The lab's documents with variants (file names under examples/bgp-lab/variants/). */
export function labDocuments(variants: readonly string[] = []): Documents {
  const parsed = parseYamlFiles(labFiles(variants));
  if (E.isLeft(parsed)) throw new Error(parsed.left.map((e) => e.message).join('\n'));
  return normalizeDocuments(parsed.right);
}

/** A script environment over the CLI's commands (files read from the repository). */
export const env: ScriptEnv<Twin> = {
  load: (docs) => loadDocuments(docs, {}),
  ask: (twin, words) => askTwin(twin, words, commands),
  readFile: (path) => {
    const r = readScenarioFiles([path]);
    return E.isRight(r) ? { ok: true, files: r.right } : { ok: false, error: r.left };
  },
};

/** Parses and runs a script text (throws on a parse error). */
export function run(text: string, docs: Documents, options: RunOptions = {}, name = 'test.script'): ScriptResult {
  const p = parseScript(name, text);
  if (!p.ok) throw new Error(`${p.error.line}: ${p.error.message}`);
  return runScript(p.script, docs, env, options);
}

/** A CLI environment with real reads and writes kept in memory. */
export function cliEnv(writes: Map<string, string> = new Map()): CliEnv {
  return {
    version: '0.0.0',
    readFiles: (paths) => readScenarioFiles(paths),
    readDefault: () => readEmbeddedLab(),
    defaultName: 'bgp-lab',
    readText: (path) => {
      const w = writes.get(path);
      if (w !== undefined) return E.right(w);
      try {
        return E.right(readFileSync(path, 'utf8'));
      } catch {
        return E.left(`${path}: no such file or directory`);
      }
    },
    writeText: (path, text) => {
      writes.set(path, text);
      return E.right(undefined);
    },
  };
}
