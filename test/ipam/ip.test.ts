import { describe, it, expect } from 'vitest';
import { IPv6 } from 'ip-num';
import { formatIp, joinHostPort, compareIp } from '../../src/ipam/ip.js';
import { ip } from './fixtures.js';

describe('formatIp', () => {
  it('compresses IPv6 as Go does', () => {
    expect(formatIp(IPv6.fromString('fd00:0:0:0:0:0:0:1'))).toBe('fd00::1');
    expect(formatIp(IPv6.fromString('0:0:0:0:0:0:0:0'))).toBe('::');
    expect(formatIp(IPv6.fromString('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatIp(IPv6.fromString('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIp(IPv6.fromString('0:0:0:0:0:ffff:a00:1'))).toBe('::ffff:10.0.0.1');
  });
  it('joins host and port', () => {
    expect(joinHostPort(ip('10.0.0.1'), 80)).toBe('10.0.0.1:80');
    expect(joinHostPort(ip('fd00::1'), 80)).toBe('[fd00::1]:80');
  });
  it('orders IPv4 before IPv6', () => {
    expect(compareIp(ip('255.255.255.255'), ip('::'))).toBeLessThan(0);
  });
});
