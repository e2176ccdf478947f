/**
 * Test helpers for issue 18's remaining service and BGP features (svc2): the bgp-lab with
 * variants and extra YAML documents, as a twin or through the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { buildIngress } from '../../src/ingress/controller.js';
import type { Cluster } from '../../src/cluster/types.js';
import { createTwin, type Twin } from '../../src/twin/twin.js';
import { labFiles } from '../helpers/lab.js';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

const root = join(import.meta.dirname, '..', '..', 'examples', 'service-features');

/** The text of a file of examples/service-features (e.g. `variants/health-check.yaml`). */
export function featureFile(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Decode errors of the bgp-lab plus extra YAML documents (empty when it decodes). */
export function decodeErrors(extra: readonly string[], set: Record<string, string> = {}): string[] {
  const files = [...labFiles(), ...extra.map((text, i) => ({ file: `extra-${i}.yaml`, text }))];
  const d = decodeScenario(files, { set });
  return isLeft(d) ? d.left.map((e) => e.message) : [];
}

/** The bgp-lab with lab variants (file names under examples/bgp-lab/variants) and extra YAML documents. */
export function clusterOf(variants: readonly string[], extra: readonly string[] = [], set: Record<string, string> = {}): Cluster {
  const files = [...labFiles(variants), ...extra.map((text, i) => ({ file: `extra-${i}.yaml`, text }))];
  const d = decodeScenario(files, { set });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildIngress(buildWorkloadCluster(d.right));
}

/** A twin of {@link clusterOf}. */
export function twinOf(variants: readonly string[], extra: readonly string[] = [], set: Record<string, string> = {}): Twin {
  return createTwin(clusterOf(variants, extra, set));
}

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

/** Runs `cilium-twin -f PATH... ARGS` (paths relative to the repository). */
export function cli(paths: readonly string[], ...args: string[]) {
  return runCli([...paths.flatMap((f) => ['-f', f]), ...args], env, commands);
}

/** The bgp-lab variants webpod-2, pod-routes and lb (two webpods, routes to the pod CIDRs, an LB IP). */
export const LB_LAB = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'] as const;

/** `-f` paths of {@link LB_LAB} for {@link cli}. */
export const LB_LAB_PATHS = ['examples/bgp-lab/lab', ...LB_LAB.map((v) => `examples/bgp-lab/variants/${v}`)];
