/**
 * The L2-announcement lab (examples/l2-announcements) through the CLI: the observations the issue
 * asks for (the unreachable then reachable service, the lease, the ARP answer), and every command
 * of the example's README replayed with its printed output, so the docs cannot drift.
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

const DIR = 'examples/l2-announcements';
const LAB = ['-f', `${DIR}/lab`];
const POLICY = ['-f', `${DIR}/variants/l2-policy.yaml`];

function twin(...args: string[]) {
  return runCli([...LAB, ...args], env, commands);
}

describe('l2-announcements lab: the issue\'s observations', () => {
  it('without a policy the LAN client cannot reach a LoadBalancer IP: no ARP answer, curl exit 28, neighbour FAILED', () => {
    const r = twin('exec', 'client', '--', 'sh', '-c', 'curl -s --connect-timeout 2 192.168.10.210; echo "exit $?"; ip neigh');
    expect(r.stdout).toBe('exit 28\n192.168.10.210 dev eth1 FAILED\n');
    const a = twin('exec', 'client', '--', 'arping', '-c', '1', '192.168.10.210');
    expect(a.exitCode).toBe(1);
    expect(a.stdout).toContain('Received 0 response(s)');
  });

  it('with the policy the blue service answers through the lease holder', () => {
    const leases = twin(...POLICY, 'kubectl', 'get', 'leases', '-n', 'kube-system');
    expect(leases.stdout.split('\n')[0]).toMatch(/^NAME\s+HOLDER\s+AGE$/);
    expect(leases.stdout).toMatch(/^cilium-l2announce-default-blue-web\s+k8s-w1\s+<unknown>$/m);
    expect(leases.stdout).not.toContain('red-web');
    const arping = twin(...POLICY, 'exec', 'client', '--', 'arping', '-c', '1', '192.168.10.210');
    expect(arping.exitCode).toBe(0);
    expect(arping.stdout).toMatch(/^Unicast reply from 192\.168\.10\.210 \[([0-9A-F]{2}:){5}[0-9A-F]{2}\]/m);
    const curl = twin(...POLICY, 'exec', 'client', '--', 'curl', '-s', '192.168.10.210');
    expect(curl.exitCode).toBe(0);
    expect(curl.stdout).toMatch(/^Hostname: blue-web-/);
  });

  it('the red service stays unreachable from the LAN but a node reaches it through its own datapath', () => {
    const lan = twin(...POLICY, 'exec', 'client', '--', 'curl', '-s', '--connect-timeout', '2', '192.168.10.211');
    expect(lan.exitCode).toBe(28);
    const node = twin(...POLICY, 'exec', 'k8s-ctr', '--', 'curl', '-s', '192.168.10.211');
    expect(node.exitCode).toBe(0);
    expect(node.stdout).toMatch(/^Hostname: red-web-0/);
  });

  it('eTP=Local with the holder lacking a local backend: announced but dropped (Cilium\'s documented limitation)', () => {
    const r = twin(...POLICY, 'trace', '--from', 'client', '--to', '192.168.10.209:80');
    expect(r.stdout).toContain('l2-responder');
    expect(r.stdout).toContain('DROPPED (Service backend not found)');
  });

  it('sh -c: ;, && and || as a shell runs them, $? expanded, output to /dev/null dropped', () => {
    const sh = (line: string) => twin(...POLICY, 'exec', 'client', '--', 'sh', '-c', line);
    expect(sh('curl -s --connect-timeout 1 192.168.10.211 && echo ok || echo "failed $?"').stdout).toBe('failed 28\n');
    expect(sh('curl -s 192.168.10.210 >/dev/null && echo ok').stdout).toBe('ok\n');
    expect(sh('arping -c 1 192.168.10.211 > /dev/null; echo $?').stdout).toBe('1\n');
    expect(sh('curl -s 192.168.10.210 > out.txt').stderr).toContain('only /dev/null');
    expect(sh('curl -s 192.168.10.210 | grep x').exitCode).toBe(2);
  });

  it('the BGP lab is untouched: no leases, no L2 warnings', () => {
    const r = runCli(['-f', 'examples/bgp-lab/lab', '-f', 'examples/bgp-lab/variants/lb.yaml', 'kubectl', '-n', 'kube-system', 'get', 'lease'], env, commands);
    expect(r.stderr).toBe('No resources found in kube-system namespace.\n');
  });
});

/** Splits a shell command line into words (single and double quotes; no expansions). */
function shellWords(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

interface Block {
  readonly command: string;
  readonly output: string;
  readonly exitCode: number;
}

function readmeBlocks(): Block[] {
  const text = readFileSync(`${DIR}/README.md`, 'utf8');
  const blocks: Block[] = [];
  for (const m of text.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = m[1]!.replace(/\n$/, '').split('\n');
    const command = lines[0]!.replace(/^\$ /, '');
    let exitCode = 0;
    let body = lines.slice(1);
    const e = body.indexOf('$ echo $?');
    if (e >= 0) {
      exitCode = Number(body[e + 1]);
      body = body.slice(0, e);
    }
    blocks.push({ command, output: body.join('\n'), exitCode });
  }
  return blocks;
}

describe('l2-announcements README: every command prints what the README shows', () => {
  const blocks = readmeBlocks();
  it('has the commands', () => expect(blocks.length).toBeGreaterThan(15));
  for (const b of blocks) {
    it(b.command, () => {
      const [cmd, pipe] = b.command.split(' | ');
      const words = shellWords(cmd!).flatMap((w) => (w === 'L' ? LAB : w === 'P' ? POLICY : [w]));
      const r = runCli(words, env, commands);
      let out = (r.stdout + (r.stderr ?? '')).replace(/\n$/, '');
      if (pipe !== undefined) {
        const n = Number(/^tail -(\d+)$/.exec(pipe)![1]);
        out = r.stdout.replace(/\n$/, '').split('\n').slice(-n).join('\n');
      }
      expect(out).toBe(b.output);
      expect(r.exitCode).toBe(b.exitCode);
    });
  }
});

describe('l2-announcements lab.script (cilium-twin run)', async () => {
  const { cliEnv } = await import('../script/helpers.js');
  it('holds: unreachable, the policy applied, leases, ARP answer, reachable; relabelling red-web keeps the blue leases', () => {
    const writes = new Map<string, string>();
    const r = runCli(['run', `${DIR}/lab.script`], cliEnv(writes), commands);
    expect(r.stderr ?? '').toBe('');
    expect(r.exitCode).toBe(0);
    const u = runCli(['run', '--update', `${DIR}/lab.script`], cliEnv(writes), commands);
    expect(u.exitCode).toBe(0);
    expect(writes.size).toBe(0);
  });
});
