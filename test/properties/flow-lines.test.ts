/**
 * The flows file reader (`parseFlows`, what `trace --flows` reads): its fast reader for the common
 * line shape gives exactly what `JSON.parse` and the flow decoder (`parseFlowLine`) give, line by
 * line, for every line: the same request (fields, values, order) or the same error with the same
 * line number, and the same lines skipped (blank, `#` comments). 1,000 runs over generated lines:
 * well-formed flows with fields in any order and any JSON whitespace, and odd ones (escapes in
 * keys and values, duplicate or unknown fields, numbers with signs, fractions, exponents, leading
 * zeros or out of range, strings where numbers go and the reverse, `null`, nested values,
 * trailing commas or garbage, missing braces, control characters, non-JSON whitespace, comments,
 * carriage returns) and arbitrary text.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { parseFlowLine, parseFlows, type FlowLine } from '../../src/packet/flows.js';

/** The reference: each line trimmed, blank and `#` lines skipped, the rest through JSON.parse and the decoder. */
function reference(text: string): FlowLine[] {
  const out: FlowLine[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((l, k) => {
    const raw = l.trim();
    if (raw === '' || raw.startsWith('#')) return;
    const r = parseFlowLine(raw);
    out.push(typeof r === 'string' ? { line: k + 1, error: r } : { line: k + 1, request: r });
  });
  return out;
}

const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r', ' \t ', '\u00a0', '\ufeff');
const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('"from"', '"to"', '"sport"', '"interface"') },
  { weight: 1, arbitrary: fc.constantFrom('"extra"', '"fr\\u006fm"', '""', '"From"', '"sport "', "'from'", 'from', '"to\\"', '"t\u0001o"') },
);
const str = (xs: readonly string[]): fc.Arbitrary<string> => fc.constantFrom(...xs.map((x) => JSON.stringify(x)));
const value = fc.oneof(
  { weight: 4, arbitrary: str(['router', 'k8s-ctr', 'default/curl-pod', 'curl-pod', 'nobody', '', 'ü-pod', '\u2028', '\ud800']) },
  { weight: 4, arbitrary: str(['172.16.1.1:80', '10.96.252.129:80/TCP', '172.16.1.1:80/udp', '[fd00::1]:80/SCTP', '1.2.3.4:0', '1.2.3.4:65536', '300.1.1.1:80', '172.16.1.1', 'x:80']) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 65535 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('0', '01', '-3', '-0', '1.5', '4e4', '40000.0', '40000E0', '65535', '65536', '99999999999', '1e400', '+5', '0x10', '.5', '5.') },
  { weight: 1, arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '[1]', '{"a":1}', '"40000"', '"ro\\"uter"', '"rou\\u0074er"', '"a\\nb"', '"tab\there"', '"\u0001"', '"unterminated', 'nul') },
);
const oddKey = fc.constantFrom('"extra"', '"fr\\u006fm"', '""', '"From"', '"sport "', "'from'", 'from', '"to\\"', '"t\u0001o"');
/** A valid member of each field, as JSON text. */
const validMember = {
  from: str(['router', 'k8s-ctr', 'default/curl-pod', 'ü-pod']),
  to: str(['172.16.1.1:80', '10.96.252.129:80/UDP', '[fd00::1]:80', '1.2.3.4:65535/sctp']),
  sport: fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.constantFrom('1', '9', '10', '65535', '32768')),
  interface: str(['192.168.10.100', '', 'x']),
};
const jsonSpace = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r', ' \t ');
/** One oddity applied to a valid line (or none). */
type Odd =
  | { readonly kind: 'none' }
  | { readonly kind: 'key'; readonly at: number; readonly key: string }
  | { readonly kind: 'value'; readonly at: number; readonly value: string }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'dup'; readonly at: number }
  | { readonly kind: 'extra'; readonly key: string; readonly value: string }
  | { readonly kind: 'space'; readonly at: number; readonly space: string }
  | { readonly kind: 'tail'; readonly tail: string }
  | { readonly kind: 'open' | 'close' }
  | { readonly kind: 'comma'; readonly comma: string };
const oddArb: fc.Arbitrary<Odd> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('key' as const), at: fc.nat(), key: fc.oneof(oddKey, key) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: fc.oneof(key, oddKey), value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('space' as const), at: fc.nat(), space: fc.constantFrom('\u00a0', '\ufeff', '\v', '\f', '\u2028', '\u0000') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tail' as const), tail: fc.constantFrom(',', ' x', '}', ']', ' ,}', '#', '\u00a0', '\ufeff', '\u0000') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('open' as const, 'close' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comma' as const), comma: fc.constantFrom(';', ', ,', ',,', ' ') }) },
);
/** An object line near a valid flow: the fields in any order with any JSON spacing, and at most one oddity. */
const objectLine = fc
  .record({
    from: validMember.from,
    to: validMember.to,
    sport: fc.option(validMember.sport, { nil: undefined }),
    iface: fc.option(validMember.interface, { nil: undefined, freq: 3 }),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    spaces: fc.array(jsonSpace, { minLength: 32, maxLength: 32 }),
    odd: oddArb,
  })
  .map(({ from, to, sport, iface, order, spaces, odd }) => {
    let ms: [string, string][] = [['"from"', from], ['"to"', to]];
    if (sport !== undefined) ms.push(['"sport"', sport]);
    if (iface !== undefined) ms.push(['"interface"', iface]);
    ms = ms.map((m, i) => [i, m] as const).sort((a, b) => order[a[0]]! - order[b[0]]! || a[0] - b[0]).map(([, m]) => m);
    const sp: string[] = [...spaces];
    let comma = ',';
    let tail = '';
    let open = '{';
    let close = '}';
    if (odd.kind === 'key') ms[odd.at % ms.length] = [odd.key, ms[odd.at % ms.length]![1]];
    else if (odd.kind === 'value') ms[odd.at % ms.length] = [ms[odd.at % ms.length]![0], odd.value];
    else if (odd.kind === 'drop') ms.splice(odd.at % ms.length, 1);
    else if (odd.kind === 'dup') ms.splice(odd.at % (ms.length + 1), 0, ms[odd.at % ms.length]!);
    else if (odd.kind === 'extra') ms.push([odd.key, odd.value]);
    else if (odd.kind === 'space') sp[odd.at % sp.length] = odd.space;
    else if (odd.kind === 'tail') tail = odd.tail;
    else if (odd.kind === 'open') open = '';
    else if (odd.kind === 'close') close = '';
    else if (odd.kind === 'comma') comma = odd.comma;
    let k = 2;
    const body = ms.map(([key, v]) => `${sp[k++]}${key}${sp[k++]}:${sp[k++]}${v}${sp[k++]}`).join(comma);
    return `${sp[0]}${open}${body}${close}${tail}${sp[1]}`;
  });
const junkLine = fc
  .tuple(space, space, fc.array(fc.tuple(fc.tuple(fc.oneof(key, oddKey), space, space, space, value).map(([k, a, b, c, v]) => `${k}${a}:${b}${v}${c}`), space), { maxLength: 5 }), space)
  .map(([lead, open, ms, close]) => `${lead}{${open}${ms.map(([m, s]) => `${m}${s}`).join(',')}${close}}`);
const wellFormed = fc
  .record({
    from: fc.constantFrom('router', 'k8s-ctr', 'default/curl-pod'),
    to: fc.constantFrom('172.16.1.1:80', '10.96.252.129:80/UDP', '[fd00::1]:80'),
    sport: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    interface: fc.option(fc.constantFrom('192.168.10.100', ''), { nil: undefined }),
  })
  .chain((o) => fc.shuffledSubarray(Object.entries(o).filter(([, v]) => v !== undefined), { minLength: 0 }).map((es) => JSON.stringify(Object.fromEntries(es))));
const line = fc.oneof(
  { weight: 8, arbitrary: objectLine },
  { weight: 2, arbitrary: junkLine },
  { weight: 4, arbitrary: wellFormed },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '# comment', '  # indented comment', '\r', 'nope', '{', '}', '[]') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')) },
  { weight: 1, arbitrary: fc.json().map((s) => s.replace(/\n/g, ' ')) },
);

describe('flows file reader', () => {
  test.prop([fc.array(line, { minLength: 0, maxLength: 12 }), fc.boolean()], { numRuns: 1000 })(
    'the fast line reader equals JSON.parse and the flow decoder on every line (request, error, line number)',
    (lines, finalNewline) => {
      const text = lines.join('\n') + (finalNewline ? '\n' : '');
      expect([...parseFlows(text)]).toEqual(reference(text));
    },
  );

  test('the common shapes are read (and mean the same as JSON.parse)', () => {
    const text = [
      '{"from":"router","to":"172.16.1.1:80","sport":40001}',
      ' { "to" : "10.96.252.129:80/udp" , "from" : "default/curl-pod" , "interface" : "10.0.0.1" }\r',
      '{"from":"router","to":"172.16.1.1:80","sport":1.5}',
      '{"from":"router","to":"172.16.1.1:80","from":"k8s-ctr"}',
    ].join('\n');
    expect([...parseFlows(text)]).toEqual([
      { line: 1, request: { from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP', sport: 40001 } },
      { line: 2, request: { from: 'default/curl-pod', dst: '10.96.252.129', dport: 80, protocol: 'UDP', srcAddress: '10.0.0.1' } },
      { line: 3, error: '"sport" must be a port 1..65535, got 1.5' },
      { line: 4, request: { from: 'k8s-ctr', dst: '172.16.1.1', dport: 80, protocol: 'TCP' } },
    ]);
  });
});
