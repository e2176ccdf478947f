/**
 * L2 announcements (`CiliumL2AnnouncementPolicy`, Cilium's `pkg/l2announcer`): which services
 * each policy selects, which nodes are candidates to announce them, the lease that stands for
 * the election, and the `(IP, device)` entries the holder's agent writes to its L2 responder map.
 *
 * Rules (reference §G; `pkg/l2announcer/l2announcer.go`):
 * - Nothing is announced unless `enable-l2-announcements` and `kube-proxy-replacement` are on.
 * - A policy applies on a node when its `nodeSelector` (absent = every node) matches the node's
 *   labels. The node must be Ready (its agent runs).
 * - A policy's devices on a node are the agent's devices (the `devices` setting, `eth+`-style
 *   prefixes allowed; without it, the node's Ethernet devices with an address) matched by any of
 *   `interfaces` (Go regular expressions, OR-ed, unanchored `MatchString`; none = every device).
 * - A policy selects a service when its `serviceSelector` (absent = all) matches the service's
 *   labels plus `io.kubernetes.service.namespace` / `io.kubernetes.service.name`, the service's
 *   `loadBalancerClass` is unset or `io.cilium/l2-announcer`, and it has an IP of a type the policy
 *   announces: `loadBalancerIPs` → the LB IPAM / `status.loadBalancer.ingress` addresses,
 *   `externalIPs` → `spec.externalIPs`. IPv4 only (ARP; Cilium 1.18 has no NDP responder).
 * - Candidates for a service: the nodes where some policy selecting it applies. Each joins the
 *   election of the lease `cilium-l2announce-<namespace>-<name>` in `kube-system`.
 *   `externalTrafficPolicy: Local` is not considered (Cilium's documented limitation: the holder
 *   may have no local backend, and then drops the traffic).
 * - The holder (decision, standing in for the first-come election): among the candidates with at
 *   least one matching device (all candidates when none has one), the node with the highest
 *   rendezvous score `mix32(hash(leaseName + '/' + node))`, ties to the smaller name. A
 *   candidate's score does not depend on any other service or node, so changing an unrelated
 *   service never moves a lease, and adding or removing a node only moves the leases it wins or
 *   held.
 * - The holder's entries: every announced IP of the service × every device of every policy that
 *   selects the service and applies on the holder.
 *
 * Cost (P policies, N nodes, S services), through an {@link L2Model} that keeps what it computed:
 * a policy's node set O(N · devices · regexes) once; one service's lease O(P) selection plus
 * O(its candidates) rendezvous scores (each continuing a hash state shared by the lease name);
 * the whole index O(P·S) selection plus O(Σ candidates); a candidate list only when read. No
 * module-level cache: the caller (the twin) keeps the model.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import { matchesSelector } from '../cluster/selector.js';
import { compileGoRegexp } from '../input/go-regexp.js';
import type { Host, IpAddress, L2AnnouncementPolicy, Service, StringMap } from '../input/types.js';
import type { LbIpamResult } from '../ipam/types.js';
import { compareIp, formatIp, isIPv4 } from '../net/addr.js';
import { hash32, hashFinish, hashStart, hashUpdate } from './hash.js';
import { l2Settings } from './settings.js';
import { compareStrings } from '../net/compare.js';

/** The namespace of the leases (the Cilium namespace). */
export const LEASE_NAMESPACE = 'kube-system';

/** The prefix of the leases' names. */
export const LEASE_PREFIX = 'cilium-l2announce';

/** The `loadBalancerClass` of L2-announced services. */
export const L2_LB_CLASS = 'io.cilium/l2-announcer';

/**
 * An agent device: name and interface index (`lo` is 1, the Host's interfaces follow from 2 in
 * their order, as the FIB stage numbers links).
 *
 * @example
 * ```ts
 * const d: AgentDevice = { name: 'eth1', index: 3 };
 * ```
 */
export interface AgentDevice {
  /** Device name. */
  readonly name: string;
  /** Interface index. */
  readonly index: number;
}

/**
 * What one policy covers on one node.
 *
 * @example
 * ```ts
 * const c: PolicyNode = { node: 'k8s-w1', devices: ['eth1'] };
 * ```
 */
export interface PolicyNode {
  /** Node name. */
  readonly node: string;
  /** The agent's devices the policy's `interfaces` match (may be empty). */
  readonly devices: readonly string[];
}

/**
 * A policy's coverage: the nodes it applies on and the services it selects.
 *
 * @example
 * ```ts
 * l2PolicyCoverage(cluster, ipam)[0]?.services; // ['default/svc-blue']
 * ```
 */
export interface PolicyCoverage {
  /** Policy name. */
  readonly name: string;
  /** Nodes the policy applies on (sorted by name). */
  readonly nodes: readonly PolicyNode[];
  /** Services it selects, `namespace/name`, sorted. */
  readonly services: readonly string[];
}

/**
 * A candidate node of a service's election.
 *
 * @example
 * ```ts
 * const c: L2Candidate = { node: 'k8s-w1', devices: ['eth1'], score: 123 };
 * ```
 */
export interface L2Candidate {
  /** Node name. */
  readonly node: string;
  /** Devices it would announce on (union over the policies selecting the service there). */
  readonly devices: readonly string[];
  /** Rendezvous score (the highest wins). */
  readonly score: number;
}

/**
 * An L2-announced service: its lease, candidates, holder and entries.
 *
 * @example
 * ```ts
 * l2Lease(cluster, ipam, 'default/svc-blue')?.holder; // 'k8s-w1'
 * ```
 */
export interface L2Lease {
  /** `namespace/name` of the service. */
  readonly service: string;
  /** Lease name (`cilium-l2announce-<namespace>-<name>`). */
  readonly name: string;
  /** Lease namespace. */
  readonly namespace: string;
  /** The holder node (`spec.holderIdentity`). */
  readonly holder: string;
  /** Candidates, sorted by node name (computed when first read: O(candidates)). */
  readonly candidates: readonly L2Candidate[];
  /** Policies selecting the service, sorted. */
  readonly policies: readonly string[];
  /** The holder's entries: `(ip, device)` pairs, sorted by IP then device. */
  readonly entries: readonly L2Entry[];
}

/**
 * One entry of a node's L2 announce table / responder map.
 *
 * @example
 * ```ts
 * const e: L2Entry = { ip: IPv4.fromString('192.168.10.210'), dev: 'eth1', ifindex: 3, services: ['default/svc-blue'] };
 * ```
 */
export interface L2Entry {
  /** The announced address. */
  readonly ip: IpAddress;
  /** Device it is answered on. */
  readonly dev: string;
  /** The device's interface index. */
  readonly ifindex: number;
  /** Services (`namespace/name`) that put it there (the statedb `origins`). */
  readonly services: readonly string[];
}

/**
 * The L2 announcements of a cluster.
 *
 * @example
 * ```ts
 * const idx = l2Announcements(cluster, ipam);
 * idx.leases.map((l) => `${l.name} ${l.holder}`);
 * ```
 */
export interface L2Index {
  /** Leases, sorted by name. */
  readonly leases: readonly L2Lease[];
  /** Lease by service `namespace/name`. */
  readonly byService: ReadonlyMap<string, L2Lease>;
  /** A node's responder entries (sorted by IP then device); empty when it holds nothing. */
  readonly entriesOf: (node: string) => readonly L2Entry[];
  /** Per-policy coverage, sorted by policy name. */
  readonly coverage: readonly PolicyCoverage[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------


/**
 * The rendezvous score of a node for a lease (the documented stand-in for the election: the
 * highest score among the candidates holds the lease).
 *
 * @example
 * ```ts
 * leaseScore('cilium-l2announce-default-svc-blue', 'k8s-w1'); // a fixed 32-bit value
 * ```
 */
export function leaseScore(leaseName: string, node: string): number {
  return hash32(`${leaseName}/${node}`);
}

/**
 * The lease name of a service.
 *
 * @example
 * ```ts
 * leaseName('default', 'svc-blue'); // 'cilium-l2announce-default-svc-blue'
 * ```
 */
export function leaseName(namespace: string, name: string): string {
  return `${LEASE_PREFIX}-${namespace}-${name}`;
}

function deviceMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function devicesOfHost(cluster: Cluster, host: Host | undefined): readonly AgentDevice[] {
  if (host === undefined) return [];
  const given = cluster.config.devices;
  const out: AgentDevice[] = [];
  host.interfaces.forEach((i, k) => {
    if (i.name === 'lo' || i.name.startsWith('cilium_') || i.name.startsWith('lxc')) return;
    const ok = given.length > 0 ? given.some((p) => deviceMatches(p, i.name)) : i.addresses.length > 0;
    if (ok) out.push({ name: i.name, index: k + 2 });
  });
  return out;
}

/**
 * The agent's devices on a node: with `devices` set, the node's interfaces it names (a trailing
 * `+` is a prefix, as `eth+`); without it, the interfaces with an address other than loopback
 * and Cilium's own (Cilium's auto-detection of native devices). O(hosts + interfaces).
 *
 * @example
 * ```ts
 * agentDevices(cluster, 'k8s-w1').map((d) => d.name); // ['eth0', 'eth1']
 * ```
 */
export function agentDevices(cluster: Cluster, node: string): readonly AgentDevice[] {
  return devicesOfHost(
    cluster,
    cluster.hosts.find((h) => h.meta.name === node),
  );
}

function serviceLabels(svc: Service): StringMap {
  return { ...svc.meta.labels, 'io.kubernetes.service.namespace': svc.meta.namespace ?? 'default', 'io.kubernetes.service.name': svc.meta.name };
}

function svcKey(svc: Service): string {
  return `${svc.meta.namespace ?? 'default'}/${svc.meta.name}`;
}

/** The IPv4 addresses a policy announces for a service (empty: not selected). */
function policyIps(policy: L2AnnouncementPolicy, svc: Service, lbIps: ReadonlyMap<string, readonly IpAddress[]>): IpAddress[] {
  if (svc.loadBalancerClass !== undefined && svc.loadBalancerClass !== L2_LB_CLASS) return [];
  if (policy.serviceSelector !== undefined && !matchesSelector(policy.serviceSelector, serviceLabels(svc))) return [];
  const ips: IpAddress[] = [];
  if (policy.loadBalancerIPs && svc.type === 'LoadBalancer') {
    const given = lbIps.get(svcKey(svc)) ?? svc.loadBalancerIngress;
    for (const a of given) if (isIPv4(a)) ips.push(a);
  }
  if (policy.externalIPs) for (const a of svc.externalIPs) if (isIPv4(a)) ips.push(a);
  return ips;
}

function compilePolicyNodes(cluster: Cluster, policy: L2AnnouncementPolicy, devicesOf: (node: string) => readonly AgentDevice[]): readonly PolicyNode[] {
  const regexes: RegExp[] = [];
  for (const p of policy.interfaces) {
    const c = compileGoRegexp(p);
    if (c.ok) regexes.push(c.regexp);
  }
  const out: PolicyNode[] = [];
  const nodes = [...cluster.scenario.nodes].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  for (const n of nodes) {
    if (!n.ready) continue;
    if (policy.nodeSelector !== undefined && !matchesSelector(policy.nodeSelector, n.meta.labels)) continue;
    const devices = devicesOf(n.meta.name)
      .map((d) => d.name)
      .filter((d) => policy.interfaces.length === 0 || regexes.some((r) => r.test(d)));
    out.push({ node: n.meta.name, devices });
  }
  return out;
}

/**
 * The nodes a policy applies on and its devices there (see the module doc). O(N · devices ·
 * regexes); an {@link L2Model} computes it once per policy.
 *
 * @example
 * ```ts
 * policyNodes(cluster, policy).map((n) => `${n.node}:${n.devices.join(',')}`); // ['k8s-w1:eth1', 'k8s-w2:eth1']
 * ```
 */
export function policyNodes(cluster: Cluster, policy: L2AnnouncementPolicy): readonly PolicyNode[] {
  const hosts = new Map(cluster.hosts.map((h) => [h.meta.name, h] as const));
  return compilePolicyNodes(cluster, policy, (n) => devicesOfHost(cluster, hosts.get(n)));
}

// ---------------------------------------------------------------------------------------------
// The model: one per (cluster, LB IPAM result), computing what is asked and keeping it
// ---------------------------------------------------------------------------------------------

type Selecting = readonly { readonly policy: L2AnnouncementPolicy; readonly ips: readonly IpAddress[] }[];

/**
 * The L2 announcements of one cluster and LB IPAM result, computed on demand and kept by the
 * object (no module-level cache: whoever holds the model holds its memo).
 *
 * @example
 * ```ts
 * const m = l2Model(cluster, ipam);
 * m.lease('default/blue-web')?.holder; // 'k8s-w1' (O(candidates) after the policies' node sets)
 * m.index().entriesOf('k8s-w1'); // the node's responder entries (every lease computed once)
 * ```
 */
export interface L2Model {
  /** The cluster. */
  readonly cluster: Cluster;
  /** The agent's devices on a node. */
  devices(node: string): readonly AgentDevice[];
  /** The nodes a policy applies on, with its devices there. */
  policyNodes(policy: L2AnnouncementPolicy): readonly PolicyNode[];
  /** One service's lease (`namespace/name`), or undefined when it is not announced. */
  lease(service: string): L2Lease | undefined;
  /** Every lease, each node's entries, each policy's coverage. */
  index(): L2Index;
}

/**
 * Builds the {@link L2Model} of a cluster and its LB IPAM result. O(1); each question costs what
 * the module doc says, once.
 *
 * @example
 * ```ts
 * l2Model(cluster, allocateLbIps(cluster)).index().leases.length; // 2 in examples/l2-announcements
 * ```
 */
export function l2Model(cluster: Cluster, ipam: LbIpamResult): L2Model {
  const active = l2Settings(cluster).active;
  const policies = [...cluster.scenario.l2AnnouncementPolicies].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  let hosts: ReadonlyMap<string, Host> | undefined;
  let services: ReadonlyMap<string, Service> | undefined;
  let lbIps: ReadonlyMap<string, readonly IpAddress[]> | undefined;
  let index: L2Index | undefined;
  const devicesMemo = new Map<string, readonly AgentDevice[]>();
  const nodesMemo = new Map<string, readonly PolicyNode[]>();
  const nodeIndexMemo = new Map<string, ReadonlyMap<string, PolicyNode>>();
  const leaseMemo = new Map<string, L2Lease | null>();

  const lbIpsOf = (): ReadonlyMap<string, readonly IpAddress[]> => {
    if (lbIps === undefined) {
      const m = new Map<string, readonly IpAddress[]>();
      for (const st of ipam.services) m.set(`${st.namespace}/${st.name}`, st.ips);
      lbIps = m;
    }
    return lbIps;
  };
  const devices = (node: string): readonly AgentDevice[] => {
    let d = devicesMemo.get(node);
    if (d === undefined) {
      if (hosts === undefined) hosts = new Map(cluster.hosts.map((h) => [h.meta.name, h] as const));
      devicesMemo.set(node, (d = devicesOfHost(cluster, hosts.get(node))));
    }
    return d;
  };
  const nodesOf = (policy: L2AnnouncementPolicy): readonly PolicyNode[] => {
    let n = nodesMemo.get(policy.meta.name);
    if (n === undefined) nodesMemo.set(policy.meta.name, (n = compilePolicyNodes(cluster, policy, devices)));
    return n;
  };
  const nodeIndexOf = (policy: L2AnnouncementPolicy): ReadonlyMap<string, PolicyNode> => {
    let m = nodeIndexMemo.get(policy.meta.name);
    if (m === undefined) nodeIndexMemo.set(policy.meta.name, (m = new Map(nodesOf(policy).map((n) => [n.node, n] as const))));
    return m;
  };
  const selectingOf = (svc: Service): Selecting =>
    policies.flatMap((policy) => {
      const ips = policyIps(policy, svc, lbIpsOf());
      return ips.length > 0 ? [{ policy, ips }] : [];
    });

  const candidatesOf = (name: string, selecting: Selecting): readonly L2Candidate[] => {
    const devs = new Map<string, Set<string>>();
    for (const { policy } of selecting) {
      for (const pn of nodesOf(policy)) {
        let set = devs.get(pn.node);
        if (set === undefined) devs.set(pn.node, (set = new Set()));
        for (const d of pn.devices) set.add(d);
      }
    }
    return [...devs.entries()]
      .map(([node, set]) => ({ node, devices: [...set].sort(compareStrings), score: leaseScore(name, node) }))
      .sort((a, b) => compareStrings(a.node, b.node));
  };

  const buildLease = (svc: Service, selecting: Selecting): L2Lease | undefined => {
    const key = svcKey(svc);
    const name = leaseName(svc.meta.namespace ?? 'default', svc.meta.name);
    // the holder: highest score among candidates with a device, else among all (module doc)
    const prefix = hashUpdate(hashStart(), `${name}/`);
    let best: string | undefined;
    let bestScore = -1;
    let bestDev: string | undefined;
    let bestDevScore = -1;
    for (const { policy } of selecting) {
      for (const pn of nodesOf(policy)) {
        const sc = hashFinish(hashUpdate(prefix, pn.node));
        if (sc > bestScore || (sc === bestScore && pn.node < best!)) {
          best = pn.node;
          bestScore = sc;
        }
        if (pn.devices.length > 0 && (sc > bestDevScore || (sc === bestDevScore && pn.node < bestDev!))) {
          bestDev = pn.node;
          bestDevScore = sc;
        }
      }
    }
    const holder = bestDev ?? best;
    if (holder === undefined) return undefined;
    const ifindex = new Map(devices(holder).map((d) => [d.name, d.index] as const));
    const seen = new Set<string>();
    const entries: L2Entry[] = [];
    for (const { policy, ips } of selecting) {
      const pn = nodeIndexOf(policy).get(holder);
      if (pn === undefined) continue;
      for (const dev of pn.devices) {
        for (const ip of ips) {
          const k = `${ip.toString()}%${dev}`;
          if (seen.has(k)) continue;
          seen.add(k);
          entries.push({ ip, dev, ifindex: ifindex.get(dev) ?? 0, services: [key] });
        }
      }
    }
    entries.sort((a, b) => compareIp(a.ip, b.ip) || compareStrings(a.dev, b.dev));
    let candidates: readonly L2Candidate[] | undefined;
    return {
      service: key,
      name,
      namespace: LEASE_NAMESPACE,
      holder,
      get candidates(): readonly L2Candidate[] {
        if (candidates === undefined) candidates = candidatesOf(name, selecting);
        return candidates;
      },
      policies: selecting.map((x) => x.policy.meta.name).sort(compareStrings),
      entries,
    };
  };

  const leaseOfService = (svc: Service): L2Lease | undefined => {
    const key = svcKey(svc);
    const hit = leaseMemo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const selecting = active ? selectingOf(svc) : [];
    const l = selecting.length > 0 ? buildLease(svc, selecting) : undefined;
    leaseMemo.set(key, l ?? null);
    return l;
  };

  const buildIndex = (): L2Index => {
    if (policies.length === 0) return EMPTY_INDEX;
    const sorted = [...cluster.scenario.services].sort((a, b) => compareStrings(svcKey(a), svcKey(b)));
    const selected = new Map<string, string[]>();
    const leases: L2Lease[] = [];
    for (const svc of sorted) {
      for (const policy of policies) {
        if (policyIps(policy, svc, lbIpsOf()).length === 0) continue;
        const list = selected.get(policy.meta.name) ?? [];
        list.push(svcKey(svc));
        selected.set(policy.meta.name, list);
      }
      const l = leaseOfService(svc);
      if (l !== undefined) leases.push(l);
    }
    leases.sort((a, b) => compareStrings(a.name, b.name));
    const byNode = new Map<string, L2Entry[]>();
    for (const l of leases) {
      const list = byNode.get(l.holder) ?? [];
      for (const e of l.entries) {
        const same = list.findIndex((x) => x.dev === e.dev && compareIp(x.ip, e.ip) === 0);
        if (same >= 0) list[same] = { ...list[same]!, services: [...list[same]!.services, ...e.services].sort(compareStrings) };
        else list.push(e);
      }
      byNode.set(l.holder, list);
    }
    for (const list of byNode.values()) list.sort((a, b) => compareIp(a.ip, b.ip) || compareStrings(a.dev, b.dev));
    return {
      leases,
      byService: new Map(leases.map((l) => [l.service, l] as const)),
      entriesOf: (node) => byNode.get(node) ?? [],
      coverage: policies.map((p) => ({ name: p.meta.name, nodes: nodesOf(p), services: selected.get(p.meta.name) ?? [] })),
    };
  };

  return {
    cluster,
    devices,
    policyNodes: nodesOf,
    lease(service) {
      if (services === undefined) services = new Map(cluster.scenario.services.map((x) => [svcKey(x), x] as const));
      const svc = services.get(service);
      return svc === undefined ? undefined : leaseOfService(svc);
    },
    index() {
      if (index === undefined) index = buildIndex();
      return index;
    },
  };
}

const EMPTY_INDEX: L2Index = { leases: [], byService: new Map(), entriesOf: () => [], coverage: [] };

/**
 * Every L2 lease of a cluster, each node's responder entries and each policy's coverage (see
 * the module doc): `l2Model(cluster, ipam).index()`.
 *
 * @example
 * ```ts
 * const idx = l2Announcements(cluster, allocateLbIps(cluster));
 * idx.byService.get('default/blue-web')?.holder; // 'k8s-w1'
 * idx.entriesOf('k8s-w1').map((e) => `${e.ip} ${e.dev}`); // ['192.168.10.210 eth1']
 * ```
 */
export function l2Announcements(cluster: Cluster, ipam: LbIpamResult): L2Index {
  return l2Model(cluster, ipam).index();
}

/**
 * One service's lease, computed on its own (O(candidates) after the per-policy node sets):
 * the same answer as `l2Announcements(...).byService.get(service)`.
 *
 * @example
 * ```ts
 * l2Lease(cluster, ipam, 'default/blue-web')?.name; // 'cilium-l2announce-default-blue-web'
 * ```
 */
export function l2Lease(cluster: Cluster, ipam: LbIpamResult, service: string): L2Lease | undefined {
  return l2Model(cluster, ipam).lease(service);
}

/**
 * Policies whose `interfaces` match no device on any node they apply on (the `validate`
 * warning), with the text of the warning.
 *
 * @example
 * ```ts
 * l2Warnings(cluster); // ['CiliumL2AnnouncementPolicy/blue: spec.interfaces matches no device on any node it selects (^bond[0-9]+)']
 * ```
 */
export function l2Warnings(cluster: Cluster): readonly string[] {
  const out: string[] = [...l2Settings(cluster).warnings];
  const hosts = new Map(cluster.hosts.map((h) => [h.meta.name, h] as const));
  const pn = (p: L2AnnouncementPolicy): readonly PolicyNode[] => compilePolicyNodes(cluster, p, (n) => devicesOfHost(cluster, hosts.get(n)));
  const policies = [...cluster.scenario.l2AnnouncementPolicies].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  for (const p of policies) {
    const nodes = pn(p);
    if (nodes.length === 0) {
      out.push(`CiliumL2AnnouncementPolicy/${p.meta.name}: spec.nodeSelector selects no Ready node: nothing is announced`);
      continue;
    }
    if (p.interfaces.length > 0 && nodes.every((n) => n.devices.length === 0)) {
      out.push(
        `CiliumL2AnnouncementPolicy/${p.meta.name}: spec.interfaces (${p.interfaces.join(', ')}) matches no device on any node it selects: nothing is announced`,
      );
    }
    if (!p.loadBalancerIPs && !p.externalIPs) {
      out.push(`CiliumL2AnnouncementPolicy/${p.meta.name}: neither spec.loadBalancerIPs nor spec.externalIPs is true: nothing is announced`);
    }
  }
  return out;
}

/**
 * Formats an entry's IP (for views).
 *
 * @example
 * ```ts
 * entryIp(entry); // '192.168.10.210'
 * ```
 */
export function entryIp(e: L2Entry): string {
  return formatIp(e.ip);
}
