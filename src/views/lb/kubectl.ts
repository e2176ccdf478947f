/**
 * `kubectl get svc` and `kubectl get ippools` as kubectl prints them (its table printer on Go's
 * tabwriter, minwidth 6, padding 3), with LoadBalancer addresses from LB IPAM and the pools'
 * printer columns from their status conditions. The model has no clock, so AGE is `<unknown>`,
 * which is what kubectl prints for an object without a creation time.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { Service } from '../../input/types.js';
import type { LbIpamResult } from '../../ipam/types.js';
import { formatIp, formatPrefix } from '../../net/addr.js';
import { KUBECTL_TABWRITER, tabwrite } from '../tabwriter.js';
import { compareStrings } from '../../net/compare.js';

/**
 * Options of `kubectl get svc`.
 *
 * @example
 * const o: GetServicesOptions = { namespace: 'default', allNamespaces: false, wide: true, names: [] };
 */
export interface GetServicesOptions {
  /** `-n NAMESPACE` (default `default`); ignored with `allNamespaces`. */
  readonly namespace: string;
  /** `-A` / `--all-namespaces`: every namespace, with a NAMESPACE column. */
  readonly allNamespaces: boolean;
  /** `-o wide`: adds SELECTOR. */
  readonly wide: boolean;
  /** Names given on the command line (empty = all). */
  readonly names: readonly string[];
}

/** kubectl's `<unknown>` for an object without a usable creation time (the model has no clock). */
const AGE = '<unknown>';

function ns(svc: Service): string {
  return svc.meta.namespace ?? 'default';
}

/**
 * The services a `kubectl get svc` selects, sorted by namespace then name (the API server's order).
 *
 * @example
 * selectServices(cluster, { namespace: 'default', allNamespaces: false, wide: false, names: [] });
 */
export function selectServices(cluster: Cluster, opts: GetServicesOptions): Service[] {
  return cluster.scenario.services
    .filter((s) => opts.allNamespaces || ns(s) === opts.namespace)
    .filter((s) => opts.names.length === 0 || opts.names.includes(s.meta.name))
    .sort((a, b) => compareStrings(ns(a), ns(b)) || compareStrings(a.meta.name, b.meta.name));
}

function lbIngress(ipam: LbIpamResult, svc: Service): string[] {
  const s = ipam.services.find((x) => x.namespace === ns(svc) && x.name === svc.meta.name);
  return (s?.ips ?? svc.loadBalancerIngress).map(formatIp);
}

/** kubectl's getServiceExternalIP. */
function externalIP(ipam: LbIpamResult, svc: Service, wide: boolean): string {
  const ext = svc.externalIPs.map(formatIp);
  switch (svc.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      let lb = lbIngress(ipam, svc).join(',');
      if (!wide && lb.length > 16) lb = `${lb.slice(0, 13)}...`;
      if (ext.length > 0) return [...(lb.length > 0 ? lb.split(',') : []), ...ext].join(',');
      return lb.length > 0 ? lb : '<pending>';
    }
    case 'ExternalName':
      return '<none>';
  }
}

function clusterIP(svc: Service): string {
  if (svc.headless) return 'None';
  const first = svc.clusterIPs[0];
  return first === undefined ? '<none>' : formatIp(first);
}

function ports(svc: Service): string {
  if (svc.ports.length === 0) return '<none>';
  return svc.ports
    .map((p) => (p.nodePort !== undefined && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

function selector(svc: Service): string {
  const sel = svc.selector;
  if (sel === undefined || Object.keys(sel).length === 0) return '<none>';
  return Object.keys(sel)
    .sort()
    .map((k) => `${k}=${sel[k]}`)
    .join(',');
}

/**
 * `kubectl get svc [-A] [-o wide] [NAME…]` as text; `undefined` when nothing matches (kubectl
 * then says `No resources found…` on standard error).
 *
 * @example
 * renderGetServices(cluster, ipam, { namespace: 'default', allNamespaces: false, wide: false, names: [] });
 * // NAME     TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE
 * // webpod   LoadBalancer   10.96.252.129   172.16.1.1    80:31726/TCP   <unknown>
 */
export function renderGetServices(cluster: Cluster, ipam: LbIpamResult, opts: GetServicesOptions): string | undefined {
  const svcs = selectServices(cluster, opts);
  if (svcs.length === 0) return undefined;
  const head = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
  if (opts.wide) head.push('SELECTOR');
  if (opts.allNamespaces) head.unshift('NAMESPACE');
  const lines = [head.join('\t')];
  for (const s of svcs) {
    const row = [s.meta.name, s.type, clusterIP(s), externalIP(ipam, s, opts.wide), ports(s), AGE];
    if (opts.wide) row.push(selector(s));
    if (opts.allNamespaces) row.unshift(ns(s));
    lines.push(row.join('\t'));
  }
  return tabwrite(lines, KUBECTL_TABWRITER);
}

/**
 * `kubectl get svc -o json`: a `v1` List of the selected Services with LB IPAM's status.
 *
 * @example
 * JSON.parse(getServicesJson(cluster, ipam, opts)).items[0].status.loadBalancer.ingress[0].ip; // '172.16.1.1'
 */
export function getServicesJson(cluster: Cluster, ipam: LbIpamResult, opts: GetServicesOptions): string {
  const items = selectServices(cluster, opts).map((s) => {
    const st = ipam.services.find((x) => x.namespace === ns(s) && x.name === s.meta.name);
    const ingress = lbIngress(ipam, s);
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: s.meta.name,
        namespace: ns(s),
        ...(Object.keys(s.meta.labels).length > 0 ? { labels: s.meta.labels } : {}),
        ...(Object.keys(s.meta.annotations).length > 0 ? { annotations: s.meta.annotations } : {}),
      },
      spec: {
        type: s.type,
        ...(s.clusterIPs[0] !== undefined ? { clusterIP: formatIp(s.clusterIPs[0]), clusterIPs: s.clusterIPs.map(formatIp) } : {}),
        ...(s.headless ? { clusterIP: 'None' } : {}),
        ports: s.ports.map((p) => ({
          ...(p.name !== undefined && p.name !== '' ? { name: p.name } : {}),
          protocol: p.protocol,
          port: p.port,
          targetPort: p.targetPort,
          ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
        })),
        ...(s.selector !== undefined ? { selector: s.selector } : {}),
        ...(s.externalIPs.length > 0 ? { externalIPs: s.externalIPs.map(formatIp) } : {}),
        ...(s.loadBalancerClass !== undefined ? { loadBalancerClass: s.loadBalancerClass } : {}),
        ...(s.type === 'LoadBalancer' || s.type === 'NodePort' ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
        ...(s.healthCheckNodePort !== undefined ? { healthCheckNodePort: s.healthCheckNodePort } : {}),
        internalTrafficPolicy: s.internalTrafficPolicy,
        sessionAffinity: s.sessionAffinity,
      },
      status: {
        loadBalancer: ingress.length > 0 ? { ingress: ingress.map((ip) => ({ ip, ipMode: 'VIP' })) } : {},
        ...(st?.condition !== undefined ? { conditions: [{ ...st.condition }] } : {}),
      },
    };
  });
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

/**
 * `kubectl get ippools` (`ciliumloadbalancerippools`): the CRD's printer columns NAME, DISABLED,
 * CONFLICTING (status of `cilium.io/PoolConflict`), IPS AVAILABLE (message of
 * `cilium.io/IPsAvailable`) and AGE. `undefined` when there is no pool.
 *
 * @example
 * renderGetIpPools(ipam, []);
 * // NAME          DISABLED   CONFLICTING   IPS AVAILABLE   AGE
 * // cilium-pool   false      False         253             <unknown>
 */
export function renderGetIpPools(ipam: LbIpamResult, names: readonly string[]): string | undefined {
  const pools = ipam.pools.filter((p) => names.length === 0 || names.includes(p.name));
  if (pools.length === 0) return undefined;
  const lines = ['NAME\tDISABLED\tCONFLICTING\tIPS AVAILABLE\tAGE'];
  for (const p of pools) {
    lines.push([p.name, String(p.disabled), p.conflicting ? 'True' : 'False', p.available.toString(), AGE].join('\t'));
  }
  return tabwrite(lines, KUBECTL_TABWRITER);
}

/**
 * `kubectl get ippools -o json`: a List of `CiliumLoadBalancerIPPool`s with LB IPAM's status.
 *
 * @example
 * JSON.parse(getIpPoolsJson(cluster, ipam, [])).items[0].status.conditions[2].message; // '253'
 */
export function getIpPoolsJson(cluster: Cluster, ipam: LbIpamResult, names: readonly string[]): string {
  const items = ipam.pools
    .filter((p) => names.length === 0 || names.includes(p.name))
    .map((p) => {
      const spec = cluster.scenario.lbIpPools.find((x) => x.meta.name === p.name);
      return {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: p.name },
        spec: {
          ...(spec?.allowFirstLastIPs !== undefined ? { allowFirstLastIPs: spec.allowFirstLastIPs } : {}),
          blocks: (spec?.blocks ?? []).map((b) =>
            'cidr' in b ? { cidr: formatPrefix(b.cidr) } : { start: formatIp(b.start), stop: formatIp(b.stop) },
          ),
          disabled: p.disabled,
          ...(spec?.serviceSelector !== undefined ? { serviceSelector: spec.serviceSelector } : {}),
        },
        status: { conditions: p.conditions.map((c) => ({ ...c })) },
      };
    });
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}
