/**
 * The scheduler's indexes (issue 10: per-owner spread pointers, placed pods and anti-affinity
 * terms indexed by namespace and label, pinned pods looking only at the nodes they name, static
 * reasons only for Pending pods) change nothing: `schedule` equals a direct reading of the rules
 * (every node checked for every pod, every placed pod scanned for every term) on generated nodes,
 * placed pods and pods with taints, selectors, node affinity (including DaemonSet-style pinning
 * by name), pod affinity, anti-affinity and topology spread.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { schedule, fitError, nodeAffinityMatches, untoleratedTaint, type PlacedPod, type Placement, type PodToPlace } from '../../src/workloads/schedule.js';
import { matchesSelector } from '../../src/cluster/selector.js';
import type { LabelSelector, Node, PodAffinityTerm, PodScheduling, StringMap } from '../../src/input/types.js';

const HOSTNAME = 'kubernetes.io/hostname';

function labelsOf(n: Node): StringMap {
  if (Object.prototype.hasOwnProperty.call(n.meta.labels, HOSTNAME)) return n.meta.labels;
  return Object.assign(Object.create(null) as Record<string, string>, n.meta.labels, { [HOSTNAME]: n.meta.name });
}

function termMatches(term: PodAffinityTerm, own: string, pod: { namespace: string; labels: StringMap }): boolean {
  const namespaces = term.namespaces.length > 0 ? term.namespaces : [own];
  return namespaces.includes(pod.namespace) && term.labelSelector !== undefined && matchesSelector(term.labelSelector, pod.labels);
}

type Reason = { text: string; unresolvable: boolean };

/** The rules of `schedule.ts`' module doc, read directly: O(nodes × placed pods) per pod. */
function reference(nodesIn: readonly Node[], placedIn: readonly PlacedPod[], pods: readonly PodToPlace[]): Placement[] {
  const nodes = [...nodesIn].sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
  const labels = nodes.map(labelsOf);
  const index = new Map(nodes.map((n, i) => [n.meta.name, i] as const));
  const placed: { namespace: string; labels: StringMap; node: number; owner: string; anti: readonly PodAffinityTerm[] }[] = [];
  for (const p of placedIn) {
    const i = index.get(p.nodeName);
    if (i !== undefined) placed.push({ namespace: p.namespace, labels: p.labels, node: i, owner: p.owner, anti: p.antiAffinity });
  }
  const count = (owner: string, i: number) => placed.filter((q) => q.owner === owner && q.node === i).length;
  const out: Placement[] = [];
  for (const pod of pods) {
    if (nodes.length === 0) {
      out.push({ pending: 'no nodes available to schedule pods' });
      continue;
    }
    const s = pod.scheduling;
    const spread = s.topologySpreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    const feasible: number[] = [];
    const reasons: Reason[] = [];
    nodes.forEach((n, i) => {
      const taint = untoleratedTaint(n, s.tolerations);
      if (taint !== undefined) reasons.push({ text: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, unresolvable: true });
      else if (!nodeAffinityMatches(n, s)) reasons.push({ text: "node(s) didn't match Pod's node affinity/selector", unresolvable: true });
      else feasible.push(i);
    });
    const domains = (t: PodAffinityTerm) => new Set(placed.filter((q) => termMatches(t, pod.namespace, q)).map((q) => labels[q.node]![t.topologyKey]).filter((v) => v !== undefined));
    const anti = s.podAntiAffinity.map((t) => ({ key: t.topologyKey, vals: domains(t) }));
    const aff = s.podAffinity.map((t) => ({ key: t.topologyKey, vals: domains(t), self: termMatches(t, pod.namespace, pod) }));
    const affinityFree = aff.every((d) => d.vals.size === 0 && d.self);
    const spreads = spread.map((c) => {
      const counts = new Map<string, number>();
      for (const i of feasible) {
        const v = labels[i]![c.topologyKey];
        if (v !== undefined) counts.set(v, 0);
      }
      for (const q of placed) {
        const v = labels[q.node]![c.topologyKey];
        if (q.namespace === pod.namespace && c.labelSelector !== undefined && matchesSelector(c.labelSelector, q.labels) && v !== undefined && counts.has(v)) counts.set(v, counts.get(v)! + 1);
      }
      const min = counts.size === 0 ? 0 : Math.min(...counts.values());
      return { c, counts, min, self: c.labelSelector !== undefined && matchesSelector(c.labelSelector, pod.labels) ? 1 : 0 };
    });
    let best: number | undefined;
    for (const i of feasible) {
      const l = labels[i]!;
      let reason: Reason | undefined;
      for (const sp of spreads) {
        const v = l[sp.c.topologyKey];
        if (v === undefined) reason ??= { text: "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true };
        else if ((sp.counts.get(v) ?? 0) + sp.self - sp.min > sp.c.maxSkew) reason ??= { text: "node(s) didn't match pod topology spread constraints", unresolvable: false };
      }
      if (reason === undefined && !affinityFree && aff.some((d) => l[d.key] === undefined || !d.vals.has(l[d.key]!))) {
        reason = { text: "node(s) didn't match pod affinity rules", unresolvable: true };
      }
      if (reason === undefined && anti.some((d) => l[d.key] !== undefined && d.vals.has(l[d.key]!))) {
        reason = { text: "node(s) didn't match pod anti-affinity rules", unresolvable: false };
      }
      if (reason === undefined && placed.some((q) => q.anti.some((t) => termMatches(t, q.namespace, pod) && labels[q.node]![t.topologyKey] !== undefined && labels[q.node]![t.topologyKey] === l[t.topologyKey]))) {
        reason = { text: "node(s) didn't satisfy existing pods anti-affinity rules", unresolvable: false };
      }
      if (reason !== undefined) {
        reasons.push(reason);
        continue;
      }
      if (best === undefined || count(pod.owner, i) < count(pod.owner, best)) best = i;
    }
    if (best === undefined) {
      out.push({ pending: fitError(nodes.length, reasons) });
      continue;
    }
    placed.push({ namespace: pod.namespace, labels: pod.labels, node: best, owner: pod.owner, anti: s.podAntiAffinity });
    out.push({ node: nodes[best]!.meta.name });
  }
  return out;
}

const map = (entries: readonly (readonly [string, string])[]): StringMap => Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(entries));
const labelPairs = fc.uniqueArray(fc.tuple(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b', 'c')), { selector: ([k]) => k, maxLength: 2 });
const selector: fc.Arbitrary<LabelSelector | undefined> = fc.option(
  fc.record({
    matchLabels: labelPairs.map(map),
    matchExpressions: fc.array(fc.record({ key: fc.constantFrom('app', 'tier'), operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const), values: fc.constant(['a', 'b']) }), { maxLength: 1 }),
  }),
  { nil: undefined, freq: 5 },
);
const term: fc.Arbitrary<PodAffinityTerm> = fc.record({
  labelSelector: selector,
  topologyKey: fc.constantFrom(HOSTNAME, 'zone', 'rack'),
  namespaces: fc.constantFrom([], ['n0'], ['n1', 'n1']),
});

function scenario() {
  return fc.integer({ min: 0, max: 7 }).chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `node-${(i * 7) % 10}${i}`);
    const nodes = fc.tuple(
      ...names.map((name) =>
        fc.record({
          zone: fc.option(fc.constantFrom('z0', 'z1', 'z2'), { nil: undefined }),
          rack: fc.option(fc.constantFrom('r0', 'r1'), { nil: undefined }),
          hostname: fc.boolean(),
          tainted: fc.boolean(),
          ready: fc.boolean(),
        }).map((o): Node => ({
          meta: { name, labels: map([...(o.zone ? [['zone', o.zone] as const] : []), ...(o.rack ? [['rack', o.rack] as const] : []), ...(o.hostname ? [[HOSTNAME, name] as const] : [])]), annotations: map([]) },
          podCIDRs: [],
          taints: o.tainted ? [{ key: 't', effect: 'NoSchedule' }] : [],
          addresses: [],
          ready: o.ready || !o.tainted,
        })),
      ),
    );
    const nodeName = names.length > 0 ? fc.constantFrom(...names, 'gone') : fc.constant('gone');
    const scheduling: fc.Arbitrary<PodScheduling> = fc.record({
      nodeSelector: fc.option(fc.constantFrom('z0', 'z1'), { nil: undefined }).map((z) => map(z ? [['zone', z]] : [])),
      requiredNodeAffinity: fc.array(
        fc.array(
          fc.oneof(
            fc.tuple(nodeName, nodeName).map(([a, b]) => ({ key: 'metadata.name', operator: 'In' as const, values: [a, 'nope', b] })),
            fc.record({ key: fc.constant('zone'), operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const), values: fc.constant(['z1']) }),
          ),
          { maxLength: 2 },
        ),
        { maxLength: 2 },
      ),
      tolerations: fc.constantFrom([], [{ key: 't', operator: 'Exists' as const }]),
      podAffinity: fc.array(term, { maxLength: 1 }),
      podAntiAffinity: fc.array(term, { maxLength: 1 }),
      topologySpreadConstraints: fc.array(
        fc.record({ maxSkew: fc.integer({ min: 1, max: 2 }), topologyKey: fc.constantFrom('zone', 'rack'), whenUnsatisfiable: fc.constantFrom('DoNotSchedule' as const, 'ScheduleAnyway' as const), labelSelector: selector }),
        { maxLength: 1 },
      ),
    }) as fc.Arbitrary<PodScheduling>;
    const owner = fc.constantFrom('o0', 'o1', 'o2');
    const ns = fc.constantFrom('n0', 'n1');
    const placed = fc.array(
      fc.record({ namespace: ns, labels: labelPairs.map(map), nodeName, owner, antiAffinity: fc.array(term, { maxLength: 1 }) }),
      { maxLength: 4 },
    );
    // pods of one owner mostly share their template's scheduling object (as controllers' pods do)
    const pods = fc.tuple(fc.array(scheduling, { minLength: 3, maxLength: 3 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), ns, labelPairs.map(map), fc.option(scheduling, { nil: undefined, freq: 3 })), { maxLength: 25 })).map(
      ([templates, list]) =>
        list.map(([o, namespace, labels, own], k): PodToPlace => ({ key: `${namespace}/p${k}`, namespace, labels, scheduling: own ?? templates[o]!, owner: `o${o}` })),
    );
    return fc.tuple(nodes, placed, pods);
  });
}

describe('scheduler properties', () => {
  test.prop([scenario()], { numRuns: 1000 })('schedule equals the direct reading of the rules', ([nodes, placed, pods]) => {
    expect(schedule(nodes, placed, pods)).toEqual(reference(nodes, placed, pods));
  });
});
