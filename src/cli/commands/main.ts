/**
 * `cilium-twin main` (`npm start`): the main job on the embedded bgp-lab. It prints the lab's
 * `validate` report, then every section of `main-sections.ts` in pipeline order, each computed
 * from the embedded lab with the variants the section asks for. A section that fails prints its
 * error in place and the job exits with code 70 after the other sections.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Command, CommandContext, CommandResult } from '../command.js';
import type { Cluster } from '../../cluster/types.js';
import { buildWorkloadCluster } from '../../workloads/index.js';
import { decodeScenario } from '../../input/decode.js';
import { readEmbeddedLab } from '../files.js';
import { EXIT_INTERNAL } from '../run.js';
import { mainSections, type MainSection } from './main-sections.js';
import { renderValidate } from './validate.js';

/**
 * A loader of the embedded lab with variants, memoised per variant list. Throws when the
 * embedded files cannot be read or do not decode (a packaging bug).
 *
 * @example
 * const load = embeddedLabLoader();
 * load(['webpod-3.yaml', 'lb.yaml']).scenario.services[0]?.type; // 'LoadBalancer'
 */
export function embeddedLabLoader(): (variants: readonly string[]) => Cluster {
  const memo = new Map<string, Cluster>();
  return (variants) => {
    const key = variants.join('\n');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const files = readEmbeddedLab(variants);
    if (E.isLeft(files)) throw new Error(`embedded lab: ${files.left}`);
    const decoded = decodeScenario(files.right);
    if (E.isLeft(decoded)) throw new Error(`embedded lab: ${decoded.left.map((e) => e.message).join('; ')}`);
    const cluster = buildWorkloadCluster(decoded.right);
    memo.set(key, cluster);
    return cluster;
  };
}

/**
 * Renders the main job: the lab's validate report, then each section under its title.
 *
 * @example
 * renderMain(embeddedLabLoader(), mainSections).text.startsWith('=== validate'); // true
 */
export function renderMain(
  load: (variants: readonly string[]) => Cluster,
  sections: readonly MainSection[],
): { text: string; failed: number } {
  const parts: string[] = [`=== validate: the embedded bgp-lab (examples/bgp-lab/lab) ===\n${renderValidate(load([]))}`];
  let failed = 0;
  for (const section of sections) {
    let body: string;
    try {
      body = section.render(load);
    } catch (e) {
      failed++;
      body = `cilium-twin: internal error in this section: ${e instanceof Error ? e.message : String(e)}\n`;
    }
    parts.push(`=== ${section.title} ===\n${body.endsWith('\n') || body === '' ? body : `${body}\n`}`);
  }
  return { text: parts.join('\n'), failed };
}

const help = `Usage: cilium-twin main

The main job on the embedded bgp-lab (examples/bgp-lab): the lab's validate report, then one
section per pipeline stage (BGP sessions and routes, the router's routing table, the load
balancer's maps, packet walks), each computed from the lab with the variants it names.
It always runs on the embedded lab; -f and --set do not change it. npm start runs it.`;

/**
 * The `main` command (cluster scope).
 *
 * @example
 * mainCommand.run({ cluster, args: [], json: false }).stdout; // '=== validate: the embedded bgp-lab …'
 */
export const mainCommand: Command = {
  path: ['main'],
  scope: 'cluster',
  summary: 'the main job: every stage on the embedded bgp-lab (npm start)',
  help,
  run(ctx: CommandContext): CommandResult {
    if (ctx.args.length > 0) return { stdout: '', stderr: `main: unexpected argument ${ctx.args[0] ?? ''}\n`, exitCode: 2 };
    const { text, failed } = renderMain(embeddedLabLoader(), mainSections);
    return failed > 0
      ? { stdout: text, stderr: `cilium-twin: ${failed} section(s) of the main job failed\n`, exitCode: EXIT_INTERNAL }
      : { stdout: text, exitCode: 0 };
  },
};
