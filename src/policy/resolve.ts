/**
 * Per-endpoint policy resolution: each pod endpoint's policy map (`cilium_policy_v2`, reference
 * §B6) as the agent computes it from the rules that select the endpoint, and the datapath's
 * lookup in it (`bpf/lib/policy.h`).
 *
 * Map entries: for each selecting rule's entry in a direction, each identity its peers select
 * (identity 0, `ANY`, for an L3 wildcard) × each port block (a range split into power-of-two
 * aligned blocks; a named port resolved — ingress: the endpoint's own container ports, egress:
 * any pod's) → a key `{identity, direction, protocol, port, prefix}` (prefix 0: any protocol;
 * 8: any port of a protocol; 24: one port). Deny wins over allow at the same key, and an allow
 * covered by a deny of the same identity is left out. A direction that is not enforced holds one
 * allow-all key; ingress always allows `reserved:host` (allow-localhost). `ANY` protocol with a
 * port is TCP and UDP (SCTP when `enable-sctp`).
 *
 * Lookup `(remote identity, direction, protocol, port)`: the longest entry of the exact identity,
 * then the longest of identity 0; a deny among them wins, else the exact identity's entry unless
 * identity 0's is longer; none: `Policy denied` (133); deny: `Policy denied by denylist` (181).
 *
 * Cost: rules selecting an identity are found once per identity (a scan of the rules); a peer's
 * identities once per peer (a scan of the identities); an endpoint's map once per endpoint, on
 * demand — a question about one flow computes two endpoints' maps, not the cluster's. An
 * address's identity (`identityOf`): the nodes' addresses indexed once (O(N)), the pod holding
 * the address found by a scan (O(P), no index) for the first few addresses, then one index of
 * every pod's; the identity table may be lazy (the twin's: a pod's identity answered alone, the
 * whole table built only when `all` or `byId` is read).
 *
 * @module
 */
import { type WireAddr, type WirePrefix, inWirePrefix, parseWirePrefix } from '../net/wire.js';
import type { Cluster } from '../cluster/types.js';
import type { HttpRule, Pod, PolicyPort } from '../input/types.js';
import { type Identity, type IdentityTable, identityTable, RESERVED_IDENTITY } from '../datapath/endpoints/identity.js';
import { ciliumHostAddress } from '../fib/base.js';
import { type IpAddress, ipv4ToU32, isIPv4, prefixCovers, prefixLength, parsePrefix, isIPv4Prefix } from '../net/addr.js';
import { type LabelIndex, labelIndex, matchesIdentity } from './labels.js';
import { type PeerSel, type PolicySource, type Rule, policyRules, policySourceText } from './rules.js';

/**
 * The agent's `policy-enforcement` mode (`enable-policy` in `cilium-config`).
 *
 * @example
 * ```ts
 * const m: PolicyMode = 'default';
 * ```
 */
export type PolicyMode = 'default' | 'always' | 'never';

/**
 * A traffic direction as the policy map keys it.
 *
 * @example
 * ```ts
 * const d: Direction = 'ingress';
 * ```
 */
export type Direction = 'ingress' | 'egress';

/**
 * One key/value of an endpoint's policy map.
 *
 * @example
 * ```ts
 * const e: PolicyMapEntry = { identity: 0, direction: 'egress', proto: 0, port: 0, prefix: 0, deny: false, sources: [] };
 * ```
 */
export interface PolicyMapEntry {
  /** Remote identity (0: any). */
  readonly identity: number;
  /** Direction. */
  readonly direction: Direction;
  /** IANA protocol (0: any). */
  readonly proto: number;
  /** First port of the block (0 when the prefix is ≤ 8). */
  readonly port: number;
  /** LPM prefix length over protocol and port: 0, 8, 9..24. */
  readonly prefix: number;
  /** A deny entry. */
  readonly deny: boolean;
  /** The rules it comes from (empty for the agent's own entries). */
  readonly sources: readonly PolicySource[];
  /**
   * HTTP rules Envoy enforces on this key (the request must match one); absent: no L7 rule (or
   * an L4-only rule of the same key, which makes the L7 rules ineffective).
   */
  readonly http?: readonly HttpRule[];
}

/**
 * An endpoint's resolved policy.
 *
 * @example
 * ```ts
 * const p = policyEngine(cluster).endpointPolicy('x/a');
 * p?.ingressEnforced; // true when a policy selects x/a for ingress
 * ```
 */
export interface EndpointPolicy {
  /** `namespace/name`. */
  readonly pod: string;
  /** Security identity. */
  readonly identity: number;
  /** Ingress policy enforced. */
  readonly ingressEnforced: boolean;
  /** Egress policy enforced. */
  readonly egressEnforced: boolean;
  /** Rules selecting the endpoint. */
  readonly rules: readonly Rule[];
  /** Map entries, sorted as `cilium-dbg bpf policy get` prints them. */
  readonly entries: readonly PolicyMapEntry[];
  /** Entries by identity (lookup index). */
  readonly byIdentity: ReadonlyMap<number, readonly PolicyMapEntry[]>;
}

/**
 * The policy-verdict match type Hubble prints (`pkg/monitor/api/types.go`).
 *
 * @example
 * ```ts
 * const m: MatchType = 'L3-L4';
 * ```
 */
export type MatchType = 'none' | 'L3-Only' | 'L3-L4' | 'L4-Only' | 'all' | 'L3-Proto' | 'Proto-Only';

/**
 * A policy decision for one packet.
 *
 * @example
 * ```ts
 * const v = policyEngine(cluster).decide('x/a', 'ingress', 256, 6, 80);
 * v.allowed; // false when denied
 * ```
 */
export interface PolicyVerdict {
  /** Forwarded. */
  readonly allowed: boolean;
  /** Drop code: 133 `Policy denied`, 181 `Policy denied by denylist`, 0 allowed. */
  readonly code: 0 | 133 | 181;
  /** Match type. */
  readonly match: MatchType;
  /** Whether the direction is enforced at all. */
  readonly enforced: boolean;
  /** The entry that decided, when one did. */
  readonly entry?: PolicyMapEntry;
  /** The policies behind the decision: the deny rule's, or those that made the direction default-deny, or the allow entry's. */
  readonly policies: readonly string[];
  /** HTTP rules the allowing entry carries (the request goes through the node's proxy), when any. */
  readonly http?: readonly HttpRule[];
}

const PROTO: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

/**
 * Splits a port range into power-of-two aligned blocks `{port, bits}` (`bits` = fixed leading
 * bits of the 16-bit port; 16 = one port).
 *
 * @example
 * ```ts
 * import { portBlocks } from 'cilium-twin/policy';
 * portBlocks(80, 83); // [{ port: 80, bits: 14 }]
 * portBlocks(80, 444).length; // 9
 * ```
 */
export function portBlocks(lo: number, hi: number): { port: number; bits: number }[] {
  const out: { port: number; bits: number }[] = [];
  let p = lo;
  while (p <= hi) {
    let size = 1;
    let bits = 16;
    while (bits > 0 && p % (size * 2) === 0 && p + size * 2 - 1 <= hi) {
      size *= 2;
      bits--;
    }
    out.push({ port: p, bits });
    p += size;
  }
  return out;
}

/**
 * The `policy-enforcement` mode of a cluster's configuration (`enable-policy`, default `default`).
 *
 * @example
 * ```ts
 * import { policyMode } from 'cilium-twin/policy';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * policyMode(cluster); // 'default'
 * ```
 */
export function policyMode(cluster: Cluster): PolicyMode {
  return cluster.config.policyEnforcement;
}

/**
 * The policy stage of one cluster: rules, per-endpoint maps on demand, and decisions. Get it with
 * {@link policyEngine} (memoised per cluster).
 *
 * @example
 * ```ts
 * const e = policyEngine(cluster);
 * e.decide('default/curl-pod', 'egress', 2, 6, 80).allowed;
 * ```
 */
export class PolicyEngine {
  /** The enforcement mode. */
  readonly mode: PolicyMode;
  /** Every rule. */
  readonly rules: readonly Rule[];
  private readonly idLabels = new Map<number, LabelIndex>();
  private readonly rulesByIdentity = new Map<number, readonly Rule[]>();
  private readonly peerIds = new WeakMap<PeerSel, readonly number[]>();
  private readonly endpoints = new Map<string, EndpointPolicy | undefined>();
  private podIndex: Map<string, Pod> | undefined;
  private podsByIp: Map<WireAddr, Pod> | undefined;
  private podLookups = 0;
  private nodesByIp: Map<WireAddr, string> | undefined;
  private namedPorts: Map<string, { proto: number; port: number }[]> | undefined;
  private cidrList: { prefix: WirePrefix; id: number }[] | undefined;
  private remoteIds: { all: readonly Identity[]; byId: Map<number, Identity>; byIp: Map<number, number> } | undefined;

  /**
   * @param cluster - the cluster.
   * @param identities - its identity table (the twin's; computed here when not given).
   * @param rules - its policy rules (the twin's; computed here when not given).
   */
  constructor(
    readonly cluster: Cluster,
    readonly identities: IdentityTable = identityTable(cluster),
    rules: readonly Rule[] = policyRules(cluster),
  ) {
    this.mode = policyMode(cluster);
    this.rules = rules;
  }

  /** True when policy can drop anything: some rule exists or enforcement is `always`. */
  get active(): boolean {
    return this.mode === 'always' || (this.mode === 'default' && this.rules.length > 0);
  }

  private labelsOf(id: number): LabelIndex {
    let l = this.idLabels.get(id);
    if (l === undefined) {
      l = labelIndex(this.identities.byId.get(id)?.labels ?? this.remoteIdentities().byId.get(id)?.labels ?? []);
      this.idLabels.set(id, l);
    }
    return l;
  }

  /** The rules whose endpoint selector selects an identity. */
  rulesFor(identity: number): readonly Rule[] {
    let r = this.rulesByIdentity.get(identity);
    if (r === undefined) {
      const labels = this.labelsOf(identity);
      r = this.rules.filter((x) => x.subject.kind === 'endpoints' && matchesIdentity(x.subject.sel, labels));
      this.rulesByIdentity.set(identity, r);
    }
    return r;
  }

  /** The identities a peer selects (`[0]` for the wildcard). */
  peerIdentities(peer: PeerSel): readonly number[] {
    const hit = this.peerIds.get(peer);
    if (hit) return hit;
    let out: number[];
    const remote = this.remoteIdentities().all;
    const all = remote.length === 0 ? this.identities.all : [...this.identities.all, ...remote];
    switch (peer.kind) {
      case 'any':
        out = [0];
        break;
      case 'none':
        out = [];
        break;
      case 'labels':
        out = all.filter((i) => matchesIdentity(peer.sel, this.labelsOf(i.id))).map((i) => i.id);
        break;
      case 'cidr':
        out = all.filter((i) => cidrSelects(peer, i)).map((i) => i.id);
        break;
    }
    this.peerIds.set(peer, out);
    return out;
  }

  /**
   * The identities of the connected clusters' pods (cluster mesh: what the remote
   * clustermesh-apiservers export, with their cluster-name label), none outside a mesh. A peer
   * selector matches them as it matches local ones (1.18's default, `policy-default-local-cluster`
   * false); the subject of a rule is always a local endpoint.
   */
  remoteIdentities(): { readonly all: readonly Identity[]; readonly byId: ReadonlyMap<number, Identity>; readonly byIp: ReadonlyMap<number, number> } {
    if (this.remoteIds !== undefined) return this.remoteIds;
    const byId = new Map<number, Identity>();
    const byIp = new Map<number, number>();
    for (const r of this.cluster.mesh?.remotes ?? []) {
      for (const p of r.pods) {
        if (!this.identities.byId.has(p.identity) && !byId.has(p.identity)) {
          const labels = p.identityLabels ?? Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`).concat(`k8s:io.cilium.k8s.policy.cluster=${r.name}`).sort();
          byId.set(p.identity, { id: p.identity, labels });
        }
        for (const a of p.ips) {
          const n = ipv4ToU32(a.toString());
          if (n !== undefined && !byIp.has(n)) byIp.set(n, p.identity);
        }
      }
    }
    const all = [...byId.values()].sort((a, b) => a.id - b.id);
    this.remoteIds = { all, byId, byIp };
    return this.remoteIds;
  }

  private pod(key: string): Pod | undefined {
    if (this.podIndex === undefined) {
      this.podIndex = new Map();
      for (const p of this.cluster.scenario.pods) this.podIndex.set(`${p.meta.namespace ?? 'default'}/${p.meta.name}`, p);
    }
    return this.podIndex.get(key);
  }

  private resolvePorts(ports: readonly PolicyPort[] | undefined, self: Pod | undefined, dir: Direction): { proto: number; port: number; prefix: number }[] {
    if (ports === undefined) return [{ proto: 0, port: 0, prefix: 0 }];
    const out: { proto: number; port: number; prefix: number }[] = [];
    const sctp = this.cluster.config.enableSctp;
    for (const p of ports) {
      const protos = p.protocol === 'ANY' ? [6, 17, ...(sctp ? [132] : [])] : PROTO[p.protocol] !== undefined ? [PROTO[p.protocol]!] : [];
      if (p.port === undefined) {
        if (p.protocol === 'ANY') out.push({ proto: 0, port: 0, prefix: 0 });
        else for (const proto of protos) out.push({ proto, port: 0, prefix: 8 });
        continue;
      }
      if (typeof p.port === 'number') {
        for (const proto of protos) {
          for (const b of portBlocks(p.port, p.endPort ?? p.port)) out.push({ proto, port: b.port, prefix: 8 + b.bits });
        }
        continue;
      }
      const named = dir === 'ingress' ? (self !== undefined ? podNamedPorts(self) : new Map<string, { proto: number; port: number }[]>()) : this.clusterNamedPorts();
      for (const np of named.get(p.port) ?? []) {
        if (protos.includes(np.proto)) out.push({ proto: np.proto, port: np.port, prefix: 24 });
      }
    }
    return out;
  }

  private clusterNamedPorts(): Map<string, { proto: number; port: number }[]> {
    if (this.namedPorts === undefined) {
      const m = new Map<string, { proto: number; port: number }[]>();
      for (const p of this.cluster.scenario.pods) {
        for (const [name, list] of podNamedPorts(p)) {
          const cur = m.get(name) ?? [];
          for (const x of list) if (!cur.some((y) => y.proto === x.proto && y.port === x.port)) cur.push(x);
          m.set(name, cur);
        }
      }
      this.namedPorts = m;
    }
    return this.namedPorts;
  }

  /**
   * The resolved policy of a pod endpoint (`namespace/name`); undefined when it is not one (no
   * such pod, host network). Memoised.
   */
  endpointPolicy(podKey: string): EndpointPolicy | undefined {
    if (this.endpoints.has(podKey)) return this.endpoints.get(podKey);
    const pod = this.pod(podKey);
    const identity = this.identities.pods.get(podKey);
    let result: EndpointPolicy | undefined;
    if (pod !== undefined && identity !== undefined && !pod.hostNetwork) result = this.resolveEndpoint(podKey, identity, pod);
    this.endpoints.set(podKey, result);
    return result;
  }

  /**
   * The resolved policy of the ingress endpoint (identity 8, `reserved:ingress`: Envoy's listener
   * for Cilium Ingress), which Envoy enforces (reference §B8). Memoised.
   */
  ingressEndpointPolicy(): EndpointPolicy {
    const key = 'reserved:ingress';
    const hit = this.endpoints.get(key);
    if (hit !== undefined) return hit;
    const r = this.resolveEndpoint(key, RESERVED_IDENTITY.ingress, undefined);
    this.endpoints.set(key, r);
    return r;
  }

  private resolveEndpoint(key: string, identity: number, pod: Pod | undefined): EndpointPolicy {
    const rules = this.mode === 'never' ? [] : this.rulesFor(identity);
    const ingressEnforced = this.mode === 'always' || (this.mode === 'default' && rules.some((r) => r.defaultDeny.ingress));
    const egressEnforced = this.mode === 'always' || (this.mode === 'default' && rules.some((r) => r.defaultDeny.egress));
    type Acc = { e: Omit<PolicyMapEntry, 'sources' | 'http'>; sources: PolicySource[]; http: HttpRule[] | undefined; plain: boolean };
    const keys = new Map<string, Acc>();
    const put = (e: Omit<PolicyMapEntry, 'sources' | 'http'>, source: PolicySource | undefined, http?: readonly HttpRule[]): void => {
      const k = `${e.identity}|${e.direction}|${e.proto}|${e.port}|${e.prefix}`;
      const cur = keys.get(k);
      const fresh = (): Acc => ({ e, sources: source ? [source] : [], http: http !== undefined ? [...http] : undefined, plain: http === undefined });
      if (cur === undefined) {
        keys.set(k, fresh());
        return;
      }
      if (e.deny && !cur.e.deny) {
        keys.set(k, fresh());
        return;
      }
      if (e.deny === cur.e.deny) {
        if (source && !cur.sources.includes(source)) cur.sources.push(source);
        if (http === undefined) cur.plain = true;
        else cur.http = [...(cur.http ?? []), ...http];
      }
    };
    for (const dir of ['ingress', 'egress'] as const) {
      const enforced = dir === 'ingress' ? ingressEnforced : egressEnforced;
      if (dir === 'ingress') put({ identity: RESERVED_IDENTITY.host, direction: 'ingress', proto: 0, port: 0, prefix: 0, deny: false }, undefined);
      if (!enforced) {
        put({ identity: 0, direction: dir, proto: 0, port: 0, prefix: 0, deny: false }, undefined);
        continue;
      }
      for (const r of rules) {
        for (const entry of dir === 'ingress' ? r.ingress : r.egress) {
          const ids = new Set<number>();
          for (const peer of entry.peers) for (const id of this.peerIdentities(peer)) ids.add(id);
          if (ids.size === 0) continue;
          const ports = this.resolvePorts(entry.ports, pod, dir);
          const l7 = (entry.l7Rules ?? []).map((x) => ({ ports: this.resolvePorts(x.ports, pod, dir), http: x.http }));
          for (const p of ports) {
            const items = l7.filter((x) => x.ports.some((q) => q.proto === p.proto && q.port === p.port && q.prefix === p.prefix));
            // HTTP rules ride on TCP only (the proxy parses TCP streams): an ANY port keeps L4 only on UDP/SCTP
            const http = items.length > 0 && p.proto === 6 ? items.flatMap((x) => x.http) : undefined;
            for (const id of ids) put({ identity: id, direction: dir, proto: p.proto, port: p.port, prefix: p.prefix, deny: entry.deny }, r.source, http);
          }
        }
      }
    }
    const all: PolicyMapEntry[] = [...keys.values()].map(({ e, sources, http, plain }) => ({ ...e, sources, ...(!plain && http !== undefined ? { http } : {}) }));
    const denies = all.filter((e) => e.deny);
    const kept = all.filter((e) => e.deny || !denies.some((d) => d.direction === e.direction && d.identity === e.identity && covers(d, e)));
    kept.sort(entryOrder);
    const byIdentity = new Map<number, PolicyMapEntry[]>();
    for (const e of kept) {
      const l = byIdentity.get(e.identity);
      if (l) l.push(e);
      else byIdentity.set(e.identity, [e]);
    }
    return { pod: key, identity, ingressEnforced, egressEnforced, rules, entries: kept, byIdentity };
  }

  /**
   * The datapath's decision for a packet of `podKey`'s endpoint in `dir` with the remote
   * identity `remote` (reference §B6). A pod that is no endpoint is not enforced (allowed).
   */
  decide(podKey: string, dir: Direction, remote: number, proto: number, dport: number): PolicyVerdict {
    const ep = this.endpointPolicy(podKey);
    if (ep === undefined) return { allowed: true, code: 0, match: 'all', enforced: false, policies: [] };
    return this.decideOn(ep, dir, remote, proto, dport);
  }

  /** {@link PolicyEngine.decide} on a resolved endpoint policy (a pod's or the ingress endpoint's). */
  decideOn(ep: EndpointPolicy, dir: Direction, remote: number, proto: number, dport: number): PolicyVerdict {
    const enforced = dir === 'ingress' ? ep.ingressEnforced : ep.egressEnforced;
    const l3 = longest(ep.byIdentity.get(remote), dir, proto, dport);
    const l4 = remote === 0 ? undefined : longest(ep.byIdentity.get(0), dir, proto, dport);
    let chosen: PolicyMapEntry | undefined;
    let fromL3 = false;
    if (l3 !== undefined && l3.deny) {
      chosen = l3;
      fromL3 = true;
    } else if (l4 !== undefined && (l4.deny || l3 === undefined || l4.prefix > l3.prefix)) chosen = l4;
    else if (l3 !== undefined) {
      chosen = l3;
      fromL3 = true;
    }
    if (chosen === undefined) {
      const policies =
        this.mode === 'always'
          ? ['policy-enforcement=always']
          : ep.rules.filter((r) => (dir === 'ingress' ? r.defaultDeny.ingress : r.defaultDeny.egress)).map((r) => policySourceText(r.source));
      return { allowed: false, code: 133, match: 'none', enforced, policies: [...new Set(policies)] };
    }
    const match = matchType(chosen, fromL3 && remote !== 0);
    const policies = [...new Set(chosen.sources.map(policySourceText))];
    if (chosen.deny) return { allowed: false, code: 181, match, enforced, entry: chosen, policies };
    return { allowed: true, code: 0, match, enforced, entry: chosen, policies, ...(chosen.http !== undefined ? { http: chosen.http } : {}) };
  }

  /**
   * The identity of an address as a node's datapath sees it (ipcache): a pod's identity, host
   * (1) for the node's own addresses (`local`), remote-node (6) for other nodes', the longest
   * CIDR identity, else world (2; world-ipv4, 9, or world-ipv6, 10, when dual-stack). Addresses of
   * either family (IPv4 u32, IPv6 bigint).
   */
  identityOf(addr: WireAddr, node: string, local = false): number {
    if (local) return RESERVED_IDENTITY.host;
    this.buildAddressIndex();
    const pod = this.podAt(addr);
    if (pod !== undefined) return this.identities.pods.get(`${pod.meta.namespace ?? 'default'}/${pod.meta.name}`) ?? RESERVED_IDENTITY.unmanaged;
    const remotePod = typeof addr === 'number' ? this.remoteIdentities().byIp.get(addr) : undefined;
    if (remotePod !== undefined) return remotePod;
    const n = this.nodesByIp!.get(addr);
    if (n !== undefined) return n === node ? RESERVED_IDENTITY.host : RESERVED_IDENTITY['remote-node'];
    for (const c of this.cidrList!) if (inWirePrefix(addr, c.prefix)) return c.id;
    const dual = this.cluster.config.enableIPv4 && this.cluster.config.enableIPv6;
    if (!dual) return RESERVED_IDENTITY.world;
    return typeof addr === 'bigint' ? RESERVED_IDENTITY['world-ipv6'] : RESERVED_IDENTITY['world-ipv4'];
  }

  /**
   * The pod holding an address (Running, scheduled, not host-network; the last such pod in
   * scenario order, as a map filled in that order keeps): the first few lookups scan the pods
   * (O(P) each, nothing built: a trace asks a few addresses), later ones one map of them all.
   */
  private podAt(addr: WireAddr): Pod | undefined {
    if (this.podsByIp === undefined && ++this.podLookups <= SCANNED_ADDRESS_LOOKUPS) {
      const pods = this.cluster.scenario.pods;
      const v4 = typeof addr === 'number';
      const value = v4 ? BigInt(addr) : addr;
      for (let i = pods.length - 1; i >= 0; i--) {
        const p = pods[i]!;
        if (p.hostNetwork || p.nodeName === undefined || p.phase !== 'Running') continue;
        for (const a of p.podIPs) if (a.value === value && isIPv4(a) === v4) return p;
      }
      return undefined;
    }
    if (this.podsByIp === undefined) {
      // the pod itself (its key formatted when looked up): no text per pod up front
      const pods = new Map<WireAddr, Pod>();
      for (const p of this.cluster.scenario.pods) {
        if (p.hostNetwork || p.nodeName === undefined || p.phase !== 'Running') continue;
        for (const a of p.podIPs) pods.set(isIPv4(a) ? Number(a.value) : a.value, p);
      }
      this.podsByIp = pods;
    }
    return this.podsByIp.get(addr);
  }

  private buildAddressIndex(): void {
    if (this.nodesByIp !== undefined) return;
    const wire = (a: IpAddress): WireAddr => (isIPv4(a) ? Number(a.value) : a.value);
    const nodes = new Map<WireAddr, string>();
    for (const node of this.cluster.scenario.nodes) {
      const name = node.meta.name;
      for (const a of node.addresses) nodes.set(wire(a.address), name);
      for (const f of [4, 6] as const) {
        const ch = ciliumHostAddress(this.cluster, name, f);
        if (ch !== undefined) nodes.set(wire(ch), name);
      }
    }
    for (const cn of this.cluster.ciliumNodes) {
      for (const a of cn.addresses) {
        const n = wire(a.ip);
        if (!nodes.has(n)) nodes.set(n, cn.meta.name);
      }
    }
    const cidrs: { prefix: WirePrefix; id: number }[] = [];
    for (const c of this.identities.cidrs) {
      const p = parseWirePrefix(c.cidr ?? '');
      if (p === undefined || c.cidr === undefined || !c.cidr.includes('/')) continue;
      cidrs.push({ prefix: p, id: c.id });
    }
    cidrs.sort((a, b) => b.prefix.len - a.prefix.len);
    this.nodesByIp = nodes;
    this.cidrList = cidrs;
  }
}

/** How many addresses {@link PolicyEngine.identityOf} finds a pod for by a scan before it indexes every pod's. */
const SCANNED_ADDRESS_LOOKUPS = 8;

function cidrSelects(peer: Extract<PeerSel, { kind: 'cidr' }>, i: Identity): boolean {
  if (i.cidr === undefined) {
    // /0 selects the world identities.
    if (prefixLength(peer.prefix) !== 0) return false;
    const v4 = isIPv4Prefix(peer.prefix);
    return i.labels.includes('reserved:world') || i.labels.includes(v4 ? 'reserved:world-ipv4' : 'reserved:world-ipv6');
  }
  const p = parsePrefix(i.cidr);
  if (p === undefined || isIPv4Prefix(p) !== isIPv4Prefix(peer.prefix) || !prefixCovers(peer.prefix, p)) return false;
  return !peer.except.some((e) => isIPv4Prefix(e) === isIPv4Prefix(p) && prefixCovers(e, p));
}

function podNamedPorts(p: Pod): Map<string, { proto: number; port: number }[]> {
  const m = new Map<string, { proto: number; port: number }[]>();
  for (const c of p.containers) {
    for (const cp of c.ports) {
      if (cp.name === undefined) continue;
      const l = m.get(cp.name) ?? [];
      l.push({ proto: PROTO[cp.protocol] ?? 6, port: cp.containerPort });
      m.set(cp.name, l);
    }
  }
  return m;
}

function covers(d: PolicyMapEntry, e: PolicyMapEntry): boolean {
  if (d.prefix === 0) return true;
  if (d.proto !== e.proto || e.prefix < d.prefix) return false;
  if (d.prefix <= 8) return true;
  const shift = 24 - d.prefix;
  return d.port >> shift === e.port >> shift;
}

function matches(e: PolicyMapEntry, dir: Direction, proto: number, dport: number): boolean {
  if (e.direction !== dir) return false;
  if (e.prefix === 0) return true;
  if (e.proto !== proto) return false;
  if (e.prefix <= 8) return true;
  const shift = 24 - e.prefix;
  return e.port >> shift === dport >> shift;
}

function longest(list: readonly PolicyMapEntry[] | undefined, dir: Direction, proto: number, dport: number): PolicyMapEntry | undefined {
  let best: PolicyMapEntry | undefined;
  for (const e of list ?? []) {
    if (!matches(e, dir, proto, dport)) continue;
    if (best === undefined || e.prefix > best.prefix || (e.prefix === best.prefix && e.deny)) best = e;
  }
  return best;
}

function matchType(e: PolicyMapEntry, l3: boolean): MatchType {
  if (l3) return e.prefix > 8 ? 'L3-L4' : e.prefix > 0 ? 'L3-Proto' : 'L3-Only';
  return e.prefix === 0 ? 'all' : e.prefix <= 8 ? 'Proto-Only' : 'L4-Only';
}

function entryOrder(a: PolicyMapEntry, b: PolicyMapEntry): number {
  if (a.deny !== b.deny) return a.deny ? -1 : 1;
  if (a.direction !== b.direction) return a.direction === 'ingress' ? -1 : 1;
  return a.identity - b.identity || a.proto - b.proto || a.port - b.port || a.prefix - b.prefix;
}

/**
 * A policy engine of a cluster (a new one per call: the twin keeps one per scenario,
 * `twin.policy()`, built over its identity table and rules).
 *
 * @example
 * ```ts
 * policyEngine(cluster).endpointPolicy('default/curl-pod')?.entries.length;
 * ```
 */
export function policyEngine(cluster: Cluster): PolicyEngine {
  return new PolicyEngine(cluster);
}
