/**
 * The workloads stage: a cluster as people write it → the objects the API server, the
 * controllers, the scheduler and Cilium's IPAM would have made of it. It sits between the cluster
 * stage and LB IPAM: {@link buildWorkloads} takes a {@link Cluster} and returns the cluster every
 * later stage reads, its scenario completed with:
 *
 * 1. the controllers' objects (`controllers.ts`): a Deployment's ReplicaSet, the pods of
 *    ReplicaSets, DaemonSets and StatefulSets, named as Kubernetes names them (`names.ts`);
 * 2. a node for every pod without one (`schedule.ts`), or Pending with the scheduler's message;
 * 3. pod addresses from the IPAM mode (`pod-ips.ts`), and in `cluster-pool` mode the CiliumNodes
 *    with the operator's pod CIDRs;
 * 4. the API server's defaults for Services (`services.ts`): cluster IPs, node ports, health
 *    check node ports and `default/kubernetes`;
 *
 * after which the cluster stage derives EndpointSlices from the ready pods as before. Whatever the
 * scenario gives explicitly (a pod's node and addresses, a node's pod CIDRs, a service's cluster
 * IP and node ports, EndpointSlices) is kept, so a hand-written scenario keeps its answers.
 *
 * The result is a pure function of the scenario: document order does not matter (the input
 * stage sorts every list), pods are created in the order of their controllers (namespace, name,
 * kind) and scheduled in that order after the given bare pods.
 *
 * Complexity: O(C + N·S + P log N) for C controllers, P pods on N nodes and S distinct static
 * scheduling signatures (taints, selectors, node affinity); pods with required (anti-)affinity
 * or topology spread cost what their terms select, and O(N) only when every node holding none of
 * their owner's pods is rejected (see `schedule.ts`); a DaemonSet's pods O(1) each beyond its
 * O(N) controller; addresses O(P); services O(S). When every pod names its node the scheduler
 * is not run at all (nothing to place: no index of the placed pods is built). Measured by `bench/workloads.ts` (5,000 nodes,
 * 100,000 pods; docs/performance.md).
 *
 * @module
 */
import type { CiliumNode, Container, IpAddress, IpPrefix, Pod, Scenario } from '../input/types.js';
import type { CiliumConfig, Cluster } from '../cluster/types.js';
import { buildCluster } from '../cluster/build.js';
import { ciliumConfigFrom } from '../cluster/config.js';
import { familyOf, formatIp } from '../net/addr.js';
import { runControllers, type DesiredPod } from './controllers.js';
import { schedule, type HostPortClaim, type PlacedPod, type PodToPlace, type Placement } from './schedule.js';
import { NodeAllocator, allocateClusterPool } from './pod-ips.js';
import { applyServiceDefaults } from './services.js';
import { NO_SCHEDULING } from '../input/kinds/workloads.js';
import { compareStrings } from '../net/compare.js';
import { multiPoolPlan } from './multi-pool-plan.js';
import { DEFAULT_POOL } from './multi-pool.js';

export { templateHash, randomSuffix, fnv1a32, safeEncode, podUid, SAFE_ALPHABET } from './names.js';
export { schedule, fitError, tolerates, untoleratedTaint, nodeAffinityMatches } from './schedule.js';
export type { PodToPlace, PlacedPod, Placement, HostPortClaim } from './schedule.js';
export { runControllers, replicaSetFor, daemonSetTolerations } from './controllers.js';
export type { DesiredPod, ControllerOutput } from './controllers.js';
export { NodeAllocator, allocateClusterPool } from './pod-ips.js';
export { applyServiceDefaults, serviceRange, DEFAULT_SERVICE_CIDR, NODE_PORT_RANGE } from './services.js';
export type { ServiceDefaults } from './services.js';
export {
  podPool,
  preAllocation,
  neededIPCeil,
  allocatePoolCidrs,
  MultiPoolNode,
  IP_POOL_ANNOTATION,
  DEFAULT_POOL,
} from './multi-pool.js';
export type { NodePoolAllocation, PoolCidrAllocation } from './multi-pool.js';

/** What {@link expandWorkloads} makes of a scenario. */
export interface WorkloadsResult {
  /** The completed scenario. */
  readonly scenario: Scenario;
  /** Warnings (pods without an address, full ranges). */
  readonly warnings: readonly string[];
}


const byMeta = (a: { meta: { namespace?: string; name: string } }, b: { meta: { namespace?: string; name: string } }) =>
  compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name);

function controllerOf(p: Pod): { kind: string; name: string } | undefined {
  return p.ownerReferences?.find((o) => o.controller);
}

/**
 * The IPv4 pools of `cluster-pool-ipv4-cidr` and the mask size (defaults `10.0.0.0/8`, 24).
 *
 * @example
 * clusterPoolOf(config); // { pools: ['10.0.0.0/8'], maskSize: 24 }
 */
export function clusterPoolOf(config: CiliumConfig): { pools: string[]; maskSize: number } {
  return { pools: [...config.clusterPoolIPv4Cidrs], maskSize: config.clusterPoolIPv4MaskSize };
}

/**
 * Completes a scenario with what the controllers, the scheduler, IPAM and the API server make
 * (see the module doc). Pure and total.
 *
 * @example
 * ```ts
 * const r = expandWorkloads(scenario, ciliumConfigFrom(scenario.ciliumConfig));
 * r.scenario.pods.map((p) => `${p.meta.name} ${p.nodeName ?? '<none>'}`);
 * ```
 */
export function expandWorkloads(scenario: Scenario, config: CiliumConfig): WorkloadsResult {
  const warnings: string[] = [];
  const nodes = [...scenario.nodes].sort(byMeta);
  const given = scenario.pods;

  // 1. controllers
  const owned = new Map<string, number>();
  for (const p of given) {
    const c = controllerOf(p);
    if (c === undefined) continue;
    const ns = p.meta.namespace ?? 'default';
    const k = `${c.kind}\u0000${ns}\u0000${c.name}`;
    owned.set(k, (owned.get(k) ?? 0) + 1);
    if (c.kind === 'StatefulSet') owned.set(`StatefulSet#${p.meta.name}\u0000${ns}\u0000${c.name}`, 1);
  }
  const ctl = runControllers(scenario.controllers ?? [], nodes, (kind, ns, name) => owned.get(`${kind}\u0000${ns}\u0000${name}`) ?? 0);

  // 2. scheduling
  const live = (p: Pod) => p.phase !== 'Succeeded' && p.phase !== 'Failed';
  type New = { readonly pod: Pod | DesiredPod; readonly given: boolean };
  const unbound: New[] = [];
  const bound: { item: New; node: string }[] = [];
  for (const p of given) if (p.nodeName === undefined && live(p) && p.pendingMessage === undefined) unbound.push({ pod: p, given: true });
  const created: New[] = ctl.pods.map((d) => ({ pod: d, given: false }));
  const toPlace: New[] = [];
  for (const it of [...unbound, ...created]) {
    const d = it.pod as DesiredPod;
    if (!it.given && d.template.nodeName !== undefined) bound.push({ item: it, node: d.template.nodeName });
    else toPlace.push(it);
  }
  // The pods already on a node, which the scheduler reads only when it places a pod (a
  // cluster whose pods all name their node skips it: 100,000 objects less).
  const placedPods = (): PlacedPod[] => {
    const placed: PlacedPod[] = given
      .filter((p) => p.nodeName !== undefined && live(p))
      .map((p) => ({
        namespace: p.meta.namespace ?? 'default',
        labels: p.meta.labels,
        nodeName: p.nodeName!,
        owner: ownerKey(p.meta.namespace ?? 'default', controllerOf(p), p.meta.name),
        antiAffinity: p.scheduling?.podAntiAffinity ?? [],
        ...hostPortsOf(p.containers),
      }));
    // pods pinned by nodeName count as placed before the scheduler runs
    for (const b of bound) {
      const d = b.item.pod as DesiredPod;
      placed.push({ namespace: d.namespace, labels: d.labels, nodeName: b.node, owner: ownerKey(d.namespace, d.owner, d.name), antiAffinity: d.scheduling.podAntiAffinity, ...hostPortsOf(d.template.containers) });
    }
    return placed;
  };
  const requests: PodToPlace[] = toPlace.map((it) => {
    if (it.given) {
      const p = it.pod as Pod;
      const ns = p.meta.namespace ?? 'default';
      return { key: `${ns}/${p.meta.name}`, namespace: ns, labels: p.meta.labels, scheduling: p.scheduling ?? NO_SCHEDULING, owner: ownerKey(ns, controllerOf(p), p.meta.name), ...hostPortsOf(p.containers) };
    }
    const d = it.pod as DesiredPod;
    return { key: `${d.namespace}/${d.name}`, namespace: d.namespace, labels: d.labels, scheduling: d.scheduling, owner: ownerKey(d.namespace, d.owner, d.name), ...hostPortsOf(d.template.containers) };
  });
  // the scheduler places each request in order and answers only for them: nothing to place, nothing to ask
  const placements: Placement[] = requests.length === 0 ? [] : schedule(nodes, placedPods(), requests);

  // 3. node CIDRs
  const givenCn = new Map(scenario.ciliumNodes.map((c) => [c.meta.name, c] as const));
  const cidrsOf = new Map<string, readonly IpPrefix[]>();
  const need: string[] = [];
  for (const n of nodes) {
    const c = givenCn.get(n.meta.name)?.podCIDRs;
    const cidrs = c !== undefined && c.length > 0 ? c : n.podCIDRs;
    if (cidrs.length > 0) cidrsOf.set(n.meta.name, cidrs);
    else need.push(n.meta.name);
  }
  const derivedCn: CiliumNode[] = [];
  if (config.ipam === 'cluster-pool' && need.length > 0) {
    const { pools, maskSize } = clusterPoolOf(config);
    const inUse = [...cidrsOf.values()].flat();
    const blocks = allocateClusterPool(pools, maskSize, inUse, need.length);
    need.forEach((name, i) => {
      const b = blocks[i];
      if (b === undefined) {
        warnings.push(`Node ${name}: cluster-pool ${pools.join(',')} has no /${maskSize} left: its pods get no address`);
        return;
      }
      cidrsOf.set(name, [b]);
      const node = nodes.find((n) => n.meta.name === name)!;
      derivedCn.push({
        meta: { name, labels: node.meta.labels, annotations: Object.create(null) as Record<string, string> },
        podCIDRs: [b],
        addresses: node.addresses.map((a) => ({ type: a.type, ip: a.address })),
      });
    });
  }

  // 3b. multi-pool IPAM: pools per pod, the operator's CIDRs per node (multi-pool.ts)
  const multi = config.ipam === 'multi-pool' ? multiPoolPlan(scenario, config, nodes, given, bound.map((b) => ({ pod: b.item.pod, node: b.node })), toPlace.flatMap((it, i) => {
    const pl = placements[i]!;
    return 'node' in pl ? [{ pod: it.pod, node: pl.node }] : [];
  })) : undefined;
  if (multi !== undefined) {
    warnings.push(...multi.warnings);
    derivedCn.push(...multi.ciliumNodes);
  }

  // 4. addresses: given ones reserved, then in order of creation
  const allocators = new Map<string, NodeAllocator[]>();
  // given pods' addresses by node (what each node's allocator must not hand out), made once
  let reserved: Map<string, IpAddress[]> | undefined;
  const reservedOn = (): Map<string, IpAddress[]> => {
    if (reserved !== undefined) return reserved;
    reserved = new Map();
    for (const p of given) {
      if (p.nodeName === undefined || p.hostNetwork || p.podIPs.length === 0) continue;
      const l = reserved.get(p.nodeName);
      if (l === undefined) reserved.set(p.nodeName, [...p.podIPs]);
      else l.push(...p.podIPs);
    }
    return reserved;
  };
  const allocatorsOf = (node: string): NodeAllocator[] => {
    let a = allocators.get(node);
    if (a !== undefined) return a;
    const cidrs = cidrsOf.get(node) ?? [];
    const reserved = reservedOn().get(node) ?? [];
    const v4 = cidrs.filter((c) => familyOf(c) === 4);
    const v6 = cidrs.filter((c) => familyOf(c) === 6);
    a = [v4[0], v6[0]].filter((c): c is IpPrefix => c !== undefined).map((c) => new NodeAllocator(c, reserved.filter((r) => familyOf(r) === familyOf(c))));
    allocators.set(node, a);
    return a;
  };
  const nodeByName = new Map(nodes.map((n) => [n.meta.name, n] as const));
  const noAddress = new Set<string>();
  const addressOf = (node: string, hostNetwork: boolean, pool?: string): IpAddress[] => {
    if (hostNetwork) {
      const n = nodeByName.get(node);
      const internal = n?.addresses.filter((a) => a.type === 'InternalIP') ?? [];
      const pick = internal.length > 0 ? internal : (n?.addresses ?? []);
      const v4 = pick.find((a) => familyOf(a.address) === 4)?.address;
      const v6 = pick.find((a) => familyOf(a.address) === 6)?.address;
      return [v4, v6].filter((a): a is IpAddress => a !== undefined);
    }
    if (!nodeByName.has(node)) return [];
    if (multi !== undefined) {
      const got = multi.node(node).next(pool ?? DEFAULT_POOL);
      if (got.length === 0) noAddress.add(node);
      return got;
    }
    const out = allocatorsOf(node)
      .map((al) => al.next())
      .filter((a): a is IpAddress => a !== undefined);
    if (out.length === 0) noAddress.add(node);
    return out;
  };

  const pods: Pod[] = [];
  const toPod = (it: New, node: string | undefined, pending: string | undefined): Pod => {
    if (it.given) {
      const p = it.pod as Pod;
      if (pending !== undefined) return { ...p, phase: 'Pending', ready: false, podIPs: [], pendingMessage: pending };
      const podIPs = p.podIPs.length > 0 ? p.podIPs : addressOf(node!, p.hostNetwork, multi?.poolOf(p));
      return { ...p, nodeName: node!, podIPs, ...(podIPs.length === 0 ? { phase: 'Pending' as const, ready: false } : {}) };
    }
    const d = it.pod as DesiredPod;
    const common = {
      meta: { name: d.name, namespace: d.namespace, labels: d.labels, annotations: d.annotations },
      hostNetwork: d.template.hostNetwork,
      containers: d.template.containers,
      terminating: false,
      scheduling: d.scheduling,
      ownerReferences: [d.owner],
    };
    if (pending !== undefined) return { ...common, podIPs: [], phase: 'Pending', ready: false, pendingMessage: pending };
    const podIPs = addressOf(node!, d.template.hostNetwork, multi?.poolOf({ meta: common.meta }));
    return { ...common, nodeName: node!, podIPs, phase: podIPs.length > 0 ? 'Running' : 'Pending', ready: podIPs.length > 0 };
  };
  // given pods that are bound and have (or need) addresses
  for (const p of given) {
    if (p.nodeName !== undefined && p.podIPs.length === 0 && live(p) && !p.hostNetwork && nodeByName.has(p.nodeName)) {
      pods.push(toPod({ pod: p, given: true }, p.nodeName, undefined));
    } else if (p.nodeName !== undefined && p.podIPs.length === 0 && live(p) && p.hostNetwork) {
      pods.push({ ...p, podIPs: addressOf(p.nodeName, true) });
    } else if (p.nodeName !== undefined || !live(p) || p.pendingMessage !== undefined) pods.push(p);
  }
  for (const b of bound) pods.push(toPod(b.item, b.node, undefined));
  toPlace.forEach((it, i) => {
    const pl = placements[i]!;
    pods.push('node' in pl ? toPod(it, pl.node, undefined) : toPod(it, undefined, pl.pending));
  });
  for (const n of [...noAddress].sort()) {
    warnings.push(
      multi !== undefined
        ? `Node ${n}: some pods get no address (their pool has no CIDR on the node)`
        : config.ipam === 'kubernetes' && !cidrsOf.has(n)
        ? `Node ${n} has no spec.podCIDRs (ipam kubernetes reads them): its pods get no address`
        : `Node ${n}: no pod address left in its pod CIDRs: some of its pods get no address`,
    );
  }

  // 5. services
  const svc = applyServiceDefaults(scenario.services, nodes, scenario.serviceCIDRs ?? [], scenario.endpointSlices, scenario.ciliumConfig);
  warnings.push(...svc.warnings);

  const out: Scenario = {
    ...scenario,
    pods: pods.sort(byMeta),
    services: svc.services,
    endpointSlices: [...scenario.endpointSlices, ...svc.slices].sort(byMeta),
    ciliumNodes: [...scenario.ciliumNodes, ...derivedCn].sort(byMeta),
    controllers: [...(scenario.controllers ?? []), ...ctl.replicaSets].sort((a, b) => byMeta(a, b) || compareStrings(a.kind, b.kind)),
  };
  return { scenario: out, warnings };
}

/** The host ports of a pod's containers, as the NodePorts filter reads them (none: no field). */
function hostPortsOf(containers: readonly Container[]): { hostPorts?: readonly HostPortClaim[] } {
  const out: HostPortClaim[] = [];
  for (const c of containers) {
    for (const p of c.ports) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      out.push({ port: p.hostPort, protocol: p.protocol, hostIP: p.hostIP !== undefined ? formatIp(p.hostIP) : '0.0.0.0' });
    }
  }
  return out.length > 0 ? { hostPorts: out } : {};
}

function ownerKey(ns: string, owner: { kind: string; name: string } | undefined, self: string): string {
  return owner === undefined ? `Pod/${ns}/${self}` : `${owner.kind}/${ns}/${owner.name}`;
}

/**
 * The workloads stage on a built cluster: expands the scenario (see {@link expandWorkloads}) and
 * rebuilds the cluster from it, with the stage's warnings added.
 *
 * @example
 * ```ts
 * const cluster = buildWorkloads(buildCluster(scenario));
 * cluster.scenario.pods.length; // the given pods plus those the controllers made
 * ```
 */
export function buildWorkloads(cluster: Cluster): Cluster {
  const r = expandWorkloads(cluster.scenario, cluster.config);
  const next = buildCluster(r.scenario);
  return { ...next, warnings: [...next.warnings, ...r.warnings], given: cluster.given ?? cluster.scenario };
}

/**
 * Scenario → the cluster every later stage reads: {@link buildCluster} then {@link buildWorkloads}.
 *
 * @example
 * const cluster = buildWorkloadCluster(scenario);
 */
export function buildWorkloadCluster(scenario: Scenario): Cluster {
  // The same as buildWorkloads(buildCluster(scenario)) without building the given cluster,
  // of which only the configuration is read (and its warnings are dropped).
  const r = expandWorkloads(scenario, ciliumConfigFrom(scenario.ciliumConfig));
  const next = buildCluster(r.scenario);
  return { ...next, warnings: [...next.warnings, ...r.warnings], given: scenario };
}
