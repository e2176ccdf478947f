/**
 * Endpoints and identities: each node's local endpoint map and the security identities of pods.
 *
 * @module
 */
export { RESERVED_IDENTITY, podIdentityLabels, podIdentities, identityTable, lazyPodIdentities, lazyIdentityTable, type IdentityTable, type Identity } from './identity.js';
export { endpointMap, endpointIds, podMac } from './endpoints.js';
export type { EndpointMapEntry } from './endpoints.js';
