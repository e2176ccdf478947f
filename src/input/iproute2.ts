/**
 * Reads routes written the way `ip route` prints them (iproute2 syntax), one route a line, with
 * multipath next hops on the route's line or on the indented lines that follow it:
 *
 * ```
 * default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
 * 192.168.20.0/24 via 192.168.10.200 dev eth1 proto static
 * blackhole 10.0.0.0/8
 * 10.1.0.0/16 proto bgp metric 20
 * 	nexthop via 192.168.10.100 dev eth1 weight 1
 * 	nexthop via 192.168.20.100 dev eth2 weight 1
 * ```
 *
 * A route printed without `proto` has protocol `boot` (iproute2 omits it), without `metric` has
 * metric 0 (IPv6: 1024, as the kernel sets it), a next hop without `weight` has weight 1.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IpAddress, IpPrefix, StaticNextHop, StaticRoute } from './types.js';
import { familyOf, parseIp, parsePrefix } from '../net/addr.js';

/**
 * A problem on one line of a routes text.
 *
 * @example
 * // { line: 3, message: 'via: expected an address, got "nowhere"' }
 */
export interface RouteLineError {
  /** Line number, 1-based. */
  readonly line: number;
  /** What is wrong. */
  readonly message: string;
}

const TYPES = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit']);
const UNSUPPORTED_TYPES = new Set(['local', 'broadcast', 'anycast', 'multicast', 'throw', 'nat']);
/** Flags iproute2 may print that do not change where a packet goes. */
const IGNORED_FLAGS = new Set(['onlink', 'linkdown', 'pervasive', 'offload', 'trap', 'dead', 'notify', 'rt_offload', 'rt_trap', 'rt_offload_failed']);
/** Attributes with a value that do not change where a packet goes. */
const IGNORED_WITH_VALUE = new Set([
  'mtu', 'advmss', 'realm', 'realms', 'pref', 'expires', 'initcwnd', 'initrwnd', 'hoplimit', 'rtt', 'rttvar',
  'rto_min', 'ssthresh', 'cwnd', 'window', 'quickack', 'features', 'congctl', 'fastopen_no_cookie', 'reordering',
  'tos', 'dsfield', 'nhid', 'error', 'cache',
]);

interface Draft {
  type: StaticRoute['type'];
  dst: IpPrefix;
  protocol: string;
  scope?: string;
  src?: IpAddress;
  metric: number;
  nexthops: StaticNextHop[];
  /** The single next hop given on the route's own words (`via`/`dev`), if any. */
  direct: { gateway?: IpAddress; dev?: string };
  text: string;
  line: number;
}

function parseDst(word: string, family: 4 | 6): IpPrefix | undefined {
  if (word === 'default') return parsePrefix(family === 4 ? '0.0.0.0/0' : '::/0');
  if (word.includes('/')) return parsePrefix(word);
  const a = parseIp(word);
  if (a === undefined) return undefined;
  return parsePrefix(`${word}/${familyOf(a) === 4 ? 32 : 128}`);
}

function parseUint(word: string | undefined, max: number): number | undefined {
  if (word === undefined || !/^[0-9]+$/.test(word)) return undefined;
  const n = Number(word);
  return n <= max ? n : undefined;
}

/** Parses the words of one `nexthop ...` group. */
function parseNexthop(words: readonly string[], line: number): E.Either<RouteLineError, StaticNextHop> {
  let gateway: IpAddress | undefined;
  let dev: string | undefined;
  let weight = 1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w === 'via') {
      let addr = next;
      if (addr === 'inet' || addr === 'inet6') {
        i++;
        addr = words[i + 1];
      }
      const a = addr === undefined ? undefined : parseIp(addr);
      if (a === undefined) return E.left({ line, message: `nexthop via: expected an address, got ${JSON.stringify(addr ?? '')}` });
      gateway = a;
      i++;
    } else if (w === 'dev') {
      if (next === undefined) return E.left({ line, message: 'nexthop dev: expected a device name' });
      dev = next;
      i++;
    } else if (w === 'weight') {
      const n = parseUint(next, 256);
      if (n === undefined || n < 1) return E.left({ line, message: `nexthop weight: expected 1..256, got ${JSON.stringify(next ?? '')}` });
      weight = n;
      i++;
    } else if (IGNORED_FLAGS.has(w)) {
      continue;
    } else if (IGNORED_WITH_VALUE.has(w)) {
      i++;
    } else {
      return E.left({ line, message: `nexthop: unknown word ${JSON.stringify(w)}` });
    }
  }
  if (gateway === undefined && dev === undefined) return E.left({ line, message: 'nexthop needs via or dev' });
  return E.right({ ...(gateway !== undefined ? { gateway } : {}), ...(dev !== undefined ? { dev } : {}), weight });
}

/** Splits words into the route's own words and the `nexthop` groups that follow them. */
function splitNexthops(words: readonly string[]): { head: string[]; groups: string[][] } {
  const head: string[] = [];
  const groups: string[][] = [];
  for (const w of words) {
    if (w === 'nexthop') groups.push([]);
    else if (groups.length > 0) groups[groups.length - 1]!.push(w);
    else head.push(w);
  }
  return { head, groups };
}

function parseHead(words: readonly string[], line: number, text: string): E.Either<RouteLineError, Draft> {
  let i = 0;
  let type: StaticRoute['type'] = 'unicast';
  const first = words[0]!;
  if (TYPES.has(first)) {
    type = first as StaticRoute['type'];
    i++;
  } else if (UNSUPPORTED_TYPES.has(first)) {
    return E.left({ line, message: `route type ${first} is not supported (unicast, blackhole, unreachable, prohibit)` });
  }
  const dstWord = words[i];
  if (dstWord === undefined) return E.left({ line, message: 'expected a destination prefix' });
  // The family of `default` follows the first address on the line.
  const firstAddr = words.slice(i + 1).map(parseIp).find((a) => a !== undefined);
  const dst = parseDst(dstWord, firstAddr !== undefined ? familyOf(firstAddr) : 4);
  if (dst === undefined) return E.left({ line, message: `expected a destination prefix, got ${JSON.stringify(dstWord)}` });
  const draft: Draft = { type, dst, protocol: 'boot', metric: 0, nexthops: [], direct: {}, text, line };
  for (i = i + 1; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    switch (w) {
      case 'via': {
        let addr = next;
        if (addr === 'inet' || addr === 'inet6') {
          i++;
          addr = words[i + 1];
        }
        const a = addr === undefined ? undefined : parseIp(addr);
        if (a === undefined) return E.left({ line, message: `via: expected an address, got ${JSON.stringify(addr ?? '')}` });
        draft.direct.gateway = a;
        i++;
        break;
      }
      case 'dev':
      case 'oif':
        if (next === undefined) return E.left({ line, message: 'dev: expected a device name' });
        draft.direct.dev = next;
        i++;
        break;
      case 'proto':
      case 'protocol':
        if (next === undefined) return E.left({ line, message: 'proto: expected a protocol name' });
        draft.protocol = next;
        i++;
        break;
      case 'scope':
        if (next === undefined) return E.left({ line, message: 'scope: expected a scope' });
        draft.scope = next;
        i++;
        break;
      case 'src': {
        const a = next === undefined ? undefined : parseIp(next);
        if (a === undefined) return E.left({ line, message: `src: expected an address, got ${JSON.stringify(next ?? '')}` });
        draft.src = a;
        i++;
        break;
      }
      case 'metric':
      case 'preference':
      case 'priority': {
        const n = parseUint(next, 4294967295);
        if (n === undefined) return E.left({ line, message: `metric: expected a number, got ${JSON.stringify(next ?? '')}` });
        draft.metric = n;
        i++;
        break;
      }
      case 'table':
        if (next !== 'main' && next !== '254') return E.left({ line, message: `only the main table is modelled, got table ${next ?? ''}` });
        i++;
        break;
      default:
        if (IGNORED_FLAGS.has(w)) break;
        if (IGNORED_WITH_VALUE.has(w)) {
          if (next === 'lock') i++;
          i++;
          break;
        }
        return E.left({ line, message: `unknown word ${JSON.stringify(w)}` });
    }
  }
  return E.right(draft);
}

function finish(d: Draft): E.Either<RouteLineError, StaticRoute> {
  const nexthops = [...d.nexthops];
  if (d.direct.gateway !== undefined || d.direct.dev !== undefined) {
    if (nexthops.length > 0) return E.left({ line: d.line, message: 'give via/dev or nexthop groups, not both' });
    nexthops.push({ ...d.direct, weight: 1 });
  }
  if (d.type === 'unicast' && nexthops.length === 0) return E.left({ line: d.line, message: 'a unicast route needs via, dev or nexthop' });
  if (d.type !== 'unicast' && nexthops.length > 0) return E.left({ line: d.line, message: `a ${d.type} route takes no next hop` });
  return E.right({
    type: d.type,
    dst: d.dst,
    nexthops,
    protocol: d.protocol,
    ...(d.scope !== undefined ? { scope: d.scope } : {}),
    ...(d.src !== undefined ? { src: d.src } : {}),
    // ipv6 (issue 18): the kernel gives an IPv6 route without a metric (or metric 0) 1024 (IP6_RT_PRIO_USER)
    metric: d.metric === 0 && familyOf(d.dst) === 6 ? 1024 : d.metric,
    text: d.text,
  });
}

/**
 * Parses a routes text in iproute2 syntax into routes, or the errors with their line numbers.
 * Blank lines and `#` comments are skipped; lines that start with whitespace and `nexthop`
 * continue the route above them.
 *
 * @example
 * parseIproute2Routes('default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100');
 * // right([{ type: 'unicast', dst: 0.0.0.0/0, nexthops: [{ gateway: 10.0.2.2, dev: 'eth0', weight: 1 }], protocol: 'dhcp', metric: 100, ... }])
 */
export function parseIproute2Routes(text: string): E.Either<readonly RouteLineError[], readonly StaticRoute[]> {
  const errors: RouteLineError[] = [];
  const routes: StaticRoute[] = [];
  let current: Draft | undefined;
  /** The route above had an error: its next-hop lines are skipped, not reported again. */
  let skipping = false;
  const close = (): void => {
    if (current === undefined) return;
    const r = finish(current);
    if (E.isLeft(r)) errors.push(r.left);
    else routes.push(r.right);
    current = undefined;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const body = raw.replace(/#.*$/, '');
    const words = body.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return;
    if (words[0] === 'nexthop' && /^\s/.test(body)) {
      if (current === undefined) {
        if (!skipping) errors.push({ line, message: 'nexthop line without a route above it' });
        return;
      }
      const draft = current;
      for (const group of splitNexthops(words).groups) {
        const nh = parseNexthop(group, line);
        if (E.isLeft(nh)) errors.push(nh.left);
        else draft.nexthops.push(nh.right);
      }
      draft.text += `\n${raw}`;
      return;
    }
    close();
    skipping = true;
    const { head, groups } = splitNexthops(words);
    if (head.length === 0) {
      errors.push({ line, message: 'expected a destination prefix' });
      return;
    }
    const d = parseHead(head, line, raw.trim());
    if (E.isLeft(d)) {
      errors.push(d.left);
      return;
    }
    for (const group of groups) {
      const nh = parseNexthop(group, line);
      if (E.isLeft(nh)) errors.push(nh.left);
      else d.right.nexthops.push(nh.right);
    }
    current = d.right;
    skipping = false;
  });
  close();
  return errors.length > 0 ? E.left(errors) : E.right(routes);
}
