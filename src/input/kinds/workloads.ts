/**
 * Decoders of the workload kinds (apps/v1 `Deployment`, `ReplicaSet`, `DaemonSet`, `StatefulSet`),
 * of `ServiceCIDR` (networking.k8s.io), and of the scheduling fields of a pod spec (node selector,
 * required node affinity, tolerations, required pod (anti-)affinity, topology spread constraints)
 * and owner references, shared by `Pod` and pod templates.
 *
 * The API server's validation that the model relies on is reported with the API server's own
 * words (Kubernetes 1.33 prints values in Go syntax):
 *
 * - `spec.selector: Required value`;
 * - `spec.selector: Invalid value: v1.LabelSelector{…}: empty selector is invalid for deployment`
 *   (`daemonset`, `statefulset` for those kinds; ReplicaSet reuses `deployment`);
 * - `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels``;
 * - `spec.template.spec.containers: Required value`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type {
  Container,
  ContainerPort,
  LabelSelector,
  Meta,
  NodeSelectorRequirement,
  OwnerReference,
  PodAffinityTerm,
  PodScheduling,
  PodTemplate,
  ServiceCIDR,
  StringMap,
  Toleration,
  TopologySpreadConstraint,
  WorkloadController,
} from '../types.js';
import {
  type Codec,
  type Issue,
  andThen,
  bool,
  decodeWith,
  emptyMap,
  int,
  ip,
  labelSelector,
  list,
  nonEmpty,
  oneOf,
  port,
  prefix,
  str,
  stringMap,
  struct,
} from '../codec.js';

/** Decodes a kind's body given its decoded metadata (the same shape as `kubernetes.ts`'s `KindDecode`). */
type KindDecode<A> = (doc: Readonly<Record<string, unknown>>, meta: Meta) => E.Either<Issue[], A>;

const protocol = oneOf(['TCP', 'UDP', 'SCTP'] as const);
const containerPort = struct({ containerPort: port }, { name: str, protocol, hostPort: port, hostIP: ip });
const container = struct({ name: nonEmpty }, { image: str, ports: list(containerPort) });

const nodeRequirement = struct(
  { key: nonEmpty, operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const) },
  { values: list(str) },
);
const nodeSelectorTerm = struct({}, { matchExpressions: list(nodeRequirement), matchFields: list(nodeRequirement) });
const affinityTerm = struct({ topologyKey: nonEmpty }, { labelSelector, namespaces: list(str) });
const required = <A>(c: Codec<A>) => struct({}, { requiredDuringSchedulingIgnoredDuringExecution: c });

/**
 * The scheduling fields of a pod spec, as a codec of optional fields (merged into a pod spec's).
 *
 * @example
 * struct({}, { ...SCHEDULING_FIELDS, nodeName: str });
 */
export const SCHEDULING_FIELDS = {
  nodeSelector: stringMap,
  tolerations: list(
    struct(
      {},
      { key: str, operator: oneOf(['Equal', 'Exists'] as const), value: str, effect: oneOf(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const) },
    ),
  ),
  affinity: struct(
    {},
    {
      nodeAffinity: required(struct({}, { nodeSelectorTerms: list(nodeSelectorTerm) })),
      podAffinity: required(list(affinityTerm)),
      podAntiAffinity: required(list(affinityTerm)),
    },
  ),
  topologySpreadConstraints: list(
    struct(
      { maxSkew: int(1, 2147483647), topologyKey: nonEmpty, whenUnsatisfiable: oneOf(['DoNotSchedule', 'ScheduleAnyway'] as const) },
      { labelSelector },
    ),
  ),
} as const;

/** The decoded scheduling fields of a pod spec. */
type SchedulingFields = {
  readonly [K in keyof typeof SCHEDULING_FIELDS]?: (typeof SCHEDULING_FIELDS)[K] extends Codec<infer A> ? A : never;
};

/**
 * The {@link PodScheduling} of a decoded pod spec (`undefined` when it sets none of the fields).
 *
 * @example
 * schedulingOf({ nodeSelector: { disk: 'ssd' } })?.nodeSelector; // { disk: 'ssd' }
 */
export function schedulingOf(spec: SchedulingFields | undefined): PodScheduling | undefined {
  if (spec === undefined) return undefined;
  if (spec.nodeSelector === undefined && spec.tolerations === undefined && spec.affinity === undefined && spec.topologySpreadConstraints === undefined) {
    return undefined;
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const req = (r: { key: string; operator: NodeSelectorRequirement['operator']; values?: readonly string[] }): NodeSelectorRequirement => ({
    key: r.key,
    operator: r.operator,
    values: r.values ?? [],
  });
  const term = (t: { labelSelector?: LabelSelector; topologyKey: string; namespaces?: readonly string[] }): PodAffinityTerm => ({
    ...(t.labelSelector !== undefined ? { labelSelector: t.labelSelector } : {}),
    topologyKey: t.topologyKey,
    namespaces: t.namespaces ?? [],
  });
  return {
    nodeSelector: spec.nodeSelector ?? emptyMap(),
    requiredNodeAffinity: terms.map((t) => [
      ...(t.matchExpressions ?? []).map(req),
      ...(t.matchFields ?? []).map((r) => ({ ...req(r), key: r.key === 'metadata.name' ? 'metadata.name' : r.key })),
    ]),
    tolerations: (spec.tolerations ?? []).map(
      (t): Toleration => ({
        ...(t.key !== undefined && t.key !== '' ? { key: t.key } : {}),
        operator: t.operator ?? 'Equal',
        ...(t.value !== undefined ? { value: t.value } : {}),
        ...(t.effect !== undefined && t.effect !== '' ? { effect: t.effect } : {}),
      }),
    ),
    podAffinity: (spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(term),
    podAntiAffinity: (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(term),
    topologySpreadConstraints: (spec.topologySpreadConstraints ?? []).map(
      (c): TopologySpreadConstraint => ({
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        whenUnsatisfiable: c.whenUnsatisfiable,
        ...(c.labelSelector !== undefined ? { labelSelector: c.labelSelector } : {}),
      }),
    ),
  };
}

/**
 * `metadata.ownerReferences`, as a codec.
 *
 * @example
 * struct({}, { ownerReferences: OWNER_REFERENCES });
 */
export const OWNER_REFERENCES = list(struct({}, { apiVersion: str, kind: str, name: str, controller: bool, uid: str }));

/**
 * The API server's `ValidateOwnerReferences` (apimachinery `api/validation/objectmeta.go`):
 * apiVersion, kind, name and uid must not be empty, and at most one reference may have
 * `controller: true`. Paths are unindexed, as the API server reports them.
 *
 * @example
 * validateOwnerReferences([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '' }]);
 * // [{ path: 'metadata.ownerReferences.uid', message: 'Invalid value: "": uid must not be empty' }]
 */
export function validateOwnerReferences(
  refs: readonly { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[] | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const at = 'metadata.ownerReferences';
  let first = '';
  for (const r of refs ?? []) {
    const av = r.apiVersion ?? '';
    const version = av.includes('/') ? av.slice(av.indexOf('/') + 1) : av;
    if (version === '') issues.push({ path: `${at}.apiVersion`, message: `Invalid value: ${JSON.stringify(av)}: version must not be empty` });
    if ((r.kind ?? '') === '') issues.push({ path: `${at}.kind`, message: 'Invalid value: "": kind must not be empty' });
    if ((r.name ?? '') === '') issues.push({ path: `${at}.name`, message: 'Invalid value: "": name must not be empty' });
    if ((r.uid ?? '') === '') issues.push({ path: `${at}.uid`, message: 'Invalid value: "": uid must not be empty' });
    if (r.controller === true) {
      const cur = `${r.kind ?? ''}/${r.name ?? ''}`;
      if (first !== '') {
        issues.push({
          path: at,
          message: `Invalid value: ${goOwnerRefs(refs ?? [])}: Only one reference can have Controller set to true. Found "true" in references for ${first} and ${cur}`,
        });
      } else first = cur;
    }
  }
  return issues;
}

/**
 * The references as a recent API server prints the invalid value (JSON, `controller` omitted when
 * unset; older releases printed Go's `%#v` with pointer addresses).
 */
function goOwnerRefs(refs: readonly { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[]): string {
  return JSON.stringify(
    refs.map((r) => ({ apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', uid: r.uid ?? '', ...(r.controller !== undefined ? { controller: r.controller } : {}) })),
  );
}

/**
 * Owner references as the model keeps them.
 *
 * @example
 * ownerReferencesOf([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', controller: true }]);
 */
export function ownerReferencesOf(refs: readonly { apiVersion?: string; kind?: string; name?: string; controller?: boolean }[] | undefined): OwnerReference[] {
  return (refs ?? []).map((r) => ({ apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', controller: r.controller ?? false }));
}

/**
 * Containers as the model keeps them (protocol defaulted to TCP).
 *
 * @example
 * containersOf([{ name: 'web', image: 'traefik/whoami' }]);
 */
export function containersOf(
  cs: readonly { name: string; image?: string; ports?: readonly { containerPort: number; name?: string; protocol?: ContainerPort['protocol']; hostPort?: number; hostIP?: ContainerPort['hostIP'] }[] }[] | undefined,
): Container[] {
  return (cs ?? []).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    ports: (c.ports ?? []).map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
      ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
      ...(p.hostIP !== undefined ? { hostIP: p.hostIP } : {}),
    })),
  }));
}

const templateDoc = struct(
  {},
  {
    metadata: struct({}, { labels: stringMap, annotations: stringMap }),
    spec: struct({}, { nodeName: str, hostNetwork: bool, containers: list(container), ...SCHEDULING_FIELDS }),
  },
);

const controllerDoc = struct(
  {},
  {
    metadata: struct({}, { ownerReferences: OWNER_REFERENCES }),
    spec: struct({}, { replicas: int(0, 2147483647), selector: labelSelector, template: templateDoc, serviceName: str }),
  },
);

/** Go's `%#v` of a `map[string]string` (keys sorted), as the API server prints an invalid value. */
function goMap(m: StringMap | undefined): string {
  if (m === undefined) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`;
}

/** Whether labels satisfy a label selector (the API server's check of a template). */
function selects(sel: LabelSelector, labels: StringMap): boolean {
  for (const k of Object.keys(sel.matchLabels)) if (labels[k] !== sel.matchLabels[k]) return false;
  for (const r of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    if (r.operator === 'In' && !(has && r.values.includes(v!))) return false;
    if (r.operator === 'NotIn' && has && r.values.includes(v!)) return false;
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * Decodes a workload controller of the given kind, with the API server's validation of its
 * selector and template.
 *
 * @example
 * decodeController('Deployment')({ spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } } } }, meta);
 */
export function decodeController(kind: WorkloadController['kind']): KindDecode<WorkloadController> {
  const word = kind === 'DaemonSet' ? 'daemonset' : kind === 'StatefulSet' ? 'statefulset' : 'deployment';
  return (doc, meta: Meta) =>
    andThen(decodeWith(controllerDoc, doc), (d) => {
      const issues: Issue[] = [];
      const spec = d.spec ?? {};
      const rawSpec = (doc as { spec?: { selector?: { matchLabels?: unknown } } }).spec;
      const selector = spec.selector;
      const labels = spec.template?.metadata?.labels ?? emptyMap();
      if (selector === undefined) issues.push({ path: 'spec.selector', message: 'Required value' });
      else if (Object.keys(selector.matchLabels).length + selector.matchExpressions.length === 0) {
        const ml = rawSpec?.selector?.matchLabels !== undefined && rawSpec.selector.matchLabels !== null ? 'map[string]string{}' : 'map[string]string(nil)';
        issues.push({
          path: 'spec.selector',
          message: `Invalid value: v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for ${word}`,
        });
      } else if (!selects(selector, labels)) {
        issues.push({
          path: 'spec.template.metadata.labels',
          message: `Invalid value: ${goMap(spec.template?.metadata?.labels)}: \`selector\` does not match template \`labels\``,
        });
      }
      issues.push(...validateOwnerReferences(d.metadata?.ownerReferences));
      const containers = spec.template?.spec?.containers ?? [];
      if (containers.length === 0) issues.push({ path: 'spec.template.spec.containers', message: 'Required value' });
      if (issues.length > 0) return E.left(issues);
      const t = spec.template?.spec;
      const template: PodTemplate = {
        labels,
        annotations: spec.template?.metadata?.annotations ?? emptyMap(),
        ...(t?.nodeName !== undefined && t.nodeName !== '' ? { nodeName: t.nodeName } : {}),
        hostNetwork: t?.hostNetwork ?? false,
        containers: containersOf(containers),
        scheduling: schedulingOf(t) ?? NO_SCHEDULING,
      };
      const controller: WorkloadController = {
        kind,
        meta,
        replicas: kind === 'DaemonSet' ? 0 : (spec.replicas ?? 1),
        selector: selector!,
        template,
        ownerReferences: ownerReferencesOf(d.metadata?.ownerReferences),
        ...(kind === 'StatefulSet' && spec.serviceName !== undefined ? { serviceName: spec.serviceName } : {}),
      };
      return E.right(controller);
    });
}

/**
 * The scheduling of a pod that says nothing about it.
 *
 * @example
 * NO_SCHEDULING.tolerations.length; // 0
 */
export const NO_SCHEDULING: PodScheduling = Object.freeze({
  nodeSelector: emptyMap(),
  requiredNodeAffinity: [],
  tolerations: [],
  podAffinity: [],
  podAntiAffinity: [],
  topologySpreadConstraints: [],
});

const serviceCidrDoc = struct({}, { spec: struct({}, { cidrs: list(prefix, { max: 2 }) }) });

/**
 * Decodes a `ServiceCIDR` (networking.k8s.io/v1): the ranges cluster IPs come from.
 *
 * @example
 * decodeServiceCIDR({ spec: { cidrs: ['10.2.0.0/16'] } }, meta);
 */
export const decodeServiceCIDR: KindDecode<ServiceCIDR> = (doc, meta) =>
  andThen(decodeWith(serviceCidrDoc, doc), (d) => E.right({ meta, cidrs: d.spec?.cidrs ?? [] }));
