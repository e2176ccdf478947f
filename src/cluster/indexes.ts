/**
 * Indexes over a built {@link Cluster}, made once per cluster object and memoised (a `WeakMap`
 * keyed by the cluster, so they live as long as the cluster and never leak between scenarios):
 * EndpointSlices by service, nodes, CiliumNodes and hosts by name, pods by node, services sorted by
 * namespace/name, and a service's label set for advertisement selectors.
 *
 * Complexity: building is O(slices + nodes + hosts + pods + services log services), each lookup
 * O(1). Every stage that used to scan a whole list per (node, service) asks here instead.
 *
 * This is the one module-level memo of the pipeline below the twin, on purpose: the indexes are a
 * pure function of an immutable cluster object (the same cluster always gives the same indexes,
 * whatever was asked before), stages that take a bare `Cluster` (tests call them with stubs) reach
 * them without a twin, and a `WeakMap` drops them with the cluster.
 *
 * @module
 */
import type { CiliumNode, EndpointSlice, Host, Node, Pod, Service } from '../input/types.js';
import type { Cluster } from './types.js';
import { compareStrings } from '../net/compare.js';

/**
 * The indexes of one cluster (see {@link clusterIndexes}).
 *
 * @example
 * clusterIndexes(cluster).slicesOf('default', 'webpod').length; // 1
 */
export interface ClusterIndexes {
  /** The EndpointSlices of a service (its `kubernetes.io/service-name`), in cluster order. */
  slicesOf(namespace: string, service: string): readonly EndpointSlice[];
  /** A Node by name. */
  node(name: string): Node | undefined;
  /** A CiliumNode by name. */
  ciliumNode(name: string): CiliumNode | undefined;
  /** A host (given or derived) by name. */
  host(name: string): Host | undefined;
  /** The scenario's pods bound to a node (`spec.nodeName`), in scenario order. */
  podsOn(node: string): readonly Pod[];
  /** True when the scenario gives a Host of that name (not derived). */
  isGivenHost(name: string): boolean;
  /**
   * The active (ready) backends of a service for one family, as the load balancer and the BGP
   * advertisements see them: whether there is one at all, and the nodes that have one. Built on
   * first use in one pass over the EndpointSlices (FQDN slices and disabled families left out).
   */
  activeBackends(namespace: string, service: string, afi: 'ipv4' | 'ipv6'): ActiveBackends;
  /** The scenario's node names, sorted. */
  readonly sortedNodeNames: readonly string[];
  /** The scenario's services sorted by `namespace/name` (namespace as written, '' when absent). */
  readonly sortedServices: readonly Service[];
  /**
   * The labels a service is matched with by BGP advertisement selectors: its own plus
   * `io.kubernetes.service.name` and `io.kubernetes.service.namespace` (memoised per service).
   */
  serviceLabels(svc: Service): Readonly<Record<string, string>>;
  /**
   * A value derived from this cluster alone, computed once per (`what`, `id`) and kept with the
   * indexes (e.g. a node's `cilium_host` address, read by several stages per node). `compute`
   * must be a pure function of the cluster, so the value never depends on what was asked before.
   */
  derived<T>(what: string, id: string, compute: () => T): T;
}

/**
 * A service's active backends in one family (see {@link ClusterIndexes.activeBackends}).
 *
 * @example
 * const b: ActiveBackends = { any: true, nodes: new Set(['k8s-w1']) };
 */
export interface ActiveBackends {
  /** At least one endpoint is ready. */
  readonly any: boolean;
  /** Nodes with a ready endpoint. */
  readonly nodes: ReadonlySet<string>;
}

const NO_BACKENDS: ActiveBackends = { any: false, nodes: new Set() };

function activeBackendIndex(cluster: Cluster): Map<string, { ipv4: { any: boolean; nodes: Set<string> }; ipv6: { any: boolean; nodes: Set<string> } }> {
  const enabled = { ipv4: cluster.config?.enableIPv4 ?? true, ipv6: cluster.config?.enableIPv6 ?? false };
  const ix = new Map<string, { ipv4: { any: boolean; nodes: Set<string> }; ipv6: { any: boolean; nodes: Set<string> } }>();
  for (const slice of cluster.endpointSlices ?? []) {
    if (slice.addressType === 'FQDN') continue;
    const k = key(slice.meta.namespace ?? 'default', slice.serviceName);
    let e = ix.get(k);
    if (e === undefined) {
      e = { ipv4: { any: false, nodes: new Set() }, ipv6: { any: false, nodes: new Set() } };
      ix.set(k, e);
    }
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      for (const afi of ['ipv4', 'ipv6'] as const) {
        if (!enabled[afi] || !ep.addresses.some((a) => (a.bitSize === 32) === (afi === 'ipv4'))) continue;
        e[afi].any = true;
        if (ep.nodeName !== undefined) e[afi].nodes.add(ep.nodeName);
      }
    }
  }
  return ix;
}

const cache = new WeakMap<Cluster, ClusterIndexes>();

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}

function build(cluster: Cluster): ClusterIndexes {
  const slices = new Map<string, EndpointSlice[]>();
  for (const s of cluster.endpointSlices ?? []) {
    const k = key(s.meta.namespace ?? 'default', s.serviceName);
    const list = slices.get(k);
    if (list === undefined) slices.set(k, [s]);
    else list.push(s);
  }
  const firstBy = <T extends { readonly meta: { readonly name: string } }>(xs: readonly T[]): Map<string, T> => {
    const m = new Map<string, T>();
    for (const x of xs) if (!m.has(x.meta.name)) m.set(x.meta.name, x);
    return m;
  };
  const nodes = firstBy(cluster.scenario?.nodes ?? []);
  const ciliumNodes = firstBy(cluster.ciliumNodes ?? []);
  const hosts = firstBy(cluster.hosts ?? []);
  const pods = new Map<string, Pod[]>();
  for (const p of cluster.scenario?.pods ?? []) {
    if (p.nodeName === undefined) continue;
    const list = pods.get(p.nodeName);
    if (list === undefined) pods.set(p.nodeName, [p]);
    else list.push(p);
  }
  const given = new Set((cluster.scenario?.hosts ?? []).map((h) => h.meta.name));
  const sortKey = (s: Service): string => `${s.meta.namespace ?? ''}/${s.meta.name}`;
  const sortedServices = [...(cluster.scenario?.services ?? [])].sort((a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    return compareStrings(ka, kb);
  });
  const labels = new WeakMap<Service, Readonly<Record<string, string>>>();
  let active: ReturnType<typeof activeBackendIndex> | undefined;
  const derived = new Map<string, Map<string, unknown>>();
  return {
    derived<T>(what: string, id: string, compute: () => T): T {
      let m = derived.get(what);
      if (m === undefined) derived.set(what, (m = new Map()));
      if (m.has(id)) return m.get(id) as T;
      const v = compute();
      m.set(id, v);
      return v;
    },
    activeBackends(ns, name, afi) {
      active ??= activeBackendIndex(cluster);
      return active.get(key(ns, name))?.[afi] ?? NO_BACKENDS;
    },
    slicesOf: (ns, name) => slices.get(key(ns, name)) ?? [],
    node: (name) => nodes.get(name),
    ciliumNode: (name) => ciliumNodes.get(name),
    host: (name) => hosts.get(name),
    podsOn: (name) => pods.get(name) ?? [],
    isGivenHost: (name) => given.has(name),
    sortedServices,
    sortedNodeNames: (cluster.scenario?.nodes ?? []).map((n) => n.meta.name).sort(),
    serviceLabels(svc) {
      let l = labels.get(svc);
      if (l === undefined) {
        l = {
          ...svc.meta.labels,
          'io.kubernetes.service.name': svc.meta.name,
          'io.kubernetes.service.namespace': svc.meta.namespace ?? 'default',
        };
        labels.set(svc, l);
      }
      return l;
    },
  };
}

/**
 * The memoised indexes of a cluster: built on first use, then shared by every stage asking about
 * the same cluster object.
 *
 * @example
 * ```ts
 * const ix = clusterIndexes(cluster);
 * ix.ciliumNode('k8s-w1')?.podCIDRs; // [172.20.1.0/24]
 * ```
 */
export function clusterIndexes(cluster: Cluster): ClusterIndexes {
  let ix = cache.get(cluster);
  if (ix === undefined) {
    ix = build(cluster);
    cache.set(cluster, ix);
  }
  return ix;
}
