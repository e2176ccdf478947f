/**
 * Every host's routing tables before BGP: devices and addresses, connected routes, the Host's
 * `routes:`, and on Kubernetes nodes the routes the Cilium agent installs.
 *
 * Rules (sources: Linux `net/ipv4/fib_frontend.c`, `fib_semantics.c`; Cilium 1.18
 * `pkg/datapath/linux/node.go`, `linux_defaults.RTProto = RTPROT_KERNEL`):
 *
 * - **Devices**: `lo` (127.0.0.1/8) first, then the Host's interfaces in the given order, then on
 *   nodes `cilium_net` and `cilium_host` (holding the node's router IP as /32), then
 *   `cilium_vxlan`/`cilium_geneve` in tunnel mode. The first address of a subnet on a device is
 *   primary, later ones secondary.
 * - **Connected**: each primary IPv4 address shorter than /32 gives
 *   `NET/LEN dev DEV proto kernel scope link src ADDR` (IPv6: `proto kernel metric 256`).
 *   When a `proto dhcp` route of the Host's `routes:` uses the address as `src` on the same device,
 *   the connected route carries that route's metric (the DHCP client sets the address's route
 *   metric, as the lab's `10.0.2.0/24 … metric 100` shows).
 * - **Local table**: `local ADDR dev DEV proto kernel scope host src ADDR` per address,
 *   `broadcast` for the subnet's broadcast address (prefixes up to /30), and lo's 127.0.0.0/8.
 * - **Static** (`routes:`): added in order after the connected routes; a next hop without `dev`
 *   takes the device of the link-scope route to its gateway; a gateway not reachable through a
 *   link-scope route (on the given device) is refused (`Nexthop has invalid gateway`), as is a
 *   `src` that is not a local address (`Invalid prefsrc address`) and a second route with the same
 *   destination and metric (`File exists`). Device routes without a gateway default to scope link.
 * - **Cilium on a node** (IPv4 shown; IPv6 alike without `via`):
 *   - local pod CIDRs: `ROUTER dev cilium_host proto kernel scope link` and
 *     `CIDR via ROUTER dev cilium_host proto kernel src ROUTER`;
 *   - tunnel mode: every other node's pod CIDR the same way with `mtu` = 1500 − 50 (− 12 more
 *     with DSR dispatched in Geneve);
 *   - native routing with `auto-direct-node-routes`: every other node's pod CIDR
 *     `via NODE_IP dev DEV proto kernel` when the route to the node's IP has no gateway (same L2
 *     segment); otherwise none (Cilium logs `route to destination … contains gateway …, must be
 *     directly reachable`, kept in `warnings`).
 *   - in a cluster mesh, the remote clusters' nodes count as other nodes (both rules above).
 *   - ROUTER (the `cilium_host` address): the CiliumNode's `CiliumInternalIP` when given, else the
 *     first address of the node's first pod CIDR (network + 1) not held by a pod on that node.
 *     (Real IPAM allocates it like a pod address, e.g. 172.20.0.167 in the lab; the scenario does
 *     not say which, so this is the model's documented choice.)
 *
 * Complexity: per host O(routes log routes + the host's own Cilium routes); the other nodes' pod
 * CIDRs are read only in tunnel mode or with auto-direct-node-routes (then O(nodes) per node, the
 * size of the table itself). Lookups of nodes, CiliumNodes and pods go through the cluster indexes.
 * A node's session lookups (`baseLookupOf`) build no table in the common case: its interfaces
 * and one default route answer an IPv4 lookup in closed form (`closedFormLookup`, O(addresses)),
 * the table without Cilium's part is built only when that does not fit.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { Host, IpAddress, IpPrefix, StaticRoute } from '../input/types.js';
import { familyOf, formatIp, formatPrefix, hostPrefix, ipFromValue, isIPv4, maskedPrefix, networkValue, parseIp, prefixContains, prefixLength, sameIp } from '../net/addr.js';
import { lookupRoute } from './lookup.js';
import { compareKernelOrder, sameRouteKey } from './order.js';
import type { HostLink, KernelRoute, LinkAddress, LookupResult, RoutingTable } from './types.js';
import { clusterIndexes } from '../cluster/indexes.js';
import { compareStrings } from '../net/compare.js';

/**
 * The base Ethernet MTU the model assumes for every device.
 *
 * @example
 * BASE_MTU - TUNNEL_OVERHEAD; // 1450, the MTU of Cilium's tunnel routes
 */
export const BASE_MTU = 1500;
/**
 * Cilium's tunnel overhead (`mtu.TunnelOverheadIPv4`).
 *
 * @example
 * BASE_MTU - TUNNEL_OVERHEAD; // 1450
 */
export const TUNNEL_OVERHEAD = 50;
/**
 * Cilium's extra overhead for the Geneve DSR option (`mtu.DsrTunnelOverhead`).
 *
 * @example
 * BASE_MTU - TUNNEL_OVERHEAD - DSR_TUNNEL_OVERHEAD; // 1438
 */
export const DSR_TUNNEL_OVERHEAD = 12;

/**
 * The address of a node's `cilium_host` device (Cilium's router IP) for a family, by the rule of
 * the module doc; `undefined` when the node has no pod CIDR of that family.
 *
 * @example
 * ciliumHostAddress(cluster, 'k8s-ctr')?.toString(); // '172.20.0.1' in the lab
 */
export function ciliumHostAddress(cluster: Cluster, nodeName: string, family: 4 | 6 = 4): IpAddress | undefined {
  // read several times per node (its links, its routes, the walk's node spec): computed once
  return clusterIndexes(cluster).derived('cilium-host-address', `${family}|${nodeName}`, () => computeCiliumHostAddress(cluster, nodeName, family));
}

function computeCiliumHostAddress(cluster: Cluster, nodeName: string, family: 4 | 6): IpAddress | undefined {
  const cn = clusterIndexes(cluster).ciliumNode(nodeName);
  const given = cn?.addresses.find((a) => a.type === 'CiliumInternalIP' && familyOf(a.ip) === family);
  if (given) return given.ip;
  const node = clusterIndexes(cluster).node(nodeName);
  const cidrs = (cn?.podCIDRs.length ? cn.podCIDRs : (node?.podCIDRs ?? [])).filter((p) => familyOf(p) === family);
  const cidr = cidrs[0];
  if (!cidr) return undefined;
  const bits = family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - prefixLength(cidr));
  const net = networkValue(cidr);
  const last = family === 4 && size > 2n ? net + size - 2n : net + size - 1n;
  const pods = clusterIndexes(cluster).podsOn(nodeName);
  // the common case, network + 1 free: one pass over the node's pods, no set built
  const first = net + 1n;
  if (first <= last && !pods.some((p) => !p.hostNetwork && p.podIPs.some((a) => a.bitSize === bits && a.value === first))) return ipFromValue(family, first);
  const used = new Set(
    pods
      .filter((p) => !p.hostNetwork)
      .flatMap((p) => p.podIPs)
      .filter((a) => familyOf(a) === family)
      .map((a) => a.value),
  );
  for (let v = net + 1n; v <= last; v++) {
    if (!used.has(v)) return ipFromValue(family, v);
  }
  return undefined;
}

/**
 * Pod CIDRs of a node: the CiliumNode's, else the Node's.
 *
 * @example
 * nodePodCidrs(cluster, 'k8s-w1').map(formatPrefix); // ['172.20.1.0/24']
 */
export function nodePodCidrs(cluster: Cluster, nodeName: string): readonly IpPrefix[] {
  const cn = clusterIndexes(cluster).ciliumNode(nodeName);
  if (cn && cn.podCIDRs.length > 0) return cn.podCIDRs;
  return clusterIndexes(cluster).node(nodeName)?.podCIDRs ?? [];
}

/**
 * A node's IP as Cilium picks it (`GetNodeIP`): the first InternalIP of the family, else the first
 * ExternalIP (CiliumNode addresses, else the Node's status addresses).
 *
 * @example
 * nodeAddress(cluster, 'k8s-w0')?.toString(); // '192.168.20.100'
 */
export function nodeAddress(cluster: Cluster, nodeName: string, family: 4 | 6 = 4): IpAddress | undefined {
  const cn = clusterIndexes(cluster).ciliumNode(nodeName);
  const node = clusterIndexes(cluster).node(nodeName);
  const all: { type: string; ip: IpAddress }[] = [
    ...(cn?.addresses ?? []).map((a) => ({ type: a.type, ip: a.ip })),
    ...(node?.addresses ?? []).map((a) => ({ type: a.type, ip: a.address })),
  ].filter((a) => familyOf(a.ip) === family);
  return (all.find((a) => a.type === 'InternalIP') ?? all.find((a) => a.type === 'ExternalIP'))?.ip;
}

interface Builder {
  readonly host: string;
  readonly links: HostLink[];
  main: KernelRoute[];
  local: KernelRoute[];
  readonly warnings: string[];
}

function linkAddresses(dev: string, addrs: readonly { address: IpAddress; prefixLength: number }[]): LinkAddress[] {
  const out: LinkAddress[] = [];
  for (const a of addrs) {
    const network = maskedPrefix(a.address, a.prefixLength);
    const primary = !out.some(
      (o) =>
        familyOf(o.address) === familyOf(a.address) &&
        o.prefixLength === a.prefixLength &&
        networkValue(o.network) === networkValue(network),
    );
    const loopback = familyOf(a.address) === 4 ? a.address.value >> 24n === 127n : a.address.value === 1n;
    out.push({
      dev,
      address: a.address,
      prefixLength: a.prefixLength,
      network,
      scope: loopback ? 'host' : 'global',
      primary,
    });
  }
  return out;
}

function dhcpMetric(host: Host, addr: LinkAddress): number {
  const r = host.routes.find(
    (s) =>
      s.protocol === 'dhcp' &&
      s.src !== undefined &&
      sameIp(s.src, addr.address) &&
      s.nexthops.some((n) => n.dev === undefined || n.dev === addr.dev),
  );
  return r?.metric ?? 0;
}

function addConnected(b: Builder, host: Host | undefined): void {
  for (const link of b.links) {
    for (const a of link.addresses) {
      const fam = familyOf(a.address);
      // local table
      b.local.push({
        table: 'local',
        type: 'local',
        dst: link.kind === 'loopback' && fam === 4 ? a.network : hostPrefix(a.address),
        nexthops: [{ dev: link.name, weight: 1 }],
        protocol: 'kernel',
        scope: 'host',
        prefsrc: a.address,
        metric: 0,
        origin: 'local',
      });
      if (link.kind === 'loopback' && fam === 4) {
        b.local.push({
          table: 'local',
          type: 'local',
          dst: hostPrefix(a.address),
          nexthops: [{ dev: link.name, weight: 1 }],
          protocol: 'kernel',
          scope: 'host',
          prefsrc: a.address,
          metric: 0,
          origin: 'local',
        });
      }
      if (fam === 4 && a.primary && a.prefixLength <= 30) {
        const bcast = networkValue(a.network) + (1n << BigInt(32 - a.prefixLength)) - 1n;
        b.local.push({
          table: 'local',
          type: 'broadcast',
          dst: hostPrefix(ipFromValue(4, bcast)),
          nexthops: [{ dev: link.name, weight: 1 }],
          protocol: 'kernel',
          scope: 'link',
          prefsrc: a.address,
          metric: 0,
          origin: 'local',
        });
      }
      // main table: prefix routes of primary addresses
      if (link.kind === 'loopback' || !a.primary) continue;
      if (fam === 4 && a.prefixLength < 32) {
        b.main.push({
          table: 'main',
          type: 'unicast',
          dst: a.network,
          nexthops: [{ dev: link.name, weight: 1 }],
          protocol: 'kernel',
          scope: 'link',
          prefsrc: a.address,
          metric: host ? dhcpMetric(host, a) : 0,
          origin: 'connected',
        });
      } else if (fam === 6 && a.prefixLength < 128) {
        b.main.push({
          table: 'main',
          type: 'unicast',
          dst: a.network,
          nexthops: [{ dev: link.name, weight: 1 }],
          protocol: 'kernel',
          scope: 'universe',
          metric: 256,
          origin: 'connected',
        });
      }
    }
  }
}

function snapshot(b: Builder, sysctl: Host['sysctl'], isNode: boolean): RoutingTable {
  return {
    host: b.host,
    isNode,
    links: b.links,
    main: [...b.main].sort(compareKernelOrder),
    local: [...b.local].sort(compareKernelOrder),
    multipathHashPolicy: parseHashPolicy(sysctl['net.ipv4.fib_multipath_hash_policy']),
    sysctl,
    warnings: b.warnings,
  };
}

function parseHashPolicy(text: string | undefined): number {
  const n = text === undefined ? 0 : parseInt(text.trim(), 10);
  return Number.isFinite(n) && n >= 0 && n <= 3 ? n : 0;
}

/** Adds a route unless one with the same key exists (`File exists`). */
function insert(b: Builder, route: KernelRoute, text: string): void {
  if (b.main.some((r) => sameRouteKey(r, route))) {
    b.warnings.push(`${text}: RTNETLINK answers: File exists`);
    return;
  }
  b.main.push(route);
}

function addStatic(b: Builder, host: Host): void {
  for (const s of host.routes) {
    const r = resolveStatic(b, s);
    if (typeof r === 'string') b.warnings.push(`${s.text}: Error: ${r}.`);
    else insert(b, r, s.text);
  }
}

function resolveStatic(b: Builder, s: StaticRoute): KernelRoute | string {
  const current = snapshot(b, {}, false);
  if (s.src && !b.links.some((l) => l.addresses.some((a) => sameIp(a.address, s.src)))) {
    return 'Invalid prefsrc address';
  }
  if (s.type !== 'unicast') {
    return {
      table: 'main',
      type: s.type,
      dst: s.dst,
      nexthops: [],
      protocol: s.protocol,
      scope: scopeOf(s.scope) ?? 'universe',
      ...(s.src ? { prefsrc: s.src } : {}),
      metric: s.metric,
      origin: 'static',
    };
  }
  const nexthops: { gateway?: IpAddress; dev: string; weight: number }[] = [];
  for (const nh of s.nexthops) {
    if (nh.dev !== undefined && !b.links.some((l) => l.name === nh.dev)) return 'Cannot find device "' + nh.dev + '"';
    if (!nh.gateway) {
      if (nh.dev === undefined) return 'Device for nexthop is not up';
      nexthops.push({ dev: nh.dev, weight: nh.weight });
      continue;
    }
    // the gateway must be reachable through a link-scope route (on the given device)
    const via = resolveGatewayDev(current, nh.gateway, nh.dev);
    if (via === undefined) return 'Nexthop has invalid gateway';
    nexthops.push({ gateway: nh.gateway, dev: via, weight: nh.weight });
  }
  if (nexthops.length === 0) return 'Nexthop device is not up';
  const hasGateway = nexthops.some((n) => n.gateway !== undefined);
  const scope = scopeOf(s.scope) ?? (hasGateway ? 'universe' : 'link');
  return {
    table: 'main',
    type: 'unicast',
    dst: s.dst,
    nexthops,
    protocol: s.protocol,
    scope,
    ...(s.src ? { prefsrc: s.src } : {}),
    metric: s.metric,
    origin: 'static',
  };
}

function scopeOf(text: string | undefined): KernelRoute['scope'] | undefined {
  switch (text) {
    case undefined:
      return undefined;
    case 'host':
      return 'host';
    case 'link':
      return 'link';
    default:
      return 'universe';
  }
}

function resolveGatewayDev(table: RoutingTable, gateway: IpAddress, dev: string | undefined): string | undefined {
  const fam = familyOf(gateway);
  const candidates = table.main
    .filter(
      (r) =>
        r.type === 'unicast' &&
        (r.scope === 'link' || r.scope === 'host' || (fam === 6 && r.origin === 'connected')) &&
        r.nexthops.length === 1 &&
        r.nexthops[0]?.gateway === undefined &&
        prefixContains(r.dst, gateway) &&
        (dev === undefined || r.nexthops[0]?.dev === dev),
    )
    .sort((a, b) => prefixLength(b.dst) - prefixLength(a.dst) || a.metric - b.metric);
  return candidates[0]?.nexthops[0]?.dev;
}

function routeMtu(cluster: Cluster): number {
  const c = cluster.config;
  const dsrGeneve = c.lbMode !== 'snat' && c.lbDsrDispatch === 'geneve';
  return BASE_MTU - TUNNEL_OVERHEAD - (dsrGeneve ? DSR_TUNNEL_OVERHEAD : 0);
}

function addCilium(b: Builder, cluster: Cluster, nodeName: string): void {
  const c = cluster.config;
  const families: (4 | 6)[] = [...(c.enableIPv4 ? [4 as const] : []), ...(c.enableIPv6 ? [6 as const] : [])];
  const tunnel = c.routingMode === 'tunnel';
  // Every other node (sorted), only where routes to them are made: tunnel mode, direct routes.
  const needOthers = tunnel || c.autoDirectNodeRoutes;
  const otherNodes = needOthers ? clusterIndexes(cluster).sortedNodeNames.filter((n) => n !== nodeName) : [];
  // the other nodes, then the nodes of the remote clusters of a cluster mesh (the agent's node
  // manager handles them alike: `pkg/datapath/linux/node.go`)
  const remoteNodes = needOthers ? (cluster.mesh?.remotes ?? []).flatMap((r) => r.nodes) : [];
  const peersOf = (fam: 4 | 6): { name: string; ip: IpAddress | undefined; cidrs: IpPrefix[] }[] => [
    ...otherNodes.map((n) => ({ name: n, ip: nodeAddress(cluster, n, fam), cidrs: nodePodCidrs(cluster, n).filter((p) => familyOf(p) === fam) })),
    ...remoteNodes.map((n) => ({
      name: n.name,
      ip: n.internalIP !== undefined && familyOf(n.internalIP) === fam ? n.internalIP : undefined,
      cidrs: n.podCidrs.filter((p) => familyOf(p) === fam),
    })),
  ];
  // the table as it stands before Cilium adds anything (for `ip route get NODE_IP`)
  const before = !tunnel && c.autoDirectNodeRoutes ? snapshot(b, {}, false) : undefined;
  for (const fam of families) {
    const router = ciliumHostAddress(cluster, nodeName, fam);
    const own = nodePodCidrs(cluster, nodeName).filter((p) => familyOf(p) === fam);
    const nodeRoute = (cidr: IpPrefix, mtu: number | undefined): KernelRoute | undefined => {
      if (!router) return undefined;
      return {
        table: 'main',
        type: 'unicast',
        dst: cidr,
        nexthops: [fam === 4 ? { gateway: router, dev: 'cilium_host', weight: 1 } : { dev: 'cilium_host', weight: 1 }],
        protocol: 'kernel',
        scope: 'universe',
        prefsrc: router,
        metric: fam === 4 ? 0 : 1024,
        ...(mtu !== undefined ? { mtu } : {}),
        origin: 'cilium',
      };
    };
    const nodeRoutes: KernelRoute[] = [];
    for (const cidr of own) {
      const r = nodeRoute(cidr, undefined);
      if (r) nodeRoutes.push(r);
    }
    const peers = peersOf(fam);
    if (tunnel) {
      for (const other of peers) {
        for (const cidr of other.cidrs) {
          const r = nodeRoute(cidr, routeMtu(cluster));
          if (r) nodeRoutes.push(r);
        }
      }
    }
    if (router && fam === 4 && nodeRoutes.length > 0) {
      // route.Upsert first makes the next hop reachable on cilium_host
      insert(
        b,
        {
          table: 'main',
          type: 'unicast',
          dst: hostPrefix(router),
          nexthops: [{ dev: 'cilium_host', weight: 1 }],
          protocol: 'kernel',
          scope: 'link',
          metric: 0,
          origin: 'cilium',
        },
        `cilium_host route ${formatIp(router)}`,
      );
    }
    for (const r of nodeRoutes) insert(b, r, `cilium route ${formatPrefix(r.dst)}`);
    if (!tunnel && c.autoDirectNodeRoutes) {
      for (const { name: other, ip, cidrs } of peers) {
        if (!ip || cidrs.length === 0) continue;
        const res = lookupRoute(before!, ip);
        if (res.kind !== 'unicast') {
          b.warnings.push(`Unable to install direct node route for ${other}: no route found to destination ${formatIp(ip)}`);
          continue;
        }
        if (res.gateway && !sameIp(res.gateway, ip)) {
          b.warnings.push(
            `Unable to install direct node route for ${other}: route to destination ${formatIp(ip)} contains gateway ${formatIp(res.gateway)}, must be directly reachable`,
          );
          continue;
        }
        for (const cidr of cidrs) {
          insert(
            b,
            {
              table: 'main',
              type: 'unicast',
              dst: cidr,
              nexthops: [{ gateway: ip, dev: res.dev, weight: 1 }],
              protocol: 'kernel',
              scope: 'universe',
              metric: fam === 4 ? 0 : 1024,
              origin: 'cilium',
            },
            `direct route ${formatPrefix(cidr)}`,
          );
        }
      }
    }
  }
}

function ciliumLinks(cluster: Cluster, nodeName: string, startIndex: number, withAddresses = true): HostLink[] {
  const addrs: { address: IpAddress; prefixLength: number }[] = [];
  const v4 = withAddresses && cluster.config.enableIPv4 ? ciliumHostAddress(cluster, nodeName, 4) : undefined;
  const v6 = withAddresses && cluster.config.enableIPv6 ? ciliumHostAddress(cluster, nodeName, 6) : undefined;
  if (v4) addrs.push({ address: v4, prefixLength: 32 });
  if (v6) addrs.push({ address: v6, prefixLength: 128 });
  const links: HostLink[] = [
    { name: 'cilium_net', index: startIndex, addresses: [], kind: 'cilium' },
    { name: 'cilium_host', index: startIndex + 1, addresses: linkAddresses('cilium_host', addrs), kind: 'cilium' },
  ];
  if (cluster.config.routingMode === 'tunnel') {
    const name = cluster.config.tunnelProtocol === 'geneve' ? 'cilium_geneve' : 'cilium_vxlan';
    links.push({ name, index: startIndex + 2, addresses: [], kind: 'cilium' });
  }
  return links;
}

/**
 * Builds one host's base table (see module doc).
 *
 * @example
 * const t = hostRoutingTable(cluster, cluster.hosts[0]!);
 */
export function hostRoutingTable(cluster: Cluster, host: Host): RoutingTable {
  return buildHostTable(cluster, host, true);
}

/**
 * A host's base table; `cilium` false: a node's table without what Cilium adds (the devices are
 * there, `cilium_host` without its address; no Cilium routes).
 */
function buildHostTable(cluster: Cluster, host: Host, cilium: boolean): RoutingTable {
  const name = host.meta.name;
  const isNode = (clusterIndexes(cluster).node(name) !== undefined);
  const links = hostLinks(cluster, host, isNode, cilium);
  const b: Builder = { host: name, links, main: [], local: [], warnings: [] };
  addConnected(b, host);
  addStatic(b, host);
  if (isNode && cilium) addCilium(b, cluster, name);
  return snapshot(b, host.sysctl, isNode);
}

/**
 * What a host's routing table says besides its routes: its name, links (devices and addresses),
 * sysctl and multipath hash policy, exactly as {@link hostRoutingTable} gives them, without
 * computing any route. O(the host's devices); for readers that need every host's addresses but
 * only some hosts' routes (the packet walk).
 *
 * @example
 * ```ts
 * import { hostShape } from 'cilium-twin/fib';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * hostShape(cluster, cluster.hosts[0]!).links.map((l) => l.name); // ['lo', 'eth0', …]
 * ```
 */
export function hostShape(cluster: Cluster, host: Host): HostShape {
  const isNode = clusterIndexes(cluster).node(host.meta.name) !== undefined;
  return {
    host: host.meta.name,
    isNode,
    links: hostLinks(cluster, host, isNode),
    multipathHashPolicy: parseHashPolicy(host.sysctl['net.ipv4.fib_multipath_hash_policy']),
    sysctl: host.sysctl,
  };
}

/**
 * A routing table without its routes (see {@link hostShape}).
 *
 * @example
 * ```ts
 * import type { HostShape } from 'cilium-twin/fib';
 * const s: HostShape = { host: 'router', isNode: false, links: [], multipathHashPolicy: 0, sysctl: {} };
 * ```
 */
export type HostShape = Pick<RoutingTable, 'host' | 'isNode' | 'links' | 'multipathHashPolicy' | 'sysctl'>;

/** The links of a host: `lo`, its interfaces, and on a node Cilium's devices (`cilium` false: `cilium_host` without its address). */
function hostLinks(cluster: Cluster, host: Host, isNode: boolean, cilium = true): HostLink[] {
  const name = host.meta.name;
  const lo = parseIp('127.0.0.1');
  const links: HostLink[] = [
    {
      name: 'lo',
      index: 1,
      addresses: lo ? linkAddresses('lo', [{ address: lo, prefixLength: 8 }]) : [],
      kind: 'loopback',
    },
  ];
  host.interfaces.forEach((i, k) => {
    links.push({
      name: i.name,
      index: k + 2,
      addresses: linkAddresses(
        i.name,
        i.addresses.map((a) => ({ address: a.address, prefixLength: a.prefixLength })),
      ),
      kind: 'ethernet',
    });
  });
  if (isNode) links.push(...ciliumLinks(cluster, name, host.interfaces.length + 2, cilium));
  return links;
}

/**
 * Lookups on a host's base table, answered where they can be from the table without Cilium's
 * part, which skips the `cilium_host` address (a scan of the node's pods) and Cilium's routes:
 * what a BGP session's source address and reachability need on each of thousands of nodes.
 */
export interface BaseLookup {
  /** `lookupRoute(table, dst)` on the host's base table (same kind, route, device, gateway, source). */
  lookup(dst: IpAddress): LookupResult;
  /** Whether `addr` is on a connected subnet of the host (as `connectedLookup` answers on the base table). */
  connected(addr: IpAddress): boolean;
}

/**
 * {@link BaseLookup} for one host; `full` gives the host's whole base table when a question
 * needs it. On a Kubernetes node in native routing without auto-direct-node-routes and without
 * static routes naming a `src`, a lookup of an address outside the node's pod CIDRs and
 * CiliumInternalIPs meets none of Cilium's routes or local addresses, so the table without
 * Cilium's part answers it, unless the route found goes through `cilium_host` or no source
 * address is left (then `cilium_host`'s address could be the source): those, and every other
 * host, ask `full`. Connected subnets never come from `cilium_host` (a /32 or /128).
 * O(the host's own routes) for the partial table, once; O(log routes) per lookup.
 *
 * @example
 * ```ts
 * import { IPv4 } from 'ip-num';
 * import { baseLookupOf, hostRoutingTable } from 'cilium-twin/fib';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const host = cluster.hosts[0]!;
 * const l = baseLookupOf(cluster, host, () => hostRoutingTable(cluster, host));
 * l.lookup(IPv4.fromString('192.168.10.200')); // as lookupRoute(hostRoutingTable(cluster, host), …)
 * ```
 */
export function baseLookupOf(cluster: Cluster, host: Host, full: () => RoutingTable): BaseLookup {
  const name = host.meta.name;
  const ix = clusterIndexes(cluster);
  const c = cluster.config;
  const eligible =
    ix.node(name) !== undefined && c.routingMode !== 'tunnel' && !c.autoDirectNodeRoutes && !host.routes.some((r) => r.src !== undefined);
  const whole: BaseLookup = {
    lookup: (dst) => lookupRoute(full(), dst),
    connected: (addr) => connectedOn(full(), addr),
  };
  if (!eligible) return whole;
  const cn = ix.ciliumNode(name);
  const guards: IpPrefix[] = [...(cn?.podCIDRs ?? []), ...(ix.node(name)?.podCIDRs ?? []), ...nodePodCidrs(cluster, name)];
  const internal = (cn?.addresses ?? []).filter((a) => a.type === 'CiliumInternalIP').map((a) => a.ip);
  let pre: RoutingTable | undefined;
  const partial = (): RoutingTable => (pre ??= buildHostTable(cluster, host, false));
  // the closed form of the partial table's IPv4 lookups (interfaces and one default route), made
  // when first asked; `null`: the host does not fit it
  let closed: ClosedFormLookup | null | undefined;
  const closedForm = (): ClosedFormLookup | null => (closed === undefined ? (closed = closedFormLookup(host) ?? null) : closed);
  return {
    lookup: (dst) => {
      if (guards.some((g) => prefixContains(g, dst)) || internal.some((a) => sameIp(a, dst))) return whole.lookup(dst);
      const r = closedForm()?.lookup(dst) ?? lookupRoute(partial(), dst);
      if (r.kind === 'unicast' && (r.src === undefined || r.dev === 'cilium_host')) return whole.lookup(dst);
      return r;
    },
    connected: (addr) => closedForm()?.connected(addr) ?? connectedOn(partial(), addr),
  };
}

/**
 * IPv4 lookups on a node's base table without Cilium's part, answered without building it (see
 * {@link closedFormLookup}); `undefined`: the closed form does not know, ask the table.
 */
export interface ClosedFormLookup {
  /** `lookupRoute` on the partial table (equal result), or `undefined`. */
  lookup(dst: IpAddress): LookupResult | undefined;
  /** `connectedOn` the partial table, or `undefined`. */
  connected(addr: IpAddress): boolean | undefined;
}

/** One IPv4 interface address as 32-bit numbers (the closed form's view of `linkAddresses`). */
interface V4Address {
  readonly address: IpAddress;
  readonly dev: string;
  readonly value: number;
  readonly len: number;
  readonly net: number;
  readonly mask: number;
  readonly primary: boolean;
}

function v4Mask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * The common case of a node's table without Cilium's part, in closed form: what the Host's
 * interfaces and at most one IPv4 static route, a `default via GW [dev DEV]` (no `src`, no
 * `scope`), give an IPv4 destination. The table there holds `lo`, the interfaces' local and
 * broadcast routes, their connected subnets (metric 0: no DHCP route names a `src`) and the
 * default route through the device of the longest connected subnet holding the gateway; so a
 * lookup is the longest connected subnet holding the destination (source: its address), else
 * the default route (source: the device's first primary address whose subnet holds the
 * gateway). Everything else is left to the table (`undefined`): the host's own, loopback and
 * broadcast addresses, ties between subnets of the same length on two devices, a default route
 * the table would refuse, IPv6. `undefined` for hosts that do not fit (other IPv4 static
 * routes, a `src`, an address in 127.0.0.0/8 or of length 0, interfaces named like `lo` or
 * Cilium's devices or twice). O(addresses) per lookup, no table built; the 1,000-run property
 * `test/properties/fib-closed-form.test.ts` checks it against the table.
 *
 * @example
 * ```ts
 * import { IPv4 } from 'ip-num';
 * import { closedFormLookup } from 'cilium-twin/fib';
 * declare const host: import('cilium-twin/input').Host;
 * const r = closedFormLookup(host)?.lookup(IPv4.fromString('192.168.255.254'));
 * if (r?.kind === 'unicast') r.src; // the eth0 address (192.168.0.10 on node-0 of the bench)
 * ```
 */
export function closedFormLookup(host: Host): ClosedFormLookup | undefined {
  const names = new Set<string>();
  const addrs: V4Address[] = [];
  for (const i of host.interfaces) {
    if (i.name === 'lo' || i.name.startsWith('cilium_') || names.has(i.name)) return undefined;
    names.add(i.name);
    const mine: V4Address[] = [];
    for (const a of i.addresses) {
      if (!isIPv4(a.address)) continue;
      const value = Number(a.address.value);
      const len = a.prefixLength;
      if (len < 1 || len > 32 || value >>> 24 === 127) return undefined;
      const mask = v4Mask(len);
      const net = (value & mask) >>> 0;
      const primary = !mine.some((o) => o.len === len && o.net === net);
      const v: V4Address = { address: a.address, dev: i.name, value, len, net, mask, primary };
      mine.push(v);
      addrs.push(v);
    }
  }
  let route: StaticRoute | undefined;
  for (const r of host.routes) {
    if (r.src !== undefined) return undefined;
    if (familyOf(r.dst) !== 4) continue;
    if (route !== undefined || r.type !== 'unicast' || prefixLength(r.dst) !== 0 || r.scope !== undefined || r.nexthops.length !== 1) return undefined;
    route = r;
  }
  // the device of the default route: the longest connected subnet holding the gateway (on the
  // given device), the only one of its length
  let dflt: { readonly route: KernelRoute; readonly src: IpAddress } | undefined;
  if (route !== undefined) {
    const nh = route.nexthops[0]!;
    if (nh.gateway === undefined || !isIPv4(nh.gateway)) return undefined;
    const gw = Number(nh.gateway.value);
    let best: V4Address | undefined;
    let tie = false;
    for (const a of addrs) {
      if (!a.primary || a.len === 32 || (nh.dev !== undefined && a.dev !== nh.dev) || ((gw & a.mask) >>> 0) !== a.net) continue;
      if (best === undefined || a.len > best.len) {
        best = a;
        tie = false;
      } else if (a.len === best.len) tie = true;
    }
    if (best === undefined || tie) return undefined;
    // the source: the device's first primary address whose subnet holds the gateway
    const src = addrs.find((a) => a.dev === best.dev && a.primary && ((gw & a.mask) >>> 0) === a.net)!;
    dflt = {
      route: {
        table: 'main',
        type: 'unicast',
        dst: route.dst,
        nexthops: [{ gateway: nh.gateway, dev: best.dev, weight: nh.weight }],
        protocol: route.protocol,
        scope: 'universe',
        metric: route.metric,
        origin: 'static',
      },
      src: src.address,
    };
  }
  const connectedRoutes = new Map<V4Address, KernelRoute>();
  return {
    lookup: (dst) => {
      if (!isIPv4(dst)) return undefined;
      const d = Number(dst.value);
      if (d >>> 24 === 127) return undefined;
      let best: V4Address | undefined;
      let tie = false;
      for (const a of addrs) {
        // the host's own and broadcast addresses are the local table's
        if (a.value === d || (a.primary && a.len <= 30 && (a.net | ~a.mask) >>> 0 === d)) return undefined;
        if (!a.primary || a.len === 32 || ((d & a.mask) >>> 0) !== a.net) continue;
        if (best === undefined || a.len > best.len) {
          best = a;
          tie = false;
        } else if (a.len === best.len) tie = true;
      }
      if (tie) return undefined;
      if (best !== undefined) {
        let r = connectedRoutes.get(best);
        if (r === undefined) {
          r = {
            table: 'main',
            type: 'unicast',
            dst: maskedPrefix(best.address, best.len),
            nexthops: [{ dev: best.dev, weight: 1 }],
            protocol: 'kernel',
            scope: 'link',
            prefsrc: best.address,
            metric: 0,
            origin: 'connected',
          };
          connectedRoutes.set(best, r);
        }
        return { kind: 'unicast', route: r, nexthop: r.nexthops[0]!, nexthopIndex: 0, dev: best.dev, src: best.address };
      }
      if (dflt === undefined) return undefined;
      const nexthop = dflt.route.nexthops[0]!;
      return { kind: 'unicast', route: dflt.route, nexthop, nexthopIndex: 0, dev: nexthop.dev, gateway: nexthop.gateway!, src: dflt.src };
    },
    connected: (addr) => {
      if (!isIPv4(addr)) return undefined;
      const d = Number(addr.value);
      return addrs.some((a) => ((d & a.mask) >>> 0) === a.net && a.value !== d);
    },
  };
}

/** Whether `addr` is on a connected subnet of the table's host (not its own address; no loopback). */
export function connectedOn(table: RoutingTable, addr: IpAddress): boolean {
  return table.links.some((l) => l.kind !== 'loopback' && l.addresses.some((a) => prefixContains(a.network, addr) && !sameIp(a.address, addr)));
}

/**
 * The base routing tables of every host of the cluster (nodes and routers), keyed by host name:
 * connected, static and Cilium routes, no BGP (see module doc).
 * Internal: not exported from the stage's sub-path (the tests' uncached entry point); users ask
 * the twin.
 *
 * @example
 * ```ts
 * const tables = baseRoutingTables(cluster);
 * tables.get('k8s-ctr')?.main.map((r) => r.origin); // ['static', 'connected', 'cilium', ...]
 * ```
 */
export function baseRoutingTables(cluster: Cluster): ReadonlyMap<string, RoutingTable> {
  const hosts = [...cluster.hosts].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  return new Map(hosts.map((h) => [h.meta.name, hostRoutingTable(cluster, h)] as const));
}
