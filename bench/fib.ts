/**
 * FIB benchmark: longest-prefix-match lookups on a table of 10,000 routes (index built once per
 * table), and building the lab's base routing tables.
 */
import { IPv4 } from 'ip-num';
import { type Benchmark, timeMs } from './benchmark.js';
import { lookupRoute, type KernelRoute, type RoutingTable } from '../src/fib/index.js';
import { maskedPrefix } from '../src/net/addr.js';

function bigTable(n: number): RoutingTable {
  const main: KernelRoute[] = [];
  for (let i = 0; i < n; i++) {
    const len = 16 + (i % 17);
    const net = (10 << 24) | ((i * 2654435761) >>> 8);
    main.push({
      table: 'main',
      type: 'unicast',
      dst: maskedPrefix(IPv4.fromNumber(BigInt(net >>> 0)), len),
      nexthops: [{ gateway: IPv4.fromString('192.168.0.1'), dev: 'eth0', weight: 1 }],
      protocol: 'static',
      scope: 'universe',
      metric: 0,
      origin: 'static',
    });
  }
  return { host: 'bench', isNode: false, links: [], main, local: [], multipathHashPolicy: 0, sysctl: {}, warnings: [] };
}

/** The FIB benchmark. */
export const fibBenchmark: Benchmark = {
  name: 'fib: LPM lookup',
  run(report) {
    const table = bigTable(10_000);
    const dsts = Array.from({ length: 1000 }, (_, i) => IPv4.fromNumber(BigInt(((10 << 24) | (i * 7919 * 4099)) >>> 0)));
    const build = timeMs(() => lookupRoute({ ...table }, dsts[0]!), 5, 1);
    report(`index build + first lookup, 10,000 routes: ${build.toFixed(2)} ms`);
    const per = timeMs(() => {
      for (const d of dsts) lookupRoute(table, d);
    }, 50);
    report(`lookup, 10,000 routes: ${((per / dsts.length) * 1000).toFixed(2)} µs per lookup`);
  },
};
