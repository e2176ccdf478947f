/**
 * Topology-aware routing on the Kubernetes side: the zone and hints the EndpointSlice controller
 * writes on each endpoint (`k8s.io/endpointslice` `trafficdist` and `topologycache`), and
 * whether Cilium's load balancer prefers close backends for a service.
 *
 * - **Zone**: the node's `topology.kubernetes.io/zone` label.
 * - **`service.kubernetes.io/topology-mode: Auto`** (or the deprecated
 *   `service.kubernetes.io/topology-aware-hints: Auto`), which wins over `trafficDistribution`:
 *   the topology cache gives each zone a share of the ready endpoints in proportion to its
 *   nodes' allocatable CPU (the twin gives every node the same CPU; see docs/decisions.md), with
 *   a 20 % overload threshold: a zone must get at least `ceil(desired / 1.2)` endpoints and at
 *   most `ceil(desired × 1.2)`. Endpoints are hinted for their own zone, then endpoints of zones
 *   above their desired share move to zones below their minimum. Hints are removed (every node
 *   then uses every endpoint) when a node has no zone, a ready endpoint has no zone, there are
 *   fewer ready endpoints than zones, or a zone still falls outside its bounds.
 * - **`trafficDistribution: PreferClose`** (and `PreferSameZone`): each ready endpoint with a
 *   zone is hinted for its own zone.
 *
 * Complexity: O(endpoints) per service, plus O(nodes) for a service with automatic hints.
 *
 * @module
 */
import type { Endpoint, Node, Service } from '../input/types.js';

/** The node label with the zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** The annotation that asks for topology-aware routing. */
export const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
/** The deprecated annotation for the same. */
export const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';

const OVERLOAD = 0.2;

/**
 * Which heuristic the EndpointSlice controller runs for a service: `auto` (topology cache),
 * `prefer-close` (`trafficDistribution`), or none (hints removed).
 *
 * @example
 * controllerHints(svc); // 'auto' with topology-mode: Auto
 */
export function controllerHints(svc: Service): 'auto' | 'prefer-close' | undefined {
  const a = svc.meta.annotations;
  const mode = a[TOPOLOGY_MODE_ANNOTATION] ?? a[TOPOLOGY_HINTS_ANNOTATION];
  if (mode === 'Auto' || mode === 'auto') return 'auto';
  const td = svc.trafficDistribution;
  if (td === 'PreferClose' || td === 'PreferSameZone' || td === 'PreferSameNode') return 'prefer-close';
  return undefined;
}

/**
 * Whether Cilium's load balancer filters a service's backends by zone (`TrafficDistribution =
 * PreferClose` in `pkg/loadbalancer`): `internalTrafficPolicy` is not Local and the
 * `topology-aware-hints` annotation, else a `topology-mode` other than empty/`disabled`, or
 * `trafficDistribution: PreferClose`, asks for it.
 *
 * @example
 * ciliumPrefersClose(svc); // true
 */
export function ciliumPrefersClose(svc: Service): boolean {
  if (svc.internalTrafficPolicy === 'Local') return false;
  const a = svc.meta.annotations;
  const hints = a[TOPOLOGY_HINTS_ANNOTATION];
  if (hints !== undefined) return hints !== '' && hints !== 'disabled' && hints !== 'Disabled';
  const mode = a[TOPOLOGY_MODE_ANNOTATION];
  if (mode !== undefined && mode !== '' && mode !== 'disabled' && mode !== 'Disabled') return true;
  return svc.trafficDistribution === 'PreferClose' || svc.trafficDistribution === 'PreferSameZone';
}

/** A node's zone, when labelled. */
export function nodeZone(node: Node | undefined): string | undefined {
  const z = node?.meta.labels[ZONE_LABEL];
  return z === undefined || z === '' ? undefined : z;
}

/**
 * The endpoints of one service and address family with the controller's hints (see the module
 * doc); `nodes` are the cluster's nodes (for the zones and their shares), or a function listing
 * them, called only for automatic hints.
 *
 * @example
 * withHints(svc, endpoints, nodes).map((e) => e.forZones); // [['zone-a'], ['zone-b']]
 */
export function withHints(svc: Service, endpoints: readonly Endpoint[], nodes: readonly Node[] | (() => readonly Node[])): Endpoint[] {
  const mode = controllerHints(svc);
  const strip = (e: Endpoint): Endpoint => {
    if (e.forZones === undefined) return e;
    const { forZones: _f, ...rest } = e;
    return rest;
  };
  if (mode === undefined) return endpoints.map(strip);
  if (mode === 'prefer-close') return endpoints.map((e) => (e.ready && e.zone !== undefined ? { ...e, forZones: [e.zone] } : strip(e)));
  // the cluster's nodes are read only for automatic hints (a list, or a function making it)
  const hinted = autoHints(endpoints, typeof nodes === 'function' ? nodes() : nodes);
  return hinted ?? endpoints.map(strip);
}

/** The topology cache's hints, or `undefined` when it removes them. */
function autoHints(endpoints: readonly Endpoint[], nodes: readonly Node[]): Endpoint[] | undefined {
  const readyNodes = nodes.filter((n) => n.ready);
  if (readyNodes.length === 0 || readyNodes.some((n) => nodeZone(n) === undefined)) return undefined;
  const cpu = new Map<string, number>();
  for (const n of readyNodes) cpu.set(nodeZone(n)!, (cpu.get(nodeZone(n)!) ?? 0) + 1);
  const total = readyNodes.length;
  const ready = endpoints.filter((e) => e.ready);
  if (ready.some((e) => e.zone === undefined)) return undefined;
  if (ready.length < cpu.size) return undefined;
  const zones = [...cpu.keys()].sort();
  const alloc = new Map<string, { min: number; max: number; desired: number }>();
  for (const z of zones) {
    const desired = (cpu.get(z)! / total) * ready.length;
    const min = Math.ceil(desired / (1 + OVERLOAD));
    if (min === 0) return undefined;
    alloc.set(z, { min, max: Math.ceil(desired * (1 + OVERLOAD)), desired: Math.max(desired, min) });
  }
  // own zone first (endpoints of zones without nodes count as surplus of no zone: no hints)
  const assigned = new Map<Endpoint, string>();
  for (const e of ready) {
    if (!alloc.has(e.zone!)) return undefined;
    assigned.set(e, e.zone!);
  }
  const count = (z: string) => [...assigned.values()].filter((x) => x === z).length;
  for (const low of zones) {
    while (count(low) < alloc.get(low)!.min) {
      const donor = zones
        .filter((z) => z !== low && count(z) - 1 >= alloc.get(z)!.desired)
        .sort((a, b) => count(b) - alloc.get(b)!.desired - (count(a) - alloc.get(a)!.desired) || (a < b ? -1 : 1))[0];
      if (donor === undefined) break;
      const moved = [...assigned.entries()].filter(([, z]) => z === donor).at(-1)![0];
      assigned.set(moved, low);
    }
  }
  for (const z of zones) {
    const c = count(z);
    if (c < alloc.get(z)!.min || c > alloc.get(z)!.max) return undefined;
  }
  return endpoints.map((e) => {
    const z = assigned.get(e);
    if (z !== undefined) return { ...e, forZones: [z] };
    if (e.forZones === undefined) return e;
    const { forZones: _f, ...rest } = e;
    return rest;
  });
}
