/**
 * Hand-built clusters for the Cilium BGP unit tests (independent of the decode and cluster
 * stages): a mini version of the bgp-lab and builders for small cases.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { CiliumConfig, Cluster } from '../../../src/cluster/types.js';
import type {
  BgpAdvertisement,
  BgpAdvertisementEntry,
  BgpClusterConfig,
  BgpPeerConfig,
  CiliumNode,
  EndpointSlice,
  Host,
  IpAddress,
  LabelSelector,
  Meta,
  Node,
  Pod,
  Scenario,
  Service,
  StaticRoute,
} from '../../../src/input/types.js';

import { ip, cidr, emptyScenario, config, meta as baseMeta } from '../../helpers/fixtures.js';

export { ip, v4, cidr, emptyScenario, config } from '../../helpers/fixtures.js';

export function meta(name: string, namespace?: string, labels: Record<string, string> = {}): Meta {
  return baseMeta(name, namespace, { labels });
}

export function sel(matchLabels: Record<string, string> = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}



export function node(name: string, address: string, podCidrs: string[], labels: Record<string, string> = {}): Node {
  return {
    meta: meta(name, undefined, { 'kubernetes.io/hostname': name, ...labels }),
    podCIDRs: podCidrs.map(cidr),
    taints: [],
    addresses: [{ type: 'InternalIP', address: ip(address) }],
    ready: true,
  };
}

export function ciliumNodeOf(n: Node): CiliumNode {
  return {
    meta: meta(n.meta.name, undefined, { ...n.meta.labels }),
    podCIDRs: n.podCIDRs,
    addresses: n.addresses.map((a) => ({ type: a.type, ip: a.address })),
  };
}

export function pod(name: string, nodeName: string, podIp: string, labels: Record<string, string>, over: Partial<Pod> = {}): Pod {
  return {
    meta: meta(name, 'default', labels),
    nodeName,
    hostNetwork: false,
    containers: [{ name: 'c', image: 'traefik/whoami', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    podIPs: [ip(podIp)],
    phase: 'Running',
    ready: true,
    terminating: false,
    ...over,
  };
}

export function service(name: string, over: Partial<Service> = {}): Service {
  return {
    meta: meta(name, 'default', { app: name }),
    type: 'ClusterIP',
    clusterIPs: [],
    headless: false,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
    selector: { app: name },
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    externalIPs: [],
    loadBalancerSourceRanges: [],
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 10800,
    ipFamilies: [],
    loadBalancerIngress: [],
    ...over,
  };
}

/** EndpointSlices derived from pods by service selectors (the cluster stage's job, in small). */
export function deriveSlices(services: readonly Service[], pods: readonly Pod[]): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  for (const s of services) {
    const selector = s.selector;
    if (selector === undefined) continue;
    const ns = s.meta.namespace ?? 'default';
    const members = pods
      .filter((p) => (p.meta.namespace ?? 'default') === ns && Object.entries(selector).every(([k, v]) => p.meta.labels[k] === v))
      .filter((p) => p.phase === 'Running' && p.podIPs.length > 0)
      .sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1));
    out.push({
      meta: meta(`${s.meta.name}-abcde`, ns, { 'kubernetes.io/service-name': s.meta.name }),
      serviceName: s.meta.name,
      addressType: 'IPv4',
      endpoints: members.map((p) => ({
        addresses: p.podIPs.filter((a) => a instanceof IPv4),
        ready: p.ready && !p.terminating,
        serving: p.ready,
        terminating: p.terminating,
        ...(p.nodeName !== undefined ? { nodeName: p.nodeName } : {}),
        podRef: { namespace: ns, name: p.meta.name },
      })),
      ports: s.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol })),
    });
  }
  return out;
}

function route(text: string, dst: string, gateway: string | undefined, dev: string, metric = 0, src?: string): StaticRoute {
  return {
    type: 'unicast',
    dst: cidr(dst),
    nexthops: [{ ...(gateway !== undefined ? { gateway: ip(gateway) } : {}), dev, weight: 1 }],
    protocol: 'static',
    ...(src !== undefined ? { src: ip(src) } : {}),
    metric,
    text,
  };
}

export function host(name: string, ifaces: [string, string][], routes: StaticRoute[]): Host {
  return {
    meta: meta(name),
    interfaces: ifaces.map(([n, a]) => {
      const r = IPv4CidrRange.fromCidr(a);
      const [addr, len] = a.split('/') as [string, string];
      return {
        name: n,
        addresses: [{ address: ip(addr), prefixLength: Number(len), network: cidr(`${r.getFirst().toString()}/${len}`) }],
      };
    }),
    routes,
    sysctl: {},
  };
}

export function labHosts(): Host[] {
  const def = route('default via 10.0.2.2 dev eth0', '0.0.0.0/0', '10.0.2.2', 'eth0', 100, '10.0.2.15');
  return [
    host('k8s-ctr', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.10.100/24']], [def, route('', '192.168.20.0/24', '192.168.10.200', 'eth1')]),
    host('k8s-w1', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.10.101/24']], [def, route('', '192.168.20.0/24', '192.168.10.200', 'eth1')]),
    host('k8s-w0', [['eth0', '10.0.2.15/24'], ['eth1', '192.168.20.100/24']], [def, route('', '192.168.10.0/24', '192.168.20.200', 'eth1')]),
  ];
}

export function peerConfig(name: string, over: Partial<BgpPeerConfig> = {}): BgpPeerConfig {
  return { meta: meta(name), timers: {}, families: [], ...over };
}

export function advert(name: string, labels: Record<string, string>, entries: BgpAdvertisementEntry[]): BgpAdvertisement {
  return { meta: meta(name, undefined, labels), advertisements: entries };
}

export function clusterConfig(name: string, over: Partial<BgpClusterConfig> = {}): BgpClusterConfig {
  return { meta: meta(name), bgpInstances: [], ...over };
}

export function build(sc: Partial<Scenario>, cfg: Partial<CiliumConfig> = {}): Cluster {
  const scenario: Scenario = { ...emptyScenario(), ...sc };
  const ciliumNodes = scenario.ciliumNodes.length > 0 ? scenario.ciliumNodes : scenario.nodes.map(ciliumNodeOf);
  const endpointSlices = scenario.endpointSlices.length > 0 ? scenario.endpointSlices : deriveSlices(scenario.services, scenario.pods);
  return {
    scenario,
    config: config(cfg),
    namespaces: [],
    ciliumNodes: [...ciliumNodes].sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1)),
    endpointSlices,
    hosts: scenario.hosts,
    warnings: [],
  };
}

export interface LabOptions {
  /** webpod replicas: 3 (one per node) or 2 (k8s-w1, k8s-w0). */
  readonly webpods?: 2 | 3;
  /** Turn webpod into a LoadBalancer service and advertise its LB IP. */
  readonly lb?: boolean;
  /** externalTrafficPolicy Local (with lb). */
  readonly etpLocal?: boolean;
  /** Advertise the ClusterIP with internalTrafficPolicy Local. */
  readonly clusterIpItpLocal?: boolean;
}

/** The bgp-lab, hand-built (what lab/ + variants decode to). */
export function lab(o: LabOptions = {}): Cluster {
  const nodes = [
    node('k8s-ctr', '192.168.10.100', ['172.20.0.0/24'], { 'enable-bgp': 'true', 'node-role.kubernetes.io/control-plane': '' }),
    node('k8s-w1', '192.168.10.101', ['172.20.1.0/24'], { 'enable-bgp': 'true' }),
    node('k8s-w0', '192.168.20.100', ['172.20.2.0/24'], { 'enable-bgp': 'true' }),
  ];
  const pods = [pod('curl-pod', 'k8s-ctr', '172.20.0.247', { app: 'curl' })];
  if ((o.webpods ?? 3) === 3) pods.push(pod('webpod-697b545f57-phntn', 'k8s-ctr', '172.20.0.28', { app: 'webpod' }));
  pods.push(pod('webpod-697b545f57-hhjqw', 'k8s-w1', '172.20.1.76', { app: 'webpod' }));
  pods.push(pod('webpod-697b545f57-8d2xs', 'k8s-w0', '172.20.2.68', { app: 'webpod' }));
  const lbType = o.lb === true || o.clusterIpItpLocal === true;
  const webpod = service('webpod', {
    type: lbType ? 'LoadBalancer' : 'ClusterIP',
    clusterIPs: [ip('10.96.252.129')],
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80, ...(lbType ? { nodePort: 31726 } : {}) }],
    externalTrafficPolicy: o.etpLocal === true ? 'Local' : 'Cluster',
    internalTrafficPolicy: o.clusterIpItpLocal === true ? 'Local' : 'Cluster',
  });
  const adverts = [advert('bgp-advertisements', { advertise: 'bgp' }, [{ advertisementType: 'PodCIDR' }])];
  if (o.lb === true || o.clusterIpItpLocal === true) {
    adverts.push(
      advert('bgp-advertisements-lb-exip-webpod', { advertise: 'bgp' }, [
        {
          advertisementType: 'Service',
          service: { addresses: [o.clusterIpItpLocal === true ? 'ClusterIP' : 'LoadBalancerIP'] },
          selector: sel({}, [{ key: 'app', operator: 'In', values: ['webpod'] }]),
        },
      ]),
    );
  }
  return build({
    nodes,
    pods,
    services: [webpod],
    hosts: labHosts(),
    bgpAdvertisements: adverts,
    bgpPeerConfigs: [
      peerConfig('cilium-peer', {
        timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 },
        ebgpMultihop: 2,
        gracefulRestart: { enabled: true, restartTimeSeconds: 15 },
        families: [{ afi: 'ipv4', safi: 'unicast', advertisements: sel({ advertise: 'bgp' }) }],
      }),
    ],
    bgpClusterConfigs: [
      clusterConfig('cilium-bgp', {
        nodeSelector: sel({ 'enable-bgp': 'true' }),
        bgpInstances: [
          {
            name: 'instance-65001',
            localASN: 65001,
            peers: [{ name: 'tor-switch', peerASN: 65000, peerAddress: ip('192.168.10.200'), peerConfigRef: 'cilium-peer' }],
          },
        ],
      }),
    ],
    ...(o.lb === true ? { lbIpPools: [{ meta: meta('cilium-pool'), blocks: [{ cidr: cidr('172.16.1.0/24') }], allowFirstLastIPs: 'No' as const, disabled: false }] } : {}),
  });
}

/** LB IPs for the lab: webpod gets 172.16.1.1 when it is a LoadBalancer. */
export function labLbIps(cluster: Cluster): (ns: string, name: string) => readonly IpAddress[] {
  return (ns, name) =>
    ns === 'default' && name === 'webpod' && cluster.scenario.services.some((s) => s.meta.name === 'webpod' && s.type === 'LoadBalancer')
      ? [ip('172.16.1.1')]
      : [];
}
