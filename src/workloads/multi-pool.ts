/**
 * Multi-pool IPAM (`ipam: multi-pool`), as Cilium 1.18's agent and operator run it
 * (`pkg/ipam/multipool_manager.go`, `pkg/ipam/allocator/multipool/pool_allocator.go`):
 *
 * - **A pod's pool**: its annotation `ipam.cilium.io/ip-pool`, else its namespace's, else
 *   `default` (read once, when the pod is created).
 * - **What a node asks for** (`spec.ipam.pools.requested`): per pool, the addresses in use
 *   (its pods, plus the router address `cilium_host` in the `default` pool) rounded by
 *   `neededIPCeil` to the next-but-one multiple of the pool's pre-allocation
 *   (`ipam-multi-pool-pre-allocation`, default `default=8`; pools not listed pre-allocate 0, so
 *   they ask for exactly what they use).
 * - **What the operator hands out** (`spec.ipam.pools.allocated`): for each node and pool, CIDRs
 *   of the pool's `maskSize`, lowest free first, from the pool's CIDRs in order, until the usable
 *   addresses (network and broadcast excluded, as `addrsInPrefix` counts) cover the need. Nodes
 *   are served in name order (in a cluster this is the order the operator sees the CiliumNodes;
 *   see docs/decisions.md). A pool that does not exist gets nothing
 *   (`cannot allocate from non-existing pool: NAME`), and its pods no address.
 * - **Addresses**: within a node's CIDRs of a pool, the lowest free address first (the same
 *   contiguous allocator as cluster-pool), the router first.
 *
 * Complexity: O(nodes × pools + pods) plus the blocks skipped over.
 *
 * @module
 */
import type { IpAddress, IpPrefix, Namespace, Pod, PodIPPool } from '../input/types.js';
import { familyOf, ipFromValue, networkValue, parsePrefix, prefixLength } from '../net/addr.js';
import { NodeAllocator } from './pod-ips.js';

/** The pool annotation on pods and namespaces. */
export const IP_POOL_ANNOTATION = 'ipam.cilium.io/ip-pool';

/** The pool of pods without an annotation. */
export const DEFAULT_POOL = 'default';

/**
 * The pool a pod takes its address from: the pod's `ipam.cilium.io/ip-pool` annotation, else its
 * namespace's, else `default`.
 *
 * @example
 * podPool({ 'ipam.cilium.io/ip-pool': 'blue' }, undefined); // 'blue'
 */
export function podPool(podAnnotations: Readonly<Record<string, string>>, namespace: Namespace | undefined): string {
  const own = podAnnotations[IP_POOL_ANNOTATION];
  if (own !== undefined && own !== '') return own;
  const ns = namespace?.meta.annotations[IP_POOL_ANNOTATION];
  if (ns !== undefined && ns !== '') return ns;
  return DEFAULT_POOL;
}

/**
 * `ipam-multi-pool-pre-allocation`: `pool=count` pairs, commas between (default `default=8`).
 * Entries that do not parse are skipped.
 *
 * @example
 * preAllocation(undefined).get('default'); // 8
 * preAllocation('default=16,blue=4').get('blue'); // 4
 */
export function preAllocation(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const src = text === undefined ? 'default=8' : text;
  for (const part of src.split(',')) {
    const [k, v] = part.split('=');
    if (k === undefined || v === undefined) continue;
    const n = Number(v.trim());
    if (k.trim() !== '' && Number.isInteger(n) && n >= 0) out.set(k.trim(), n);
  }
  return out;
}

/**
 * `neededIPCeil`: rounds up to the next but one multiple of the pre-allocation (so that at least
 * `preAlloc` addresses stay free); with no pre-allocation, the number itself.
 *
 * @example
 * neededIPCeil(0, 8); // 8
 * neededIPCeil(1, 8); // 16
 * neededIPCeil(8, 8); // 16
 * neededIPCeil(3, 0); // 3
 */
export function neededIPCeil(numIP: number, preAlloc: number): number {
  if (preAlloc === 0) return numIP;
  const q = Math.floor(numIP / preAlloc);
  return numIP % preAlloc > 0 ? (q + 2) * preAlloc : (q + 1) * preAlloc;
}

/** Usable addresses of a prefix (`addrsInPrefix`: all of a /31, /32, /127, /128; else minus 2). */
function usable(p: IpPrefix): bigint {
  const bits = familyOf(p) === 4 ? 32 : 128;
  const n = 1n << BigInt(bits - prefixLength(p));
  return n <= 2n ? n : n - 2n;
}

/** One node's allocation: the pools and their CIDRs, pools in name order. */
export interface NodePoolAllocation {
  /** Pool name. */
  readonly pool: string;
  /** CIDRs, IPv4 then IPv6, each ascending. */
  readonly cidrs: readonly IpPrefix[];
}

/** What {@link allocatePoolCidrs} returns. */
export interface PoolCidrAllocation {
  /** Per node, its pools and CIDRs (`spec.ipam.pools.allocated`). */
  readonly nodes: ReadonlyMap<string, readonly NodePoolAllocation[]>;
  /** Per node and pool, the addresses asked for (`spec.ipam.pools.requested[].needed`). */
  readonly requested: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The operator's errors (a missing pool, an exhausted one). */
  readonly warnings: readonly string[];
}

/** Blocks of one pool and family, handed out lowest first. */
class BlockCutter {
  private readonly cursors: { start: bigint; step: bigint; blocks: bigint; next: bigint }[];
  constructor(
    private readonly family: 4 | 6,
    cidrs: readonly IpPrefix[],
    private readonly maskSize: number,
  ) {
    const bits = family === 4 ? 32 : 128;
    this.cursors = cidrs
      .filter((c) => familyOf(c) === family && prefixLength(c) <= maskSize)
      .map((c) => ({
        start: networkValue(c),
        step: 1n << BigInt(bits - maskSize),
        blocks: 1n << BigInt(maskSize - prefixLength(c)),
        next: 0n,
      }));
  }
  /** The next free block, or `undefined` when the pool is exhausted. */
  next(): IpPrefix | undefined {
    for (const c of this.cursors) {
      if (c.next < c.blocks) {
        const lo = c.start + c.next * c.step;
        c.next++;
        return parsePrefix(`${ipFromValue(this.family, lo).toString()}/${this.maskSize}`);
      }
    }
    return undefined;
  }
}

/**
 * The operator's CIDR allocation for every node (see the module doc): `demand` gives, per node,
 * the addresses in use per pool (router included); pools listed in `preAlloc` are asked for even
 * when nothing uses them.
 *
 * @example
 * const r = allocatePoolCidrs([pool], new Map([['k8s-w1', new Map([['default', 3]])]]), preAllocation(undefined), { ipv4: true, ipv6: false });
 * r.nodes.get('k8s-w1')?.[0]?.cidrs.map((c) => c.toCidrString()); // ['10.10.0.0/27']
 */
export function allocatePoolCidrs(
  pools: readonly PodIPPool[],
  demand: ReadonlyMap<string, ReadonlyMap<string, number>>,
  preAlloc: ReadonlyMap<string, number>,
  families: { readonly ipv4: boolean; readonly ipv6: boolean },
): PoolCidrAllocation {
  const byName = new Map(pools.map((p) => [p.meta.name, p] as const));
  const cutters = new Map<string, { v4?: BlockCutter; v6?: BlockCutter }>();
  for (const p of pools) {
    cutters.set(p.meta.name, {
      ...(p.ipv4 !== undefined && families.ipv4 ? { v4: new BlockCutter(4, p.ipv4.cidrs, p.ipv4.maskSize) } : {}),
      ...(p.ipv6 !== undefined && families.ipv6 ? { v6: new BlockCutter(6, p.ipv6.cidrs, p.ipv6.maskSize) } : {}),
    });
  }
  const nodes = new Map<string, NodePoolAllocation[]>();
  const requested = new Map<string, Map<string, number>>();
  const warnings: string[] = [];
  for (const node of [...demand.keys()].sort()) {
    const inUse = demand.get(node)!;
    const names = new Set<string>([...inUse.keys(), ...preAlloc.keys()]);
    const req = new Map<string, number>();
    const out: NodePoolAllocation[] = [];
    for (const pool of [...names].sort()) {
      const needed = neededIPCeil(inUse.get(pool) ?? 0, preAlloc.get(pool) ?? 0);
      req.set(pool, needed);
      if (needed <= 0) continue;
      const c = cutters.get(pool);
      if (c === undefined || !byName.has(pool)) {
        warnings.push(`CiliumNode ${node}: failed to allocate ipv4 address for node "${node}" from pool "${pool}": cannot allocate from non-existing pool: ${pool}`);
        continue;
      }
      const cidrs: IpPrefix[] = [];
      for (const [fam, cutter] of [['ipv4', c.v4], ['ipv6', c.v6]] as const) {
        if (cutter === undefined) continue;
        let have = 0n;
        while (have < BigInt(needed)) {
          const b = cutter.next();
          if (b === undefined) {
            warnings.push(`CiliumNode ${node}: failed to allocate ${fam} address for node "${node}" from pool "${pool}": pool is exhausted`);
            break;
          }
          cidrs.push(b);
          have += usable(b);
        }
      }
      if (cidrs.length > 0) out.push({ pool, cidrs });
    }
    requested.set(node, req);
    nodes.set(node, out);
  }
  return { nodes, requested, warnings };
}

/**
 * The address allocators of one node in multi-pool mode: per pool and family, the lowest free
 * address over the pool's CIDRs in order; the router (`cilium_host`) takes the first address
 * of the `default` pool.
 *
 * @example
 * const n = new MultiPoolNode(allocation, []);
 * n.router(4)?.toString(); // '10.10.0.1'
 * n.next('blue').map(String); // ['10.20.0.1']
 */
export class MultiPoolNode {
  private readonly allocators = new Map<string, { 4: NodeAllocator[]; 6: NodeAllocator[] }>();
  private readonly routers: { 4?: IpAddress; 6?: IpAddress } = {};

  constructor(allocation: readonly NodePoolAllocation[], given: readonly IpAddress[]) {
    for (const a of allocation) {
      const entry = { 4: [] as NodeAllocator[], 6: [] as NodeAllocator[] };
      for (const c of a.cidrs) {
        const fam = familyOf(c);
        // The router comes from the first CIDR of the default pool; other CIDRs reserve nothing.
        const isRouterCidr = a.pool === DEFAULT_POOL && entry[fam].length === 0;
        const al = new NodeAllocator(c, given.filter((g) => familyOf(g) === fam), isRouterCidr);
        if (isRouterCidr && al.router !== undefined) this.routers[fam] = al.router;
        entry[fam].push(al);
      }
      this.allocators.set(a.pool, entry);
    }
  }

  /** The router address of a family, when the node has `default` pool CIDRs of it. */
  router(family: 4 | 6): IpAddress | undefined {
    return this.routers[family];
  }

  /** The next address of each family the node has CIDRs of in `pool` (empty: none). */
  next(pool: string): IpAddress[] {
    const entry = this.allocators.get(pool);
    if (entry === undefined) return [];
    const out: IpAddress[] = [];
    for (const fam of [4, 6] as const) {
      for (const al of entry[fam]) {
        const a = al.next();
        if (a !== undefined) {
          out.push(a);
          break;
        }
      }
    }
    return out;
  }
}

/**
 * The pool of every pod given or created, by `namespace/name`, from the annotations
 * (see {@link podPool}).
 *
 * @example
 * poolOfPod(pod, namespaces); // 'default'
 */
export function poolOfPod(pod: Pick<Pod, 'meta'>, namespaces: ReadonlyMap<string, Namespace>): string {
  return podPool(pod.meta.annotations, namespaces.get(pod.meta.namespace ?? 'default'));
}
