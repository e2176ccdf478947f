/**
 * Small formatting helpers shared by the vtysh views (FRR 8.4's printf widths, uptime and
 * memory strings).
 *
 * @module
 */

/**
 * Left-aligns `text` in `width` columns (`%-Ns`).
 *
 * @example
 * padRight('ab', 4); // 'ab  '
 */
export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * Right-aligns `text` in `width` columns (`%Ns`).
 *
 * @example
 * padLeft('7', 3); // '  7'
 */
export function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * FRR's `peer_uptime` / zebra's uptime text: `hh:mm:ss` under a day, `XdYYhZZm` under a week,
 * else `XXwYdZZh`.
 *
 * @example
 * frrUptime(218); // '00:03:38'
 */
export function frrUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number): string => n.toString().padStart(2, '0');
  if (seconds < 86400) return `${two(h)}:${two(m)}:${two(s)}`;
  if (seconds < 7 * 86400) return `${d}d${two(h)}h${two(m)}m`;
  return `${two(Math.floor(d / 7))}w${d % 7}d${two(h)}h`;
}

/**
 * FRR's `mtype_memstr`: bytes, KiB (over 10 KiB) or MiB (over 10 MiB), rounded on the next bit.
 *
 * @example
 * memString(1800); // '1800 bytes'
 * memString(62976); // '62 KiB'
 */
export function memString(bytes: number): string {
  if (bytes === 0) return '0 bytes';
  if (bytes === 1) return '1 byte';
  let m = Math.floor(bytes / 1048576);
  let k = Math.floor(bytes / 1024);
  if (m > 10) {
    if (bytes & (1 << 19)) m++;
    return `${m} MiB`;
  }
  if (k > 10) {
    if (bytes & (1 << 9)) k++;
    return `${k} KiB`;
  }
  return `${bytes} bytes`;
}

const WELL_KNOWN: Readonly<Record<string, string>> = {
  '65535:65281': 'no-export',
  '65535:65282': 'no-advertise',
  '65535:65283': 'local-AS',
  '65535:65284': 'no-peer',
  '65535:0': 'graceful-shutdown',
  '65535:1': 'accept-own',
  '65535:666': 'blackhole',
  '65535:6': 'llgr-stale',
  '65535:7': 'no-llgr',
  '0:0': 'internet',
};

/**
 * A community as FRR prints it (well-known ones by name).
 *
 * @example
 * communityText('65535:65281'); // 'no-export'
 */
export function communityText(c: string): string {
  return WELL_KNOWN[c] ?? c;
}
