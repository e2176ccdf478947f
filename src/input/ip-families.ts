/**
 * Dual stack at the boundary (issue 18): the Kubernetes API server's rules for a Service's
 * `ipFamilyPolicy`, `ipFamilies` and `clusterIPs`, with its messages, and the families the
 * scenario's cluster is configured for.
 *
 * Two parts, as in the API server:
 * - {@link serviceIpFieldIssues}: what one Service document must satisfy on its own
 *   (`ValidateServiceClusterIPsRelatedFields` in `pkg/apis/core/validation/validation.go`, and the
 *   SingleStack checks of `initIPFamilyFields` in `pkg/registry/core/service/storage/alloc.go`).
 * - {@link serviceFamilyIssues}: what depends on the cluster's service families (the families of
 *   the `ServiceCIDR` objects, else of `cilium-config`'s `enable-ipv4`/`enable-ipv6`; see
 *   {@link clusterServiceFamilies}): `RequireDualStack` on a single-stack cluster, an IP family or
 *   a cluster IP of a family the cluster does not serve.
 *
 * Messages are the API server's `field.Error` bodies (`Invalid value: "IPv6": not configured on
 * this cluster`); list values are printed as Go's `%#v` prints a `[]string`.
 *
 * Complexity: O(fields) per Service.
 *
 * @module
 */
import type { Issue } from './codec.js';
import { familyOf, parseIp, parsePrefix } from '../net/addr.js';

/**
 * A Service IP family, as Kubernetes spells it.
 *
 * @example
 * const f: IpFamilyName = 'IPv6';
 */
export type IpFamilyName = 'IPv4' | 'IPv6';

/**
 * A Service's `spec.ipFamilyPolicy`.
 *
 * @example
 * const p: IpFamilyPolicy = 'PreferDualStack';
 */
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/**
 * The Service fields the family rules read, as written in the document (before defaults).
 *
 * @example
 * const f: ServiceIpFields = { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::a'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' };
 */
export interface ServiceIpFields {
  /** `spec.type` (ExternalName skips every rule). */
  readonly type?: string;
  /** `spec.clusterIP`. */
  readonly clusterIP?: string;
  /** `spec.clusterIPs`. */
  readonly clusterIPs?: readonly string[];
  /** `spec.ipFamilies`. */
  readonly ipFamilies?: readonly IpFamilyName[];
  /** `spec.ipFamilyPolicy`. */
  readonly ipFamilyPolicy?: IpFamilyPolicy;
  /** True when `spec.selector` has at least one label. */
  readonly hasSelector?: boolean;
}

/** Go's `%#v` of a `[]string`. */
function goStrings(xs: readonly string[]): string {
  return `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}

/** The family name of an address text, or undefined when it is not an address. */
function familyNameOf(text: string): IpFamilyName | undefined {
  const a = parseIp(text);
  return a === undefined ? undefined : familyOf(a) === 4 ? 'IPv4' : 'IPv6';
}

/**
 * The per-document rules of a Service's family fields (see the module doc), in the API server's
 * order; the cluster IPs' own syntax is checked by the caller (an address that does not parse is
 * not checked further here).
 *
 * @example
 * serviceIpFieldIssues({ clusterIP: 'fd00::1', clusterIPs: ['fd00::1'], ipFamilies: ['IPv4'] });
 * // [{ path: 'spec.clusterIPs[0]', message: 'Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`' }]
 */
export function serviceIpFieldIssues(f: ServiceIpFields): Issue[] {
  if (f.type === 'ExternalName') return [];
  const issues: Issue[] = [];
  const ips = f.clusterIPs ?? [];
  const families = f.ipFamilies ?? [];
  families.forEach((fam, i) => {
    if (families.indexOf(fam) < i) issues.push({ path: `spec.ipFamilies[${i}]`, message: `Duplicate value: ${JSON.stringify(fam)}` });
  });
  if (ips.length > 2) issues.push({ path: 'spec.clusterIPs', message: `Invalid value: ${goStrings(ips)}: may only hold up to 2 values` });
  if (ips[0] === 'None' && ips.length > 1) {
    issues.push({ path: 'spec.clusterIPs', message: `Invalid value: ${goStrings(ips)}: 'None' must be the first and only value` });
    return issues;
  }
  const ipFamilies = ips.map((ip) => (ip === 'None' ? undefined : familyNameOf(ip)));
  if (ipFamilies.some((x, i) => x === undefined && ips[i] !== 'None')) return issues; // bad addresses: reported by the caller
  if (ips.length === 2 && ipFamilies[0] === ipFamilies[1]) {
    issues.push({ path: 'spec.clusterIPs', message: `Invalid value: ${goStrings(ips)}: may specify no more than one IP for each IP family` });
  }
  const headless = ips.length === 1 && ips[0] === 'None';
  if (!headless) {
    ips.forEach((ip, i) => {
      const want = families[i];
      if (want === undefined || ipFamilies[i] === undefined) return;
      if (want !== ipFamilies[i]) {
        issues.push({ path: `spec.clusterIPs[${i}]`, message: `Invalid value: ${JSON.stringify(ip)}: expected an ${want} value as indicated by \`ipFamilies[${i}]\`` });
      }
    });
  }
  if (issues.length > 0) return issues;
  const policy = f.ipFamilyPolicy ?? defaultPolicy(f);
  if (policy === 'SingleStack') {
    if (ips.length === 2) {
      issues.push({ path: 'spec.ipFamilyPolicy', message: `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified` });
    }
    if (families.length === 2) {
      issues.push({ path: 'spec.ipFamilyPolicy', message: `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified` });
    }
  }
  return issues;
}

/** The API server's default policy on create: RequireDualStack for headless selectorless, else SingleStack. */
function defaultPolicy(f: ServiceIpFields): IpFamilyPolicy {
  const headless = f.clusterIP === 'None' || (f.clusterIPs?.[0] === 'None' && (f.clusterIP ?? '') === '');
  return headless && f.hasSelector !== true ? 'RequireDualStack' : 'SingleStack';
}

/**
 * The service IP families the cluster's API server is configured for, primary first: the
 * families of the `ServiceCIDR` named `kubernetes` (else the first one given), else those
 * `cilium-config` enables (`enable-ipv4`, default true, first; `enable-ipv6`, default false): a
 * scenario without ServiceCIDRs stands for a cluster installed single- or dual-stack as Cilium is.
 *
 * @example
 * clusterServiceFamilies([], { 'enable-ipv6': 'true' }); // ['IPv4', 'IPv6']
 * clusterServiceFamilies([{ name: 'kubernetes', cidrs: ['fd00:10:96::/112'] }], {}); // ['IPv6']
 */
export function clusterServiceFamilies(
  serviceCidrs: readonly { readonly name: string; readonly cidrs: readonly string[] }[],
  config: Readonly<Record<string, string>> | undefined,
): IpFamilyName[] {
  const named = serviceCidrs.find((c) => c.name === 'kubernetes') ?? serviceCidrs[0];
  if (named !== undefined && named.cidrs.length > 0) {
    const out: IpFamilyName[] = [];
    for (const c of named.cidrs) {
      const p = parsePrefix(c);
      if (p === undefined) continue;
      const f: IpFamilyName = familyOf(p) === 4 ? 'IPv4' : 'IPv6';
      if (!out.includes(f)) out.push(f);
    }
    return out;
  }
  const v4 = (config?.['enable-ipv4'] ?? 'true') === 'true';
  const v6 = (config?.['enable-ipv6'] ?? 'false') === 'true';
  return [...(v4 ? ['IPv4' as const] : []), ...(v6 ? ['IPv6' as const] : [])];
}

/**
 * The rules of a Service's families that depend on the cluster's service families (see the
 * module doc), with the API server's messages.
 *
 * @example
 * serviceFamilyIssues({ ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' }, ['IPv4']);
 * // spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services
 * // spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster
 */
export function serviceFamilyIssues(f: ServiceIpFields, configured: readonly IpFamilyName[]): Issue[] {
  if (f.type === 'ExternalName') return [];
  const issues: Issue[] = [];
  const ips = f.clusterIPs ?? (f.clusterIP !== undefined && f.clusterIP !== '' ? [f.clusterIP] : []);
  const families = f.ipFamilies ?? [];
  ips.forEach((ip, i) => {
    if (ip === 'None' || i < families.length) return;
    const fam = familyNameOf(ip);
    if (fam !== undefined && !configured.includes(fam)) {
      issues.push({ path: `spec.clusterIPs[${i}]`, message: `Invalid value: ${goStrings(ips)}: ${fam} is not configured on this cluster` });
    }
  });
  if (issues.length > 0) return issues;
  const headlessSelectorless = (f.clusterIP === 'None' || ips[0] === 'None') && f.hasSelector !== true;
  if (headlessSelectorless) return issues;
  if ((f.ipFamilyPolicy ?? defaultPolicy(f)) === 'RequireDualStack' && configured.length < 2) {
    issues.push({ path: 'spec.ipFamilyPolicy', message: 'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services' });
  }
  families.forEach((fam, i) => {
    if (!configured.includes(fam)) issues.push({ path: `spec.ipFamilies[${i}]`, message: `Invalid value: ${JSON.stringify(fam)}: not configured on this cluster` });
  });
  return issues;
}

/**
 * The API server's defaulted `ipFamilies` of a valid Service (`initIPFamilyFields`): the
 * families given, then those of cluster IPs beyond them, else the cluster's primary family; a
 * policy other than SingleStack on a dual-stack cluster adds the other family. Headless
 * selectorless services follow the same rule from the primary family.
 *
 * @example
 * defaultedIpFamilies({ ipFamilyPolicy: 'PreferDualStack' }, ['IPv4', 'IPv6']); // ['IPv4', 'IPv6']
 * defaultedIpFamilies({ clusterIPs: ['fd00::1'] }, ['IPv4', 'IPv6']); // ['IPv6']
 */
export function defaultedIpFamilies(f: ServiceIpFields, configured: readonly IpFamilyName[]): IpFamilyName[] {
  const out: IpFamilyName[] = [...(f.ipFamilies ?? [])];
  const ips = f.clusterIPs ?? (f.clusterIP !== undefined && f.clusterIP !== '' ? [f.clusterIP] : []);
  ips.forEach((ip, i) => {
    if (ip === 'None' || i < out.length) return;
    const fam = familyNameOf(ip);
    if (fam !== undefined) out.push(fam);
  });
  if (out.length === 0 && configured[0] !== undefined) out.push(configured[0]);
  const policy = f.ipFamilyPolicy ?? defaultPolicy(f);
  const headlessSelectorless = (f.clusterIP === 'None' || ips[0] === 'None') && f.hasSelector !== true;
  if (policy !== 'SingleStack' && out.length === 1 && (configured.length === 2 || headlessSelectorless)) {
    out.push(out[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  return out;
}
