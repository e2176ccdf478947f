import { describe, it, expect } from 'vitest';
import { whoamiBody, linkLocalFromMac, hostHttpAnswer } from '../../src/packet/whoami.js';
import { curlOutput, repeatSummary } from '../../src/views/curl.js';
import { renderTrace, renderTraceJson } from '../../src/views/trace.js';
import { trace } from '../../src/packet/trace.js';
import type { TraceResult } from '../../src/packet/types.js';
import { labNetwork } from './fixtures.js';

const result = (over: Partial<TraceResult>): TraceResult => ({
  verdict: 'FORWARDED', reason: null, request: { src: '192.168.10.200:40000', dst: '172.16.1.1:80', proto: 'TCP' },
  backend: null, seenByBackend: null, reply: null, hops: [], answer: null, outcome: 'answered', dropCode: null, ...over,
});

describe('whoami', () => {
  it('prints the seed\'s answer byte for byte (request lines with CRLF)', () => {
    // seed 002: router curls the ClusterIP, answered by webpod-697b545f57-hcqv2
    const body = whoamiBody({
      hostname: 'webpod-697b545f57-hcqv2',
      ips: ['127.0.0.1', '::1', '172.20.0.103', linkLocalFromMac('7e:3e:18:18:99:40')],
      remoteAddr: '192.168.10.200:48558',
      host: '10.96.252.129',
    });
    expect(body.replace(/\r/g, '')).toBe(
      'Hostname: webpod-697b545f57-hcqv2\nIP: 127.0.0.1\nIP: ::1\nIP: 172.20.0.103\nIP: fe80::7c3e:18ff:fe18:9940\n' +
        'RemoteAddr: 192.168.10.200:48558\nGET / HTTP/1.1\nHost: 10.96.252.129\nUser-Agent: curl/8.5.0\nAccept: */*\n\n',
    );
    expect(body).toContain('GET / HTTP/1.1\r\nHost: 10.96.252.129\r\n');
  });

  it('derives link-local addresses like the kernel (EUI-64) and prints them like Go', () => {
    expect(linkLocalFromMac('7e:3e:18:18:99:40')).toBe('fe80::7c3e:18ff:fe18:9940');
    expect(linkLocalFromMac('02:00:00:00:00:01')).toBe('fe80::ff:fe00:1');
  });

  it('host http allow-list', () => {
    expect(hostHttpAnswer('1.2.3.4', []).status).toBe(200);
    expect(hostHttpAnswer('1.2.3.4', ['1.2.3.5']).status).toBe(403);
  });
});

describe('curl output', () => {
  const o = { silent: true, host: '172.16.1.1', port: 80 };
  it('body and exit 0 when answered; nothing and 28 on timeout; 7 when refused', () => {
    expect(curlOutput(result({ answer: { kind: 'whoami', status: 200, body: 'Hostname: x\n' } }), o)).toEqual({ stdout: 'Hostname: x\n', stderr: '', exitCode: 0 });
    expect(curlOutput(result({ verdict: 'DROPPED', outcome: 'timeout' }), o)).toEqual({ stdout: '', stderr: '', exitCode: 28 });
    expect(curlOutput(result({ verdict: 'DROPPED', outcome: 'timeout' }), { ...o, silent: false, connectTimeout: 1 }).stderr).toBe(
      'curl: (28) Connection timed out after 1001 milliseconds\n',
    );
    expect(curlOutput(result({ verdict: 'DROPPED', outcome: 'refused' }), o).exitCode).toBe(7);
  });

  it('summarises repeated requests like sort | uniq -c | sort -nr', () => {
    const a = result({ answer: { kind: 'whoami', status: 200, body: 'Hostname: a\nIP: 1\n' } });
    const b = result({ answer: { kind: 'whoami', status: 200, body: 'Hostname: b\nIP: 1\n' } });
    const lost = result({ verdict: 'DROPPED', outcome: 'timeout' });
    expect(repeatSummary([a, b, b, lost, a, b])).toBe('      3 Hostname: b\n      2 Hostname: a\n');
    expect(repeatSummary([a, b])).toBe('      1 Hostname: b\n      1 Hostname: a\n');
  });
});

describe('trace views', () => {
  it('text and JSON contract', () => {
    const net = labNetwork({ replicas: 2, podRoutes: true, lb: true });
    const req = { from: 'router', dst: '172.16.1.1', dport: 80 };
    const r = trace(net, req);
    const text = renderTrace(req, r);
    expect(text).toMatch(/^trace router -> 172\.16\.1\.1:80\/TCP from 192\.168\.\d+\.200:40000\n/);
    expect(text).toMatch(/\nverdict: +FORWARDED\n/);
    const json = JSON.parse(renderTraceJson(r)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['verdict', 'reason', 'request', 'backend', 'seenByBackend', 'reply', 'hops']);
    expect(Object.keys((json.hops as object[])[0]!)).toEqual(['host', 'event', 'detail']);
    expect(Object.keys(json.backend as object)).toEqual(['pod', 'node', 'address']);
  });
});
