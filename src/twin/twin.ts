/**
 * The composition root: a {@link Twin} owns one scenario and composes the pipeline's stages over
 * it, each computed the first time it is asked for and kept (memoised per twin, never in a module):
 *
 * ```
 * cluster ─┬─ lbIpam() ─┬─ ciliumBgp() ─┐
 *          │            └───────────────┴─ bgp() ─┐
 *          ├─ baseTable(host) ────────────────────┴─ fib(host) ─┐
 *          ├─ maps(node)   (LB maps, one node at a time) ────────┼─ network() ─ trace(request)
 *          └─ identities() ───────────────────────────────────────┘
 * ```
 *
 * A question about one host or node computes what it needs: `fib(host)` of a host without FRR is
 * its base table (no BGP), `maps(node)` builds that node's maps only (the cluster-wide part once),
 * and `trace` builds the maps of the nodes the packet reaches. Laziness never leaks: every value
 * is a pure function of the scenario, so the same question gives the same answer whatever was
 * asked before.
 *
 * Stages added later get their memoised value with {@link Twin.memo} (a {@link MemoKey} per
 * stage) or, when the packet walk needs them, as a lazy method here.
 *
 * @module
 */
import { bgpTablesFrom } from '../bgp/network/pipeline.js';
import type { BgpTables } from '../bgp/network/types.js';
import { runBgpNetwork } from '../bgp/network/run.js';
import type { BgpNetworkResult } from '../bgp/network/types.js';
import { computeCiliumBgp } from '../bgp/cilium/agent.js';
import { speakersOf } from '../bgp/cilium/speakers.js';
import type { CiliumBgpResult } from '../bgp/cilium/types.js';
import { frrDiagnostics, type FrrDiagnostic } from '../bgp/frr/diagnostics.js';
import type { Cluster } from '../cluster/types.js';
import { identityTable, lazyIdentityTable, lazyPodIdentities, type IdentityTable } from '../datapath/endpoints/identity.js';
import { PolicyEngine } from '../policy/resolve.js';
import { policyRules, type Rule } from '../policy/rules.js';
import { lbMapsBuilder, lbRowsBuilder, type LbAddressRows } from '../datapath/lb/maps.js';
import type { NodeLbMaps } from '../datapath/lb/types.js';
import { baseLookupOf, hostRoutingTable, hostShape, type HostShape } from '../fib/base.js';
import { withInstalledRoutes } from '../fib/install.js';
import type { RoutingTable } from '../fib/types.js';
import type { Host, IpAddress, Scenario } from '../input/types.js';
import { allocateLbIps, lbIpsLookup } from '../ipam/allocate.js';
import type { LbIpamResult } from '../ipam/types.js';
import { compileNetworkFrom, type CompiledNetwork, type NetworkInputs } from '../network/compile.js';
import { trace as walkTrace } from '../packet/trace.js';
import { traceAll } from '../packet/flows.js';
import type { TraceRequest, TraceResult } from '../packet/types.js';
import { ingressState } from '../ingress/controller.js';
import type { IngressState } from '../ingress/types.js';
import { meshOf, meshViews, type ClusterMesh, type MeshMember } from '../mesh/mesh.js';
import { LazyMap } from './lazy.js';
import type { MemoKey } from './memo.js';
import { compareStrings } from '../net/compare.js';
import type { WireAddr } from '../net/wire.js';

/**
 * A digital twin of one scenario: the cluster and every stage's output, each computed on first
 * use and memoised. Build one with `loadScenario(files)` (from YAML text) or
 * {@link createTwin} (from a built cluster).
 *
 * @example
 * ```ts
 * import { loadScenario } from 'cilium-twin';
 * import { isRight } from 'fp-ts/lib/Either.js';
 * declare const text: string; // the lab's YAML
 * const loaded = loadScenario([{ file: 'lab.yaml', text }]);
 * if (isRight(loaded)) {
 *   const twin = loaded.right;
 *   twin.fib('router')?.main.length;
 *   twin.maps('k8s-ctr')?.frontends.length;
 *   twin.trace({ from: 'router', dst: '172.16.1.1', dport: 80 }).verdict; // 'FORWARDED'
 * }
 * ```
 */
export interface Twin {
  /** The decoded scenario (the cluster's input). */
  readonly scenario: Scenario;
  /** The cluster: the scenario with derived objects and configuration defaults. */
  readonly cluster: Cluster;
  /** LB IPAM: every pool's and LoadBalancer service's allocations. */
  lbIpam(): LbIpamResult;
  /** The LB IPs LB IPAM gives a service (`[]` when none). */
  lbIps(namespace: string, name: string): readonly IpAddress[];
  /** Every host's name (nodes and routers), sorted. */
  hostNames(): readonly string[];
  /** A host's routing tables before BGP (connected, static, Cilium's own), or `undefined` for an unknown host. */
  baseTable(host: string): RoutingTable | undefined;
  /** Every host's base table, by host name (a lazy map: a table is built when read). */
  baseTables(): ReadonlyMap<string, RoutingTable>;
  /** The Cilium BGP control plane: node configs, instances, sessions, RIBs, wire paths. */
  ciliumBgp(): CiliumBgpResult;
  /** The BGP network: Cilium speakers and FRR routers, sessions, propagation, zebra's routes. */
  bgp(): BgpNetworkResult;
  /** A host's final routing tables (base plus what zebra installs), or `undefined` for an unknown host. */
  fib(host: string): RoutingTable | undefined;
  /** Every host's final tables, by host name (a lazy map). */
  fibs(): ReadonlyMap<string, RoutingTable>;
  /** A Cilium node's BPF LB maps, or `undefined` when `node` is not a node of the scenario. */
  maps(node: string): NodeLbMaps | undefined;
  /** Every node's LB maps, by node name (a lazy map: a node's maps are built when read). */
  allMaps(): ReadonlyMap<string, NodeLbMaps>;
  /** Pod security identities (`namespace/name` → ID): {@link Twin.identityTable}'s pods. */
  identities(): ReadonlyMap<string, number>;
  /** Every security identity (reserved, pods', CIDRs'), one table per scenario. */
  identityTable(): IdentityTable;
  /** Every rule of the scenario's network policies, in document order. */
  policyRules(): readonly Rule[];
  /** The policy engine (enforcement, per-endpoint maps, decisions) over the twin's identities and rules. */
  policy(): PolicyEngine;
  /** Diagnostics of every Host's `frr:` text (errors and lines not modelled). */
  frrDiagnostics(): readonly FrrDiagnostic[];
  /** The packet walk's compiled network (nodes' LB maps compiled when a packet reaches them). */
  network(): CompiledNetwork;
  /** Walks one request hop by hop (see `trace` in the packet stage). */
  trace(request: TraceRequest): TraceResult;
  /**
   * Traces many requests, one result per request in order (lazily, as the iterable is read), each
   * equal to `trace(request)`: flows of one class (client, destination, protocol) share templates
   * filled in with each flow's source port (the bulk fast path, `BulkTracer` in the packet stage).
   */
  traces(requests: Iterable<TraceRequest>): Iterable<TraceResult>;
  /**
   * The value of `key` for this twin: `compute(twin)` the first time, the same value after. For
   * stages and views built on the twin's outputs (`twin.memo(egressKey, (t) => egress(t.cluster, t.fibs()))`).
   */
  memo<T>(key: MemoKey<T>, compute: (twin: Twin) => T): T;
  /** {@link Twin.memo} per id (a node, a host, a service): `compute(twin, id)` once per (key, id). */
  memoFor<T>(key: MemoKey<T>, id: string, compute: (twin: Twin, id: string) => T): T;
  /** Cilium's ingress controller: managed Ingresses, Envoy listeners and routes, warnings (ingress stage). */
  ingress(): IngressState;

  // --- cluster mesh (several clusters in one scenario; src/mesh/) ---
  /** This twin's context in a scenario of several clusters (`-f NAME=PATH`); absent for a single cluster. */
  readonly contextName?: string;
  /** Every context of the scenario in load order (the first is the current context); `[]` for a single cluster. */
  contexts(): readonly string[];
  /** The twin of another context of the same scenario (this one for its own name), or `undefined`. */
  inContext(name: string): Twin | undefined;
  /** The cluster mesh (clusters, connections), or `undefined` for a single cluster. */
  clusterMesh(): ClusterMesh | undefined;
}


class ScenarioTwin implements Twin {
  readonly scenario: Scenario;
  readonly cluster: Cluster;
  readonly #memo = new Map<MemoKey<unknown>, unknown>();
  readonly #memoFor = new Map<MemoKey<unknown>, Map<string, unknown>>();
  readonly #scope?: MeshScope;
  readonly contextName?: string;

  constructor(cluster: Cluster, scope?: MeshScope) {
    this.cluster = cluster;
    this.scenario = cluster.scenario;
    if (scope !== undefined) {
      this.#scope = scope;
      this.contextName = cluster.mesh?.context;
    }
  }

  memo<T>(key: MemoKey<T>, compute: (twin: Twin) => T): T {
    const k = key as MemoKey<unknown>;
    if (this.#memo.has(k)) return this.#memo.get(k) as T;
    const v = compute(this);
    this.#memo.set(k, v);
    return v;
  }

  memoFor<T>(key: MemoKey<T>, id: string, compute: (twin: Twin, id: string) => T): T {
    const k = key as MemoKey<unknown>;
    let m = this.#memoFor.get(k);
    if (m === undefined) this.#memoFor.set(k, (m = new Map()));
    if (m.has(id)) return m.get(id) as T;
    const v = compute(this, id);
    m.set(id, v);
    return v;
  }

  lbIpam(): LbIpamResult {
    return this.memo(K.lbIpam, (t) => allocateLbIps(t.cluster));
  }

  lbIps(namespace: string, name: string): readonly IpAddress[] {
    // indexed once per twin (the BGP stage asks for every LoadBalancer service)
    return this.memo(K.lbIpsLookup, (t) => lbIpsLookup(t.lbIpam()))(namespace, name);
  }

  hostNames(): readonly string[] {
    return this.#hosts().names;
  }

  #hosts(): { readonly names: readonly string[]; readonly byName: ReadonlyMap<string, Host> } {
    return this.memo(K.hosts, (t) => {
      // a later Host of the same name wins, as in a Map built in scenario order
      const m = new Map<string, Host>();
      for (const h of t.cluster.hosts) m.set(h.meta.name, h);
      return { names: [...m.keys()].sort(compareStrings), byName: m };
    });
  }

  baseTables(): ReadonlyMap<string, RoutingTable> {
    return this.memo(K.baseTables, () => {
      const hosts = this.#hosts();
      return new LazyMap(hosts.names, (name) => hostRoutingTable(this.cluster, hosts.byName.get(name)!));
    });
  }

  baseTable(host: string): RoutingTable | undefined {
    return this.baseTables().get(host);
  }

  ciliumBgp(): CiliumBgpResult {
    return this.memo(K.ciliumBgp, (t) =>
      computeCiliumBgp(t.cluster, {
        lbIps: (ns, name) => t.lbIps(ns, name),
        sourceAddress: this.#bgpTables().sourceAddress,
      }),
    );
  }

  bgp(): BgpNetworkResult {
    return this.memo(K.bgp, (t) => runBgpNetwork(t.cluster, speakersOf(t.ciliumBgp()), this.#bgpTables()));
  }

  /**
   * The BGP stages' lookups: each host's base-table lookups, a node's whole table built only
   * when a lookup needs Cilium's part (`baseLookupOf`), the same answers as the tables.
   */
  #bgpTables(): BgpTables {
    return this.memo(K.bgpTables, () => {
      const hosts = this.#hosts();
      const base = this.baseTables();
      return bgpTablesFrom(new LazyMap(hosts.names, (name) => baseLookupOf(this.cluster, hosts.byName.get(name)!, () => base.get(name)!)));
    });
  }

  fibs(): ReadonlyMap<string, RoutingTable> {
    return this.memo(K.fibs, () => {
      const hosts = this.#hosts();
      return new LazyMap(hosts.names, (name) => {
        const base = this.baseTable(name)!;
        // only FRR routers install routes (zebra); any other host's final table is its base table
        if (hosts.byName.get(name)?.frr === undefined) return base;
        return withInstalledRoutes(new Map([[name, base]]), this.bgp().installed).get(name)!;
      });
    });
  }

  fib(host: string): RoutingTable | undefined {
    return this.fibs().get(host);
  }

  allMaps(): ReadonlyMap<string, NodeLbMaps> {
    return this.memo(K.maps, (t) => {
      let mapsOf: ((node: string) => NodeLbMaps) | undefined;
      const names = t.cluster.scenario.nodes.map((n) => n.meta.name).sort(compareStrings);
      return new LazyMap(names, (node) => (mapsOf ??= lbMapsBuilder(t.cluster, t.lbIpam()))(node));
    });
  }

  maps(node: string): NodeLbMaps | undefined {
    return this.allMaps().get(node);
  }

  identities(): ReadonlyMap<string, number> {
    return this.identityTable().pods;
  }

  identityTable(): IdentityTable {
    return this.memo(K.identityTable, (t) => identityTable(t.cluster));
  }

  policyRules(): readonly Rule[] {
    return this.memo(K.policyRules, (t) => policyRules(t.cluster));
  }

  policy(): PolicyEngine {
    // the table's pods answered one at a time, the whole table built only when read (entry6)
    return this.memo(K.policy, (t) => new PolicyEngine(t.cluster, lazyIdentityTable(t.cluster, () => t.identityTable(), this.#podIdentities()), t.policyRules()));
  }

  /**
   * One node's LB rows at one address for the packet walk (equal to `maps(node)`'s rows there):
   * a trace reads the frontend it is sent to, not the node's whole maps.
   */
  #lbRowsAt(): (node: string, address: WireAddr) => LbAddressRows | undefined {
    return this.memo(K.lbRows, (t) => lbRowsBuilder(t.cluster, t.lbIpam()));
  }

  /**
   * Pod identities for the packet walk and the policy engine: equal to `identities()`, each
   * pod's answered alone (the distinct label sets numbered, no entry per pod) until many are asked.
   */
  #podIdentities(): ReadonlyMap<string, number> {
    return this.memo(K.podIdentities, (t) => lazyPodIdentities(t.cluster, () => t.identities()));
  }

  frrDiagnostics(): readonly FrrDiagnostic[] {
    return this.memo(K.frrDiagnostics, (t) => frrDiagnostics(t.cluster));
  }

  network(): CompiledNetwork {
    return this.memo(K.network, (t) =>
      compileNetworkFrom({
        cluster: t.cluster,
        ipam: t.lbIpam(),
        baseTables: t.baseTables(),
        bgp: t.bgp(),
        tables: t.fibs(),
        lbMaps: t.allMaps(),
        lbRowsAt: this.#lbRowsAt(),
        identities: this.#podIdentities(),
        ingress: t.ingress(),
        policy: t.policy(),
        hostShape: (name) => this.#hostShape(name),
        ...meshRemotes(t),
      }),
    );
  }

  /** A host's table without routes: the base table's when built (the same links), else computed alone. */
  #hostShape(name: string): HostShape | undefined {
    const base = this.baseTables();
    if (base instanceof LazyMap && !base.computed(name)) {
      const h = this.#hosts().byName.get(name);
      return h === undefined ? undefined : hostShape(this.cluster, h);
    }
    return base.get(name);
  }

  trace(request: TraceRequest): TraceResult {
    return walkTrace(this.network(), request);
  }

  *traces(requests: Iterable<TraceRequest>): Iterable<TraceResult> {
    // flows: the bulk fast path (packet/bulk.ts), equal to walkTrace per request
    yield* traceAll(this.network(), requests);
  }

  // --- cluster mesh (mesh) ---
  contexts(): readonly string[] {
    return this.#scope?.contexts ?? [];
  }

  inContext(name: string): Twin | undefined {
    return this.#scope?.twins.get(name);
  }

  clusterMesh(): ClusterMesh | undefined {
    return this.#scope?.mesh;
  }

  // ingress (issue 13) ---------------------------------------------------------------------------

  ingress(): IngressState {
    return this.memo(K.ingress, (t) => ingressState(t.cluster));
  }
}

/** The network inputs of the clusters a mesh twin is connected to (none outside a mesh). */
function meshRemotes(t: Twin): { remotes?: NetworkInputs[] } {
  const remotes = t.cluster.mesh?.remotes ?? [];
  if (remotes.length === 0) return {};
  return {
    remotes: remotes.flatMap((r) => {
      const o = t.inContext(r.context);
      if (o === undefined) return [];
      return [{ cluster: o.cluster, ipam: o.lbIpam(), baseTables: o.baseTables(), bgp: o.bgp(), tables: o.fibs(), lbMaps: o.allMaps(), identities: o.identities(), policy: o.policy() }];
    }),
  };
}

/** The twins of a scenario of several clusters, shared by each of them. */
interface MeshScope {
  readonly contexts: readonly string[];
  readonly twins: ReadonlyMap<string, Twin>;
  readonly mesh: ClusterMesh;
}

/** The twin's own memo keys. */
const K = {
  lbIpam: memoKeyOf<LbIpamResult>('lb-ipam'),
  lbIpsLookup: memoKeyOf<(namespace: string, name: string) => readonly IpAddress[]>('lb-ips-lookup'),
  hosts: memoKeyOf<{ readonly names: readonly string[]; readonly byName: ReadonlyMap<string, Host> }>('hosts'),
  baseTables: memoKeyOf<ReadonlyMap<string, RoutingTable>>('base-tables'),
  bgpTables: memoKeyOf<BgpTables>('bgp-tables'),
  ciliumBgp: memoKeyOf<CiliumBgpResult>('cilium-bgp'),
  bgp: memoKeyOf<BgpNetworkResult>('bgp'),
  fibs: memoKeyOf<ReadonlyMap<string, RoutingTable>>('fibs'),
  maps: memoKeyOf<ReadonlyMap<string, NodeLbMaps>>('lb-maps'),
  identityTable: memoKeyOf<IdentityTable>('identity-table'),
  podIdentities: memoKeyOf<ReadonlyMap<string, number>>('pod-identities'),
  lbRows: memoKeyOf<(node: string, address: WireAddr) => LbAddressRows | undefined>('lb-rows'),
  policyRules: memoKeyOf<readonly Rule[]>('policy-rules'),
  policy: memoKeyOf<PolicyEngine>('policy'),
  frrDiagnostics: memoKeyOf<readonly FrrDiagnostic[]>('frr-diagnostics'),
  network: memoKeyOf<CompiledNetwork>('network'),
  ingress: memoKeyOf<IngressState>('ingress'),
};

function memoKeyOf<T>(name: string): MemoKey<T> {
  return { name };
}

/**
 * A twin of an already built cluster (no FRR check: use `loadScenario` for untrusted input).
 * Every stage is computed on first use and kept in this twin only.
 *
 * @example
 * ```ts
 * import { createTwin } from 'cilium-twin';
 * import type { Cluster } from 'cilium-twin/cluster';
 * declare const cluster: Cluster;
 * const twin = createTwin(cluster);
 * twin.maps('k8s-ctr') === twin.maps('k8s-ctr'); // true: memoised
 * ```
 */
export function createTwin(cluster: Cluster): Twin {
  return new ScenarioTwin(cluster);
}

/**
 * The twins of a scenario of several clusters (one per context, in load order), each cluster
 * given its view of the mesh (remote nodes, pods and global services' backends), and linked so
 * that each answers `contexts()`, `inContext(name)` and `clusterMesh()`. Returns the first
 * context's twin (the current context). Validate first (`validateMesh`): this trusts the members.
 *
 * @example
 * ```ts
 * const west = createMeshTwins([{ context: 'kind-west', cluster: w }, { context: 'kind-east', cluster: e }]);
 * west.inContext('kind-east')?.cluster.config.clusterName; // 'east'
 * ```
 */
export function createMeshTwins(members: readonly MeshMember[]): Twin {
  const views = meshViews(members);
  const twins = new Map<string, Twin>();
  const scope: MeshScope = { contexts: members.map((m) => m.context), twins, mesh: meshOf(members) };
  for (const m of members) {
    const view = views.get(m.context)!;
    twins.set(m.context, new ScenarioTwin({ ...m.cluster, mesh: view }, scope));
  }
  return twins.get(members[0]!.context)!;
}
