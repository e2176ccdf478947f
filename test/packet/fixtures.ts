/**
 * Hand-built network specs shaped like the bgp-lab, for unit tests of the walk that do not need
 * the other stages (routing tables, BGP, LB maps are written out by hand here).
 */
import { DEFAULT_DATAPATH_CONFIG, buildNetwork } from '../../src/network/build.js';
import type {
  BackendSpec,
  DatapathConfig,
  FrontendSpec,
  HostSpec,
  Network,
  NodeSpec,
  PodSpec,
  RouteSpec,
} from '../../src/network/types.js';

export interface LabOptions {
  /** webpod replicas: 2 (k8s-w1, k8s-w0) or 3 (+ k8s-ctr). */
  readonly replicas?: 2 | 3;
  /** Add 172.20.0.0/16 via the router on every node. */
  readonly podRoutes?: boolean;
  /** LoadBalancer service with LB IP 172.16.1.1 advertised. */
  readonly lb?: boolean;
  /** externalTrafficPolicy Local. */
  readonly etpLocal?: boolean;
  /** Router hash policy. */
  readonly hashPolicy?: number;
  /** Datapath config overrides. */
  readonly config?: Partial<DatapathConfig>;
  /** Maglev tables (per frontend address) instead of random. */
  readonly maglev?: (backends: readonly BackendSpec[]) => number[];
}

const NODES = [
  { name: 'k8s-ctr', ip: '192.168.10.100', dev: 'eth1', net: '192.168.10.0/24', pod: '172.20.0.0/24', ch: '172.20.0.167', other: { dst: '192.168.20.0/24', via: '192.168.10.200' } },
  { name: 'k8s-w1', ip: '192.168.10.101', dev: 'eth1', net: '192.168.10.0/24', pod: '172.20.1.0/24', ch: '172.20.1.10', other: { dst: '192.168.20.0/24', via: '192.168.10.200' } },
  { name: 'k8s-w0', ip: '192.168.20.100', dev: 'eth1', net: '192.168.20.0/24', pod: '172.20.2.0/24', ch: '172.20.2.10', other: { dst: '192.168.10.0/24', via: '192.168.20.200' } },
] as const;

const WEBPODS: readonly PodSpec[] = [
  { namespace: 'default', name: 'webpod-697b545f57-phntn', node: 'k8s-ctr', ips: ['172.20.0.28'], images: ['traefik/whoami'], ports: [{ port: 80, protocol: 'TCP' }], identity: 28377, mac: '7e:3e:18:18:99:40' },
  { namespace: 'default', name: 'webpod-697b545f57-hhjqw', node: 'k8s-w1', ips: ['172.20.1.76'], images: ['traefik/whoami'], ports: [{ port: 80, protocol: 'TCP' }], identity: 28377, mac: '7e:3e:18:18:99:41' },
  { namespace: 'default', name: 'webpod-697b545f57-8d2xs', node: 'k8s-w0', ips: ['172.20.2.68'], images: ['traefik/whoami'], ports: [{ port: 80, protocol: 'TCP' }], identity: 28377, mac: '7e:3e:18:18:99:42' },
];

/** A bgp-lab-shaped network spec built by hand. */
export function labNetwork(o: LabOptions = {}): Network {
  const replicas = o.replicas ?? 3;
  const webpods = replicas === 3 ? WEBPODS : WEBPODS.slice(1);
  const pods: PodSpec[] = [
    { namespace: 'default', name: 'curl-pod', node: 'k8s-ctr', ips: ['172.20.0.247'], images: ['nicolaka/netshoot'], identity: 1234 },
    ...webpods,
  ];
  const config: DatapathConfig = {
    ...DEFAULT_DATAPATH_CONFIG,
    routingMode: 'native',
    kubeProxyReplacement: true,
    nativeRoutingCIDR: '172.20.0.0/16',
    enableBpfMasquerade: true,
    ...o.config,
  };
  const hosts: HostSpec[] = [];
  for (const n of NODES) {
    const routes: RouteSpec[] = [
      { dst: 'default', nexthops: [{ via: '10.0.2.2', dev: 'eth0' }], src: '10.0.2.15', metric: 100, proto: 'dhcp' },
      { dst: '10.0.2.0/24', nexthops: [{ dev: 'eth0' }], src: '10.0.2.15', metric: 100, proto: 'kernel' },
      { dst: n.net, nexthops: [{ dev: n.dev }], src: n.ip, proto: 'kernel' },
      { dst: n.other.dst, nexthops: [{ via: n.other.via, dev: n.dev }], proto: 'static' },
      { dst: n.pod, nexthops: [{ via: n.ch, dev: 'cilium_host' }], src: n.ch, proto: 'kernel' },
      { dst: `${n.ch}/32`, nexthops: [{ dev: 'cilium_host' }], proto: 'kernel' },
    ];
    if (o.podRoutes) routes.push({ dst: '172.20.0.0/16', nexthops: [{ via: n.other.via.startsWith('192.168.10') ? '192.168.10.200' : '192.168.20.200', dev: n.dev }] });
    hosts.push({
      name: n.name,
      interfaces: [
        { name: 'eth0', addresses: ['10.0.2.15/24'] },
        { name: n.dev, addresses: [`${n.ip}/24`] },
        { name: 'cilium_host', addresses: [`${n.ch}/32`] },
      ],
      routes,
    });
  }
  const routerRoutes: RouteSpec[] = [
    { dst: 'default', nexthops: [{ via: '10.0.2.2', dev: 'eth0' }], src: '10.0.2.15', metric: 100, proto: 'dhcp' },
    { dst: '10.0.2.0/24', nexthops: [{ dev: 'eth0' }], proto: 'kernel' },
    { dst: '192.168.10.0/24', nexthops: [{ dev: 'eth1' }], src: '192.168.10.200', proto: 'kernel' },
    { dst: '192.168.20.0/24', nexthops: [{ dev: 'eth2' }], src: '192.168.20.200', proto: 'kernel' },
    { dst: '10.10.1.0/24', nexthops: [{ dev: 'loop1' }], proto: 'kernel' },
    { dst: '10.10.2.0/24', nexthops: [{ dev: 'loop2' }], proto: 'kernel' },
    { dst: '172.20.0.0/24', nexthops: [{ via: '192.168.10.100', dev: 'eth1' }], metric: 20, proto: 'bgp' },
    { dst: '172.20.1.0/24', nexthops: [{ via: '192.168.10.101', dev: 'eth1' }], metric: 20, proto: 'bgp' },
    { dst: '172.20.2.0/24', nexthops: [{ via: '192.168.20.100', dev: 'eth2' }], metric: 20, proto: 'bgp' },
  ];
  if (o.lb) {
    const members = o.etpLocal
      ? [{ via: '192.168.10.101', dev: 'eth1' }, { via: '192.168.20.100', dev: 'eth2' }]
      : [{ via: '192.168.10.100', dev: 'eth1' }, { via: '192.168.10.101', dev: 'eth1' }, { via: '192.168.20.100', dev: 'eth2' }];
    routerRoutes.push({ dst: '172.16.1.1/32', nexthops: members.filter((m) => o.etpLocal !== true || replicas === 2 || true), metric: 20, proto: 'bgp' });
  }
  hosts.push({
    name: 'router',
    interfaces: [
      { name: 'eth0', addresses: ['10.0.2.15/24'] },
      { name: 'eth1', addresses: ['192.168.10.200/24'] },
      { name: 'eth2', addresses: ['192.168.20.200/24'] },
      { name: 'loop1', addresses: ['10.10.1.200/24'] },
      { name: 'loop2', addresses: ['10.10.2.200/24'] },
    ],
    routes: routerRoutes,
    hashPolicy: o.hashPolicy ?? 0,
  });

  const allBackends: BackendSpec[] = webpods.map((p, i) => ({
    id: i + 1,
    address: p.ips[0]!,
    port: 80,
    protocol: 'TCP',
    state: 'active',
    node: p.node,
    pod: `${p.namespace}/${p.name}`,
  }));
  const dsr = config.lbMode === 'dsr';
  const nodes: NodeSpec[] = NODES.map((n) => {
    const frontends: FrontendSpec[] = [
      {
        service: 'default/webpod', address: '10.96.252.129', port: 80, protocol: 'TCP', scope: 'External', revNat: 11,
        type: 'ClusterIP', routable: false, backends: allBackends, count: allBackends.length, dsr,
        local: o.etpLocal ?? false, twoScopes: o.etpLocal ?? false,
      },
      {
        service: 'default/webpod', address: '10.96.252.129', port: 0, protocol: 'ANY', scope: 'External', revNat: 0,
        type: 'ClusterIP', routable: false, backends: [], count: 0,
      },
    ];
    if (o.lb) {
      const ext = o.etpLocal ? allBackends.filter((b) => b.node === n.name) : allBackends;
      frontends.push(
        {
          service: 'default/webpod', address: '172.16.1.1', port: 80, protocol: 'TCP', scope: 'External', revNat: 16,
          type: 'LoadBalancer', routable: true, backends: ext, count: ext.length, dsr, local: o.etpLocal ?? false,
          twoScopes: o.etpLocal ?? false,
          ...(o.maglev && ext.length > 0 ? { maglev: o.maglev(ext) } : {}),
        },
        {
          service: 'default/webpod', address: '172.16.1.1', port: 0, protocol: 'ANY', scope: 'External', revNat: 0,
          type: 'LoadBalancer', routable: false, backends: [], count: 0,
        },
      );
      if (o.etpLocal) {
        frontends.push({
          service: 'default/webpod', address: '172.16.1.1', port: 80, protocol: 'TCP', scope: 'Internal', revNat: 17,
          type: 'LoadBalancer', routable: true, backends: allBackends, count: allBackends.length, local: true, twoScopes: true,
        });
      }
    }
    return {
      name: n.name,
      addresses: [n.ip],
      podCIDRs: [n.pod],
      ciliumHostIP: n.ch,
      devices: ['eth0', n.dev],
      frontends,
    };
  });
  return buildNetwork({ config, hosts, nodes, pods });
}
