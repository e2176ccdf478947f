/**
 * The parsed FRR configuration (the Host's `frr:` text, as `frr.conf` holds it): the parts the
 * model evaluates, with defaults of the `frr defaults` profile already applied.
 *
 * @module
 */
import type { IPv4, IPv4CidrRange } from 'ip-num';
import type { IpAddress, IpPrefix } from '../../net/addr.js';

/**
 * The `frr defaults` profile (`traditional` unless the configuration says otherwise).
 *
 * @example
 * const p: FrrDefaultsProfile = 'datacenter';
 */
export type FrrDefaultsProfile = 'traditional' | 'datacenter';

/**
 * A neighbour's expected remote AS as FRR writes it.
 *
 * @example
 * const r: FrrRemoteAs = 'external';
 */
export type FrrRemoteAs = number | 'external' | 'internal' | 'auto';

/**
 * One line of an `ip prefix-list`.
 *
 * @example
 * const e: FrrPrefixListEntry = { seq: 5, action: 'permit', prefix: IPv4CidrRange.fromCidr('10.0.0.0/8'), le: 32, line: 3 };
 */
export interface FrrPrefixListEntry {
  /** Sequence number (given, or 5, 10, … in order of appearance). */
  readonly seq: number;
  /** `permit` or `deny`. */
  readonly action: 'permit' | 'deny';
  /** The prefix; absent for `any`. */
  readonly prefix?: IPv4CidrRange;
  /** `ge N`. */
  readonly ge?: number;
  /** `le N`. */
  readonly le?: number;
  /** Line in the configuration. */
  readonly line: number;
}

/**
 * What a route-map entry sets on a permitted route.
 *
 * @example
 * const s: FrrRouteMapSets = { localPref: 200, communities: { values: ['65000:1'], additive: true } };
 */
export interface FrrRouteMapSets {
  /** `set local-preference N`. */
  readonly localPref?: number;
  /** `set metric N` (MED). */
  readonly med?: number;
  /** `set weight N`. */
  readonly weight?: number;
  /** `set community …` (`none` clears). */
  readonly communities?: { readonly values: readonly string[]; readonly additive: boolean } | 'none';
  /** `set large-community …`. */
  readonly largeCommunities?: { readonly values: readonly string[]; readonly additive: boolean } | 'none';
  /** `set as-path prepend N …`. */
  readonly asPathPrepend?: readonly number[];
  /** `set ip next-hop A.B.C.D | peer-address | unchanged`. */
  readonly nextHop?: IPv4 | 'peer-address' | 'unchanged';
  /** `set origin igp|egp|incomplete`. */
  readonly origin?: 'igp' | 'egp' | 'incomplete';
}

/**
 * One entry (sequence) of a route-map.
 *
 * @example
 * const e: FrrRouteMapEntry = { seq: 10, action: 'permit', matchPrefixLists: ['PODS'], sets: { localPref: 200 }, line: 12 };
 */
export interface FrrRouteMapEntry {
  /** Sequence number. */
  readonly seq: number;
  /** `permit` or `deny`. */
  readonly action: 'permit' | 'deny';
  /** `match ip address prefix-list NAME` (all must match). */
  readonly matchPrefixLists: readonly string[];
  /** Sets applied when the entry permits. */
  readonly sets: FrrRouteMapSets;
  /** Line of the `route-map` header. */
  readonly line: number;
}

/**
 * Per-neighbour (or per peer-group) settings; unset fields inherit from the peer-group, then
 * from the router.
 *
 * @example
 * const s: FrrNeighborSettings = { remoteAs: 'external', ebgpMultihop: 2 };
 */
export interface FrrNeighborSettings {
  /** `remote-as`. */
  readonly remoteAs?: FrrRemoteAs;
  /** `ebgp-multihop [N]` (255 without N). */
  readonly ebgpMultihop?: number;
  /** `update-source ADDR|IFNAME`. */
  readonly updateSource?: string;
  /** `next-hop-self`. */
  readonly nextHopSelf?: boolean;
  /** `route-map NAME in`. */
  readonly routeMapIn?: string;
  /** `route-map NAME out`. */
  readonly routeMapOut?: string;
  /** `prefix-list NAME in`. */
  readonly prefixListIn?: string;
  /** `prefix-list NAME out`. */
  readonly prefixListOut?: string;
  /** `timers KEEPALIVE HOLD`: keepalive. */
  readonly keepalive?: number;
  /** `timers KEEPALIVE HOLD`: hold time. */
  readonly holdTime?: number;
  /** `passive`. */
  readonly passive?: boolean;
  /** `shutdown`. */
  readonly shutdown?: boolean;
  /** `description TEXT`. */
  readonly description?: string;
  /** `port N`. */
  readonly port?: number;
  /** `enforce-first-as`. */
  readonly enforceFirstAs?: boolean;
  /** `allowas-in [N]` (3 without N). */
  readonly allowasIn?: number;
  /** `disable-connected-check`. */
  readonly disableConnectedCheck?: boolean;
  /** `activate` / `no … activate` in `address-family ipv4 unicast`. */
  readonly activate?: boolean;
  /** `activate` / `no … activate` in `address-family ipv6 unicast` (ipv6, issue 18; off by default). */
  readonly activate6?: boolean;
  /** `solo`. */
  readonly solo?: boolean;
  /** `sender-as-path-loop-detection`. */
  readonly senderAsPathLoopDetection?: boolean;
}

/**
 * A configured neighbour (an address), possibly a member of a peer-group.
 *
 * @example
 * const n: FrrNeighbor = { address: IPv4.fromString('192.168.10.100'), peerGroup: 'CILIUM', settings: {}, line: 14 };
 */
export interface FrrNeighbor {
  /** The neighbour's address (IPv4 or IPv6). */
  readonly address: IpAddress;
  /** Peer-group it belongs to. */
  readonly peerGroup?: string;
  /** Its own settings (the group's are merged by `effectiveNeighbor`). */
  readonly settings: FrrNeighborSettings;
  /** Line where it was created. */
  readonly line: number;
}

/**
 * A `neighbor NAME peer-group` definition.
 *
 * @example
 * const g: FrrPeerGroup = { name: 'CILIUM', settings: { remoteAs: 'external' }, line: 12 };
 */
export interface FrrPeerGroup {
  /** Group name. */
  readonly name: string;
  /** Settings members inherit. */
  readonly settings: FrrNeighborSettings;
  /** Line where it was defined. */
  readonly line: number;
}

/**
 * A `network P [route-map NAME]` statement.
 *
 * @example
 * const n: FrrNetwork = { prefix: IPv4CidrRange.fromCidr('10.10.1.0/24'), line: 19 };
 */
export interface FrrNetwork {
  /** The prefix (IPv4 in `address-family ipv4 unicast`, IPv6 in `address-family ipv6 unicast`). */
  readonly prefix: IpPrefix;
  /** `route-map NAME`. */
  readonly routeMap?: string;
  /** Line. */
  readonly line: number;
}

/**
 * A `redistribute SOURCE [metric N] [route-map NAME]` statement.
 *
 * @example
 * const r: FrrRedistribute = { source: 'connected', line: 20 };
 */
export interface FrrRedistribute {
  /** Route source. */
  readonly source: 'connected' | 'static' | 'kernel';
  /** `metric N` (sets MED). */
  readonly metric?: number;
  /** `route-map NAME`. */
  readonly routeMap?: string;
  /** Line. */
  readonly line: number;
}

/**
 * `router bgp ASN` (the default VRF), with the profile's defaults applied.
 *
 * @example
 * ```ts
 * parseFrrConfig(text).config.bgp?.asn; // 65000
 * ```
 */
export interface FrrBgpRouter {
  /** Local AS. */
  readonly asn: number;
  /** Line of `router bgp`. */
  readonly line: number;
  /** `bgp router-id`, when configured. */
  readonly routerId?: IPv4;
  /** `bgp ebgp-requires-policy` (on in `traditional`, off in `datacenter`). */
  readonly ebgpRequiresPolicy: boolean;
  /** `bgp deterministic-med` (off in `traditional`, on in `datacenter`). */
  readonly deterministicMed: boolean;
  /** `bgp always-compare-med`. */
  readonly alwaysCompareMed: boolean;
  /** `bgp bestpath med missing-as-worst`. */
  readonly medMissingAsWorst: boolean;
  /** `bgp bestpath as-path multipath-relax`. */
  readonly multipathRelax: boolean;
  /** `bgp bestpath as-path ignore`. */
  readonly asPathIgnore: boolean;
  /** `bgp bestpath compare-routerid`. */
  readonly compareRouterId: boolean;
  /** `bgp default local-preference` (100). */
  readonly defaultLocalPref: number;
  /** Graceful restart mode: `helper` (default), `full` (`bgp graceful-restart`), `disable`. */
  readonly gracefulRestart: 'helper' | 'full' | 'disable';
  /** `bgp network import-check` (on). */
  readonly networkImportCheck: boolean;
  /** `bgp default ipv4-unicast` (on): neighbours are activated for IPv4 unicast. */
  readonly defaultIpv4Unicast: boolean;
  /** `bgp log-neighbor-changes` (profile default). */
  readonly logNeighborChanges: boolean;
  /** `bgp default show-hostname` (on in `datacenter`). */
  readonly showHostname: boolean;
  /** `timers bgp K H` keepalive (60 traditional, 3 datacenter). */
  readonly keepalive: number;
  /** `timers bgp K H` hold time (180 traditional, 9 datacenter). */
  readonly holdTime: number;
  /** Peer-groups, in order of definition. */
  readonly peerGroups: readonly FrrPeerGroup[];
  /** Neighbours, in order of definition. */
  readonly neighbors: readonly FrrNeighbor[];
  /** `network` statements (IPv4 unicast and, with IPv6 prefixes, IPv6 unicast). */
  readonly networks: readonly FrrNetwork[];
  /** `redistribute` statements (IPv4 unicast). */
  readonly redistribute: readonly FrrRedistribute[];
  /** `maximum-paths N` for eBGP (reference decision 3: 256 when not configured). */
  readonly maximumPaths: number;
  /** `maximum-paths ibgp N` (256 when not configured). */
  readonly maximumPathsIbgp: number;
  /** `redistribute` statements of `address-family ipv6 unicast` (ipv6, issue 18). */
  readonly redistribute6: readonly FrrRedistribute[];
  /** `maximum-paths N` of `address-family ipv6 unicast` (256 when not configured). */
  readonly maximumPaths6: number;
  /** `maximum-paths ibgp N` of `address-family ipv6 unicast` (256 when not configured). */
  readonly maximumPathsIbgp6: number;
}

/**
 * An `ip route PREFIX NEXTHOP [DISTANCE]` static route (staticd).
 *
 * @example
 * const s: FrrStaticRoute = { prefix: IPv4CidrRange.fromCidr('10.0.0.0/8'), gateway: IPv4.fromString('192.168.10.1'), distance: 1, line: 7 };
 */
export interface FrrStaticRoute {
  /** Destination. */
  readonly prefix: IPv4CidrRange;
  /** Gateway address, when given. */
  readonly gateway?: IPv4;
  /** Interface, when given (`ip route P IFNAME`). */
  readonly dev?: string;
  /** `blackhole` / `Null0` / `reject`. */
  readonly blackhole?: boolean;
  /** Administrative distance (1). */
  readonly distance: number;
  /** Line. */
  readonly line: number;
}

/**
 * A whole FRR configuration.
 *
 * @example
 * ```ts
 * const { config } = parseFrrConfig(host.frr ?? '');
 * config.profile; // 'traditional'
 * ```
 */
export interface FrrConfig {
  /** `frr version X`, when given. */
  readonly version?: string;
  /** `frr defaults` profile. */
  readonly profile: FrrDefaultsProfile;
  /** `hostname NAME`, when given. */
  readonly hostname?: string;
  /** The BGP instance of the default VRF, when configured. */
  readonly bgp?: FrrBgpRouter;
  /** Prefix-lists by name, entries by sequence. */
  readonly prefixLists: ReadonlyMap<string, readonly FrrPrefixListEntry[]>;
  /** Route-maps by name, entries by sequence. */
  readonly routeMaps: ReadonlyMap<string, readonly FrrRouteMapEntry[]>;
  /** `ip route` static routes. */
  readonly staticRoutes: readonly FrrStaticRoute[];
  /** The configuration lines as given (for `show running-config`). */
  readonly text: readonly string[];
}

/**
 * The result of parsing: the configuration, the lines the model does not evaluate (kept and
 * reported, never fatal), and errors in lines it does (with 1-based line numbers).
 *
 * @example
 * ```ts
 * const r = parseFrrConfig('router bgp abc\n');
 * r.errors; // [{ line: 1, message: '% Invalid AS number: abc' }]
 * ```
 */
export interface FrrParseResult {
  /** The configuration (errors leave the offending line out). */
  readonly config: FrrConfig;
  /** Lines kept but not modelled. */
  readonly notModelled: readonly { readonly line: number; readonly text: string }[];
  /** Errors in modelled lines. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}
