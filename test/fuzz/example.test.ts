/** The outputs quoted in examples/hostile-input/README.md, checked. */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { runCli, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

const root = join(import.meta.dirname, '..', '..');
const env: CliEnv = {
  version: '0',
  readFiles: (paths) => readScenarioFiles(paths.map((p) => join(root, p))),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

function run(file: string): { stderr: string; exitCode: number } {
  const r = runCli(['-f', `examples/hostile-input/${file}`, 'validate'], env, commands);
  return { stderr: (r.stderr ?? '').replaceAll(`${root}/`, ''), exitCode: r.exitCode };
}

describe('examples/hostile-input', () => {
  it('deep.yaml is refused at the 65th level', () => {
    expect(run('deep.yaml')).toEqual({
      stderr:
        'examples/hostile-input/deep.yaml:5:71: document nested too deeply: more than 64 levels of collections (refused)\ncilium-twin: the scenario has 1 error; nothing was computed.\n',
      exitCode: 1,
    });
  });

  it('aliases.yaml is refused at the 101st alias', () => {
    expect(run('aliases.yaml').stderr.split('\n')[0]).toBe('examples/hostile-input/aliases.yaml:107:9: too many aliases: more than 100 in one document (refused)');
  });

  it('newline.yaml gives one escaped line', () => {
    expect(run('newline.yaml').stderr.split('\n')[0]).toBe(
      'examples/hostile-input/newline.yaml#1 Service/web\\npod: spec.ports[0].port: expected integer 1..65535, got "80\\n\\u0007"',
    );
  });

  it('proto.yaml is valid', () => {
    expect(run('proto.yaml').exitCode).toBe(0);
  });
});
