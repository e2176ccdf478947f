/**
 * The L2 announcement stage (`cilium-twin/l2`): which services each
 * `CiliumL2AnnouncementPolicy` selects and on which nodes and devices, the lease per announced
 * service and its holder (a documented stand-in for the election), the holder's responder
 * entries (the addresses it answers ARP for), the lease timings, and the devices' MACs.
 *
 * Cost: see `l2Announcements` (built once per cluster and LB IPAM result: O(P·N + P·S + Σ
 * candidates)) and `l2Lease` (one service: O(its candidates) after the per-policy node sets).
 *
 * @example
 * ```ts
 * import { l2Announcements } from 'cilium-twin/l2';
 * import { allocateLbIps } from 'cilium-twin/ipam';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * const idx = l2Announcements(cluster, allocateLbIps(cluster));
 * idx.leases.map((l) => `${l.name} ${l.holder}`); // ['cilium-l2announce-default-blue-web k8s-w1']
 * ```
 *
 * @module
 */
export {
  agentDevices,
  entryIp,
  l2Announcements,
  l2Lease,
  l2Model,
  l2Warnings,
  leaseName,
  leaseScore,
  policyNodes,
  L2_LB_CLASS,
  LEASE_NAMESPACE,
  LEASE_PREFIX,
  type AgentDevice,
  type L2Candidate,
  type L2Entry,
  type L2Index,
  type L2Lease,
  type L2Model,
  type PolicyCoverage,
  type PolicyNode,
} from './announce.js';
export { deviceMac, hash32, hashFinish, hashStart, hashUpdate } from './hash.js';
export { goDuration, l2Settings, type L2Settings } from './settings.js';
