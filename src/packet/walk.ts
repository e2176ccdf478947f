/**
 * The walk engine: moves one packet hop by hop through hosts' routing tables, segments and
 * Cilium's datapath (bpf_lxc, bpf_host, overlay), recording each step, and keeps the
 * connection's NAT state so that the answer can be walked back.
 *
 * The trace (`trace.ts`) drives it: forward walk from the client, the server's answer, then
 * the reply walk from the server.
 *
 * @module
 */
import { joinHostPort, u32ToIpv4 } from '../net/addr.js';
import { type WireAddr, type WirePrefix, inWirePrefix, isLoopback, mask6, wireText } from '../net/wire.js';
import { natPort, INITIAL_TTL } from './decisions.js';
import {
  DROP_INVALID,
  DROP_IS_CLUSTER_IP,
  DROP_NO_SERVICE,
  DROP_NOT_IN_SRC_RANGE,
  DROP_NO_EGRESS_GATEWAY,
  DROP_NO_EGRESS_IP,
  DROP_NO_TUNNEL_ENDPOINT,
  DROP_TTL_EXCEEDED,
  dropReasonText,
} from './drop-reasons.js';
import { flowHash, flowHash6 } from './hash.js';
import { egressAtSource, egressSnatAt } from '../egress/datapath.js';
import { nonMasqueraded } from '../egress/masquerade.js';
import { maglevPacketHash, maglevPacketHash6 } from '../datapath/maglev/slot.js';
import type { ClientOutcome, Hop, NatTranslation } from './types.js';
import { type FlowEvent, addressIdentity, ingressAddressOwner, policyCheck } from './hubble-events.js';
import { serviceKey } from '../network/build.js';
import { deviceMac } from '../l2/hash.js';
import type { FibRoute, NetBackend, NetFrontend, NetHost, NetNode, NetPod, Network } from '../network/types.js';
import type { IngressListener } from '../ingress/types.js';
import { type HttpRequest, httpAllowed } from '../policy/l7.js';

/**
 * A packet in flight: addresses as wire values (IPv4 u32 numbers, IPv6 bigints; the number 0 for
 * a source not chosen yet). `outer` is set while encapsulated (the underlay is IPv4).
 *
 * @example
 * ```ts
 * const p: Packet = { src: 0xc0a80ac8, sport: 40000, dst: 0xac100101, dport: 80, proto: 6 };
 * ```
 */
export interface Packet {
  /** Source address. */
  src: WireAddr;
  /** Source port. */
  sport: number;
  /** Destination address. */
  dst: WireAddr;
  /** Destination port. */
  dport: number;
  /** IANA protocol number. */
  proto: number;
  /** Outer header while tunnelled. */
  outer?: { readonly src: WireAddr; readonly dst: WireAddr; readonly kind: 'vxlan' | 'geneve' | 'ipip' };
  /** DSR information carried to the backend node (IP option or Geneve option). */
  dsr?: { readonly vip: WireAddr; readonly vport: number; readonly dispatch: 'opt' | 'ipip' | 'geneve' };
}

/**
 * Where a packet ended.
 *
 * @example
 * ```ts
 * const a: Arrival = { kind: 'drop' };
 * ```
 */
export type Arrival =
  | { readonly kind: 'pod'; readonly pod: NetPod; readonly pkt: Packet }
  | { readonly kind: 'host'; readonly host: NetHost; readonly pkt: Packet }
  | { readonly kind: 'drop' }
  | ProxyArrival;

/**
 * A packet redirected to a node's Envoy: an Ingress listener (`listener`), or a pod's L7 policy
 * that denies the request (`l7-deny`: the proxy answers 403 for the endpoint).
 *
 * @example
 * ```ts
 * if (a.kind === 'proxy') envoyServe(net, w, a.node, a.listener, a.vip, a.pkt, req);
 * ```
 */
export type ProxyArrival =
  | { readonly kind: 'proxy'; readonly node: NetNode; readonly listener: IngressListener; readonly vip: number; readonly pkt: Packet }
  | { readonly kind: 'l7-deny'; readonly node: NetNode; readonly pkt: Packet };

/** A translation a node did, undone on the reply. */
type NatRecord =
  | {
      readonly kind: 'snat';
      readonly node: string;
      readonly natAddr: WireAddr;
      readonly natPort: number;
      readonly client: WireAddr;
      readonly cport: number;
      readonly vip: WireAddr;
      readonly vport: number;
      readonly revNat: number;
      /** The backend the translated flow goes to (for `bpf nat list`). */
      readonly backend?: WireAddr;
      readonly bport?: number;
      readonly proto?: number;
    }
  | {
      readonly kind: 'rev-dnat';
      readonly node: string;
      readonly backend: WireAddr;
      readonly bport: number;
      readonly client: WireAddr;
      readonly cport: number;
      readonly vip: WireAddr;
      readonly vport: number;
      readonly revNat: number;
      readonly dsr: boolean;
    }
  | {
      readonly kind: 'masq';
      readonly node: string;
      readonly natAddr: WireAddr;
      readonly natPort: number;
      readonly orig: WireAddr;
      readonly oport: number;
      /** Destination and protocol of the translated flow (for `bpf nat list`). */
      readonly dst?: WireAddr;
      readonly dport?: number;
      readonly proto?: number;
    };

/**
 * A drop as the walk records it.
 *
 * @example
 * ```ts
 * const d: WalkDrop = { code: 174, reason: 'Is a ClusterIP', outcome: 'timeout' };
 * ```
 */
export interface WalkDrop {
  /** Cilium drop code, or null for a network reason. */
  readonly code: number | null;
  /** Reason text. */
  readonly reason: string;
  /** How the client perceives it. */
  readonly outcome: ClientOutcome;
}

class LazyHop implements Hop {
  private text: string | undefined;
  constructor(
    readonly host: string,
    readonly event: string,
    private readonly render: () => string,
  ) {}
  get detail(): string {
    if (this.text === undefined) this.text = this.render();
    return this.text;
  }
  toJSON(): Hop {
    return { host: this.host, event: this.event, detail: this.detail };
  }
}

const PROTO_NAME: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP', 0: 'ANY' };

/** Hard bound on steps of one walk, beyond the TTL (defensive). */
const MAX_STEPS = 512;

/**
 * One walk: its hops, its NAT state and its drop. Forward and reply walks share one instance
 * so that the reply sees the translations of the forward walk.
 *
 * @example
 * ```ts
 * const w = new Walk(net);
 * const arrival = w.route(net.hosts.get('router')!, packet, 'local');
 * ```
 */
export class Walk {
  /** Recorded steps. */
  readonly hops: Hop[] = [];
  /** What Hubble would show of this walk (`flows.ts`). */
  readonly flows: FlowEvent[] = [];
  /** The drop, once dropped. */
  drop: WalkDrop | undefined;
  /** True while walking the answer back. */
  reply = false;
  /** The source address the client's first route lookup chose (0 until then). */
  clientSource: WireAddr = 0;
  /** The HTTP request the connection carries, when known (L7 policy at a pod's proxy). */
  http: HttpRequest | undefined;
  /** A pod's L7 policy sent the request through its node's proxy and allowed it (for the response's access log). */
  l7Allowed: { readonly node: NetNode; readonly pkt: Packet; readonly srcId: number; readonly dstId: number } | undefined;
  private readonly nat: NatRecord[] = [];
  private ttl = INITIAL_TTL;
  private steps = 0;

  constructor(readonly net: Network) {}

  /**
   * The source NAT translations this walk made (masquerading, egress gateway SNAT, NodePort SNAT),
   * as `bpf nat list` shows them on the node that made them.
   */
  natTranslations(): NatTranslation[] {
    const out: NatTranslation[] = [];
    for (const r of this.nat) {
      if (r.kind === 'masq' && r.dst !== undefined) {
        out.push({ node: r.node, proto: PROTO_NAME[r.proto ?? 6] ?? String(r.proto), src: wireText(r.orig), sport: r.oport, dst: wireText(r.dst), dport: r.dport ?? 0, natAddr: wireText(r.natAddr), natPort: r.natPort });
      } else if (r.kind === 'snat' && r.backend !== undefined) {
        out.push({ node: r.node, proto: PROTO_NAME[r.proto ?? 6] ?? String(r.proto), src: wireText(r.client), sport: r.cport, dst: wireText(r.backend), dport: r.bport ?? 0, natAddr: wireText(r.natAddr), natPort: r.natPort });
      }
    }
    return out;
  }

  /** Starts the reply direction (fresh TTL, same NAT state). */
  startReply(): void {
    this.reply = true;
    this.ttl = INITIAL_TTL;
  }

  /** Records a step whose detail is rendered on demand. */
  hop(host: string, event: string, render: () => string): void {
    this.hops.push(new LazyHop(host, event, render));
  }

  /** Records a drop and returns the drop arrival. */
  dropped(host: string, code: number | null, reason: string, outcome: ClientOutcome, line?: () => string): Arrival {
    if (this.drop === undefined) this.drop = { code, reason, outcome };
    this.hop(host, 'drop', line ?? (() => reason));
    return DROPPED;
  }

  // -------------------------------------------------------------------------------------------
  // Names and identities (Hubble-like lines)
  // -------------------------------------------------------------------------------------------

  /** `ns/pod` for a pod address, else the IP text. */
  name(addr: WireAddr): string {
    const pod = this.net.podsByIp.get(addr);
    return pod ? pod.key : wireText(addr);
  }

  /** Hubble's identity tag of an address as `node` sees it. */
  identityTag(node: NetNode, addr: WireAddr): string {
    const pod = this.net.podsByIp.get(addr);
    if (pod) return pod.identity > 0 ? `(ID:${pod.identity})` : '(unknown)';
    if (this.ingressOwner(addr) !== undefined) return '(ingress)';
    if (node.host.local.has(addr) || addr === node.ciliumHostIP || addr === node.ciliumHostIP6) return '(host)';
    if (this.net.nodesByIp.has(addr)) return '(remote-node)';
    return '(world)';
  }

  /** A Hubble compact line (without timestamp) for a packet seen on `node`. */
  hubble(node: NetNode, p: Packet, type: string, verdict: string, reply: boolean): string {
    const summary = p.proto === 6 ? (reply ? 'TCP Flags: SYN, ACK' : 'TCP Flags: SYN') : (PROTO_NAME[p.proto] ?? 'IP');
    const a = `${hostPort(this.name(p.src), p.sport)} ${this.identityTag(node, p.src)}`;
    const b = `${hostPort(this.name(p.dst), p.dport)} ${this.identityTag(node, p.dst)}`;
    const flow = reply ? `${b} <- ${a}` : `${a} -> ${b}`;
    return `${flow} ${type} ${verdict} (${summary})`;
  }

  private hubbleHop(node: NetNode, p: Packet, type: string): void {
    const snap = snapshot(p);
    const reply = this.reply;
    this.flow(node, snap, type, 'FORWARDED');
    this.hop(node.name, type, () => this.hubble(node, snap, type, 'FORWARDED', reply));
  }

  /** Records a Hubble event for a packet seen on `node`. */
  private flow(node: NetNode, p: Packet, event: string, verdict: string, extra: Partial<FlowEvent> = {}): void {
    this.flows.push({
      node: node.name, src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, proto: p.proto,
      srcIdentity: addressIdentity(this.net, node, p.src), dstIdentity: addressIdentity(this.net, node, p.dst),
      event, verdict, reply: this.reply, ...extra,
    });
  }

  private ciliumDrop(node: NetNode, p: Packet, code: number, outcome: ClientOutcome): Arrival {
    const snap = snapshot(p);
    const text = dropReasonText(code);
    const reply = this.reply;
    this.flow(node, snap, 'drop', 'DROPPED', { dropCode: code, dropReason: text });
    return this.dropped(node.name, code, text, outcome, () => this.hubble(node, snap, text, 'DROPPED', reply));
  }

  /** Network policy at an endpoint (`flows.ts`): the drop, or undefined when the packet passes. */
  private policy(node: NetNode, pod: NetPod, p: Packet, dir: 'ingress' | 'egress'): Arrival | undefined {
    if (this.reply) return undefined;
    const v = policyCheck(this.net, node, pod, p, dir);
    if (v === undefined || (!v.enforced && v.allowed)) return undefined;
    const snap = snapshot(p);
    const verdict = v.allowed ? 'FORWARDED' : 'DROPPED';
    this.flow(node, snap, 'policy-verdict', verdict, { match: v.match, direction: dir, policies: v.policies });
    const type = `policy-verdict:${v.match} ${dir.toUpperCase()}`;
    this.hop(node.name, 'policy', () =>
      `${this.hubble(node, snap, type, v.allowed ? 'ALLOWED' : 'DENIED', false)}` + (v.policies.length > 0 ? ` [${v.policies.join(', ')}]` : ''),
    );
    if (v.allowed && v.http !== undefined && this.http !== undefined) return this.l7Proxy(node, pod, p, dir, v.http);
    return v.allowed ? undefined : this.ciliumDrop(node, p, v.code, 'timeout');
  }

  /**
   * A pod's L7 rule: the connection goes through the node's proxy, which checks the request
   * (`src/policy/l7.ts`); denied → the proxy answers 403 for the endpoint.
   */
  private l7Proxy(node: NetNode, pod: NetPod, p: Packet, dir: 'ingress' | 'egress', rules: Parameters<typeof httpAllowed>[0]): Arrival | undefined {
    const req = this.http!;
    const snap = snapshot(p);
    const srcId = addressIdentity(this.net, node, p.src);
    const dstId = addressIdentity(this.net, node, p.dst);
    const ok = httpAllowed(rules, req);
    this.flow(node, snap, 'to-proxy', 'FORWARDED');
    const url = `http://${req.host}${req.path}`;
    this.flows.push({
      node: node.name, src: snap.src, sport: snap.sport, dst: snap.dst, dport: snap.dport, proto: snap.proto,
      srcIdentity: srcId, dstIdentity: dstId, event: 'http-request', verdict: ok ? 'FORWARDED' : 'DROPPED', reply: false,
      http: { method: req.method, url, protocol: 'HTTP/1.1' },
    });
    this.hop(node.name, 'to-proxy', () =>
      `${dir} L7 policy of ${pod.key}: redirected to ${node.name}'s proxy; ${req.method} ${req.path} ${ok ? 'matches an HTTP rule: forwarded' : 'matches no HTTP rule: the proxy answers 403 Forbidden'}`,
    );
    if (ok) {
      this.l7Allowed = { node, pkt: snap, srcId, dstId };
      return undefined;
    }
    this.flows.push({
      node: node.name, src: snap.dst, sport: snap.dport, dst: snap.src, dport: snap.sport, proto: snap.proto,
      srcIdentity: dstId, dstIdentity: srcId, event: 'http-response', verdict: 'FORWARDED', reply: true,
      http: { method: req.method, url, protocol: 'HTTP/1.1', code: 403 },
    });
    return { kind: 'l7-deny', node, pkt: p };
  }

  /** The node whose ingress address `addr` is, if any (Cilium Ingress). */
  ingressOwner(addr: WireAddr): NetNode | undefined {
    return ingressAddressOwner(this.net, addr);
  }

  /** A packet for this node's ingress address (Envoy's upstream connections): the host stack. */
  private toIngressAddress(node: NetNode, p: Packet): Arrival | undefined {
    const ing = this.net.ingress;
    if (ing === undefined || ing.nodeAddress(node.name) !== p.dst) return undefined;
    this.hubbleHop(node, p, 'to-stack');
    return { kind: 'host', host: node.host, pkt: p };
  }

  /** A request to an Ingress listener: redirected to this node's Envoy. */
  private toProxy(node: NetNode, p: Packet): Arrival | undefined {
    const l = this.net.ingress?.listenerAt(p.dst, p.dport);
    if (l === undefined || p.proto !== 6) return undefined;
    this.hubbleHop(node, p, 'to-proxy');
    return { kind: 'proxy', node, listener: l.listener, vip: l.vip, pkt: p };
  }

  // -------------------------------------------------------------------------------------------
  // Hosts: routing
  // -------------------------------------------------------------------------------------------

  /** Longest-prefix match in a host's main table (lowest metric among equals). */
  lookup(host: NetHost, dst: WireAddr): FibRoute | undefined {
    if (typeof dst === 'bigint') {
      for (const [len, m] of host.fib6) {
        const list = m.get(dst & mask6(len));
        if (list !== undefined && list.length > 0) return list[0];
      }
      return undefined;
    }
    for (const [len, m] of host.fib) {
      const key = len === 0 ? 0 : len === 32 ? dst : (dst & (0xffffffff << (32 - len))) >>> 0;
      const list = m.get(key);
      if (list !== undefined && list.length > 0) return list[0];
    }
    return undefined;
  }

  /**
   * The source address Linux picks for a route's next hop on `dev`, of the target's family: the
   * route's `src`, else an address of `dev` in the target's subnet, else the first of `dev`, else
   * the first of the host (IPv6: the same rules stand for RFC 6724's, the model's hosts having one
   * global address per link and no link-local addresses in the walk).
   */
  sourceFor(host: NetHost, route: FibRoute, dev: string, target: WireAddr): WireAddr {
    if (route.src !== -1) return route.src;
    const v6 = typeof target === 'bigint';
    let first: WireAddr = -1;
    for (const i of host.interfaces) {
      if (i.name !== dev) continue;
      for (let k = 0; k < i.addrs.length; k++) {
        const a = i.addrs[k]!;
        if ((typeof a === 'bigint') !== v6) continue;
        const len = i.lens[k] ?? (v6 ? 128 : 32);
        if (first === -1) first = a;
        if (inWirePrefix(target, subnetOf(a, len))) return a;
      }
    }
    if (first !== -1) return first;
    for (const i of host.interfaces) for (const a of i.addrs) if ((typeof a === 'bigint') === v6) return a;
    return 0;
  }

  /** The ECMP member a route's lookup picks for a flow (the bulk fast path's recording walk, `bulk.ts`, overrides it). */
  protected pick(host: NetHost, r: FibRoute, flow: { src: WireAddr; dst: WireAddr; sport: number; dport: number; proto: number }): number {
    return r.nexthops.length > 1 ? this.net.ecmpMember(host, r, flow) : 0;
  }

  /**
   * Sends or forwards a packet from a host's IP stack: local delivery, or route lookup, ECMP
   * member, next-hop resolution on the segment, and arrival at the neighbour.
   * `origin` is `local` for the first transmission by the client or a server, `forward` when the
   * host routes a packet it received, `cilium` when Cilium's datapath hands it to the FIB.
   */
  route(host: NetHost, p: Packet, origin: 'local' | 'forward' | 'cilium'): Arrival {
    for (;;) {
      if (++this.steps > MAX_STEPS) return this.dropped(host.name, DROP_TTL_EXCEEDED, 'routing loop', 'timeout');
      const l3dst = p.outer ? p.outer.dst : p.dst;
      if (host.local.has(l3dst) || isLoopback(l3dst)) {
        if (origin === 'local' && !p.outer && p.src === 0) {
          p.src = l3dst;
          if (!this.reply && this.clientSource === 0) this.clientSource = p.src;
        }
        return this.deliverLocal(host, p);
      }
      if (origin === 'forward' && !host.forwarding) {
        return this.dropped(host.name, null, `${host.name} does not forward (ip_forward=0)`, 'timeout');
      }
      const r = this.lookup(host, l3dst);
      if (r === undefined) {
        const reason = `no route to ${wireText(l3dst)} on ${host.name}`;
        return this.dropped(host.name, null, reason, origin === 'local' ? 'unreachable' : 'refused');
      }
      if (r.type !== 'unicast') {
        const reason = `${r.type} route ${prefixText(r)} on ${host.name}`;
        return this.dropped(host.name, null, reason, r.type === 'blackhole' ? 'timeout' : 'refused');
      }
      let member = 0;
      if (origin === 'local' && !p.outer && p.src === 0) {
        // connect(): the first lookup (no source, no source port yet) picks the source address;
        // once the port is bound the route is looked up again with both (ip_route_newports).
        const first = this.pick(host, r, { src: 0, dst: l3dst, sport: 0, dport: p.dport, proto: p.proto });
        const nh0 = r.nexthops[first] ?? r.nexthops[0];
        if (nh0 !== undefined) p.src = this.sourceFor(host, r, nh0.dev, nh0.gw !== -1 ? nh0.gw : l3dst);
        if (!this.reply && this.clientSource === 0) this.clientSource = p.src;
      }
      if (p.outer) member = this.pick(host, r, { src: p.outer.src, dst: l3dst, sport: 0, dport: 0, proto: 17 });
      else member = this.pick(host, r, { src: p.src, dst: l3dst, sport: p.sport, dport: p.dport, proto: p.proto });
      const nh = r.nexthops[member] ?? r.nexthops[0];
      if (nh === undefined) return this.dropped(host.name, null, `route ${prefixText(r)} has no next hop`, 'timeout');
      const next = nh.gw !== -1 ? nh.gw : l3dst;
      {
        const dst = l3dst;
        const src = p.outer ? p.outer.src : p.src;
        const n = r.nexthops.length;
        const policy = host.hashPolicy;
        const own = origin === 'local';
        this.hop(host.name, 'route', () => {
          const via = nh.gw !== -1 ? ` via ${wireText(nh.gw)}` : '';
          const ecmp = n > 1 ? ` (nexthop ${member + 1} of ${n}, hash policy ${policy})` : '';
          const from = own ? ` src ${wireText(src)}` : '';
          return `${wireText(dst)}${via} dev ${nh.dev}${from}: route ${prefixText(r)} proto ${r.proto}${ecmp}`;
        });
      }
      const node = host.node;
      if (node !== undefined && nh.dev === 'cilium_host') return this.ciliumHost(node, p);
      if (node !== undefined && node.devices.has(nh.dev)) {
        const out = this.toNetdev(node, nh.dev, p);
        if (out !== undefined) return out;
      }
      const neighbor = host.neighbor(nh.dev, next);
      if (neighbor === undefined) {
        const reason = `no host of the model owns next hop ${wireText(next)} on ${host.name} ${nh.dev}: packet lost`;
        return this.dropped(host.name, null, reason, 'timeout');
      }
      if (neighbor.l2 === true) {
        const nb = neighbor;
        this.hop(nb.host.name, 'l2-responder', () =>
          `${typeof next === 'bigint' ? 'neighbor solicitation for' : 'ARP who-has'} ${wireText(next)} from ${host.name} ${nh.dev}: ${nb.host.name} ${nb.dev} answers ${deviceMac(nb.host.name, nb.dev)} (L2 announcement)`,
        );
      }
      if (origin !== 'local') {
        if (--this.ttl <= 0) return this.dropped(host.name, DROP_TTL_EXCEEDED, 'TTL exceeded (routing loop)', 'timeout');
      }
      const arrived = this.arrive(neighbor.host, neighbor.dev, p);
      if (arrived !== CONTINUE) return arrived;
      host = neighbor.host;
      origin = 'forward';
    }
  }

  /** A packet arrives on `dev` of `host`: Cilium's bpf_host first when it runs there. */
  private arrive(host: NetHost, dev: string, p: Packet): Arrival | typeof CONTINUE {
    const node = host.node;
    if (node !== undefined && node.devices.has(dev) && p.outer === undefined) {
      return this.fromNetdev(node, dev, p);
    }
    return CONTINUE;
  }

  /** Delivery to the host itself (local table). */
  private deliverLocal(host: NetHost, p: Packet): Arrival {
    const node = host.node;
    if (p.outer) {
      if (node === undefined) {
        const o = p.outer;
        return this.dropped(host.name, null, `${host.name} is not a tunnel endpoint (${o.kind} to ${wireText(o.dst)})`, 'timeout');
      }
      return this.fromOverlay(node, p);
    }
    return { kind: 'host', host, pkt: p };
  }

  // -------------------------------------------------------------------------------------------
  // Cilium datapath
  // -------------------------------------------------------------------------------------------

  /** Frontend lookup: exact key, External scope first, Internal when two-scopes and east-west. */
  private lookupService(node: NetNode, addr: WireAddr, port: number, proto: number, eastWest: boolean): NetFrontend | undefined {
    const m = node.services.get(addr);
    if (m === undefined) return undefined;
    const fe = m.get(serviceKey(port, proto, 0));
    if (fe !== undefined && eastWest && fe.twoScopes) return m.get(serviceKey(port, proto, 1));
    return fe;
  }

  /** The wildcard row of a VIP (N-S only). */
  private lookupWildcard(node: NetNode, addr: WireAddr): NetFrontend | undefined {
    return node.services.get(addr)?.get(serviceKey(0, 0, 0));
  }

  /** Picks a backend: Maglev table on the N-S path when present, else the flow hash (decision 6). */
  selectBackend(fe: NetFrontend, p: Packet, northSouth: boolean, clientAddr: WireAddr): { backend: NetBackend; how: string } | undefined {
    const k = this.backendSlot(fe, p.sport, p.proto, northSouth, clientAddr);
    const b = k < 0 ? undefined : backendAt(fe, northSouth, k);
    if (b === undefined) return undefined;
    return { backend: b, how: usesMaglev(fe, northSouth) ? `maglev slot ${k} of ${fe.maglev!.length}` : `random (flow hash) slot ${k} of ${fe.count}` };
  }

  /**
   * The backend {@link selectBackend} picks, without its text (the bulk fast path asks it once
   * per flow): the same choice, from the client's port `sport` and the protocol number.
   */
  chooseBackend(fe: NetFrontend, sport: number, proto: number, northSouth: boolean, clientAddr: WireAddr): NetBackend | undefined {
    const k = this.backendSlot(fe, sport, proto, northSouth, clientAddr);
    return k < 0 ? undefined : backendAt(fe, northSouth, k);
  }

  /** The Maglev slot (N-S with a table) or the flow-hash slot (1-based) of a flow; -1 without backends. */
  private backendSlot(fe: NetFrontend, port: number, proto: number, northSouth: boolean, clientAddr: WireAddr): number {
    if (fe.count <= 0) return -1;
    const sport = fe.sessionAffinity ? 0 : port;
    if (usesMaglev(fe, northSouth)) {
      const c = this.net.config;
      const hash =
        typeof clientAddr === 'bigint'
          ? maglevPacketHash6(clientAddr, sport, fe.port, proto, c.maglevSeedJhash6 ?? DEFAULT_SEED_JHASH6)
          : maglevPacketHash(clientAddr, sport, fe.port, proto, c.maglevSeedJhash);
      return hash % fe.maglev!.length;
    }
    const hash =
      typeof clientAddr === 'number' && typeof fe.addr === 'number'
        ? flowHash(clientAddr, fe.addr, sport, fe.port, proto)
        : flowHash6(clientAddr, fe.addr, sport, fe.port, proto);
    return (hash % fe.count) + 1;
  }

  /**
   * Socket-level LB at connect() (kube-proxy replacement), or the per-packet LB of bpf_lxc
   * without it: returns the translation, or a drop when the service has no backend.
   */
  clientTranslate(
    node: NetNode,
    client: string,
    p: Packet,
  ): { fe: NetFrontend; backend: NetBackend } | 'none' | 'dropped' {
    let fe = this.lookupService(node, p.dst, p.dport, p.proto, true);
    if (fe === undefined && this.net.nodesByIp.has(p.dst)) {
      const nodePort = this.lookupService(node, typeof p.dst === 'bigint' ? 0n : 0, p.dport, p.proto, true);
      if (nodePort !== undefined && nodePort.type === 'NodePort') fe = nodePort;
    }
    if (fe === undefined) return 'none';
    if (fe.type === 'ExternalIPs' && !node.host.local.has(p.dst)) return 'none';
    if (fe.skipRedirectFrom?.has(client)) {
      // CiliumLocalRedirectPolicy skipRedirectFromBackend: the backend's own traffic skips the redirect
      const skipped = fe;
      this.hop(client, 'skip-lb', () => `${frontendText(skipped)}: local redirect skipped for its own backend (skipRedirectFromBackend)`);
      if (fe.original === undefined) return 'none';
      fe = fe.original;
    }
    const pick = this.selectBackend(fe, p, false, p.src);
    const kpr = this.net.config.kubeProxyReplacement;
    const event = kpr ? 'sock-xlate' : 'lb';
    if (pick === undefined) {
      const f = fe;
      this.dropped(client, DROP_NO_SERVICE, dropReasonText(DROP_NO_SERVICE), 'refused', () =>
        `${frontendText(f)}: ${dropReasonText(DROP_NO_SERVICE)} (no backend to pick): ${kpr ? 'connect() fails' : 'dropped by bpf_lxc'}`,
      );
      return 'dropped';
    }
    const { backend, how } = pick;
    const snap = snapshot(p);
    const f = fe;
    if (kpr) this.flow(node, { ...snap, dst: backend.addr, dport: backend.port }, 'post-xlate-fwd', 'TRANSLATED');
    this.hop(client, event, () =>
      `${kpr ? 'socket LB at connect()' : 'bpf_lxc per-packet LB'}: ${frontendText(f)} -> ${joinHostPort(backend.addr, backend.port)}` +
      `${backend.pod ? ` (${backend.pod})` : ''}, ${how}; ` +
      this.hubble(node, { ...snap, dst: backend.addr, dport: backend.port }, kpr ? 'post-xlate-fwd' : 'to-stack', kpr ? 'TRANSLATED' : 'FORWARDED', false),
    );
    p.dst = backend.addr;
    p.dport = backend.port;
    return { fe, backend };
  }

  /** bpf_lxc: a packet leaving a pod on `node`. */
  fromEndpoint(node: NetNode, pod: NetPod, p: Packet): Arrival {
    if (this.reply) this.revDnatAt(node, p, true);
    if (p.dst === pod.ip || p.dst === pod.ip6) return { kind: 'pod', pod, pkt: p };
    const denied = this.policy(node, pod, p, 'egress');
    if (denied !== undefined) return denied;
    const local = node.endpoints.get(p.dst);
    if (local !== undefined) return this.toEndpoint(node, local, p);
    const toIngress = this.toIngressAddress(node, p);
    if (toIngress !== undefined) return toIngress;
    if (node.host.local.has(p.dst) || p.dst === node.ciliumHostIP || p.dst === node.ciliumHostIP6) {
      this.hubbleHop(node, p, 'to-stack');
      return this.route(node.host, p, 'cilium');
    }
    if (this.net.egress !== undefined && !this.reply) {
      const out = this.egressGateway(node, p);
      if (out !== undefined) return out;
    }
    if (this.net.config.routingMode === 'tunnel') {
      const tep = this.tunnelEndpoint(node, p.dst);
      if (tep >= 0) return this.encap(node, p, tep, this.net.config.tunnelProtocol);
    }
    this.hubbleHop(node, p, 'to-stack');
    return this.route(node.host, p, 'cilium');
  }

  /** The tunnel endpoint ipcache gives for an address (a remote node's InternalIP), or -1. */
  tunnelEndpoint(node: NetNode, addr: WireAddr): number {
    const pod = this.net.podsByIp.get(addr);
    let owner: NetNode | undefined;
    if (pod !== undefined) owner = this.net.nodes.get(pod.node);
    else {
      const n = this.net.nodesByIp.get(addr);
      if (n !== undefined && (addr === n.ciliumHostIP || addr === n.ciliumHostIP6)) owner = n;
      else if (n === undefined) {
        for (const other of this.net.nodes.values()) {
          if (other.podCIDRs.some((c) => inWirePrefix(addr, c))) {
            owner = other;
            break;
          }
        }
      }
    }
    if (owner === undefined || owner === node) return -1;
    return owner.internalIP;
  }

  /** Encapsulates towards a tunnel endpoint (IPv4 underlay; an IPv6 one for IPv6 DSR over IPIP) and routes the outer packet. */
  private encap(node: NetNode, p: Packet, tep: WireAddr, kind: 'vxlan' | 'geneve' | 'ipip'): Arrival {
    const src: WireAddr = typeof tep === 'bigint' ? (node.internalIP6 ?? -1) : node.internalIP;
    const snap = snapshot(p);
    const reply = this.reply;
    this.hop(node.name, 'to-overlay', () =>
      `${this.hubble(node, snap, 'to-overlay', 'FORWARDED', reply)}; ${kind} ${wireText(src)} -> ${wireText(tep)}` +
      (snap.dsr ? ` with DSR option ${joinHostPort(snap.dsr.vip, snap.dsr.vport)}` : ''),
    );
    p.outer = { src, dst: tep, kind };
    return this.route(node.host, p, 'cilium');
  }

  /** Decapsulation on the node the outer packet is addressed to. */
  private fromOverlay(node: NetNode, p: Packet): Arrival {
    const o = p.outer!;
    delete p.outer;
    const snap = snapshot(p);
    this.hop(node.name, 'from-overlay', () => `${o.kind} from ${wireText(o.src)} decapsulated: ${joinHostPort(snap.src, snap.sport)} -> ${joinHostPort(snap.dst, snap.dport)}`);
    const ep = node.endpoints.get(p.dst);
    if (ep !== undefined) return this.toEndpoint(node, ep, p);
    if (node.host.local.has(p.dst)) return { kind: 'host', host: node.host, pkt: p };
    const toIngress = this.toIngressAddress(node, p);
    if (toIngress !== undefined) return toIngress;
    this.hubbleHop(node, p, 'to-stack');
    return this.route(node.host, p, 'cilium');
  }

  /** Delivery into a local pod (`to-endpoint`); records DSR state carried by the packet. */
  toEndpoint(node: NetNode, pod: NetPod, p: Packet): Arrival {
    if (p.dsr !== undefined && !this.reply) {
      const d = p.dsr;
      this.nat.push({
        kind: 'rev-dnat', node: node.name, backend: p.dst, bport: p.dport, client: p.src, cport: p.sport,
        vip: d.vip, vport: d.vport, revNat: 0, dsr: true,
      });
      const snap = snapshot(p);
      this.hop(node.name, 'dsr', () => `DSR (${d.dispatch}) state for ${joinHostPort(snap.src, snap.sport)}: replies leave with source ${joinHostPort(d.vip, d.vport)}`);
      delete p.dsr;
    }
    if (this.reply) this.revDnatAt(node, p, false);
    const denied = this.policy(node, pod, p, 'ingress');
    if (denied !== undefined) return denied;
    this.hubbleHop(node, p, 'to-endpoint');
    return { kind: 'pod', pod, pkt: p };
  }

  /** `dev cilium_host` routes: into Cilium's datapath from the host stack. */
  private ciliumHost(node: NetNode, p: Packet): Arrival {
    const ep = node.endpoints.get(p.dst);
    if (ep !== undefined) return this.toEndpoint(node, ep, p);
    const toIngress = this.toIngressAddress(node, p);
    if (toIngress !== undefined) return toIngress;
    if (this.net.config.routingMode === 'tunnel' || p.outer === undefined) {
      const tep = this.tunnelEndpoint(node, p.dst);
      if (tep >= 0) return this.encap(node, p, tep, this.net.config.tunnelProtocol);
    }
    return this.ciliumDrop(node, p, DROP_NO_TUNNEL_ENDPOINT, 'timeout');
  }

  /** bpf_host on the way out of a native device: BPF masquerading (reference §F). */
  private toNetdev(node: NetNode, dev: string, p: Packet): Arrival | undefined {
    if (p.outer !== undefined) return undefined;
    if (this.reply) {
      // Replies of host-network backends: reverse NAT by the CT entry on the way out.
      this.revDnatAt(node, p, true);
      return undefined;
    }
    const c = this.net.config;
    const eg = this.net.egress;
    const v6 = typeof p.dst === 'bigint';
    if (eg !== undefined && eg.state.enabled && typeof p.src === 'number' && typeof p.dst === 'number' && !this.isClusterAddress(p.dst)) {
      const egressIP = egressSnatAt(eg, node.internalIP, p.src, p.dst);
      if (egressIP === 0) return this.ciliumDrop(node, p, DROP_NO_EGRESS_IP, 'timeout');
      if (egressIP !== undefined) {
        const port = natPort(p.sport);
        this.nat.push({ kind: 'masq', node: node.name, natAddr: egressIP, natPort: port, orig: p.src, oport: p.sport, dst: p.dst, dport: p.dport, proto: p.proto });
        const from = joinHostPort(p.src, p.sport);
        this.hop(node.name, 'egress-snat', () => `${from} -> ${joinHostPort(egressIP, port)} on ${dev} (egress gateway: SNAT to the egress IP)`);
        p.src = egressIP;
        p.sport = port;
        return undefined;
      }
    }
    if (v6 ? c.enableIPv6Masquerade === false : !c.enableIPv4Masquerade) return undefined;
    const pod = node.endpoints.get(p.src);
    if (pod === undefined) return undefined;
    const native = v6 ? this.net.nativeRoutingCIDR6 : this.net.nativeRoutingCIDR;
    const exclusion: readonly WirePrefix[] = native ? [native] : node.podCIDRs;
    if (exclusion.some((e) => inWirePrefix(p.dst, e))) return undefined;
    if (typeof p.dst === 'number' && nonMasqueraded(eg?.nonMasquerade, p.dst)) return undefined;
    if (c.routingMode === 'native' && this.net.nodesByIp.has(p.dst)) return undefined;
    const natAddr = this.devAddress(node.host, dev, v6);
    if (natAddr === -1) return undefined;
    const port = natPort(p.sport);
    this.nat.push({ kind: 'masq', node: node.name, natAddr, natPort: port, orig: p.src, oport: p.sport, dst: p.dst, dport: p.dport, proto: p.proto });
    const from = joinHostPort(p.src, p.sport);
    this.hop(node.name, 'masquerade', () => `${from} -> ${joinHostPort(natAddr, port)} on ${dev} (${c.enableBpfMasquerade ? 'BPF' : 'iptables'} masquerading)`);
    p.src = natAddr;
    p.sport = port;
    return undefined;
  }

  /** True for addresses with a cluster identity (pods, nodes): never sent through an egress gateway. */
  private isClusterAddress(addr: WireAddr): boolean {
    return this.net.podsByIp.has(addr) || this.net.nodesByIp.has(addr);
  }

  /** bpf_lxc's egress gateway step (reference §D): drop 194, or the tunnel to the gateway node. */
  private egressGateway(node: NetNode, p: Packet): Arrival | undefined {
    // the egress gateway stage is IPv4 (its policies' egress IPs and gateways); IPv6 flows skip it
    if (typeof p.src !== 'number' || typeof p.dst !== 'number') return undefined;
    if (this.isClusterAddress(p.dst)) return undefined;
    const d = egressAtSource(this.net.egress!, p.src, p.dst, flowHash(p.src, p.dst, p.sport, p.dport, p.proto));
    if (d.kind === 'none') return undefined;
    const policy = d.entry.policy;
    if (d.kind === 'no-gateway') return this.ciliumDrop(node, p, DROP_NO_EGRESS_GATEWAY, 'timeout');
    const gw = d.gateway;
    const n = d.entry.gateways.length;
    const gwNode = this.net.nodesByIp.get(gw);
    this.hop(node.name, 'egress-gateway', () =>
      `policy ${policy}: gateway ${u32ToIpv4(gw)}${gwNode ? ` (${gwNode.name})` : ''}` +
      (n > 1 ? ` (one of ${n} gateways, by flow hash)` : '') +
      (gw === node.internalIP ? ': this node is the gateway' : ''),
    );
    if (gw === node.internalIP) return undefined;
    return this.encap(node, p, gw, this.net.config.tunnelProtocol);
  }

  /** The first address of `dev` of a family, or -1. */
  private devAddress(host: NetHost, dev: string, v6: boolean): WireAddr {
    for (const i of host.interfaces) {
      if (i.name !== dev) continue;
      for (const a of i.addrs) if ((typeof a === 'bigint') === v6) return a;
    }
    return -1;
  }

  /** Undoes a DNAT recorded on `node` for a reply leaving (or reaching) the backend. */
  private revDnatAt(node: NetNode, p: Packet, leaving: boolean): void {
    for (const r of this.nat) {
      if (r.kind !== 'rev-dnat' || r.node !== node.name) continue;
      if (p.src !== r.backend || p.sport !== r.bport || p.dst !== r.client || p.dport !== r.cport) continue;
      const before = joinHostPort(p.src, p.sport);
      p.src = r.vip;
      p.sport = r.vport;
      const after = joinHostPort(r.vip, r.vport);
      this.hop(node.name, 'rev-nat', () =>
        `${leaving ? 'reply leaving the backend' : 'reply'}: source ${before} -> ${after}` + (r.dsr ? ' (DSR: straight to the client)' : ` (revnat ${r.revNat})`),
      );
      return;
    }
  }

  /** bpf_host on a native device, ingress: replies' reverse NAT, N-S service LB, endpoints. */
  fromNetdev(node: NetNode, dev: string, p: Packet): Arrival | typeof CONTINUE {
    {
      const snap = snapshot(p);
      this.hop(node.name, 'from-network', () => `${joinHostPort(snap.src, snap.sport)} -> ${joinHostPort(snap.dst, snap.dport)} on ${dev}`);
    }
    if (this.reply) {
      for (const r of this.nat) {
        if (r.node !== node.name) continue;
        if (r.kind === 'snat' && p.dst === r.natAddr && p.dport === r.natPort) {
          const before = `${joinHostPort(p.src, p.sport)} -> ${joinHostPort(p.dst, p.dport)}`;
          p.dst = r.client;
          p.dport = r.cport;
          p.src = r.vip;
          p.sport = r.vport;
          const after = `${joinHostPort(p.src, p.sport)} -> ${joinHostPort(p.dst, p.dport)}`;
          this.hop(node.name, 'rev-nat', () => `reverse SNAT and reverse NAT (revnat ${r.revNat}): ${before} becomes ${after}`);
          this.hubbleHop(node, p, 'to-network');
          return this.route(node.host, p, 'cilium');
        }
        if (r.kind === 'masq' && p.dst === r.natAddr && p.dport === r.natPort) {
          const before = joinHostPort(p.dst, p.dport);
          p.dst = r.orig;
          p.dport = r.oport;
          const after = joinHostPort(p.dst, p.dport);
          this.hop(node.name, 'rev-snat', () => `reverse masquerading: destination ${before} -> ${after}`);
          const ep = node.endpoints.get(p.dst);
          if (ep !== undefined) return this.toEndpoint(node, ep, p);
          return this.route(node.host, p, 'cilium');
        }
      }
    }
    if (!this.reply) {
      const proxy = this.toProxy(node, p);
      if (proxy !== undefined) return proxy;
    }
    if (!this.reply && this.net.config.kubeProxyReplacement) {
      const fe = this.lookupService(node, p.dst, p.dport, p.proto, false);
      if (fe !== undefined) return this.northSouth(node, fe, p);
      const wild = this.lookupWildcard(node, p.dst);
      if (wild !== undefined) return this.ciliumDrop(node, p, DROP_NO_SERVICE, 'refused');
    }
    const ep = node.endpoints.get(p.dst);
    if (ep !== undefined) return this.toEndpoint(node, ep, p);
    if (node.host.local.has(p.dst)) return { kind: 'host', host: node.host, pkt: p };
    return CONTINUE;
  }

  /** `nodeport_lb4`: a packet from outside addressed to a frontend. */
  private northSouth(node: NetNode, fe: NetFrontend, p: Packet): Arrival {
    if (fe.sourceRanges !== undefined) {
      const inRange = fe.sourceRanges.some((r) => inWirePrefix(p.src, r));
      if (inRange === fe.sourceRangesDeny) return this.ciliumDrop(node, p, DROP_NOT_IN_SRC_RANGE, 'timeout');
    }
    const pick = this.selectBackend(fe, p, true, p.src);
    if (pick === undefined) return this.ciliumDrop(node, p, DROP_NO_SERVICE, 'refused');
    if (!fe.routable) return this.ciliumDrop(node, p, DROP_IS_CLUSTER_IP, 'timeout');
    const { backend, how } = pick;
    const backendNode = this.backendNode(backend);
    const isLocal = backendNode === node;
    if (!isLocal && fe.type === 'HostPort') return this.ciliumDrop(node, p, DROP_INVALID, 'timeout');
    {
      const f = fe;
      const where = backendNode ? backendNode.name : 'unknown node';
      this.hop(node.name, 'lb', () =>
        `${frontendText(f)}: backend ${joinHostPort(backend.addr, backend.port)}${backend.pod ? ` (${backend.pod})` : ''} on ${where}, ${how}`,
      );
    }
    const client = p.src;
    const cport = p.sport;
    const vip = p.dst;
    const vport = p.dport;
    p.dst = backend.addr;
    p.dport = backend.port;
    if (isLocal) {
      this.nat.push({ kind: 'rev-dnat', node: node.name, backend: backend.addr, bport: backend.port, client, cport, vip, vport, revNat: fe.revNat, dsr: false });
      const ep = node.endpoints.get(backend.addr);
      if (ep !== undefined) return this.toEndpoint(node, ep, p);
      return { kind: 'host', host: node.host, pkt: p };
    }
    if (backendNode === undefined) {
      return this.dropped(node.name, null, `backend ${joinHostPort(backend.addr, backend.port)} is on no known node`, 'timeout');
    }
    if (fe.dsr) {
      const dispatch = this.net.config.lbDsrDispatch;
      p.dsr = { vip, vport, dispatch };
      const target = backendNode.name;
      const how = typeof vip === 'bigint' && dispatch === 'opt' ? 'opt: IPv6 destination option' : dispatch;
      this.hop(node.name, 'dsr', () => `DSR (${how}) to ${target}: client address ${joinHostPort(client, cport)} kept, service ${joinHostPort(vip, vport)} carried along`);
      // IPv6 DSR: the IP option becomes an IPv6 destination option (`dsr_set_ext6`), IPIP is IPv6-in-IPv6 to the node's IPv6 address
      if (dispatch === 'ipip' && typeof vip === 'bigint' && backendNode.internalIP6 !== undefined) return this.encap(node, p, backendNode.internalIP6, dispatch);
      if (dispatch === 'geneve' || dispatch === 'ipip') return this.encap(node, p, backendNode.internalIP, dispatch);
      if (this.net.config.routingMode === 'tunnel') return this.encap(node, p, backendNode.internalIP, this.net.config.tunnelProtocol);
      this.hubbleHop(node, p, 'to-network');
      return this.route(node.host, p, 'cilium');
    }
    // SNAT to the node's address of the packet's family (IPv6: its IPv6 InternalIP)
    const natAddr: WireAddr = typeof vip === 'bigint' ? (node.internalIP6 ?? -1) : node.internalIP;
    if (natAddr === -1) return this.dropped(node.name, null, `${node.name} has no IPv6 node address to SNAT to`, 'timeout');
    const port = natPort(cport);
    this.nat.push({ kind: 'snat', node: node.name, natAddr, natPort: port, client, cport, vip, vport, revNat: fe.revNat, backend: p.dst, bport: p.dport, proto: p.proto });
    this.hop(node.name, 'snat', () => `${joinHostPort(client, cport)} -> ${joinHostPort(natAddr, port)} (NodePort SNAT to the node's address)`);
    p.src = natAddr;
    p.sport = port;
    if (this.net.config.routingMode === 'tunnel') return this.encap(node, p, backendNode.internalIP, this.net.config.tunnelProtocol);
    this.hubbleHop(node, p, 'to-network');
    return this.route(node.host, p, 'cilium');
  }

  /** The node a backend runs on. */
  backendNode(b: NetBackend): NetNode | undefined {
    if (b.node !== undefined) return this.net.nodes.get(b.node);
    const pod = this.net.podsByIp.get(b.addr);
    if (pod !== undefined) return this.net.nodes.get(pod.node);
    return this.net.nodesByIp.get(b.addr);
  }
}

/**
 * The marker for "not handled here, continue in the kernel".
 *
 * @example
 * ```ts
 * if (w.fromNetdev(node, 'eth1', p) === CONTINUE) w.route(node.host, p, 'forward');
 * ```
 */
export const CONTINUE: unique symbol = Symbol('continue');

const DROPPED: Arrival = { kind: 'drop' };

function snapshot(p: Packet): Packet {
  const s: Packet = { src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, proto: p.proto };
  if (p.dsr !== undefined) s.dsr = p.dsr;
  return s;
}

function prefixText(r: FibRoute): string {
  return r.len === 0 ? 'default' : `${wireText(r.addr)}/${r.len}`;
}

/** The subnet `len` of an interface address. */
function subnetOf(a: WireAddr, len: number): WirePrefix {
  return typeof a === 'bigint' ? { addr: a & mask6(len), len } : { addr: len === 0 ? 0 : (a & ((0xffffffff << (32 - len)) >>> 0)) >>> 0, len };
}

/** `host:port` as Go's `net.JoinHostPort` writes it (Hubble's printer): brackets when the host holds a colon. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `HASH_INIT6_SEED` of Cilium's default Maglev seed (`JLfvgnHc2kaSUFaI`). */
const DEFAULT_SEED_JHASH6 = 0x92505688;

/**
 * `ip:port/PROTO (service, type)` of a frontend.
 *
 * @example
 * ```ts
 * frontendText(fe); // '172.16.1.1:80/TCP (default/webpod, LoadBalancer, revnat 5)'
 * ```
 */
export function frontendText(fe: NetFrontend): string {
  const scope = fe.scope === 1 ? '/i' : '';
  return `${joinHostPort(fe.addr, fe.port)}/${PROTO_NAME[fe.proto] ?? fe.proto}${scope} (${fe.service}, ${fe.type}, revnat ${fe.revNat})`;
}

/** True when a backend choice uses the frontend's Maglev table (N-S, a table present). */
function usesMaglev(fe: NetFrontend, northSouth: boolean): boolean {
  return northSouth && fe.maglev !== undefined && fe.maglev.length > 0;
}

/** The backend of a slot of {@link Walk.selectBackend}'s choice. */
function backendAt(fe: NetFrontend, northSouth: boolean, k: number): NetBackend | undefined {
  return usesMaglev(fe, northSouth) ? fe.byId.get(fe.maglev![k]!) : fe.backends[k - 1];
}
