/**
 * Security identities (reference `cilium-policy-egress-l2.md` §A): the reserved ones, and the
 * identities of pods, numbered deterministically from their identity label sets.
 *
 * Real Cilium (CRD identity mode) picks a free ID at random in the cluster's range; the model
 * hashes the label set instead (documented in `docs/decisions.md`):
 * `256 + fnv1a(labels joined by ',') % 65280` for cluster 0 (`clusterID << 16` plus
 * `fnv1a % 65536` otherwise), probing upwards past IDs taken by label sets that sort first.
 * The same label set always gets the same ID in a cluster, pods that share labels share it, and
 * adding a label set moves another only on a hash collision.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { Pod } from '../../input/types.js';
import { fnv1a } from '../../net/hash.js';

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
 * the service account (`default`: the model does not read `serviceAccountName`), the cluster name,
 * and the namespace's labels as `io.cilium.k8s.namespace.labels.<key>`.
 *
 * @example
 * ```ts
 * podIdentityLabels(cluster, curlPod);
 * // ['k8s:app=curl', 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default', …]
 * ```
 */
export function podIdentityLabels(cluster: Cluster, pod: Pod): string[] {
  const ns = pod.meta.namespace ?? 'default';
  const labels: string[] = [];
  for (const [k, v] of Object.entries(pod.meta.labels)) if (keepLabel(k)) labels.push(`k8s:${k}=${v}`);
  labels.push(`k8s:io.kubernetes.pod.namespace=${ns}`);
  labels.push('k8s:io.cilium.k8s.policy.serviceaccount=default');
  labels.push(`k8s:io.cilium.k8s.policy.cluster=${cluster.config.clusterName}`);
  const namespace = cluster.namespaces.find((n) => n.meta.name === ns);
  const nsLabels: Record<string, string> = { 'kubernetes.io/metadata.name': ns, ...(namespace?.meta.labels ?? {}) };
  for (const [k, v] of Object.entries(nsLabels)) labels.push(`k8s:io.cilium.k8s.namespace.labels.${k}=${v}`);
  return [...new Set(labels)].sort();
}

/**
 * Every pod's identity (`namespace/name` → ID), host-network pods excluded (they have the host's
 * identity, 1). Deterministic and independent of document order (see the module doc).
 *
 * @example
 * ```ts
 * podIdentities(cluster).get('default/curl-pod'); // e.g. 34817
 * ```
 */
export function podIdentities(cluster: Cluster): ReadonlyMap<string, number> {
  const byLabels = new Map<string, string[]>();
  for (const pod of cluster.scenario.pods) {
    if (pod.hostNetwork) continue;
    const key = podIdentityLabels(cluster, pod).join(',');
    const list = byLabels.get(key);
    const name = `${pod.meta.namespace ?? 'default'}/${pod.meta.name}`;
    if (list) list.push(name);
    else byLabels.set(key, [name]);
  }
  const clusterId = cluster.config.clusterId;
  const base = clusterId === 0 ? 256 : clusterId * 65536;
  const span = clusterId === 0 ? 65536 - 256 : 65536;
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const key of [...byLabels.keys()].sort()) {
    let slot = fnv1a(key) % span;
    while (taken.has(slot)) slot = (slot + 1) % span;
    taken.add(slot);
    for (const name of byLabels.get(key)!) out.set(name, base + slot);
  }
  return out;
}
