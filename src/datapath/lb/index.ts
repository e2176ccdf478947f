/**
 * LB datapath stage: each node's BPF load-balancer maps (frontends, backends, reverse NAT,
 * source ranges, Maglev tables).
 *
 * @module
 */
export type * from './types.js';
export { lbMapsBuilder, lbRowsBuilder, lookupFrontend, frontendById, backendById, type LbAddressRows } from './maps.js';
export { LB_FLAGS, lbFlags, lbFlagNames, lbFlagType } from './flags.js';
export type { LbFlagParams } from './flags.js';
export { nodePortAddresses, nodeLocalAddresses } from './node-addresses.js';
