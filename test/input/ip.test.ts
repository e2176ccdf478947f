import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { IPv4, IPv4CidrRange, IPv6 } from 'ip-num';
import { compareIp, ipv4FromU32, parseIp, parsePrefix, prefixContains } from '../../src/net/addr.js';

describe('addresses', () => {
  test.prop([fc.integer({ min: 0, max: 0xffffffff })], { numRuns: 1000 })('ipv4FromU32 builds what IPv4.fromNumber builds', (n) => {
    const fast = ipv4FromU32(n);
    const slow = IPv4.fromNumber(n);
    expect(fast).toBeInstanceOf(IPv4);
    expect(Object.keys(fast)).toEqual(Object.keys(slow));
    expect(fast).toEqual(slow);
    expect(fast.toString()).toBe(slow.toString());
    expect(fast.isEquals(slow)).toBe(true);
    if (n < 0xffffffff) expect(fast.nextIPNumber().getValue()).toBe(slow.nextIPNumber().getValue());
  });

  test.prop([fc.ipV4()], { numRuns: 1000 })('parseIp reads dotted quads as ip-num does', (s) => {
    expect(parseIp(s)?.toString()).toBe(IPv4.fromDecimalDottedString(s).toString());
  });

  it('refuses what Go refuses: leading zeros, zones, junk', () => {
    for (const s of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.0.0.1', 'fe80::1%eth0', '', 'x', '1.2.3.4/24', ' 1.2.3.4']) expect(parseIp(s), s).toBeUndefined();
    expect(parseIp('fd00::1')).toBeInstanceOf(IPv6);
  });

  it('clears host bits of prefixes and refuses bad lengths', () => {
    expect(parsePrefix('172.20.0.5/24')?.toCidrString()).toBe('172.20.0.0/24');
    expect(parsePrefix('0.0.0.0/0')?.toCidrString()).toBe('0.0.0.0/0');
    expect(parsePrefix('fd00::1/64')?.toCidrString()).toBe('fd00:0:0:0:0:0:0:0/64');
    for (const s of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/024', '10.0.0.0', 'fd00::/129']) expect(parsePrefix(s), s).toBeUndefined();
    expect(parsePrefix('10.1.0.0/16')).toEqual(IPv4CidrRange.fromCidr('10.1.0.0/16'));
  });

  test.prop([fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 0xffffffff })], { numRuns: 1000 })(
    'prefixContains agrees with ip-num',
    (net, len, addr) => {
      const p = parsePrefix(`${IPv4.fromNumber(net).toString()}/${len}`)!;
      const a = ipv4FromU32(addr);
      expect(prefixContains(p, a)).toBe(p.contains(a));
    },
  );

  it('orders IPv4 before IPv6, then by value', () => {
    const xs = ['fd00::1', '10.0.0.2', '10.0.0.10', '::1'].map((s) => parseIp(s)!);
    expect(xs.sort(compareIp).map((a) => a.toString())).toEqual(['10.0.0.2', '10.0.0.10', '0:0:0:0:0:0:0:1', 'fd00:0:0:0:0:0:0:1']);
  });
});
