/**
 * What-if: what a change changes, stage by stage. Each stage's answer is reduced to facts
 * (stage, where, value); two scenarios' facts are compared into added, removed and changed
 * entries:
 *
 * | stage | where | value |
 * |---|---|---|
 * | `lb-ipam` | `namespace/service` | its LoadBalancer addresses |
 * | `bgp-advertisements` | `node prefix` | the peers it is advertised to |
 * | `bgp-best-paths` | `router prefix` | best path's next hop and reason, the multipath set |
 * | `fib` | `host destination` | the kernel route (without `nhid`, which is bookkeeping) |
 * | `bpf-lb` | `node frontend` | service type and backends with their states |
 * | `flows` | `client → address:port/proto attribute` | verdict, entry node, backend, seen source |
 *
 * The flow sample is given, or by default one flow per client and service port: every Host
 * that is not a node to every LoadBalancer and external address, every pod that backs no
 * service to every ClusterIP.
 *
 * Cost: every stage of the twin for every node and host (all LB maps, all FIBs), plus one packet
 * walk per flow: O(nodes × services) rows, meant for lab-sized what-ifs.
 *
 * @module
 */
import type { Twin } from '../twin/twin.js';
import type { L4Protocol, TraceResult } from '../packet/types.js';
import { serviceListRows } from '../views/lb/cilium-dbg.js';
import { formatRoute } from '../views/iproute2.js';
import { matchesLabels } from '../cluster/selector.js';
import { compareEntryKeys } from '../net/compare.js';
import { compareStrings } from '../net/compare.js';

/**
 * The stages a what-if compares, in pipeline order.
 *
 * @example
 * WHATIF_STAGES[0]; // 'lb-ipam'
 */
export const WHATIF_STAGES = ['lb-ipam', 'bgp-advertisements', 'bgp-best-paths', 'fib', 'bpf-lb', 'flows'] as const;

/** One of {@link WHATIF_STAGES}. */
export type WhatIfStage = (typeof WHATIF_STAGES)[number];

/**
 * One fact of a scenario: a stage's answer at one place.
 *
 * @example
 * const f: Fact = { stage: 'fib', where: 'router 172.16.1.1', value: 'proto bgp metric 20 nexthop via 192.168.10.100 dev eth1 weight 1' };
 */
export interface Fact {
  /** The stage. */
  readonly stage: WhatIfStage;
  /** Where: the host, node, router or flow, and the key within it. */
  readonly where: string;
  /** The answer there, as one line. */
  readonly value: string;
}

/**
 * One change between two scenarios (the `-o json` contract of `cilium-twin diff`).
 *
 * @example
 * const c: WhatIfChange = { stage: 'fib', where: 'router 172.16.1.1', kind: 'changed', before: '…3 next hops', after: '…2 next hops' };
 */
export interface WhatIfChange {
  /** The stage. */
  readonly stage: WhatIfStage;
  /** Where. */
  readonly where: string;
  /** `added`, `removed` or `changed`. */
  readonly kind: 'added' | 'removed' | 'changed';
  /** The value before (`null` when added). */
  readonly before: string | null;
  /** The value after (`null` when removed). */
  readonly after: string | null;
}

/**
 * A flow of the sample: a client, a destination and the protocol (source port: the walk's
 * default).
 *
 * @example
 * const f: Flow = { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' };
 */
export interface Flow {
  /** Client: a Host, node or pod. */
  readonly from: string;
  /** Destination address. */
  readonly dst: string;
  /** Destination port. */
  readonly dport: number;
  /** Protocol. */
  readonly protocol: L4Protocol;
  /** Source port, when fixed. */
  readonly sport?: number;
}

/**
 * Parses a flows file: one flow a line, `CLIENT ADDRESS:PORT[/PROTO] [SPORT]`; `#` comments.
 *
 * @example
 * parseFlows('router 172.16.1.1:80\ncurl-pod 10.96.252.129:80/TCP 40000\n'); // { ok: true, flows: [...] }
 */
export function parseFlows(text: string): { ok: true; flows: Flow[] } | { ok: false; error: string } {
  const flows: Flow[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = /^(\S+)\s+(\d{1,3}(?:\.\d{1,3}){3}):(\d+)(?:\/(TCP|UDP|SCTP))?(?:\s+(\d+))?$/i.exec(line);
    if (!m) return { ok: false, error: `line ${i + 1}: expected "CLIENT ADDRESS:PORT[/PROTO] [SPORT]", got ${JSON.stringify(raw)}` };
    const dport = Number(m[3]);
    const sport = m[5] !== undefined ? Number(m[5]) : undefined;
    if (dport < 1 || dport > 65535 || (sport !== undefined && (sport < 1 || sport > 65535))) return { ok: false, error: `line ${i + 1}: port out of range` };
    flows.push({ from: m[1]!, dst: m[2]!, dport, protocol: (m[4]?.toUpperCase() ?? 'TCP') as L4Protocol, ...(sport !== undefined ? { sport } : {}) });
  }
  return { ok: true, flows };
}

/**
 * The default flow sample of a cluster: every Host that is not a node to every LoadBalancer
 * and external address of every service port, every pod that backs no service to every
 * ClusterIP port. Sorted by client, then destination.
 *
 * @example
 * defaultFlows(twin); // [{ from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' }, …]
 */
export function defaultFlows(twin: Twin): Flow[] {
  const cluster = twin.cluster;
  const nodes = new Set(cluster.scenario.nodes.map((n) => n.meta.name));
  const outside = cluster.hosts.map((h) => h.meta.name).filter((h) => !nodes.has(h));
  const lbIps = new Map(twin.lbIpam().services.map((s) => [`${s.namespace}/${s.name}`, s.ips.map((a) => a.toString())]));
  const flows: Flow[] = [];
  const services = cluster.scenario.services;
  const backingPods = new Set<string>();
  for (const svc of services) {
    if (svc.selector === undefined) continue;
    for (const p of cluster.scenario.pods) {
      if ((p.meta.namespace ?? 'default') === svc.meta.namespace && matchesLabels(svc.selector, p.meta.labels)) backingPods.add(`${p.meta.namespace ?? 'default'}/${p.meta.name}`);
    }
  }
  const clientPods = cluster.scenario.pods
    .filter((p) => !p.hostNetwork && p.nodeName !== undefined && p.podIPs.length > 0 && !backingPods.has(`${p.meta.namespace ?? 'default'}/${p.meta.name}`))
    .map((p) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`);
  for (const svc of services) {
    const key = `${svc.meta.namespace ?? 'default'}/${svc.meta.name}`;
    const external = [...(lbIps.get(key) ?? []), ...svc.externalIPs.map((a) => a.toString())].filter((a) => !a.includes(':'));
    const internal = svc.clusterIPs.map((a) => a.toString()).filter((a) => !a.includes(':'));
    for (const port of svc.ports) {
      for (const from of outside) for (const dst of external) flows.push({ from, dst, dport: port.port, protocol: port.protocol });
      for (const from of clientPods) for (const dst of internal) flows.push({ from, dst, dport: port.port, protocol: port.protocol });
    }
  }
  const k = (f: Flow): string => `${f.from} ${f.dst} ${String(f.dport).padStart(5, '0')} ${f.protocol}`;
  return flows.sort((a, b) => compareStrings(k(a), k(b)));
}

function entryNode(r: TraceResult): string {
  return r.hops.find((h) => h.event === 'from-network')?.host ?? '-';
}

function hostOf(addrPort: string): string {
  const i = addrPort.lastIndexOf(':');
  return i < 0 ? addrPort : addrPort.slice(0, i);
}

function flowFacts(twin: Twin, flows: readonly Flow[]): Fact[] {
  const out: Fact[] = [];
  for (const f of flows) {
    const where = `${f.from} → ${f.dst}:${f.dport}/${f.protocol}${f.sport !== undefined ? ` sport ${f.sport}` : ''}`;
    let r: TraceResult;
    try {
      r = twin.trace({ from: f.from, dst: f.dst, dport: f.dport, protocol: f.protocol, ...(f.sport !== undefined ? { sport: f.sport } : {}) });
    } catch (e) {
      out.push({ stage: 'flows', where: `${where} verdict`, value: `error: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    out.push({ stage: 'flows', where: `${where} verdict`, value: r.verdict + (r.reason ? ` (${r.reason})` : '') });
    out.push({ stage: 'flows', where: `${where} entry node`, value: entryNode(r) });
    out.push({ stage: 'flows', where: `${where} backend`, value: r.backend ? `${r.backend.pod ?? r.backend.node} on ${r.backend.node} (${r.backend.address})` : '-' });
    out.push({ stage: 'flows', where: `${where} seen source`, value: r.seenByBackend ? hostOf(r.seenByBackend.src) : '-' });
  }
  return out;
}

function routeText(r: Parameters<typeof formatRoute>[0]): string {
  return formatRoute(r)
    .replace(/ nhid \d+/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

/**
 * Every fact of a cluster, in stage order then by place. `flows` defaults to
 * {@link defaultFlows}.
 *
 * @example
 * whatIfFacts(twin).filter((f) => f.stage === 'fib').length; // routes of every host
 */
export function whatIfFacts(twin: Twin, flows?: readonly Flow[]): Fact[] {
  const facts: Fact[] = [];
  for (const s of twin.lbIpam().services) {
    facts.push({ stage: 'lb-ipam', where: `${s.namespace}/${s.name}`, value: s.ips.length === 0 ? '<pending>' : s.ips.map((a) => a.toString()).join(', ') });
  }
  const bgp = twin.ciliumBgp();
  for (const node of bgp.nodes) {
    const byPrefix = new Map<string, string[]>();
    for (const inst of node.instances) {
      for (const adv of inst.advertisements) {
        for (const p of adv.paths) {
          const k = p.prefix.toCidrString();
          byPrefix.set(k, [...(byPrefix.get(k) ?? []), `${adv.peerAddress.toString()}`]);
        }
      }
    }
    for (const [prefix, peers] of [...byPrefix].sort(compareEntryKeys)) {
      facts.push({ stage: 'bgp-advertisements', where: `${node.node} ${prefix}`, value: `advertised to ${[...new Set(peers)].sort().join(', ')}` });
    }
  }
  for (const [router, state] of [...twin.bgp().routers].sort(compareEntryKeys)) {
    for (const e of state.locRib) {
      const best = e.best !== undefined ? e.paths[e.best] : undefined;
      const nh = (i: number): string => e.paths[i]!.path.nextHop.toString();
      const value =
        best === undefined
          ? 'no best path'
          : `best via ${best.path.nextHop.toString()}${e.reason !== '' ? ` (${e.reason})` : ''}; multipath ${e.multipath.length > 0 ? e.multipath.map(nh).join(', ') : '-'}`;
      facts.push({ stage: 'bgp-best-paths', where: `${router} ${e.prefix.toCidrString()}`, value });
    }
  }
  for (const [host, table] of [...twin.fibs()].sort(compareEntryKeys)) {
    const seen = new Map<string, number>();
    for (const r of table.main) {
      const base = `${host} ${r.type !== 'unicast' ? `${r.type} ` : ''}${r.dst.toCidrString()}${r.metric !== 0 ? ` metric ${r.metric}` : ''}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      facts.push({ stage: 'fib', where: n > 1 ? `${base} #${n}` : base, value: routeText(r) });
    }
  }
  for (const [node, maps] of [...twin.allMaps()].sort(compareEntryKeys)) {
    for (const row of serviceListRows(maps)) {
      facts.push({
        stage: 'bpf-lb',
        where: `${node} ${row.frontend}`,
        value: `${row.type}: ${row.backends.length === 0 ? 'no backends' : row.backends.map((b) => `${b.address} (${b.state})`).join(', ')}`,
      });
    }
  }
  facts.push(...flowFacts(twin, flows ?? defaultFlows(twin)));
  return facts;
}

/**
 * The changes from one list of facts to another, in stage order, then as the facts come
 * (before's order, added facts after). Equal facts give an empty list.
 *
 * @example
 * diffFacts(facts, facts); // []
 */
export function diffFacts(before: readonly Fact[], after: readonly Fact[]): WhatIfChange[] {
  const key = (f: Fact): string => `${f.stage}\u0000${f.where}`;
  const a = new Map(before.map((f) => [key(f), f]));
  const b = new Map(after.map((f) => [key(f), f]));
  const out: WhatIfChange[] = [];
  for (const stage of WHATIF_STAGES) {
    for (const f of before) {
      if (f.stage !== stage) continue;
      const g = b.get(key(f));
      if (g === undefined) out.push({ stage, where: f.where, kind: 'removed', before: f.value, after: null });
      else if (g.value !== f.value) out.push({ stage, where: f.where, kind: 'changed', before: f.value, after: g.value });
    }
    for (const g of after) {
      if (g.stage === stage && !a.has(key(g))) out.push({ stage, where: g.where, kind: 'added', before: null, after: g.value });
    }
  }
  return out;
}

/**
 * What changes from one scenario's twin to another's. The flow sample is the given flows, or the default
 * flows of both clusters together (so a flow that only one side has is compared too).
 *
 * @example
 * whatIf(twin, twin); // []
 */
export function whatIf(from: Twin, to: Twin, flows?: readonly Flow[]): WhatIfChange[] {
  let sample = flows;
  if (sample === undefined) {
    const seen = new Set<string>();
    sample = [...defaultFlows(from), ...defaultFlows(to)].filter((f) => {
      const k = `${f.from} ${f.dst} ${f.dport} ${f.protocol}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return diffFacts(whatIfFacts(from, sample), whatIfFacts(to, sample));
}

const TITLES: Record<WhatIfStage, string> = {
  'lb-ipam': 'LB IPAM addresses',
  'bgp-advertisements': 'BGP advertisements (per node)',
  'bgp-best-paths': 'BGP best paths (per router)',
  fib: 'FIB entries (per host)',
  'bpf-lb': 'BPF service and backend rows (per node)',
  flows: 'Flows: verdict, entry node, backend, seen source',
};

/**
 * The changes as text: one section per stage that changed, `+` added, `-` removed, `~` changed
 * (`before → after`); `no change` when there is none.
 *
 * @example
 * renderWhatIf([]); // 'no change\n'
 */
export function renderWhatIf(changes: readonly WhatIfChange[]): string {
  if (changes.length === 0) return 'no change\n';
  let out = '';
  for (const stage of WHATIF_STAGES) {
    const cs = changes.filter((c) => c.stage === stage);
    if (cs.length === 0) continue;
    out += `${out === '' ? '' : '\n'}${TITLES[stage]}:\n`;
    for (const c of cs) {
      if (c.kind === 'added') out += `  + ${c.where}: ${c.after}\n`;
      else if (c.kind === 'removed') out += `  - ${c.where}: ${c.before}\n`;
      else out += `  ~ ${c.where}: ${c.before} → ${c.after}\n`;
    }
  }
  return out;
}
