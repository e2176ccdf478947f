/**
 * Cilium's service flags (`loadbalancer.ServiceFlags`, the u16 `flags | flags2 << 8` of a services
 * map value) and their text as `cilium-dbg bpf lb list` prints them.
 *
 * @module
 */
import type { LbFrontendType } from './types.js';

/**
 * Flag bits of a services map value (low byte `flags`, high byte `flags2`).
 *
 * @example
 * (LB_FLAGS.LoadBalancer | LB_FLAGS.Routable).toString(16); // '60'
 */
export const LB_FLAGS = {
  ExternalIPs: 0x0001,
  NodePort: 0x0002,
  ExtLocalScope: 0x0004,
  HostPort: 0x0008,
  SessionAffinity: 0x0010,
  LoadBalancer: 0x0020,
  Routable: 0x0040,
  SourceRange: 0x0080,
  LocalRedirect: 0x0100,
  Nat46x64: 0x0200,
  L7LoadBalancer: 0x0400,
  Loopback: 0x0800,
  IntLocalScope: 0x1000,
  TwoScopes: 0x2000,
  /** Quarantined on a backend slot; SourceRangeDeny on a master row. */
  QuarantinedOrDeny: 0x4000,
  FwdModeDSR: 0x8000,
} as const;

/**
 * What a frontend's flags are computed from (`loadbalancer.SvcFlagParam`).
 *
 * @example
 * const p: LbFlagParams = { type: 'LoadBalancer', extLocal: false, intLocal: false, sessionAffinity: false,
 *   routable: true, checkSourceRange: false, sourceRangeDeny: false, dsr: false };
 */
export interface LbFlagParams {
  /** Frontend type. */
  readonly type: LbFrontendType;
  /** Service eTP is Local. */
  readonly extLocal: boolean;
  /** Service iTP is Local. */
  readonly intLocal: boolean;
  /** Session affinity. */
  readonly sessionAffinity: boolean;
  /** Reachable from outside. */
  readonly routable: boolean;
  /** Source-range check on. */
  readonly checkSourceRange: boolean;
  /** Source ranges are a deny list. */
  readonly sourceRangeDeny: boolean;
  /** DSR forwarding. */
  readonly dsr: boolean;
  /** Backend slot of a quarantined backend. */
  readonly quarantined?: boolean;
  /** A HostPort service of a loopback `hostIP` (`LoopbackHostport`). */
  readonly loopback?: boolean;
}

/**
 * The u16 flags of a frontend, as `loadbalancer.NewSvcFlag` sets them.
 *
 * @example
 * lbFlags({ type: 'ClusterIP', extLocal: false, intLocal: false, sessionAffinity: false,
 *   routable: false, checkSourceRange: false, sourceRangeDeny: false, dsr: false }); // 0
 */
export function lbFlags(p: LbFlagParams): number {
  let f = 0;
  switch (p.type) {
    case 'ExternalIPs':
      f |= LB_FLAGS.ExternalIPs;
      break;
    case 'NodePort':
      f |= LB_FLAGS.NodePort;
      break;
    case 'LoadBalancer':
      f |= LB_FLAGS.LoadBalancer;
      break;
    case 'HostPort':
      f |= LB_FLAGS.HostPort;
      break;
    case 'LocalRedirect':
      f |= LB_FLAGS.LocalRedirect;
      break;
    case 'ClusterIP':
      break;
  }
  if (p.extLocal) f |= LB_FLAGS.ExtLocalScope;
  if (p.intLocal) f |= LB_FLAGS.IntLocalScope;
  if (p.extLocal !== p.intLocal && p.type !== 'ClusterIP') f |= LB_FLAGS.TwoScopes;
  if (p.sessionAffinity) f |= LB_FLAGS.SessionAffinity;
  if (p.routable) f |= LB_FLAGS.Routable;
  if (p.checkSourceRange) f |= LB_FLAGS.SourceRange;
  if (p.sourceRangeDeny || p.quarantined === true) f |= LB_FLAGS.QuarantinedOrDeny;
  if (p.dsr) f |= LB_FLAGS.FwdModeDSR;
  if (p.loopback === true) f |= LB_FLAGS.Loopback;
  return f;
}

/**
 * The type a flag word denotes (`ServiceFlags.SVCType`: ExternalIPs > NodePort > LoadBalancer >
 * HostPort > LocalRedirect, else ClusterIP).
 *
 * @example
 * lbFlagType(LB_FLAGS.NodePort | LB_FLAGS.Routable); // 'NodePort'
 */
export function lbFlagType(flags: number): string {
  if (flags & LB_FLAGS.ExternalIPs) return 'ExternalIPs';
  if (flags & LB_FLAGS.NodePort) return 'NodePort';
  if (flags & LB_FLAGS.LoadBalancer) return 'LoadBalancer';
  if (flags & LB_FLAGS.HostPort) return 'HostPort';
  if (flags & LB_FLAGS.LocalRedirect) return 'LocalRedirect';
  return 'ClusterIP';
}

/**
 * The flag tokens in Cilium's print order (`ServiceFlags.String`): type, `Local`,
 * `InternalLocal`, `two-scopes`, `sessionAffinity`, `non-routable`, `check source-range`, `deny`,
 * `46x64`, `l7-load-balancer`, `loopback`/`delegate-if-local`, `quarantined`, `dsr`.
 *
 * @example
 * lbFlagNames(0).join(', '); // 'ClusterIP, non-routable'
 */
export function lbFlagNames(flags: number): string[] {
  const out: string[] = [lbFlagType(flags)];
  let seenDeny = false;
  if (flags & LB_FLAGS.ExtLocalScope) out.push('Local');
  if (flags & LB_FLAGS.IntLocalScope) out.push('InternalLocal');
  if (flags & LB_FLAGS.TwoScopes) out.push('two-scopes');
  if (flags & LB_FLAGS.SessionAffinity) out.push('sessionAffinity');
  if (!(flags & LB_FLAGS.Routable)) out.push('non-routable');
  if (flags & LB_FLAGS.SourceRange) {
    out.push('check source-range');
    if (flags & LB_FLAGS.QuarantinedOrDeny) {
      seenDeny = true;
      out.push('deny');
    }
  }
  if (flags & LB_FLAGS.Nat46x64) out.push('46x64');
  if (flags & LB_FLAGS.L7LoadBalancer) out.push('l7-load-balancer');
  if (flags & LB_FLAGS.Loopback) out.push(lbFlagType(flags) === 'HostPort' ? 'loopback' : 'delegate-if-local');
  if (!seenDeny && flags & LB_FLAGS.QuarantinedOrDeny) out.push('quarantined');
  if (flags & LB_FLAGS.FwdModeDSR) out.push('dsr');
  return out;
}
