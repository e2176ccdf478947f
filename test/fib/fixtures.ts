/**
 * Hand-built clusters for the FIB tests (independent of the input and cluster stages).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { CiliumConfig, Cluster } from '../../src/cluster/types.js';
import type { Host, IpAddress, Node, Pod, Scenario } from '../../src/input/types.js';
import { parseIproute2Routes } from '../../src/input/iproute2.js';

import { meta, v4 as ip, cidr4 as cidr, defaultConfig, emptyScenario } from '../helpers/fixtures.js';

export { meta, ip, cidr, defaultConfig };

export function routes(text: string): Host['routes'] {
  const r = parseIproute2Routes(text);
  if (isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
}

export function host(
  name: string,
  interfaces: Record<string, string[]>,
  routeText = '',
  sysctl: Record<string, string> = {},
): Host {
  return {
    meta: meta(name),
    interfaces: Object.entries(interfaces).map(([n, addrs]) => ({
      name: n,
      addresses: addrs.map((a) => {
        const [addr, len] = a.split('/');
        const prefixLength = Number(len);
        return { address: ip(addr!), prefixLength, network: cidr(a) };
      }),
    })),
    routes: routes(routeText),
    sysctl,
  };
}

export function node(name: string, internalIP: string, podCIDR: string): Node {
  return {
    meta: meta(name),
    podCIDRs: [cidr(podCIDR)],
    taints: [],
    addresses: [{ type: 'InternalIP', address: ip(internalIP) }],
    ready: true,
  };
}

export function pod(name: string, nodeName: string, podIP: string): Pod {
  return {
    meta: meta(name, 'default'),
    nodeName,
    hostNetwork: false,
    containers: [],
    podIPs: [ip(podIP) as IpAddress],
    phase: 'Running',
    ready: true,
    terminating: false,
  };
}


export function cluster(
  parts: { nodes?: Node[]; hosts?: Host[]; pods?: Pod[] },
  config: Partial<CiliumConfig> = {},
): Cluster {
  const scenario: Scenario = {
    ...emptyScenario(),
    nodes: parts.nodes ?? [],
    pods: parts.pods ?? [],
    hosts: parts.hosts ?? [],
  };
  return {
    scenario,
    config: { ...defaultConfig, ...config },
    namespaces: [],
    ciliumNodes: (parts.nodes ?? []).map((n) => ({
      meta: n.meta,
      podCIDRs: n.podCIDRs,
      addresses: n.addresses.map((a) => ({ type: a.type, ip: a.address })),
    })),
    endpointSlices: [],
    hosts: parts.hosts ?? [],
    warnings: [],
  };
}

const nodeRoutes = (gw: string) => `default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100
192.168.${gw === '192.168.20.200' ? '10' : '20'}.0/24 via ${gw} dev eth1 proto static`;

/** The bgp-lab built by hand (lab/ + optional pod routes). */
export function labCluster(options: { podRoutes?: boolean; config?: Partial<CiliumConfig>; routerSysctl?: Record<string, string> } = {}): Cluster {
  const extra = (gw: string) => (options.podRoutes ? `\n172.20.0.0/16 via ${gw} dev eth1` : '');
  return cluster(
    {
      nodes: [
        node('k8s-ctr', '192.168.10.100', '172.20.0.0/24'),
        node('k8s-w1', '192.168.10.101', '172.20.1.0/24'),
        node('k8s-w0', '192.168.20.100', '172.20.2.0/24'),
      ],
      hosts: [
        host('k8s-ctr', { eth0: ['10.0.2.15/24'], eth1: ['192.168.10.100/24'] }, nodeRoutes('192.168.10.200') + extra('192.168.10.200')),
        host('k8s-w1', { eth0: ['10.0.2.15/24'], eth1: ['192.168.10.101/24'] }, nodeRoutes('192.168.10.200') + extra('192.168.10.200')),
        host('k8s-w0', { eth0: ['10.0.2.15/24'], eth1: ['192.168.20.100/24'] }, nodeRoutes('192.168.20.200') + extra('192.168.20.200')),
        host(
          'router',
          {
            eth0: ['10.0.2.15/24'],
            eth1: ['192.168.10.200/24'],
            eth2: ['192.168.20.200/24'],
            loop1: ['10.10.1.200/24'],
            loop2: ['10.10.2.200/24'],
          },
          'default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100',
          options.routerSysctl ?? {},
        ),
      ],
      pods: [pod('curl-pod', 'k8s-ctr', '172.20.0.247')],
    },
    options.config ?? {},
  );
}
