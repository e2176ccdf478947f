/**
 * `cilium clustermesh status` in the cilium CLI's text (cilium-cli `clustermesh status`, with
 * KVStoreMesh disabled and the apiserver exposed by NodePort, as the labs enable it).
 *
 * @module
 */
import type { ClusterMeshStatus } from '../mesh/status.js';

/**
 * Renders the status as the cilium CLI prints it.
 *
 * @example
 * renderClusterMeshStatus(status).split('\n')[1]; // '✅ Service "clustermesh-apiserver" of type "NodePort" found'
 */
export function renderClusterMeshStatus(s: ClusterMeshStatus): string {
  const lines: string[] = [];
  lines.push('⚠️  Service type NodePort detected! Service may fail when nodes are removed from the cluster!');
  lines.push(`✅ Service "clustermesh-apiserver" of type "${s.serviceType}" found`);
  lines.push('✅ Cluster access information is available:');
  for (const a of s.access) lines.push(`  - ${a}`);
  lines.push('✅ Deployment clustermesh-apiserver is ready');
  lines.push(`ℹ️  KVStoreMesh is ${s.kvstoremesh ? 'enabled' : 'disabled'}`);
  lines.push('');
  const n = s.remotesPerAgent;
  lines.push(`✅ All ${s.agents} nodes are connected to all clusters [min:${n} / avg:${n.toFixed(1)} / max:${n}]`);
  lines.push('');
  lines.push('🔌 Cluster Connections:');
  for (const c of s.connections) lines.push(`  - ${c.name}: ${c.configured}/${c.agents} configured, ${c.connected}/${c.agents} connected`);
  lines.push('');
  const g = s.globalServices;
  lines.push(`🔀 Global services: [ min:${g} / avg:${g.toFixed(1)} / max:${g} ]`);
  return `${lines.join('\n')}\n`;
}
