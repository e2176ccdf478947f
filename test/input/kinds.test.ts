import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import type { Scenario } from '../../src/input/types.js';

function decode(text: string): E.Either<string[], Scenario> {
  const r = decodeScenario([{ file: 'k.yaml', text }]);
  return E.isLeft(r) ? E.left(r.left.map((e) => e.message)) : E.right(r.right);
}
function ok(text: string): Scenario {
  const r = decode(text);
  if (E.isLeft(r)) throw new Error(r.left.join('\n'));
  return r.right;
}

describe('Cilium kinds', () => {
  it('reads an Isovalent egress gateway policy with its groups, AZ affinity and egress CIDRs', () => {
    const s = ok(`apiVersion: isovalent.com/v1
kind: IsovalentEgressGatewayPolicy
metadata: {name: egw}
spec:
  selectors: [{podSelector: {matchLabels: {app: curl}}}]
  destinationCIDRs: [0.0.0.0/0]
  excludedCIDRs: [10.0.0.0/8]
  azAffinity: localPriority
  egressCIDRs: [192.150.9.124/31]
  egressGroups:
    - nodeSelector: {matchLabels: {egress: "true"}}
      maxGatewayNodes: 2
`);
    const p = s.egressGatewayPolicies[0]!;
    expect(p.flavour).toBe('isovalent');
    expect(p.gateways).toHaveLength(1);
    expect(p.gateways[0]!.maxGatewayNodes).toBe(2);
    expect(p.azAffinity).toBe('localPriority');
    expect(p.egressCIDRs?.map((c) => c.toCidrString())).toEqual(['192.150.9.124/31']);
    expect(p.excludedCIDRs.map((c) => c.toCidrString())).toEqual(['10.0.0.0/8']);
  });

  it('refuses an OSS egress policy with both interface and egressIP', () => {
    expect(
      decode(`apiVersion: cilium.io/v2
kind: CiliumEgressGatewayPolicy
metadata: {name: egw}
spec:
  selectors: [{podSelector: {}}]
  destinationCIDRs: [0.0.0.0/0]
  egressGateway: {nodeSelector: {}, interface: eth1, egressIP: 10.0.0.5}
`),
    ).toEqual(E.left(['k.yaml#1 CiliumEgressGatewayPolicy/egw: spec.egressGateway: give either interface or egressIP, not both']));
  });

  it('reads pools with CIDR and start/stop blocks, and refuses a reversed range', () => {
    const s = ok(`apiVersion: cilium.io/v2alpha1
kind: CiliumLoadBalancerIPPool
metadata: {name: p}
spec:
  blocks: [{cidr: 172.16.1.0/24}, {start: 172.16.2.10, stop: 172.16.2.20}, {start: 172.16.3.1}]
  serviceSelector: {matchLabels: {color: blue}}
`);
    expect(s.lbIpPools[0]!.blocks.map((b) => ('cidr' in b ? b.cidr.toCidrString() : `${b.start.toString()}-${b.stop.toString()}`))).toEqual([
      '172.16.1.0/24',
      '172.16.2.10-172.16.2.20',
      '172.16.3.1-172.16.3.1',
    ]);
    expect(s.lbIpPools[0]!.allowFirstLastIPs).toBeUndefined();
    expect(decode('apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: [{start: 10.0.0.9, stop: 10.0.0.1}]}\n')).toEqual(
      E.left(['k.yaml#1 CiliumLoadBalancerIPPool/p: spec.blocks[0].stop: must not be below start (10.0.0.9)']),
    );
  });

  it('checks BGP CRD rules: unique names, Service adverts need service, timers', () => {
    expect(
      decode(`apiVersion: cilium.io/v2
kind: CiliumBGPClusterConfig
metadata: {name: c}
spec:
  bgpInstances:
  - {name: a, localASN: 65001, peers: [{name: p}, {name: p}]}
  - {name: a}
---
apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: ad}
spec:
  advertisements: [{advertisementType: Service}]
---
apiVersion: cilium.io/v2
kind: CiliumBGPPeerConfig
metadata: {name: pc}
spec: {timers: {holdTimeSeconds: 9, keepAliveTimeSeconds: 30}}
`),
    ).toEqual(
      E.left([
        'k.yaml#1 CiliumBGPClusterConfig/c: spec.bgpInstances[1].name: duplicate name "a"',
        'k.yaml#1 CiliumBGPClusterConfig/c: spec.bgpInstances[0].peers[1].name: duplicate name "p"',
        'k.yaml#2 CiliumBGPAdvertisement/ad: spec.advertisements[0].service: required when advertisementType is Service',
        'k.yaml#3 CiliumBGPPeerConfig/pc: spec.timers.keepAliveTimeSeconds: must not exceed holdTimeSeconds (9), got 30',
      ]),
    );
  });

  it('reads a node config override and refuses an IPv6 router ID', () => {
    const s = ok('apiVersion: cilium.io/v2\nkind: CiliumBGPNodeConfigOverride\nmetadata: {name: k8s-ctr}\nspec: {bgpInstances: [{name: i, routerID: 10.0.0.1, peers: [{name: p, localAddress: 192.168.10.100}]}]}\n');
    expect(s.bgpNodeConfigOverrides[0]!.bgpInstances[0]!.routerID?.toString()).toBe('10.0.0.1');
    expect(decode('apiVersion: cilium.io/v2\nkind: CiliumBGPNodeConfigOverride\nmetadata: {name: n}\nspec: {bgpInstances: [{name: i, routerID: "fd00::1"}]}\n')).toEqual(
      E.left(['k.yaml#1 CiliumBGPNodeConfigOverride/n: spec.bgpInstances[0].routerID: expected an IPv4 address, got "fd00:0:0:0:0:0:0:1"']),
    );
  });

  it('keeps Cilium policies as JSON, spec then specs', () => {
    const s = ok('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: np, namespace: app}\nspec: {endpointSelector: {}}\nspecs: [{endpointSelector: {matchLabels: {a: b}}}]\n');
    expect(s.ciliumNetworkPolicies[0]!.specs).toEqual([{ endpointSelector: {} }, { endpointSelector: { matchLabels: { a: 'b' } } }]);
    expect(s.ciliumNetworkPolicies[0]!.meta.namespace).toBe('app');
  });

  it('reads headless, dual-stack and LoadBalancer services', () => {
    const s = ok(`apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {enable-ipv6: "true"}
---
apiVersion: v1
kind: Service
metadata: {name: h}
spec: {clusterIP: None, selector: {app: x}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: d}
spec: {clusterIPs: [10.96.0.5, "fd00::5"], ipFamilies: [IPv4, IPv6], ipFamilyPolicy: PreferDualStack, ports: [{name: a, port: 80}, {name: b, port: 443, targetPort: https}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, annotations: {lbipam.cilium.io/ips: 172.16.1.9}}
spec: {type: LoadBalancer, ports: [{port: 80, nodePort: 30080}], loadBalancerClass: io.cilium/bgp-control-plane, externalTrafficPolicy: Local, healthCheckNodePort: 31000}
status: {loadBalancer: {ingress: [{ip: 172.16.1.9}]}}
`);
    const [d, h, lb] = s.services;
    expect(h!.headless).toBe(true);
    expect(h!.clusterIPs).toEqual([]);
    expect(d!.clusterIPs.map((a) => a.toString())).toEqual(['10.96.0.5', 'fd00:0:0:0:0:0:0:5']);
    expect(d!.ipFamilyPolicy).toBe('PreferDualStack');
    expect(d!.ports[1]!.targetPort).toBe('https');
    expect(lb!.loadBalancerIngress.map((a) => a.toString())).toEqual(['172.16.1.9']);
    expect(lb!.meta.annotations['lbipam.cilium.io/ips']).toBe('172.16.1.9');
    expect(lb!.healthCheckNodePort).toBe(31000);
    expect(decode('apiVersion: v1\nkind: Service\nmetadata: {name: m}\nspec: {ports: [{port: 80}, {port: 81}]}\n')).toEqual(
      E.left([
        'k.yaml#1 Service/m: spec.ports[0].name: required when a service has more than one port',
        'k.yaml#1 Service/m: spec.ports[1].name: required when a service has more than one port',
      ]),
    );
  });
});
