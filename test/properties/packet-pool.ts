/**
 * Shared pieces of the packet properties: a pool of generated scenarios (sampled once with a
 * fixed seed and compiled once each, since a compile runs the whole pipeline), a flow arbitrary
 * over it, and networks where the router is pinned to send a VIP to a chosen node (what BGP's
 * ECMP would do for some flow), so that properties can reach every entry node.
 */
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { scenarioArbitrary, toFiles } from '../../src/arbitraries/index.js';
import type { GeneratedScenario, ScenarioOptions, ServiceFacts } from '../../src/arbitraries/index.js';
import { buildCluster } from '../../src/cluster/build.js';
import { decodeScenario } from '../../src/input/decode.js';
import { buildNetwork } from '../../src/network/build.js';
import { compileNetwork } from '../../src/network/compile.js';
import type { CompiledNetwork } from '../../src/network/compile.js';
import type { Network } from '../../src/network/types.js';
import { ipv4ToU32, maskOf } from '../../src/net/addr.js';

export interface PoolEntry {
  readonly scenario: GeneratedScenario;
  readonly net: CompiledNetwork;
  /** LoadBalancer frontends: service facts, LB IP, port. */
  readonly vips: readonly { readonly svc: ServiceFacts; readonly ip: string; readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

/** Samples and compiles `n` scenarios (fixed seed), keeping those with at least one LB IP. */
export function scenarioPool(options: ScenarioOptions, n: number, seed: number): PoolEntry[] {
  const out: PoolEntry[] = [];
  for (const s of fc.sample(scenarioArbitrary(options), { numRuns: n, seed })) {
    const d = decodeScenario(toFiles(s.documents), { set: {} });
    if (isLeft(d)) throw new Error(`generated scenario does not decode: ${d.left.map((e) => e.message).join('; ')}`);
    const net = compileNetwork(buildCluster(d.right));
    const vips: PoolEntry['vips'][number][] = [];
    for (const svc of s.facts.services) {
      if (svc.type !== 'LoadBalancer') continue;
      const ips = net.ipam.services.find((x) => x.namespace === svc.namespace && x.name === svc.name)?.ips ?? [];
      for (const ip of ips) {
        if (ip.bitSize !== 32) continue;
        for (const p of svc.ports) vips.push({ svc, ip: ip.toString(), port: p.port, protocol: p.protocol });
      }
    }
    if (vips.length > 0) out.push({ scenario: s, net, vips });
  }
  return out;
}

const pinned = new WeakMap<PoolEntry, Map<string, Network>>();

/**
 * The network of `entry` where the router sends `vip` to `node` (a static /32 route that wins
 * over BGP's metric-20 route). Memoised.
 */
export function pinnedNetwork(entry: PoolEntry, router: string, vip: string, node: string): Network {
  const key = `${router}|${vip}|${node}`;
  let cache = pinned.get(entry);
  if (!cache) pinned.set(entry, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const spec = entry.net.spec;
  const nodeIp = spec.nodes.find((n) => n.name === node)!.addresses[0]!;
  const nodeU = ipv4ToU32(nodeIp)!;
  const r = spec.hosts.find((h) => h.name === router)!;
  const dev = r.interfaces.find((i) =>
    i.addresses.some((a) => {
      const [ip, len] = a.split('/');
      const m = maskOf(Number(len));
      return ((ipv4ToU32(ip!)! & m) >>> 0) === ((nodeU & m) >>> 0);
    }),
  );
  const routes = dev
    ? [...r.routes, { dst: `${vip}/32`, nexthops: [{ via: nodeIp, dev: dev.name }], proto: 'static' }]
    : r.routes;
  const net = buildNetwork({ ...spec, hosts: spec.hosts.map((h) => (h === r ? { ...h, routes } : h)) });
  cache.set(key, net);
  return net;
}

/** A flow over a pool: which scenario, which VIP, which entry node, which client address, port. */
export function flowArbitrary(poolSize: number) {
  return fc.record({
    scenario: fc.nat({ max: Math.max(0, poolSize - 1) }),
    vip: fc.nat(),
    node: fc.nat(),
    router: fc.nat(),
    source: fc.nat(),
    sport: fc.integer({ min: 1024, max: 65535 }),
  });
}
