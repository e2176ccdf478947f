/**
 * Test helper: a canonical text of a decoded value, for equality checks.
 *
 * Why not `expect(a).toEqual(b)`: ip-num's `IPv4CidrRange`/`IPv6CidrRange` are iterable over every
 * address they hold, and vitest's deep equality walks iterables, so comparing two values that hold
 * `0.0.0.0/0` (a default route) or even a /8 never ends. This text writes ranges as CIDR strings,
 * addresses as dotted strings and bigints with an `n` suffix, so `toBe` on two texts is exact and fast.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v !== null && typeof v === 'object') {
      const o = v as { toCidrString?: () => string; type?: unknown; toString: () => string };
      if (typeof o.toCidrString === 'function') return `cidr:${o.toCidrString()}`;
      if ((o.type === 'IPv4' || o.type === 'IPv6') && typeof o.toString === 'function') return `ip:${o.toString()}`;
    }
    return v;
  });
}
