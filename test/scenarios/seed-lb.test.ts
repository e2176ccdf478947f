/**
 * The LB / datapath views against the real outputs of the lab notes (seed 002_…; seed 000_… shows
 * commands without their output, seed 004_… is another lab on an older Cilium). Each block embeds
 * the seed text and rebuilds the lab state that printed it.
 *
 * Masked, because they depend on history: service / rev-NAT IDs, identities, AGE, the client's
 * source port and the pod's fe80:: address (its MAC). Rows of `bpf lb list` are compared as a set
 * (the real tool dumps a hash map), and trailing spaces are trimmed (docs/decisions.md, "Text").
 *
 * The `kubernetes` Service (10.96.0.1) the seeds' `kubectl get svc` lists is the API server's own
 * (the workloads stage makes it). Not compared: the eTP=Local `service list` / `bpf lb list` of seed 002, which
 * repeats the eTP=Cluster output byte for byte (ID 16, flags `[LoadBalancer]`, both backends), so it
 * was pasted from before the patch took effect.
 */
import { describe, it, expect } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { labFiles, loadLab, webpodServiceYaml } from '../helpers/lab.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildWorkloadCluster } from '../../src/workloads/index.js';
import { commands } from '../../src/cli/commands/index.js';
import type { Cluster } from '../../src/cluster/types.js';

function run(cluster: Cluster, path: string, args: string[] = [], host?: string) {
  const cmd = commands.find((c) => c.path.join(' ') === path || c.aliases?.some((a) => a.join(' ') === path));
  if (!cmd) throw new Error(`no command ${path}`);
  return cmd.run({ cluster, args, json: false, ...(host !== undefined ? { host } : {}) });
}

/** Lab variants plus inline documents (given last). */
function labWith(variants: readonly string[], ...docs: string[]): Cluster {
  const files = [...labFiles(variants), ...docs.map((text, i) => ({ file: `inline-${i}.yaml`, text }))];
  const decoded = decodeScenario(files, { set: {} });
  if (isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return buildWorkloadCluster(decoded.right);
}

const lines = (t: string) => t.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
const ws = (l: string) => l.trim().split(/\s+/).join(' ');
const grep = (t: string, s: string) => lines(t).filter((l) => l.includes(s));
/** `bpf lb list` rows: rev-NAT ID masked, whitespace normalised, sorted. */
const lbRows = (ls: readonly string[]) => ls.map((l) => ws(l).replace(/\(\d+\) \((\d+)\)/, '(ID) ($1)')).sort();
const maskIdentity = (ls: readonly string[]) => ls.map((l) => ws(l.replace(/identity=\d+/, 'identity=ID')));
/** `kubectl get svc` / `get ippool` rows without the AGE column. */
const noAge = (ls: readonly string[]) => ls.map((l) => ws(l).replace(/ \S+$/, ''));
/** A `service list` block: from the frontend's row to the next row with an ID; ID masked. */
function serviceBlock(text: string, frontend: string): string[] {
  const ls = lines(text);
  const start = ls.findIndex((l) => ws(l).split(' ')[1] === frontend);
  if (start < 0) return [];
  const end = ls.findIndex((l, i) => i > start && /^\d/.test(l));
  return ls.slice(start, end < 0 ? undefined : end).map((l) => ws(l).replace(/^\d+ /, 'ID '));
}

// The pods of seed 002's ClusterIP part (after a restart): 172.20.0.103 on k8s-ctr,
// 172.20.1.80 and 172.20.1.81 on k8s-w1.
const pod = (name: string, node: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {app: webpod}}
spec: {nodeName: ${node}, containers: [{name: webpod, image: traefik/whoami, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: ${ip}, podIPs: [{ip: ${ip}}]}
`;
const PODS_2 = [pod('webpod-697b545f57-hcqv2', 'k8s-ctr', '172.20.0.103'), pod('webpod-697b545f57-dm2hg', 'k8s-w1', '172.20.1.80')];
const PODS_3 = [...PODS_2, pod('webpod-697b545f57-x7k2p', 'k8s-w1', '172.20.1.81')];
const CLUSTERIP_ADVERT = `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: bgp-advertisements-lb-exip-webpod, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: Service
      service: {addresses: [ClusterIP]}
      selector: {matchExpressions: [{key: app, operator: In, values: [webpod]}]}
`;

describe('seed 002: curl-pod → webpod, before and after the pod routes', () => {
  const SEED_NO_ROUTES = ['Hostname: webpod-697b545f57-phntn'];
  const SEED_ROUTES = ['webpod-697b545f57-phntn', 'webpod-697b545f57-hhjqw', 'webpod-697b545f57-8d2xs'];
  const hostnames = (c: Cluster) => {
    const seen = new Set<string>();
    let lost = 0;
    for (let p = 40000; p < 40030; p++) {
      const r = run(c, 'kubectl exec', ['-it', 'curl-pod', '--', 'curl', '-s', '--connect-timeout', '1', '--local-port', String(p), 'webpod']);
      const h = lines(r.stdout).find((l) => l.startsWith('Hostname: '));
      if (h === undefined) {
        expect(r.exitCode).toBe(28);
        lost++;
      } else seen.add(h);
    }
    return { seen: [...seen].sort(), lost };
  };

  it('without them only the webpod on k8s-ctr answers; the others time out', () => {
    const r = hostnames(loadLab(['webpod-3.yaml']));
    expect(r.seen).toEqual(SEED_NO_ROUTES);
    expect(r.lost).toBeGreaterThan(0);
  });

  it('with 172.20.0.0/16 via the router every webpod answers', () => {
    const r = hostnames(loadLab(['webpod-3.yaml', 'pod-routes.yaml']));
    expect(r.seen).toEqual(SEED_ROUTES.map((h) => `Hostname: ${h}`).sort());
    expect(r.lost).toBe(0);
  });
});

describe('seed 002: LB IPAM (kubectl get svc, kubectl get ippool)', () => {
  it('before the patch: the ClusterIP service and the API server\'s `kubernetes`', () => {
    const seed = `NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE
kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP   21h
webpod       ClusterIP   10.96.252.129   <none>        80/TCP    8h`;
    const out = run(loadLab(['webpod-3.yaml']), 'kubectl get svc').stdout;
    expect(noAge(lines(out))).toEqual(noAge(lines(seed)));
  });

  it('the pool alone: 254 available; after the patch 172.16.1.1 and 253', () => {
    const pool = run(labWith(['webpod-3.yaml'], POOL), 'kubectl get ippools').stdout;
    expect(noAge(lines(pool))).toEqual(
      noAge(lines(`NAME          DISABLED   CONFLICTING   IPS AVAILABLE   AGE
cilium-pool   false      False         254             7s`)),
    );
    const c = loadLab(['webpod-3.yaml', 'lb.yaml']);
    expect(noAge(lines(run(c, 'kubectl get ippools').stdout))).toEqual(
      noAge(lines(`NAME          DISABLED   CONFLICTING   IPS AVAILABLE   AGE
cilium-pool   false      False         253             16s`)),
    );
    expect(noAge(lines(run(c, 'kubectl get svc').stdout))).toEqual(
      noAge(lines(`NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE
kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP        21h
webpod       LoadBalancer   10.96.252.129   172.16.1.1    80:31726/TCP   8h`)),
    );
  });

  it('kubectl get svc webpod -o wide, exactly but for AGE', () => {
    const seed = `NAME     TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE    SELECTOR
webpod   LoadBalancer   10.96.252.129   172.16.1.1    80:31726/TCP   2d3h   app=webpod`;
    const out = run(loadLab(['webpod-3.yaml', 'lb.yaml']), 'kubectl get svc', ['webpod', '-o', 'wide']).stdout;
    const norm = (ls: readonly string[]) => ls.map((l) => ws(l).replace(/ \S+ (\S+)$/, ' AGE $1'));
    expect(norm(lines(out))).toEqual(norm(lines(seed)));
    // Columns before AGE line up as printed.
    const at = lines(seed)[0]!.indexOf('AGE');
    expect(lines(out).map((l) => l.slice(0, at))).toEqual(lines(seed).map((l) => l.slice(0, at)));
  });
});

const POOL = `apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: cilium-pool}
spec:
  allowFirstLastIPs: "No"
  blocks:
  - cidr: "172.16.1.0/24"
`;

describe('seed 002: LB IP, eTP=Cluster, webpod on k8s-w1 and k8s-w0', () => {
  const c = loadLab(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']);

  it('cilium-dbg service list: the 172.16.1.1 frontend on every node', () => {
    const seed = `ID   Frontend               Service Type   Backend
...
16   172.16.1.1:80/TCP      LoadBalancer   1 => 172.20.1.76:80/TCP (active)
                                           2 => 172.20.2.68:80/TCP (active)`;
    for (const n of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
      const out = run(c, 'cilium-dbg service list', [], n).stdout;
      expect(lines(out)[0]).toBe(lines(seed)[0]);
      expect(serviceBlock(out, '172.16.1.1:80/TCP')).toEqual(serviceBlock(seed, '172.16.1.1:80/TCP'));
      // Column alignment as printed (the ID column is as wide as the header's).
      expect(lines(out).find((l) => l.includes('172.16.1.1'))!.slice(5)).toBe(lines(seed)[2]!.slice(5));
    }
  });

  it('cilium-dbg bpf lb list | grep 172.16.1.1', () => {
    const seed = `172.16.1.1:80/TCP (1)          172.20.1.76:80/TCP (16) (1)
172.16.1.1:80/TCP (2)          172.20.2.68:80/TCP (16) (2)
172.16.1.1:80/TCP (0)          0.0.0.0:0 (16) (0) [LoadBalancer]                                          `;
    for (const n of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
      expect(lbRows(grep(run(c, 'cilium-dbg bpf lb list', [], n).stdout, '172.16.1.1'))).toEqual(lbRows(lines(seed)));
    }
  });

  it('cilium-dbg bpf ipcache list: the seed ran on k8s-w1 (its own pod has no tunnel endpoint)', () => {
    const seed = `IP PREFIX/ADDRESS   IDENTITY
172.20.1.76/32      identity=28377 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>
172.20.2.68/32      identity=28377 encryptkey=0 tunnelendpoint=192.168.20.100 flags=hastunnel`;
    const out = run(c, 'cilium-dbg bpf ipcache list', [], 'k8s-w1').stdout;
    const got = lines(out).filter((l, i) => i === 0 || /^172\.20\.(1\.76|2\.68)\//.test(l));
    expect(got.map((l) => l.replace(/identity=\d+/, 'identity=ID'))).toEqual(lines(seed).map((l) => l.replace(/identity=\d+/, 'identity=ID')));
    // Both webpods share one identity, as in the seed.
    expect(new Set(got.slice(1).map((l) => /identity=(\d+)/.exec(l)![1])).size).toBe(1);
  });
});

describe('seed 002: ClusterIP advertised, three webpods (172.20.0.103, 172.20.1.80, 172.20.1.81)', () => {
  const base = ['pod-routes.yaml', 'lb.yaml'];
  const before = labWith(base, ...PODS_3, CLUSTERIP_ADVERT, webpodServiceYaml('10.96.252.129', 'Cluster'));
  const after = labWith([...base, 'external-clusterip.yaml'], ...PODS_3, CLUSTERIP_ADVERT, webpodServiceYaml('10.96.252.129', 'Cluster'));

  it('cilium service list', () => {
    // The seed's row is hand-aligned (one space more after the frontend): compared normalised.
    const seed = `ID   Frontend               Service Type   Backend
...
12   10.96.252.129:80/TCP    ClusterIP     1 => 172.20.0.103:80/TCP (active)
                                           2 => 172.20.1.80:80/TCP (active)
                                           3 => 172.20.1.81:80/TCP (active)`;
    const out = run(after, 'cilium service list', [], 'k8s-ctr').stdout;
    expect(serviceBlock(out, '10.96.252.129:80/TCP')).toEqual(serviceBlock(seed, '10.96.252.129:80/TCP'));
  });

  it('bpf lb list: non-routable before bpf.lbExternalClusterIP=true, routable after', () => {
    const seedBefore = `10.96.252.129:80/TCP (0)        0.0.0.0:0 (11) (0) [ClusterIP, non-routable]
10.96.252.129:80/TCP (2)        172.20.1.80:80/TCP (11) (2)
10.96.252.129:80/TCP (1)        172.20.0.103:80/TCP (11) (1)
10.96.252.129:80/TCP (3)        172.20.1.81:80/TCP (11) (3)`;
    const seedAfter = `10.96.252.129:80/TCP (1)        172.20.0.103:80/TCP (12) (1)
10.96.252.129:80/TCP (2)        172.20.1.80:80/TCP (12) (2)
10.96.252.129:80/TCP (0)        0.0.0.0:0 (12) (0) [ClusterIP]
10.96.252.129:80/TCP (3)        172.20.1.81:80/TCP (12) (3)`;
    expect(lbRows(grep(run(before, 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout, '10.96.252.129'))).toEqual(lbRows(lines(seedBefore)));
    expect(lbRows(grep(run(after, 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout, '10.96.252.129'))).toEqual(lbRows(lines(seedAfter)));
  });

  it('the router gets no answer from the ClusterIP before, and the seed answer after', () => {
    const r = run(before, 'curl', ['-s', '--connect-timeout', '1', '10.96.252.129'], 'router');
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(28);
    // The seed's request left the router from 192.168.10.200, entered k8s-ctr and met its local
    // webpod (RemoteAddr = the router). Which member a flow takes is the model's ECMP hash
    // (decision 5; the real one has a per-boot seed): for this destination it sources the
    // connection from eth2's 192.168.20.200, so the source is bound as the seed's was; with the
    // router's L4 hash some source port enters k8s-ctr, and its answer must be the seed's, byte
    // for byte but for the masked fields.
    const seed = `Hostname: webpod-697b545f57-hcqv2
IP: 127.0.0.1
IP: ::1
IP: 172.20.0.103
IP: fe80::7c3e:18ff:fe18:9940
RemoteAddr: 192.168.10.200:48558
GET / HTTP/1.1
Host: 10.96.252.129
User-Agent: curl/8.5.0
Accept: */*`;
    const mask = (t: string) => lines(t).map((l) => l.replace(/^IP: fe80::.*/, 'IP: fe80::X').replace(/^(RemoteAddr: [\d.]+):\d+$/, '$1:PORT'));
    const l4 = labWith([...base, 'external-clusterip.yaml', 'router-hash-l4.yaml'], ...PODS_3, CLUSTERIP_ADVERT, webpodServiceYaml('10.96.252.129', 'Cluster'));
    const answers = new Set<string>();
    for (let p = 40000; p < 40064; p++) {
      const a = run(l4, 'curl', ['-s', '--interface', '192.168.10.200', '--local-port', String(p), '10.96.252.129'], 'router');
      expect(a.exitCode).toBe(0);
      answers.add(mask(a.stdout).join('\n'));
    }
    expect([...answers]).toContain(mask(seed).join('\n'));
  });

  it('internalTrafficPolicy=Local, webpods on k8s-ctr and k8s-w1: k8s-ctr keeps its own backend only', () => {
    const c = labWith([...base, 'external-clusterip.yaml'], ...PODS_2, CLUSTERIP_ADVERT, webpodServiceYaml('10.96.122.24', 'Local'));
    const seedLb = `10.96.122.24:80/TCP (1)          172.20.0.103:80/TCP (12) (1)
10.96.122.24:80/TCP (0)          0.0.0.0:0 (12) (0) [ClusterIP, InternalLocal]`;
    expect(lbRows(grep(run(c, 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout, '10.96.122.24'))).toEqual(lbRows(lines(seedLb)));
    const seedIpcache = `172.20.0.103/32     identity=14076 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>
172.20.1.80/32      identity=14076 encryptkey=0 tunnelendpoint=192.168.10.101 flags=hastunnel`;
    const ipc = lines(run(c, 'cilium-dbg bpf ipcache list', [], 'k8s-ctr').stdout);
    const webpodId = /identity=(\d+)/.exec(ipc.find((l) => l.startsWith('172.20.0.103/'))!)![1]!;
    expect(maskIdentity(ipc.filter((l) => l.includes(`identity=${webpodId} `)))).toEqual(maskIdentity(lines(seedIpcache)));
    expect(ipc.filter((l) => l.includes(`identity=${webpodId} `))).toEqual(lines(seedIpcache).map((l) => l.replace('14076', webpodId)));
  });
});

describe('seed 004: cilium bpf endpoint list (another lab; the layout is compared)', () => {
  const seed = `IP ADDRESS        LOCAL ENDPOINT INFO
172.16.0.196:0    id=3034  sec_id=4     flags=0x0000 ifindex=12  mac=6A:E3:6A:FF:33:E0 nodemac=7E:64:F3:57:23:7D
172.16.0.190:0    (localhost)
172.16.0.7:0      id=788   sec_id=29265 flags=0x0000 ifindex=10  mac=AE:FA:30:78:0C:F9 nodemac=6E:A4:DB:E4:9A:46
172.16.0.251:0    id=663   sec_id=11370 flags=0x0000 ifindex=14  mac=12:52:E3:7E:87:4F nodemac=2E:E6:8A:A2:06:1E
192.168.10.10:0   (localhost)
172.16.0.41:0     id=297   sec_id=29265 flags=0x0000 ifindex=8   mac=D6:BB:72:3B:80:C5 nodemac=26:59:D7:B7:99:68`;
  const MAC = '[0-9A-F]{2}(?::[0-9A-F]{2}){5}';
  const ROW = new RegExp(`^(\\S+:0)( +)(?:\\(localhost\\)|id=(\\d+)( +)sec_id=(\\d+)( +)flags=0x[0-9a-f]{4} ifindex=(\\d+)( +)mac=${MAC} nodemac=${MAC})$`);
  /** The layout rules a text keeps: key column = widest key + 3, id/sec_id `%-5d `, ifindex `%-3d `. */
  function layout(text: string): string[] {
    const [head, ...rows] = lines(text);
    const width = Math.max(...rows.map((r) => r.indexOf(':0 ') + 2), 'IP ADDRESS'.length) + 3;
    const bad: string[] = [];
    if (head !== `${'IP ADDRESS'.padEnd(width)}LOCAL ENDPOINT INFO`) bad.push(`header: ${head}`);
    for (const r of rows) {
      const m = ROW.exec(r);
      if (!m) { bad.push(`row: ${r}`); continue; }
      if (m[1]!.length + m[2]!.length !== width) bad.push(`key column: ${r}`);
      if (m[3] !== undefined) {
        const ok = m[3].length + m[4]!.length === Math.max(6, m[3].length + 1) &&
          m[5]!.length + m[6]!.length === Math.max(6, m[5]!.length + 1) &&
          m[7]!.length + m[8]!.length === Math.max(4, m[7]!.length + 1);
        if (!ok) bad.push(`fields: ${r}`);
      }
    }
    return bad;
  }

  it('the seed and the model follow the same layout', () => {
    expect(layout(seed)).toEqual([]);
    const c = loadLab(['webpod-3.yaml']);
    for (const n of ['k8s-ctr', 'k8s-w1', 'k8s-w0']) {
      const out = run(c, 'cilium-dbg bpf endpoint list', [], n).stdout;
      expect(layout(out)).toEqual([]);
      expect(lines(out).filter((l) => l.includes('(localhost)')).length).toBeGreaterThan(0);
    }
  });
});
