/**
 * The IP cache: what every node knows of every address (identity, tunnel endpoint).
 *
 * @module
 */
export { ipcacheEntries } from './ipcache.js';
export type { IpcacheEntry } from './ipcache.js';
