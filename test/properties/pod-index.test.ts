/**
 * The pod index (issue 10: finding a selector's pods without scanning every pod) never loses a
 * pod: for any pods and any selector, the index's candidates of a namespace that match the
 * selector are exactly the namespace's matching pods, in input order. Label keys and values
 * include `__proto__`, `constructor` and the empty string.
 */
import { expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { PodIndex } from '../../src/cluster/build.js';
import { matchesLabels } from '../../src/cluster/selector.js';
import type { Pod, StringMap } from '../../src/input/types.js';

const word = fc.constantFrom('app', 'tier', '__proto__', 'constructor', 'toString', '', 'web', 'db', 'a\u0000b', '["x"]');
/** A null-prototype string map, as the decoder makes them. */
const labels: fc.Arbitrary<StringMap> = fc
  .array(fc.tuple(word, word), { maxLength: 4 })
  .map((kv) => {
    const m = Object.create(null) as Record<string, string>;
    for (const [k, v] of kv) m[k] = v;
    return m;
  });
const namespace = fc.constantFrom<string | undefined>(undefined, 'default', 'ns-1', '__proto__');
const pods = fc.array(
  fc.record({ namespace, labels }).map(({ namespace, labels }) => ({ meta: { name: 'p', labels, ...(namespace !== undefined ? { namespace } : {}) } }) as unknown as Pod),
  { maxLength: 30 },
);

test.prop([pods, fc.constantFrom('default', 'ns-1', '__proto__', 'other'), labels], { numRuns: 1000 })(
  'PodIndex candidates hold every pod a selector matches, in input order',
  (ps, ns, selector) => {
    const got = new PodIndex(ps).candidates(ns, selector).filter((p) => (p.meta.namespace ?? 'default') === ns && matchesLabels(selector, p.meta.labels));
    const want = ps.filter((p) => (p.meta.namespace ?? 'default') === ns && matchesLabels(selector, p.meta.labels));
    expect(got).toEqual(want);
  },
);
