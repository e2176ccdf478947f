/**
 * The egress gateway: `CiliumEgressGatewayPolicy` (OSS, `pkg/egressgateway`) and the highly
 * available `IsovalentEgressGatewayPolicy` (Isovalent Enterprise, public material only), turned
 * into what every agent writes in `cilium_egress_gw_policy_v4` and what the HA operator writes in
 * the policy's status.
 *
 * Rules (reference §D/§E; `docs/decisions.md`, "Egress gateway"):
 * - The feature runs only with `enable-ipv4-egress-gateway`, `enable-ipv4-masquerade`,
 *   `enable-bpf-masquerade` and kube-proxy replacement; otherwise the agent refuses to start
 *   ({@link EgressState.refusal}) and no map exists.
 * - A policy selects endpoints (running pods with an IPv4 address, not host-network) whose
 *   identity labels match a `selectors[]` entry: `podSelector` on the pod's identity labels,
 *   `namespaceSelector` on its namespace's labels (empty = any namespace), `nodeSelector` on its
 *   node's labels; several selector fields of one entry are ANDed, entries ORed.
 * - OSS gateway: among the nodes matching `egressGateway.nodeSelector`, sorted by name, the first
 *   that can serve (Ready and not cordoned, the rule) is the gateway; its InternalIP is
 *   the gateway IP. None: gateway `0.0.0.0` ("Not Found"), traffic dropped with 194.
 * - Egress IP, on the gateway only: `interface` → its first IPv4; `egressIP` → that IP when an
 *   interface of the gateway holds it; neither → first IPv4 of the interface with the IPv4 default
 *   route. A failure gives `0.0.0.0` (traffic dropped on the gateway with 204).
 * - HA groups: healthy = matching nodes that can serve, by gateway IP; `maxGatewayNodes` (0 or
 *   absent: all) bounds the active ones, chosen per `azAffinity` over `topology.kubernetes.io/zone`;
 *   `egressCIDRs` hand each active gateway (by IP) the next address.
 * - Map rows: per policy × endpoint IP × `destinationCIDRs` (gateway) and `excludedCIDRs`
 *   (`0.0.0.1`, "Excluded CIDR"). Two policies writing the same (source, CIDR) key: the policy
 *   whose name sorts first keeps it (Cilium: whichever the agent writes last, in Go map order).
 *
 * Complexity: {@link egressState} is O(P·(E·S + N) + R log R) for P policies, E endpoints,
 * S selector entries, N nodes and R map rows, computed once per cluster by its caller; a lookup is
 * O(rows of that source); {@link egressMapRows} for one node is O(R).
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { matchesSelector } from '../cluster/selector.js';
import { podIdentityLabels } from '../datapath/endpoints/identity.js';
import { hostRoutingTable } from '../fib/base.js';
import type { EgressGateway, EgressGatewayPolicy, Host, LabelSelector, StringMap } from '../input/types.js';
import { type Prefix4, inPrefix, ipv4ToU32, isIPv4, isIPv4Prefix, prefix4Of, u32ToIpv4 } from '../net/addr.js';
import { compareStrings } from '../net/compare.js';

/** The label that carries a node's zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Gateway value meaning "no gateway found" (`GatewayNotFoundIPv4`). */
export const GATEWAY_NOT_FOUND = 0;
/** Gateway value marking an excluded CIDR (`ExcludedCIDRIPv4`, 0.0.0.1). */
export const GATEWAY_EXCLUDED = 1;

/**
 * One gateway group's state: the candidates, the healthy and active gateways, and each active
 * gateway's egress IP (the HA operator's `status.groupStatuses[]`; one group for OSS).
 *
 * @example
 * ```ts
 * egressState(cluster).policies[0]?.groups[0]?.active; // ['192.168.10.101']
 * ```
 */
export interface GatewayGroupState {
  /** Nodes matching the group's node selector, by name. */
  readonly candidates: readonly string[];
  /** Candidates that can serve (Ready, not cordoned): their gateway IPs, sorted by address. */
  readonly healthy: readonly string[];
  /** Active gateway IPs, sorted by address. */
  readonly active: readonly string[];
  /** Active gateway IPs per zone (azAffinity other than `disabled`), zones sorted. */
  readonly activeByZone: ReadonlyMap<string, readonly string[]>;
  /** Egress IP of each active gateway (`0.0.0.0` when none could be derived or allocated). */
  readonly egressIPs: ReadonlyMap<string, string>;
  /** Gateway IP → node name. */
  readonly nodeOf: ReadonlyMap<string, string>;
  /** The device each active gateway SNATs on (the egress interface). */
  readonly devices: ReadonlyMap<string, string>;
  /** False when `egressCIDRs` hold too few addresses for the active gateways. */
  readonly ipamSatisfied: boolean;
}

/**
 * A policy's computed state.
 *
 * @example
 * ```ts
 * egressState(cluster).policies.map((p) => p.name);
 * ```
 */
export interface EgressPolicyState {
  /** `metadata.name`. */
  readonly name: string;
  /** `cilium` (CiliumEgressGatewayPolicy) or `isovalent` (IsovalentEgressGatewayPolicy). */
  readonly flavour: 'cilium' | 'isovalent';
  /** The policy as decoded. */
  readonly policy: EgressGatewayPolicy;
  /** `azAffinity` (`disabled` when absent). */
  readonly azAffinity: string;
  /** Selected endpoints: `namespace/name`, node, IPv4 addresses, zone. */
  readonly endpoints: readonly { readonly pod: string; readonly node: string; readonly ips: readonly string[]; readonly zone?: string }[];
  /** One per gateway group. */
  readonly groups: readonly GatewayGroupState[];
}

/**
 * One entry of the egress policy map (identical on every node except the egress IP).
 *
 * @example
 * ```ts
 * egressLookup(state, src, dst)?.gateways; // [gateway IP as u32]
 * ```
 */
export interface EgressEntry {
  /** The policy that wrote it. */
  readonly policy: string;
  /** HA (Isovalent) entry. */
  readonly ha: boolean;
  /** Source endpoint IP (u32). */
  readonly src: number;
  /** Destination prefix. */
  readonly dst: Prefix4;
  /** Destination prefix as text. */
  readonly dstText: string;
  /** An `excludedCIDRs` entry. */
  readonly excluded: boolean;
  /** Gateway IPs (u32) this source may use; empty when none (drop 194). */
  readonly gateways: readonly number[];
  /** Egress IP (u32, 0 when none) by gateway IP. */
  readonly egressIPs: ReadonlyMap<number, number>;
}

/**
 * The cluster's egress gateway state.
 *
 * @example
 * ```ts
 * const s = egressState(cluster);
 * s.enabled; // false unless enable-ipv4-egress-gateway and its requirements
 * ```
 */
export interface EgressState {
  /** The egress gateway runs (flag on and requirements met). */
  readonly enabled: boolean;
  /** The agent's refusal, when the flag is on but a requirement is not met. */
  readonly refusal?: string;
  /** Every policy, by name. */
  readonly policies: readonly EgressPolicyState[];
  /** Map entries, by source address then destination prefix (empty when not enabled). */
  readonly entries: readonly EgressEntry[];
  /** Entries of each source, longest destination prefix first (LPM order). */
  readonly bySource: ReadonlyMap<number, readonly EgressEntry[]>;
  /** Problems `validate` reports. */
  readonly warnings: readonly string[];
}

interface NodeInfo {
  readonly name: string;
  readonly labels: StringMap;
  readonly ip: string | undefined;
  readonly serves: boolean;
  readonly zone: string | undefined;
  readonly host: Host | undefined;
}

/**
 * The agent's refusal to start with the egress gateway on, or `undefined` when the requirements
 * hold (the first message is Cilium's own; the kube-proxy replacement one is the documented
 * requirement in the model's words).
 *
 * @example
 * ```ts
 * egressRefusal(cluster); // 'egress gateway requires --enable-ipv4-masquerade="true" and --enable-bpf-masquerade="true"'
 * ```
 */
export function egressRefusal(cluster: Cluster): string | undefined {
  const c = cluster.config;
  if (!c.enableEgressGateway) return undefined;
  if (!c.enableIPv4Masquerade || !c.enableBpfMasquerade) {
    return 'egress gateway requires --enable-ipv4-masquerade="true" and --enable-bpf-masquerade="true"';
  }
  if (!c.kubeProxyReplacement) return 'egress gateway requires --kube-proxy-replacement="true"';
  return undefined;
}

/**
 * The egress gateway state of a cluster. Pure and not cached here: callers (the network stage,
 * the twin) compute it once and keep it.
 *
 * @example
 * ```ts
 * egressState(cluster).entries.length;
 * ```
 */
export function egressState(cluster: Cluster): EgressState {
  return computeState(cluster);
}

function computeState(cluster: Cluster): EgressState {
  const warnings: string[] = [];
  const refusal = egressRefusal(cluster);
  const enabled = cluster.config.enableEgressGateway && refusal === undefined;
  const policiesIn = [...cluster.scenario.egressGatewayPolicies].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  if (policiesIn.length === 0 && !enabled) return { enabled, ...(refusal ? { refusal } : {}), policies: [], entries: [], bySource: new Map(), warnings };
  if (refusal !== undefined) warnings.push(`the Cilium agent refuses to start: ${refusal}`);
  else if (!cluster.config.enableEgressGateway && policiesIn.length > 0) {
    warnings.push(`${policiesIn.length} egress gateway polic${policiesIn.length === 1 ? 'y is' : 'ies are'} given but enable-ipv4-egress-gateway is false: no agent applies them`);
  }

  const hostByName = new Map(cluster.hosts.map((h) => [h.meta.name, h] as const));
  const cnByName = new Map(cluster.ciliumNodes.map((n) => [n.meta.name, n] as const));
  const nodes: NodeInfo[] = [...cluster.scenario.nodes]
    .sort((a, b) => compareStrings(a.meta.name, b.meta.name))
    .map((n) => {
      const cn = cnByName.get(n.meta.name);
      const all = [
        ...(cn?.addresses ?? []).map((a) => ({ type: a.type, ip: a.ip })),
        ...n.addresses.map((a) => ({ type: a.type as string, ip: a.address })),
      ].filter((a) => isIPv4(a.ip));
      const ip = (all.find((a) => a.type === 'InternalIP') ?? all.find((a) => a.type === 'ExternalIP'))?.ip.toString();
      return {
        name: n.meta.name,
        labels: n.meta.labels,
        ip,
        serves: n.ready && n.unschedulable !== true,
        zone: n.meta.labels[ZONE_LABEL],
        host: hostByName.get(n.meta.name),
      };
    });
  const nodeByName = new Map(nodes.map((n) => [n.name, n] as const));
  const zones = [...new Set(nodes.flatMap((n) => (n.zone !== undefined ? [n.zone] : [])))].sort(compareStrings);
  const nsLabels = new Map(cluster.namespaces.map((n) => [n.meta.name, n.meta.labels] as const));

  // Endpoints with their identity labels (computed once, shared by every policy).
  const endpoints = cluster.scenario.pods
    .filter((p) => !p.hostNetwork && p.nodeName !== undefined && p.phase === 'Running' && p.podIPs.some(isIPv4))
    .map((p) => {
      const labels: Record<string, string> = {};
      for (const l of podIdentityLabels(cluster, p)) {
        const body = l.startsWith('k8s:') ? l.slice(4) : l;
        const eq = body.indexOf('=');
        labels[eq < 0 ? body : body.slice(0, eq)] = eq < 0 ? '' : body.slice(eq + 1);
      }
      const ns = p.meta.namespace ?? 'default';
      return {
        key: `${ns}/${p.meta.name}`,
        ns,
        node: p.nodeName!,
        labels,
        ips: p.podIPs.filter(isIPv4).map((a) => a.toString()),
      };
    })
    .sort((a, b) => compareStrings(a.key, b.key));

  const policies: EgressPolicyState[] = [];
  const keyOwner = new Map<string, string>();
  const entries: EgressEntry[] = [];
  for (const pol of policiesIn) {
    const name = pol.meta.name;
    const kind = pol.flavour === 'cilium' ? 'CiliumEgressGatewayPolicy' : 'IsovalentEgressGatewayPolicy';
    const azAffinity = pol.azAffinity ?? 'disabled';
    const selected = endpoints.filter((e) =>
      pol.selectors.some((s) => {
        if (s.podSelector !== undefined && !matchesSelector(s.podSelector, e.labels)) return false;
        if (s.namespaceSelector !== undefined) {
          const nl = { 'kubernetes.io/metadata.name': e.ns, ...(nsLabels.get(e.ns) ?? {}) };
          if (!matchesSelector(s.namespaceSelector, nl)) return false;
        }
        if (s.nodeSelector !== undefined && !matchesSelector(s.nodeSelector, nodeByName.get(e.node)?.labels ?? {})) return false;
        return s.podSelector !== undefined || s.namespaceSelector !== undefined;
      }),
    );
    const groups = pol.gateways.map((g, gi) => groupState(cluster, pol, g, gi, nodes, zones, kind, warnings));
    const state: EgressPolicyState = {
      name,
      flavour: pol.flavour,
      policy: pol,
      azAffinity,
      endpoints: selected.map((e) => {
        const zone = nodeByName.get(e.node)?.zone;
        return { pod: e.key, node: e.node, ips: e.ips, ...(zone !== undefined ? { zone } : {}) };
      }),
      groups,
    };
    policies.push(state);
    if (!enabled) continue;
    const egressIPs = new Map<number, number>();
    for (const g of groups) for (const [gw, eip] of g.egressIPs) egressIPs.set(ipv4ToU32(gw)!, ipv4ToU32(eip) ?? 0);
    for (const e of state.endpoints) {
      const gateways = gatewaysFor(state, e.zone);
      for (const ipText of e.ips) {
        const src = ipv4ToU32(ipText)!;
        const add = (cidrs: readonly EgressGatewayPolicy['destinationCIDRs'][number][], excluded: boolean): void => {
          for (const c of cidrs) {
            if (!isIPv4Prefix(c)) continue;
            const dstText = c.toCidrString();
            const k = `${ipText} ${dstText}`;
            const owner = keyOwner.get(k);
            if (owner !== undefined) {
              if (owner !== name) {
                warnings.push(
                  `egress gateway policies ${owner} and ${name} both select ${e.pod} (${ipText}) for ${dstText}: the BPF map holds one entry per (source, destination); the model keeps ${owner}'s (first by name; Cilium keeps whichever the agent writes last)`,
                );
              }
              continue;
            }
            keyOwner.set(k, name);
            entries.push({ policy: name, ha: pol.flavour === 'isovalent', src, dst: prefix4Of(c), dstText, excluded, gateways, egressIPs });
          }
        };
        add(pol.destinationCIDRs, false);
        add(pol.excludedCIDRs, true);
      }
    }
  }
  entries.sort((a, b) => a.src - b.src || a.dst.addr - b.dst.addr || a.dst.len - b.dst.len);
  const bySource = new Map<number, EgressEntry[]>();
  for (const e of entries) {
    const l = bySource.get(e.src);
    if (l === undefined) bySource.set(e.src, [e]);
    else l.push(e);
  }
  for (const l of bySource.values()) l.sort((a, b) => b.dst.len - a.dst.len);
  return { enabled, ...(refusal ? { refusal } : {}), policies, entries, bySource, warnings: [...new Set(warnings)] };
}

/** The gateway IPs (u32) a source in `zone` uses under the policy's azAffinity. */
function gatewaysFor(p: EgressPolicyState, zone: string | undefined): number[] {
  const all = new Set<string>();
  const local = new Set<string>();
  for (const g of p.groups) {
    for (const a of g.active) all.add(a);
    if (zone !== undefined) for (const a of g.activeByZone.get(zone) ?? []) local.add(a);
  }
  let chosen: Set<string>;
  switch (p.azAffinity) {
    case 'localOnly':
      chosen = local;
      break;
    case 'localOnlyFirst':
    case 'localPriority':
      chosen = local.size > 0 ? local : all;
      break;
    default:
      chosen = all;
  }
  return [...chosen].map((a) => ipv4ToU32(a)!).sort((a, b) => a - b);
}

function groupState(
  cluster: Cluster,
  pol: EgressGatewayPolicy,
  g: EgressGateway,
  gi: number,
  nodes: readonly NodeInfo[],
  zones: readonly string[],
  kind: string,
  warnings: string[],
): GatewayGroupState {
  const where = pol.flavour === 'cilium' ? 'egressGateway.nodeSelector' : `egressGroups[${gi}].nodeSelector`;
  const sel: LabelSelector = g.nodeSelector ?? { matchLabels: {}, matchExpressions: [] };
  const candidates = nodes.filter((n) => n.ip !== undefined && matchesSelector(sel, n.labels));
  const serving = candidates.filter((n) => n.serves);
  const nodeOf = new Map<string, string>();
  for (const n of candidates) nodeOf.set(n.ip!, n.name);
  const label = `${kind} ${pol.meta.name}`;
  if (candidates.length === 0) {
    warnings.push(`${label}: no node matches ${where}: selected pods' traffic to its destinations is dropped (No egress gateway found)`);
  } else if (serving.length === 0) {
    warnings.push(`${label}: every node matching ${where} is not ready or cordoned: selected pods' traffic to its destinations is dropped (No egress gateway found)`);
  }
  const byIp = (a: NodeInfo, b: NodeInfo): number => (ipv4ToU32(a.ip!)! - ipv4ToU32(b.ip!)!);
  const healthyNodes = [...serving].sort(byIp);
  const healthy = healthyNodes.map((n) => n.ip!);
  const activeByZone = new Map<string, string[]>();
  let activeNodes: NodeInfo[];
  if (pol.flavour === 'cilium') {
    // OSS: the first matching node by name that can serve.
    activeNodes = serving.slice(0, 1);
  } else {
    const max = g.maxGatewayNodes !== undefined && g.maxGatewayNodes > 0 ? g.maxGatewayNodes : Number.MAX_SAFE_INTEGER;
    const az = pol.azAffinity ?? 'disabled';
    if (az === 'disabled' || zones.length === 0) activeNodes = healthyNodes.slice(0, max);
    else {
      const union = new Set<NodeInfo>();
      for (const z of zones) {
        const inZone = healthyNodes.filter((n) => n.zone === z);
        const pick = az === 'localPriority' ? [...inZone, ...healthyNodes.filter((n) => n.zone !== z)].slice(0, max) : inZone.slice(0, max);
        if (pick.length > 0) activeByZone.set(z, pick.map((n) => n.ip!));
        for (const n of pick) union.add(n);
      }
      activeNodes = [...union].sort(byIp);
    }
  }
  const active = activeNodes.map((n) => n.ip!);
  const egressIPs = new Map<string, string>();
  const devices = new Map<string, string>();
  let ipamSatisfied = true;
  if (pol.flavour === 'isovalent' && pol.egressCIDRs !== undefined && pol.egressCIDRs.length > 0) {
    const pool = addressesOf(pol.egressCIDRs.filter(isIPv4Prefix).map((c) => c.toCidrString()), active.length);
    activeNodes.forEach((n, i) => {
      const a = pool[i];
      if (a === undefined) ipamSatisfied = false;
      egressIPs.set(n.ip!, a ?? '0.0.0.0');
      const dev = g.interface ?? defaultRouteDevice(cluster, n.host);
      if (dev !== undefined) devices.set(n.ip!, dev);
    });
    if (!ipamSatisfied) warnings.push(`${label}: egressCIDRs hold fewer addresses than the ${active.length} active gateways: some gateways get no egress IP (No Egress IP configured)`);
  } else {
    for (const n of activeNodes) {
      const d = deriveEgressIp(cluster, n.host, g);
      egressIPs.set(n.ip!, d.ip);
      if (d.dev !== undefined) devices.set(n.ip!, d.dev);
      if (d.ip === '0.0.0.0') warnings.push(`${label}: gateway node ${n.name} ${d.why}: its egress IP is 0.0.0.0 and selected traffic is dropped there (No Egress IP configured)`);
    }
  }
  return { candidates: candidates.map((n) => n.name), healthy, active, activeByZone, egressIPs, nodeOf, devices, ipamSatisfied };
}

/** Up to `n` addresses from the CIDRs, in order (network and broadcast skipped below /31). */
function addressesOf(cidrs: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (const c of cidrs) {
    const [a, l] = c.split('/');
    const base = ipv4ToU32(a!)!;
    const len = Number(l);
    const size = 2 ** (32 - len);
    const first = len < 31 ? 1 : 0;
    const last = len < 31 ? size - 2 : size - 1;
    for (let i = first; i <= last && out.length < n; i++) out.push(u32ToIpv4((base + i) >>> 0));
    if (out.length >= n) break;
  }
  return out;
}

function defaultRouteDevice(cluster: Cluster, host: Host | undefined): string | undefined {
  if (host === undefined) return undefined;
  const t = hostRoutingTable(cluster, host);
  const r = t.main.find((x) => isIPv4Prefix(x.dst) && x.dst.toCidrString() === '0.0.0.0/0' && x.nexthops.length > 0);
  return r?.nexthops[0]?.dev;
}

/** The egress IP a gateway derives (`deriveFromPolicyGatewayConfig`). */
function deriveEgressIp(cluster: Cluster, host: Host | undefined, g: EgressGateway): { ip: string; dev?: string; why: string } {
  const firstV4 = (dev: string): string | undefined =>
    host?.interfaces.find((i) => i.name === dev)?.addresses.find((a) => isIPv4(a.address))?.address.toString();
  if (g.interface !== undefined) {
    const ip = firstV4(g.interface);
    return ip !== undefined ? { ip, dev: g.interface, why: '' } : { ip: '0.0.0.0', why: `has no IPv4 address on interface ${g.interface}` };
  }
  if (g.egressIP !== undefined) {
    const want = g.egressIP.toString();
    const itf = host?.interfaces.find((i) => i.addresses.some((a) => a.address.toString() === want));
    return itf !== undefined ? { ip: want, dev: itf.name, why: '' } : { ip: '0.0.0.0', why: `holds egressIP ${want} on no interface` };
  }
  const dev = defaultRouteDevice(cluster, host);
  if (dev === undefined) return { ip: '0.0.0.0', why: 'has no IPv4 default route' };
  const ip = firstV4(dev);
  return ip !== undefined ? { ip, dev, why: '' } : { ip: '0.0.0.0', dev, why: `has no IPv4 address on ${dev}, the default route's interface` };
}

/**
 * The map entry a packet from `src` to `dst` hits (longest destination prefix), or `undefined`.
 *
 * @example
 * ```ts
 * egressLookup(egressState(cluster), ipv4ToU32('172.20.1.10')!, ipv4ToU32('10.0.5.1')!);
 * ```
 */
export function egressLookup(state: EgressState, src: number, dst: number): EgressEntry | undefined {
  const list = state.bySource.get(src);
  if (list === undefined) return undefined;
  for (const e of list) if (inPrefix(dst, e.dst)) return e;
  return undefined;
}

/**
 * One row of `cilium-dbg bpf egress list` (the JSON field names of the real tool).
 *
 * @example
 * ```ts
 * const r: EgressMapRow = { SourceIP: '10.244.1.37', DestCIDR: '172.18.0.50/32', EgressIP: '0.0.0.0', GatewayIP: '172.18.0.4' };
 * ```
 */
export interface EgressMapRow {
  /** Source endpoint IP. */
  readonly SourceIP: string;
  /** Destination CIDR. */
  readonly DestCIDR: string;
  /** Egress IP on this node (`0.0.0.0` unless the node is the gateway). */
  readonly EgressIP: string;
  /** Gateway IP, `Not Found`, `Excluded CIDR`, or for HA entries `0 => ip, 1 => ip`. */
  readonly GatewayIP: string;
}

/**
 * The egress policy map of one node: identical rows on every node except the egress IP, which
 * only a gateway node fills in. Sorted by source address, then destination (the real tool prints
 * map iteration order).
 *
 * @example
 * ```ts
 * egressMapRows(egressState(cluster), '192.168.10.101');
 * ```
 */
export function egressMapRows(state: EgressState, nodeIP: string | undefined): EgressMapRow[] {
  const me = nodeIP !== undefined ? ipv4ToU32(nodeIP) : undefined;
  return state.entries.map((e) => {
    let gateway: string;
    if (e.excluded) gateway = 'Excluded CIDR';
    else if (e.gateways.length === 0) gateway = 'Not Found';
    else if (e.ha) gateway = e.gateways.map((g, i) => `${i} => ${u32ToIpv4(g)}`).join(', ');
    else gateway = u32ToIpv4(e.gateways[0]!);
    const mine = me !== undefined && e.gateways.includes(me);
    const egressIP = mine ? u32ToIpv4(e.egressIPs.get(me) ?? 0) : '0.0.0.0';
    return { SourceIP: u32ToIpv4(e.src), DestCIDR: e.dstText, EgressIP: egressIP, GatewayIP: gateway };
  });
}

/**
 * Egress IPs the HA operator allocated from `egressCIDRs`, with the gateway node and device that
 * hold them (the network stage adds them to that device).
 *
 * @example
 * ```ts
 * allocatedEgressAddresses(egressState(cluster)); // [{ node: 'k8s-w1', dev: 'eth1', ip: '192.168.10.150' }]
 * ```
 */
export function allocatedEgressAddresses(state: EgressState): { readonly node: string; readonly dev: string; readonly ip: string }[] {
  const out: { node: string; dev: string; ip: string }[] = [];
  const seen = new Set<string>();
  for (const p of state.policies) {
    if (p.flavour !== 'isovalent' || p.policy.egressCIDRs === undefined || p.policy.egressCIDRs.length === 0) continue;
    for (const g of p.groups) {
      for (const [gw, ip] of g.egressIPs) {
        const node = g.nodeOf.get(gw);
        const dev = g.devices.get(gw);
        if (node === undefined || dev === undefined || ip === '0.0.0.0' || seen.has(`${node} ${ip}`)) continue;
        seen.add(`${node} ${ip}`);
        out.push({ node, dev, ip });
      }
    }
  }
  return out.sort((a, b) => compareStrings(a.node, b.node) || (ipv4ToU32(a.ip)! - ipv4ToU32(b.ip)!));
}

