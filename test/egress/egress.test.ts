import { describe, it, expect } from 'vitest';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { egressLab } from './helpers.js';
import {
  IP_MASQ_AGENT_DEFAULTS,
  effectiveNonMasqueradeCIDRs,
  egressMapRows,
  egressState,
  egressWarnings,
  masqueradeSettings,
  masqueradingStatus,
} from '../../src/egress/index.js';
import { decodeIpMasqAgentConfig } from '../../src/input/ip-masq-agent.js';
import { decodeScenario } from '../../src/input/decode.js';
import { compileNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';
import { parsePrefix } from '../../src/net/addr.js';

const OSS = ['egress-policy.yaml'];
const toOutpost = { dst: '172.18.0.50', dport: 8000 } as const;
const seen = (c: ReturnType<typeof egressLab>, from: string) => trace(compileNetwork(c), { from, ...toOutpost });

describe('masquerading', () => {
  it('ip-masq-agent defaults: the eleven ranges plus link-local unless masqLinkLocal', () => {
    expect(effectiveNonMasqueradeCIDRs(undefined)).toEqual([...IP_MASQ_AGENT_DEFAULTS, '169.254.0.0/16']);
    const given = { nonMasqueradeCIDRs: [parsePrefix('10.1.0.0/16')!], masqLinkLocal: true, masqLinkLocalIPv6: false };
    expect(effectiveNonMasqueradeCIDRs(given)).toEqual(['10.1.0.0/16']);
    expect(effectiveNonMasqueradeCIDRs({ ...given, masqLinkLocal: false })).toEqual(['10.1.0.0/16', '169.254.0.0/16']);
  });

  it('decodes the ConfigMap text (YAML or JSON) and locates a bad CIDR', () => {
    const ok = decodeIpMasqAgentConfig('{"nonMasqueradeCIDRs":["10.0.0.0/8"],"masqLinkLocal":true}');
    expect(isRight(ok) && ok.right.nonMasqueradeCIDRs.map((p) => p.toCidrString())).toEqual(['10.0.0.0/8']);
    const bad = decodeScenario([
      { file: 'm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ip-masq-agent, namespace: kube-system}\ndata:\n  config: "nonMasqueradeCIDRs: [10.0.0.0/33]"\n' },
    ]);
    expect(isLeft(bad) && bad.left[0]!.message).toMatch(/m\.yaml.*ConfigMap\/ip-masq-agent: data\.config\.nonMasqueradeCIDRs\[0\]/);
  });

  it('the ip-masq-agent exempts its CIDRs: the outpost sees the pod address', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ip-masq-agent, namespace: kube-system}\ndata:\n  config: |\n    nonMasqueradeCIDRs: [172.18.0.0/16]\n';
    const c = egressLab([], cm, { 'ipMasqAgent.enabled': 'true' });
    expect(masqueradeSettings(c).nonMasqueradeCIDRs).toEqual(['172.18.0.0/16', '169.254.0.0/16']);
    expect(seen(c, 'xwing').seenByBackend?.src).toBe('10.244.1.52:40000');
    // without the agent's config the defaults apply (172.16.0.0/12 holds the outpost)
    expect(seen(egressLab([], '', { 'ipMasqAgent.enabled': 'true' }), 'xwing').seenByBackend?.src).toBe('10.244.1.52:40000');
    expect(seen(egressLab(), 'xwing').seenByBackend?.src).toBe('172.18.0.3:40000');
  });

  it('masquerading off: the pod address, and the egress gateway refused', () => {
    const c = egressLab(OSS, '', { enableIPv4Masquerade: 'false' });
    expect(seen(c, 'xwing').seenByBackend?.src).toBe('10.244.1.52:40000');
    expect(egressState(c).enabled).toBe(false);
    expect(egressWarnings(c).join('\n')).toContain('egress gateway requires --enable-ipv4-masquerade="true" and --enable-bpf-masquerade="true"');
  });

  it('the Masquerading: line of cilium status', () => {
    expect(masqueradingStatus(egressLab(), 'kind-worker', ['eth0'])).toBe('BPF\t[eth0]\t10.244.1.0/24 [IPv4: Enabled, IPv6: Disabled]');
    expect(masqueradingStatus(egressLab([], '', { 'ipMasqAgent.enabled': 'true', ipv4NativeRoutingCIDR: '10.244.0.0/16' }), 'kind-worker', ['eth0'])).toBe(
      'BPF (ip-masq-agent)\t[eth0]\t10.244.0.0/16 [IPv4: Enabled, IPv6: Disabled]',
    );
    expect(masqueradingStatus(egressLab([], '', { 'bpf.masquerade': 'false' }), 'kind-worker', ['eth0'])).toBe('IPTables [IPv4: Enabled, IPv6: Disabled]');
    expect(masqueradingStatus(egressLab([], '', { enableIPv4Masquerade: 'false' }), 'kind-worker', ['eth0'])).toBe('Disabled');
  });

  it('a BPF ip-masq-agent without BPF masquerading is a warning', () => {
    expect(egressWarnings(egressLab([], '', { 'ipMasqAgent.enabled': 'true', 'bpf.masquerade': 'false' })).join('\n')).toContain('needs BPF masquerading');
  });
});

const policy = (spec: string, name = 'extra', kind = 'CiliumEgressGatewayPolicy', api = 'cilium.io/v2') =>
  `apiVersion: ${api}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n${spec}`;

describe('egress gateway policy selection', () => {
  it('namespaceSelector and nodeSelector of the source narrow the selection', () => {
    const p = policy(`  selectors:
    - podSelector: {matchLabels: {org: empire}}
      nodeSelector: {matchLabels: {topology.kubernetes.io/zone: west}}
  destinationCIDRs: ["172.18.0.51/32"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}, egressIP: 172.18.0.100}
`);
    const s = egressState(egressLab([], p));
    expect(s.policies[0]!.endpoints.map((e) => e.pod)).toEqual(['default/tiefighter-west']);
    const ns = policy(`  selectors:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}
  destinationCIDRs: ["172.18.0.51/32"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}}
`);
    expect(egressState(egressLab([], ns)).policies[0]!.endpoints).toEqual([]);
  });

  it('excluded CIDRs become Excluded CIDR rows; gateway picks the first ready node by name', () => {
    const p = policy(`  selectors: [{podSelector: {matchLabels: {class: xwing}}}]
  destinationCIDRs: ["172.18.0.0/16"]
  excludedCIDRs: ["172.18.0.50/32"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}, interface: eth0}
`);
    const c = egressLab([], p);
    const rows = egressMapRows(egressState(c), '172.18.0.4');
    expect(rows).toEqual([
      { SourceIP: '10.244.1.52', DestCIDR: '172.18.0.0/16', EgressIP: '172.18.0.4', GatewayIP: '172.18.0.4' },
      { SourceIP: '10.244.1.52', DestCIDR: '172.18.0.50/32', EgressIP: '172.18.0.4', GatewayIP: 'Excluded CIDR' },
    ]);
    expect(seen(c, 'xwing').seenByBackend?.src).toBe('172.18.0.3:40000');
    expect(trace(compileNetwork(c), { from: 'xwing', dst: '172.18.0.51', dport: 8000 }).dropCode).toBe(null);
  });

  it('no gateway node matching: Not Found, drop 194 and a warning', () => {
    const p = policy(`  selectors: [{podSelector: {matchLabels: {class: xwing}}}]
  destinationCIDRs: ["172.18.0.50/32"]
  egressGateway: {nodeSelector: {matchLabels: {no: such}}}
`);
    const c = egressLab([], p);
    expect(egressMapRows(egressState(c), '172.18.0.3')[0]!.GatewayIP).toBe('Not Found');
    const r = seen(c, 'xwing');
    expect(r.dropCode).toBe(194);
    expect(r.reason).toBe('No egress gateway found');
    expect(egressWarnings(c).join('\n')).toContain('CiliumEgressGatewayPolicy extra: no node matches egressGateway.nodeSelector');
  });

  it('an egress IP no gateway owns: 0.0.0.0 on the gateway, drop 204 and a warning', () => {
    const p = policy(`  selectors: [{podSelector: {matchLabels: {class: xwing}}}]
  destinationCIDRs: ["172.18.0.50/32"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}, egressIP: 172.18.0.99}
`);
    const c = egressLab([], p);
    expect(egressMapRows(egressState(c), '172.18.0.4')[0]!.EgressIP).toBe('0.0.0.0');
    expect(seen(c, 'xwing').dropCode).toBe(204);
    expect(egressWarnings(c).join('\n')).toContain('gateway node kind-worker2 holds egressIP 172.18.0.99 on no interface');
  });

  it('overlapping policies: the first by name keeps the entry, and a warning', () => {
    const p = policy(`  selectors: [{podSelector: {matchLabels: {org: empire}}}]
  destinationCIDRs: ["172.18.0.50/32"]
  egressGateway: {nodeSelector: {matchLabels: {kubernetes.io/hostname: kind-worker3}}, egressIP: 172.18.0.101}
`, 'another');
    const c = egressLab(OSS, p);
    expect(egressWarnings(c).join('\n')).toContain('egress gateway policies another and outpost both select default/tiefighter (10.244.1.37) for 172.18.0.50/32');
    expect(seen(c, 'tiefighter').seenByBackend?.src).toBe('172.18.0.101:40000');
  });

  it('the default route interface gives the egress IP when neither egressIP nor interface is set', () => {
    const p = policy(`  selectors: [{podSelector: {matchLabels: {class: xwing}}}]
  destinationCIDRs: ["172.18.0.50/32"]
  egressGateway: {nodeSelector: {matchLabels: {egress-gw: "true"}}}
`);
    expect(seen(egressLab([], p), 'xwing').seenByBackend?.src).toBe('172.18.0.4:40000');
  });

  it('a cordoned node is no gateway', () => {
    const s = egressState(egressLab([...OSS, 'worker3-cordoned.yaml', 'worker2-down.yaml']));
    expect(s.policies[0]!.groups[0]!.active).toEqual([]);
    expect(s.policies[0]!.groups[0]!.candidates).toEqual(['kind-worker2', 'kind-worker3']);
  });
});

describe('HA egress gateway (IsovalentEgressGatewayPolicy)', () => {
  const ha = (az: string, max = 2, cidrs = '["172.18.0.200/31"]') =>
    policy(`  selectors: [{podSelector: {matchLabels: {org: empire}}}]
  destinationCIDRs: ["172.18.0.50/32"]
  egressCIDRs: ${cidrs}
  azAffinity: ${az}
  egressGroups: [{nodeSelector: {matchLabels: {egress-gw: "true"}}, interface: eth0, maxGatewayNodes: ${max}}]
`, 'ha', 'IsovalentEgressGatewayPolicy', 'isovalent.com/v1');

  it('localOnly: no local gateway left means drop 194, never another zone', () => {
    const c = egressLab(['worker2-down.yaml'], ha('localOnly'));
    expect(seen(c, 'tiefighter').dropCode).toBe(194);
    expect(seen(c, 'tiefighter-west').seenByBackend?.src).toBe('172.18.0.200:40000');
  });

  it('disabled: a flow uses one of the active gateways by flow hash, both over several ports', () => {
    const net = compileNetwork(egressLab([], ha('disabled')));
    const srcs = new Set<string>();
    for (let p = 40000; p < 40032; p++) srcs.add(trace(net, { from: 'tiefighter', ...toOutpost, sport: p }).seenByBackend!.src.split(':')[0]!);
    expect([...srcs].sort()).toEqual(['172.18.0.200', '172.18.0.201']);
  });

  it('localPriority with maxGatewayNodes 1: each zone keeps its own gateway; the status lists them by AZ', () => {
    const s = egressState(egressLab([], ha('localPriority', 1)));
    const g = s.policies[0]!.groups[0]!;
    expect([...g.activeByZone]).toEqual([
      ['east', ['172.18.0.4']],
      ['west', ['172.18.0.5']],
    ]);
  });

  it('egressCIDRs too small: the second gateway gets no egress IP and the condition says so', () => {
    const c = egressLab([], ha('disabled', 2, '["172.18.0.200/32"]'));
    const g = egressState(c).policies[0]!.groups[0]!;
    expect([...g.egressIPs]).toEqual([
      ['172.18.0.4', '172.18.0.200'],
      ['172.18.0.5', '0.0.0.0'],
    ]);
    expect(g.ipamSatisfied).toBe(false);
    expect(egressWarnings(c).join('\n')).toContain('egressCIDRs hold fewer addresses than the 2 active gateways');
  });
});
