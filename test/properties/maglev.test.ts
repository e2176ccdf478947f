/**
 * Maglev properties over generated backend sets (fast-check, 1000 runs each; table sizes mostly
 * 251/509/1021 with a few runs at Cilium's default 16381 so the file stays fast).
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  type MaglevBackend,
  maglevTable,
  maglevHashString,
  maglevSlot,
  maglevBackendFor,
  maglevCounts,
  maglevOffsetSkip,
  DEFAULT_MAGLEV_SEED,
} from '../../src/datapath/maglev/index.js';

/**
 * A plain transcription of Cilium's computeLookupTable (materialised permutations, linear scan
 * of turns), as an oracle for the optimised implementation.
 */
function oracleTable(bs: readonly MaglevBackend[], m: number): Uint32Array {
  const sorted = [...bs].sort((a, b) => {
    const ka = maglevHashString(a);
    const kb = maglevHashString(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
  });
  const n = sorted.length;
  const perm = sorted.map((b) => {
    const { offset, skip } = maglevOffsetSkip(maglevHashString(b), m, DEFAULT_MAGLEV_SEED.murmurSeed);
    return Array.from({ length: m }, (_, j) => (offset + j * skip) % m);
  });
  const weights = sorted.map((b) => b.weight ?? 100);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const cntr = weights.map((w) => w / n);
  const weightsUsed = Math.floor(weightSum / n) > 1;
  const next = new Array<number>(n).fill(0);
  const entry = new Array<number>(m).fill(-1);
  for (let k = 0; k < m; k++) {
    let i = k % n;
    for (;;) {
      if (weightsUsed) {
        if ((k + 1) * weights[i]! < Math.trunc(cntr[i]!)) {
          i = (i + 1) % n;
          continue;
        }
        cntr[i] = cntr[i]! + weightSum;
      }
      let c = perm[i]![next[i]!]!;
      while (entry[c]! >= 0) {
        next[i] = next[i]! + 1;
        c = perm[i]![next[i]!]!;
      }
      entry[c] = sorted[i]!.id;
      next[i] = next[i]! + 1;
      break;
    }
  }
  return Uint32Array.from(entry);
}

const RUNS = { numRuns: 1000 };

const ipv4 = fc
  .integer({ min: 0, max: 0xffffffff })
  .map((v) => `${String(v >>> 24)}.${String((v >>> 16) & 255)}.${String((v >>> 8) & 255)}.${String(v & 255)}`);
const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((g) => g.map((x) => x.toString(16)).join(':'));

/** One backend without its ID: address, port, protocol, scope. */
const backendShape = fc.record({
  address: fc.oneof({ arbitrary: ipv4, weight: 4 }, { arbitrary: ipv6, weight: 1 }),
  port: fc.integer({ min: 1, max: 65535 }),
  protocol: fc.constantFrom('TCP', 'UDP'),
  scope: fc.constantFrom<'external' | 'internal'>('external', 'external', 'internal'),
});

/** Distinct backends (as Cilium has for one frontend) with distinct node-local IDs. */
function backendSet(minLength: number, maxLength: number): fc.Arbitrary<MaglevBackend[]> {
  return fc
    .uniqueArray(backendShape, { minLength, maxLength, selector: (b) => maglevHashString(b) })
    .chain((shapes) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: 0xfffffffe }), { minLength: shapes.length, maxLength: shapes.length })
        .map((ids) => shapes.map((s, i) => ({ ...s, id: ids[i]! }))),
    );
}

/** Mostly small tables, sometimes Cilium's default. */
const tableSize = fc.oneof(
  { arbitrary: fc.constantFrom(251, 509, 1021), weight: 60 },
  { arbitrary: fc.constant(16381), weight: 1 },
);

function sameTable(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function countsOf(table: Uint32Array): Map<number, number> {
  return new Map(maglevCounts(table).map((c) => [c.id, c.count]));
}

function sortedByHash(bs: readonly MaglevBackend[]): MaglevBackend[] {
  return [...bs].sort((a, b) => (maglevHashString(a) < maglevHashString(b) ? -1 : 1));
}

describe('Maglev consistency', () => {
  test.prop(
    [
      tableSize.chain((m) =>
        backendSet(1, 40).chain((bs) =>
          fc.tuple(fc.constant(m), fc.constant(bs), fc.shuffledSubarray(bs, { minLength: bs.length, maxLength: bs.length })),
        ),
      ),
    ],
    RUNS,
  )('the same backend set in any order gives the same table (every node agrees)', ([m, bs, shuffled]) => {
    const a = maglevTable(bs, { tableSize: m });
    const b = maglevTable(shuffled, { tableSize: m });
    expect(sameTable(a, b)).toBe(true);
  });

  test.prop([tableSize, backendSet(1, 30), fc.integer({ min: 1, max: 1_000_000 })], RUNS)(
    'nodes with other backend IDs build the same table up to the renaming',
    (m, bs, shift) => {
      const a = maglevTable(bs, { tableSize: m });
      const rename = new Map(bs.map((b, i) => [b.id, i + shift]));
      const b = maglevTable(
        bs.map((x) => ({ ...x, id: rename.get(x.id)! })),
        { tableSize: m },
      );
      expect(sameTable(b, Uint32Array.from(a, (id) => rename.get(id)!))).toBe(true);
    },
  );
});

describe('Maglev against a plain transcription of Cilium', () => {
  const weightsFor = (n: number) =>
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.constant(100),
      ),
      { minLength: n, maxLength: n },
    );
  test.prop(
    [
      fc.constantFrom(251, 509),
      backendSet(1, 25).chain((bs) =>
        fc.oneof(
          fc.constant(bs),
          weightsFor(bs.length).map((ws) => bs.map((b, i) => ({ ...b, weight: ws[i]! }))),
          // one dominant weight among light ones (many passed turns)
          fc.nat(bs.length - 1).map((h) => bs.map((b, i) => ({ ...b, weight: i === h ? 65535 : 1 }))),
        ),
      ),
    ],
    RUNS,
  )('same table as the materialising, scanning algorithm (weights included)', (m, bs) => {
    expect(sameTable(maglevTable(bs, { tableSize: m }), oracleTable(bs, m))).toBe(true);
  });
});

describe('Maglev balance', () => {
  test.prop([tableSize, backendSet(1, 60), fc.constantFrom<number | undefined>(undefined, 1, 100, 7)], RUNS)(
    'equal weights: each backend owns ⌊M/N⌋ or ⌈M/N⌉ entries, the first M mod N in hash order the larger',
    (m, bs, w) => {
      const set = w === undefined ? bs : bs.map((b) => ({ ...b, weight: w }));
      const counts = countsOf(maglevTable(set, { tableSize: m }));
      const n = set.length;
      const lo = Math.floor(m / n);
      sortedByHash(set).forEach((b, i) => {
        expect(counts.get(b.id)).toBe(i < m % n ? lo + 1 : lo);
      });
    },
  );

  test.prop(
    [
      tableSize,
      backendSet(1, 40).chain((bs) =>
        fc
          .array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 65535 })), {
            minLength: bs.length,
            maxLength: bs.length,
          })
          .map((ws) => bs.map((b, i) => ({ ...b, weight: ws[i]! }))),
      ),
    ],
    RUNS,
  )("weights: Cilium's turn rule bounds every share", (m, bs) => {
    const n = bs.length;
    const s = bs.reduce((acc, b) => acc + b.weight!, 0);
    const counts = countsOf(maglevTable(bs, { tableSize: m }));
    let total = 0;
    for (const b of bs) {
      const got = counts.get(b.id) ?? 0;
      total += got;
      const w = b.weight!;
      if (Math.floor(s / n) <= 1) {
        // weights not in use (sum/N <= 1): plain rotation
        expect(Math.abs(got - m / n)).toBeLessThan(1);
        continue;
      }
      // every backend takes its turn in the first round (M >= N), a zero weight never again
      expect(got).toBeGreaterThanOrEqual(1);
      if (w === 0) expect(got).toBe(1);
      // t-th turn needs (n+1)·w >= trunc(w/N + (t-1)·S): got < 1 + (M·w - w/N + 1)/S
      expect(got).toBeLessThan(1 + (m * w - w / n + 1) / s + 1e-6);
      // and the others' upper bounds leave at least M·w/S - (N-1)(1 + 1/S)
      expect(got).toBeGreaterThan((m * w) / s - (n - 1) * (1 + 1 / s) - 1e-6);
    }
    expect(total).toBe(m);
  });
});

describe('Maglev disruption', () => {
  /** Table sizes and N with 100·N < M. */
  const sized = fc
    .oneof(
      { arbitrary: fc.constantFrom(509, 1021), weight: 40 },
      { arbitrary: fc.constant(2039), weight: 10 },
      { arbitrary: fc.constant(16381), weight: 1 },
    )
    .chain((m) => fc.tuple(fc.constant(m), backendSet(3, Math.min(Math.floor((m - 1) / 100) + 1, 41))));

  /** Share of the entries not owned by `changed` in `before` whose owner differs in `after`. */
  function movedShare(before: Uint32Array, after: Uint32Array, changed: number): number {
    let others = 0;
    let moved = 0;
    for (let k = 0; k < before.length; k++) {
      if (before[k] !== changed && after[k] !== changed) {
        others++;
        if (after[k] !== before[k]) moved++;
      }
    }
    return moved / others;
  }

  function removeOne(m: number, bs: readonly MaglevBackend[], pick: number) {
    const gone = bs[pick % bs.length]!;
    const rest = bs.filter((b) => b !== gone);
    return { gone, rest, before: maglevTable(bs, { tableSize: m }), after: maglevTable(rest, { tableSize: m }) };
  }

  test.prop([sized, fc.nat()], RUNS)("removing one of N: all of its entries go to the survivors", ([m, all], pick) => {
    const { gone, rest, before, after } = removeOne(m, all.slice(0, -1), pick);
    const survivors = new Set(rest.map((b) => b.id));
    let freed = 0;
    let strays = 0;
    for (let k = 0; k < m; k++) {
      if (!survivors.has(after[k]!)) strays++;
      if (before[k] === gone.id) freed++;
    }
    expect(strays).toBe(0);
    expect(freed).toBeGreaterThanOrEqual(Math.floor(m / (rest.length + 1)));
  });

  test.prop([sized], RUNS)('adding one: its ⌊M/(N+1)⌋ or more entries all come from the others', ([m, all]) => {
    const added = all[all.length - 1]!;
    const before = maglevTable(all.slice(0, -1), { tableSize: m });
    const after = maglevTable(all, { tableSize: m });
    let taken = 0;
    let before0 = 0;
    for (let k = 0; k < m; k++) {
      if (after[k] === added.id) taken++;
      if (before[k] === added.id) before0++;
    }
    expect(before0).toBe(0);
    expect(taken).toBeGreaterThanOrEqual(Math.floor(m / all.length));
  });

  // Cilium's Maglev does NOT keep the moved share of the other entries below 1% for every
  // removal or addition with 100·N < M: a change of the turn order can move up to ~50% at
  // M=509, N=3 (rarely), and the average at M=16381, N=163 is ~1.7% (docs/maglev.md). The
  // real algorithm does so, hence so does the model. What holds is a small average share; it is
  // checked over a fixed sample (deterministic seed) so the test cannot flake on the tail.
  const sample = fc.sample(fc.tuple(sized, fc.nat()), { numRuns: 1000, seed: 20250 });

  it('on average, removing one of N moves under 5% of the other entries (under 1.5% at M=16381)', () => {
    let sum = 0;
    let big = 0;
    let bigCount = 0;
    for (const [[m, all], pick] of sample) {
      const { gone, before, after } = removeOne(m, all.slice(0, -1), pick);
      const share = movedShare(before, after, gone.id);
      sum += share;
      if (m === 16381) {
        big += share;
        bigCount++;
      }
    }
    expect(sum / sample.length).toBeLessThan(0.05);
    if (bigCount > 0) expect(big / bigCount).toBeLessThan(0.015);
  });

  it('on average, adding one moves under 5% of the entries it leaves to the others', () => {
    let sum = 0;
    for (const [[m, all]] of sample) {
      const added = all[all.length - 1]!;
      sum += movedShare(maglevTable(all.slice(0, -1), { tableSize: m }), maglevTable(all, { tableSize: m }), added.id);
    }
    expect(sum / sample.length).toBeLessThan(0.05);
  });
});

describe('Maglev per-packet choice', () => {
  const flow = fc.record({
    saddr: fc.oneof(ipv4, ipv6),
    sport: fc.integer({ min: 0, max: 65535 }),
    dport: fc.integer({ min: 0, max: 65535 }),
    protocol: fc.constantFrom<'TCP' | 'UDP' | 'SCTP'>('TCP', 'UDP', 'SCTP'),
    sessionAffinity: fc.boolean(),
  });

  test.prop([flow, tableSize], RUNS)('the slot is in range and session affinity ignores the client port', (f, m) => {
    const slot = maglevSlot(f, undefined, m);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(slot).toBeLessThan(m);
    if (f.sessionAffinity) expect(maglevSlot({ ...f, sport: (f.sport + 1) & 0xffff }, undefined, m)).toBe(slot);
  });

  test.prop([flow, backendSet(1, 20).chain((bs) => fc.tuple(fc.constant(bs), fc.shuffledSubarray(bs, { minLength: bs.length })))], {
    numRuns: 1000,
  })('a flow picks the same backend whichever node it enters', (f, [bs, shuffled]) => {
    const a = maglevTable(bs, { tableSize: 1021 });
    const b = maglevTable(shuffled, { tableSize: 1021 });
    expect(maglevBackendFor(b, f)).toBe(maglevBackendFor(a, f));
  });
});
