/**
 * v6walk (issue 18): the packet walk over IPv6, as properties over dual-stack generated clusters
 * (`scenarioArbitrary({ dualStack: true })`: every IPv4 object has an IPv6 mirror `fd00::a.b.c.d`,
 * BGP stays IPv4; nodes with a Host document, whose addresses are mirrored too):
 * - the IPv6 trace of a flow is the IPv4 trace of the mirrored flow under the mirror mapping
 *   (addresses unmirrored, `/len+96` prefixes back to `/len`, `[v6]:port` to `v4:port`) whenever
 *   the IPv4 walk meets no hash choice (ECMP among several next hops, a backend among several: the
 *   IPv6 hashes read the 128-bit addresses) and no BGP route (withDualStack mirrors no BGP);
 * - each family's traces are independent of the other family's objects: an IPv4 trace in the
 *   dual-stack cluster is the trace in the IPv4-only cluster, byte for byte.
 *
 * Each run compiles two clusters (the pipeline end to end): 100 runs by default,
 * `DUAL_STACK_RUNS=1000` for the long run.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { scenarioArbitrary, toFiles, withDualStack, unmirror, mirrorIp } from '../../src/arbitraries/index.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildCluster } from '../../src/cluster/build.js';
import { createTwin } from '../../src/twin/index.js';
import { formatIp, parseIp, type IpAddress } from '../../src/net/addr.js';
import type { TraceRequest, TraceResult } from '../../src/packet/types.js';
import type { ManifestDocument } from '../../src/arbitraries/index.js';

const RUNS = { numRuns: Number(process.env.DUAL_STACK_RUNS ?? 100) };

function twinOf(docs: readonly ManifestDocument[]) {
  const d = decodeScenario(toFiles(docs), { set: {} });
  if (isLeft(d)) throw new Error(d.left.map((e) => e.message).join('; '));
  return createTwin(buildCluster(d.right));
}

const V6_TOKEN = /\[?(fd00:[0-9a-f:.]*[0-9a-f])\]?(\/\d{1,3})?/g;

/** A text of the IPv6 walk mapped back to the IPv4 world. */
function unmirrorText(text: string): string {
  return text.replace(V6_TOKEN, (_m, ip: string, len: string | undefined) => {
    const a = parseIp(ip);
    if (a === undefined) return _m;
    const v4 = formatIp(unmirror(a) as IpAddress);
    if (len === undefined) return v4;
    const l = Number(len.slice(1)) - 96;
    return l === 0 ? 'default' : `${v4}/${l}`;
  }).replace(/neighbor solicitation for/g, 'ARP who-has').replace(/\[::\]/g, '0.0.0.0');
}

/**
 * The comparable text of a trace (the JSON contract plus the outcome and answer). whoami lists
 * every address of its pod, so its global IPv6 lines (a dual-stack pod's second address) are left
 * out: they are the one thing of the answer that depends on the other family.
 */
function text(r: TraceResult): string {
  const answer = r.answer === null ? null : { status: r.answer.status, kind: r.answer.kind, body: r.answer.body?.replace(/^IP: fd00:[0-9a-f:]+\n/gm, '') ?? null };
  return JSON.stringify({
    verdict: r.verdict, reason: r.reason, outcome: r.outcome, dropCode: r.dropCode, request: r.request,
    backend: r.backend, seenByBackend: r.seenByBackend, reply: r.reply, answer,
    hops: r.hops.map((h) => `${h.host} ${h.event} ${h.detail}`),
  });
}

/** True when the walk met a hash choice or a BGP route. */
function hashOrBgp(r: TraceResult): boolean {
  return r.hops.some((h) => / of ([2-9]|\d\d+)\b/.test(h.detail) || /proto bgp/.test(h.detail) || /maglev slot/.test(h.detail));
}

/** The flows a scenario offers: pods and routers to pod IPs, cluster IPs and LB IPs. */
function requestsOf(twin: ReturnType<typeof twinOf>): TraceRequest[] {
  const net = twin.network();
  const clients = [...net.pods.values()].filter((p) => !p.hostNetwork).slice(0, 3).map((p) => p.key);
  const routers = [...net.hosts.values()].filter((h) => h.node === undefined).slice(0, 1).map((h) => h.name);
  const first = net.spec.nodes[0];
  const dsts: { dst: string; port: number; proto: 'TCP' | 'UDP' }[] = [];
  for (const p of [...net.pods.values()].filter((x) => !x.hostNetwork && x.ip >= 0).slice(0, 3)) dsts.push({ dst: formatIp(parseIp(ipText(p.ip))!), port: 80, proto: 'TCP' });
  for (const f of first?.frontends ?? []) {
    if (f.address.includes(':') || f.address === '0.0.0.0' || f.port === 0) continue;
    if (f.type !== 'ClusterIP' && f.type !== 'LoadBalancer') continue;
    dsts.push({ dst: f.address, port: f.port, proto: f.protocol === 'UDP' ? 'UDP' : 'TCP' });
  }
  const out: TraceRequest[] = [];
  for (const from of [...clients, ...routers]) for (const d of dsts.slice(0, 6)) out.push({ from, dst: d.dst, dport: d.port, protocol: d.proto });
  return out;
}

/** A text with reverse-NAT IDs left out. */
function revnat(t: string): string {
  return t.replace(/revnat \d+/g, 'revnat N');
}

function ipText(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const scenario = scenarioArbitrary({ nodes: { min: 1, max: 4 } });

describe('dual-stack packet walk properties', () => {
  test.prop([scenario], RUNS)('IPv4 traces are independent of the IPv6 objects; IPv6 traces mirror the IPv4 ones', (s0) => {
    const t4 = twinOf(s0.documents);
    const t46 = twinOf(withDualStack(s0).documents);
    // a node without a Host document gets a default one whose IPv6 InternalIP is on a /64, which
    // holds every mirror (fd00::/96): no longer the mirror of the IPv4 /24, so no mirror comparison
    const mirrored = s0.facts.nodes.every((n) => n.explicitHost);
    let compared = 0;
    for (const req of requestsOf(t4)) {
      const r4 = t4.trace(req);
      // independence: the IPv4 answer does not change when the IPv6 world is added (but for the
      // reverse-NAT IDs, numbered across both families' frontends in creation order)
      expect(revnat(text(t46.trace(req)))).toBe(revnat(text(r4)));
      if (!mirrored) continue;
      const r6 = t46.trace({ ...req, dst: mirrorIp(req.dst) });
      if (hashOrBgp(r4) || hashOrBgp(r6)) continue;
      expect(revnat(unmirrorText(text(r6))), `${req.from} -> ${req.dst}:${req.dport}`).toBe(revnat(text(r4)));
      compared++;
    }
    return compared >= 0;
  });
});
