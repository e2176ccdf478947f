/**
 * Changes made inside a host (`exec HOST -- …`), as pure functions on the host's `Host`
 * document:
 *
 * - `ip route add|append|del|replace ROUTE`: edits the `routes:` text. `add` of a route with the
 *   same destination and metric fails as the kernel does (`RTNETLINK answers: File exists`),
 *   `del` of a missing one too (`RTNETLINK answers: No such process`); `replace` adds or
 *   replaces. A node without a `Host` document gets the one the cluster stage assumes
 *   (`eth0` with the InternalIP/24).
 * - `sysctl -w KEY=VALUE` for the keys the model reads (`net.ipv4.ip_forward` and its alias
 *   `net.ipv4.conf.all.forwarding`, `net.ipv4.fib_multipath_hash_policy`,
 *   `net.ipv4.fib_multipath_hash_fields`, `net.ipv4.conf.all.arp_ignore`); `sysctl KEY` reads one.
 * - `vtysh -c 'conf t' -c LINE …`: FRR configuration lines, placed in the `frr:` text where FRR's
 *   running configuration keeps them (see {@link frrConfigure}); `write memory` and
 *   `clear ip bgp *` change nothing the model computes.
 * - `ip link set DEV down|up` is refused: the model has no link state.
 *
 * @module
 */
import { parseIproute2Routes } from '../input/iproute2.js';
import type { StaticRoute } from '../input/types.js';
import { parseFrrConfig } from '../bgp/frr/parse.js';
import { parsePrefix } from '../net/addr.js';
import { type ChangeResult, done, refused, unsupported } from './change.js';
import { type Documents, type Obj, clone, findDocument, isObj, resourceType, withValue } from './documents.js';

const HOST_TYPE = resourceType('host')!;
const NODE_TYPE = resourceType('node')!;

/** The Host document of a host (or the default one of a node), with its index (-1: to add). */
function hostDocument(docs: Documents, host: string): { index: number; value: Obj } | undefined {
  const at = findDocument(docs, HOST_TYPE, '', host);
  if (at >= 0 && isObj(docs[at]!.value)) return { index: at, value: clone(docs[at]!.value as Obj) };
  const n = findDocument(docs, NODE_TYPE, '', host);
  if (n < 0) return undefined;
  const node = docs[n]!.value as Obj;
  const status = isObj(node.status) ? node.status : {};
  const addrs = Array.isArray(status.addresses) ? (status.addresses as Obj[]) : [];
  const internal = addrs.find((a) => a.type === 'InternalIP') ?? addrs.find((a) => a.type === 'ExternalIP');
  const address = typeof internal?.address === 'string' ? internal.address : undefined;
  return {
    index: -1,
    value: {
      apiVersion: 'cilium-twin/v1alpha1',
      kind: 'Host',
      metadata: { name: host },
      spec: { interfaces: [{ name: 'eth0', addresses: address === undefined ? [] : [`${address}/${address.includes(':') ? 64 : 24}`] }] },
    },
  };
}

function putHost(docs: Documents, h: { index: number; value: Obj }): Documents {
  if (h.index >= 0) return withValue(docs, h.index, h.value);
  return [...docs, { file: '<script>', index: docs.length + 1, value: h.value }];
}

function spec(h: Obj): Obj {
  if (!isObj(h.spec)) h.spec = {};
  return h.spec as Obj;
}

function routeLines(h: Obj): string[] {
  const r = spec(h).routes;
  return typeof r === 'string' ? r.split('\n').filter((l) => l.trim() !== '') : [];
}

function parseRoute(line: string): StaticRoute | string {
  const r = parseIproute2Routes(line);
  if (r._tag === 'Left') return r.left.map((e) => e.message).join('; ');
  return r.right[0] ?? 'empty route';
}

function sameKey(a: StaticRoute, b: StaticRoute): boolean {
  return a.dst.toCidrString() === b.dst.toCidrString() && a.metric === b.metric;
}

/** The selectors of `ip route del`: destination, and `via`, `dev`, `metric` when given. */
interface DelQuery {
  readonly dst: string;
  readonly via?: string;
  readonly dev?: string;
  readonly metric?: number;
}

function delQuery(words: readonly string[]): DelQuery | string {
  const rest = [...words];
  if (rest[0] === 'unicast' || rest[0] === 'blackhole' || rest[0] === 'unreachable' || rest[0] === 'prohibit') rest.shift();
  const first = rest.shift();
  if (first === undefined) return 'which route?';
  const text = first === 'default' ? '0.0.0.0/0' : first.includes('/') ? first : `${first}/${first.includes(':') ? 128 : 32}`;
  const dst = parsePrefix(text);
  if (dst === undefined) return `invalid prefix "${first}"`;
  const q: { dst: string; via?: string; dev?: string; metric?: number } = { dst: dst.toCidrString() };
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i];
    const v = rest[i + 1];
    if (v === undefined) return `argument to "${k}" is missing`;
    if (k === 'via') q.via = v;
    else if (k === 'dev') q.dev = v;
    else if (k === 'metric' || k === 'priority' || k === 'preference') q.metric = Number(v);
    i++;
  }
  return q;
}

/** Whether route `r` matches the selectors of a `del` request. */
function matchesDel(r: StaticRoute, q: DelQuery): boolean {
  if (r.dst.toCidrString() !== q.dst) return false;
  if (q.metric !== undefined && r.metric !== q.metric) return false;
  if (q.via !== undefined && !r.nexthops.some((h) => h.gateway?.toString() === q.via)) return false;
  if (q.dev !== undefined && !r.nexthops.some((h) => h.dev === q.dev)) return false;
  return true;
}

function ipRoute(docs: Documents, host: string, words: readonly string[]): ChangeResult {
  const [verb, ...rest] = words;
  const h = hostDocument(docs, host);
  if (!h) return unsupported(`exec ${host}: no Host or Node named "${host}"`);
  if (rest.length === 0) return refused(docs, 'Command line is not complete. Try option "help"', 255);
  const line = rest.join(' ');
  const lines = routeLines(h.value);
  const parsed = lines.map((l) => parseRoute(l));
  if (verb === 'del' || verb === 'delete') {
    const dq = delQuery(rest);
    if (typeof dq === 'string') return refused(docs, `Error: ${dq}`, 1);
    const at = parsed.findIndex((p) => typeof p !== 'string' && matchesDel(p, dq));
    if (at < 0) return refused(docs, 'RTNETLINK answers: No such process', 2);
    const next = lines.filter((_, i) => i !== at);
    spec(h.value).routes = next.length === 0 ? '' : `${next.join('\n')}\n`;
    return done(putHost(docs, h), '');
  }
  const q = parseRoute(line);
  if (typeof q === 'string') return refused(docs, `Error: ${q}`, 1);
  let next: string[];
  if (verb === 'add' || verb === 'append') {
    if (verb === 'add' && parsed.some((p) => typeof p !== 'string' && sameKey(p, q))) return refused(docs, 'RTNETLINK answers: File exists', 2);
    next = [...lines, line];
  } else if (verb === 'replace' || verb === 'change') {
    const at = parsed.findIndex((p) => typeof p !== 'string' && sameKey(p, q));
    if (at < 0 && verb === 'change') return refused(docs, 'RTNETLINK answers: No such file or directory', 2);
    next = at < 0 ? [...lines, line] : lines.map((l, i) => (i === at ? line : l));
  } else return unsupported(`ip route ${verb ?? ''}: only add, append, del, replace and change are modelled`);
  spec(h.value).routes = next.length === 0 ? '' : `${next.join('\n')}\n`;
  return done(putHost(docs, h), '');
}

/**
 * The sysctl keys the model reads (with aliases written to the key the model reads).
 *
 * @example
 * SYSCTL_KEYS['net.ipv4.conf.all.forwarding']; // 'net.ipv4.ip_forward'
 */
export const SYSCTL_KEYS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': 'net.ipv4.ip_forward',
  'net.ipv4.conf.all.forwarding': 'net.ipv4.ip_forward',
  'net.ipv4.fib_multipath_hash_policy': 'net.ipv4.fib_multipath_hash_policy',
  'net.ipv4.fib_multipath_hash_fields': 'net.ipv4.fib_multipath_hash_fields',
  'net.ipv4.conf.all.arp_ignore': 'net.ipv4.conf.all.arp_ignore',
};

const SYSCTL_DEFAULTS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': '1',
  'net.ipv4.fib_multipath_hash_policy': '0',
  'net.ipv4.fib_multipath_hash_fields': '0x0007',
  'net.ipv4.conf.all.arp_ignore': '0',
};

function sysctl(docs: Documents, host: string, words: readonly string[]): ChangeResult | undefined {
  const write = words[0] === '-w';
  const args = words.filter((w) => w !== '-w' && w !== '-q');
  if (!write) return undefined; // a read: a question, answered by the runner's sysctl reader
  const h = hostDocument(docs, host);
  if (!h) return unsupported(`exec ${host}: no Host or Node named "${host}"`);
  const out: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) return refused(docs, `sysctl: "${a}" must be of the form name=value`, 255);
    const key = a.slice(0, eq).replace(/\//g, '.').trim();
    const value = a.slice(eq + 1).trim();
    const target = SYSCTL_KEYS[key];
    if (target === undefined) return unsupported(`sysctl ${key}: not a key the model reads (${Object.keys(SYSCTL_KEYS).join(', ')})`);
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(value)) return refused(docs, `sysctl: setting key "${key}": Invalid argument`, 255);
    const s = spec(h.value);
    const map = isObj(s.sysctl) ? { ...(s.sysctl as Obj) } : {};
    map[target] = value;
    s.sysctl = map;
    out.push(`${key} = ${value}`);
  }
  return done(putHost(docs, h), out.length === 0 ? '' : `${out.join('\n')}\n`);
}

/**
 * `sysctl KEY…` read from a host's documents (`KEY = VALUE`, the kernel default when unset), or
 * an error message for a key the model does not read.
 *
 * @example
 * readSysctl(docs, 'router', ['net.ipv4.fib_multipath_hash_policy']); // { ok: true, text: 'net.ipv4.fib_multipath_hash_policy = 0\n' }
 */
export function readSysctl(docs: Documents, host: string, keys: readonly string[]): { ok: true; text: string } | { ok: false; error: string } {
  const h = hostDocument(docs, host);
  if (!h) return { ok: false, error: `exec ${host}: no Host or Node named "${host}"` };
  const s = isObj(h.value.spec) && isObj(h.value.spec.sysctl) ? (h.value.spec.sysctl as Obj) : {};
  const out: string[] = [];
  for (const raw of keys.filter((k) => !k.startsWith('-'))) {
    const key = raw.replace(/\//g, '.');
    const target = SYSCTL_KEYS[key];
    if (target === undefined) return { ok: false, error: `sysctl ${key}: not a key the model reads (${Object.keys(SYSCTL_KEYS).join(', ')})` };
    const v = s[target];
    out.push(`${key} = ${v === undefined ? SYSCTL_DEFAULTS[target] : String(v)}`);
  }
  return { ok: true, text: out.length === 0 ? '' : `${out.join('\n')}\n` };
}

// ---------------------------------------------------------------------------------------------
// vtysh configuration
// ---------------------------------------------------------------------------------------------

type Context = { readonly kind: 'top' } | { readonly kind: 'bgp'; readonly asn: string } | { readonly kind: 'af'; readonly asn: string } | { readonly kind: 'block'; readonly header: string };

/** Lines that configure the ipv4 unicast family: FRR keeps them in `address-family ipv4 unicast`. */
const AF_LINE = /^(no )?(network |maximum-paths|redistribute |neighbor \S+ (activate|route-map|prefix-list|next-hop-self|soft-reconfiguration|allowas-in|default-originate|filter-list|distribute-list|unsuppress-map|remove-private-AS|weight|maximum-prefix))/;

/** Commands that hold one value: a new one replaces the old (key pattern → words in the key). */
const SINGLE_VALUED: readonly [RegExp, number][] = [
  [/^maximum-paths ibgp \d+$/, 2],
  [/^maximum-paths \d+$/, 1],
  [/^bgp router-id \S+$/, 2],
  [/^neighbor \S+ remote-as \S+$/, 3],
  [/^neighbor \S+ peer-group \S+$/, 3],
  [/^neighbor \S+ (ebgp-multihop|update-source|description|weight|allowas-in|maximum-prefix)( .*)?$/, 3],
  [/^neighbor \S+ timers \d+ \d+$/, 3],
  [/^neighbor \S+ route-map \S+ (in|out)$/, -1],
  [/^neighbor \S+ prefix-list \S+ (in|out)$/, -1],
  [/^timers bgp \d+ \d+$/, 2],
  [/^bgp default local-preference \d+$/, 3],
  [/^hostname \S+$/, 1],
];

function keyOf(line: string): ((other: string) => boolean) | undefined {
  for (const [re, n] of SINGLE_VALUED) {
    if (!re.test(line)) continue;
    const w = line.split(/\s+/);
    if (n === -1) {
      // neighbor X route-map|prefix-list NAME DIR: same neighbor, command and direction
      return (o) => {
        const v = o.split(/\s+/);
        return re.test(o) && v[1] === w[1] && v[2] === w[2] && v[4] === w[4];
      };
    }
    const prefix = w.slice(0, n).join(' ');
    return (o) => re.test(o) && o.split(/\s+/).slice(0, n).join(' ') === prefix;
  }
  return undefined;
}

/** The range [start, end) of a context's own lines in the text (end = where to insert), or undefined. */
function blockRange(lines: readonly string[], ctx: Context): { start: number; end: number } | undefined {
  if (ctx.kind === 'top') return { start: 0, end: lines.length };
  const header = ctx.kind === 'block' ? ctx.header : `router bgp ${ctx.asn}`;
  const start = lines.findIndex((l) => l.trimEnd() === header || (ctx.kind !== 'block' && new RegExp(`^router bgp ${ctx.asn}( |$)`).test(l)));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end]!.trim() === '')) end++;
  // `end` is the closing `exit` (or the next top-level line)
  if (ctx.kind !== 'af') return { start: start + 1, end };
  const af = lines.findIndex((l, i) => i > start && i < end && l.trim() === 'address-family ipv4 unicast');
  if (af < 0) return undefined;
  let afEnd = af + 1;
  while (afEnd < end && lines[afEnd]!.trim() !== 'exit-address-family') afEnd++;
  return { start: af + 1, end: afEnd };
}

function indentOf(ctx: Context): string {
  return ctx.kind === 'top' ? '' : ctx.kind === 'af' ? '  ' : ' ';
}

/** Applies one configuration line in a context; returns the new lines and context, or an error. */
function configureLine(lines: string[], ctx: Context, line: string): { lines: string[]; ctx: Context } | { error: string } | { unsupported: string } {
  const w = line.trim().split(/\s+/);
  const text = w.join(' ');
  if (text === 'end') return { lines, ctx: { kind: 'top' } };
  if (text === 'exit') return { lines, ctx: ctx.kind === 'af' ? { kind: 'bgp', asn: ctx.asn } : { kind: 'top' } };
  if (text === 'exit-address-family') return ctx.kind === 'af' ? { lines, ctx: { kind: 'bgp', asn: ctx.asn } } : { lines, ctx };
  if (/^(write( memory| file)?|wr|do write( memory)?|copy running-config startup-config)$/.test(text)) return { lines, ctx };
  if (ctx.kind === 'top' && w[0] === 'router' && w[1] === 'bgp' && w[2] !== undefined) {
    const c: Context = { kind: 'bgp', asn: w[2] };
    if (blockRange(lines, c)) return { lines, ctx: c };
    const existing = lines.findIndex((l) => /^router bgp \d+/.test(l));
    if (existing >= 0) return { error: `% BGP is already running; AS is ${lines[existing]!.split(/\s+/)[2]}` };
    return { lines: [...lines, `router bgp ${w[2]}${w.length > 3 ? ` ${w.slice(3).join(' ')}` : ''}`, 'exit', '!'], ctx: c };
  }
  if (ctx.kind === 'top' && text === 'no router bgp' + (w[3] !== undefined ? ` ${w[3]}` : '')) {
    const start = lines.findIndex((l) => /^router bgp \d+/.test(l));
    if (start < 0) return { error: '% No BGP process is configured' };
    let end = start + 1;
    while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end]!.trim() === '')) end++;
    if (lines[end]?.trim() === 'exit') end++;
    return { lines: [...lines.slice(0, start), ...lines.slice(end)], ctx };
  }
  if (ctx.kind === 'top' && (w[0] === 'route-map' || w[0] === 'interface')) {
    const c: Context = { kind: 'block', header: text };
    if (blockRange(lines, c)) return { lines, ctx: c };
    return { lines: [...lines, text, 'exit', '!'], ctx: c };
  }
  if (ctx.kind === 'bgp' && text === 'address-family ipv4 unicast' || (ctx.kind === 'bgp' && text === 'address-family ipv4')) {
    const c: Context = { kind: 'af', asn: ctx.asn };
    if (blockRange(lines, c)) return { lines, ctx: c };
    const r = blockRange(lines, ctx)!;
    return { lines: [...lines.slice(0, r.end), ' address-family ipv4 unicast', ' exit-address-family', ...lines.slice(r.end)], ctx: c };
  }
  if (ctx.kind === 'bgp' && w[0] === 'address-family') return { unsupported: `FRR line "${text}": only address-family ipv4 unicast is modelled` };
  // a plain line: FRR keeps ipv4 unicast settings inside the address family
  let target: Context = ctx;
  if (ctx.kind === 'bgp' && AF_LINE.test(text)) {
    target = { kind: 'af', asn: ctx.asn };
    if (!blockRange(lines, target)) {
      const r = blockRange(lines, ctx)!;
      lines = [...lines.slice(0, r.end), ' address-family ipv4 unicast', ' exit-address-family', ...lines.slice(r.end)];
    }
  }
  const r = blockRange(lines, target);
  if (!r) return { error: `% the ${target.kind} context is not configured` };
  const own = (i: number): boolean => {
    if (i < r.start || i >= r.end) return false;
    const l = lines[i]!;
    if (target.kind === 'top') return !l.startsWith(' ') && l.trim() !== '' && l.trim() !== '!';
    if (target.kind === 'bgp') {
      // the bgp block's own lines, not those of its address families
      let inAf = false;
      for (let k = r.start; k <= i; k++) {
        const t = lines[k]!.trim();
        if (t.startsWith('address-family ')) inAf = true;
        else if (t === 'exit-address-family' && k < i) inAf = false;
      }
      return !inAf && l.trim() !== '' && !l.trim().startsWith('address-family') && l.trim() !== 'exit-address-family';
    }
    return l.trim() !== '';
  };
  const indexes = lines.map((_, i) => i).filter(own);
  const trimmed = (i: number): string => lines[i]!.trim().split(/\s+/).join(' ');
  let next = [...lines];
  if (w[0] === 'no') {
    const rest = w.slice(1).join(' ');
    const hits = indexes.filter((i) => {
      const t = trimmed(i);
      return t === rest || t.startsWith(`${rest} `) || (keyOf(rest)?.(t) ?? false);
    });
    if (hits.length > 0) {
      next = next.filter((_, i) => !hits.includes(i));
      return { lines: next, ctx };
    }
    // a default-on setting switched off is written as `no …`
    if (indexes.some((i) => trimmed(i) === text)) return { lines, ctx };
    return { lines: [...next.slice(0, r.end), `${indentOf(target)}${text}`, ...next.slice(r.end)], ctx };
  }
  const negated = indexes.find((i) => trimmed(i) === `no ${text}`);
  if (negated !== undefined) next = next.filter((_, i) => i !== negated);
  if (indexes.some((i) => trimmed(i) === text)) return { lines: next, ctx };
  const same = keyOf(text);
  const replaceAt = same ? indexes.find((i) => same(trimmed(i))) : undefined;
  if (replaceAt !== undefined && replaceAt !== negated) {
    next[replaceAt] = `${indentOf(target)}${text}`;
    return { lines: next, ctx };
  }
  const r2 = blockRange(next, target)!;
  // top-level lines go before the first block; block lines at the block's end
  const at = target.kind === 'top' ? Math.max(0, next.findIndex((l) => /^(router |route-map |interface |line )/.test(l))) : r2.end;
  const insertAt = target.kind === 'top' && next.findIndex((l) => /^(router |route-map |interface |line )/.test(l)) < 0 ? next.length : at;
  return { lines: [...next.slice(0, insertAt), `${indentOf(target)}${text}`, ...next.slice(insertAt)], ctx };
}

/**
 * Applies `vtysh -c 'conf t' -c LINE …` lines to an FRR configuration text, where FRR's running
 * configuration keeps them: `router bgp N` enters (or creates) the BGP block, ipv4 unicast
 * settings (`network`, `maximum-paths`, `neighbor X route-map …`) go into
 * `address-family ipv4 unicast`, a single-valued command (`maximum-paths 2`, `bgp router-id`,
 * `neighbor X remote-as`) replaces its old value, `no LINE` removes it (or is written as `no …`
 * for a setting that is on by default). The result is read back with the model's FRR reader: a
 * line it does not model is refused (unsupported), an error is vtysh's `% …` message.
 *
 * @example
 * ```ts
 * frrConfigure(frrText, ['router bgp 65000', 'maximum-paths 2']);
 * // { ok: true, text: '…\n  maximum-paths 2\n…' }
 * ```
 */
export function frrConfigure(text: string, commands: readonly string[]): { ok: true; text: string } | { ok: false; error: string } | { ok: false; unsupported: string } {
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let ctx: Context = { kind: 'top' };
  const before = parseFrrConfig(text);
  for (const c of commands) {
    if (c.trim() === '') continue;
    const r = configureLine(lines, ctx, c);
    if ('error' in r) return { ok: false, error: r.error };
    if ('unsupported' in r) return { ok: false, unsupported: r.unsupported };
    lines = r.lines;
    ctx = r.ctx;
  }
  const out = `${lines.join('\n')}\n`;
  const after = parseFrrConfig(out);
  const known = new Set(before.notModelled.map((n) => n.text.trim()));
  const fresh = after.notModelled.find((n) => !known.has(n.text.trim()));
  if (fresh) return { ok: false, unsupported: `FRR line "${fresh.text.trim()}" is not modelled` };
  if (after.errors.length > before.errors.length) {
    const e = after.errors.find((x) => !before.errors.some((y) => y.message === x.message)) ?? after.errors[after.errors.length - 1]!;
    return { ok: false, error: `% ${e.message}` };
  }
  return { ok: true, text: out };
}

function vtysh(docs: Documents, host: string, words: readonly string[]): ChangeResult | undefined {
  const commands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-c') commands.push(words[++i] ?? '');
    else if (words[i]!.startsWith('-c')) commands.push(words[i]!.slice(2));
    else if (words[i] === '-d' || words[i] === '--daemon') i++;
  }
  const isConf = (c: string): boolean => /^conf(igure)?( t(erminal)?)?$/.test(c.trim());
  const clear = commands.length > 0 && commands.every((c) => /^(clear (ip )?bgp .*|write( memory| file)?|wr)$/.test(c.trim()));
  if (clear) return done(docs, commands.some((c) => c.trim().startsWith('w')) ? 'Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\nIntegrated configuration saved to /etc/frr/frr.conf\n[OK]\n' : '');
  const first = commands.findIndex(isConf);
  if (first < 0) return undefined; // show commands: a question
  if (commands.slice(0, first).length > 0) return unsupported('vtysh: give "conf t" first; show commands go in their own vtysh line');
  const body = commands.slice(first + 1);
  if (body.some((c) => /^(do )?show /.test(c.trim()))) return unsupported('vtysh: show commands go in their own vtysh line, after the change');
  const at = findDocument(docs, HOST_TYPE, '', host);
  const h = at >= 0 && isObj(docs[at]!.value) ? clone(docs[at]!.value as Obj) : undefined;
  const frr = h && isObj(h.spec) ? h.spec.frr : undefined;
  if (!h || typeof frr !== 'string') return refused(docs, 'bash: vtysh: command not found', 127);
  const r = frrConfigure(frr, body);
  if (!r.ok) return 'unsupported' in r ? unsupported(r.unsupported) : refused(docs, r.error, 1);
  spec(h).frr = r.text;
  const saves = body.some((c) => /^(do )?(write|wr)\b/.test(c.trim()));
  return done(withValue(docs, at, h), saves ? 'Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\nIntegrated configuration saved to /etc/frr/frr.conf\n[OK]\n' : '');
}

/**
 * Runs a change inside a host (`words` after `exec HOST --`), or `undefined` when the words are
 * a question (`ip route`, `vtysh -c 'show ip bgp'`, `sysctl KEY`).
 *
 * @example
 * ```ts
 * hostChange(docs, 'router', ['sysctl', '-w', 'net.ipv4.fib_multipath_hash_policy=1']);
 * // { kind: 'done', stdout: 'net.ipv4.fib_multipath_hash_policy = 1\n', … }
 * ```
 */
export function hostChange(docs: Documents, host: string, words: readonly string[]): ChangeResult | undefined {
  const ws = words[0] === 'sudo' ? words.slice(1) : words;
  const [tool, ...rest] = ws;
  if (tool === 'ip') {
    const args = rest.filter((w) => !/^-(4|c|color|br|brief|d|details)$/.test(w));
    const obj = args[0];
    if (obj === 'route' || obj === 'r' || obj === 'ro' || obj === 'rou') {
      const verb = args[1];
      if (verb !== undefined && ['add', 'append', 'del', 'delete', 'replace', 'change', 'flush'].includes(verb)) {
        if (verb === 'flush') return unsupported('ip route flush is not modelled; delete routes one by one with ip route del');
        return ipRoute(docs, host, args.slice(1));
      }
      return undefined;
    }
    if (obj === 'link' || obj === 'l') {
      if (args[1] === 'set' || args[1] === 'add' || args[1] === 'del' || args[1] === 'delete') return unsupported(`ip link ${args[1]}: the model has no link state (interfaces are always up)`);
      return undefined;
    }
    if ((obj === 'addr' || obj === 'address' || obj === 'a') && args[1] !== undefined && ['add', 'del', 'delete', 'replace', 'flush'].includes(args[1])) {
      return unsupported(`ip addr ${args[1]}: change the Host's interfaces with kubectl apply -f instead`);
    }
    if ((obj === 'neigh' || obj === 'neighbor' || obj === 'n') && args[1] !== undefined && ['add', 'del', 'delete', 'replace', 'flush', 'change'].includes(args[1])) {
      return unsupported(`ip neigh ${args[1]}: the model computes neighbours; it has no static entries`);
    }
    return undefined;
  }
  if (tool === 'sysctl') return sysctl(docs, host, rest);
  if (tool === 'vtysh') return vtysh(docs, host, rest);
  if (tool === 'iptables' || tool === 'nft' || tool === 'tc' || tool === 'systemctl') return unsupported(`${tool}: not modelled`);
  return undefined;
}
