/** Test helper: the egress-gateway lab (examples/egress-gateway) with variants and extra YAML. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';

const root = join(import.meta.dirname, '..', '..', 'examples', 'egress-gateway');

/** Decodes and builds the lab with variants (file names under variants/) and extra documents. */
export function egressLab(variants: readonly string[] = [], extra = '', set: Record<string, string> = {}): Cluster {
  const base = readdirSync(join(root, 'lab'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join('lab', f));
  const files = [...base, ...variants.map((v) => join('variants', v))].map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') }));
  if (extra !== '') files.push({ file: 'extra.yaml', text: extra });
  const d = decodeScenario(files, { set });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return buildCluster(d.right);
}
