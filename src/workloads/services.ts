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
import type { EndpointSlice, IpAddress, IpPrefix, Node, Service, ServiceCIDR } from '../input/types.js';
import { familyOf, ipFromValue, networkValue, parsePrefix, prefixContains, prefixLength } from '../net/addr.js';
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
): ServiceDefaults {
  const warnings: string[] = [];
  const range = serviceRange(cidrs);
  const base = networkValue(range);
  const size = Number((1n << BigInt(32 - prefixLength(range))) - 2n); // without network and broadcast
  const usedIps = new Set<number>();
  const slot = (a: IpAddress) => Number(a.value - base - 1n);
  for (const s of services) for (const a of s.clusterIPs) if (familyOf(a) === 4 && prefixContains(range, a)) usedIps.add(slot(a));
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
    let svc = s;
    if (s.clusterIPs.length === 0 && !s.headless && s.type !== 'ExternalName' && size > 0) {
      const i = pick(size, ipOffset, id, (k) => usedIps.has(k));
      if (i === undefined) warnings.push(`Service ${id}: the service range ${range.toCidrString()} is full: no cluster IP`);
      else {
        usedIps.add(i);
        svc = { ...svc, clusterIPs: [ipFromValue(4, base + 1n + BigInt(i))] };
      }
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

function map(o: Record<string, string>): Readonly<Record<string, string>> {
  return Object.assign(Object.create(null) as Record<string, string>, o);
}
