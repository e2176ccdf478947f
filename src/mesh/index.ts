/**
 * The cluster mesh stage (`cilium-twin/mesh`): several clusters in one scenario, their
 * connections and validation, what each cluster learns from the others, and
 * `cilium clustermesh status` as data.
 *
 * @module
 */
export { meshOf, meshViews, remoteClusterOf, validateMesh, isGlobalService, isSharedService, serviceAffinity } from './mesh.js';
export type { ClusterMesh, MeshCluster, MeshIssue, MeshMember } from './mesh.js';
export { clusterMeshStatus, CLUSTERMESH_NODE_PORT } from './status.js';
export type { ClusterConnection, ClusterMeshStatus } from './status.js';
