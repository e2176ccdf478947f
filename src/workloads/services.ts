/**
 * What the API server fills in for Services, deterministically.
 *
 * - **Service CIDR**: the `ServiceCIDR` named `kubernetes` (else the first `ServiceCIDR` given),
 *   else `10.96.0.0/12` (kubeadm's and kind's default `--service-cluster-ip-range`).
 * - **`default/kubernetes`**: made when the scenario has nodes and does not give it: ClusterIP
 *   the first address of the range (`10.96.0.1`), port `https` 443 → 6443/TCP, no selector, and an
 *   EndpointSlice `kubernetes` with the InternalIP of every node labelled
 *   `node-role.kubernetes.io/control-plane` (or `…/master`), port 6443, as the API servers'
 *   endpoint reconciler writes it.
 * - **ClusterIP** (services of type ClusterIP, NodePort, LoadBalancer without `clusterIP(s)`;
 *   not headless, not ExternalName): Kubernetes' allocator takes a random free address of the
 *   range, preferring the upper band (offsets ≥ min(max(16, size/16), 256) from the range start).
 *   The model takes FNV-1a of `namespace/name` modulo the upper band's size, then the next free
 *   address (wrapping, then the lower band). Given addresses are reserved first.
 * - **NodePort** (NodePort and LoadBalancer services, each port without `nodePort`; not when
 *   `allocateLoadBalancerNodePorts: false`): the same rule over 30000–32767 (upper band from
 *   30000 + 86), keyed by `namespace/name/port-index`. **healthCheckNodePort** for a LoadBalancer
 *   (or NodePort) service with `externalTrafficPolicy: Local`, keyed by `namespace/name/health`.
 *
 * Complexity: O(services + reserved) plus probing on clashes.
 *
 * @module
 */
import type { EndpointSlice, IpAddress, IpPrefix, Node, Service, ServiceCIDR, StringMap } from '../input/types.js';
import { familyOf, formatIp, formatPrefix, ipFromValue, networkValue, parsePrefix, prefixContains, prefixLength } from '../net/addr.js';
import { type IpFamilyName, type ServiceIpFields, clusterServiceFamilies, defaultedIpFamilies } from '../input/ip-families.js';
import { fnv1a32 } from './names.js';
import { compareStrings } from '../net/compare.js';

/**
 * The default service range.
 *
 * @example
 * DEFAULT_SERVICE_CIDR; // '10.96.0.0/12'
 */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/**
 * The NodePort range of the API server (`--service-node-port-range` default).
 *
 * @example
 * NODE_PORT_RANGE; // [30000, 32767]
 */
export const NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];

/**
 * The IPv4 service range of a scenario (see the module doc).
 *
 * @example
 * serviceRange([]).toCidrString(); // '10.96.0.0/12'
 */
export function serviceRange(cidrs: readonly ServiceCIDR[]): IpPrefix {
  const named = cidrs.find((c) => c.meta.name === 'kubernetes') ?? cidrs[0];
  return named?.cidrs.find((p) => familyOf(p) === 4) ?? parsePrefix(DEFAULT_SERVICE_CIDR)!;
}

/** Kubernetes' `calculateRangeOffset`: the size of the lower (static) band. */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  const o = Math.floor(size / step);
  return o < min ? min : o > max ? max : o;
}

/** Picks a free slot in [0, size): upper band by hash, then probing. */
function pick(size: number, offset: number, key: string, used: (i: number) => boolean): number | undefined {
  const upper = size - offset;
  if (upper > 0) {
    const start = fnv1a32(key) % upper;
    for (let k = 0; k < upper; k++) {
      const i = offset + ((start + k) % upper);
      if (!used(i)) return i;
    }
  }
  for (let i = 0; i < Math.min(offset, size); i++) if (!used(i)) return i;
  return undefined;
}

/** The result of the API server's defaults. */
export interface ServiceDefaults {
  /** Every service, with allocated cluster IPs and ports (and `default/kubernetes`). */
  readonly services: readonly Service[];
  /** The `kubernetes` EndpointSlice, when made. */
  readonly slices: readonly EndpointSlice[];
  /** Problems (a range that is full). */
  readonly warnings: readonly string[];
}

const CONTROL_PLANE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * Fills in cluster IPs, node ports and `default/kubernetes` (see the module doc).
 *
 * @example
 * applyServiceDefaults(scenario.services, scenario.nodes, scenario.serviceCIDRs ?? [], scenario.endpointSlices).services;
 */
export function applyServiceDefaults(
  services: readonly Service[],
  nodes: readonly Node[],
  cidrs: readonly ServiceCIDR[],
  givenSlices: readonly EndpointSlice[],
  config?: StringMap,
): ServiceDefaults {
  const warnings: string[] = [];
  const range = serviceRange(cidrs);
  const base = networkValue(range);
  const size = Number((1n << BigInt(32 - prefixLength(range))) - 2n); // without network and broadcast
  const usedIps = new Set<number>();
  const slot = (a: IpAddress) => Number(a.value - base - 1n);
  for (const s of services) for (const a of s.clusterIPs) if (familyOf(a) === 4 && prefixContains(range, a)) usedIps.add(slot(a));
  // ipv6 (issue 18): the API server's families, and its IPv6 range
  const configured = clusterServiceFamilies(
    cidrs.map((c) => ({ name: c.meta.name, cidrs: c.cidrs.map((p) => formatPrefix(p)) })),
    config,
  );
  const v6 = ipv6Allocator(cidrs, services);
  const usedPorts = new Set<number>();
  for (const s of services) {
    for (const p of s.ports) if (p.nodePort !== undefined) usedPorts.add(p.nodePort);
    if (s.healthCheckNodePort !== undefined) usedPorts.add(s.healthCheckNodePort);
  }
  const out: Service[] = [];
  const slices: EndpointSlice[] = [];
  const hasKubernetes = services.some((s) => s.meta.namespace === 'default' && s.meta.name === 'kubernetes');
  if (!hasKubernetes && nodes.length > 0 && size > 0 && !usedIps.has(0)) {
    usedIps.add(0);
    const ip = ipFromValue(4, base + 1n);
    out.push({
      meta: { name: 'kubernetes', namespace: 'default', labels: map({ component: 'apiserver', provider: 'kubernetes' }), annotations: map({}) },
      type: 'ClusterIP',
      clusterIPs: [ip],
      headless: false,
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      externalIPs: [],
      loadBalancerSourceRanges: [],
      sessionAffinity: 'None',
      sessionAffinityTimeoutSeconds: 10800,
      ipFamilies: ['IPv4'],
      loadBalancerIngress: [],
    });
    if (!givenSlices.some((s) => s.meta.namespace === 'default' && s.serviceName === 'kubernetes')) {
      const endpoints = nodes
        .filter((n) => CONTROL_PLANE.some((l) => Object.prototype.hasOwnProperty.call(n.meta.labels, l)))
        .flatMap((n) => {
          const a = n.addresses.find((x) => x.type === 'InternalIP' && familyOf(x.address) === 4)?.address;
          return a === undefined ? [] : [{ addresses: [a], ready: true, serving: true, terminating: false }];
        });
      slices.push({
        meta: {
          name: 'kubernetes',
          namespace: 'default',
          labels: map({ 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }),
          annotations: map({}),
        },
        serviceName: 'kubernetes',
        addressType: 'IPv4',
        endpoints,
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      });
    }
  }
  const ipOffset = rangeOffset(size, 16, 256, 16);
  const [lo, hi] = NODE_PORT_RANGE;
  const portSize = hi - lo + 1;
  const portOffset = rangeOffset(portSize, 16, 128, 32);
  const nextPort = (key: string): number | undefined => {
    const i = pick(portSize, portOffset, key, (k) => usedPorts.has(lo + k));
    if (i === undefined) return undefined;
    usedPorts.add(lo + i);
    return lo + i;
  };
  for (const s of services) {
    const id = `${s.meta.namespace ?? 'default'}/${s.meta.name}`;
    let svc = withIpFamilies(s, configured);
    if (svc.type !== 'ExternalName' && !svc.headless && svc.ipFamilies.some((f, i) => svc.clusterIPs[i] === undefined)) {
      // one cluster IP per family in ipFamilies order (allocClusterIPs), the given ones kept
      const ips: IpAddress[] = [...svc.clusterIPs];
      for (let k = ips.length; k < svc.ipFamilies.length; k++) {
        if (svc.ipFamilies[k] === 'IPv6') {
          const a = v6.next(id);
          if (a === undefined) {
            warnings.push(`Service ${id}: the IPv6 service range ${formatPrefix(v6.range)} is full: no IPv6 cluster IP`);
            break;
          }
          ips.push(a);
          continue;
        }
        if (size <= 0) break;
        const i = pick(size, ipOffset, id, (x) => usedIps.has(x));
        if (i === undefined) {
          warnings.push(`Service ${id}: the service range ${range.toCidrString()} is full: no cluster IP`);
          break;
        }
        usedIps.add(i);
        ips.push(ipFromValue(4, base + 1n + BigInt(i)));
      }
      svc = { ...svc, clusterIPs: ips };
    }
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') {
      const ports = svc.ports.map((p, k) => {
        if (p.nodePort !== undefined) return p;
        const n = nextPort(`${id}/${k}`);
        if (n === undefined) {
          warnings.push(`Service ${id}: the node port range ${lo}-${hi} is full`);
          return p;
        }
        return { ...p, nodePort: n };
      });
      svc = { ...svc, ports };
      if (s.externalTrafficPolicy === 'Local' && s.healthCheckNodePort === undefined && s.type === 'LoadBalancer') {
        const n = nextPort(`${id}/health`);
        if (n !== undefined) svc = { ...svc, healthCheckNodePort: n };
      }
    }
    out.push(svc);
  }
  out.sort((a, b) => compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name));
  return { services: out, slices, warnings };
}

/**
 * ipv6 (issue 18): the IPv6 service range (the IPv6 CIDR of the `kubernetes` ServiceCIDR, else
 * {@link DEFAULT_SERVICE_CIDR_V6}) and its allocator: Kubernetes' bitmap allocator over at most
 * 65,536 addresses from the range start, without the network address; the same hashed pick as
 * IPv4 (upper band by FNV-1a of `namespace/name`, then probing).
 */
function ipv6Allocator(cidrs: readonly ServiceCIDR[], services: readonly Service[]): { readonly range: IpPrefix; next(key: string): IpAddress | undefined } {
  const named = cidrs.find((c) => c.meta.name === 'kubernetes') ?? cidrs[0];
  const range = named?.cidrs.find((p) => familyOf(p) === 6) ?? parsePrefix(DEFAULT_SERVICE_CIDR_V6)!;
  const base = networkValue(range);
  const hostBits = 128 - prefixLength(range);
  const size = (hostBits >= 16 ? 65536 : 2 ** hostBits) - 1;
  const used = new Set<number>();
  for (const s of services) {
    for (const a of s.clusterIPs) if (familyOf(a) === 6 && prefixContains(range, a) && a.value - base - 1n < BigInt(size)) used.add(Number(a.value - base - 1n));
  }
  const offset = rangeOffset(size, 16, 256, 16);
  return {
    range,
    next(key: string): IpAddress | undefined {
      if (size <= 0) return undefined;
      const i = pick(size, offset, key, (k) => used.has(k));
      if (i === undefined) return undefined;
      used.add(i);
      return ipFromValue(6, base + 1n + BigInt(i));
    },
  };
}

/**
 * The default IPv6 service range: kind's `fd00:10:96::/112` (kubeadm has no IPv6 default).
 *
 * @example
 * DEFAULT_SERVICE_CIDR_V6; // 'fd00:10:96::/112'
 */
export const DEFAULT_SERVICE_CIDR_V6 = 'fd00:10:96::/112';

/**
 * ipv6 (issue 18): a Service with the API server's defaulted `ipFamilyPolicy` and `ipFamilies`
 * (see `defaultedIpFamilies` in the input stage); ExternalName services are left alone.
 */
function withIpFamilies(s: Service, configured: readonly IpFamilyName[]): Service {
  if (s.type === 'ExternalName') return s;
  // absent fields as undefined (the rules read values, never presence): no spreads per service
  const fields: ServiceIpFields = {
    clusterIP: s.headless ? 'None' : undefined,
    clusterIPs: !s.headless && s.clusterIPs.length > 0 ? s.clusterIPs.map((a) => formatIp(a)) : undefined,
    ipFamilies: s.ipFamilies.length > 0 ? s.ipFamilies : undefined,
    ipFamilyPolicy: s.ipFamilyPolicy,
    hasSelector: s.selector !== undefined,
  };
  const ipFamilies = defaultedIpFamilies(fields, configured);
  const same = ipFamilies.length === s.ipFamilies.length && ipFamilies.every((f, i) => s.ipFamilies[i] === f);
  return same ? s : { ...s, ipFamilies };
}

function map(o: Record<string, string>): Readonly<Record<string, string>> {
  return Object.assign(Object.create(null) as Record<string, string>, o);
}
