/**
 * Generators of clusters written as users write them: nodes (some tainted, some labelled, some
 * without pod CIDRs in `cluster-pool` mode), Deployments / StatefulSets / DaemonSets with node
 * selectors, tolerations, required anti-affinity or topology spread by hostname, bare pods, and
 * Services without cluster IPs selecting them. For the workloads stage's properties.
 *
 * @module
 */
import fc from 'fast-check';
import type { ManifestDocument } from './types.js';

/** What a generated workloads scenario holds besides its documents. */
export interface WorkloadsFacts {
  /** Node names. */
  readonly nodes: readonly string[];
  /** `cilium-config` `ipam`. */
  readonly ipam: 'kubernetes' | 'cluster-pool';
  /** Workloads: kind, namespace, name, app label, whether it carries required anti-affinity by hostname. */
  readonly workloads: readonly { kind: string; namespace: string; name: string; app: string; antiAffinity: boolean }[];
}

/** A generated workloads scenario: documents plus facts. */
export interface GeneratedWorkloads {
  /** Manifests (write them with `toYaml` / `toFiles`). */
  readonly documents: readonly ManifestDocument[];
  /** What the generator knows. */
  readonly facts: WorkloadsFacts;
}

/** Options of {@link workloadsArbitrary}. */
export interface WorkloadsOptions {
  /** Most nodes (default 5). */
  readonly maxNodes?: number;
  /** Most workloads (default 4). */
  readonly maxWorkloads?: number;
  /** Most replicas per workload (default 5). */
  readonly maxReplicas?: number;
}

const APPS = ['web', 'api', 'db'] as const;
const NAMESPACES = ['default', 'prod'] as const;

/**
 * Clusters written with controllers (see the module doc).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(workloadsArbitrary(), (w) => decodeScenario(toFiles(w.documents))._tag === 'Right'));
 * ```
 */
export function workloadsArbitrary(options: WorkloadsOptions = {}): fc.Arbitrary<GeneratedWorkloads> {
  const maxNodes = options.maxNodes ?? 5;
  const node = fc.record({
    taint: fc.constantFrom<'none' | 'control-plane' | 'dedicated'>('none', 'none', 'control-plane', 'dedicated'),
    zone: fc.constantFrom('a', 'b'),
    cidr: fc.boolean(),
  });
  const workload = fc.record({
    kind: fc.constantFrom('Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod'),
    namespace: fc.constantFrom(...NAMESPACES),
    app: fc.constantFrom(...APPS),
    replicas: fc.integer({ min: 0, max: options.maxReplicas ?? 5 }),
    antiAffinity: fc.boolean(),
    spread: fc.boolean(),
    zone: fc.constantFrom<'any' | 'a' | 'b'>('any', 'any', 'a', 'b'),
    tolerate: fc.boolean(),
    hostNetwork: fc.constantFrom(false, false, false, true),
    port: fc.constantFrom(80, 8080),
  });
  return fc
    .record({
      nodes: fc.array(node, { minLength: 1, maxLength: maxNodes }),
      workloads: fc.array(workload, { minLength: 1, maxLength: options.maxWorkloads ?? 4 }),
      ipam: fc.constantFrom<'kubernetes' | 'cluster-pool'>('kubernetes', 'cluster-pool'),
      small: fc.boolean(),
    })
    .map(({ nodes, workloads, ipam, small }) => {
      const docs: ManifestDocument[] = [];
      docs.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cilium-config', namespace: 'kube-system' },
        data: {
          ipam,
          'routing-mode': 'native',
          'ipv4-native-routing-cidr': '10.0.0.0/8',
          'kube-proxy-replacement': 'true',
          ...(ipam === 'cluster-pool' && small ? { 'cluster-pool-ipv4-cidr': '10.8.0.0/16', 'cluster-pool-ipv4-mask-size': '28' } : {}),
        },
      });
      const names = nodes.map((_, i) => `node-${i}`);
      nodes.forEach((n, i) => {
        const taints =
          n.taint === 'control-plane'
            ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]
            : n.taint === 'dedicated'
              ? [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]
              : [];
        // kubernetes mode needs node CIDRs; cluster-pool allocates for nodes without
        const withCidr = ipam === 'kubernetes' || n.cidr;
        docs.push({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: names[i], labels: { 'kubernetes.io/hostname': names[i], zone: n.zone, ...(n.taint === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
          spec: { ...(withCidr ? { podCIDRs: [`10.${100 + i}.0.0/${small ? 28 : 24}`] } : {}), ...(taints.length > 0 ? { taints } : {}) },
          status: { addresses: [{ type: 'InternalIP', address: `192.168.0.${10 + i}` }] },
        });
      });
      const facts: { kind: string; namespace: string; name: string; app: string; antiAffinity: boolean }[] = [];
      const services = new Set<string>();
      workloads.forEach((w, i) => {
        const name = `${w.app}-${i}`;
        const labels = { app: w.app, wl: name };
        const spec: Record<string, unknown> = {
          containers: [{ name: 'c', image: 'traefik/whoami', ports: [{ name: 'http', containerPort: w.port }] }],
          ...(w.hostNetwork ? { hostNetwork: true } : {}),
          ...(w.zone !== 'any' ? { nodeSelector: { zone: w.zone } } : {}),
          ...(w.tolerate ? { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
          ...(w.antiAffinity
            ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { wl: name } }, topologyKey: 'kubernetes.io/hostname' }] } } }
            : {}),
          ...(w.spread ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { wl: name } } }] } : {}),
        };
        if (w.kind === 'Pod') {
          docs.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: w.namespace, labels }, spec });
        } else {
          docs.push({
            apiVersion: 'apps/v1',
            kind: w.kind,
            metadata: { name, namespace: w.namespace },
            spec: {
              ...(w.kind !== 'DaemonSet' ? { replicas: w.replicas } : {}),
              selector: { matchLabels: { wl: name } },
              template: { metadata: { labels }, spec },
            },
          });
        }
        facts.push({ kind: w.kind, namespace: w.namespace, name, app: w.app, antiAffinity: w.antiAffinity });
        const svc = `${w.namespace}/${w.app}`;
        if (!services.has(svc)) {
          services.add(svc);
          docs.push({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: w.app, namespace: w.namespace },
            spec: { type: i % 2 === 0 ? 'ClusterIP' : 'NodePort', selector: { app: w.app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
          });
        }
      });
      return { documents: docs, facts: { nodes: names, ipam, workloads: facts } };
    });
}
