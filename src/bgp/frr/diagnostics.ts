/**
 * Diagnostics of every Host's `frr:` text, for `validate`: errors in modelled lines and lines the
 * model keeps but does not evaluate, with host and line number.
 *
 * @module
 */
import { clip, clipMessage } from '../../input/limits.js';
import type { Cluster } from '../../cluster/types.js';
import { parseFrrConfig } from './parse.js';
import { compareStrings } from '../../net/compare.js';

/**
 * One diagnostic.
 *
 * @example
 * ```ts
 * import type { FrrDiagnostic } from 'cilium-twin';
 * const d: FrrDiagnostic = { host: 'router', line: 4, severity: 'not-modelled', message: 'log syslog informational' };
 * ```
 */
export interface FrrDiagnostic {
  /** Host whose `frr:` text it is about. */
  readonly host: string;
  /** 1-based line in the `frr:` text. */
  readonly line: number;
  /** `error`: the line is left out; `not-modelled`: kept, not evaluated. */
  readonly severity: 'error' | 'not-modelled';
  /** FRR's message (error) or the line itself (not modelled). */
  readonly message: string;
}

/**
 * Every diagnostic of every Host's FRR configuration, hosts by name, then by line.
 *
 * @example
 * ```ts
 * import { frrDiagnostics } from 'cilium-twin';
 * declare const cluster: import('cilium-twin').Cluster;
 * frrDiagnostics(cluster).filter((d) => d.severity === 'error'); // [] for the bgp-lab
 * ```
 */
export function frrDiagnostics(cluster: Cluster): FrrDiagnostic[] {
  const out: FrrDiagnostic[] = [];
  const hosts = [...cluster.hosts].filter((h) => h.frr !== undefined).sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  for (const h of hosts) {
    const r = parseFrrConfig(h.frr ?? '');
    const host = h.meta.name;
    const items: FrrDiagnostic[] = [
      ...r.errors.map((e) => ({ host, line: e.line, severity: 'error' as const, message: e.message })),
      ...r.notModelled.map((n) => ({ host, line: n.line, severity: 'not-modelled' as const, message: n.text })),
    ];
    items.sort((a, b) => a.line - b.line);
    out.push(...items);
  }
  return out;
}

/**
 * One diagnostic as a line of text, e.g. `router: frr line 4: not modelled: log syslog informational`.
 *
 * @example
 * ```ts
 * import { formatFrrDiagnostic } from 'cilium-twin';
 * formatFrrDiagnostic({ host: 'router', line: 1, severity: 'error', message: '% Invalid AS number: abc' });
 * // 'router: frr line 1: % Invalid AS number: abc'
 * ```
 */
export function formatFrrDiagnostic(d: FrrDiagnostic): string {
  // one line whatever the configuration holds (control characters are shown escaped)
  const host = clip(d.host);
  const message = clipMessage(d.message);
  return d.severity === 'error' ? `${host}: frr line ${d.line}: ${message}` : `${host}: frr line ${d.line}: not modelled: ${message}`;
}
