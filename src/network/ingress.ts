/**
 * The packet walk's view of Cilium Ingress: which address and port is an Envoy listener (the LB
 * IPs and cluster IPs of the ingress Services), each node's ingress address (the source of
 * Envoy's connections to backends, identity `reserved:ingress`), and the backends Envoy knows for
 * a route's Service (its EndpointSlices, as the agent feeds Envoy's EDS).
 *
 * **Node ingress address.** Cilium's agent allocates one IPv4 address per node for Ingress from
 * the node's pod CIDR, through the same IPAM as the `cilium_host` router address
 * (`allocateIngressIPs` after the router IP). The model takes the lowest address of the node's
 * first IPv4 pod CIDR (network + 1 onwards) that is neither the `cilium_host` address nor held
 * by a pod on the node; a given CiliumNode does not record it (documented in docs/decisions.md).
 *
 * Cost: listeners O(ingress Services) once; a node's address O(pods on the node) on first use;
 * backends O(slices of the Service) per request.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { clusterIndexes } from '../cluster/indexes.js';
import { ciliumHostAddress, nodePodCidrs } from '../fib/base.js';
import type { IngressListener, IngressState, RouteBackend } from '../ingress/types.js';
import type { LbIpamResult } from '../ipam/types.js';
import type { Service } from '../input/types.js';
import { lbIpsOf } from '../ipam/allocate.js';
import { familyOf, ipv4ToU32, networkValue, prefixLength } from '../net/addr.js';

/**
 * A backend Envoy can send a route's requests to.
 *
 * @example
 * ```ts
 * import type { EnvoyBackend } from 'cilium-twin/network';
 * const b: EnvoyBackend = { addr: 0xac140150, port: 80, pod: 'default/details-v1', node: 'k8s-w1' };
 * b.port;
 * ```
 */
export interface EnvoyBackend {
  /** Address (u32). */
  readonly addr: number;
  /** Port. */
  readonly port: number;
  /** Pod `namespace/name`, when known. */
  readonly pod?: string;
  /** Node, when known. */
  readonly node?: string;
}

/**
 * Why a route has no backend (Envoy answers `503 no healthy upstream`).
 *
 * @example
 * ```ts
 * import type { NoBackend } from 'cilium-twin/network';
 * const r: NoBackend = { kind: 'no-service', reason: 'service default/nope does not exist' };
 * r.kind;
 * ```
 */
export interface NoBackend {
  /** What is missing. */
  readonly kind: 'no-service' | 'no-port' | 'no-endpoints';
  /** Text for the trace. */
  readonly reason: string;
}

/**
 * Cilium Ingress as the walk reads it.
 *
 * @example
 * ```ts
 * import type { IngressDatapath } from 'cilium-twin/network';
 * declare const ingress: IngressDatapath;
 * ingress.listenerAt(0xac100102, 80)?.listener.service; // 'kube-system/cilium-ingress'
 * ```
 */
export interface IngressDatapath {
  /** The ingress stage's state. */
  readonly state: IngressState;
  /** The listener at an address and port (LB IP or cluster IP of an ingress Service), if any. */
  listenerAt(addr: number | bigint, port: number): { readonly listener: IngressListener; readonly vip: number } | undefined;
  /** A node's ingress address (u32), or -1 when it has no IPv4 pod CIDR. */
  nodeAddress(node: string): number;
  /** The node whose ingress address `addr` is (every node's address computed on first use). */
  ownerOf(addr: number): string | undefined;
  /** The backends of a route's Service, or why there are none. */
  backends(b: RouteBackend): readonly EnvoyBackend[] | NoBackend;
}

/**
 * A node's ingress address (see the module doc), or `undefined`.
 *
 * @example
 * ```ts
 * import { nodeIngressAddress } from 'cilium-twin/network';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * nodeIngressAddress(cluster, 'k8s-ctr'); // '172.20.0.2' when no pod holds it
 * ```
 */
export function nodeIngressAddress(cluster: Cluster, node: string): string | undefined {
  const cidr = nodePodCidrs(cluster, node).find((p) => familyOf(p) === 4);
  if (cidr === undefined) return undefined;
  const router = ciliumHostAddress(cluster, node, 4)?.value;
  const used = new Set<bigint>();
  for (const p of clusterIndexes(cluster).podsOn(node)) {
    if (p.hostNetwork) continue;
    for (const a of p.podIPs) if (familyOf(a) === 4) used.add(a.value);
  }
  const net = networkValue(cidr);
  const size = 1n << BigInt(32 - prefixLength(cidr));
  for (let v = net + 1n; v < net + size - 1n; v++) {
    if (v === router || used.has(v)) continue;
    const n = Number(v);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return undefined;
}

/**
 * Compiles the walk's view of Cilium Ingress, or `undefined` when the controller is off (the walk
 * then behaves as before).
 *
 * @example
 * ```ts
 * import { ingressDatapath } from 'cilium-twin/network';
 * import { ingressState } from 'cilium-twin/ingress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * import type { LbIpamResult } from 'cilium-twin/ipam';
 * declare const cluster: Cluster;
 * declare const ipam: LbIpamResult;
 * const ing = ingressDatapath(cluster, ingressState(cluster), ipam);
 * ing?.nodeAddress('k8s-ctr');
 * ```
 */
export function ingressDatapath(cluster: Cluster, state: IngressState, ipam: LbIpamResult): IngressDatapath | undefined {
  if (!state.settings.enabled || state.listeners.length === 0) return undefined;
  const byAddr = new Map<number, Map<number, { listener: IngressListener; vip: number }>>();
  for (const l of state.listeners) {
    const [ns, name] = l.service.split('/') as [string, string];
    const svc = cluster.scenario.services.find((s) => (s.meta.namespace ?? 'default') === ns && s.meta.name === name);
    const addrs = [...lbIpsOf(ipam, ns, name), ...(svc?.clusterIPs ?? [])].filter((a) => familyOf(a) === 4);
    for (const a of addrs) {
      const u = ipv4ToU32(a.toString());
      if (u === undefined) continue;
      let m = byAddr.get(u);
      if (m === undefined) byAddr.set(u, (m = new Map()));
      m.set(l.port, { listener: l, vip: u });
    }
  }
  const addresses = new Map<string, number>();
  let owners: Map<number, string> | undefined;
  const services = new Map<string, Service>(cluster.scenario.services.map((s) => [`${s.meta.namespace ?? 'default'}/${s.meta.name}`, s]));
  return {
    state,
    listenerAt: (addr, port) => (typeof addr === 'number' ? byAddr.get(addr)?.get(port) : undefined), // listeners are IPv4 in the model
    nodeAddress(node: string): number {
      let a = addresses.get(node);
      if (a === undefined) {
        const text = nodeIngressAddress(cluster, node);
        a = text === undefined ? -1 : (ipv4ToU32(text) ?? -1);
        addresses.set(node, a);
      }
      return a;
    },
    ownerOf(addr: number): string | undefined {
      if (owners === undefined) {
        owners = new Map();
        for (const n of cluster.scenario.nodes) {
          const a = this.nodeAddress(n.meta.name);
          if (a >= 0) owners.set(a, n.meta.name);
        }
      }
      return owners.get(addr);
    },
    backends(b: RouteBackend): readonly EnvoyBackend[] | NoBackend {
      const key = `${b.namespace}/${b.service}`;
      const svc = services.get(key);
      if (svc === undefined) return { kind: 'no-service', reason: `service ${key} does not exist` };
      const sp = svc.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
      if (sp === undefined) return { kind: 'no-port', reason: `service ${key} has no port ${b.port}` };
      const out: EnvoyBackend[] = [];
      for (const slice of clusterIndexes(cluster).slicesOf(b.namespace, b.service)) {
        if (slice.addressType !== 'IPv4') continue;
        const port =
          slice.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === sp.protocol) ??
          (slice.ports.length === 1 ? slice.ports[0] : undefined);
        if (port === undefined) continue;
        for (const ep of slice.endpoints) {
          if (!ep.ready) continue;
          for (const a of ep.addresses) {
            const u = ipv4ToU32(a.toString());
            if (u === undefined) continue;
            out.push({
              addr: u,
              port: port.port,
              ...(ep.podRef !== undefined ? { pod: `${ep.podRef.namespace}/${ep.podRef.name}` } : {}),
              ...(ep.nodeName !== undefined ? { node: ep.nodeName } : {}),
            });
          }
        }
      }
      if (out.length === 0) return { kind: 'no-endpoints', reason: `service ${key} has no ready endpoint` };
      out.sort((x, y) => x.addr - y.addr || x.port - y.port);
      return out;
    },
  };
}
