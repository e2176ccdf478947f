/**
 * The cluster: a decoded {@link Scenario} plus the facts Cilium and Kubernetes derive from it
 * (agent configuration with 1.18 defaults, CiliumNodes, EndpointSlices, a Host per node).
 * Every later stage takes a {@link Cluster}.
 *
 * @module
 */
import type {
  CiliumNode,
  EndpointSlice,
  Host,
  IpPrefix,
  Namespace,
  Scenario,
} from '../input/types.js';
import type { MeshView } from './mesh-view.js';

/**
 * The Cilium agent/operator configuration the model reads, with Cilium 1.18's defaults applied
 * where the `cilium-config` ConfigMap is silent. Keys are those of `cilium config view`.
 */
export interface CiliumConfig {
  /** `cluster-name` (default `default`). */
  readonly clusterName: string;
  /** `cluster-id` (default 0). */
  readonly clusterId: number;
  /** `ipam` (default `cluster-pool`). */
  readonly ipam: string;
  /** `routing-mode`: `tunnel` (default) or `native`. */
  readonly routingMode: 'tunnel' | 'native';
  /** `tunnel-protocol`: `vxlan` (default) or `geneve`. */
  readonly tunnelProtocol: 'vxlan' | 'geneve';
  /** `auto-direct-node-routes` (default false). */
  readonly autoDirectNodeRoutes: boolean;
  /** `ipv4-native-routing-cidr`, when set. */
  readonly ipv4NativeRoutingCIDR?: IpPrefix;
  /** `ipv6-native-routing-cidr`, when set. */
  readonly ipv6NativeRoutingCIDR?: IpPrefix;
  /** `kube-proxy-replacement` (default false). */
  readonly kubeProxyReplacement: boolean;
  /** `enable-ipv4` (default true). */
  readonly enableIPv4: boolean;
  /** `enable-ipv6` (default false). */
  readonly enableIPv6: boolean;
  /** `enable-bpf-masquerade` (default false). */
  readonly enableBpfMasquerade: boolean;
  /** `enable-ipv4-masquerade` (default true). */
  readonly enableIPv4Masquerade: boolean;
  /** `enable-ipv6-masquerade` (default true). */
  readonly enableIPv6Masquerade: boolean;
  /** `enable-bgp-control-plane` (default false). */
  readonly enableBgpControlPlane: boolean;
  /** `bgp-router-id-allocation-mode` (default `default`). */
  readonly bgpRouterIdAllocationMode: string;
  /** `enable-no-service-endpoints-routable` (default true). */
  readonly enableNoServiceEndpointsRoutable: boolean;
  /** `bpf-lb-algorithm`: `random` (default) or `maglev`. */
  readonly lbAlgorithm: 'random' | 'maglev';
  /** `bpf-lb-mode`: `snat` (default), `dsr` or `hybrid`. */
  readonly lbMode: 'snat' | 'dsr' | 'hybrid';
  /** `bpf-lb-dsr-dispatch`: `opt` (default), `ipip` or `geneve`. */
  readonly lbDsrDispatch: 'opt' | 'ipip' | 'geneve';
  /** `bpf-lb-maglev-table-size` (default 16381). */
  readonly maglevTableSize: number;
  /** `bpf-lb-maglev-hash-seed` (base64 of 12 bytes; default `JLfvgnHc2kaSUFaI`). */
  readonly maglevHashSeed: string;
  /** `bpf-lb-external-clusterip` (default false). */
  readonly lbExternalClusterIP: boolean;
  /** `enable-session-affinity` (default true with kube-proxy replacement). */
  readonly enableSessionAffinity: boolean;
  /** `enable-health-check-nodeport` (default true). */
  readonly enableHealthCheckNodePort: boolean;
  /** `enable-health-check-loadbalancer-ip` (default false): a `LB_IP:healthCheckNodePort` frontend to the node's health server. */
  readonly enableHealthCheckLoadBalancerIP: boolean;
  /** `default-lb-service-ipam` (default `lbipam`). */
  readonly defaultLbServiceIpam: 'lbipam' | 'nodeipam' | 'none';
  /** `enable-l2-announcements` (default false). */
  readonly enableL2Announcements: boolean;
  /** `enable-ipv4-egress-gateway` (default false). */
  readonly enableEgressGateway: boolean;
  /** `enable-ip-masq-agent` (default false). */
  readonly enableIpMasqAgent: boolean;
  /** `devices`, when set (space or comma separated in the ConfigMap). */
  readonly devices: readonly string[];
  /** `bpf-lb-algorithm-annotation`: honour `service.cilium.io/lb-algorithm` (default false). */
  readonly lbAlgorithmAnnotation: boolean;
  /** `bpf-lb-mode-annotation`: honour `service.cilium.io/forwarding-mode` (default false). */
  readonly lbModeAnnotation: boolean;
  /** `bpf-lb-source-range-all-types`: check `loadBalancerSourceRanges` on every frontend type (default false). */
  readonly lbSourceRangeAllTypes: boolean;
  /** `bpf-lb-enable-wildcard-entries`: protocol-ANY, port-0 rows for LB/ClusterIP addresses (default false). */
  readonly lbWildcardEntries: boolean;
  /** `max-connected-clusters`: 255 (default) or 511; sets the identity bits of the cluster ID. */
  readonly maxConnectedClusters: 255 | 511;
  /** `clustermesh-enabled` (this model's key, see `src/mesh/`): not `false` (default true). */
  readonly clustermeshEnabled: boolean;
  /**
   * `policy-default-local-cluster` (default false in 1.18, true from 1.19): a policy's pod
   * selector without `io.cilium.k8s.policy.cluster` selects the local cluster's pods only.
   */
  readonly policyDefaultLocalCluster: boolean;
  /** `enable-policy` (or the older `policy-enforcement`): `default`, `always` or `never` (default `default`; other values count as `default`). */
  readonly policyEnforcement: 'default' | 'always' | 'never';
  /** `enable-sctp` (default false). */
  readonly enableSctp: boolean;
  /** `enable-host-legacy-routing` (default false). */
  readonly enableHostLegacyRouting: boolean;
  /** `cluster-pool-ipv4-cidr` (default `10.0.0.0/8`), as written. */
  readonly clusterPoolIPv4Cidrs: readonly string[];
  /** `cluster-pool-ipv4-mask-size` (default 24). */
  readonly clusterPoolIPv4MaskSize: number;
  /** `ipam-multi-pool-pre-allocation`, as written (absent: the operator's `default=8`). */
  readonly ipamMultiPoolPreAllocation?: string;
  /** `l2-announcements-lease-duration` in nanoseconds (default 15s). */
  readonly l2LeaseDuration: number;
  /** `l2-announcements-renew-deadline` in nanoseconds (default 5s). */
  readonly l2RenewDeadline: number;
  /** `l2-announcements-retry-period` in nanoseconds (default 2s). */
  readonly l2RetryPeriod: number;
  /** `enable-local-redirect-policy` (default false). */
  readonly enableLocalRedirectPolicy: boolean;
  /** `enable-service-topology`: topology-aware hints (default false). */
  readonly enableServiceTopology: boolean;
  /** `enable-ingress-controller` (Helm `ingressController.enabled`, default false). */
  readonly enableIngressController: boolean;
  /** `ingress-default-lb-mode` (Helm `ingressController.loadbalancerMode`, default `dedicated`). */
  readonly ingressDefaultLbMode: 'dedicated' | 'shared';
  /** `ingress-shared-lb-service-name` (default `cilium-ingress`). */
  readonly ingressSharedLbServiceName: string;
  /** `enforce-ingress-https` (default true). */
  readonly enforceIngressHttps: boolean;
  /** `ingress-lb-annotation-prefixes`: annotation and label prefixes copied to dedicated ingress Services. */
  readonly ingressLbAnnotationPrefixes: readonly string[];
  /**
   * Every key of the ConfigMap after `--set` overrides, as given: for `cilium config view` and
   * validation messages only. Stages read the typed fields above, never this.
   */
  readonly raw: Readonly<Record<string, string>>;
}

/**
 * A scenario with everything derived: the input of every later stage.
 *
 * @example
 * ```ts
 * import { buildCluster } from 'cilium-twin';
 * import type { Scenario } from 'cilium-twin/input';
 * declare const scenario: Scenario;
 * const cluster = buildCluster(scenario);
 * cluster.config.lbAlgorithm; // 'random' unless cilium-config says otherwise
 * ```
 */
export interface Cluster {
  /** The scenario as decoded. */
  readonly scenario: Scenario;
  /** The agent configuration with defaults and `--set` overrides. */
  readonly config: CiliumConfig;
  /** Every namespace: given ones plus those used by objects (with `kubernetes.io/metadata.name`). */
  readonly namespaces: readonly Namespace[];
  /** One CiliumNode per Node: given, else derived from the Node. Sorted by name. */
  readonly ciliumNodes: readonly CiliumNode[];
  /** EndpointSlices: given ones, plus derived ones for selector services that have none. */
  readonly endpointSlices: readonly EndpointSlice[];
  /** Every Host: given ones, plus a default one (`eth0`, InternalIP/24) for each node without. */
  readonly hosts: readonly Host[];
  /** Warnings found while deriving (nothing fatal). */
  readonly warnings: readonly string[];
  /**
   * The scenario as decoded, before the workloads stage completed it (absent: `scenario` is
   * as decoded). `validate` counts given objects from it.
   */
  readonly given?: Scenario;
  /**
   * What the cluster mesh adds (remote clusters' nodes, pods and global services' backends);
   * absent outside a mesh (see `src/mesh/`).
   */
  readonly mesh?: MeshView;
}
