/**
 * BGP network benchmark: one FRR router peering with N Cilium-like nodes on one subnet, each
 * advertising its pod CIDR and the same 10 LoadBalancer IPs (ECMP over every node); sessions,
 * propagation to a fixed point, best path, multipath and zebra's installed routes.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import { type Benchmark, timeMs } from './benchmark.js';
import { runBgpNetwork } from '../src/bgp/network/run.js';
import type { BgpTables } from '../src/bgp/network/types.js';
import type { BgpSpeaker } from '../src/bgp/speaker.js';
import type { Cluster } from '../src/cluster/types.js';
import type { Host, IpAddress } from '../src/input/types.js';

function lab(n: number): { cluster: Cluster; speakers: BgpSpeaker[]; tables: BgpTables } {
  const lan = IPv4CidrRange.fromCidr('10.0.0.0/16');
  const addr = (i: number): IPv4 => IPv4.fromNumber(BigInt((10 << 24) + 1000 + i));
  const hostOf = (name: string, a: IPv4, frr?: string): Host => ({
    meta: { name, labels: {}, annotations: {} },
    interfaces: [{ name: 'eth1', addresses: [{ address: a, prefixLength: 16, network: lan }] }],
    routes: [],
    ...(frr !== undefined ? { frr } : {}),
    sysctl: {},
  });
  const routerAddr = IPv4.fromString('10.0.0.1');
  const frr = `router bgp 65000\n bgp router-id 10.0.0.1\n no bgp ebgp-requires-policy\n bgp bestpath as-path multipath-relax\n neighbor N peer-group\n neighbor N remote-as external\n${Array.from({ length: n }, (_, i) => ` neighbor ${addr(i).toString()} peer-group N`).join('\n')}\n`;
  const hosts = [hostOf('router', routerAddr, frr), ...Array.from({ length: n }, (_, i) => hostOf(`n${i}`, addr(i)))];
  const lbs = Array.from({ length: 10 }, (_, j) => IPv4CidrRange.fromCidr(`172.16.1.${j + 1}/32`));
  const speakers: BgpSpeaker[] = Array.from({ length: n }, (_, i) => ({
    host: `n${i}`,
    kind: 'cilium',
    instance: 'i',
    asn: 65001,
    routerId: addr(i),
    neighbors: [
      {
        address: routerAddr,
        remoteAs: 65000,
        holdTime: 9,
        keepalive: 3,
        port: 179,
        passive: false,
        families: ['ipv4-unicast'],
        gracefulRestart: true,
        label: 'tor',
        exports: [IPv4CidrRange.fromCidr(`172.${20 + (i >> 8)}.${i & 255}.0/24`), ...lbs].map((prefix) => ({
          prefix,
          origin: 'igp' as const,
          asPath: [65001],
          nextHop: IPv4.fromNumber(0),
          communities: [],
          largeCommunities: [],
        })),
      },
    ],
    originated: [],
  }));
  // 10.0.0.0/16, tested on the value (ip-num's range test is slow).
  const onLan = (a: IpAddress): boolean => a.type === 'IPv4' && Number(a.getValue()) >>> 16 === 0x0a00;
  const tables: BgpTables = {
    sourceAddress: (h, dst) => (onLan(dst) ? (h === 'router' ? routerAddr : addr(Number(h.slice(1)))) : undefined),
    reachable: (_h, dst) => onLan(dst),
    connected: (_h, dst) => onLan(dst),
  };
  return { cluster: { hosts } as unknown as Cluster, speakers, tables };
}

/** The BGP network benchmark. */
export const bgpNetworkBenchmark: Benchmark = {
  name: 'bgp: sessions + propagation + best path',
  run(report) {
    for (const n of [3, 30, 100]) {
      const { cluster, speakers, tables } = lab(n);
      const ms = timeMs(() => runBgpNetwork(cluster, speakers, tables), n >= 100 ? 1 : 5, 1);
      report(`router + ${n} nodes (${n + 10} prefixes, 10 with ${Math.min(n, 256)}-way ECMP candidates): ${ms.toFixed(1)} ms`);
    }
  },
};
