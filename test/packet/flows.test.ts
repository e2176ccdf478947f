/**
 * Flows in bulk (issue 10): the JSON-lines form, `traceAll`, the summary, and `trace --flows`
 * through the CLI on the bgp-lab (webpod-2 + pod-routes + lb).
 */
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { runCli, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { compileNetwork } from '../../src/network/compile.js';
import { FlowSummary, entryNode, flowLine, parseFlowLine, parseFlows, traceAll } from '../../src/packet/flows.js';
import { BulkResult, BulkTracer, traceResultData } from '../../src/packet/bulk.js';
import { trace, traceJson } from '../../src/packet/trace.js';
import type { TraceRequest } from '../../src/packet/types.js';
import { renderFlowSummary } from '../../src/views/flows.js';
import { labFiles, loadLab } from '../helpers/lab.js';

const VARIANTS = ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml'];

describe('flow lines', () => {
  it('reads the single-flow form: from, to (protocol TCP by default), sport, interface', () => {
    expect(parseFlowLine('{"from": "router", "to": "172.16.1.1:80/UDP", "sport": 40001, "interface": "192.168.10.200"}')).toEqual({
      from: 'router',
      dst: '172.16.1.1',
      dport: 80,
      protocol: 'UDP',
      sport: 40001,
      srcAddress: '192.168.10.200',
    });
    expect(parseFlowLine('{"from": "router", "to": "172.16.1.1:80"}')).toEqual({ from: 'router', dst: '172.16.1.1', dport: 80, protocol: 'TCP' });
  });

  it('says what is wrong with a line', () => {
    expect(parseFlowLine('nope')).toMatch(/^not JSON: /);
    expect(parseFlowLine('[1]')).toBe('expected a JSON object {"from": …, "to": …}');
    expect(parseFlowLine('{"to": "172.16.1.1:80"}')).toBe('missing "from" (a host, node or pod)');
    expect(parseFlowLine('{"from": "router"}')).toBe('missing "to" (ADDR:PORT[/PROTO])');
    expect(parseFlowLine('{"from": "router", "to": "172.16.1.1"}')).toBe('"to" must be ADDR:PORT[/TCP|UDP|SCTP], got "172.16.1.1"');
    expect(parseFlowLine('{"from": "router", "to": "172.16.1.1:80", "sport": 0}')).toBe('"sport" must be a port 1..65535, got 0');
    expect(parseFlowLine('{"from": "router", "to": "172.16.1.1:80", "dport": 80}')).toBe('unknown field "dport" (fields: from, to, sport, interface)');
  });

  it('numbers lines from 1, skips blank lines and # comments', () => {
    const text = '# flows\n\n{"from":"router","to":"172.16.1.1:80"}\nbad\n{"from":"router","to":"172.16.1.1:80","sport":2}';
    expect([...parseFlows(text)].map((f) => `${f.line}:${f.error === undefined ? 'ok' : 'error'}`)).toEqual(['3:ok', '4:error', '5:ok']);
  });

  it('writes a request back as a line', () => {
    expect(flowLine({ from: 'router', dst: '172.16.1.1', dport: 80, sport: 7 })).toBe('{"from":"router","to":"172.16.1.1:80/TCP","sport":7}');
  });
});

describe('traceAll and the summary on the bgp-lab', () => {
  const net = compileNetwork(loadLab(VARIANTS));
  const requests = [40000, 40001, 40002, 40003].map((sport) => ({ from: 'router', dst: '172.16.1.1', dport: 80, sport }));

  it('gives the single traces, in order', () => {
    const bulk = [...traceAll(net, requests)].map((r) => JSON.stringify(traceJson(r)));
    expect(bulk).toEqual(requests.map((r) => JSON.stringify(traceJson(trace(net, r)))));
  });

  it('names the entry node: the node the router sent the flow to', () => {
    const r = trace(net, requests[0]!);
    expect(entryNode(net, r)).toBe(r.hops.find((h) => h.event === 'from-network')?.host);
    expect(entryNode(net, trace(net, { from: 'router', dst: '10.99.99.99', dport: 80 }))).toBe('-');
  });

  it('counts flows by verdict, reason, entry node and backend, largest first', () => {
    const s = new FlowSummary(net);
    for (const r of traceAll(net, requests)) s.add(r);
    s.add(trace(net, { from: 'router', dst: '10.99.99.99', dport: 80 }));
    s.addInvalid();
    const rows = s.rows();
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(rows.map((r) => r.count)).toEqual([...rows.map((r) => r.count)].sort((a, b) => b - a));
    expect(rows.find((r) => r.verdict === 'DROPPED')).toMatchObject({ count: 1, entry: '-', backend: '-' });
    const text = renderFlowSummary(s);
    expect(text.split('\n')[0]).toMatch(/^COUNT +VERDICT +REASON +ENTRY +BACKEND$/);
    expect(text).toContain('\n5 flows: 4 FORWARDED, 1 DROPPED; 1 invalid line\n');
  });
});

describe('the bulk fast path on the bgp-lab', () => {
  const net = compileNetwork(loadLab(VARIANTS));

  it('makes one template per decision path from one run, and fills in the flow that made it', () => {
    const t = new BulkTracer(net);
    const r = t.trace({ from: 'router', dst: '172.16.1.1', dport: 80, sport: 40000 });
    expect(r).toBeInstanceOf(BulkResult);
    expect(t.stats()).toEqual({ flows: 1, walked: 1, classes: 1, leaves: 1 });
    expect(JSON.stringify(traceResultData(r))).toBe(JSON.stringify(traceResultData(trace(net, { from: 'router', dst: '172.16.1.1', dport: 80, sport: 40000 }))));
  });

  it('walks a flow whose port equals a number its template shows (the destination port), whatever the template says', () => {
    for (const [from, dst, dport] of [['router', '172.16.1.1', 80], ['default/curl-pod', '10.96.252.129', 80], ['router', '192.168.10.101', 30080]] as const) {
      const t = new BulkTracer(net);
      const req = (sport: number): TraceRequest => ({ from, dst, dport, sport });
      // every decision path of the class (ports below the NAT range) has its template
      for (let k = 0; k < 300; k++) t.trace(req(1000 + k * 97));
      const before = t.stats();
      expect(before.leaves).toBeGreaterThan(0);
      const r = t.trace(req(dport));
      expect(t.stats().walked).toBe(before.walked + 1);
      expect(t.stats().leaves).toBe(before.leaves);
      expect(r).not.toBeInstanceOf(BulkResult);
      expect(JSON.stringify(traceResultData(r))).toBe(JSON.stringify(traceResultData(trace(net, req(dport)))));
    }
  });
});

describe('trace --flows through the CLI', () => {
  const files = labFiles(VARIANTS);
  const flows = [
    '{"from":"router","to":"172.16.1.1:80","sport":40001}',
    'not json',
    '{"from":"default/curl-pod","to":"10.96.252.129:80/TCP"}',
    '{"from":"router","to":"172.16.1.1:80","bogus":1}',
  ].join('\n');
  const env: CliEnv = {
    version: '0',
    readFiles: () => E.right(files),
    readDefault: () => E.right(files),
    defaultName: 'lab',
    readText: (p) => (p === 'flows.jsonl' ? E.right(flows) : E.left(`${p}: no such file`)),
  };
  const run = (...args: string[]) => runCli(['-f', 'lab', 'trace', ...args], env, commands);

  it('-o json: one contract line per valid flow, equal to the single trace; invalid lines on stderr with their numbers', () => {
    const r = run('--flows', 'flows.jsonl', '-o', 'json');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const single = runCli(['-f', 'lab', 'trace', '--from', 'router', '--to', '172.16.1.1:80', '--sport', '40001', '-o', 'json'], env, commands);
    expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(single.stdout));
    expect(r.stderr).toContain('flows.jsonl:2: not JSON');
    expect(r.stderr).toContain('flows.jsonl:4: unknown field "bogus"');
    expect(r.stderr).toContain('trace: 2 invalid lines left out');
  });

  it('--summary: the table of counts', () => {
    const r = run('--flows', 'flows.jsonl', '--summary');
    expect(r.stdout.split('\n')[0]).toMatch(/^COUNT +VERDICT +REASON +ENTRY +BACKEND$/);
    expect(r.stdout).toContain('2 flows: 2 FORWARDED, 0 DROPPED; 2 invalid lines');
  });

  it('refuses single-flow options and a missing file', () => {
    expect(run('--flows', 'flows.jsonl', '--from', 'router').exitCode).toBe(2);
    expect(run('--flows').exitCode).toBe(2);
    const missing = run('--flows', 'nope.jsonl');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl: no such file');
  });
});
