/**
 * The policy stage's pieces: decode errors (API server / CRD wording, located), validate
 * warnings, port blocks, label selectors with sources, the Hubble printer, identity list.
 */
import { describe, expect, it } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeScenario } from '../../src/input/decode.js';
import { portBlocks } from '../../src/policy/resolve.js';
import { labelIndex, matchesIdentity, normSelector } from '../../src/policy/labels.js';
import { policyWarnings } from '../../src/policy/validate.js';
import { compactLine, flowJson, flowMatches, identityTag, renderFlows, type HubbleFlow } from '../../src/views/hubble.js';
import { renderIdentityList, portProtoText } from '../../src/views/policy.js';
import { netpolCluster } from '../helpers/netpol.js';

const errors = (yaml: string): string[] => {
  const r = decodeScenario([{ file: 'p.yaml', text: yaml }]);
  return isLeft(r) ? r.left.map((e) => e.message) : [];
};

describe('bad policies', () => {
  it('selector operators, CIDRs, ports, entities: the real wording, located', () => {
    expect(errors('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: x}\nspec:\n  podSelector: {matchExpressions: [{key: a, operator: Equals}]}\n')).toEqual([
      'p.yaml#1 NetworkPolicy/n: spec.podSelector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    ]);
    expect(errors('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {matchExpressions: [{key: a, operator: In}]}\n')[0]).toContain(
      "values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    );
    expect(errors('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/24]}}], ports: [{port: 80, endPort: 70}]}]\n')).toEqual([
      'p.yaml#1 NetworkPolicy/n: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "11.0.0.0/24": must be a strict subset of `cidr`',
      'p.yaml#1 NetworkPolicy/n: spec.egress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`',
    ]);
    expect(errors('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\nspec:\n  endpointSelector: {}\n  egress: [{toCIDR: [300.0.0.0/8], toPorts: [{ports: [{port: "99999"}]}]}]\n')).toEqual([
      'p.yaml#1 CiliumNetworkPolicy/c: spec.egress[0].toCIDR[0]: Invalid value: "300.0.0.0/8": spec.egress[0].toCIDR[0] in body must be of type cidr: "300.0.0.0/8"',
      "p.yaml#1 CiliumNetworkPolicy/c: spec.egress[0].toPorts[0].ports[0].port: Invalid value: \"99999\": spec.egress[0].toPorts[0].ports[0].port in body should match '^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$'",
    ]);
    expect(errors('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\nspec:\n  nodeSelector: {}\n')[0]).toContain('nodeSelector is only allowed in CiliumClusterwideNetworkPolicy');
    expect(errors('apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: c}\nspec:\n  endpointSelector: {}\n  ingressDeny: [{fromEntities: [bogus]}]\n')[0]).toContain(
      'spec.ingressDeny[0].fromEntities[0]: Unsupported value: "bogus"',
    );
  });

  it('validate: a policy selecting nothing, a named port nobody declares, a bad mode', () => {
    const c = netpolCluster(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: nobody, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: zzz}}\n  ingress: [{ports: [{port: no-such-port}]}]\n',
      { 'enable-policy': 'sometimes' },
    );
    expect(policyWarnings(c)).toEqual([
      'cilium-config enable-policy: "sometimes" is not one of default, always, never: the agent refuses to start',
      'NetworkPolicy x/nobody selects no endpoint',
      'NetworkPolicy x/nobody: named port "no-such-port" is declared by no pod: the rule allows nothing on it',
    ]);
  });
});

describe('policy building blocks', () => {
  it('port ranges split into aligned blocks', () => {
    expect(portBlocks(80, 80)).toEqual([{ port: 80, bits: 16 }]);
    expect(portBlocks(80, 83)).toEqual([{ port: 80, bits: 14 }]);
    expect(portBlocks(0, 65535)).toEqual([{ port: 0, bits: 0 }]);
    expect(portProtoText({ proto: 6, port: 80, prefix: 20 })).toBe('80-95/TCP');
    expect(portProtoText({ proto: 17, port: 0, prefix: 8 })).toBe('UDP');
    expect(portProtoText({ proto: 0, port: 0, prefix: 0 })).toBe('ANY');
  });

  it('selector keys: no source matches any source; a source matches only itself', () => {
    const l = labelIndex(['k8s:app=web', 'reserved:host']);
    expect(matchesIdentity(normSelector({ matchLabels: { app: 'web' }, matchExpressions: [] }), l)).toBe(true);
    expect(matchesIdentity(normSelector({ matchLabels: { 'k8s:app': 'web' }, matchExpressions: [] }), l)).toBe(true);
    expect(matchesIdentity(normSelector({ matchLabels: { 'reserved:app': 'web' }, matchExpressions: [] }), l)).toBe(false);
    expect(matchesIdentity(normSelector({ matchLabels: {}, matchExpressions: [{ key: 'reserved:host', operator: 'Exists', values: [] }] }), l)).toBe(true);
    expect(matchesIdentity(normSelector({ matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }), l)).toBe(false);
  });
});

describe('views', () => {
  const flow: HubbleFlow = {
    event: { node: 'k8s-ctr', src: 0, sport: 40000, dst: 0, dport: 80, proto: 6, srcIdentity: 259, dstIdentity: 257, event: 'drop', verdict: 'DROPPED', reply: false, dropCode: 133, dropReason: 'Policy denied' },
    source: { ip: '172.20.2.12', port: 40000, namespace: 'x', pod: 'c', identity: 259, labels: ['k8s:pod=c'] },
    destination: { ip: '172.20.0.10', port: 80, namespace: 'x', pod: 'a', identity: 257, labels: ['k8s:pod=a'] },
  };

  it('Hubble compact, JSON and filters', () => {
    expect(compactLine(flow)).toBe('Jan  1 00:00:00.000: x/c:40000 (ID:259) -> x/a:80 (ID:257) Policy denied DROPPED (TCP Flags: SYN)');
    expect(compactLine(flow, true)).toContain('Jan  1 00:00:00.000 [k8s-ctr]: ');
    const j = JSON.parse(flowJson(flow));
    expect(j.flow).toMatchObject({ verdict: 'DROPPED', drop_reason: 133, drop_reason_desc: 'POLICY_DENIED', event_type: { type: 1, sub_type: 133 } });
    expect(j.flow.l4.TCP.flags).toEqual({ SYN: true });
    expect(identityTag(6)).toBe('(remote-node)');
    expect(flowMatches(flow, { fromPods: ['x/c'], verdicts: ['dropped'] })).toBe(true);
    expect(flowMatches(flow, { toPods: ['x/c'] })).toBe(false);
    expect(flowMatches(flow, { labels: ['pod=a'], ports: [80], protocols: ['tcp'], identities: ['257'] })).toBe(true);
    expect(flowMatches(flow, { namespaces: ['y'] })).toBe(false);
    const reply: HubbleFlow = { ...flow, event: { ...flow.event, reply: true, event: 'to-endpoint', verdict: 'FORWARDED' } };
    expect(compactLine(reply)).toBe('Jan  1 00:00:00.000: x/a:80 (ID:257) <- x/c:40000 (ID:259) to-endpoint FORWARDED (TCP Flags: SYN, ACK)');
    expect(renderFlows([flow, reply], 'dict').split('\n------------\n')).toHaveLength(2);
  });

  it('identity list', () => {
    expect(renderIdentityList([{ id: 7, labels: ['reserved:kube-apiserver', 'reserved:remote-node'] }])).toBe(
      'ID   LABELS\n7    reserved:kube-apiserver\n     reserved:remote-node\n',
    );
  });
});
