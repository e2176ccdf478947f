/**
 * Hand-built clusters for the LB IPAM and LB datapath unit tests (independent of the input and
 * cluster stages).
 */
import type { CiliumConfig, Cluster } from '../../src/cluster/types.js';
import type {
  EndpointSlice,
  Host,
  LbIpPool,
  Node,
  Pod,
  Scenario,
  Service,
  ServicePort,
} from '../../src/input/types.js';





import { ip, cidr, meta, defaultConfig, emptyScenario } from '../helpers/fixtures.js';

export { ip, cidr, meta, defaultConfig, emptyScenario };

export function service(
  name: string,
  opts: Partial<Omit<Service, 'meta'>> & { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Service {
  const { namespace, labels, annotations, ...rest } = opts;
  return {
    meta: meta(name, namespace ?? 'default', { labels: labels ?? {}, annotations: annotations ?? {} }),
    type: 'LoadBalancer',
    clusterIPs: [],
    headless: false,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    externalIPs: [],
    loadBalancerSourceRanges: [],
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 10800,
    ipFamilies: [],
    loadBalancerIngress: [],
    ...rest,
  };
}

export function port(p: number, extra: Partial<ServicePort> = {}): ServicePort {
  return { name: '', protocol: 'TCP', port: p, targetPort: p, ...extra };
}

export function pool(name: string, blocks: (string | [string, string])[], extra: Partial<Omit<LbIpPool, 'meta' | 'blocks'>> & { creationTimestamp?: string } = {}): LbIpPool {
  const { creationTimestamp, ...rest } = extra;
  return {
    meta: meta(name, undefined, creationTimestamp !== undefined ? { creationTimestamp } : {}),
    blocks: blocks.map((b) => (typeof b === 'string' ? { cidr: cidr(b) } : { start: ip(b[0]), stop: ip(b[1]) })),
    disabled: false,
    ...rest,
  };
}

export function node(name: string, address: string): Node {
  return {
    meta: meta(name),
    podCIDRs: [],
    taints: [],
    addresses: [{ type: 'InternalIP', address: ip(address) }],
    ready: true,
  };
}

export function host(name: string, ifaces: [string, string][]): Host {
  return {
    meta: meta(name),
    interfaces: ifaces.map(([n, a]) => {
      const [addr, len] = a.split('/');
      return {
        name: n,
        addresses: [
          { address: ip(addr!), prefixLength: Number(len), network: cidr(a.includes(':') ? a : `${addr}/${len}`) },
        ],
      };
    }),
    routes: [],
    sysctl: {},
  };
}

export function slice(
  svc: string,
  endpoints: { addr: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean; pod?: string }[],
  ports: { name?: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[] = [{ name: 'http', port: 80 }],
  namespace = 'default',
): EndpointSlice {
  return {
    meta: meta(`${svc}-abcde`, namespace, { labels: { 'kubernetes.io/service-name': svc } }),
    serviceName: svc,
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [ip(e.addr)],
      ready: e.ready ?? true,
      serving: e.serving ?? e.ready ?? true,
      terminating: e.terminating ?? false,
      ...(e.node !== undefined ? { nodeName: e.node } : {}),
      ...(e.pod !== undefined ? { podRef: { namespace, name: e.pod } } : {}),
    })),
    ports: ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}


export function makeCluster(
  parts: Partial<Scenario> & { config?: Partial<CiliumConfig> },
): Cluster {
  const { config, ...scenarioParts } = parts;
  const scenario: Scenario = { ...emptyScenario(), ...scenarioParts };
  return {
    scenario,
    config: { ...defaultConfig, ...config },
    namespaces: [],
    ciliumNodes: [],
    endpointSlices: scenario.endpointSlices,
    hosts: scenario.hosts,
    warnings: [],
  };
}

export function pod(name: string, nodeName: string, podIP: string, extra: Partial<Omit<Pod, 'meta'>> & { labels?: Record<string, string> } = {}): Pod {
  const { labels, ...rest } = extra;
  return {
    meta: meta(name, 'default', { labels: labels ?? {} }),
    nodeName,
    hostNetwork: false,
    containers: [],
    podIPs: [ip(podIP)],
    phase: 'Running',
    ready: true,
    terminating: false,
    ...rest,
  };
}
