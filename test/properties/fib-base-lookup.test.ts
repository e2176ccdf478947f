/**
 * bgpfast (issue 10): `baseLookupOf` answers a host's base-table lookups from the table without
 * Cilium's part where that cannot change the answer. Property (1,000 runs): on generated BGP
 * scenarios, with extra static routes on the nodes' Hosts (through `cilium_host`, covering the pod
 * CIDRs, IPv6 without an IPv6 address, blackholes, a `src`), every host's lookup of many
 * destinations (own and neighbours' addresses, pod CIDR and `cilium_host` addresses, the extra
 * routes' ranges, random ones) equals `lookupRoute` on `hostRoutingTable` (kind, route, device,
 * gateway, source, reason), and `connected` equals the table's connected subnets.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4, IPv6 } from 'ip-num';
import { baseLookupOf, ciliumHostAddress, connectedOn, hostRoutingTable, lookupRoute, nodePodCidrs } from '../../src/fib/index.js';
import type { IpAddress } from '../../src/input/types.js';
import { familyOf, formatIp, formatPrefix, ipFromValue, networkValue } from '../../src/net/addr.js';
import type { ManifestDocument } from '../../src/arbitraries/index.js';
import { bgpScenario, clusterOf } from './bgp-speaker-support.js';

const RUNS = { numRuns: Number(process.env.BGP_RUNS ?? 1000) };

const EXTRA_ROUTES = [
  '172.20.0.0/16 dev cilium_host',
  '10.99.0.0/16 dev cilium_host scope link',
  'fd00::/64 dev eth1',
  'blackhole 198.51.100.0/24',
  '203.0.113.0/24 dev eth1 metric 50',
  '10.98.0.0/16 dev eth1 src 192.168.10.100',
];
const EXTRA_DSTS = ['172.20.255.1', '172.20.0.1', '10.99.1.1', 'fd00::1', '198.51.100.7', '203.0.113.5', '10.98.0.1', '8.8.8.8', '127.0.0.1', '::1', '192.168.10.200', '192.168.20.200'];

const scenario = bgpScenario.chain((s) =>
  fc.record({
    extra: fc.subarray(EXTRA_ROUTES),
    randoms: fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 4 }),
  }).map(({ extra, randoms }) => ({
    randoms,
    documents: s.documents.map((d): ManifestDocument => {
      const spec = d['spec'] as Record<string, unknown> | undefined;
      const meta = d['metadata'] as Record<string, unknown> | undefined;
      if (d['kind'] !== 'Host' || spec === undefined || String(meta?.['name']) === 'router' || spec['frr'] !== undefined) return d;
      const routes = typeof spec['routes'] === 'string' ? spec['routes'] : '';
      return { ...d, spec: { ...spec, routes: routes + extra.map((r) => `${r}\n`).join('') } };
    }),
  })),
);

function shape(r: ReturnType<typeof lookupRoute>): string {
  const route = r.route === undefined ? '' : `${formatPrefix(r.route.dst)} ${r.route.type} ${r.route.origin} ${r.route.metric}`;
  if (r.kind === 'error') return `error ${r.reason} ${route}`;
  if (r.kind === 'local') return `local ${route} ${r.src === undefined ? '' : formatIp(r.src)}`;
  return `unicast ${route} ${r.dev} ${r.nexthopIndex} ${r.gateway === undefined ? '' : formatIp(r.gateway)} ${r.src === undefined ? '' : formatIp(r.src)}`;
}

describe('base lookups without Cilium part (bgpfast)', () => {
  test.prop([scenario], RUNS)('equal the base table lookups', ({ documents, randoms }) => {
    const cluster = clusterOf(documents);
    const dsts: IpAddress[] = EXTRA_DSTS.map((t) => (t.includes(':') ? new IPv6(t) : IPv4.fromString(t)));
    for (const n of randoms) dsts.push(IPv4.fromNumber(BigInt(n)));
    for (const h of cluster.hosts) {
      for (const i of h.interfaces) {
        for (const a of i.addresses) {
          dsts.push(a.address);
          if (a.address instanceof IPv4) for (const d of [-1n, 1n]) dsts.push(ipFromValue(4, (a.address.value + d) & 0xffffffffn));
        }
      }
    }
    for (const cn of cluster.ciliumNodes) {
      for (const p of nodePodCidrs(cluster, cn.meta.name)) for (const k of [1n, 2n, 3n]) dsts.push(ipFromValue(familyOf(p), networkValue(p) + k));
      const r = ciliumHostAddress(cluster, cn.meta.name, 4);
      if (r !== undefined) dsts.push(r);
    }
    for (const h of cluster.hosts) {
      const full = hostRoutingTable(cluster, h);
      const l = baseLookupOf(cluster, h, () => full);
      for (const d of dsts) {
        expect(shape(l.lookup(d)), `${h.meta.name} → ${d.toString()}`).toBe(shape(lookupRoute(full, d)));
        expect(l.connected(d), `${h.meta.name} connected ${d.toString()}`).toBe(connectedOn(full, d));
      }
    }
  });
});
