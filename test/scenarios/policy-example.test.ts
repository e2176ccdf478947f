/**
 * examples/policy/README.md: every command without shell syntax prints what the README shows
 * (run through the CLI), and `npm start`'s policy section shows a denied flow with its Hubble line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};
const L = ['-f', 'examples/bgp-lab/lab', '-f', 'examples/bgp-lab/variants/pod-routes.yaml', '-f', 'examples/policy/scenario', '-f', 'examples/policy/policies'];

describe('examples/policy README', () => {
  const text = readFileSync('examples/policy/README.md', 'utf8');
  const blocks = [...text.matchAll(/```console\n\$ L ([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]!.replace(/\n$/, '') }));
  it('has its commands', () => expect(blocks.length).toBeGreaterThan(10));
  for (const b of blocks.filter((x) => !/[$;|]/.test(x.command) && !x.output.endsWith('…'))) {
    it(b.command, () => {
      const words = b.command.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
      const r = runCli([...L, ...words], env, commands);
      expect((r.stdout + (r.stderr ?? '')).replace(/\n$/, '')).toBe(b.output);
    });
  }

  it('npm start: the main job shows a denied flow with its Hubble line', () => {
    const r = runCli(['main'], env, commands);
    expect(r.stdout).toContain('=== Network policy: webpod accepts curl-pod only');
    expect(r.stdout).toMatch(/verdict: DROPPED \(Policy denied\)/);
    expect(r.stdout).toMatch(/Jan {2}1 00:00:00\.000: 192\.168\.10\.\d+:\d+ \((remote-node|world)\) -> default\/webpod-[a-z0-9-]+:80 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)/);
  });
});
