/**
 * The scenario generator and its parts, as fast-check arbitraries.
 *
 * Every arbitrary draws *independent* choices (list lengths, seeds, booleans) and derives the
 * documents from them with `.map`: no filtering and no `chain`, so shrinking removes nodes,
 * services, pods or features one by one and every shrunk value is still a valid scenario.
 *
 * @module
 */
import fc from 'fast-check';
import { MAGLEV_TABLE_SIZES } from '../input/cilium-config.js';
import {
  buildBgp,
  buildConfig,
  buildPool,
  buildScenario,
  nodeDocument,
  nodeHostDocument,
  podDocument,
  serviceDocument,
  type BgpChoice,
  type ConfigChoice,
  type NodeChoice,
  type PodChoice,
  type PoolChoice,
  type RouterChoice,
  type ScenarioChoice,
  type ServiceChoice,
} from './build.js';
import { withDualStack } from './dual-stack.js';
import type {
  BgpFacts,
  Choice,
  ConfigFacts,
  GeneratedScenario,
  GeneratedServiceType,
  ManifestDocument,
  NodeFacts,
  PoolFacts,
  RouterFacts,
  ScenarioOptions,
  ServiceFacts,
  SizeRange,
} from './types.js';

// MAGLEV_TABLE_SIZES (the values allowed in ScenarioOptions' maglevTableSizes) is the input
// stage's one list, re-exported here for users of the arbitraries.
export { MAGLEV_TABLE_SIZES };

/** Service kinds drawn when `serviceTypes` is not given. */
const DEFAULT_SERVICE_TYPES: readonly GeneratedServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** A size range checked against bounds; throws a RangeError for knobs out of bounds. */
function sizes(
  what: string,
  given: SizeRange | undefined,
  def: { min: number; max: number },
  bounds: { min: number; max: number },
): { min: number; max: number } {
  const min = given?.min ?? Math.max(bounds.min, Math.min(def.min, given?.max ?? def.min));
  const max = given?.max ?? Math.max(min, def.max);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < bounds.min || max > bounds.max || min > max) {
    throw new RangeError(`${what}: expected ${bounds.min} <= min <= max <= ${bounds.max}, got min ${min}, max ${max}`);
  }
  return { min, max };
}

/** A fixed knob value, or any of `all` (shrinking towards the first). */
function choose<T>(value: Choice<T> | undefined, all: readonly T[]): fc.Arbitrary<T> {
  if (value === undefined || value === 'any') return fc.constantFrom(...all);
  return fc.constant(value as T);
}

/** A boolean that is usually `usual` and shrinks towards it. */
function mostly(usual: boolean, weight = 5): fc.Arbitrary<boolean> {
  return fc.oneof({ arbitrary: fc.constant(usual), weight }, { arbitrary: fc.constant(!usual), weight: 1 });
}

/** `undefined` or a value (shrinking towards `undefined`). */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

function nodeChoice(): fc.Arbitrary<NodeChoice> {
  return fc.record({ subnet: fc.nat({ max: 2 }), bgpLabel: mostly(true) });
}

function podChoice(): fc.Arbitrary<PodChoice> {
  return fc.record({
    node: fc.nat({ max: 49 }),
    hostOctet: fc.integer({ min: 2, max: 254 }),
    ready: mostly(true),
    terminating: mostly(false, 8),
  });
}

function serviceChoice(types: readonly GeneratedServiceType[], pods: { min: number; max: number }): fc.Arbitrary<ServiceChoice> {
  return fc.record({
    type: fc.constantFrom(...types),
    namespace: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
    ports: fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 3 }),
    namedSinglePort: mostly(true, 3),
    eTPLocal: fc.boolean(),
    iTPLocal: mostly(false, 4),
    clusterIPSeed: fc.nat({ max: 65535 }),
    nodePortSeed: fc.nat({ max: 2767 }),
    affinity: mostly(false, 6),
    externalIP: mostly(false, 5),
    color: maybe(fc.constantFrom('blue' as const, 'green' as const)),
    advertised: mostly(true, 3),
    pods: fc.array(podChoice(), { minLength: pods.min, maxLength: pods.max }),
  });
}

function routerChoice(hashPolicy: Choice<0 | 1 | 'unset'> | undefined): fc.Arbitrary<RouterChoice> {
  const hash: fc.Arbitrary<0 | 1 | undefined> =
    hashPolicy === undefined || hashPolicy === 'any'
      ? fc.constantFrom(undefined, 0 as const, 1 as const)
      : fc.constant(hashPolicy === 'unset' ? undefined : hashPolicy);
  return fc.record({
    remoteAsNumber: fc.boolean(),
    peerGroup: mostly(true, 3),
    maximumPaths: maybe(fc.constantFrom(4, 1, 2, 8, 16)),
    multipathRelax: mostly(true, 3),
    gracefulRestart: fc.boolean(),
    hashPolicy: hash,
    networks: fc.constantFrom(1 as const, 0 as const, 2 as const),
  });
}

/**
 * The knobs of the Cilium configuration (a subset of {@link ScenarioOptions}).
 *
 * @example
 * const knobs: ConfigKnobs = { lbAlgorithm: 'maglev' };
 */
export type ConfigKnobs = Pick<
  ScenarioOptions,
  | 'routing'
  | 'kubeProxyReplacement'
  | 'lbAlgorithm'
  | 'lbMode'
  | 'dsrDispatch'
  | 'maglevTableSizes'
  | 'externalClusterIP'
  | 'minimalConfig'
>;

function configChoice(o: ConfigKnobs): fc.Arbitrary<ConfigChoice> {
  const kprOff = o.kubeProxyReplacement === false;
  if (kprOff && o.lbMode !== undefined && o.lbMode !== 'any' && o.lbMode !== 'snat') {
    throw new RangeError(`lbMode ${o.lbMode} needs kube-proxy replacement, which the options turn off`);
  }
  if (kprOff && o.lbAlgorithm === 'maglev') {
    throw new RangeError('lbAlgorithm maglev needs kube-proxy replacement, which the options turn off');
  }
  if (kprOff && o.externalClusterIP === true) {
    throw new RangeError('externalClusterIP needs kube-proxy replacement, which the options turn off');
  }
  const tableSizes = o.maglevTableSizes ?? [251, 1021, 16381];
  if (tableSizes.length === 0 || tableSizes.some((s) => !MAGLEV_TABLE_SIZES.includes(s))) {
    throw new RangeError(`maglevTableSizes: each must be one of ${MAGLEV_TABLE_SIZES.join(', ')}`);
  }
  const explicitSizes = tableSizes.filter((s) => s !== 16381);
  const tableSize: fc.Arbitrary<number | undefined> = tableSizes.includes(16381)
    ? explicitSizes.length > 0
      ? fc.constantFrom<number | undefined>(undefined, 16381, ...explicitSizes)
      : fc.constantFrom<number | undefined>(undefined, 16381)
    : fc.constantFrom(...tableSizes);
  return fc.record({
    routing: choose(o.routing, ['native', 'tunnel'] as const),
    tunnelProtocol: fc.constantFrom('vxlan' as const, 'geneve' as const),
    autoDirectNodeRoutes: mostly(false, 2),
    kubeProxyReplacement: choose(o.kubeProxyReplacement, [true, false]),
    bpfMasquerade: kprOff ? fc.constant(false) : fc.boolean(),
    lbAlgorithm: kprOff ? fc.constant('random' as const) : choose(o.lbAlgorithm, ['random', 'maglev'] as const),
    maglevTableSize: tableSize,
    maglevSeed: maybe(fc.array(fc.nat({ max: 255 }), { minLength: 12, maxLength: 12 })),
    lbMode: kprOff ? fc.constant('snat' as const) : choose(o.lbMode, ['snat', 'dsr', 'hybrid'] as const),
    dsrDispatch: choose(o.dsrDispatch, ['opt', 'geneve'] as const),
    externalClusterIP: kprOff ? fc.constant(false) : choose(o.externalClusterIP, [false, true]),
    minimal: choose(o.minimalConfig, [false, true]),
  });
}

function bgpChoice(): fc.Arbitrary<BgpChoice> {
  return fc.record({
    localASN: fc.constantFrom(65001, 65100, 64512),
    peering: fc.constantFrom('first-subnet' as const, 'per-subnet' as const),
    podCIDR: mostly(true, 4),
    serviceAddresses: fc.subarray(['LoadBalancerIP', 'ClusterIP', 'ExternalIP'] as const),
    selectAll: fc.boolean(),
    timers: fc.boolean(),
    gracefulRestart: fc.boolean(),
    multihop: fc.boolean(),
  });
}

function poolChoice(): fc.Arbitrary<PoolChoice> {
  return fc.record({
    prefixLength: fc.constantFrom(24 as const, 26 as const, 28 as const, 29 as const),
    style: fc.constantFrom('cidr' as const, 'range' as const),
    allowFirstLastIPs: fc.constantFrom(undefined, 'No' as const, 'Yes' as const),
    selector: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      { arbitrary: fc.constantFrom('blue' as const, 'green' as const), weight: 1 },
    ),
  });
}

/** Draws the choices of a whole scenario. */
function scenarioChoice(options: ScenarioOptions): fc.Arbitrary<ScenarioChoice> {
  const nodes = sizes('nodes', options.nodes, { min: 1, max: 8 }, { min: 1, max: 50 });
  const subnets = sizes('subnets', options.subnets, { min: 1, max: 3 }, { min: 1, max: 3 });
  const routers = sizes('routers', options.routers, { min: 1, max: 2 }, { min: 1, max: 2 });
  const services = sizes('services', options.services, { min: 0, max: 6 }, { min: 0, max: 200 });
  const pods = sizes('podsPerService', options.podsPerService, { min: 0, max: 4 }, { min: 0, max: 20 });
  const clients = sizes('clients', options.clients, { min: 0, max: 2 }, { min: 0, max: 5 });
  const types = options.serviceTypes ?? DEFAULT_SERVICE_TYPES;
  if (types.length === 0) throw new RangeError('serviceTypes: give at least one type');
  const bgp: fc.Arbitrary<BgpChoice | undefined> =
    options.bgp === true ? bgpChoice() : options.bgp === false ? fc.constant(undefined) : maybe(bgpChoice());
  const pools: fc.Arbitrary<readonly PoolChoice[]> =
    options.lbIpam === false
      ? fc.constant([])
      : fc.array(poolChoice(), { minLength: options.lbIpam === true ? 1 : 0, maxLength: 2 });
  return fc.record({
    nodes: fc.array(nodeChoice(), { minLength: nodes.min, maxLength: nodes.max }),
    subnetCount: fc.integer(subnets),
    routers: fc.array(routerChoice(options.hashPolicy), { minLength: routers.min, maxLength: routers.max }),
    services: fc.array(serviceChoice(types, pods), { minLength: services.min, maxLength: services.max }),
    clients: fc.array(fc.record({ node: fc.nat({ max: 49 }), hostOctet: fc.integer({ min: 2, max: 254 }) }), {
      minLength: clients.min,
      maxLength: clients.max,
    }),
    config: configChoice(options),
    bgp,
    pools,
    withEndpointSlices: choose(options.withEndpointSlices, [false, true]),
    withNodeHosts: choose(options.withNodeHosts, [true, false]),
    uplink: choose(options.uplink, ['router', 'nat'] as const),
  });
}

/**
 * Valid, realistic scenarios: 1 to 50 nodes on one to three subnets (192.168.10.0/24,
 * 192.168.20.0/24, 192.168.30.0/24) joined by one or two FRR routers, pods with addresses from
 * their node's pod CIDR (172.20.<node>.0/24), services of every type and traffic policy with or
 * without endpoints, BGP cluster/peer/advertisement configs peering with the routers, LB IPAM
 * pools (172.16.<k>.0), and `cilium-config` variations. Shrinking keeps scenarios valid.
 *
 * @param options - the knobs (sizes and features); see {@link ScenarioOptions}.
 * @returns an arbitrary of {@link GeneratedScenario}: raw documents plus the generator's facts.
 * @throws RangeError when a knob is out of its bounds or two knobs contradict each other.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scenarioArbitrary } from 'cilium-twin/arbitraries';
 *
 * fc.assert(
 *   fc.property(scenarioArbitrary({ nodes: { min: 1, max: 5 }, bgp: true }), ({ documents, facts }) => {
 *     return facts.nodes.every((n) => n.podCIDR.startsWith('172.20.')) && documents.length > 0;
 *   }),
 * );
 * ```
 */
export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<GeneratedScenario> {
  const arb = scenarioChoice(options).map(buildScenario);
  return options.dualStack === true ? arb.map(withDualStack) : arb; // ipv6 (issue 18)
}

/**
 * The `kube-system/cilium-config` ConfigMap alone, with the effective configuration it sets
 * (constraints applied: DSR and hybrid force kube-proxy replacement; DSR in tunnel routing uses
 * Geneve dispatch in a Geneve tunnel; `auto-direct-node-routes` only in native routing).
 *
 * @param options - the configuration knobs of {@link ScenarioOptions}, plus `bgp` (default false).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { ciliumConfigArbitrary } from 'cilium-twin/arbitraries';
 * const [c] = fc.sample(ciliumConfigArbitrary({ lbMode: 'dsr' }), 1);
 * c!.facts.kubeProxyReplacement; // true
 * ```
 */
export function ciliumConfigArbitrary(
  options: ConfigKnobs & { readonly bgp?: boolean } = {},
): fc.Arbitrary<{ readonly document: ManifestDocument; readonly facts: ConfigFacts }> {
  return configChoice(options).map((c) => buildConfig(c, options.bgp ?? false));
}

/**
 * A `CiliumLoadBalancerIPPool` (one block: a CIDR of /24, /26, /28 or /29 in 172.16.<index+1>.0/24,
 * or a start/stop range there), with or without `allowFirstLastIPs` and a `color` service selector.
 *
 * @param options - `index` (default 0) sets the name (`cilium-pool`, `cilium-pool-2`, …) and network.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { poolArbitrary } from 'cilium-twin/arbitraries';
 * const [p] = fc.sample(poolArbitrary(), 1);
 * p!.facts.name; // 'cilium-pool'
 * ```
 */
export function poolArbitrary(
  options: { readonly index?: number } = {},
): fc.Arbitrary<{ readonly document: ManifestDocument; readonly facts: PoolFacts }> {
  const index = options.index ?? 0;
  if (!Number.isInteger(index) || index < 0 || index > 200) throw new RangeError('poolArbitrary: index must be 0..200');
  return poolChoice().map((c) => buildPool(c, index));
}

/**
 * The BGP documents of a scenario (`CiliumBGPClusterConfig`s, `CiliumBGPPeerConfig` `cilium-peer`,
 * `CiliumBGPAdvertisement`s labelled `advertise: bgp`) for nodes on `subnets` subnets peering with
 * `routers` routers at the generator's addresses (router r at 192.168.<10·(s+1)>.<200+r>, AS 65000+10r).
 *
 * @param options - `subnets` (1..3, default 1) and `routers` (1..2, default 1).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { bgpConfigArbitrary } from 'cilium-twin/arbitraries';
 * const [b] = fc.sample(bgpConfigArbitrary({ subnets: 2 }), 1);
 * b!.documents.map((d) => d['kind']);
 * ```
 */
export function bgpConfigArbitrary(
  options: { readonly subnets?: number; readonly routers?: number } = {},
): fc.Arbitrary<{ readonly documents: readonly ManifestDocument[]; readonly facts: BgpFacts }> {
  const s = options.subnets ?? 1;
  const r = options.routers ?? 1;
  if (![1, 2, 3].includes(s) || ![1, 2].includes(r)) throw new RangeError('bgpConfigArbitrary: subnets 1..3, routers 1..2');
  const subnets = Array.from({ length: s }, (_, i) => ({
    index: i,
    cidr: `192.168.${10 * (i + 1)}.0/24`,
    routerAddresses: Array.from({ length: r }, (_, k) => `192.168.${10 * (i + 1)}.${200 + k}`),
  }));
  const routers = Array.from({ length: r }, (_, k) => ({
    asn: 65000 + 10 * k,
    addresses: subnets.map((x) => x.routerAddresses[k] ?? ''),
  }));
  return bgpChoice().map((c) => {
    const b = buildBgp(c, subnets, routers, [{ name: 'webpod', advertised: true }]);
    return { documents: b.documents, facts: b.facts };
  });
}

/**
 * A `Node` document with its facts, at a position in the generator's address plan
 * (node i: name `k8s-ctr`/`k8s-w<i>`, pod CIDR 172.20.i.0/24, InternalIP on its subnet).
 *
 * @param options - the scenario knobs that matter (`nodes`, `subnets`, `bgp`).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { nodeArbitrary } from 'cilium-twin/arbitraries';
 * fc.assert(fc.property(nodeArbitrary(), ({ facts }) => facts.podCIDR.endsWith('.0/24')));
 * ```
 */
export function nodeArbitrary(
  options: Pick<ScenarioOptions, 'nodes' | 'subnets' | 'bgp'> = {},
): fc.Arbitrary<{ readonly document: ManifestDocument; readonly facts: NodeFacts }> {
  return fc
    .tuple(scenarioArbitrary({ ...options, services: { min: 0, max: 0 }, clients: { min: 0, max: 0 } }), fc.nat())
    .map(([s, k]) => {
      const n = s.facts.nodes[k % s.facts.nodes.length]!;
      return { document: nodeDocument(n), facts: n };
    });
}

/**
 * A node's `Host` document (interfaces `eth0` for the NAT uplink when chosen, `eth1` on its subnet;
 * default route and routes to the other subnets via the first router), with the node's facts.
 *
 * @param options - the scenario knobs that matter (`nodes`, `subnets`, `routers`, `uplink`).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { hostArbitrary } from 'cilium-twin/arbitraries';
 * const [h] = fc.sample(hostArbitrary({ uplink: 'nat' }), 1);
 * h!.document['kind']; // 'Host'
 * ```
 */
export function hostArbitrary(
  options: Pick<ScenarioOptions, 'nodes' | 'subnets' | 'routers' | 'uplink'> = {},
): fc.Arbitrary<{ readonly document: ManifestDocument; readonly facts: NodeFacts }> {
  return fc
    .tuple(
      scenarioArbitrary({ ...options, services: { min: 0, max: 0 }, clients: { min: 0, max: 0 }, withNodeHosts: true }),
      fc.nat(),
    )
    .map(([s, k]) => {
      const n = s.facts.nodes[k % s.facts.nodes.length]!;
      return { document: nodeHostDocument(n, s.facts.subnets, s.facts.uplink), facts: n };
    });
}

/**
 * A router's `Host` document (an interface on every subnet, loopbacks, and with BGP an FRR
 * configuration peering with every node as in the lab), with its facts.
 *
 * @param options - the scenario knobs that matter (`nodes`, `subnets`, `routers`, `bgp` default true, `hashPolicy`, `uplink`).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { routerArbitrary } from 'cilium-twin/arbitraries';
 * const [r] = fc.sample(routerArbitrary({ nodes: { min: 3, max: 3 } }), 1);
 * r!.facts.frr?.includes('no bgp ebgp-requires-policy'); // true
 * ```
 */
export function routerArbitrary(
  options: Pick<ScenarioOptions, 'nodes' | 'subnets' | 'routers' | 'bgp' | 'hashPolicy' | 'uplink'> = {},
): fc.Arbitrary<{ readonly document: ManifestDocument; readonly facts: RouterFacts }> {
  return fc
    .tuple(
      scenarioArbitrary({ bgp: true, ...options, services: { min: 0, max: 0 }, clients: { min: 0, max: 0 } }),
      fc.nat(),
    )
    .map(([s, k]) => {
      const r = s.facts.routers[k % s.facts.routers.length]!;
      const document = s.documents.find(
        (d) => d['kind'] === 'Host' && (d['metadata'] as { name?: string } | undefined)?.name === r.name,
      )!;
      return { document, facts: r };
    });
}

/**
 * A `Service` with its backend pods (placed on the generator's nodes `k8s-ctr`, `k8s-w1`, …
 * with addresses in their pod CIDRs), and the service's facts.
 *
 * @param options - the scenario knobs that matter (`nodes`, `serviceTypes`, `podsPerService`).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { serviceArbitrary } from 'cilium-twin/arbitraries';
 * fc.assert(
 *   fc.property(serviceArbitrary({ serviceTypes: ['NodePort'] }), ({ facts }) =>
 *     facts.ports.every((p) => p.nodePort !== undefined && p.nodePort >= 30000 && p.nodePort <= 32767),
 *   ),
 * );
 * ```
 */
export function serviceArbitrary(
  options: Pick<ScenarioOptions, 'nodes' | 'serviceTypes' | 'podsPerService'> = {},
): fc.Arbitrary<{
  readonly service: ManifestDocument;
  readonly pods: readonly ManifestDocument[];
  readonly facts: ServiceFacts;
}> {
  return scenarioArbitrary({ ...options, services: { min: 1, max: 1 }, clients: { min: 0, max: 0 } }).map((s) => {
    const svc = s.facts.services[0]!;
    const pods = s.facts.pods.filter((p) => p.service === svc.name).map((p) => podDocument(p, svc.ports));
    return { service: serviceDocument(svc), pods, facts: svc };
  });
}
