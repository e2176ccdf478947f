/**
 * v6walk (issue 18): each step of the packet walk in its IPv6 form, on the dual-stack bgp-lab
 * (examples/bgp-lab-dual-stack) through the CLI: host FIB and router ECMP, the entry node's IPv6
 * LB map, the backend pick (flow hash, Maglev over the IPv6 tuple), SNAT to the node's IPv6
 * address, DSR with the IPv6 destination option, eTP=Local, socket LB, pod to pod, masquerading,
 * policy over IPv6 identities, hubble lines, bulk flows, and curl's answers to bad input.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';
import { maglevFlowHash } from '../../src/datapath/maglev/slot.js';

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
  readText: (path) => ({ _tag: 'Right', right: readFileSync(path, 'utf8') }),
};
const D = 'examples/bgp-lab-dual-stack';
const BASE = ['-f', `${D}/lab`, '-f', `${D}/variants/webpod-3.yaml`, '-f', `${D}/variants/pod-routes.yaml`];
const LB = [...BASE, '-f', `${D}/variants/lb.yaml`];

function run(files: readonly string[], ...args: string[]) {
  return runCli([...files, ...args], env, commands);
}
const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());
const hop = (out: readonly string[], event: string) => out.find((l) => new RegExp(`^\\s+\\d+\\s+\\S+\\s+${event}\\s`).test(l));

describe('IPv6 walk: north-south to the LB VIP', () => {
  it('router ECMP over the IPv6 next hops, the entry node v6 LB map, SNAT to its IPv6 address, reverse NAT on the way back', () => {
    const out = lines(run(LB, 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout);
    expect(hop(out, 'route')).toContain('fd00:172:16:1::1 via fd00:10::101 dev eth1 src fd00:10::200: route fd00:172:16:1::1/128 proto bgp (nexthop 2 of 3, hash policy 0)');
    expect(hop(out, 'lb')).toContain('[fd00:172:16:1::1]:80/TCP (default/webpod, LoadBalancer, revnat 11): backend [fd00:172:20::1c]:80 (default/webpod-697b545f57-phntn) on k8s-ctr, random (flow hash) slot 1 of 3');
    expect(hop(out, 'snat')).toContain("[fd00:10::200]:40000 -> [fd00:10::101]:40000 (NodePort SNAT to the node's address)");
    expect(hop(out, 'rev-nat')).toContain('reverse SNAT and reverse NAT (revnat 11): [fd00:172:20::1c]:80 -> [fd00:10::101]:40000 becomes [fd00:172:16:1::1]:80 -> [fd00:10::200]:40000');
    expect(out).toContain('seen by backend: [fd00:10::101]:40000 -> [fd00:172:20::1c]:80');
    expect(out).toContain('reply:           [fd00:172:16:1::1]:80 -> [fd00:10::200]:40000');
  });

  it('-o json: the contract with IPv6 addresses as [addr]:port', () => {
    const j = JSON.parse(run(LB, 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80', '-o', 'json').stdout);
    expect(j.verdict).toBe('FORWARDED');
    expect(j.request).toEqual({ src: '[fd00:10::200]:40000', dst: '[fd00:172:16:1::1]:80', proto: 'TCP' });
    expect(j.backend).toEqual({ pod: 'default/webpod-697b545f57-phntn', node: 'k8s-ctr', address: '[fd00:172:20::1c]:80' });
  });

  it('Maglev over the IPv6 tuple: the slot is __hash_from_tuple_v6 of the client (HASH_INIT6_SEED) mod M', () => {
    const out = lines(run(LB, '--set', 'bpf-lb-algorithm=maglev', 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout);
    const slot = maglevFlowHash({ saddr: 'fd00:10::200', sport: 40000, dport: 80, protocol: 'TCP' }) % 16381;
    expect(hop(out, 'lb')).toContain(`maglev slot ${slot} of 16381`);
  });

  it('DSR: the service address rides in an IPv6 destination option, the backend sees the client', () => {
    const out = lines(run(LB, '--set', 'bpf-lb-mode=dsr', 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout);
    expect(hop(out, 'dsr')).toContain('DSR (opt: IPv6 destination option) to k8s-ctr: client address [fd00:10::200]:40000 kept, service [fd00:172:16:1::1]:80 carried along');
    expect(out).toContain('seen by backend: [fd00:10::200]:40000 -> [fd00:172:20::1c]:80');
    expect(out.some((l) => /rev-nat\s+reply leaving the backend: source \[fd00:172:20::1c\]:80 -> \[fd00:172:16:1::1\]:80 \(DSR: straight to the client\)/.test(l))).toBe(true);
    expect(out).toContain('verdict:         FORWARDED');
  });

  it('eTP=Local: the entry node serves from its own backend, no SNAT, the backend sees the client', () => {
    const files = [...BASE, '-f', `${D}/variants/lb-etp-local.yaml`];
    const out = lines(run(files, 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout);
    expect(hop(out, 'lb')).toContain('backend [fd00:172:20:1::4c]:80 (default/webpod-697b545f57-hhjqw) on k8s-w1, random (flow hash) slot 1 of 1');
    expect(hop(out, 'snat')).toBeUndefined();
    expect(out).toContain('seen by backend: [fd00:10::200]:40000 -> [fd00:172:20:1::4c]:80');
  });
});

describe('IPv6 walk: pods', () => {
  it('socket LB at connect() on the IPv6 ClusterIP', () => {
    const out = lines(run(LB, 'trace', '--from', 'curl-pod', '--to', '[fd00:10:96::fc81]:80').stdout);
    expect(out[0]).toBe('trace curl-pod -> [fd00:10:96::fc81]:80/TCP from [fd00:172:20::f7]:40000');
    expect(hop(out, 'sock-xlate')).toContain('socket LB at connect(): [fd00:10:96::fc81]:80/TCP (default/webpod, ClusterIP, revnat 10) -> [fd00:172:20::1c]:80');
    expect(out).toContain('reply:           [fd00:10:96::fc81]:80 -> [fd00:172:20::f7]:40000');
  });

  it('pod to pod across nodes over the administrator IPv6 routes', () => {
    const out = lines(run(LB, 'trace', '--from', 'curl-pod', '--to', '[fd00:172:20:2::44]:80').stdout);
    expect(out.some((l) => /k8s-ctr\s+route\s+fd00:172:20:2::44 via fd00:10::200 dev eth1: route fd00:172:20::\/48/.test(l))).toBe(true);
    expect(out.some((l) => /router\s+route\s+fd00:172:20:2::44 via fd00:20::100 dev eth2: route fd00:172:20:2::\/64 proto bgp/.test(l))).toBe(true);
    expect(out).toContain('seen by backend: [fd00:172:20::f7]:40000 -> [fd00:172:20:2::44]:80');
    expect(out).toContain('verdict:         FORWARDED');
  });

  it('masquerading to an address outside the IPv6 native routing CIDR: the node IPv6 address of the device', () => {
    const out = lines(run(LB, 'trace', '--from', 'curl-pod', '--to', '[fd00:10:1::200]:80').stdout);
    expect(hop(out, 'masquerade')).toContain('[fd00:172:20::f7]:40000 -> [fd00:2::15]:40000 on eth0 (BPF masquerading)');
    expect(run(LB, '--set', 'enable-ipv6-masquerade=false', 'trace', '--from', 'curl-pod', '--to', '[fd00:10:1::200]:80').stdout).not.toContain('masquerade');
  });

  it('curl inside a pod: -6 resolves the AAAA record, whoami shows the IPv6 RemoteAddr', () => {
    const r = run(LB, 'exec', 'curl-pod', '--', 'curl', '-6', '-s', 'webpod');
    expect(r.exitCode).toBe(0);
    expect(lines(r.stdout)).toContain('RemoteAddr: [fd00:172:20::f7]:40000');
    expect(lines(r.stdout)).toContain('Host: webpod');
    // without -6: IPv4 (musl orders IPv4 before the lab's ULA IPv6 addresses)
    expect(lines(run(LB, 'exec', 'curl-pod', '--', 'curl', '-s', 'webpod').stdout)).toContain('RemoteAddr: 172.20.0.247:40000');
  });
});

describe('IPv6 walk: policy, hubble, bulk flows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'v6walk-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: webpod-from-curl, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: webpod}}
  ingress:
    - fromEndpoints: [{matchLabels: {app: curl}}]
`,
  );

  it('policy over IPv6 identities: curl-pod allowed, the router (world) denied at the backend', () => {
    const ok = lines(run([...LB, '-f', policy], 'trace', '--from', 'curl-pod', '--to', '[fd00:10:96::fc81]:80').stdout);
    expect(ok).toContain('verdict:         FORWARDED');
    expect(ok.some((l) => /policy\s+default\/curl-pod:40000 \(ID:256\) -> default\/webpod-\S+:80 \(ID:257\) policy-verdict:L3-Only INGRESS ALLOWED/.test(l))).toBe(true);
    const denied = lines(run([...LB, '-f', policy, '--set', 'bpf-lb-mode=dsr'], 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout);
    expect(denied).toContain('verdict:         DROPPED (Policy denied)');
  });

  it('hubble observe: IPv6 flows as Hubble prints them ([addr]:port, world-ipv6)', () => {
    const out = lines(run([...LB, '-f', `${D}/variants/traffic-v6.yaml`], 'hubble', 'observe').stdout);
    expect(out).toContain('Jan  1 00:00:00.000: [fd00:10::101]:40000 (host) -> default/webpod-697b545f57-phntn:80 (ID:257) to-network FORWARDED (TCP Flags: SYN)');
    expect(out).toContain('Jan  1 00:00:00.000: [fd00:10::200]:40000 (world-ipv6) <- [fd00:172:16:1::1]:80 (world-ipv6) to-network FORWARDED (TCP Flags: SYN, ACK)');
  });

  it('trace --flows: IPv6 and IPv4 flows in one batch', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'v6walk-flows-'));
    const f = join(dir2, 'flows.jsonl');
    writeFileSync(f, '{"from":"router","to":"[fd00:172:16:1::1]:80"}\n{"from":"curl-pod","to":"[fd00:10:96::fc81]:80/TCP"}\n{"from":"router","to":"172.16.1.1:80"}\n');
    const r = run(LB, 'trace', '--flows', f, '-o', 'json');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.request.dst)).toEqual(['[fd00:172:16:1::1]:80', '[fd00:10:96::fc81]:80', '172.16.1.1:80']);
    expect(rows.every((x) => x.verdict === 'FORWARDED')).toBe(true);
  });
});

describe('IPv6 walk: loadBalancerSourceRanges per family', () => {
  const dir = mkdtempSync(join(tmpdir(), 'v6walk-sr-'));
  const lb = join(dir, 'lb.yaml');
  writeFileSync(lb, readFileSync(`${D}/variants/lb.yaml`, 'utf8').replace('  externalTrafficPolicy: Cluster\n', '  externalTrafficPolicy: Cluster\n  loadBalancerSourceRanges: ["192.168.10.0/24", "fd00:20::/64"]\n'));
  const files = [...BASE, '-f', lb];

  it('an IPv6 client outside the IPv6 ranges is dropped, one inside passes; IPv4 checks the IPv4 ranges', () => {
    expect(lines(run(files, 'trace', '--from', 'router', '--to', '[fd00:172:16:1::1]:80').stdout)).toContain('verdict:         DROPPED (Denied by LB src range check)');
    expect(lines(run(files, 'trace', '--from', 'router', '--interface', 'fd00:20::200', '--to', '[fd00:172:16:1::1]:80').stdout)).toContain('verdict:         FORWARDED');
    expect(lines(run(files, 'trace', '--from', 'router', '--to', '172.16.1.1:80').stdout)).toContain('verdict:         FORWARDED');
  });
});

describe('IPv6 walk: bad input answered as curl answers it', () => {
  it('-6 with an IPv4 literal, -4 with an IPv6 literal: no address of the family to try (exit 7)', () => {
    const a = run(LB, 'exec', 'router', '--', 'curl', '-6', 'http://172.16.1.1/');
    expect([a.exitCode, a.stderr]).toEqual([7, "curl: (7) Couldn't connect to server\n"]);
    const b = run(LB, 'exec', 'router', '--', 'curl', '-4', 'http://[fd00:172:16:1::1]/');
    expect([b.exitCode, b.stderr]).toEqual([7, "curl: (7) Couldn't connect to server\n"]);
    expect(run(LB, 'exec', 'router', '--', 'curl', '-6', '-s', 'http://172.16.1.1/').stderr).toBe('');
  });

  it('-6 to an IPv4-only service: no AAAA record (exit 6)', () => {
    const r = run(LB, 'exec', 'curl-pod', '--', 'curl', '-6', 'kubernetes');
    expect([r.exitCode, r.stderr]).toEqual([6, 'curl: (6) Could not resolve host: kubernetes\n']);
  });

  it('a bad IPv6 literal is a glob range curl rejects (exit 3)', () => {
    const r = run(LB, 'exec', 'router', '--', 'curl', 'http://[fd00::zz]/');
    expect([r.exitCode, r.stderr]).toEqual([3, 'curl: (3) bad range in URL position 9:\nhttp://[fd00::zz]/\n        ^\n']);
  });

  it('--interface with an IPv4 address for an IPv6 URL: connect() fails (exit 7)', () => {
    const r = run(LB, 'exec', 'router', '--', 'curl', '--interface', '192.168.10.200', 'http://[fd00:172:16:1::1]/');
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toContain("Failed to connect to fd00:172:16:1::1 port 80 after 0 ms: Couldn't connect to server");
    // a device binds to its address of the URL's family
    expect(run(LB, 'exec', 'router', '--', 'curl', '-s', '--interface', 'eth1', 'http://[fd00:172:16:1::1]/').stdout).toContain('RemoteAddr: [fd00:10::10');
  });

  it('trace to a malformed IPv6 destination: the usage message', () => {
    const r = run(LB, 'trace', '--from', 'router', '--to', '[fd00::zz]:80');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('trace: --to must be ADDR:PORT[/TCP|UDP|SCTP] or [IPV6]:PORT[/PROTO], got [fd00::zz]:80');
  });
});

describe('per-family PfxRcd/PfxSnt of a neighbour with both families', () => {
  // the IPv4 sessions carry IPv6 unicast too: FRR activates CILIUM under address-family ipv6
  // unicast, Cilium's IPv4 peer config lists both families
  const dir = mkdtempSync(join(tmpdir(), 'v6walk-both-'));
  const hosts = readFileSync(`${D}/lab/00-hosts.yaml`, 'utf8').replace('      neighbor CILIUM6 activate\n', '      neighbor CILIUM6 activate\n      neighbor CILIUM activate\n');
  const bgp = readFileSync(`${D}/lab/10-bgp.yaml`, 'utf8').replace(
    '  families:\n    - afi: ipv4\n      safi: unicast\n      advertisements:\n        matchLabels:\n          advertise: "bgp"\n',
    '  families:\n    - afi: ipv4\n      safi: unicast\n      advertisements:\n        matchLabels:\n          advertise: "bgp"\n    - afi: ipv6\n      safi: unicast\n      advertisements:\n        matchLabels:\n          advertise: "bgp"\n',
  );
  writeFileSync(join(dir, '00-hosts.yaml'), hosts);
  writeFileSync(join(dir, '10-bgp.yaml'), bgp);
  for (const f of ['01-cilium-config.yaml', '20-workloads.yaml']) writeFileSync(join(dir, f), readFileSync(`${D}/lab/${f}`, 'utf8'));
  const files = ['-f', dir, '-f', `${D}/variants/webpod-3.yaml`, '-f', `${D}/variants/lb.yaml`];

  it('show bgp summary: each family block shows that family’s counts for the same neighbour', () => {
    const out = lines(run(files, 'exec', 'router', '--', 'vtysh', '-c', 'show bgp summary').stdout);
    const v6 = out.indexOf('IPv6 Unicast Summary (VRF default):');
    const v4row = out.findIndex((l) => l.startsWith('192.168.10.100 '));
    const v6row = out.findIndex((l, i) => i > v6 && l.startsWith('192.168.10.100 '));
    expect(v4row).toBeGreaterThan(0);
    expect(v4row).toBeLessThan(v6);
    expect(v6row).toBeGreaterThan(v6);
    const counts = (l: string) => l.split(/\s+/).slice(-3, -1).map(Number);
    const sum4 = counts(out[v4row]!);
    const sum6 = counts(out[v6row]!);
    // the IPv4 sent count is the IPv4 table's, the IPv6 one the IPv6 table's; never the sum
    expect(sum4[1]).toBe(5);
    expect(sum6[1]).toBe(5);
  });

  it('cilium bgp peers: one row per family of the IPv4 peer, each with its own counts', () => {
    const out = lines(run(files, 'cilium', 'bgp', 'peers').stdout);
    const i = out.findIndex((l) => /^k8s-ctr\s+65001\s+65000\s+192\.168\.10\.200\s+established\s+\S+\s+ipv4\/unicast\s+5\s+3$/.test(l));
    expect(i).toBeGreaterThan(0);
    expect(out[i + 1]).toMatch(/^\s+ipv6\/unicast\s+5\s+3$/);
  });
});
