/**
 * The agent settings of L2 announcements (`enable-l2-announcements` and the
 * `l2-announcements-*` lease timings), sanitised as Cilium's `leaseTimings` does: a lease
 * duration under 1 s becomes 1 s; a renew deadline not above 0 becomes 1 s, a retry period not
 * above 0 becomes 200 ms; a duration not above the renew deadline halves the deadline
 * (`renew = duration / 2`); a renew deadline not above 1.2 × the retry period halves the retry
 * period (`retry = renew / 2`; 1.2 is client-go's `leaderelection.JitterFactor`). O(1).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';

/** One second in nanoseconds. */
const SECOND = 1e9;

/**
 * The L2 announcement settings of a cluster.
 *
 * @example
 * ```ts
 * const s = l2Settings(cluster);
 * s.leaseDurationSeconds; // 15
 * ```
 */
export interface L2Settings {
  /** `enable-l2-announcements`. */
  readonly enabled: boolean;
  /** `kube-proxy-replacement` (required: without it the feature does nothing). */
  readonly kubeProxyReplacement: boolean;
  /** Both: the agents announce. */
  readonly active: boolean;
  /** `l2-announcements-lease-duration` in nanoseconds, sanitised (default 15 s). */
  readonly leaseDuration: number;
  /** `l2-announcements-renew-deadline` in nanoseconds, sanitised (default 5 s). */
  readonly renewDeadline: number;
  /** `l2-announcements-retry-period` in nanoseconds, sanitised (default 2 s). */
  readonly retryPeriod: number;
  /** The lease's `spec.leaseDurationSeconds` (the duration in whole seconds, as client-go writes it). */
  readonly leaseDurationSeconds: number;
  /** Warnings the agent would log while sanitising, and the missing requirement. */
  readonly warnings: readonly string[];
}

/**
 * Go's `time.Duration.String()` for a whole number of nanoseconds (`15s`, `200ms`, `1m30s`).
 *
 * @example
 * ```ts
 * goDuration(15e9); // '15s'
 * goDuration(2e8); // '200ms'
 * ```
 */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let v = Math.abs(Math.round(ns));
  let out: string;
  if (v < 1e3) out = `${v}ns`;
  else if (v < 1e6) out = `${trim(v / 1e3)}µs`;
  else if (v < 1e9) out = `${trim(v / 1e6)}ms`;
  else {
    const h = Math.floor(v / 3600e9);
    v -= h * 3600e9;
    const m = Math.floor(v / 60e9);
    v -= m * 60e9;
    out = `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${trim(v / 1e9)}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(x: number): string {
  return Number(x.toFixed(9)).toString();
}

/**
 * The cluster's L2 announcement settings (see the module doc). O(1).
 *
 * @example
 * ```ts
 * l2Settings(cluster).renewDeadline; // 5e9
 * ```
 */
export function l2Settings(cluster: Cluster): L2Settings {
  let duration = cluster.config.l2LeaseDuration;
  let renew = cluster.config.l2RenewDeadline;
  let retry = cluster.config.l2RetryPeriod;
  const warnings: string[] = [];
  if (duration < SECOND) {
    warnings.push('--l2-announcements-lease-duration must be greater than 1s, defaulting to 1s');
    duration = SECOND;
  }
  if (renew < 1) {
    warnings.push('--l2-announcements-renew-deadline must be greater than 1ns, defaulting to 1s');
    renew = SECOND;
  }
  if (retry < 1) {
    warnings.push('--l2-announcements-retry-period must be greater than 1ns, defaulting to 200ms');
    retry = 200e6;
  }
  if (duration <= renew) {
    warnings.push('--l2-announcements-lease-duration must be greater than --l2-announcements-renew-deadline, defaulting to a 2/1 ratio');
    renew = Math.floor(duration / 2);
  }
  if (renew <= Math.floor(1.2 * retry)) {
    warnings.push(
      '--l2-announcements-renew-deadline must be greater than --l2-announcements-retry-period * 1.20, defaulting to --l2-announcements-retry-period / 2',
    );
    retry = Math.floor(renew / 2);
  }
  const enabled = cluster.config.enableL2Announcements;
  const kpr = cluster.config.kubeProxyReplacement;
  if (enabled && !kpr) {
    warnings.push('enable-l2-announcements requires kube-proxy-replacement=true: no service is announced');
  }
  const s: L2Settings = {
    enabled,
    kubeProxyReplacement: kpr,
    active: enabled && kpr,
    leaseDuration: duration,
    renewDeadline: renew,
    retryPeriod: retry,
    leaseDurationSeconds: Math.floor(duration / SECOND),
    warnings,
  };
  return s;
}
