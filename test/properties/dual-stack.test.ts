/**
 * ipv6 (issue 18): properties over dual-stack generated clusters. Each generated IPv4 scenario is
 * made dual-stack by mirroring (`withDualStack`: every IPv4 object gains an IPv6 twin
 * `fd00::a.b.c.d`), so the IPv6 expectation is the mirror of the IPv4 one:
 * - the LB map invariants of `lb-maps.test.ts` hold for the frontends of both families;
 * - each family's answers are independent of the other family's objects: the IPv4 frontends, LB
 *   IPs and backend sets of the dual-stack cluster are those of the IPv4 cluster;
 * - the IPv6 world is the IPv4 world mirrored: IPv6 frontends, LB IPs and backends are the
 *   mirrors of the IPv4 ones.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { allNodeMaps, clusterOfDocuments, smallLbScenario } from '../helpers/lb-properties.js';
import { withDualStack, unmirror, type GeneratedScenario } from '../../src/arbitraries/index.js';
import { allocateLbIps, lbIpsOf } from '../../src/ipam/index.js';
import { backendById, type NodeLbMaps } from '../../src/datapath/lb/index.js';
import { familyOf, formatIp, isUnspecified, unspecified, type IpAddress } from '../../src/net/addr.js';
import type { Cluster } from '../../src/cluster/types.js';

/** 300 runs by default (~10 s for both); DUAL_STACK_RUNS=1000 for the long run. */
const RUNS = { numRuns: Number(process.env.DUAL_STACK_RUNS ?? 300) };




/** An address as its IPv4 original (unspecified `::` as `0.0.0.0`). */
const v4of = (a: IpAddress): string => formatIp(isUnspecified(a) ? unspecified(4) : unmirror(a));

/** A frontend as comparable text: address, port, protocol, type, scope, flags, active backends. */
function frontendText(m: NodeLbMaps, f: NodeLbMaps['frontends'][number], addr: (a: IpAddress) => string): string {
  const active = f.backendIds
    .map((id) => backendById(m, id)!)
    .filter((b) => b.state === 'active')
    .map((b) => `${addr(b.address)}:${b.port}`)
    .sort();
  return `${addr(f.address)}:${f.port}/${f.protocol} ${f.type} ${f.scope} [${f.flagNames.join(',')}] -> ${active.join(' ')}`;
}

function frontendsOf(maps: readonly NodeLbMaps[], family: 4 | 6, addr: (a: IpAddress) => string): string[] {
  return maps.flatMap((m) => m.frontends.filter((f) => familyOf(f.address) === family).map((f) => `${m.node} ${frontendText(m, f, addr)}`)).sort();
}

describe('dual-stack properties', () => {
  test.prop([smallLbScenario], RUNS)('LB map invariants hold for the frontends of both families', (s0: GeneratedScenario) => {
    const s = withDualStack(s0);
    const maps = allNodeMaps(clusterOfDocuments(s.documents));
    for (const m of maps) {
      for (const f of m.frontends) {
        if (f.wildcard || f.type === 'HostPort') continue;
        const svc = s.facts.services.find((x) => x.namespace === f.service.namespace && x.name === f.service.name)!;
        const local = f.scope === 'internal' || f.type === 'ClusterIP' ? svc.internalTrafficPolicy === 'Local' : svc.externalTrafficPolicy === 'Local';
        const ready = svc.backends.filter((b) => b.ready && !b.terminating && (!local || b.node === m.node)).map((b) => b.ip);
        const active = f.backendIds
          .map((id) => backendById(m, id)!)
          .filter((b) => b.state === 'active')
          .map((b) => {
            expect(familyOf(b.address)).toBe(familyOf(f.address)); // a frontend's backends are of its family
            return v4of(b.address);
          })
          .sort();
        expect(active).toEqual([...new Set(ready)].sort());
        if (f.type === 'ClusterIP') expect(f.flagNames.includes('non-routable')).toBe(!s.facts.config.externalClusterIP);
      }
    }
    const first = maps[0]!;
    for (const m of maps.slice(1)) {
      for (const b of m.backends) {
        const o = backendById(first, b.id);
        if (o !== undefined) expect(`${formatIp(o.address)}:${o.port}`).toBe(`${formatIp(b.address)}:${b.port}`);
      }
    }
  });

  test.prop([smallLbScenario], RUNS)(
    "each family is independent of the other's objects, and the IPv6 world is the IPv4 world mirrored",
    (s0: GeneratedScenario) => {
      const c4 = clusterOfDocuments(s0.documents);
      const c46 = clusterOfDocuments(withDualStack(s0).documents);
      const m4 = allNodeMaps(c4);
      const m46 = allNodeMaps(c46);
      // IPv4 answers unchanged by the IPv6 objects
      expect(frontendsOf(m46, 4, formatIp)).toEqual(frontendsOf(m4, 4, formatIp));
      // IPv6 answers: the mirror of the IPv4 ones
      expect(frontendsOf(m46, 6, v4of)).toEqual(frontendsOf(m4, 4, v4of));
      // LB IPAM: the IPv4 address unchanged, the IPv6 one its mirror
      const ipam4 = allocateLbIps(c4);
      const ipam46 = allocateLbIps(c46);
      for (const svc of s0.facts.services) {
        const a4 = lbIpsOf(ipam4, svc.namespace, svc.name).map(formatIp);
        const a46 = lbIpsOf(ipam46, svc.namespace, svc.name);
        expect(a46.filter((a) => familyOf(a) === 4).map(formatIp)).toEqual(a4);
        expect(a46.filter((a) => familyOf(a) === 6).map(v4of)).toEqual(a4);
      }
    },
  );
});
