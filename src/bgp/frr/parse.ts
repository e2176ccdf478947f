/**
 * Reads the `frr.conf` text the labs use into an {@link FrrConfig}.
 *
 * Lines are read in order, in nested contexts as vtysh reads a configuration file (top level,
 * `router bgp`, `address-family ipv4 unicast`, `route-map`, blocks of other daemons). A line the
 * current context does not know is tried in the enclosing contexts (as FRR does); a line no
 * context models is kept and reported as not modelled. Errors (a malformed value in a modelled
 * command, or a command FRR itself would refuse, such as a peer-group member before the group
 * has a remote AS) carry the 1-based line number and FRR's message where it has one; the
 * offending line is left out and parsing goes on.
 *
 * @module
 */
import type { IPv4 } from 'ip-num';
import { type IpAddress, formatIp, formatPrefix, isIPv4Prefix, parseIp, parsePrefix, sameIp } from '../../net/addr.js';
import { parseIPv4, parseIPv4Prefix } from './addr.js';
import { DEFAULT_LOCAL_PREF, DEFAULT_MAXIMUM_PATHS, MAX_MAXIMUM_PATHS, profileDefaults } from './defaults.js';
import type {
  FrrBgpRouter,
  FrrConfig,
  FrrDefaultsProfile,
  FrrNeighborSettings,
  FrrNetwork,
  FrrParseResult,
  FrrPrefixListEntry,
  FrrRedistribute,
  FrrRemoteAs,
  FrrRouteMapEntry,
  FrrRouteMapSets,
  FrrStaticRoute,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MutNeighbor {
  address: IpAddress;
  peerGroup?: string;
  settings: Mutable<FrrNeighborSettings>;
  line: number;
}

interface MutGroup {
  name: string;
  settings: Mutable<FrrNeighborSettings>;
  line: number;
}

interface MutBgp {
  asn: number;
  line: number;
  routerId?: IPv4;
  ebgpRequiresPolicy?: boolean;
  deterministicMed?: boolean;
  alwaysCompareMed: boolean;
  medMissingAsWorst: boolean;
  multipathRelax: boolean;
  asPathIgnore: boolean;
  compareRouterId: boolean;
  defaultLocalPref: number;
  gracefulRestart: 'helper' | 'full' | 'disable';
  networkImportCheck: boolean;
  defaultIpv4Unicast: boolean;
  logNeighborChanges?: boolean;
  showHostname?: boolean;
  keepalive?: number;
  holdTime?: number;
  peerGroups: MutGroup[];
  neighbors: MutNeighbor[];
  /** The neighbors by address text (a configuration of thousands of neighbours stays linear). */
  neighborsByAddress: Map<string, MutNeighbor>;
  networks: FrrNetwork[];
  redistribute: FrrRedistribute[];
  maximumPaths?: number;
  maximumPathsIbgp?: number;
  redistribute6: FrrRedistribute[];
  maximumPaths6?: number;
  maximumPathsIbgp6?: number;
}

interface MutRouteMapEntry {
  seq: number;
  action: 'permit' | 'deny';
  matchPrefixLists: string[];
  sets: Mutable<FrrRouteMapSets>;
  line: number;
}

type Context =
  | { readonly kind: 'top' }
  | { readonly kind: 'bgp' }
  | { readonly kind: 'af-ipv4' }
  | { readonly kind: 'af-ipv6' }
  | { readonly kind: 'af-other' }
  | { readonly kind: 'route-map'; readonly entry: MutRouteMapEntry }
  | { readonly kind: 'block' };

/** Outcome of trying a line in one context. */
type Outcome = 'ok' | 'not-modelled' | 'unknown';

class ParseError extends Error {}

function fail(message: string): never {
  throw new ParseError(message);
}

function uint(text: string | undefined, min: number, max: number, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) fail(`% Invalid ${what}: ${text ?? '(missing)'}`);
  const n = Number(text);
  if (n < min || n > max) fail(`% Invalid ${what}: ${text} (range ${min}-${max})`);
  return n;
}

function asn(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 4294967295) {
    fail(`% Invalid AS number: ${text ?? '(missing)'}`);
  }
  return Number(text);
}

function ipv4(text: string | undefined, what = 'address'): IPv4 {
  const a = text === undefined ? undefined : parseIPv4(text);
  if (!a) fail(`% Malformed ${what}: ${text ?? '(missing)'}`);
  return a;
}

function isIpv6Like(text: string): boolean {
  return text.includes(':');
}

const COMMUNITY_NAMES: Readonly<Record<string, string>> = {
  'no-export': '65535:65281',
  'no-advertise': '65535:65282',
  'local-AS': '65535:65283',
  'no-peer': '65535:65284',
  'graceful-shutdown': '65535:0',
  'accept-own': '65535:1',
  blackhole: '65535:666',
  'llgr-stale': '65535:6',
  'no-llgr': '65535:7',
  internet: '0:0',
};

function community(text: string): string {
  const named = COMMUNITY_NAMES[text];
  if (named !== undefined) return named;
  const m = /^(\d+):(\d+)$/.exec(text);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535) fail(`% Malformed community-list value: ${text}`);
  return `${Number(m[1])}:${Number(m[2])}`;
}

function largeCommunity(text: string): string {
  const m = /^(\d+):(\d+):(\d+)$/.exec(text);
  if (!m || [m[1], m[2], m[3]].some((x) => Number(x) > 4294967295)) fail(`% Malformed large-community value: ${text}`);
  return `${Number(m[1])}:${Number(m[2])}:${Number(m[3])}`;
}

/** Top-level words that open a block of another daemon (kept, not modelled). */
const BLOCK_OPENERS = new Set([
  'interface',
  'router',
  'vrf',
  'line',
  'key',
  'bfd',
  'segment-routing',
  'nexthop-group',
  'pbr-map',
  'rpki',
  'mpls',
  'l2vpn',
  'evpn',
  'debug',
]);

/** A neighbour's key in `neighborsByAddress`: the address text (IPv4 and IPv6 texts never collide). */
function neighborKey(a: IpAddress): string {
  return formatIp(a);
}

class Parser {
  profile?: FrrDefaultsProfile;
  version?: string;
  hostname?: string;
  bgp?: MutBgp;
  readonly prefixLists = new Map<string, FrrPrefixListEntry[]>();
  readonly routeMaps = new Map<string, MutRouteMapEntry[]>();
  readonly staticRoutes: FrrStaticRoute[] = [];
  readonly notModelled: { line: number; text: string }[] = [];
  readonly errors: { line: number; message: string }[] = [];
  stack: Context[] = [{ kind: 'top' }];
  lineNo = 0;

  run(text: string): void {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      this.lineNo = i + 1;
      const raw = lines[i] ?? '';
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('!') || trimmed.startsWith('#')) continue;
      const indented = /^\s/.test(raw);
      const words = trimmed.split(/\s+/);
      try {
        this.line(words, trimmed, indented);
      } catch (e) {
        if (e instanceof ParseError) this.errors.push({ line: this.lineNo, message: e.message });
        else throw e;
      }
    }
  }

  private line(words: string[], text: string, indented: boolean): void {
    const last = this.stack.length - 1;
    const current = this.stack[last]!;
    const r = this.execute(current, words);
    if (r !== 'unknown') {
      if (r === 'not-modelled') this.notModelled.push({ line: this.lineNo, text });
      return;
    }
    // Not a command of the current context: vtysh tries the enclosing contexts. An indented line
    // moves out only for a command the outer context models; otherwise it stays where it is.
    for (let depth = last - 1; depth >= 0; depth--) {
      const ctx = this.stack[depth]!;
      const dry = this.dryRun(ctx, words);
      if (dry === 'unknown' || (indented && dry !== 'ok')) continue;
      this.stack = this.stack.slice(0, depth + 1);
      const out = this.execute(ctx, words);
      if (out === 'not-modelled') this.notModelled.push({ line: this.lineNo, text });
      return;
    }
    this.notModelled.push({ line: this.lineNo, text });
  }

  private pendingPush: Context | undefined;

  private push(ctx: Context, dryRun: boolean): void {
    if (!dryRun) this.pendingPush = ctx;
  }

  private execute(ctx: Context, words: string[]): Outcome {
    this.pendingPush = undefined;
    const out = this.handle(ctx, words, false);
    if (this.pendingPush) this.stack.push(this.pendingPush);
    this.pendingPush = undefined;
    return out;
  }

  private dryRun(ctx: Context, words: string[]): Outcome {
    try {
      return this.handle(ctx, words, true);
    } catch (e) {
      if (e instanceof ParseError) return 'ok';
      throw e;
    }
  }

  private handle(ctx: Context, words: string[], dryRun: boolean): Outcome {
    switch (ctx.kind) {
      case 'top':
        return this.top(words, dryRun);
      case 'bgp':
        return this.router(words, dryRun);
      case 'af-ipv4':
        return this.afIpv4(words, dryRun);
      case 'af-ipv6':
        return this.afIpv6(words, dryRun);
      case 'af-other':
        if (words[0] === 'exit-address-family') return dryRun ? 'ok' : this.exitTo('bgp');
        return 'unknown';
      case 'route-map':
        return this.routeMap(ctx.entry, words, dryRun);
      case 'block':
        if (words[0] === 'exit' || words[0] === 'exit-vrf') return dryRun ? 'ok' : this.exitBlock();
        return 'unknown';
    }
  }

  private exitTo(kind: 'bgp'): Outcome {
    const idx = this.stack.map((c) => c.kind).lastIndexOf(kind);
    this.stack = this.stack.slice(0, idx + 1);
    return 'ok';
  }

  private exitBlock(): Outcome {
    this.stack = this.stack.slice(0, Math.max(1, this.stack.length - 1));
    return 'ok';
  }

  // ---------------------------------------------------------------------------------------------
  // top level
  // ---------------------------------------------------------------------------------------------

  private top(w: string[], dry: boolean): Outcome {
    const [a, b] = w;
    if (a === 'frr' && b === 'version') {
      if (!dry) this.version = w.slice(2).join(' ');
      return 'ok';
    }
    if (a === 'frr' && b === 'defaults') {
      if (dry) return 'ok';
      const p = w[2];
      if (p !== 'traditional' && p !== 'datacenter') fail(`% Unknown defaults profile: ${p ?? '(missing)'}`);
      this.profile = p;
      return 'ok';
    }
    if (a === 'hostname') {
      if (!dry) {
        if (w[1] === undefined) fail('% Command incomplete: hostname');
        this.hostname = w[1];
      }
      return 'ok';
    }
    if (a === 'router' && b === 'bgp') {
      if (w.length > 3) {
        // `router bgp ASN vrf NAME` / `view NAME`: another instance, not modelled.
        if (!dry) this.push({ kind: 'block' }, dry);
        return 'not-modelled';
      }
      if (dry) return 'ok';
      const n = asn(w[2]);
      if (this.bgp && this.bgp.asn !== n) fail(`BGP is already running; AS is ${this.bgp.asn}`);
      if (!this.bgp) this.bgp = newBgp(n, this.lineNo);
      this.push({ kind: 'bgp' }, dry);
      return 'ok';
    }
    if (a === 'ip' && b === 'prefix-list') {
      if (w[3] === 'description') return 'not-modelled';
      if (!dry) this.prefixList(w);
      return 'ok';
    }
    if (a === 'route-map') {
      if (dry) return 'ok';
      const name = w[1];
      const action = w[2];
      if (name === undefined || (action !== 'permit' && action !== 'deny')) fail('% Command incomplete: route-map NAME permit|deny SEQ');
      const seq = uint(w[3], 1, 65535, 'sequence number');
      const list = this.routeMaps.get(name) ?? [];
      let entry = list.find((e) => e.seq === seq);
      if (!entry) {
        entry = { seq, action, matchPrefixLists: [], sets: {}, line: this.lineNo };
        list.push(entry);
        list.sort((x, y) => x.seq - y.seq);
        this.routeMaps.set(name, list);
      } else {
        entry.action = action;
      }
      this.push({ kind: 'route-map', entry }, dry);
      return 'ok';
    }
    if (a === 'ip' && b === 'route') {
      if (!dry) this.staticRoute(w);
      return 'ok';
    }
    if (a === 'exit' || a === 'end' || a === 'exit-vrf') {
      if (!dry) this.stack = [{ kind: 'top' }];
      return 'ok';
    }
    if (a !== undefined && BLOCK_OPENERS.has(a)) {
      if (!dry) this.push({ kind: 'block' }, dry);
      return 'not-modelled';
    }
    return 'unknown';
  }

  private prefixList(w: string[]): void {
    const name = w[2];
    if (name === undefined) fail('% Command incomplete: ip prefix-list NAME');
    let i = 3;
    const list = this.prefixLists.get(name) ?? [];
    let seq: number;
    if (w[i] === 'seq') {
      seq = uint(w[i + 1], 1, 4294967295, 'sequence number');
      i += 2;
    } else {
      const max = list.reduce((m, e) => Math.max(m, e.seq), 0);
      seq = Math.floor(max / 5) * 5 + 5;
    }
    const action = w[i];
    if (action !== 'permit' && action !== 'deny') fail('% Command incomplete: ip prefix-list NAME permit|deny PREFIX');
    i++;
    const target = w[i];
    if (target === undefined) fail('% Command incomplete: ip prefix-list NAME permit|deny PREFIX');
    i++;
    let entry: Mutable<FrrPrefixListEntry>;
    if (target === 'any') {
      entry = { seq, action, line: this.lineNo };
    } else {
      const prefix = parseIPv4Prefix(target);
      if (!prefix) fail(`% Malformed prefix: ${target}`);
      entry = { seq, action, prefix, line: this.lineNo };
      const len = Number(prefix.getPrefix().getValue());
      while (i < w.length) {
        const k = w[i];
        if (k === 'ge') entry.ge = uint(w[i + 1], 0, 32, 'ge value');
        else if (k === 'le') entry.le = uint(w[i + 1], 0, 32, 'le value');
        else fail(`% Unknown prefix-list option: ${k ?? ''}`);
        i += 2;
      }
      const ge = entry.ge;
      const le = entry.le;
      if ((ge !== undefined && ge <= len) || (le !== undefined && le < len) || (ge !== undefined && le !== undefined && ge > le)) {
        fail(`% Invalid prefix range for ${target}, make sure: len < ge-value <= le-value`);
      }
    }
    const kept = list.filter((e) => e.seq !== seq);
    kept.push(entry);
    kept.sort((x, y) => x.seq - y.seq);
    this.prefixLists.set(name, kept);
  }

  private staticRoute(w: string[]): void {
    const prefix = parseIPv4Prefix(w[2] ?? '');
    if (!prefix) fail(`% Malformed address: ${w[2] ?? '(missing)'}`);
    const nh = w[3];
    if (nh === undefined) fail('% Command incomplete: ip route PREFIX NEXTHOP');
    const rest = w.slice(4);
    let distance = 1;
    if (rest[0] !== undefined && /^\d+$/.test(rest[0])) distance = uint(rest[0], 1, 255, 'distance');
    else if (rest.length > 0) fail(`% Unknown ip route option: ${rest.join(' ')}`);
    const gw = parseIPv4(nh);
    if (gw) this.staticRoutes.push({ prefix, gateway: gw, distance, line: this.lineNo });
    else if (nh === 'blackhole' || nh === 'Null0' || nh === 'reject') this.staticRoutes.push({ prefix, blackhole: true, distance, line: this.lineNo });
    else this.staticRoutes.push({ prefix, dev: nh, distance, line: this.lineNo });
  }

  // ---------------------------------------------------------------------------------------------
  // router bgp
  // ---------------------------------------------------------------------------------------------

  private router(w: string[], dry: boolean): Outcome {
    const bgp = this.bgp;
    if (!bgp) return 'unknown';
    const [a, b, c, d] = w;
    const no = a === 'no';
    const v = no ? w.slice(1) : w;
    const [va, vb, vc, vd] = v;
    if (a === 'exit') {
      if (!dry) this.stack = [{ kind: 'top' }];
      return 'ok';
    }
    if (a === 'address-family') {
      if (b === 'ipv4' && (c === undefined || c === 'unicast') && d === undefined) {
        this.push({ kind: 'af-ipv4' }, dry);
        return 'ok';
      }
      if (b === 'ipv6' && (c === undefined || c === 'unicast') && d === undefined) {
        this.push({ kind: 'af-ipv6' }, dry);
        return 'ok';
      }
      this.push({ kind: 'af-other' }, dry);
      return 'not-modelled';
    }
    if (va === 'neighbor') return this.neighbor(v, no, dry);
    if (va === 'network' || va === 'redistribute' || va === 'maximum-paths') return this.ipv4Af(w, dry);
    if (va === 'timers' && vb === 'bgp') {
      if (dry) return 'ok';
      if (no) {
        delete bgp.keepalive;
        delete bgp.holdTime;
        return 'ok';
      }
      const k = uint(vc, 0, 65535, 'keepalive');
      const h = uint(vd, 0, 65535, 'hold time');
      if (h !== 0 && h < 3) fail('% Hold time must be 0 or between 3 and 65535');
      bgp.keepalive = k;
      bgp.holdTime = h;
      return 'ok';
    }
    if (va !== 'bgp') return 'unknown';
    const rest = v.slice(1).join(' ');
    if (dry) return KNOWN_BGP.some((k) => rest === k || rest.startsWith(`${k} `)) ? 'ok' : 'not-modelled';
    if (vb === 'router-id') {
      if (no) delete bgp.routerId;
      else bgp.routerId = ipv4(vc, 'router-id');
      return 'ok';
    }
    switch (rest) {
      case 'ebgp-requires-policy':
        bgp.ebgpRequiresPolicy = !no;
        return 'ok';
      case 'deterministic-med':
        bgp.deterministicMed = !no;
        return 'ok';
      case 'always-compare-med':
        bgp.alwaysCompareMed = !no;
        return 'ok';
      case 'bestpath as-path multipath-relax':
      case 'bestpath as-path multipath-relax as-set':
      case 'bestpath as-path multipath-relax no-as-set':
        bgp.multipathRelax = !no;
        return 'ok';
      case 'bestpath as-path ignore':
        bgp.asPathIgnore = !no;
        return 'ok';
      case 'bestpath compare-routerid':
        bgp.compareRouterId = !no;
        return 'ok';
      case 'bestpath med missing-as-worst':
        bgp.medMissingAsWorst = !no;
        return 'ok';
      case 'graceful-restart':
        bgp.gracefulRestart = no ? 'helper' : 'full';
        return 'ok';
      case 'graceful-restart-disable':
        bgp.gracefulRestart = no ? 'helper' : 'disable';
        return 'ok';
      case 'network import-check':
        bgp.networkImportCheck = !no;
        return 'ok';
      case 'default ipv4-unicast':
        bgp.defaultIpv4Unicast = !no;
        return 'ok';
      case 'log-neighbor-changes':
        bgp.logNeighborChanges = !no;
        return 'ok';
      case 'default show-hostname':
        bgp.showHostname = !no;
        return 'ok';
      default:
        break;
    }
    if (vb === 'default' && vc === 'local-preference') {
      bgp.defaultLocalPref = no ? DEFAULT_LOCAL_PREF : uint(vd, 0, 4294967295, 'local preference');
      return 'ok';
    }
    return 'not-modelled';
  }

  // ---------------------------------------------------------------------------------------------
  // address-family ipv4 unicast
  // ---------------------------------------------------------------------------------------------

  private afIpv4(w: string[], dry: boolean): Outcome {
    if (w[0] === 'exit-address-family' || w[0] === 'exit') {
      if (!dry) this.exitTo('bgp');
      return 'ok';
    }
    const no = w[0] === 'no';
    const v = no ? w.slice(1) : w;
    if (v[0] === 'neighbor') return this.neighbor(v, no, dry);
    if (v[0] === 'network' || v[0] === 'redistribute' || v[0] === 'maximum-paths') return this.ipv4Af(w, dry);
    if (['aggregate-address', 'distance', 'table-map', 'import', 'export', 'label', 'rd', 'rt', 'bgp'].includes(v[0] ?? '')) return 'not-modelled';
    return 'unknown';
  }

  /**
   * ipv6 (issue 18): `address-family ipv6 unicast`: `neighbor X activate` (IPv6 unicast only),
   * `network P` (an IPv6 prefix), `redistribute connected|static|kernel`, `maximum-paths`; other
   * neighbor commands of this family (its own route-maps, prefix-lists) are kept, not modelled.
   */
  private afIpv6(w: string[], dry: boolean): Outcome {
    const bgp = this.bgp;
    if (!bgp) return 'unknown';
    if (w[0] === 'exit-address-family' || w[0] === 'exit') {
      if (!dry) this.exitTo('bgp');
      return 'ok';
    }
    const no = w[0] === 'no';
    const v = no ? w.slice(1) : w;
    if (v[0] === 'neighbor') {
      if (v[2] !== 'activate') return v[1] !== undefined && v[2] !== undefined ? 'not-modelled' : 'unknown';
      if (dry) return 'ok';
      const s = this.settingsOf(v[1] ?? '');
      if (!s) fail('% Specify remote-as or peer-group commands first');
      s.activate6 = !no;
      return 'ok';
    }
    if (v[0] === 'network') {
      if (v[2] !== undefined && v[2] !== 'route-map') return 'not-modelled';
      if (dry) return 'ok';
      const prefix = parsePrefix(v[1] ?? '');
      if (!prefix || isIPv4Prefix(prefix)) fail(`% Malformed prefix: ${v[1] ?? '(missing)'}`);
      const routeMap = v[2] === 'route-map' ? v[3] : undefined;
      if (v[2] === 'route-map' && routeMap === undefined) fail('% Command incomplete: network PREFIX route-map NAME');
      const key = formatPrefix(prefix);
      bgp.networks = bgp.networks.filter((n) => formatPrefix(n.prefix) !== key);
      if (!no) bgp.networks.push({ prefix, ...(routeMap !== undefined ? { routeMap } : {}), line: this.lineNo });
      return 'ok';
    }
    if (v[0] === 'redistribute') {
      const src = v[1];
      if (src !== 'connected' && src !== 'static' && src !== 'kernel') return 'not-modelled';
      if (dry) return 'ok';
      bgp.redistribute6 = bgp.redistribute6.filter((r) => r.source !== src);
      if (!no) bgp.redistribute6.push(this.redistribution(src, v));
      return 'ok';
    }
    if (v[0] === 'maximum-paths') {
      if (dry) return 'ok';
      const ibgp = v[1] === 'ibgp';
      if (no) {
        if (ibgp) delete bgp.maximumPathsIbgp6;
        else delete bgp.maximumPaths6;
        return 'ok';
      }
      const n = uint(ibgp ? v[2] : v[1], 1, MAX_MAXIMUM_PATHS, 'maximum-paths');
      if (ibgp) bgp.maximumPathsIbgp6 = n;
      else bgp.maximumPaths6 = n;
      return 'ok';
    }
    if (['aggregate-address', 'distance', 'table-map', 'import', 'export', 'label', 'rd', 'rt', 'bgp', 'nexthop'].includes(v[0] ?? '')) return 'not-modelled';
    return 'unknown';
  }

  /** `redistribute SOURCE [metric N] [route-map NAME]` of either family, read (`v[0]` is `redistribute`). */
  private redistribution(source: FrrRedistribute['source'], v: readonly string[]): FrrRedistribute {
    let metric: number | undefined;
    let routeMap: string | undefined;
    for (let i = 2; i < v.length; i += 2) {
      if (v[i] === 'metric') metric = uint(v[i + 1], 0, 4294967295, 'metric');
      else if (v[i] === 'route-map') {
        routeMap = v[i + 1];
        if (routeMap === undefined) fail('% Command incomplete: redistribute SOURCE route-map NAME');
      } else fail(`% Unknown redistribute option: ${v[i] ?? ''}`);
    }
    return { source, ...(metric !== undefined ? { metric } : {}), ...(routeMap !== undefined ? { routeMap } : {}), line: this.lineNo };
  }

  /** `network`, `redistribute`, `maximum-paths` (router level or ipv4 unicast). */
  private ipv4Af(w: string[], dry: boolean): Outcome {
    const bgp = this.bgp;
    if (!bgp) return 'unknown';
    const no = w[0] === 'no';
    const v = no ? w.slice(1) : w;
    if (v[0] === 'network') {
      if (v[1] !== undefined && isIpv6Like(v[1])) return 'not-modelled';
      if (v[2] === 'mask' || v[2] === 'backdoor' || v[2] === 'label-index') return 'not-modelled';
      if (dry) return 'ok';
      const prefix = parseIPv4Prefix(v[1] ?? '');
      if (!prefix) fail(`% Malformed prefix: ${v[1] ?? '(missing)'}`);
      let routeMap: string | undefined;
      if (v[2] === 'route-map') {
        routeMap = v[3];
        if (routeMap === undefined) fail('% Command incomplete: network PREFIX route-map NAME');
      } else if (v[2] !== undefined) fail(`% Unknown network option: ${v.slice(2).join(' ')}`);
      const key = prefix.toCidrString();
      bgp.networks = bgp.networks.filter((n) => n.prefix.toCidrString() !== key);
      if (!no) bgp.networks.push({ prefix, ...(routeMap !== undefined ? { routeMap } : {}), line: this.lineNo });
      return 'ok';
    }
    if (v[0] === 'redistribute') {
      const src = v[1];
      if (src !== 'connected' && src !== 'static' && src !== 'kernel') return 'not-modelled';
      if (dry) return 'ok';
      bgp.redistribute = bgp.redistribute.filter((r) => r.source !== src);
      if (!no) bgp.redistribute.push(this.redistribution(src, v));
      return 'ok';
    }
    // maximum-paths
    if (dry) return 'ok';
    const ibgp = v[1] === 'ibgp';
    const numText = ibgp ? v[2] : v[1];
    if (ibgp && v[3] === 'equal-cluster-length') return 'not-modelled';
    if (no) {
      if (ibgp) delete bgp.maximumPathsIbgp;
      else delete bgp.maximumPaths;
      return 'ok';
    }
    const n = uint(numText, 1, MAX_MAXIMUM_PATHS, 'maximum-paths');
    if (ibgp) bgp.maximumPathsIbgp = n;
    else bgp.maximumPaths = n;
    return 'ok';
  }

  // ---------------------------------------------------------------------------------------------
  // neighbor commands
  // ---------------------------------------------------------------------------------------------

  private neighbor(v: string[], no: boolean, dry: boolean): Outcome {
    const bgp = this.bgp;
    if (!bgp) return 'unknown';
    const name = v[1];
    const cmd = v[2];
    if (name === undefined || cmd === undefined) {
      if (dry) return 'ok';
      fail('% Command incomplete: neighbor');
    }
    if (cmd === 'interface') return 'not-modelled';
    const args = v.slice(3);
    const modelledCmds = new Set([
      'remote-as',
      'peer-group',
      'ebgp-multihop',
      'update-source',
      'next-hop-self',
      'route-map',
      'prefix-list',
      'timers',
      'passive',
      'shutdown',
      'description',
      'port',
      'enforce-first-as',
      'allowas-in',
      'disable-connected-check',
      'activate',
      'solo',
      'sender-as-path-loop-detection',
    ]);
    if (!modelledCmds.has(cmd)) {
      if (!dry && (cmd === 'filter-list' || cmd === 'distribute-list' || cmd === 'unsuppress-map')) {
        // Counted as a policy by ebgp-requires-policy, but not evaluated.
        const target = this.settingsOf(name);
        const dir = cmd === 'unsuppress-map' ? 'out' : args[1];
        if (target && !no) {
          if (dir === 'in') target.routeMapIn ??= '';
          if (dir === 'out') target.prefixListOut ??= '';
        }
      }
      return 'not-modelled';
    }
    if (cmd === 'timers' && args[0] === 'connect') return 'not-modelled';
    if (dry) return 'ok';
    const addr = parseIp(name); // ipv6 (issue 18): IPv4 and IPv6 neighbours
    if (isIpv6Like(name) && addr === undefined) fail(`% Malformed address: ${name}`);
    if (cmd === 'remote-as') {
      const remoteAs: FrrRemoteAs = remoteAsOf(args[0]);
      if (addr) {
        let n = bgp.neighborsByAddress.get(neighborKey(addr));
        if (no) {
          bgp.neighbors = bgp.neighbors.filter((x) => x !== n);
          bgp.neighborsByAddress.delete(neighborKey(addr));
          return 'ok';
        }
        if (!n) {
          n = { address: addr, settings: {}, line: this.lineNo };
          bgp.neighbors.push(n);
          bgp.neighborsByAddress.set(neighborKey(addr), n);
        }
        n.settings.remoteAs = remoteAs;
        return 'ok';
      }
      const g = bgp.peerGroups.find((x) => x.name === name);
      if (!g) fail('% Create the peer-group or interface first');
      if (no) delete g.settings.remoteAs;
      else g.settings.remoteAs = remoteAs;
      return 'ok';
    }
    if (cmd === 'peer-group') {
      if (args.length === 0) {
        if (addr) fail(`% Invalid peer-group name: ${name}`);
        if (no) {
          bgp.peerGroups = bgp.peerGroups.filter((g) => g.name !== name);
          return 'ok';
        }
        if (!bgp.peerGroups.some((g) => g.name === name)) bgp.peerGroups.push({ name, settings: {}, line: this.lineNo });
        return 'ok';
      }
      if (!addr) fail(`% Malformed address: ${name}`);
      const group = bgp.peerGroups.find((g) => g.name === args[0]);
      if (!group) fail('% Configure the peer-group first');
      let n = bgp.neighborsByAddress.get(neighborKey(addr));
      if (no) {
        if (n) delete n.peerGroup;
        return 'ok';
      }
      if (!n) {
        if (group.settings.remoteAs === undefined) fail('% Specify remote-as or peer-group remote AS first');
        n = { address: addr, settings: {}, line: this.lineNo };
        bgp.neighbors.push(n);
        bgp.neighborsByAddress.set(neighborKey(addr), n);
      }
      n.peerGroup = group.name;
      return 'ok';
    }
    const s = this.settingsOf(name);
    if (!s) fail('% Specify remote-as or peer-group commands first');
    this.setting(s, cmd, args, no);
    return 'ok';
  }

  private settingsOf(name: string): Mutable<FrrNeighborSettings> | undefined {
    const bgp = this.bgp;
    if (!bgp) return undefined;
    const addr = parseIp(name);
    if (addr) return bgp.neighborsByAddress.get(neighborKey(addr))?.settings;
    return bgp.peerGroups.find((g) => g.name === name)?.settings;
  }

  private setting(s: Mutable<FrrNeighborSettings>, cmd: string, args: string[], no: boolean): void {
    const dir = (x: string | undefined): 'in' | 'out' => {
      if (x !== 'in' && x !== 'out') fail(`% Direction must be in or out: ${x ?? '(missing)'}`);
      return x;
    };
    switch (cmd) {
      case 'ebgp-multihop':
        if (no) delete s.ebgpMultihop;
        else s.ebgpMultihop = args[0] === undefined ? 255 : uint(args[0], 1, 255, 'TTL');
        return;
      case 'update-source':
        if (no) delete s.updateSource;
        else {
          if (args[0] === undefined) fail('% Command incomplete: update-source');
          s.updateSource = args[0];
        }
        return;
      case 'next-hop-self':
        s.nextHopSelf = !no;
        return;
      case 'route-map': {
        const d = dir(args[1]);
        const name = args[0];
        if (name === undefined) fail('% Command incomplete: route-map NAME in|out');
        if (d === 'in') {
          if (no) delete s.routeMapIn;
          else s.routeMapIn = name;
        } else if (no) delete s.routeMapOut;
        else s.routeMapOut = name;
        return;
      }
      case 'prefix-list': {
        const d = dir(args[1]);
        const name = args[0];
        if (name === undefined) fail('% Command incomplete: prefix-list NAME in|out');
        if (d === 'in') {
          if (no) delete s.prefixListIn;
          else s.prefixListIn = name;
        } else if (no) delete s.prefixListOut;
        else s.prefixListOut = name;
        return;
      }
      case 'timers': {
        if (no) {
          delete s.keepalive;
          delete s.holdTime;
          return;
        }
        const k = uint(args[0], 0, 65535, 'keepalive');
        const h = uint(args[1], 0, 65535, 'hold time');
        if (h !== 0 && h < 3) fail('% Hold time must be 0 or between 3 and 65535');
        s.keepalive = k;
        s.holdTime = h;
        return;
      }
      case 'passive':
        s.passive = !no;
        return;
      case 'shutdown':
        s.shutdown = !no;
        return;
      case 'description':
        if (no) delete s.description;
        else s.description = args.join(' ');
        return;
      case 'port':
        if (no) delete s.port;
        else s.port = uint(args[0], 0, 65535, 'port');
        return;
      case 'enforce-first-as':
        s.enforceFirstAs = !no;
        return;
      case 'allowas-in':
        if (no) delete s.allowasIn;
        else if (args[0] === 'origin') fail('% allowas-in origin is not supported by the model');
        else s.allowasIn = args[0] === undefined ? 3 : uint(args[0], 1, 10, 'allowas-in count');
        return;
      case 'disable-connected-check':
        s.disableConnectedCheck = !no;
        return;
      case 'activate':
        s.activate = !no;
        return;
      case 'solo':
        s.solo = !no;
        return;
      case 'sender-as-path-loop-detection':
        s.senderAsPathLoopDetection = !no;
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // route-map entries
  // ---------------------------------------------------------------------------------------------

  private routeMap(e: MutRouteMapEntry, w: string[], dry: boolean): Outcome {
    const [a, b, c, d] = w;
    if (a === 'exit') {
      if (!dry) this.stack = [{ kind: 'top' }];
      return 'ok';
    }
    if (a === 'match') {
      if (b === 'ip' && c === 'address' && d === 'prefix-list') {
        if (dry) return 'ok';
        const name = w[4];
        if (name === undefined) fail('% Command incomplete: match ip address prefix-list NAME');
        if (!e.matchPrefixLists.includes(name)) e.matchPrefixLists.push(name);
        return 'ok';
      }
      return 'not-modelled';
    }
    if (a === 'set') {
      const s = e.sets;
      switch (b) {
        case 'local-preference':
          if (c !== undefined && !/^\d+$/.test(c)) return 'not-modelled';
          if (!dry) s.localPref = uint(c, 0, 4294967295, 'local preference');
          return 'ok';
        case 'metric':
          if (c !== undefined && !/^\d+$/.test(c)) return 'not-modelled';
          if (!dry) s.med = uint(c, 0, 4294967295, 'metric');
          return 'ok';
        case 'weight':
          if (!dry) s.weight = uint(c, 0, 4294967295, 'weight');
          return 'ok';
        case 'origin':
          if (!dry) {
            if (c !== 'igp' && c !== 'egp' && c !== 'incomplete') fail(`% Invalid origin: ${c ?? '(missing)'}`);
            s.origin = c;
          }
          return 'ok';
        case 'community':
        case 'large-community': {
          if (dry) return 'ok';
          const vals = w.slice(2);
          if (vals.length === 0) fail(`% Command incomplete: set ${b}`);
          const key = b === 'community' ? 'communities' : 'largeCommunities';
          if (vals.length === 1 && vals[0] === 'none') {
            s[key] = 'none';
            return 'ok';
          }
          const additive = vals[vals.length - 1] === 'additive';
          const list = (additive ? vals.slice(0, -1) : vals).map(b === 'community' ? community : largeCommunity);
          s[key] = { values: list, additive };
          return 'ok';
        }
        case 'as-path':
          if (c !== 'prepend') return 'not-modelled';
          if (w[3] === 'last-as') return 'not-modelled';
          if (!dry) {
            const asns = w.slice(3).map((x) => asn(x));
            if (asns.length === 0) fail('% Command incomplete: set as-path prepend ASN');
            s.asPathPrepend = asns;
          }
          return 'ok';
        case 'ip':
          if (c !== 'next-hop') return 'not-modelled';
          if (!dry) {
            if (d === 'peer-address' || d === 'unchanged') s.nextHop = d;
            else s.nextHop = ipv4(d, 'next-hop');
          }
          return 'ok';
        default:
          return 'not-modelled';
      }
    }
    if (a === 'on-match' || a === 'call' || a === 'continue' || a === 'description') return 'not-modelled';
    return 'unknown';
  }

  finish(): FrrParseResult {
    const profile = this.profile ?? 'traditional';
    const d = profileDefaults(profile);
    let bgp: FrrBgpRouter | undefined;
    if (this.bgp) {
      const m = this.bgp;
      bgp = {
        asn: m.asn,
        line: m.line,
        ...(m.routerId !== undefined ? { routerId: m.routerId } : {}),
        ebgpRequiresPolicy: m.ebgpRequiresPolicy ?? d.ebgpRequiresPolicy,
        deterministicMed: m.deterministicMed ?? d.deterministicMed,
        alwaysCompareMed: m.alwaysCompareMed,
        medMissingAsWorst: m.medMissingAsWorst,
        multipathRelax: m.multipathRelax,
        asPathIgnore: m.asPathIgnore,
        compareRouterId: m.compareRouterId,
        defaultLocalPref: m.defaultLocalPref,
        gracefulRestart: m.gracefulRestart,
        networkImportCheck: m.networkImportCheck,
        defaultIpv4Unicast: m.defaultIpv4Unicast,
        logNeighborChanges: m.logNeighborChanges ?? d.logNeighborChanges,
        showHostname: m.showHostname ?? d.showHostname,
        keepalive: m.keepalive ?? d.keepalive,
        holdTime: m.holdTime ?? d.holdTime,
        peerGroups: m.peerGroups.map((g) => ({ name: g.name, settings: { ...g.settings }, line: g.line })),
        neighbors: m.neighbors.map((n) => ({
          address: n.address,
          ...(n.peerGroup !== undefined ? { peerGroup: n.peerGroup } : {}),
          settings: { ...n.settings },
          line: n.line,
        })),
        networks: [...m.networks],
        redistribute: [...m.redistribute],
        maximumPaths: m.maximumPaths ?? DEFAULT_MAXIMUM_PATHS,
        maximumPathsIbgp: m.maximumPathsIbgp ?? DEFAULT_MAXIMUM_PATHS,
        redistribute6: [...m.redistribute6],
        maximumPaths6: m.maximumPaths6 ?? DEFAULT_MAXIMUM_PATHS,
        maximumPathsIbgp6: m.maximumPathsIbgp6 ?? DEFAULT_MAXIMUM_PATHS,
      };
    }
    const routeMaps = new Map<string, readonly FrrRouteMapEntry[]>();
    for (const [k, entries] of this.routeMaps) {
      routeMaps.set(
        k,
        entries.map((e) => ({ seq: e.seq, action: e.action, matchPrefixLists: [...e.matchPrefixLists], sets: { ...e.sets }, line: e.line })),
      );
    }
    const config: FrrConfig = {
      ...(this.version !== undefined ? { version: this.version } : {}),
      profile,
      ...(this.hostname !== undefined ? { hostname: this.hostname } : {}),
      ...(bgp !== undefined ? { bgp } : {}),
      prefixLists: new Map(this.prefixLists),
      routeMaps,
      staticRoutes: [...this.staticRoutes],
      text: [],
    };
    return { config, notModelled: this.notModelled, errors: this.errors };
  }
}

const KNOWN_BGP = [
  'router-id',
  'ebgp-requires-policy',
  'deterministic-med',
  'always-compare-med',
  'bestpath as-path multipath-relax',
  'bestpath as-path ignore',
  'bestpath compare-routerid',
  'bestpath med missing-as-worst',
  'graceful-restart',
  'graceful-restart-disable',
  'network import-check',
  'default ipv4-unicast',
  'default local-preference',
  'log-neighbor-changes',
  'default show-hostname',
];

function remoteAsOf(text: string | undefined): FrrRemoteAs {
  if (text === 'external' || text === 'internal' || text === 'auto') return text;
  return asn(text);
}

function newBgp(asnValue: number, line: number): MutBgp {
  return {
    asn: asnValue,
    line,
    alwaysCompareMed: false,
    medMissingAsWorst: false,
    multipathRelax: false,
    asPathIgnore: false,
    compareRouterId: false,
    defaultLocalPref: DEFAULT_LOCAL_PREF,
    gracefulRestart: 'helper',
    networkImportCheck: true,
    defaultIpv4Unicast: true,
    peerGroups: [],
    neighbors: [],
    neighborsByAddress: new Map(),
    networks: [],
    redistribute: [],
    redistribute6: [],
  };
}

/**
 * Parses FRR configuration text. Never throws: errors and not-modelled lines are returned with
 * their 1-based line numbers.
 *
 * @example
 * ```ts
 * const r = parseFrrConfig('frr defaults traditional\nrouter bgp 65000\n neighbor 192.168.10.100 remote-as 65001\n');
 * r.config.bgp?.neighbors.length; // 1
 * r.config.bgp?.ebgpRequiresPolicy; // true (traditional)
 * ```
 */
export function parseFrrConfig(text: string): FrrParseResult {
  const hit = memo.get(text);
  if (hit) return hit;
  const result = parseUncached(text);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(text, result);
  return result;
}

/** Parse results by text (the parse is pure; results are immutable). */
const memo = new Map<string, FrrParseResult>();
const MEMO_SIZE = 256;

function parseUncached(text: string): FrrParseResult {
  const p = new Parser();
  p.run(text);
  const r = p.finish();
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { ...r, config: { ...r.config, text: lines } };
}
