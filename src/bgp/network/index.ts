/**
 * The BGP network stage: sessions between every pair of configured speakers, propagation to a
 * fixed point, zebra's installed routes.
 *
 * @module
 */
export * from './types.js';
export { establishSessions, type SpeakerEntry, type NeighborExtras, type BgpSession, type SessionEnd, type NeighborOutcome, type SessionsResult } from './sessions.js';
export { propagate, pathKey, linkKey, type LinkKey, MAX_ROUNDS, type PropagationOptions, type RouterInput, type RouterTables, type PropagationResult } from './propagate.js';
export { zebraInstall, resolveNextHop, otherRouteDistance } from './zebra.js';
export { runBgpNetwork, routeTableNodes, frrRouters, type RouterBuild } from './run.js';
export { bgpTablesOf, bgpTablesFrom, ciliumPeerState } from './pipeline.js';
export { familyRouterState, routeTableNodesAnyFamily, unicastFamily } from './family.js';
