/**
 * `cilium clustermesh status` as data: the clustermesh-apiserver service and its access
 * information, how many local agents are connected to how many remote clusters, and the global
 * services each agent knows (cilium-cli `clustermesh status`, `pkg/clustermesh` status).
 *
 * Model (see `docs/decisions.md`, "Cluster mesh"): the apiserver is exposed as the labs do it
 * (`cilium clustermesh enable --service-type NodePort --enable-kvstoremesh=false`): service type
 * NodePort on port 32379, KVStoreMesh disabled; the access address is the first node's (by name)
 * ExternalIP, else its InternalIP (cilium-cli takes one node, as NodePorts differ per node);
 * every agent is connected to every remote cluster of the mesh (the twin's steady state).
 *
 * Cost: O(nodes + global services of the remote clusters).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { formatIp } from '../net/addr.js';
import { compareStrings } from '../net/compare.js';

/**
 * The NodePort of the clustermesh-apiserver service (Helm `clustermesh.apiserver.service.nodePort`).
 *
 * @example
 * CLUSTERMESH_NODE_PORT; // 32379
 */
export const CLUSTERMESH_NODE_PORT = 32379;

/**
 * One remote cluster in the status: how many local agents are configured for it and connected.
 *
 * @example
 * const c: ClusterConnection = { name: 'east', configured: 2, connected: 2, agents: 2 };
 */
export interface ClusterConnection {
  /** The remote cluster's name. */
  readonly name: string;
  /** Agents configured to connect to it. */
  readonly configured: number;
  /** Agents connected to it. */
  readonly connected: number;
  /** Agents in the local cluster. */
  readonly agents: number;
}

/**
 * The status of the cluster mesh as one cluster's `cilium clustermesh status` shows it.
 *
 * @example
 * clusterMeshStatus(west)?.connections[0]?.name; // 'east'
 */
export interface ClusterMeshStatus {
  /** The apiserver service's type. */
  readonly serviceType: 'NodePort';
  /** The access addresses (`IP:PORT`). */
  readonly access: readonly string[];
  /** KVStoreMesh enabled (the model: no). */
  readonly kvstoremesh: boolean;
  /** Local agents (nodes). */
  readonly agents: number;
  /** Remote clusters connected per agent (every agent alike). */
  readonly remotesPerAgent: number;
  /** The remote clusters, sorted by name. */
  readonly connections: readonly ClusterConnection[];
  /** Global services each agent knows (the distinct shared global services of the remote clusters). */
  readonly globalServices: number;
}

/**
 * The status of a cluster in a mesh, or `undefined` when it is not part of one (no
 * clustermesh-apiserver: cilium-cli reports the service not found).
 *
 * @example
 * clusterMeshStatus(twin.cluster)?.access; // ['172.19.0.3:32379']
 */
export function clusterMeshStatus(cluster: Cluster): ClusterMeshStatus | undefined {
  const mesh = cluster.mesh;
  if (mesh === undefined || mesh.remotes.length === 0) return undefined;
  const nodes = [...cluster.scenario.nodes].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  let ip: string | undefined;
  for (const n of nodes) {
    let found: string | undefined;
    for (const a of n.addresses) {
      if (a.type === 'ExternalIP') found = formatIp(a.address);
      else if (a.type === 'InternalIP' && found === undefined) found = formatIp(a.address);
    }
    if (found !== undefined) {
      ip = found;
      break;
    }
  }
  const agents = nodes.length;
  const globals = new Set<string>();
  for (const r of mesh.remotes) for (const s of r.globalServices) globals.add(s);
  return {
    serviceType: 'NodePort',
    access: ip !== undefined ? [`${ip}:${CLUSTERMESH_NODE_PORT}`] : [],
    kvstoremesh: false,
    agents,
    remotesPerAgent: mesh.remotes.length,
    connections: mesh.remotes.map((r) => ({ name: r.name, configured: agents, connected: agents, agents })),
    globalServices: agents > 0 ? globals.size : 0,
  };
}
