/**
 * Cilium's BGP control plane (v2 CRDs, Cilium 1.18): operator node configs, agent sessions,
 * advertisements, route policies, wire paths, and the neutral speakers.
 *
 * @module
 */
export * from './types.js';
export * from './node-configs.js';
export * from './policies.js';
export * from './advertisements.js';
export * from './agent.js';
export * from './speakers.js';
