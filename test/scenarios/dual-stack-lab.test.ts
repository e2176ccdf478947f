/**
 * ipv6 (issue 18): the dual-stack bgp-lab (examples/bgp-lab-dual-stack) through the CLI: each
 * command of the lab answered in both families.
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

const V = 'examples/bgp-lab-dual-stack/variants';

/** Runs `cilium-twin -f lab/ -f variants… ARGS` on the dual-stack lab. */
function twin(variants: readonly string[], ...args: string[]) {
  const files = ['examples/bgp-lab-dual-stack/lab', ...variants.map((v) => `${V}/${v}`)].flatMap((f) => ['-f', f]);
  return runCli([...files, ...args], env, commands);
}
const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());
const LB = ['webpod-3.yaml', 'lb.yaml'];

describe('dual-stack bgp-lab: input, services, LB IPAM, BPF maps', () => {
  it('validate: dual-stack nodes, hosts and services, IPv6 compressed', () => {
    const r = twin(LB, 'validate');
    expect(r.exitCode).toBe(0);
    const out = lines(r.stdout);
    expect(out.some((l) => /^\s+k8s-ctr\s+InternalIP 192\.168\.10\.100, InternalIP fd00:10::100\s+172\.20\.0\.0\/24, fd00:172:20::\/64\s+True/.test(l))).toBe(true);
    expect(out.some((l) => /^\s+ip families\s+ipv4 true, ipv6 true$/.test(l))).toBe(true);
    expect(out.some((l) => /^\s+default\s+webpod\s+LoadBalancer\s+10\.96\.252\.129,fd00:10:96::fc81\s+/.test(l))).toBe(true);
  });

  it('LB IPAM gives one address per family from the IPv4 and IPv6 blocks', () => {
    const svc = twin(LB, 'kubectl', 'get', 'svc');
    // kubectl cuts EXTERNAL-IP past 16 characters (loadBalancerStatusStringer)
    expect(svc.stdout).toMatch(/webpod\s+LoadBalancer\s+10\.96\.252\.129\s+172\.16\.1\.1,fd\.\.\.\s+80:31726\/TCP/);
    const wide = twin(LB, 'kubectl', 'get', 'svc', '-o', 'wide');
    expect(wide.stdout).toMatch(/webpod\s+LoadBalancer\s+10\.96\.252\.129\s+172\.16\.1\.1,fd00:172:16:1::1\s+/);
    // 254 usable in each block (first and last reserved in both families), one taken in each
    expect(twin(LB, 'kubectl', 'get', 'ippools').stdout).toMatch(/cilium-pool\s+false\s+False\s+506/);
  });

  it('cilium-dbg bpf lb list: IPv6 frontends and backends as [addr]:port', () => {
    const r = twin(LB, 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list');
    const out = lines(r.stdout);
    expect(out).toContain('[fd00:172:16:1::1]:80/TCP (0)   [::]:0 (11) (0) [LoadBalancer]');
    expect(out).toContain('[fd00:172:16:1::1]:80/TCP (2)   [fd00:172:20:1::4c]:80/TCP (11) (2)');
    expect(out).toContain('[fd00:10:96::fc81]:80/TCP (0)   [::]:0 (10) (0) [ClusterIP, non-routable]');
    expect(out).toContain('[fd00:10::100]:31726/TCP (0)    [::]:0 (9) (0) [NodePort]');
    // the IPv4 answers are those of the IPv4 lab
    expect(out).toContain('172.16.1.1:80/TCP (1)           172.20.0.28:80/TCP (6) (1)');
  });
});
