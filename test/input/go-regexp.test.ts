import { describe, expect, it } from 'vitest';
import { compileGoRegexp } from '../../src/input/go-regexp.js';

function matches(re: string, text: string): boolean {
  const c = compileGoRegexp(re);
  if (!c.ok) throw new Error(c.error);
  return c.regexp.test(text);
}

function error(re: string): string {
  const c = compileGoRegexp(re);
  if (c.ok) throw new Error(`${re} compiled`);
  return c.error;
}

describe('Go regular expressions (interfaces of CiliumL2AnnouncementPolicy)', () => {
  it('match unanchored, as MatchString', () => {
    expect(matches('eth', 'veth0')).toBe(true);
    expect(matches('^eth[0-9]+', 'eth1')).toBe(true);
    expect(matches('^eth[0-9]+', 'veth1')).toBe(false);
    expect(matches('^eth1$', 'eth10')).toBe(false);
  });

  it('translate RE2-only syntax', () => {
    expect(matches('\\Aeth1\\z', 'eth1')).toBe(true);
    expect(matches('\\Aeth1\\z', 'eth12')).toBe(false);
    expect(matches('(?i)^ETH', 'eth0')).toBe(true);
    expect(matches('^[[:alpha:]]+[[:digit:]]$', 'bond0')).toBe(true);
    expect(matches('^(?P<kind>eth|bond)[0-9]$', 'bond1')).toBe(true);
    expect(matches('\\Qeth.1\\E', 'eth.1')).toBe(true);
    expect(matches('\\Qeth.1\\E', 'ethx1')).toBe(false);
    expect(matches('^eth\\x31$', 'eth1')).toBe(true);
    expect(matches('^a{2,3}$', 'aaa')).toBe(true);
    expect(matches('a{', 'a{')).toBe(true);
  });

  it("reject what Go's parser rejects, with Go's message", () => {
    expect(error('eth(?=1)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(error('eth(?!1)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?!`');
    expect(error('(?<=e)th')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?<=`');
    expect(error('[a')).toBe('error parsing regexp: missing closing ]: `[a`');
    expect(error('(eth')).toBe('error parsing regexp: missing closing ): `(eth`');
    expect(error('eth)')).toBe('error parsing regexp: unexpected ): `eth)`');
    expect(error('*eth')).toBe('error parsing regexp: missing argument to repetition operator: `*`');
    expect(error('eth**')).toBe('error parsing regexp: invalid nested repetition operator: `**`');
    expect(error('[z-a]')).toBe('error parsing regexp: invalid character class range: `z-a`');
    expect(error('(a)\\1')).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(error('\\y')).toBe('error parsing regexp: invalid escape sequence: `\\y`');
    expect(error('eth\\')).toBe('error parsing regexp: trailing backslash at end of expression: ``');
    expect(error('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
  });

  it('name what the model does not support', () => {
    expect(error('a(?i)b')).toContain('not supported by the model');
    expect(error('\\pL')).toContain('not supported by the model');
    expect(error('(?U)a+')).toContain('not supported by the model');
  });
});
