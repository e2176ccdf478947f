/**
 * Test helpers for the ingress stage: the bgp-lab with pod routes, the ingress-l7 example, and
 * extra YAML, as a twin.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadScenario } from '../../src/twin/load.js';
import type { Twin } from '../../src/twin/twin.js';
import { labFiles } from '../helpers/lab.js';

const EX = join(import.meta.dirname, '..', '..', 'examples', 'ingress-l7');

/** The files of an example folder (sorted), or one file. */
export function exampleFiles(rel: string): { file: string; text: string }[] {
  const p = join(EX, rel);
  if (rel.endsWith('.yaml')) return [{ file: rel, text: readFileSync(p, 'utf8') }];
  return readdirSync(p)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: `${rel}/${f}`, text: readFileSync(join(p, f), 'utf8') }));
}

/** The ingress lab (bgp-lab + pod routes + ingress-l7/scenario) plus `extra` files and YAML texts; throws on errors. */
export function ingressTwin(extra: readonly string[] = [], yaml: readonly string[] = [], set: Record<string, string> = {}): Twin {
  const files = [
    ...labFiles(['pod-routes.yaml']),
    ...exampleFiles('scenario'),
    ...extra.flatMap((e) => exampleFiles(e)),
    ...yaml.map((text, i) => ({ file: `extra-${i}.yaml`, text })),
  ];
  const r = loadScenario(files, { set });
  if (isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return r.right;
}
