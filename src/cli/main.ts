#!/usr/bin/env -S node --initial-old-space-size=1024
/**
 * The `cilium-twin` executable: reads the command line and the scenario files, runs the
 * command, prints its output and exits with its code. All the work is in `run.ts`.
 *
 * The first line gives Node one V8 flag (issue 10): `--initial-old-space-size=1024` lets the
 * old generation grow to 1 GiB before V8's first full (mark-compact) collection. A question
 * on a 5,000-node cluster keeps the decoded scenario, the cluster and the BGP tables live (0.6–1
 * GB), and by default V8 marks that heap three times as it grows (0.5–1.5 s of CPU); with the
 * flag it marks it at most once. Small scenarios never reach the limit, so nothing changes for
 * them. Measured as paired runs in `docs/performance.md` ("Third pass"). `env -S` passes the
 * flag (GNU coreutils 8.30 and later, BSD and macOS `env`); `node dist/src/cli/main.js` runs
 * without it (same output, more garbage-collection time).
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { commands } from './commands/index.js';
import { EMBEDDED_LAB, packageVersion, readEmbeddedLab, readScenarioFiles } from './files.js';
import { EXIT_INTERNAL, runCli } from './run.js';

// A reader that stops early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

try {
  const result = runCli(
    process.argv.slice(2),
    {
      version: packageVersion(),
      readFiles: (paths) => readScenarioFiles(paths),
      readDefault: () => readEmbeddedLab(),
      defaultName: `bgp-lab (${join(EMBEDDED_LAB, 'lab')})`,
      readText: (path) => {
        try {
          return E.right(readFileSync(path === '-' ? 0 : path, 'utf8'));
        } catch (e) {
          return E.left(`${path}: ${e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e)}`);
        }
      },
      writeText: (path, text) => {
        try {
          writeFileSync(path, text);
          return E.right(undefined);
        } catch (e) {
          return E.left(`${path}: ${e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e)}`);
        }
      },
    },
    commands,
  );
  if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr !== undefined && result.stderr !== '') process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
} catch (e) {
  process.stderr.write(`cilium-twin: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = EXIT_INTERNAL;
}
