/**
 * LB IPAM stage: `CiliumLoadBalancerIPPool`s and LoadBalancer services to allocated addresses.
 *
 * @module
 */
export { allocateLbIps, lbIpsLookup, lbIpsOf } from './allocate.js';
export type * from './types.js';
export { REQUEST_SATISFIED } from './types.js';
