/**
 * Types of the FIB stage: every host's kernel routing tables (Linux `main` and `local` tables),
 * as the kernel holds them and `ip route` prints them.
 *
 * Staging (see `docs/architecture.md`): {@link RoutingTable}s are first built without BGP
 * (`baseRoutingTables`: connected routes, the Host's `routes:`, the routes Cilium installs on
 * nodes); the BGP stage uses them for session source addresses and reachability; the routes
 * zebra installs on FRR routers are then added (`withInstalledRoutes`) to give the final tables.
 *
 * @module
 */
import type { IpAddress, IpPrefix, StringMap } from '../input/types.js';

/**
 * Route type (`rtm_type`). `ip route` prints it before the destination unless `unicast`.
 *
 * @example
 * const t: KernelRouteType = 'blackhole';
 */
export type KernelRouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit';

/**
 * Route scope (`rtm_scope`), by iproute2's name. `universe` (`global`) is not printed.
 *
 * @example
 * const s: KernelRouteScope = 'link';
 */
export type KernelRouteScope = 'universe' | 'link' | 'host';

/**
 * One next hop of a kernel route (a plain route has one; an ECMP route several).
 *
 * @example
 * const nh: KernelNextHop = { gateway: IPv4.fromString('192.168.10.100'), dev: 'eth1', weight: 1 };
 */
export interface KernelNextHop {
  /** `via` address; absent for a device (on-link) route. */
  readonly gateway?: IpAddress;
  /** Output device. */
  readonly dev: string;
  /** Weight (1..256), used by the hash-threshold ECMP selection. */
  readonly weight: number;
}

/**
 * Who put a route into the table (the model's bookkeeping, not a kernel field; `protocol` is the
 * kernel's): `connected` (address prefix routes, the kernel's own), `static` (the Host's `routes:`),
 * `cilium` (the Cilium agent on a node), `zebra` (FRR's installed routes), `local` (local table).
 *
 * @example
 * const o: KernelRouteOrigin = 'cilium';
 */
export type KernelRouteOrigin = 'connected' | 'static' | 'cilium' | 'zebra' | 'local';

/**
 * A route of a kernel routing table.
 *
 * @example
 * ```ts
 * const r: KernelRoute = {
 *   table: 'main', type: 'unicast', dst: IPv4CidrRange.fromCidr('172.20.0.0/24'),
 *   nexthops: [{ gateway: IPv4.fromString('192.168.10.100'), dev: 'eth1', weight: 1 }],
 *   protocol: 'bgp', scope: 'universe', metric: 20, origin: 'zebra',
 * };
 * ```
 */
export interface KernelRoute {
  /** Routing table: `main` (254) or `local` (255). */
  readonly table: 'main' | 'local';
  /** Route type. */
  readonly type: KernelRouteType;
  /** Destination prefix (0.0.0.0/0 = `default`). */
  readonly dst: IpPrefix;
  /**
   * Next hops: one for a plain route, several for ECMP (in the kernel's group order; for zebra
   * routes ascending gateway, reference decision 4); empty for blackhole/unreachable/prohibit.
   */
  readonly nexthops: readonly KernelNextHop[];
  /** `proto`: `kernel`, `boot`, `static`, `dhcp`, `bgp`, … (iproute2 names; `boot` is not printed). */
  readonly protocol: string;
  /** Scope. */
  readonly scope: KernelRouteScope;
  /** Preferred source address (`src`), when set. */
  readonly prefsrc?: IpAddress;
  /** Metric (`priority`); 0 is not printed. */
  readonly metric: number;
  /** Route MTU (`mtu`), when set (Cilium's tunnel routes). */
  readonly mtu?: number;
  /** Kernel nexthop object id (`nhid`), for routes zebra installs through nexthop groups. */
  readonly nhid?: number;
  /** Who installed it (model bookkeeping). */
  readonly origin: KernelRouteOrigin;
}

/**
 * An address configured on a device of a host, with the kernel's view of it.
 *
 * @example
 * const a: LinkAddress = { dev: 'eth1', address: IPv4.fromString('192.168.10.100'), prefixLength: 24,
 *   network: IPv4CidrRange.fromCidr('192.168.10.0/24'), scope: 'global', primary: true };
 */
export interface LinkAddress {
  /** Device name. */
  readonly dev: string;
  /** The address. */
  readonly address: IpAddress;
  /** Prefix length. */
  readonly prefixLength: number;
  /** The connected network. */
  readonly network: IpPrefix;
  /** Address scope: `host` for loopback addresses, `global` otherwise. */
  readonly scope: 'global' | 'host';
  /** False for a secondary address (a second address in a subnet the device already has). */
  readonly primary: boolean;
}

/**
 * A network device of a host, in ifindex order (`lo` first).
 *
 * @example
 * const l: HostLink = { name: 'cilium_host', index: 4, addresses: [], kind: 'cilium' };
 */
export interface HostLink {
  /** Device name. */
  readonly name: string;
  /** Interface index (1 = `lo`). */
  readonly index: number;
  /** Addresses, primary first. */
  readonly addresses: readonly LinkAddress[];
  /** `loopback`, `ethernet` (the Host's interfaces) or `cilium` (cilium_host/cilium_net). */
  readonly kind: 'loopback' | 'ethernet' | 'cilium';
}

/**
 * One host's routing state: devices, the `main` and `local` tables, and the sysctls that shape
 * lookups. Routes are held in the order the kernel dumps them (`ip route` order).
 *
 * @example
 * ```ts
 * const tables = baseRoutingTables(cluster);
 * tables.get('router')?.main.length;
 * ```
 */
export interface RoutingTable {
  /** Host (node or router) name. */
  readonly host: string;
  /** True when the host is a Kubernetes node (runs Cilium). */
  readonly isNode: boolean;
  /** Devices in ifindex order. */
  readonly links: readonly HostLink[];
  /** The `main` table (254), in kernel dump order. */
  readonly main: readonly KernelRoute[];
  /** The `local` table (255), in kernel dump order. */
  readonly local: readonly KernelRoute[];
  /** `net.ipv4.fib_multipath_hash_policy` (0 unless the Host's sysctl says otherwise). */
  readonly multipathHashPolicy: number;
  /** The Host's sysctl settings. */
  readonly sysctl: StringMap;
  /** Routes that the kernel (or Cilium) would refuse, with the reason, e.g. `Nexthop has invalid gateway`. */
  readonly warnings: readonly string[];
}

/**
 * A flow for ECMP hashing and `ip route get`: source address and L4 fields (absent = 0).
 *
 * @example
 * const f: FlowKey = { protocol: 6, sport: 40000, dport: 80 };
 */
export interface FlowKey {
  /** Source address (else the selected source address). */
  readonly src?: IpAddress;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP). */
  readonly protocol?: number;
  /** Source port. */
  readonly sport?: number;
  /** Destination port. */
  readonly dport?: number;
}

/**
 * The outcome of a FIB lookup (what `ip route get` answers).
 *
 * - `unicast`: forwarded via `gateway` (or on-link when absent) out of `dev`, with source `src`.
 * - `local`: the address is the host's own; delivered locally (`dev` = `lo`).
 * - `error`: no usable route; `reason` is the kernel's errno text (`Network is unreachable`,
 *   `No route to host` for unreachable routes, `Invalid argument` for blackhole,
 *   `Permission denied` for prohibit).
 *
 * @example
 * ```ts
 * const r = lookupRoute(table, IPv4.fromString('172.20.1.76'));
 * if (r.kind === 'unicast') console.log(r.dev, r.gateway?.toString());
 * ```
 */
export type LookupResult =
  | {
      readonly kind: 'unicast';
      /** The matched route. */
      readonly route: KernelRoute;
      /** The selected next hop (the ECMP member for this flow). */
      readonly nexthop: KernelNextHop;
      /** Index of the selected next hop in `route.nexthops`. */
      readonly nexthopIndex: number;
      /** Output device. */
      readonly dev: string;
      /** Gateway, absent when the destination is on-link. */
      readonly gateway?: IpAddress;
      /** Source address the host uses (given `src`, else route prefsrc, else selected). */
      readonly src?: IpAddress;
    }
  | {
      readonly kind: 'local';
      /** The local-table route that matched. */
      readonly route: KernelRoute;
      /** Always `lo`. */
      readonly dev: string;
      /** Source address (the destination itself unless given). */
      readonly src?: IpAddress;
    }
  | {
      readonly kind: 'error';
      /** The matched route (blackhole/unreachable/prohibit), absent when nothing matched. */
      readonly route?: KernelRoute;
      /** Kernel errno text, e.g. `Network is unreachable`. */
      readonly reason: string;
    };
