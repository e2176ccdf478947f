import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { matchesLabels, matchesSelector } from '../../src/cluster/selector.js';
import type { LabelSelector } from '../../src/input/types.js';

const sel = (matchLabels: Record<string, string>, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector => ({ matchLabels, matchExpressions });

describe('matchesSelector', () => {
  it('follows Kubernetes semantics', () => {
    const labels = { app: 'webpod', tier: 'web' };
    expect(matchesSelector(sel({}), labels)).toBe(true);
    expect(matchesSelector(sel({ app: 'webpod' }), labels)).toBe(true);
    expect(matchesSelector(sel({ app: 'other' }), labels)).toBe(false);
    expect(matchesSelector(sel({}, [{ key: 'app', operator: 'In', values: ['webpod', 'x'] }]), labels)).toBe(true);
    expect(matchesSelector(sel({}, [{ key: 'app', operator: 'In', values: ['x'] }]), labels)).toBe(false);
    expect(matchesSelector(sel({}, [{ key: 'missing', operator: 'In', values: ['x'] }]), labels)).toBe(false);
    expect(matchesSelector(sel({}, [{ key: 'app', operator: 'NotIn', values: ['webpod'] }]), labels)).toBe(false);
    expect(matchesSelector(sel({}, [{ key: 'missing', operator: 'NotIn', values: ['x'] }]), labels)).toBe(true);
    expect(matchesSelector(sel({}, [{ key: 'tier', operator: 'Exists', values: [] }]), labels)).toBe(true);
    expect(matchesSelector(sel({}, [{ key: 'tier', operator: 'DoesNotExist', values: [] }]), labels)).toBe(false);
    expect(matchesSelector(sel({ app: 'webpod' }, [{ key: 'tier', operator: 'NotIn', values: ['web'] }]), labels)).toBe(false);
  });

  it('never reads inherited properties', () => {
    expect(matchesSelector(sel({}, [{ key: 'constructor', operator: 'Exists', values: [] }]), {})).toBe(false);
    expect(matchesSelector(sel({}, [{ key: 'toString', operator: 'DoesNotExist', values: [] }]), {})).toBe(true);
    expect(matchesLabels({ constructor: 'x' }, {})).toBe(false);
  });

  const labelsArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2'));
  test.prop([labelsArb, labelsArb], { numRuns: 200 })('matchLabels is matchesLabels, and equals the In expressions it stands for', (want, labels) => {
    const viaExpressions = sel({}, Object.entries(want).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })));
    expect(matchesSelector(sel(want), labels)).toBe(matchesLabels(want, labels));
    expect(matchesSelector(viaExpressions, labels)).toBe(matchesLabels(want, labels));
  });
});
