/**
 * `exec SOURCE -- curl [-s] [--interface ADDR] [--local-port N] [--connect-timeout N] [--repeat N] URL`:
 * what curl prints when run on a host, a node, or inside a pod.
 *
 * SOURCE (the word after `exec`) is a host or node name, a pod as `namespace/name`, or a pod
 * name that is unique across namespaces (hosts first). Inside a pod, service names resolve as
 * the cluster DNS would (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` to the
 * ClusterIP); elsewhere only addresses work.
 *
 * @module
 */
import type { Command, CommandContext, CommandResult } from '../command.js';
import { twinOf, usageError } from '../command.js';
import { recordFlows } from './flow-log.js';
import type { Network } from '../../network/types.js';
import { formatIp } from '../../net/addr.js';
import { parseWire } from '../../net/wire.js';
import { CURL_USER_AGENT, repeatSourcePort } from '../../packet/decisions.js';
import { resolveClient, trace } from '../../packet/trace.js';
import type { TraceRequest, TraceResult } from '../../packet/types.js';
import type { Cluster } from '../../cluster/types.js';
import type { Twin } from '../../twin/twin.js';
import { curlOutput, repeatSummary } from '../../views/curl.js';

/**
 * The parsed curl command line.
 *
 * @example
 * ```ts
 * const a = parseCurlArgs(['-s', '172.16.1.1']); // { silent: true, host: '172.16.1.1', port: 80, path: '/' }
 * ```
 */
export interface CurlArgs {
  /** `-s`/`--silent`. */
  readonly silent: boolean;
  /** `--interface ADDR`. */
  readonly iface?: string;
  /** `--local-port N`. */
  readonly localPort?: number;
  /** `--connect-timeout N` (seconds). */
  readonly connectTimeout?: number;
  /** `--repeat N` (twin option): N requests over successive source ports, summarised. */
  readonly repeat?: number;
  /** URL host as typed. */
  readonly host: string;
  /** Port (80 unless given). */
  readonly port: number;
  /** Path (`/` unless given), with the query string. */
  readonly path: string;
  /** `-S`/`--show-error`. */
  readonly showError?: boolean;
  /** `-v`/`--verbose`. */
  readonly verbose?: boolean;
  /** `-I`/`--head`. */
  readonly head?: boolean;
  /** `-f`/`--fail`. */
  readonly fail?: boolean;
  /** `-w`/`--write-out FORMAT`. */
  readonly writeOut?: string;
  /** `-o`/`--output FILE`. */
  readonly outputFile?: string;
  /** `-m`/`--max-time N` (seconds). */
  readonly maxTime?: number;
  /** `-X`/`--request METHOD`. */
  readonly method?: string;
  /** `-H`/`--header 'Name: value'`, in order. */
  readonly headers?: readonly (readonly [string, string])[];
  /** v6walk: `-4`/`--ipv4` or `-6`/`--ipv6` (curl's `--ipresolve`). */
  readonly ipVersion?: 4 | 6;
}

/** Short options that take an argument (the rest of the cluster or the next word). */
const SHORT_WITH_ARG = new Set(['o', 'w', 'H', 'X', 'm']);
const SHORT_FLAGS = new Set(['s', 'S', 'v', 'I', 'f', 'L', 'k', 'i', '4', '6']);

/**
 * Parses curl's words (the subset the labs use): `-s`, `-S`, `-v`, `-I`, `-f`, `-H 'Name: value'`,
 * `-X METHOD`, `-o FILE`, `-w FORMAT`, `-m N`/`--max-time N`, `--connect-timeout N`,
 * `--interface ADDR`, `--local-port N`, `--repeat N` (twin), short flags clustered (`-sv`,
 * `-fsS`, `-so /dev/null`), and one URL.
 *
 * @example
 * ```ts
 * parseCurlArgs(['-s', '--interface', '10.10.1.200', '172.16.1.1']); // { silent: true, iface: '10.10.1.200', host: '172.16.1.1', port: 80, path: '/' }
 * ```
 */
export function parseCurlArgs(args: readonly string[]): CurlArgs | string {
  let silent = false;
  let iface: string | undefined;
  let localPort: number | undefined;
  let connectTimeout: number | undefined;
  let repeat: number | undefined;
  let url: string | undefined;
  const ext: {
    showError?: boolean;
    verbose?: boolean;
    head?: boolean;
    fail?: boolean;
    writeOut?: string;
    outputFile?: string;
    maxTime?: number;
    method?: string;
    headers?: [string, string][];
    ipVersion?: 4 | 6;
  } = {};
  const seconds = (name: string, v: string | undefined): number | string => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isFinite(n) && n >= 0 && n <= 1e6 ? n : `curl: option ${name}: expected a proper numerical parameter`;
  };
  const header = (v: string | undefined): string | undefined => {
    if (v === undefined) return 'curl: option -H: requires parameter';
    const i = v.indexOf(':');
    if (i <= 0) return undefined; // curl ignores a header without a colon (or `Name;` forms)
    (ext.headers ??= []).push([v.slice(0, i).trim(), v.slice(i + 1).trim()]);
    return undefined;
  };
  const withArg = (opt: string, v: string | undefined): string | undefined => {
    if (v === undefined) return `curl: option -${opt}: requires parameter`;
    switch (opt) {
      case 'o':
        ext.outputFile = v;
        return undefined;
      case 'w':
        ext.writeOut = v;
        return undefined;
      case 'H':
        return header(v);
      case 'X':
        ext.method = v;
        return undefined;
      case 'm': {
        const n = seconds('-m', v);
        if (typeof n === 'string') return n;
        ext.maxTime = n;
        return undefined;
      }
    }
    return `curl: option -${opt}: is unknown`;
  };
  const flag = (c: string): void => {
    if (c === 's') silent = true;
    else if (c === 'S') ext.showError = true;
    else if (c === 'v') ext.verbose = true;
    else if (c === 'I') ext.head = true;
    else if (c === 'f') ext.fail = true;
    else if (c === '4') ext.ipVersion = 4;
    else if (c === '6') ext.ipVersion = 6;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const num = (name: string, min: number, max: number): number | string => {
      const v = Number(args[++i]);
      return Number.isFinite(v) && v >= min && v <= max ? v : `curl: option ${name}: expected a number`;
    };
    if (a === '--silent') silent = true;
    else if (a === '--show-error') ext.showError = true;
    else if (a === '--verbose') ext.verbose = true;
    else if (a === '--head') ext.head = true;
    else if (a === '--fail') ext.fail = true;
    else if (a === '--ipv4') ext.ipVersion = 4;
    else if (a === '--ipv6') ext.ipVersion = 6;
    else if (a === '--location' || a === '--insecure' || a === '--include') continue;
    else if (a === '--interface') {
      iface = args[++i];
    } else if (a === '--local-port') {
      const v = num(a, 1, 65535);
      if (typeof v === 'string') return v;
      localPort = Math.floor(v);
    } else if (a === '--connect-timeout') {
      const v = num(a, 0, 1e6);
      if (typeof v === 'string') return v;
      connectTimeout = v;
    } else if (a === '--max-time') {
      const v = seconds(a, args[++i]);
      if (typeof v === 'string') return v;
      ext.maxTime = v;
    } else if (a === '--repeat') {
      const v = num(a, 1, 100000);
      if (typeof v === 'string') return v;
      repeat = Math.floor(v);
    } else if (a === '--header' || a === '--request' || a === '--output' || a === '--write-out') {
      const opt = a === '--header' ? 'H' : a === '--request' ? 'X' : a === '--output' ? 'o' : 'w';
      const e = withArg(opt, args[++i]);
      if (e !== undefined) return e;
    } else if (/^-[A-Za-z46]/.test(a) && !a.startsWith('--')) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        if (SHORT_WITH_ARG.has(c)) {
          const rest = a.slice(k + 1);
          const e = withArg(c, rest !== '' ? rest : args[++i]);
          if (e !== undefined) return e;
          break;
        }
        if (!SHORT_FLAGS.has(c)) return `curl: option ${a}: is unknown`;
        flag(c);
      }
    } else if (a.startsWith('-')) {
      return `curl: option ${a}: is unknown`;
    } else if (url === undefined) {
      url = a;
    } else {
      return 'curl: only one URL is supported';
    }
  }
  if (url === undefined) return 'curl: no URL specified!';
  // v6walk: an IPv6 literal in brackets; anything else in brackets is a glob range curl rejects
  const bracket = url.indexOf('[');
  if (bracket >= 0) {
    const lit = /^(?:(https?):\/\/)?\[([0-9a-fA-F:.]+)\](?::(\d+))?([/?].*)?$/.exec(url);
    if (lit === null || typeof parseWire(lit[2]!) !== 'bigint') return `curl: (3) bad range in URL position ${bracket + 2}:\n${url}\n${' '.repeat(bracket + 1)}^`;
  }
  const m = /^(?:(https?):\/\/)?(\[[0-9a-fA-F:.]+\]|[^/:?[\]]+)(?::(\d+))?([/?].*)?$/.exec(url);
  if (!m) return `curl: (3) URL using bad/illegal format or missing URL`;
  const port = m[3] !== undefined ? Number(m[3]) : m[1] === 'https' ? 443 : 80;
  if (port > 65535) return 'curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535';
  const rawPath = m[4] ?? '/';
  return {
    silent,
    ...(iface !== undefined ? { iface } : {}),
    ...(localPort !== undefined ? { localPort } : {}),
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
    host: m[2]!.replace(/^\[(.*)\]$/, '$1'),
    port,
    path: rawPath.startsWith('?') ? `/${rawPath}` : rawPath,
    ...ext,
  };
}

/**
 * Resolves a URL host for a client: an IPv4 address as is; inside a pod, a service name by the
 * cluster DNS rules to its ClusterIP. `undefined` when it does not resolve.
 *
 * @example
 * ```ts
 * resolveHost(cluster, net, 'curl-pod', 'webpod'); // '10.96.252.129'
 * ```
 */
export function resolveHost(cluster: Cluster, net: Network, from: string, host: string, family: 4 | 6 = 4): string | undefined {
  const lit = parseWire(host);
  if (lit !== undefined) return (typeof lit === 'bigint' ? 6 : 4) === family ? host : undefined;
  const client = resolveClient(net, from);
  if (typeof client === 'string' || client.kind !== 'pod') return undefined;
  const parts = host.replace(/\.$/, '').split('.');
  let name: string | undefined;
  let ns = client.pod.namespace;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc') || (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local')) {
    name = parts[0];
    ns = parts[1]!;
  }
  if (name === undefined) return undefined;
  const svc = cluster.scenario.services.find((s) => s.meta.name === name && (s.meta.namespace ?? 'default') === ns);
  if (svc?.headless === true) return headlessAddress(cluster, ns, svc.meta.name, family);
  const ip = svc?.clusterIPs.find((a) => a.bitSize === (family === 6 ? 128 : 32));
  return ip === undefined ? undefined : formatIp(ip);
}

/** The URL's host as curl writes it in `Host:` (IPv6 literals in brackets). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A headless service's name: CoreDNS answers with the ready endpoints' addresses (A records, AAAA
 * with -6) and curl connects to the first. CoreDNS rotates the records; the model takes the lowest
 * address of the family among the service's ready endpoints (docs/decisions.md, "Headless services").
 */
function headlessAddress(cluster: Cluster, ns: string, name: string, family: 4 | 6): string | undefined {
  let best: { value: bigint; text: string } | undefined;
  const bits = family === 6 ? 128 : 32;
  for (const slice of cluster.endpointSlices) {
    if ((slice.meta.namespace ?? 'default') !== ns || slice.serviceName !== name || slice.addressType !== (family === 6 ? 'IPv6' : 'IPv4')) continue;
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      for (const a of ep.addresses) if (a.bitSize === bits && (best === undefined || a.value < best.value)) best = { value: a.value, text: formatIp(a) };
    }
  }
  return best?.text;
}

/**
 * Runs curl's command line from a client (host, node or pod) and returns what curl prints;
 * `observe` sees each traced request (the `sh -c` command keeps the neighbour entries they made).
 *
 * @example
 * ```ts
 * runCurl(twin, 'router', ['-s', '172.16.1.1']).stdout; // 'Hostname: webpod-…'
 * ```
 */
export function runCurl(twin: Twin, from: string, args: readonly string[], observe?: (r: TraceResult) => void): CommandResult {
  const cluster = twin.cluster;
  const parsed = parseCurlArgs(args);
  // curl exits 3 for a URL it rejects; other mistakes in the command line are usage errors.
  if (typeof parsed === 'string') {
    if (!parsed.startsWith('curl: (3)')) return usageError(parsed);
    const quiet = args.some((x) => x === '-s' || x === '--silent') && !args.some((x) => x === '-S' || x === '-sS' || x === '--show-error');
    return { stdout: '', stderr: quiet ? '' : `${parsed}\n`, exitCode: 3 };
  }
  // `--interface` takes an address or a device name; a device binds to its first IPv4 address.
  // v6walk: the device's address of the connection's family (the URL literal's, else -4/-6, else IPv4)
  const urlLiteral = parseWire(parsed.host);
  const wanted: 4 | 6 = urlLiteral !== undefined ? (typeof urlLiteral === 'bigint' ? 6 : 4) : (parsed.ipVersion ?? 4);
  const a = parsed.iface !== undefined && parseWire(parsed.iface) === undefined ? { ...parsed, iface: deviceAddress(cluster, from, parsed.iface, wanted) ?? parsed.iface } : parsed;
  const net = twin.network();
  const client = resolveClient(net, from);
  if (typeof client === 'string') return { stdout: '', stderr: `exec: ${client}\n`, exitCode: 1 };
  // v6walk: the URL's family: a literal's, else A records unless -6 (musl's RFC 6724 order puts
  // IPv4 before the lab's ULA IPv6 addresses; see docs/decisions.md)
  const literal = parseWire(a.host);
  const family: 4 | 6 = literal !== undefined ? (typeof literal === 'bigint' ? 6 : 4) : (a.ipVersion ?? 4);
  if (literal !== undefined && a.ipVersion !== undefined && a.ipVersion !== family) {
    // curl resolves the literal, then finds no address of the forced family to try
    const quiet = a.silent && a.showError !== true;
    return { stdout: '', stderr: quiet ? '' : `curl: (7) Couldn't connect to server\n`, exitCode: 7 };
  }
  const dst = resolveHost(cluster, net, from, a.host, family);
  if (dst === undefined) {
    return { stdout: '', stderr: a.silent ? '' : `curl: (6) Could not resolve host: ${a.host}\n`, exitCode: 6 };
  }
  const method = a.method ?? (a.head === true ? 'HEAD' : 'GET');
  const request = (sport?: number): TraceRequest => ({
    from,
    dst,
    dport: a.port,
    protocol: 'TCP',
    ...(sport !== undefined ? { sport } : {}),
    ...(a.iface !== undefined ? { srcAddress: a.iface } : {}),
    http: {
      host: a.port === 80 || a.port === 443 ? urlHost(a.host) : `${urlHost(a.host)}:${a.port}`,
      path: a.path,
      ...(method !== 'GET' ? { method } : {}),
      ...(a.headers !== undefined && a.headers.length > 0 ? { headers: a.headers } : {}),
    },
  });
  if (a.iface !== undefined && parseWire(a.iface) === undefined) {
    return { stdout: '', stderr: a.silent ? '' : `curl: (45) bind failed with errno 19: No such device\n`, exitCode: 45 };
  }
  if (a.repeat !== undefined) {
    const results: TraceResult[] = [];
    for (let i = 0; i < a.repeat; i++) results.push(trace(net, request(repeatSourcePort(i, a.localPort))));
    if (observe !== undefined) results.forEach(observe);
    const failed = results.filter((r) => r.outcome !== 'answered').length;
    return {
      stdout: repeatSummary(results),
      stderr: failed > 0 ? `${failed} of ${a.repeat} requests got no answer\n` : '',
      exitCode: 0,
    };
  }
  const r = trace(net, request(a.localPort));
  recordFlows(twin, r);
  observe?.(r);
  if (r.reason !== null && r.reason.startsWith('cannot bind')) {
    return { stdout: '', stderr: a.silent ? '' : `curl: (45) bind failed with errno 99: Cannot assign requested address\n`, exitCode: 45 };
  }
  const out = curlOutput(r, {
    silent: a.silent,
    host: a.host,
    port: a.port,
    ...(a.connectTimeout !== undefined ? { connectTimeout: a.connectTimeout } : {}),
    ...(a.showError !== undefined ? { showError: a.showError } : {}),
    ...(a.verbose !== undefined ? { verbose: a.verbose } : {}),
    ...(a.head !== undefined ? { head: a.head } : {}),
    ...(a.fail !== undefined ? { fail: a.fail } : {}),
    ...(a.writeOut !== undefined ? { writeOut: a.writeOut } : {}),
    ...(a.outputFile !== undefined ? { outputFile: a.outputFile } : {}),
    ...(a.maxTime !== undefined ? { maxTime: a.maxTime } : {}),
    address: dst,
    request: { method, path: a.path, headers: requestHeaders(a, method) },
  });
  return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
}

/**
 * The request headers curl sends, in its order: Host, User-Agent, Accept (each replaced in place
 * by a `-H` of the same name), then the other `-H` headers.
 *
 * @example
 * ```ts
 * requestHeaders({ host: '172.16.1.2', port: 80, headers: [['Host', 'a.example']] }, 'GET')[0]; // ['Host', 'a.example']
 * ```
 */
export function requestHeaders(a: Pick<CurlArgs, 'host' | 'port' | 'headers'>, _method: string): [string, string][] {
  const given = a.headers ?? [];
  const pick = (name: string, dflt: string): [string, string] => {
    const h = given.find(([k]) => k.toLowerCase() === name.toLowerCase());
    return h !== undefined ? [h[0], h[1]] : [name, dflt];
  };
  const out: [string, string][] = [
    pick('Host', a.port === 80 || a.port === 443 ? urlHost(a.host) : `${urlHost(a.host)}:${a.port}`),
    pick('User-Agent', CURL_USER_AGENT),
    pick('Accept', '*/*'),
  ];
  for (const [k, v] of given) if (!['host', 'user-agent', 'accept'].includes(k.toLowerCase())) out.push([k, v]);
  return out;
}

/** The first IPv4 address of device `dev` on host `host`, as curl's `--interface eth1` binds. */
function deviceAddress(cluster: Cluster, host: string, dev: string, family: 4 | 6 = 4): string | undefined {
  const h = cluster.hosts.find((x) => x.meta.name === host);
  const addr = h?.interfaces.find((i) => i.name === dev)?.addresses.find((x) => (x.address.bitSize === 32) === (family === 4));
  return addr === undefined ? undefined : formatIp(addr.address);
}

/**
 * Parses `kubectl exec [-i] [-t] [-n NS] [-c CONTAINER] POD -- TOOL ARGS…` into the pod
 * (`namespace/name`) and the tool's words.
 *
 * @example
 * ```ts
 * parseKubectlExec(['-it', 'curl-pod', '--', 'curl', '-s', 'webpod']); // { pod: 'default/curl-pod', words: ['curl', '-s', 'webpod'] }
 * ```
 */
export function parseKubectlExec(args: readonly string[]): { pod: string; words: string[] } | string {
  let ns = 'default';
  let pod: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (/^-[it]+$/.test(a) || a === '--stdin' || a === '--tty' || a === '-q' || a === '--quiet') continue;
    if (a === '-n' || a === '--namespace') ns = args[++i] ?? ns;
    else if (a.startsWith('--namespace=')) ns = a.slice('--namespace='.length);
    else if (a === '-c' || a === '--container') i++;
    else if (a.startsWith('-')) return `kubectl exec: unknown flag: ${a}`;
    else if (pod === undefined) pod = a.replace(/^pods?\//, '');
    else return 'kubectl exec: give the command after --';
  }
  if (pod === undefined) return 'kubectl exec: a pod name is required';
  return { pod: `${ns}/${pod}`, words: args.slice(i) };
}

/**
 * `curl` (host scope).
 *
 * @example
 * ```ts
 * curlCommand.run({ cluster, args: ['-s', '172.16.1.1'], json: false, host: 'router' });
 * ```
 */
export const curlCommand: Command = {
  path: ['curl'],
  formats: [],
  ownOutputFlag: true,
  scope: 'host',
  summary: 'curl from a host, a node or a pod: the answer (whoami body), or exit 28/7',
  help: `Usage: exec SOURCE -- curl [-s] [--interface ADDR] [--local-port N] [--connect-timeout N] [--repeat N] URL

Traces the request from SOURCE and prints what curl prints: the server's body (a traefik/whoami
pod's Hostname, IP, RemoteAddr lines and the request), nothing and exit 28 when no answer comes
back, exit 7 when the connection is refused. SOURCE is a host or node name (from a pod, use
'kubectl exec POD -- curl ...'; the command itself also accepts namespace/name or a unique pod
name). Inside a pod, service names resolve to their ClusterIP.
--repeat N (a twin option) sends N requests from successive source ports (from --local-port, or
40000) and prints the 'sort | uniq -c | sort -nr' summary of their Hostname lines.

Example: cilium-twin -f lab/ -f variants/lb.yaml exec router -- curl -s --repeat 100 172.16.1.1`,
  run(ctx: CommandContext): CommandResult {
    const from = ctx.host;
    if (from === undefined) return usageError('curl: run it inside a host or pod: exec SOURCE -- curl URL');
    return runCurl(twinOf(ctx), from, ctx.args);
  },
};

/**
 * `kubectl exec POD -- curl …` (cluster scope): curl inside a pod, as the labs run it. Only curl
 * is modelled inside pods; other tools run inside nodes (`exec NODE -- TOOL`).
 *
 * @example
 * ```ts
 * kubectlExecCommand.run({ cluster, args: ['-it', 'curl-pod', '--', 'curl', '-s', 'webpod'], json: false });
 * ```
 */
export const kubectlExecCommand: Command = {
  path: ['kubectl', 'exec'],
  formats: [],
  ownOutputFlag: true,
  scope: 'cluster',
  summary: 'kubectl exec POD -- curl …: curl from inside a pod',
  help: `Usage: kubectl exec [-it] [-n NAMESPACE] POD -- curl [-s] [--connect-timeout N] [--repeat N] URL

Runs curl inside a pod (see 'exec SOURCE -- curl'): service names resolve through the cluster DNS
rules to their ClusterIP; the request goes through the pod's socket-level service translation and
the node's routing. Only curl is modelled inside pods.

Example: cilium-twin -f lab/ -f variants/webpod-3.yaml kubectl exec -it curl-pod -- curl -s --connect-timeout 1 webpod`,
  run(ctx: CommandContext): CommandResult {
    const parsed = parseKubectlExec(ctx.args);
    if (typeof parsed === 'string') return usageError(parsed);
    const [tool, ...rest] = parsed.words;
    if (tool !== 'curl') {
      return usageError(`kubectl exec: only curl is modelled inside pods${tool ? ` (got ${tool})` : ''}; run node tools with exec NODE -- TOOL`);
    }
    return runCurl(twinOf(ctx), parsed.pod, rest);
  },
};
