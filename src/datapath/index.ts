/**
 * The datapath stage (`cilium-twin/datapath`): each node's BPF maps: LB maps, Maglev tables, ipcache, endpoints and identities.
 *
 * @module
 */
export * from './maglev/index.js';
export type * from './lb/types.js';
export { lbMapsBuilder, lbRowsBuilder, lookupFrontend, frontendById, backendById, type LbAddressRows } from './lb/maps.js';
export { LB_FLAGS, lbFlags, lbFlagNames, lbFlagType, type LbFlagParams } from './lb/flags.js';
export { nodePortAddresses, nodeLocalAddresses } from './lb/node-addresses.js';
/** The kernel's `jhash_3words` (the Maglev stage's {@link jhash3Words}), under its earlier name. */
export { jhash3Words as jhash3 } from './maglev/jhash.js';
export { RESERVED_IDENTITY, podIdentityLabels, podIdentities, identityTable, lazyPodIdentities, lazyIdentityTable, type IdentityTable, type Identity } from './endpoints/identity.js';
export { endpointMap, endpointIds, podMac, type EndpointMapEntry } from './endpoints/endpoints.js';
export { ipcacheEntries, type IpcacheEntry } from './ipcache/ipcache.js';
