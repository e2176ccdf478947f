/**
 * Cilium's Gateway API controller (first slice): for each `Gateway` whose `GatewayClass` has
 * `spec.controllerName: io.cilium/gateway-controller`, a LoadBalancer Service
 * `cilium-gateway-<gateway name>` in the Gateway's namespace with one TCP port per listener port
 * (named `port-<port>`), labelled `io.cilium.gateway/owning-gateway: <name>`. LB IPAM gives it its
 * address and BGP advertises it like any LoadBalancer Service. Enabled by `enable-gateway-api`.
 * HTTPRoute routing through Envoy is not modelled yet (docs/decisions.md, Gateway API section).
 *
 * Cost: O(Gateways + GatewayClasses).
 *
 * @module
 */
import type { CiliumConfig } from '../cluster/types.js';
import type { Gateway, Scenario, Service, StringMap } from '../input/types.js';

/** The controller name of Cilium's GatewayClass. */
export const CILIUM_GATEWAY_CONTROLLER = 'io.cilium/gateway-controller';

/** The label the Gateway's Service carries (its Gateway's name). */
export const OWNING_GATEWAY_LABEL = 'io.cilium.gateway/owning-gateway';

function nullMap(entries: readonly (readonly [string, string])[]): StringMap {
  const m: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of entries) m[k] = v;
  return m;
}

/**
 * The Gateways Cilium manages (their class's controller is Cilium's), with a warning for each
 * Gateway whose class is unknown or belongs to another controller.
 *
 * @example
 * ```ts
 * import { managedGateways } from 'cilium-twin/ingress';
 * import type { Scenario } from 'cilium-twin/input';
 * declare const scenario: Scenario;
 * managedGateways(scenario).gateways.length;
 * ```
 */
export function managedGateways(s: Scenario): { gateways: Gateway[]; warnings: string[] } {
  const classes = new Map((s.gatewayClasses ?? []).map((c) => [c.meta.name, c.controllerName] as const));
  const gateways: Gateway[] = [];
  const warnings: string[] = [];
  for (const g of s.gateways ?? []) {
    const key = `${g.meta.namespace ?? 'default'}/${g.meta.name}`;
    const controller = classes.get(g.gatewayClassName);
    if (controller === undefined) {
      warnings.push(`Gateway ${key}: GatewayClass ${JSON.stringify(g.gatewayClassName)} not found: Gateway not accepted`);
    } else if (controller === CILIUM_GATEWAY_CONTROLLER) {
      gateways.push(g);
    }
  }
  return { gateways, warnings };
}

/**
 * The LoadBalancer Services Cilium's gateway controller creates (none when `enable-gateway-api`
 * is off), skipping names the scenario already has.
 *
 * @example
 * ```ts
 * import { gatewayServices } from 'cilium-twin/ingress';
 * import type { Scenario } from 'cilium-twin/input';
 * import type { CiliumConfig } from 'cilium-twin/cluster';
 * declare const scenario: Scenario;
 * declare const config: CiliumConfig;
 * gatewayServices(scenario, config).services.map((x) => x.meta.name); // ['cilium-gateway-my-gateway']
 * ```
 */
export function gatewayServices(s: Scenario, config: CiliumConfig): { services: Service[]; warnings: string[] } {
  if (!config.enableGatewayApi) return { services: [], warnings: [] };
  const { gateways, warnings } = managedGateways(s);
  const have = new Set(s.services.map((x) => `${x.meta.namespace ?? 'default'}/${x.meta.name}`));
  const services: Service[] = [];
  for (const g of gateways) {
    const namespace = g.meta.namespace ?? 'default';
    const name = `cilium-gateway-${g.meta.name}`;
    if (have.has(`${namespace}/${name}`)) continue;
    const ports = [...new Set(g.listeners.map((l) => l.port))].sort((a, b) => a - b);
    services.push({
      meta: { name, namespace, labels: nullMap([[OWNING_GATEWAY_LABEL, g.meta.name]]), annotations: nullMap([]) },
      type: 'LoadBalancer',
      clusterIPs: [],
      headless: false,
      ports: ports.map((p) => ({ name: `port-${p}`, protocol: 'TCP' as const, port: p, targetPort: p })),
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      externalIPs: [],
      loadBalancerSourceRanges: [],
      sessionAffinity: 'None',
      sessionAffinityTimeoutSeconds: 10800,
      ipFamilies: ['IPv4'],
      loadBalancerIngress: [],
    });
  }
  return { services, warnings };
}
