import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4 } from 'ip-num';
import { hashThresholdSelect, longestPrefixMatch, lookupRoute, multipathHash, type KernelRoute, type RoutingTable } from '../../src/fib/index.js';
import { baseRoutingTables } from '../../src/fib/base.js';
import { maskedPrefix, prefixContains, prefixLength } from '../../src/net/addr.js';
import { labCluster } from '../fib/fixtures.js';

const addr = fc.integer({ min: 0, max: 2 ** 32 - 1 });
// addresses drawn from a small space so that prefixes overlap often
const nearAddr = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })).map(
  ([a, b]) => (10 << 24) | (a << 8) | b,
);
const v4 = (n: number): IPv4 => IPv4.fromNumber(BigInt(n >>> 0));

const routeArb: fc.Arbitrary<KernelRoute> = fc
  .record({
    net: fc.oneof(nearAddr, addr),
    len: fc.integer({ min: 0, max: 32 }),
    metric: fc.constantFrom(0, 20, 100, 1024),
    type: fc.constantFrom('unicast', 'unicast', 'unicast', 'blackhole', 'unreachable') as fc.Arbitrary<
      'unicast' | 'blackhole' | 'unreachable'
    >,
  })
  .map(({ net, len, metric, type }) => ({
    table: 'main' as const,
    type,
    dst: maskedPrefix(v4(net), len),
    nexthops: type === 'unicast' ? [{ dev: 'eth0', weight: 1 }] : [],
    protocol: 'static',
    scope: 'link' as const,
    metric,
    origin: 'static' as const,
  }));

function tableOf(main: readonly KernelRoute[], policy = 0): RoutingTable {
  return { host: 'h', isNode: false, links: [], main, local: [], multipathHashPolicy: policy, sysctl: {}, warnings: [] };
}

describe('FIB properties', () => {
  test.prop([fc.array(routeArb, { maxLength: 40 }), fc.oneof(nearAddr, addr)], { numRuns: 1000 })(
    'longest-prefix match agrees with a brute-force scan of all routes',
    (routes, dstNum) => {
      const dst = v4(dstNum);
      const got = longestPrefixMatch(tableOf(routes), 'main', dst);
      const matching = routes.filter((r) => prefixContains(r.dst, dst));
      if (matching.length === 0) {
        expect(got).toEqual([]);
        return;
      }
      const best = Math.max(...matching.map((r) => prefixLength(r.dst)));
      const longest = matching.filter((r) => prefixLength(r.dst) === best);
      expect(new Set(got)).toEqual(new Set(longest));
      const lowest = Math.min(...longest.map((r) => r.metric));
      expect(got[0]?.metric).toBe(lowest);
    },
  );

  const group = fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 2, maxLength: 8 });
  const flow = fc.record({
    src: addr,
    dst: addr,
    protocol: fc.constantFrom(1, 6, 17),
    sport: fc.integer({ min: 0, max: 65535 }),
    dport: fc.integer({ min: 0, max: 65535 }),
  });

  function ecmpTable(weights: readonly number[], policy: number): RoutingTable {
    return tableOf(
      [
        {
          table: 'main',
          type: 'unicast',
          dst: maskedPrefix(v4(0), 0),
          nexthops: weights.map((w, i) => ({ gateway: v4(0x0a000001 + i), dev: `eth${i}`, weight: w })),
          protocol: 'bgp',
          scope: 'universe',
          metric: 20,
          origin: 'zebra',
        },
      ],
      policy,
    );
  }

  test.prop([group, flow, fc.constantFrom(0, 1)], { numRuns: 1000 })(
    'same flow, same ECMP member (also through a rebuilt table)',
    (weights, f, policy) => {
      const l4 = { protocol: f.protocol, sport: f.sport, dport: f.dport };
      const a = lookupRoute(ecmpTable(weights, policy), v4(f.dst), { flow: l4 });
      const b = lookupRoute(ecmpTable([...weights], policy), v4(f.dst), { flow: { ...l4 } });
      expect(a.kind).toBe('unicast');
      expect(a.kind === 'unicast' && a.nexthopIndex).toBe(b.kind === 'unicast' && b.nexthopIndex);
    },
  );

  test.prop([group, flow, flow], { numRuns: 1000 })(
    'with hash policy 0 the member does not depend on protocol or ports',
    (weights, f, other) => {
      const t = ecmpTable(weights, 0);
      const a = lookupRoute(t, v4(f.dst), { flow: { protocol: f.protocol, sport: f.sport, dport: f.dport } });
      const b = lookupRoute(t, v4(f.dst), { flow: { protocol: other.protocol, sport: other.sport, dport: other.dport } });
      expect(a.kind === 'unicast' && a.nexthopIndex).toBe(b.kind === 'unicast' && b.nexthopIndex);
    },
  );

  test.prop([group, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })], {
    numRuns: 1000,
  })('hash-threshold: members own consecutive hash ranges in group order', (weights, h1, h2) => {
    const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
    const a = hashThresholdSelect(weights, lo);
    const b = hashThresholdSelect(weights, hi);
    expect(a).toBeLessThanOrEqual(b);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(weights.length);
  });

  test.prop([flow, fc.constantFrom(0, 1, 2, 3)], { numRuns: 1000 })('the hash is 31 bits', (f, policy) => {
    const h = multipathHash(policy, { ...f, family: 4, src: BigInt(f.src >>> 0), dst: BigInt(f.dst >>> 0) });
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 31).toBe(true);
  });

  test.prop([fc.shuffledSubarray(['k8s-ctr', 'k8s-w1', 'k8s-w0', 'router'], { minLength: 4, maxLength: 4 })], {
    numRuns: 20,
  })('base tables do not depend on the order of hosts and nodes', (order) => {
    const c = labCluster({ config: { autoDirectNodeRoutes: true } });
    const shuffled = {
      ...c,
      hosts: order.map((n) => c.hosts.find((h) => h.meta.name === n)!),
      scenario: { ...c.scenario, nodes: [...c.scenario.nodes].reverse() },
    };
    const render = (m: ReadonlyMap<string, RoutingTable>): string =>
      JSON.stringify([...m.entries()].map(([k, t]) => [k, t.main.map((r) => [String(r.dst.getFirst()), prefixLength(r.dst), r.nexthops.map((n) => `${n.gateway?.toString()}/${n.dev}`)])]));
    expect(render(baseRoutingTables(shuffled))).toBe(render(baseRoutingTables(c)));
  });
});
