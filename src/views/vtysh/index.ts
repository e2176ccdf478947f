/**
 * FRR's vtysh views: BGP table, prefix detail, summary, zebra's routes, running configuration.
 *
 * @module
 */
export * from './format.js';
export * from './bgp.js';
export * from './route.js';
export * from './running.js';
export * from './vtysh.js';
