/**
 * Laziness must not leak (issue 10): a twin computes each host's, node's and pod's share on
 * first use, so the same question has to give the same output whatever was asked before on the
 * same twin. Each question's answer on a fresh twin is the reference; the questions are then
 * asked in several orders on one twin each, and every answer is compared.
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { labFiles } from '../helpers/lab.js';
import { loadScenario, type ScenarioFile } from '../../src/twin/load.js';
import type { Twin } from '../../src/twin/twin.js';
import { commands } from '../../src/cli/commands/index.js';
import { findCommand } from '../../src/cli/run.js';
import { traceJson } from '../../src/packet/trace.js';
import { scaleScenario } from '../../bench/cluster.js';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The YAML files of example paths (a directory: its files in order), as `-f` reads them. */
function exampleFiles(paths: readonly string[]): ScenarioFile[] {
  return paths.flatMap((p) => {
    const full = join(__dirname, '../../examples', p);
    const files = statSync(full).isDirectory() ? readdirSync(full).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(full, f)) : [full];
    return files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  });
}

interface Question {
  readonly name: string;
  ask(twin: Twin): string;
}

/** A CLI command on a given twin (inside `host` when given), as the dispatcher runs it. */
function command(words: readonly string[], host?: string): Question {
  return {
    name: `${host !== undefined ? `exec ${host} -- ` : ''}${words.join(' ')}`,
    ask(twin) {
      const found = findCommand(commands, words, host !== undefined ? 'host' : 'cluster');
      if (found === undefined) throw new Error(`no command ${words.join(' ')}`);
      const r = found.command.run({ twin, cluster: twin.cluster, args: found.rest, json: false, ...(host !== undefined ? { host } : {}) });
      return `${r.exitCode}\n${r.stdout}${r.stderr ?? ''}`;
    },
  };
}

function traced(from: string, dst: string, dport: number): Question {
  return { name: `trace ${from} ${dst}:${dport}`, ask: (twin) => JSON.stringify(traceJson(twin.trace({ from, dst, dport }))) };
}

function load(files: readonly ScenarioFile[]): Twin {
  const r = loadScenario(files);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
  return r.right;
}

/** A fixed permutation of `n` items (a small LCG: the same orders on every run). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function checkOrders(files: readonly ScenarioFile[], questions: readonly Question[]): void {
  const alone = new Map(questions.map((q) => [q.name, q.ask(load(files))] as const));
  // a question must answer something (a mistyped one would compare errors with errors)
  for (const [name, answer] of alone) expect(answer.startsWith('0\n') || answer.startsWith('{'), name).toBe(true);
  const orders = [questions, [...questions].reverse(), shuffled(questions, 1), shuffled(questions, 7), shuffled(questions, 42)];
  for (const order of orders) {
    const twin = load(files);
    for (const q of order) expect(q.ask(twin), `${q.name} after ${order.map((x) => x.name).join(', ')}`).toBe(alone.get(q.name));
  }
}

describe('the same question gives the same answer whatever was asked before', () => {
  it('on the bgp-lab with LB IPAM', () => {
    checkOrders(labFiles(['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']), [
      command(['ip', 'route'], 'router'),
      command(['ip', 'route'], 'k8s-w1'),
      command(['vtysh', '-c', 'show ip bgp'], 'router'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'k8s-w1'),
      command(['cilium-dbg', 'bgp', 'route-policies'], 'k8s-w1'),
      command(['cilium', 'bgp', 'routes']),
      command(['kubectl', 'get', 'pods', '-A', '-o', 'wide']),
      traced('router', '172.16.1.1', 80),
      traced('default/curl-pod', '10.96.252.129', 80),
      traced('curl-pod', '172.16.1.1', 80),
      // tracefast: identities, endpoints, the rev-NAT map and the service list read the same tables
      command(['cilium-dbg', 'identity', 'list'], 'k8s-w1'),
      command(['cilium-dbg', 'endpoint', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'bpf', 'lb', 'list', '--revnat'], 'k8s-w1'),
      command(['cilium-dbg', 'service', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'bpf', 'ipcache', 'list'], 'k8s-w1'),
    ]);
  });

  // entry6: one address's LB rows (not the node's whole maps) and pod identities one at a time
  it('on the service-features source ranges (rows at one address, whole maps, identities)', () => {
    const lab = ['bgp-lab/lab', 'bgp-lab/variants/webpod-3.yaml', 'bgp-lab/variants/lb.yaml', 'bgp-lab/variants/pod-routes.yaml'];
    checkOrders(exampleFiles([...lab, 'service-features/variants/source-ranges.yaml']), [
      traced('router', '172.16.1.1', 80),
      traced('curl-pod', '10.96.252.129', 80),
      command(['cilium-dbg', 'bpf', 'lb', 'list', '--source-ranges'], 'k8s-ctr'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'k8s-w1'),
      command(['cilium-dbg', 'service', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'identity', 'list'], 'k8s-w1'),
    ]);
  });

  it('on the policy example (identities and address identities answered lazily)', () => {
    checkOrders(exampleFiles(['bgp-lab/lab', 'bgp-lab/variants/pod-routes.yaml', 'policy/scenario', 'policy/policies']), [
      traced('x/c', '172.20.0.10', 80),
      traced('z/b', '172.20.0.10', 80),
      command(['cilium-dbg', 'identity', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'endpoint', 'list'], 'k8s-w1'),
      command(['cilium-dbg', 'bpf', 'ipcache', 'list'], 'k8s-ctr'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'k8s-ctr'),
    ]);
  });

  it('on a generated 12-node cluster (BGP on every node, LB IPs, 240 pods)', () => {
    const files = scaleScenario(12).map((f) => ({ file: f.file, text: f.text }));
    checkOrders(files, [
      command(['ip', 'route'], 'router'),
      command(['ip', 'route'], 'node-3'),
      command(['vtysh', '-c', 'show ip bgp summary'], 'router'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'node-0'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'node-7'),
      command(['cilium', 'bgp', 'routes']),
      traced('router', '172.16.0.1', 80),
      traced('ns-1/svc-1-0', '10.96.0.1', 80),
      traced('svc-3-2', '10.96.0.3', 80),
      traced('router', '192.168.0.15', 30000),
      traced('node-2', '10.96.0.4', 80),
      command(['cilium-dbg', 'identity', 'list'], 'node-5'),
      command(['cilium-dbg', 'service', 'list'], 'node-5'),
      // entry6: the entry node's whole maps after (or before) the trace read one address of them
      command(['cilium-dbg', 'bpf', 'lb', 'list', '--revnat'], 'node-2'),
      command(['cilium-dbg', 'bpf', 'lb', 'list'], 'node-10'),
      traced('router', '172.16.0.2', 80),
    ]);
  });
});
