/**
 * The decoded scenario: every object the later stages read, in precise types.
 *
 * The input stage (`decodeScenario`) turns YAML documents into one {@link Scenario}; nothing after
 * it looks at raw YAML again. Addresses and prefixes are ip-num values. Every list is sorted by
 * identity (namespace, then name) so that the scenario does not depend on document order.
 *
 * @module
 */
import type { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange } from 'ip-num';
import type { IpAddress, IpPrefix } from '../net/addr.js';

export type { IpAddress, IpPrefix };

/** Labels or annotations: string keys to string values. */
export type StringMap = Readonly<Record<string, string>>;

/** L4 protocol as Kubernetes spells it. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * A Kubernetes label selector. `undefined` where a field holds one means "no selector"
 * (whose meaning, nothing or everything, is the consumer's rule); `{}` selects everything.
 *
 * @example
 * const s: LabelSelector = { matchLabels: { app: 'webpod' }, matchExpressions: [] };
 */
export interface LabelSelector {
  /** Exact label matches. */
  readonly matchLabels: StringMap;
  /** Set-based requirements. */
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

/** One set-based requirement of a {@link LabelSelector}. */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Values for `In`/`NotIn`. */
  readonly values: readonly string[];
}

/** The metadata every object keeps. Cluster-scoped objects have no namespace. */
export interface Meta {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace` (namespaced kinds only; defaulted to `default`). */
  readonly namespace?: string;
  /** `metadata.labels` (empty when absent). */
  readonly labels: StringMap;
  /** `metadata.annotations` (empty when absent). */
  readonly annotations: StringMap;
  /** `metadata.creationTimestamp` when given (RFC 3339 text), used where Cilium compares ages. */
  readonly creationTimestamp?: string;
  /** `metadata.uid` when given (Cilium names a pod's HostPort services with it). */
  readonly uid?: string;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes kinds
// ---------------------------------------------------------------------------------------------

/** A `Node`. */
export interface Node {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.podCIDRs` (or `spec.podCIDR` when only that is given). */
  readonly podCIDRs: readonly IpPrefix[];
  /** `spec.taints`. */
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  /** `status.addresses` of type InternalIP and ExternalIP, in the given order. */
  readonly addresses: readonly NodeAddress[];
  /** `status.addresses` of type Hostname, when given. */
  readonly hostname?: string;
  /** `status.conditions[Ready]`; absent means Ready. */
  readonly ready: boolean;
  /** `spec.unschedulable` (cordoned), when true. */
  readonly unschedulable?: boolean;
}

/** An address of a node. */
export interface NodeAddress {
  /** `InternalIP` or `ExternalIP`. */
  readonly type: 'InternalIP' | 'ExternalIP';
  /** The address. */
  readonly address: IpAddress;
}

/** A `Namespace`. */
export interface Namespace {
  /** Metadata (labels include `kubernetes.io/metadata.name`). */
  readonly meta: Meta;
}

/** A container port of a pod. */
export interface ContainerPort {
  /** Port name, when given. */
  readonly name?: string;
  /** `containerPort`. */
  readonly containerPort: number;
  /** Protocol (default TCP). */
  readonly protocol: Protocol;
  /** `hostPort`, when given. */
  readonly hostPort?: number;
  /** `hostIP`, when given. */
  readonly hostIP?: IpAddress;
}

/** A container of a pod. */
export interface Container {
  /** Container name. */
  readonly name: string;
  /** Image reference, e.g. `traefik/whoami`. */
  readonly image: string;
  /** Declared ports. */
  readonly ports: readonly ContainerPort[];
}

/** A `Pod`. */
export interface Pod {
  /** Metadata (namespace always set). */
  readonly meta: Meta;
  /** `spec.nodeName`, when scheduled. */
  readonly nodeName?: string;
  /** `spec.hostNetwork`. */
  readonly hostNetwork: boolean;
  /** Containers. */
  readonly containers: readonly Container[];
  /** `status.podIPs` (or `status.podIP`). */
  readonly podIPs: readonly IpAddress[];
  /** `status.phase`; absent means Running. */
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** `status.conditions[Ready]`; absent means Ready (when Running). */
  readonly ready: boolean;
  /** True when `metadata.deletionTimestamp` is set: the pod is terminating. */
  readonly terminating: boolean;
  /** `spec.serviceAccountName`, when given and not `default` (identity label `io.cilium.k8s.policy.serviceaccount`). */
  readonly serviceAccountName?: string;
  /** What the scheduler reads (absent: nothing to read). */
  readonly scheduling?: PodScheduling;
  /** `metadata.ownerReferences` (absent: none). */
  readonly ownerReferences?: readonly OwnerReference[];
  /** Why a Pending pod is not scheduled (`status.conditions[PodScheduled].message`). */
  readonly pendingMessage?: string;
}

/**
 * What the scheduler reads of a pod's spec (all empty for a pod that says nothing).
 *
 * @example
 * const s: PodScheduling = { nodeSelector: {}, requiredNodeAffinity: [], tolerations: [], podAffinity: [], podAntiAffinity: [], topologySpreadConstraints: [] };
 */
export interface PodScheduling {
  /** `spec.nodeSelector`. */
  readonly nodeSelector: StringMap;
  /**
   * `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`:
   * the terms are ORed, the requirements of a term ANDed (`matchFields` on `metadata.name` appear
   * with the key `metadata.name`).
   */
  readonly requiredNodeAffinity: readonly (readonly NodeSelectorRequirement[])[];
  /** `spec.tolerations`. */
  readonly tolerations: readonly Toleration[];
  /** `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution`. */
  readonly podAffinity: readonly PodAffinityTerm[];
  /** `spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`. */
  readonly podAntiAffinity: readonly PodAffinityTerm[];
  /** `spec.topologySpreadConstraints`. */
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
}

/** A node selector requirement (`nodeSelectorTerms[].matchExpressions[]` or `matchFields[]`). */
export interface NodeSelectorRequirement {
  /** Label key, or `metadata.name` for a `matchFields` requirement. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /** Values. */
  readonly values: readonly string[];
}

/** A toleration of a pod. */
export interface Toleration {
  /** Taint key (empty with `Exists`: every taint). */
  readonly key?: string;
  /** `Equal` (default) or `Exists`. */
  readonly operator: 'Equal' | 'Exists';
  /** Value for `Equal`. */
  readonly value?: string;
  /** Effect (empty: every effect). */
  readonly effect?: string;
}

/** A required pod (anti-)affinity term. */
export interface PodAffinityTerm {
  /** `labelSelector` (absent: matches no pod). */
  readonly labelSelector?: LabelSelector;
  /** `topologyKey`, e.g. `kubernetes.io/hostname`. */
  readonly topologyKey: string;
  /** `namespaces` (empty: the pod's own namespace). */
  readonly namespaces: readonly string[];
}

/** A topology spread constraint. */
export interface TopologySpreadConstraint {
  /** `maxSkew`. */
  readonly maxSkew: number;
  /** `topologyKey`. */
  readonly topologyKey: string;
  /** `DoNotSchedule` or `ScheduleAnyway`. */
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  /** `labelSelector` (absent: matches no pod). */
  readonly labelSelector?: LabelSelector;
}

/** A `metadata.ownerReferences` entry. */
export interface OwnerReference {
  /** `apiVersion`. */
  readonly apiVersion: string;
  /** `kind`. */
  readonly kind: string;
  /** `name`. */
  readonly name: string;
  /** `controller`. */
  readonly controller: boolean;
}

/** A pod template (`spec.template` of a workload controller). */
export interface PodTemplate {
  /** `metadata.labels`. */
  readonly labels: StringMap;
  /** `metadata.annotations`. */
  readonly annotations: StringMap;
  /** `spec.nodeName`, when set. */
  readonly nodeName?: string;
  /** `spec.hostNetwork`. */
  readonly hostNetwork: boolean;
  /** Containers. */
  readonly containers: readonly Container[];
  /** What the scheduler reads. */
  readonly scheduling: PodScheduling;
}

/**
 * A workload controller: `Deployment`, `ReplicaSet`, `DaemonSet` or `StatefulSet` (apps/v1), given
 * or (a Deployment's ReplicaSet) derived by the workloads stage.
 */
export interface WorkloadController {
  /** The kind. */
  readonly kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet' | 'StatefulSet';
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.replicas` (default 1; 0 for a DaemonSet, which has none). */
  readonly replicas: number;
  /** `spec.selector`. */
  readonly selector: LabelSelector;
  /** `spec.template`. */
  readonly template: PodTemplate;
  /** `metadata.ownerReferences`. */
  readonly ownerReferences: readonly OwnerReference[];
  /** `spec.serviceName` of a StatefulSet. */
  readonly serviceName?: string;
}

/** A `ServiceCIDR` (networking.k8s.io): the ranges the API server allocates cluster IPs from. */
export interface ServiceCIDR {
  /** Metadata (the default one is named `kubernetes`). */
  readonly meta: Meta;
  /** `spec.cidrs` (one per family). */
  readonly cidrs: readonly IpPrefix[];
}

/** A port of a Service. */
export interface ServicePort {
  /** Port name (may be empty for single-port services). */
  readonly name?: string;
  /** Protocol (default TCP). */
  readonly protocol: Protocol;
  /** The service port. */
  readonly port: number;
  /** `targetPort`: a number or a named container port; defaults to `port`. */
  readonly targetPort: number | string;
  /** `nodePort` for NodePort/LoadBalancer services, when given. */
  readonly nodePort?: number;
}

/** The type of a Service. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** A `Service`. */
export interface Service {
  /** Metadata (namespace always set; annotations such as `lbipam.cilium.io/ips`). */
  readonly meta: Meta;
  /** `spec.type` (default ClusterIP). */
  readonly type: ServiceType;
  /** `spec.clusterIPs` (or `spec.clusterIP`); empty when headless or not given. */
  readonly clusterIPs: readonly IpAddress[];
  /** True when `clusterIP: None`. */
  readonly headless: boolean;
  /** `spec.ports`. */
  readonly ports: readonly ServicePort[];
  /** `spec.selector`; `undefined` when absent (endpoints managed by hand). */
  readonly selector?: StringMap;
  /** `spec.externalTrafficPolicy` (default Cluster). */
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  /** `spec.internalTrafficPolicy` (default Cluster). */
  readonly internalTrafficPolicy: 'Cluster' | 'Local';
  /** `spec.externalIPs`. */
  readonly externalIPs: readonly IpAddress[];
  /** `spec.loadBalancerClass`, when given. */
  readonly loadBalancerClass?: string;
  /** `spec.loadBalancerIP`, when given (deprecated in Kubernetes, honoured by LB IPAM). */
  readonly loadBalancerIP?: IpAddress;
  /** `spec.loadBalancerSourceRanges`. */
  readonly loadBalancerSourceRanges: readonly IpPrefix[];
  /** `spec.sessionAffinity` (default None). */
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** `spec.trafficDistribution` (`PreferClose`, …), when given. */
  readonly trafficDistribution?: string;
  /** `spec.sessionAffinityConfig.clientIP.timeoutSeconds` (default 10800). */
  readonly sessionAffinityTimeoutSeconds: number;
  /** `spec.healthCheckNodePort`, when given. */
  readonly healthCheckNodePort?: number;
  /** `spec.ipFamilies`, when given. */
  readonly ipFamilies: readonly ('IPv4' | 'IPv6')[];
  /** `spec.ipFamilyPolicy`, when given (ipv6, issue 18; the API server's default is SingleStack). */
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  /** `status.loadBalancer.ingress[].ip`: taken as already allocated when given. */
  readonly loadBalancerIngress: readonly IpAddress[];
}

/** One endpoint of an EndpointSlice. */
export interface Endpoint {
  /** Addresses (one for IPv4/IPv6 slices). */
  readonly addresses: readonly IpAddress[];
  /** `conditions.ready` (absent = true). */
  readonly ready: boolean;
  /** `conditions.serving` (absent = ready). */
  readonly serving: boolean;
  /** `conditions.terminating` (absent = false). */
  readonly terminating: boolean;
  /** `nodeName`, when given. */
  readonly nodeName?: string;
  /** `targetRef` of kind Pod: `namespace/name`, when given. */
  readonly podRef?: { readonly namespace: string; readonly name: string };
  /** `zone` (the node's `topology.kubernetes.io/zone`), when known. */
  readonly zone?: string;
  /** `hints.forZones[].name` (topology-aware routing), when set. */
  readonly forZones?: readonly string[];
}

/** A port of an EndpointSlice. */
export interface EndpointPort {
  /** Name, matching the service port name. */
  readonly name?: string;
  /** Port number on the endpoint. */
  readonly port: number;
  /** Protocol (default TCP). */
  readonly protocol: Protocol;
}

/** An `EndpointSlice` (given, or derived by the cluster stage). */
export interface EndpointSlice {
  /** Metadata. */
  readonly meta: Meta;
  /** The owning service's name (label `kubernetes.io/service-name`). */
  readonly serviceName: string;
  /** `addressType`. */
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN';
  /** Endpoints. */
  readonly endpoints: readonly Endpoint[];
  /** Ports. */
  readonly ports: readonly EndpointPort[];
}

/** An `Ingress`, kept with the fields Cilium's ingress controller reads. */
export interface Ingress {
  /** Metadata (annotations such as `ingress.cilium.io/loadbalancer-mode`). */
  readonly meta: Meta;
  /** `spec.ingressClassName`, when given. */
  readonly ingressClassName?: string;
  /** `spec.rules`: host and HTTP paths to backend services. */
  readonly rules: readonly IngressRule[];
  /** `spec.defaultBackend` service, when given. */
  readonly defaultBackend?: IngressBackend;
  /** `spec.tls`: hosts served over TLS (the secret is not modelled). */
  readonly tls?: readonly { readonly hosts: readonly string[]; readonly secretName?: string }[];
}

/** An `IngressClass` (cluster-scoped): its controller; default class by annotation `ingressclass.kubernetes.io/is-default-class`. */
export interface IngressClass {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.controller` (`cilium.io/ingress-controller` for Cilium's). */
  readonly controller: string;
}

/** A rule of an Ingress. */
export interface IngressRule {
  /** Host, when given. */
  readonly host?: string;
  /** HTTP paths. */
  readonly paths: readonly { readonly path: string; readonly pathType: string; readonly backend: IngressBackend }[];
}

/** A backend service of an Ingress. */
export interface IngressBackend {
  /** Service name. */
  readonly serviceName: string;
  /** Service port, by number or name. */
  readonly port: number | string;
}

/**
 * A policy document (Kubernetes `NetworkPolicy`, `CiliumNetworkPolicy`,
 * `CiliumClusterwideNetworkPolicy`): its specs as JSON and as typed rules (one per spec), which
 * the policy stage (`src/policy/`) translates and enforces.
 */
export interface PolicyDocument {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec` (or the list `specs` for Cilium policies), as JSON. */
  readonly specs: readonly JsonObject[];
  /** The typed rules, one per spec, in the order of `specs`. */
  readonly rules: readonly PolicyRuleSpec[];
}

/**
 * One rule of a policy document, close to its source: a `NetworkPolicy` spec (`flavour: 'k8s'`,
 * `podSelector` as `endpointSelector`) or a Cilium rule (`flavour: 'cilium'`).
 */
export interface PolicyRuleSpec {
  /** Where it came from. */
  readonly flavour: 'k8s' | 'cilium';
  /** `endpointSelector` (or a NetworkPolicy's `podSelector`). */
  readonly endpointSelector?: LabelSelector;
  /** `nodeSelector` (CiliumClusterwideNetworkPolicy only). */
  readonly nodeSelector?: LabelSelector;
  /** `ingress` entries. */
  readonly ingress: readonly PolicyEntry[];
  /** `ingressDeny` entries. */
  readonly ingressDeny: readonly PolicyEntry[];
  /** `egress` entries. */
  readonly egress: readonly PolicyEntry[];
  /** `egressDeny` entries. */
  readonly egressDeny: readonly PolicyEntry[];
  /** `enableDefaultDeny`. */
  readonly enableDefaultDeny: { readonly ingress?: boolean; readonly egress?: boolean };
  /** A NetworkPolicy's `policyTypes`, when given. */
  readonly policyTypes?: readonly ('Ingress' | 'Egress')[];
}

/**
 * One ingress/egress entry: L3 peers AND L4 ports. `peers` undefined: no L3 field (wildcard);
 * an empty list selects nothing. `ports` undefined: every port and protocol.
 */
export interface PolicyEntry {
  /** L3 peers (ORed). */
  readonly peers?: readonly PolicyPeer[];
  /** L4 ports (ORed). */
  readonly ports?: readonly PolicyPort[];
  /** True when an L7 rule rides on the ports (counted as allowing the L4 port). */
  readonly l7: boolean;
  /** The `toPorts` items that carry `rules.http`: their ports and HTTP rules (absent: none). */
  readonly l7Rules?: readonly PolicyL7Ports[];
}

/** A `toPorts` item with HTTP rules: the L4 ports it covers and its `rules.http` list. */
export interface PolicyL7Ports {
  /** The item's ports. */
  readonly ports: readonly PolicyPort[];
  /** `rules.http` (an empty list allows every request). */
  readonly http: readonly HttpRule[];
}

/**
 * One `rules.http` entry of a Cilium policy (`api.PortRuleHTTP`): every field given must match;
 * `method`, `path` and `host` are extended regular expressions matched against the whole value.
 */
export interface HttpRule {
  /** Method regex (`GET`, `GET|POST`). */
  readonly method?: string;
  /** Path regex, matched against the request target (path and query). */
  readonly path?: string;
  /** Host regex, matched against the `Host` header. */
  readonly host?: string;
  /** `headers`: `Name` (present) or `Name: value` (equal). */
  readonly headers?: readonly string[];
  /** `headerMatches`: name and value (absent value: present). */
  readonly headerMatches?: readonly { readonly name: string; readonly value?: string }[];
}

/** An L3 peer of a policy entry. */
export type PolicyPeer =
  | { readonly kind: 'endpoints'; readonly selector: LabelSelector }
  | { readonly kind: 'nodes'; readonly selector: LabelSelector }
  | { readonly kind: 'knp'; readonly podSelector?: LabelSelector; readonly namespaceSelector?: LabelSelector }
  | { readonly kind: 'entity'; readonly entity: string }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  | { readonly kind: 'service'; readonly name: string; readonly namespace?: string }
  | { readonly kind: 'service-selector'; readonly selector: LabelSelector; readonly namespace?: string };

/** A port of a policy entry: number or name, optional range end, protocol (`ANY` for all). */
export interface PolicyPort {
  /** Protocol. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ANY' | 'ICMP' | 'ICMPV6' | 'VRRP' | 'IGMP';
  /** Port number or named port; absent = every port. */
  readonly port?: number | string;
  /** Range end (inclusive). */
  readonly endPort?: number;
}

/**
 * This project's `Traffic` kind (`cilium-twin/v1alpha1`): requests to replay so that
 * `hubble observe` has flows to show. `to` is an IPv4 address, a pod (`namespace/name`, or a
 * unique pod name) or a service (`svc/namespace/name`, its first ClusterIP).
 */
export interface Traffic {
  /** Metadata (cluster-scoped). */
  readonly meta: Meta;
  /** The requests, in order. */
  readonly flows: readonly {
    readonly from: string;
    readonly to: string;
    readonly port: number;
    readonly protocol: Protocol;
    /** An HTTP request on the connection (`path`, optional `host` and `method`): L7 policy and Envoy see it. */
    readonly http?: { readonly path: string; readonly host?: string; readonly method?: string };
  }[];
}

/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Cilium kinds
// ---------------------------------------------------------------------------------------------

/** A `CiliumNode` (given, or derived from the Node by the cluster stage). */
export interface CiliumNode {
  /** Metadata (cluster-scoped; labels copied from the Node when derived). */
  readonly meta: Meta;
  /** `spec.ipam.podCIDRs`. */
  readonly podCIDRs: readonly IpPrefix[];
  /** `spec.addresses[]`: `{type, ip}` with type InternalIP, ExternalIP or CiliumInternalIP. */
  readonly addresses: readonly { readonly type: string; readonly ip: IpAddress }[];
  /**
   * `spec.ipam.pools.allocated[]` (multi-pool IPAM): the CIDRs the operator handed this node per
   * pool, pools by name. In that mode `podCIDRs` lists the same CIDRs in the same order (the
   * agent's allocation CIDRs, as `ParseCiliumNode` reads them).
   */
  readonly pools?: readonly { readonly pool: string; readonly cidrs: readonly IpPrefix[] }[];
}

/** `CiliumBGPClusterConfig`. */
export interface BgpClusterConfig {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.nodeSelector`; `undefined` selects every node. */
  readonly nodeSelector?: LabelSelector;
  /** `spec.bgpInstances`. */
  readonly bgpInstances: readonly BgpClusterInstance[];
}

/** An instance of a cluster config. */
export interface BgpClusterInstance {
  /** Instance name. */
  readonly name: string;
  /** `localASN` (the agent fails the instance when absent). */
  readonly localASN?: number;
  /** `localPort`; absent = do not listen. */
  readonly localPort?: number;
  /** Peers. */
  readonly peers: readonly BgpClusterPeer[];
}

/** A peer of a cluster config instance. */
export interface BgpClusterPeer {
  /** Peer name. */
  readonly name: string;
  /** `peerAddress`, when given. */
  readonly peerAddress?: IpAddress;
  /** `peerASN` (0 = unset / same as local for iBGP per CRD default). */
  readonly peerASN?: number;
  /** `peerConfigRef.name`, when given. */
  readonly peerConfigRef?: string;
  /** `autoDiscovery`, when given. */
  readonly autoDiscovery?:
    | { readonly mode: 'DefaultGateway'; readonly addressFamily: 'ipv4' | 'ipv6' }
    | { readonly mode: 'Unnumbered'; readonly interface: string };
}

/** An address family of a peer config. */
export interface BgpFamily {
  /** `ipv4` or `ipv6`. */
  readonly afi: 'ipv4' | 'ipv6' | 'l2vpn' | 'ls' | 'opaque';
  /** `unicast`, `multicast`, … */
  readonly safi: string;
  /** Selector over CiliumBGPAdvertisement labels; `undefined` = nothing advertised. */
  readonly advertisements?: LabelSelector;
}

/** `CiliumBGPPeerConfig`, exactly as given (defaults are applied by the BGP stage). */
export interface BgpPeerConfig {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.transport.peerPort`. */
  readonly peerPort?: number;
  /** `spec.timers`. */
  readonly timers: {
    readonly connectRetryTimeSeconds?: number;
    readonly holdTimeSeconds?: number;
    readonly keepAliveTimeSeconds?: number;
  };
  /** `spec.authSecretRef`. */
  readonly authSecretRef?: string;
  /** `spec.gracefulRestart`. */
  readonly gracefulRestart?: { readonly enabled: boolean; readonly restartTimeSeconds?: number };
  /** `spec.ebgpMultihop`. */
  readonly ebgpMultihop?: number;
  /** `spec.families` (empty = the default families). */
  readonly families: readonly BgpFamily[];
}

/** BGP path attributes of an advertisement. */
export interface BgpAttributes {
  /** Communities. */
  readonly communities?: {
    readonly standard: readonly string[];
    readonly wellKnown: readonly string[];
    readonly large: readonly string[];
  };
  /** Local preference. */
  readonly localPreference?: number;
}

/** One entry of `CiliumBGPAdvertisement.spec.advertisements`. */
export interface BgpAdvertisementEntry {
  /** Type. */
  readonly advertisementType: 'PodCIDR' | 'CiliumPodIPPool' | 'Service' | 'Interface';
  /** For Service adverts. */
  readonly service?: {
    readonly addresses: readonly ('LoadBalancerIP' | 'ClusterIP' | 'ExternalIP')[];
    readonly aggregationLengthIPv4?: number;
    readonly aggregationLengthIPv6?: number;
  };
  /** For Interface adverts (newer Cilium). */
  readonly interface?: { readonly name: string };
  /** Selector over Services / pools; `undefined` matches nothing. */
  readonly selector?: LabelSelector;
  /** Attributes. */
  readonly attributes?: BgpAttributes;
}

/** `CiliumBGPAdvertisement`. */
export interface BgpAdvertisement {
  /** Metadata (labels are what peer config families select). */
  readonly meta: Meta;
  /** `spec.advertisements`. */
  readonly advertisements: readonly BgpAdvertisementEntry[];
}

/** `CiliumBGPNodeConfigOverride` (name = node name). */
export interface BgpNodeConfigOverride {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.bgpInstances`. */
  readonly bgpInstances: readonly {
    readonly name: string;
    readonly routerID?: IPv4;
    readonly localPort?: number;
    readonly localASN?: number;
    readonly peers: readonly { readonly name: string; readonly localAddress?: IpAddress }[];
  }[];
}

/** A block of an LB IPAM pool: a CIDR, or a start/stop range. */
export type PoolBlock =
  | { readonly cidr: IpPrefix }
  | { readonly start: IpAddress; readonly stop: IpAddress };

/** `CiliumLoadBalancerIPPool`. */
export interface LbIpPool {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.blocks` (or the deprecated `spec.cidrs`). */
  readonly blocks: readonly PoolBlock[];
  /** `spec.allowFirstLastIPs`: `Yes`/`No`; `undefined` when absent (means Yes in 1.18). */
  readonly allowFirstLastIPs?: 'Yes' | 'No';
  /** `spec.disabled`. */
  readonly disabled: boolean;
  /** `spec.serviceSelector`; `undefined` selects every service. */
  readonly serviceSelector?: LabelSelector;
}

/** `CiliumL2AnnouncementPolicy`. */
export interface L2AnnouncementPolicy {
  /** Metadata. */
  readonly meta: Meta;
  /** `spec.serviceSelector`. */
  readonly serviceSelector?: LabelSelector;
  /** `spec.nodeSelector`. */
  readonly nodeSelector?: LabelSelector;
  /** `spec.interfaces` (regular expressions). */
  readonly interfaces: readonly string[];
  /** `spec.externalIPs`. */
  readonly externalIPs: boolean;
  /** `spec.loadBalancerIPs`. */
  readonly loadBalancerIPs: boolean;
}

/** A selector entry of an egress gateway policy. */
export interface EgressSelector {
  /** `podSelector`. */
  readonly podSelector?: LabelSelector;
  /** `namespaceSelector`. */
  readonly namespaceSelector?: LabelSelector;
  /** `nodeSelector`. */
  readonly nodeSelector?: LabelSelector;
}

/** An egress gateway: the node(s) and the address traffic leaves with. */
export interface EgressGateway {
  /** `nodeSelector`. */
  readonly nodeSelector?: LabelSelector;
  /** `interface`. */
  readonly interface?: string;
  /** `egressIP`. */
  readonly egressIP?: IpAddress;
  /** `maxGatewayNodes` (Isovalent `egressGroups[]`): how many matching nodes are active gateways. */
  readonly maxGatewayNodes?: number;
}

/** `CiliumEgressGatewayPolicy` (OSS) and `IsovalentEgressGatewayPolicy` (HA, several groups). */
export interface EgressGatewayPolicy {
  /** Metadata. */
  readonly meta: Meta;
  /** Which kind it came from. */
  readonly flavour: 'cilium' | 'isovalent';
  /** `spec.selectors`. */
  readonly selectors: readonly EgressSelector[];
  /** `spec.destinationCIDRs`. */
  readonly destinationCIDRs: readonly IpPrefix[];
  /** `spec.excludedCIDRs`. */
  readonly excludedCIDRs: readonly IpPrefix[];
  /** The gateway(s): one for OSS `egressGateway`, one per `egressGroups[]` entry for Isovalent. */
  readonly gateways: readonly EgressGateway[];
  /** Isovalent `azAffinity` (`disabled`, `localOnly`, `localOnlyFirst`, `localPriority`), when given. */
  readonly azAffinity?: string;
  /** Isovalent `egressCIDRs`: ranges the operator hands egress IPs out of, when given. */
  readonly egressCIDRs?: readonly IpPrefix[];
}

// ---------------------------------------------------------------------------------------------
// Hosts (this project's kind)
// ---------------------------------------------------------------------------------------------

/** An address on an interface, with its prefix length. */
export interface InterfaceAddress {
  /** The address itself, e.g. 192.168.10.100. */
  readonly address: IpAddress;
  /** Prefix length, e.g. 24. */
  readonly prefixLength: number;
  /** The connected network, e.g. 192.168.10.0/24. */
  readonly network: IpPrefix;
}

/** A network interface of a host. */
export interface HostInterface {
  /** Device name, e.g. `eth1`. */
  readonly name: string;
  /** Addresses. */
  readonly addresses: readonly InterfaceAddress[];
}

/** A next hop of a static route. */
export interface StaticNextHop {
  /** `via` address, absent for a device route. */
  readonly gateway?: IpAddress;
  /** `dev`, when given. */
  readonly dev?: string;
  /** `weight` (1 when absent). */
  readonly weight: number;
}

/** One route of a Host's `routes:` text, as iproute2 prints it. */
export interface StaticRoute {
  /** Route type: `unicast` (default), `blackhole`, `unreachable`, `prohibit`. */
  readonly type: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  /** Destination prefix (`default` = 0.0.0.0/0). */
  readonly dst: IpPrefix;
  /** Next hops: one for a plain route, several for `nexthop via … nexthop via …`. */
  readonly nexthops: readonly StaticNextHop[];
  /** `proto` (default `boot`, as iproute2 sets it for `ip route add`). */
  readonly protocol: string;
  /** `scope`, when given. */
  readonly scope?: string;
  /** `src` (preferred source), when given. */
  readonly src?: IpAddress;
  /** `metric` (0 when absent). */
  readonly metric: number;
  /** The line as written, for messages. */
  readonly text: string;
}

/** A Host's HTTP server: port and allow-list. */
export interface HostHttp {
  /** Listening port. */
  readonly port: number;
  /** Source addresses it accepts; others get `Access denied`. Empty = everyone. */
  readonly allow: readonly IpAddress[];
}

/** A `Host` (`cilium-twin/v1alpha1`): a machine's own network. */
export interface Host {
  /** Metadata (name = a Node's name attaches it to that node). */
  readonly meta: Meta;
  /** Interfaces. */
  readonly interfaces: readonly HostInterface[];
  /** Routes added by hand (`routes:`), parsed. */
  readonly routes: readonly StaticRoute[];
  /** The FRR configuration text (`frr:`), when given; parsed by the BGP stage's FRR reader. */
  readonly frr?: string;
  /** `sysctl` settings, as strings. */
  readonly sysctl: StringMap;
  /** An HTTP server on this host, when given. */
  readonly http?: HostHttp;
}

/**
 * The `kube-system/ip-masq-agent` ConfigMap's configuration as given (defaults are applied by the egress stage).
 *
 * @example
 * const c: IpMasqAgentConfig = { nonMasqueradeCIDRs: [], masqLinkLocal: false, masqLinkLocalIPv6: false };
 */
export interface IpMasqAgentConfig {
  /** `nonMasqueradeCIDRs` (empty or absent: Cilium's default list). */
  readonly nonMasqueradeCIDRs: readonly IpPrefix[];
  /** `masqLinkLocal` (default false: 169.254.0.0/16 is not masqueraded). */
  readonly masqLinkLocal: boolean;
  /** `masqLinkLocalIPv6` (default false). */
  readonly masqLinkLocalIPv6: boolean;
}

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

/** A document of a kind the model does not read. */
export interface IgnoredDocument {
  /** Where it was. */
  readonly source: string;
  /** `apiVersion`. */
  readonly apiVersion: string;
  /** `kind`. */
  readonly kind: string;
  /** `metadata.name` (or empty). */
  readonly name: string;
  /** `metadata.namespace`, when given. */
  readonly namespace?: string;
}

/**
 * The whole decoded, merged scenario. Each list is sorted by (namespace, name); a later document
 * with the same identity has replaced an earlier one.
 *
 * @example
 * ```ts
 * import { decodeScenario } from 'cilium-twin';
 * const result = decodeScenario([{ file: 'lab.yaml', text: '...' }]);
 * if (result._tag === 'Right') console.log(result.right.nodes.length);
 * ```
 */
export interface Scenario {
  /** `Node`s. */
  readonly nodes: readonly Node[];
  /** `Namespace`s given explicitly. */
  readonly namespaces: readonly Namespace[];
  /** `Pod`s. */
  readonly pods: readonly Pod[];
  /** `Service`s. */
  readonly services: readonly Service[];
  /** `EndpointSlice`s given explicitly. */
  readonly endpointSlices: readonly EndpointSlice[];
  /** `Ingress`es. */
  readonly ingresses: readonly Ingress[];
  /** `IngressClass`es (absent: none given). */
  readonly ingressClasses?: readonly IngressClass[];
  /** Kubernetes `NetworkPolicy`s. */
  readonly networkPolicies: readonly PolicyDocument[];
  /** The `kube-system/cilium-config` ConfigMap's data, when given (keys as `cilium config view`). */
  readonly ciliumConfig?: StringMap;
  /** The `kube-system/ip-masq-agent` ConfigMap's `config`, when given (egress stage). */
  readonly ipMasqAgent?: IpMasqAgentConfig;
  /** `CiliumNode`s given explicitly. */
  readonly ciliumNodes: readonly CiliumNode[];
  /** `CiliumBGPClusterConfig`s. */
  readonly bgpClusterConfigs: readonly BgpClusterConfig[];
  /** `CiliumBGPPeerConfig`s. */
  readonly bgpPeerConfigs: readonly BgpPeerConfig[];
  /** `CiliumBGPAdvertisement`s. */
  readonly bgpAdvertisements: readonly BgpAdvertisement[];
  /** `CiliumBGPNodeConfigOverride`s. */
  readonly bgpNodeConfigOverrides: readonly BgpNodeConfigOverride[];
  /** `CiliumLoadBalancerIPPool`s. */
  readonly lbIpPools: readonly LbIpPool[];
  /** `CiliumL2AnnouncementPolicy`s. */
  readonly l2AnnouncementPolicies: readonly L2AnnouncementPolicy[];
  /** `CiliumEgressGatewayPolicy`s and `IsovalentEgressGatewayPolicy`s. */
  readonly egressGatewayPolicies: readonly EgressGatewayPolicy[];
  /** `CiliumNetworkPolicy`s. */
  readonly ciliumNetworkPolicies: readonly PolicyDocument[];
  /** `CiliumClusterwideNetworkPolicy`s. */
  readonly ciliumClusterwideNetworkPolicies: readonly PolicyDocument[];
  /** `Traffic` lists (this project's kind) for `hubble observe`; absent when none. */
  readonly traffic?: readonly Traffic[];
  /** `Host`s given explicitly. */
  readonly hosts: readonly Host[];
  /** Deployments, ReplicaSets, DaemonSets and StatefulSets (absent: none). */
  readonly controllers?: readonly WorkloadController[];
  /** `ServiceCIDR`s (absent: none; the API server's default range is used). */
  readonly serviceCIDRs?: readonly ServiceCIDR[];
  /** `CiliumPodIPPool`s (multi-pool IPAM; absent: none). */
  readonly podIPPools?: readonly PodIPPool[];
  /** `CiliumLocalRedirectPolicy`s (absent: none). */
  readonly localRedirectPolicies?: readonly LocalRedirectPolicy[];
  /** Documents of kinds the model does not read. */
  readonly ignored: readonly IgnoredDocument[];
}

// ---------------------------------------------------------------------------------------------
// Service features (issue 18 items 2-4): multi-pool IPAM, local redirect policies
// ---------------------------------------------------------------------------------------------

/** One family of a `CiliumPodIPPool`: `spec.ipv4` or `spec.ipv6`. */
export interface PodIPPoolFamily {
  /** `cidrs` (at least one). */
  readonly cidrs: readonly IpPrefix[];
  /** `maskSize`: the size of the CIDRs the operator hands to each node. */
  readonly maskSize: number;
}

/** A `CiliumPodIPPool` (`cilium.io/v2alpha1`, cluster-scoped): a pool of multi-pool IPAM. */
export interface PodIPPool {
  /** Metadata (cluster-scoped; labels are matched by BGP `CiliumPodIPPool` advertisements). */
  readonly meta: Meta;
  /** `spec.ipv4`, when given. */
  readonly ipv4?: PodIPPoolFamily;
  /** `spec.ipv6`, when given. */
  readonly ipv6?: PodIPPoolFamily;
}

/** A port of a local redirect policy (`toPorts[]`). */
export interface RedirectPort {
  /** `port`. */
  readonly port: number;
  /** `protocol` (default TCP). */
  readonly protocol: Protocol;
  /** `name`, when given. */
  readonly name?: string;
}

/** A `CiliumLocalRedirectPolicy` (`cilium.io/v2`, namespaced). */
export interface LocalRedirectPolicy {
  /** Metadata (namespace always set). */
  readonly meta: Meta;
  /** `spec.redirectFrontend`: an address matcher or a service matcher. */
  readonly frontend:
    | { readonly kind: 'address'; readonly ip: IpAddress; readonly toPorts: readonly RedirectPort[] }
    | { readonly kind: 'service'; readonly serviceName: string; readonly namespace: string; readonly toPorts: readonly RedirectPort[] };
  /** `spec.redirectBackend.localEndpointSelector`. */
  readonly localEndpointSelector: LabelSelector;
  /** `spec.redirectBackend.toPorts`. */
  readonly backendPorts: readonly RedirectPort[];
  /** `spec.skipRedirectFromBackend` (default false). */
  readonly skipRedirectFromBackend: boolean;
}
