/**
 * Cilium's drop reasons (`pkg/monitor/api/drop.go`): the code the datapath returns and the text
 * Hubble prints in its TYPE column.
 *
 * @module
 */

/**
 * Drop reason codes the packet walk produces, with their Hubble text.
 *
 * @example
 * ```ts
 * DROP_REASONS[158]; // 'Service backend not found'
 * ```
 */
export const DROP_REASONS: Readonly<Record<number, string>> = {
  2: 'Invalid packet',
  132: 'Invalid source ip',
  133: 'Policy denied',
  151: 'Stale or unroutable IP',
  158: 'Service backend not found',
  160: 'No tunnel/encapsulation endpoint (datapath BUG!)',
  164: 'Local host is unreachable',
  167: 'No mapping for NAT masquerade',
  168: 'Unsupported protocol for NAT masquerade',
  169: 'FIB lookup failed',
  174: 'Is a ClusterIP',
  177: 'Denied by LB src range check',
  181: 'Policy denied by denylist',
  194: 'No egress gateway found',
  196: 'TTL exceeded',
  204: 'No Egress IP configured',
};

/**
 * `DROP_NO_SERVICE`: the frontend has no backend to pick (count 0, wildcard rows).
 *
 * @example
 * ```ts
 * dropReasonText(DROP_NO_SERVICE); // 'Service backend not found'
 * ```
 */
export const DROP_NO_SERVICE = 158;
/**
 * `DROP_IS_CLUSTER_IP`: a non-routable frontend reached from outside the cluster.
 *
 * @example
 * ```ts
 * dropReasonText(DROP_IS_CLUSTER_IP); // 'Is a ClusterIP'
 * ```
 */
export const DROP_IS_CLUSTER_IP = 174;
/**
 * `DROP_INVALID`: e.g. a HostPort frontend whose backend is on another node.
 *
 * @example
 * ```ts
 * dropReasonText(DROP_INVALID); // 'Invalid packet'
 * ```
 */
export const DROP_INVALID = 2;
/**
 * `DROP_NOT_IN_SRC_RANGE`: `loadBalancerSourceRanges` rejects the client.
 *
 * @example
 * ```ts
 * dropReasonText(DROP_NOT_IN_SRC_RANGE); // 'Denied by LB src range check'
 * ```
 */
export const DROP_NOT_IN_SRC_RANGE = 177;
/**
 * `DROP_NO_TUNNEL_ENDPOINT`: tunnel mode, and no node holds the destination.
 *
 * @example
 * ```ts
 * dropReasonText(DROP_NO_TUNNEL_ENDPOINT); // 'No tunnel/encapsulation endpoint (datapath BUG!)'
 * ```
 */
export const DROP_NO_TUNNEL_ENDPOINT = 160;
/**
 * `DROP_TTL_EXCEEDED`.
 *
 * @example
 * ```ts
 * dropReasonText(DROP_TTL_EXCEEDED); // 'TTL exceeded'
 * ```
 */
export const DROP_TTL_EXCEEDED = 196;

/**
 * The Hubble text of a drop code (the number itself when unknown, as Hubble prints it).
 *
 * @example
 * ```ts
 * dropReasonText(174); // 'Is a ClusterIP'
 * dropReasonText(999); // '999'
 * ```
 */
export function dropReasonText(code: number): string {
  return DROP_REASONS[code] ?? String(code);
}

/**
 * `DROP_NO_EGRESS_GATEWAY`: an egress gateway policy selects the packet but no gateway node was
 * found (gateway `0.0.0.0` in the egress map).
 *
 * @example
 * ```ts
 * dropReasonText(DROP_NO_EGRESS_GATEWAY); // 'No egress gateway found'
 * ```
 */
export const DROP_NO_EGRESS_GATEWAY = 194;
/**
 * `DROP_NO_EGRESS_IP`: the gateway node has no egress IP for the policy (`0.0.0.0`).
 *
 * @example
 * ```ts
 * dropReasonText(DROP_NO_EGRESS_IP); // 'No Egress IP configured'
 * ```
 */
export const DROP_NO_EGRESS_IP = 204;
