/**
 * One address of one node's LB maps built alone (`lbRowsBuilder`, entry6: what a trace reads)
 * equals the whole maps' rows at that address: the same frontend rows (rev-NAT IDs numbered
 * per node as the whole walk numbers them, wildcard rows, Maglev tables) and the same backend
 * rows for the IDs they name (backend IDs numbered cluster-wide). Generated scenarios get twin
 * services on purpose: a copy of a service under another name selecting the same pods (shared
 * backends, left to the whole maps) with its own ClusterIP or the same one (a key the first
 * service takes), so the per-node numbering and the fallbacks are both exercised.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { clusterOfDocuments } from '../helpers/lb-properties.js';
import { scenarioArbitrary } from '../../src/arbitraries/index.js';
import { allocateLbIps } from '../../src/ipam/index.js';
import { backendById, lbMapsBuilder, lbRowsBuilder } from '../../src/datapath/lb/index.js';
import { isIPv4 } from '../../src/net/addr.js';
import type { WireAddr } from '../../src/net/wire.js';

const scenario = fc.record({
  s: scenarioArbitrary({
    nodes: { min: 1, max: 3 },
    services: { min: 1, max: 4 },
    podsPerService: { min: 0, max: 4 },
    routers: { min: 1, max: 1 },
    maglevTableSizes: [251],
  }),
  // twin services: 0 none, 1 same selector and a fresh ClusterIP, 2 same ClusterIP too
  twin: fc.constantFrom(0, 0, 1, 2),
  // the twin's ports named differently (its backends' port names differ from the original's)
  rename: fc.boolean(),
  // one service exposed on no node (`service.cilium.io/node` naming a label no node has)
  hide: fc.boolean(),
  which: fc.nat(),
  // the node and the addresses asked first (laziness must not leak between addresses)
  order: fc.array(fc.nat(), { maxLength: 6 }),
});

type Doc = {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { clusterIP?: string; clusterIPs?: string[]; ports?: { name?: string }[] };
};

function mutated(docs: readonly unknown[], v: { twin: number; rename: boolean; hide: boolean; which: number }): unknown[] {
  const out = docs.map((d) => JSON.parse(JSON.stringify(d)) as Doc);
  const services = out.filter((d) => d.kind === 'Service');
  if (services.length === 0) return out;
  const svc = services[v.which % services.length]!;
  if (v.twin !== 0) {
    const copy = JSON.parse(JSON.stringify(svc)) as Doc;
    copy.metadata = { ...copy.metadata, name: `${copy.metadata?.name ?? 'svc'}-twin` };
    if (v.twin === 1 && copy.spec !== undefined) {
      delete copy.spec.clusterIP;
      delete copy.spec.clusterIPs;
    }
    if (v.rename) for (const p of copy.spec?.ports ?? []) p.name = 'alt';
    out.push(copy);
  }
  if (v.hide) services[0]!.metadata = { ...services[0]!.metadata, annotations: { ...services[0]!.metadata?.annotations, 'service.cilium.io/node': 'nowhere' } };
  return out;
}

const wire = (a: { value: bigint; bitSize: number }): WireAddr => (a.bitSize === 32 ? Number(a.value) : a.value);
const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint32Array ? [...v] : v);

describe('LB rows at one address', () => {
  test.prop([scenario], { numRuns: 1000 })('equal the whole maps at that address, on every node, in any order', ({ s, twin, rename, hide, which, order }) => {
    const cluster = clusterOfDocuments(mutated(s.documents, { twin, rename, hide, which }));
    const ipam = allocateLbIps(cluster);
    const mapsOf = lbMapsBuilder(cluster, ipam);
    const rowsAt = lbRowsBuilder(cluster, ipam);
    const nodes = cluster.scenario.nodes.map((n) => n.meta.name);
    const questions: [string, WireAddr][] = [];
    for (const node of nodes) {
      const whole = mapsOf(node);
      const addrs = new Set<WireAddr>(whole.frontends.map((f) => wire(f.address)));
      addrs.add(0x0a0a0a0a); // no frontend anywhere
      for (const a of addrs) questions.push([node, a]);
    }
    const asked = [...order.map((i) => questions[i % questions.length]!), ...questions];
    for (const [node, a] of asked) {
      const rows = rowsAt(node, a);
      if (rows === undefined) continue; // read from the whole maps
      const whole = mapsOf(node);
      const expected = whole.frontends.filter((f) => wire(f.address) === a);
      expect(JSON.stringify(rows.frontends, big), `${node} ${a}`).toBe(JSON.stringify(expected, big));
      for (const f of rows.frontends) {
        for (const id of f.backendIds) expect(JSON.stringify(rows.backends.get(id), big)).toBe(JSON.stringify(backendById(whole, id), big));
      }
      if (expected.length > 0) expect(isIPv4(expected[0]!.address) ? typeof a : 'bigint').toBe(typeof a);
    }
  });
});
