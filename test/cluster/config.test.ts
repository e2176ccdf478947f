import { describe, it, expect } from 'vitest';
import { ciliumConfigFrom } from '../../src/cluster/config.js';
import { loadLab } from '../helpers/lab.js';

describe('ciliumConfigFrom', () => {
  it("gives Cilium 1.18's defaults for an empty or absent ConfigMap", () => {
    const c = ciliumConfigFrom(undefined);
    expect(c).toMatchObject({
      clusterName: 'default',
      clusterId: 0,
      ipam: 'cluster-pool',
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      autoDirectNodeRoutes: false,
      kubeProxyReplacement: false,
      enableIPv4: true,
      enableIPv6: false,
      enableBpfMasquerade: false,
      enableIPv4Masquerade: true,
      enableBgpControlPlane: false,
      enableNoServiceEndpointsRoutable: true,
      lbAlgorithm: 'random',
      lbMode: 'snat',
      lbDsrDispatch: 'opt',
      maglevTableSize: 16381,
      maglevHashSeed: 'JLfvgnHc2kaSUFaI',
      lbExternalClusterIP: false,
      enableSessionAffinity: false,
      enableHealthCheckNodePort: true,
      enableHealthCheckLoadBalancerIP: false,
      defaultLbServiceIpam: 'lbipam',
      enableL2Announcements: false,
      enableEgressGateway: false,
      devices: [],
      raw: {},
    });
    expect(c.ipv4NativeRoutingCIDR).toBeUndefined();
    expect(ciliumConfigFrom({})).toEqual(c);
  });

  it('decodes the typed fields stages read (no raw key lookups), with Cilium 1.18 defaults', () => {
    expect(ciliumConfigFrom(undefined)).toMatchObject({
      lbAlgorithmAnnotation: false,
      lbModeAnnotation: false,
      lbSourceRangeAllTypes: false,
      lbWildcardEntries: false,
      maxConnectedClusters: 255,
      clustermeshEnabled: true,
      policyEnforcement: 'default',
      enableSctp: false,
      enableHostLegacyRouting: false,
      clusterPoolIPv4Cidrs: ['10.0.0.0/8'],
      clusterPoolIPv4MaskSize: 24,
      l2LeaseDuration: 15e9,
      l2RenewDeadline: 5e9,
      l2RetryPeriod: 2e9,
    });
    expect(ciliumConfigFrom(undefined).ipamMultiPoolPreAllocation).toBeUndefined();
    expect(
      ciliumConfigFrom({
        'bpf-lb-algorithm-annotation': 'true',
        'bpf-lb-mode-annotation': '1',
        'bpf-lb-source-range-all-types': 'true',
        'bpf-lb-enable-wildcard-entries': 'true',
        'max-connected-clusters': '511',
        'clustermesh-enabled': 'False',
        'policy-enforcement': 'always',
        'enable-sctp': 'true',
        'enable-host-legacy-routing': 'true',
        'cluster-pool-ipv4-cidr': '10.1.0.0/16 10.2.0.0/16',
        'cluster-pool-ipv4-mask-size': '26',
        'ipam-multi-pool-pre-allocation': 'default=4',
        'l2-announcements-lease-duration': '20s',
        'l2-announcements-renew-deadline': '10s',
        'l2-announcements-retry-period': '500ms',
      }),
    ).toMatchObject({
      lbAlgorithmAnnotation: true,
      lbModeAnnotation: true,
      lbSourceRangeAllTypes: true,
      lbWildcardEntries: true,
      maxConnectedClusters: 511,
      clustermeshEnabled: false,
      policyEnforcement: 'always',
      enableSctp: true,
      enableHostLegacyRouting: true,
      clusterPoolIPv4Cidrs: ['10.1.0.0/16', '10.2.0.0/16'],
      clusterPoolIPv4MaskSize: 26,
      ipamMultiPoolPreAllocation: 'default=4',
      l2LeaseDuration: 20e9,
      l2RenewDeadline: 10e9,
      l2RetryPeriod: 5e8,
    });
    // enable-policy wins over the older policy-enforcement; a value the agent refuses is 'default'.
    expect(ciliumConfigFrom({ 'enable-policy': 'never', 'policy-enforcement': 'always' }).policyEnforcement).toBe('never');
    expect(ciliumConfigFrom({ 'enable-policy': 'sometimes' }).policyEnforcement).toBe('default');
  });

  it('reads the lab configuration', () => {
    const c = loadLab().config;
    expect(c).toMatchObject({ routingMode: 'native', ipam: 'kubernetes', kubeProxyReplacement: true, enableBgpControlPlane: true, enableBpfMasquerade: true, enableSessionAffinity: true });
    expect(c.ipv4NativeRoutingCIDR?.toCidrString()).toBe('172.20.0.0/16');
    expect(c.raw['bgp-secrets-namespace']).toBe('kube-system');
  });

  it('reads the DSR/Maglev variant and --set overrides', () => {
    expect(loadLab(['dsr-maglev.yaml']).config).toMatchObject({ lbAlgorithm: 'maglev', lbMode: 'dsr', lbDsrDispatch: 'geneve', tunnelProtocol: 'geneve', maglevTableSize: 16381 });
    expect(loadLab([], { 'loadBalancer.mode': 'hybrid', 'maglev.tableSize': '65521', 'bpf.lbExternalClusterIP': 'true' }).config).toMatchObject({
      lbMode: 'hybrid',
      maglevTableSize: 65521,
      lbExternalClusterIP: true,
    });
  });

  it('turns session affinity on with kube-proxy replacement, as the agent does', () => {
    expect(ciliumConfigFrom({ 'kube-proxy-replacement': 'true', 'enable-session-affinity': 'false' }).enableSessionAffinity).toBe(true);
    expect(ciliumConfigFrom({ 'enable-session-affinity': 'true' }).enableSessionAffinity).toBe(true);
  });

  it('splits devices on spaces and commas; reads Go booleans', () => {
    expect(ciliumConfigFrom({ devices: 'eth0 eth1,eth2' }).devices).toEqual(['eth0', 'eth1', 'eth2']);
    expect(ciliumConfigFrom({ 'auto-direct-node-routes': 'True', 'enable-bgp-control-plane': '1' })).toMatchObject({ autoDirectNodeRoutes: true, enableBgpControlPlane: true });
  });
});
