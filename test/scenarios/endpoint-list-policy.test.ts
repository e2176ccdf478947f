/**
 * `exec NODE -- cilium-dbg endpoint list`: the per-endpoint policy enforcement comes from the
 * policy stage and the identity from the identity table (Cilium 1.18 layout; `-o json` kept).
 */
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
const L = ['-f', 'examples/bgp-lab/lab', '-f', 'examples/bgp-lab/variants/pod-routes.yaml', '-f', 'examples/policy/scenario', '-f', 'examples/policy/policies/knp-x-a-from-b.yaml'];

interface Row { id: number; ingress: boolean; egress: boolean; identity: number; labels: string[]; pod?: string }

/** The `-o json` rows and the text of `cilium-dbg endpoint list` on every node, for the given `--set`s. */
function endpoints(sets: string[]): { rows: Row[]; text: string }[] {
  return ['k8s-ctr', 'k8s-w1', 'k8s-w0'].map((n) => {
    const j = runCli([...L, ...sets, 'exec', n, '--', 'cilium-dbg', 'endpoint', 'list', '-o', 'json'], env, commands);
    const t = runCli([...L, ...sets, 'exec', n, '--', 'cilium-dbg', 'endpoint', 'list'], env, commands);
    expect(j.exitCode ?? 0).toBe(0);
    expect(t.exitCode ?? 0).toBe(0);
    return { rows: JSON.parse(j.stdout) as Row[], text: t.stdout };
  });
}

/** The text row of an endpoint ID: its columns split on runs of 3+ spaces. */
function textRow(text: string, id: number): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${id} `));
  expect(line).toBeDefined();
  return line!.trim().split(/ {3,}/);
}

describe('cilium-dbg endpoint list: policy enforcement per endpoint', () => {
  it('x/a, selected by an ingress-only NetworkPolicy: ingress Enabled, egress Disabled; others Disabled', () => {
    const all = endpoints([]);
    const node = all.find((e) => e.rows.some((r) => r.pod === 'x/a'))!;
    const a = node.rows.find((r) => r.pod === 'x/a')!;
    expect([a.ingress, a.egress]).toEqual([true, false]);
    const cols = textRow(node.text, a.id);
    expect(cols.slice(0, 4)).toEqual([String(a.id), 'Enabled', 'Disabled', String(a.identity)]);
    expect(a.identity).toBeGreaterThanOrEqual(256);
    expect(a.labels).toContain('k8s:io.kubernetes.pod.namespace=x');
    const b = all.flatMap((e) => e.rows).find((r) => r.pod === 'x/b')!;
    expect([b.ingress, b.egress]).toEqual([false, false]);
    const lines = node.text.split('\n');
    expect(lines[0]).toMatch(/^ENDPOINT {3}POLICY \(ingress\) {3}POLICY \(egress\) {3}IDENTITY {3}LABELS \(source:key\[=value\]\) {3,}IPv6 {3}IPv4 +STATUS$/);
    expect(lines[1]).toMatch(/^ {11}ENFORCEMENT {8}ENFORCEMENT\s*$/);
  });

  it('policy-enforcement=always: every pod endpoint Enabled both ways', () => {
    const all = endpoints(['--set', 'enable-policy=always']);
    const node = all.find((e) => e.rows.some((r) => r.pod === 'x/a'))!;
    const a = node.rows.find((r) => r.pod === 'x/a')!;
    expect(textRow(node.text, a.id).slice(1, 3)).toEqual(['Enabled', 'Enabled']);
    for (const r of all.flatMap((e) => e.rows).filter((x) => x.pod !== undefined)) expect([r.pod, r.ingress, r.egress]).toEqual([r.pod, true, true]);
  });
});
