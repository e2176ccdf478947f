import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { TupleMap, compareEntryKeys, compareStrings } from '../../src/net/index.js';

describe('TupleMap', () => {
  it('keys are compared part by part, not as joined strings', () => {
    const m = new TupleMap<readonly [string, string], number>();
    m.set(['a/b', 'c'], 1);
    m.set(['a', 'b/c'], 2);
    expect(m.size).toBe(2);
    expect(m.get(['a/b', 'c'])).toBe(1);
    expect(m.get(['a', 'b/c'])).toBe(2);
    expect(m.get(['a', 'b'])).toBeUndefined();
  });
  it('tuples of different lengths are different keys; values keep insertion order', () => {
    const m = new TupleMap<readonly number[], string>();
    m.set([1, 2], 'x').set([1], 'y').set([1, 2], 'z');
    expect([...m.values()]).toEqual(['z', 'y']);
    expect(m.has([1])).toBe(true);
    expect(m.has([])).toBe(false);
    expect(m.getOrSet([], () => 'e')).toBe('e');
    expect(m.getOrSet([1], () => 'no')).toBe('y');
  });
  fcTest.prop([fc.array(fc.tuple(fc.string(), fc.integer(), fc.bigInt()), { maxLength: 30 })])('agrees with a Map over JSON keys', (keys) => {
    const m = new TupleMap<readonly [string, number, bigint], number>();
    const ref = new Map<string, number>();
    keys.forEach((k, i) => {
      m.set(k, i);
      ref.set(JSON.stringify([k[0], k[1], k[2].toString()]), i);
    });
    expect(m.size).toBe(ref.size);
    for (const k of keys) expect(m.get(k)).toBe(ref.get(JSON.stringify([k[0], k[1], k[2].toString()])));
  });
});

describe('compareStrings', () => {
  it('orders by code unit, not locale', () => {
    expect(['b', 'a', 'B', 'ä'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'ä']);
    expect([['y', 1], ['x', 2]].sort(compareEntryKeys as (a: unknown, b: unknown) => number)).toEqual([['x', 2], ['y', 1]]);
  });
});
