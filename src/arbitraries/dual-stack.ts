/**
 * ipv6 (issue 18): dual-stack generated scenarios. {@link withDualStack} turns a generated
 * (IPv4) scenario into a dual-stack one by giving every IPv4 object an IPv6 mirror: each IPv4
 * address `a.b.c.d` becomes `fd00::a.b.c.d` ({@link mirrorIp}), each prefix `P/len` becomes
 * `mirror(P)/(96+len)` ({@link mirrorPrefix}). Nodes gain IPv6 InternalIPs and pod CIDRs, hosts
 * IPv6 interface addresses and a mirrored copy of each route, pods IPv6 pod IPs, services
 * `ipFamilyPolicy: PreferDualStack` with a mirrored second cluster IP (and external IPs, requested
 * LB IPs, ingress), pools a mirrored block, EndpointSlices a mirrored `IPv6` slice, and
 * `cilium-config` `enable-ipv6`. BGP and FRR stay IPv4. The facts stay those of the IPv4 scenario,
 * so a property can state the IPv6 expectation as the mirror of the IPv4 one, and check that the
 * IPv4 answers do not change.
 *
 * @module
 */
import { familyOf, formatIp, formatPrefix, ipFromValue, ipv4ToU32, maskedPrefix, parseIp, parsePrefix, prefixLength, type IpAddress } from '../net/addr.js';
import type { GeneratedScenario, ManifestDocument } from './types.js';

const MIRROR_BASE = 0xfd00n << 112n;

/**
 * The IPv6 mirror of an IPv4 address (`fd00::` + the 32 bits), as text; other text unchanged.
 *
 * @example
 * mirrorIp('10.0.2.15'); // 'fd00::a00:20f'
 */
export function mirrorIp(text: string): string {
  const n = ipv4ToU32(text);
  return n === undefined ? text : formatIp(ipFromValue(6, MIRROR_BASE | BigInt(n)));
}

/**
 * The IPv6 mirror of an IPv4 prefix (length + 96), as text; other text unchanged.
 *
 * @example
 * mirrorPrefix('172.20.0.0/24'); // 'fd00::ac14:0/120'
 */
export function mirrorPrefix(text: string): string {
  const p = parsePrefix(text);
  if (p === undefined || familyOf(p) !== 4) return text;
  const a = parseIp(mirrorIp(text.slice(0, text.indexOf('/'))))!;
  return formatPrefix(maskedPrefix(a, prefixLength(p) + 96));
}

/**
 * The IPv4 address an IPv6 mirror stands for (the address itself when it is not a mirror).
 *
 * @example
 * formatIp(unmirror(parseIp('fd00::a00:20f')!)); // '10.0.2.15'
 */
export function unmirror(a: IpAddress): IpAddress {
  if (familyOf(a) === 6 && a.value >> 32n === MIRROR_BASE >> 32n) return ipFromValue(4, a.value & 0xffffffffn);
  return a;
}

const IPV4_TOKEN = /\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(\/\d{1,2})?\b/g;

/** A route line with every IPv4 address and prefix mirrored (undefined when it has none). */
function mirrorRouteLine(line: string): string | undefined {
  let found = false;
  const out = line.replace(IPV4_TOKEN, (_m, ip: string, len: string | undefined) => {
    found = true;
    return len !== undefined ? mirrorPrefix(`${ip}${len}`) : mirrorIp(ip);
  });
  return found ? out : undefined;
}

/** The routes text with a mirrored copy of each route (multi-line routes kept whole). */
function mirrorRoutes(text: string): string {
  const routes: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && routes.length > 0) routes[routes.length - 1]!.push(line);
    else routes.push([line]);
  }
  const mirrored = routes.flatMap((r) => {
    const m = r.map((l) => mirrorRouteLine(l));
    return m[0] === undefined ? [] : [r.map((l, i) => m[i] ?? l)];
  });
  return [...routes, ...mirrored].map((r) => r.join('\n')).join('\n') + '\n';
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined);
const isV4 = (x: unknown): x is string => typeof x === 'string' && ipv4ToU32(x) !== undefined;
const isV4Prefix = (x: unknown): x is string => typeof x === 'string' && parsePrefix(x) !== undefined && familyOf(parsePrefix(x)!) === 4;

function mirrorDoc(doc: ManifestDocument): ManifestDocument[] {
  const d = structuredClone(doc) as Json;
  const kind = d['kind'];
  const spec = obj(d['spec']);
  const status = obj(d['status']);
  const meta = obj(d['metadata']);
  switch (kind) {
    case 'ConfigMap': {
      const data = obj(d['data']);
      if (meta?.['name'] === 'cilium-config' && data !== undefined) {
        data['enable-ipv6'] = 'true';
        // v6walk: IPv6 masquerading mirrors IPv4's, so that the IPv6 walk is the IPv4 walk mirrored
        if (data['enable-ipv4-masquerade'] !== undefined) data['enable-ipv6-masquerade'] = data['enable-ipv4-masquerade'];
        const v4 = data['ipv4-native-routing-cidr'];
        if (isV4Prefix(v4)) data['ipv6-native-routing-cidr'] = mirrorPrefix(v4);
      }
      return [d];
    }
    case 'Node': {
      if (spec !== undefined) {
        const cidrs = Array.isArray(spec['podCIDRs']) ? (spec['podCIDRs'] as unknown[]) : spec['podCIDR'] !== undefined ? [spec['podCIDR']] : [];
        if (cidrs.length === 1 && isV4Prefix(cidrs[0])) spec['podCIDRs'] = [cidrs[0], mirrorPrefix(cidrs[0])];
      }
      const addrs = Array.isArray(status?.['addresses']) ? (status!['addresses'] as Json[]) : undefined;
      if (addrs !== undefined) {
        const extra = addrs.filter((a) => (a['type'] === 'InternalIP' || a['type'] === 'ExternalIP') && isV4(a['address'])).map((a) => ({ ...a, address: mirrorIp(a['address'] as string) }));
        status!['addresses'] = [...addrs, ...extra];
      }
      return [d];
    }
    case 'Host': {
      if (spec !== undefined) {
        for (const i of Array.isArray(spec['interfaces']) ? (spec['interfaces'] as Json[]) : []) {
          const as = Array.isArray(i['addresses']) ? (i['addresses'] as unknown[]) : [];
          i['addresses'] = [...as, ...as.filter(isV4Prefix).map((a) => `${mirrorIp(a.split('/')[0]!)}/${Number(a.split('/')[1]) + 96}`)];
        }
        if (typeof spec['routes'] === 'string') spec['routes'] = mirrorRoutes(spec['routes']);
      }
      return [d];
    }
    case 'CiliumLoadBalancerIPPool': {
      const blocks = Array.isArray(spec?.['blocks']) ? (spec!['blocks'] as Json[]) : [];
      const extra = blocks.map((b) => {
        const o: Json = {};
        if (isV4Prefix(b['cidr'])) o['cidr'] = mirrorPrefix(b['cidr']);
        if (isV4(b['start'])) o['start'] = mirrorIp(b['start']);
        if (isV4(b['stop'])) o['stop'] = mirrorIp(b['stop']);
        return o;
      });
      if (spec !== undefined) spec['blocks'] = [...blocks, ...extra];
      return [d];
    }
    case 'Service': {
      if (spec === undefined || spec['type'] === 'ExternalName') return [d];
      spec['ipFamilyPolicy'] = 'PreferDualStack';
      const cip = spec['clusterIP'];
      if (isV4(cip)) {
        spec['clusterIPs'] = [cip, mirrorIp(cip)];
        spec['ipFamilies'] = ['IPv4', 'IPv6'];
      }
      if (Array.isArray(spec['externalIPs'])) spec['externalIPs'] = [...(spec['externalIPs'] as unknown[]), ...(spec['externalIPs'] as unknown[]).filter(isV4).map(mirrorIp)];
      const ann = obj(meta?.['annotations']);
      const requested = [
        ...(isV4(spec['loadBalancerIP']) ? [spec['loadBalancerIP']] : []),
        ...(typeof ann?.['lbipam.cilium.io/ips'] === 'string' ? (ann['lbipam.cilium.io/ips'] as string).split(',').map((x) => x.trim()).filter(isV4) : []),
      ];
      if (requested.length > 0 && meta !== undefined) {
        const prev = typeof ann?.['lbipam.cilium.io/ips'] === 'string' ? `${ann['lbipam.cilium.io/ips'] as string},` : '';
        meta['annotations'] = { ...(ann ?? {}), 'lbipam.cilium.io/ips': `${prev}${requested.map(mirrorIp).join(',')}` };
      }
      const lb = obj(obj(status?.['loadBalancer'])?.['ingress'] !== undefined ? status!['loadBalancer'] : undefined);
      if (lb !== undefined && Array.isArray(lb['ingress'])) {
        const ing = lb['ingress'] as Json[];
        lb['ingress'] = [...ing, ...ing.filter((x) => isV4(x['ip'])).map((x) => ({ ...x, ip: mirrorIp(x['ip'] as string) }))];
      }
      return [d];
    }
    case 'Pod': {
      if (status !== undefined) {
        const ips = Array.isArray(status['podIPs']) ? (status['podIPs'] as Json[]) : isV4(status['podIP']) ? [{ ip: status['podIP'] }] : [];
        if (ips.length === 1 && isV4(ips[0]!['ip'])) status['podIPs'] = [ips[0], { ip: mirrorIp(ips[0]!['ip']) }];
      }
      return [d];
    }
    case 'EndpointSlice': {
      if (d['addressType'] !== 'IPv4') return [d];
      const v6 = structuredClone(d);
      v6['addressType'] = 'IPv6';
      const m6 = obj(v6['metadata'])!;
      m6['name'] = `${String(m6['name'])}-v6`;
      for (const ep of Array.isArray(v6['endpoints']) ? (v6['endpoints'] as Json[]) : []) {
        ep['addresses'] = (Array.isArray(ep['addresses']) ? (ep['addresses'] as unknown[]) : []).map((a) => (isV4(a) ? mirrorIp(a) : a));
      }
      return [d, v6];
    }
    default:
      return [d];
  }
}

/**
 * A generated scenario made dual-stack by mirroring (see the module doc); a scenario without a
 * `cilium-config` gains one that turns IPv6 on.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * const [s] = fc.sample(scenarioArbitrary({ dualStack: true }), 1);
 * ```
 */
export function withDualStack(s: GeneratedScenario): GeneratedScenario {
  const docs = s.documents.flatMap(mirrorDoc);
  const hasConfig = docs.some((d) => d['kind'] === 'ConfigMap' && obj(d['metadata'])?.['name'] === 'cilium-config');
  const config: ManifestDocument = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'enable-ipv6': 'true' } };
  return { documents: hasConfig ? docs : [config, ...docs], facts: s.facts };
}
