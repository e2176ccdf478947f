/**
 * ARP on the compiled network: who answers a host's request for an address on a device (the
 * segment's owner of the address, or a node's L2 responder for an announced one), and the
 * neighbour entries a host holds after the traffic it sent.
 *
 * A host resolves the next hop of every route it sends on over an Ethernet device (the gateway,
 * or the destination itself for an on-link route). Resolved: `REACHABLE` with the answering
 * device's MAC; nobody answers: `FAILED` (after the kernel's three probes; `INCOMPLETE` while
 * they run). Entries are keyed by (address, device); the last traffic wins. Devices' MACs are
 * the L2 stage's `deviceMac(host, dev)`. Cost: one FIB lookup and one neighbour lookup per
 * request; O(hops) per traced request.
 *
 * @module
 */
import { type WireAddr, wireText } from '../net/wire.js';
import { deviceMac } from '../l2/hash.js';
import { ipv4ToU32 } from '../net/addr.js';
import type { NetHost, Network } from '../network/types.js';
import type { TraceResult } from './types.js';
import { Walk } from './walk.js';

/**
 * An ARP answer: who answered, from which device, with which MAC; `l2` when it is a node's L2
 * responder (an announced address).
 *
 * @example
 * ```ts
 * const a: ArpAnswer = { host: 'k8s-w1', dev: 'eth1', mac: '5a:0c:11:22:33:44', l2: true };
 * ```
 */
export interface ArpAnswer {
  /** Answering host. */
  readonly host: string;
  /** Its device. */
  readonly dev: string;
  /** The device's MAC (lower case). */
  readonly mac: string;
  /** True for an L2 responder answer. */
  readonly l2: boolean;
}

/**
 * A request for `target`: the device (given, or from the route to it) and the source address the
 * host puts in it, and the answer (undefined when nobody answers).
 *
 * @example
 * ```ts
 * const r = arpRequest(net, 'client', '192.168.10.210');
 * if (typeof r !== 'string') r.answer?.host; // 'k8s-w1'
 * ```
 */
export interface ArpRequest {
  /** Device the request goes out of. */
  readonly dev: string;
  /** Source address of the request. */
  readonly source: string;
  /** The answer. */
  readonly answer?: ArpAnswer;
}

function isEthernet(host: NetHost, dev: string): boolean {
  return host.interfaces.some((i) => i.name === dev && i.kind === 'ethernet');
}

/**
 * Sends an ARP request from `host` for `target` on `dev` (default: the device of the route to
 * `target`): who answers. An error text when the host or address is unknown or there is no
 * route.
 *
 * @example
 * ```ts
 * arpRequest(net, 'client', '192.168.10.210', 'eth1');
 * ```
 */
export function arpRequest(net: Network, hostName: string, target: string, dev?: string): ArpRequest | string {
  const host = net.hosts.get(hostName);
  if (host === undefined) return `unknown host ${hostName}`;
  const addr = ipv4ToU32(target);
  if (addr === undefined) return `${target}: Name or service not known`;
  const w = new Walk(net);
  let out = dev;
  let src: number | bigint = -1;
  if (out === undefined) {
    const r = w.lookup(host, addr);
    const nh = r?.nexthops[0];
    if (r === undefined || nh === undefined || r.type !== 'unicast') return 'connect: Network is unreachable';
    out = nh.dev;
    src = w.sourceFor(host, r, nh.dev, addr);
  } else {
    if (!host.interfaces.some((i) => i.name === out)) return `Interface "${out}" is not ARPable`;
    const i = host.interfaces.find((x) => x.name === out)!;
    src = i.addrs[0] ?? -1;
  }
  if (!isEthernet(host, out)) return `Interface "${out}" is not ARPable`;
  const n = host.neighbor(out, addr);
  const source = src !== -1 ? wireText(src) : '0.0.0.0';
  if (n === undefined) return { dev: out, source };
  return { dev: out, source, answer: { host: n.host.name, dev: n.dev, mac: deviceMac(n.host.name, n.dev), l2: n.l2 === true } };
}

/**
 * A neighbour cache entry.
 *
 * @example
 * ```ts
 * const e: Neighbour = { address: '192.168.10.210', dev: 'eth1', mac: '5a:0c:11:22:33:44', state: 'REACHABLE' };
 * ```
 */
export interface Neighbour {
  /** The neighbour's address. */
  readonly address: string;
  /** Device. */
  readonly dev: string;
  /** MAC, when resolved. */
  readonly mac?: string;
  /** NUD state. */
  readonly state: 'REACHABLE' | 'FAILED';
}

const ROUTE_HOP = /^(\d+\.\d+\.\d+\.\d+)(?: via (\d+\.\d+\.\d+\.\d+))? dev (\S+)/;

/**
 * The neighbour entries `host` holds after the traced requests (in order): one per next hop its
 * own route steps resolved on an Ethernet device (see the module doc), keyed by (address, device),
 * the last one winning, in first-seen order.
 *
 * @example
 * ```ts
 * neighboursAfter(net, 'client', [trace(net, { from: 'client', dst: '192.168.10.209', dport: 80 })]);
 * // [{ address: '192.168.10.209', dev: 'eth1', state: 'FAILED' }]
 * ```
 */
export function neighboursAfter(net: Network, hostName: string, results: readonly TraceResult[]): readonly Neighbour[] {
  const host = net.hosts.get(hostName);
  if (host === undefined) return [];
  const out = new Map<string, Neighbour>();
  for (const r of results) {
    for (const h of r.hops) {
      if (h.host !== hostName || h.event !== 'route') continue;
      const m = ROUTE_HOP.exec(h.detail);
      if (!m) continue;
      const next = m[2] ?? m[1]!;
      const dev = m[3]!;
      if (!isEthernet(host, dev)) continue;
      const n = host.neighbor(dev, ipv4ToU32(next)!);
      const key = `${next}%${dev}`;
      out.set(
        key,
        n === undefined ? { address: next, dev, state: 'FAILED' } : { address: next, dev, mac: deviceMac(n.host.name, n.dev), state: 'REACHABLE' },
      );
    }
  }
  return [...out.values()];
}
