/**
 * Vitest setup: compare ip-num values by their text. ip-num ranges are iterable over every
 * address they hold, so the default deep equality would walk 2^32 addresses for 0.0.0.0/0.
 */
import { expect } from 'vitest';
import { AbstractIPNum, IPv4CidrRange, IPv6CidrRange } from 'ip-num';

function ipText(v: unknown): string | undefined {
  if (v instanceof IPv4CidrRange || v instanceof IPv6CidrRange) return `range:${v.toCidrString()}`;
  if (v instanceof AbstractIPNum) return `ip:${v.toString()}`;
  return undefined;
}

expect.addEqualityTesters([
  function ipNumEquals(a: unknown, b: unknown): boolean | undefined {
    const ta = ipText(a);
    const tb = ipText(b);
    if (ta === undefined && tb === undefined) return undefined;
    return ta === tb;
  },
]);
