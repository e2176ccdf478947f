/**
 * Frontends compiled one address at a time (a node's `frontendIndex`) read exactly as all of
 * them compiled up front. And a network built with a pod catalog (pods compiled when the walk meets them, issue 10) reads
 * exactly as one built from the pod list up front: pods by key, by address, each node's
 * endpoints and host-network pods, whatever is asked first and in which order. Generated pods
 * collide on purpose: repeated keys (a cluster mesh's remote pod with a local pod's name),
 * shared addresses, host-network pods, pods without an IPv4 address or on a host that is not a
 * Cilium node.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { buildNetwork, DEFAULT_DATAPATH_CONFIG } from '../../src/network/build.js';
import type { FrontendSpec, HostSpec, NetFrontend, NetPod, Network, NodeSpec, PodCatalog, PodSpec } from '../../src/network/types.js';
import { ipv4ToU32 } from '../../src/net/addr.js';
import { parseWire, type WireAddr } from '../../src/net/wire.js';

const NODES = ['n0', 'n1', 'n2'];

const hosts: HostSpec[] = [...NODES, 'ext'].map((name, i) => ({
  name,
  interfaces: [{ name: 'eth0', addresses: [`192.168.0.${10 + i}/24`] }],
  routes: [],
}));
const nodes: NodeSpec[] = NODES.map((name, i) => ({ name, addresses: [`192.168.0.${10 + i}`], podCIDRs: [`10.0.${i}.0/24`], frontends: [] }));

const pod: fc.Arbitrary<PodSpec> = fc
  .record({
    namespace: fc.constantFrom('default', 'b'),
    name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4'),
    node: fc.constantFrom(...NODES, 'ext'),
    ips: fc.array(fc.constantFrom('10.0.0.5', '10.0.1.5', '10.0.0.6', 'fd00::5', 'fd00::6'), { maxLength: 3 }),
    hostNetwork: fc.boolean(),
    images: fc.constantFrom(['traefik/whoami'], ['nginx']),
    identity: fc.integer({ min: 0, max: 3 }),
  })
  .map((p) => p);

function catalogOf(pods: readonly PodSpec[]): PodCatalog {
  return {
    size: pods.length,
    key: (i) => `${pods[i]!.namespace}/${pods[i]!.name}`,
    node: (i) => pods[i]!.node,
    ip4: (i) => {
      for (const ip of pods[i]!.ips) {
        const v = ipv4ToU32(ip);
        if (v !== undefined) return v;
      }
      return -1;
    },
    ip6: (i) => {
      for (const ip of pods[i]!.ips) {
        const v = ip.includes(':') ? parseWire(ip) : undefined;
        if (typeof v === 'bigint') return v;
      }
      return undefined;
    },
    hostNetwork: (i) => pods[i]!.hostNetwork ?? false,
    spec: (i) => pods[i]!,
  };
}

/** JSON with bigints (IPv6 addresses) as text. */
const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

function text(p: NetPod | undefined): string {
  return p === undefined ? '-' : JSON.stringify({ ...p, tcpPorts: [...p.tcpPorts], udpPorts: [...p.udpPorts] }, big);
}

/** Every question about pods, one answer per item of `order` (indexes into the question list). */
function answers(net: Network, order: readonly number[]): string[] {
  const addrs = [...['10.0.0.5', '10.0.1.5', '10.0.0.6', '10.9.9.9'].map((a) => ipv4ToU32(a)!), ...['fd00::5', 'fd00::6', 'fd00::9'].map((a) => parseWire(a)!)];
  const keys = ['default/p0', 'default/p1', 'b/p2', 'b/p4', 'x/none'];
  const questions: (() => string)[] = [
    ...keys.map((k) => () => `key ${k} ${net.pods.has(k)} ${text(net.pods.get(k))}`),
    ...addrs.map((a) => () => `ip ${a} ${net.podsByIp.has(a)} ${text(net.podsByIp.get(a))}`),
    ...NODES.flatMap((n) => addrs.map((a) => () => `ep ${n} ${a} ${net.nodes.get(n)!.endpoints.has(a)} ${text(net.nodes.get(n)!.endpoints.get(a))}`)),
    ...NODES.map((n) => () => `hostPods ${n} ${net.nodes.get(n)!.hostPods.map(text).join(',')}`),
    ...NODES.map((n) => () => `eps ${n} ${net.nodes.get(n)!.endpoints.size} ${[...net.nodes.get(n)!.endpoints].map(([a, p]) => `${a}=${p.key}`).join(',')}`),
    () => `pods ${net.pods.size} ${[...net.pods.keys()].join(',')} ${[...net.pods.values()].map(text).join(',')}`,
    () => `byIp ${net.podsByIp.size} ${[...net.podsByIp.entries()].map(([a, p]) => `${a}=${p.key}`).join(',')}`,
  ];
  return order.map((i) => questions[i % questions.length]!());
}

describe('pods compiled on demand', () => {
  test.prop([fc.array(pod, { maxLength: 14 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 })], { numRuns: 1000 })(
    'a catalog network answers as the eager one, in any order of questions',
    (pods, order) => {
      const spec = { config: DEFAULT_DATAPATH_CONFIG, hosts, nodes, pods };
      const eager = buildNetwork(spec);
      const lazy = buildNetwork({ ...spec, podCatalog: catalogOf(pods) });
      expect(answers(lazy, order)).toEqual(answers(eager, order));
    },
  );
});

const ADDRS = ['172.16.0.1', '10.96.0.1', '192.168.0.10', '0.0.0.0', 'fd00::1', '::'];

const frontend: fc.Arbitrary<FrontendSpec> = fc.record({
  service: fc.constantFrom('a/x', 'b/y'),
  address: fc.constantFrom(...ADDRS),
  port: fc.constantFrom(80, 443),
  protocol: fc.constantFrom('TCP', 'UDP'),
  scope: fc.constantFrom('External', 'Internal'),
  revNat: fc.integer({ min: 1, max: 9 }),
  type: fc.constantFrom('ClusterIP', 'LoadBalancer', 'NodePort'),
  routable: fc.boolean(),
  backends: fc.array(
    fc.record({ id: fc.integer({ min: 1, max: 5 }), address: fc.constantFrom('10.0.0.5', '10.0.1.5'), port: fc.constant(80), protocol: fc.constant('TCP'), state: fc.constant('active') }),
    { maxLength: 3 },
  ),
  count: fc.integer({ min: 0, max: 3 }),
}) as fc.Arbitrary<FrontendSpec>;

function feText(m: ReadonlyMap<number, NetFrontend> | undefined): string {
  return m === undefined ? '-' : JSON.stringify([...m].map(([k, f]) => [k, { ...f, byId: [...f.byId.keys()] }]), big);
}

describe('frontends compiled by address', () => {
  test.prop([fc.array(frontend, { maxLength: 12 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 })], { numRuns: 1000 })(
    'a node with a frontend index answers as the eager one, in any order of lookups',
    (frontends, order) => {
      const node: NodeSpec = { name: 'n0', addresses: ['192.168.0.10'], podCIDRs: [], frontends };
      const index = (): { addresses: WireAddr[]; at: (a: WireAddr) => FrontendSpec[] } => {
        const addresses: WireAddr[] = [];
        for (const f of frontends) if (!addresses.includes(parseWire(f.address)!)) addresses.push(parseWire(f.address)!);
        return { addresses, at: (a) => frontends.filter((f) => parseWire(f.address) === a) };
      };
      const spec = { config: DEFAULT_DATAPATH_CONFIG, hosts, nodes: [node], pods: [] };
      const eager = buildNetwork(spec).nodes.get('n0')!.services;
      const lazy = buildNetwork({ ...spec, nodes: [{ ...node, frontendIndex: index }] }).nodes.get('n0')!.services;
      const addrs = [...ADDRS, '8.8.8.8', 'fd00::9'].map((a) => parseWire(a)!);
      const ask = (s: typeof eager): string[] => [
        ...order.map((i) => `${addrs[i % addrs.length]} ${s.has(addrs[i % addrs.length]!)} ${feText(s.get(addrs[i % addrs.length]!))}`),
        `${s.size} ${[...s.keys()].join(',')} ${[...s.values()].map(feText).join(';')}`,
      ];
      expect(ask(lazy)).toEqual(ask(eager));
    },
  );
});
