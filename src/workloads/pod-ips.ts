/**
 * Pod addresses, from the IPAM mode of `cilium-config`:
 *
 * - **Pod CIDRs of a node**: a given CiliumNode's `spec.ipam.podCIDRs`, else the Node's
 *   `spec.podCIDRs`; else, in `cluster-pool` mode, CIDRs the operator allocates:
 *   `cluster-pool-ipv4-cidr` (default `10.0.0.0/8`; a list, spaces or commas) cut into
 *   `/cluster-pool-ipv4-mask-size` blocks (default 24), handed to the nodes without CIDRs in
 *   node-name order, lowest block first, skipping blocks that overlap a CIDR already in use
 *   (they appear as the CiliumNode's pod CIDRs). In `kubernetes` mode a Node without
 *   `spec.podCIDRs` has none (kube-controller-manager did not allocate), and its pods get no
 *   address (a warning says so).
 * - **Addresses** (host-scope allocation on the node): each family's first CIDR, network and
 *   (IPv4) broadcast excluded; the router IP (`cilium_host`) is the lowest address no given pod
 *   holds (the rule `fib/base.ts` `ciliumHostAddress` reads back), and pods get the next free
 *   addresses in order of creation. Given `status.podIPs` are kept and reserved first.
 * - **hostNetwork** pods take their node's InternalIP (or ExternalIP) addresses.
 *
 * Complexity: O(nodes + pods) plus the addresses skipped over.
 *
 * @module
 */
import type { IpAddress, IpPrefix } from '../input/types.js';
import { familyOf, ipFromValue, networkValue, parsePrefix, prefixLength } from '../net/addr.js';

/**
 * Allocates cluster-pool CIDRs for `count` nodes (see the module doc).
 *
 * @example
 * allocateClusterPool(['10.0.0.0/8'], 24, [], 2).map((p) => p.toCidrString()); // ['10.0.0.0/24', '10.0.1.0/24']
 */
export function allocateClusterPool(pools: readonly string[], maskSize: number, inUse: readonly IpPrefix[], count: number): IpPrefix[] {
  const out: IpPrefix[] = [];
  const used = inUse.filter((p) => familyOf(p) === 4).map((p) => [networkValue(p), networkValue(p) + (1n << BigInt(32 - prefixLength(p))) - 1n] as const);
  for (const text of pools) {
    const pool = parsePrefix(text);
    if (pool === undefined || familyOf(pool) !== 4 || prefixLength(pool) > maskSize) continue;
    const start = networkValue(pool);
    const step = 1n << BigInt(32 - maskSize);
    const blocks = 1n << BigInt(maskSize - prefixLength(pool));
    for (let b = 0n; b < blocks && out.length < count; b++) {
      const lo = start + b * step;
      const hi = lo + step - 1n;
      if (used.some(([ulo, uhi]) => lo <= uhi && ulo <= hi)) continue;
      out.push(parsePrefix(`${ipFromValue(4, lo).toString()}/${maskSize}`)!);
    }
    if (out.length >= count) break;
  }
  return out;
}

/**
 * An address allocator for one node's CIDR of one family (see the module doc).
 *
 * @example
 * const a = new NodeAllocator(cidr, []); a.next()?.toString(); // '172.20.0.2' (172.20.0.1 is the router)
 */
export class NodeAllocator {
  private readonly used = new Set<bigint>();
  private cursor: bigint;
  private readonly last: bigint;
  private readonly family: 4 | 6;
  /** The router (`cilium_host`) address, when the CIDR has room. */
  readonly router: IpAddress | undefined;

  /**
   * @param cidr - the CIDR addresses come from
   * @param given - addresses already held (kept, never handed out)
   * @param withRouter - reserve the router address first (false: multi-pool CIDRs after the
   *   first of the default pool)
   */
  constructor(cidr: IpPrefix, given: readonly IpAddress[], withRouter = true) {
    this.family = familyOf(cidr);
    const bits = this.family === 4 ? 32 : 128;
    const net = networkValue(cidr);
    const size = 1n << BigInt(bits - prefixLength(cidr));
    this.last = this.family === 4 && size > 2n ? net + size - 2n : net + size - 1n;
    for (const a of given) this.used.add(a.value);
    this.cursor = net + 1n;
    let r: bigint | undefined;
    for (let v = net + 1n; withRouter && v <= this.last; v++) {
      if (!this.used.has(v)) {
        r = v;
        break;
      }
    }
    this.router = r === undefined ? undefined : ipFromValue(this.family, r);
    if (r !== undefined) this.used.add(r);
  }

  /** The next free address, or `undefined` when the CIDR is full. */
  next(): IpAddress | undefined {
    while (this.cursor <= this.last && this.used.has(this.cursor)) this.cursor++;
    if (this.cursor > this.last) return undefined;
    const v = this.cursor++;
    this.used.add(v);
    return ipFromValue(this.family, v);
  }
}
