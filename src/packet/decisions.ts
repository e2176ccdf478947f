/**
 * The packet walk's decisions where the real system draws at random or depends on timing
 * (decisions 6 and 7 of `shared/reference/README.md`), kept in one place. `docs/decisions.md`
 * describes them.
 *
 * @module
 */

/**
 * Decision 7: the ephemeral source port of a request whose port the user did not give.
 * Linux picks one at random in `net.ipv4.ip_local_port_range` (32768–60999); the model takes this
 * fixed port.
 *
 * @example
 * ```ts
 * DEFAULT_SOURCE_PORT; // 40000
 * ```
 */
export const DEFAULT_SOURCE_PORT = 40000;

/**
 * Linux's default `ip_local_port_range`.
 *
 * @example
 * ```ts
 * EPHEMERAL_PORT_MIN; // 32768
 * ```
 */
export const EPHEMERAL_PORT_MIN = 32768;
/**
 * Linux's default `ip_local_port_range` upper bound.
 *
 * @example
 * ```ts
 * EPHEMERAL_PORT_MAX; // 60999
 * ```
 */
export const EPHEMERAL_PORT_MAX = 60999;

/**
 * Decision 7 for repeated requests (`curl` in a loop, `--repeat N`): the i-th request (0-based)
 * uses the port after the previous one, from `first` (default {@link DEFAULT_SOURCE_PORT}),
 * wrapping inside the ephemeral range.
 *
 * @example
 * ```ts
 * repeatSourcePort(0); // 40000
 * repeatSourcePort(3); // 40003
 * ```
 */
export function repeatSourcePort(i: number, first: number = DEFAULT_SOURCE_PORT): number {
  const span = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
  const base = first >= EPHEMERAL_PORT_MIN && first <= EPHEMERAL_PORT_MAX ? first : DEFAULT_SOURCE_PORT;
  return EPHEMERAL_PORT_MIN + ((base - EPHEMERAL_PORT_MIN + i) % span);
}

/**
 * Lowest port Cilium's BPF SNAT allocates (`NODEPORT_PORT_MIN_NAT`).
 *
 * @example
 * ```ts
 * NAT_PORT_MIN; // 32768
 * ```
 */
export const NAT_PORT_MIN = 32768;
/**
 * Highest port Cilium's BPF SNAT allocates (`NODEPORT_PORT_MAX_NAT`).
 *
 * @example
 * ```ts
 * NAT_PORT_MAX; // 65535
 * ```
 */
export const NAT_PORT_MAX = 65535;

/**
 * The port Cilium's BPF SNAT (NodePort SNAT and masquerading) gives a connection: it keeps the
 * original source port when it lies in the NAT range, as the datapath does when that port is
 * free (the model has no competing connections); otherwise it clamps it into the range
 * (the datapath draws at random there; the model takes `min + port % size`).
 *
 * @example
 * ```ts
 * natPort(40000); // 40000
 * natPort(1234); // 34002
 * ```
 */
export function natPort(port: number): number {
  if (port >= NAT_PORT_MIN && port <= NAT_PORT_MAX) return port;
  return NAT_PORT_MIN + (port % (NAT_PORT_MAX - NAT_PORT_MIN + 1));
}

/**
 * The `User-Agent` curl sends: the labs' router and nodes run Ubuntu 24.04 (`curl/8.5.0`, as the
 * seeds' whoami answers show). The model uses it for pods too.
 *
 * @example
 * ```ts
 * CURL_USER_AGENT; // 'curl/8.5.0'
 * ```
 */
export const CURL_USER_AGENT = 'curl/8.5.0';

/**
 * Initial TTL of a packet (Linux `ip_default_ttl`); it bounds every walk: a routing loop ends
 * with `TTL exceeded` after this many forwarding hops.
 *
 * @example
 * ```ts
 * INITIAL_TTL; // 64
 * ```
 */
export const INITIAL_TTL = 64;
