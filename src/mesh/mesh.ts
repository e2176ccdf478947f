/**
 * The cluster mesh (Cilium's clustermesh, `pkg/clustermesh`): several clusters of one scenario,
 * which of them are connected, the rules that make the mesh valid, and what each cluster learns
 * from the others ({@link MeshView}: remote nodes, remote pods with their identities, the ready
 * endpoints of shared global services).
 *
 * Rules (reference `cilium-policy-egress-l2.md` §H; `pkg/clustermesh/types/option.go`,
 * `pkg/clustermesh/common/clustermesh.go`, `pkg/clustermesh/idsmgr.go`):
 * - `cluster-id` in 0..255, or 0..511 with `max-connected-clusters: 511`
 *   (`invalid cluster id N: must be in range 0..255`); a cluster in a mesh may not use 0
 *   (`ClusterID 0 is reserved`) nor the default name with an ID
 *   (`cannot use default cluster name (default) with option cluster-id`);
 * - two connected clusters may not share an ID (`clusterID N is assigned to the local cluster`)
 *   nor a name (Cilium ignores a remote configuration named like its own cluster:
 *   `Ignoring configuration for own cluster`); `max-connected-clusters` must match
 *   (`mismatched MaxConnectedClusters; local=511, remote=255`);
 * - the same routing mode in all (the clustermesh guide's "same datapath mode");
 * - in native routing, pod CIDRs must not overlap (the guide's "PodCIDR ranges in all clusters
 *   and all nodes must be non-conflicting and unique IP addresses").
 *
 * Which clusters are connected: every cluster loaded with a name (`-f NAME=PATH`) is connected to
 * every other (a full mesh, as after `cilium clustermesh connect` between each pair), except a
 * cluster whose `cilium-config` says `clustermesh-enabled: "false"` (this model's key: such a
 * cluster is loaded but not connected; it sees none of the others).
 *
 * Cost: O(clusters² · nodes log nodes) for the rules (pod CIDR overlaps by a sweep over sorted
 * ranges), O(nodes + pods + endpoints of global services) for the views, once per scenario.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { isGlobalService, isSharedService, serviceAffinity, type MeshView, type RemoteCluster, type RemoteNode, type RemotePod } from '../cluster/mesh-view.js';
import type { EndpointSlice, IpPrefix } from '../input/types.js';
import { podIdentities } from '../datapath/endpoints/identity.js';
import { comparePrefix, familyOf, formatPrefix, lastValue, networkValue } from '../net/addr.js';
import { nodeAddress, nodePodCidrs } from '../fib/base.js';
import { compareStrings } from '../net/compare.js';

/**
 * A cluster of a mesh scenario: its context name and its built cluster.
 *
 * @example
 * const m: MeshMember = { context: 'kind-west', cluster };
 */
export interface MeshMember {
  /** The context (kubectl context) name, from `-f NAME=PATH`. */
  readonly context: string;
  /** The cluster. */
  readonly cluster: Cluster;
}

/**
 * A rule of the mesh that a cluster breaks: the context, the `cilium-config` key, and Cilium's
 * message.
 *
 * @example
 * const i: MeshIssue = { context: 'kind-east', key: 'cluster-id', message: 'clusterID 1 is assigned to the local cluster' };
 */
export interface MeshIssue {
  /** The context whose configuration is wrong. */
  readonly context: string;
  /** The `cilium-config` key at fault (`cluster-id`, `cluster-name`, `routing-mode`, …), or `spec.podCIDRs` of {@link MeshIssue.node}. */
  readonly key: string;
  /** The Node at fault, for a pod CIDR overlap. */
  readonly node?: string;
  /** The message (Cilium's wording where Cilium has one). */
  readonly message: string;
}

/**
 * One cluster of the mesh as `cilium clustermesh status` and the other clusters see it.
 *
 * @example
 * mesh.clusters[0]; // { context: 'kind-west', name: 'west', id: 1, connected: ['kind-east'], … }
 */
export interface MeshCluster {
  /** Its context. */
  readonly context: string;
  /** `cluster-name`. */
  readonly name: string;
  /** `cluster-id`. */
  readonly id: number;
  /** `max-connected-clusters` (255 unless set to 511). */
  readonly maxConnectedClusters: number;
  /** Whether it takes part in the mesh (`clustermesh-enabled` not `false`). */
  readonly enabled: boolean;
  /** The contexts it is connected to, in load order. */
  readonly connected: readonly string[];
}

/**
 * The mesh: every cluster in load order.
 *
 * @example
 * meshOf(members).clusters.map((c) => c.name); // ['west', 'east']
 */
export interface ClusterMesh {
  /** The clusters, in the order they were loaded (the first is the current context). */
  readonly clusters: readonly MeshCluster[];
}

/** Cilium's default cluster name (`pkg/defaults`). */
const DEFAULT_CLUSTER_NAME = 'default';

function maxConnected(c: Cluster): number {
  return c.config.maxConnectedClusters;
}

function meshEnabled(c: Cluster): boolean {
  return c.config.clustermeshEnabled;
}

/**
 * The mesh of the members: which clusters are connected (every enabled cluster to every other
 * enabled one).
 *
 * @example
 * meshOf([{ context: 'kind-west', cluster: west }, { context: 'kind-east', cluster: east }]).clusters[0]?.connected; // ['kind-east']
 */
export function meshOf(members: readonly MeshMember[]): ClusterMesh {
  const enabled = members.filter((m) => meshEnabled(m.cluster)).map((m) => m.context);
  return {
    clusters: members.map((m) => {
      const on = meshEnabled(m.cluster);
      return {
        context: m.context,
        name: m.cluster.config.clusterName,
        id: m.cluster.config.clusterId,
        maxConnectedClusters: maxConnected(m.cluster),
        enabled: on,
        connected: on ? enabled.filter((c) => c !== m.context) : [],
      };
    }),
  };
}

function podCidrsOf(c: Cluster): readonly { readonly prefix: IpPrefix; readonly node: string }[] {
  const out: { prefix: IpPrefix; node: string }[] = [];
  for (const n of c.scenario.nodes) for (const prefix of nodePodCidrs(c, n.meta.name)) out.push({ prefix, node: n.meta.name });
  return out.sort((a, b) => comparePrefix(a.prefix, b.prefix) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

type NodeCidr = { readonly prefix: IpPrefix; readonly node: string };

/**
 * The first (lowest) prefix of `b` that overlaps a prefix of `a`, with that prefix of `a`: one
 * sweep over both lists sorted by start address, O((|a| + |b|) log) instead of every pair.
 */
function firstOverlap(a: readonly NodeCidr[], b: readonly NodeCidr[]): [NodeCidr, NodeCidr] | undefined {
  type Iv = { readonly c: NodeCidr; readonly start: bigint; readonly end: bigint; readonly side: 0 | 1 };
  const ivs: Iv[] = [];
  for (const c of a) ivs.push({ c, start: networkValue(c.prefix), end: lastValue(c.prefix), side: 0 });
  for (const c of b) ivs.push({ c, start: networkValue(c.prefix), end: lastValue(c.prefix), side: 1 });
  ivs.sort((x, y) => (familyOf(x.c.prefix) - familyOf(y.c.prefix)) || (x.start < y.start ? -1 : x.start > y.start ? 1 : x.side - y.side));
  // the interval reaching furthest so far, per side (and family: reset when it changes)
  let far: [Iv | undefined, Iv | undefined] = [undefined, undefined];
  let fam = 0;
  for (const iv of ivs) {
    if (familyOf(iv.c.prefix) !== fam) (fam = familyOf(iv.c.prefix)), (far = [undefined, undefined]);
    const other = far[iv.side === 0 ? 1 : 0];
    if (other !== undefined && other.end >= iv.start) return iv.side === 1 ? [other.c, iv.c] : [iv.c, other.c];
    const mine = far[iv.side];
    if (mine === undefined || iv.end > mine.end) far[iv.side] = iv;
  }
  return undefined;
}

/**
 * Every rule of the mesh the members break (empty: the mesh is valid). Checked for each cluster
 * alone (ID range), then for each connected pair in load order (reported once, on the later
 * cluster of the pair).
 *
 * @example
 * validateMesh([west, { context: 'kind-east', cluster: eastWithId1 }]);
 * // [{ context: 'kind-east', key: 'cluster-id', message: 'clusterID 1 is assigned to the local cluster' }]
 */
export function validateMesh(members: readonly MeshMember[]): readonly MeshIssue[] {
  const issues: MeshIssue[] = [];
  const mesh = meshOf(members);
  const byContext = new Map(members.map((m) => [m.context, m.cluster]));
  for (const mc of mesh.clusters) {
    const max = mc.maxConnectedClusters;
    if (mc.id < 0 || mc.id > max) {
      issues.push({ context: mc.context, key: 'cluster-id', message: `invalid cluster id ${mc.id}: must be in range 0..${max}` });
      continue;
    }
    if (mc.connected.length === 0) continue;
    if (mc.id === 0) issues.push({ context: mc.context, key: 'cluster-id', message: 'ClusterID 0 is reserved' });
    else if (mc.name === DEFAULT_CLUSTER_NAME)
      issues.push({ context: mc.context, key: 'cluster-name', message: `cannot use default cluster name (${DEFAULT_CLUSTER_NAME}) with option cluster-id` });
  }
  for (let j = 0; j < mesh.clusters.length; j++) {
    const b = mesh.clusters[j]!;
    const cb = byContext.get(b.context)!;
    for (let i = 0; i < j; i++) {
      const a = mesh.clusters[i]!;
      if (!a.connected.includes(b.context)) continue;
      const ca = byContext.get(a.context)!;
      if (a.name === b.name) {
        issues.push({
          context: b.context,
          key: 'cluster-name',
          message: `cluster name "${b.name}" is also the name of context ${a.context}: Cilium ignores a remote cluster named like its own (Ignoring configuration for own cluster); cluster names must be unique in a mesh`,
        });
      }
      if (a.id === b.id && a.id !== 0) issues.push({ context: b.context, key: 'cluster-id', message: `clusterID ${b.id} is assigned to the local cluster (context ${a.context})` });
      if (a.maxConnectedClusters !== b.maxConnectedClusters && (a.maxConnectedClusters !== 255 || b.maxConnectedClusters !== 255)) {
        issues.push({
          context: b.context,
          key: 'max-connected-clusters',
          message: `mismatched MaxConnectedClusters; local=${b.maxConnectedClusters}, remote=${a.maxConnectedClusters} (context ${a.context})`,
        });
      }
      if (ca.config.routingMode !== cb.config.routingMode) {
        issues.push({
          context: b.context,
          key: 'routing-mode',
          message: `routing mode ${cb.config.routingMode} differs from ${ca.config.routingMode} in context ${a.context}: all clusters must be configured with the same datapath mode`,
        });
      }
      if (ca.config.routingMode === 'native' && cb.config.routingMode === 'native') {
        const hit = firstOverlap(podCidrsOf(ca), podCidrsOf(cb));
        if (hit !== undefined) {
          const [q, p] = hit;
          issues.push({
            context: b.context,
            key: 'spec.podCIDRs',
            node: p.node,
            message: `pod CIDR ${formatPrefix(p.prefix)} overlaps ${formatPrefix(q.prefix)} of node ${q.node} in context ${a.context}: PodCIDR ranges in all clusters and all nodes must be non-conflicting and unique IP addresses`,
          });
        }
      }
    }
  }
  return issues;
}

export { isGlobalService, isSharedService, serviceAffinity };

function remoteNodes(c: Cluster): RemoteNode[] {
  return c.scenario.nodes
    .map((n) => {
      const ip = nodeAddress(c, n.meta.name, 4);
      return { name: n.meta.name, ...(ip !== undefined ? { internalIP: ip } : {}), podCidrs: nodePodCidrs(c, n.meta.name) };
    })
    .sort((a, b) => compareStrings(a.name, b.name));
}

function remotePods(c: Cluster): RemotePod[] {
  const ids = podIdentities(c);
  const out: RemotePod[] = [];
  for (const p of c.scenario.pods) {
    if (p.hostNetwork || p.podIPs.length === 0) continue;
    const ns = p.meta.namespace ?? 'default';
    const id = ids.get(`${ns}/${p.meta.name}`);
    if (id === undefined) continue;
    const hostIP = p.nodeName !== undefined ? nodeAddress(c, p.nodeName, 4) : undefined;
    out.push({
      namespace: ns,
      name: p.meta.name,
      ips: p.podIPs,
      identity: id,
      ...(hostIP !== undefined ? { hostIP } : {}),
      ...(p.nodeName !== undefined ? { nodeName: p.nodeName } : {}),
      labels: p.meta.labels,
    });
  }
  return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
}

/** The slices of shared global services, with only their ready endpoints (what clustermesh-apiserver exports). */
function globalSlices(c: Cluster): EndpointSlice[] {
  const shared = new Set(c.scenario.services.filter(isSharedService).map((s) => `${s.meta.namespace ?? 'default'}/${s.meta.name}`));
  if (shared.size === 0) return [];
  return c.endpointSlices
    .filter((s) => shared.has(`${s.meta.namespace ?? 'default'}/${s.serviceName}`))
    .map((s) => ({ ...s, endpoints: s.endpoints.filter((e) => e.ready) }));
}

/**
 * What one remote cluster exports to the others (its nodes, its pods and their identities, the
 * ready endpoints of its shared global services). Computed once per cluster and given to every
 * cluster connected to it.
 *
 * @example
 * remoteClusterOf({ context: 'kind-east', cluster: east }).globalSlices.length;
 */
export function remoteClusterOf(member: MeshMember): RemoteCluster {
  const c = member.cluster;
  return {
    context: member.context,
    name: c.config.clusterName,
    id: c.config.clusterId,
    nodes: remoteNodes(c),
    pods: remotePods(c),
    globalSlices: globalSlices(c),
    globalServices: c.scenario.services
      .filter(isSharedService)
      .map((s) => `${s.meta.namespace ?? 'default'}/${s.meta.name}`)
      .sort(),
  };
}

/**
 * Each member's view of the mesh: the remote clusters it is connected to (sorted by cluster
 * name), by context. A cluster that is not connected gets a view with no remotes.
 *
 * @example
 * meshViews(members).get('kind-west')?.remotes.map((r) => r.name); // ['east']
 */
export function meshViews(members: readonly MeshMember[]): ReadonlyMap<string, MeshView> {
  const mesh = meshOf(members);
  const exported = new Map<string, RemoteCluster>();
  const out = new Map<string, MeshView>();
  for (const mc of mesh.clusters) {
    const remotes = mc.connected
      .map((ctx) => {
        let r = exported.get(ctx);
        if (r === undefined) {
          const m = members.find((x) => x.context === ctx)!;
          exported.set(ctx, (r = remoteClusterOf(m)));
        }
        return r;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
    out.set(mc.context, { context: mc.context, remotes });
  }
  return out;
}
