/**
 * `trace(network, request)`: walks a request from its client to the server that answers, takes
 * the server's answer, and walks it back, with one verdict.
 *
 * @module
 */
import { type WireAddr, parseWire, wireText } from '../net/wire.js';
import { ipv4ToU32, joinHostPort, u32ToIpv4 } from '../net/addr.js';
import { DEFAULT_SOURCE_PORT } from './decisions.js';
import { PROTO_NUMBER } from './hash.js';
import type { ClientOutcome, L4Protocol, TraceAnswer, TraceBackend, TraceJson, TraceRequest, TraceResult } from './types.js';
import { Walk } from './walk.js';
import type { Arrival, Packet } from './walk.js';
import { hostHttpAnswer, linkLocalFromMac, whoamiBody } from './whoami.js';
import { envoyLocalReply, envoyServe, httpRequestOf } from './envoy.js';
import { ACCESS_DENIED_BODY, type HttpRequest } from '../policy/l7.js';
import type { HealthServerSpec, NetHost, NetNode, NetPod, Network } from '../network/types.js';

/**
 * A resolved client: a pod (own network namespace) or a host's network namespace.
 *
 * @example
 * ```ts
 * const c = resolveClient(net, 'curl-pod');
 * if (typeof c !== 'string' && c.kind === 'pod') console.log(c.node.name);
 * ```
 */
export type Client =
  | { readonly kind: 'pod'; readonly pod: NetPod; readonly node: NetNode }
  | { readonly kind: 'host'; readonly host: NetHost; readonly viaPod?: NetPod };

/**
 * Resolves a client name: an exact host (or node) name first, then `namespace/name` of a pod,
 * then a pod name that is unique across namespaces. A host-network pod resolves to its node's
 * host. Returns an error message when nothing (or more than one pod) matches.
 *
 * @example
 * ```ts
 * resolveClient(net, 'router'); // { kind: 'host', host }
 * resolveClient(net, 'curl-pod'); // { kind: 'pod', pod, node }
 * ```
 */
export function resolveClient(net: Network, from: string): Client | string {
  const host = net.hosts.get(from);
  if (host !== undefined) return { kind: 'host', host };
  let pod = net.pods.get(from);
  if (pod === undefined && !from.includes('/')) {
    const matches = [...net.pods.values()].filter((p) => p.name === from);
    if (matches.length > 1) return `pod name ${from} is ambiguous: ${matches.map((p) => p.key).join(', ')}`;
    pod = matches[0];
  }
  if (pod === undefined) return `no host, node or pod named ${from}`;
  const node = net.nodes.get(pod.node);
  if (node === undefined) return `pod ${pod.key} is not on a Cilium node`;
  if (pod.hostNetwork) return { kind: 'host', host: node.host, viaPod: pod };
  if (pod.ip < 0 && pod.ip6 === undefined) return `pod ${pod.key} has no IP address`;
  return { kind: 'pod', pod, node };
}

/**
 * Parses `ADDR:PORT[/PROTO]` or `[IPV6]:PORT[/PROTO]` (protocol default TCP).
 *
 * @example
 * ```ts
 * parseDestination('172.16.1.1:80/TCP'); // { dst: '172.16.1.1', dport: 80, protocol: 'TCP' }
 * parseDestination('[fd00:172:16:1::1]:80'); // { dst: 'fd00:172:16:1::1', dport: 80, protocol: 'TCP' }
 * parseDestination('nope'); // undefined
 * ```
 */
export function parseDestination(text: string): { dst: string; dport: number; protocol: L4Protocol } | undefined {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([0-9a-fA-F:.]+)\]):(\d{1,5})(?:\/(TCP|UDP|SCTP|tcp|udp|sctp))?$/.exec(text);
  if (!m) return undefined;
  const dport = Number(m[3]);
  const addr = m[1] ?? m[2]!;
  const ok = m[1] !== undefined ? ipv4ToU32(addr) !== undefined : typeof parseWire(addr) === 'bigint';
  if (!ok || dport < 1 || dport > 65535) return undefined;
  return { dst: addr, dport, protocol: (m[4]?.toUpperCase() ?? 'TCP') as L4Protocol };
}

function failed(
  req: { src: string; dst: string; proto: L4Protocol },
  reason: string,
  outcome: ClientOutcome,
  w?: Walk,
): TraceResult {
  return {
    verdict: 'DROPPED',
    reason,
    request: req,
    backend: null,
    seenByBackend: null,
    reply: null,
    hops: w ? w.hops : [],
    answer: null,
    outcome,
    dropCode: w?.drop?.code ?? null,
    flows: w ? w.flows : [],
    ...(w ? { nat: w.natTranslations() } : {}),
  };
}

/**
 * Traces one request. Pure: the same network and request give the same result.
 *
 * The forward walk starts with the client's own translation (Cilium's socket LB at connect()
 * for pods and nodes' host namespaces with kube-proxy replacement), routes through hosts and
 * Cilium's datapath to a pod or a host; the server answers (`traefik/whoami`, a Host's `http:`
 * server) or refuses; the answer is walked back, undoing every NAT on the way; the client must
 * receive it from the address it asked.
 *
 * @example
 * ```ts
 * const net = compileNetwork(cluster);
 * const r = trace(net, { from: 'router', dst: '172.16.1.1', dport: 80 });
 * r.verdict; // 'FORWARDED'
 * r.seenByBackend?.src; // '192.168.10.100:40000' under eTP=Cluster via k8s-ctr
 * ```
 */
export function trace(net: Network, request: TraceRequest): TraceResult {
  return traceWith(net, request, plainWalk);
}

const plainWalk = (net: Network): Walk => new Walk(net);

/**
 * {@link trace} with the walk made by `newWalk` (the bulk fast path, `bulk.ts`, passes a walk
 * that records the decisions a flow's source port feeds). Internal to the packet stage:
 * `traceWith(net, request, (n) => new Walk(n))` is `trace(net, request)`.
 */
export function traceWith(net: Network, request: TraceRequest, newWalk: (net: Network) => Walk): TraceResult {
  const protocol: L4Protocol = request.protocol ?? 'TCP';
  const proto = PROTO_NUMBER[protocol];
  const sport = request.sport ?? DEFAULT_SOURCE_PORT;
  const dst = parseWire(request.dst);
  const v6 = typeof dst === 'bigint';
  const client = resolveClient(net, request.from);
  const dstText = dst === undefined ? `${request.dst}:${request.dport}` : joinHostPort(dst, request.dport);
  const reqText = (src: WireAddr): { src: string; dst: string; proto: L4Protocol } => ({
    src: src !== 0 && src !== -1 ? joinHostPort(src, sport) : v6 ? `[::]:${sport}` : `0.0.0.0:${sport}`,
    dst: dstText,
    proto: protocol,
  });
  if (typeof client === 'string') return failed(reqText(0), client, 'unreachable');
  if (dst === undefined) return failed(reqText(0), `not an IP address: ${request.dst}`, 'unreachable');

  let src: WireAddr = 0;
  if (client.kind === 'pod') {
    // the pod's address of the destination's family; none: connect() fails (ENETUNREACH)
    const own = v6 ? client.pod.ip6 : client.pod.ip >= 0 ? client.pod.ip : undefined;
    if (own === undefined) {
      return failed(reqText(0), `pod ${client.pod.key} has no ${v6 ? 'IPv6' : 'IPv4'} address: connect: Network is unreachable`, 'unreachable');
    }
    src = own;
  }
  if (request.srcAddress !== undefined) {
    const bound = parseWire(request.srcAddress);
    const own = client.kind === 'pod' ? bound === src : bound !== undefined && client.host.local.has(bound);
    if (bound === undefined || !own) {
      return failed(reqText(src), `cannot bind ${request.srcAddress}: not an address of ${request.from}`, 'unreachable');
    }
    if (typeof bound !== typeof dst) {
      // the socket is of the destination's family; a source of the other family binds nothing it can use
      return failed(reqText(0), `source ${request.srcAddress} is not of ${request.dst}'s family: connect() fails`, 'unreachable');
    }
    src = bound;
  }

  const w = newWalk(net);
  const p: Packet = { src, sport, dst, dport: request.dport, proto };
  const clientName = client.kind === 'pod' ? client.pod.key : client.host.name;
  const hostName = v6 ? `[${request.dst}]` : request.dst;
  const hostHeader = request.http?.host ?? (request.dport === 80 ? hostName : `${hostName}:${request.dport}`);
  const httpReq = httpRequestOf({ ...(request.http ?? {}), host: hostHeader, path: request.http?.path ?? '/' });
  if (protocol === 'TCP') w.http = httpReq;

  // The client's own translation (socket LB / bpf_lxc LB); an Ingress listener goes to the pod's node's Envoy.
  let xlate: { vip: WireAddr; vport: number; backend: WireAddr; bport: number } | undefined;
  const clientNode = client.kind === 'pod' ? client.node : client.host.node;
  const listener = client.kind === 'pod' && proto === 6 ? net.ingress?.listenerAt(dst, request.dport) : undefined;
  if (listener === undefined && clientNode !== undefined && (client.kind === 'pod' || net.config.kubeProxyReplacement)) {
    const r = w.clientTranslate(clientNode, clientName, p);
    if (r === 'dropped') return failed(reqText(p.src), w.drop?.reason ?? 'dropped', w.drop?.outcome ?? 'refused', w);
    if (r !== 'none') xlate = { vip: dst, vport: request.dport, backend: p.dst, bport: p.dport };
  }

  // Forward walk.
  let arrival: Arrival;
  if (client.kind === 'pod' && listener !== undefined) {
    const snap = { ...p };
    w.hop(clientName, 'send', () => `${joinHostPort(snap.src, snap.sport)} -> ${joinHostPort(snap.dst, snap.dport)}/${protocol}`);
    w.hop(client.node.name, 'lb', () => `${joinHostPort(snap.dst, snap.dport)} is an Ingress listener (${listener.listener.service}, an L7 load-balancer service): bpf_lxc redirects to ${client.node.name}'s Envoy`);
    arrival = { kind: 'proxy', node: client.node, listener: listener.listener, vip: listener.vip, pkt: p };
  } else if (client.kind === 'pod') {
    const snap = { ...p };
    w.hop(clientName, 'send', () => `${joinHostPort(snap.src, snap.sport)} -> ${joinHostPort(snap.dst, snap.dport)}/${protocol}`);
    arrival = w.fromEndpoint(client.node, client.pod, p);
  } else {
    arrival = w.route(client.host, p, 'local');
  }
  const clientSrc = src !== 0 ? src : w.clientSource;
  const request_ = reqText(clientSrc);
  if (arrival.kind === 'drop') return failed(request_, w.drop?.reason ?? 'dropped', w.drop?.outcome ?? 'timeout', w);

  // The server (or the node's Envoy).
  let srv: Served;
  let seenByBackend: { src: string; dst: string } | null;
  const seen = arrival.pkt;
  if (arrival.kind === 'proxy') {
    const e = envoyServe(net, w, arrival.node, arrival.listener, arrival.vip, arrival.pkt, httpReq);
    srv = { kind: 'answered', backend: e.backend, answer: e.answer };
    seenByBackend = e.seenByBackend;
  } else if (arrival.kind === 'l7-deny') {
    srv = { kind: 'answered', backend: null, answer: envoyLocalReply(403, ACCESS_DENIED_BODY) };
    seenByBackend = null;
  } else {
    srv = serve(net, w, arrival, httpReq, protocol);
    seenByBackend = { src: joinHostPort(seen.src, seen.sport), dst: joinHostPort(seen.dst, seen.dport) };
  }
  if (srv.kind === 'refused') return failed(request_, srv.reason, 'refused', w);
  const backend: TraceBackend | null = srv.backend;
  const l7 = w.l7Allowed;
  if (l7 !== undefined && w.http !== undefined) {
    const status = srv.answer.status;
    const url = `http://${w.http.host}${w.http.path}`;
    w.flows.push({
      node: l7.node.name, src: l7.pkt.dst, sport: l7.pkt.dport, dst: l7.pkt.src, dport: l7.pkt.sport, proto: 6,
      srcIdentity: l7.dstId, dstIdentity: l7.srcId, event: 'http-response', verdict: 'FORWARDED', reply: true,
      http: { method: w.http.method, url, protocol: 'HTTP/1.1', code: status },
    });
  }

  // Reply walk.
  w.startReply();
  const rp: Packet = { src: seen.dst, sport: seen.dport, dst: seen.src, dport: seen.sport, proto };
  let back: Arrival;
  if (arrival.kind === 'proxy' || arrival.kind === 'l7-deny') {
    // Envoy answers from the node's host stack, with the address the client asked (transparent).
    back = w.route(arrival.node.host, rp, 'local');
  } else if (arrival.kind === 'pod' && !arrival.pod.hostNetwork) {
    const node = net.nodes.get(arrival.pod.node);
    back = node ? w.fromEndpoint(node, arrival.pod, rp) : w.dropped(arrival.pod.key, null, 'pod on no node', 'timeout');
  } else {
    const host = arrival.kind === 'host' ? arrival.host : net.nodes.get((arrival as { pod: NetPod }).pod.node)!.host;
    back = w.route(host, rp, 'local');
  }
  const partial = (reason: string, outcome: ClientOutcome): TraceResult => ({
    ...failed(request_, reason, outcome, w),
    backend,
    seenByBackend,
    answer: srv.answer,
  });
  if (back.kind === 'drop') return partial(`answer lost: ${w.drop?.reason ?? 'dropped'}`, 'timeout');

  // The client receives it?
  const atClient =
    client.kind === 'pod'
      ? back.kind === 'pod' && back.pod === client.pod
      : back.kind === 'host' && back.host === client.host;
  const got = back.pkt;
  if (!atClient || got.dst !== clientSrc || got.dport !== sport) {
    const where = back.kind === 'pod' ? back.pod.key : back.kind === 'host' ? back.host.name : '?';
    const reason = `answer delivered to ${where} (${joinHostPort(got.dst, got.dport)}), not to the client ${clientName}`;
    w.hop(where, 'drop', () => reason);
    return partial(reason, 'timeout');
  }
  const expectSrc = xlate ? xlate.backend : dst;
  const expectPort = xlate ? xlate.bport : request.dport;
  if (got.src !== expectSrc || got.sport !== expectPort) {
    const reason = `answered from the wrong address: ${clientName} expects ${joinHostPort(expectSrc, expectPort)}, gets ${joinHostPort(got.src, got.sport)} (connection fails)`;
    w.hop(clientName, 'drop', () => reason);
    return partial(reason, 'timeout');
  }
  const reply = { src: dstText, dst: joinHostPort(got.dst, got.dport) };
  {
    const x = xlate;
    w.hop(clientName, 'deliver', () =>
      `answer received from ${joinHostPort(got.src, got.sport)}` + (x ? ` (the socket reports ${reply.src})` : ''),
    );
  }
  return {
    verdict: 'FORWARDED',
    reason: null,
    request: request_,
    backend,
    seenByBackend,
    reply,
    hops: w.hops,
    answer: srv.answer,
    outcome: 'answered',
    dropCode: null,
    flows: w.flows,
    nat: w.natTranslations(),
  };
}

type Served =
  | { readonly kind: 'answered'; readonly backend: TraceBackend | null; readonly answer: TraceAnswer }
  | { readonly kind: 'refused'; readonly reason: string };

/** The server side: who listens on the destination, and what it answers. */
function serve(net: Network, w: Walk, arrival: Arrival, req: HttpRequest, protocol: L4Protocol): Served {
  if (arrival.kind === 'drop' || arrival.kind === 'proxy' || arrival.kind === 'l7-deny') return { kind: 'refused', reason: 'dropped' };
  const p = arrival.pkt;
  const where = joinHostPort(p.dst, p.dport);
  const refuse = (at: string, what: string): Served => {
    const reason = `connection refused: nothing listens on ${where}/${protocol} in ${what}`;
    w.hop(at, 'drop', () => reason);
    return { kind: 'refused', reason };
  };
  if (arrival.kind === 'pod') {
    const pod = arrival.pod;
    const listens = protocol === 'UDP' ? pod.udpPorts.has(p.dport) : pod.tcpPorts.has(p.dport);
    if (!listens) return refuse(pod.key, `pod ${pod.key}`);
    return answerFromPod(net, w, pod, p, req, protocol);
  }
  const host = arrival.host;
  if (host.node !== undefined) {
    for (const pod of host.node.hostPods) {
      const listens = protocol === 'UDP' ? pod.udpPorts.has(p.dport) : pod.tcpPorts.has(p.dport);
      if (listens) return answerFromPod(net, w, pod, p, req, protocol);
    }
  }
  const health = protocol === 'TCP' ? host.node?.healthServers?.get(p.dport) : undefined;
  if (health !== undefined) return healthServerAnswer(w, host.name, health, where);
  if (host.http !== undefined && protocol === 'TCP' && p.dport === host.http.port) {
    const allow = [...host.http.allow].map(wireText);
    const a = hostHttpAnswer(wireText(p.src), allow);
    w.hop(host.name, 'answer', () => `HTTP ${a.status} from ${host.name}'s server: ${a.body.trim()}`);
    return {
      kind: 'answered',
      backend: { pod: null, node: host.name, address: where },
      answer: { kind: 'host-http', status: a.status, body: a.body },
    };
  }
  return refuse(host.name, `host ${host.name}`);
}

/**
 * The answer of a node's health-check node port server (Cilium's `healthserver.go`, headers and
 * JSON as kube-proxy's): 200 with active node-local backends, else 503.
 */
function healthServerAnswer(w: Walk, node: string, h: HealthServerSpec, where: string): Served {
  const body = `${JSON.stringify({ service: { namespace: h.namespace, name: h.name }, localEndpoints: h.localEndpoints })}\n`;
  const status = h.localEndpoints > 0 ? 200 : 503;
  w.hop(node, 'answer', () => `HTTP ${status} from ${node}'s health server for ${h.namespace}/${h.name} (healthCheckNodePort ${h.port}): localEndpoints ${h.localEndpoints}`);
  return {
    kind: 'answered',
    backend: { pod: null, node, address: where },
    answer: {
      kind: 'host-http',
      status,
      body,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Content-Type-Options', 'nosniff'],
        ['X-Load-Balancing-Endpoint-Weight', String(h.localEndpoints)],
        ['Date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
        ['Content-Length', String(body.length)],
      ],
    },
  };
}

function answerFromPod(
  net: Network,
  w: Walk,
  pod: NetPod,
  p: Packet,
  req: HttpRequest,
  protocol: L4Protocol,
): Served {
  const where = joinHostPort(p.dst, p.dport);
  const backend: TraceBackend = { pod: pod.key, node: pod.node, address: where };
  if (pod.whoami && protocol === 'TCP') {
    const remoteAddr = joinHostPort(p.src, p.sport);
    const hostname = pod.hostNetwork ? pod.node : pod.name;
    const ips = interfaceAddresses(net, pod);
    const answer = new WhoamiAnswer(hostname, ips, remoteAddr, req);
    w.hop(pod.key, 'answer', () => `traefik/whoami answers HTTP 200: Hostname: ${hostname}, RemoteAddr: ${remoteAddr}`);
    return { kind: 'answered', backend, answer };
  }
  w.hop(pod.key, 'answer', () => `${pod.key} accepts the connection on ${where}/${protocol}`);
  return { kind: 'answered', backend, answer: { kind: 'tcp', status: 0, body: null } };
}

/** A whoami answer whose body is written when first read. */
class WhoamiAnswer implements TraceAnswer {
  readonly kind = 'whoami';
  readonly status = 200;
  private text: string | undefined;
  constructor(
    private readonly hostname: string,
    private readonly ips: readonly string[],
    private readonly remoteAddr: string,
    private readonly req: HttpRequest,
  ) {}
  get body(): string {
    if (this.text === undefined) {
      const r = this.req;
      this.text = whoamiBody({
        hostname: this.hostname,
        ips: this.ips,
        remoteAddr: this.remoteAddr,
        host: r.host,
        path: r.path,
        ...(r.method !== 'GET' ? { method: r.method } : {}),
        ...(r.headers.length > 0 ? { headers: r.headers } : {}),
      });
    }
    return this.text;
  }
  toJSON(): TraceAnswer {
    return { kind: this.kind, status: this.status, body: this.body };
  }
}

const ipsCache = new WeakMap<NetPod, readonly string[]>();

/** The addresses whoami lists for a pod: loopback, then its interface (or the node's). */
function interfaceAddresses(net: Network, pod: NetPod): readonly string[] {
  const hit = ipsCache.get(pod);
  if (hit) return hit;
  const ips = ['127.0.0.1', '::1'];
  if (pod.hostNetwork) {
    const host = net.nodes.get(pod.node)?.host;
    for (const i of host?.interfaces ?? []) {
      if (i.kind === 'loopback') continue;
      for (const a of i.addrs) ips.push(wireText(a));
    }
  } else {
    if (pod.ip >= 0) ips.push(u32ToIpv4(pod.ip)); // an IPv6-only pod has no IPv4 address
    for (const a of pod.ips6 ?? []) ips.push(a); // ipv6 (issue 18): eth0's global IPv6 address before its link-local
    if (pod.mac !== undefined) ips.push(linkLocalFromMac(pod.mac));
  }
  ipsCache.set(pod, ips);
  return ips;
}

/**
 * The JSON contract of `trace -o json`: exactly the documented fields, hops rendered.
 *
 * @example
 * ```ts
 * import { traceJson } from 'cilium-twin';
 * import { createTwin } from 'cilium-twin';
 * declare const cluster: import('cilium-twin').Cluster;
 * const req = { from: 'router', dst: '172.16.1.1', dport: 80 } as const;
 * const r = createTwin(cluster).trace(req);
 * JSON.stringify(traceJson(r), null, 2);
 * ```
 */
export function traceJson(r: TraceResult): TraceJson {
  return {
    verdict: r.verdict,
    reason: r.reason,
    request: r.request,
    backend: r.backend,
    seenByBackend: r.seenByBackend,
    reply: r.reply,
    hops: r.hops.map((h) => ({ host: h.host, event: h.event, detail: h.detail })),
  };
}
