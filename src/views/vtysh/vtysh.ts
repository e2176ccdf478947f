/**
 * vtysh's command line: the `show` commands the model answers, with FRR's keyword abbreviations
 * (`sh ip b su`, `show run`), dispatched to the views.
 *
 * Supported: `show running-config`; `show ip bgp [ipv4 [unicast]] [summary | A.B.C.D[/M]]`;
 * `show bgp [ipv4 [unicast]] [summary | A.B.C.D[/M]]`; `show ip route [bgp | connected | kernel |
 * static]`. Anything else answers `% Unknown command: …` (exit 1), as vtysh does.
 *
 * @module
 */
import {  } from '../../net/addr.js';
import { parseIPv4, parseIPv4Prefix } from '../../bgp/frr/addr.js';
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

function bgpCommand(input: VtyshInput, words: readonly string[], line: string, afiWildcard: boolean): VtyshResult {
  let i = 0;
  // The AFI/SAFI heading is printed unless both the AFI and the SAFI are given.
  let wildcard = afiWildcard;
  if (keyword(words[i], ['ipv4', 'ipv6', 'l2vpn', 'summary', 'json']) === 'ipv4') {
    i++;
    if (keyword(words[i], ['unicast', 'multicast', 'vpn', 'labeled-unicast', 'flowspec', 'summary']) === 'unicast') {
      i++;
      wildcard = false;
    }
  }
  const rest = words.slice(i);
  if (rest.length === 0) return { output: renderShowIpBgp(input.router), ok: true };
  const first = rest[0]!;
  if (rest.length === 1 && keyword(first, ['summary', 'json', 'neighbors', 'regexp', 'community']) === 'summary') {
    return { output: renderShowIpBgpSummary(input.router, wildcard), ok: true };
  }
  if (rest.length === 1) {
    const pfx = first.includes('/') ? parseIPv4Prefix(first) : undefined;
    if (pfx) return { output: renderShowIpBgpPrefix(input.router, pfx), ok: true };
    const addr = parseIPv4(first);
    if (addr) return { output: renderShowIpBgpPrefix(input.router, addr), ok: true };
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
  if (w1 === 'bgp') return bgpCommand(input, words.slice(2), line.trim(), true);
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
