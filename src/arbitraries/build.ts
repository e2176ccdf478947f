/**
 * Builders: from independent choices (what fast-check draws and shrinks) to documents and facts.
 * Every dependent value (addresses, names, ports, peerings) is derived here from positions and
 * seeds, so that any shrunk choice still builds a valid scenario.
 *
 * Internal module: the public API is in `index.ts`.
 *
 * @module
 */
import type {
  BackendFacts,
  BgpFacts,
  ConfigFacts,
  GeneratedScenario,
  GeneratedServiceType,
  ManifestDocument,
  NodeFacts,
  PodFacts,
  PoolFacts,
  RouterFacts,
  ServiceFacts,
  ServicePortFacts,
  SubnetFacts,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Choices
// ---------------------------------------------------------------------------------------------

/** What is drawn for one node. */
export interface NodeChoice {
  readonly subnet: number;
  readonly bgpLabel: boolean;
}

/** What is drawn for one router. */
export interface RouterChoice {
  readonly remoteAsNumber: boolean;
  readonly peerGroup: boolean;
  readonly maximumPaths: number | undefined;
  readonly multipathRelax: boolean;
  readonly gracefulRestart: boolean;
  readonly hashPolicy: 0 | 1 | undefined;
  readonly networks: 0 | 1 | 2;
}

/** What is drawn for one pod. */
export interface PodChoice {
  readonly node: number;
  readonly hostOctet: number;
  readonly ready: boolean;
  readonly terminating: boolean;
}

/** What is drawn for one service. */
export interface ServiceChoice {
  readonly type: GeneratedServiceType;
  readonly namespace: number;
  readonly ports: readonly number[];
  readonly namedSinglePort: boolean;
  readonly eTPLocal: boolean;
  readonly iTPLocal: boolean;
  readonly clusterIPSeed: number;
  readonly nodePortSeed: number;
  readonly affinity: boolean;
  readonly externalIP: boolean;
  readonly color: 'blue' | 'green' | undefined;
  readonly advertised: boolean;
  readonly pods: readonly PodChoice[];
}

/** What is drawn for the Cilium configuration (constraints are applied when building). */
export interface ConfigChoice {
  readonly routing: 'native' | 'tunnel';
  readonly tunnelProtocol: 'vxlan' | 'geneve';
  readonly autoDirectNodeRoutes: boolean;
  readonly kubeProxyReplacement: boolean;
  readonly bpfMasquerade: boolean;
  readonly lbAlgorithm: 'random' | 'maglev';
  readonly maglevTableSize: number | undefined;
  readonly maglevSeed: readonly number[] | undefined;
  readonly lbMode: 'snat' | 'dsr' | 'hybrid';
  readonly dsrDispatch: 'opt' | 'geneve';
  readonly externalClusterIP: boolean;
  readonly minimal: boolean;
}

/** What is drawn for one LB IPAM pool. */
export interface PoolChoice {
  readonly prefixLength: 24 | 26 | 28 | 29;
  readonly style: 'cidr' | 'range';
  readonly allowFirstLastIPs: 'Yes' | 'No' | undefined;
  readonly selector: 'blue' | 'green' | undefined;
}

/** What is drawn for the BGP set-up. */
export interface BgpChoice {
  readonly localASN: number;
  readonly peering: 'first-subnet' | 'per-subnet';
  readonly podCIDR: boolean;
  readonly serviceAddresses: readonly ('LoadBalancerIP' | 'ClusterIP' | 'ExternalIP')[];
  readonly selectAll: boolean;
  readonly timers: boolean;
  readonly gracefulRestart: boolean;
  readonly multihop: boolean;
}

/** Everything drawn for a scenario. */
export interface ScenarioChoice {
  readonly nodes: readonly NodeChoice[];
  readonly subnetCount: number;
  readonly routers: readonly RouterChoice[];
  readonly services: readonly ServiceChoice[];
  readonly clients: readonly { readonly node: number; readonly hostOctet: number }[];
  readonly config: ConfigChoice;
  readonly bgp: BgpChoice | undefined;
  readonly pools: readonly PoolChoice[];
  readonly withEndpointSlices: boolean;
  readonly withNodeHosts: boolean;
  readonly uplink: 'nat' | 'router';
}

// ---------------------------------------------------------------------------------------------
// Address plan
// ---------------------------------------------------------------------------------------------

/** The router drawn when none was (the lab's). */
const DEFAULT_ROUTER: RouterChoice = {
  remoteAsNumber: false, peerGroup: true, maximumPaths: 4, multipathRelax: true, gracefulRestart: true,
  hashPolicy: undefined, networks: 1,
};

/** Namespaces services are placed in (by index). */
export const NAMESPACES = ['default', 'prod', 'dev'] as const;

/** Service names, by index modulo their count. */
const SERVICE_NAMES = ['webpod', 'api', 'frontend', 'backend', 'cache', 'db', 'metrics', 'auth', 'search', 'cart'];

/** The service port catalogue (choices index it). */
export const PORT_CATALOGUE: readonly {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP';
}[] = [
  { name: 'http', port: 80, targetPort: 80, containerPort: 80, protocol: 'TCP' },
  { name: 'https', port: 443, targetPort: 8443, containerPort: 8443, protocol: 'TCP' },
  { name: 'metrics', port: 9090, targetPort: 'metrics', containerPort: 9100, protocol: 'TCP' },
  { name: 'dns', port: 53, targetPort: 5353, containerPort: 5353, protocol: 'UDP' },
];

/** `192.168.10.0/24`, `192.168.20.0/24`, `192.168.30.0/24`: the third octet of subnet i. */
export function subnetOctet(subnet: number): number {
  return 10 * (subnet + 1);
}

/** The node name at a position: the lab's `k8s-ctr`, then `k8s-w1`, `k8s-w2`, … */
export function nodeName(index: number): string {
  return index === 0 ? 'k8s-ctr' : `k8s-w${index}`;
}

/** The router name at a position: `router`, `router2`. */
export function routerName(index: number): string {
  return index === 0 ? 'router' : `router${index + 1}`;
}

/** The service name at a position: `webpod`, `api`, …, then `webpod-1`, … */
export function serviceName(index: number): string {
  const base = SERVICE_NAMES[index % SERVICE_NAMES.length] ?? 'svc';
  const round = Math.floor(index / SERVICE_NAMES.length);
  return round === 0 ? base : `${base}-${round}`;
}

/** Kubernetes' name-suffix alphabet (no vowels, no 0/1/3). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Encodes `value` as `length` characters of the suffix alphabet (injective below 27^length). */
function encodeSuffix(value: number, length: number): string {
  let v = value;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out += SUFFIX_ALPHABET[v % SUFFIX_ALPHABET.length] ?? 'x';
    v = Math.floor(v / SUFFIX_ALPHABET.length);
  }
  return out;
}

/** A 32-bit integer mix (murmur3's finaliser), for name suffixes that look random. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The ReplicaSet hash part of a service's pod names (10 characters). */
function templateHash(serviceIndex: number): string {
  return encodeSuffix(mix32(serviceIndex * 2 + 1) % 14348907, 5) + encodeSuffix(mix32(serviceIndex * 2 + 2) % 14348907, 5);
}

/** 27^5: the number of 5-character suffixes. */
const SUFFIXES = 14348907;

/** A pod name like a Deployment's: `webpod-<hash>-<suffix>`, unique per (service, position). */
export function podName(serviceIndex: number, podIndex: number): string {
  // j ↦ (j·a + b) mod 3^15 is injective for a prime to 3, so suffixes differ within a service.
  return `${serviceName(serviceIndex)}-${templateHash(serviceIndex)}-${encodeSuffix((podIndex * 4398799 + mix32(serviceIndex) % SUFFIXES) % SUFFIXES, 5)}`;
}

/** Base64 of bytes (no platform Buffer). */
function base64(bytes: readonly number[]): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet[(n >> 18) & 63] ?? '';
    out += alphabet[(n >> 12) & 63] ?? '';
    out += b === undefined ? '=' : (alphabet[(n >> 6) & 63] ?? '');
    out += c === undefined ? '=' : (alphabet[n & 63] ?? '');
  }
  return out;
}

/** Cilium 1.18's default Maglev seed. */
export const DEFAULT_MAGLEV_SEED = 'JLfvgnHc2kaSUFaI';

/** The lab's NAT uplink (every VM's `eth0`). */
const NAT = { address: '10.0.2.15', gateway: '10.0.2.2', prefix: 24 } as const;

/** Reserved ClusterIP offsets within 10.96.0.0/16: network, `kubernetes`, `kube-dns`, broadcast. */
const RESERVED_CLUSTER_IPS = new Set([0, 1, 10, 65535]);

function clusterIPFromOffset(offset: number): string {
  return `10.96.${offset >> 8}.${offset & 255}`;
}

/** Allocates from a seed: the seed itself when free, else the next free value (wrapping). */
function allocate(seed: number, size: number, used: Set<number>, reserved?: Set<number>): number | undefined {
  for (let k = 0; k < size; k += 1) {
    const v = (seed + k) % size;
    if (!used.has(v) && !(reserved?.has(v) ?? false)) {
      used.add(v);
      return v;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/**
 * Resolves the Cilium configuration's constraints and builds the ConfigMap. The BPF NodePort
 * features (DSR/hybrid, Maglev, external ClusterIP, BPF masquerade) come with kube-proxy
 * replacement in every lab and Helm example, so any of them turns it on.
 */
export function buildConfig(choice: ConfigChoice, bgp: boolean): { document: ManifestDocument; facts: ConfigFacts } {
  const lbMode = choice.lbMode;
  const kubeProxyReplacement =
    choice.kubeProxyReplacement ||
    lbMode !== 'snat' ||
    choice.externalClusterIP ||
    choice.bpfMasquerade ||
    choice.lbAlgorithm === 'maglev';
  // DSR in tunnel routing exists only with Geneve dispatch inside a Geneve tunnel; in native
  // routing `geneve` dispatch also needs the Geneve tunnel protocol.
  const dsr = lbMode !== 'snat';
  const dsrDispatch: 'opt' | 'geneve' = dsr ? (choice.routing === 'tunnel' ? 'geneve' : choice.dsrDispatch) : 'opt';
  const tunnelProtocol: 'vxlan' | 'geneve' = dsr && dsrDispatch === 'geneve' ? 'geneve' : choice.tunnelProtocol;
  const autoDirectNodeRoutes = choice.routing === 'native' && choice.autoDirectNodeRoutes;
  const maglevTableSize = choice.lbAlgorithm === 'maglev' ? (choice.maglevTableSize ?? 16381) : 16381;
  const maglevHashSeed =
    choice.lbAlgorithm === 'maglev' && choice.maglevSeed !== undefined ? base64(choice.maglevSeed) : DEFAULT_MAGLEV_SEED;
  const facts: Omit<ConfigFacts, 'data'> = {
    routingMode: choice.routing,
    tunnelProtocol,
    autoDirectNodeRoutes,
    ...(choice.routing === 'native' ? { nativeRoutingCIDR: '172.20.0.0/16' } : {}),
    kubeProxyReplacement,
    bpfMasquerade: choice.bpfMasquerade,
    bgpControlPlane: bgp,
    lbAlgorithm: choice.lbAlgorithm,
    maglevTableSize,
    maglevHashSeed,
    lbMode,
    dsrDispatch,
    externalClusterIP: choice.externalClusterIP,
  };
  const min = choice.minimal;
  const data: Record<string, string> = {};
  const put = (key: string, value: string, isDefault: boolean): void => {
    if (!(min && isDefault)) data[key] = value;
  };
  put('cluster-name', 'default', true);
  put('cluster-id', '0', true);
  data['ipam'] = 'kubernetes';
  put('routing-mode', choice.routing, choice.routing === 'tunnel');
  if (choice.routing === 'tunnel' || tunnelProtocol === 'geneve') put('tunnel-protocol', tunnelProtocol, tunnelProtocol === 'vxlan');
  if (choice.routing === 'native') {
    put('auto-direct-node-routes', String(autoDirectNodeRoutes), !autoDirectNodeRoutes);
    data['ipv4-native-routing-cidr'] = '172.20.0.0/16';
  }
  put('kube-proxy-replacement', String(kubeProxyReplacement), !kubeProxyReplacement);
  put('enable-bpf-masquerade', String(choice.bpfMasquerade), !choice.bpfMasquerade);
  put('enable-ipv4-masquerade', 'true', true);
  put('enable-bgp-control-plane', String(bgp), !bgp);
  if (bgp) {
    put('bgp-router-id-allocation-mode', 'default', true);
    put('bgp-secrets-namespace', 'kube-system', true);
    put('enable-bgp-control-plane-status-report', 'true', true);
  }
  put('bpf-lb-algorithm', choice.lbAlgorithm, choice.lbAlgorithm === 'random');
  if (choice.lbAlgorithm === 'maglev') {
    if (choice.maglevTableSize !== undefined) data['bpf-lb-maglev-table-size'] = String(choice.maglevTableSize);
    if (choice.maglevSeed !== undefined) data['bpf-lb-maglev-hash-seed'] = maglevHashSeed;
  }
  put('bpf-lb-mode', lbMode, lbMode === 'snat');
  if (dsr) put('bpf-lb-dsr-dispatch', dsrDispatch, dsrDispatch === 'opt');
  put('bpf-lb-external-clusterip', String(choice.externalClusterIP), !choice.externalClusterIP);
  put('enable-session-affinity', 'true', true);
  const document: ManifestDocument = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cilium-config', namespace: 'kube-system' },
    data,
  };
  return { document, facts: { ...facts, data } };
}

/** A Node document. */
export function nodeDocument(node: NodeFacts): ManifestDocument {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: { ...node.labels } },
    spec: { podCIDR: node.podCIDR, podCIDRs: [node.podCIDR] },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
    },
  };
}

/** A node's `Host` document: its interfaces and the routes an administrator adds. */
export function nodeHostDocument(
  node: NodeFacts,
  subnets: readonly SubnetFacts[],
  uplink: 'nat' | 'router',
): ManifestDocument {
  const own = subnets[node.subnet];
  const gateway = own?.routerAddresses[0];
  const interfaces: { name: string; addresses: string[] }[] = [];
  const routes: string[] = [];
  if (uplink === 'nat') {
    interfaces.push({ name: 'eth0', addresses: [`${NAT.address}/${NAT.prefix}`] });
    routes.push(`default via ${NAT.gateway} dev eth0 proto dhcp src ${NAT.address} metric 100`);
  } else if (gateway !== undefined) {
    routes.push(`default via ${gateway} dev eth1 proto static`);
  }
  interfaces.push({ name: 'eth1', addresses: [`${node.internalIP}/24`] });
  if (gateway !== undefined) {
    for (const s of subnets) {
      if (s.index !== node.subnet) routes.push(`${s.cidr} via ${gateway} dev eth1 proto static`);
    }
  }
  return {
    apiVersion: 'cilium-twin/v1alpha1',
    kind: 'Host',
    metadata: { name: node.name },
    spec: { interfaces, ...(routes.length > 0 ? { routes: `${routes.join('\n')}\n` } : {}) },
  };
}

/** The FRR configuration text of a router, in the lab's style. */
export function frrConfig(
  router: Omit<RouterFacts, 'frr'>,
  choice: Pick<RouterChoice, 'peerGroup' | 'gracefulRestart' | 'multipathRelax'>,
  nodeAddresses: readonly string[],
  otherRouters: readonly { readonly address: string; readonly asn: number }[],
): string {
  const remote = String(router.remoteAs);
  const lines = [
    'frr version 8.4.4',
    'frr defaults traditional',
    `hostname ${router.name}`,
    'log syslog informational',
    'no ipv6 forwarding',
    'service integrated-vtysh-config',
    '!',
    `router bgp ${router.asn}`,
    ` bgp router-id ${router.routerId}`,
    ' no bgp ebgp-requires-policy',
  ];
  if (choice.gracefulRestart) lines.push(' bgp graceful-restart');
  if (choice.multipathRelax) lines.push(' bgp bestpath as-path multipath-relax');
  if (choice.peerGroup) {
    lines.push(' neighbor CILIUM peer-group', ` neighbor CILIUM remote-as ${remote}`);
    for (const a of nodeAddresses) lines.push(` neighbor ${a} peer-group CILIUM`);
  } else {
    for (const a of nodeAddresses) lines.push(` neighbor ${a} remote-as ${remote}`);
  }
  for (const o of otherRouters) lines.push(` neighbor ${o.address} remote-as ${o.asn}`);
  lines.push(' !', ' address-family ipv4 unicast');
  for (const n of router.advertisedNetworks) lines.push(`  network ${n}`);
  if (router.maximumPaths !== undefined) lines.push(`  maximum-paths ${router.maximumPaths}`);
  lines.push(' exit-address-family', 'exit', '!');
  return `${lines.join('\n')}\n`;
}

/** A router's `Host` document. */
export function routerHostDocument(
  router: RouterFacts,
  subnets: readonly SubnetFacts[],
  uplink: 'nat' | 'router',
  staticRoutes: readonly string[],
): ManifestDocument {
  const interfaces: { name: string; addresses: string[] }[] = [];
  const routes: string[] = [];
  if (uplink === 'nat') {
    interfaces.push({ name: 'eth0', addresses: [`${NAT.address}/${NAT.prefix}`] });
    routes.push(`default via ${NAT.gateway} dev eth0 proto dhcp src ${NAT.address} metric 100`);
  }
  subnets.forEach((s, i) => {
    interfaces.push({ name: `eth${i + 1}`, addresses: [`${router.addresses[i] ?? ''}/24`] });
  });
  router.loopbacks.forEach((l, i) => {
    interfaces.push({ name: `loop${i + 1}`, addresses: [l.replace(/\.0\/24$/, '.200/24')] });
  });
  routes.push(...staticRoutes);
  return {
    apiVersion: 'cilium-twin/v1alpha1',
    kind: 'Host',
    metadata: { name: router.name },
    spec: {
      interfaces,
      ...(routes.length > 0 ? { routes: `${routes.join('\n')}\n` } : {}),
      ...(router.frr !== undefined ? { frr: router.frr } : {}),
      ...(router.hashPolicy !== undefined
        ? { sysctl: { 'net.ipv4.fib_multipath_hash_policy': String(router.hashPolicy) } }
        : {}),
    },
  };
}

/** A pool's facts and document at a position. */
export function buildPool(choice: PoolChoice, index: number): { document: ManifestDocument; facts: PoolFacts } {
  const name = index === 0 ? 'cilium-pool' : `cilium-pool-${index + 1}`;
  const third = index + 1;
  const network = `172.16.${third}.0/24`;
  const size = Math.min(2 ** (32 - choice.prefixLength), 200);
  const block =
    choice.style === 'cidr'
      ? { cidr: `172.16.${third}.0/${choice.prefixLength}` }
      : { start: `172.16.${third}.10`, stop: `172.16.${third}.${10 + size - 1}` };
  const facts: PoolFacts = {
    name,
    block,
    network,
    ...(choice.allowFirstLastIPs !== undefined ? { allowFirstLastIPs: choice.allowFirstLastIPs } : {}),
    ...(choice.selector !== undefined ? { serviceSelector: { color: choice.selector } } : {}),
  };
  const document: ManifestDocument = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumLoadBalancerIPPool',
    metadata: { name },
    spec: {
      ...(choice.allowFirstLastIPs !== undefined ? { allowFirstLastIPs: choice.allowFirstLastIPs } : {}),
      blocks: [{ ...block }],
      ...(choice.selector !== undefined ? { serviceSelector: { matchLabels: { color: choice.selector } } } : {}),
    },
  };
  return { document, facts };
}

/** Peer names by router index: the lab's `tor-switch`, then `tor-switch-2`. */
function peerName(index: number): string {
  return index === 0 ? 'tor-switch' : `tor-switch-${index + 1}`;
}

/** The BGP documents (cluster configs, peer config, advertisements) and facts. */
export function buildBgp(
  choice: BgpChoice,
  subnets: readonly SubnetFacts[],
  routers: readonly { readonly asn: number; readonly addresses: readonly string[] }[],
  services: readonly { readonly name: string; readonly advertised: boolean }[],
): { documents: ManifestDocument[]; facts: BgpFacts; advertisedServices: ReadonlySet<string> } {
  const documents: ManifestDocument[] = [];
  const clusterConfigs: string[] = [];
  const instanceName = `instance-${choice.localASN}`;
  const peersFor = (subnet: number): unknown[] =>
    routers.map((r, i) => ({
      name: peerName(i),
      peerASN: r.asn,
      peerAddress: r.addresses[subnet] ?? '',
      peerConfigRef: { name: 'cilium-peer' },
    }));
  if (choice.peering === 'first-subnet') {
    clusterConfigs.push('cilium-bgp');
    documents.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumBGPClusterConfig',
      metadata: { name: 'cilium-bgp' },
      spec: {
        nodeSelector: { matchLabels: { 'enable-bgp': 'true' } },
        bgpInstances: [{ name: instanceName, localASN: choice.localASN, peers: peersFor(0) }],
      },
    });
  } else {
    for (const s of subnets) {
      const name = `cilium-bgp-rack${s.index + 1}`;
      clusterConfigs.push(name);
      documents.push({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumBGPClusterConfig',
        metadata: { name },
        spec: {
          nodeSelector: { matchLabels: { 'enable-bgp': 'true', rack: `rack${s.index + 1}` } },
          bgpInstances: [{ name: instanceName, localASN: choice.localASN, peers: peersFor(s.index) }],
        },
      });
    }
  }
  const multihop = choice.multihop || (choice.peering === 'first-subnet' && subnets.length > 1);
  documents.push({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumBGPPeerConfig',
    metadata: { name: 'cilium-peer' },
    spec: {
      ...(choice.timers ? { timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 } } : {}),
      ...(multihop ? { ebgpMultihop: 2 } : {}),
      ...(choice.gracefulRestart ? { gracefulRestart: { enabled: true, restartTimeSeconds: 15 } } : {}),
      families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { advertise: 'bgp' } } }],
    },
  });
  if (choice.podCIDR) {
    documents.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumBGPAdvertisement',
      metadata: { name: 'bgp-advertisements', labels: { advertise: 'bgp' } },
      spec: { advertisements: [{ advertisementType: 'PodCIDR' }] },
    });
  }
  const advertised = new Set<string>();
  let serviceAddresses = choice.serviceAddresses;
  if (serviceAddresses.length > 0) {
    let selector: unknown;
    if (choice.selectAll) {
      selector = { matchExpressions: [{ key: 'somekey', operator: 'NotIn', values: ['never-used-value'] }] };
      for (const s of services) advertised.add(s.name);
    } else {
      const names = [...new Set(services.filter((s) => s.advertised).map((s) => s.name))].sort();
      if (names.length > 0) selector = { matchExpressions: [{ key: 'app', operator: 'In', values: names }] };
      for (const n of names) advertised.add(n);
    }
    if (selector === undefined) {
      serviceAddresses = [];
    } else {
      documents.push({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumBGPAdvertisement',
        metadata: { name: 'bgp-advertisements-services', labels: { advertise: 'bgp' } },
        spec: {
          advertisements: [
            { advertisementType: 'Service', service: { addresses: [...serviceAddresses] }, selector },
          ],
        },
      });
    }
  }
  const facts: BgpFacts = {
    localASN: choice.localASN,
    peering: choice.peering,
    clusterConfigs,
    peerNames: routers.map((_, i) => peerName(i)),
    podCIDR: choice.podCIDR,
    serviceAddresses,
  };
  return { documents, facts, advertisedServices: advertised };
}

/** Builds one service's facts (allocating from the shared pools) and its documents. */
function buildService(
  choice: ServiceChoice,
  index: number,
  nodes: readonly NodeFacts[],
  usedClusterIPs: Set<number>,
  usedNodePorts: Set<number>,
  podOctets: readonly Set<number>[],
): { facts: Omit<ServiceFacts, 'bgpAdvertised'>; pods: PodFacts[]; containerPorts: ServicePortFacts[] } {
  const name = serviceName(index);
  const namespace = NAMESPACES[choice.namespace % NAMESPACES.length] ?? 'default';
  const labels: Record<string, string> = { app: name, ...(choice.color !== undefined ? { color: choice.color } : {}) };
  const type = choice.type;
  if (type === 'ExternalName') {
    return {
      facts: {
        namespace, name, type, ports: [], internalTrafficPolicy: 'Cluster', externalIPs: [],
        sessionAffinity: 'None', labels, backends: [],
      },
      pods: [],
      containerPorts: [],
    };
  }
  const withNodePort = type === 'NodePort' || type === 'LoadBalancer';
  const catalogue = [...new Set(choice.ports)].sort((a, b) => a - b);
  const single = catalogue.length === 1;
  const ports: ServicePortFacts[] = catalogue.map((k) => {
    const p = PORT_CATALOGUE[k % PORT_CATALOGUE.length] ?? PORT_CATALOGUE[0]!;
    const nodePort = withNodePort ? allocate(choice.nodePortSeed + k * 97, 2768, usedNodePorts) : undefined;
    return {
      ...(single && !choice.namedSinglePort ? {} : { name: p.name }),
      port: p.port,
      targetPort: p.targetPort,
      containerPort: p.containerPort,
      protocol: p.protocol,
      ...(nodePort !== undefined ? { nodePort: 30000 + nodePort } : {}),
    };
  });
  const clusterIPOffset =
    type === 'Headless' ? undefined : allocate(choice.clusterIPSeed, 65536, usedClusterIPs, RESERVED_CLUSTER_IPS);
  const eTP = withNodePort ? (choice.eTPLocal ? 'Local' : 'Cluster') : undefined;
  const healthCheck =
    type === 'LoadBalancer' && eTP === 'Local' ? allocate(choice.nodePortSeed + 1013, 2768, usedNodePorts) : undefined;
  const pods: PodFacts[] = [];
  const backends: BackendFacts[] = [];
  choice.pods.forEach((pc, j) => {
    if (nodes.length === 0) return;
    const nodeIndex = pc.node % nodes.length;
    const node = nodes[nodeIndex]!;
    const octets = podOctets[nodeIndex]!;
    const octet = allocate(pc.hostOctet - 2, 253, octets);
    if (octet === undefined) return;
    const ip = node.podCIDR.replace(/\.0\/24$/, `.${octet + 2}`);
    const pod = podName(index, j);
    pods.push({
      namespace, name: pod, node: node.name, ip, labels: { app: name }, ready: pc.ready,
      terminating: pc.terminating, service: name,
    });
    backends.push({ pod, node: node.name, ip, ready: pc.ready, terminating: pc.terminating });
  });
  return {
    facts: {
      namespace,
      name,
      type,
      ...(clusterIPOffset !== undefined ? { clusterIP: clusterIPFromOffset(clusterIPOffset) } : {}),
      ports,
      ...(eTP !== undefined ? { externalTrafficPolicy: eTP } : {}),
      internalTrafficPolicy: choice.iTPLocal && type !== 'Headless' ? 'Local' : 'Cluster',
      ...(healthCheck !== undefined ? { healthCheckNodePort: 30000 + healthCheck } : {}),
      externalIPs: choice.externalIP && type !== 'Headless' ? [`203.0.113.${(index % 254) + 1}`] : [],
      sessionAffinity: choice.affinity && type !== 'Headless' ? 'ClientIP' : 'None',
      labels,
      selector: { app: name },
      backends,
    },
    pods,
    containerPorts: ports,
  };
}

/** A Service document from its facts. */
export function serviceDocument(s: ServiceFacts): ManifestDocument {
  const spec: Record<string, unknown> = {};
  if (s.type === 'ExternalName') {
    spec['type'] = 'ExternalName';
    spec['externalName'] = `${s.name}.example.com`;
  } else {
    spec['type'] = s.type === 'Headless' ? 'ClusterIP' : s.type;
    if (s.type === 'Headless') spec['clusterIP'] = 'None';
    else if (s.clusterIP !== undefined) {
      spec['clusterIP'] = s.clusterIP;
      spec['clusterIPs'] = [s.clusterIP];
    }
    if (s.externalTrafficPolicy !== undefined) spec['externalTrafficPolicy'] = s.externalTrafficPolicy;
    if (s.type !== 'Headless') spec['internalTrafficPolicy'] = s.internalTrafficPolicy;
    if (s.healthCheckNodePort !== undefined) spec['healthCheckNodePort'] = s.healthCheckNodePort;
    if (s.externalIPs.length > 0) spec['externalIPs'] = [...s.externalIPs];
    if (s.sessionAffinity === 'ClientIP') spec['sessionAffinity'] = 'ClientIP';
    if (s.selector !== undefined) spec['selector'] = { ...s.selector };
    spec['ports'] = s.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      port: p.port,
      targetPort: p.targetPort,
      ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
      protocol: p.protocol,
    }));
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels } },
    spec,
  };
}

/** A Pod document (image `traefik/whoami` for backends, `nicolaka/netshoot` for clients). */
export function podDocument(p: PodFacts, ports: readonly ServicePortFacts[]): ManifestDocument {
  const containerPorts = ports.map((sp) => ({
    ...(typeof sp.targetPort === 'string' ? { name: sp.targetPort } : {}),
    containerPort: sp.containerPort,
    ...(sp.protocol !== 'TCP' ? { protocol: sp.protocol } : {}),
  }));
  const container =
    p.service !== undefined
      ? { name: p.service, image: 'traefik/whoami', ...(containerPorts.length > 0 ? { ports: containerPorts } : {}) }
      : { name: 'curl', image: 'nicolaka/netshoot' };
  const status: Record<string, unknown> = { phase: 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }] };
  if (!p.ready) status['conditions'] = [{ type: 'Ready', status: 'False' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: { ...p.labels },
      ...(p.terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: { nodeName: p.node, containers: [container] },
    status,
  };
}

/** The EndpointSlice the endpoint-slice controller writes for a service with a selector. */
export function endpointSliceDocument(s: ServiceFacts, serviceIndex: number): ManifestDocument {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${s.name}-${encodeSuffix(mix32(serviceIndex + 7919) % SUFFIXES, 5)}`,
      namespace: s.namespace,
      labels: {
        'kubernetes.io/service-name': s.name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    endpoints: s.backends.map((b) => ({
      addresses: [b.ip],
      conditions: { ready: b.ready && !b.terminating, serving: b.ready, terminating: b.terminating },
      nodeName: b.node,
      targetRef: { kind: 'Pod', namespace: s.namespace, name: b.pod },
    })),
    ports: s.ports.map((p) => ({ name: p.name ?? '', port: p.containerPort, protocol: p.protocol })),
  };
}

/** Builds a whole scenario from its choices. */
export function buildScenario(choice: ScenarioChoice): GeneratedScenario {
  const subnetCount = Math.max(1, Math.min(3, choice.subnetCount));
  const routerCount = Math.max(1, Math.min(2, choice.routers.length));
  const bgpOn = choice.bgp !== undefined;

  // Subnets and routers' addresses on them.
  const subnets: SubnetFacts[] = [];
  for (let i = 0; i < subnetCount; i += 1) {
    const o = subnetOctet(i);
    subnets.push({
      index: i,
      cidr: `192.168.${o}.0/24`,
      routerAddresses: Array.from({ length: routerCount }, (_, r) => `192.168.${o}.${200 + r}`),
    });
  }

  // Nodes: address = 100 + rank within the subnet; pod CIDR = 172.20.<index>.0/24.
  const perSubnet = new Array<number>(subnetCount).fill(0);
  const nodes: NodeFacts[] = choice.nodes.map((nc, i) => {
    const subnet = nc.subnet % subnetCount;
    const rank = perSubnet[subnet] ?? 0;
    perSubnet[subnet] = rank + 1;
    const name = nodeName(i);
    const bgpSelected = bgpOn && nc.bgpLabel;
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      rack: `rack${subnet + 1}`,
      ...(bgpSelected ? { 'enable-bgp': 'true' } : {}),
    };
    return {
      name,
      index: i,
      subnet,
      internalIP: `192.168.${subnetOctet(subnet)}.${100 + rank}`,
      podCIDR: `172.20.${i}.0/24`,
      labels,
      bgpSelected,
      explicitHost: choice.withNodeHosts,
    };
  });

  // Cilium configuration.
  const config = buildConfig(choice.config, bgpOn);

  // Routers.
  const routerChoices = choice.routers.length > 0 ? choice.routers.slice(0, routerCount) : [DEFAULT_ROUTER];
  const routerBase = routerChoices.map((rc, r) => {
    const loopbacks = [`10.10.${2 * r + 1}.0/24`, `10.10.${2 * r + 2}.0/24`];
    return {
      name: routerName(r),
      index: r,
      asn: 65000 + 10 * r,
      routerId: subnets[0]?.routerAddresses[r] ?? '',
      addresses: subnets.map((s) => s.routerAddresses[r] ?? ''),
      loopbacks,
      advertisedNetworks: bgpOn ? loopbacks.slice(0, rc.networks) : [],
      neighbors: [] as string[],
      remoteAs: (rc.remoteAsNumber && choice.bgp !== undefined ? choice.bgp.localASN : 'external') as 'external' | number,
      ...(rc.maximumPaths !== undefined ? { maximumPaths: rc.maximumPaths } : {}),
      ...(rc.hashPolicy !== undefined ? { hashPolicy: rc.hashPolicy } : {}),
    };
  });
  const routers: RouterFacts[] = routerBase.map((rb, r) => {
    const rc = routerChoices[r]!;
    if (!bgpOn) return rb;
    const nodeAddresses = nodes.map((n) => n.internalIP);
    const others = routerBase
      .filter((o) => o.index !== r)
      .map((o) => ({ address: o.addresses[0] ?? '', asn: o.asn }));
    const frr = frrConfig(rb, rc, nodeAddresses, others);
    return { ...rb, neighbors: [...nodeAddresses, ...others.map((o) => o.address)], frr };
  });

  // Services and pods.
  const usedClusterIPs = new Set<number>();
  const usedNodePorts = new Set<number>();
  const podOctets = nodes.map(() => new Set<number>());
  const built = choice.services.map((sc, i) =>
    buildService(sc, i, nodes, usedClusterIPs, usedNodePorts, podOctets),
  );

  // BGP.
  const bgp =
    choice.bgp !== undefined
      ? buildBgp(
          choice.bgp,
          subnets,
          routers,
          built.map((b, i) => ({ name: b.facts.name, advertised: choice.services[i]?.advertised ?? false })),
        )
      : undefined;
  const services: ServiceFacts[] = built.map((b) => ({
    ...b.facts,
    bgpAdvertised: bgp !== undefined && bgp.facts.serviceAddresses.length > 0 && bgp.advertisedServices.has(b.facts.name),
  }));

  // Client pods.
  const clientPods: PodFacts[] = [];
  choice.clients.forEach((cc, k) => {
    if (nodes.length === 0) return;
    const nodeIndex = cc.node % nodes.length;
    const node = nodes[nodeIndex]!;
    const octet = allocate(cc.hostOctet - 2, 253, podOctets[nodeIndex]!);
    if (octet === undefined) return;
    clientPods.push({
      namespace: 'default',
      name: k === 0 ? 'curl-pod' : `curl-pod-${k + 1}`,
      node: node.name,
      ip: node.podCIDR.replace(/\.0\/24$/, `.${octet + 2}`),
      labels: { app: 'curl' },
      ready: true,
      terminating: false,
    });
  });

  // Pools.
  const pools = choice.pools.map((pc, i) => buildPool(pc, i));

  // Namespaces.
  const namespaces = [
    'default',
    ...NAMESPACES.filter((n) => n !== 'default' && services.some((s) => s.namespace === n)),
  ];

  // Routers' static routes to pod CIDRs when nothing else tells them (native routing, no BGP).
  const routerStaticRoutes =
    !bgpOn && config.facts.routingMode === 'native'
      ? nodes.map((n) => `${n.podCIDR} via ${n.internalIP} dev eth${n.subnet + 1} proto static`)
      : [];

  // Documents, in a fixed order.
  const documents: ManifestDocument[] = [config.document];
  for (const n of namespaces) {
    if (n !== 'default') documents.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  }
  for (const n of nodes) documents.push(nodeDocument(n));
  if (choice.withNodeHosts) for (const n of nodes) documents.push(nodeHostDocument(n, subnets, choice.uplink));
  for (const r of routers) documents.push(routerHostDocument(r, subnets, choice.uplink, routerStaticRoutes));
  if (bgp !== undefined) documents.push(...bgp.documents);
  for (const p of pools) documents.push(p.document);
  for (const s of services) documents.push(serviceDocument(s));
  const podsAll: PodFacts[] = [];
  built.forEach((b) => {
    for (const p of b.pods) {
      documents.push(podDocument(p, b.containerPorts));
      podsAll.push(p);
    }
  });
  for (const p of clientPods) {
    documents.push(podDocument(p, []));
    podsAll.push(p);
  }
  if (choice.withEndpointSlices) {
    services.forEach((s, i) => {
      if (s.selector !== undefined) documents.push(endpointSliceDocument(s, i));
    });
  }

  return {
    documents,
    facts: {
      subnets,
      nodes,
      routers,
      config: config.facts,
      namespaces,
      services,
      pods: podsAll,
      pools: pools.map((p) => p.facts),
      ...(bgp !== undefined ? { bgp: bgp.facts } : {}),
      withEndpointSlices: choice.withEndpointSlices,
      uplink: choice.uplink,
    },
  };
}
