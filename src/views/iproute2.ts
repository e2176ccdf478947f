/**
 * iproute2's formats: `ip route` (text and `-j` JSON), `ip route get`, `ip -br addr`.
 *
 * Text follows iproute2's `print_route` (ip/iproute.c): each printed field is followed by one
 * space, so lines end with a space as on a real terminal; the type is printed unless `unicast`,
 * host routes without `/32`, `default` for 0.0.0.0/0, then `nhid`, `via`, `dev`, `table` (only when
 * not filtered by table and not main), `proto` (not for `boot`), `scope` (not for `universe`/global),
 * `src`, `metric` (not for 0), route metrics (`mtu`), IPv6 `pref medium`, then one line per ECMP
 * member: a tab, `nexthop via GW dev DEV weight W `. JSON has the same fields, in the same order,
 * with `flags: []` always present (`print_rt_flags`).
 *
 * @module
 */
import { familyOf, formatIp, formatPrefix, prefixLength, prefixNetwork } from '../net/addr.js';
import type { HostLink, KernelRoute, LookupResult } from '../fib/types.js';
import type { IpAddress } from '../input/types.js';

/**
 * Options of a route listing.
 *
 * @example
 * renderRoutes(table.local, { tableFiltered: true }); // as `ip route show table local`
 */
export interface RouteListOptions {
  /** True when the listing was filtered by `table` (then `table X` is never printed). */
  readonly tableFiltered?: boolean;
}

function dstText(r: KernelRoute): string {
  const full = familyOf(r.dst) === 4 ? 32 : 128;
  const len = prefixLength(r.dst);
  if (len === 0) return 'default';
  if (len === full) return formatIp(prefixNetwork(r.dst));
  return formatPrefix(r.dst);
}

function scopeText(s: KernelRoute['scope']): string | undefined {
  return s === 'universe' ? undefined : s;
}

/**
 * One route as `ip route` prints it, without the final newline (ECMP members on following lines).
 *
 * @example
 * formatRoute(route); // '172.20.0.0/24 nhid 10 via 192.168.10.100 dev eth1 proto bgp metric 20 '
 */
export function formatRoute(r: KernelRoute, options: RouteListOptions = {}): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  s += `${dstText(r)} `;
  if (r.nhid !== undefined) s += `nhid ${r.nhid} `;
  const single = r.nexthops.length === 1 ? r.nexthops[0] : undefined;
  if (single?.gateway) s += `via ${formatIp(single.gateway)} `;
  if (single) s += `dev ${single.dev} `;
  if (r.table !== 'main' && !options.tableFiltered) s += `table ${r.table} `;
  if (r.protocol !== 'boot') s += `proto ${r.protocol} `;
  const scope = scopeText(r.scope);
  if (scope) s += `scope ${scope} `;
  if (r.prefsrc) s += `src ${formatIp(r.prefsrc)} `;
  if (r.metric !== 0) s += `metric ${r.metric} `;
  if (r.mtu !== undefined) s += `mtu ${r.mtu} `;
  if (familyOf(r.dst) === 6) s += 'pref medium ';
  if (r.nexthops.length > 1) {
    for (const n of r.nexthops) {
      s += '\n\tnexthop ';
      if (n.gateway) s += `via ${formatIp(n.gateway)} `;
      s += `dev ${n.dev} weight ${n.weight} `;
    }
  }
  return s;
}

/**
 * A route listing as `ip route [show]` prints it (one route per line, each ending in a newline).
 *
 * @example
 * renderRoutes(table.main); // 'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 \n...'
 */
export function renderRoutes(routes: readonly KernelRoute[], options: RouteListOptions = {}): string {
  return routes.map((r) => `${formatRoute(r, options)}\n`).join('');
}

/**
 * One route as an `ip -j route` JSON object (iproute2's keys and order).
 *
 * @example
 * routeJson(route); // { dst: '172.20.0.0/24', nhid: 10, gateway: '192.168.10.100', dev: 'eth1', protocol: 'bgp', metric: 20, flags: [] }
 */
export function routeJson(r: KernelRoute, options: RouteListOptions = {}): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r.type !== 'unicast') o['type'] = r.type;
  o['dst'] = dstText(r);
  if (r.nhid !== undefined) o['nhid'] = r.nhid;
  const single = r.nexthops.length === 1 ? r.nexthops[0] : undefined;
  if (single?.gateway) o['gateway'] = formatIp(single.gateway);
  if (single) o['dev'] = single.dev;
  if (r.table !== 'main' && !options.tableFiltered) o['table'] = r.table;
  if (r.protocol !== 'boot') o['protocol'] = r.protocol;
  const scope = scopeText(r.scope);
  if (scope) o['scope'] = scope;
  if (r.prefsrc) o['prefsrc'] = formatIp(r.prefsrc);
  if (r.metric !== 0) o['metric'] = r.metric;
  o['flags'] = [];
  if (r.mtu !== undefined) o['metrics'] = [{ mtu: r.mtu }];
  if (familyOf(r.dst) === 6) o['pref'] = 'medium';
  if (r.nexthops.length > 1) {
    o['nexthops'] = r.nexthops.map((n) => ({
      ...(n.gateway ? { gateway: formatIp(n.gateway) } : {}),
      dev: n.dev,
      weight: n.weight,
      flags: [],
    }));
  }
  return o;
}

/**
 * A route listing as `ip -j route` prints it: one line of compact JSON.
 *
 * @example
 * renderRoutesJson(table.main); // '[{"dst":"default",...}]\n'
 */
export function renderRoutesJson(routes: readonly KernelRoute[], options: RouteListOptions = {}): string {
  return `${JSON.stringify(routes.map((r) => routeJson(r, options)))}\n`;
}

/**
 * What `ip route get` was asked.
 *
 * @example
 * const q: RouteGetQuery = { dst: IPv4.fromString('172.20.1.76'), from: IPv4.fromString('192.168.10.100') };
 */
export interface RouteGetQuery {
  /** Destination. */
  readonly dst: IpAddress;
  /** `from` address, when given. */
  readonly from?: IpAddress;
}

/**
 * `ip route get` output for a lookup result: `{stdout}` for a route, `{stderr}` with
 * `RTNETLINK answers: …` for an error (iproute2 then exits with status 2).
 *
 * @example
 * renderRouteGet({ dst }, result).stdout; // '172.20.1.76 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0 \n    cache \n'
 */
export function renderRouteGet(q: RouteGetQuery, r: LookupResult): { stdout: string; stderr: string } {
  if (r.kind === 'error') return { stdout: '', stderr: `RTNETLINK answers: ${r.reason}\n` };
  if (familyOf(q.dst) === 6) return { stdout: routeGet6(q, r), stderr: '' };
  let s = '';
  if (r.kind === 'local') s += r.route.type === 'broadcast' ? 'broadcast ' : 'local ';
  s += `${formatIp(q.dst)} `;
  if (q.from) s += `from ${formatIp(q.from)} `;
  if (r.kind === 'unicast' && r.gateway) s += `via ${formatIp(r.gateway)} `;
  s += `dev ${r.dev} `;
  if (r.kind === 'local') s += 'table local ';
  if (r.src && !(q.from && r.src.value === q.from.value)) s += `src ${formatIp(r.src)} `;
  s += 'uid 0 \n    cache ';
  if (r.kind === 'local') s += r.route.type === 'broadcast' ? '<local,brd> ' : '<local> ';
  if (r.kind === 'unicast' && r.route.mtu !== undefined) s += `mtu ${r.route.mtu} `;
  return { stdout: `${s}\n`, stderr: '' };
}

/**
 * ipv6 (issue 18): `ip -6 route get` as iproute2 prints the kernel's IPv6 answer
 * (`rt6_fill_node`): the source as `from ::` (or the given one), the route's `proto`, `metric`
 * and `pref medium`; no `uid`, and no `cache` line (the answer is the FIB route, not a clone).
 */
function routeGet6(q: RouteGetQuery, r: Exclude<LookupResult, { kind: 'error' }>): string {
  let s = '';
  if (r.kind === 'local') s += 'local ';
  s += `${formatIp(q.dst)} from ${q.from ? formatIp(q.from) : '::'} `;
  if (r.kind === 'unicast' && r.gateway) s += `via ${formatIp(r.gateway)} `;
  s += `dev ${r.dev} `;
  if (r.kind === 'local') s += 'table local ';
  if (r.route.protocol !== 'boot') s += `proto ${r.route.protocol} `;
  if (r.src && !(q.from && r.src.value === q.from.value)) s += `src ${formatIp(r.src)} `;
  s += `metric ${r.route.metric} `;
  if (r.kind === 'unicast' && r.route.mtu !== undefined) s += `mtu ${r.route.mtu} `;
  s += 'pref medium ';
  return `${s}\n`;
}

/**
 * `ip -j route get` output (one compact JSON line), or the same error as the text form.
 *
 * @example
 * renderRouteGetJson({ dst }, result).stdout; // '[{"dst":"172.20.1.76","gateway":"192.168.10.200",...}]\n'
 */
export function renderRouteGetJson(q: RouteGetQuery, r: LookupResult): { stdout: string; stderr: string } {
  if (r.kind === 'error') return { stdout: '', stderr: `RTNETLINK answers: ${r.reason}\n` };
  const o: Record<string, unknown> = {};
  if (r.kind === 'local') o['type'] = r.route.type === 'broadcast' ? 'broadcast' : 'local';
  o['dst'] = formatIp(q.dst);
  if (q.from) o['from'] = formatIp(q.from);
  if (r.kind === 'unicast' && r.gateway) o['gateway'] = formatIp(r.gateway);
  o['dev'] = r.dev;
  if (r.kind === 'local') o['table'] = 'local';
  if (r.src && !(q.from && r.src.value === q.from.value)) o['prefsrc'] = formatIp(r.src);
  o['flags'] = [];
  o['uid'] = 0;
  o['cache'] = r.kind === 'local' ? (r.route.type === 'broadcast' ? ['local', 'brd'] : ['local']) : [];
  if (r.kind === 'unicast' && r.route.mtu !== undefined) o['metrics'] = [{ mtu: r.route.mtu }];
  return { stdout: `${JSON.stringify([o])}\n`, stderr: '' };
}

function linkName(l: HostLink): string {
  if (l.name === 'cilium_net') return 'cilium_net@cilium_host';
  if (l.name === 'cilium_host') return 'cilium_host@cilium_net';
  return l.name;
}

/**
 * `ip -br addr` (`ip -brief address show`): name (padded to 16), operational state (padded to 14),
 * then each address as `ADDR/LEN `. `lo` reports `UNKNOWN`, other devices `UP`. IPv6 link-local
 * addresses are not modelled.
 *
 * @example
 * renderBriefAddresses(table.links, 4); // 'lo               UNKNOWN        127.0.0.1/8 \n...'
 */
export function renderBriefAddresses(links: readonly HostLink[], family?: 4 | 6): string {
  return links
    .map((l) => {
      const name = linkName(l);
      const state = l.kind === 'loopback' ? 'UNKNOWN' : 'UP';
      const addrs = l.addresses
        .filter((a) => family === undefined || familyOf(a.address) === family)
        .map((a) => `${formatIp(a.address)}/${a.prefixLength} `)
        .join('');
      return `${name.padEnd(16)} ${state.padEnd(14)} ${addrs}\n`;
    })
    .join('');
}
