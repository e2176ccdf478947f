/**
 * What `curl` prints for a traced request: the server's body (exit 0), nothing and exit 28 when
 * nothing comes back, exit 7 when the connection is refused or unreachable; and the
 * `sort | uniq -c | sort -nr` summary the labs use to see how requests spread over backends.
 *
 * @module
 */
import type { TraceResult } from '../packet/types.js';
import { compareStrings } from '../net/compare.js';

/**
 * curl's options that shape its output.
 *
 * @example
 * ```ts
 * const o: CurlOptions = { silent: true, host: '172.16.1.1', port: 80, connectTimeout: 1 };
 * ```
 */
export interface CurlOptions {
  /** `-s`: no error message. */
  readonly silent: boolean;
  /** `--connect-timeout N` in seconds, when given. */
  readonly connectTimeout?: number;
  /** Host as typed in the URL (for messages). */
  readonly host: string;
  /** Port. */
  readonly port: number;
}

/**
 * curl's stdout, stderr and exit code.
 *
 * @example
 * ```ts
 * const o: CurlOutput = { stdout: '', stderr: '', exitCode: 28 };
 * ```
 */
export interface CurlOutput {
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
  /** Exit code: 0, 7 (couldn't connect), 28 (timeout), 52 (empty reply). */
  readonly exitCode: number;
}

/**
 * curl's output for one traced request.
 *
 * @example
 * ```ts
 * curlOutput(result, { silent: true, host: '172.16.1.1', port: 80 });
 * // { stdout: 'Hostname: webpod-…\n…', stderr: '', exitCode: 0 }
 * ```
 */
export function curlOutput(r: TraceResult, o: CurlOptions): CurlOutput {
  const err = (code: number, msg: string): CurlOutput => ({
    stdout: '',
    stderr: o.silent ? '' : `curl: (${code}) ${msg}\n`,
    exitCode: code,
  });
  switch (r.outcome) {
    case 'answered':
      if (r.answer?.body != null) return { stdout: r.answer.body, stderr: '', exitCode: 0 };
      return err(52, 'Empty reply from server');
    case 'timeout':
      if (o.connectTimeout !== undefined) {
        return err(28, `Connection timed out after ${Math.round(o.connectTimeout * 1000) + 1} milliseconds`);
      }
      return err(28, `Failed to connect to ${o.host} port ${o.port} after 134912 ms: Couldn't connect to server`);
    case 'refused':
    case 'unreachable':
      return err(7, `Failed to connect to ${o.host} port ${o.port} after 0 ms: Couldn't connect to server`);
  }
}

/**
 * The summary of repeated requests as `for i in …; do curl -s URL | grep Hostname; done | sort |
 * uniq -c | sort -nr` prints it: for each distinct `Hostname:` line (the first line of other
 * answers), the count right-aligned in 7 columns; most frequent first, ties in reverse byte order
 * (`sort -nr` compares the whole line last). Requests without an answer add no line.
 *
 * @example
 * ```ts
 * repeatSummary(results); // '     52 Hostname: webpod-697b545f57-hhjqw\n     48 Hostname: webpod-697b545f57-8d2xs\n'
 * ```
 */
export function repeatSummary(results: readonly TraceResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const body = r.outcome === 'answered' ? r.answer?.body : undefined;
    if (body == null) continue;
    const lines = body.split('\n');
    const line = lines.find((l) => l.startsWith('Hostname:')) ?? lines[0] ?? '';
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const rows = [...counts.entries()].map(([line, n]) => `${String(n).padStart(7)} ${line}`);
  rows.sort((a, b) => {
    const na = Number(a.slice(0, 7));
    const nb = Number(b.slice(0, 7));
    if (na !== nb) return nb - na;
    return compareStrings(b, a);
  });
  return rows.map((l) => `${l}\n`).join('');
}
