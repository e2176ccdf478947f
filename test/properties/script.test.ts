/**
 * Properties of scripts and what-if (issue 17):
 * - running a script's changes then a question equals the question on the edited files
 *   (model-based: a model of the lab's knobs, written as YAML files by hand, against the script);
 * - diff of a scenario with itself is empty (generated scenarios);
 * - --update followed by a run passes (generated scripts);
 * - a change and its inverse bring every answer back (sequences of change/inverse pairs).
 *
 * Runs: SCRIPT_RUNS (default 1000). Each run is kept cheap: one twin per change, a few questions.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parseYamlFiles } from '../../src/input/decode.js';
import { loadScenario } from '../../src/twin/load.js';
import { scenarioArbitrary } from '../../src/arbitraries/index.js';
import { normalizeDocuments, type Documents } from '../../src/script/documents.js';
import { whatIf } from '../../src/script/whatif.js';
import { askTwin, loadDocuments } from '../../src/cli/commands/script.js';
import { commands } from '../../src/cli/commands/index.js';
import type { Twin } from '../../src/twin/twin.js';
import { labFiles } from '../helpers/lab.js';
import { labDocuments, run } from '../script/helpers.js';

const RUNS = Number(process.env.SCRIPT_RUNS ?? 1000);

const NODES = [
  { name: 'k8s-ctr', cidr: '172.20.0.0/24', ip: '192.168.10.100', cp: true },
  { name: 'k8s-w1', cidr: '172.20.1.0/24', ip: '192.168.10.101', cp: false },
  { name: 'k8s-w0', cidr: '172.20.2.0/24', ip: '192.168.20.100', cp: false },
] as const;

const VARIANTS = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];
const BASE_DOCS = labDocuments(VARIANTS);
const ROUTER_FRR = (BASE_DOCS.find((d) => (d.value as { kind?: string; metadata?: { name?: string } }).kind === 'Host' && (d.value as { metadata: { name: string } }).metadata.name === 'router')!.value as {
  spec: { frr: string };
}).spec.frr;

/** What the model knows: the knobs the script changes. */
interface Model {
  bgp: Record<string, boolean>;
  etp: 'Cluster' | 'Local';
  /** Unset until a script writes it. */
  hashPolicy?: 0 | 1;
  maxPaths: number;
  lbMode: 'snat' | 'dsr';
}

const INITIAL: Model = { bgp: { 'k8s-ctr': true, 'k8s-w1': true, 'k8s-w0': true }, etp: 'Cluster', maxPaths: 4, lbMode: 'snat' };

/** The model as YAML files written by hand, layered on the lab as a user would with -f. */
function modelFiles(m: Model): { file: string; text: string }[] {
  const nodes = NODES.map(
    (n) => `apiVersion: v1
kind: Node
metadata:
  name: ${n.name}
  labels:
    kubernetes.io/hostname: ${n.name}
${n.cp ? '    node-role.kubernetes.io/control-plane: ""\n' : ''}${m.bgp[n.name] ? '    enable-bgp: "true"\n' : ''}spec:
  podCIDR: ${n.cidr}
  podCIDRs: [${n.cidr}]
status:
  addresses:
    - {type: InternalIP, address: ${n.ip}}
    - {type: Hostname, address: ${n.name}}
`,
  ).join('---\n');
  const svc = `apiVersion: v1
kind: Service
metadata: {name: webpod, namespace: default, labels: {app: webpod}}
spec:
  type: LoadBalancer
  clusterIP: 10.96.252.129
  clusterIPs: [10.96.252.129]
  externalTrafficPolicy: ${m.etp}
  internalTrafficPolicy: Cluster
  selector: {app: webpod}
  ports:
    - {name: http, port: 80, targetPort: 80, nodePort: 31726, protocol: TCP}
`;
  const frr = ROUTER_FRR.replace(/maximum-paths \d+/, `maximum-paths ${m.maxPaths}`)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  const router = `apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: router}
spec:
  interfaces:
    - {name: eth0, addresses: ["10.0.2.15/24"]}
    - {name: eth1, addresses: ["192.168.10.200/24"]}
    - {name: eth2, addresses: ["192.168.20.200/24"]}
    - {name: loop1, addresses: ["10.10.1.200/24"]}
    - {name: loop2, addresses: ["10.10.2.200/24"]}
${m.hashPolicy !== undefined ? `  sysctl:\n    net.ipv4.fib_multipath_hash_policy: "${m.hashPolicy}"\n` : ''}  routes: |
    default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
  frr: |
${frr}
`;
  return [...labFiles(VARIANTS), { file: 'model.yaml', text: [nodes, svc, router].join('---\n') }];
}

function modelTwin(m: Model): Twin {
  const d = loadScenario(modelFiles(m), { set: m.lbMode === 'dsr' ? { 'bpf-lb-mode': 'dsr', 'routing-mode': 'native', 'tunnel-protocol': 'geneve', 'bpf-lb-dsr-dispatch': 'geneve' } : {} });
  if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'));
  return d.right;
}

const QUESTIONS = [
  ['exec', 'router', '--', 'ip', 'route'],
  ['cilium', 'bgp', 'routes', 'advertised', 'ipv4', 'unicast'],
  ['exec', 'k8s-w1', '--', 'cilium-dbg', 'bpf', 'lb', 'list'],
  ['exec', 'router', '--', 'vtysh', '-c', 'show ip bgp 172.16.1.1/32'],
];

function answers(c: Twin): string[] {
  return QUESTIONS.map((q) => {
    const r = askTwin(c, q, commands);
    return `${r.exitCode}\n${r.stdout}${r.stderr ?? ''}`;
  });
}

/** A change: its script line and its effect on the model (undefined when not applicable). */
type Change = { line: string; apply: (m: Model) => Model | undefined };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.constantFrom(...NODES.map((n) => n.name)).map((node) => ({
    line: `kubectl label nodes ${node} enable-bgp-`,
    apply: (m: Model) => (m.bgp[node] ? { ...m, bgp: { ...m.bgp, [node]: false } } : undefined),
  })),
  fc.constantFrom(...NODES.map((n) => n.name)).map((node) => ({
    line: `kubectl label nodes ${node} enable-bgp=true`,
    apply: (m: Model) => (!m.bgp[node] ? { ...m, bgp: { ...m.bgp, [node]: true } } : undefined),
  })),
  fc.constantFrom('Cluster' as const, 'Local' as const).map((etp) => ({
    line: `kubectl patch svc webpod -p '{"spec":{"externalTrafficPolicy":"${etp}"}}'`,
    apply: (m: Model) => ({ ...m, etp }),
  })),
  fc.constantFrom(0 as const, 1 as const).map((p) => ({
    line: `exec router -- sysctl -w net.ipv4.fib_multipath_hash_policy=${p}`,
    apply: (m: Model) => ({ ...m, hashPolicy: p }),
  })),
  fc.constantFrom(1, 2, 4).map((n) => ({
    line: `exec router -- vtysh -c 'conf t' -c 'router bgp 65000' -c 'maximum-paths ${n}'`,
    apply: (m: Model) => ({ ...m, maxPaths: n }),
  })),
);

describe('scripts and what-if: properties', () => {
  test.prop([fc.array(changeArb, { minLength: 1, maxLength: 4 })], { numRuns: RUNS })(
    "a script's changes then a question equal the question on the edited files",
    (changes) => {
      let m = INITIAL;
      const lines: string[] = [];
      for (const c of changes) {
        const next = c.apply(m);
        if (next === undefined) continue;
        m = next;
        lines.push(`$ ${c.line}`);
      }
      const r = run(lines.join('\n'), BASE_DOCS);
      expect(r.stderr).toBe('');
      const scripted = loadDocuments(r.documents, {});
      if (!scripted.ok) throw new Error(scripted.errors);
      const edited = modelTwin(m);
      expect(scripted.state.cluster.scenario).toEqual(edited.cluster.scenario);
      expect(answers(scripted.state)).toEqual(answers(edited));
    },
  );

  const small = { nodes: { min: 1, max: 3 }, subnets: { min: 1, max: 2 }, routers: { min: 1, max: 1 }, services: { min: 1, max: 2 }, podsPerService: { min: 0, max: 2 }, clients: { min: 0, max: 1 } };
  test.prop([scenarioArbitrary(small)], { numRuns: Math.max(1, Math.floor(RUNS / 4)) })('diff of a scenario with itself is empty', (s) => {
    const docs: Documents = s.documents.map((value, i) => ({ file: 'gen.yaml', index: i + 1, value }));
    const a = loadDocuments(docs, {});
    const b = loadDocuments([...docs].reverse(), {});
    if (!a.ok || !b.ok) throw new Error('generated scenario refused');
    expect(whatIf(a.state, b.state)).toEqual([]);
  });

  const QUESTION_LINES = [
    'kubectl get svc',
    'exec router -- ip route | grep bgp',
    "exec router -- vtysh -c 'show ip bgp' | grep -c 65001",
    'cilium bgp routes | sort | uniq -c',
    "exec k8s-ctr -- cilium-dbg bpf lb list | awk '{print $1}' | sort -u | head -3",
    "exec router -- vtysh -c 'show ip bgp 172.16.1.1/32' | grep -E 'Paths|from'",
    'exec router -- sysctl net.ipv4.fib_multipath_hash_policy',
    'exec k8s-w1 -- cilium-dbg service list | grep -A1 172.16.1.1',
  ];
  const lineArb = fc.oneof(
    changeArb.map((c) => `$ ${c.line.replace('enable-bgp=true', 'enable-bgp=true --overwrite')}`),
    fc.constantFrom(...QUESTION_LINES).map((q) => `$ ${q}`),
    fc.tuple(fc.constantFrom(...QUESTION_LINES), fc.constantFrom('stale', '# match: .*', '')).map(([q, e]) => `$ ${q}\n${e}`),
    fc.constantFrom('# a comment', ''),
  );
  test.prop([fc.array(lineArb, { minLength: 1, maxLength: 6 })], { numRuns: Math.max(1, Math.floor(RUNS / 4)) })('--update then run passes', (lines) => {
    const text = `${lines.join('\n')}\n`;
    const u = run(text, BASE_DOCS, { update: true });
    expect(u.stderr).toBe('');
    expect(u.updated).toBeDefined();
    const again = run(u.updated!, BASE_DOCS);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    // and a second update changes nothing
    expect(run(u.updated!, BASE_DOCS, { update: true }).updated).toBe(u.updated);
  });

  const pairs: [string, string][] = [
    ['kubectl label nodes k8s-w0 enable-bgp-', 'kubectl label nodes k8s-w0 enable-bgp=true'],
    ['kubectl label nodes k8s-ctr rack=r1', 'kubectl label nodes k8s-ctr rack-'],
    ['kubectl annotate svc webpod a=b', 'kubectl annotate svc webpod a-'],
    ['kubectl patch svc webpod -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'', 'kubectl patch svc webpod -p \'{"spec":{"externalTrafficPolicy":"Cluster"}}\''],
    ['kubectl cordon k8s-w1', 'kubectl uncordon k8s-w1'],
    ['kubectl taint nodes k8s-w0 x=y:NoSchedule', 'kubectl taint nodes k8s-w0 x:NoSchedule-'],
    ['kubectl scale deploy webpod --replicas 5', 'kubectl scale deploy webpod --replicas 2'],
    ['exec router -- sysctl -w net.ipv4.fib_multipath_hash_policy=1', 'exec router -- sysctl -w net.ipv4.fib_multipath_hash_policy=0'],
    ["exec router -- vtysh -c 'conf t' -c 'router bgp 65000' -c 'maximum-paths 1'", "exec router -- vtysh -c 'conf t' -c 'router bgp 65000' -c 'maximum-paths 4'"],
    ['exec k8s-ctr -- ip route add 10.99.0.0/16 via 192.168.10.200 dev eth1', 'exec k8s-ctr -- ip route del 10.99.0.0/16'],
    ['kubectl delete pod webpod-697b545f57-hhjqw', 'kubectl apply -f examples/bgp-lab/variants/webpod-2.yaml'],
    ['cilium config set bpf-lb-algorithm maglev', 'cilium config set bpf-lb-algorithm random'],
  ];
  // a Deployment document the scale pair acts on (decoded when the workloads stage reads it)
  const withDeployment: Documents = normalizeDocuments([
    ...BASE_DOCS,
    ...E.getOrElseW(() => [])(
      parseYamlFiles([{ file: 'd.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webpod, namespace: default}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: webpod}}\n  template:\n    metadata: {labels: {app: webpod}}\n    spec: {containers: [{name: webpod, image: traefik/whoami}]}\n' }]),
    ),
  ]);
  const start = loadDocuments(withDeployment, {});
  const before = start.ok ? answers(start.state) : [];
  test.prop([fc.array(fc.tuple(fc.constantFrom(...pairs), fc.boolean()), { minLength: 1, maxLength: 4 })], { numRuns: RUNS })(
    'a change and its inverse bring every answer back',
    (chosen) => {
      if (!start.ok) throw new Error(start.errors);
      // nested: c1 c2 … then the inverses in reverse order; `interleave` applies each inverse at once
      const lines: string[] = [];
      const tail: string[] = [];
      for (const [[change, inverse], interleave] of chosen) {
        if (interleave) lines.push(`$ ${change}`, `$ ${inverse}`);
        else {
          lines.push(`$ ${change}`);
          tail.unshift(`$ ${inverse}`);
        }
      }
      // a pair chosen twice may refuse (label already there): expect only its own refusal
      const text = [...lines, ...tail].join('\n');
      const r = run(text, withDeployment, {}, 'test/properties/x.script');
      if (r.exitCode !== 0) {
        expect(r.stderr).toMatch(/exited 1:\n(error: '.*' already has a value|Error from server \(NotFound\)|error: taint)|RTNETLINK answers: File exists|already has x taint/);
        return;
      }
      const after = loadDocuments(r.documents, {});
      if (!after.ok) throw new Error(after.errors);
      expect(answers(after.state)).toEqual(before);
    },
  );
});
