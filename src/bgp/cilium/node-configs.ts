/**
 * The operator's job: every CiliumBGPClusterConfig selects CiliumNodes (by their labels; no
 * selector = every node) and writes one CiliumBGPNodeConfig per selected node, with the node's
 * CiliumBGPNodeConfigOverride applied. A node already owned by another cluster config is left
 * alone (first writer wins) and the later config reports `ConflictingClusterConfig`.
 *
 * @module
 */
import type { BgpClusterConfig, BgpNodeConfigOverride, CiliumNode } from '../../input/types.js';
import type { Cluster } from '../../cluster/types.js';
import { matchesSelector } from '../../cluster/selector.js';
import type {
  ClusterConfigCondition,
  ClusterConfigStatus,
  NodeConfig,
  NodeConfigInstance,
  NodeConfigPeer,
} from './types.js';
import { compareStrings } from '../../net/compare.js';

/** What {@link buildNodeConfigs} returns. */
export interface NodeConfigsResult {
  /** One NodeConfig per selected node, sorted by node name. */
  readonly nodeConfigs: readonly NodeConfig[];
  /** Per cluster config, its status, sorted by name. */
  readonly clusterConfigs: readonly ClusterConfigStatus[];
}

/**
 * The order in which the operator is taken to have processed cluster configs (it decides who
 * wins a conflict): older `creationTimestamp` first, configs without one after those with one,
 * then by name. The real operator's order is its informer's; this is the model's decision.
 *
 * @example
 * ```ts
 * [...configs].sort(clusterConfigOrder);
 * ```
 */
export function clusterConfigOrder(a: BgpClusterConfig, b: BgpClusterConfig): number {
  const ta = a.meta.creationTimestamp;
  const tb = b.meta.creationTimestamp;
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta < tb ? -1 : 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === undefined && tb !== undefined) return 1;
  return compareStrings(a.meta.name, b.meta.name);
}

/**
 * Whether a cluster config selects a CiliumNode (no selector = every node).
 *
 * @example
 * ```ts
 * clusterConfigSelects(config, ciliumNode);
 * ```
 */
export function clusterConfigSelects(config: BgpClusterConfig, node: CiliumNode): boolean {
  return config.nodeSelector === undefined || matchesSelector(config.nodeSelector, node.meta.labels);
}

function applyOverride(config: BgpClusterConfig, override: BgpNodeConfigOverride | undefined): NodeConfigInstance[] {
  return config.bgpInstances.map((inst) => {
    const o = override?.bgpInstances.find((x) => x.name === inst.name);
    const peers: NodeConfigPeer[] = inst.peers.map((p) => {
      const po = o?.peers.find((x) => x.name === p.name);
      return {
        name: p.name,
        peerASN: p.peerASN ?? 0,
        ...(p.peerAddress !== undefined ? { peerAddress: p.peerAddress } : {}),
        ...(p.peerConfigRef !== undefined ? { peerConfigRef: p.peerConfigRef } : {}),
        ...(po?.localAddress !== undefined ? { localAddress: po.localAddress } : {}),
        ...(p.autoDiscovery !== undefined ? { autoDiscovery: p.autoDiscovery } : {}),
      };
    });
    const localASN = o?.localASN ?? inst.localASN;
    const localPort = o?.localPort ?? inst.localPort;
    return {
      name: inst.name,
      ...(localASN !== undefined ? { localASN } : {}),
      ...(o?.routerID !== undefined ? { routerID: o.routerID } : {}),
      ...(localPort !== undefined ? { localPort } : {}),
      peers,
    };
  });
}

/** The first override named `name` in document order (the map holds the last one per name: checked). */
function firstOverride(
  all: readonly BgpNodeConfigOverride[],
  byName: ReadonlyMap<string, BgpNodeConfigOverride>,
  name: string,
): BgpNodeConfigOverride | undefined {
  const last = byName.get(name);
  if (last === undefined) return undefined;
  return all.find((o) => o.meta.name === name);
}

function condition(
  type: ClusterConfigCondition['type'],
  on: boolean,
  message: string,
): ClusterConfigCondition {
  return { type, status: on ? 'True' : 'False', message };
}

/**
 * Runs the operator: CiliumBGPClusterConfigs × CiliumNodes → CiliumBGPNodeConfigs and cluster
 * config conditions. Nothing is produced when the BGP control plane is disabled.
 *
 * @example
 * ```ts
 * const { nodeConfigs } = buildNodeConfigs(cluster);
 * nodeConfigs.map((c) => c.name); // ['k8s-ctr', 'k8s-w0', 'k8s-w1'] in the bgp-lab
 * ```
 */
export function buildNodeConfigs(cluster: Cluster): NodeConfigsResult {
  const sc = cluster.scenario;
  if (!cluster.config.enableBgpControlPlane) return { nodeConfigs: [], clusterConfigs: [] };
  const nodes = [...cluster.ciliumNodes].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  const owner = new Map<string, string>();
  const configs = new Map<string, NodeConfig>();
  const statuses: ClusterConfigStatus[] = [];
  const peerConfigNames = new Set(sc.bgpPeerConfigs.map((p) => p.meta.name));
  // nodes without an override get the very same instances (one array per cluster config), so
  // that the agent can compute what depends on the instance alone once for all of them
  const overrides = new Map(sc.bgpNodeConfigOverrides.map((o) => [o.meta.name, o] as const));
  for (const cc of [...sc.bgpClusterConfigs].sort(clusterConfigOrder)) {
    let plain: NodeConfigInstance[] | undefined;
    const mine: string[] = [];
    const conflicting: string[] = [];
    let matched = 0;
    for (const node of nodes) {
      if (!clusterConfigSelects(cc, node)) continue;
      matched++;
      const current = owner.get(node.meta.name);
      if (current !== undefined && current !== cc.meta.name) {
        conflicting.push(node.meta.name);
        continue;
      }
      owner.set(node.meta.name, cc.meta.name);
      // (the first override of a name, as a scan in document order finds it)
      const override = firstOverride(sc.bgpNodeConfigOverrides, overrides, node.meta.name);
      configs.set(node.meta.name, {
        name: node.meta.name,
        owner: cc.meta.name,
        bgpInstances: override === undefined ? (plain ??= applyOverride(cc, undefined)) : applyOverride(cc, override),
      });
      mine.push(node.meta.name);
    }
    const missing = [
      ...new Set(
        cc.bgpInstances.flatMap((i) =>
          i.peers.flatMap((p) => (p.peerConfigRef !== undefined && !peerConfigNames.has(p.peerConfigRef) ? [p.peerConfigRef] : [])),
        ),
      ),
    ].sort();
    statuses.push({
      name: cc.meta.name,
      nodes: mine,
      conflictingNodes: conflicting,
      missingPeerConfigs: missing,
      conditions: [
        condition('cilium.io/NoMatchingNode', matched === 0, matched === 0 ? 'No node matches spec.nodeSelector' : 'Selected nodes found'),
        condition(
          'cilium.io/MissingPeerConfigs',
          missing.length > 0,
          missing.length > 0 ? `Referenced CiliumBGPPeerConfig(s) are missing: [${missing.join(' ')}]` : 'All referenced peer configs exist',
        ),
        condition(
          'cilium.io/ConflictingClusterConfig',
          conflicting.length > 0,
          conflicting.length > 0
            ? `Selecting the same node(s) with ClusterConfig(s): [${[...new Set(conflicting.map((n) => owner.get(n) ?? ''))].sort().join(' ')}]`
            : 'No conflicting cluster configs',
        ),
      ],
    });
  }
  statuses.sort((a, b) => compareStrings(a.name, b.name));
  const nodeConfigs = [...configs.values()].sort((a, b) => compareStrings(a.name, b.name));
  return { nodeConfigs, clusterConfigs: statuses };
}
