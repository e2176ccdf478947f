/**
 * The BGP stages (`cilium-twin/bgp`): Cilium's BGP control plane, FRR routers (configuration, policy, best path), sessions, propagation and zebra.
 *
 * @module
 */
export type * from './cilium/types.js';
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
  instanceAdvertisementsWith,
  type AdvertisementIndex,
  type InstanceAdvertisementParts,
  type CommonAdvertisements,
  type RibKey,
  type EntryIndex,
  type ServiceTyped,
  instanceAdvertisementParts,
  advertisementIndex,
  mergeSorted,
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
} from './cilium/index.js';
export type * from './speaker.js';
export type * from './frr/types.js';
export { parseFrrConfig } from './frr/parse.js';
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
} from './frr/defaults.js';
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
} from './frr/policy.js';
export {
  comparePaths,
  selectBestPath,
  selectedPath,
  canonicalOrder,
  REASONS as BESTPATH_REASONS,
  type Candidate,
  type PathSource,
  type DecisionOptions,
  type Comparison,
  type BestPathSelection,
} from './frr/bestpath.js';
export { frrSpeaker, frrRouterId, zebraRouterId, updateSourceAddress, localPaths, zebraBaseRoutes, type LocalPath, type ZebraBaseRoute } from './frr/speaker.js';
export { frrDiagnostics, formatFrrDiagnostic, type FrrDiagnostic } from './frr/diagnostics.js';
export type * from './network/types.js';
export {
  establishSessions,
  type SpeakerEntry,
  type NeighborExtras,
  type BgpSession,
  type SessionEnd,
  type NeighborOutcome,
  type SessionsResult,
} from './network/sessions.js';
export { rankGroup, selectForGroup, type GroupMember, type GroupRanking, type GroupPath } from './network/peer-groups.js';
export { propagate, LazyValues, pathKey, linkKey, type LinkKey, MAX_ROUNDS, type PropagationOptions, type RouterInput, type RouterTables, type PropagationResult } from './network/propagate.js';
export { zebraInstall, resolveNextHop, otherRouteDistance } from './network/zebra.js';
export { runBgpNetwork, routeTableNodes, trieNodeCount, frrRouters, type RouterBuild } from './network/run.js';
export { bgpTablesOf, bgpTablesFrom, ciliumPeerState } from './network/pipeline.js';
