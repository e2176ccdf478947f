/**
 * Cilium's Envoy in the packet walk (reference §B8): a request to an Ingress listener (an ingress
 * Service's LB IP or cluster IP, port 80/443) ends at the Envoy of the node it enters (the
 * client's own node for a pod client), which
 *
 * 1. enforces the ingress endpoint's policy (identity 8, `reserved:ingress`) for the client's
 *    identity — L3/L4 and `toPorts[].rules.http` — and answers `403 Forbidden` (`Access denied`,
 *    `server: envoy`) when it denies;
 * 2. matches the `Host` and path against the listener's routes (`src/ingress/routes.ts`):
 *    nothing matches → `404`; a plain-HTTP request to a TLS host with HTTPS enforced → `308`;
 * 3. picks a backend of the route's Service from its EndpointSlices: none → `503 no healthy
 *    upstream`; several → one per flow, by the flow hash of the client's connection (Envoy
 *    round-robins; the model's choice is deterministic per flow and always one of them);
 * 4. checks the ingress endpoint's egress policy towards the backend, then opens a new
 *    connection from the node's ingress address (identity 8) and walks it to the backend and
 *    back (pod ingress policy sees identity 8); a connection that fails → `503` with Envoy's
 *    `upstream connect error…` text;
 * 5. forwards the request with `X-Forwarded-For: <client>`, `X-Forwarded-Proto: http`,
 *    `X-Envoy-Internal: true` (a private client address) or `X-Envoy-External-Address`, and an
 *    `X-Request-Id` derived from the flow (Envoy draws a random UUID), and answers the client
 *    with the backend's status and body plus `x-envoy-upstream-service-time` and `server: envoy`.
 *
 * Hubble sees the proxy's access log: `http-request` (FORWARDED, or DROPPED when policy denies)
 * and `http-response` (FORWARDED with the status), printed as the Cilium docs show them.
 *
 * @module
 */
import { type WireAddr, wireText } from '../net/wire.js';
import { u32ToIpv4, joinHostPort } from '../net/addr.js';
import type { HttpRequest } from '../policy/l7.js';
import { ACCESS_DENIED_BODY, httpAllowed } from '../policy/l7.js';
import { RESERVED_IDENTITY } from '../datapath/endpoints/identity.js';
import { matchRoute, hostOnly } from '../ingress/routes.js';
import type { IngressListener } from '../ingress/types.js';
import type { NetNode, Network } from '../network/types.js';
import type { EnvoyBackend } from '../network/ingress.js';
import { EPHEMERAL_PORT_MAX, EPHEMERAL_PORT_MIN } from './decisions.js';
import { flowHash } from './hash.js';
import { addressIdentity } from './hubble-events.js';
import type { AddressPair, TraceAnswer, TraceBackend } from './types.js';
import { Walk, type Packet } from './walk.js';
import { canonicalHeader, linkLocalFromMac, whoamiBody } from './whoami.js';

/**
 * The fixed `date` header of the model's HTTP answers (it has no clock; the same instant as
 * Hubble's fixed time).
 *
 * @example
 * ```ts
 * import { HTTP_DATE } from 'cilium-twin/packet';
 * HTTP_DATE; // 'Thu, 01 Jan 1970 00:00:00 GMT'
 * ```
 */
export const HTTP_DATE = 'Thu, 01 Jan 1970 00:00:00 GMT';

/**
 * What Envoy did with a request.
 *
 * @example
 * ```ts
 * import type { EnvoyServed } from 'cilium-twin/packet';
 * const s: EnvoyServed = { answer: { kind: 'envoy', status: 404, body: '' }, backend: null, seenByBackend: null };
 * s.answer.status;
 * ```
 */
export interface EnvoyServed {
  /** The answer the client receives. */
  readonly answer: TraceAnswer;
  /** The backend that answered, when one did. */
  readonly backend: TraceBackend | null;
  /** The upstream connection as the backend saw it. */
  readonly seenByBackend: AddressPair | null;
}

/**
 * Envoy's own answer (`403`, `404`, `503`, `308`): status, body and headers as Envoy sends them.
 *
 * @example
 * ```ts
 * import { envoyLocalReply } from 'cilium-twin/packet';
 * envoyLocalReply(403, 'Access denied\r\n').headers?.[0]; // ['content-length', '15']
 * ```
 */
export function envoyLocalReply(status: number, body: string, extra: readonly (readonly [string, string])[] = []): TraceAnswer {
  const headers: [string, string][] = [];
  if (body.length > 0) headers.push(['content-length', String(body.length)], ['content-type', 'text/plain']);
  else headers.push(...extra.map(([k, v]) => [k, v] as [string, string]), ['content-length', '0']);
  headers.push(['date', HTTP_DATE], ['server', 'envoy']);
  if (body.length > 0) headers.push(...extra.map(([k, v]) => [k, v] as [string, string]));
  return { kind: 'envoy', status, body, headers };
}

const PRIVATE: readonly [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0x7f000000, 8],
];

function isInternal(addr: number): boolean {
  return PRIVATE.some(([net, len]) => ((addr & ((0xffffffff << (32 - len)) >>> 0)) >>> 0) === net);
}

/**
 * The `X-Request-Id` the model gives a flow: a UUID (version 4 layout) built from flow hashes
 * (Envoy draws a random one).
 *
 * @example
 * ```ts
 * import { requestId } from 'cilium-twin/packet';
 * requestId(1, 2, 3, 4).length; // 36
 * ```
 */
export function requestId(client: number, vip: number, sport: number, vport: number): string {
  const h = (seed: number): string => (flowHash(client ^ seed, vip, sport, vport, 6) >>> 0).toString(16).padStart(8, '0');
  const a = h(1);
  const b = h(2);
  const c = h(3);
  const d = h(4);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c.slice(0, 1), 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** Records one L7 access-log flow (request or response) of a proxy on `node`. */
export function l7Flow(
  w: Walk,
  node: NetNode,
  p: { readonly src: number; readonly sport: number; readonly dst: number; readonly dport: number },
  ids: { readonly src: number; readonly dst: number },
  http: { readonly method: string; readonly url: string; readonly code?: number },
  verdict: 'FORWARDED' | 'DROPPED',
  names: { readonly dst?: string; readonly src?: string } = {},
): void {
  const reply = http.code !== undefined;
  w.flows.push({
    node: node.name,
    src: p.src,
    sport: p.sport,
    dst: p.dst,
    dport: p.dport,
    proto: 6,
    srcIdentity: ids.src,
    dstIdentity: ids.dst,
    event: reply ? 'http-response' : 'http-request',
    verdict,
    reply,
    http: { method: http.method, url: http.url, protocol: 'HTTP/1.1', ...(http.code !== undefined ? { code: http.code } : {}) },
    ...(names.dst !== undefined ? { dstName: names.dst } : {}),
    ...(names.src !== undefined ? { srcName: names.src } : {}),
  });
}

function urlOf(req: HttpRequest): string {
  return `http://${req.host}${req.path}`;
}

/**
 * Envoy's handling of a request that reached an Ingress listener on `node` (see the module doc).
 * `w` is the client's walk: Envoy's hops and flows are added to it, the upstream connection's
 * included.
 *
 * @example
 * ```ts
 * import type { EnvoyServed } from 'cilium-twin/packet';
 * declare const served: EnvoyServed; // envoyServe(net, w, node, listener, vip, pkt, request)
 * served.answer.status; // 200
 * ```
 */
export function envoyServe(
  net: Network,
  w: Walk,
  node: NetNode,
  listener: IngressListener,
  vip: number,
  pkt: Packet,
  req: HttpRequest,
): EnvoyServed {
  // listeners are IPv4 (`listenerAt`), so is the packet that reached one
  const client = pkt.src as number;
  const clientId = addressIdentity(net, node, client);
  const names = { dst: listener.service };
  const fwd = { src: client, sport: pkt.sport, dst: vip, dport: pkt.dport };
  const rev = { src: vip, sport: pkt.dport, dst: client, dport: pkt.sport };
  const none = { backend: null, seenByBackend: null };
  const access = (status: number, allowed: boolean): void => {
    // As the Cilium docs print the ingress access log: the client with the ingress identity, the
    // listener's Service with the client's identity (reference §B8, J9).
    l7Flow(w, node, fwd, { src: RESERVED_IDENTITY.ingress, dst: clientId }, { method: req.method, url: urlOf(req) }, allowed ? 'FORWARDED' : 'DROPPED', names);
    l7Flow(w, node, rev, { src: clientId, dst: RESERVED_IDENTITY.ingress }, { method: req.method, url: urlOf(req), code: status }, 'FORWARDED', { src: listener.service });
  };
  w.hop(node.name, 'to-proxy', () =>
    `${joinHostPort(client, pkt.sport)} -> ${joinHostPort(vip, pkt.dport)}: redirected to the node's Envoy (listener ${listener.service}:${listener.port}${listener.tls ? ', TLS' : ''})`,
  );

  // 1. the ingress endpoint's policy, enforced by Envoy
  const engine = net.policy;
  if (engine !== undefined && engine.active) {
    const ep = engine.ingressEndpointPolicy();
    const v = engine.decideOn(ep, 'ingress', clientId, 6, pkt.dport);
    const l7ok = v.allowed && (v.http === undefined || httpAllowed(v.http, req));
    if (!l7ok) {
      const why = v.allowed ? 'no HTTP rule matches the request' : `identity ${clientId} not allowed${v.policies.length > 0 ? ` (${v.policies.join(', ')})` : ''}`;
      w.hop(node.name, 'http-request', () => `ingress endpoint policy (reserved:ingress): ${req.method} ${req.path} denied: ${why}: Envoy answers 403 Forbidden`);
      access(403, false);
      return { answer: envoyLocalReply(403, ACCESS_DENIED_BODY), ...none };
    }
  }

  // 2. routes
  const host = hostOnly(req.host);
  if (!listener.tls && net.ingress?.state.settings.enforceHttps === true && listener.tlsHosts.includes(host)) {
    const location = `https://${req.host}${req.path}`;
    w.hop(node.name, 'http-request', () => `${host} is served over TLS and HTTPS is enforced: Envoy answers 308 to ${location}`);
    access(308, true);
    return { answer: envoyLocalReply(308, '', [['location', location]]), ...none };
  }
  const route = matchRoute(listener, req.host, req.path);
  if (route === undefined) {
    w.hop(node.name, 'http-request', () => `no route of ${listener.service} matches host ${req.host} path ${req.path}: Envoy answers 404`);
    access(404, true);
    return { answer: envoyLocalReply(404, ''), ...none };
  }
  const rtext = `${route.host} ${route.match.kind} ${route.match.path} -> ${route.backend.namespace}/${route.backend.service}:${route.backend.port} (Ingress ${route.ingress})`;

  // 3. a backend
  const list = net.ingress!.backends(route.backend);
  if (!Array.isArray(list)) {
    const why = (list as { reason: string }).reason;
    w.hop(node.name, 'http-request', () => `route ${rtext}: ${why}: Envoy answers 503 no healthy upstream`);
    access(503, true);
    return { answer: envoyLocalReply(503, 'no healthy upstream'), ...none };
  }
  const backends = list as readonly EnvoyBackend[];
  const slot = flowHash(client, vip, pkt.sport, pkt.dport, 6) % backends.length;
  const b = backends[slot]!;
  w.hop(node.name, 'http-request', () =>
    `route ${rtext}: backend ${joinHostPort(b.addr, b.port)}${b.pod ? ` (${b.pod})` : ''}, ${backends.length > 1 ? `endpoint ${slot + 1} of ${backends.length} (per-flow choice)` : 'the only endpoint'}`,
  );
  const fail = (reason: string, text: string): EnvoyServed => {
    w.hop(node.name, 'http-response', () => `upstream ${joinHostPort(b.addr, b.port)}: ${text}: Envoy answers 503`);
    access(503, true);
    return { answer: envoyLocalReply(503, `upstream connect error or disconnect/reset before headers. reset reason: ${reason}`), ...none };
  };

  // 4. the upstream connection from the node's ingress address
  const src = net.ingress!.nodeAddress(node.name);
  if (src < 0) return fail('connection failure', `${node.name} has no ingress address (no IPv4 pod CIDR)`);
  if (engine !== undefined && engine.active) {
    const remote = addressIdentity(net, node, b.addr);
    const v = engine.decideOn(engine.ingressEndpointPolicy(), 'egress', remote, 6, b.port);
    if (!v.allowed) return fail('connection timeout', `the ingress endpoint's egress policy denies identity ${remote}${v.policies.length > 0 ? ` (${v.policies.join(', ')})` : ''}`);
  }
  const span = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
  const sport = EPHEMERAL_PORT_MIN + (flowHash(client, src, pkt.sport, b.port, 6) % span);
  const up = new Walk(net);
  const p2: Packet = { src, sport, dst: b.addr, dport: b.port, proto: 6 };
  w.hop(node.name, 'upstream', () => `Envoy connects from the ingress address ${joinHostPort(src, sport)} (reserved:ingress) to ${joinHostPort(b.addr, b.port)}`);
  const arrival = up.route(node.host, p2, 'local');
  const merge = (): void => {
    w.hops.push(...up.hops);
    w.flows.push(...up.flows);
  };
  if (arrival.kind !== 'pod') {
    merge();
    if (arrival.kind === 'drop') return fail('connection timeout', `the connection is lost: ${up.drop?.reason ?? 'dropped'}`);
    return fail('connection failure', 'no pod answers at that address');
  }
  const pod = arrival.pod;
  if (!pod.tcpPorts.has(arrival.pkt.dport)) {
    merge();
    return fail('connection failure, transport failure reason: delayed connect error: 111', `nothing listens on ${joinHostPort(arrival.pkt.dst, arrival.pkt.dport)} in ${pod.key}`);
  }
  const seen = arrival.pkt;
  const seenByBackend = { src: joinHostPort(seen.src, seen.sport), dst: joinHostPort(seen.dst, seen.dport) };
  const backend: TraceBackend = { pod: pod.key, node: pod.node, address: joinHostPort(seen.dst, seen.dport) };
  const clientText = u32ToIpv4(client);
  const forwarded: [string, string][] = [
    ...req.headers.map(([k, v]) => [k, v] as [string, string]),
    isInternal(client) ? ['X-Envoy-Internal', 'true'] : ['X-Envoy-External-Address', clientText],
    ['X-Forwarded-For', clientText],
    ['X-Forwarded-Proto', listener.tls ? 'https' : 'http'],
    ['X-Request-Id', requestId(client, vip, pkt.sport, pkt.dport)],
  ];
  let status = 200;
  let body = '';
  let upstreamHeaders: [string, string][] = [];
  if (pod.whoami) {
    body = whoamiBody({
      hostname: pod.hostNetwork ? pod.node : pod.name,
      ips: podIps(net, pod),
      remoteAddr: joinHostPort(seen.src, seen.sport),
      host: req.host,
      path: req.path,
      method: req.method,
      headers: forwarded,
    });
    // Go's net/http writes Date, Content-Length, Content-Type; Envoy lower-cases the names.
    upstreamHeaders = [
      ['date', HTTP_DATE],
      ['content-length', String(new TextEncoder().encode(body).length)],
      ['content-type', 'text/plain; charset=utf-8'],
    ];
    w.hop(pod.key, 'answer', () => `traefik/whoami answers HTTP 200: Hostname: ${pod.name}, RemoteAddr: ${joinHostPort(seen.src, seen.sport)}, X-Forwarded-For: ${clientText}`);
  } else {
    status = 200;
    upstreamHeaders = [['date', HTTP_DATE], ['content-length', '0']];
    w.hop(pod.key, 'answer', () => `${pod.key} accepts the connection (an application the model does not know: empty 200)`);
  }
  // the answer back to Envoy
  up.startReply();
  const rp: Packet = { src: seen.dst, sport: seen.dport, dst: seen.src, dport: seen.sport, proto: 6 };
  const podNode = net.nodes.get(pod.node);
  const back = podNode ? up.fromEndpoint(podNode, pod, rp) : up.dropped(pod.key, null, 'pod on no node', 'timeout');
  merge();
  if (back.kind !== 'host' || back.host !== node.host) {
    return fail('connection timeout', `the backend's answer does not come back to ${node.name}: ${up.drop?.reason ?? 'lost'}`);
  }
  access(status, true);
  const headers: [string, string][] = [...upstreamHeaders, ['x-envoy-upstream-service-time', '0'], ['server', 'envoy']];
  return { answer: { kind: 'envoy', status, body, headers }, backend, seenByBackend };
}

/** The addresses whoami lists for a pod (loopback, then its own). */
function podIps(net: Network, pod: { readonly hostNetwork: boolean; readonly node: string; readonly ip: number; readonly mac?: string }): string[] {
  const ips = ['127.0.0.1', '::1'];
  if (pod.hostNetwork) {
    for (const i of net.nodes.get(pod.node)?.host.interfaces ?? []) {
      if (i.kind === 'loopback') continue;
      for (const a of i.addrs) ips.push(wireText(a));
    }
  } else {
    if (pod.ip >= 0) ips.push(u32ToIpv4(pod.ip)); // an IPv6-only pod has no IPv4 address
    if (pod.mac !== undefined) ips.push(linkLocalFromMac(pod.mac));
  }
  return ips;
}

/**
 * The request Envoy and the L7 policy see, from a trace request's HTTP fields.
 *
 * @example
 * ```ts
 * import { httpRequestOf } from 'cilium-twin/packet';
 * httpRequestOf({ host: '172.16.1.2', path: '/details' }); // { method: 'GET', path: '/details', host: '172.16.1.2', headers: [] }
 * ```
 */
export function httpRequestOf(http: { readonly host: string; readonly path: string; readonly method?: string; readonly headers?: readonly (readonly [string, string])[] }): HttpRequest {
  const headers = (http.headers ?? []).filter(([k]) => canonicalHeader(k) !== 'Host');
  const hostHeader = (http.headers ?? []).find(([k]) => canonicalHeader(k) === 'Host')?.[1];
  return { method: http.method ?? 'GET', path: http.path, host: hostHeader ?? http.host, headers };
}
