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
 * 2b. **NodePorts**: a `hostPort` already taken on the node for the same protocol, where either
 *    `hostIP` is `0.0.0.0` (the default) or both are equal (`HostPortInfo.CheckConflict`)
 *    (`node(s) didn't have free ports for the requested pod ports`).
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
 * Complexity: O(N) per distinct static signature (taints, selectors, node affinity; a pod
 * pinned by name, as a DaemonSet's, looks only at the nodes it names), then per pod:
 * - only static constraints, and no placed pod's anti-affinity selects it: O(1) amortised (each
 *   owner walks its feasible nodes once with a pointer over those holding none of its pods, then
 *   a heap of them, O(log N) per pod, once every node holds one);
 * - concerned by placed pods' anti-affinity (found through an index of their merged terms by
 *   (namespace, label), O(labels + matching terms)), or with affinity, anti-affinity or spread
 *   of its own: its terms' domains from an index of placed pods by (namespace, label), O(pods
 *   the terms select), then the first acceptable node holding none of its owner's pods, O(nodes
 *   passed over); only when every such node is rejected, a scan of the feasible nodes, O(N).
 * So P pods with static constraints cost O(N·S + P) for S signatures; the generated 5,000-node,
 * 100,000-pod cluster schedules in well under a second (docs/performance.md).
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
  /** Its containers' host ports (absent: none). */
  readonly hostPorts?: readonly HostPortClaim[];
}

/**
 * A container port with a `hostPort`, as the NodePorts filter reads it (`hostIP` `0.0.0.0` when
 * not given).
 *
 * @example
 * ```ts
 * import type { HostPortClaim } from 'cilium-twin/workloads';
 * const c: HostPortClaim = { port: 8080, protocol: 'TCP', hostIP: '0.0.0.0' };
 * ```
 */
export interface HostPortClaim {
  /** `hostPort`. */
  readonly port: number;
  /** `protocol`. */
  readonly protocol: string;
  /** `hostIP`, or `0.0.0.0`. */
  readonly hostIP: string;
}

/** Whether two host port claims conflict (same protocol and port; a `0.0.0.0` or the same hostIP). */
function portsConflict(a: HostPortClaim, b: HostPortClaim): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0' || a.hostIP === b.hostIP);
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
  /** Its containers' host ports (absent: none). */
  readonly hostPorts?: readonly HostPortClaim[];
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

/** A binary min-heap of node indexes by (count, index); a member whose count grew is re-sifted. */
class NodeHeap {
  private readonly heap: number[];
  private readonly pos = new Map<number, number>();
  constructor(
    nodes: readonly number[],
    private readonly count: (i: number) => number,
  ) {
    this.heap = [...nodes];
    this.heap.forEach((n, k) => this.pos.set(n, k));
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
      const a = h[i]!;
      const b = h[m]!;
      h[i] = b;
      h[m] = a;
      this.pos.set(b, i);
      this.pos.set(a, m);
      i = m;
    }
  }
  /** The least node (it stays in the heap). */
  peek(): number | undefined {
    return this.heap[0];
  }
  /** Re-sifts node `n` after its count grew (nothing when it is not a member). */
  grew(n: number): void {
    const k = this.pos.get(n);
    if (k !== undefined) this.down(k);
  }
}

/**
 * One owner's nodes in the spread's order (fewest pods of the owner, then lowest index) among
 * the feasible nodes of one static signature. Counts only grow, so the nodes holding none of
 * the owner's pods are found by a pointer that only moves forward; a heap of all feasible nodes
 * is built only once every one holds a pod of the owner (which the owner's pods paid for).
 */
class OwnerSpread {
  private next = 0;
  private heap: NodeHeap | undefined;
  constructor(
    /** The static filter's signature the feasible nodes belong to. */
    readonly sig: string,
    private readonly feasible: readonly number[],
    private readonly count: (i: number) => number,
  ) {}
  /** The feasible node with the fewest of the owner's pods, lowest index first. */
  best(): number | undefined {
    const f = this.feasible;
    while (this.next < f.length && this.count(f[this.next]!) > 0) this.next++;
    if (this.next < f.length) return f[this.next];
    this.heap ??= new NodeHeap(f, this.count);
    return this.heap.peek();
  }
  /**
   * The first node that `ok` accepts among those holding none of the owner's pods (lowest index
   * first): the best accepted node when there is one; `undefined` when there is none (then only
   * a scan of every feasible node finds the best).
   */
  firstFree(ok: (i: number) => boolean): number | undefined {
    const f = this.feasible;
    for (let k = this.next; k < f.length; k++) {
      const i = f[k]!;
      if (this.count(i) === 0 && ok(i)) return i;
    }
    return undefined;
  }
  /** Node `i` received a pod of the owner. */
  grew(i: number): void {
    this.heap?.grew(i);
  }
}

/** Placed pods' required anti-affinity terms, merged by term: the domains they occupy. */
interface AntiEntry {
  readonly term: PodAffinityTerm;
  readonly selector: LabelSelector;
  /** Topology values of the nodes holding a pod with this term (nodes without the label add none). */
  readonly values: Set<string>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l === undefined) m.set(k, [v]);
  else l.push(v);
}

/** The key of an index by (namespace, label, value). */
function labelKey(ns: string, k: string, v: string): string {
  return `${ns}\u0000${k}\u0000${v}`;
}

/** A selector's first `matchLabels` pair (every pod it selects carries it), if any. */
function firstMatchLabel(sel: LabelSelector): [string, string] | undefined {
  for (const k of Object.keys(sel.matchLabels)) return [k, sel.matchLabels[k]!];
  return undefined;
}

/**
 * The node names a pod's required node affinity allows at most, when every term names nodes
 * (`metadata.name In`, as a DaemonSet pins its pods); `undefined` when some term does not.
 */
function pinnedNames(s: PodScheduling): string[] | undefined {
  if (s.requiredNodeAffinity.length === 0) return undefined;
  const names: string[] = [];
  for (const term of s.requiredNodeAffinity) {
    if (term.length === 0) continue; // an empty term matches no node
    const r = term.find((x) => x.key === 'metadata.name' && x.operator === 'In');
    if (r === undefined) return undefined;
    names.push(...r.values);
  }
  return [...new Set(names)];
}

/** The namespaces a term looks in, without repeats. */
function termNamespaces(term: PodAffinityTerm, own: string): readonly string[] {
  return term.namespaces.length > 0 ? [...new Set(term.namespaces)] : [own];
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
  // placed pods, indexed by namespace and by (namespace, label, value) once a pod's affinity,
  // anti-affinity or spread first asks (most scenarios never do)
  const all: { namespace: string; labels: StringMap; node: number }[] = [];
  let placedIndexed = false;
  const placedByNs = new Map<string, number[]>();
  const placedByLabel = new Map<string, number[]>();
  const indexPlaced = (at: number) => {
    const q = all[at]!;
    push(placedByNs, q.namespace, at);
    for (const k of Object.keys(q.labels)) push(placedByLabel, labelKey(q.namespace, k, q.labels[k]!), at);
  };
  // placed pods' anti-affinity terms, merged, indexed as the pods they select would be
  const antiEntries = new Map<string, AntiEntry>();
  const antiByNs = new Map<string, AntiEntry[]>();
  const antiByLabel = new Map<string, AntiEntry[]>();
  const ownerCounts = new Map<string, Map<number, number>>();
  const spreads = new Map<string, OwnerSpread>();
  const countsOf = (owner: string) => {
    let m = ownerCounts.get(owner);
    if (m === undefined) ownerCounts.set(owner, (m = new Map()));
    return m;
  };
  // host ports in use, per node index
  const usedPorts = new Map<number, HostPortClaim[]>();
  const add = (p: { namespace: string; labels: StringMap; owner: string; antiAffinity: readonly PodAffinityTerm[]; hostPorts?: readonly HostPortClaim[] }, i: number) => {
    all.push({ namespace: p.namespace, labels: p.labels, node: i });
    if (p.hostPorts !== undefined && p.hostPorts.length > 0) {
      const l = usedPorts.get(i);
      if (l === undefined) usedPorts.set(i, [...p.hostPorts]);
      else l.push(...p.hostPorts);
    }
    if (placedIndexed) indexPlaced(all.length - 1);
    for (const t of p.antiAffinity) {
      if (t.labelSelector === undefined) continue; // selects no pod
      const namespaces = termNamespaces(t, p.namespace);
      const key = JSON.stringify([namespaces, t.topologyKey, t.labelSelector]);
      let e = antiEntries.get(key);
      if (e === undefined) {
        e = { term: t, selector: t.labelSelector, values: new Set() };
        antiEntries.set(key, e);
        const first = firstMatchLabel(t.labelSelector);
        for (const ns of namespaces) {
          if (first === undefined) push(antiByNs, ns, e);
          else push(antiByLabel, labelKey(ns, first[0], first[1]), e);
        }
      }
      const v = labels[i]![t.topologyKey];
      if (v !== undefined) e.values.add(v);
    }
    const m = countsOf(p.owner);
    m.set(i, (m.get(i) ?? 0) + 1);
  };
  /** Calls `f` with each placed pod in `namespaces` that `sel` selects. */
  const eachPlaced = (namespaces: readonly string[], sel: LabelSelector | undefined, f: (q: { readonly labels: StringMap; readonly node: number }) => void) => {
    if (sel === undefined) return;
    if (!placedIndexed) {
      placedIndexed = true;
      for (let at = 0; at < all.length; at++) indexPlaced(at);
    }
    const first = firstMatchLabel(sel);
    for (const ns of namespaces) {
      const list = first === undefined ? placedByNs.get(ns) : placedByLabel.get(labelKey(ns, first[0], first[1]));
      if (list === undefined) continue;
      for (const at of list) {
        const q = all[at]!;
        if (matchesSelector(sel, q.labels)) f(q);
      }
    }
  };
  /** The merged anti-affinity terms of placed pods that select `pod`. */
  const concernedBy = (pod: { namespace: string; labels: StringMap }): AntiEntry[] => {
    const out: AntiEntry[] = [];
    for (const e of antiByNs.get(pod.namespace) ?? []) if (matchesSelector(e.selector, pod.labels)) out.push(e);
    if (antiByLabel.size > 0) {
      for (const k of Object.keys(pod.labels)) {
        const l = antiByLabel.get(labelKey(pod.namespace, k, pod.labels[k]!));
        if (l !== undefined) for (const e of l) if (matchesSelector(e.selector, pod.labels)) out.push(e);
      }
    }
    return out;
  };
  for (const p of placed) {
    const i = index.get(p.nodeName);
    if (i !== undefined) add(p, i);
  }

  type Static = { readonly sig: string; readonly feasible: number[]; reasons: Reason[] | undefined };
  const staticCache = new Map<string, Static>();
  const sigOf = new Map<PodScheduling, string>(); // controllers' pods share their template's scheduling
  const staticFilter = (s: PodScheduling): Static => {
    let sig = sigOf.get(s);
    if (sig === undefined) {
      sig = JSON.stringify([s.nodeSelector, s.requiredNodeAffinity, s.tolerations]);
      sigOf.set(s, sig);
    }
    let hit = staticCache.get(sig);
    if (hit !== undefined) return hit;
    // A pod pinned by name (a DaemonSet's pods) looks only at the nodes it names.
    const pinned = pinnedNames(s);
    let candidates: number[];
    if (pinned === undefined) candidates = nodes.map((_, i) => i);
    else {
      candidates = [];
      for (const name of pinned) {
        const i = index.get(name);
        if (i !== undefined) candidates.push(i);
      }
      candidates.sort((a, b) => a - b);
    }
    const feasible = candidates.filter((i) => untoleratedTaint(nodes[i]!, s.tolerations) === undefined && nodeAffinityMatches(nodes[i]!, s));
    hit = { sig, feasible, reasons: undefined };
    staticCache.set(sig, hit);
    return hit;
  };
  /** Why each node the static filters reject is rejected (computed when a pod stays Pending). */
  const staticReasons = (st: Static, s: PodScheduling): Reason[] => {
    if (st.reasons !== undefined) return st.reasons;
    const reasons: Reason[] = [];
    nodes.forEach((n) => {
      const taint = untoleratedTaint(n, s.tolerations);
      if (taint !== undefined) reasons.push({ text: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, unresolvable: true });
      else if (!nodeAffinityMatches(n, s)) reasons.push({ text: "node(s) didn't match Pod's node affinity/selector", unresolvable: true });
    });
    st.reasons = reasons;
    return reasons;
  };

  const out: Placement[] = [];
  for (const pod of pods) {
    if (N === 0) {
      out.push({ pending: 'no nodes available to schedule pods' });
      continue;
    }
    const s = pod.scheduling;
    const st = staticFilter(s);
    let spreadOf = spreads.get(pod.owner);
    if (spreadOf === undefined || spreadOf.sig !== st.sig) {
      const m = countsOf(pod.owner);
      spreadOf = new OwnerSpread(st.sig, st.feasible, (i) => m.get(i) ?? 0);
      spreads.set(pod.owner, spreadOf);
    }
    const concerned = concernedBy(pod);
    const spread = s.topologySpreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    const wanted = pod.hostPorts ?? [];
    const dynamic = concerned.length > 0 || s.podAntiAffinity.length > 0 || s.podAffinity.length > 0 || spread.length > 0 || wanted.length > 0;
    let chosen: number | undefined;
    const dynamicReasons: Reason[] = [];
    if (!dynamic) {
      chosen = spreadOf.best();
    } else {
      const domainsOf = (term: PodAffinityTerm) => {
        const vals = new Set<string>();
        eachPlaced(termNamespaces(term, pod.namespace), term.labelSelector, (q) => {
          const v = labels[q.node]![term.topologyKey];
          if (v !== undefined) vals.add(v);
        });
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
        eachPlaced([pod.namespace], c.labelSelector, (q) => {
          const v = labels[q.node]![c.topologyKey];
          if (v !== undefined && counts.has(v)) counts.set(v, counts.get(v)! + 1);
        });
        let min = Number.POSITIVE_INFINITY;
        for (const n of counts.values()) if (n < min) min = n;
        if (counts.size === 0) min = 0;
        const self = selectorMatches(c.labelSelector, pod.labels) ? 1 : 0;
        return { c, counts, min, self };
      });
      const rejection = (i: number): Reason | undefined => {
        const l = labels[i]!;
        if (wanted.length > 0) {
          const used = usedPorts.get(i);
          if (used !== undefined && wanted.some((w) => used.some((u) => portsConflict(w, u)))) {
            return { text: "node(s) didn't have free ports for the requested pod ports", unresolvable: false };
          }
        }
        for (const sp of spreadInfo) {
          const v = l[sp.c.topologyKey];
          if (v === undefined) return { text: "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true };
          if ((sp.counts.get(v) ?? 0) + sp.self - sp.min > sp.c.maxSkew) return { text: "node(s) didn't match pod topology spread constraints", unresolvable: false };
        }
        if (!affinityFree) {
          for (const d of affDomains) {
            const v = l[d.key];
            if (v === undefined || !d.vals.has(v)) return { text: "node(s) didn't match pod affinity rules", unresolvable: true };
          }
        }
        for (const d of antiDomains) {
          const v = l[d.key];
          if (v !== undefined && d.vals.has(v)) return { text: "node(s) didn't match pod anti-affinity rules", unresolvable: false };
        }
        for (const e of concerned) {
          const v = l[e.term.topologyKey];
          if (v !== undefined && e.values.has(v)) return { text: "node(s) didn't satisfy existing pods anti-affinity rules", unresolvable: false };
        }
        return undefined;
      };
      // The best node holding none of the owner's pods, if any passes; else a scan of all.
      chosen = spreadOf.firstFree((i) => rejection(i) === undefined);
      if (chosen === undefined) {
        const m = countsOf(pod.owner);
        let best: number | undefined;
        let bestCount = 0;
        for (const i of st.feasible) {
          const reason = rejection(i);
          if (reason !== undefined) {
            dynamicReasons.push(reason);
            continue;
          }
          const c = m.get(i) ?? 0;
          if (best === undefined || c < bestCount) {
            best = i;
            bestCount = c;
          }
        }
        chosen = best;
      }
    }
    if (chosen === undefined) {
      out.push({ pending: fitError(N, [...staticReasons(st, s), ...dynamicReasons]) });
      continue;
    }
    add({ namespace: pod.namespace, labels: pod.labels, owner: pod.owner, antiAffinity: s.podAntiAffinity, ...(wanted.length > 0 ? { hostPorts: wanted } : {}) }, chosen);
    spreadOf.grew(chosen);
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
