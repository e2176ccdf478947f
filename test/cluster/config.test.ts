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
      defaultLbServiceIpam: 'lbipam',
      enableL2Announcements: false,
      enableEgressGateway: false,
      devices: [],
      raw: {},
    });
    expect(c.ipv4NativeRoutingCIDR).toBeUndefined();
    expect(ciliumConfigFrom({})).toEqual(c);
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
