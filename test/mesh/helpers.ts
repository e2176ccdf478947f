/**
 * Test helper: the two-cluster lab of the seeds (examples/cluster-mesh) through the CLI, and
 * small meshes built from YAML text.
 */
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

/** The CLI's environment over the real files. */
export const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

/** `-f kind-west=… -f kind-east=… -f shared` of examples/cluster-mesh. */
export const MESH = [
  '-f',
  'kind-west=examples/cluster-mesh/west',
  '-f',
  'kind-east=examples/cluster-mesh/east',
  '-f',
  'examples/cluster-mesh/shared',
];

/** Runs `cilium-twin ARGS`. */
export function cli(...args: string[]) {
  return runCli(args, env, commands);
}

/** Runs `cilium-twin -f (the mesh lab) ARGS`. */
export function mesh(...args: string[]) {
  return runCli([...MESH, ...args], env, commands);
}

/** A cilium-config ConfigMap document. */
export function config(data: Record<string, string>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata:\n${lines.join('\n')}\n`;
}

/** A Node document. */
export function node(name: string, ip: string, podCidr: string): string {
  return `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nspec: {podCIDR: ${podCidr}, podCIDRs: [${podCidr}]}\nstatus:\n  addresses: [{type: InternalIP, address: ${ip}}]\n`;
}
