/**
 * Linux FIB lookup on a {@link RoutingTable}: the `local` table first, then `main` (the default
 * rules `0: local`, `32766: main`); longest prefix match, then lowest metric; the ECMP member by
 * the host's `fib_multipath_hash_policy` (model hash, `hash.ts`); source address selection as
 * `inet_select_addr` does it.
 *
 * The per-table index (per prefix length, a map from the masked destination to its routes) is
 * built once per table object and cached; callers see a pure function.
 *
 * @module
 */
import type { IpAddress } from '../input/types.js';
import { familyOf, networkValue, prefixContains, prefixLength, sameIp } from '../net/addr.js';
import { hashFieldsOf, hashThresholdSelect, multipathHash } from './hash.js';
import type { FlowKey, KernelRoute, LinkAddress, LookupResult, RoutingTable } from './types.js';

/** Routes of one table indexed for LPM: prefix lengths (descending) → masked key → routes. */
interface LpmIndex {
  readonly v4Lengths: readonly number[];
  readonly v4: ReadonlyMap<number, ReadonlyMap<number, readonly KernelRoute[]>>;
  readonly v6Lengths: readonly number[];
  readonly v6: ReadonlyMap<number, ReadonlyMap<bigint, readonly KernelRoute[]>>;
}

function v4Key(value: number, len: number): number {
  return len === 0 ? 0 : value >>> (32 - len);
}

function v6Key(value: bigint, len: number): bigint {
  return len === 0 ? 0n : value >> BigInt(128 - len);
}

function buildIndex(routes: readonly KernelRoute[]): LpmIndex {
  const v4 = new Map<number, Map<number, KernelRoute[]>>();
  const v6 = new Map<number, Map<bigint, KernelRoute[]>>();
  for (const r of routes) {
    const len = prefixLength(r.dst);
    if (familyOf(r.dst) === 4) {
      const byKey = v4.get(len) ?? new Map<number, KernelRoute[]>();
      v4.set(len, byKey);
      const key = v4Key(Number(networkValue(r.dst)), len);
      const list = byKey.get(key) ?? [];
      list.push(r);
      byKey.set(key, list);
    } else {
      const byKey = v6.get(len) ?? new Map<bigint, KernelRoute[]>();
      v6.set(len, byKey);
      const key = v6Key(networkValue(r.dst), len);
      const list = byKey.get(key) ?? [];
      list.push(r);
      byKey.set(key, list);
    }
  }
  for (const m of [...v4.values(), ...v6.values()]) {
    for (const list of m.values()) list.sort((a, b) => a.metric - b.metric);
  }
  return {
    v4Lengths: [...v4.keys()].sort((a, b) => b - a),
    v4,
    v6Lengths: [...v6.keys()].sort((a, b) => b - a),
    v6,
  };
}

const mainIndexes = new WeakMap<RoutingTable, LpmIndex>();
const localIndexes = new WeakMap<RoutingTable, LpmIndex>();

function indexOf(table: RoutingTable, which: 'main' | 'local'): LpmIndex {
  const cache = which === 'main' ? mainIndexes : localIndexes;
  let idx = cache.get(table);
  if (!idx) {
    idx = buildIndex(which === 'main' ? table.main : table.local);
    cache.set(table, idx);
  }
  return idx;
}

/**
 * The routes of the longest prefix in `routes` that contains `dst`, lowest metric first
 * (empty when nothing matches). `routes` must be one table's routes.
 *
 * @example
 * const candidates = longestPrefixMatch(table, 'main', IPv4.fromString('172.20.1.76'));
 */
export function longestPrefixMatch(
  table: RoutingTable,
  which: 'main' | 'local',
  dst: IpAddress,
): readonly KernelRoute[] {
  const idx = indexOf(table, which);
  if (familyOf(dst) === 4) {
    const value = Number(dst.value);
    for (const len of idx.v4Lengths) {
      const hit = idx.v4.get(len)?.get(v4Key(value, len));
      if (hit && hit.length > 0) return hit;
    }
    return [];
  }
  for (const len of idx.v6Lengths) {
    const hit = idx.v6.get(len)?.get(v6Key(dst.value, len));
    if (hit && hit.length > 0) return hit;
  }
  return [];
}

/**
 * Every address configured on the host (all devices), primary addresses first per device.
 *
 * @example
 * localAddresses(table).map((a) => a.address.toString());
 */
export function localAddresses(table: RoutingTable): readonly LinkAddress[] {
  return table.links.flatMap((l) => l.addresses);
}

/**
 * True when `address` is one of the host's own addresses (or in 127.0.0.0/8).
 *
 * @example
 * isLocalAddress(table, IPv4.fromString('192.168.10.200')); // true on the router
 */
export function isLocalAddress(table: RoutingTable, address: IpAddress): boolean {
  return longestPrefixMatch(table, 'local', address).some((r) => r.type === 'local');
}

/**
 * Source address selection (`inet_select_addr`): on `dev`, the first primary address whose subnet
 * contains `target` (gateway or destination), else the first primary address of `dev`, else the
 * first global primary address of any device in ifindex order. Loopback (host-scope) addresses are
 * used only when the route itself is host-scoped.
 *
 * @example
 * selectSourceAddress(table, 'eth1', IPv4.fromString('192.168.10.200'))?.toString(); // '192.168.10.100'
 */
export function selectSourceAddress(
  table: RoutingTable,
  dev: string,
  target: IpAddress | undefined,
  family: 4 | 6 = target ? familyOf(target) : 4,
): IpAddress | undefined {
  const usable = (a: LinkAddress): boolean => a.primary && familyOf(a.address) === family && a.scope === 'global';
  const link = table.links.find((l) => l.name === dev);
  let first: IpAddress | undefined;
  for (const a of link?.addresses ?? []) {
    if (!usable(a)) continue;
    if (target && prefixContains(a.network, target)) return a.address;
    first ??= a.address;
  }
  if (first) return first;
  for (const l of table.links) {
    for (const a of l.addresses) if (usable(a)) return a.address;
  }
  return undefined;
}

const errorReasons: Record<string, string> = {
  unreachable: 'No route to host',
  blackhole: 'Invalid argument',
  prohibit: 'Permission denied',
};

/**
 * FIB lookup of `dst` on one host (what `ip route get` answers): local table, then main; longest
 * prefix, lowest metric; for an ECMP route, the member chosen by the model hash over the fields of
 * the host's hash policy (source = `options.src`, else unspecified as for an unbound socket's
 * first lookup); source address = `options.src`, else route `src`, else selected.
 *
 * @example
 * ```ts
 * const r = lookupRoute(table, IPv4.fromString('172.20.1.76'));
 * // { kind: 'unicast', dev: 'eth1', gateway: 192.168.10.200, src: 192.168.10.100, ... }
 * ```
 */
export function lookupRoute(
  table: RoutingTable,
  dst: IpAddress,
  options: { readonly src?: IpAddress; readonly flow?: FlowKey } = {},
): LookupResult {
  const src = options.src ?? options.flow?.src;
  if (src && !isLocalAddress(table, src)) return { kind: 'error', reason: 'Invalid argument' };
  const local = longestPrefixMatch(table, 'local', dst).find((r) => r.type === 'local' || r.type === 'broadcast');
  if (local) {
    return { kind: 'local', route: local, dev: 'lo', src: src ?? (local.type === 'local' ? dst : local.prefsrc) };
  }
  const candidates = longestPrefixMatch(table, 'main', dst);
  const route = candidates[0];
  if (!route) return { kind: 'error', reason: 'Network is unreachable' };
  if (route.type !== 'unicast' && route.type !== 'local') {
    return { kind: 'error', route, reason: errorReasons[route.type] ?? 'Invalid argument' };
  }
  let index = 0;
  if (route.nexthops.length > 1) {
    const hash = multipathHash(
      table.multipathHashPolicy,
      hashFieldsOf(src, dst, options.flow ?? {}),
      parseFieldsMask(table.sysctl['net.ipv4.fib_multipath_hash_fields']),
    );
    index = hashThresholdSelect(
      route.nexthops.map((n) => n.weight),
      hash,
    );
  }
  const nexthop = route.nexthops[index];
  if (!nexthop) return { kind: 'error', route, reason: 'Network is unreachable' };
  const chosenSrc =
    src ?? route.prefsrc ?? selectSourceAddress(table, nexthop.dev, nexthop.gateway ?? dst, familyOf(dst));
  return {
    kind: 'unicast',
    route,
    nexthop,
    nexthopIndex: index,
    dev: nexthop.dev,
    ...(nexthop.gateway ? { gateway: nexthop.gateway } : {}),
    ...(chosenSrc ? { src: chosenSrc } : {}),
  };
}

function parseFieldsMask(text: string | undefined): number {
  if (text === undefined) return 0x0007;
  const n = text.trim().toLowerCase().startsWith('0x') ? parseInt(text.trim(), 16) : parseInt(text.trim(), 10);
  return Number.isFinite(n) ? n : 0x0007;
}

/**
 * A function giving, for a host and a destination, the source address the host would use
 * (the `src` of `ip route get DST`); `undefined` when the host is unknown or has no route.
 * The BGP stage uses it for a session's local address.
 *
 * @example
 * const sourceAddress = sourceAddressLookup(tables);
 * sourceAddress('k8s-ctr', IPv4.fromString('192.168.10.200'))?.toString(); // '192.168.10.100'
 */
export function sourceAddressLookup(
  tables: ReadonlyMap<string, RoutingTable>,
): (host: string, dst: IpAddress) => IpAddress | undefined {
  return (host, dst) => {
    const table = tables.get(host);
    if (!table) return undefined;
    const r = lookupRoute(table, dst);
    return r.kind === 'error' ? undefined : r.src;
  };
}

/**
 * A function telling whether a host has a usable route (not unreachable/blackhole/prohibit, not
 * none) to a destination.
 *
 * @example
 * reachabilityLookup(tables)('k8s-w0', IPv4.fromString('192.168.10.200')); // true (static route)
 */
export function reachabilityLookup(tables: ReadonlyMap<string, RoutingTable>): (host: string, dst: IpAddress) => boolean {
  return (host, dst) => {
    const table = tables.get(host);
    return table !== undefined && lookupRoute(table, dst).kind !== 'error';
  };
}

/**
 * A function telling whether an address is on one of a host's connected subnets (an interface
 * address's network contains it), the test FRR applies to single-hop eBGP peers.
 *
 * @example
 * connectedLookup(tables)('router', IPv4.fromString('192.168.20.100')); // true
 */
export function connectedLookup(tables: ReadonlyMap<string, RoutingTable>): (host: string, addr: IpAddress) => boolean {
  return (host, addr) => {
    const table = tables.get(host);
    if (!table) return false;
    return table.links.some(
      (l) =>
        l.kind !== 'loopback' &&
        l.addresses.some((a) => prefixContains(a.network, addr) && !sameIp(a.address, addr)),
    );
  };
}
