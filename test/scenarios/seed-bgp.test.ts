/**
 * The BGP / FRR / iproute2 outputs of the lab notes (seeds 000_… and 002_…), each replayed on the
 * lab state that produced it and compared with the real text embedded below.
 *
 * Masked or relaxed, because the real value depends on history or time (docs/decisions.md):
 * - `nhid N` (zebra counts every nexthop object since it started);
 * - ages and uptimes (`cilium bgp routes` Age, `cilium bgp peers` Uptime);
 * - the order of ECMP members (decision 4: the model lists them by gateway, the kernel by
 *   creation order; the lab itself shows 10.100 before 10.101 in one capture and after it in
 *   another), compared as a set;
 * - the `cilium_host` address (IPAM hands out 172.20.0.167 in the lab) and the DHCP client's
 *   host routes `10.0.2.2`/`10.0.2.3 … proto dhcp scope link`, which the lab files do not give.
 * Seed 002's `show ip bgp summary` was cut by its author to seven columns: those are compared.
 * Trailing blanks are ignored (the notes' copy drops them; the real tools print some).
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { webpodServiceYaml } from '../helpers/lab.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

/** Scenario files written here rather than on disk (`mem:NAME`). */
const MEM: Record<string, string> = {};

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => {
    const disk = readScenarioFiles(paths.filter((p) => !p.startsWith('mem:')));
    return E.map((files: { file: string; text: string }[]) => {
      const out = [...files];
      for (const p of paths) if (p.startsWith('mem:')) out.push({ file: p, text: MEM[p.slice(4)]! });
      return out;
    })(disk);
  },
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

const V = 'examples/bgp-lab/variants';

/** `cilium-twin -f lab/ -f variants… ARGS` (a `mem:` name is an in-memory file). */
function twin(variants: readonly string[], ...args: string[]): string {
  const files = ['examples/bgp-lab/lab', ...variants.map((v) => (v.startsWith('mem:') ? v : `${V}/${v}`))];
  const r = runCli([...files.flatMap((f) => ['-f', f]), ...args], env, commands);
  expect(r.stderr ?? '').toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

/** Lines without trailing blanks, blank lines dropped. */
const lines = (s: string): string[] => s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
const maskNhid = (l: string): string => l.replace(/ nhid \d+/, ' nhid N');
/** Cells of a tabwriter table (columns are 2+ blanks apart). */
const cells = (l: string): string[] => l.trim().split(/\s{2,}/);

/** An ECMP route of `ip route`: its head line and its members, sorted (decision 4). */
function ecmpRoute(out: string, dest: string): { head: string; members: string[] } | undefined {
  const ls = lines(out);
  const i = ls.findIndex((l) => l.startsWith(`${dest} `));
  if (i < 0) return undefined;
  const members: string[] = [];
  for (let j = i + 1; j < ls.length && ls[j]!.startsWith('\t'); j++) members.push(ls[j]!.trim());
  return { head: maskNhid(ls[i]!), members: members.sort() };
}

function pod(name: string, node: string, ip: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {app: webpod}}
spec: {nodeName: ${node}, containers: [{name: webpod, image: traefik/whoami, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: ${ip}, podIPs: [{ip: ${ip}}]}
`;
}


// Seed 002, "Cluster IP": three webpods, one on k8s-ctr and two on k8s-w1.
MEM['pods-cip3.yaml'] = [
  pod('webpod-697b545f57-hcqv2', 'k8s-ctr', '172.20.0.103'),
  pod('webpod-697b545f57-dm2hg', 'k8s-w1', '172.20.1.80'),
  pod('webpod-697b545f57-third', 'k8s-w1', '172.20.1.81'),
].join('---\n');
// …then scaled to two: k8s-ctr and k8s-w1.
MEM['pods-cip2.yaml'] = [
  pod('webpod-697b545f57-hcqv2', 'k8s-ctr', '172.20.0.103'),
  pod('webpod-697b545f57-dm2hg', 'k8s-w1', '172.20.1.80'),
].join('---\n');
MEM['svc-itp-cluster.yaml'] = webpodServiceYaml('10.96.252.129', 'Cluster');
// The iTP=Local capture shows the service recreated with ClusterIP 10.96.122.24.
MEM['svc-itp-local.yaml'] = webpodServiceYaml('10.96.122.24', 'Local');

describe('seed 002: pod CIDRs over BGP (lab/ + webpod-3)', () => {
  it("k8s-ctr's table has no pod-CIDR routes (ip -c route)", () => {
    const seed = `default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100
10.0.2.2 dev eth0 proto dhcp scope link src 10.0.2.15 metric 100
10.0.2.3 dev eth0 proto dhcp scope link src 10.0.2.15 metric 100
172.20.0.0/24 via 172.20.0.167 dev cilium_host proto kernel src 172.20.0.167
172.20.0.167 dev cilium_host proto kernel scope link
192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.100
192.168.20.0/24 via 192.168.10.200 dev eth1 proto static`;
    const host = (l: string) => l.replaceAll('172.20.0.167', 'CILIUM_HOST').replaceAll('172.20.0.1 ', 'CILIUM_HOST ').replace(/172\.20\.0\.1$/, 'CILIUM_HOST');
    const expected = lines(seed).filter((l) => !/^10\.0\.2\.[23] dev eth0 proto dhcp scope link/.test(l)).map(host);
    expect(lines(twin(['webpod-3.yaml'], 'exec', 'k8s-ctr', '--', 'ip', '-c', 'route')).map(host)).toEqual(expected);
  });

  it("the router's kernel table (ip -c route)", () => {
    const seed = `default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100
10.10.1.0/24 dev loop1 proto kernel scope link src 10.10.1.200
10.10.2.0/24 dev loop2 proto kernel scope link src 10.10.2.200
172.20.0.0/24 nhid 32 via 192.168.10.100 dev eth1 proto bgp metric 20
172.20.1.0/24 nhid 30 via 192.168.10.101 dev eth1 proto bgp metric 20
172.20.2.0/24 nhid 31 via 192.168.20.100 dev eth2 proto bgp metric 20
192.168.10.0/24 dev eth1 proto kernel scope link src 192.168.10.200
192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.200`;
    expect(lines(twin(['webpod-3.yaml'], 'exec', 'router', '--', 'ip', '-c', 'route')).map(maskNhid)).toEqual(lines(seed).map(maskNhid));
  });

  it('seed 000: the same routes after pod-routes.yaml (ip -c route | grep bgp)', () => {
    const seed = `172.20.0.0/24 nhid 64 via 192.168.10.100 dev eth1 proto bgp metric 20 
172.20.1.0/24 nhid 60 via 192.168.10.101 dev eth1 proto bgp metric 20 
172.20.2.0/24 nhid 62 via 192.168.20.100 dev eth2 proto bgp metric 20 `;
    const out = twin(['webpod-3.yaml', 'pod-routes.yaml'], 'exec', 'router', '--', 'ip', '-c', 'route');
    // Here the notes kept iproute2's trailing blank: compare untrimmed.
    const bgp = out.split('\n').filter((l) => l.includes('bgp')).map(maskNhid);
    expect(bgp).toEqual(seed.split('\n').map(maskNhid));
  });

  it('show ip bgp summary (the seven columns the notes kept)', () => {
    const seed = `Neighbor        V   AS     MsgRcvd   MsgSent   Up/Down State/PfxRcd
192.168.10.100  4  65001        76        79  00:03:38            1
192.168.10.101  4  65001        76        79  00:03:38            1
192.168.20.100  4  65001        76        79  00:03:38            1`;
    const keep = (l: string) => {
      const f = l.trim().split(/\s+/);
      return [f[0], f[1], f[2], f[3], f[4], f[8], f[9]].join(' ');
    };
    const out = lines(twin(['webpod-3.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp summary'));
    const rows = out.filter((l) => /^\d/.test(l)).map(keep);
    expect(rows).toEqual(lines(seed).slice(1).map((l) => l.trim().split(/\s+/).join(' ')));
  });

  it('show ip bgp (the rows)', () => {
    const seed = `*> 10.10.1.0/24     0.0.0.0                  0         32768 i
*> 172.20.0.0/24    192.168.10.100                         0 65001 i
*> 172.20.1.0/24    192.168.10.101                         0 65001 i
*> 172.20.2.0/24    192.168.20.100                         0 65001 i`;
    const out = lines(twin(['webpod-3.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp'));
    expect(out.filter((l) => l.startsWith('*'))).toEqual(lines(seed));
  });

  it('cilium bgp routes: each node its own pod CIDR (Age masked)', () => {
    const seed = `Node      VRouter   Prefix          NextHop   Age      Attrs
k8s-ctr   65001     172.20.0.0/24   0.0.0.0   5m49s    [{Origin: i} {Nexthop: 0.0.0.0}]
k8s-w0    65001     172.20.2.0/24   0.0.0.0   15m48s   [{Origin: i} {Nexthop: 0.0.0.0}]
k8s-w1    65001     172.20.1.0/24   0.0.0.0   15m48s   [{Origin: i} {Nexthop: 0.0.0.0}]`;
    const row = (l: string) => { const c = cells(l); c[4] = 'AGE'; return c; };
    const out = lines(twin(['webpod-3.yaml'], 'cilium', 'bgp', 'routes'));
    expect(out[0]).toBe('(Defaulting to `available ipv4 unicast` routes, please see help for more options)');
    expect(out.slice(1).map(row)).toEqual(lines(seed).map(row));
  });
});

describe('seed 002: the LB IP over BGP (lab/ + webpod-3 + lb)', () => {
  it('cilium bgp peers (Uptime masked)', () => {
    const seed = `Node      Local AS   Peer AS   Peer Address     Session State   Uptime      Family         Received   Advertised
k8s-ctr   65001      65000     192.168.10.200   established     37h44m51s   ipv4/unicast   5          3
k8s-w0    65001      65000     192.168.10.200   established     37h44m48s   ipv4/unicast   5          3
k8s-w1    65001      65000     192.168.10.200   established     37h44m48s   ipv4/unicast   5          3`;
    const row = (l: string) => { const c = cells(l); c[5] = 'UPTIME'; return c; };
    expect(lines(twin(['webpod-3.yaml', 'lb.yaml'], 'cilium', 'bgp', 'peers')).map(row)).toEqual(lines(seed).map(row));
  });

  it('cilium bgp routes: pod CIDR and 172.16.1.1/32 on every node (Age masked)', () => {
    const seed = `(Defaulting to \`available ipv4 unicast\` routes, please see help for more options)

Node      VRouter   Prefix          NextHop   Age         Attrs
k8s-ctr   65001     172.16.1.1/32   0.0.0.0   37h23m15s   [{Origin: i} {Nexthop: 0.0.0.0}]
          65001     172.20.0.0/24   0.0.0.0   38h3m45s    [{Origin: i} {Nexthop: 0.0.0.0}]
k8s-w0    65001     172.16.1.1/32   0.0.0.0   37h23m14s   [{Origin: i} {Nexthop: 0.0.0.0}]
          65001     172.20.2.0/24   0.0.0.0   38h13m42s   [{Origin: i} {Nexthop: 0.0.0.0}]
k8s-w1    65001     172.16.1.1/32   0.0.0.0   37h23m13s   [{Origin: i} {Nexthop: 0.0.0.0}]
          65001     172.20.1.0/24   0.0.0.0   38h13m42s   [{Origin: i} {Nexthop: 0.0.0.0}]`;
    // Continuation rows start with blanks: keep an empty first cell.
    const row = (l: string) => {
      const c = l.startsWith(' ') ? ['', ...cells(l)] : cells(l);
      if (c.length === 6) c[4] = 'AGE';
      return c;
    };
    expect(lines(twin(['webpod-3.yaml', 'lb.yaml'], 'cilium', 'bgp', 'routes')).map(row)).toEqual(lines(seed).map(row));
  });

  it('cilium-dbg bgp route-policies on k8s-w1: exact', () => {
    const seed = `VRouter   Policy Name                                             Type     Match Peers         Match Families   Match Prefixes (Min..Max Len)   RIB Action   Path Actions
65001     allow-local                                             import                                                                        accept
65001     tor-switch-ipv4-PodCIDR                                 export   192.168.10.200/32                    172.20.1.0/24 (24..24)          accept
65001     tor-switch-ipv4-Service-webpod-default-LoadBalancerIP   export   192.168.10.200/32                    172.16.1.1/32 (32..32)          accept`;
    expect(lines(twin(['webpod-3.yaml', 'lb.yaml'], 'exec', 'k8s-w1', '--', 'cilium-dbg', 'bgp', 'route-policies'))).toEqual(lines(seed));
  });

  it("show ip bgp 172.16.1.1/32: exact (FRR's fixed Last update)", () => {
    const seed = `BGP routing table entry for 172.16.1.1/32, version 5
Paths: (3 available, best #1, table default)
  Advertised to non peer-group peers:
  192.168.10.100 192.168.10.101 192.168.20.100
  65001
    192.168.10.100 from 192.168.10.100 (192.168.10.100)
      Origin IGP, valid, external, multipath, best (Router ID)
      Last update: Fri Aug 15 06:41:04 2025
  65001
    192.168.10.101 from 192.168.10.101 (192.168.10.101)
      Origin IGP, valid, external, multipath
      Last update: Fri Aug 15 06:41:04 2025
  65001
    192.168.20.100 from 192.168.20.100 (192.168.20.100)
      Origin IGP, valid, external, multipath
      Last update: Fri Aug 15 06:41:04 2025`;
    expect(lines(twin(['webpod-3.yaml', 'lb.yaml'], 'exec', 'router', '--', 'vtysh', '-c', 'show ip bgp 172.16.1.1/32'))).toEqual(lines(seed));
  });
});

describe('seed 002: webpod-2 + pod-routes + lb', () => {
  it('ip route get from k8s-ctr to both remote webpods: via the router', () => {
    for (const ip of ['172.20.1.76', '172.20.2.68']) {
      const seed = `${ip} via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0
    cache`;
      expect(lines(twin(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'], 'exec', 'k8s-ctr', '--', 'ip', 'route', 'get', ip))).toEqual(lines(seed));
    }
  });

  it("the router's 172.16.1.1 route: three members with eTP=Cluster, two with eTP=Local", () => {
    const cluster = `172.16.1.1 nhid 101 proto bgp metric 20
	nexthop via 192.168.10.100 dev eth1 weight 1
	nexthop via 192.168.20.100 dev eth2 weight 1
	nexthop via 192.168.10.101 dev eth1 weight 1`;
    const local = `172.16.1.1 nhid 105 proto bgp metric 20
	nexthop via 192.168.20.100 dev eth2 weight 1
	nexthop via 192.168.10.101 dev eth1 weight 1`;
    const base = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];
    expect(ecmpRoute(twin(base, 'exec', 'router', '--', 'ip', '-c', 'route'), '172.16.1.1')).toEqual(ecmpRoute(cluster, '172.16.1.1'));
    expect(ecmpRoute(twin([...base, 'etp-local.yaml'], 'exec', 'router', '--', 'ip', '-c', 'route'), '172.16.1.1')).toEqual(ecmpRoute(local, '172.16.1.1'));
  });
});

describe('seed 002: the ClusterIP over BGP', () => {
  it('iTP=Cluster: every node advertises 10.96.252.129', () => {
    const seed = `10.96.252.129 nhid 117 proto bgp metric 20
	nexthop via 192.168.10.100 dev eth1 weight 1
	nexthop via 192.168.20.100 dev eth2 weight 1
	nexthop via 192.168.10.101 dev eth1 weight 1`;
    const out = twin(['mem:pods-cip3.yaml', 'lb.yaml', 'clusterip-itp-local.yaml', 'mem:svc-itp-cluster.yaml'], 'exec', 'router', '--', 'ip', '-c', 'route');
    expect(ecmpRoute(out, '10.96.252.129')).toEqual(ecmpRoute(seed, '10.96.252.129'));
  });

  it('iTP=Local: only k8s-ctr and k8s-w1 (the nodes with a webpod) advertise 10.96.122.24', () => {
    const seed = `10.96.122.24 nhid 77 proto bgp metric 20
	nexthop via 192.168.10.101 dev eth1 weight 1
	nexthop via 192.168.10.100 dev eth1 weight 1`;
    const files = ['mem:pods-cip2.yaml', 'lb.yaml', 'external-clusterip.yaml', 'clusterip-itp-local.yaml', 'mem:svc-itp-local.yaml'];
    expect(ecmpRoute(twin(files, 'exec', 'router', '--', 'ip', '-c', 'route'), '10.96.122.24')).toEqual(ecmpRoute(seed, '10.96.122.24'));
  });
});

describe("seed 002: the router's frr.conf", () => {
  it('show running-config carries the file as written', () => {
    const seed = `frr version 8.4.4
frr defaults traditional
hostname router
log syslog informational
no ipv6 forwarding
service integrated-vtysh-config
!
router bgp 65000
 bgp router-id 192.168.10.200
 no bgp ebgp-requires-policy
 bgp graceful-restart
 bgp bestpath as-path multipath-relax
 neighbor CILIUM peer-group
 neighbor CILIUM remote-as external
 neighbor 192.168.10.100 peer-group CILIUM
 neighbor 192.168.10.101 peer-group CILIUM
 neighbor 192.168.20.100 peer-group CILIUM
 !
 address-family ipv4 unicast
  network 10.10.1.0/24
  maximum-paths 4
 exit-address-family
exit
!`;
    const out = lines(twin([], 'exec', 'router', '--', 'vtysh', '-c', 'show running-config'));
    const start = out.indexOf('frr version 8.4.4');
    expect(out.slice(0, start)).toEqual(['Building configuration...', 'Current configuration:', '!']);
    expect(out.slice(start, start + lines(seed).length)).toEqual(lines(seed));
  });
});
