import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4 } from 'ip-num';
import { maglevSeeds, flowHash } from '../../src/packet/hash.js';
import { jhash3Words } from '../../src/datapath/maglev/jhash.js';
import { maglevFlowHash, maglevPacketHash } from '../../src/datapath/maglev/slot.js';
import { multipathHash, hashThresholdSelect } from '../../src/fib/hash.js';
import { multipathHash4, thresholdMember } from '../../src/network/ecmp.js';
import { inPrefix, ipv4ToU32, parsePrefix4, u32ToIpv4 } from '../../src/net/addr.js';
import { natPort, repeatSourcePort, DEFAULT_SOURCE_PORT } from '../../src/packet/decisions.js';
import { dropReasonText } from '../../src/packet/drop-reasons.js';
import type { FibRoute } from '../../src/network/types.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 0, max: 65535 });

describe('hashes', () => {
  it('decodes the default Maglev seed', () => {
    expect(maglevSeeds('JLfvgnHc2kaSUFaI')).toEqual([0x24b7ef82, 0x71dcda46, 0x92505688]);
    expect(maglevSeeds('nope')).toBeUndefined();
  });

  it('reads addresses and ports as little-endian words of their network bytes', () => {
    // 10.0.0.1 is 0x0100000a, port 80 is 0x5000 (see src/datapath/maglev/slot.ts)
    expect(maglevPacketHash(0x0a000001, 0, 80, 6, 0x71dcda46)).toBe(jhash3Words(0x0100000a, 0x50000000, 6, 0x71dcda46));
  });

  test.prop([u32, port, port, fc.constantFrom(6, 17, 132)], { numRuns: 1000 })(
    'the per-packet Maglev hash equals the Maglev stage\'s',
    (saddr, sport, dport, proto) => {
      const ours = maglevPacketHash(saddr, sport, dport, proto, 0x71dcda46);
      const theirs = maglevFlowHash({ saddr: u32ToIpv4(saddr), sport, dport, protocol: proto });
      expect(ours).toBe(theirs);
    },
  );

  test.prop([u32, u32, port, port, fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 0x3f })], { numRuns: 1000 })(
    'the ECMP hash on numbers equals the FIB stage\'s multipathHash',
    (src, dst, sport, dport, policy, fields) => {
      const ours = multipathHash4(policy, { src, dst, sport, dport, proto: 6 }, fields);
      const theirs = multipathHash(policy, { family: 4, src: BigInt(src), dst: BigInt(dst), protocol: 6, sport, dport }, fields);
      expect(ours).toBe(theirs);
    },
  );

  test.prop([fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 1000 })(
    'hash-threshold selection equals the FIB stage\'s',
    (weights, hash) => {
      const route: FibRoute = { addr: 0, len: 0, type: 'unicast', nexthops: weights.map((w) => ({ gw: 1, dev: 'e', weight: w })), src: -1, metric: 0, proto: 'bgp' };
      expect(thresholdMember(route, hash)).toBe(hashThresholdSelect(weights, hash));
    },
  );

  test.prop([u32, u32, port, port], { numRuns: 1000 })('the flow hash is a 32-bit function of the 5-tuple', (s, d, sp, dp) => {
    const h = flowHash(s, d, sp, dp, 6);
    expect(h).toBe(flowHash(s, d, sp, dp, 6));
    expect(h >>> 0).toBe(h);
    expect(jhash3Words(s, d, 0, 0) >>> 0).toBe(jhash3Words(s, d, 0, 0));
  });
});

describe('addresses and decisions', () => {
  test.prop([u32], { numRuns: 1000 })('u32 ↔ text round trip, and ip-num agrees', (n) => {
    const t = u32ToIpv4(n);
    expect(ipv4ToU32(t)).toBe(n);
    expect(IPv4.fromNumber(BigInt(n)).toString()).toBe(t);
  });

  it('prefixes', () => {
    expect(parsePrefix4('172.20.1.7/24')).toEqual({ addr: ipv4ToU32('172.20.1.0'), len: 24 });
    expect(parsePrefix4('default')).toEqual({ addr: 0, len: 0 });
    expect(inPrefix(ipv4ToU32('172.20.1.76')!, parsePrefix4('172.20.0.0/16')!)).toBe(true);
    expect(inPrefix(ipv4ToU32('172.21.1.76')!, parsePrefix4('172.20.0.0/16')!)).toBe(false);
    expect(parsePrefix4('1.2.3.4/33')).toBeUndefined();
    expect(ipv4ToU32('256.1.1.1')).toBeUndefined();
  });

  it('source ports and NAT ports', () => {
    expect(repeatSourcePort(0)).toBe(DEFAULT_SOURCE_PORT);
    expect(repeatSourcePort(5)).toBe(DEFAULT_SOURCE_PORT + 5);
    expect(repeatSourcePort(0, 60999)).toBe(60999);
    expect(repeatSourcePort(1, 60999)).toBe(32768);
    expect(natPort(40000)).toBe(40000);
    expect(natPort(1234)).toBeGreaterThanOrEqual(32768);
    expect(dropReasonText(174)).toBe('Is a ClusterIP');
    expect(dropReasonText(999)).toBe('999');
  });
});
