/**
 * Identities and network policy at 5,000 nodes and 100,000 pods (50 namespaces, 1,000 apps, so
 * about 5,000 identities) with 300 policies (NetworkPolicies and CiliumNetworkPolicies with
 * ingress and egress peers, ports, a deny, a CIDR rule). Reports: the identity table (one pass
 * over the pods), one endpoint's policy map from cold (the rules selecting its identity, the
 * identities its peers select), one decision, and 100 more endpoints' maps.
 */
import type { Benchmark } from './benchmark.js';
import { bigCluster } from './lb-maps.js';
import type { Cluster } from '../src/cluster/types.js';
import type { Pod, PolicyDocument, PolicyRuleSpec } from '../src/input/types.js';
import { IPv4 } from 'ip-num';
import { identityTable } from '../src/datapath/endpoints/identity.js';
import { policyEngine } from '../src/policy/resolve.js';

const sel = (labels: Record<string, string>) => ({ matchLabels: labels, matchExpressions: [] });

function policyCluster(): Cluster {
  const base = bigCluster(5000, 100, 'random');
  const pods: Pod[] = [];
  for (let i = 0; i < 100000; i++) {
    const ns = `ns-${i % 50}`;
    pods.push({
      meta: { name: `pod-${i}`, namespace: ns, labels: { app: `app-${i % 1000}`, tier: i % 3 === 0 ? 'web' : 'db' }, annotations: {} },
      nodeName: `node-${i % 5000}`,
      hostNetwork: false,
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
      podIPs: [IPv4.fromNumber(BigInt((10 << 24) | (1 << 22) | i))],
      phase: 'Running',
      ready: true,
      terminating: false,
    });
  }
  const docs: PolicyDocument[] = [];
  const cnps: PolicyDocument[] = [];
  for (let k = 0; k < 300; k++) {
    const ns = `ns-${k % 50}`;
    const rule: PolicyRuleSpec =
      k % 2 === 0
        ? {
            flavour: 'k8s',
            endpointSelector: sel({ app: `app-${(k * 7) % 1000}` }),
            ingress: [{ peers: [{ kind: 'knp', podSelector: sel({ tier: 'web' }), namespaceSelector: sel({ 'kubernetes.io/metadata.name': `ns-${(k + 1) % 50}` }) }], ports: [{ protocol: 'TCP', port: 'http' }], l7: false }],
            egress: [{ peers: [{ kind: 'knp', namespaceSelector: sel({}) }], l7: false }],
            ingressDeny: [],
            egressDeny: [],
            enableDefaultDeny: {},
            policyTypes: ['Ingress', 'Egress'],
          }
        : {
            flavour: 'cilium',
            endpointSelector: sel({ tier: k % 4 === 1 ? 'web' : 'db' }),
            ingress: [{ peers: [{ kind: 'endpoints', selector: sel({ app: `app-${k % 1000}` }) }, { kind: 'entity', entity: 'host' }], ports: [{ protocol: 'TCP', port: 80, endPort: 90 }], l7: false }],
            ingressDeny: [{ peers: [{ kind: 'entity', entity: 'world' }], l7: false }],
            egress: [{ peers: [{ kind: 'cidr', cidr: `172.${16 + (k % 16)}.0.0/16`, except: [] }], l7: false }],
            egressDeny: [],
            enableDefaultDeny: {},
          };
    (rule.flavour === 'k8s' ? docs : cnps).push({ meta: { name: `p-${k}`, namespace: ns, labels: {}, annotations: {} }, specs: [], rules: [rule] });
  }
  return { ...base, scenario: { ...base.scenario, pods, networkPolicies: docs, ciliumNetworkPolicies: cnps } };
}

/** The policy benchmark. */
export const policyBenchmark: Benchmark = {
  name: 'Identities and policy (5,000 nodes, 100,000 pods, 300 policies)',
  run(report) {
    const cluster = policyCluster();
    let t0 = performance.now();
    const table = identityTable(cluster);
    report(`identity table: ${table.all.length} identities (${table.cidrs.length} CIDR) in ${(performance.now() - t0).toFixed(0)} ms`);
    const engine = policyEngine(cluster);
    t0 = performance.now();
    const p = engine.endpointPolicy('ns-7/pod-7')!;
    report(`one endpoint's policy map, cold: ${p.entries.length} entries, ${p.rules.length} rules select it, ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const v = engine.decide('ns-7/pod-7', 'ingress', table.pods.get('ns-8/pod-8')!, 6, 8080);
    report(`one decision after that: ${v.allowed ? 'allowed' : `denied (${v.code})`} in ${(performance.now() - t0).toFixed(3)} ms`);
    t0 = performance.now();
    let entries = 0;
    for (let i = 0; i < 100; i++) entries += engine.endpointPolicy(`ns-${(i * 37) % 50}/pod-${i * 37 + 1000}`)?.entries.length ?? 0;
    report(`100 more endpoints' maps: ${entries} entries in ${(performance.now() - t0).toFixed(0)} ms`);
  },
};
