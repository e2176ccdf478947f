/**
 * The cluster stage (`cilium-twin/cluster`): derived facts (CiliumNodes, EndpointSlices, default Hosts) and configuration defaults.
 *
 * @module
 */
export type * from './types.js';
export type * from './mesh-view.js';
export { isGlobalService, isSharedService, serviceAffinity } from './mesh-view.js';
export { buildCluster, deriveCiliumNode, deriveEndpointSlices, defaultHost, PodIndex } from './build.js';
export { ciliumConfigFrom, CILIUM_DEFAULTS } from './config.js';
export { matchesSelector, matchesLabels } from './selector.js';
export { familyWarnings } from './families.js';
