/**
 * What the walk tells Hubble, and the walk's network-policy hook.
 *
 * Each datapath event of a walk (a trace point such as `to-endpoint`, a socket-LB translation, a
 * policy verdict, a drop) is recorded as a {@link FlowEvent}: the packet as the node saw it,
 * both identities as that node's ipcache gives them, and the event. `hubble observe` renders
 * them (`src/views/hubble.ts`).
 *
 * Policy enforcement (reference §B): the source endpoint's egress policy in `bpf_lxc` on its
 * node, the destination endpoint's ingress policy before delivery (`to-endpoint`), after service
 * translation, with the identities the node's ipcache gives for the packet's addresses (a
 * NodePort-SNATed packet has the node's address: `remote-node`; a host-network client is `host`
 * on its own node and `remote-node` elsewhere). Replies of a forwarded connection are not
 * looked up again (conntrack). No policy engine on the network, or no rule with
 * `policy-enforcement=default`: nothing is checked and no event is recorded (verdicts as before).
 *
 * @module
 */
import type { NetNode, NetPod, Network } from '../network/types.js';
import type { WireAddr } from '../net/wire.js';
import type { Direction, PolicyVerdict } from '../policy/resolve.js';
import type { FlowEvent } from '../policy/flow-event.js';

export type { FlowEvent } from '../policy/flow-event.js';
import { RESERVED_IDENTITY } from '../datapath/endpoints/identity.js';

/**
 * The identity of an address as `node`'s ipcache gives it: a pod's, host (1) for the node's own
 * addresses, remote-node (6) for other nodes', a CIDR identity of a policy's prefix, else world.
 *
 * @example
 * ```ts
 * addressIdentity(net, node, node.internalIP); // 1
 * ```
 */
export function addressIdentity(net: Network, node: NetNode, addr: WireAddr): number {
  const pod = net.podsByIp.get(addr);
  if (pod) return pod.identity;
  if (node.host.local.has(addr) || addr === node.ciliumHostIP || addr === node.ciliumHostIP6) return RESERVED_IDENTITY.host;
  if (net.nodesByIp.has(addr)) return RESERVED_IDENTITY['remote-node'];
  if (ingressAddressOwner(net, addr) !== undefined) return RESERVED_IDENTITY.ingress;
  if (net.policy !== undefined) return net.policy.identityOf(addr, node.name);
  return typeof addr === 'bigint' ? RESERVED_IDENTITY['world-ipv6'] : RESERVED_IDENTITY.world;
}

/**
 * The node whose Cilium Ingress address `addr` is (ipcache: identity 8, `reserved:ingress`), if any.
 *
 * @example
 * ```ts
 * ingressAddressOwner(net, 0xac140002)?.name; // 'k8s-ctr'
 * ```
 */
export function ingressAddressOwner(net: Network, addr: WireAddr): NetNode | undefined {
  if (typeof addr !== 'number') return undefined; // Cilium Ingress addresses are IPv4 in the model
  const owner = net.ingress?.ownerOf(addr);
  return owner === undefined ? undefined : net.nodes.get(owner);
}

/**
 * The policy decision for a packet at an endpoint (`egress` when it leaves `pod`, `ingress` when
 * it is delivered to it), or undefined when policy is not in play.
 *
 * @example
 * ```ts
 * const v = policyCheck(net, node, pod, { src, dst, dport: 80, proto: 6 }, 'ingress');
 * v?.allowed;
 * ```
 */
export function policyCheck(
  net: Network,
  node: NetNode,
  pod: NetPod,
  p: { readonly src: WireAddr; readonly dst: WireAddr; readonly dport: number; readonly proto: number },
  dir: Direction,
): PolicyVerdict | undefined {
  // cluster mesh: a remote cluster's pod is guarded by its own cluster's policies
  const engine = net.podPolicies?.get(pod.key) ?? net.policy;
  if (engine === undefined || !engine.active || pod.hostNetwork) return undefined;
  const remote = addressIdentity(net, node, dir === 'ingress' ? p.src : p.dst);
  return engine.decide(pod.key, dir, remote, p.proto, p.dport);
}
