/**
 * `show running-config` of an FRR router.
 *
 * The model echoes the configuration as given (FRR writes `frr.conf` in its canonical order, so a
 * configuration saved by FRR reads back the same), adding what FRR always prints when missing:
 * `frr version`, `frr defaults`, `hostname`, and the closing `end`. Blank lines are dropped and
 * runs of `!` collapse to one.
 *
 * @module
 */
import type { FrrConfig } from '../../bgp/frr/types.js';

/**
 * The FRR version the model reproduces (when the configuration does not say).
 *
 * @example
 * FRR_VERSION; // '8.4.4'
 */
export const FRR_VERSION = '8.4.4';

/**
 * `show running-config` (`Building configuration...`, `Current configuration:`, the lines, `end`).
 *
 * @example
 * ```ts
 * renderRunningConfig(config, 'router').split('\n').slice(0, 4);
 * // ['Building configuration...', '', 'Current configuration:', '!']
 * ```
 */
export function renderRunningConfig(config: FrrConfig, hostName: string): string {
  const body = config.text.map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '');
  const has = (re: RegExp): boolean => body.some((l) => re.test(l));
  const head: string[] = [];
  if (!has(/^frr version\b/)) head.push(`frr version ${FRR_VERSION}`);
  if (!has(/^frr defaults\b/)) head.push(`frr defaults ${config.profile}`);
  if (!has(/^hostname\b/)) head.push(`hostname ${hostName}`);
  const lines = [...head, ...body];
  const out: string[] = ['Building configuration...', '', 'Current configuration:', '!'];
  for (const l of lines) {
    if (l.trim() === '!' && out[out.length - 1]?.trim() === '!' ) continue;
    if (l.trim() === 'end') continue;
    out.push(l);
  }
  if (out[out.length - 1]?.trim() !== '!') out.push('!');
  out.push('end');
  return `${out.join('\n')}\n`;
}
