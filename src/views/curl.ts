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
  /** `-S`/`--show-error`: error messages even with `-s`. */
  readonly showError?: boolean;
  /** `-v`: connection, request and response headers on standard error. */
  readonly verbose?: boolean;
  /** `-I`: the response headers (HEAD request) on standard output instead of the body. */
  readonly head?: boolean;
  /** `-f`/`--fail`: no body and exit 22 on a status of 400 or more. */
  readonly fail?: boolean;
  /** `-w FORMAT`: the write-out text after the transfer. */
  readonly writeOut?: string;
  /** `-o FILE`: the body goes to FILE (not standard output). */
  readonly outputFile?: string;
  /** `-m`/`--max-time N` in seconds. */
  readonly maxTime?: number;
  /** The request as sent: method, target, headers in curl's order (for `-v`). */
  readonly request?: { readonly method: string; readonly path: string; readonly headers: readonly (readonly [string, string])[] };
  /** The address curl connects to (the URL host resolved). */
  readonly address?: string;
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
  const extended = o.verbose === true || o.head === true || o.fail === true || o.writeOut !== undefined || o.outputFile !== undefined || o.maxTime !== undefined || o.showError === true;
  if (extended) return curlOutputExtended(r, o);
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

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * The response headers of an answer: Envoy's as it sent them, else what the server writes (Go's
 * `net/http` for whoami and the Host servers: `Date`, `Content-Length`, `Content-Type`).
 *
 * @example
 * ```ts
 * import { responseHeaders } from 'cilium-twin/views';
 * responseHeaders({ body: 'x' })[1]; // ['Content-Length', '1']
 * ```
 */
export function responseHeaders(a: { readonly headers?: readonly (readonly [string, string])[]; readonly body: string | null }): readonly (readonly [string, string])[] {
  if (a.headers !== undefined) return a.headers;
  const len = new TextEncoder().encode(a.body ?? '').length;
  return [
    ['Date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['Content-Length', String(len)],
    ['Content-Type', 'text/plain; charset=utf-8'],
  ];
}

/** curl's `-w` variables the model knows (times are 0: the model has no clock). */
function writeOut(format: string, v: Readonly<Record<string, string>>): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\' && i + 1 < format.length) {
      const n = format[i + 1]!;
      if (n === 'n') out += '\n';
      else if (n === 't') out += '\t';
      else if (n === 'r') out += '\r';
      else if (n === '\\') out += '\\';
      else out += c + n;
      i++;
      continue;
    }
    if (c === '%' && format[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (c === '%' && format[i + 1] === '{') {
      const end = format.indexOf('}', i + 2);
      if (end < 0) {
        out += format.slice(i);
        break;
      }
      const name = format.slice(i + 2, end);
      const value = v[name];
      if (value === undefined) warnings.push(`curl: unknown --write-out variable: '${name}'`);
      else out += value;
      i = end;
      continue;
    }
    out += c;
  }
  return { text: out, warnings };
}

function curlOutputExtended(r: TraceResult, o: CurlOptions): CurlOutput {
  const quiet = o.silent && o.showError !== true;
  const ip = o.address ?? o.host;
  const err: string[] = [];
  let stdout = '';
  let exitCode = 0;
  let errorMsg = '';
  const status = r.outcome === 'answered' && r.answer !== null && r.answer.body !== null ? r.answer.status : 0;
  if (o.verbose) err.push(`*   Trying ${ip.includes(':') ? `[${ip}]` : ip}:${o.port}...`);
  const fail = (code: number, msg: string): void => {
    exitCode = code;
    errorMsg = msg;
    if (!quiet) err.push(`curl: (${code}) ${msg}`);
  };
  let size = 0;
  let contentType = '';
  let headerSize = 0;
  switch (r.outcome) {
    case 'answered': {
      const a = r.answer;
      if (a === null || a.body === null) {
        if (o.verbose) err.push(`* Connected to ${o.host} (${ip}) port ${o.port}`);
        fail(52, 'Empty reply from server');
        break;
      }
      const headers = responseHeaders(a);
      contentType = headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      const statusLine = `HTTP/1.1 ${a.status} ${REASONS[a.status] ?? ''}`.trimEnd();
      headerSize = [statusLine, ...headers.map(([k, v]) => `${k}: ${v}`)].reduce((n, l) => n + l.length + 2, 2);
      if (o.verbose) {
        err.push(`* Connected to ${o.host} (${ip}) port ${o.port}`);
        const req = o.request;
        if (req !== undefined) {
          err.push(`> ${req.method} ${req.path} HTTP/1.1`);
          for (const [k, v] of req.headers) err.push(`> ${k}: ${v}`);
          err.push('> ');
        }
        err.push(`< ${statusLine}`);
        for (const [k, v] of headers) err.push(`< ${k}: ${v}`);
        err.push('< ');
      }
      if (o.fail === true && a.status >= 400) {
        if (o.verbose) err.push(`* The requested URL returned error: ${a.status}`, '* Closing connection');
        fail(22, `The requested URL returned error: ${a.status}`);
        break;
      }
      if (o.head === true) {
        stdout = `${statusLine}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
      } else {
        size = new TextEncoder().encode(a.body).length;
        if (o.outputFile === undefined) stdout = a.body;
      }
      if (o.verbose) err.push(`* Connection #0 to host ${o.host} left intact`);
      break;
    }
    case 'timeout':
      if (o.maxTime !== undefined) fail(28, `Operation timed out after ${Math.round(o.maxTime * 1000) + 1} milliseconds with 0 bytes received`);
      else if (o.connectTimeout !== undefined) fail(28, `Connection timed out after ${Math.round(o.connectTimeout * 1000) + 1} milliseconds`);
      else fail(28, `Failed to connect to ${o.host} port ${o.port} after 134912 ms: Couldn't connect to server`);
      break;
    case 'refused':
    case 'unreachable':
      fail(7, `Failed to connect to ${o.host} port ${o.port} after 0 ms: Couldn't connect to server`);
      break;
  }
  const local = r.request.src;
  const colon = local.lastIndexOf(':');
  if (o.writeOut !== undefined) {
    const scheme = o.port === 443 ? 'https' : 'http';
    const w = writeOut(o.writeOut, {
      http_code: String(status).padStart(3, '0'),
      response_code: String(status).padStart(3, '0'),
      http_version: status > 0 ? '1.1' : '0',
      remote_ip: r.outcome === 'answered' ? ip : '',
      remote_port: r.outcome === 'answered' ? String(o.port) : '',
      local_ip: r.outcome === 'answered' ? local.slice(0, colon) : '',
      local_port: r.outcome === 'answered' ? local.slice(colon + 1) : '',
      size_download: String(size),
      size_header: String(headerSize),
      content_type: contentType,
      url_effective: `${scheme}://${o.host}${o.port === 80 || o.port === 443 ? '' : `:${o.port}`}${o.request?.path ?? '/'}`,
      method: o.request?.method ?? 'GET',
      scheme: scheme.toUpperCase(),
      num_connects: r.outcome === 'answered' ? '1' : '0',
      exitcode: String(exitCode),
      errormsg: errorMsg,
      time_total: '0.000000',
      time_connect: '0.000000',
      time_starttransfer: '0.000000',
      time_namelookup: '0.000000',
    });
    stdout += w.text;
    err.unshift(...w.warnings);
  }
  return { stdout, stderr: err.map((l) => `${l}\n`).join(''), exitCode };
}
