/**
 * The `cilium-config` keys the model reads: how each value is parsed and checked, the Helm value
 * names that set them (`--set loadBalancer.algorithm=maglev` = `--set bpf-lb-algorithm=maglev`),
 * and applying `--set` overrides to the ConfigMap's data.
 *
 * Defaults live with the cluster stage (`ciliumConfigFrom`); this module only says what a
 * valid value is, so that a wrong value is reported at decode time with its path.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IpPrefix } from './types.js';
import { familyOf, parsePrefix } from '../net/addr.js';

/**
 * A parser of one ConfigMap value: the parsed value or what was expected.
 *
 * @example
 * const algorithm: ValueParser<'random' | 'maglev'> = parseWord(['random', 'maglev'] as const);
 */
export type ValueParser<A> = (value: string) => E.Either<string, A>;

/**
 * The Maglev table sizes (M) Cilium accepts for `bpf-lb-maglev-table-size` (`pkg/maglev`), all
 * prime: the project's one list (the datapath and the arbitraries re-export it).
 *
 * @example
 * ```ts
 * import { MAGLEV_TABLE_SIZES } from 'cilium-twin/input';
 * MAGLEV_TABLE_SIZES.includes(16381); // true
 * ```
 */
export const MAGLEV_TABLE_SIZES: readonly number[] = Object.freeze([
  251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071,
]);

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * A boolean as Go's `strconv.ParseBool` reads it (`true`, `false`, `1`, `0`, `t`, `f`, …).
 *
 * @example
 * parseBool('true'); // right(true)
 */
export const parseBool: ValueParser<boolean> = (v) =>
  TRUE.has(v) ? E.right(true) : FALSE.has(v) ? E.right(false) : E.left('expected true or false');

/**
 * One of the given words.
 *
 * @example
 * parseWord(['random', 'maglev'] as const)('maglev'); // right('maglev')
 */
export function parseWord<const L extends readonly string[]>(words: L): ValueParser<L[number]> {
  const set = new Set<string>(words);
  const expected = words.length === 2 ? `${words[0]} or ${words[1]}` : `one of ${words.join(', ')}`;
  return (v) => (set.has(v) ? E.right(v as L[number]) : E.left(`expected ${expected}`));
}

/**
 * An integer in `[min, max]`.
 *
 * @example
 * parseInteger(0, 255)('1'); // right(1)
 */
export function parseInteger(min: number, max: number): ValueParser<number> {
  return (v) => {
    if (!/^[0-9]+$/.test(v)) return E.left(`expected integer ${min}..${max}`);
    const n = Number(v);
    return n >= min && n <= max ? E.right(n) : E.left(`expected integer ${min}..${max}`);
  };
}

/**
 * A prefix of the given family.
 *
 * @example
 * parseCidr(4)('172.20.0.0/16'); // right(172.20.0.0/16)
 */
export function parseCidr(family: 4 | 6): ValueParser<IpPrefix> {
  return (v) => {
    const p = parsePrefix(v);
    return p !== undefined && familyOf(p) === family ? E.right(p) : E.left(`expected an IPv${family} CIDR prefix`);
  };
}

/**
 * A list of names separated by spaces or commas (as `devices`).
 *
 * @example
 * parseList('eth0 eth1'); // right(['eth0', 'eth1'])
 */
export const parseList: ValueParser<readonly string[]> = (v) => E.right(v.split(/[\s,]+/).filter((x) => x !== ''));

/**
 * A Go `time.Duration` as `time.ParseDuration` reads it (`15s`, `200ms`, `1m30s`, `1.5h`), in
 * nanoseconds.
 *
 * @example
 * parseGoDuration('200ms'); // right(200000000)
 */
export const parseGoDuration: ValueParser<number> = (v) => {
  const units: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let text = v;
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text.startsWith('-') ? -1 : 1;
    text = text.slice(1);
  }
  if (text === '0') return E.right(0);
  const re = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  if (text === '') return E.left('expected a duration such as 15s or 200ms');
  while (text !== '') {
    const m = re.exec(text);
    if (!m || m[1] === '' || m[1] === '.') return E.left('expected a duration such as 15s or 200ms');
    total += Number(m[1]) * units[m[2]!]!;
    text = text.slice(m[0].length);
  }
  return E.right(Math.round(sign * total));
};

/**
 * The parsers of the keys the model reads, by `cilium-config` key. A key not listed is kept as
 * given and not checked.
 *
 * @example
 * CONFIG_KEYS['bpf-lb-algorithm']!('maglev'); // right('maglev')
 */
export const CONFIG_KEYS: Readonly<Record<string, ValueParser<unknown>>> = {
  'cluster-name': (v) =>
    /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(v) ? E.right(v) : E.left('expected a lower-case name of at most 32 letters, digits and dashes'),
  'cluster-id': parseInteger(0, 511),
  'max-connected-clusters': (v) => (v === '255' || v === '511' ? E.right(Number(v)) : E.left('expected 255 or 511')),
  ipam: (v) => (v !== '' ? E.right(v) : E.left('expected an IPAM mode such as kubernetes or cluster-pool')),
  'routing-mode': parseWord(['tunnel', 'native'] as const),
  'tunnel-protocol': parseWord(['vxlan', 'geneve'] as const),
  'auto-direct-node-routes': parseBool,
  'ipv4-native-routing-cidr': parseCidr(4),
  'ipv6-native-routing-cidr': parseCidr(6),
  'kube-proxy-replacement': parseWord(['true', 'false'] as const),
  'enable-ipv4': parseBool,
  'enable-ipv6': parseBool,
  'enable-bpf-masquerade': parseBool,
  'enable-ipv4-masquerade': parseBool,
  'enable-ipv6-masquerade': parseBool,
  'enable-bgp-control-plane': parseBool,
  'bgp-router-id-allocation-mode': parseWord(['default', 'ip-pool'] as const),
  'enable-no-service-endpoints-routable': parseBool,
  'bpf-lb-algorithm': parseWord(['random', 'maglev'] as const),
  'bpf-lb-mode': parseWord(['snat', 'dsr', 'hybrid'] as const),
  'bpf-lb-dsr-dispatch': parseWord(['opt', 'ipip', 'geneve'] as const),
  'bpf-lb-maglev-table-size': (v) => {
    const n = Number(v);
    return /^[0-9]+$/.test(v) && MAGLEV_TABLE_SIZES.includes(n) ? E.right(n) : E.left(`expected one of ${MAGLEV_TABLE_SIZES.join(', ')}`);
  },
  'bpf-lb-maglev-hash-seed': (v) =>
    /^[A-Za-z0-9+/]{16}$/.test(v) ? E.right(v) : E.left('expected the base64 text of 12 bytes (16 characters)'),
  'bpf-lb-external-clusterip': parseBool,
  'enable-session-affinity': parseBool,
  'enable-health-check-nodeport': parseBool,
  'enable-health-check-loadbalancer-ip': parseBool,
  'default-lb-service-ipam': parseWord(['lbipam', 'nodeipam', 'none'] as const),
  'enable-l2-announcements': parseBool,
  'l2-announcements-lease-duration': parseGoDuration,
  'l2-announcements-renew-deadline': parseGoDuration,
  'l2-announcements-retry-period': parseGoDuration,
  'enable-ipv4-egress-gateway': parseBool,
  'enable-ip-masq-agent': parseBool,
  'enable-ingress-controller': parseBool,
  'ingress-default-lb-mode': parseWord(['dedicated', 'shared'] as const),
  'enforce-ingress-https': parseBool,
  'ingress-lb-annotation-prefixes': parseList,
  'ingress-shared-lb-service-name': (v) =>
    /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v) ? E.right(v) : E.left('expected a Service name (DNS-1035 label)'),
  devices: parseList,
  'cluster-pool-ipv4-cidr': (v) => {
    const parts = v.split(/[\s,]+/).filter((x) => x !== '');
    return parts.length > 0 && parts.every((x) => E.isRight(parseCidr(4)(x))) ? E.right(parts) : E.left('expected IPv4 CIDRs separated by spaces or commas');
  },
  'cluster-pool-ipv4-mask-size': parseInteger(1, 32),
  'bpf-lb-algorithm-annotation': parseBool,
  'bpf-lb-mode-annotation': parseBool,
  'bpf-lb-source-range-all-types': parseBool,
  'bpf-lb-enable-wildcard-entries': parseBool,
  'enable-sctp': parseBool,
  'enable-host-legacy-routing': parseBool,
  'enable-local-redirect-policy': parseBool,
  'enable-service-topology': parseBool,
};

/**
 * Helm value names (as the seeds use them with `helm --set` / `cilium install --set`) and the
 * `cilium-config` key each one sets.
 *
 * @example
 * HELM_KEYS['loadBalancer.algorithm']; // 'bpf-lb-algorithm'
 */
export const HELM_KEYS: Readonly<Record<string, string>> = {
  'bgpControlPlane.enabled': 'enable-bgp-control-plane',
  'bgpControlPlane.routerIDAllocation.mode': 'bgp-router-id-allocation-mode',
  autoDirectNodeRoutes: 'auto-direct-node-routes',
  routingMode: 'routing-mode',
  tunnelProtocol: 'tunnel-protocol',
  kubeProxyReplacement: 'kube-proxy-replacement',
  'bpf.masquerade': 'enable-bpf-masquerade',
  'bpf.lbExternalClusterIP': 'bpf-lb-external-clusterip',
  'loadBalancer.mode': 'bpf-lb-mode',
  'loadBalancer.algorithm': 'bpf-lb-algorithm',
  'loadBalancer.dsrDispatch': 'bpf-lb-dsr-dispatch',
  'maglev.tableSize': 'bpf-lb-maglev-table-size',
  'maglev.hashSeed': 'bpf-lb-maglev-hash-seed',
  ipv4NativeRoutingCIDR: 'ipv4-native-routing-cidr',
  ipv6NativeRoutingCIDR: 'ipv6-native-routing-cidr',
  'egressGateway.enabled': 'enable-ipv4-egress-gateway',
  'ingressController.enabled': 'enable-ingress-controller',
  'ingressController.loadbalancerMode': 'ingress-default-lb-mode',
  'ingressController.enforceHttps': 'enforce-ingress-https',
  'ingressController.service.name': 'ingress-shared-lb-service-name',
  'ipMasqAgent.enabled': 'enable-ip-masq-agent',
  'l2announcements.enabled': 'enable-l2-announcements',
  'l2announcements.leaseDuration': 'l2-announcements-lease-duration',
  'l2announcements.leaseRenewDeadline': 'l2-announcements-renew-deadline',
  'l2announcements.leaseRetryPeriod': 'l2-announcements-retry-period',
  'cluster.name': 'cluster-name',
  'cluster.id': 'cluster-id',
  maxConnectedClusters: 'max-connected-clusters',
  'ipam.mode': 'ipam',
  'ipv4.enabled': 'enable-ipv4',
  'ipv6.enabled': 'enable-ipv6',
  enableIPv4Masquerade: 'enable-ipv4-masquerade',
  enableIPv6Masquerade: 'enable-ipv6-masquerade',
  'nodePort.enableHealthCheck': 'enable-health-check-nodeport',
  'nodePort.enableHealthCheckLoadBalancerIP': 'enable-health-check-loadbalancer-ip',
  defaultLBServiceIPAM: 'default-lb-service-ipam',
  devices: 'devices',
  'ipam.operator.clusterPoolIPv4PodCIDRList': 'cluster-pool-ipv4-cidr',
  'ipam.operator.clusterPoolIPv4MaskSize': 'cluster-pool-ipv4-mask-size',
};

const CONFIG_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The `cilium-config` key a `--set` name stands for: a Helm value name is mapped, a
 * `cilium-config` key (lower-case words joined by dashes) is kept as it is, anything else is an
 * error.
 *
 * @example
 * configKeyOf('loadBalancer.mode'); // right('bpf-lb-mode')
 * configKeyOf('bpf-lb-mode');       // right('bpf-lb-mode')
 */
export function configKeyOf(name: string): E.Either<string, string> {
  if (Object.prototype.hasOwnProperty.call(HELM_KEYS, name)) return E.right(HELM_KEYS[name]!);
  if (CONFIG_KEY.test(name)) return E.right(name);
  return E.left(
    `unknown setting ${JSON.stringify(name)}: give a cilium-config key (such as bpf-lb-algorithm) or one of the Helm names ${Object.keys(HELM_KEYS).join(', ')}`,
  );
}

/**
 * Checks one key's value; `undefined` when valid or when the model does not read the key.
 *
 * @example
 * checkConfigValue('bpf-lb-algorithm', 'round-robin'); // 'expected random or maglev'
 */
export function checkConfigValue(key: string, value: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key)) return undefined;
  const r = CONFIG_KEYS[key]!(value);
  return E.isLeft(r) ? r.left : undefined;
}

/**
 * Parses one key with its parser, falling back to `fallback` when the key is absent or invalid.
 *
 * @example
 * readConfig({ 'bpf-lb-algorithm': 'maglev' }, 'bpf-lb-algorithm', 'random'); // 'maglev'
 */
export function readConfig<A>(data: Readonly<Record<string, string>>, key: string, fallback: A): A {
  if (!Object.prototype.hasOwnProperty.call(data, key) || !Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key)) return fallback;
  const r = CONFIG_KEYS[key]!(data[key]!);
  return E.isRight(r) ? (r.right as A) : fallback;
}
