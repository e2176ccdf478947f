/**
 * Test helpers for the service features (issue 18 items 2-4): the bgp-lab with extra documents
 * given as YAML text, as a cluster, a twin, or through the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import type { Cluster } from '../../src/cluster/types.js';
import { createTwin, type Twin } from '../../src/twin/twin.js';
import { labFiles } from '../helpers/lab.js';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

const root = join(import.meta.dirname, '..', '..', 'examples', 'service-features');

/** The text of a file of examples/service-features (e.g. `variants/multi-pool.yaml`). */
export function featureFile(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Decode errors of the bgp-lab plus extra YAML documents (empty when it decodes). */
export function decodeErrors(extra: readonly string[], set: Record<string, string> = {}): string[] {
  const files = [...labFiles(), ...extra.map((text, i) => ({ file: `extra-${i}.yaml`, text }))];
  const d = decodeScenario(files, { set });
  return isLeft(d) ? d.left.map((e) => e.message) : [];
}

/** The bgp-lab with extra YAML documents (later documents replace earlier ones of the same identity). */
export function clusterWith(extra: readonly string[], set: Record<string, string> = {}): Cluster {
  const files = [...labFiles(), ...extra.map((text, i) => ({ file: `extra-${i}.yaml`, text }))];
  const d = decodeScenario(files, { set });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildWorkloadCluster(d.right);
}

/** A twin of {@link clusterWith}. */
export function twinWith(extra: readonly string[], set: Record<string, string> = {}): Twin {
  return createTwin(clusterWith(extra, set));
}

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

/** Runs `cilium-twin -f examples/bgp-lab/lab -f examples/service-features/<v>... ARGS`. */
export function cli(variants: readonly string[], ...args: string[]) {
  const files = ['examples/bgp-lab/lab', ...variants.map((v) => `examples/service-features/${v}`)].flatMap((f) => ['-f', f]);
  return runCli([...files, ...args], env, commands);
}
