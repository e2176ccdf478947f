/**
 * The multi-pool IPAM step of the workloads stage: which pods use which pool on which node, the
 * operator's CIDRs per node ({@link allocatePoolCidrs}), the CiliumNodes that carry them, and the
 * per-node address allocators ({@link MultiPoolNode}). See `multi-pool.ts` for the rules.
 *
 * Complexity: O(nodes × pools + pods).
 *
 * @module
 */
import type { CiliumConfig } from '../cluster/types.js';
import type { CiliumNode, IpAddress, Namespace, Node, Pod, Scenario } from '../input/types.js';
import type { DesiredPod } from './controllers.js';
import { DEFAULT_POOL, MultiPoolNode, allocatePoolCidrs, podPool, preAllocation } from './multi-pool.js';

/** What {@link multiPoolPlan} returns. */
export interface MultiPoolPlan {
  /** The pool of a pod (by its annotations and its namespace's). */
  poolOf(pod: { readonly meta: { readonly namespace?: string; readonly annotations: Readonly<Record<string, string>> } }): string;
  /** The address allocators of a node. */
  node(name: string): MultiPoolNode;
  /** CiliumNodes for the nodes without a given one: the pools' CIDRs and the router address. */
  readonly ciliumNodes: readonly CiliumNode[];
  /** The operator's errors and the pods left without a pool. */
  readonly warnings: readonly string[];
}

/**
 * Plans multi-pool IPAM for a scenario: `placed` are the created pods with their nodes (bound by
 * template or by the scheduler), `given` the scenario's pods (those with addresses keep them).
 *
 * @example
 * const plan = multiPoolPlan(scenario, config, nodes, scenario.pods, [], []);
 * plan.node('k8s-w1').next('default');
 */
export function multiPoolPlan(
  scenario: Scenario,
  config: CiliumConfig,
  nodes: readonly Node[],
  given: readonly Pod[],
  bound: readonly { readonly pod: Pod | DesiredPod; readonly node: string }[],
  placed: readonly { readonly pod: Pod | DesiredPod; readonly node: string }[],
): MultiPoolPlan {
  const namespaces = new Map<string, Namespace>(scenario.namespaces.map((n) => [n.meta.name, n] as const));
  const poolOf: MultiPoolPlan['poolOf'] = (pod) => podPool(pod.meta.annotations, namespaces.get(pod.meta.namespace ?? 'default'));
  const metaOf = (p: Pod | DesiredPod) =>
    'meta' in p ? p.meta : { name: p.name, namespace: p.namespace, annotations: p.annotations };
  const hostNet = (p: Pod | DesiredPod) => ('meta' in p ? p.hostNetwork : p.template.hostNetwork);

  const nodeNames = new Set(nodes.map((n) => n.meta.name));
  const demand = new Map<string, Map<string, number>>();
  for (const n of nodes) demand.set(n.meta.name, new Map([[DEFAULT_POOL, 1]])); // the router
  const count = (node: string, pool: string) => {
    const d = demand.get(node);
    if (d !== undefined) d.set(pool, (d.get(pool) ?? 0) + 1);
  };
  const live = (p: Pod) => p.phase !== 'Succeeded' && p.phase !== 'Failed';
  const givenIps = new Map<string, IpAddress[]>();
  for (const p of given) {
    if (p.nodeName === undefined || !nodeNames.has(p.nodeName) || p.hostNetwork || !live(p)) continue;
    count(p.nodeName, poolOf(p));
    if (p.podIPs.length > 0) {
      const l = givenIps.get(p.nodeName);
      if (l === undefined) givenIps.set(p.nodeName, [...p.podIPs]);
      else l.push(...p.podIPs);
    }
  }
  for (const { pod, node } of [...bound, ...placed]) {
    if ('meta' in pod) continue; // given unbound pods are counted by their placement below
    if (!hostNet(pod)) count(node, poolOf({ meta: metaOf(pod) }));
  }
  for (const { pod, node } of placed) {
    if ('meta' in pod && !pod.hostNetwork) count(node, poolOf(pod));
  }

  const alloc = allocatePoolCidrs(scenario.podIPPools ?? [], demand, preAllocation(config.ipamMultiPoolPreAllocation), {
    ipv4: config.enableIPv4,
    ipv6: config.enableIPv6,
  });
  const perNode = new Map<string, MultiPoolNode>();
  const nodeOf = (name: string): MultiPoolNode => {
    let n = perNode.get(name);
    if (n === undefined) perNode.set(name, (n = new MultiPoolNode(alloc.nodes.get(name) ?? [], givenIps.get(name) ?? [])));
    return n;
  };
  const givenCn = new Set(scenario.ciliumNodes.map((c) => c.meta.name));
  const ciliumNodes: CiliumNode[] = [];
  for (const n of nodes) {
    const name = n.meta.name;
    if (givenCn.has(name)) continue;
    const pools = alloc.nodes.get(name) ?? [];
    const mp = nodeOf(name);
    const routers = [mp.router(4), mp.router(6)].filter((a): a is IpAddress => a !== undefined);
    ciliumNodes.push({
      meta: { name, labels: n.meta.labels, annotations: Object.create(null) as Record<string, string> },
      podCIDRs: pools.flatMap((p) => p.cidrs),
      addresses: [...n.addresses.map((a) => ({ type: a.type, ip: a.address })), ...routers.map((ip) => ({ type: 'CiliumInternalIP', ip }))],
      pools,
    });
  }
  return { poolOf, node: nodeOf, ciliumNodes, warnings: alloc.warnings };
}
