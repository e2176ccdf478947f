/**
 * Hand-built scenario pieces shared by the stage tests (independent of the input and cluster
 * stages): addresses, metadata, an empty scenario, the tests' Cilium configuration.
 */
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from 'ip-num';
import type { CiliumConfig } from '../../src/cluster/types.js';
import type { IpAddress, IpPrefix, Meta, Scenario } from '../../src/input/types.js';

/** An IPv4 or IPv6 address from text. */
export const ip = (s: string): IpAddress => (s.includes(':') ? IPv6.fromString(s) : IPv4.fromString(s));

/** An IPv4 address from text. */
export const v4 = (s: string): IPv4 => IPv4.fromString(s);

/** An IPv4 or IPv6 prefix from text. */
export const cidr = (s: string): IpPrefix => (s.includes(':') ? IPv6CidrRange.fromCidr(s) : IPv4CidrRange.fromCidr(s));

/** An IPv4 prefix from text. */
export const cidr4 = (s: string): IPv4CidrRange => IPv4CidrRange.fromCidr(s);

/** Object metadata: no labels or annotations unless `extra` sets them. */
export function meta(name: string, namespace?: string, extra: Partial<Meta> = {}): Meta {
  return { name, ...(namespace !== undefined ? { namespace } : {}), labels: {}, annotations: {}, ...extra };
}

/** A scenario with nothing in it. */
export function emptyScenario(): Scenario {
  return {
    nodes: [],
    namespaces: [],
    pods: [],
    services: [],
    endpointSlices: [],
    ingresses: [],
    networkPolicies: [],
    ciliumNodes: [],
    bgpClusterConfigs: [],
    bgpPeerConfigs: [],
    bgpAdvertisements: [],
    bgpNodeConfigOverrides: [],
    lbIpPools: [],
    l2AnnouncementPolicies: [],
    egressGatewayPolicies: [],
    ciliumNetworkPolicies: [],
    ciliumClusterwideNetworkPolicies: [],
    hosts: [],
    ignored: [],
  };
}

/** The Cilium configuration the hand-built test clusters use. */
export const defaultConfig: CiliumConfig = {
  clusterName: 'default',
  clusterId: 0,
  ipam: 'kubernetes',
  routingMode: 'native',
  tunnelProtocol: 'vxlan',
  autoDirectNodeRoutes: false,
  kubeProxyReplacement: true,
  enableIPv4: true,
  enableIPv6: false,
  enableBpfMasquerade: true,
  enableIPv4Masquerade: true,
  enableIPv6Masquerade: true,
  enableBgpControlPlane: true,
  bgpRouterIdAllocationMode: 'default',
  enableNoServiceEndpointsRoutable: true,
  lbAlgorithm: 'random',
  lbMode: 'snat',
  lbDsrDispatch: 'opt',
  maglevTableSize: 16381,
  maglevHashSeed: 'JLfvgnHc2kaSUFaI',
  lbExternalClusterIP: false,
  enableSessionAffinity: true,
  enableHealthCheckNodePort: true,
  enableHealthCheckLoadBalancerIP: false,
  defaultLbServiceIpam: 'lbipam',
  enableL2Announcements: false,
  enableEgressGateway: false,
  enableIpMasqAgent: false,
  devices: [],
  lbAlgorithmAnnotation: false,
  lbModeAnnotation: false,
  lbSourceRangeAllTypes: false,
  lbWildcardEntries: false,
  maxConnectedClusters: 255,
  clustermeshEnabled: true,
  policyDefaultLocalCluster: false,
  policyEnforcement: 'default',
  enableSctp: false,
  enableHostLegacyRouting: false,
  clusterPoolIPv4Cidrs: ['10.0.0.0/8'],
  clusterPoolIPv4MaskSize: 24,
  l2LeaseDuration: 15e9,
  l2RenewDeadline: 5e9,
  l2RetryPeriod: 2e9,
  enableLocalRedirectPolicy: false,
  enableServiceTopology: false,
  enableIngressController: false,
  ingressDefaultLbMode: 'dedicated',
  ingressSharedLbServiceName: 'cilium-ingress',
  enforceIngressHttps: true,
  ingressLbAnnotationPrefixes: ['lbipam.cilium.io', 'nodeipam.cilium.io', 'service.beta.kubernetes.io', 'service.kubernetes.io', 'cloud.google.com'],
  raw: {},
};

/** {@link defaultConfig} with some fields changed. */
export function config(over: Partial<CiliumConfig> = {}): CiliumConfig {
  return { ...defaultConfig, ...over };
}
