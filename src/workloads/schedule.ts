/**
 * The scheduler, deterministic: which node each unbound pod lands on, or why it stays Pending.
 *
 * Filters, in kube-scheduler's plugin order (a node fails on the first that rejects it):
 *
 * 1. **TaintToleration**: the first `NoSchedule`/`NoExecute` taint of the node the pod does not
 *    tolerate (`node(s) had untolerated taint {key: value}`). A node whose Ready condition is not
 *    True carries `node.kubernetes.io/not-ready:NoSchedule`, as the node lifecycle controller sets it.
 *    Only declared taints count: a node labelled control-plane without `spec.taints` has none
 *    (the bgp-lab's notes schedule webpods on k8s-ctr).
 * 2. **NodeAffinity**: `nodeSelector` and required node affinity (terms ORed, requirements ANDed;
 *    `matchFields` on `metadata.name`) (`node(s) didn't match Pod's node affinity/selector`).
 * 3. **PodTopologySpread** (`DoNotSchedule` constraints): nodes without the topology label
 *    (`… (missing required label)`), and nodes whose domain would exceed `maxSkew` over the least
 *    loaded domain among the nodes passing 2 (`node(s) didn't match pod topology spread constraints`).
 * 4. **InterPodAffinity**: the pod's required affinity (`node(s) didn't match pod affinity rules`;
 *    a pod that matches its own terms may start a group where no pod matches yet), its required
 *    anti-affinity (`node(s) didn't match pod anti-affinity rules`), then existing pods' required
 *    anti-affinity (`node(s) didn't satisfy existing pods anti-affinity rules`).
 *
 * A node without `kubernetes.io/hostname` is read as labelled with its name (the kubelet sets it).
 * Among the nodes that pass, the pod goes to the one with the fewest pods of the same owner
 * (controller, or the pod itself when bare), then the lowest node name: a stable spread in place
 * of the scheduler's scores. Pods are scheduled one at a time, in the order given.
 *
 * A pod that fits nowhere stays Pending with the scheduler's message:
 * `0/N nodes are available: <count> <reason>, … . preemption: 0/N nodes are available: <count> Preemption is not helpful for scheduling, <count> No preemption victims found for incoming pod.`
 * (reasons sorted as text; a node rejected by taints, node affinity, pod affinity or a missing
 * topology label is "not helpful" (UnschedulableAndUnresolvable), any other "no victims", since
 * every pod has the same priority). Kubernetes before 1.32 ended the message with two periods
 * (`…incoming pod..`); the current source appends the preemption message as is.
 *
 * Complexity: a pod whose constraints are only static (taints, selectors, node affinity) and
 * that no placed pod's anti-affinity concerns costs O(log N) (a heap per owner over its feasible
 * nodes, built once per owner in O(N)); a pod with dynamic constraints (anti-affinity, affinity,
 * spread), or concerned by placed pods' anti-affinity, costs O(N · T) for T matching placed pods.
 *
 * @module
 */
import type { LabelSelector, Node, PodAffinityTerm, PodScheduling, StringMap, Toleration } from '../input/types.js';
import { matchesSelector } from '../cluster/selector.js';
import { compareStrings } from '../net/compare.js';

/** A pod to place. */
export interface PodToPlace {
  /** `namespace/name`. */
  readonly key: string;
  /** Namespace. */
  readonly namespace: string;
  /** Labels. */
  readonly labels: StringMap;
  /** What the scheduler reads. */
  readonly scheduling: PodScheduling;
  /** Owner key for the spread (`Kind/namespace/name`, or the pod's own key). */
  readonly owner: string;
}

/** A pod already on a node. */
export interface PlacedPod {
  /** Namespace. */
  readonly namespace: string;
  /** Labels. */
  readonly labels: StringMap;
  /** The node. */
  readonly nodeName: string;
  /** Owner key. */
  readonly owner: string;
  /** Required anti-affinity terms (to keep others away). */
  readonly antiAffinity: readonly PodAffinityTerm[];
}

/** Where a pod went, or why not. */
export type Placement = { readonly node: string } | { readonly pending: string };

const HOSTNAME = 'kubernetes.io/hostname';

type Reason = { readonly text: string; readonly unresolvable: boolean };

/** The labels the scheduler sees on a node (hostname defaulted to the name). */
function nodeLabels(n: Node): StringMap {
  if (Object.prototype.hasOwnProperty.call(n.meta.labels, HOSTNAME)) return n.meta.labels;
  return Object.assign(Object.create(null) as Record<string, string>, n.meta.labels, { [HOSTNAME]: n.meta.name });
}

/** The taints the scheduler sees (declared, plus not-ready). */
function nodeTaints(n: Node): readonly { key: string; value?: string; effect: string }[] {
  return n.ready ? n.taints : [...n.taints, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
}

/**
 * Whether a toleration tolerates a taint (`v1.Toleration.ToleratesTaint`).
 *
 * @example
 * tolerates({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }); // true
 */
export function tolerates(t: Toleration, taint: { key: string; value?: string; effect: string }): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/**
 * The first taint of a node that a pod does not tolerate (NoSchedule/NoExecute), if any.
 *
 * @example
 * untoleratedTaint(node, [])?.key; // 'node-role.kubernetes.io/control-plane' on a tainted control plane
 */
export function untoleratedTaint(node: Node, tolerations: readonly Toleration[]): { key: string; value?: string; effect: string } | undefined {
  for (const taint of nodeTaints(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}

/**
 * Whether a node satisfies a pod's node selector and required node affinity.
 *
 * @example
 * nodeAffinityMatches(node, { ...NO_SCHEDULING, nodeSelector: { disk: 'ssd' } });
 */
export function nodeAffinityMatches(node: Node, s: PodScheduling): boolean {
  const labels = nodeLabels(node);
  for (const k of Object.keys(s.nodeSelector)) if (labels[k] !== s.nodeSelector[k]) return false;
  if (s.requiredNodeAffinity.length === 0) return true;
  return s.requiredNodeAffinity.some((term) =>
    term.length > 0 &&
    term.every((r) => {
      const has = r.key === 'metadata.name' || Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = r.key === 'metadata.name' ? node.meta.name : labels[r.key];
      switch (r.operator) {
        case 'In':
          return has && r.values.includes(v!);
        case 'NotIn':
          return !has || !r.values.includes(v!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
          return has && Number(v) > Number(r.values[0]);
        case 'Lt':
          return has && Number(v) < Number(r.values[0]);
      }
    }),
  );
}

function termMatches(term: PodAffinityTerm, ownNamespace: string, pod: { namespace: string; labels: StringMap }): boolean {
  const namespaces = term.namespaces.length > 0 ? term.namespaces : [ownNamespace];
  if (!namespaces.includes(pod.namespace)) return false;
  return term.labelSelector !== undefined && matchesSelector(term.labelSelector, pod.labels);
}

function selectorMatches(sel: LabelSelector | undefined, labels: StringMap): boolean {
  return sel !== undefined && matchesSelector(sel, labels);
}

/** A binary min-heap of node indexes by (count, index). */
class NodeHeap {
  private readonly heap: number[];
  constructor(
    nodes: readonly number[],
    private readonly count: (i: number) => number,
  ) {
    this.heap = [...nodes];
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  private less(a: number, b: number): boolean {
    const ca = this.count(a);
    const cb = this.count(b);
    return ca < cb || (ca === cb && a < b);
  }
  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
  /** The least node (it stays in the heap). */
  peek(): number | undefined {
    return this.heap[0];
  }
  /** Re-sifts the top after its count grew. */
  bumpTop(): void {
    this.down(0);
  }
}

/**
 * Schedules pods one by one onto nodes already holding `placed` pods, by the rules of the module
 * doc. The result is in the order of `pods`.
 *
 * @example
 * ```ts
 * schedule(nodes, [], [{ key: 'default/web-0', namespace: 'default', labels: {}, scheduling: NO_SCHEDULING, owner: 'StatefulSet/default/web' }]);
 * // [{ node: 'k8s-ctr' }]
 * ```
 */
export function schedule(nodesIn: readonly Node[], placed: readonly PlacedPod[], pods: readonly PodToPlace[]): Placement[] {
  const nodes = [...nodesIn].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  const N = nodes.length;
  const labels = nodes.map(nodeLabels);
  const index = new Map(nodes.map((n, i) => [n.meta.name, i] as const));
  const all: { namespace: string; labels: StringMap; node: number }[] = [];
  const antiPods: { namespace: string; node: number; terms: readonly PodAffinityTerm[] }[] = [];
  const ownerCounts = new Map<string, Map<number, number>>();
  const heaps = new Map<string, { sig: string; heap: NodeHeap }>();
  const countOf = (owner: string, i: number) => ownerCounts.get(owner)?.get(i) ?? 0;
  const add = (p: { namespace: string; labels: StringMap; owner: string; antiAffinity: readonly PodAffinityTerm[] }, i: number) => {
    all.push({ namespace: p.namespace, labels: p.labels, node: i });
    if (p.antiAffinity.length > 0) antiPods.push({ namespace: p.namespace, node: i, terms: p.antiAffinity });
    let m = ownerCounts.get(p.owner);
    if (m === undefined) ownerCounts.set(p.owner, (m = new Map()));
    m.set(i, (m.get(i) ?? 0) + 1);
  };
  for (const p of placed) {
    const i = index.get(p.nodeName);
    if (i !== undefined) add(p, i);
  }

  const staticCache = new Map<string, { feasible: number[]; reasons: Map<number, Reason> }>();
  const staticFilter = (s: PodScheduling) => {
    const sig = JSON.stringify([s.nodeSelector, s.requiredNodeAffinity, s.tolerations]);
    let hit = staticCache.get(sig);
    if (hit !== undefined) return { sig, ...hit };
    const feasible: number[] = [];
    const reasons = new Map<number, Reason>();
    nodes.forEach((n, i) => {
      const taint = untoleratedTaint(n, s.tolerations);
      if (taint !== undefined) reasons.set(i, { text: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, unresolvable: true });
      else if (!nodeAffinityMatches(n, s)) reasons.set(i, { text: "node(s) didn't match Pod's node affinity/selector", unresolvable: true });
      else feasible.push(i);
    });
    hit = { feasible, reasons };
    staticCache.set(sig, hit);
    return { sig, ...hit };
  };

  const out: Placement[] = [];
  for (const pod of pods) {
    if (N === 0) {
      out.push({ pending: 'no nodes available to schedule pods' });
      continue;
    }
    const s = pod.scheduling;
    const st = staticFilter(s);
    const concerned = antiPods.filter((a) => a.terms.some((t) => termMatches(t, a.namespace, pod)));
    const spread = s.topologySpreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    const dynamic = concerned.length > 0 || s.podAntiAffinity.length > 0 || s.podAffinity.length > 0 || spread.length > 0;
    let chosen: number | undefined;
    const reasons = new Map(st.reasons);
    if (!dynamic) {
      let h = heaps.get(pod.owner);
      if (h === undefined || h.sig !== st.sig) {
        h = { sig: st.sig, heap: new NodeHeap(st.feasible, (i) => countOf(pod.owner, i)) };
        heaps.set(pod.owner, h);
      }
      chosen = h.heap.peek();
    } else {
      // forbidden topology values from existing pods' anti-affinity
      const existingAnti = new Map<string, Set<string>>();
      for (const a of concerned) {
        for (const t of a.terms) {
          if (!termMatches(t, a.namespace, pod)) continue;
          const v = labels[a.node]![t.topologyKey];
          if (v === undefined) continue;
          let set = existingAnti.get(t.topologyKey);
          if (set === undefined) existingAnti.set(t.topologyKey, (set = new Set()));
          set.add(v);
        }
      }
      const domainsOf = (term: PodAffinityTerm) => {
        const vals = new Set<string>();
        for (const q of all) if (termMatches(term, pod.namespace, q)) {
          const v = labels[q.node]![term.topologyKey];
          if (v !== undefined) vals.add(v);
        }
        return vals;
      };
      const antiDomains = s.podAntiAffinity.map((t) => ({ key: t.topologyKey, vals: domainsOf(t) }));
      const affDomains = s.podAffinity.map((t) => ({ key: t.topologyKey, vals: domainsOf(t), selfMatch: termMatches(t, pod.namespace, pod) }));
      // A pod whose affinity matches itself may go anywhere when no pod matches yet (the first of a group).
      const affinityFree = affDomains.every((d) => d.vals.size === 0 && d.selfMatch);
      const spreadInfo = spread.map((c) => {
        const counts = new Map<string, number>();
        for (const i of st.feasible) {
          const v = labels[i]![c.topologyKey];
          if (v !== undefined && !counts.has(v)) counts.set(v, 0);
        }
        for (const q of all) {
          if (q.namespace !== pod.namespace || !selectorMatches(c.labelSelector, q.labels)) continue;
          const v = labels[q.node]![c.topologyKey];
          if (v !== undefined && counts.has(v)) counts.set(v, counts.get(v)! + 1);
        }
        const min = counts.size === 0 ? 0 : Math.min(...counts.values());
        const self = selectorMatches(c.labelSelector, pod.labels) ? 1 : 0;
        return { c, counts, min, self };
      });
      let best: number | undefined;
      for (const i of st.feasible) {
        const l = labels[i]!;
        let reason: Reason | undefined;
        for (const sp of spreadInfo) {
          const v = l[sp.c.topologyKey];
          if (v === undefined) {
            reason = { text: "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true };
            break;
          }
          if ((sp.counts.get(v) ?? 0) + sp.self - sp.min > sp.c.maxSkew) {
            reason = { text: "node(s) didn't match pod topology spread constraints", unresolvable: false };
            break;
          }
        }
        if (reason === undefined && !affinityFree) {
          for (const d of affDomains) {
            const v = l[d.key];
            if (v === undefined || !d.vals.has(v)) {
              reason = { text: "node(s) didn't match pod affinity rules", unresolvable: true };
              break;
            }
          }
        }
        if (reason === undefined) {
          for (const d of antiDomains) {
            const v = l[d.key];
            if (v !== undefined && d.vals.has(v)) {
              reason = { text: "node(s) didn't match pod anti-affinity rules", unresolvable: false };
              break;
            }
          }
        }
        if (reason === undefined) {
          for (const [key, vals] of existingAnti) {
            const v = l[key];
            if (v !== undefined && vals.has(v)) {
              reason = { text: "node(s) didn't satisfy existing pods anti-affinity rules", unresolvable: false };
              break;
            }
          }
        }
        if (reason !== undefined) {
          reasons.set(i, reason);
          continue;
        }
        if (best === undefined || countOf(pod.owner, i) < countOf(pod.owner, best)) best = i;
      }
      chosen = best;
    }
    if (chosen === undefined) {
      out.push({ pending: fitError(N, [...reasons.values()]) });
      continue;
    }
    add({ namespace: pod.namespace, labels: pod.labels, owner: pod.owner, antiAffinity: s.podAntiAffinity }, chosen);
    const h = heaps.get(pod.owner);
    if (h !== undefined) {
      if (!dynamic && h.sig === st.sig) h.heap.bumpTop();
      else heaps.delete(pod.owner);
    }
    out.push({ node: nodes[chosen]!.meta.name });
  }
  return out;
}

function histogram(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of items) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .map(([t, n]) => `${n} ${t}`)
    .sort()
    .join(', ');
}

/**
 * The scheduler's message for a pod that fits nowhere (see the module doc).
 *
 * @example
 * fitError(3, [{ text: "node(s) didn't match pod anti-affinity rules", unresolvable: false }]);
 */
export function fitError(n: number, reasons: readonly { readonly text: string; readonly unresolvable: boolean }[]): string {
  const filter = histogram(reasons.map((r) => r.text));
  const preemption = histogram(reasons.map((r) => (r.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod')));
  return `0/${n} nodes are available: ${filter}. preemption: 0/${n} nodes are available: ${preemption}.`;
}
