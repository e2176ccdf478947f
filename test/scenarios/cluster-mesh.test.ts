/**
 * The two-cluster lab of seeds 000 and 002 (examples/cluster-mesh) through the CLI: every command
 * of its README prints exactly what the README shows (the README is generated from the CLI by
 * `readme.sh`, and this test keeps it true).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { env } from '../mesh/helpers.js';

const dir = join('examples', 'cluster-mesh');

/** The README's console blocks: the command's words and the expected output. */
function blocks(): { words: string[]; output: string }[] {
  const text = readFileSync(join(dir, 'README.md'), 'utf8');
  const out: { words: string[]; output: string }[] = [];
  for (const m of text.matchAll(/```console\n\$ cilium-twin ([^\n]*)\n([\s\S]*?)```/g)) {
    out.push({ words: m[1]!.split(' ').filter((w) => w !== ''), output: m[2]! });
  }
  return out;
}

/** `-f NAME=PATH` and `-f PATH` relative to the example folder. */
function rebase(words: readonly string[]): string[] {
  return words.map((w, i) => {
    if (words[i - 1] !== '-f') return w;
    const eq = w.indexOf('=');
    return eq > 0 ? `${w.slice(0, eq)}=${join(dir, w.slice(eq + 1))}` : join(dir, w);
  });
}

describe('examples/cluster-mesh: the README is what the CLI prints', () => {
  const all = blocks();
  it('has commands', () => expect(all.length).toBeGreaterThan(3));
  for (const b of all) {
    it(b.words.filter((w, i) => w !== '-f' && b.words[i - 1] !== '-f').join(' '), () => {
      const r = runCli(rebase(b.words), env, commands);
      expect((r.stdout + (r.stderr ?? '')).split(`${dir}/`).join('')).toBe(b.output);
    });
  }
});
