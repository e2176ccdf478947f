/**
 * The kinds the model reads: API groups, scope, where each goes in the {@link Scenario}, and its
 * decoder.
 *
 * @module
 */
import type { Scenario } from '../types.js';
import {
  decodeEndpointSlice,
  decodeIngress,
  decodeIngressClass,
  decodeGatewayClass,
  decodeGateway,
  decodeHttpRoute,
  decodeNamespace,
  decodeNode,
  decodePod,
  decodeService,
  type KindDecode,
} from './kubernetes.js';
import {
  decodeBgpAdvertisement,
  decodeBgpClusterConfig,
  decodeBgpNodeConfigOverride,
  decodeBgpPeerConfig,
  decodeCiliumNode,
  decodeEgressGatewayPolicy,
  decodeL2AnnouncementPolicy,
  decodeLbIpPool,
} from './cilium.js';
import { decodeHost } from './host.js';
import { decodePolicyOf, decodeTraffic } from './policy.js';
import { decodeController, decodeServiceCIDR } from './workloads.js';
import { decodeLocalRedirectPolicy, decodePodIPPool } from './svcfeat.js';

/**
 * A list of the scenario that holds objects of one kind.
 *
 * @example
 * const slot: ScenarioSlot = 'services';
 */
export type ScenarioSlot = Exclude<keyof Scenario, 'ciliumConfig' | 'ignored'>;

/**
 * How one kind is read.
 *
 * @example
 * const spec: KindSpec = { kind: 'Host', groups: ['cilium-twin'], namespaced: false, slot: 'hosts', decode: decodeHost };
 */
export interface KindSpec {
  /** `kind`. */
  readonly kind: string;
  /** API groups it is served in (the first is its identity group); `''` is the core group. */
  readonly groups: readonly string[];
  /** Namespaced (namespace defaults to `default`) or cluster-scoped (namespace dropped). */
  readonly namespaced: boolean;
  /** Where it goes in the scenario. */
  readonly slot: ScenarioSlot;
  /** Its decoder. */
  readonly decode: KindDecode<unknown>;
}

/**
 * The API group of an `apiVersion` (`cilium.io/v2` → `cilium.io`, `v1` → `''`).
 *
 * @example
 * groupOf('discovery.k8s.io/v1'); // 'discovery.k8s.io'
 */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

const CILIUM = ['cilium.io'];

/**
 * Every kind the model reads (`ConfigMap` `kube-system/cilium-config` is handled apart).
 *
 * @example
 * KINDS.find((k) => k.kind === 'Service')?.slot; // 'services'
 */
export const KINDS: readonly KindSpec[] = [
  { kind: 'Node', groups: [''], namespaced: false, slot: 'nodes', decode: decodeNode },
  { kind: 'Namespace', groups: [''], namespaced: false, slot: 'namespaces', decode: decodeNamespace },
  { kind: 'Pod', groups: [''], namespaced: true, slot: 'pods', decode: decodePod },
  { kind: 'Service', groups: [''], namespaced: true, slot: 'services', decode: decodeService },
  { kind: 'EndpointSlice', groups: ['discovery.k8s.io'], namespaced: true, slot: 'endpointSlices', decode: decodeEndpointSlice },
  { kind: 'Ingress', groups: ['networking.k8s.io'], namespaced: true, slot: 'ingresses', decode: decodeIngress },
  { kind: 'IngressClass', groups: ['networking.k8s.io'], namespaced: false, slot: 'ingressClasses', decode: decodeIngressClass },
  { kind: 'GatewayClass', groups: ['gateway.networking.k8s.io'], namespaced: false, slot: 'gatewayClasses', decode: decodeGatewayClass },
  { kind: 'Gateway', groups: ['gateway.networking.k8s.io'], namespaced: true, slot: 'gateways', decode: decodeGateway },
  { kind: 'HTTPRoute', groups: ['gateway.networking.k8s.io'], namespaced: true, slot: 'httpRoutes', decode: decodeHttpRoute },
  { kind: 'NetworkPolicy', groups: ['networking.k8s.io'], namespaced: true, slot: 'networkPolicies', decode: decodePolicyOf('NetworkPolicy') },
  { kind: 'CiliumNode', groups: CILIUM, namespaced: false, slot: 'ciliumNodes', decode: decodeCiliumNode },
  { kind: 'CiliumBGPClusterConfig', groups: CILIUM, namespaced: false, slot: 'bgpClusterConfigs', decode: decodeBgpClusterConfig },
  { kind: 'CiliumBGPPeerConfig', groups: CILIUM, namespaced: false, slot: 'bgpPeerConfigs', decode: decodeBgpPeerConfig },
  { kind: 'CiliumBGPAdvertisement', groups: CILIUM, namespaced: false, slot: 'bgpAdvertisements', decode: decodeBgpAdvertisement },
  { kind: 'CiliumBGPNodeConfigOverride', groups: CILIUM, namespaced: false, slot: 'bgpNodeConfigOverrides', decode: decodeBgpNodeConfigOverride },
  { kind: 'CiliumLoadBalancerIPPool', groups: CILIUM, namespaced: false, slot: 'lbIpPools', decode: decodeLbIpPool },
  { kind: 'CiliumL2AnnouncementPolicy', groups: CILIUM, namespaced: false, slot: 'l2AnnouncementPolicies', decode: decodeL2AnnouncementPolicy },
  { kind: 'CiliumEgressGatewayPolicy', groups: CILIUM, namespaced: false, slot: 'egressGatewayPolicies', decode: decodeEgressGatewayPolicy('cilium') },
  { kind: 'IsovalentEgressGatewayPolicy', groups: ['isovalent.com'], namespaced: false, slot: 'egressGatewayPolicies', decode: decodeEgressGatewayPolicy('isovalent') },
  { kind: 'CiliumNetworkPolicy', groups: CILIUM, namespaced: true, slot: 'ciliumNetworkPolicies', decode: decodePolicyOf('CiliumNetworkPolicy') },
  { kind: 'CiliumClusterwideNetworkPolicy', groups: CILIUM, namespaced: false, slot: 'ciliumClusterwideNetworkPolicies', decode: decodePolicyOf('CiliumClusterwideNetworkPolicy') },
  { kind: 'Host', groups: ['cilium-twin'], namespaced: false, slot: 'hosts', decode: decodeHost },
  { kind: 'Traffic', groups: ['cilium-twin'], namespaced: false, slot: 'traffic', decode: decodeTraffic },
  // workloads (issue 11)
  { kind: 'Deployment', groups: ['apps'], namespaced: true, slot: 'controllers', decode: decodeController('Deployment') },
  { kind: 'ReplicaSet', groups: ['apps'], namespaced: true, slot: 'controllers', decode: decodeController('ReplicaSet') },
  { kind: 'DaemonSet', groups: ['apps'], namespaced: true, slot: 'controllers', decode: decodeController('DaemonSet') },
  { kind: 'StatefulSet', groups: ['apps'], namespaced: true, slot: 'controllers', decode: decodeController('StatefulSet') },
  { kind: 'ServiceCIDR', groups: ['networking.k8s.io'], namespaced: false, slot: 'serviceCIDRs', decode: decodeServiceCIDR },
  // service features (issue 18 items 2-4)
  { kind: 'CiliumPodIPPool', groups: CILIUM, namespaced: false, slot: 'podIPPools', decode: decodePodIPPool },
  { kind: 'CiliumLocalRedirectPolicy', groups: CILIUM, namespaced: true, slot: 'localRedirectPolicies', decode: decodeLocalRedirectPolicy },
];
