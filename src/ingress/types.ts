/**
 * The ingress stage's types: the controller's settings, the Envoy listeners and routes it
 * configures (the model of the CiliumEnvoyConfigs Cilium's operator writes), and what a request
 * matches.
 *
 * @module
 */

/**
 * The ingress controller's settings, from `cilium-config` (operator flags).
 *
 * @example
 * ```ts
 * import type { IngressSettings } from 'cilium-twin/ingress';
 * const s: IngressSettings = { enabled: true, defaultMode: 'dedicated', sharedServiceName: 'cilium-ingress', ciliumNamespace: 'kube-system', enforceHttps: true };
 * s.enabled;
 * ```
 */
export interface IngressSettings {
  /** `enable-ingress-controller` (Helm `ingressController.enabled`, default false). */
  readonly enabled: boolean;
  /** `ingress-default-lb-mode` (Helm `ingressController.loadbalancerMode`, default `dedicated`). */
  readonly defaultMode: LoadBalancerMode;
  /** `ingress-shared-lb-service-name` (Helm `ingressController.service.name`, default `cilium-ingress`). */
  readonly sharedServiceName: string;
  /** The namespace Cilium runs in (`kube-system`), where the shared Service lives. */
  readonly ciliumNamespace: string;
  /** `enforce-ingress-https` (default true): a TLS host's plain-HTTP requests are redirected. */
  readonly enforceHttps: boolean;
}

/**
 * An Ingress's load-balancer mode (annotation `ingress.cilium.io/loadbalancer-mode`, else the
 * default).
 *
 * @example
 * ```ts
 * import type { LoadBalancerMode } from 'cilium-twin/ingress';
 * const m: LoadBalancerMode = 'shared';
 * m;
 * ```
 */
export type LoadBalancerMode = 'dedicated' | 'shared';

/**
 * How a route matches the request path (Ingress `pathType` → Envoy): `Exact`, `Prefix`
 * (path-element prefix), `Regex` (`ImplementationSpecific`, RE2 full match).
 *
 * @example
 * ```ts
 * import type { PathMatch } from 'cilium-twin/ingress';
 * const m: PathMatch = { kind: 'Prefix', path: '/details' };
 * m.kind;
 * ```
 */
export interface PathMatch {
  /** Match kind. */
  readonly kind: 'Exact' | 'Prefix' | 'Regex';
  /** The path (or regular expression). */
  readonly path: string;
}

/**
 * A backend Service reference of a route (in the Ingress's namespace).
 *
 * @example
 * ```ts
 * import type { RouteBackend } from 'cilium-twin/ingress';
 * const b: RouteBackend = { namespace: 'default', service: 'details', port: 9080 };
 * b.service;
 * ```
 */
export interface RouteBackend {
  /** Namespace (the Ingress's). */
  readonly namespace: string;
  /** Service name. */
  readonly service: string;
  /** Service port: number or name. */
  readonly port: number | string;
}

/**
 * One Envoy route: from an Ingress rule's path (or its default backend).
 *
 * @example
 * ```ts
 * import type { IngressRoute, RouteBackend } from 'cilium-twin/ingress';
 * declare const backend: RouteBackend;
 * const r: IngressRoute = { ingress: 'default/basic', host: '*', match: { kind: 'Prefix', path: '/' }, backend, defaultBackend: false };
 * r.host;
 * ```
 */
export interface IngressRoute {
  /** The Ingress it comes from (`namespace/name`). */
  readonly ingress: string;
  /** Host (`*` when the rule has none; `*.example.com` wildcards allowed). */
  readonly host: string;
  /** Path match. */
  readonly match: PathMatch;
  /** Backend Service. */
  readonly backend: RouteBackend;
  /** True for the Ingress's `defaultBackend`. */
  readonly defaultBackend: boolean;
}

/**
 * The Envoy listener of one load-balancer Service port (80 HTTP, 443 TLS): its routes, sorted as
 * Envoy tries them within a host.
 *
 * @example
 * ```ts
 * import type { IngressListener } from 'cilium-twin/ingress';
 * declare const listener: IngressListener;
 * listener.service; // 'kube-system/cilium-ingress'
 * ```
 */
export interface IngressListener {
  /** The load-balancer Service (`namespace/name`). */
  readonly service: string;
  /** Port (80 or 443). */
  readonly port: number;
  /** TLS listener (443): noted, not decrypted by the model. */
  readonly tls: boolean;
  /** Routes in Envoy's order (see `routes.ts`). */
  readonly routes: readonly IngressRoute[];
  /** Hosts served over TLS (from `spec.tls`): plain HTTP to them is redirected when HTTPS is enforced. */
  readonly tlsHosts: readonly string[];
}

/**
 * One Ingress as the controller sees it.
 *
 * @example
 * ```ts
 * import type { ManagedIngress } from 'cilium-twin/ingress';
 * const i: ManagedIngress = { key: 'default/basic', mode: 'dedicated', service: 'default/cilium-ingress-basic', hosts: ['*'], ports: [80] };
 * i.service;
 * ```
 */
export interface ManagedIngress {
  /** `namespace/name`. */
  readonly key: string;
  /** Its effective load-balancer mode. */
  readonly mode: LoadBalancerMode;
  /** Its load-balancer Service (`namespace/name`). */
  readonly service: string;
  /** Its hosts (`*` when a rule has none), as `kubectl get ingress` lists them. */
  readonly hosts: readonly string[];
  /** Ports `kubectl get ingress` lists: 80, and 443 with TLS. */
  readonly ports: readonly number[];
  /** Its class as given (`spec.ingressClassName`, or the `kubernetes.io/ingress.class` annotation), or the default class. */
  readonly className?: string;
}

/**
 * What the ingress controller makes of a scenario.
 *
 * @example
 * ```ts
 * import { ingressState } from 'cilium-twin/ingress';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * ingressState(cluster).listeners.length;
 * ```
 */
export interface IngressState {
  /** Settings. */
  readonly settings: IngressSettings;
  /** Ingresses Cilium manages, by key. */
  readonly ingresses: readonly ManagedIngress[];
  /** Listeners by load-balancer Service and port. */
  readonly listeners: readonly IngressListener[];
  /** Problems: unknown classes, missing backends (as `validate` prints them). */
  readonly warnings: readonly string[];
}
