/**
 * Cilium instances as vendor-neutral {@link BgpSpeaker}s: where they meet FRR routers in the
 * session and propagation stage.
 *
 * @module
 */
import type { Cluster } from '../../cluster/types.js';
import type { BgpNeighborConfig, BgpPath, BgpSpeaker } from '../speaker.js';
import { familyOf, unspecified } from '../../net/addr.js';
import { computeCiliumBgp } from './agent.js';
import type { CiliumBgpInstance, CiliumBgpOptions, CiliumBgpResult, CiliumWirePath } from './types.js';

/**
 * One instance as a {@link BgpSpeaker}: kind `cilium`, AS, router ID, listen port; each session
 * as a neighbour (remote AS `auto` when the peer AS is 0, the configured `localAddress` only,
 * eBGP multihop TTL for eBGP sessions, never passive, families `afi-safi`, graceful restart
 * when enabled) whose `exports` are the wire paths; `originated` is the loc-RIB (next hop unspecified).
 *
 * @example
 * ```ts
 * instanceSpeaker(result.nodes[0]!.instances[0]!).neighbors[0]?.exports?.length; // 1
 * ```
 */
export function instanceSpeaker(inst: CiliumBgpInstance): BgpSpeaker {
  return speakerWith(inst, (wires) => wires.map(wireToPath));
}

/** A wire path as the path the peer receives (without the accepting policy's name). */
function wireToPath(p: CiliumWirePath): BgpPath {
  return {
    prefix: p.prefix,
    origin: p.origin,
    asPath: p.asPath,
    nextHop: p.nextHop,
    ...(p.med !== undefined ? { med: p.med } : {}),
    ...(p.localPref !== undefined ? { localPref: p.localPref } : {}),
    communities: p.communities,
    largeCommunities: p.largeCommunities,
  };
}

/**
 * {@link instanceSpeaker} with the wire-to-path conversion given: {@link speakersOf} converts
 * each distinct wire path object once (nodes of one shape share their common wire paths), so
 * 5,000 nodes advertising the same 1,000 LB prefixes make 1,000 paths, not 5,000,000; and each
 * distinct wire array once (sessions sending the same wire array share one exports array).
 */
function speakerWith(inst: CiliumBgpInstance, exportsOf: (wires: readonly CiliumWirePath[]) => readonly BgpPath[]): BgpSpeaker {
  const neighbors: BgpNeighborConfig[] = inst.peers.map((s, i) => {
    const exports = exportsOf(inst.advertisements[i]?.paths ?? []);
    return {
      address: s.peerAddress,
      remoteAs: s.peerASN === 0 ? 'auto' : s.peerASN,
      ...(s.configuredLocalAddress !== undefined ? { localAddress: s.configuredLocalAddress } : {}),
      ...(s.sessionType !== 'ibgp' ? { ebgpMultihop: s.ebgpMultihopTTL } : {}),
      holdTime: s.timers.holdTimeSeconds,
      keepalive: s.timers.keepAliveTimeSeconds,
      port: s.peerPort,
      passive: false,
      families: s.families.map((f) => `${f.afi}-${f.safi}`),
      exports,
      ...(s.gracefulRestart.enabled ? { gracefulRestart: true } : {}),
      label: s.peer,
    };
  });
  // the loc-RIB as originated paths, made when first read (the propagation sends the wire
  // paths; views of the RIB read it from the instance)
  let originated: readonly BgpPath[] | undefined;
  const originatedOf = (): readonly BgpPath[] =>
    inst.rib.map((p) => ({
      prefix: p.prefix,
      origin: p.origin,
      asPath: [],
      nextHop: unspecified(familyOf(p.prefix)),
      communities: [],
      largeCommunities: [],
    }));
  return {
    host: inst.node,
    kind: 'cilium',
    instance: inst.name,
    asn: inst.localASN,
    routerId: inst.routerId,
    ...(inst.listenPort !== undefined ? { listenPort: inst.listenPort } : {}),
    neighbors,
    get originated(): readonly BgpPath[] {
      return (originated ??= originatedOf());
    },
  };
}

/**
 * Every Cilium instance of a computed result as a speaker, nodes by name, instances in order.
 *
 * @example
 * ```ts
 * speakersOf(computeCiliumBgp(cluster)).length; // 3 in the bgp-lab
 * ```
 */
export function speakersOf(result: CiliumBgpResult): BgpSpeaker[] {
  const made = new Map<CiliumWirePath, BgpPath>();
  const toPath = (p: CiliumWirePath): BgpPath => {
    let q = made.get(p);
    if (q === undefined) made.set(p, (q = wireToPath(p)));
    return q;
  };
  // one exports array per wire array: sessions (of any node) that send the very same wire paths
  // get the very same exports object, which propagation may group by
  const lists = new Map<readonly CiliumWirePath[], readonly BgpPath[]>();
  const exportsOf = (wires: readonly CiliumWirePath[]): readonly BgpPath[] => {
    let l = lists.get(wires);
    if (l === undefined) lists.set(wires, (l = wires.map(toPath)));
    return l;
  };
  return result.nodes.flatMap((n) => n.instances.map((inst) => speakerWith(inst, exportsOf)));
}

/**
 * The Cilium side of the BGP network: every instance on every node as a {@link BgpSpeaker}.
 *
 * @example
 * ```ts
 * const speakers = ciliumSpeakers(cluster, { lbIps, sourceAddress });
 * speakers.map((s) => s.host); // ['k8s-ctr', 'k8s-w0', 'k8s-w1']
 * ```
 */
export function ciliumSpeakers(cluster: Cluster, options: CiliumBgpOptions = {}): BgpSpeaker[] {
  return speakersOf(computeCiliumBgp(cluster, options));
}
