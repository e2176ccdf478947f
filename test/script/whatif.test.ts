import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffFacts, parseFlows, renderWhatIf, whatIf, whatIfFacts, defaultFlows } from '../../src/script/whatif.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { loadLab as loadLabCluster } from '../helpers/lab.js';
import { createTwin, type Twin } from '../../src/twin/twin.js';

const loadLab = (variants: readonly string[]): Twin => createTwin(loadLabCluster(variants));
import { cliEnv } from './helpers.js';

const CLUSTER = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];
const LOCAL = [...CLUSTER, 'etp-local.yaml'];

describe('what-if', () => {
  it('a scenario against itself: nothing changes', () => {
    const c = loadLab(CLUSTER);
    expect(whatIf(c, c)).toEqual([]);
    expect(whatIf(c, loadLab(CLUSTER))).toEqual([]);
    expect(renderWhatIf([])).toBe('no change\n');
  });

  it('the default flows: the router to the LB IP, curl-pod to the ClusterIP', () => {
    expect(defaultFlows(loadLab(CLUSTER))).toEqual([
      // the API server's own default/kubernetes service (the workloads stage makes it)
      { from: 'default/curl-pod', dst: '10.96.0.1', dport: 443, protocol: 'TCP' },
      { from: 'default/curl-pod', dst: '10.96.252.129', dport: 80, protocol: 'TCP' },
      { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' },
    ]);
  });

  it('eTP Cluster → Local: k8s-ctr withdraws the LB IP, the router drops its next hop, the backend sees the client', () => {
    const changes = whatIf(loadLab(CLUSTER), loadLab(LOCAL));
    expect(changes).toContainEqual({ stage: 'bgp-advertisements', where: 'k8s-ctr 172.16.1.1/32', kind: 'removed', before: 'advertised to 192.168.10.200', after: null });
    expect(changes.filter((c) => c.stage === 'bgp-advertisements')).toHaveLength(1);
    expect(changes).toContainEqual({
      stage: 'bgp-best-paths',
      where: 'router 172.16.1.1/32',
      kind: 'changed',
      before: 'best via 192.168.10.100 (Router ID); multipath 192.168.10.100, 192.168.10.101, 192.168.20.100',
      after: 'best via 192.168.10.101 (Router ID); multipath 192.168.10.101, 192.168.20.100',
    });
    const fib = changes.find((c) => c.stage === 'fib' && c.where === 'router 172.16.1.1/32 metric 20');
    expect(fib?.before).toContain('nexthop via 192.168.10.100 dev eth1');
    expect(fib?.after).not.toContain('192.168.10.100');
    expect(changes).toContainEqual({ stage: 'flows', where: 'router → 172.16.1.1:80/TCP seen source', kind: 'changed', before: '192.168.10.100', after: '192.168.10.200' });
    expect(changes).toContainEqual({ stage: 'flows', where: 'router → 172.16.1.1:80/TCP entry node', kind: 'changed', before: 'k8s-ctr', after: 'k8s-w1' });
    // the ClusterIP is one scope: curl-pod's flow does not change
    expect(changes.filter((c) => c.where.startsWith('default/curl-pod'))).toEqual([]);
    expect(changes.filter((c) => c.stage === 'lb-ipam')).toEqual([]);
  });

  it('diffFacts: added, removed, changed, in stage order', () => {
    expect(
      diffFacts(
        [
          { stage: 'flows', where: 'f', value: '1' },
          { stage: 'fib', where: 'r a', value: 'x' },
        ],
        [
          { stage: 'fib', where: 'r b', value: 'y' },
          { stage: 'flows', where: 'f', value: '2' },
        ],
      ),
    ).toEqual([
      { stage: 'fib', where: 'r a', kind: 'removed', before: 'x', after: null },
      { stage: 'fib', where: 'r b', kind: 'added', before: null, after: 'y' },
      { stage: 'flows', where: 'f', kind: 'changed', before: '1', after: '2' },
    ]);
  });

  it('flows files', () => {
    expect(parseFlows('# sample\nrouter 172.16.1.1:80\ncurl-pod 10.96.252.129:53/udp 40001\n')).toEqual({
      ok: true,
      flows: [
        { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' },
        { from: 'curl-pod', dst: '10.96.252.129', dport: 53, protocol: 'UDP', sport: 40001 },
      ],
    });
    expect(parseFlows('router 172.16.1.1\n')).toMatchObject({ ok: false, error: expect.stringMatching(/^line 1: expected/) });
  });

  it('facts are one line each and name their place', () => {
    const facts = whatIfFacts(loadLab(CLUSTER));
    expect(facts.every((f) => !f.value.includes('\n'))).toBe(true);
    expect(facts.find((f) => f.stage === 'lb-ipam')).toEqual({ stage: 'lb-ipam', where: 'default/webpod', value: '172.16.1.1' });
  });
});

describe('cilium-twin diff', () => {
  const v = (f: string): string => `examples/bgp-lab/variants/${f}`;
  const side = (flag: string, variants: readonly string[]): string[] => [flag, 'examples/bgp-lab/lab', ...variants.flatMap((x) => [flag, v(x)])];

  it('prints the changes stage by stage, and -o json', () => {
    const r = runCli(['diff', ...side('--from', CLUSTER), ...side('--to', LOCAL)], cliEnv(), commands);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('BGP advertisements (per node):\n  - k8s-ctr 172.16.1.1/32: advertised to 192.168.10.200\n');
    expect(r.stdout).toContain('  ~ router → 172.16.1.1:80/TCP seen source: 192.168.10.100 → 192.168.10.200\n');
    const j = runCli(['-o', 'json', 'diff', ...side('--from', CLUSTER), ...side('--to', LOCAL)], cliEnv(), commands);
    const parsed = JSON.parse(j.stdout) as { changes: { stage: string; kind: string }[] };
    expect(parsed.changes.length).toBeGreaterThan(5);
    expect(Object.keys(parsed.changes[0]!).sort()).toEqual(['after', 'before', 'kind', 'stage', 'where']);
    const same = runCli(['diff', ...side('--from', CLUSTER), ...side('--to', CLUSTER), '-o', 'json'], cliEnv(), commands);
    expect(same.stdout).toBe('{\n  "changes": []\n}\n');
  });

  it('takes two points of a script', () => {
    const script = 'examples/scripts/etp-local.script';
    const at = readFileSync(script, 'utf8').split('\n').findIndex((l) => l.startsWith('$ kubectl patch service webpod')) + 1;
    const r = runCli(['-o', 'json', 'diff', '--from', `${script}:${at - 1}`, '--to', `${script}:${at}`], cliEnv(), commands);
    expect(r.stderr ?? '').toBe('');
    const changes = (JSON.parse(r.stdout) as { changes: { stage: string; where: string; kind: string }[] }).changes;
    expect(changes).toContainEqual(expect.objectContaining({ stage: 'bgp-advertisements', where: 'k8s-ctr 172.16.1.1/32', kind: 'removed' }));
  });

  it('takes a flow sample with --flows', () => {
    const r = runCli(['-o', 'json', 'diff', ...side('--from', CLUSTER), ...side('--to', LOCAL), '--flows', 'examples/scripts/flows.txt'], cliEnv(), commands);
    const changes = (JSON.parse(r.stdout) as { changes: { stage: string; where: string; after: string | null }[] }).changes.filter((c) => c.stage === 'flows');
    expect(changes.filter((c) => c.where.endsWith('seen source')).map((c) => [c.where, c.after])).toEqual([
      ['router → 172.16.1.1:80/TCP seen source', '192.168.10.200'],
      ['router → 172.16.1.1:80/TCP sport 40001 seen source', '192.168.10.200'],
      ['router → 172.16.1.1:80/TCP sport 40002 seen source', '192.168.10.200'],
    ]);
    expect(runCli(['diff', '--from', 'examples/bgp-lab/lab', '--to', 'examples/bgp-lab/lab', '--flows', 'examples/bgp-lab/README.md'], cliEnv(), commands)).toMatchObject({ exitCode: 2 });
  });

  it('says what is wrong with its command line', () => {
    expect(runCli(['diff', '--from', 'examples/bgp-lab/lab'], cliEnv(), commands)).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^diff: give --from and --to/) });
    expect(runCli(['diff', '--from', 'nope/', '--to', 'examples/bgp-lab/lab'], cliEnv(), commands)).toMatchObject({ exitCode: 2 });
  });
});
