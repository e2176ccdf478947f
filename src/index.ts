/**
 * cilium-twin: a digital twin of a Kubernetes cluster networked by Cilium.
 *
 * The pipeline, one stage per folder: input → cluster → ipam → bgp → fib → datapath → packet,
 * and views that render each stage in the real tools' formats.
 *
 * @packageDocumentation
 */

// input: YAML documents → a typed, merged scenario
export type * from './input/types.js';

// cluster: derived facts and configuration defaults
export type * from './cluster/types.js';

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
} from './fib/index.js';
export { finalRoutingTables } from './fib/final.js';
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
