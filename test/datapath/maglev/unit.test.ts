import { describe, it, expect } from 'vitest';
import { IPv4, IPv6 } from 'ip-num';
import {
  MAGLEV_TABLE_SIZES,
  DEFAULT_MAGLEV_TABLE_SIZE,
  DEFAULT_MAGLEV_HASH_SEED,
  isMaglevTableSize,
  maglevTableSizeError,
  parseMaglevSeed,
  resolveMaglevSeed,
  decodeAddress,
  maglevHashString,
  maglevOffsetSkip,
  maglevTable,
  maglevFlowHash,
  maglevSlot,
  maglevBackendFor,
  maglevRuns,
  maglevRunString,
  maglevCounts,
  maglevGoSlice,
  murmur3x64_128,
  mod64,
  jhash3Words,
} from '../../../src/datapath/maglev/index.js';

describe('configuration', () => {
  it('table sizes are Cilium’s primes, default 16381', () => {
    expect(MAGLEV_TABLE_SIZES).toEqual([251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071]);
    expect(DEFAULT_MAGLEV_TABLE_SIZE).toBe(16381);
    for (const m of MAGLEV_TABLE_SIZES) {
      expect(isMaglevTableSize(m)).toBe(true);
      for (let d = 2; d * d <= m; d++) expect(m % d).not.toBe(0);
    }
    expect(isMaglevTableSize(16383)).toBe(false);
    expect(maglevTableSizeError(1000)).toBe(
      'Invalid value for --bpf-lb-maglev-table-size: 1000, supported values are: [251 509 1021 2039 4093 8191 16381 32749 65521 131071]',
    );
    expect(() => maglevTable([{ id: 1, address: '10.0.0.1', port: 80, protocol: 'TCP' }], { tableSize: 1000 })).toThrow(
      /supported values are/,
    );
  });

  it('seed: default words and the agent’s errors', () => {
    expect(DEFAULT_MAGLEV_HASH_SEED).toBe('JLfvgnHc2kaSUFaI');
    expect(parseMaglevSeed('JLfvgnHc2kaSUFaI')).toEqual({
      murmurSeed: 0x24b7ef82,
      jhashSeed0: 0x71dcda46,
      jhashSeed1: 0x92505688,
    });
    // 12 zero bytes
    expect(parseMaglevSeed('AAAAAAAAAAAAAAAA')).toEqual({ murmurSeed: 0, jhashSeed0: 0, jhashSeed1: 0 });
    expect(() => parseMaglevSeed('AAAA')).toThrow('decoded hash seed is 3 bytes (not 12 bytes)');
    expect(() => parseMaglevSeed('AAAAAAAAAAAAAAA=')).toThrow('decoded hash seed is 11 bytes (not 12 bytes)');
    expect(() => parseMaglevSeed('not base64!!')).toThrow(/^cannot decode base64 Maglev hash seed "not base64!!": illegal base64 data/);
    expect(resolveMaglevSeed(undefined)).toEqual(parseMaglevSeed(DEFAULT_MAGLEV_HASH_SEED));
    const custom = parseMaglevSeed('AQIDBAUGBwgJCgsM');
    expect(custom).toEqual({ murmurSeed: 0x01020304, jhashSeed0: 0x05060708, jhashSeed1: 0x090a0b0c });
    expect(resolveMaglevSeed(custom)).toBe(custom);
  });
});

describe('addresses and hash strings', () => {
  it('formats like Go netip', () => {
    expect(decodeAddress('fd00:0:0::1').text).toBe('fd00::1');
    expect(decodeAddress('2001:db8:0:0:1:0:0:1').text).toBe('2001:db8::1:0:0:1');
    expect(decodeAddress('2001:0:0:1:0:0:0:1').text).toBe('2001:0:0:1::1');
    expect(decodeAddress('::').text).toBe('::');
    expect(decodeAddress('::1').text).toBe('::1');
    expect(decodeAddress('1::').text).toBe('1::');
    expect(decodeAddress('1:0:2:3:4:5:6:7').text).toBe('1:0:2:3:4:5:6:7');
    expect(decodeAddress('FD00::ABCD').text).toBe('fd00::abcd');
    expect(decodeAddress('::ffff:10.0.0.1').text).toBe('::ffff:10.0.0.1');
    expect(decodeAddress(IPv4.fromString('10.9.0.1')).text).toBe('10.9.0.1');
    expect(decodeAddress(IPv6.fromString('fd00:10::5')).text).toBe('fd00:10::5');
    expect(Array.from(decodeAddress('192.168.10.200').bytes)).toEqual([192, 168, 10, 200]);
    expect(() => decodeAddress('10.0.0.01')).toThrow(RangeError);
    expect(() => decodeAddress('10.0.0')).toThrow(RangeError);
    expect(() => decodeAddress('nonsense')).toThrow(RangeError);
  });

  it('hash strings: IPv4, IPv6, internal scope, cluster ID', () => {
    expect(maglevHashString({ address: '172.20.1.76', port: 80, protocol: 'TCP' })).toBe('[172.20.1.76:80/TCP,State:active]');
    expect(maglevHashString({ address: 'fd00::1', port: 8080, protocol: 'UDP' })).toBe('[[fd00::1]:8080/UDP,State:active]');
    expect(maglevHashString({ address: IPv4.fromString('172.20.2.68'), port: 80, protocol: 'TCP', scope: 'internal' })).toBe(
      '[172.20.2.68:80/TCP/i,State:active]',
    );
    expect(maglevHashString({ address: '10.0.0.1', port: 80, protocol: 'TCP', clusterId: 2 })).toBe(
      '[10.0.0.1@2:80/TCP,State:active]',
    );
    expect(maglevHashString({ address: 'fd00::1', port: 80, protocol: 'TCP', clusterId: 7 })).toBe(
      '[[fd00::1@7]:80/TCP,State:active]',
    );
  });

  it('offset and skip come from h1 % M and h2 % (M-1) + 1', () => {
    const s = '[10.0.0.1:80/TCP,State:active]';
    const { h1, h2 } = murmur3x64_128(s, 0x24b7ef82);
    for (const m of MAGLEV_TABLE_SIZES) {
      expect(maglevOffsetSkip(s, m, 0x24b7ef82)).toEqual({
        offset: Number(h1 % BigInt(m)),
        skip: Number(h2 % BigInt(m - 1)) + 1,
      });
    }
    expect(mod64(0xffffffff, 0xffffffff, 131071)).toBe(Number(0xffffffffffffffffn % 131071n));
  });

  it('murmur3 over every tail length matches a BigInt reading of the same bytes', () => {
    // consistency across block boundaries: hashing a prefix is deterministic and lengths differ
    const seen = new Set<string>();
    for (let len = 0; len <= 40; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
      const { h1, h2 } = murmur3x64_128(bytes, 0x24b7ef82);
      seen.add(`${h1.toString()}/${h2.toString()}`);
      expect(h1 < 1n << 64n && h2 < 1n << 64n).toBe(true);
    }
    expect(seen.size).toBe(41);
  });
});

describe('table', () => {
  const three = [
    { id: 11, address: '172.20.0.28', port: 80, protocol: 'TCP' },
    { id: 12, address: '172.20.1.76', port: 80, protocol: 'TCP' },
    { id: 13, address: '172.20.2.68', port: 80, protocol: 'TCP' },
  ];

  it('default size and seed; weight 100 equals unweighted', () => {
    const t = maglevTable(three);
    expect(t).toBeInstanceOf(Uint32Array);
    expect(t.length).toBe(16381);
    const w1 = maglevTable(three.map((b) => ({ ...b, weight: 1 })));
    expect(Array.from(t)).toEqual(Array.from(w1));
    const explicit = maglevTable(three, { tableSize: 16381, hashSeed: 'JLfvgnHc2kaSUFaI' });
    expect(Array.from(explicit)).toEqual(Array.from(t));
  });

  it('every supported size builds a full, balanced table', () => {
    for (const m of MAGLEV_TABLE_SIZES) {
      const t = maglevTable(three, { tableSize: m });
      expect(t.length).toBe(m);
      const counts = maglevCounts(t).map((c) => c.count);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(m);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('the seed changes the table', () => {
    const a = maglevTable(three, { tableSize: 251 });
    const b = maglevTable(three, { tableSize: 251, hashSeed: 'AQIDBAUGBwgJCgsM' });
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('IDs only label the table: renumbering relabels entries', () => {
    const a = maglevTable(three, { tableSize: 509 });
    const b = maglevTable(three.map((x) => ({ ...x, id: x.id + 100 })), { tableSize: 509 });
    expect(Array.from(b)).toEqual(Array.from(a, (x) => x + 100));
  });

  it('empty backend set gives an empty table', () => {
    expect(maglevTable([]).length).toBe(0);
  });

  it('weight 0 among weighted backends gets exactly one entry (first round)', () => {
    const t = maglevTable(
      [
        { ...three[0]!, weight: 0 },
        { ...three[1]!, weight: 100 },
        { ...three[2]!, weight: 100 },
      ],
      { tableSize: 1021 },
    );
    const counts = new Map(maglevCounts(t).map((c) => [c.id, c.count]));
    expect(counts.get(11)).toBe(1);
    expect((counts.get(12) ?? 0) + (counts.get(13) ?? 0)).toBe(1020);
  });

  it('all weights 0 or 1 → unweighted round robin', () => {
    const zero = maglevTable(three.map((b) => ({ ...b, weight: 0 })), { tableSize: 251 });
    const one = maglevTable(three.map((b) => ({ ...b, weight: 1 })), { tableSize: 251 });
    expect(Array.from(zero)).toEqual(Array.from(one));
  });

  it('rejects bad input', () => {
    expect(() => maglevTable([{ id: -1, address: '10.0.0.1', port: 80, protocol: 'TCP' }])).toThrow(RangeError);
    expect(() => maglevTable([{ id: 1, address: '10.0.0.1', port: 70000, protocol: 'TCP' }])).toThrow(RangeError);
    expect(() => maglevTable([{ id: 1, address: '10.0.0.1', port: 80, protocol: 'TCP', weight: 1.5 }])).toThrow(RangeError);
    expect(() => maglevTable([{ id: 1, address: 'x', port: 80, protocol: 'TCP' }])).toThrow(RangeError);
    expect(() => maglevTable([{ id: 1, address: '10.0.0.1', port: 80, protocol: 'T CP' }])).toThrow(RangeError);
  });

  it('summaries', () => {
    const t = Uint32Array.from([3, 1, 1, 2, 2, 2]);
    expect(maglevRuns(t)).toEqual([
      { id: 3, count: 1 },
      { id: 1, count: 2 },
      { id: 2, count: 3 },
    ]);
    expect(maglevRunString(t)).toBe('3(1),1(2),2(3)');
    expect(maglevCounts(t)).toEqual([
      { id: 2, count: 3 },
      { id: 1, count: 2 },
      { id: 3, count: 1 },
    ]);
    expect(maglevGoSlice(t)).toBe('[3 1 1 2 2 2]');
    expect(maglevRuns([])).toEqual([]);
  });
});

describe('per-packet slot', () => {
  const flow = { saddr: '192.168.10.200', sport: 45678, dport: 80, protocol: 'TCP' as const };

  it('is jhash_3words(LE saddr, LE dport<<16 | LE sport, proto, seed word 1) % M', () => {
    // 192.168.10.200 read little-endian; ports byte-swapped
    const a = (192 | (168 << 8) | (10 << 16) | (200 << 24)) >>> 0;
    const sport = ((45678 & 0xff) << 8) | (45678 >>> 8);
    const dport = ((80 & 0xff) << 8) | (80 >>> 8);
    const h = jhash3Words(a, ((dport << 16) | sport) >>> 0, 6, 0x71dcda46);
    expect(maglevFlowHash(flow)).toBe(h);
    expect(maglevSlot(flow, undefined, 16381)).toBe(h % 16381);
    expect(maglevSlot(flow, 'JLfvgnHc2kaSUFaI', 251)).toBe(h % 251);
  });

  it('session affinity ignores the client port; the seed matters', () => {
    const x = maglevFlowHash({ ...flow, sessionAffinity: true });
    const y = maglevFlowHash({ ...flow, sport: 1, sessionAffinity: true });
    expect(x).toBe(y);
    expect(maglevFlowHash({ ...flow, sport: 1 })).not.toBe(maglevFlowHash(flow));
    expect(maglevFlowHash(flow, 'AQIDBAUGBwgJCgsM')).not.toBe(maglevFlowHash(flow));
    expect(maglevFlowHash({ ...flow, protocol: 17 })).toBe(maglevFlowHash({ ...flow, protocol: 'UDP' }));
  });

  it('selects the backend in the table', () => {
    const table = maglevTable(
      [
        { id: 1, address: '172.20.1.76', port: 80, protocol: 'TCP' },
        { id: 2, address: '172.20.2.68', port: 80, protocol: 'TCP' },
      ],
      { tableSize: 251 },
    );
    expect(maglevBackendFor(table, flow)).toBe(table[maglevSlot(flow, undefined, 251)]);
    expect(maglevBackendFor(new Uint32Array(0), flow)).toBe(0);
  });

  it('rejects bad flows', () => {
    expect(() => maglevFlowHash({ ...flow, sport: -1 })).toThrow(RangeError);
    expect(() => maglevFlowHash({ ...flow, protocol: 300 })).toThrow(RangeError);
    expect(() => maglevSlot(flow, undefined, 0)).toThrow(RangeError);
  });
});
