/**
 * Zebra's `show ip route [bgp|connected|kernel|static]` (FRR 8.4, Debian/Ubuntu build codes).
 *
 * Zebra's RIB is built from the router's base routing table (connected routes `C`, the Host's
 * kernel routes `K`), its `ip route` statics (`S`) and BGP's selected routes (`B`, with every
 * multipath next hop). Per prefix, zebra selects connected first, then the lowest distance, then
 * the lowest metric (`>`); `*` marks what is in the kernel (selected routes, and kernel routes).
 * Routes of one prefix are listed newest first (BGP, static, kernel, connected). Uptime is the
 * model's fixed session uptime.
 *
 * @module
 */
import { familyOf, formatIp, formatPrefix, networkValue, prefixContains, prefixLength, sameIp } from '../../net/addr.js';
import { BGP_DISTANCE, SESSION_UPTIME_SECONDS } from '../../bgp/frr/defaults.js';
import type { FrrRouterState } from '../../bgp/network/types.js';
import { lookupRoute } from '../../fib/lookup.js';
import type { KernelRoute, RoutingTable } from '../../fib/types.js';
import type { Host, IpAddress, IpPrefix } from '../../input/types.js';
import { frrUptime } from './format.js';

/**
 * The codes legend zebra prints first.
 *
 * @example
 * ZEBRA_ROUTE_HEADER.split('\n')[0]; // 'Codes: K - kernel route, C - connected, S - static, R - RIP,'
 */
export const ZEBRA_ROUTE_HEADER = [
  'Codes: K - kernel route, C - connected, S - static, R - RIP,',
  '       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,',
  '       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
  '       f - OpenFabric,',
  '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
  '       t - trapped, o - offload failure',
  '',
  '',
].join('\n');

/**
 * The codes legend `show ipv6 route` prints first (zebra's `SHOW_ROUTE_V6_HEADER`, FRR 8.4).
 *
 * @example
 * ZEBRA_ROUTE_V6_HEADER.split('\n')[1]; // '       O - OSPFv3, I - IS-IS, B - BGP, N - NHRP, T - Table,'
 */
export const ZEBRA_ROUTE_V6_HEADER = [
  'Codes: K - kernel route, C - connected, S - static, R - RIPng,',
  '       O - OSPFv3, I - IS-IS, B - BGP, N - NHRP, T - Table,',
  '       v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
  '       f - OpenFabric,',
  '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
  '       t - trapped, o - offload failure',
  '',
  '',
].join('\n');

/**
 * Route type code zebra prints (`K` kernel, `C` connected, `S` static, `B` BGP).
 *
 * @example
 * const k: ZebraRouteKind = 'B';
 */
export type ZebraRouteKind = 'K' | 'C' | 'S' | 'B';
type Kind = ZebraRouteKind;

/**
 * A next hop of a zebra route.
 *
 * @example
 * const h: ZebraHop = { gateway: IPv4.fromString('192.168.10.100'), dev: 'eth1', weight: 1 };
 */
export interface ZebraHop {
  /** Gateway, when the route has one. */
  readonly gateway?: IpAddress;
  /** Device. */
  readonly dev?: string;
  /** Preferred source (kernel routes). */
  readonly src?: IpAddress;
  /** Weight, printed when set. */
  readonly weight?: number;
  /** Blackhole route. */
  readonly blackhole?: boolean;
  /** The next hop does not resolve. */
  readonly inactive?: boolean;
  /** The gateway is not on a connected subnet: zebra resolved it through another route. */
  readonly recursive?: boolean;
  /** What a recursive next hop resolves to (printed on the next line, indented). */
  readonly resolved?: ZebraHop;
}

/**
 * A route of zebra's RIB.
 *
 * @example
 * zebraRib(router, table, host)[0]?.kind; // 'K'
 */
export interface ZebraRoute {
  /** Type code. */
  readonly kind: ZebraRouteKind;
  /** Prefix. */
  readonly prefix: IpPrefix;
  /** Administrative distance. */
  readonly distance: number;
  /** Metric. */
  readonly metric: number;
  /** Next hops. */
  readonly hops: readonly ZebraHop[];
  /** Selected by zebra (`>`). */
  selected?: boolean;
  /** Already in the kernel (kernel routes). */
  readonly inKernel: boolean;
}

const ORDER: Readonly<Record<Kind, number>> = { B: 0, S: 1, K: 2, C: 3 };

function devFor(host: Host | undefined, gw: IpAddress): string | undefined {
  if (!host) return undefined;
  for (const i of host.interfaces) for (const a of i.addresses) if (prefixContains(a.network, gw) && !sameIp(a.address, gw)) return i.name;
  return undefined;
}

function fromKernel(r: KernelRoute, family: 4 | 6): ZebraRoute | undefined {
  if (r.table !== 'main' || familyOf(r.dst) !== family) return undefined;
  if (r.origin === 'zebra' || r.origin === 'local') return undefined;
  const kind: Kind = r.origin === 'connected' ? 'C' : 'K';
  const hops: ZebraHop[] =
    r.type !== 'unicast'
      ? [{ blackhole: true }]
      : r.nexthops.map((h) => ({
          ...(h.gateway !== undefined ? { gateway: h.gateway } : {}),
          dev: h.dev,
          ...(kind === 'K' && r.prefsrc !== undefined ? { src: r.prefsrc } : {}),
          ...(r.nexthops.length > 1 ? { weight: h.weight } : {}),
        }));
  return { kind, prefix: r.dst, distance: 0, metric: kind === 'C' ? 0 : r.metric, hops, inKernel: true };
}

/**
 * Zebra's routes of one router, selection marked.
 *
 * @example
 * zebraRib(router, baseTable, host).filter((r) => r.kind === 'B').length; // 4 in the lab with lb.yaml
 */
export function zebraRib(r: FrrRouterState, table: RoutingTable | undefined, host: Host | undefined, family: 4 | 6 = 4): readonly ZebraRoute[] {
  const routes: ZebraRoute[] = [];
  for (const k of table?.main ?? []) {
    const z = fromKernel(k, family);
    if (z) routes.push(z);
  }
  for (const s of r.config.staticRoutes) {
    if (familyOf(s.prefix) !== family) continue;
    const hop: ZebraHop = s.blackhole
      ? { blackhole: true }
      : s.gateway
        ? { gateway: s.gateway, weight: 1, ...(devFor(host, s.gateway) ? { dev: devFor(host, s.gateway)! } : { inactive: true }) }
        : { dev: s.dev ?? '', weight: 1 };
    routes.push({ kind: 'S', prefix: s.prefix, distance: s.distance, metric: 0, hops: [hop], inKernel: false });
  }
  for (const e of r.locRib) {
    if (e.best === undefined || familyOf(e.prefix) !== family) continue;
    const best = e.paths[e.best]!;
    if (best.source.kind !== 'peer') continue;
    const hops: ZebraHop[] = [];
    for (const i of e.multipath) {
      const c = e.paths[i]!;
      const nh = c.path.nextHop;
      if (hops.some((h) => h.gateway !== undefined && sameIp(h.gateway, nh))) continue;
      const dev = devFor(host, nh);
      if (dev !== undefined) {
        hops.push({ gateway: nh, dev, weight: 1 });
        continue;
      }
      const res = table ? lookupRoute(table, nh) : undefined;
      if (res?.kind === 'unicast') {
        hops.push({ gateway: nh, weight: 1, recursive: true, resolved: { gateway: res.gateway ?? nh, dev: res.dev, weight: 1 } });
      } else hops.push({ gateway: nh, weight: 1, inactive: true });
    }
    hops.sort((a, b) => (a.gateway!.getValue() < b.gateway!.getValue() ? -1 : a.gateway!.getValue() > b.gateway!.getValue() ? 1 : 0));
    routes.push({
      kind: 'B',
      prefix: e.prefix,
      distance: best.source.type === 'external' ? BGP_DISTANCE.ebgp : BGP_DISTANCE.ibgp,
      metric: best.path.med ?? 0,
      hops,
      inKernel: false,
      selected: e.installed,
    });
  }
  // Selection per prefix (BGP routes as zebra decided when installing).
  const byPrefix = new Map<string, ZebraRoute[]>();
  for (const z of routes) {
    const k = formatPrefix(z.prefix);
    byPrefix.set(k, [...(byPrefix.get(k) ?? []), z]);
  }
  for (const list of byPrefix.values()) {
    if (list.some((z) => z.kind === 'B' && z.selected)) continue;
    const usable = list.filter((z) => z.kind !== 'B' && z.hops.some((h) => !h.inactive));
    const sel = [...usable].sort((a, b) => {
      if ((a.kind === 'C') !== (b.kind === 'C')) return a.kind === 'C' ? -1 : 1;
      return a.distance - b.distance || a.metric - b.metric;
    })[0];
    if (sel) sel.selected = true;
  }
  return routes.sort((a, b) => {
    const av = networkValue(a.prefix);
    const bv = networkValue(b.prefix);
    if (av !== bv) return av < bv ? -1 : 1;
    const al = prefixLength(a.prefix);
    const bl = prefixLength(b.prefix);
    return al - bl || ORDER[a.kind] - ORDER[b.kind];
  });
}

function hopText(h: ZebraHop): string {
  let t: string;
  if (h.blackhole) t = ' unreachable (blackhole)';
  else if (h.gateway !== undefined) t = ` via ${formatIp(h.gateway)}${h.dev !== undefined && h.dev !== '' ? `, ${h.dev}` : ''}`;
  else t = ` is directly connected, ${h.dev ?? ''}`;
  if (h.inactive) t += ' inactive';
  if (h.recursive) t += ' (recursive)';
  if (h.src !== undefined) t += `, src ${formatIp(h.src)}`;
  if (h.weight !== undefined) t += `, weight ${h.weight}`;
  return t;
}

/**
 * `show ip route [TYPE]`: zebra's IPv4 RIB, or only routes of one type (`bgp`, `connected`,
 * `kernel`, `static`).
 *
 * @example
 * ```ts
 * renderShowIpRoute(router, baseTables.get('router'), host, 'bgp');
 * // Codes: K - kernel route, …
 * // B>* 172.20.0.0/24 [20/0] via 192.168.10.100, eth1, weight 1, 00:03:38
 * ```
 */
export function renderShowIpRoute(
  r: FrrRouterState,
  table: RoutingTable | undefined,
  host: Host | undefined,
  type?: 'bgp' | 'connected' | 'kernel' | 'static',
  family: 4 | 6 = 4,
): string {
  const want: Kind | undefined = type === undefined ? undefined : ({ bgp: 'B', connected: 'C', kernel: 'K', static: 'S' } as const)[type];
  const uptime = frrUptime(SESSION_UPTIME_SECONDS);
  const lines: string[] = [];
  for (const z of zebraRib(r, table, host, family)) {
    if (want !== undefined && z.kind !== want) continue;
    const installed = (z.selected ?? false) || z.kind === 'K';
    const display: { hop: ZebraHop; level: number }[] = z.hops.flatMap((h) => (h.resolved ? [{ hop: h, level: 0 }, { hop: h.resolved, level: 1 }] : [{ hop: h, level: 0 }]));
    const statusOf = (h: ZebraHop): string => (installed && !h.recursive && !h.inactive ? '*' : ' ');
    const first = display[0];
    let head = `${z.kind}${z.selected ? '>' : ' '}${first ? statusOf(first.hop) : ' '} ${formatPrefix(z.prefix)}`;
    if (z.kind !== 'C' || z.distance !== 0 || z.metric !== 0) head += ` [${z.distance}/${z.metric}]`;
    const len = head.length;
    display.forEach(({ hop, level }, i) => {
      const lead = i === 0 ? head : `  ${statusOf(hop)}${' '.repeat(Math.max(0, len - 3 + 2 * level))}`;
      lines.push(`${lead}${hopText(hop)}, ${uptime}`);
    });
  }
  return (family === 4 ? ZEBRA_ROUTE_HEADER : ZEBRA_ROUTE_V6_HEADER) + (lines.length > 0 ? `${lines.join('\n')}\n` : '');
}
