/**
 * `kubectl get ciliumbgpnodeconfigs` (table, `-o yaml`, `-o json`): the operator's
 * CiliumBGPNodeConfig objects, with a status written from the session states when known.
 *
 * @module
 */
import { stringify } from 'yaml';
import { formatIp } from '../../net/addr.js';
import type { CiliumBgpResult, NodeConfig } from '../../bgp/cilium/types.js';
import { MODEL_SESSION_STATE, type SessionStateLookup } from './cilium-bgp.js';

/** AGE printed for objects whose creation time the model does not know. */
export const UNKNOWN_AGE = '<unknown>';

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/**
 * One CiliumBGPNodeConfig as the API server returns it (keys sorted like kubectl prints them).
 * The status lists each peer of the node's agent instances with the session state from the
 * lookup (the model's `active` without one), route counts and applied timers once established.
 *
 * @example
 * ```ts
 * nodeConfigObject(result, result.nodeConfigs[0]!).kind; // 'CiliumBGPNodeConfig'
 * ```
 */
export function nodeConfigObject(result: CiliumBgpResult, nc: NodeConfig, lookup?: SessionStateLookup): Record<string, unknown> {
  const agent = result.nodes.find((n) => n.node === nc.name);
  const status = {
    bgpInstances: (agent?.instances ?? []).map((inst) => ({
      localASN: inst.localASN,
      name: inst.name,
      peers: inst.peers.map((s) => {
        const st = lookup?.(s.node, s.peerAddress) ?? MODEL_SESSION_STATE;
        const est = st.state === 'established';
        return {
          name: s.peer,
          peerASN: s.peerASN,
          peerAddress: formatIp(s.peerAddress),
          peeringState: st.state,
          ...(est
            ? {
                routeCount: s.families.map((f, j) => {
                  const fam = `${f.afi}/${f.safi}`;
                  const pick = (v: PeerCount): number => (v === undefined ? 0 : typeof v === 'number' ? (j === 0 ? v : 0) : (v[fam] ?? 0));
                  return { advertised: pick(st.advertised), afi: f.afi, received: pick(st.received), safi: f.safi };
                }),
                timers: { appliedHoldTimeSeconds: s.timers.holdTimeSeconds, appliedKeepaliveSeconds: s.timers.keepAliveTimeSeconds },
              }
            : {}),
        };
      }),
    })),
  };
  return sortKeys({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumBGPNodeConfig',
    metadata: {
      name: nc.name,
      ownerReferences: [{ apiVersion: 'cilium.io/v2', controller: true, kind: 'CiliumBGPClusterConfig', name: nc.owner }],
    },
    spec: {
      bgpInstances: nc.bgpInstances.map((i) => ({
        localASN: i.localASN,
        localPort: i.localPort,
        name: i.name,
        routerID: i.routerID === undefined ? undefined : formatIp(i.routerID),
        peers: i.peers.map((p) => ({
          autoDiscovery:
            p.autoDiscovery === undefined
              ? undefined
              : p.autoDiscovery.mode === 'DefaultGateway'
                ? { defaultGateway: { addressFamily: p.autoDiscovery.addressFamily }, mode: 'DefaultGateway' }
                : { mode: 'Unnumbered', unnumbered: { interface: p.autoDiscovery.interface } },
          localAddress: p.localAddress === undefined ? undefined : formatIp(p.localAddress),
          name: p.name,
          peerASN: p.peerASN,
          peerAddress: p.peerAddress === undefined ? undefined : formatIp(p.peerAddress),
          peerConfigRef: p.peerConfigRef === undefined ? undefined : { name: p.peerConfigRef },
        })),
      })),
    },
    status,
  }) as Record<string, unknown>;
}

type PeerCount = number | Readonly<Record<string, number>> | undefined;

/**
 * The list kubectl prints for `-o yaml` / `-o json` (`kind: List`).
 *
 * @example
 * ```ts
 * (nodeConfigList(result).items as unknown[]).length; // 3 in the bgp-lab
 * ```
 */
export function nodeConfigList(result: CiliumBgpResult, lookup?: SessionStateLookup, names: readonly string[] = []): Record<string, unknown> {
  const items = result.nodeConfigs.filter((n) => names.length === 0 || names.includes(n.name)).map((n) => nodeConfigObject(result, n, lookup));
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * `kubectl get ciliumbgpnodeconfigs`: `NAME` and `AGE` (the CRD's only printer column), or
 * kubectl's `No resources found` message (returned as `undefined`, the command prints it to stderr).
 *
 * @example
 * ```ts
 * renderNodeConfigTable(result);
 * // NAME      AGE
 * // k8s-ctr   <unknown>
 * ```
 */
export function renderNodeConfigTable(result: CiliumBgpResult, names: readonly string[] = []): string | undefined {
  const rows = result.nodeConfigs.filter((n) => names.length === 0 || names.includes(n.name));
  if (rows.length === 0) return undefined;
  const w = Math.max(4, ...rows.map((r) => r.name.length)) + 3;
  return ['NAME'.padEnd(w) + 'AGE', ...rows.map((r) => r.name.padEnd(w) + UNKNOWN_AGE)].join('\n') + '\n';
}

/**
 * `kubectl get ciliumbgpnodeconfigs -o yaml`: a single object when exactly one name was asked
 * for, else the list.
 *
 * @example
 * ```ts
 * renderNodeConfigYaml(result).startsWith('apiVersion: v1\nitems:\n- apiVersion: cilium.io/v2'); // true
 * ```
 */
export function renderNodeConfigYaml(result: CiliumBgpResult, lookup?: SessionStateLookup, names: readonly string[] = []): string {
  const value = names.length === 1 ? nodeConfigList(result, lookup, names).items : nodeConfigList(result, lookup, names);
  const v = names.length === 1 ? (value as unknown[])[0] ?? {} : value;
  return stringify(v, { indentSeq: false, lineWidth: 0 });
}
