/**
 * The L2 announcement views in the real tools' formats: `kubectl get leases`, a lease as
 * `-o yaml`, `kubectl get ciliuml2announcementpolicies`, the agent's `l2-announce` statedb
 * table (`cilium-dbg shell -- db/show l2-announce`), the `cilium_l2_responder_v4` map as
 * `bpftool map dump` prints it, iputils `arping`, and `ip neigh`. Pure renderers: data → text.
 *
 * @module
 */
import type { L2Entry, L2Lease } from '../l2/announce.js';
import type { L2Settings } from '../l2/settings.js';
import { formatIp } from '../net/addr.js';
import { KUBECTL_TABWRITER, tabwrite } from './tabwriter.js';

const AGE = '<unknown>';

/**
 * `kubectl get leases` (NAME, HOLDER, AGE; NAMESPACE first with `-A`). AGE is `<unknown>`: the
 * model has no clock.
 *
 * @example
 * ```ts
 * renderLeases(idx.leases, false);
 * // NAME                                HOLDER   AGE
 * // cilium-l2announce-default-blue-web   k8s-w1   <unknown>
 * ```
 */
export function renderLeases(leases: readonly L2Lease[], allNamespaces: boolean): string {
  const head = allNamespaces ? 'NAMESPACE\tNAME\tHOLDER\tAGE' : 'NAME\tHOLDER\tAGE';
  const rows = leases.map((l) => (allNamespaces ? `${l.namespace}\t` : '') + `${l.name}\t${l.holder}\t${AGE}`);
  return tabwrite([head, ...rows], KUBECTL_TABWRITER);
}

/**
 * A lease as `kubectl get lease NAME -o yaml` prints its identity and spec (times, uid and
 * resourceVersion are left out: the model has no clock and no API server).
 *
 * @example
 * ```ts
 * leaseYaml(lease, l2Settings(cluster)); // 'apiVersion: coordination.k8s.io/v1\nkind: Lease\n…'
 * ```
 */
export function leaseYaml(lease: L2Lease, settings: L2Settings): string {
  return [
    'apiVersion: coordination.k8s.io/v1',
    'kind: Lease',
    'metadata:',
    `  name: ${lease.name}`,
    `  namespace: ${lease.namespace}`,
    'spec:',
    `  holderIdentity: ${lease.holder}`,
    `  leaseDurationSeconds: ${settings.leaseDurationSeconds}`,
    '  leaseTransitions: 0',
    '',
  ].join('\n');
}

/**
 * A lease as a Kubernetes object (for `-o json`).
 *
 * @example
 * ```ts
 * leaseObject(lease, settings).spec.holderIdentity; // 'k8s-w1'
 * ```
 */
export function leaseObject(
  lease: L2Lease,
  settings: L2Settings,
): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: { holderIdentity: string; leaseDurationSeconds: number; leaseTransitions: number } } {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: lease.name, namespace: lease.namespace },
    spec: { holderIdentity: lease.holder, leaseDurationSeconds: settings.leaseDurationSeconds, leaseTransitions: 0 },
  };
}

/**
 * `kubectl get ciliuml2announcementpolicies` (cluster-scoped: NAME, AGE).
 *
 * @example
 * ```ts
 * renderL2Policies(['blue-workers']);
 * // NAME           AGE
 * // blue-workers   <unknown>
 * ```
 */
export function renderL2Policies(names: readonly string[]): string {
  return tabwrite(['NAME\tAGE', ...names.map((n) => `${n}\t${AGE}`)], KUBECTL_TABWRITER);
}

/**
 * The agent's `l2-announce` table as `cilium-dbg shell -- db/show l2-announce` prints it.
 *
 * @example
 * ```ts
 * renderL2AnnounceTable(entries);
 * // # IP            NetworkInterface
 * // 192.168.10.210   eth1
 * ```
 */
export function renderL2AnnounceTable(entries: readonly L2Entry[]): string {
  return tabwrite(['# IP\tNetworkInterface', ...entries.map((e) => `${formatIp(e.ip)}\t${e.dev}`)], { minwidth: 0, padding: 3 });
}

/**
 * The key's `ip4` as bpftool prints it: the address's network-order bytes read as a
 * little-endian u32 (10.0.10.0 → 655370).
 *
 * @example
 * ```ts
 * bpfIp4('10.0.10.0'); // 655370
 * ```
 */
export function bpfIp4(ip: string): number {
  const b = ip.split('.').map(Number);
  return ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
}

/**
 * `bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_l2_responder_v4` (bpftool's JSON with
 * BTF: key `{ip4, ifindex}`, value `{responses_sent}`).
 *
 * @example
 * ```ts
 * renderL2ResponderDump([{ ip: '10.0.10.0', ifindex: 50, responses: 20 }]);
 * // [{\n        "key": {\n            "ip4": 655370,\n…
 * ```
 */
export function renderL2ResponderDump(rows: readonly { readonly ip: string; readonly ifindex: number; readonly responses: number }[]): string {
  if (rows.length === 0) return '[]\n';
  const body = rows.map(
    (r) =>
      `{\n        "key": {\n            "ip4": ${bpfIp4(r.ip)},\n            "ifindex": ${r.ifindex}\n        },\n` +
      `        "value": {\n            "responses_sent": ${r.responses}\n        }\n    }`,
  );
  return `[${body.join(',')}\n]\n`;
}

/**
 * What iputils `arping -c N` prints: the header, one `Unicast reply` line per answered probe
 * (MAC in upper case, a fixed time: the model has no clock), and the counts.
 *
 * @example
 * ```ts
 * renderArping({ target: '192.168.10.210', source: '192.168.10.50', dev: 'eth1', count: 1, mac: '5a:0c:11:22:33:44' });
 * // ARPING 192.168.10.210 from 192.168.10.50 eth1
 * // Unicast reply from 192.168.10.210 [5A:0C:11:22:33:44]  0.550ms
 * // Sent 1 probes (1 broadcast(s))
 * // Received 1 response(s)
 * ```
 */
export function renderArping(a: {
  readonly target: string;
  readonly source: string;
  readonly dev: string;
  readonly count: number;
  readonly mac?: string;
}): string {
  const lines = [`ARPING ${a.target} from ${a.source} ${a.dev}`];
  if (a.mac !== undefined) for (let i = 0; i < a.count; i++) lines.push(`Unicast reply from ${a.target} [${a.mac.toUpperCase()}]  ${ARPING_TIME}`);
  lines.push(`Sent ${a.count} probes (${a.count} broadcast(s))`);
  lines.push(`Received ${a.mac !== undefined ? a.count : 0} response(s)`);
  return `${lines.join('\n')}\n`;
}

/** The round-trip time arping prints (a decision: the model has no clock). */
export const ARPING_TIME = '0.550ms';

/**
 * A neighbour entry as `ip neigh` prints it.
 *
 * @example
 * ```ts
 * const n: NeighbourEntry = { address: '192.168.10.210', dev: 'eth1', mac: '5a:0c:11:22:33:44', state: 'REACHABLE' };
 * ```
 */
export interface NeighbourEntry {
  /** The neighbour's address. */
  readonly address: string;
  /** Device. */
  readonly dev: string;
  /** Its MAC (absent while unresolved). */
  readonly mac?: string;
  /** NUD state. */
  readonly state: 'REACHABLE' | 'STALE' | 'FAILED' | 'INCOMPLETE';
}

/**
 * `ip neigh` (iproute2): `ADDR dev DEV lladdr MAC STATE`, or `ADDR dev DEV STATE` unresolved.
 *
 * @example
 * ```ts
 * renderNeighbours([{ address: '192.168.10.209', dev: 'eth1', state: 'FAILED' }]); // '192.168.10.209 dev eth1 FAILED\n'
 * ```
 */
export function renderNeighbours(entries: readonly NeighbourEntry[]): string {
  return entries.map((e) => `${e.address} dev ${e.dev}${e.mac !== undefined ? ` lladdr ${e.mac}` : ''} ${e.state}\n`).join('');
}
