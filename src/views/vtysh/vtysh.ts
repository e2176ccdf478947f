/**
 * vtysh's command line: the `show` commands the model answers, with FRR's keyword abbreviations
 * (`sh ip b su`, `show run`), dispatched to the views.
 *
 * Supported: `show running-config`; `show ip bgp [ipv4 [unicast]] [summary | A.B.C.D[/M]]`;
 * `show bgp [ipv4|ipv6 [unicast]] [summary | ADDRESS[/M]]` (ipv6, issue 18; `show bgp summary`
 * lists each family with activated neighbours); `show ip route [bgp | connected | kernel |
 * static]`; `show ipv6 route [bgp | connected | kernel | static]`. Anything else answers `% Unknown command: …` (exit 1), as vtysh does.
 *
 * @module
 */
import { familyOf, parseIp, parsePrefix } from '../../net/addr.js';
import { familyRouterState } from '../../bgp/network/family.js';
import type { FrrRouterState } from '../../bgp/network/types.js';
import type { RoutingTable } from '../../fib/types.js';
import type { Host } from '../../input/types.js';
import { renderShowIpBgp, renderShowIpBgpPrefix, renderShowIpBgpSummary } from './bgp.js';
import { renderShowIpRoute } from './route.js';
import { renderRunningConfig } from './running.js';

/**
 * What vtysh on one router sees.
 *
 * @example
 * const input: VtyshInput = { router, table: baseTables.get('router'), host };
 */
export interface VtyshInput {
  /** The router's BGP state. */
  readonly router: FrrRouterState;
  /** The router's routing table without BGP routes (connected and kernel routes for zebra). */
  readonly table?: RoutingTable;
  /** The router's Host. */
  readonly host?: Host;
}

/**
 * The answer to one command.
 *
 * @example
 * const r: VtyshResult = { output: 'end\n', ok: true };
 */
export interface VtyshResult {
  /** Text vtysh prints. */
  readonly output: string;
  /** False for an unknown or incomplete command (vtysh exits 1). */
  readonly ok: boolean;
}

/** The unique keyword among `options` that `word` abbreviates (an exact match wins). */
function keyword(word: string | undefined, options: readonly string[]): string | undefined {
  if (word === undefined) return undefined;
  if (options.includes(word)) return word;
  const hits = options.filter((o) => o.startsWith(word));
  return hits.length === 1 ? hits[0] : undefined;
}

function unknown(line: string): VtyshResult {
  return { output: `% Unknown command: ${line}\n`, ok: false };
}

function bgpCommand(input: VtyshInput, words: readonly string[], line: string, afiWildcard: boolean, allFamilies = false): VtyshResult {
  let i = 0;
  // The AFI/SAFI heading is printed unless both the AFI and the SAFI are given.
  let wildcard = afiWildcard;
  let family: 4 | 6 = 4;
  const afi = keyword(words[i], ['ipv4', 'ipv6', 'l2vpn', 'summary', 'json']);
  if (afi === 'ipv4' || afi === 'ipv6') {
    i++;
    family = afi === 'ipv4' ? 4 : 6;
    if (keyword(words[i], ['unicast', 'multicast', 'vpn', 'labeled-unicast', 'flowspec', 'summary']) === 'unicast') {
      i++;
      wildcard = false;
    }
  }
  // ipv6 (issue 18): each AFI has its own table; `show bgp summary` without an AFI lists each
  // family that has activated neighbours
  const router = familyRouterState(input.router, family);
  const rest = words.slice(i);
  if (rest.length === 0) return { output: renderShowIpBgp(router), ok: true };
  const first = rest[0]!;
  if (rest.length === 1 && keyword(first, ['summary', 'json', 'neighbors', 'regexp', 'community']) === 'summary') {
    if (allFamilies && wildcard && afi !== 'ipv4' && afi !== 'ipv6') {
      const sections = ([4, 6] as const)
        .map((f) => ({ f, r: familyRouterState(input.router, f) }))
        .filter(({ r }) => r.peers.length > 0)
        .map(({ f, r }) => renderShowIpBgpSummary(r, true, f));
      if (sections.length > 1) return { output: sections.join(''), ok: true };
    }
    return { output: renderShowIpBgpSummary(router, wildcard, family), ok: true };
  }
  if (rest.length === 1) {
    const pfx = first.includes('/') ? parsePrefix(first) : undefined;
    if (pfx && familyOf(pfx) === family) return { output: renderShowIpBgpPrefix(router, pfx), ok: true };
    const addr = first.includes('/') ? undefined : parseIp(first);
    if (addr && familyOf(addr) === family) return { output: renderShowIpBgpPrefix(router, addr), ok: true };
  }
  return unknown(line);
}

/**
 * Runs one vtysh command line.
 *
 * @example
 * ```ts
 * runVtysh({ router, table, host }, 'sh ip bgp su').output.split('\n')[1]; // 'IPv4 Unicast Summary (VRF default):'
 * ```
 */
export function runVtysh(input: VtyshInput, line: string): VtyshResult {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { output: '', ok: true };
  if (words.length > 2 && words[words.length - 1] === 'json') {
    return { output: `% JSON output is not modelled: ${line.trim()}\n`, ok: false };
  }
  if (keyword(words[0], ['show', 'configure', 'write', 'clear', 'exit', 'end']) !== 'show') return unknown(line.trim());
  const w1 = keyword(words[1], ['ip', 'bgp', 'running-config', 'interface', 'version', 'ipv6']);
  if (w1 === 'running-config' && words.length === 2) {
    return { output: renderRunningConfig(input.router.config, input.host?.meta.name ?? input.router.host), ok: true };
  }
  if (w1 === 'bgp') return bgpCommand(input, words.slice(2), line.trim(), true, true);
  if (w1 === 'ipv6') {
    // ipv6 (issue 18): `show ipv6 route [TYPE]`, zebra's IPv6 RIB
    const w2 = keyword(words[2], ['route', 'prefix-list', 'protocol', 'nht', 'forwarding', 'neighbors']);
    if (w2 === 'route') {
      if (words.length === 3) return { output: renderShowIpRoute(input.router, input.table, input.host, undefined, 6), ok: true };
      if (words.length === 4) {
        const t = keyword(words[3], ['bgp', 'connected', 'kernel', 'static', 'summary', 'vrf', 'json']);
        if (t === 'bgp' || t === 'connected' || t === 'kernel' || t === 'static') {
          return { output: renderShowIpRoute(input.router, input.table, input.host, t, 6), ok: true };
        }
      }
    }
  }
  if (w1 === 'ip') {
    const w2 = keyword(words[2], ['bgp', 'route', 'prefix-list', 'protocol', 'nht']);
    if (w2 === 'bgp') return bgpCommand(input, words.slice(3), line.trim(), true);
    if (w2 === 'route') {
      if (words.length === 3) return { output: renderShowIpRoute(input.router, input.table, input.host), ok: true };
      if (words.length === 4) {
        const t = keyword(words[3], ['bgp', 'connected', 'kernel', 'static', 'summary', 'vrf', 'json']);
        if (t === 'bgp' || t === 'connected' || t === 'kernel' || t === 'static') {
          return { output: renderShowIpRoute(input.router, input.table, input.host, t), ok: true };
        }
      }
    }
  }
  return unknown(line.trim());
}

/**
 * Splits vtysh's arguments into command lines: each `-c` takes the following word (a quoted
 * command), or the following words up to the next `-c` when the command arrived split.
 *
 * @example
 * vtyshCommandLines(['-c', 'show ip bgp summary']); // ['show ip bgp summary']
 * vtyshCommandLines(['-c', 'show', 'ip', 'bgp']); // ['show ip bgp']
 */
export function vtyshCommandLines(args: readonly string[]): string[] | string {
  const out: string[] = [];
  let cur: string[] | undefined;
  for (const a of args) {
    if (a === '-c' || a === '--command') {
      if (cur) out.push(cur.join(' '));
      cur = [];
      continue;
    }
    if (cur === undefined) return `vtysh: unknown option ${a}`;
    cur.push(a);
  }
  if (cur) out.push(cur.join(' '));
  return out;
}
