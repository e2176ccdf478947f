/**
 * Security identities (reference `cilium-policy-egress-l2.md` §A): the reserved ones, the
 * identities of pods (one per distinct identity label set) and the local CIDR identities of the
 * prefixes policies select.
 *
 * Numbering (real Cilium, CRD identity mode, draws a free ID at random in the cluster's range;
 * the model numbers deterministically, documented in `docs/decisions.md`):
 * - reserved: host 1, world 2, unmanaged 3, health 4, init 5, remote-node 6, kube-apiserver 7,
 *   ingress 8, world-ipv4 9, world-ipv6 10 (`pkg/identity/numericidentity.go`);
 * - pods: the distinct label sets, sorted by their text (labels `source:key=value` sorted, joined
 *   by `,`), take 256, 257, … in that order for cluster 0 (`clusterID << 16` onwards otherwise,
 *   `clusterID << 15` with `max-connected-clusters: 511`).
 *   Pods that share labels share an ID; adding a label set renumbers those sorting after it
 *   (as a fresh cluster would hand out different random IDs);
 * - CIDR identities: every prefix a policy names (CIDR rules, `ipBlock`, `except`), `/0` aside,
 *   sorted by family, address, then length, take 16777217 (`1 << 24 | 1`), … (node-local scope;
 *   every node sees the same policies, so every node numbers them alike).
 *
 * Cost: one pass over the pods and the policies per cluster (the twin keeps the table): O(P) to
 * key each pod by what its labels depend on (namespace, service account, labels), the label set
 * computed once per distinct key, then O(S log S) to number the S distinct sets. One pod's
 * identity alone (`lazyPodIdentities`, what a trace reads): O(P) once for the distinct label sets
 * (a pod with the same inputs as the one before it costs a comparison; no text or map entry per
 * pod), O(S log S) to number them, O(P) per pod looked up (a scan by key) for the first few.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { Pod } from '../../input/types.js';
import { comparePrefix, formatPrefix, parsePrefix, prefixLength } from '../../net/addr.js';

/**
 * Cilium's reserved numeric identities.
 *
 * @example
 * ```ts
 * RESERVED_IDENTITY.host; // 1
 * RESERVED_IDENTITY['remote-node']; // 6
 * ```
 */
export const RESERVED_IDENTITY = {
  unknown: 0,
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
  'world-ipv4': 9,
  'world-ipv6': 10,
} as const;

/**
 * The first local-scope (CIDR) identity.
 *
 * @example
 * ```ts
 * FIRST_CIDR_IDENTITY; // 16777217
 * ```
 */
export const FIRST_CIDR_IDENTITY = 16777217;

/** Label keys left out of identities by Cilium's default label filter (prefix match). */
const IGNORED_PREFIXES: readonly string[] = [
  'io.kubernetes',
  'kubernetes.io',
  'k8s.io',
  'pod-template-generation',
  'pod-template-hash',
  'controller-revision-hash',
  'annotation.',
  'etcd_node',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/',
  'controller-uid',
];

/** Label keys kept even when an ignore prefix matches (longest include wins). */
const INCLUDED_PREFIXES: readonly string[] = ['app.kubernetes.io'];

function keepLabel(key: string): boolean {
  if (INCLUDED_PREFIXES.some((p) => key.startsWith(p))) return true;
  if (/^[^/]*beta\.kubernetes\.io/.test(key)) return false;
  return !IGNORED_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * The identity label set of a pod, sorted, as `cilium endpoint list` prints labels
 * (`k8s:key=value`): the pod's labels after Cilium's default filter, `io.kubernetes.pod.namespace`,
 * the service account (`spec.serviceAccountName`, default `default`), the cluster name, and the
 * namespace's labels as `io.cilium.k8s.namespace.labels.<key>`.
 *
 * @example
 * ```ts
 * podIdentityLabels(cluster, curlPod);
 * // ['k8s:app=curl', 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default', …]
 * ```
 */
export function podIdentityLabels(
  cluster: Cluster,
  pod: Pod,
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>> = namespaceIndex(cluster),
): string[] {
  const ns = pod.meta.namespace ?? 'default';
  const labels: string[] = [];
  for (const [k, v] of Object.entries(pod.meta.labels)) if (keepLabel(k)) labels.push(`k8s:${k}=${v}`);
  labels.push(`k8s:io.kubernetes.pod.namespace=${ns}`);
  labels.push(`k8s:io.cilium.k8s.policy.serviceaccount=${pod.serviceAccountName ?? 'default'}`);
  labels.push(`k8s:io.cilium.k8s.policy.cluster=${cluster.config.clusterName}`);
  const namespace = namespaces.get(ns);
  const nsLabels: Record<string, string> = { 'kubernetes.io/metadata.name': ns, ...(namespace ?? {}) };
  for (const [k, v] of Object.entries(nsLabels)) labels.push(`k8s:io.cilium.k8s.namespace.labels.${k}=${v}`);
  return [...new Set(labels)].sort();
}

/**
 * What {@link podIdentityLabels} reads of a pod besides the cluster, as one text: namespace,
 * service account and labels, each part length-prefixed (so different inputs never share a text).
 */
function podLabelInput(ns: string, pod: Pod): string {
  const sa = pod.serviceAccountName;
  let s = `${ns.length}:${ns}${sa === undefined ? '-' : `${sa.length}:${sa}`}`;
  const labels = pod.meta.labels;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
    const v = labels[k]!;
    s += `${k.length}:${k}${v.length}:${v}`;
  }
  return s;
}

/** Namespace labels by namespace name (built once per identity table). */
function namespaceIndex(cluster: Cluster): ReadonlyMap<string, Readonly<Record<string, string>>> {
  const out = new Map<string, Readonly<Record<string, string>>>();
  for (const n of cluster.namespaces) out.set(n.meta.name, n.meta.labels);
  return out;
}

/**
 * A security identity: its number and its labels (`source:key=value`, sorted).
 *
 * @example
 * ```ts
 * const i: Identity = { id: 1, labels: ['reserved:host'] };
 * ```
 */
export interface Identity {
  /** Numeric identity. */
  readonly id: number;
  /** Labels, sorted. */
  readonly labels: readonly string[];
  /** For a CIDR identity, its prefix (`a.b.c.d/len`). */
  readonly cidr?: string;
}

/**
 * Every identity of a cluster, with the indexes the policy stage and the views read.
 *
 * @example
 * ```ts
 * const t = identityTable(cluster);
 * t.byId.get(1)?.labels; // ['reserved:host']
 * ```
 */
export interface IdentityTable {
  /** Every identity, by ID ascending. */
  readonly all: readonly Identity[];
  /** Identity by ID. */
  readonly byId: ReadonlyMap<number, Identity>;
  /** Pod `namespace/name` → identity ID (host-network pods excluded). */
  readonly pods: ReadonlyMap<string, number>;
  /** CIDR identities, by ID ascending. */
  readonly cidrs: readonly Identity[];
}

/**
 * The labels of each reserved identity as `cilium-dbg identity list` prints them.
 *
 * @example
 * ```ts
 * RESERVED_LABELS[7]; // ['reserved:kube-apiserver', 'reserved:remote-node']
 * ```
 */
export const RESERVED_LABELS: Readonly<Record<number, readonly string[]>> = {
  1: ['reserved:host'],
  2: ['reserved:world'],
  3: ['reserved:unmanaged'],
  4: ['reserved:health'],
  5: ['reserved:init'],
  6: ['reserved:remote-node'],
  7: ['reserved:kube-apiserver', 'reserved:remote-node'],
  8: ['reserved:ingress'],
  9: ['reserved:world-ipv4'],
  10: ['reserved:world-ipv6'],
};

/**
 * The prefixes the cluster's policies name (CIDR rules, `ipBlock`s and their `except`s),
 * canonical text, `/0` excluded.
 *
 * @example
 * ```ts
 * policyPrefixes(cluster); // ['10.0.0.0/8', '10.1.0.0/16']
 * ```
 */
export function policyPrefixes(cluster: Cluster): string[] {
  const s = cluster.scenario;
  const seen = new Map<string, ReturnType<typeof parsePrefix>>();
  for (const doc of [...s.networkPolicies, ...s.ciliumNetworkPolicies, ...s.ciliumClusterwideNetworkPolicies]) {
    for (const r of doc.rules) {
      for (const e of [...r.ingress, ...r.ingressDeny, ...r.egress, ...r.egressDeny]) {
        for (const p of e.peers ?? []) {
          if (p.kind !== 'cidr') continue;
          for (const text of [p.cidr, ...p.except]) {
            const pref = parsePrefix(text);
            if (pref === undefined || prefixLength(pref) === 0) continue;
            seen.set(formatPrefix(pref), pref);
          }
        }
      }
    }
  }
  return [...seen.entries()].sort((a, b) => comparePrefix(a[1]!, b[1]!)).map(([k]) => k);
}

/**
 * Every identity of a cluster (see the module doc for the numbering). Not memoised: the twin
 * keeps one per scenario (`twin.identityTable()`) and passes it to the stages that read it.
 *
 * @example
 * ```ts
 * identityTable(cluster).pods.get('default/curl-pod'); // e.g. 256
 * ```
 */
export function identityTable(cluster: Cluster): IdentityTable {
  const namespaces = namespaceIndex(cluster);
  const byLabels = new Map<string, { labels: string[]; pods: string[] }>();
  // pods of one workload share their inputs (namespace, service account, labels): their label
  // set is computed once per distinct input, keyed by an unambiguous (length-prefixed) text
  const byInput = new Map<string, { labels: string[]; pods: string[] }>();
  for (const pod of cluster.scenario.pods) {
    if (pod.hostNetwork) continue;
    const ns = pod.meta.namespace ?? 'default';
    const name = `${ns}/${pod.meta.name}`;
    const input = podLabelInput(ns, pod);
    let e = byInput.get(input);
    if (e === undefined) {
      const labels = podIdentityLabels(cluster, pod, namespaces);
      const key = labels.join(',');
      e = byLabels.get(key);
      if (e === undefined) byLabels.set(key, (e = { labels, pods: [] }));
      byInput.set(input, e);
    }
    e.pods.push(name);
  }
  const base = podIdentityBase(cluster);
  const all: Identity[] = [];
  for (const [id, labels] of Object.entries(RESERVED_LABELS)) all.push({ id: Number(id), labels });
  const pods = new Map<string, number>();
  [...byLabels.keys()].sort().forEach((key, k) => {
    const e = byLabels.get(key)!;
    const id = base + k;
    all.push({ id, labels: e.labels });
    for (const p of e.pods) pods.set(p, id);
  });
  const cidrs = cidrIdentities(cluster);
  all.push(...cidrs);
  const byId = new Map<number, Identity>();
  for (const i of all) byId.set(i.id, i);
  return { all, byId, pods, cidrs };
}

/** The first pod identity of the cluster: 256 for cluster 0, else `clusterID << 16` (`<< 15` with 511 clusters). */
function podIdentityBase(cluster: Cluster): number {
  const clusterId = cluster.config.clusterId;
  // (1 << ClusterIDShift) * clusterID: the shift is 16, or 15 with max-connected-clusters 511
  const shift = cluster.config.maxConnectedClusters === 511 ? 32768 : 65536;
  return clusterId === 0 ? 256 : clusterId * shift;
}

/** The CIDR identities of the prefixes the cluster's policies name (no pod read): {@link IdentityTable.cidrs}. */
function cidrIdentities(cluster: Cluster): Identity[] {
  const dual = cluster.config.enableIPv4 && cluster.config.enableIPv6;
  return policyPrefixes(cluster).map((prefix, k) => {
    const v6 = prefix.includes(':');
    const world = dual ? (v6 ? 'reserved:world-ipv6' : 'reserved:world-ipv4') : 'reserved:world';
    return { id: FIRST_CIDR_IDENTITY + k, labels: [`cidr:${prefix.replace(/:/g, '-')}`, world], cidr: prefix };
  });
}

/**
 * What {@link podIdentityLabels} reads of a pod (namespace, service account, labels), kept to
 * compare the next pod with: `same(pod)` is true only when the pod's inputs are equal as sets
 * (one pass over the pod's labels, no text built).
 */
class LabelInput {
  readonly #ns: string;
  readonly #sa: string | undefined;
  readonly #labels: Readonly<Record<string, string>>;
  readonly #count: number;

  constructor(pod: Pod) {
    this.#ns = pod.meta.namespace ?? 'default';
    this.#sa = pod.serviceAccountName;
    this.#labels = pod.meta.labels;
    let n = 0;
    for (const k in this.#labels) if (Object.prototype.hasOwnProperty.call(this.#labels, k)) n++;
    this.#count = n;
  }

  same(pod: Pod): boolean {
    const lb = pod.meta.labels;
    if ((pod.meta.namespace ?? 'default') !== this.#ns || pod.serviceAccountName !== this.#sa) return false;
    if (lb === this.#labels) return true;
    const la = this.#labels;
    const own = Object.prototype.hasOwnProperty;
    let n = 0;
    for (const k in lb) {
      if (!own.call(lb, k)) continue;
      if (la[k] !== lb[k] || !own.call(la, k)) return false;
      n++;
    }
    return n === this.#count;
  }
}

/**
 * Pod identities (`namespace/name` → ID) answered one pod at a time, equal to
 * {@link identityTable}'s `pods` (`full`) whatever is asked: the numbering needs only the sorted
 * distinct label sets (no text, no map entry per pod), and a pod's ID is its label set's rank.
 * The first few lookups find the pods of a key by a scan (O(P) each, no text per pod); later
 * ones, and `size` or iteration, read `full` (built once by its owner).
 *
 * Complexity: O(P) once for the distinct label sets (a pod with the same inputs as the pod
 * before it costs a comparison; otherwise one input text, and one label set per distinct input),
 * O(S log S) to number the S sets; O(P) per scanned lookup.
 *
 * @example
 * ```ts
 * import { identityTable, lazyPodIdentities } from 'cilium-twin/datapath';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const ids = lazyPodIdentities(cluster, () => identityTable(cluster).pods);
 * ids.get('default/curl-pod'); // e.g. 256, without building every pod's entry
 * ```
 */
export function lazyPodIdentities(cluster: Cluster, full: () => ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  return new LazyPodIdentities(cluster, full);
}

/** How many keys {@link lazyPodIdentities} answers by a scan before it reads the full map. */
const SCANNED_IDENTITY_LOOKUPS = 8;

class LazyPodIdentities implements ReadonlyMap<string, number> {
  readonly #cluster: Cluster;
  readonly #full: () => ReadonlyMap<string, number>;
  readonly #namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  #ids: Map<string, number> | undefined;
  #lookups = 0;

  constructor(cluster: Cluster, full: () => ReadonlyMap<string, number>) {
    this.#cluster = cluster;
    this.#full = full;
    this.#namespaces = namespaceIndex(cluster);
  }

  /** Label-set text → ID: the distinct sets of the non-host-network pods, sorted, numbered from the base. */
  #labelSetIds(): Map<string, number> {
    if (this.#ids !== undefined) return this.#ids;
    const keys = new Set<string>();
    const inputs = new Set<string>();
    let prev: LabelInput | undefined;
    for (const pod of this.#cluster.scenario.pods) {
      if (pod.hostNetwork) continue;
      if (prev !== undefined && prev.same(pod)) continue;
      prev = new LabelInput(pod);
      const input = podLabelInput(pod.meta.namespace ?? 'default', pod);
      if (inputs.has(input)) continue;
      inputs.add(input);
      keys.add(podIdentityLabels(this.#cluster, pod, this.#namespaces).join(','));
    }
    const base = podIdentityBase(this.#cluster);
    const ids = new Map<string, number>();
    [...keys].sort().forEach((key, k) => ids.set(key, base + k));
    return (this.#ids = ids);
  }

  get size(): number {
    return this.#full().size;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * The full map's value: of the non-host-network pods of the key, the last one written there
   * (label sets in rank order, pods in scenario order).
   */
  get(key: string): number | undefined {
    if (++this.#lookups > SCANNED_IDENTITY_LOOKUPS) return this.#full().get(key);
    let best: number | undefined;
    for (const pod of this.#cluster.scenario.pods) {
      if (pod.hostNetwork) continue;
      const name = pod.meta.name;
      const ns = pod.meta.namespace ?? 'default';
      if (key.length !== ns.length + 1 + name.length || key.charCodeAt(ns.length) !== 47 || !key.startsWith(ns) || !key.endsWith(name)) continue;
      const id = this.#labelSetIds().get(podIdentityLabels(this.#cluster, pod, this.#namespaces).join(','))!;
      if (best === undefined || id >= best) best = id;
    }
    return best;
  }

  entries(): MapIterator<[string, number]> {
    return this.#full().entries();
  }

  keys(): MapIterator<string> {
    return this.#full().keys();
  }

  values(): MapIterator<number> {
    return this.#full().values();
  }

  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this.#full()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * An identity table whose pods are `pods` (a lazy map such as {@link lazyPodIdentities}') and
 * whose CIDR identities are computed alone (no pod read), reading `full` only for `all` and
 * `byId`: what a policy engine needs to answer an address's identity without every pod's.
 *
 * @example
 * ```ts
 * import { identityTable, lazyIdentityTable, lazyPodIdentities } from 'cilium-twin/datapath';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const full = () => identityTable(cluster);
 * const t = lazyIdentityTable(cluster, full, lazyPodIdentities(cluster, () => full().pods));
 * t.cidrs.length; // no pod read
 * ```
 */
export function lazyIdentityTable(cluster: Cluster, full: () => IdentityTable, pods: ReadonlyMap<string, number>): IdentityTable {
  let cidrs: readonly Identity[] | undefined;
  return {
    get all() {
      return full().all;
    },
    get byId() {
      return full().byId;
    },
    pods,
    get cidrs() {
      return (cidrs ??= cidrIdentities(cluster));
    },
  };
}

/**
 * Every pod's identity (`namespace/name` → ID), host-network pods excluded (they have the host's
 * identity, 1). Deterministic and independent of document order (see the module doc).
 *
 * @example
 * ```ts
 * podIdentities(cluster).get('default/curl-pod'); // e.g. 256
 * ```
 */
export function podIdentities(cluster: Cluster): ReadonlyMap<string, number> {
  return identityTable(cluster).pods;
}
