/**
 * `cilium-dbg bpf ipcache list` and `cilium-dbg bpf endpoint list` as Cilium 1.18 prints them
 * (tabwriter minwidth 5, padding 3; rows sorted by address where the real tool prints BPF hash
 * order).
 *
 * @module
 */
import type { EndpointMapEntry } from '../datapath/endpoints/endpoints.js';
import type { IpcacheEntry } from '../datapath/ipcache/ipcache.js';
import { CILIUM_TABWRITER, tabwrite } from './tabwriter.js';

/**
 * `cilium-dbg bpf ipcache list`: `IP PREFIX/ADDRESS` / `IDENTITY`, values
 * `identity=N encryptkey=K tunnelendpoint=IP flags=F` (`<none>` without flags).
 *
 * @example
 * ```ts
 * renderIpcacheList([{ prefix: '172.20.2.68/32', identity: 28377, encryptKey: 0, tunnelEndpoint: '192.168.20.100', flags: ['hastunnel'] }]);
 * // 'IP PREFIX/ADDRESS   IDENTITY\n172.20.2.68/32      identity=28377 encryptkey=0 tunnelendpoint=192.168.20.100 flags=hastunnel\n'
 * ```
 */
export function renderIpcacheList(entries: readonly IpcacheEntry[]): string {
  const lines = ['IP PREFIX/ADDRESS\tIDENTITY'];
  for (const e of entries) {
    const flags = e.flags.length > 0 ? e.flags.join(',') : '<none>';
    lines.push(`${e.prefix}\tidentity=${e.identity} encryptkey=${e.encryptKey} tunnelendpoint=${e.tunnelEndpoint} flags=${flags}`);
  }
  return tabwrite(lines, CILIUM_TABWRITER);
}

/**
 * `cilium-dbg bpf ipcache list -o json`: the entries keyed by prefix, each value the list of
 * `identity=… encryptkey=… tunnelendpoint=… flags=…` strings, as the tool's JSON dump does.
 *
 * @example
 * ```ts
 * JSON.parse(ipcacheListJson(entries))['0.0.0.0/0']; // ['identity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>']
 * ```
 */
export function ipcacheListJson(entries: readonly IpcacheEntry[]): string {
  const out: Record<string, string[]> = {};
  for (const e of entries) {
    const flags = e.flags.length > 0 ? e.flags.join(',') : '<none>';
    out[e.prefix] = [`identity=${e.identity} encryptkey=${e.encryptKey} tunnelendpoint=${e.tunnelEndpoint} flags=${flags}`];
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

function pad(n: number, w: number): string {
  return String(n).padEnd(w);
}

function endpointValue(e: EndpointMapEntry): string {
  if (e.localhost) return '(localhost)';
  const flags = `0x${e.flags.toString(16).toUpperCase().padStart(4, '0')}`;
  return `id=${pad(e.id, 5)} sec_id=${pad(e.identity, 5)} flags=${flags} ifindex=${pad(e.ifindex, 3)} mac=${e.mac} nodemac=${e.nodeMac}`;
}

/**
 * `cilium-dbg bpf endpoint list`: `IP ADDRESS` / `LOCAL ENDPOINT INFO`, keys `ip:0`, values
 * `id=%-5d sec_id=%-5d flags=0x%04X ifindex=%-3d mac=… nodemac=…` or `(localhost)`.
 *
 * @example
 * ```ts
 * renderEndpointList(endpointMap(cluster, 'k8s-ctr'));
 * // 'IP ADDRESS          LOCAL ENDPOINT INFO\n10.0.2.15:0         (localhost)\n…'
 * ```
 */
export function renderEndpointList(entries: readonly EndpointMapEntry[]): string {
  const lines = ['IP ADDRESS\tLOCAL ENDPOINT INFO'];
  for (const e of entries) lines.push(`${e.address}:0\t${endpointValue(e)}`);
  return tabwrite(lines, CILIUM_TABWRITER);
}

/**
 * `cilium-dbg bpf endpoint list -o json`: keys `ip:0`, values the printed value strings.
 *
 * @example
 * ```ts
 * JSON.parse(endpointListJson(entries))['172.20.0.1:0']; // ['(localhost)']
 * ```
 */
export function endpointListJson(entries: readonly EndpointMapEntry[]): string {
  const out: Record<string, string[]> = {};
  for (const e of entries) out[`${e.address}:0`] = [endpointValue(e)];
  return `${JSON.stringify(out, null, 2)}\n`;
}
