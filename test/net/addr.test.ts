import { describe, it, expect } from 'vitest';
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from 'ip-num';
import {
  bitLength,
  compareIp,
  comparePrefix,
  familyOf,
  formatIp,
  formatPrefix,
  hostPrefix,
  inPrefix,
  ipFromValue,
  ipv4FromU32,
  ipv4Prefix,
  ipv4ToU32,
  ipv4Value,
  isIPv4,
  isIPv4Prefix,
  isUnspecified,
  joinHostPort,
  lastValue,
  maskOf,
  maskedPrefix,
  networkValue,
  parseIp,
  parsePrefix,
  parsePrefix4,
  prefix4Of,
  prefixContains,
  prefixCovers,
  prefixLength,
  prefixNetwork,
  sameIp,
  u32ToIpv4,
  unspecified,
} from '../../src/net/addr.js';

const v4 = (s: string): IPv4 => IPv4.fromString(s);
const v6 = (s: string): IPv6 => IPv6.fromString(s);
const p4 = (s: string): IPv4CidrRange => IPv4CidrRange.fromCidr(s);
const p6 = (s: string): IPv6CidrRange => IPv6CidrRange.fromCidr(s);

describe('families', () => {
  it('tells IPv4 from IPv6 for addresses and prefixes', () => {
    expect(familyOf(v4('10.0.0.1'))).toBe(4);
    expect(familyOf(v6('fd00::1'))).toBe(6);
    expect(familyOf(p4('10.0.0.0/8'))).toBe(4);
    expect(familyOf(p6('fd00::/64'))).toBe(6);
    expect(isIPv4(v4('1.2.3.4'))).toBe(true);
    expect(isIPv4(v6('::1'))).toBe(false);
    expect(isIPv4Prefix(p4('10.0.0.0/8'))).toBe(true);
    expect(isIPv4Prefix(p6('fd00::/8'))).toBe(false);
    expect(bitLength(4)).toBe(32);
    expect(bitLength(6)).toBe(128);
  });
});

describe('ordering and equality', () => {
  it('orders IPv4 before IPv6, then by value', () => {
    expect(compareIp(v4('255.255.255.255'), v6('::'))).toBeLessThan(0);
    expect(compareIp(v4('10.0.0.2'), v4('10.0.0.10'))).toBeLessThan(0);
    expect(compareIp(v4('10.0.0.2'), v4('10.0.0.2'))).toBe(0);
  });
  it('orders prefixes by family, network, then length', () => {
    expect(comparePrefix(p4('10.0.0.0/8'), p4('10.0.0.0/24'))).toBeLessThan(0);
    expect(comparePrefix(p4('10.0.1.0/24'), p4('10.0.0.0/8'))).toBeGreaterThan(0);
    expect(comparePrefix(p4('255.0.0.0/8'), p6('::/0'))).toBeLessThan(0);
    expect(comparePrefix(p4('10.0.0.0/8'), p4('10.0.0.0/8'))).toBe(0);
  });
  it('compares family and value; undefined only equals undefined', () => {
    expect(sameIp(v4('1.1.1.1'), v4('1.1.1.1'))).toBe(true);
    expect(sameIp(v4('0.0.0.0'), v6('::'))).toBe(false);
    expect(sameIp(v4('1.1.1.1'), undefined)).toBe(false);
    expect(sameIp(undefined, undefined)).toBe(true);
  });
});

describe('text', () => {
  it('compresses IPv6 as Go and inet_ntop do', () => {
    expect(formatIp(v6('fd00:0:0:0:0:0:0:1'))).toBe('fd00::1');
    expect(formatIp(v6('0:0:0:0:0:0:0:0'))).toBe('::');
    expect(formatIp(v6('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatIp(v6('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIp(v6('2001:db8:0:1:0:0:0:1'))).toBe('2001:db8:0:1::1');
    expect(formatIp(v6('0:0:0:0:0:ffff:a00:1'))).toBe('::ffff:10.0.0.1');
    expect(formatIp(v4('10.0.0.1'))).toBe('10.0.0.1');
  });
  it('prints prefixes with host bits cleared', () => {
    expect(formatPrefix(p4('192.168.10.100/24'))).toBe('192.168.10.0/24');
    expect(formatPrefix(p6('fd00:0:0:0:0:0:0:0/64'))).toBe('fd00::/64');
  });
  it('joins host and port', () => {
    expect(joinHostPort(v4('10.0.0.1'), 80)).toBe('10.0.0.1:80');
    expect(joinHostPort(v6('fd00::1'), 80)).toBe('[fd00::1]:80');
    expect(joinHostPort(ipv4ToU32('172.16.1.1')!, 8080)).toBe('172.16.1.1:8080');
  });
});

describe('parsing', () => {
  it('parses addresses strictly, as Go netip does', () => {
    expect(parseIp('192.168.10.100')?.toString()).toBe('192.168.10.100');
    expect(formatIp(parseIp('fd00::1')!)).toBe('fd00::1');
    for (const bad of ['010.0.0.1', '256.0.0.1', '1.2.3', 'fe80::1%eth0', 'x', '', '1.2.3.4/32']) expect(parseIp(bad)).toBeUndefined();
  });
  it('builds the same IPv4 object as ip-num', () => {
    const a = ipv4FromU32(167772161);
    expect(a).toBeInstanceOf(IPv4);
    expect(a.toString()).toBe('10.0.0.1');
    expect(a.value).toBe(IPv4.fromNumber(167772161n).value);
    expect(ipv4Value(a)).toBe(167772161);
  });
  it('parses prefixes and clears host bits', () => {
    expect(parsePrefix('172.20.0.5/24')?.toCidrString()).toBe('172.20.0.0/24');
    expect(formatPrefix(parsePrefix('fd00::7/64')!)).toBe('fd00::/64');
    for (const bad of ['172.20.0.5', '10.0.0.0/33', '10.0.0.0/08', 'fd00::/129', 'x/8']) expect(parsePrefix(bad)).toBeUndefined();
  });
});

describe('prefixes', () => {
  it('gives length, network and last address', () => {
    const p = p4('10.0.0.7/30');
    expect(prefixLength(p)).toBe(30);
    expect(networkValue(p)).toBe(167772164n);
    expect(prefixNetwork(p).toString()).toBe('10.0.0.4');
    expect(lastValue(p)).toBe(167772167n);
    expect(lastValue(p4('0.0.0.0/0'))).toBe(0xffffffffn);
  });
  it('tests containment and covering within one family', () => {
    expect(prefixContains(p4('10.0.0.0/8'), v4('10.1.2.3'))).toBe(true);
    expect(prefixContains(p4('10.0.0.0/8'), v4('11.1.2.3'))).toBe(false);
    expect(prefixContains(p4('0.0.0.0/0'), v4('11.1.2.3'))).toBe(true);
    expect(prefixContains(p4('0.0.0.0/0'), v6('::'))).toBe(false);
    expect(prefixCovers(p4('10.0.0.0/8'), p4('10.1.0.0/16'))).toBe(true);
    expect(prefixCovers(p4('10.1.0.0/16'), p4('10.0.0.0/8'))).toBe(false);
    expect(prefixCovers(p4('0.0.0.0/0'), p6('::/0'))).toBe(false);
  });
  it('builds masked and host prefixes', () => {
    expect(formatPrefix(maskedPrefix(v4('192.168.10.100'), 24))).toBe('192.168.10.0/24');
    expect(formatPrefix(maskedPrefix(v6('fd00::1:2'), 112))).toBe('fd00::1:0/112');
    expect(formatPrefix(maskedPrefix(v4('1.2.3.4'), 0))).toBe('0.0.0.0/0');
    expect(formatPrefix(hostPrefix(v4('172.20.0.1')))).toBe('172.20.0.1/32');
    expect(formatPrefix(hostPrefix(v6('fd00::1')))).toBe('fd00::1/128');
    expect(ipv4Prefix(0xac140105, 16).toCidrString()).toBe('172.20.0.0/16');
    // the same values as ip-num computes itself
    const p = maskedPrefix(v4('10.9.8.7'), 20);
    expect(networkValue(p)).toBe(p.getFirst().value);
  });
});

describe('values', () => {
  it('builds addresses from values; unspecified addresses', () => {
    expect(ipFromValue(4, 167772161n).toString()).toBe('10.0.0.1');
    expect(formatIp(ipFromValue(6, 1n))).toBe('::1');
    expect(formatIp(unspecified(4))).toBe('0.0.0.0');
    expect(formatIp(unspecified(6))).toBe('::');
    expect(isUnspecified(unspecified(6))).toBe(true);
    expect(isUnspecified(v4('0.0.0.1'))).toBe(false);
  });
});

describe('IPv4 as 32-bit numbers', () => {
  it('round-trips text and numbers', () => {
    expect(ipv4ToU32('192.168.10.200')).toBe(3232238280);
    expect(u32ToIpv4(3232238280)).toBe('192.168.10.200');
    expect(ipv4ToU32('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['::1', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '']) expect(ipv4ToU32(bad)).toBeUndefined();
  });
  it('masks, parses and tests numeric prefixes', () => {
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(0)).toBe(0);
    expect(maskOf(32)).toBe(0xffffffff);
    expect(parsePrefix4('172.20.1.7/24')).toEqual({ addr: ipv4ToU32('172.20.1.0'), len: 24 });
    expect(parsePrefix4('default')).toEqual({ addr: 0, len: 0 });
    expect(parsePrefix4('10.0.0.1')).toEqual({ addr: ipv4ToU32('10.0.0.1'), len: 32 });
    expect(parsePrefix4('10.0.0.1/33')).toBeUndefined();
    expect(prefix4Of(p4('10.0.0.0/8'))).toEqual({ addr: 167772160, len: 8 });
    expect(inPrefix(ipv4ToU32('172.20.1.76')!, parsePrefix4('172.20.0.0/16')!)).toBe(true);
    expect(inPrefix(ipv4ToU32('172.21.1.76')!, parsePrefix4('172.20.0.0/16')!)).toBe(false);
  });
});
