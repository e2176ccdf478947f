/**
 * Generated egress-gateway scenarios, shaped like `examples/egress-gateway`: a kind-style cluster
 * on one docker network (`172.18.0.0/16`, VXLAN, kube-proxy replacement, BPF masquerading, the
 * egress gateway on), nodes in zones `east`/`west`, some labelled `egress-gw: "true"` (each with a
 * secondary address `172.18.1.<i>`), some not ready or cordoned, client pods with `org` labels,
 * three outposts that answer everyone (`172.18.0.50`, `.51`, `.53`), and one egress gateway policy
 * (OSS or Isovalent HA). The facts say what the generator chose, so a property can state its
 * expectation without decoding.
 *
 * Address plan: node *i* is `node-<i>` at `172.18.0.<10 + i>` with pod CIDR `10.244.<i>.0/24`;
 * pod *j* is `client-<j>` at `10.244.<node>.<10 + j>`; HA egress IPs come from `172.18.2.0/28`.
 * Excluded CIDRs are always more specific than the destination CIDRs that contain them.
 *
 * @module
 */
import fc from 'fast-check';
import type { ManifestDocument } from './types.js';

/**
 * A generated node.
 *
 * @example
 * ```ts
 * const n: EgressNodeFacts = { name: 'node-1', ip: '172.18.0.11', zone: 'east', gateway: true, ready: true, cordoned: false, secondary: '172.18.1.1' };
 * ```
 */
export interface EgressNodeFacts {
  /** Name. */
  readonly name: string;
  /** InternalIP. */
  readonly ip: string;
  /** `topology.kubernetes.io/zone`. */
  readonly zone: 'east' | 'west';
  /** Labelled `egress-gw: "true"`. */
  readonly gateway: boolean;
  /** Ready condition. */
  readonly ready: boolean;
  /** `spec.unschedulable`. */
  readonly cordoned: boolean;
  /** Secondary address on eth0 (gateway-labelled nodes). */
  readonly secondary?: string;
}

/**
 * A generated client pod.
 *
 * @example
 * ```ts
 * const p: EgressPodFacts = { name: 'client-0', node: 'node-1', ip: '10.244.1.10', org: 'empire' };
 * ```
 */
export interface EgressPodFacts {
  /** Name (namespace `default`). */
  readonly name: string;
  /** Node. */
  readonly node: string;
  /** Pod IP. */
  readonly ip: string;
  /** `org` label. */
  readonly org: 'empire' | 'alliance';
}

/**
 * The generated policy.
 *
 * @example
 * ```ts
 * const p: EgressPolicyFacts = { kind: 'cilium', destinationCIDRs: ['172.18.0.50/32'], excludedCIDRs: [], azAffinity: 'disabled', egressIPNode: 'node-1', maxGatewayNodes: 0 };
 * ```
 */
export interface EgressPolicyFacts {
  /** `cilium` (CiliumEgressGatewayPolicy, selects org=empire) or `isovalent` (HA). */
  readonly kind: 'cilium' | 'isovalent';
  /** `destinationCIDRs`. */
  readonly destinationCIDRs: readonly string[];
  /** `excludedCIDRs`. */
  readonly excludedCIDRs: readonly string[];
  /** Isovalent `azAffinity`. */
  readonly azAffinity: 'disabled' | 'localOnly' | 'localOnlyFirst' | 'localPriority';
  /** OSS: the node whose secondary address is the policy's `egressIP`. */
  readonly egressIPNode?: string;
  /** Isovalent `maxGatewayNodes` (0 = absent). */
  readonly maxGatewayNodes: number;
}

/**
 * A generated egress scenario: manifests and facts.
 *
 * @example
 * ```ts
 * fc.sample(egressScenarioArbitrary(), 1)[0]?.facts.outposts; // ['172.18.0.50', '172.18.0.51', '172.18.0.53']
 * ```
 */
export interface GeneratedEgressScenario {
  /** Raw manifests. */
  readonly documents: readonly ManifestDocument[];
  /** What the generator chose. */
  readonly facts: {
    readonly nodes: readonly EgressNodeFacts[];
    readonly pods: readonly EgressPodFacts[];
    readonly policy: EgressPolicyFacts;
    readonly outposts: readonly string[];
  };
}

const OUTPOSTS = ['172.18.0.50', '172.18.0.51', '172.18.0.53'];

/**
 * Egress scenarios (see the module doc for the address plan).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(egressScenarioArbitrary(), (s) => s.facts.nodes.length >= 2));
 * ```
 */
export function egressScenarioArbitrary(): fc.Arbitrary<GeneratedEgressScenario> {
  const nodeArb = fc.record({
    zone: fc.constantFrom<'east' | 'west'>('east', 'west'),
    gateway: fc.boolean(),
    down: fc.integer({ min: 0, max: 9 }),
    cordoned: fc.integer({ min: 0, max: 9 }),
  });
  return fc
    .record({
      nodes: fc.array(nodeArb, { minLength: 2, maxLength: 6 }),
      pods: fc.array(fc.record({ node: fc.nat(), org: fc.constantFrom<'empire' | 'alliance'>('empire', 'alliance') }), { minLength: 1, maxLength: 5 }),
      kind: fc.constantFrom<'cilium' | 'isovalent'>('cilium', 'isovalent'),
      dests: fc.subarray(['172.18.0.50/32', '172.18.0.48/29', '0.0.0.0/0'], { minLength: 1 }),
      excluded: fc.subarray(['172.18.0.51/32', '172.18.0.52/30']),
      azAffinity: fc.constantFrom<'disabled' | 'localOnly' | 'localOnlyFirst' | 'localPriority'>('disabled', 'localOnly', 'localOnlyFirst', 'localPriority'),
      egressIPNode: fc.nat(),
      maxGatewayNodes: fc.integer({ min: 0, max: 3 }),
    })
    .map((r) => {
      const nodes: EgressNodeFacts[] = r.nodes.map((n, i) => ({
        name: `node-${i}`,
        ip: `172.18.0.${10 + i}`,
        zone: n.zone,
        gateway: n.gateway,
        ready: n.down >= 2,
        cordoned: n.cordoned < 2,
        ...(n.gateway ? { secondary: `172.18.1.${i + 1}` } : {}),
      }));
      const pods: EgressPodFacts[] = r.pods.map((p, j) => {
        const node = p.node % nodes.length;
        return { name: `client-${j}`, node: nodes[node]!.name, ip: `10.244.${node}.${10 + j}`, org: p.org };
      });
      const gwNodes = nodes.filter((n) => n.gateway);
      const policy: EgressPolicyFacts = {
        kind: r.kind,
        destinationCIDRs: r.dests,
        excludedCIDRs: r.excluded,
        azAffinity: r.kind === 'isovalent' ? r.azAffinity : 'disabled',
        ...(r.kind === 'cilium' && gwNodes.length > 0 ? { egressIPNode: gwNodes[r.egressIPNode % gwNodes.length]!.name } : {}),
        maxGatewayNodes: r.kind === 'isovalent' ? r.maxGatewayNodes : 0,
      };
      return { documents: documentsOf(nodes, pods, policy), facts: { nodes, pods, policy, outposts: OUTPOSTS } };
    });
}

function documentsOf(nodes: readonly EgressNodeFacts[], pods: readonly EgressPodFacts[], policy: EgressPolicyFacts): ManifestDocument[] {
  const docs: ManifestDocument[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: 'kube-system' },
      data: {
        ipam: 'kubernetes',
        'routing-mode': 'tunnel',
        'kube-proxy-replacement': 'true',
        'enable-bpf-masquerade': 'true',
        'enable-ipv4-masquerade': 'true',
        'enable-ipv4-egress-gateway': 'true',
      },
    },
  ];
  nodes.forEach((n, i) => {
    docs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: { 'kubernetes.io/hostname': n.name, 'topology.kubernetes.io/zone': n.zone, ...(n.gateway ? { 'egress-gw': 'true' } : {}) },
      },
      spec: { podCIDRs: [`10.244.${i}.0/24`], ...(n.cordoned ? { unschedulable: true } : {}) },
      status: {
        addresses: [{ type: 'InternalIP', address: n.ip }],
        ...(n.ready ? {} : { conditions: [{ type: 'Ready', status: 'False' }] }),
      },
    });
    docs.push({
      apiVersion: 'cilium-twin/v1alpha1',
      kind: 'Host',
      metadata: { name: n.name },
      spec: {
        interfaces: [{ name: 'eth0', addresses: [`${n.ip}/16`, ...(n.secondary !== undefined ? [`${n.secondary}/16`] : [])] }],
        routes: 'default via 172.18.0.1 dev eth0\n',
      },
    });
  });
  OUTPOSTS.forEach((ip, k) => {
    docs.push({
      apiVersion: 'cilium-twin/v1alpha1',
      kind: 'Host',
      metadata: { name: `outpost-${k}` },
      spec: { interfaces: [{ name: 'eth0', addresses: [`${ip}/16`] }], http: { port: 8000 } },
    });
  });
  for (const p of pods) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: 'default', labels: { org: p.org } },
      spec: { nodeName: p.node, containers: [{ name: 'c', image: 'nicolaka/netshoot' }] },
      status: { phase: 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }] },
    });
  }
  const selectors = [{ podSelector: { matchLabels: { org: 'empire' } } }];
  const nodeSelector = { matchLabels: { 'egress-gw': 'true' } };
  if (policy.kind === 'cilium') {
    const ipNode = nodes.find((n) => n.name === policy.egressIPNode);
    docs.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumEgressGatewayPolicy',
      metadata: { name: 'egress' },
      spec: {
        selectors,
        destinationCIDRs: [...policy.destinationCIDRs],
        ...(policy.excludedCIDRs.length > 0 ? { excludedCIDRs: [...policy.excludedCIDRs] } : {}),
        egressGateway: { nodeSelector, ...(ipNode?.secondary !== undefined ? { egressIP: ipNode.secondary } : {}) },
      },
    });
  } else {
    docs.push({
      apiVersion: 'isovalent.com/v1',
      kind: 'IsovalentEgressGatewayPolicy',
      metadata: { name: 'egress' },
      spec: {
        selectors,
        destinationCIDRs: [...policy.destinationCIDRs],
        ...(policy.excludedCIDRs.length > 0 ? { excludedCIDRs: [...policy.excludedCIDRs] } : {}),
        egressCIDRs: ['172.18.2.0/28'],
        azAffinity: policy.azAffinity,
        egressGroups: [{ nodeSelector, interface: 'eth0', ...(policy.maxGatewayNodes > 0 ? { maxGatewayNodes: policy.maxGatewayNodes } : {}) }],
      },
    });
  }
  return docs;
}
