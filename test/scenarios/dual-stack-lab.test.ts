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

describe('dual-stack bgp-lab: BGP in both families', () => {
  it('cilium bgp peers: an IPv4 session (ipv4/unicast) and an IPv6 session (ipv6/unicast) per node', () => {
    const out = lines(twin(LB, 'cilium', 'bgp', 'peers').stdout);
    expect(out[1]).toMatch(/^k8s-ctr\s+65001\s+65000\s+192\.168\.10\.200\s+established\s+\S+\s+ipv4\/unicast\s+5\s+3$/);
    expect(out[2]).toMatch(/^\s+65001\s+65000\s+fd00:10::200\s+established\s+\S+\s+ipv6\/unicast\s+5\s+3$/);
  });

  it('cilium bgp routes available ipv6 unicast: pod CIDR and LB IP per node, next hop ::', () => {
    const out = lines(twin(LB, 'cilium', 'bgp', 'routes', 'available', 'ipv6', 'unicast').stdout);
    expect(out).toContain('k8s-ctr   65001     fd00:172:16:1::1/128   ::        0s    [{Origin: i} {MpReach(ipv6-unicast): {Nexthop: ::, NLRIs: [fd00:172:16:1::1/128]}}]');
    expect(out).toContain('          65001     fd00:172:20::/64       ::        0s    [{Origin: i} {MpReach(ipv6-unicast): {Nexthop: ::, NLRIs: [fd00:172:20::/64]}}]');
  });

  it('route policies name the family: <peer>-ipv6-PodCIDR with a /128 neighbour', () => {
    const out = lines(twin(LB, 'exec', 'k8s-w1', '--', 'cilium-dbg', 'bgp', 'route-policies').stdout);
    expect(out.some((l) => /^65001\s+tor-switch-v6-ipv6-PodCIDR\s+export\s+fd00:10::200\/128\s+fd00:172:20:1::\/64 \(64\.\.64\)\s+accept$/.test(l))).toBe(true);
    expect(out.some((l) => /^65001\s+tor-switch-ipv4-PodCIDR\s+export\s+192\.168\.10\.200\/32\s+172\.20\.1\.0\/24 \(24\.\.24\)\s+accept$/.test(l))).toBe(true);
  });

  it('show bgp ipv6 unicast: the router learns every IPv6 pod CIDR and the LB IP with three paths', () => {
    const r = twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show bgp ipv6 unicast');
    const out = lines(r.stdout);
    expect(out).toContain('*> fd00:10:1::/64   ::                       0         32768 i');
    expect(out).toContain('*> fd00:172:20::/64 fd00:10::100                           0 65001 i');
    expect(out).toContain('*> fd00:172:16:1::1/128');
    expect(out).toContain('*=                  fd00:20::100                           0 65001 i');
    expect(out[out.length - 2]).toBe('Displayed  5 routes and 7 total paths');
    // show ip bgp stays the IPv4 table
    const v4 = twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp').stdout;
    expect(v4).not.toContain('fd00');
    expect(v4).toContain('Displayed  5 routes and 7 total paths');
  });

  it('show bgp ipv6 unicast PREFIX: best by router ID, the others multipath', () => {
    const r = twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show bgp ipv6 unicast fd00:172:16:1::1/128');
    expect(r.stdout).toContain('Paths: (3 available, best #1, table default)');
    expect(r.stdout).toMatch(/fd00:10::100 from fd00:10::100 \(192\.168\.10\.100\)\n\s+Origin IGP, valid, external, multipath, best \(Router ID\)/);
  });

  it('show bgp summary: an IPv4 Unicast and an IPv6 Unicast section', () => {
    const out = lines(twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show bgp summary').stdout);
    expect(out).toContain('IPv4 Unicast Summary (VRF default):');
    expect(out).toContain('IPv6 Unicast Summary (VRF default):');
    expect(out.some((l) => /^fd00:10::100\s+4\s+65001\s+\d+\s+\d+\s+0\s+0\s+0 00:03:38\s+2\s+5 N\/A$/.test(l))).toBe(true);
    const v4only = lines(twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp summary').stdout);
    expect(v4only).not.toContain('IPv6 Unicast Summary (VRF default):');
  });

  it('ip -6 route and show ipv6 route on the router: BGP routes via each node, ECMP to the LB IP', () => {
    const out = lines(twin(LB, 'exec', 'router', '--', 'ip', '-6', 'route').stdout);
    expect(out).toContain('fd00:172:20::/64 nhid 14 via fd00:10::100 dev eth1 proto bgp metric 20 pref medium');
    expect(out).toContain('fd00:172:16:1::1 nhid 17 proto bgp metric 20 pref medium');
    expect(out).toContain('\tnexthop via fd00:20::100 dev eth2 weight 1');
    const z = lines(twin(LB, 'exec', 'router', '--', 'vtysh', '-c', 'show ipv6 route').stdout);
    expect(z[0]).toBe('Codes: K - kernel route, C - connected, S - static, R - RIPng,');
    expect(z).toContain('B>* fd00:172:20:2::/64 [20/0] via fd00:20::100, eth2, weight 1, 00:03:38');
    expect(z).toContain('C>* fd00:10::/64 is directly connected, eth1, 00:03:38');
    // the IPv4 table is the IPv4 lab's
    expect(lines(twin(LB, 'exec', 'router', '--', 'ip', 'route').stdout)).toContain('172.20.0.0/24 nhid 10 via 192.168.10.100 dev eth1 proto bgp metric 20');
  });

  it('ip -6 route get: nodes send remote pods to their default route; the router via the node', () => {
    expect(lines(twin(LB, 'exec', 'k8s-ctr', '--', 'ip', '-6', 'route', 'get', 'fd00:172:20:1::4c').stdout)[0]).toBe(
      'fd00:172:20:1::4c from :: via fd00:2::2 dev eth0 proto static src fd00:2::15 metric 100 pref medium',
    );
    expect(lines(twin(LB, 'exec', 'router', '--', 'ip', '-6', 'route', 'get', 'fd00:172:20:1::4c').stdout)[0]).toBe(
      'fd00:172:20:1::4c from :: via fd00:10::101 dev eth1 proto bgp src fd00:10::200 metric 20 pref medium',
    );
    // the nodes install nothing Cilium learns, in either family
    expect(twin(LB, 'exec', 'k8s-w1', '--', 'ip', '-6', 'route').stdout).not.toContain('proto bgp');
  });
});

describe('dual-stack bgp-lab: traffic and bad input', () => {
  it('curl over IPv4 reaches a dual-stack webpod, whose whoami lists its IPv6 address too', () => {
    const r = twin([...LB, 'pod-routes.yaml'], 'exec', 'router', '--', 'curl', '-s', 'http://172.16.1.1');
    expect(r.exitCode).toBe(0);
    const out = lines(r.stdout);
    const v4 = out.findIndex((l) => /^IP: 172\.20\.\d\.\d+$/.test(l));
    expect(out[v4 + 1]).toMatch(/^IP: fd00:172:20:(\d::)?[0-9a-f]+$/);
    expect(out[v4 + 2]).toMatch(/^IP: fe80::/);
  });

  it('trace over IPv6: router ECMP to an entry node, the v6 LB map, SNAT to the node IPv6 address, the way back', () => {
    const t = twin([...LB, 'pod-routes.yaml'], 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80');
    expect(t.exitCode).toBe(0);
    const out = lines(t.stdout);
    expect(out[0]).toBe('trace router -> [fd00:172:16:1::1]:80/TCP from [fd00:10::200]:40000');
    expect(out[1]).toMatch(/router\s+route\s+fd00:172:16:1::1 via fd00:(10::10[01]|20::100) dev eth[12] src fd00:10::200: route fd00:172:16:1::1\/128 proto bgp \(nexthop \d of 3, hash policy 0\)/);
    expect(out.some((l) => /lb\s+\[fd00:172:16:1::1\]:80\/TCP \(default\/webpod, LoadBalancer, revnat 11\): backend \[fd00:172:20:[0-9a-f:]+\]:80/.test(l))).toBe(true);
    expect(out.some((l) => /snat\s+\[fd00:10::200\]:40000 -> \[fd00:(10|20)::10[01]\]:40000 \(NodePort SNAT to the node's address\)/.test(l))).toBe(true);
    expect(out).toContain('verdict:         FORWARDED');
    expect(out).toContain('reply:           [fd00:172:16:1::1]:80 -> [fd00:10::200]:40000');
  });

  it('curl over IPv6: an IPv6 literal, Host in brackets, whoami sees the SNATed IPv6 RemoteAddr', () => {
    const c = twin([...LB, 'pod-routes.yaml'], 'exec', 'router', '--', 'curl', '-s', 'http://[fd00:172:16:1::1]/');
    expect(c.exitCode).toBe(0);
    const out = lines(c.stdout);
    expect(out.find((l) => l.startsWith('RemoteAddr: '))).toMatch(/^RemoteAddr: \[fd00:(10|20)::10[01]\]:40000$/);
    expect(out).toContain('Host: [fd00:172:16:1::1]');
  });

  it('enable-ipv6=false with the dual-stack services: the API server refuses their IPv6 family, located', () => {
    const r = twin(LB, '--set', 'enable-ipv6=false', 'validate');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('examples/bgp-lab-dual-stack/variants/lb.yaml#2 Service/webpod: spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster');
  });

  it('a SingleStack service with two cluster IPs: the API server message, located', () => {
    const r = twin(['single-stack-two-ips.yaml'], 'validate');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `examples/bgp-lab-dual-stack/variants/single-stack-two-ips.yaml#1 Service/webpod: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`,
    );
  });
});

describe('dual-stack bgp-lab: endpoints, IPAM and the IP cache', () => {
  it('kubectl get endpointslices: a slice per family, IPv6 compressed', () => {
    const out = lines(twin(LB, 'kubectl', 'get', 'endpointslices').stdout);
    expect(out.some((l) => /^webpod-ipv6\s+IPv6\s+80\s+fd00:172:20::1c,fd00:172:20:1::4c,fd00:172:20:2::44\s+/.test(l))).toBe(true);
  });

  it('cilium-dbg status: the IPAM line has its IPv6 half', () => {
    const out = lines(twin(LB, 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'status').stdout);
    expect(out).toContain('IPAM:                    IPv4: 3/254 allocated from 172.20.0.0/24, IPv6: 3/18446744073709551614 allocated from fd00:172:20::/64');
  });

  it('cilium-dbg bpf ipcache list: IPv6 rows after the IPv4 ones, ::/0 is world-ipv6', () => {
    const out = lines(twin(LB, 'exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'ipcache', 'list').stdout);
    expect(out).toContain('::/0                    identity=10 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>');
    expect(out).toContain('fd00:172:20:1::4c/128   identity=257 encryptkey=0 tunnelendpoint=192.168.10.101 flags=hastunnel');
    expect(out.findIndex((l) => l.startsWith('::/0'))).toBeGreaterThan(out.findIndex((l) => l.startsWith('192.168.20.100/32')));
  });
});

describe('examples/bgp-lab-dual-stack/README.md', () => {
  it("every command's output in the README is the CLI's current output", async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('examples/bgp-lab-dual-stack/README.md', 'utf8');
    const blocks = [...text.matchAll(/```console\n\$ npx cilium-twin ([^\n]*)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThan(20);
    for (const [, cmd, out] of blocks) {
      if (cmd!.includes('| grep') || / validate$/.test(cmd!) && !cmd!.includes('--set') && !cmd!.includes('single-stack')) continue;
      const args = [...cmd!.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).map((a) =>
        a === 'lab/' ? 'examples/bgp-lab-dual-stack/lab' : a.startsWith('variants/') ? `examples/bgp-lab-dual-stack/${a}` : a,
      );
      const r = runCli(args, env, commands);
      const got = (r.stdout + (r.stderr ?? '')).split('\n').map((l) => l.trimEnd()).join('\n');
      expect(got, cmd).toBe(out);
    }
  });
});
