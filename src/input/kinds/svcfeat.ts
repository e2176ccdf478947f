/**
 * Decoders of the service-feature kinds (issue 18 items 2-4): `CiliumPodIPPool` (multi-pool
 * IPAM) and `CiliumLocalRedirectPolicy`. Errors carry the CRD's validation rules and the texts
 * the agent logs when it refuses a policy (`pkg/loadbalancer/redirectpolicy/redirectpolicy.go`
 * `getSanitizedLocalRedirectPolicy`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LocalRedirectPolicy, PodIPPool, PodIPPoolFamily, Protocol, RedirectPort } from '../types.js';
import { type Issue, andThen, decodeWith, int, ip, labelSelector, list, bool, oneOf, prefix, str, struct, primitive } from '../codec.js';
import { familyOf, formatPrefix, prefixLength } from '../../net/addr.js';
import type { KindDecode } from './kubernetes.js';

const poolFamily = (max: number) => struct({ cidrs: list(prefix, { min: 1 }), maskSize: int(1, max) }, {});
const podIpPoolDoc = struct({ spec: struct({}, { ipv4: poolFamily(32), ipv6: poolFamily(128) }) }, {});

/**
 * Decodes a `CiliumPodIPPool`: `spec.ipv4` / `spec.ipv6` with `cidrs` (at least one, of the
 * family) and `maskSize` (1..32 / 1..128, not shorter than any of the CIDRs: the operator cannot
 * cut a CIDR into blocks larger than itself).
 *
 * @example
 * decodePodIPPool({ spec: { ipv4: { cidrs: ['10.20.0.0/16'], maskSize: 27 } } }, meta);
 */
export const decodePodIPPool: KindDecode<PodIPPool> = (doc, meta) =>
  andThen(decodeWith(podIpPoolDoc, doc), (d) => {
    const issues: Issue[] = [];
    const check = (fam: 4 | 6, key: 'ipv4' | 'ipv6', f: { cidrs: readonly import('../types.js').IpPrefix[]; maskSize: number } | undefined): PodIPPoolFamily | undefined => {
      if (f === undefined) return undefined;
      f.cidrs.forEach((c, i) => {
        if (familyOf(c) !== fam) issues.push({ path: `spec.${key}.cidrs[${i}]`, message: `expected an IPv${fam} CIDR, got ${JSON.stringify(formatPrefix(c))}` });
        else if (prefixLength(c) > f.maskSize) {
          issues.push({ path: `spec.${key}.cidrs[${i}]`, message: `CIDR ${formatPrefix(c)} is smaller than maskSize /${f.maskSize}` });
        }
      });
      return { cidrs: f.cidrs, maskSize: f.maskSize };
    };
    const ipv4 = check(4, 'ipv4', d.spec.ipv4);
    const ipv6 = check(6, 'ipv6', d.spec.ipv6);
    if (issues.length > 0) return E.left(issues);
    return E.right({ meta, ...(ipv4 !== undefined ? { ipv4 } : {}), ...(ipv6 !== undefined ? { ipv6 } : {}) });
  });

/** A port given as a string of digits (the CRD's `port: "8080"`) or a number. */
const portText = primitive<number>('a port number', (u) => {
  const n = typeof u === 'number' ? u : typeof u === 'string' && /^[0-9]+$/.test(u) ? Number(u) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? E.right(n) : E.left('expected a port number 1..65535 (a string such as "8080")');
});
const portInfo = struct({ port: portText }, { protocol: oneOf(['TCP', 'UDP', 'SCTP', 'ANY'] as const), name: str });
const lrpDoc = struct(
  {
    spec: struct(
      {
        redirectFrontend: struct(
          {},
          {
            addressMatcher: struct({ ip: str, toPorts: list(portInfo, { min: 1 }) }, {}),
            serviceMatcher: struct({ serviceName: str }, { namespace: str, toPorts: list(portInfo) }),
          },
        ),
        redirectBackend: struct({ localEndpointSelector: labelSelector, toPorts: list(portInfo, { min: 1 }) }, {}),
      },
      { skipRedirectFromBackend: bool },
    ),
  },
  {},
);

type PortDoc = { port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' | 'ANY'; name?: string };

/**
 * `SanitizePortInfo`: protocol defaults to TCP (`ANY` is refused by the datapath's frontends: the
 * model keeps TCP/UDP/SCTP); when several ports are listed, each needs a name.
 */
function sanitize(ports: readonly PortDoc[], named: boolean, path: string, what: string, issues: Issue[]): RedirectPort[] {
  return ports.map((p, i) => {
    const protocol: Protocol = p.protocol === undefined || p.protocol === 'ANY' ? 'TCP' : p.protocol;
    const name = p.name?.toLowerCase();
    if (named && (name === undefined || name === '')) {
      issues.push({ path: `${path}[${i}].name`, message: `invalid ${what} port: port name must be specified when several ports are given` });
    }
    return { port: p.port, protocol, ...(name !== undefined && name !== '' ? { name } : {}) };
  });
}

/**
 * Decodes a `CiliumLocalRedirectPolicy` with the agent's checks: exactly one of
 * `addressMatcher` and `serviceMatcher` (`both address and service matchers can not be
 * empty` / `... can not be specified`), a valid matcher IP (`invalid address matcher IP`), the
 * service in the policy's namespace, named ports when several are listed, and with a single
 * frontend port the backend protocol equal to the frontend's (`backend protocol must match with
 * frontend protocol`).
 *
 * @example
 * decodeLocalRedirectPolicy({ spec: { redirectFrontend: { addressMatcher: { ip: '169.254.169.254', toPorts: [{ port: '8080' }] } },
 *   redirectBackend: { localEndpointSelector: { matchLabels: { app: 'proxy' } }, toPorts: [{ port: '80' }] } } }, meta);
 */
export const decodeLocalRedirectPolicy: KindDecode<LocalRedirectPolicy> = (doc, meta) =>
  andThen(decodeWith(lrpDoc, doc), (d) => {
    const issues: Issue[] = [];
    const fe = d.spec.redirectFrontend;
    const ns = meta.namespace ?? 'default';
    let frontend: LocalRedirectPolicy['frontend'] | undefined;
    let feCount = 0;
    if (fe.addressMatcher === undefined && fe.serviceMatcher === undefined) {
      issues.push({ path: 'spec.redirectFrontend', message: 'both address and service matchers can not be empty' });
    } else if (fe.addressMatcher !== undefined && fe.serviceMatcher !== undefined) {
      issues.push({ path: 'spec.redirectFrontend', message: 'both address and service matchers can not be specified' });
    } else if (fe.addressMatcher !== undefined) {
      const a = fe.addressMatcher;
      const parsed = decodeWith(ip, a.ip);
      const toPorts = sanitize(a.toPorts, a.toPorts.length > 1, 'spec.redirectFrontend.addressMatcher.toPorts', 'address matcher', issues);
      feCount = toPorts.length;
      if (E.isLeft(parsed)) {
        issues.push({ path: 'spec.redirectFrontend.addressMatcher.ip', message: `invalid address matcher IP ${a.ip}: ParseAddr(${JSON.stringify(a.ip)}): unable to parse IP` });
      } else frontend = { kind: 'address', ip: parsed.right, toPorts };
    } else {
      const s = fe.serviceMatcher!;
      const toPorts = sanitize(s.toPorts ?? [], (s.toPorts ?? []).length > 1, 'spec.redirectFrontend.serviceMatcher.toPorts', 'service matcher', issues);
      feCount = toPorts.length;
      const svcNs = s.namespace ?? '';
      if (s.serviceName === '') issues.push({ path: 'spec.redirectFrontend.serviceMatcher.serviceName', message: 'kubernetes service name cannot be empty' });
      else if (svcNs !== ns) {
        issues.push({ path: 'spec.redirectFrontend.serviceMatcher.namespace', message: 'kubernetes service namespace does not match with the CiliumLocalRedirectPolicy namespace' });
      } else frontend = { kind: 'service', serviceName: s.serviceName, namespace: svcNs, toPorts };
    }
    const be = d.spec.redirectBackend;
    const named = be.toPorts.length > 1 || (frontend !== undefined && frontend.toPorts.length > 1);
    const backendPorts = sanitize(be.toPorts, named, 'spec.redirectBackend.toPorts', 'backend', issues);
    if (frontend !== undefined && feCount === 1 && backendPorts[0] !== undefined && backendPorts[0].protocol !== frontend.toPorts[0]!.protocol) {
      issues.push({ path: 'spec.redirectBackend.toPorts[0].protocol', message: 'backend protocol must match with frontend protocol' });
    }
    if (issues.length > 0 || frontend === undefined) return E.left(issues);
    return E.right({
      meta,
      frontend,
      localEndpointSelector: be.localEndpointSelector,
      backendPorts,
      skipRedirectFromBackend: d.spec.skipRedirectFromBackend ?? false,
    });
  });
