import { describe, it, expect } from 'vitest';
import { runCli, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';
import { resolveOutput, splitOutputFlag } from '../../src/cli/output.js';

const env: CliEnv = { version: '0', readFiles: (p) => readScenarioFiles(p), readDefault: () => readEmbeddedLab(), defaultName: 'bgp-lab' };
const lab = ['-f', 'examples/bgp-lab/lab', '-f', 'examples/bgp-lab/variants/lb.yaml'];
const run = (...argv: string[]) => runCli([...lab, ...argv], env, commands);

describe('-o, read in one place', () => {
  it('splits every spelling of the flag; the last one wins', () => {
    expect(splitOutputFlag(['a', '-o', 'json'])).toEqual({ rest: ['a'], output: 'json' });
    expect(splitOutputFlag(['-owide', 'b'])).toEqual({ rest: ['b'], output: 'wide' });
    expect(splitOutputFlag(['-o=yaml', '--output=json'])).toEqual({ rest: [], output: 'json' });
    expect(splitOutputFlag(['--output', 'yaml'])).toEqual({ rest: [], output: 'yaml' });
    expect(splitOutputFlag(['-o'])).toBe("flag needs an argument: 'o' in -o");
  });

  it('a format the command lacks is exit code 2 with a message, before the scenario is read', () => {
    const r = run('exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list', '-o', 'yaml');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: unsupported output format "yaml": cilium-dbg bpf lb list prints text or -o json\n');
    const k = run('kubectl', 'get', 'svc', '-o', 'yaml');
    expect(k.exitCode).toBe(2);
    expect(k.stderr).toBe('error: unable to match a printer suitable for the output format "yaml", allowed formats are: json,wide\n');
    expect(runCli(['-f', 'missing/', 'validate', '-o', 'yaml'], env, commands).exitCode).toBe(2);
    expect(run('-o', 'json', 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp').exitCode).toBe(2);
    expect(run('-o', 'json', 'main').exitCode).toBe(2);
  });

  it('the global -o json and the command-line one give the same output', () => {
    for (const words of [
      ['exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list'],
      ['exec', 'k8s-ctr', '--', 'cilium-dbg', 'service', 'list'],
      ['kubectl', 'get', 'svc'],
      ['cilium', 'bgp', 'peers'],
      ['validate'],
      ['trace', '--from', 'router', '--to', '172.16.1.1:80'],
    ]) {
      const local = run(...words, '-o', 'json');
      const global = run('-o', 'json', ...words);
      expect(local.exitCode).toBe(0);
      expect(global.stdout).toBe(local.stdout);
      expect(() => JSON.parse(local.stdout)).not.toThrow();
    }
    expect(run('kubectl', 'get', 'svc', '-o', 'wide').stdout).toContain('SELECTOR');
  });

  it("a command's own -o is left to it when it says so (ip -o, curl -o)", () => {
    expect(resolveOutput({ path: ['ip'], formats: ['json'], ownOutputFlag: true }, ['-o', 'route'], false)).toEqual({ output: 'text', rest: ['-o', 'route'] });
    expect(resolveOutput({ path: ['ip'], formats: ['json'], ownOutputFlag: true }, ['route'], true)).toEqual({ output: 'json', rest: ['route'] });
  });

  it('L2 commands read -o through the dispatcher: kubectl get leases -o yaml, a missing format is kubectl\'s error', () => {
    const l2 = ['-f', 'examples/l2-announcements/lab', '-f', 'examples/l2-announcements/variants/l2-policy.yaml'];
    const yaml = run(...l2, 'kubectl', 'get', 'leases', '-n', 'kube-system', '-o', 'yaml');
    expect(yaml.exitCode).toBe(0);
    expect(yaml.stdout).toContain('holderIdentity');
    expect(run(...l2, '-o', 'json', 'kubectl', 'get', 'leases', '-n', 'kube-system').stdout).toBe(run(...l2, 'kubectl', 'get', 'leases', '-n', 'kube-system', '-o', 'json').stdout);
    const bad = run(...l2, 'kubectl', 'get', 'l2announcement', '-o', 'yaml');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unable to match a printer suitable for the output format "yaml", allowed formats are: json,wide');
    expect(run(...l2, 'exec', 'client', '--', 'arping', '-c', '1', '-o', 'json', '192.168.10.210').exitCode).toBe(2);
  });

  it('every command of the twin declares its formats', () => {
    const undeclared = commands.filter((c) => c.formats === undefined);
    expect(undeclared.map((c) => c.path.join(' '))).toEqual([]);
  });
});
