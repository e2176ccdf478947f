/**
 * Translation of the decoded policy documents into Cilium's rule model (one {@link Rule} per
 * spec), as the agent does on import (`pkg/k8s/network_policy.go` for Kubernetes
 * NetworkPolicies, `pkg/k8s/apis/cilium.io/utils/utils.go` for Cilium's own):
 *
 * - subject: a CiliumNetworkPolicy's `endpointSelector` gets
 *   `k8s:io.kubernetes.pod.namespace=<ns>` (a user value for that key is replaced); a
 *   NetworkPolicy's `podSelector` the same; a clusterwide `endpointSelector` stays as written;
 *   `nodeSelector` selects the host endpoint (host firewall);
 * - peers: namespaced policies' `from/toEndpoints` get the policy namespace unless they name the
 *   namespace label or a `reserved:` key; clusterwide ones get `io.kubernetes.pod.namespace
 *   Exists`; a NetworkPolicy's `namespaceSelector` keys become
 *   `io.cilium.k8s.namespace.labels.<key>` (empty: any namespace), combined with its
 *   `podSelector` when both are given; `ipBlock` and CIDR rules select CIDR identities inside
 *   the block and outside its `except`s; entities select reserved identities (reference §A4);
 * - default deny per direction: a NetworkPolicy's effective `policyTypes` (absent: Ingress, plus
 *   Egress when it has egress rules); a Cilium rule's `enableDefaultDeny.<dir>`, else whether it
 *   has (deny) entries in that direction.
 *
 * Cost: linear in the policies, memoised per cluster.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { LabelSelector, PolicyDocument, PolicyEntry, PolicyL7Ports, PolicyPeer, PolicyPort, PolicyRuleSpec } from '../input/types.js';
import type { IpPrefix } from '../input/types.js';
import { parsePrefix } from '../net/addr.js';
import { type NormSelector, normSelector, selectsKey, usesReserved } from './labels.js';

/**
 * The kinds of policy documents.
 *
 * @example
 * ```ts
 * const k: PolicyKind = 'CiliumNetworkPolicy';
 * ```
 */
export type PolicyKind = 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/**
 * Where a rule came from.
 *
 * @example
 * ```ts
 * const s: PolicySource = { kind: 'NetworkPolicy', namespace: 'x', name: 'deny-all', index: 0 };
 * policySourceText(s); // 'NetworkPolicy x/deny-all'
 * ```
 */
export interface PolicySource {
  /** Kind of the document. */
  readonly kind: PolicyKind;
  /** Namespace (namespaced kinds). */
  readonly namespace?: string;
  /** Name. */
  readonly name: string;
  /** Index of the spec within the document (`spec` 0, then `specs`). */
  readonly index: number;
}

/**
 * `Kind ns/name` (or `Kind name` when cluster-scoped).
 *
 * @example
 * ```ts
 * import { policySourceText } from 'cilium-twin/policy';
 * policySourceText({ kind: 'CiliumClusterwideNetworkPolicy', name: 'lockdown', index: 0 }); // 'CiliumClusterwideNetworkPolicy lockdown'
 * ```
 */
export function policySourceText(s: PolicySource): string {
  return `${s.kind} ${s.namespace !== undefined ? `${s.namespace}/` : ''}${s.name}`;
}

/**
 * An L3 peer in Cilium's model: any identity (the wildcard), identities whose labels match a
 * selector, CIDR identities inside a block, or nothing.
 *
 * @example
 * ```ts
 * const p: PeerSel = { kind: 'any' };
 * ```
 */
export type PeerSel =
  | { readonly kind: 'any' }
  | { readonly kind: 'none' }
  | { readonly kind: 'labels'; readonly sel: NormSelector }
  | { readonly kind: 'cidr'; readonly text: string; readonly prefix: IpPrefix; readonly except: readonly IpPrefix[] };

/**
 * One entry of a rule: peers (ORed) AND ports (ORed; undefined = all), allow or deny.
 *
 * @example
 * ```ts
 * const e: RuleEntry = { peers: [{ kind: 'any' }], ports: undefined, deny: false, l7: false };
 * ```
 */
export interface RuleEntry {
  /** L3 peers. */
  readonly peers: readonly PeerSel[];
  /** L4 ports; undefined: every port and protocol. */
  readonly ports: readonly PolicyPort[] | undefined;
  /** A deny entry. */
  readonly deny: boolean;
  /** An L7 rule rides on it (allowed at L4 here). */
  readonly l7: boolean;
  /** Its `toPorts` items with HTTP rules (enforced by Envoy), when any. */
  readonly l7Rules?: readonly PolicyL7Ports[];
}

/**
 * A rule in Cilium's model.
 *
 * @example
 * ```ts
 * policyRules(cluster)[0]?.source.name;
 * ```
 */
export interface Rule {
  /** Its document. */
  readonly source: PolicySource;
  /** Whom it applies to: endpoints (pods) or the host endpoint (node selector). */
  readonly subject: { readonly kind: 'endpoints' | 'nodes'; readonly sel: NormSelector };
  /** Ingress entries (allow and deny). */
  readonly ingress: readonly RuleEntry[];
  /** Egress entries (allow and deny). */
  readonly egress: readonly RuleEntry[];
  /** Whether the rule makes its subjects default-deny, per direction. */
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
}

const NS_LABEL = 'io.kubernetes.pod.namespace';
const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

function withNamespace(sel: NormSelector, ns: string): NormSelector {
  return {
    matchLabels: [...sel.matchLabels.filter(([k]) => k.slice(k.indexOf(':') + 1) !== NS_LABEL), [`k8s:${NS_LABEL}`, ns]],
    matchExpressions: sel.matchExpressions.filter((r) => r.key.slice(r.key.indexOf(':') + 1) !== NS_LABEL),
  };
}

function withNamespaceExists(sel: NormSelector): NormSelector {
  return { matchLabels: sel.matchLabels, matchExpressions: [...sel.matchExpressions, { key: `k8s:${NS_LABEL}`, operator: 'Exists', values: [] }] };
}

/** Entities as selectors over reserved labels (reference §A4), ORed. */
export function entitySelectors(entity: string, clusterName: string): PeerSel[] {
  const lab = (k: string, v = ''): PeerSel => ({ kind: 'labels', sel: { matchLabels: [[k, v]], matchExpressions: [] } });
  switch (entity) {
    case 'all':
      return [{ kind: 'any' }];
    case 'world':
      return [lab('reserved:world'), lab('reserved:world-ipv4'), lab('reserved:world-ipv6')];
    case 'cluster':
      return [
        ...['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'].map((r) => lab(`reserved:${r}`)),
        lab('k8s:io.cilium.k8s.policy.cluster', clusterName),
      ];
    case 'none':
      return [{ kind: 'none' }];
    default:
      return [lab(`reserved:${entity}`)];
  }
}

function knpPeer(p: Extract<PolicyPeer, { kind: 'knp' }>, ns: string): PeerSel {
  const pod = p.podSelector ? normSelector(p.podSelector, 'k8s') : undefined;
  if (p.namespaceSelector === undefined) return { kind: 'labels', sel: withNamespace(pod ?? { matchLabels: [], matchExpressions: [] }, ns) };
  const nsSel = p.namespaceSelector;
  const prefixed: LabelSelector = {
    matchLabels: Object.fromEntries(Object.entries(nsSel.matchLabels).map(([k, v]) => [`${NS_LABELS_PREFIX}${k}`, v])),
    matchExpressions: nsSel.matchExpressions.map((r) => ({ ...r, key: `${NS_LABELS_PREFIX}${r.key}` })),
  };
  let sel = normSelector(prefixed, 'k8s');
  if (sel.matchLabels.length === 0 && sel.matchExpressions.length === 0) sel = withNamespaceExists(sel);
  if (pod) sel = { matchLabels: [...sel.matchLabels, ...pod.matchLabels], matchExpressions: [...sel.matchExpressions, ...pod.matchExpressions] };
  return { kind: 'labels', sel };
}

function endpointsPeer(s: LabelSelector, ns: string | undefined): PeerSel {
  const sel = normSelector(s);
  if (selectsKey(sel, NS_LABEL) || usesReserved(sel)) return { kind: 'labels', sel };
  return { kind: 'labels', sel: ns !== undefined ? withNamespace(sel, ns) : withNamespaceExists(sel) };
}

function cidrPeer(cidr: string, except: readonly string[]): PeerSel {
  const prefix = parsePrefix(cidr);
  if (prefix === undefined) return { kind: 'none' };
  return { kind: 'cidr', text: cidr, prefix, except: except.flatMap((e) => parsePrefix(e) ?? []) };
}

const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';

/**
 * `policy-default-local-cluster: "true"` (off by default in 1.18, on in 1.19;
 * `LocalClusterNameForPolicies`): a pod selector that names no cluster selects the local
 * cluster's pods only. Off: it selects the pods of every connected cluster.
 */
function localClusterOnly(cluster: Cluster, peer: PeerSel): PeerSel {
  if (!cluster.config.policyDefaultLocalCluster) return peer;
  if (peer.kind !== 'labels' || selectsKey(peer.sel, CLUSTER_LABEL) || usesReserved(peer.sel)) return peer;
  return { kind: 'labels', sel: { matchLabels: [...peer.sel.matchLabels, [`k8s:${CLUSTER_LABEL}`, cluster.config.clusterName]], matchExpressions: peer.sel.matchExpressions } };
}

function peersOf(cluster: Cluster, peers: readonly PolicyPeer[] | undefined, ns: string | undefined): PeerSel[] {
  if (peers === undefined) return [{ kind: 'any' }];
  return peers.flatMap((p): PeerSel[] => {
    switch (p.kind) {
      case 'knp':
        return [localClusterOnly(cluster, knpPeer(p, ns ?? 'default'))];
      case 'endpoints':
        return [localClusterOnly(cluster, endpointsPeer(p.selector, ns))];
      case 'entity':
        return entitySelectors(p.entity, cluster.config.clusterName);
      case 'cidr':
        return [cidrPeer(p.cidr, p.except)];
      case 'nodes':
        // fromNodes/toNodes need node labels in identities (enable-node-selector-labels): the
        // model selects the node identities (host, remote-node) as the default mode does.
        return entitySelectors('host', cluster.config.clusterName).concat(entitySelectors('remote-node', cluster.config.clusterName));
      case 'service':
      case 'service-selector': {
        const svcNs = p.namespace ?? ns ?? 'default';
        const services = cluster.scenario.services.filter((s) => {
          if ((s.meta.namespace ?? 'default') !== svcNs) return false;
          if (p.kind === 'service') return s.meta.name === p.name;
          return matchesPlain(p.selector, s.meta.labels);
        });
        const out: PeerSel[] = [];
        for (const s of services) {
          if (s.selector === undefined) continue;
          const sel = normSelector({ matchLabels: s.selector, matchExpressions: [] }, 'k8s');
          out.push({ kind: 'labels', sel: withNamespace(sel, svcNs) });
        }
        return out.length > 0 ? out : [{ kind: 'none' }];
      }
    }
  });
}

function matchesPlain(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const r of sel.matchExpressions) {
    const v = labels[r.key];
    if (r.operator === 'In' && (v === undefined || !r.values.includes(v))) return false;
    if (r.operator === 'NotIn' && v !== undefined && r.values.includes(v)) return false;
    if (r.operator === 'Exists' && v === undefined) return false;
    if (r.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

function entries(cluster: Cluster, list: readonly PolicyEntry[], ns: string | undefined, deny: boolean): RuleEntry[] {
  return list.map((e) => ({ peers: peersOf(cluster, e.peers, ns), ports: e.ports, deny, l7: e.l7, ...(e.l7Rules !== undefined ? { l7Rules: e.l7Rules } : {}) }));
}

function translate(cluster: Cluster, kind: PolicyKind, doc: PolicyDocument, spec: PolicyRuleSpec, index: number): Rule {
  const ns = kind === 'CiliumClusterwideNetworkPolicy' ? undefined : (doc.meta.namespace ?? 'default');
  const source: PolicySource = { kind, ...(ns !== undefined ? { namespace: ns } : {}), name: doc.meta.name, index };
  if (spec.flavour === 'k8s') {
    const types = spec.policyTypes ?? ['Ingress', ...(spec.egress.length > 0 ? (['Egress'] as const) : [])];
    const ingressOn = types.includes('Ingress');
    const egressOn = types.includes('Egress');
    return {
      source,
      subject: { kind: 'endpoints', sel: withNamespace(normSelector(spec.endpointSelector ?? { matchLabels: {}, matchExpressions: [] }, 'k8s'), ns!) },
      ingress: ingressOn ? entries(cluster, spec.ingress, ns, false) : [],
      egress: egressOn ? entries(cluster, spec.egress, ns, false) : [],
      defaultDeny: { ingress: ingressOn, egress: egressOn },
    };
  }
  const subject =
    spec.nodeSelector !== undefined
      ? { kind: 'nodes' as const, sel: normSelector(spec.nodeSelector) }
      : { kind: 'endpoints' as const, sel: ns !== undefined ? withNamespace(normSelector(spec.endpointSelector!), ns) : normSelector(spec.endpointSelector!) };
  return {
    source,
    subject,
    ingress: [...entries(cluster, spec.ingressDeny, ns, true), ...entries(cluster, spec.ingress, ns, false)],
    egress: [...entries(cluster, spec.egressDeny, ns, true), ...entries(cluster, spec.egress, ns, false)],
    defaultDeny: {
      ingress: spec.enableDefaultDeny.ingress ?? spec.ingress.length + spec.ingressDeny.length > 0,
      egress: spec.enableDefaultDeny.egress ?? spec.egress.length + spec.egressDeny.length > 0,
    },
  };
}

/**
 * Every rule of the cluster's policies, in document order (NetworkPolicies, then
 * CiliumNetworkPolicies, then clusterwide ones; each sorted by namespace and name). Not memoised: the twin keeps one list per scenario
 * (`twin.policyRules()`).
 *
 * @example
 * ```ts
 * policyRules(cluster).map((r) => policySourceText(r.source));
 * ```
 */
export function policyRules(cluster: Cluster): readonly Rule[] {
  const s = cluster.scenario;
  const out: Rule[] = [];
  const add = (kind: PolicyKind, docs: readonly PolicyDocument[]): void => {
    for (const d of docs) d.rules.forEach((r, i) => out.push(translate(cluster, kind, d, r, i)));
  };
  add('NetworkPolicy', s.networkPolicies);
  add('CiliumNetworkPolicy', s.ciliumNetworkPolicies);
  add('CiliumClusterwideNetworkPolicy', s.ciliumClusterwideNetworkPolicies);
  return out;
}
