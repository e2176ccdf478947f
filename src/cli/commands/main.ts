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
import { loadScenario } from '../../twin/load.js';
import type { Twin } from '../../twin/twin.js';
import { readEmbeddedLab } from '../files.js';
import { EXIT_INTERNAL } from '../run.js';
import type { LabLoader, MainSection } from './main-section.js';
import { mainSections } from './main-sections.js';
import { renderValidate } from './validate.js';

/**
 * A loader of the embedded lab with variants: one twin per variant list (`loadScenario`), kept
 * by this loader. Throws when the embedded files cannot be read or do not load (a packaging bug).
 *
 * @example
 * const load = embeddedLabLoader();
 * load(['webpod-3.yaml', 'lb.yaml']).scenario.services[0]?.type; // 'LoadBalancer'
 * load.twin(['webpod-3.yaml', 'lb.yaml']).maps('k8s-ctr')?.frontends.length;
 */
export function embeddedLabLoader(): LabLoader {
  const memo = new Map<string, Twin>();
  const twin = (variants: readonly string[]): Twin => {
    const key = variants.join('\n');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const files = readEmbeddedLab(variants);
    if (E.isLeft(files)) throw new Error(`embedded lab: ${files.left}`);
    const loaded = loadScenario(files.right);
    if (E.isLeft(loaded)) throw new Error(`embedded lab: ${loaded.left.map((e) => e.message).join('; ')}`);
    memo.set(key, loaded.right);
    return loaded.right;
  };
  return Object.assign((variants: readonly string[]) => twin(variants).cluster, { twin });
}

/**
 * Renders the main job: the lab's validate report, then each section under its title.
 *
 * @example
 * renderMain(embeddedLabLoader(), mainSections).text.startsWith('=== validate'); // true
 */
export function renderMain(
  load: LabLoader,
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
  formats: [],
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
