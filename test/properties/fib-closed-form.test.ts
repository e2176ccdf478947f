/**
 * cil6 (issue 10): a node's session source address without building its table. Property (1,000
 * runs): on a node whose Host has random interfaces (several devices, overlapping and secondary
 * IPv4 subnets, /30–/32, IPv6 addresses) and routes (a default route with or without `dev`,
 * metric and proto; sometimes routes the closed form does not take), every IPv4 lookup the
 * closed form answers (`closedFormLookup`) equals `lookupRoute` on the node's whole base table
 * (the whole result: kind, route, next hop, device, gateway, source), `connected` equals
 * `connectedOn`, and `baseLookupOf` equals the table on every destination. The closed form must
 * answer most lookups (the generator is biased to hosts it takes), so that a wrong answer is met.
 */
import { afterAll, describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4, IPv6 } from 'ip-num';
import { baseLookupOf, closedFormLookup, connectedOn, hostRoutingTable, lookupRoute } from '../../src/fib/index.js';
import type { IpAddress } from '../../src/input/types.js';
import { ipFromValue } from '../../src/net/addr.js';
import type { ManifestDocument } from '../../src/arbitraries/index.js';
import { clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

/** An address in 10.0.0.0/22 (small, so that subnets overlap and gateways land in them). */
const v4 = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 127, 128, 129, 254, 255)).map(([c, d]) => `10.0.${c}.${d}`);
const address = fc.oneof(
  { weight: 30, arbitrary: fc.tuple(v4, fc.constantFrom(8, 16, 22, 22, 22, 23, 24, 25, 29, 30, 31, 32)).map(([a, l]) => `${a}/${l}`) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 9 }).map((n) => `fd00::${n}/64`) },
  { weight: 1, arbitrary: fc.constantFrom('127.0.0.2/8', '10.0.0.1/0') },
);
const name = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('eth0', 'eth1', 'eth2') }, { weight: 1, arbitrary: fc.constantFrom('lo', 'cilium_host') });
/** A default route through a gateway near one of the given addresses (or anywhere). */
function defaultRoute(interfaces: readonly { readonly name: string; readonly addresses: readonly string[] }[]): fc.Arbitrary<string> {
  const near = interfaces.flatMap((i) => i.addresses.filter((a) => !a.includes(':')).map((a) => ({ dev: i.name, ip: a.split('/')[0]! })));
  const anywhere = fc.record({ ip: v4, dev: fc.constantFrom('eth0', 'eth1', 'eth2', 'eth9') });
  const via = near.length === 0 ? anywhere : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...near).chain((a) => fc.constantFrom(-1, 1, 2).map((d) => ({ ip: nudge(a.ip, d), dev: a.dev }))) }, { weight: 1, arbitrary: anywhere });
  return via
    .chain((v) =>
      fc.record({
        gw: fc.constant(v.ip),
        dev: fc.option(fc.constant(v.dev), { nil: undefined }),
        metric: fc.option(fc.constantFrom(0, 5, 100), { nil: undefined }),
        proto: fc.option(fc.constantFrom('static', 'kernel'), { nil: undefined }),
      }),
    )
    .map(({ gw, dev, metric, proto }) => `default via ${gw}${dev === undefined ? '' : ` dev ${dev}`}${proto === undefined ? '' : ` proto ${proto}`}${metric === undefined ? '' : ` metric ${metric}`}`);
}

function nudge(a: string, d: number): string {
  const v = (Number(IPv4.fromString(a).value) + d) >>> 0;
  return IPv4.fromNumber(BigInt(v)).toString();
}

const otherRoute = fc.oneof(
  v4.map((gw) => `10.1.0.0/16 via ${gw}`),
  fc.constant('blackhole default'),
  fc.constant('default dev eth0'),
  fc.constant('default via fd00::1 dev eth0'),
  fc.constant('fd01::/64 dev eth0'),
  v4.map((gw) => `default via ${gw} metric 7`),
);
const hostArb = fc
  .uniqueArray(fc.record({ name, addresses: fc.uniqueArray(address, { minLength: 0, maxLength: 3 }) }), { minLength: 1, maxLength: 3, selector: (i) => i.name })
  .chain((interfaces) =>
    fc.record({
      interfaces: fc.constant(interfaces),
      routes: fc
        .tuple(
          fc.oneof({ weight: 6, arbitrary: defaultRoute(interfaces) }, { weight: 1, arbitrary: fc.constant(undefined) }),
          fc.oneof({ weight: 1, arbitrary: otherRoute }, { weight: 6, arbitrary: fc.constant(undefined) }),
        )
        .map(([d, o]) => [...(d === undefined ? [] : [d]), ...(o === undefined ? [] : [o])]),
      randoms: fc.array(fc.integer({ min: 0, max: 1023 }), { minLength: 4, maxLength: 12 }),
    }),
  );

function documentsOf(h: { readonly interfaces: readonly { name: string; addresses: string[] }[]; readonly routes: readonly string[] }): ManifestDocument[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: 'kube-system' },
      data: { 'routing-mode': 'native', 'ipv4-native-routing-cidr': '10.0.0.0/8', 'enable-ipv6': 'true' },
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-0', labels: { 'kubernetes.io/hostname': 'node-0' } },
      spec: { podCIDR: '10.200.0.0/24', podCIDRs: ['10.200.0.0/24', 'fd20::/64'] },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.10' }] },
    },
    {
      apiVersion: 'cilium-twin/v1alpha1',
      kind: 'Host',
      metadata: { name: 'node-0' },
      spec: { interfaces: h.interfaces, ...(h.routes.length > 0 ? { routes: h.routes.map((r) => `${r}\n`).join('') } : {}) },
    },
  ];
}

describe('closed-form base lookups (cil6)', () => {
  // over all runs: how many lookups the closed form answered (it must answer many, or the
  // property would not test it)
  let asked = 0;
  let answeredAll = 0;
  let hostsTaken = 0;
  afterAll(() => {
    if (RUNS.numRuns >= 100) {
      expect(answeredAll).toBeGreaterThan(asked / 5);
      expect(hostsTaken).toBeGreaterThan(RUNS.numRuns / 3);
    }
  });

  test.prop([hostArb], RUNS)('equal the table lookups wherever they answer', (h) => {
    const cluster = clusterOf(documentsOf(h));
    const host = cluster.hosts.find((x) => x.meta.name === 'node-0')!;
    const full = hostRoutingTable(cluster, host);
    const dsts: IpAddress[] = [IPv4.fromString('8.8.8.8'), IPv4.fromString('127.0.0.1'), IPv4.fromString('10.0.0.0'), new IPv6('fd00::5')];
    for (const r of h.randoms) dsts.push(ipFromValue(4, 0x0a000000n + BigInt(r)));
    for (const i of host.interfaces) {
      for (const a of i.addresses) {
        dsts.push(a.address);
        if (a.address instanceof IPv4) {
          for (const d of [-1n, 1n]) dsts.push(ipFromValue(4, (a.address.value + d) & 0xffffffffn));
          const size = 1n << BigInt(32 - a.prefixLength);
          dsts.push(ipFromValue(4, (a.address.value & ~(size - 1n) & 0xffffffffn) + size - 1n));
        }
      }
    }
    for (const r of host.routes) for (const nh of r.nexthops) if (nh.gateway !== undefined) dsts.push(nh.gateway);
    const closed = closedFormLookup(host);
    if (closed !== undefined) hostsTaken++;
    const base = baseLookupOf(cluster, host, () => full);
    let answered = 0;
    for (const d of dsts) {
      const want = lookupRoute(full, d);
      const got = closed?.lookup(d);
      if (got !== undefined) {
        answered++;
        expect(got, `closed form → ${d.toString()}`).toEqual(want);
      }
      const c = closed?.connected(d);
      if (c !== undefined) expect(c, `closed form connected ${d.toString()}`).toBe(connectedOn(full, d));
      expect(base.lookup(d), `baseLookupOf → ${d.toString()}`).toEqual(want);
      expect(base.connected(d), `baseLookupOf connected ${d.toString()}`).toBe(connectedOn(full, d));
    }
    asked += dsts.length;
    answeredAll += answered;
  });

  test('answers the common node (one interface, a default route) without a table', () => {
    const cluster = clusterOf(documentsOf({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.10/16'] }], routes: ['default via 10.0.255.254 dev eth0'] }));
    const host = cluster.hosts.find((x) => x.meta.name === 'node-0')!;
    const closed = closedFormLookup(host);
    const full = hostRoutingTable(cluster, host);
    for (const t of ['10.0.255.254', '192.168.255.254', '10.0.3.3']) {
      const d = IPv4.fromString(t);
      expect(closed?.lookup(d), t).toBeDefined();
      expect(closed?.lookup(d)).toEqual(lookupRoute(full, d));
    }
  });
});
