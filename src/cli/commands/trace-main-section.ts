/**
 * The main job's packet section: the lab's signature question — the router curls the LB IP under
 * externalTrafficPolicy Cluster and Local — answered by the packet walk: which node each request
 * entered, which pod answered, and the `RemoteAddr` it saw.
 *
 * @module
 */
import { repeatSourcePort } from '../../packet/decisions.js';
import type { TraceResult } from '../../packet/types.js';
import type { Twin } from '../../twin/twin.js';
import type { LabLoader, MainSection } from './main-section.js';
import { labTwin } from './main-section.js';

const LB_IP = '172.16.1.1';
const REQUESTS = 6;

function entryNode(r: TraceResult): string {
  const hop = r.hops.find((h) => h.event === 'from-network');
  return hop?.host ?? '-';
}

function remoteAddr(r: TraceResult): string {
  const line = r.answer?.body?.split('\n').find((l) => l.startsWith('RemoteAddr: '));
  return line ? line.slice('RemoteAddr: '.length) : '-';
}

function table(twin: Twin, title: string): string {
  const rows: string[][] = [['SPORT', 'ENTERED', 'ANSWERED BY', 'REMOTEADDR', 'VERDICT']];
  for (let i = 0; i < REQUESTS; i++) {
    const sport = repeatSourcePort(i);
    const r = twin.trace({ from: 'router', dst: LB_IP, dport: 80, sport });
    const who = r.backend ? (r.backend.pod ?? r.backend.node).replace(/^default\//, '') : '-';
    rows.push([String(sport), entryNode(r), who, r.outcome === 'answered' ? remoteAddr(r) : '-', r.verdict + (r.reason ? ` (${r.reason})` : '')]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) => row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]! + 2) : cell)).join('').trimEnd());
  return `router$ curl -s ${LB_IP}   # ${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/**
 * The packet section of the main job.
 *
 * @example
 * ```ts
 * traceMainSection.render(load); // 'router$ curl -s 172.16.1.1   # externalTrafficPolicy: Cluster …'
 * ```
 */
export const traceMainSection: MainSection = {
  title: 'Packet walk: the router curls the LB IP (eTP=Cluster, then eTP=Local)',
  render(load: LabLoader): string {
    const cluster = table(
      labTwin(load, ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml']),
      'externalTrafficPolicy: Cluster (webpod-2, pod-routes, lb): forwarded requests are SNATed to the entry node',
    );
    const local = table(
      labTwin(load, ['webpod-2.yaml', 'pod-routes.yaml', 'lb.yaml', 'etp-local.yaml']),
      'externalTrafficPolicy: Local: only nodes with a backend advertise the LB IP; the client address is kept',
    );
    return `${cluster}\n${local}`;
  },
};
