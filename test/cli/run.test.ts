import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { runCli, findCommand, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import type { Command } from '../../src/cli/command.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';
import { labFiles } from '../helpers/lab.js';

const env: CliEnv = {
  version: '9.9.9',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

/** An environment whose files are given in memory. */
function memory(files: Record<string, string>): CliEnv {
  return {
    ...env,
    readFiles: (paths) => {
      const out = [];
      for (const p of paths) {
        const text = files[p];
        if (text === undefined) return E.left(`the path "${p}" does not exist`);
        out.push({ file: p, text });
      }
      return E.right(out);
    },
  };
}

const echo: Command = {
  path: ['echo'],
  scope: 'host',
  summary: 'echo',
  help: 'Usage: echo',
  run: (ctx) => ({ stdout: `${ctx.host ?? '-'} ${ctx.args.join(' ')}`, exitCode: 0 }),
};
const boom: Command = {
  path: ['boom'],
  scope: 'cluster',
  summary: 'throws',
  help: 'Usage: boom',
  run: () => {
    throw new Error('kaput\nat somewhere');
  },
};

describe('runCli', () => {
  it('validates the lab given with -f', () => {
    const r = runCli(['-f', 'examples/bgp-lab/lab', 'validate'], env, commands);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Scenario: 3 nodes, 4 hosts, 1 pod, 1 service: valid/);
    expect(r.stderr ?? '').toBe('');
  });

  it('uses the embedded lab without -f and says so on stderr', () => {
    const r = runCli(['validate'], env, commands);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('cilium-twin: no -f given: using the embedded bgp-lab\n');
  });

  it('exits 1 with each error line on a wrong field, no stack trace', () => {
    const bad = labFiles()
      .map((f) => f.text)
      .join('\n---\n')
      .replace('localASN: 65001', 'localASN: "abc"');
    const r = runCli(['-f', 'lab.yaml', 'validate'], memory({ 'lab.yaml': bad }), commands);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CiliumBGPClusterConfig/cilium-bgp: spec.bgpInstances[0].localASN: expected integer 1..4294967295, got "abc"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 on broken YAML with line and column', () => {
    const r = runCli(['-f', 'x.yaml', 'validate'], memory({ 'x.yaml': 'a: [\n' }), commands);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^x\.yaml:\d+:\d+: /);
  });

  it('exits 2 on a missing file, an unknown command, an unknown host, a bad option', () => {
    expect(runCli(['-f', 'nope.yaml', 'validate'], memory({}), commands).exitCode).toBe(2);
    const unknown = runCli(['frobnicate'], env, commands);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect(unknown.stderr).toMatch(/validate/);
    const host = runCli(['exec', 'nohost', '--', 'echo'], env, [echo]);
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toMatch(/unknown host or pod "nohost"; hosts: k8s-ctr, k8s-w0, k8s-w1, router/);
    expect(runCli(['--bogus'], env, commands).exitCode).toBe(2);
    expect(runCli([], env, commands).exitCode).toBe(2);
  });

  it('tells that a host tool needs exec', () => {
    const r = runCli(['echo', 'hi'], env, [echo]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/echo runs inside a host: cilium-twin exec HOST -- echo hi/);
  });

  it('runs host commands with the host and the remaining words', () => {
    const r = runCli(['exec', 'router', '--', 'echo', 'a', 'b'], env, [echo]);
    expect(r).toEqual({ stdout: 'router a b\n', stderr: 'cilium-twin: no -f given: using the embedded bgp-lab\n', exitCode: 0 });
  });

  it('prints help globally and for every command, without reading a scenario', () => {
    const g = runCli(['--help'], memory({}), commands);
    expect(g.exitCode).toBe(0);
    expect(g.stdout).toMatch(/^cilium-twin: a digital twin/);
    for (const c of commands) {
      const argv = c.scope === 'host' ? ['exec', 'k8s-ctr', '--', ...c.path, '--help'] : [...c.path, '--help'];
      const r = runCli(argv, memory({}), commands);
      expect(r.exitCode, c.path.join(' ')).toBe(0);
      expect(r.stdout, c.path.join(' ')).toBe(`${c.help.trimEnd()}\n`);
    }
    expect(runCli(['help', 'validate'], memory({}), commands).stdout).toMatch(/^Usage: cilium-twin .*validate/);
  });

  it('prints the version', () => {
    expect(runCli(['--version'], env, commands)).toEqual({ stdout: 'cilium-twin 9.9.9\n', exitCode: 0 });
  });

  it('turns an internal error into one line and exit code 70', () => {
    const r = runCli(['boom'], env, [boom]);
    expect(r).toEqual({ stdout: '', stderr: 'cilium-twin: internal error: kaput\n', exitCode: 70 });
  });

  it('applies --set with Helm names before decoding, and refuses bad values with exit 1', () => {
    const r = runCli(['--set', 'loadBalancer.algorithm=maglev', '-o', 'json', 'validate'], env, commands);
    expect(JSON.parse(r.stdout).config.lbAlgorithm).toBe('maglev');
    const bad = runCli(['--set', 'maglev.tableSize=1000', 'validate'], env, commands);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^--set maglev\.tableSize=1000: data\.bpf-lb-maglev-table-size: expected one of 251, /);
  });
});

describe('findCommand', () => {
  it('picks the longest path prefix', () => {
    const a: Command = { ...echo, path: ['x'], summary: 'a' };
    const b: Command = { ...echo, path: ['x', 'y'], summary: 'b' };
    expect(findCommand([a, b], ['x', 'y', 'z'], 'host')).toEqual({ command: b, rest: ['z'] });
    expect(findCommand([a, b], ['x', 'z'], 'host')).toEqual({ command: a, rest: ['z'] });
    expect(findCommand([a, b], ['x'], 'cluster')).toBeUndefined();
  });
});
