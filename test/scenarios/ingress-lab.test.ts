/**
 * The ingress lab (issue 13, done-when): the shared and a dedicated Ingress, path routing to two
 * Services, an L7 policy that returns 403 on one path and a CIDR allow that restores 200 — as
 * examples/ingress-l7/README.md shows it (every command there is run through the CLI and must
 * print what the README shows).
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
const L = ['-f', 'examples/bgp-lab/lab', '-f', 'examples/bgp-lab/variants/pod-routes.yaml', '-f', 'examples/ingress-l7/scenario'];
const P = 'examples/ingress-l7/policies';
const cli = (...words: string[]) => runCli([...L, ...words], env, commands);
const code = (...words: string[]) => cli(...words, '-s', '-o', '/dev/null', '-w', '%{http_code}').stdout.trim();

describe('ingress lab (done when)', () => {
  it('shared and dedicated Ingresses get their addresses from their Services', () => {
    const out = cli('kubectl', 'get', 'ingress').stdout;
    expect(out).toMatch(/\nbookinfo +cilium +\* +172\.16\.1\.2 +80 +<unknown>\n/);
    expect(out).toMatch(/\nreviews-dedicated +cilium +reviews\.example\.com +172\.16\.1\.1 +80 +<unknown>\n/);
  });

  it('path routing to two Services through the shared Ingress, host routing on the dedicated one', () => {
    expect(cli('exec', 'router', '--', 'curl', '-s', '172.16.1.2/details').stdout).toMatch(/^Hostname: details-v1\n/);
    expect(cli('exec', 'router', '--', 'curl', '-s', '172.16.1.2/reviews').stdout).toMatch(/^Hostname: reviews-v1\n/);
    expect(cli('exec', 'router', '--', 'curl', '-s', '-H', 'Host: reviews.example.com', '172.16.1.1/').stdout).toMatch(/^Hostname: reviews-v1\n/);
    expect(code('exec', 'router', '--', 'curl', '172.16.1.2/ratings')).toBe('404');
  });

  it('an L7 policy returns 403 on one path; a CIDR allow restores 200 for its client', () => {
    const l7 = ['-f', `${P}/10-l7-details-only.yaml`];
    expect(runCli([...L, ...l7, 'exec', 'router', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '172.16.1.2/details/1'], env, commands).stdout.trim()).toBe('200');
    const denied = runCli([...L, ...l7, 'exec', 'router', '--', 'curl', '-s', '172.16.1.2/reviews'], env, commands);
    expect(denied.stdout).toBe('Access denied\r\n');
    const f = runCli([...L, ...l7, 'exec', 'router', '--', 'curl', '-sS', '--fail', '172.16.1.2/reviews'], env, commands);
    expect(f.exitCode).toBe(22);
    expect(f.stderr).toBe('curl: (22) The requested URL returned error: 403\n');
    const both = ['-f', P];
    expect(runCli([...L, ...both, 'exec', 'router', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '172.16.1.2/reviews'], env, commands).stdout.trim()).toBe('200');
    expect(runCli([...L, ...both, 'kubectl', 'exec', 'curl-pod', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '172.16.1.2/reviews'], env, commands).stdout.trim()).toBe('403');
  });

  it('hubble observe --protocol http shows http-request DROPPED then http-response FORWARDED 403', () => {
    const out = runCli([...L, '-f', P, 'hubble', 'observe', '--protocol', 'http'], env, commands).stdout;
    expect(out).toContain('default/curl-pod:40000 (ingress) -> kube-system/cilium-ingress:80 (ID:256) http-request DROPPED (HTTP/1.1 GET http://172.16.1.2/reviews)\n');
    expect(out).toContain('default/curl-pod:40000 (ingress) <- kube-system/cilium-ingress:80 (ID:256) http-response FORWARDED (HTTP/1.1 403 0ms (GET http://172.16.1.2/reviews))\n');
  });
});

describe('examples/ingress-l7 README', () => {
  const text = readFileSync('examples/ingress-l7/README.md', 'utf8');
  const blocks = [...text.matchAll(/```console\n\$ L ([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]!.replace(/\n$/, '') }));
  it('has its commands', () => expect(blocks.length).toBeGreaterThan(12));
  for (const b of blocks) {
    it(b.command, () => {
      const words = b.command.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
      const r = runCli([...L, ...words], env, commands);
      // the README shows the HTTP bodies' CRLF line ends as LF
      expect((r.stdout + (r.stderr ?? '')).replace(/\r\n/g, '\n').replace(/\n+$/, '')).toBe(b.output);
    });
  }
});
