/**
 * `ip` (iproute2) inside a host: `ip route [show|list] [table T] [proto P] [dev D] [scope S]
 * [type T] [[exact|root|match] PREFIX]`, `ip -j route`, `ip route get ADDR [from SRC]
 * [ipproto P] [sport N] [dport N] [fibmatch]`, `ip -br addr`.
 *
 * Options: `-4`, `-6`, `-j`/`-json`, `-p`/`-pretty`, `-br`/`-brief`, `-c`/`-color` (accepted,
 * no colour codes are printed), `-d`/`-s` (accepted, ignored). Words may be abbreviated as
 * iproute2 allows (`ip r`, `ip r g`, `ip a`).
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { ok, twinOf, usageError } from '../command.js';
import { familyOf, formatIp, maskedPrefix, networkValue, parseIp, prefixContains, prefixLength, prefixNetwork } from '../../net/addr.js';
import { lookupRoute } from '../../fib/lookup.js';
import type { KernelRoute, RoutingTable } from '../../fib/types.js';
import type { IpAddress, IpPrefix } from '../../input/types.js';
import {
  formatRoute,
  renderBriefAddresses,
  renderRouteGet,
  renderRouteGetJson,
  renderRoutes,
  routeJson,
} from '../../views/iproute2.js';

/** iproute2's `matches(arg, word)`: `arg` is a non-empty prefix of `word`. */
function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && word.startsWith(arg);
}

interface Options {
  family?: 4 | 6;
  json: boolean;
  pretty: boolean;
  brief: boolean;
}

const protocols: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132, ipv6icmp: 58, 'ipv6-icmp': 58 };

function fail(message: string): CommandResult {
  return { stdout: '', stderr: `${message}\n`, exitCode: 1 };
}

function parsePrefixArg(text: string): IpPrefix | undefined {
  const [addrText, lenText] = text.split('/');
  if (addrText === 'default' || addrText === 'all') return undefined;
  const addr = addrText !== undefined ? parseIp(addrText) : undefined;
  if (!addr) return undefined;
  const full = familyOf(addr) === 4 ? 32 : 128;
  const len = lenText === undefined ? full : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > full) return undefined;
  return maskedPrefix(addr, len);
}

function json(value: unknown, pretty: boolean): string {
  return `${pretty ? JSON.stringify(value, null, 4) : JSON.stringify(value)}\n`;
}

function routeList(table: RoutingTable, args: readonly string[], opt: Options): CommandResult {
  let which: 'main' | 'local' | 'all' = 'main';
  let tableGiven = false;
  let proto: string | undefined;
  let dev: string | undefined;
  let scope: string | undefined;
  let type: string | undefined;
  let selector: { mode: 'exact' | 'root' | 'match'; prefix: IpPrefix } | undefined;
  let selectAll = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (matches(a, 'table')) {
      const t = next();
      if (t === 'main' || t === '254') which = 'main';
      else if (t === 'local' || t === '255') which = 'local';
      else if (t === 'all' || t === '0') which = 'all';
      else return usageError(`Error: argument "${t ?? ''}" is wrong: table id value is invalid`);
      tableGiven = which !== 'all';
    } else if (matches(a, 'protocol')) {
      proto = next();
    } else if (a === 'dev' || a === 'oif') {
      dev = next();
      if (dev !== undefined && !table.links.some((l) => l.name === dev)) {
        return fail(`Cannot find device "${dev}"`);
      }
    } else if (matches(a, 'scope')) {
      scope = next();
    } else if (matches(a, 'type')) {
      type = next();
    } else if (a === 'root' || a === 'match' || a === 'exact' || a === 'to') {
      const mode = a === 'to' ? 'exact' : a;
      const text = next() ?? '';
      if (text === 'default' || text === 'all') {
        selectAll = text === 'all';
        if (!selectAll) selector = { mode, prefix: maskedPrefix(parseIp(opt.family === 6 ? '::' : '0.0.0.0')!, 0) };
        continue;
      }
      const p = parsePrefixArg(text);
      if (!p) return usageError(`Error: any valid prefix is expected rather than "${text}".`);
      selector = { mode, prefix: p };
    } else if (a !== undefined) {
      if (a === 'all') continue;
      if (a === 'default') {
        selector = { mode: 'exact', prefix: maskedPrefix(parseIp(opt.family === 6 ? '::' : '0.0.0.0')!, 0) };
        continue;
      }
      const p = parsePrefixArg(a);
      if (!p) return usageError(`Error: any valid prefix is expected rather than "${a}".`);
      selector = { mode: 'exact', prefix: p };
    }
  }
  const family = opt.family ?? (selector ? familyOf(selector.prefix) : 4);
  const source: readonly KernelRoute[] =
    which === 'main' ? table.main : which === 'local' ? table.local : [...table.local, ...table.main];
  const selected = source.filter((r) => {
    if (familyOf(r.dst) !== family) return false;
    if (proto !== undefined && r.protocol !== proto) return false;
    if (dev !== undefined && !r.nexthops.some((n) => n.dev === dev)) return false;
    if (scope !== undefined && (scope === 'global' ? 'universe' : scope) !== r.scope) return false;
    if (type !== undefined && r.type !== type) return false;
    if (selector) {
      const len = prefixLength(r.dst);
      const plen = prefixLength(selector.prefix);
      const inside = len >= plen && prefixContains(selector.prefix, prefixNetwork(r.dst));
      const covers = len <= plen && prefixContains(r.dst, prefixNetwork(selector.prefix));
      if (selector.mode === 'exact' && !(len === plen && networkValue(r.dst) === networkValue(selector.prefix)))
        return false;
      if (selector.mode === 'root' && !inside) return false;
      if (selector.mode === 'match' && !covers) return false;
    }
    return true;
  });
  const listOptions = { tableFiltered: tableGiven };
  if (opt.json) return ok(json(selected.map((r) => routeJson(r, listOptions)), opt.pretty));
  return ok(renderRoutes(selected, listOptions));
}

function routeGet(table: RoutingTable, args: readonly string[], opt: Options): CommandResult {
  let dst: IpAddress | undefined;
  let from: IpAddress | undefined;
  let protocol: number | undefined;
  let sport: number | undefined;
  let dport: number | undefined;
  let fibmatch = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string => args[++i] ?? '';
    if (matches(a, 'from')) {
      const t = next();
      from = parseIp(t.split('/')[0] ?? '');
      if (!from) return usageError(`Error: inet prefix is expected rather than "${t}".`);
    } else if (matches(a, 'ipproto')) {
      const t = next();
      const n = protocols[t] ?? (/^\d+$/.test(t) ? Number(t) : undefined);
      if (n === undefined || n > 255) return usageError(`Error: argument "${t}" is wrong: Invalid "ipproto" value`);
      protocol = n;
    } else if (matches(a, 'sport') || matches(a, 'dport')) {
      const t = next();
      const n = Number(t);
      if (!/^\d+$/.test(t) || n > 65535) return usageError(`Error: argument "${t}" is wrong: invalid ${a}`);
      if (matches(a, 'sport')) sport = n;
      else dport = n;
    } else if (matches(a, 'fibmatch')) {
      fibmatch = true;
    } else if (a === 'to') {
      continue;
    } else if (a !== undefined) {
      const addr = parseIp(a.split('/')[0] ?? '');
      if (!addr) return usageError(`Error: any valid prefix is expected rather than "${a}".`);
      dst = addr;
    }
  }
  if (!dst) return usageError('need at least a destination address');
  const result = lookupRoute(table, dst, {
    ...(from ? { src: from } : {}),
    flow: {
      ...(protocol !== undefined ? { protocol } : {}),
      ...(sport !== undefined ? { sport } : {}),
      ...(dport !== undefined ? { dport } : {}),
    },
  });
  if (fibmatch && result.kind !== 'error') {
    if (opt.json) return ok(json([routeJson(result.route)], opt.pretty));
    return ok(`${formatRoute(result.route)}\n`);
  }
  const q = { dst, ...(from ? { from } : {}) };
  const out = opt.json ? renderRouteGetJson(q, result) : renderRouteGet(q, result);
  if (out.stderr) return { stdout: '', stderr: out.stderr, exitCode: 2 };
  if (opt.json && opt.pretty) return ok(json(JSON.parse(out.stdout), true));
  return ok(out.stdout);
}

function addressCommand(table: RoutingTable, args: readonly string[], opt: Options): CommandResult {
  const sub = args[0];
  if (sub !== undefined && !matches(sub, 'show') && !matches(sub, 'list') && !matches(sub, 'lst')) {
    return usageError(`ip address ${sub}: not modelled (only "ip -br address [show]")`);
  }
  let dev: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') dev = args[++i];
    else if (a !== undefined) dev = a;
  }
  const links = dev === undefined ? table.links : table.links.filter((l) => l.name === dev);
  if (dev !== undefined && links.length === 0) return fail(`Device "${dev}" does not exist.`);
  if (!opt.brief) {
    return usageError('ip address: only the brief form is modelled; use "ip -br address"');
  }
  if (opt.json) {
    return ok(
      json(
        links.map((l) => ({
          ifname: l.name,
          operstate: l.kind === 'loopback' ? 'UNKNOWN' : 'UP',
          addr_info: l.addresses
            .filter((a) => opt.family === undefined || familyOf(a.address) === opt.family)
            .map((a) => ({ local: formatIp(a.address), prefixlen: a.prefixLength })),
        })),
        opt.pretty,
      ),
    );
  }
  return ok(renderBriefAddresses(links, opt.family));
}

const help = `Usage: exec HOST -- ip [ OPTIONS ] OBJECT { COMMAND }
  ip [-4|-6] [-j [-p]] route [ show | list ] [ table main|local|all ] [ proto P ] [ dev D ]
                                [ scope S ] [ type T ] [ [ exact | root | match ] PREFIX ]
  ip [-j] route get ADDRESS [ from ADDRESS ] [ ipproto PROTO ] [ sport N ] [ dport N ] [ fibmatch ]
  ip -br [-4|-6] address [ show [ dev D ] ]
The host's kernel routing tables as the model computes them: connected routes, the Host's routes:,
routes Cilium installs on nodes, and on FRR routers the routes zebra installs (proto bgp metric 20).
ECMP members of 'route get' follow the host's net.ipv4.fib_multipath_hash_policy and the model's
documented hash (docs/decisions.md).
Example: cilium-twin -f lab/ exec router -- ip route get 172.16.1.1 ipproto tcp sport 40000 dport 80`;

/**
 * The `ip` command (host scope).
 *
 * @example
 * ipCommand.run({ cluster, host: 'k8s-ctr', args: ['route', 'get', '172.20.1.76'], json: false }).stdout;
 * // '172.20.1.76 via 192.168.10.200 dev eth1 src 192.168.10.100 uid 0 \n    cache \n' (with pod-routes)
 */
export const ipCommand: Command = {
  path: ['ip'],
  formats: ['json'],
  ownOutputFlag: true,
  scope: 'host',
  summary: 'iproute2: ip route [show], ip -j route, ip route get ADDR, ip -br addr',
  help,
  run(ctx: CommandContext): CommandResult {
    const opt: Options = { json: ctx.json, pretty: false, brief: false };
    const args = [...ctx.args];
    while (args[0]?.startsWith('-')) {
      const o = args.shift() ?? '';
      const name = o.replace(/^--?/, '');
      if (name === '4') opt.family = 4;
      else if (name === '6') opt.family = 6;
      else if (name === 'j' || name === 'json') opt.json = true;
      else if (name === 'p' || name === 'pretty') opt.pretty = true;
      else if (name === 'br' || name === 'brief') opt.brief = true;
      else if (name === 'c' || name.startsWith('color') || name.startsWith('colour')) continue;
      else if (name === 'd' || name === 'details' || name === 's' || name === 'stats' || name === 'statistics') continue;
      else return usageError(`Option "${o}" is unknown, try "ip -help".`);
    }
    const host = ctx.host;
    if (host === undefined) return usageError('ip: run it inside a host: exec HOST -- ip ...');
    const table = twinOf(ctx).fib(host);
    if (!table) return usageError(`ip: unknown host "${host}"`);
    const object = args.shift();
    if (object === undefined || object === 'help') return ok(`${help}\n`);
    if (matches(object, 'route')) {
      const sub = args[0];
      if (sub === undefined || matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) {
        return routeList(table, args.slice(sub === undefined ? 0 : 1), opt);
      }
      if (matches(sub, 'get')) return routeGet(table, args.slice(1), opt);
      if (['add', 'change', 'chg', 'replace', 'prepend', 'append', 'test', 'delete', 'flush', 'save', 'restore'].some((w) => matches(sub, w))) {
        return usageError(`ip route ${sub}: the model does not change tables; edit the Host's routes: instead`);
      }
      return usageError(`Command "${sub}" is unknown, try "ip route help".`);
    }
    if (matches(object, 'address')) return addressCommand(table, args, opt);
    return usageError(`Object "${object}" is unknown or not modelled, try "ip help".`);
  },
};
