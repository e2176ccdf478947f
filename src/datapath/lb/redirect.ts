/**
 * `CiliumLocalRedirectPolicy` in one node's LB maps, as Cilium 1.18's redirect-policy controller
 * writes them (`pkg/loadbalancer/redirectpolicy`, script tests `address.txtar`, `service.txtar`,
 * `no-target-pods.txtar`, `skiplb.txtar`). Only with `enable-local-redirect-policy: true`.
 *
 * - **Backends**: the pods on this node, in the policy's namespace, Running and Ready, not
 *   host-network, whose labels match `redirectBackend.localEndpointSelector`; one backend per pod
 *   address of the frontend's family and per backend port. A backend port with a name takes the
 *   pod's container port of that name when it has one (`service.txtar`: `toPorts` 8080 `tcp` →
 *   the pod's `tcp` port 80), else its own number.
 * - **Address matcher**: a frontend `ip:port/proto` per `toPorts` entry, type `LocalRedirect`
 *   (routable, so no `non-routable`), service `<ns>/<policy>:local-redirect`. One frontend port:
 *   the single backend port; several: the backend port of the same name.
 * - **Service matcher**: the service's ClusterIP frontends (all ports, or the `toPorts` ones by
 *   port and protocol, or by name when several) keep their address and ID but become
 *   `LocalRedirect` with the local backends (`FLAGS=LocalRedirect` in the golden maps). With
 *   several backend ports, a service port maps to the backend port of its name; with one, every
 *   service port maps to it.
 * - **No local backend**: nothing changes (the service keeps its backends; no address frontend),
 *   per `no-target-pods.txtar`.
 * - **skipRedirectFromBackend**: the selected pods' own connections to the frontend skip the
 *   redirect (the skip-LB map, keyed by their netns cookie): the frontend records the pods and,
 *   for a service matcher, the frontend as it was, which the packet walk uses for them.
 *
 * IDs: redirected service frontends keep theirs; address frontends get the next IDs after the
 * node's highest, in policy (namespace/name) then port order; new backends the next backend IDs
 * after the node's highest (a backend already in the maps keeps its ID). See docs/decisions.md.
 *
 * Complexity: O(policies × (pods on the node + the service's frontends)) per node.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import { matchesSelector } from '../../cluster/selector.js';
import { clusterIndexes } from '../../cluster/indexes.js';
import type { IpAddress, LocalRedirectPolicy, Pod, RedirectPort } from '../../input/types.js';
import { familyOf, sameIp } from '../../net/addr.js';
import { lbFlagNames, lbFlags } from './flags.js';
import type { LbBackend, LbFrontend, NodeLbMaps } from './types.js';
import { compareStrings } from '../../net/compare.js';

/** The suffix of the pseudo-service a policy's backends belong to. */
export const LOCAL_REDIRECT_SUFFIX = ':local-redirect';

/** A local pod chosen as a backend, with the container port a backend port resolves to. */
interface LocalPod {
  readonly pod: Pod;
  readonly key: string;
}

/**
 * The pods on `node` a policy redirects to (Running, Ready, not host-network, in the policy's
 * namespace, matching its selector), by name.
 *
 * @example
 * redirectPods(cluster, policy, 'k8s-w1').map((p) => p.meta.name); // ['node-local-dns-x7k2p']
 */
export function redirectPods(cluster: Cluster, policy: LocalRedirectPolicy, node: string): Pod[] {
  const ns = policy.meta.namespace ?? 'default';
  return clusterIndexes(cluster)
    .podsOn(node)
    .filter(
      (p) =>
        (p.meta.namespace ?? 'default') === ns &&
        p.phase === 'Running' &&
        p.ready &&
        !p.hostNetwork &&
        matchesSelector(policy.localEndpointSelector, p.meta.labels),
    )
    .sort((a, b) => compareStrings(a.meta.name, b.meta.name));
}

/** The port a backend port resolves to on a pod: its named container port, else the number. */
function podPort(pod: Pod, be: RedirectPort): number {
  if (be.name !== undefined) {
    for (const c of pod.containers) {
      const hit = c.ports.find((p) => p.name !== undefined && p.name.toLowerCase() === be.name && p.protocol === be.protocol);
      if (hit !== undefined) return hit.containerPort;
    }
  }
  return be.port;
}

/** Builds and reuses backend rows of one node. */
class Backends {
  private next: number;
  readonly added: LbBackend[] = [];
  constructor(private readonly existing: readonly LbBackend[]) {
    this.next = existing.reduce((m, b) => Math.max(m, b.id), 0) + 1;
  }
  idOf(address: IpAddress, port: number, protocol: RedirectPort['protocol'], pod: LocalPod, node: string): number {
    const all = [...this.existing, ...this.added];
    const hit = all.find((b) => sameIp(b.address, address) && b.port === port && b.protocol === protocol);
    if (hit !== undefined) return hit.id;
    const id = this.next++;
    this.added.push({
      id,
      address,
      port,
      protocol,
      state: 'active',
      nodeName: node,
      pod: { namespace: pod.pod.meta.namespace ?? 'default', name: pod.pod.meta.name },
      portNames: [],
      weight: 100,
    });
    return id;
  }
}

const REDIRECT_FLAGS = lbFlags({
  type: 'LocalRedirect',
  extLocal: false,
  intLocal: false,
  sessionAffinity: false,
  routable: true,
  checkSourceRange: false,
  sourceRangeDeny: false,
  dsr: false,
});

/**
 * The backend port a frontend port maps to (see the module doc), or `undefined` when none does.
 */
function backendPortFor(policy: LocalRedirectPolicy, fePortName: string, singleFrontend: boolean): RedirectPort | undefined {
  const bes = policy.backendPorts;
  if (singleFrontend || bes.length === 1) return bes[0];
  return bes.find((b) => b.name !== undefined && b.name === fePortName.toLowerCase());
}

/**
 * A node's LB maps with the local redirect policies applied (see the module doc). The maps are
 * returned unchanged when the feature is off or no policy applies.
 *
 * @example
 * ```ts
 * const maps = withLocalRedirects(cluster, nodeLbMaps(cluster, ipam, 'k8s-w1'));
 * maps.frontends.filter((f) => f.type === 'LocalRedirect').map((f) => f.flagNames); // [['LocalRedirect']]
 * ```
 */
export function withLocalRedirects(cluster: Cluster, maps: NodeLbMaps): NodeLbMaps {
  const policies = cluster.scenario.localRedirectPolicies ?? [];
  if (policies.length === 0 || !cluster.config.enableLocalRedirectPolicy) return maps;
  const node = maps.node;
  const backends = new Backends(maps.backends);
  const replaced = new Map<LbFrontend, LbFrontend>();
  const added: LbFrontend[] = [];
  let nextId = maps.frontends.reduce((m, f) => Math.max(m, f.id), 0) + 1;

  const sorted = [...policies].sort((a, b) => compareStrings(a.meta.namespace ?? '', b.meta.namespace ?? '') || compareStrings(a.meta.name, b.meta.name));
  for (const policy of sorted) {
    const ns = policy.meta.namespace ?? 'default';
    const pods: LocalPod[] = redirectPods(cluster, policy, node).map((pod) => ({ pod, key: `${ns}/${pod.meta.name}` }));
    if (pods.length === 0) continue;
    const skipFrom = policy.skipRedirectFromBackend ? pods.map((p) => p.key) : [];
    const ref = { namespace: ns, name: `${policy.meta.name}${LOCAL_REDIRECT_SUFFIX}` };
    const slotsFor = (address: IpAddress, be: RedirectPort): number[] => {
      const ids: number[] = [];
      for (const p of pods) {
        for (const ip of p.pod.podIPs) {
          if (familyOf(ip) !== familyOf(address)) continue;
          ids.push(backends.idOf(ip, podPort(p.pod, be), be.protocol, p, node));
        }
      }
      return ids;
    };
    const redirected = (base: Omit<LbFrontend, 'backendIds' | 'count' | 'qcount'>, ids: number[], original?: LbFrontend): LbFrontend => ({
      ...base,
      backendIds: ids,
      count: ids.length,
      qcount: 0,
      redirect: { policy: `${ns}/${policy.meta.name}`, skipFrom, ...(original !== undefined ? { original } : {}) },
    });

    const fe = policy.frontend;
    if (fe.kind === 'address') {
      const single = fe.toPorts.length === 1;
      for (const port of fe.toPorts) {
        const be = backendPortFor(policy, port.name ?? '', single);
        if (be === undefined) continue;
        const ids = slotsFor(fe.ip, be);
        if (ids.length === 0) continue;
        added.push(
          redirected({
            id: nextId++,
            address: fe.ip,
            port: port.port,
            protocol: port.protocol,
            scope: 'external',
            type: 'LocalRedirect',
            service: ref,
            portName: port.name ?? '',
            servicePort: port.port,
            surrogate: false,
            nodeAddressCopy: false,
            wildcard: false,
            flags: REDIRECT_FLAGS,
            slotFlags: REDIRECT_FLAGS,
            flagNames: lbFlagNames(REDIRECT_FLAGS),
            externalTrafficPolicy: 'Cluster',
            internalTrafficPolicy: 'Cluster',
            twoScopes: false,
            sessionAffinity: false,
            affinityTimeoutSeconds: 0,
            lbAlgorithmBits: 0,
            algorithm: 'random',
            forwardingMode: 'snat',
            routable: true,
            sourceRanges: [],
            checkSourceRange: false,
            sourceRangeDeny: false,
          }, ids),
        );
      }
    } else {
      const single = fe.toPorts.length === 1;
      for (const f of maps.frontends) {
        if (f.wildcard || f.type !== 'ClusterIP' || f.service.namespace !== fe.namespace || f.service.name !== fe.serviceName) continue;
        if (replaced.has(f)) continue;
        if (fe.toPorts.length === 1 && !(fe.toPorts[0]!.port === f.servicePort && fe.toPorts[0]!.protocol === f.protocol)) continue;
        if (fe.toPorts.length > 1 && !fe.toPorts.some((t) => t.name === f.portName.toLowerCase())) continue;
        const be = backendPortFor(policy, f.portName, single);
        if (be === undefined || be.protocol !== f.protocol) continue;
        const ids = slotsFor(f.address, be);
        if (ids.length === 0) continue;
        const { maglev: _m, redirect: _r, ...rest } = f;
        replaced.set(
          f,
          redirected(
            {
              ...rest,
              type: 'LocalRedirect',
              flags: REDIRECT_FLAGS,
              slotFlags: REDIRECT_FLAGS,
              flagNames: lbFlagNames(REDIRECT_FLAGS),
              routable: true,
              sessionAffinity: false,
              affinityTimeoutSeconds: 0,
              algorithm: 'random',
              forwardingMode: 'snat',
              sourceRanges: [],
              checkSourceRange: false,
              sourceRangeDeny: false,
            },
            ids,
            f,
          ),
        );
      }
    }
  }
  if (replaced.size === 0 && added.length === 0) return maps;

  const frontends = [...maps.frontends.map((f) => replaced.get(f) ?? f), ...added];
  // Backend rows: those still referenced by a frontend (or by a skipped redirect's original).
  const used = new Set<number>();
  for (const f of frontends) {
    for (const id of f.backendIds) used.add(id);
    for (const id of f.redirect?.original?.backendIds ?? []) used.add(id);
  }
  const allBackends = [...maps.backends, ...backends.added].filter((b) => used.has(b.id)).sort((a, b) => a.id - b.id);
  const revNat = [...maps.revNat, ...added.map((f) => ({ id: f.id, address: f.address, port: f.port }))].sort((a, b) => a.id - b.id);
  const sourceRanges = maps.sourceRanges.filter((s) => !frontends.some((f) => f.id === s.id && f.type === 'LocalRedirect'));
  return { ...maps, frontends, backends: allBackends, revNat, sourceRanges };
}
