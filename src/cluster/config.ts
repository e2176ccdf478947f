/**
 * The Cilium agent configuration with Cilium 1.18's defaults where `cilium-config` is silent.
 *
 * Defaults are the agent's own flag defaults (`pkg/option/config.go`, `pkg/defaults`), not the
 * Helm chart's, since the model reads the ConfigMap the chart would have written: a key the
 * ConfigMap does not hold takes the agent's default. One derived rule: with
 * `kube-proxy-replacement=true` the agent turns session affinity on, whatever
 * `enable-session-affinity` says (as it auto-enables the other kube-proxy replacement features).
 *
 * @module
 */
import { readConfig } from '../input/cilium-config.js';
import type { IpPrefix, StringMap } from '../input/types.js';
import type { CiliumConfig } from './types.js';

/**
 * Cilium 1.18's defaults, by `cilium-config` key, for the keys {@link ciliumConfigFrom} reads.
 *
 * @example
 * CILIUM_DEFAULTS['bpf-lb-maglev-table-size']; // '16381'
 */
export const CILIUM_DEFAULTS: Readonly<Record<string, string>> = {
  'cluster-name': 'default',
  'cluster-id': '0',
  ipam: 'cluster-pool',
  'routing-mode': 'tunnel',
  'tunnel-protocol': 'vxlan',
  'auto-direct-node-routes': 'false',
  'kube-proxy-replacement': 'false',
  'enable-ipv4': 'true',
  'enable-ipv6': 'false',
  'enable-bpf-masquerade': 'false',
  'enable-ipv4-masquerade': 'true',
  'enable-ipv6-masquerade': 'true',
  'enable-bgp-control-plane': 'false',
  'bgp-router-id-allocation-mode': 'default',
  'enable-no-service-endpoints-routable': 'true',
  'bpf-lb-algorithm': 'random',
  'bpf-lb-mode': 'snat',
  'bpf-lb-dsr-dispatch': 'opt',
  'bpf-lb-maglev-table-size': '16381',
  'bpf-lb-maglev-hash-seed': 'JLfvgnHc2kaSUFaI',
  'bpf-lb-external-clusterip': 'false',
  'enable-health-check-nodeport': 'true',
  'enable-health-check-loadbalancer-ip': 'false',
  'default-lb-service-ipam': 'lbipam',
  'enable-l2-announcements': 'false',
  'enable-ipv4-egress-gateway': 'false',
  'enable-ip-masq-agent': 'false',
  'bpf-lb-algorithm-annotation': 'false',
  'bpf-lb-mode-annotation': 'false',
  'bpf-lb-source-range-all-types': 'false',
  'bpf-lb-enable-wildcard-entries': 'false',
  'max-connected-clusters': '255',
  'enable-sctp': 'false',
  'enable-host-legacy-routing': 'false',
  'cluster-pool-ipv4-cidr': '10.0.0.0/8',
  'cluster-pool-ipv4-mask-size': '24',
  'l2-announcements-lease-duration': '15s',
  'l2-announcements-renew-deadline': '5s',
  'l2-announcements-retry-period': '2s',
  'enable-local-redirect-policy': 'false',
  'enable-service-topology': 'false',
  'enable-ingress-controller': 'false',
  'ingress-default-lb-mode': 'dedicated',
  'ingress-shared-lb-service-name': 'cilium-ingress',
  'enforce-ingress-https': 'true',
  'ingress-lb-annotation-prefixes': 'lbipam.cilium.io nodeipam.cilium.io service.beta.kubernetes.io service.kubernetes.io cloud.google.com',
};

/** `enable-policy`, else the older `policy-enforcement`; a value the agent refuses counts as `default`. */
function policyEnforcementOf(d: Readonly<Record<string, string>>): CiliumConfig['policyEnforcement'] {
  const v = d['enable-policy'] ?? d['policy-enforcement'];
  return v === 'always' || v === 'never' ? v : 'default';
}

/**
 * The agent configuration from the `cilium-config` data (after `--set` overrides), with
 * Cilium 1.18's defaults for absent keys. Total: a value that does not parse (already reported
 * by decoding) falls back to the default.
 *
 * @example
 * ```ts
 * ciliumConfigFrom({ 'routing-mode': 'native', 'bpf-lb-algorithm': 'maglev' }).lbAlgorithm; // 'maglev'
 * ciliumConfigFrom(undefined).routingMode; // 'tunnel'
 * ```
 */
export function ciliumConfigFrom(data: StringMap | undefined): CiliumConfig {
  const d: Readonly<Record<string, string>> = data ?? {};
  const def = <A>(key: string): A => readConfig<A>(CILIUM_DEFAULTS, key, undefined as A);
  const get = <A>(key: string): A => readConfig<A>(d, key, def<A>(key));
  const kubeProxyReplacement = get<string>('kube-proxy-replacement') === 'true';
  const v4cidr = readConfig<IpPrefix | undefined>(d, 'ipv4-native-routing-cidr', undefined);
  const v6cidr = readConfig<IpPrefix | undefined>(d, 'ipv6-native-routing-cidr', undefined);
  const raw: Record<string, string> = {};
  for (const key of Object.keys(d).sort()) raw[key] = d[key]!;
  return {
    clusterName: get('cluster-name'),
    clusterId: get('cluster-id'),
    ipam: get('ipam'),
    routingMode: get('routing-mode'),
    tunnelProtocol: get('tunnel-protocol'),
    autoDirectNodeRoutes: get('auto-direct-node-routes'),
    ...(v4cidr !== undefined ? { ipv4NativeRoutingCIDR: v4cidr } : {}),
    ...(v6cidr !== undefined ? { ipv6NativeRoutingCIDR: v6cidr } : {}),
    kubeProxyReplacement,
    enableIPv4: get('enable-ipv4'),
    enableIPv6: get('enable-ipv6'),
    enableBpfMasquerade: get('enable-bpf-masquerade'),
    enableIPv4Masquerade: get('enable-ipv4-masquerade'),
    enableIPv6Masquerade: get('enable-ipv6-masquerade'),
    enableBgpControlPlane: get('enable-bgp-control-plane'),
    bgpRouterIdAllocationMode: get('bgp-router-id-allocation-mode'),
    enableNoServiceEndpointsRoutable: get('enable-no-service-endpoints-routable'),
    lbAlgorithm: get('bpf-lb-algorithm'),
    lbMode: get('bpf-lb-mode'),
    lbDsrDispatch: get('bpf-lb-dsr-dispatch'),
    maglevTableSize: get('bpf-lb-maglev-table-size'),
    maglevHashSeed: get('bpf-lb-maglev-hash-seed'),
    lbExternalClusterIP: get('bpf-lb-external-clusterip'),
    // The agent turns session affinity on whenever kube-proxy replacement is on (pkg/kpr).
    enableSessionAffinity: kubeProxyReplacement || readConfig<boolean>(d, 'enable-session-affinity', false),
    enableHealthCheckNodePort: get('enable-health-check-nodeport'),
    enableHealthCheckLoadBalancerIP: get('enable-health-check-loadbalancer-ip'),
    defaultLbServiceIpam: get('default-lb-service-ipam'),
    enableL2Announcements: get('enable-l2-announcements'),
    enableEgressGateway: get('enable-ipv4-egress-gateway'),
    enableIpMasqAgent: get('enable-ip-masq-agent'),
    devices: readConfig<readonly string[]>(d, 'devices', []),
    lbAlgorithmAnnotation: get('bpf-lb-algorithm-annotation'),
    lbModeAnnotation: get('bpf-lb-mode-annotation'),
    lbSourceRangeAllTypes: get('bpf-lb-source-range-all-types'),
    lbWildcardEntries: get('bpf-lb-enable-wildcard-entries'),
    maxConnectedClusters: get<number>('max-connected-clusters') === 511 ? 511 : 255,
    clustermeshEnabled: (d['clustermesh-enabled'] ?? 'true').toLowerCase() !== 'false',
    policyDefaultLocalCluster: (d['policy-default-local-cluster'] ?? 'false').toLowerCase() === 'true',
    policyEnforcement: policyEnforcementOf(d),
    enableSctp: get('enable-sctp'),
    enableHostLegacyRouting: get('enable-host-legacy-routing'),
    clusterPoolIPv4Cidrs: get('cluster-pool-ipv4-cidr'),
    clusterPoolIPv4MaskSize: get('cluster-pool-ipv4-mask-size'),
    ...(d['ipam-multi-pool-pre-allocation'] !== undefined ? { ipamMultiPoolPreAllocation: d['ipam-multi-pool-pre-allocation'] } : {}),
    l2LeaseDuration: get('l2-announcements-lease-duration'),
    l2RenewDeadline: get('l2-announcements-renew-deadline'),
    l2RetryPeriod: get('l2-announcements-retry-period'),
    enableLocalRedirectPolicy: get('enable-local-redirect-policy'),
    enableServiceTopology: get('enable-service-topology'),
    enableIngressController: get('enable-ingress-controller'),
    ingressDefaultLbMode: get('ingress-default-lb-mode'),
    ingressSharedLbServiceName: get('ingress-shared-lb-service-name'),
    enforceIngressHttps: get('enforce-ingress-https'),
    ingressLbAnnotationPrefixes: get('ingress-lb-annotation-prefixes'),
    raw,
  };
}
