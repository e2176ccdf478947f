/**
 * `cilium-twin/arbitraries`: fast-check generators of valid, realistic scenarios, for the
 * project's property tests and for users who property-test their own tools.
 *
 * A generated scenario is a list of raw manifests (plain objects, exactly as written in YAML)
 * plus the facts the generator knows (names, addresses, which services are LoadBalancer, their
 * backends per node, the effective Cilium configuration, the BGP set-up …). Write it as files with
 * {@link toYaml} or {@link toFiles}, decode it with `decodeScenario` from `cilium-twin`.
 *
 * See `docs/guide-property-testing.md` for the address plan and examples.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scenarioArbitrary, toFiles } from 'cilium-twin/arbitraries';
 * import { decodeScenario } from 'cilium-twin';
 *
 * fc.assert(
 *   fc.property(scenarioArbitrary({ bgp: true }), (s) => decodeScenario(toFiles(s.documents))._tag === 'Right'),
 * );
 * ```
 *
 * @packageDocumentation
 */
export type {
  BackendFacts,
  BgpFacts,
  Choice,
  ConfigFacts,
  GeneratedScenario,
  GeneratedServiceType,
  ManifestDocument,
  NodeFacts,
  PodFacts,
  PoolFacts,
  RouterFacts,
  ScenarioFacts,
  ScenarioOptions,
  ServiceFacts,
  ServicePortFacts,
  SizeRange,
  SubnetFacts,
} from './types.js';
export {
  MAGLEV_TABLE_SIZES,
  bgpConfigArbitrary,
  ciliumConfigArbitrary,
  hostArbitrary,
  nodeArbitrary,
  poolArbitrary,
  routerArbitrary,
  scenarioArbitrary,
  serviceArbitrary,
} from './scenario.js';
export { toFiles, toYaml } from './yaml.js';
export { workloadsArbitrary } from './workloads.js';
export type { GeneratedWorkloads, WorkloadsFacts, WorkloadsOptions } from './workloads.js';
export {
  egressScenarioArbitrary,
  type EgressNodeFacts,
  type EgressPodFacts,
  type EgressPolicyFacts,
  type GeneratedEgressScenario,
} from './egress.js';
export { HOSTILE_SHAPES, HOSTILE_SHAPE_NAMES, hostileYamlArbitrary, mutatedTextArbitrary } from './hostile.js';
export type { ConfigKnobs } from './scenario.js';
export { l2LabArbitrary, type GeneratedL2Lab, type L2LabFacts, type L2PolicyFacts } from './l2.js';
export { cnpRuleArbitrary, knpRuleArbitrary, policyDocumentsArbitrary, policyPortArbitrary } from './policy.js';
export {
  httpPathArbitrary,
  httpRequestArbitrary,
  httpRuleArbitrary,
  withHttpRulesArbitrary,
  type GeneratedHttpRequest,
} from './ingress.js';
export { withDualStack, mirrorIp, mirrorPrefix, unmirror } from './dual-stack.js';
export { meshArbitrary, meshPolicyArbitrary, type GeneratedMesh, type MeshClusterFacts, type MeshEndpointFacts, type MeshOptions } from './mesh.js';
