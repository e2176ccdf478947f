/**
 * `node dist/bench/gen.js N DIR`: writes the scale benchmark's generated cluster of N nodes
 * (see `cluster.ts`) as YAML files into DIR, for running the CLI on it by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaleScenario } from './cluster.js';

const n = Number(process.argv[2] ?? '100');
const dir = process.argv[3] ?? `/tmp/cilium-twin-scale-${n}`;
mkdirSync(dir, { recursive: true });
for (const f of scaleScenario(n)) writeFileSync(join(dir, f.file), f.text);
process.stdout.write(`${dir}\n`);
