/**
 * The controllers: what Deployments, ReplicaSets, DaemonSets and StatefulSets create.
 *
 * - **Deployment** → one ReplicaSet `<deployment>-<pod-template-hash>` (see `names.ts`) with the
 *   Deployment's replicas, its selector plus `pod-template-hash`, and the template with the label
 *   `pod-template-hash` added; owned by the Deployment. A ReplicaSet of that name given in the
 *   scenario is kept instead.
 * - **ReplicaSet** → `replicas` pods `<replicaset>-<5 chars>`, less the given pods it controls
 *   (a pod whose controller owner reference names it).
 * - **DaemonSet** → one pod `<daemonset>-<5 chars>` per node that should run it: the node matches
 *   its node selector and affinity and it tolerates the node's NoSchedule/NoExecute taints (with
 *   the tolerations the DaemonSet controller adds: `node.kubernetes.io/not-ready`,
 *   `unreachable`, `disk-pressure`, `memory-pressure`, `pid-pressure`, `unschedulable`, and
 *   `network-unavailable` for host-network pods). Each pod is pinned to its node with required
 *   node affinity on `metadata.name`, as the controller does.
 * - **StatefulSet** → pods `<statefulset>-0` … `<statefulset>-(replicas-1)`, labelled
 *   `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`.
 *
 * Pods carry the template's labels, annotations, containers and ports, and a controller owner
 * reference. Complexity: O(pods created + DaemonSets × nodes).
 *
 * @module
 */
import type { Node, OwnerReference, PodScheduling, PodTemplate, StringMap, Toleration, WorkloadController } from '../input/types.js';
import { nodeAffinityMatches, untoleratedTaint } from './schedule.js';
import { suffixer, templateHash } from './names.js';
import { compareStrings } from '../net/compare.js';

/** A pod a controller wants, before scheduling. */
export interface DesiredPod {
  /** Name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Labels. */
  readonly labels: StringMap;
  /** Annotations. */
  readonly annotations: StringMap;
  /** The template it comes from. */
  readonly template: PodTemplate;
  /** Scheduling (the template's, plus a DaemonSet's pinning). */
  readonly scheduling: PodScheduling;
  /** Its controller. */
  readonly owner: OwnerReference;
}

/** What the controllers make. */
export interface ControllerOutput {
  /** ReplicaSets made for Deployments. */
  readonly replicaSets: readonly WorkloadController[];
  /** Pods to create, in creation order. */
  readonly pods: readonly DesiredPod[];
}

function withLabels(base: StringMap, extra: Readonly<Record<string, string>>): StringMap {
  return Object.assign(Object.create(null) as Record<string, string>, base, extra);
}

const DS_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/**
 * The tolerations a DaemonSet's pods get (the template's plus the controller's).
 *
 * @example
 * daemonSetTolerations(template).length >= 6; // true
 */
export function daemonSetTolerations(t: PodTemplate): Toleration[] {
  const extra = t.hostNetwork ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' as const, effect: 'NoSchedule' }] : [];
  return [...t.scheduling.tolerations, ...DS_TOLERATIONS, ...extra];
}

/**
 * The ReplicaSet a Deployment makes (see the module doc).
 *
 * @example
 * replicaSetFor(deployment).meta.name; // 'webpod-<hash>'
 */
export function replicaSetFor(d: WorkloadController): WorkloadController {
  const hash = templateHash(d.template);
  const labels = withLabels(d.template.labels, { 'pod-template-hash': hash });
  return {
    kind: 'ReplicaSet',
    meta: { name: `${d.meta.name}-${hash}`, namespace: d.meta.namespace ?? 'default', labels, annotations: Object.create(null) as StringMap },
    replicas: d.replicas,
    selector: { matchLabels: withLabels(d.selector.matchLabels, { 'pod-template-hash': hash }), matchExpressions: d.selector.matchExpressions },
    template: { ...d.template, labels },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.meta.name, controller: true }],
  };
}

/**
 * Runs the controllers over the scenario's workload objects (sorted) and its nodes.
 * `controlled(kind, namespace, name)` counts the given pods a controller already has.
 *
 * @example
 * runControllers(scenario.controllers ?? [], scenario.nodes, () => 0).pods.map((p) => p.name);
 */
export function runControllers(
  controllers: readonly WorkloadController[],
  nodes: readonly Node[],
  controlled: (kind: string, namespace: string, name: string) => number,
): ControllerOutput {
  const given = new Set(controllers.filter((c) => c.kind === 'ReplicaSet').map((c) => `${c.meta.namespace}/${c.meta.name}`));
  const replicaSets: WorkloadController[] = [];
  for (const c of controllers) {
    if (c.kind !== 'Deployment') continue;
    const rs = replicaSetFor(c);
    if (!given.has(`${rs.meta.namespace}/${rs.meta.name}`)) replicaSets.push(rs);
  }
  const all = [...controllers, ...replicaSets].sort(
    (a, b) => compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name) || compareStrings(a.kind, b.kind),
  );
  const sortedNodes = [...nodes].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  const pods: DesiredPod[] = [];
  for (const c of all) {
    const ns = c.meta.namespace ?? 'default';
    const owner: OwnerReference = { apiVersion: 'apps/v1', kind: c.kind, name: c.meta.name, controller: true };
    const base = { namespace: ns, annotations: c.template.annotations, template: c.template, owner };
    if (c.kind === 'ReplicaSet') {
      const want = c.replicas - controlled('ReplicaSet', ns, c.meta.name);
      const next = suffixer();
      for (let i = 0; i < want; i++) {
        pods.push({ ...base, name: `${c.meta.name}-${next(`${ns}/${c.meta.name}/${i}`)}`, labels: c.template.labels, scheduling: c.template.scheduling });
      }
    } else if (c.kind === 'StatefulSet') {
      for (let i = 0; i < c.replicas; i++) {
        const name = `${c.meta.name}-${i}`;
        if (controlled(`StatefulSet#${name}`, ns, c.meta.name) > 0) continue;
        const labels = withLabels(c.template.labels, { 'apps.kubernetes.io/pod-index': String(i), 'statefulset.kubernetes.io/pod-name': name });
        pods.push({ ...base, name, labels, scheduling: c.template.scheduling });
      }
    } else if (c.kind === 'DaemonSet') {
      const tolerations = daemonSetTolerations(c.template);
      const next = suffixer();
      for (const n of sortedNodes) {
        if (!nodeAffinityMatches(n, c.template.scheduling)) continue;
        if (untoleratedTaint({ ...n, ready: true }, tolerations) !== undefined) continue;
        const scheduling: PodScheduling = {
          ...c.template.scheduling,
          tolerations,
          requiredNodeAffinity: [[{ key: 'metadata.name', operator: 'In', values: [n.meta.name] }]],
        };
        pods.push({ ...base, name: `${c.meta.name}-${next(`${ns}/${c.meta.name}/${n.meta.name}`)}`, labels: c.template.labels, scheduling });
      }
    }
  }
  return { replicaSets, pods };
}

