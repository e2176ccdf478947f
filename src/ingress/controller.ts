/**
 * Cilium's ingress controller (`operator/pkg/ingress`, Helm's `cilium-ingress` templates): which
 * Ingresses Cilium manages, the load-balancer Services and placeholder endpoints that expose
 * them, and the Envoy listeners and routes it configures (the model of its CiliumEnvoyConfigs).
 *
 * - **Enabled** by `enable-ingress-controller: "true"` (Helm `ingressController.enabled`).
 * - **Managed Ingresses**: class `cilium` from the `kubernetes.io/ingress.class` annotation (read
 *   first) or `spec.ingressClassName`; without a class, when the IngressClass `cilium` carries
 *   `ingressclass.kubernetes.io/is-default-class: "true"`. Any other class is ignored, with a
 *   warning.
 * - **Mode**: annotation `ingress.cilium.io/loadbalancer-mode` (`dedicated`/`shared`), else
 *   `ingress-default-lb-mode` (default `dedicated`).
 * - **Services**: shared — `<cilium ns>/<ingress-shared-lb-service-name>` (`kube-system/cilium-ingress`,
 *   made by Helm whenever the controller is enabled); dedicated — `cilium-ingress-<name>` in the
 *   Ingress's namespace, with the Ingress's annotations and labels whose key starts with one of
 *   `ingress-lb-annotation-prefixes` (default `lbipam.cilium.io nodeipam.cilium.io
 *   service.beta.kubernetes.io service.kubernetes.io cloud.google.com`). Both: type
 *   LoadBalancer, ports `http` 80/TCP and `https` 443/TCP, label `cilium.io/ingress: "true"`, no
 *   selector, and an Endpoints object with the placeholder `192.192.192.192:9999` that the
 *   API server's EndpointSlice mirroring turns into an EndpointSlice `<service>-<suffix>`.
 *   Cluster IPs and node ports come from the API server's rules (`applyServiceDefaults`), LB IPs
 *   from LB IPAM like any other Service.
 * - **Routes**: per rule host (`*` without one) and path: `Exact`, `Prefix`, and
 *   `ImplementationSpecific` as a regular expression (`operator/pkg/model/ingestion/ingress.go`);
 *   `defaultBackend` as a catch-all `/` prefix on host `*`. A `spec.tls` host adds a TLS listener
 *   on 443 (noted; the model does not decrypt).
 *
 * Cost: O(ingresses × rules) plus one rebuild of the cluster when any Ingress is managed.
 *
 * @module
 */
import { gatewayServices } from './gateway.js';
import type { CiliumConfig, Cluster } from '../cluster/types.js';
import { buildCluster } from '../cluster/build.js';
import type { Endpoint, EndpointSlice, Ingress, IngressBackend, Scenario, Service, StringMap } from '../input/types.js';
import { parseIp } from '../net/addr.js';
import { compareStrings } from '../net/compare.js';
import { applyServiceDefaults } from '../workloads/services.js';
import { randomSuffix } from '../workloads/names.js';
import type { IngressListener, IngressRoute, IngressSettings, IngressState, LoadBalancerMode, ManagedIngress, PathMatch } from './types.js';
import { sortRoutes } from './routes.js';

/**
 * The placeholder backend of every ingress Service (the agent needs a backend to program the
 * service; Envoy never sends to it).
 *
 * @example
 * ```ts
 * import { PLACEHOLDER_ENDPOINT } from 'cilium-twin/ingress';
 * PLACEHOLDER_ENDPOINT.address; // '192.192.192.192'
 * ```
 */
export const PLACEHOLDER_ENDPOINT = { address: '192.192.192.192', port: 9999 } as const;

/**
 * The label on the ingress Services (`ciliumIngressLabelKey`).
 *
 * @example
 * ```ts
 * import { INGRESS_LABEL } from 'cilium-twin/ingress';
 * INGRESS_LABEL; // 'cilium.io/ingress'
 * ```
 */
export const INGRESS_LABEL = 'cilium.io/ingress';

/**
 * The annotation choosing an Ingress's load-balancer mode.
 *
 * @example
 * ```ts
 * import { LB_MODE_ANNOTATION } from 'cilium-twin/ingress';
 * LB_MODE_ANNOTATION; // 'ingress.cilium.io/loadbalancer-mode'
 * ```
 */
export const LB_MODE_ANNOTATION = 'ingress.cilium.io/loadbalancer-mode';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * The controller's settings from a cluster's configuration (see the module doc).
 *
 * @example
 * ```ts
 * import { ingressSettings } from 'cilium-twin/ingress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * ingressSettings(cluster.config).defaultMode; // 'dedicated'
 * ```
 */
export function ingressSettings(config: CiliumConfig): IngressSettings {
  return {
    enabled: config.enableIngressController,
    defaultMode: config.ingressDefaultLbMode,
    sharedServiceName: config.ingressSharedLbServiceName,
    ciliumNamespace: 'kube-system',
    enforceHttps: config.enforceIngressHttps,
  };
}

function annotationPrefixes(config: CiliumConfig): readonly string[] {
  return config.ingressLbAnnotationPrefixes;
}

const cmp = compareStrings;

function keyOf(i: { meta: { namespace?: string; name: string } }): string {
  return `${i.meta.namespace ?? 'default'}/${i.meta.name}`;
}

function nullMap(entries: readonly (readonly [string, string])[]): StringMap {
  const m = Object.create(null) as Record<string, string>;
  for (const [k, v] of entries) m[k] = v;
  return m;
}

/** The class an Ingress asks for: the annotation first, then `spec.ingressClassName`. */
function classOf(ing: Ingress): string | undefined {
  const a = ing.meta.annotations[CLASS_ANNOTATION];
  return a !== undefined ? a : ing.ingressClassName;
}

function ciliumIsDefaultClass(s: Scenario): boolean {
  return (s.ingressClasses ?? []).some((c) => c.meta.name === 'cilium' && c.meta.annotations[DEFAULT_CLASS_ANNOTATION] === 'true');
}

function pathMatch(path: string, pathType: string): PathMatch {
  if (pathType === 'Exact') return { kind: 'Exact', path };
  if (pathType === 'Prefix') return { kind: 'Prefix', path };
  return { kind: 'Regex', path };
}

function backendOf(ns: string, b: IngressBackend): IngressRoute['backend'] {
  return { namespace: ns, service: b.serviceName, port: b.port };
}

/**
 * The routes of one Ingress (rules in order, then its default backend).
 *
 * @example
 * ```ts
 * import { ingressRoutes } from 'cilium-twin/ingress';
 * import type { Ingress } from 'cilium-twin/input';
 * declare const ing: Ingress;
 * ingressRoutes(ing).map((r) => `${r.host} ${r.match.kind} ${r.match.path}`);
 * ```
 */
export function ingressRoutes(ing: Ingress): IngressRoute[] {
  const ns = ing.meta.namespace ?? 'default';
  const key = keyOf(ing);
  const out: IngressRoute[] = [];
  for (const rule of ing.rules) {
    const host = rule.host !== undefined && rule.host !== '' ? rule.host : '*';
    for (const p of rule.paths) {
      out.push({ ingress: key, host, match: pathMatch(p.path, p.pathType), backend: backendOf(ns, p.backend), defaultBackend: false });
    }
  }
  if (ing.defaultBackend !== undefined) {
    out.push({ ingress: key, host: '*', match: { kind: 'Prefix', path: '/' }, backend: backendOf(ns, ing.defaultBackend), defaultBackend: true });
  }
  return out;
}

/**
 * What Cilium's ingress controller makes of a cluster (see the module doc): the managed
 * Ingresses, the listeners and routes, and warnings. Pure; the Services are made by
 * {@link ingressObjects}.
 *
 * @example
 * ```ts
 * import { ingressState } from 'cilium-twin/ingress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * ingressState(cluster).ingresses.map((i) => i.service); // ['default/cilium-ingress-basic']
 * ```
 */
export function ingressState(cluster: Cluster): IngressState {
  const settings = ingressSettings(cluster.config);
  const s = cluster.scenario;
  const warnings: string[] = [];
  if (!settings.enabled) return { settings, ingresses: [], listeners: [], warnings };
  const defaultClass = ciliumIsDefaultClass(s);
  const services = new Map(s.services.map((x) => [keyOf(x), x] as const));
  const ingresses: ManagedIngress[] = [];
  const byService = new Map<string, { routes: IngressRoute[]; tlsHosts: string[] }>();
  const shared = `${settings.ciliumNamespace}/${settings.sharedServiceName}`;
  for (const ing of [...s.ingresses].sort((a, b) => cmp(keyOf(a), keyOf(b)))) {
    const key = keyOf(ing);
    const cls = classOf(ing);
    if (cls !== undefined && cls !== 'cilium') {
      warnings.push(`Ingress ${key}: ingress class ${JSON.stringify(cls)} is not cilium: ignored by Cilium's ingress controller`);
      continue;
    }
    if (cls === undefined && !defaultClass) {
      warnings.push(`Ingress ${key}: no ingress class and the IngressClass cilium is not the default class: ignored by Cilium's ingress controller`);
      continue;
    }
    const modeText = ing.meta.annotations[LB_MODE_ANNOTATION];
    if (modeText !== undefined && modeText !== 'dedicated' && modeText !== 'shared') {
      warnings.push(`Ingress ${key}: annotation ${LB_MODE_ANNOTATION}: ${JSON.stringify(modeText)} is neither dedicated nor shared: the default (${settings.defaultMode}) applies`);
    }
    const mode: LoadBalancerMode = modeText === 'dedicated' || modeText === 'shared' ? modeText : settings.defaultMode;
    const ns = ing.meta.namespace ?? 'default';
    const service = mode === 'shared' ? shared : `${ns}/cilium-ingress-${ing.meta.name}`;
    const routes = ingressRoutes(ing);
    const tlsHosts = (ing.tls ?? []).flatMap((t) => t.hosts);
    const hosts = [...new Set(ing.rules.map((r) => (r.host !== undefined && r.host !== '' ? r.host : '*')))];
    ingresses.push({
      key,
      mode,
      service,
      hosts: hosts.length > 0 ? hosts : ['*'],
      ports: tlsHosts.length > 0 ? [80, 443] : [80],
      ...(cls !== undefined ? { className: cls } : { className: 'cilium' }),
    });
    let entry = byService.get(service);
    if (entry === undefined) byService.set(service, (entry = { routes: [], tlsHosts: [] }));
    entry.routes.push(...routes);
    entry.tlsHosts.push(...tlsHosts);
    for (const r of routes) {
      const target = services.get(`${r.backend.namespace}/${r.backend.service}`);
      const portText = typeof r.backend.port === 'number' ? String(r.backend.port) : r.backend.port;
      if (target === undefined) {
        warnings.push(`Ingress ${key}: backend service ${r.backend.namespace}/${r.backend.service} does not exist: Envoy answers 503 on ${r.host}${r.match.path}`);
      } else if (!target.ports.some((p) => (typeof r.backend.port === 'number' ? p.port === r.backend.port : p.name === r.backend.port))) {
        warnings.push(`Ingress ${key}: service ${r.backend.namespace}/${r.backend.service} has no port ${portText}: Envoy answers 503 on ${r.host}${r.match.path}`);
      }
    }
  }
  const listeners: IngressListener[] = [];
  for (const [service, e] of [...byService].sort((a, b) => cmp(a[0], b[0]))) {
    const routes = sortRoutes(e.routes);
    const tlsHosts = [...new Set(e.tlsHosts)].sort(cmp);
    listeners.push({ service, port: 80, tls: false, routes, tlsHosts });
    if (tlsHosts.length > 0) listeners.push({ service, port: 443, tls: true, routes: routes.filter((r) => tlsHosts.includes(r.host) || r.host === '*'), tlsHosts });
  }
  return { settings, ingresses, listeners, warnings };
}

function ingressService(namespace: string, name: string, labels: StringMap, annotations: StringMap): Service {
  return {
    meta: { name, namespace, labels, annotations },
    type: 'LoadBalancer',
    clusterIPs: [],
    headless: false,
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
      { name: 'https', protocol: 'TCP', port: 443, targetPort: 443 },
    ],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    externalIPs: [],
    loadBalancerSourceRanges: [],
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 10800,
    ipFamilies: ['IPv4'],
    loadBalancerIngress: [],
  };
}

function placeholderSlice(namespace: string, service: string): EndpointSlice {
  const endpoint: Endpoint = { addresses: [parseIp(PLACEHOLDER_ENDPOINT.address)!], ready: true, serving: true, terminating: false };
  return {
    meta: {
      name: `${service}-${randomSuffix(`${namespace}/${service}/endpointslicemirroring`)}`,
      namespace,
      labels: nullMap([
        ['endpointslice.kubernetes.io/managed-by', 'endpointslicemirroring-controller.k8s.io'],
        ['kubernetes.io/service-name', service],
      ]),
      annotations: nullMap([]),
    },
    serviceName: service,
    addressType: 'IPv4',
    endpoints: [endpoint],
    // The agent programs the placeholder behind both listener ports; the model's LB stage matches
    // backends by port name, so the slice names it for each (docs/decisions.md, ingress section).
    ports: [
      { name: 'http', port: PLACEHOLDER_ENDPOINT.port, protocol: 'TCP' },
      { name: 'https', port: PLACEHOLDER_ENDPOINT.port, protocol: 'TCP' },
    ],
  };
}

/**
 * The Services and EndpointSlices the ingress controller (and Helm, for the shared one) adds to
 * a scenario: one per load-balancer Service that some managed Ingress uses, unless the scenario
 * already has a Service of that name (kept as given).
 *
 * @example
 * ```ts
 * import { ingressObjects } from 'cilium-twin/ingress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * ingressObjects(cluster).services.map((s) => s.meta.name); // ['cilium-ingress', 'cilium-ingress-basic']
 * ```
 */
export function ingressObjects(cluster: Cluster, state: IngressState = ingressState(cluster)): { services: Service[]; endpointSlices: EndpointSlice[] } {
  const s = cluster.scenario;
  const have = new Set(s.services.map(keyOf));
  const haveSlices = new Set(s.endpointSlices.map((e) => `${e.meta.namespace ?? 'default'}/${e.serviceName}`));
  const prefixes = annotationPrefixes(cluster.config);
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  const wanted = new Map<string, ManagedIngress | undefined>();
  if (state.settings.enabled) wanted.set(`${state.settings.ciliumNamespace}/${state.settings.sharedServiceName}`, undefined);
  for (const i of state.ingresses) if (i.mode === 'dedicated') wanted.set(i.service, i);
  const byKey = new Map(s.ingresses.map((i) => [keyOf(i), i] as const));
  for (const [key, managed] of [...wanted].sort((a, b) => cmp(a[0], b[0]))) {
    const [ns, name] = key.split('/') as [string, string];
    if (!have.has(key)) {
      const ing = managed !== undefined ? byKey.get(managed.key) : undefined;
      const copy = (m: StringMap): [string, string][] => Object.entries(m).filter(([k]) => prefixes.some((p) => k.startsWith(p)));
      const labels = nullMap([...(ing ? copy(ing.meta.labels) : []), [INGRESS_LABEL, 'true']]);
      const annotations = nullMap(ing ? copy(ing.meta.annotations) : []);
      services.push(ingressService(ns, name, labels, annotations));
    }
    if (!haveSlices.has(key)) endpointSlices.push(placeholderSlice(ns, name));
  }
  return { services, endpointSlices };
}

/**
 * The ingress stage on a cluster: adds the ingress Services (with the API server's cluster IPs
 * and node ports) and their placeholder EndpointSlices, and the controller's warnings. Returns
 * the cluster unchanged when the controller is disabled.
 *
 * @example
 * ```ts
 * import { buildIngress } from 'cilium-twin/ingress';
 * import { buildWorkloadCluster } from 'cilium-twin/workloads';
 * import type { Scenario } from 'cilium-twin/input';
 * declare const scenario: Scenario;
 * const cluster = buildIngress(buildWorkloadCluster(scenario));
 * cluster.scenario.services.length;
 * ```
 */
export function buildIngress(cluster: Cluster): Cluster {
  const state = ingressState(cluster);
  if (!state.settings.enabled && !cluster.config.enableGatewayApi) return cluster;
  const objs = ingressObjects(cluster, state);
  const s = cluster.scenario;
  const gw = gatewayServices(s, cluster.config);
  const added = [...objs.services, ...gw.services];
  let services = s.services;
  if (added.length > 0) {
    const d = applyServiceDefaults([...s.services, ...added], s.nodes, s.serviceCIDRs ?? [], s.endpointSlices);
    services = d.services;
  }
  const scenario: Scenario = {
    ...s,
    services,
    endpointSlices: [...s.endpointSlices, ...objs.endpointSlices].sort((a, b) => cmp(keyOf(a), keyOf(b))),
  };
  const next = buildCluster(scenario);
  return { ...next, warnings: [...cluster.warnings, ...state.warnings, ...gw.warnings], given: cluster.given ?? cluster.scenario };
}
