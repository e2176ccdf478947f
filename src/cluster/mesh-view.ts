/**
 * What the cluster mesh tells one cluster about the others (Cilium's clustermesh: the remote
 * clusters' nodes, identities/ipcache entries and global services' backends, as each agent reads
 * them from the remote clustermesh-apiserver). Plain data, filled by the mesh stage
 * (`src/mesh/`) when a scenario holds several clusters, and read by the stages that use it: the
 * FIB (routes to remote nodes' pod CIDRs), the LB maps (remote backends of global services), the
 * ipcache (remote pods). Absent on a cluster outside a mesh, so single-cluster outputs are unchanged.
 *
 * @module
 */
import type { EndpointSlice, IpAddress, IpPrefix, Service } from '../input/types.js';

/**
 * A node of a remote cluster, as the local agents learn it (the remote `CiliumNode`).
 *
 * @example
 * const n: RemoteNode = { name: 'east-worker', internalIP, podCidrs: [cidr] };
 */
export interface RemoteNode {
  /** The node's name. */
  readonly name: string;
  /** Its InternalIP (the address remote agents route and tunnel to). */
  readonly internalIP?: IpAddress;
  /** Its pod CIDRs. */
  readonly podCidrs: readonly IpPrefix[];
}

/**
 * A pod of a remote cluster as the local ipcache knows it (the remote ipcache entry: address,
 * identity, and the node that hosts it).
 *
 * @example
 * const p: RemotePod = { namespace: 'default', name: 'curl-pod', ips: [ip], identity: 131330, hostIP, labels: {} };
 */
export interface RemotePod {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Its pod IPs. */
  readonly ips: readonly IpAddress[];
  /** Its security identity (allocated by its own cluster: the cluster ID in bits 16–23). */
  readonly identity: number;
  /** The InternalIP of its node (the ipcache tunnel endpoint). */
  readonly hostIP?: IpAddress;
  /** Its node's name. */
  readonly nodeName?: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One remote cluster connected to this one.
 *
 * @example
 * const r: RemoteCluster = { context: 'kind-east', name: 'east', id: 2, nodes: [], pods: [], globalSlices: [], globalServices: [] };
 */
export interface RemoteCluster {
  /** Its context (the `-f NAME=PATH` name). */
  readonly context: string;
  /** Its `cluster-name`. */
  readonly name: string;
  /** Its `cluster-id`. */
  readonly id: number;
  /** Its nodes, sorted by name. */
  readonly nodes: readonly RemoteNode[];
  /** Its pods with an address from Cilium (not host-network), sorted by namespace/name. */
  readonly pods: readonly RemotePod[];
  /**
   * The EndpointSlices of its shared global services (`service.cilium.io/global: "true"` and not
   * `service.cilium.io/shared: "false"`), only their ready endpoints: what its
   * clustermesh-apiserver exports.
   */
  readonly globalSlices: readonly EndpointSlice[];
  /** Its shared global services (`namespace/name`, sorted). */
  readonly globalServices: readonly string[];
}

/**
 * The cluster mesh as one cluster sees it.
 *
 * @example
 * cluster.mesh?.remotes.map((r) => r.name); // ['east']
 */
export interface MeshView {
  /** This cluster's context name. */
  readonly context: string;
  /** The remote clusters this one is connected to, sorted by cluster name. */
  readonly remotes: readonly RemoteCluster[];
}

/** An annotation of a service, or its old alias. */
function annotation(svc: Service, key: string, alias: string): string | undefined {
  const a = svc.meta.annotations;
  return a[key] ?? a[alias];
}

/**
 * Whether a service is global (`service.cilium.io/global: "true"`, or the old alias
 * `io.cilium/global-service`; `annotation.GetAnnotationIncludeExternal`).
 *
 * @example
 * isGlobalService(svc); // true for the lab's webpod
 */
export function isGlobalService(svc: Service): boolean {
  return (annotation(svc, 'service.cilium.io/global', 'io.cilium/global-service') ?? '').toLowerCase() === 'true';
}

/**
 * Whether a global service is shared with the other clusters (`service.cilium.io/shared`,
 * default true for a global service; ignored on a service that is not global).
 *
 * @example
 * isSharedService(svc); // true unless annotated shared: "false"
 */
export function isSharedService(svc: Service): boolean {
  if (!isGlobalService(svc)) return false;
  const v = annotation(svc, 'service.cilium.io/shared', 'io.cilium/shared-service');
  return v === undefined ? true : v.toLowerCase() === 'true';
}

/**
 * The affinity of a global service (`service.cilium.io/affinity`: `local`, `remote`, `none`;
 * `none` when absent, when the service is not global, or when the value is none of these, as
 * Cilium logs `unrecognized service affinity value` and carries on).
 *
 * @example
 * serviceAffinity(svc); // 'local'
 */
export function serviceAffinity(svc: Service): 'none' | 'local' | 'remote' {
  if (!isGlobalService(svc)) return 'none';
  const v = (annotation(svc, 'service.cilium.io/affinity', 'io.cilium/service-affinity') ?? '').toLowerCase();
  return v === 'local' || v === 'remote' ? v : 'none';
}
