import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/script/parse.js';
import { splitPipeline, shellQuote } from '../../src/script/shell.js';

describe('parseScript', () => {
  it('reads commands, expected lines, match lines, negation and sections', () => {
    const text = [
      '# a comment',
      '$ kubectl get svc',
      'NAME  TYPE',
      '# match: webpod-[a-z0-9]+',
      '',
      '# another comment',
      '$ ! exec router -- curl -s 10.96.252.129',
      '$ kubectl apply -f \\',
      '    lb.yaml',
      'service/webpod configured',
      '',
      '',
      '-- lb.yaml --',
      'apiVersion: v1',
      'kind: Service',
    ].join('\n');
    const r = parseScript('t.script', text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b, c] = r.script.steps;
    expect(a).toMatchObject({ line: 2, command: 'kubectl get svc', negate: false, blockStart: 2, blockEnd: 4 });
    expect(a!.expected).toEqual([
      { kind: 'literal', text: 'NAME  TYPE', line: 3 },
      { kind: 'match', text: 'webpod-[a-z0-9]+', line: 4 },
    ]);
    expect(b).toMatchObject({ line: 7, command: 'exec router -- curl -s 10.96.252.129', negate: true, expected: [] });
    expect(c).toMatchObject({ line: 8, command: 'kubectl apply -f lb.yaml' });
    expect(c!.expected.map((e) => e.text)).toEqual(['service/webpod configured']);
    expect(r.script.files.get('lb.yaml')).toBe('apiVersion: v1\nkind: Service\n');
  });

  it('keeps blank lines inside an expected block, drops trailing ones', () => {
    const r = parseScript('t', '$ x\na\n\nb\n\n\n$ y\n');
    expect(r.ok && r.script.steps[0]!.expected.map((e) => e.text)).toEqual(['a', '', 'b']);
  });

  it('refuses a malformed script with the line', () => {
    expect(parseScript('t', '$ a\nout\n# c\nstray text\n')).toEqual({ ok: false, error: { file: 't', line: 4, message: 'expected a comment, "$ COMMAND" or "-- NAME --", got "stray text"' } });
    expect(parseScript('t', '-- a --\nx\n-- a --\ny\n')).toMatchObject({ ok: false, error: { line: 3 } });
    expect(parseScript('t', '$ a\n# match: (unclosed\n')).toMatchObject({ ok: false, error: { line: 2 } });
    expect(parseScript('t', '$x\n')).toMatchObject({ ok: false, error: { line: 1 } });
  });
});

describe('splitPipeline', () => {
  it('splits words with quotes and pipes', () => {
    expect(splitPipeline(`exec router -- vtysh -c 'show ip bgp' | grep -E "a|b" | wc -l`)).toEqual({
      ok: true,
      pipeline: [['exec', 'router', '--', 'vtysh', '-c', 'show ip bgp'], ['grep', '-E', 'a|b'], ['wc', '-l']],
    });
    expect(splitPipeline(`kubectl patch svc w -p '{"spec":{"a":1}}'`)).toEqual({ ok: true, pipeline: [['kubectl', 'patch', 'svc', 'w', '-p', '{"spec":{"a":1}}']] });
    expect(splitPipeline(`a\\ b "c\\"d" ''`)).toEqual({ ok: true, pipeline: [['a b', 'c"d', '']] });
  });

  it('refuses unclosed quotes and empty stages', () => {
    expect(splitPipeline(`echo 'x`)).toEqual({ ok: false, error: 'unclosed single quote' });
    expect(splitPipeline(`a | | b`)).toEqual({ ok: false, error: 'empty command before |' });
    expect(splitPipeline(`a |`)).toEqual({ ok: false, error: 'empty command after |' });
  });

  it('quotes words back', () => {
    expect(shellQuote('show ip bgp')).toBe(`'show ip bgp'`);
    expect(shellQuote('k8s-w0')).toBe('k8s-w0');
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});
