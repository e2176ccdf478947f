/**
 * What the servers of the labs answer: a `traefik/whoami` pod's body, and a Host's `http:`
 * allow-list server.
 *
 * @module
 */
import { CURL_USER_AGENT } from './decisions.js';

/**
 * The inputs of a whoami answer.
 *
 * @example
 * ```ts
 * const a: WhoamiInput = { hostname: 'webpod-1', ips: ['127.0.0.1', '::1', '172.20.1.76'], remoteAddr: '192.168.10.100:40000', host: '172.16.1.1' };
 * ```
 */
export interface WhoamiInput {
  /** The pod's hostname (its name). */
  readonly hostname: string;
  /** Addresses of its interfaces, in interface order (loopback first). */
  readonly ips: readonly string[];
  /** `ip:port` of the peer as the server's socket sees it. */
  readonly remoteAddr: string;
  /** The `Host` header the client sent (the address it asked, with `:port` unless 80). */
  readonly host: string;
  /** Request path (default `/`). */
  readonly path?: string;
  /** User agent (default curl's). */
  readonly userAgent?: string;
  /** Method (default `GET`). */
  readonly method?: string;
  /** Headers besides `Host`, `User-Agent` and `Accept` (a proxy's, curl's `-H`), as received. */
  readonly headers?: readonly (readonly [string, string])[];
}

/**
 * The body `traefik/whoami` writes for `GET /`: `Hostname`, one `IP` line per interface
 * address, `RemoteAddr`, then the request as Go's `Request.Write` prints it (CRLF line ends,
 * `Host`, `User-Agent`, other headers sorted, blank line).
 *
 * @example
 * ```ts
 * whoamiBody({ hostname: 'webpod-697b545f57-hhjqw', ips: ['127.0.0.1', '::1', '172.20.1.76'], remoteAddr: '192.168.10.100:40000', host: '172.16.1.1' });
 * // 'Hostname: webpod-697b545f57-hhjqw\nIP: 127.0.0.1\n…RemoteAddr: 192.168.10.100:40000\nGET / HTTP/1.1\r\nHost: 172.16.1.1\r\n…'
 * ```
 */
export function whoamiBody(a: WhoamiInput): string {
  const lines = [`Hostname: ${a.hostname}`, ...a.ips.map((ip) => `IP: ${ip}`), `RemoteAddr: ${a.remoteAddr}`];
  // Go's Request.Write: Host, User-Agent, then the other headers sorted by canonical name.
  const given = a.headers ?? [];
  const hasAccept = given.some(([k]) => canonicalHeader(k) === 'Accept');
  const others = new Map<string, string[]>(hasAccept ? [] : [['Accept', ['*/*']]]);
  for (const [k, v] of given) {
    const name = canonicalHeader(k);
    if (name === 'Host' || name === 'User-Agent') continue;
    others.set(name, [...(others.get(name) ?? []), v]);
  }
  const agent = given.find(([k]) => canonicalHeader(k) === 'User-Agent')?.[1] ?? a.userAgent ?? CURL_USER_AGENT;
  const sorted = [...others.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const request =
    `${a.method ?? 'GET'} ${a.path ?? '/'} HTTP/1.1\r\n` +
    `Host: ${a.host}\r\n` +
    `User-Agent: ${agent}\r\n` +
    sorted.flatMap(([k, vs]) => vs.map((v) => `${k}: ${v}\r\n`)).join('') +
    `\r\n`;
  return `${lines.join('\n')}\n${request}`;
}

/**
 * Go's canonical header name (`x-forwarded-for` → `X-Forwarded-For`).
 *
 * @example
 * ```ts
 * import { canonicalHeader } from 'cilium-twin/packet';
 * canonicalHeader('x-envoy-internal'); // 'X-Envoy-Internal'
 * ```
 */
export function canonicalHeader(name: string): string {
  return name
    .split('-')
    .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('-');
}

/**
 * The answer of a Host's `http:` server: 200 with `Access granted…` when the source address is
 * in the allow-list (or the list is empty), else 403 with `Access denied…`.
 *
 * @example
 * ```ts
 * hostHttpAnswer('172.18.0.42', ['172.18.0.42']); // { status: 200, body: 'Access granted. …\n' }
 * ```
 */
export function hostHttpAnswer(
  remoteIp: string,
  allow: readonly string[],
): { readonly status: number; readonly body: string } {
  const allowed = allow.length === 0 || allow.includes(remoteIp);
  return allowed
    ? { status: 200, body: `Access granted. Your source IP (${remoteIp}) matches an allowed IP.\n` }
    : { status: 403, body: `Access denied. Your source IP (${remoteIp}) doesn't match the allowed IPs.\n` };
}

/**
 * The IPv6 link-local address the kernel derives from a MAC (EUI-64), as Go prints it.
 *
 * @example
 * ```ts
 * linkLocalFromMac('7e:3e:18:18:99:40'); // 'fe80::7c3e:18ff:fe18:9940'
 * ```
 */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = b;
  return formatIpv6([0xfe80, 0, 0, 0, (b0 ^ 0x02) * 256 + b1, b2 * 256 + 0xff, 0xfe * 256 + b3, b4 * 256 + b5]);
}

/** RFC 5952 text of eight 16-bit groups (longest run of two or more zero groups as `::`). */
function formatIpv6(g: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < g.length; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < g.length && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
