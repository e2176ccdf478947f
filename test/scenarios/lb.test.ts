/**
 * bgp-lab observations 4, 9 and 10 (shared/scenarios/bgp-lab/README.md) for LB IPAM and the
 * BPF LB maps, and the seed outputs of `kubectl get svc`, `kubectl get ippool`,
 * `cilium-dbg service list` and `cilium-dbg bpf lb list`.
 */
import { describe, it, expect } from 'vitest';
import { loadLab } from '../helpers/lab.js';
import { allocateLbIps, lbIpsOf } from '../../src/ipam/index.js';
import { nodeLbMaps } from '../../src/datapath/lb/maps.js';
import { formatIp } from '../../src/net/addr.js';
import { commands } from '../../src/cli/commands/index.js';
import type { Cluster } from '../../src/cluster/types.js';

const NODES = ['k8s-ctr', 'k8s-w1', 'k8s-w0'];

function run(cluster: Cluster, path: string, args: string[] = [], host?: string) {
  const cmd = commands.find((c) => c.path.join(' ') === path || c.aliases?.some((a) => a.join(' ') === path));
  if (!cmd) throw new Error(`no command ${path}`);
  return cmd.run({ cluster, args, json: false, ...(host !== undefined ? { host } : {}) });
}

function rowsFor(text: string, prefix: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.trimEnd());
}

describe('observation 4: LB IPAM', () => {
  const cluster = loadLab(['webpod-3.yaml', 'lb.yaml']);
  const ipam = allocateLbIps(cluster);

  it('the service gets 172.16.1.1; the pool has 254 usable addresses and 253 left', () => {
    expect(lbIpsOf(ipam, 'default', 'webpod').map(formatIp)).toEqual(['172.16.1.1']);
    const pool = ipam.pools.find((p) => p.name === 'cilium-pool')!;
    expect(pool.total - 2n).toBe(254n);
    expect(pool.available).toBe(253n);
  });

  it('a pool alone shows 254 available, as the lab printed right after creating it', () => {
    const before = loadLab(['webpod-3.yaml', 'lb.yaml']);
    const noLb: Cluster = {
      ...before,
      scenario: { ...before.scenario, services: before.scenario.services.map((s) => ({ ...s, type: 'ClusterIP' as const })) },
    };
    expect(run(noLb, 'kubectl get ippool').stdout.split('\n')[1]).toMatch(/^cilium-pool   false      False         254 /);
  });

  it('kubectl get ippool and get svc print the seed rows', () => {
    const pools = run(cluster, 'kubectl get ippool').stdout.split('\n');
    expect(pools[0]).toBe('NAME          DISABLED   CONFLICTING   IPS AVAILABLE   AGE');
    expect(pools[1]).toMatch(/^cilium-pool   false      False         253             /);
    const svc = run(cluster, 'kubectl get svc', ['webpod', '-o', 'wide']).stdout.split('\n');
    expect(svc[0]).toMatch(/^NAME     TYPE           CLUSTER-IP      EXTERNAL-IP   PORT\(S\)        AGE +SELECTOR$/);
    expect(svc[1]).toMatch(/^webpod   LoadBalancer   10\.96\.252\.129   172\.16\.1\.1    80:31726\/TCP   \S+ +app=webpod$/);
  });

  it('the service is satisfied with Cilium\'s condition', () => {
    expect(ipam.services[0]!.condition).toMatchObject({ type: 'cilium.io/IPAMRequestSatisfied', status: 'True', reason: 'satisfied' });
  });
});

describe('observation 9: ClusterIP flags', () => {
  it('[ClusterIP, non-routable] by default, [ClusterIP] with bpf.lbExternalClusterIP', () => {
    const plain = run(loadLab(['webpod-3.yaml']), 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout;
    expect(rowsFor(plain, '10.96.252.129:80/TCP (0)')[0]).toMatch(/^10\.96\.252\.129:80\/TCP \(0\) +0\.0\.0\.0:0 \(\d+\) \(0\) \[ClusterIP, non-routable\]$/);
    const ext = run(loadLab(['webpod-3.yaml', 'external-clusterip.yaml']), 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout;
    expect(rowsFor(ext, '10.96.252.129:80/TCP (0)')[0]).toMatch(/^10\.96\.252\.129:80\/TCP \(0\) +0\.0\.0\.0:0 \(\d+\) \(0\) \[ClusterIP\]$/);
    expect(rowsFor(ext, '10.96.252.129:80/TCP (')).toHaveLength(4);
  });

  it('[ClusterIP, InternalLocal] with internalTrafficPolicy Local: only the local backend', () => {
    const cluster = loadLab(['webpod-3.yaml', 'pod-routes.yaml', 'clusterip-itp-local.yaml', 'external-clusterip.yaml']);
    const local: Record<string, string> = { 'k8s-ctr': '172.20.0.28', 'k8s-w1': '172.20.1.76', 'k8s-w0': '172.20.2.68' };
    for (const node of NODES) {
      const text = run(cluster, 'cilium-dbg bpf lb list', [], node).stdout;
      const rows = rowsFor(text, '10.96.252.129:80/TCP (');
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.includes('(0) 0.0.0.0:0') || /\(0\) +0\.0\.0\.0:0/.test(r))).toMatch(/\[ClusterIP, InternalLocal\]$/);
      expect(rows.find((r) => r.startsWith('10.96.252.129:80/TCP (1)'))).toContain(`${local[node]}:80/TCP`);
    }
  });
});

describe('observation 10: DSR with Geneve and Maglev', () => {
  const cluster = loadLab(['dsr-maglev.yaml', 'lb.yaml', 'webpod-2.yaml', 'pod-routes.yaml']);
  const ipam = allocateLbIps(cluster);

  it('every node computes the same Maglev table (M=16381) for the LB frontend', () => {
    const tables = NODES.map((n) => {
      const lb = nodeLbMaps(cluster, ipam, n).frontends.find((f) => f.type === 'LoadBalancer')!;
      expect(lb.flagNames).toEqual(['LoadBalancer', 'dsr']);
      expect(lb.maglev).toBeDefined();
      return lb.maglev!;
    });
    expect(tables[0]!.length).toBe(16381);
    expect(Array.from(tables[1]!)).toEqual(Array.from(tables[0]!));
    expect(Array.from(tables[2]!)).toEqual(Array.from(tables[0]!));
    const counts = new Map<number, number>();
    for (const id of tables[0]!) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([8190, 8191]);
  });

  it('cilium-dbg bpf lb maglev get prints the same table on every node', () => {
    const outs = NODES.map((n) => {
      const id = nodeLbMaps(cluster, ipam, n).frontends.find((f) => f.type === 'LoadBalancer')!.id;
      const r = run(cluster, 'cilium-dbg bpf lb maglev get', [String(id)], n);
      expect(r.exitCode).toBe(0);
      return r.stdout.replace(/\[\d+\]\/v4/, '[ID]/v4');
    });
    expect(outs[0]).toMatch(/^SVC ID +LOOKUP TABLE +\n\[ID\]\/v4 +\[(\d+ ){16380}\d+\] +\n$/);
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
  });

  it('no table for the NodePort surrogate or the ClusterIP', () => {
    const maps = nodeLbMaps(cluster, ipam, 'k8s-ctr');
    for (const f of maps.frontends.filter((x) => x.surrogate || x.type === 'ClusterIP')) {
      const r = run(cluster, 'cilium-dbg bpf lb maglev get', [String(f.id)], 'k8s-ctr');
      expect(r.stderr).toBe(`Error: No entry found for service ${f.id}\n`);
    }
  });
});

describe('seed formats (lb.yaml + webpod-2 on k8s-ctr)', () => {
  const cluster = loadLab(['webpod-2.yaml', 'lb.yaml']);

  it('cilium-dbg service list matches the seed rows up to the ID', () => {
    const out = run(cluster, 'cilium-dbg service list', [], 'k8s-ctr').stdout.split('\n').map((l) => l.trimEnd());
    expect(out[0]).toBe('ID   Frontend               Service Type   Backend');
    const i = out.findIndex((l) => l.includes('172.16.1.1:80/TCP'));
    expect(out[i]!.replace(/^\d+ +/, '')).toBe('172.16.1.1:80/TCP      LoadBalancer   1 => 172.20.1.76:80/TCP (active)');
    expect(out[i]!.match(/^\d+ +/)![0]).toHaveLength(5);
    expect(out[i + 1]).toBe('                                           2 => 172.20.2.68:80/TCP (active)');
  });

  it('cilium-dbg bpf lb list matches the seed rows up to the rev-NAT ID', () => {
    const out = run(cluster, 'cilium-dbg bpf lb list', [], 'k8s-ctr').stdout;
    const norm = (l: string) => l.replace(/\((\d+)\) \((\d+)\)/, '(N) ($2)').trimEnd();
    const rows = rowsFor(out, '172.16.1.1').map(norm);
    expect(rows).toEqual([
      '172.16.1.1:80/TCP (0)          0.0.0.0:0 (N) (0) [LoadBalancer]',
      '172.16.1.1:80/TCP (1)          172.20.1.76:80/TCP (N) (1)',
      '172.16.1.1:80/TCP (2)          172.20.2.68:80/TCP (N) (2)',
    ]);
  });
});
