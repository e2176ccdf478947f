/**
 * Generators of cluster meshes (`-f NAME=PATH` scenarios of two to four clusters) for the mesh
 * properties: each cluster has one to three nodes on a shared L2 segment (`172.19.0.0/16`),
 * disjoint pod CIDRs (`10.<cluster>.<node>.0/24`), a `curl-pod`, and a service `default/web`
 * whose pods (ready or not) sit on its nodes; the service is global or not, shared or not, with
 * an affinity; a cluster may stay out of the mesh (`clustermesh-enabled: "false"`).
 *
 * @module
 */
import fc from 'fast-check';

/**
 * One endpoint of the `web` service of a generated cluster.
 *
 * @example
 * const e: MeshEndpointFacts = { ip: '10.1.0.10', node: 'c1-n0', ready: true };
 */
export interface MeshEndpointFacts {
  /** The pod IP. */
  readonly ip: string;
  /** Its node. */
  readonly node: string;
  /** Whether the pod is Ready. */
  readonly ready: boolean;
}

/**
 * One generated cluster of a mesh.
 *
 * @example
 * mesh.clusters[0]?.context; // 'c1'
 */
export interface MeshClusterFacts {
  /** The context (`-f NAME=…`). */
  readonly context: string;
  /** `cluster-name`. */
  readonly name: string;
  /** `cluster-id` (1 + its index). */
  readonly id: number;
  /** In the mesh (`clustermesh-enabled` not `false`). */
  readonly enabled: boolean;
  /** Its nodes: name, InternalIP, pod CIDR. */
  readonly nodes: readonly { readonly name: string; readonly ip: string; readonly podCidr: string }[];
  /** `curl-pod`'s IP and node. */
  readonly client: { readonly ip: string; readonly node: string };
  /** The `web` service: its ClusterIP, annotations' meaning, and its endpoints. */
  readonly web: {
    readonly clusterIP: string;
    readonly global: boolean;
    readonly shared: boolean;
    readonly affinity: 'none' | 'local' | 'remote';
    readonly endpoints: readonly MeshEndpointFacts[];
  };
}

/**
 * A generated mesh: its files (YAML text, each tagged with its cluster) and the facts.
 *
 * @example
 * loadScenario(mesh.files); // a twin of the first cluster, linked to the others
 */
export interface GeneratedMesh {
  /** One file per cluster (`cluster` set), in cluster order. */
  readonly files: readonly { readonly file: string; readonly text: string; readonly cluster: string }[];
  /** The clusters. */
  readonly clusters: readonly MeshClusterFacts[];
}

/**
 * Options of {@link meshArbitrary}.
 *
 * @example
 * meshArbitrary({ maxClusters: 3, routing: 'native', outsiders: 'some' });
 */
export interface MeshOptions {
  /** Most clusters (2..4, default 3). */
  readonly maxClusters?: number;
  /** Routing mode of every cluster (default: either, the same for all). */
  readonly routing?: 'native' | 'tunnel';
  /** Clusters out of the mesh: `'maybe'` (default: each with chance 1/4), `'none'`, or `'some'` (the last cluster always out). */
  readonly outsiders?: 'maybe' | 'none' | 'some';
  /** Most nodes per cluster (1..3, default 2). */
  readonly maxNodes?: number;
}

function clusterYaml(c: MeshClusterFacts, routing: 'native' | 'tunnel'): string {
  const docs: string[] = [];
  docs.push(`apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  cluster-name: ${c.name}
  cluster-id: "${c.id}"
  routing-mode: ${routing}
  auto-direct-node-routes: "${routing === 'native'}"
  ipv4-native-routing-cidr: 10.0.0.0/8
  kube-proxy-replacement: "true"
${c.enabled ? '' : '  clustermesh-enabled: "false"\n'}`);
  for (const n of c.nodes) {
    docs.push(`apiVersion: v1
kind: Node
metadata: {name: ${n.name}}
spec: {podCIDR: ${n.podCidr}, podCIDRs: [${n.podCidr}]}
status: {addresses: [{type: InternalIP, address: ${n.ip}}]}
`);
    docs.push(`apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: ${n.name}}
spec:
  interfaces: [{name: eth0, addresses: ["${n.ip}/16"]}]
`);
  }
  docs.push(`apiVersion: v1
kind: Pod
metadata: {name: curl-pod, namespace: default, labels: {app: curl}}
spec: {nodeName: ${c.client.node}, containers: [{name: c, image: nicolaka/netshoot}]}
status: {phase: Running, podIP: ${c.client.ip}, podIPs: [{ip: ${c.client.ip}}]}
`);
  const ann: string[] = [];
  if (c.web.global) ann.push('service.cilium.io/global: "true"');
  if (!c.web.shared) ann.push('service.cilium.io/shared: "false"');
  if (c.web.affinity !== 'none') ann.push(`service.cilium.io/affinity: ${c.web.affinity}`);
  docs.push(`apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations: {${ann.join(', ')}}
spec:
  type: ClusterIP
  clusterIP: ${c.web.clusterIP}
  clusterIPs: [${c.web.clusterIP}]
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80, protocol: TCP}]
`);
  c.web.endpoints.forEach((e, i) => {
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: web-${i}, namespace: default, labels: {app: web}}
spec: {nodeName: ${e.node}, containers: [{name: w, image: traefik/whoami, ports: [{containerPort: 80}]}]}
status:
  phase: Running
  podIP: ${e.ip}
  podIPs: [{ip: ${e.ip}}]
  conditions: [{type: Ready, status: "${e.ready ? 'True' : 'False'}"}]
`);
  });
  return docs.join('---\n');
}

/**
 * Cluster meshes of two or more clusters (see the module doc), as files and facts.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(meshArbitrary(), (m) => isRight(loadScenario(m.files))));
 * ```
 */
export function meshArbitrary(options: MeshOptions = {}): fc.Arbitrary<GeneratedMesh> {
  const max = Math.min(4, Math.max(2, options.maxClusters ?? 3));
  const routing = options.routing !== undefined ? fc.constant(options.routing) : fc.constantFrom<'native' | 'tunnel'>('native', 'tunnel');
  const cluster = fc.record({
    nodes: fc.integer({ min: 1, max: Math.min(3, Math.max(1, options.maxNodes ?? 2)) }),
    enabled: options.outsiders === 'none' || options.outsiders === 'some' ? fc.constant(true) : fc.constantFrom(true, true, true, false),
    global: fc.constantFrom(true, true, false),
    shared: fc.constantFrom(true, true, false),
    affinity: fc.constantFrom<'none' | 'local' | 'remote'>('none', 'local', 'remote'),
    endpoints: fc.array(fc.record({ node: fc.nat(2), ready: fc.constantFrom(true, true, false) }), { maxLength: 3 }),
    clientNode: fc.nat(2),
  });
  return fc.tuple(routing, fc.array(cluster, { minLength: 2, maxLength: max })).map(([mode, raw]) => {
    const clusters: MeshClusterFacts[] = raw.map((r, k) => {
      const id = k + 1;
      const nodes = Array.from({ length: r.nodes }, (_, i) => ({ name: `c${id}-n${i}`, ip: `172.19.${id}.${10 + i}`, podCidr: `10.${id}.${i}.0/24` }));
      const nodeOf = (i: number) => nodes[i % nodes.length]!;
      return {
        context: `c${id}`,
        name: `cluster${id}`,
        id,
        enabled: options.outsiders === 'some' && k === raw.length - 1 ? false : r.enabled,
        nodes,
        client: { node: nodeOf(r.clientNode).name, ip: `10.${id}.${r.clientNode % nodes.length}.5` },
        web: {
          clusterIP: `10.96.${id}.10`,
          global: r.global,
          shared: r.shared,
          affinity: r.affinity,
          endpoints: r.endpoints.map((e, i) => ({ node: nodeOf(e.node).name, ip: `10.${id}.${e.node % nodes.length}.${20 + i}`, ready: e.ready })),
        },
      };
    });
    return {
      clusters,
      files: clusters.map((c) => ({ file: `${c.context}.yaml`, text: clusterYaml(c, mode), cluster: c.context })),
    };
  });
}

/**
 * Cilium policies (YAML text, one to three `CiliumNetworkPolicy` / `CiliumClusterwideNetworkPolicy`
 * documents) over a generated mesh's pods (`app: web|curl` in `default`): allow and deny rules in
 * both directions whose peers are endpoints (optionally pinned to a cluster by
 * `io.cilium.k8s.policy.cluster`, one of `clusterNames`) or entities, on port 80 or any port.
 *
 * @example
 * ```ts
 * import { meshPolicyArbitrary } from 'cilium-twin/arbitraries';
 * import fc from 'fast-check';
 * fc.sample(meshPolicyArbitrary(['cluster1', 'cluster2']), 1);
 * ```
 */
export function meshPolicyArbitrary(clusterNames: readonly string[]): fc.Arbitrary<string> {
  const app = fc.constantFrom('web', 'curl', undefined);
  const selector = fc.record({ app, cluster: fc.constantFrom(undefined, ...clusterNames) }).map(({ app: a, cluster }) => {
    const labels = [...(a !== undefined ? [`app: ${a}`] : []), ...(cluster !== undefined ? [`io.cilium.k8s.policy.cluster: ${cluster}`] : [])];
    return `{matchLabels: {${labels.join(', ')}}}`;
  });
  const ports = fc.constantFrom('', ', toPorts: [{ports: [{port: "80", protocol: TCP}]}]');
  const peer = (dir: 'from' | 'to') =>
    fc.oneof(
      selector.map((s) => `${dir}Endpoints: [${s}]`),
      fc.constantFrom('cluster', 'all', 'world', 'host').map((e) => `${dir}Entities: [${e}]`),
    );
  const section = (name: string, dir: 'from' | 'to') =>
    fc.array(fc.tuple(peer(dir), ports), { maxLength: 2 }).map((rules) => (rules.length === 0 ? '' : `  ${name}: [${rules.map(([p, q]) => `{${p}${q}}`).join(', ')}]\n`));
  const doc = fc.record({
    clusterwide: fc.boolean(),
    selector: app.map((a) => (a === undefined ? '{}' : `{matchLabels: {app: ${a}}}`)),
    ingress: section('ingress', 'from'),
    ingressDeny: section('ingressDeny', 'from'),
    egress: section('egress', 'to'),
    egressDeny: section('egressDeny', 'to'),
  });
  return fc.array(doc, { minLength: 1, maxLength: 3 }).map((docs) =>
    docs
      .map(
        (d, i) => `apiVersion: cilium.io/v2
kind: ${d.clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy'}
metadata: {name: generated-${i}${d.clusterwide ? '' : ', namespace: default'}}
spec:
  endpointSelector: ${d.selector}
${d.ingress}${d.ingressDeny}${d.egress}${d.egressDeny}`,
      )
      .join('---\n'),
  );
}
