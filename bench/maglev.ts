/**
 * Maglev benchmark: time to build one lookup table for N = 100 and N = 1000 backends at
 * M = 16381 and M = 65521 (target: ≤ 2.5 ms at M = 16381, N = 1000, single-threaded), plus a
 * weighted case and the per-packet slot choice.
 */
import { type Benchmark, timeMs } from './benchmark.js';
import { type MaglevBackend, maglevTable, maglevSlot, parseMaglevSeed } from '../src/datapath/maglev/index.js';

function backends(n: number, weighted: boolean): MaglevBackend[] {
  const out: MaglevBackend[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      id: i + 1,
      address: `10.${String((i >> 16) & 255)}.${String((i >> 8) & 255)}.${String(i & 255)}`,
      port: 8080,
      protocol: 'TCP',
      // default weight 100 (Cilium's), or a spread of 1..100
      ...(weighted ? { weight: 1 + ((i * 37) % 100) } : {}),
    });
  }
  return out;
}

/** The Maglev table build and per-packet slot benchmark. */
export const maglevBenchmark: Benchmark = {
  name: 'maglev',
  run(report) {
    for (const m of [16381, 65521]) {
      for (const n of [100, 1000]) {
        const bs = backends(n, false);
        const ms = timeMs(() => maglevTable(bs, { tableSize: m }), m > 20000 ? 10 : 40);
        report(`maglevTable M=${String(m)} N=${String(n)} (weight 100 each): ${ms.toFixed(3)} ms`);
      }
    }
    {
      const bs = backends(1000, true);
      const ms = timeMs(() => maglevTable(bs, { tableSize: 16381 }), 20);
      report(`maglevTable M=16381 N=1000 (weights 1..100): ${ms.toFixed(3)} ms`);
    }
    {
      const seed = parseMaglevSeed('JLfvgnHc2kaSUFaI');
      const flows = Array.from({ length: 1000 }, (_, i) => ({
        saddr: `192.168.${String((i >> 8) & 255)}.${String(i & 255)}`,
        sport: 32768 + i,
        dport: 80,
        protocol: 'TCP' as const,
      }));
      const ms = timeMs(() => {
        let s = 0;
        for (const f of flows) s += maglevSlot(f, seed, 16381);
        return s;
      }, 20);
      report(`maglevSlot (IPv4 text address): ${((ms * 1000) / flows.length).toFixed(3)} µs per flow`);
    }
  },
};
