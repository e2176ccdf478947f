/**
 * Maglev exactly as Cilium 1.18 computes it: the lookup table (`pkg/maglev`), its hashes
 * (MurmurHash3 x64_128, kernel jhash), the configuration (table sizes, seed) and the per-packet
 * slot choice of the datapath. See `docs/maglev.md`.
 *
 * @module
 */
export * from './config.js';
export * from './address.js';
export * from './murmur3.js';
export * from './jhash.js';
export * from './table.js';
export * from './slot.js';
export * from './summary.js';
