/**
 * Topology-aware routing in Cilium 1.18's load balancer (`--enable-service-topology`, Helm
 * `loadBalancer.serviceTopology`): for a service that prefers close backends
 * ({@link ciliumPrefersClose}), a node keeps only the backends whose `hints.forZones` name its
 * zone; backends without hints, and every backend on a node without a zone label, stay. There is
 * no fallback to other zones in 1.18 (`pkg/loadbalancer/tests/testdata/topology-aware.txtar`: a
 * node whose zone no hint names gets no backend); the fallback is the EndpointSlice controller's,
 * which removes every hint when it cannot balance the zones (`src/cluster/topology-hints.ts`).
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import { nodeZone } from '../../cluster/topology-hints.js';
import type { Service } from '../../input/types.js';

export { ciliumPrefersClose } from '../../cluster/topology-hints.js';

/**
 * `enable-service-topology` (default false).
 *
 * @example
 * serviceTopologyEnabled(cluster); // false in the bgp-lab
 */
export function serviceTopologyEnabled(cluster: Cluster): boolean {
  return cluster.config.enableServiceTopology;
}

/**
 * A node's zone (its `topology.kubernetes.io/zone` label).
 *
 * @example
 * nodeZoneOf(cluster, 'k8s-w1'); // 'zone-b'
 */
export function nodeZoneOf(cluster: Cluster, node: string): string | undefined {
  return nodeZone(clusterIndexes(cluster).node(node));
}

/**
 * Whether a backend with these hints serves a node of `zone`.
 *
 * @example
 * inZone(['zone-a'], 'zone-b'); // false
 * inZone(undefined, 'zone-b'); // true
 */
export function inZone(forZones: readonly string[] | undefined, zone: string | undefined): boolean {
  if (forZones === undefined || forZones.length === 0 || zone === undefined) return true;
  return forZones.includes(zone);
}

/**
 * The node's zone as a settings field (`{}` when the node has none).
 *
 * @example
 * zoneSetting(cluster, 'k8s-w1'); // { zone: 'zone-b' }
 */
export function zoneSetting(cluster: Cluster, node: string): { zone?: string } {
  const z = nodeZoneOf(cluster, node);
  return z === undefined ? {} : { zone: z };
}

/** The service annotation and node label of node exposure. */
export const NODE_EXPOSURE = 'service.cilium.io/node';

/**
 * A service's `service.cilium.io/node` annotation as a props field (`{}` without it).
 *
 * @example
 * nodeExposure(svc); // { exposeOn: 'edge' }
 */
export function nodeExposure(svc: Service): { exposeOn?: string } {
  const v = svc.meta.annotations[NODE_EXPOSURE];
  return v === undefined || v === '' ? {} : { exposeOn: v };
}

/**
 * A node's `service.cilium.io/node` label as a settings field.
 *
 * @example
 * nodeExposureLabel(cluster, 'k8s-w0'); // { nodeLabel: 'edge' }
 */
export function nodeExposureLabel(cluster: Cluster, node: string): { nodeLabel?: string } {
  const v = clusterIndexes(cluster).node(node)?.meta.labels[NODE_EXPOSURE];
  return v === undefined ? {} : { nodeLabel: v };
}

/**
 * Whether a service with `service.cilium.io/node: exposeOn` has frontends on a node labelled
 * `nodeLabel` (`svc-node-exposure.txtar`: only when they are equal; no annotation: everywhere).
 *
 * @example
 * exposedOn('edge', 'edge'); // true
 * exposedOn('edge', undefined); // false
 */
export function exposedOn(exposeOn: string | undefined, nodeLabel: string | undefined): boolean {
  return exposeOn === undefined || exposeOn === nodeLabel;
}
