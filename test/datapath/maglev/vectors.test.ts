import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  maglevTable,
  maglevHashString,
  murmur3x64_128,
  parseMaglevSeed,
  maglevRuns,
  maglevRunString,
  maglevCounts,
} from '../../../src/datapath/maglev/index.js';

interface VectorBackend {
  address: string;
  port: number;
  protocol: string;
  weight: number;
  id: number;
  hashString: string;
}
interface Vectors {
  seeds: { hashSeed: string; murmurSeed: number; jhash0: number; jhash1: number };
  murmur3_x64_128: { input: string; seed: number; h1: string; h2: string }[];
  tables: {
    name: string;
    tableSize: number;
    hashSeed: string;
    backends: VectorBackend[];
    rle: string;
    counts: Record<string, number>;
  }[];
}

// A copy of shared/vectors/maglev.json (computed the way Cilium's pkg/maglev does), kept with
// the tests so that a clone of this repository alone runs them.
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'maglev-vectors.json'), 'utf8'),
) as Vectors;

describe('maglev.json vectors', () => {
  it('seed words', () => {
    const s = parseMaglevSeed(vectors.seeds.hashSeed);
    expect(s).toEqual({
      murmurSeed: vectors.seeds.murmurSeed,
      jhashSeed0: vectors.seeds.jhash0,
      jhashSeed1: vectors.seeds.jhash1,
    });
  });

  for (const h of vectors.murmur3_x64_128) {
    it(`murmur3 ${h.input}`, () => {
      const r = murmur3x64_128(h.input, h.seed);
      expect(r.h1.toString()).toBe(h.h1);
      expect(r.h2.toString()).toBe(h.h2);
    });
  }

  for (const t of vectors.tables) {
    it(`table ${t.name}`, () => {
      for (const b of t.backends) expect(maglevHashString(b)).toBe(b.hashString);
      const table = maglevTable(t.backends, { tableSize: t.tableSize, hashSeed: t.hashSeed });
      expect(table.length).toBe(t.tableSize);
      expect(maglevRunString(table)).toBe(t.rle);
      const counts = Object.fromEntries(maglevCounts(table).map((c) => [String(c.id), c.count]));
      expect(counts).toEqual(t.counts);
      // runs add up to M
      expect(maglevRuns(table).reduce((s, r) => s + r.count, 0)).toBe(t.tableSize);
      // any input order gives the same table
      const reversed = maglevTable([...t.backends].reverse(), { tableSize: t.tableSize, hashSeed: t.hashSeed });
      expect(Array.from(reversed)).toEqual(Array.from(table));
    });
  }
});
