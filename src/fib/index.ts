/**
 * The FIB stage: every host's kernel routing tables, Linux FIB lookup, the model's ECMP hash,
 * neighbour resolution on shared segments.
 *
 * @module
 */
export * from './types.js';
export { compareKernelOrder, sameRouteKey } from './order.js';
export { multipathHash, multipathHash4, hashThresholdSelect, hashThresholdSelectBy, hashFieldsOf, type HashFields, type HashFields4 } from './hash.js';
export {
  hostRoutingTable,
  hostShape,
  type HostShape,
  baseLookupOf,
  connectedOn,
  type BaseLookup,
  closedFormLookup,
  type ClosedFormLookup,
  ciliumHostAddress,
  nodePodCidrs,
  nodeAddress,
  BASE_MTU,
  TUNNEL_OVERHEAD,
  DSR_TUNNEL_OVERHEAD,
} from './base.js';
export { withInstalledRoutes, FIRST_NHID } from './install.js';
export {
  lookupRoute,
  longestPrefixMatch,
  localAddresses,
  isLocalAddress,
  selectSourceAddress,
  sourceAddressLookup,
  reachabilityLookup,
  connectedLookup,
} from './lookup.js';
export { segments, segmentsOf, ownerOf, onSegment, type Segment, type SegmentMember } from './neighbor.js';
