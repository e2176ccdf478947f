/**
 * The FRR stage: configuration parsing, defaults, policy, best path and multipath, speakers.
 *
 * @module
 */
export * from './types.js';
export { parseFrrConfig } from './parse.js';
export * from './defaults.js';
export * from './policy.js';
export * from './bestpath.js';
export * from './speaker.js';
export * from './diagnostics.js';
export { parseIPv4, parseIPv4Prefix, ZERO_V4 } from './addr.js';
