/**
 * `kubectl get ingress` as kubectl prints it (`printIngress` in kubernetes' printers: NAME, CLASS,
 * HOSTS, ADDRESS, PORTS, AGE on Go's tabwriter), with ADDRESS the LB IPs of the Ingress's
 * load-balancer Service that Cilium's operator copies into the Ingress's status (empty for an
 * Ingress Cilium does not manage).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { Ingress } from '../input/types.js';
import type { IngressState } from '../ingress/types.js';
import type { LbIpamResult } from '../ipam/types.js';
import { formatIp } from '../net/addr.js';
import { KUBECTL_TABWRITER, tabwrite } from './tabwriter.js';

/**
 * Options of `kubectl get ingress`.
 *
 * @example
 * ```ts
 * import type { GetIngressOptions } from 'cilium-twin/views';
 * const o: GetIngressOptions = { namespace: 'default', allNamespaces: false, wide: false, names: [] };
 * o.namespace;
 * ```
 */
export interface GetIngressOptions {
  /** `-n NAMESPACE` (default `default`); ignored with `allNamespaces`. */
  readonly namespace: string;
  /** `-A`: every namespace, with a NAMESPACE column. */
  readonly allNamespaces: boolean;
  /** `-o wide`: ADDRESS not shortened. */
  readonly wide: boolean;
  /** Names given (empty = all). */
  readonly names: readonly string[];
}

function nsOf(i: Ingress): string {
  return i.meta.namespace ?? 'default';
}

/** kubectl's formatHosts: the first three rule hosts, `*` when none. */
function formatHosts(ing: Ingress): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const r of ing.rules) {
    if (list.length === max) more = true;
    if (!more && r.host !== undefined && r.host !== '') list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${ing.rules.length - max} more...` : list.join(',');
}

/**
 * The addresses of an Ingress's status (its load-balancer Service's LB IPs), or `[]`.
 *
 * @example
 * ```ts
 * import { ingressAddresses } from 'cilium-twin/views';
 * import type { IngressState } from 'cilium-twin/ingress';
 * import type { LbIpamResult } from 'cilium-twin/ipam';
 * declare const state: IngressState;
 * declare const ipam: LbIpamResult;
 * ingressAddresses(state, ipam, 'default/basic'); // ['172.16.1.1']
 * ```
 */
export function ingressAddresses(state: IngressState, ipam: LbIpamResult, key: string): string[] {
  const m = state.ingresses.find((i) => i.key === key);
  if (m === undefined) return [];
  const [ns, name] = m.service.split('/') as [string, string];
  const s = ipam.services.find((x) => x.namespace === ns && x.name === name);
  return (s?.ips ?? []).map(formatIp);
}

/**
 * `kubectl get ingress [-A] [NAME…]` as text; `undefined` when nothing matches.
 *
 * @example
 * ```ts
 * import { renderGetIngress } from 'cilium-twin/views';
 * import type { IngressState } from 'cilium-twin/ingress';
 * import type { LbIpamResult } from 'cilium-twin/ipam';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * declare const state: IngressState;
 * declare const ipam: LbIpamResult;
 * renderGetIngress(cluster, state, ipam, { namespace: 'default', allNamespaces: false, wide: false, names: [] });
 * // NAME       CLASS    HOSTS   ADDRESS      PORTS   AGE
 * // bookinfo   cilium   *       172.16.1.2   80      <unknown>
 * ```
 */
export function renderGetIngress(cluster: Cluster, state: IngressState, ipam: LbIpamResult, opts: GetIngressOptions): string | undefined {
  const list = cluster.scenario.ingresses
    .filter((i) => opts.allNamespaces || nsOf(i) === opts.namespace)
    .filter((i) => opts.names.length === 0 || opts.names.includes(i.meta.name))
    .sort((a, b) => (nsOf(a) < nsOf(b) ? -1 : nsOf(a) > nsOf(b) ? 1 : a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
  if (list.length === 0) return undefined;
  const head = ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'];
  if (opts.allNamespaces) head.unshift('NAMESPACE');
  const lines = [head.join('\t')];
  for (const i of list) {
    let addr = ingressAddresses(state, ipam, `${nsOf(i)}/${i.meta.name}`).join(',');
    if (!opts.wide && addr.length > 16) addr = `${addr.slice(0, 13)}...`;
    const row = [i.meta.name, i.ingressClassName ?? '<none>', formatHosts(i), addr, (i.tls ?? []).length > 0 ? '80, 443' : '80', '<unknown>'];
    if (opts.allNamespaces) row.unshift(nsOf(i));
    lines.push(row.join('\t'));
  }
  return tabwrite(lines, KUBECTL_TABWRITER);
}
