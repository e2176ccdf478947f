/**
 * The ingress stage (between workloads and LB IPAM): Cilium's ingress controller — the Ingresses
 * it manages, the load-balancer Services and placeholder EndpointSlices that expose them (LB IPAM
 * then allocates their addresses like any other Service's), and the Envoy listeners and routes.
 * The packet walk's Envoy (`src/packet/envoy.ts`) reads the listeners.
 *
 * @module
 */
export { CILIUM_GATEWAY_CONTROLLER, OWNING_GATEWAY_LABEL, gatewayServices, managedGateways } from './gateway.js';
export {
  buildIngress,
  ingressObjects,
  ingressRoutes,
  ingressSettings,
  ingressState,
  INGRESS_LABEL,
  LB_MODE_ANNOTATION,
  PLACEHOLDER_ENDPOINT,
} from './controller.js';
export { hostMatches, hostOnly, matchRoute, pathMatches, sortRoutes } from './routes.js';
export type {
  IngressListener,
  IngressRoute,
  IngressSettings,
  IngressState,
  LoadBalancerMode,
  ManagedIngress,
  PathMatch,
  RouteBackend,
} from './types.js';
