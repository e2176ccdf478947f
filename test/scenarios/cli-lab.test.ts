/**
 * The bgp-lab through the CLI, as a user types it: each observation of
 * examples/bgp-lab/README.md checked on the command's printed answer.
 */
import { describe, it, expect } from 'vitest';
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

const V = 'examples/bgp-lab/variants';

/** Runs `cilium-twin -f lab/ -f variants… ARGS`. */
function twin(variants: readonly string[], ...args: string[]) {
  const files = ['examples/bgp-lab/lab', ...variants.map((v) => `${V}/${v}`)].flatMap((f) => ['-f', f]);
  return runCli([...files, ...args], env, commands);
}

const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());

describe('bgp-lab through the CLI', () => {
  it('observation 1: the router learns every pod CIDR via its node; nodes learn nothing', () => {
    const r = twin(['webpod-3.yaml'], 'exec', 'router', '--', 'ip', 'route');
    expect(r.exitCode).toBe(0);
    const out = lines(r.stdout);
    expect(out).toContain('172.20.0.0/24 nhid 10 via 192.168.10.100 dev eth1 proto bgp metric 20');
    expect(out.some((l) => /^172\.20\.1\.0\/24 .*via 192\.168\.10\.101 dev eth1 proto bgp metric 20$/.test(l))).toBe(true);
    expect(out.some((l) => /^172\.20\.2\.0\/24 .*via 192\.168\.20\.100 dev eth2 proto bgp metric 20$/.test(l))).toBe(true);
    for (const node of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
      const n = twin(['webpod-3.yaml'], 'exec', node, '--', 'ip', 'route');
      expect(n.stdout).not.toContain('proto bgp');
    }
  });

  it('observation 2: with pod-routes, route get to a remote pod goes via the router', () => {
    const without = twin(['webpod-3.yaml'], 'exec', 'k8s-ctr', '--', 'ip', 'route', 'get', '172.20.1.76');
    expect(without.stdout).toContain('via 10.0.2.2 dev eth0');
    const withRoutes = twin(['webpod-3.yaml', 'pod-routes.yaml'], 'exec', 'k8s-ctr', '--', 'ip', 'route', 'get', '172.20.1.76');
    expect(lines(withRoutes.stdout)[0]).toBe('172.20.1.76 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0');
  });

  it('observation 4: LB IPAM gives 172.16.1.1 and leaves 253', () => {
    const svc = twin(['webpod-3.yaml', 'lb.yaml'], 'kubectl', 'get', 'svc');
    expect(svc.stdout).toMatch(/webpod\s+LoadBalancer\s+10\.96\.252\.129\s+172\.16\.1\.1\s+80:31726\/TCP/);
    const pools = twin(['webpod-3.yaml', 'lb.yaml'], 'kubectl', 'get', 'ippools');
    expect(pools.stdout).toMatch(/cilium-pool\s+false\s+False\s+253/);
  });

  it('observation 6: three next hops, best by router ID', () => {
    const r = twin(['webpod-3.yaml', 'lb.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp 172.16.1.1/32');
    expect(r.stdout).toContain('Paths: (3 available, best #1, table default)');
    expect(r.stdout).toMatch(/192\.168\.10\.100 from 192\.168\.10\.100 \(192\.168\.10\.100\)\n\s+Origin IGP, valid, external, multipath, best \(Router ID\)/);
  });

  it('observation 6: SNAT under eTP=Cluster: the backend sees the entry node', () => {
    const r = twin(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'], 'exec', 'router', '--', 'curl', '-s', '172.16.1.1');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^RemoteAddr: 192\.168\.10\.100:\d+$/m);
  });

  it('observation 7: eTP=Local keeps the client address', () => {
    const r = twin(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'etp-local.yaml'], 'exec', 'router', '--', 'curl', '-s', '172.16.1.1');
    expect(r.stdout).toMatch(/^RemoteAddr: 192\.168\.10\.200:\d+$/m);
  });

  it('observation 8: hash policy 0 keeps one next hop, policy 1 spreads flows', () => {
    const base = ['webpod-3.yaml', 'pod-routes.yaml', 'lb.yaml'];
    const l3 = twin(base, 'exec', 'router', '--', 'curl', '-s', '--repeat', '60', '172.16.1.1');
    const l4 = twin([...base, 'router-hash-l4.yaml'], 'exec', 'router', '--', 'curl', '-s', '--repeat', '60', '172.16.1.1');
    const spread = (s: string) => s.split('\n').filter((l) => /Hostname:/.test(l)).length;
    // With webpod-3 and eTP=Cluster, random backend choice spreads over pods either way; what the
    // hash policy changes is the entry node, visible in the trace's first hop.
    expect(spread(l4.stdout)).toBe(3);
    expect(spread(l3.stdout)).toBeGreaterThanOrEqual(1);
    const entry = (variants: string[], sport: string) =>
      JSON.parse(twin(variants, '-o', 'json', 'trace', '--from', 'router', '--to', '172.16.1.1:80', '--sport', sport).stdout).hops[0].detail as string;
    const l3Entries = new Set(['40000', '41000', '42000', '43000', '44000'].map((p) => entry(base, p)));
    const l4Entries = new Set(['40000', '41000', '42000', '43000', '44000', '45000', '46000'].map((p) => entry([...base, 'router-hash-l4.yaml'], p)));
    expect(l3Entries.size).toBe(1);
    expect(l4Entries.size).toBeGreaterThan(1);
  });

  it('curl runs inside a pod after exec; unknown hosts are a command-line error', () => {
    const r = twin(['webpod-3.yaml'], 'exec', 'curl-pod', '--', 'curl', '-s', '172.20.0.28');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Hostname: webpod-697b545f57-phntn');
    expect(twin([], 'exec', 'nosuch', '--', 'ip', 'route').exitCode).toBe(2);
  });

  it('curl --interface takes a device name or an address; a bad port is curl exit 3', () => {
    const lab = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'etp-local.yaml'];
    const byDev = twin(lab, 'exec', 'router', '--', 'curl', '-s', '--interface', 'loop1', '172.16.1.1');
    const byAddr = twin(lab, 'exec', 'router', '--', 'curl', '-s', '--interface', '10.10.1.200', '172.16.1.1');
    expect(byDev.exitCode).toBe(byAddr.exitCode);
    expect(byDev.stdout).toBe(byAddr.stdout);
    expect(twin(lab, 'exec', 'router', '--', 'curl', '-s', '--interface', 'eth9', '172.16.1.1').exitCode).toBe(45);
    const bad = twin(lab, 'exec', 'router', '--', 'curl', 'http://172.16.1.1:99999/');
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toBe('curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n');
    expect(twin(lab, 'exec', 'router', '--', 'curl', '-s', 'http://172.16.1.1:99999/').stderr).toBe('');
  });
});
