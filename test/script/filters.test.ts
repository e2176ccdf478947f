import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/script/filters.js';

function f(words: string[], text: string): string {
  const filter = parseFilter(words);
  if (typeof filter === 'string') throw new Error(filter);
  return filter(text);
}

const text = 'a 1\nb 2\nc 1\nb 2\nd 3\n';

describe('filters', () => {
  it('grep with -v, -E, -c, -i, -F, -A, -B as GNU grep', () => {
    expect(f(['grep', 'b'], text)).toBe('b 2\nb 2\n');
    expect(f(['grep', '-v', 'b'], text)).toBe('a 1\nc 1\nd 3\n');
    expect(f(['grep', '-E', 'a|d'], text)).toBe('a 1\nd 3\n');
    expect(f(['grep', 'a\\|d'], text)).toBe('a 1\nd 3\n');
    expect(f(['grep', 'a|d'], 'a|d\na\n')).toBe('a|d\n');
    expect(f(['grep', '-c', '1'], text)).toBe('2\n');
    expect(f(['grep', '-i', 'A'], text)).toBe('a 1\n');
    expect(f(['grep', '-F', '.'], 'x\n1.2\n')).toBe('1.2\n');
    expect(f(['grep', '-A', '1', 'a'], text)).toBe('a 1\nb 2\n');
    expect(f(['grep', '-A1', 'c'], 'a\nc\nx\ny\nc\nz\n')).toBe('c\nx\n--\nc\nz\n');
    expect(f(['grep', '-B', '1', 'd'], text)).toBe('b 2\nd 3\n');
  });

  it('sort, uniq -c, head, tail, wc -l, awk', () => {
    expect(f(['sort'], text)).toBe('a 1\nb 2\nb 2\nc 1\nd 3\n');
    expect(f(['sort', '-r'], 'a\nc\nb\n')).toBe('c\nb\na\n');
    expect(f(['sort', '-nr'], '  2 x\n 10 y\n  1 z\n')).toBe(' 10 y\n  2 x\n  1 z\n');
    expect(f(['uniq', '-c'], 'x\nx\ny\n')).toBe('      2 x\n      1 y\n');
    expect(f(['uniq'], 'x\nx\ny\nx\n')).toBe('x\ny\nx\n');
    expect(f(['head', '-n', '2'], text)).toBe('a 1\nb 2\n');
    expect(f(['head', '-2'], text)).toBe('a 1\nb 2\n');
    expect(f(['tail', '-n', '1'], text)).toBe('d 3\n');
    expect(f(['wc', '-l'], text)).toBe('5\n');
    expect(f(['wc', '-l'], '')).toBe('0\n');
    expect(f(['awk', '{print $2}'], text)).toBe('1\n2\n1\n2\n3\n');
    expect(f(['awk', '{print $NF, $1}'], 'a b c\n')).toBe('c a\n');
  });

  it('refuses what it does not know', () => {
    expect(parseFilter(['sed', 's/a/b/'])).toMatch(/^unknown filter "sed"/);
    expect(parseFilter(['grep', '-P', 'x'])).toMatch(/unsupported option -P/);
    expect(parseFilter(['awk', '{x=1}'])).toMatch(/only '\{print/);
    expect(parseFilter(['wc', '-c'])).toBe('wc: only wc -l is supported');
    expect(parseFilter(['grep'])).toBe('grep: which pattern?');
  });
});
