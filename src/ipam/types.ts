/**
 * What LB IPAM (the Cilium operator's `lbipam` controller) leaves in the cluster: the status of
 * every `CiliumLoadBalancerIPPool` and the LoadBalancer addresses and request condition of every
 * Service it is responsible for.
 *
 * @module
 */
import type { IpAddress } from '../input/types.js';

/**
 * A status condition as Kubernetes stores it (`type`, `status`, `reason`, `message`).
 *
 * @example
 * const c: LbIpamCondition = { type: 'cilium.io/IPAMRequestSatisfied', status: 'True', reason: 'satisfied', message: '' };
 */
export interface LbIpamCondition {
  /** Condition type, e.g. `cilium.io/IPAMRequestSatisfied` or `cilium.io/PoolConflict`. */
  readonly type: string;
  /** `True`, `False` or `Unknown`. */
  readonly status: 'True' | 'False' | 'Unknown';
  /** Machine-readable reason, e.g. `satisfied`, `out_of_ips`, `cidr_overlap`, `noreason`. */
  readonly reason: string;
  /** Human-readable message (the pool counts are carried here, as Cilium does). */
  readonly message: string;
}

/**
 * One allocatable range of a pool: a CIDR block or a start/stop block.
 *
 * @example
 * ipam.pools[0]?.ranges[0]?.reservedFirstLast; // true for a /24 with allowFirstLastIPs: No
 */
export interface LbIpamRange {
  /** First address of the range. */
  readonly from: IpAddress;
  /** Last address of the range. */
  readonly to: IpAddress;
  /** True when the block was given as a CIDR (only those reserve first/last addresses). */
  readonly fromCidr: boolean;
  /** True when first and last addresses are reserved (`allowFirstLastIPs: No`, more than 2 addresses). */
  readonly reservedFirstLast: boolean;
  /** Disabled by the pool's `spec.disabled` or because the pool conflicts. */
  readonly disabled: boolean;
}

/**
 * The status of one `CiliumLoadBalancerIPPool` after allocation.
 *
 * @example
 * const p = allocateLbIps(cluster).pools[0];
 * p?.available.toString(); // '253'
 */
export interface LbIpamPoolStatus {
  /** Pool name. */
  readonly name: string;
  /** `spec.disabled`. */
  readonly disabled: boolean;
  /** True when the pool overlaps another (older) pool or itself; none of its ranges allocates. */
  readonly conflicting: boolean;
  /** `cilium.io/PoolConflict` reason: `cidr_overlap` or `resolved`. */
  readonly conflictReason: string;
  /** `cilium.io/PoolConflict` message (empty when not conflicting). */
  readonly conflictMessage: string;
  /** `cilium.io/IPsTotal`: every address of every range. */
  readonly total: bigint;
  /** `cilium.io/IPsUsed`: allocated addresses, reserved first/last included, a shared one once. */
  readonly used: bigint;
  /** `cilium.io/IPsAvailable`: total minus used. */
  readonly available: bigint;
  /** The pool's ranges in block order. */
  readonly ranges: readonly LbIpamRange[];
  /** The pool's status conditions, as the operator writes them. */
  readonly conditions: readonly LbIpamCondition[];
}

/**
 * One address LB IPAM handed to a service, and where it came from.
 *
 * @example
 * allocateLbIps(cluster).services[0]?.allocations[0]?.pool; // 'cilium-pool'
 */
export interface LbIpamAllocation {
  /** The address. */
  readonly ip: IpAddress;
  /** The pool it was allocated from. */
  readonly pool: string;
  /** True when this service shares the address with other services (same sharing key). */
  readonly shared: boolean;
}

/**
 * What LB IPAM did for one Service of type LoadBalancer.
 *
 * @example
 * allocateLbIps(cluster).services[0]?.condition?.reason; // 'satisfied'
 */
export interface LbIpamServiceStatus {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** True when LB IPAM is responsible for it (type LoadBalancer and a class it serves). */
  readonly responsible: boolean;
  /** Requested addresses: `spec.loadBalancerIP` and the `lbipam.cilium.io/ips` annotation. */
  readonly requestedIPs: readonly IpAddress[];
  /** Families wanted when no address is requested. */
  readonly requestedFamilies: { readonly ipv4: boolean; readonly ipv6: boolean };
  /** `lbipam.cilium.io/sharing-key`, when set. */
  readonly sharingKey?: string;
  /** `status.loadBalancer.ingress[].ip` after LB IPAM, in status order. */
  readonly ips: readonly IpAddress[];
  /** The allocations behind `ips` (empty when LB IPAM is not responsible). */
  readonly allocations: readonly LbIpamAllocation[];
  /** `cilium.io/IPAMRequestSatisfied`, when LB IPAM set it. */
  readonly condition?: LbIpamCondition;
}

/**
 * The result of {@link allocateLbIps}: pools by name, LoadBalancer services by namespace/name.
 *
 * @example
 * ```ts
 * const ipam = allocateLbIps(cluster);
 * ipam.pools[0]?.available; // 253n in the lab with lb.yaml
 * ```
 */
export interface LbIpamResult {
  /** False while no pool exists: LB IPAM stays dormant and touches no service. */
  readonly active: boolean;
  /** Every pool, sorted by name. */
  readonly pools: readonly LbIpamPoolStatus[];
  /** Every Service of type LoadBalancer, sorted by namespace then name. */
  readonly services: readonly LbIpamServiceStatus[];
}

/**
 * The condition type LB IPAM sets on services (`io.cilium/lb-ipam-request-satisfied` in older
 * releases).
 *
 * @example
 * status.condition?.type === REQUEST_SATISFIED;
 */
export const REQUEST_SATISFIED = 'cilium.io/IPAMRequestSatisfied';
