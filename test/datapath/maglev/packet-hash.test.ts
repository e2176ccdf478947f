/**
 * The packet walk (src/packet/hash.ts) carries its own copy of the per-packet Maglev hash; it
 * must agree with this module's maglevFlowHash for every IPv4 flow.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { maglevFlowHash, parseMaglevSeed } from '../../../src/datapath/maglev/index.js';
import { maglevSeeds } from '../../../src/packet/hash.js';
import { maglevPacketHash } from '../../../src/datapath/maglev/slot.js';

describe('packet walk hash = maglevFlowHash', () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 65535 }),
      fc.integer({ min: 0, max: 65535 }),
      fc.constantFrom<'TCP' | 'UDP' | 'SCTP'>('TCP', 'UDP', 'SCTP'),
      fc.boolean(),
      fc.constantFrom('JLfvgnHc2kaSUFaI', 'AQIDBAUGBwgJCgsM'),
    ],
    { numRuns: 1000 },
  )('same 32-bit hash', (ip, sport, dport, protocol, affinity, seedText) => {
    const seed = parseMaglevSeed(seedText);
    expect(maglevSeeds(seedText)).toEqual([seed.murmurSeed, seed.jhashSeed0, seed.jhashSeed1]);
    const saddr = `${String(ip >>> 24)}.${String((ip >>> 16) & 255)}.${String((ip >>> 8) & 255)}.${String(ip & 255)}`;
    const proto = { TCP: 6, UDP: 17, SCTP: 132 }[protocol];
    expect(maglevPacketHash(ip, affinity ? 0 : sport, dport, proto, seed.jhashSeed0)).toBe(
      maglevFlowHash({ saddr, sport, dport, protocol, sessionAffinity: affinity }, seed),
    );
  });
});
