/**
 * Hand-built hosts, clusters and routing lookups for the BGP stage's unit and property tests.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Cluster } from '../../src/cluster/types.js';
import type { Host, IpAddress } from '../../src/input/types.js';
import type { BgpTables } from '../../src/bgp/network/types.js';
import type { BgpNeighborConfig, BgpPath, BgpSpeaker } from '../../src/bgp/speaker.js';
import { prefixContains, sameIp } from '../../src/net/addr.js';

const v4s = new Map<string, IPv4>();
const nets = new Map<string, IPv4CidrRange>();
/** Memoised ip-num parsing (ip-num is slow and tests build many hosts). */
export function ip(text: string): IPv4 {
  let a = v4s.get(text);
  if (!a) {
    a = IPv4.fromString(text);
    v4s.set(text, a);
  }
  return a;
}
/** Memoised prefix parsing. */
export function cidr(text: string): IPv4CidrRange {
  let p = nets.get(text);
  if (!p) {
    p = IPv4CidrRange.fromCidr(text);
    nets.set(text, p);
  }
  return p;
}

/** A host with interfaces `name: 'a.b.c.d/len'` and optional FRR text and static routes `dst via gw`. */
export function host(name: string, ifaces: Record<string, string | string[]>, frr?: string, routes: [string, string][] = []): Host {
  return {
    meta: { name, labels: {}, annotations: {} },
    interfaces: Object.entries(ifaces).map(([n, cidrs]) => ({
      name: n,
      addresses: (Array.isArray(cidrs) ? cidrs : [cidrs]).map((c) => {
        const [a, l] = c.split('/');
        const address = ip(a!);
        const prefixLength = Number(l);
        const v = (Number(address.getValue()) & (prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0)) >>> 0;
        const net = cidr(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${prefixLength}`);
        return { address, prefixLength, network: net };
      }),
    })),
    routes: routes.map(([dst, gw]) => ({
      type: 'unicast' as const,
      dst: cidr(dst === 'default' ? '0.0.0.0/0' : dst),
      nexthops: [{ gateway: ip(gw), weight: 1 }],
      protocol: 'static',
      metric: 0,
      text: `${dst} via ${gw}`,
    })),
    ...(frr !== undefined ? { frr } : {}),
    sysctl: {},
  };
}

/** A cluster stub holding only hosts (all the BGP network stage reads). */
export function clusterOf(hosts: readonly Host[]): Cluster {
  return { hosts } as unknown as Cluster;
}

/** Routing lookups over hosts: connected subnets and static routes (one hop). */
export function tablesOf(hosts: readonly Host[]): BgpTables {
  const byName = new Map(hosts.map((h) => [h.meta.name, h]));
  const own = (h: Host, a: IpAddress): boolean => h.interfaces.some((i) => i.addresses.some((x) => sameIp(x.address, a)));
  const connectedAddr = (h: Host, a: IpAddress): IpAddress | undefined => {
    for (const i of h.interfaces) for (const x of i.addresses) if (prefixContains(x.network, a) && !sameIp(x.address, a)) return x.address;
    return undefined;
  };
  const viaRoute = (h: Host, a: IpAddress): IpAddress | undefined => {
    let best: { len: number; gw: IpAddress } | undefined;
    for (const r of h.routes) {
      const len = Number(r.dst.getPrefix().getValue());
      if (prefixContains(r.dst, a) && (!best || len > best.len) && r.nexthops[0]?.gateway) best = { len, gw: r.nexthops[0].gateway };
    }
    return best?.gw;
  };
  return {
    connected: (hn, a) => {
      const h = byName.get(hn);
      return h !== undefined && connectedAddr(h, a) !== undefined;
    },
    reachable: (hn, a) => {
      const h = byName.get(hn);
      if (!h) return false;
      if (own(h, a) || connectedAddr(h, a)) return true;
      const gw = viaRoute(h, a);
      return gw !== undefined && connectedAddr(h, gw) !== undefined;
    },
    resolve: (hn, a) => {
      const h = byName.get(hn);
      if (!h) return undefined;
      const devOf = (x: IpAddress): string | undefined => h.interfaces.find((i) => i.addresses.some((y) => prefixContains(y.network, x) && !sameIp(y.address, x)))?.name;
      const d = devOf(a);
      if (d) return { dev: d };
      const gw = viaRoute(h, a);
      const gd = gw ? devOf(gw) : undefined;
      return gw && gd ? { gateway: gw, dev: gd } : undefined;
    },
    sourceAddress: (hn, a) => {
      const h = byName.get(hn);
      if (!h) return undefined;
      if (own(h, a)) return a;
      const c = connectedAddr(h, a);
      if (c) return c;
      const gw = viaRoute(h, a);
      return gw ? connectedAddr(h, gw) : undefined;
    },
  };
}

/** A Cilium-like speaker on `node` (address `addr`) peering `peer` with AS `asn` → `peerAs`, exporting prefixes. */
export function ciliumLike(node: string, routerId: string, asn: number, peer: string, peerAs: number | 'auto', prefixes: string[], extra: Partial<BgpNeighborConfig> = {}): BgpSpeaker {
  const exports: BgpPath[] = prefixes.map((p) => ({
    prefix: cidr(p),
    origin: 'igp',
    asPath: peerAs === asn ? [] : [asn],
    nextHop: ip('0.0.0.0'),
    communities: [],
    largeCommunities: [],
  }));
  return {
    host: node,
    kind: 'cilium',
    instance: `instance-${asn}`,
    asn,
    routerId: ip(routerId),
    neighbors: [
      {
        address: ip(peer),
        remoteAs: peerAs,
        ebgpMultihop: 2,
        holdTime: 9,
        keepalive: 3,
        port: 179,
        passive: false,
        families: ['ipv4-unicast'],
        exports,
        gracefulRestart: true,
        label: 'tor',
        ...extra,
      },
    ],
    originated: [],
  };
}
