/**
 * cilium-twin: a digital twin of a Kubernetes cluster networked by Cilium.
 *
 * The pipeline, one stage per folder: input → cluster → ipam → bgp → fib → datapath → packet,
 * and views that render each stage in the real tools' formats.
 *
 * @packageDocumentation
 */

// twin: the composition root. Start here: loadScenario(files) → a Twin whose methods answer
// every stage (lbIpam, bgp, fib(host), maps(node), trace(request), …), each computed once.
export { loadScenario, type LoadError, type ScenarioFile } from './twin/load.js';
export { createTwin, type Twin } from './twin/twin.js';
export { memoKey, type MemoKey } from './twin/memo.js';
export { LazyMap } from './twin/lazy.js';

// input: YAML documents → a typed, merged scenario
export type * from './input/types.js';
export {
  parseYamlFiles,
  decodeDocuments,
  decodeScenario,
  MAX_FILE_CHARS,
  MAX_DOCUMENTS,
  type DecodeError,
  type RawDocument,
  type DecodeOptions,
} from './input/decode.js';
export { parseIproute2Routes, type RouteLineError } from './input/iproute2.js';
export { parseIp, parsePrefix, compareIp, comparePrefix, familyOf, type Family } from './net/addr.js';
export { HELM_KEYS, MAGLEV_TABLE_SIZES, configKeyOf } from './input/cilium-config.js';

// cluster: derived facts and configuration defaults
export type * from './cluster/types.js';
export { buildCluster, deriveCiliumNode, deriveEndpointSlices, defaultHost, PodIndex } from './cluster/build.js';
export { ciliumConfigFrom, CILIUM_DEFAULTS } from './cluster/config.js';
export { matchesSelector, matchesLabels } from './cluster/selector.js';

// fib: every host's kernel routing tables, FIB lookup, ECMP hash, neighbours
export type * from './fib/types.js';
export {
  baseRoutingTables,
  hostRoutingTable,
  ciliumHostAddress,
  withInstalledRoutes,
  lookupRoute,
  longestPrefixMatch,
  selectSourceAddress,
  sourceAddressLookup,
  reachabilityLookup,
  connectedLookup,
  multipathHash,
  hashThresholdSelect,
  segments,
  ownerOf,
  type Segment,
  type SegmentMember,
  type HashFields,
  type HashFields4,
} from './fib/index.js';
export {
  formatRoute,
  renderRoutes,
  renderRoutesJson,
  routeJson,
  renderRouteGet,
  renderRouteGetJson,
  renderBriefAddresses,
  type RouteListOptions,
  type RouteGetQuery,
} from './views/iproute2.js';

// datapath/maglev: Cilium's Maglev lookup table, its hashes and the per-packet slot choice
export * from './datapath/maglev/index.js';

// ipam: LB IPAM (CiliumLoadBalancerIPPools → LoadBalancer addresses)
export type * from './ipam/types.js';
export { allocateLbIps, lbIpsOf } from './ipam/allocate.js';
export { REQUEST_SATISFIED } from './ipam/types.js';

// datapath/lb: each node's BPF LB maps
export type * from './datapath/lb/types.js';
export { nodeLbMaps, lbMapsBuilder, lookupFrontend, frontendById, backendById } from './datapath/lb/maps.js';
export { LB_FLAGS, lbFlags, lbFlagNames, lbFlagType, type LbFlagParams } from './datapath/lb/flags.js';
export { nodePortAddresses, nodeLocalAddresses } from './datapath/lb/node-addresses.js';
export {
  bpfLbListRows,
  renderBpfLbList,
  bpfLbListJson,
  serviceListRows,
  renderServiceList,
  serviceListJson,
  renderMaglevGet,
  type BpfLbListMode,
  type DumpRows,
  type ServiceListRow,
  type MaglevGetResult,
} from './views/lb/cilium-dbg.js';
export {
  selectServices,
  renderGetServices,
  getServicesJson,
  renderGetIpPools,
  getIpPoolsJson,
  type GetServicesOptions,
} from './views/lb/kubectl.js';
export { tabwrite, CILIUM_TABWRITER, KUBECTL_TABWRITER, type TabwriterOptions } from './views/tabwriter.js';

// bgp/cilium: Cilium's BGP control plane (operator node configs, agent sessions, advertisements,
// route policies, wire paths) and its views
export type * from './bgp/cilium/types.js';
export {
  computeCiliumBgp,
  ciliumSpeakers,
  speakersOf,
  instanceSpeaker,
  buildNodeConfigs,
  clusterConfigOrder,
  clusterConfigSelects,
  peerAdvertisements,
  instanceAdvertisements,
  servicePrefixes,
  serviceBackends,
  wirePaths,
  defaultRouterId,
  ipamLbIps,
  statusLbIps,
  fibSourceAddress,
  nodeConfigOf,
  describeSession,
  policyName,
  createExportPolicy,
  mergeRoutePolicies,
  allowLocalPolicy,
  evaluateExport,
  statementMatches,
  advertCommunities,
  communityValue,
  communityText,
  communityDisplay,
  WELL_KNOWN_COMMUNITIES,
  PEER_CONFIG_DEFAULTS,
  DEFAULT_IBGP_LOCAL_PREF,
  BGP_LOADBALANCER_CLASS,
  PODCIDR_IPAM_MODES,
  type NodeConfigsResult,
  type PeerFamilyAdverts,
  type ServiceAddressType,
  type InstanceAdvertisements,
} from './bgp/cilium/index.js';
export {
  renderCiliumBgpPeers,
  ciliumBgpPeersJson,
  peerJson,
  renderCiliumDbgBgpPeers,
  routeRows,
  renderCiliumBgpRoutes,
  ciliumBgpRoutesJson,
  renderRoutePolicies,
  routePoliciesJson,
  MODEL_SESSION_STATE,
  type GoBgpSessionState,
  type PeerSessionState,
  type SessionStateLookup,
  type RoutesQuery,
  type RouteRow,
} from './views/bgp/cilium-bgp.js';
export { nodeConfigObject, nodeConfigList, renderNodeConfigTable, renderNodeConfigYaml, UNKNOWN_AGE } from './views/bgp/node-configs.js';
export { goDuration, formatPathAttributes, wireNextHop } from './views/bgp/format.js';

// bgp/frr, bgp/network: FRR routers (configuration, policy, best path, multipath), sessions
// between every pair of speakers, propagation to a fixed point, zebra; vtysh views
export type * from './bgp/speaker.js';
export type * from './bgp/frr/types.js';
export { parseFrrConfig } from './bgp/frr/parse.js';
export {
  DEFAULT_MAXIMUM_PATHS,
  MAX_MAXIMUM_PATHS,
  LOCAL_WEIGHT,
  DEFAULT_LOCAL_PREF,
  BGP_PORT,
  BGP_DISTANCE,
  ZEBRA_KERNEL_METRIC,
  SESSION_UPTIME_SECONDS,
  LAST_UPDATE_TEXT,
  STRUCT_SIZES,
  profileDefaults,
  type ProfileDefaults,
} from './bgp/frr/defaults.js';
export {
  effectiveSettings,
  hasInboundPolicy,
  hasOutboundPolicy,
  prefixListPermits,
  prefixListMatch,
  applyRouteMap,
  keepsNextHop,
  sortCommunities,
  type PolicyRoute,
  type RouteMapContext,
} from './bgp/frr/policy.js';
export {
  comparePaths,
  selectBestPath,
  canonicalOrder,
  REASONS as BESTPATH_REASONS,
  type Candidate,
  type PathSource,
  type DecisionOptions,
  type Comparison,
  type BestPathSelection,
} from './bgp/frr/bestpath.js';
export { frrSpeaker, frrRouterId, zebraRouterId, updateSourceAddress, localPaths, zebraBaseRoutes, type LocalPath, type ZebraBaseRoute } from './bgp/frr/speaker.js';
export { frrDiagnostics, formatFrrDiagnostic, type FrrDiagnostic } from './bgp/frr/diagnostics.js';
export type * from './bgp/network/types.js';
export {
  establishSessions,
  type SpeakerEntry,
  type NeighborExtras,
  type BgpSession,
  type SessionEnd,
  type NeighborOutcome,
  type SessionsResult,
} from './bgp/network/sessions.js';
export { propagate, pathKey, MAX_ROUNDS, type PropagationOptions, type RouterInput, type RouterTables, type PropagationResult } from './bgp/network/propagate.js';
export { zebraInstall, resolveNextHop, otherRouteDistance } from './bgp/network/zebra.js';
export { runBgpNetwork, routeTableNodes, frrRouters, type RouterBuild } from './bgp/network/run.js';
export { bgpNetworkOf, bgpTablesOf, ciliumPeerState } from './bgp/network/pipeline.js';
export { renderShowIpBgp, renderShowIpBgpPrefix, renderShowIpBgpSummary, bgpTableHeader } from './views/vtysh/bgp.js';
export { renderShowIpRoute, zebraRib, ZEBRA_ROUTE_HEADER, type ZebraRoute, type ZebraHop, type ZebraRouteKind } from './views/vtysh/route.js';
export { renderRunningConfig, FRR_VERSION } from './views/vtysh/running.js';
export { runVtysh, vtyshCommandLines, type VtyshInput, type VtyshResult } from './views/vtysh/vtysh.js';
export { frrUptime, memString } from './views/vtysh/format.js';

// network + packet: the composed, compiled network and the per-packet walk
export type * from './network/types.js';
export { compileNetwork, compileNetworkFrom, datapathConfig, type CompiledNetwork, type NetworkInputs } from './network/compile.js';
export { buildNetwork, serviceKey, DEFAULT_DATAPATH_CONFIG } from './network/build.js';
export { fibEcmpMember, multipathHash4, thresholdMember } from './network/ecmp.js';
export type * from './packet/types.js';
export { trace, traceJson, resolveClient, parseDestination, type Client } from './packet/trace.js';
export { whoamiBody, hostHttpAnswer, linkLocalFromMac, type WhoamiInput } from './packet/whoami.js';
export { DROP_REASONS, dropReasonText } from './packet/drop-reasons.js';
export {
  DEFAULT_SOURCE_PORT,
  EPHEMERAL_PORT_MIN,
  EPHEMERAL_PORT_MAX,
  NAT_PORT_MIN,
  NAT_PORT_MAX,
  CURL_USER_AGENT,
  INITIAL_TTL,
  repeatSourcePort,
  natPort,
} from './packet/decisions.js';
export { flowHash, maglevSeeds } from './packet/hash.js';
/** The kernel's `jhash_3words` (the Maglev stage's {@link jhash3Words}), under its earlier name. */
export { jhash3Words as jhash3 } from './datapath/maglev/jhash.js';
export { ipv4ToU32, u32ToIpv4, parsePrefix4, type Prefix4 } from './net/addr.js';
export { renderTrace, renderTraceJson } from './views/trace.js';
export { curlOutput, repeatSummary, type CurlOptions, type CurlOutput } from './views/curl.js';

// datapath/ipcache, datapath/endpoints: identities, each node's IP cache and endpoint map
export { RESERVED_IDENTITY, podIdentityLabels, podIdentities } from './datapath/endpoints/identity.js';
export { endpointMap, endpointIds, podMac, type EndpointMapEntry } from './datapath/endpoints/endpoints.js';
export { ipcacheEntries, type IpcacheEntry } from './datapath/ipcache/ipcache.js';
export { renderIpcacheList, ipcacheListJson, renderEndpointList, endpointListJson } from './views/bpf-ipcache.js';
