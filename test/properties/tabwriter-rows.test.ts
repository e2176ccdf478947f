/**
 * `tabwriteRows` (one pass over uniform rows, issue 10) prints exactly what `tabwrite` prints for
 * the same tab-terminated lines: uniform rows, ragged rows, cells holding tabs, newlines,
 * surrogate pairs and empty cells, under both writers' settings.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { CILIUM_TABWRITER, KUBECTL_TABWRITER, tabwrite, tabwriteRows } from '../../src/views/tabwriter.js';

const cell = fc.oneof(
  fc.constantFrom('', 'a', '10.96.0.1:80/TCP (0)', '0.0.0.0:0 (4) (0) [ClusterIP, non-routable] ', '😀x', 'é'),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a\tb', 'x\ny'),
);

describe('tabwriteRows', () => {
  test.prop([fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(fc.oneof({ weight: 5, arbitrary: fc.array(cell, { minLength: n, maxLength: n }) }, { weight: 1, arbitrary: fc.array(cell, { maxLength: 5 }) }), { maxLength: 8 })), fc.boolean()], { numRuns: 1000 })(
    'equals tabwrite of the tab-terminated lines',
    (rows, kubectl) => {
      const opts = kubectl ? KUBECTL_TABWRITER : CILIUM_TABWRITER;
      expect(tabwriteRows(rows, opts)).toBe(tabwrite(rows.map((r) => `${r.join('\t')}\t`), opts));
    },
  );
});
