/**
 * Types of the Cilium BGP control plane stage (BGP CRDs v2, Cilium 1.18): the operator's
 * per-node configs, the sessions each agent configures, its RIB, its route policies and, per
 * peer, what it sends on the wire.
 *
 * @module
 */
import type { IPv4 } from 'ip-num';
import type { BgpClusterPeer, IpAddress, IpPrefix } from '../../input/types.js';
import type { BgpPath } from '../speaker.js';
import {  } from '../../net/addr.js';
import type { Afi } from './addr.js';

/** The LB IPs of a service, by namespace and name (from LB IPAM or the service's status). */
export type LbIpLookup = (namespace: string, name: string) => readonly IpAddress[];

/**
 * The source address a host uses towards a destination (the `src` of `ip route get`), or
 * `undefined` when it has no route.
 */
export type SourceAddressLookup = (host: string, dst: IpAddress) => IpAddress | undefined;

/** Options of {@link computeCiliumBgp}. */
export interface CiliumBgpOptions {
  /**
   * LB IPs of a service. Default: LB IPAM's allocation (`allocateLbIps`, which keeps addresses
   * already in a service's status).
   */
  readonly lbIps?: LbIpLookup;
  /**
   * Source address of a route lookup on a host. Default: the FIB stage's lookup over the hosts'
   * base routing tables (`sourceAddressLookup(baseRoutingTables(cluster))`).
   */
  readonly sourceAddress?: SourceAddressLookup;
}

// ---------------------------------------------------------------------------------------------
// Operator: CiliumBGPClusterConfig → CiliumBGPNodeConfig
// ---------------------------------------------------------------------------------------------

/** A peer of a CiliumBGPNodeConfig instance. */
export interface NodeConfigPeer {
  /** Peer name (from the cluster config). */
  readonly name: string;
  /** `peerAddress`. */
  readonly peerAddress?: IpAddress;
  /** `peerASN` (the CRD defaults it to 0). */
  readonly peerASN: number;
  /** `peerConfigRef.name`. */
  readonly peerConfigRef?: string;
  /** `localAddress`, from a CiliumBGPNodeConfigOverride. */
  readonly localAddress?: IpAddress;
  /** `autoDiscovery`, copied from the cluster config. */
  readonly autoDiscovery?: BgpClusterPeer['autoDiscovery'];
}

/** An instance of a CiliumBGPNodeConfig. */
export interface NodeConfigInstance {
  /** Instance name. */
  readonly name: string;
  /** `localASN` (override wins). */
  readonly localASN?: number;
  /** `routerID` (only from an override). */
  readonly routerID?: IPv4;
  /** `localPort` (override wins when set). */
  readonly localPort?: number;
  /** Peers. */
  readonly peers: readonly NodeConfigPeer[];
}

/** A CiliumBGPNodeConfig, as the operator writes it (name = node name). */
export interface NodeConfig {
  /** Node name. */
  readonly name: string;
  /** The CiliumBGPClusterConfig that owns it. */
  readonly owner: string;
  /** Instances. */
  readonly bgpInstances: readonly NodeConfigInstance[];
}

/** A status condition of a CiliumBGPClusterConfig. */
export interface ClusterConfigCondition {
  /** `cilium.io/NoMatchingNode`, `cilium.io/MissingPeerConfigs` or `cilium.io/ConflictingClusterConfig`. */
  readonly type: 'cilium.io/NoMatchingNode' | 'cilium.io/MissingPeerConfigs' | 'cilium.io/ConflictingClusterConfig';
  /** `True` or `False`. */
  readonly status: 'True' | 'False';
  /** Human-readable message. */
  readonly message: string;
}

/** What the operator reports for one CiliumBGPClusterConfig. */
export interface ClusterConfigStatus {
  /** Cluster config name. */
  readonly name: string;
  /** Nodes whose NodeConfig it owns, sorted. */
  readonly nodes: readonly string[];
  /** Selected nodes already owned by another cluster config, sorted. */
  readonly conflictingNodes: readonly string[];
  /** Referenced CiliumBGPPeerConfigs that do not exist, sorted and deduplicated. */
  readonly missingPeerConfigs: readonly string[];
  /** Conditions (all three, in the order above the type lists). */
  readonly conditions: readonly ClusterConfigCondition[];
}

// ---------------------------------------------------------------------------------------------
// Agent
// ---------------------------------------------------------------------------------------------

/** An AFI/SAFI pair. */
export interface BgpFamilyKey {
  /** `ipv4`, `ipv6`, … */
  readonly afi: string;
  /** `unicast`, … */
  readonly safi: string;
}

/** A session as one Cilium agent configures it in GoBGP. */
export interface CiliumPeerSession {
  /** Node. */
  readonly node: string;
  /** Instance name. */
  readonly instance: string;
  /** Peer name (its CRD name; policy names are built from it). */
  readonly peer: string;
  /** Local AS of the instance. */
  readonly localASN: number;
  /** Peer address. */
  readonly peerAddress: IpAddress;
  /** Peer AS (0 = not set: taken from the peer's OPEN). */
  readonly peerASN: number;
  /** `ebgp` (peer AS differs), `ibgp` (same AS), `unknown` (peer AS 0). */
  readonly sessionType: 'ebgp' | 'ibgp' | 'unknown';
  /** Destination port Cilium dials (`transport.peerPort`, default 179). */
  readonly peerPort: number;
  /** Port the instance listens on (`localPort`); `undefined` = does not listen. */
  readonly listenPort?: number;
  /** `localAddress` forced by a CiliumBGPNodeConfigOverride. */
  readonly configuredLocalAddress?: IpAddress;
  /** The address the session uses: configured, else the route lookup's source; `undefined` without a route. */
  readonly localAddress?: IpAddress;
  /** Families configured (the PeerConfig's, or `ipv6/unicast`, `ipv4/unicast` when it lists none). */
  readonly families: readonly BgpFamilyKey[];
  /** Timers with defaults. */
  readonly timers: {
    readonly connectRetryTimeSeconds: number;
    readonly holdTimeSeconds: number;
    readonly keepAliveTimeSeconds: number;
  };
  /** `ebgpMultihop` with default 1 (only meaningful for eBGP). */
  readonly ebgpMultihopTTL: number;
  /** Graceful restart with defaults. */
  readonly gracefulRestart: { readonly enabled: boolean; readonly restartTimeSeconds: number };
  /** `peerConfigRef.name`; absent = default peer config, and the peer advertises nothing. */
  readonly peerConfigRef?: string;
  /** `authSecretRef` of the PeerConfig. */
  readonly authSecretRef?: string;
}

/** Why a prefix is in the RIB. */
export interface RibSource {
  /** Advertisement type. */
  readonly type: 'PodCIDR' | 'Service' | 'CiliumPodIPPool' | 'Interface';
  /** For `CiliumPodIPPool`: the pool's name. */
  readonly pool?: string;
  /** For `Interface`: the interface's name. */
  readonly interface?: string;
  /** For services: `namespace/name` and address type. */
  readonly service?: { readonly namespace: string; readonly name: string; readonly addressType: 'LoadBalancerIP' | 'ClusterIP' | 'ExternalIP' };
}

/** A path in an instance's loc-RIB (locally originated). */
export interface CiliumRibPath {
  /** Family. */
  readonly family: BgpFamilyKey;
  /** Prefix. */
  readonly prefix: IpPrefix;
  /** ORIGIN: always IGP. */
  readonly origin: 'igp';
  /** What put it there, sorted. */
  readonly sources: readonly RibSource[];
}

/** A prefix match of a route policy statement. */
export interface PolicyPrefixMatch {
  /** The prefix. */
  readonly prefix: IpPrefix;
  /** Minimum length. */
  readonly lenMin: number;
  /** Maximum length. */
  readonly lenMax: number;
}

/** A statement of a route policy. */
export interface RoutePolicyStatement {
  /** Neighbor addresses matched (empty = any). */
  readonly matchNeighbors: readonly IpAddress[];
  /** Prefixes matched (empty = any). */
  readonly matchPrefixes: readonly PolicyPrefixMatch[];
  /** `accept` or `reject`. */
  readonly routeAction: 'accept' | 'reject';
  /** Local preference set, when any. */
  readonly setLocalPreference?: number;
  /** Standard communities added, as written in the advertisement (numbers, `a:b` or well-known names). */
  readonly addCommunities: readonly string[];
  /** Large communities added. */
  readonly addLargeCommunities: readonly string[];
}

/** A route policy as Cilium names and installs it. */
export interface RoutePolicy {
  /** Name, e.g. `tor-switch-ipv4-PodCIDR`. */
  readonly name: string;
  /** `export` or `import`. */
  readonly type: 'export' | 'import';
  /** Statements. */
  readonly statements: readonly RoutePolicyStatement[];
}

/** A path on the wire to one peer, with the export policy that let it through. */
export interface CiliumWirePath extends BgpPath {
  /** The export policy whose statement accepted it. */
  readonly policy: string;
}

/** What an instance sends to one peer (its adj-RIB-out). */
export interface CiliumPeerAdvertisement {
  /** Peer name. */
  readonly peer: string;
  /** Peer address. */
  readonly peerAddress: IpAddress;
  /** Paths, sorted by family then prefix; next hop unspecified = the session's local address. */
  readonly paths: readonly CiliumWirePath[];
}

/** One BGP instance on one node. */
export interface CiliumBgpInstance {
  /** Node. */
  readonly node: string;
  /** Instance name. */
  readonly name: string;
  /** Local AS. */
  readonly localASN: number;
  /** Router ID. */
  readonly routerId: IPv4;
  /** Listen port; `undefined` = does not listen. */
  readonly listenPort?: number;
  /** Sessions, in the NodeConfig's peer order. */
  readonly peers: readonly CiliumPeerSession[];
  /** Loc-RIB, sorted by family then prefix. */
  readonly rib: readonly CiliumRibPath[];
  /** Route policies: `allow-local` import plus the export policies, sorted by name. */
  readonly policies: readonly RoutePolicy[];
  /** Per session, what goes on the wire (same order as `peers`). */
  readonly advertisements: readonly CiliumPeerAdvertisement[];
}

/** The BGP state of one node. */
export interface CiliumBgpNode {
  /** Node name. */
  readonly node: string;
  /** Its CiliumBGPNodeConfig. */
  readonly nodeConfig: NodeConfig;
  /** Instances that came up in the agent, in NodeConfig order. */
  readonly instances: readonly CiliumBgpInstance[];
  /** Agent errors (instance without ASN, peer skipped, …). */
  readonly errors: readonly string[];
}

/** The whole stage's result. */
export interface CiliumBgpResult {
  /** `enable-bgp-control-plane`. */
  readonly enabled: boolean;
  /** Operator output, sorted by node name. */
  readonly nodeConfigs: readonly NodeConfig[];
  /** Per cluster config, what the operator reports, sorted by name. */
  readonly clusterConfigs: readonly ClusterConfigStatus[];
  /** Nodes that have a NodeConfig, sorted by name. */
  readonly nodes: readonly CiliumBgpNode[];
  /** Warnings about things the model does not cover. */
  readonly warnings: readonly string[];
}

/** Re-export of the address family type used across this stage. */
export type { Afi };
