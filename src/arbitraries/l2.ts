/**
 * A generator of L2-announcement labs: nodes and one client on a flat LAN, a /29 LB IPAM pool on
 * it, services of two colours with whoami backends, and L2 announcement policies with varied
 * service and node selectors, interface regular expressions and IP types.
 *
 * Address plan: LAN `192.168.10.0/24` on `eth1` (node *i* at `.100 + i`, the client `client` at
 * `.50`); some nodes have a second device `eth2` on `10.1.0.0/24` (`.10 + i`); nodes are
 * `k8s-ctr` (control plane) then `k8s-w1`, …, labelled `zone: a|b`, some not Ready; pool
 * `lan-pool` = `192.168.10.208/29` without its first and last addresses; services `svc-0`, … with
 * `color: blue|red`, eTP Cluster or Local, ClusterIP `10.96.20.<k + 1>`, zero to two whoami pods on
 * random nodes (`172.20.<node>.<10 + k*4 + j>`); VXLAN tunnel routing.
 *
 * @module
 */
import fc from 'fast-check';
import type { ManifestDocument } from './types.js';

/**
 * What the L2 lab generator knows about its lab.
 *
 * @example
 * ```ts
 * const [lab] = fc.sample(l2LabArbitrary(), 1);
 * lab!.facts.services.map((s) => s.name); // ['svc-0', …]
 * ```
 */
export interface L2LabFacts {
  /** Nodes: name, labels, readiness, whether it has `eth2`. */
  readonly nodes: readonly { readonly name: string; readonly zone: 'a' | 'b'; readonly ready: boolean; readonly eth2: boolean; readonly controlPlane: boolean }[];
  /** Services: name, colour, eTP, the nodes of its backends. */
  readonly services: readonly { readonly name: string; readonly color: 'blue' | 'red'; readonly etp: 'Cluster' | 'Local'; readonly backendNodes: readonly string[] }[];
  /** Policies (as given). */
  readonly policies: readonly L2PolicyFacts[];
  /** `enable-l2-announcements`. */
  readonly enabled: boolean;
  /** `kube-proxy-replacement`. */
  readonly kubeProxyReplacement: boolean;
}

/**
 * A generated policy.
 *
 * @example
 * ```ts
 * const p: L2PolicyFacts = { name: 'l2-0', color: 'blue', zone: undefined, workersOnly: true, interfaces: ['^eth1$'], loadBalancerIPs: true };
 * ```
 */
export interface L2PolicyFacts {
  /** Name. */
  readonly name: string;
  /** `serviceSelector` colour (undefined: no selector). */
  readonly color?: 'blue' | 'red';
  /** `nodeSelector` zone (undefined: none). */
  readonly zone?: 'a' | 'b';
  /** `nodeSelector` excludes the control plane (`DoesNotExist`). */
  readonly workersOnly: boolean;
  /** `interfaces`. */
  readonly interfaces: readonly string[];
  /** `loadBalancerIPs`. */
  readonly loadBalancerIPs: boolean;
}

/**
 * A generated L2 lab: raw manifests and facts.
 *
 * @example
 * ```ts
 * const [lab] = fc.sample(l2LabArbitrary(), 1);
 * lab!.documents.length > 0; // true
 * ```
 */
export interface GeneratedL2Lab {
  /** The manifests (raw objects). */
  readonly documents: readonly ManifestDocument[];
  /** The facts. */
  readonly facts: L2LabFacts;
}

const INTERFACES: readonly (readonly string[])[] = [[], ['^eth1$'], ['eth'], ['^eth2'], ['^bond[0-9]+'], ['eth2', 'eth1']];

const policyArb = (i: number): fc.Arbitrary<L2PolicyFacts> =>
  fc
    .record({
      color: fc.constantFrom<'blue' | 'red' | undefined>('blue', 'blue', 'red', undefined),
      zone: fc.constantFrom<'a' | 'b' | undefined>(undefined, undefined, 'a', 'b'),
      workersOnly: fc.boolean(),
      interfaces: fc.constantFrom(...INTERFACES),
      loadBalancerIPs: fc.constantFrom(true, true, true, false),
    })
    .map((p) => ({
      name: `l2-${i}`,
      ...(p.color !== undefined ? { color: p.color } : {}),
      ...(p.zone !== undefined ? { zone: p.zone } : {}),
      workersOnly: p.workersOnly,
      interfaces: p.interfaces,
      loadBalancerIPs: p.loadBalancerIPs,
    }));

/**
 * L2 announcement labs (see the module doc): 1 to `maxNodes` nodes (default 5), 1 to 4 services,
 * 0 to 2 policies.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(l2LabArbitrary(), (lab) => lab.facts.nodes.length >= 1));
 * ```
 */
export function l2LabArbitrary(maxNodes = 5): fc.Arbitrary<GeneratedL2Lab> {
  const nodeArb = fc.record({ zone: fc.constantFrom<'a' | 'b'>('a', 'b'), ready: fc.constantFrom(true, true, true, false), eth2: fc.boolean() });
  return fc
    .record({
      nodes: fc.array(nodeArb, { minLength: 1, maxLength: maxNodes }),
      services: fc.array(
        fc.record({ color: fc.constantFrom<'blue' | 'red'>('blue', 'red'), etp: fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Cluster', 'Local'), pods: fc.array(fc.nat(), { maxLength: 2 }) }),
        { minLength: 1, maxLength: 4 },
      ),
      policyCount: fc.integer({ min: 0, max: 2 }),
      enabled: fc.constantFrom(true, true, true, false),
      kpr: fc.constantFrom(true, true, true, false),
    })
    .chain((r) =>
      fc.tuple(...Array.from({ length: r.policyCount }, (_, i) => policyArb(i))).map((policies) => build(r, policies)),
    );
}

function build(
  r: {
    nodes: { zone: 'a' | 'b'; ready: boolean; eth2: boolean }[];
    services: { color: 'blue' | 'red'; etp: 'Cluster' | 'Local'; pods: number[] }[];
    enabled: boolean;
    kpr: boolean;
  },
  policies: readonly L2PolicyFacts[],
): GeneratedL2Lab {
  const docs: ManifestDocument[] = [];
  docs.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cilium-config', namespace: 'kube-system' },
    data: {
      ipam: 'kubernetes',
      'routing-mode': 'tunnel',
      'kube-proxy-replacement': String(r.kpr),
      'enable-l2-announcements': String(r.enabled),
    },
  });
  const nodes = r.nodes.map((n, i) => ({ name: i === 0 ? 'k8s-ctr' : `k8s-w${i}`, zone: n.zone, ready: n.ready, eth2: n.eth2, controlPlane: i === 0 }));
  nodes.forEach((n, i) => {
    docs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { zone: n.zone, ...(n.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
      spec: { podCIDRs: [`172.20.${i}.0/24`] },
      status: {
        addresses: [{ type: 'InternalIP', address: `192.168.10.${100 + i}` }],
        ...(n.ready ? {} : { conditions: [{ type: 'Ready', status: 'False' }] }),
      },
    });
    docs.push({
      apiVersion: 'cilium-twin/v1alpha1',
      kind: 'Host',
      metadata: { name: n.name },
      spec: {
        interfaces: [
          { name: 'eth1', addresses: [`192.168.10.${100 + i}/24`] },
          ...(n.eth2 ? [{ name: 'eth2', addresses: [`10.1.0.${10 + i}/24`] }] : []),
        ],
      },
    });
  });
  docs.push({ apiVersion: 'cilium-twin/v1alpha1', kind: 'Host', metadata: { name: 'client' }, spec: { interfaces: [{ name: 'eth1', addresses: ['192.168.10.50/24'] }] } });
  docs.push({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumLoadBalancerIPPool',
    metadata: { name: 'lan-pool' },
    spec: { allowFirstLastIPs: 'No', blocks: [{ cidr: '192.168.10.208/29' }] },
  });
  const services = r.services.map((s, k) => {
    const name = `svc-${k}`;
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default', labels: { color: s.color } },
      spec: {
        type: 'LoadBalancer',
        clusterIP: `10.96.20.${k + 1}`,
        externalTrafficPolicy: s.etp,
        selector: { app: name },
        ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    });
    const backendNodes = s.pods.map((p, j) => {
      const ni = p % nodes.length;
      const node = nodes[ni]!;
      const ip = `172.20.${ni}.${10 + k * 4 + j}`;
      docs.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${j}`, namespace: 'default', labels: { app: name } },
        spec: { nodeName: node.name, containers: [{ name: 'whoami', image: 'traefik/whoami', ports: [{ containerPort: 80 }] }] },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
      return node.name;
    });
    return { name, color: s.color, etp: s.etp, backendNodes };
  });
  for (const p of policies) {
    const expressions = p.workersOnly ? [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] : [];
    const nodeSelector = p.zone !== undefined || expressions.length > 0 ? { ...(p.zone !== undefined ? { matchLabels: { zone: p.zone } } : {}), ...(expressions.length > 0 ? { matchExpressions: expressions } : {}) } : undefined;
    docs.push({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumL2AnnouncementPolicy',
      metadata: { name: p.name },
      spec: {
        ...(p.color !== undefined ? { serviceSelector: { matchLabels: { color: p.color } } } : {}),
        ...(nodeSelector !== undefined ? { nodeSelector } : {}),
        ...(p.interfaces.length > 0 ? { interfaces: [...p.interfaces] } : {}),
        loadBalancerIPs: p.loadBalancerIPs,
      },
    });
  }
  return { documents: docs, facts: { nodes, services, policies, enabled: r.enabled, kubeProxyReplacement: r.kpr } };
}
