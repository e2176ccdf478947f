/**
 * Properties of L2 announcements over generated L2 labs (src/arbitraries/l2.ts): at most one
 * holder per announced service, the holder is always a candidate (a Ready node a selecting
 * policy applies on, with a matching device when any candidate has one), changing an unrelated
 * service never moves a lease, and an LB IP is reachable from the LAN client iff it is announced
 * on the client's segment and the holder may use a backend.
 *
 * Runs: L2_RUNS (default 1,000) for the lease properties; L2_WALK_RUNS (default 1,000) for the
 * reachability property, which compiles the whole network and traces every LB IP.
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { l2LabArbitrary, type GeneratedL2Lab } from '../../src/arbitraries/index.js';
import type { ManifestDocument } from '../../src/arbitraries/index.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { Cluster } from '../../src/cluster/types.js';
import { decodeDocuments } from '../../src/input/decode.js';
import { allocateLbIps } from '../../src/ipam/allocate.js';
import { l2Announcements } from '../../src/l2/announce.js';
import { compileNetwork } from '../../src/network/compile.js';
import { trace } from '../../src/packet/trace.js';

const RUNS = { numRuns: Number(process.env.L2_RUNS ?? 1000) };
const WALK_RUNS = { numRuns: Number(process.env.L2_WALK_RUNS ?? 1000) };

function clusterOf(docs: readonly ManifestDocument[]): Cluster {
  const d = decodeDocuments(docs.map((value, index) => ({ file: 'lab.yaml', index, value })));
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('; '));
  return buildCluster(d.right);
}

/** Candidates by the issue's definition, from the facts alone. */
function expectedCandidates(lab: GeneratedL2Lab, service: string): Set<string> {
  const f = lab.facts;
  const svc = f.services.find((s) => s.name === service)!;
  const out = new Set<string>();
  for (const p of f.policies) {
    if (!p.loadBalancerIPs) continue;
    if (p.color !== undefined && p.color !== svc.color) continue;
    for (const n of f.nodes) {
      if (!n.ready) continue;
      if (p.zone !== undefined && n.zone !== p.zone) continue;
      if (p.workersOnly && n.controlPlane) continue;
      out.add(n.name);
    }
  }
  return out;
}

describe('L2 announcements: leases', () => {
  test.prop([l2LabArbitrary()], RUNS)('one lease per announced service; its holder is a candidate, with a device when any candidate has one', (lab) => {
    const cluster = clusterOf(lab.documents);
    const idx = l2Announcements(cluster, allocateLbIps(cluster));
    const names = idx.leases.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    const active = lab.facts.enabled && lab.facts.kubeProxyReplacement;
    for (const svc of lab.facts.services) {
      const lease = idx.byService.get(`default/${svc.name}`);
      const expected = expectedCandidates(lab, svc.name);
      if (!active || expected.size === 0) {
        expect(lease).toBeUndefined();
        continue;
      }
      expect(lease).toBeDefined();
      expect(new Set(lease!.candidates.map((c) => c.node))).toEqual(expected);
      expect(expected.has(lease!.holder)).toBe(true);
      const holder = lease!.candidates.find((c) => c.node === lease!.holder)!;
      if (lease!.candidates.some((c) => c.devices.length > 0)) expect(holder.devices.length).toBeGreaterThan(0);
      // entries are the holder's: its devices × the service's LB IP
      for (const e of lease!.entries) expect(holder.devices).toContain(e.dev);
    }
  });

  test.prop([l2LabArbitrary(), fc.nat(), fc.constantFrom('recolour', 'remove', 'etp')], RUNS)(
    'changing an unrelated service never moves a lease',
    (lab, pick, how) => {
      if (lab.facts.services.length < 2) return;
      const changed = lab.facts.services[pick % lab.facts.services.length]!.name;
      const docs = lab.documents.flatMap((d): ManifestDocument[] => {
        const meta = d['metadata'] as { name: string };
        if (d['kind'] !== 'Service' || meta.name !== changed) return [d];
        if (how === 'remove') return [];
        if (how === 'etp') {
          const spec = d['spec'] as Record<string, unknown>;
          return [{ ...d, spec: { ...spec, externalTrafficPolicy: spec['externalTrafficPolicy'] === 'Local' ? 'Cluster' : 'Local' } }];
        }
        const m = d['metadata'] as { labels: { color: string } };
        return [{ ...d, metadata: { ...m, labels: { color: m.labels.color === 'blue' ? 'red' : 'blue' } } }];
      });
      // an LB IP follows the service order in the pool: keep the other services' IPs by
      // pinning them as the first run allocated them
      const before = clusterOf(lab.documents);
      const ipamBefore = allocateLbIps(before);
      const pinned = docs.map((d): ManifestDocument => {
        const meta = d['metadata'] as { name: string };
        if (d['kind'] !== 'Service' || meta.name === changed) return d;
        const ips = ipamBefore.services.find((s) => s.name === meta.name)?.ips ?? [];
        return ips.length === 0 ? d : { ...d, metadata: { ...(d['metadata'] as object), annotations: { 'lbipam.cilium.io/ips': ips.map((a) => a.toString()).join(',') } } };
      });
      const pinnedBefore = lab.documents.map((d): ManifestDocument => {
        const meta = d['metadata'] as { name: string };
        if (d['kind'] !== 'Service' || meta.name === changed) return d;
        const ips = ipamBefore.services.find((s) => s.name === meta.name)?.ips ?? [];
        return ips.length === 0 ? d : { ...d, metadata: { ...(d['metadata'] as object), annotations: { 'lbipam.cilium.io/ips': ips.map((a) => a.toString()).join(',') } } };
      });
      const a = clusterOf(pinnedBefore);
      const b = clusterOf(pinned);
      const la = l2Announcements(a, allocateLbIps(a));
      const lb = l2Announcements(b, allocateLbIps(b));
      for (const svc of lab.facts.services) {
        if (svc.name === changed) continue;
        const x = la.byService.get(`default/${svc.name}`);
        const y = lb.byService.get(`default/${svc.name}`);
        expect(y?.holder).toBe(x?.holder);
        expect(y?.entries.map((e) => `${e.ip.toString()} ${e.dev}`)).toEqual(x?.entries.map((e) => `${e.ip.toString()} ${e.dev}`));
      }
    },
  );
});

describe('L2 announcements: input order', () => {
  test.prop([l2LabArbitrary(), fc.infiniteStream(fc.nat())], RUNS)('the leases and entries do not depend on the order of the documents', (lab, stream) => {
    const docs = [...lab.documents];
    const it = stream[Symbol.iterator]();
    for (let i = docs.length - 1; i > 0; i--) {
      const j = it.next().value! % (i + 1);
      [docs[i], docs[j]] = [docs[j]!, docs[i]!];
    }
    const show = (c: Cluster): string[] =>
      l2Announcements(c, allocateLbIps(c)).leases.map((l) => `${l.name} ${l.holder} ${l.entries.map((e) => `${e.ip.toString()}/${e.dev}/${e.ifindex}`).join(',')}`);
    expect(show(clusterOf(docs))).toEqual(show(clusterOf(lab.documents)));
  });
});

describe('L2 announcements: the walk', () => {
  test.prop([l2LabArbitrary(4)], WALK_RUNS)('an LB IP answers the LAN client iff it is announced on eth1 and the holder may use a backend', (lab) => {
    const cluster = clusterOf(lab.documents);
    const net = compileNetwork(cluster);
    const idx = l2Announcements(cluster, net.ipam);
    for (const svc of lab.facts.services) {
      const ip = net.ipam.services.find((s) => s.name === svc.name)?.ips.find((a) => a.bitSize === 32)?.toString();
      if (ip === undefined) continue;
      const lease = idx.byService.get(`default/${svc.name}`);
      const announced = lease !== undefined && lease.entries.some((e) => e.dev === 'eth1' && e.ip.toString() === ip);
      const usable = svc.etp === 'Local' ? lease !== undefined && svc.backendNodes.includes(lease.holder) : svc.backendNodes.length > 0;
      const r = trace(net, { from: 'client', dst: ip, dport: 80 });
      expect(r.outcome === 'answered', `${svc.name} ${ip} holder ${lease?.holder ?? '-'}: ${r.reason ?? ''}`).toBe(announced && usable);
    }
  });
});
