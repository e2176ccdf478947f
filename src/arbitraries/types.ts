/**
 * Types of the generators: the knobs ({@link ScenarioOptions}) and what a generated scenario
 * carries ({@link GeneratedScenario}: raw documents plus the facts the generator knows).
 *
 * @module
 */

/**
 * One manifest as a user writes it in YAML: a plain, JSON-compatible object with `apiVersion`,
 * `kind`, `metadata` and the kind's own fields.
 *
 * @example
 * ```ts
 * const doc: ManifestDocument = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } };
 * ```
 */
export type ManifestDocument = Readonly<Record<string, unknown>>;

/**
 * An inclusive size range.
 *
 * @example
 * ```ts
 * const r: SizeRange = { min: 1, max: 3 };
 * ```
 */
export interface SizeRange {
  /** Smallest size (inclusive). */
  readonly min?: number;
  /** Largest size (inclusive). */
  readonly max?: number;
}

/**
 * A feature knob: a fixed value, or `'any'` to let the generator choose (and shrink).
 *
 * @example
 * ```ts
 * const bgp: Choice<boolean> = 'any';
 * ```
 */
export type Choice<T> = T | 'any';

/**
 * Service kinds the generator can produce. `Headless` is a ClusterIP service with
 * `clusterIP: None`.
 *
 * @example
 * ```ts
 * const kinds: readonly GeneratedServiceType[] = ['ClusterIP', 'LoadBalancer'];
 * ```
 */
export type GeneratedServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless' | 'ExternalName';

/**
 * The knobs of {@link GeneratedScenario} generation. Every field is optional; absent means the
 * default given on each field.
 *
 * @example
 * ```ts
 * const options: ScenarioOptions = {
 *   nodes: { min: 2, max: 5 },
 *   bgp: true,
 *   lbIpam: true,
 *   serviceTypes: ['LoadBalancer'],
 * };
 * ```
 */
export interface ScenarioOptions {
  /** Number of Kubernetes nodes, within 1..50 (default 1..8). */
  readonly nodes?: SizeRange;
  /** Number of node subnets, within 1..3 (default 1..3). Subnets may end up with no node. */
  readonly subnets?: SizeRange;
  /** Number of routers joining the subnets, within 1..2 (default 1..2). */
  readonly routers?: SizeRange;
  /** Number of services, within 0..200 (default 0..6). */
  readonly services?: SizeRange;
  /** Backend pods per service, within 0..20 (default 0..4). */
  readonly podsPerService?: SizeRange;
  /** Client pods (`curl-pod`, netshoot) not behind any service, within 0..5 (default 0..2). */
  readonly clients?: SizeRange;
  /** Service kinds to draw from (default ClusterIP, NodePort, LoadBalancer). */
  readonly serviceTypes?: readonly GeneratedServiceType[];
  /** BGP control plane on, with cluster/peer/advertisement configs and FRR peering (default any). */
  readonly bgp?: Choice<boolean>;
  /** LB IPAM pools present (default any); without, LoadBalancer services stay pending. */
  readonly lbIpam?: Choice<boolean>;
  /** `routing-mode` (default any). */
  readonly routing?: Choice<'native' | 'tunnel'>;
  /** `kube-proxy-replacement` (default any; forced on by DSR, hybrid, Maglev, external ClusterIP or BPF masquerade). */
  readonly kubeProxyReplacement?: Choice<boolean>;
  /** `bpf-lb-algorithm` (default any). */
  readonly lbAlgorithm?: Choice<'random' | 'maglev'>;
  /** `bpf-lb-mode` (default any; `snat` only when kube-proxy replacement is fixed off). */
  readonly lbMode?: Choice<'snat' | 'dsr' | 'hybrid'>;
  /** `bpf-lb-dsr-dispatch` in native routing (default any of `opt`, `geneve`; tunnel routing always uses `geneve`). */
  readonly dsrDispatch?: Choice<'opt' | 'geneve'>;
  /** Maglev table sizes to draw from when the algorithm is maglev (default 251, 1021, 16381). */
  readonly maglevTableSizes?: readonly number[];
  /** `bpf-lb-external-clusterip` (default any). */
  readonly externalClusterIP?: Choice<boolean>;
  /** Explicit EndpointSlices (true) or let the cluster stage derive them (false); default any. */
  readonly withEndpointSlices?: Choice<boolean>;
  /** Explicit `Host` documents for the nodes (true) or the implicit default host (false); default any. */
  readonly withNodeHosts?: Choice<boolean>;
  /**
   * How hosts reach the outside: `nat` = the lab's `eth0` 10.0.2.15/24 with a default route via
   * 10.0.2.2 on every machine; `router` = default route via the first router. Default any.
   */
  readonly uplink?: Choice<'nat' | 'router'>;
  /** The routers' `net.ipv4.fib_multipath_hash_policy`: 0, 1, or `'unset'` (default any). */
  readonly hashPolicy?: Choice<0 | 1 | 'unset'>;
  /** Omit `cilium-config` keys equal to Cilium 1.18's default (default any). */
  readonly minimalConfig?: Choice<boolean>;
  /**
   * ipv6 (issue 18): make the scenario dual-stack by giving every IPv4 object an IPv6 mirror
   * (`fd00::a.b.c.d`; see `withDualStack`); the facts stay the IPv4 ones. Default false.
   */
  readonly dualStack?: boolean;
}

/**
 * A subnet joining nodes and routers.
 *
 * @example
 * ```ts
 * const s: SubnetFacts = { index: 0, cidr: '192.168.10.0/24', routerAddresses: ['192.168.10.200'] };
 * ```
 */
export interface SubnetFacts {
  /** Position (0-based). */
  readonly index: number;
  /** The subnet, e.g. `192.168.10.0/24`. */
  readonly cidr: string;
  /** Each router's address on it, by router index. */
  readonly routerAddresses: readonly string[];
}

/**
 * A generated Kubernetes node.
 *
 * @example
 * ```ts
 * const n: NodeFacts = {
 *   name: 'k8s-ctr', index: 0, subnet: 0, internalIP: '192.168.10.100', podCIDR: '172.20.0.0/24',
 *   labels: { 'kubernetes.io/hostname': 'k8s-ctr' }, bgpSelected: true, explicitHost: true,
 * };
 * ```
 */
export interface NodeFacts {
  /** Node name (`k8s-ctr`, `k8s-w1`, …). */
  readonly name: string;
  /** Position (0-based); node 0 is the control plane. */
  readonly index: number;
  /** Index of its subnet. */
  readonly subnet: number;
  /** InternalIP. */
  readonly internalIP: string;
  /** Its pod CIDR. */
  readonly podCIDR: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** True when a BGP cluster config selects it (BGP on and label `enable-bgp: "true"`). */
  readonly bgpSelected: boolean;
  /** True when the scenario holds a `Host` document for it. */
  readonly explicitHost: boolean;
}

/**
 * A generated FRR router (a `Host` with an `frr:` configuration when BGP is on).
 *
 * @example
 * ```ts
 * const r: RouterFacts = {
 *   name: 'router', index: 0, asn: 65000, routerId: '192.168.10.200',
 *   addresses: ['192.168.10.200'], loopbacks: ['10.10.1.0/24', '10.10.2.0/24'],
 *   advertisedNetworks: ['10.10.1.0/24'], neighbors: ['192.168.10.100'],
 *   remoteAs: 'external', maximumPaths: 4, hashPolicy: undefined, frr: 'router bgp 65000\n',
 * };
 * ```
 */
export interface RouterFacts {
  /** Host name (`router`, `router2`). */
  readonly name: string;
  /** Position (0-based). */
  readonly index: number;
  /** Its AS number (65000, 65010). */
  readonly asn: number;
  /** `bgp router-id` (its address on the first subnet). */
  readonly routerId: string;
  /** Its address on each subnet, by subnet index (interface `eth<i+1>`). */
  readonly addresses: readonly string[];
  /** Its loopback networks (interfaces `loop1`, `loop2`). */
  readonly loopbacks: readonly string[];
  /** Networks it originates in BGP (`network …`). */
  readonly advertisedNetworks: readonly string[];
  /** BGP neighbor addresses: every node's InternalIP, then the other router (empty when BGP is off). */
  readonly neighbors: readonly string[];
  /** How the Cilium neighbors' AS is written: `external` or the number. */
  readonly remoteAs: 'external' | number;
  /** `maximum-paths`, when configured (FRR's packaged default 256 otherwise). */
  readonly maximumPaths?: number;
  /** `net.ipv4.fib_multipath_hash_policy`, when set. */
  readonly hashPolicy?: 0 | 1;
  /** The FRR configuration text, when BGP is on. */
  readonly frr?: string;
}

/**
 * The effective Cilium configuration of a generated scenario (after defaults).
 *
 * @example
 * ```ts
 * declare const c: ConfigFacts;
 * if (c.lbAlgorithm === 'maglev') console.log(c.maglevTableSize);
 * ```
 */
export interface ConfigFacts {
  /** `routing-mode`. */
  readonly routingMode: 'native' | 'tunnel';
  /** `tunnel-protocol`. */
  readonly tunnelProtocol: 'vxlan' | 'geneve';
  /** `auto-direct-node-routes` (only ever true in native routing). */
  readonly autoDirectNodeRoutes: boolean;
  /** `ipv4-native-routing-cidr` (native routing only). */
  readonly nativeRoutingCIDR?: string;
  /** `kube-proxy-replacement`. */
  readonly kubeProxyReplacement: boolean;
  /** `enable-bpf-masquerade`. */
  readonly bpfMasquerade: boolean;
  /** `enable-bgp-control-plane`. */
  readonly bgpControlPlane: boolean;
  /** `bpf-lb-algorithm`. */
  readonly lbAlgorithm: 'random' | 'maglev';
  /** `bpf-lb-maglev-table-size` (16381 when not set). */
  readonly maglevTableSize: number;
  /** `bpf-lb-maglev-hash-seed` (`JLfvgnHc2kaSUFaI` when not set). */
  readonly maglevHashSeed: string;
  /** `bpf-lb-mode`. */
  readonly lbMode: 'snat' | 'dsr' | 'hybrid';
  /** `bpf-lb-dsr-dispatch` (`opt` when not set). */
  readonly dsrDispatch: 'opt' | 'geneve';
  /** `bpf-lb-external-clusterip`. */
  readonly externalClusterIP: boolean;
  /** The ConfigMap's `data` exactly as generated. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * A port of a generated service.
 *
 * @example
 * ```ts
 * const p: ServicePortFacts = { name: 'http', port: 80, targetPort: 80, containerPort: 80, protocol: 'TCP', nodePort: 31726 };
 * ```
 */
export interface ServicePortFacts {
  /** Port name, when given. */
  readonly name?: string;
  /** Service port. */
  readonly port: number;
  /** `targetPort` as written (a number or a container port name). */
  readonly targetPort: number | string;
  /** The backend's port number (`targetPort` resolved against the pods' container ports). */
  readonly containerPort: number;
  /** Protocol. */
  readonly protocol: 'TCP' | 'UDP';
  /** `nodePort` (NodePort and LoadBalancer). */
  readonly nodePort?: number;
}

/**
 * A backend pod of a generated service.
 *
 * @example
 * ```ts
 * const b: BackendFacts = { pod: 'webpod-7d4f9b2c6x-b2k4q', node: 'k8s-w1', ip: '172.20.1.76', ready: true, terminating: false };
 * ```
 */
export interface BackendFacts {
  /** Pod name (same namespace as the service). */
  readonly pod: string;
  /** Node it runs on. */
  readonly node: string;
  /** Pod IP. */
  readonly ip: string;
  /** Pod Ready condition. */
  readonly ready: boolean;
  /** Pod is terminating (`deletionTimestamp` set). */
  readonly terminating: boolean;
}

/**
 * A generated service.
 *
 * @example
 * ```ts
 * declare const s: ServiceFacts;
 * const localNodes = new Set(s.backends.map((b) => b.node));
 * ```
 */
export interface ServiceFacts {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Kind as generated (`Headless` = ClusterIP with `clusterIP: None`). */
  readonly type: GeneratedServiceType;
  /** ClusterIP (absent for Headless and ExternalName). */
  readonly clusterIP?: string;
  /** Ports (empty for ExternalName). */
  readonly ports: readonly ServicePortFacts[];
  /** `externalTrafficPolicy` (NodePort and LoadBalancer only). */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** `internalTrafficPolicy`. */
  readonly internalTrafficPolicy: 'Cluster' | 'Local';
  /** `healthCheckNodePort` (LoadBalancer with eTP Local). */
  readonly healthCheckNodePort?: number;
  /** `externalIPs`. */
  readonly externalIPs: readonly string[];
  /** `sessionAffinity`. */
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** Labels (`app`, and `color` when a pool selector may pick it). */
  readonly labels: Readonly<Record<string, string>>;
  /** Selector (absent for ExternalName). */
  readonly selector?: Readonly<Record<string, string>>;
  /** Pods selected by the service (all Running, with an IP). */
  readonly backends: readonly BackendFacts[];
  /** True when a BGP Service advertisement's selector picks it. */
  readonly bgpAdvertised: boolean;
}

/**
 * A generated pod.
 *
 * @example
 * ```ts
 * const p: PodFacts = {
 *   namespace: 'default', name: 'curl-pod', node: 'k8s-ctr', ip: '172.20.0.247',
 *   labels: { app: 'curl' }, ready: true, terminating: false,
 * };
 * ```
 */
export interface PodFacts {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Node it runs on. */
  readonly node: string;
  /** Pod IP (inside the node's pod CIDR). */
  readonly ip: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Ready condition. */
  readonly ready: boolean;
  /** Terminating. */
  readonly terminating: boolean;
  /** The service whose backend it is, when any. */
  readonly service?: string;
}

/**
 * A generated LB IPAM pool.
 *
 * @example
 * ```ts
 * const p: PoolFacts = { name: 'cilium-pool', block: { cidr: '172.16.1.0/24' }, allowFirstLastIPs: 'No' };
 * ```
 */
export interface PoolFacts {
  /** Pool name. */
  readonly name: string;
  /** Its one block: a CIDR or a start/stop range. */
  readonly block: { readonly cidr: string } | { readonly start: string; readonly stop: string };
  /** The network that holds the block (for range blocks, the /24 around it). */
  readonly network: string;
  /** `allowFirstLastIPs`, when given. */
  readonly allowFirstLastIPs?: 'Yes' | 'No';
  /** `serviceSelector.matchLabels`, when given (absent = every service). */
  readonly serviceSelector?: Readonly<Record<string, string>>;
}

/**
 * The BGP set-up of a generated scenario.
 *
 * @example
 * ```ts
 * declare const b: BgpFacts;
 * if (b.peering === 'per-subnet') console.log(b.clusterConfigs);
 * ```
 */
export interface BgpFacts {
  /** The Cilium nodes' AS. */
  readonly localASN: number;
  /** `first-subnet`: every node peers with each router's first-subnet address (multihop);
   *  `per-subnet`: one cluster config per subnet, peering with the router's address on it. */
  readonly peering: 'first-subnet' | 'per-subnet';
  /** Names of the `CiliumBGPClusterConfig`s. */
  readonly clusterConfigs: readonly string[];
  /** Peer names, by router index (`tor-switch`, `tor-switch-2`). */
  readonly peerNames: readonly string[];
  /** True when a PodCIDR advertisement is present. */
  readonly podCIDR: boolean;
  /** Service address types advertised (empty = no Service advertisement). */
  readonly serviceAddresses: readonly ('LoadBalancerIP' | 'ClusterIP' | 'ExternalIP')[];
}

/**
 * Everything the generator knows about a generated scenario, so that properties can state
 * expectations without decoding it again. Addresses are strings in dotted form.
 *
 * @example
 * ```ts
 * declare const facts: ScenarioFacts;
 * const lbServices = facts.services.filter((s) => s.type === 'LoadBalancer');
 * ```
 */
export interface ScenarioFacts {
  /** Subnets. */
  readonly subnets: readonly SubnetFacts[];
  /** Nodes, by index. */
  readonly nodes: readonly NodeFacts[];
  /** Routers, by index. */
  readonly routers: readonly RouterFacts[];
  /** Effective Cilium configuration. */
  readonly config: ConfigFacts;
  /** Namespaces used (`default` first). */
  readonly namespaces: readonly string[];
  /** Services, in generation order. */
  readonly services: readonly ServiceFacts[];
  /** Every pod (backends, then clients). */
  readonly pods: readonly PodFacts[];
  /** LB IPAM pools. */
  readonly pools: readonly PoolFacts[];
  /** BGP set-up, when BGP is on. */
  readonly bgp?: BgpFacts;
  /** True when EndpointSlices are given explicitly. */
  readonly withEndpointSlices: boolean;
  /** How hosts reach the outside. */
  readonly uplink: 'nat' | 'router';
}

/**
 * A generated scenario: the documents (as a user writes them) and the generator's facts.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scenarioArbitrary, toYaml } from 'cilium-twin/arbitraries';
 * const [s] = fc.sample(scenarioArbitrary({ nodes: { min: 3, max: 3 } }), 1);
 * console.log(toYaml(s!.documents), s!.facts.nodes.map((n) => n.name));
 * ```
 */
export interface GeneratedScenario {
  /** The manifests, in a fixed order (config, namespaces, nodes, hosts, BGP, pools, services, pods, slices). */
  readonly documents: readonly ManifestDocument[];
  /** What the generator knows. */
  readonly facts: ScenarioFacts;
}
