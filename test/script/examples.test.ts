/**
 * The example scripts run as tests: the bgp-lab's observations (examples/bgp-lab/lab.script)
 * and the seeds' sequences of changes (examples/scripts/), through the CLI as a user runs them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { cliEnv } from './helpers.js';

const scripts = [
  join('examples', 'bgp-lab', 'lab.script'),
  ...readdirSync(join('examples', 'scripts'))
    .filter((f) => f.endsWith('.script'))
    .sort()
    .map((f) => join('examples', 'scripts', f)),
];

describe('example scripts', () => {
  it('are there: the bgp-lab and the seeds\' changes (eTP, DSR with Maglev, a node losing its label)', () => {
    expect(scripts).toEqual([
      'examples/bgp-lab/lab.script',
      'examples/scripts/dsr-maglev.script',
      'examples/scripts/etp-local.script',
      'examples/scripts/node-label.script',
    ]);
  });

  for (const script of scripts) {
    it(`${script} holds`, () => {
      const writes = new Map<string, string>();
      const r = runCli(['run', script], cliEnv(writes), commands);
      expect(r.stderr ?? '').toBe('');
      expect(r.exitCode).toBe(0);
      // --update changes nothing in a script that holds
      const u = runCli(['run', '--update', script], cliEnv(writes), commands);
      expect(u.exitCode).toBe(0);
      expect(writes.size).toBe(0);
    });
  }
});
