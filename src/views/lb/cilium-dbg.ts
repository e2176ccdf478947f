/**
 * `cilium-dbg` LB views, in the real tool's formats (cilium-dbg/cmd/bpf_lb_list.go,
 * service_list.go, bpf_lb_maglev_get.go of Cilium 1.18): pure functions from a node's
 * {@link NodeLbMaps} to text, and to the JSON `-o json` prints.
 *
 * Row order: `bpf lb list` dumps a BPF hash map, so the real order is arbitrary; rows here come
 * in frontend key order (family, address, port, protocol, scope), master row first, then slots.
 *
 * @module
 */
import type { LbFrontend, NodeLbMaps } from '../../datapath/lb/types.js';
import { formatIp, formatPrefix, isIPv4, joinHostPort } from '../../net/addr.js';
import { maglevCounts, maglevGoSlice, maglevRunString } from '../../datapath/maglev/index.js';
import { CILIUM_TABWRITER, tabwrite, tabwriteRows } from '../tabwriter.js';
import { compareStrings } from '../../net/compare.js';

/**
 * Which map `cilium-dbg bpf lb list` dumps.
 *
 * @example
 * renderBpfLbList(maps, 'revnat');
 */
export type BpfLbListMode = 'services' | 'revnat' | 'frontends' | 'backends' | 'source-ranges';

/**
 * The `map[string][]string` a `cilium-dbg` dump builds: key, then its values in order.
 *
 * @example
 * const rows: DumpRows = [['1', ['0.0.0.0:31726']]];
 */
export type DumpRows = readonly (readonly [string, readonly string[]])[];

/** A row key `address:port/protocol[/i] (slot)` up to the slot number (formatted once per frontend, not per slot). */
function frontendKeyHead(f: LbFrontend): string {
  const scope = f.scope === 'internal' ? '/i' : '';
  return `${joinHostPort(f.address, f.port)}/${f.protocol}${scope} (`;
}

/**
 * The rows of `cilium-dbg bpf lb list` in the given mode (key, values), in display order.
 *
 * @example
 * bpfLbListRows(maps, 'services')[0]; // ['0.0.0.0:31726/TCP (0)', ['0.0.0.0:0 (1) (0) [NodePort, non-routable] ']]
 */
export function bpfLbListRows(maps: NodeLbMaps, mode: BpfLbListMode): DumpRows {
  const rows: [string, string[]][] = [];
  switch (mode) {
    case 'services': {
      // each backend's `address:port/protocol` formatted once (a backend fills many slots)
      const backendText = new Map<number, string>();
      for (const b of maps.backends) backendText.set(b.id, `${joinHostPort(b.address, b.port)}/${b.protocol}`);
      for (const f of maps.frontends) {
        const zero = isIPv4(f.address) ? '0.0.0.0' : '[::]';
        const head = frontendKeyHead(f);
        rows.push([`${head}0)`, [`${zero}:0 (${f.id}) (0) [${f.flagNames.join(', ')}] `]]);
        f.backendIds.forEach((id, i) => {
          const b = backendText.get(id);
          const v = b === undefined ? `backend ${id} not found` : `${b} (${f.id}) (${i + 1})`;
          rows.push([`${head}${i + 1})`, [v]]);
        });
      }
      break;
    }
    case 'frontends':
      for (const f of maps.frontends) {
        const union = ((f.lbAlgorithmBits << 24) >>> 0) + (f.sessionAffinity ? f.affinityTimeoutSeconds : 0);
        const head = frontendKeyHead(f);
        rows.push([
          `${head}0)`,
          [`${union} ${f.count}[${f.qcount}] (${f.id}) [0x${(f.flags & 0xff).toString(16)} 0x${(f.flags >> 8).toString(16)}]`],
        ]);
        f.backendIds.forEach((id, i) => {
          rows.push([
            `${head}${i + 1})`,
            [`${id} 0[0] (${f.id}) [0x${(f.slotFlags & 0xff).toString(16)} 0x${(f.slotFlags >> 8).toString(16)}]`],
          ]);
        });
      }
      break;
    case 'revnat':
      for (const r of maps.revNat) rows.push([String(r.id), [joinHostPort(r.address, r.port)]]);
      break;
    case 'backends':
      for (const b of maps.backends) rows.push([String(b.id), [`${b.protocol}://${formatIp(b.address)}`]]);
      break;
    case 'source-ranges':
      for (const s of maps.sourceRanges) {
        rows.push([`${formatPrefix(s.prefix)} (${s.id})`, ['']]);
      }
      break;
  }
  return rows;
}

const TITLES: Record<BpfLbListMode, [string, string]> = {
  services: ['SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)'],
  revnat: ['ID', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)'],
  frontends: ['SERVICE ADDRESS', 'BACKEND ID'],
  backends: ['ID', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)'],
  'source-ranges': ['SOURCE RANGE (REVNAT_ID)', ''],
};

/** cilium-dbg's `TablePrinter(firstTitle, secondTitle, data)`. */
function tablePrinter(first: string, second: string, rows: DumpRows): string {
  const cells: (readonly [string, string])[] = [[first, second]];
  for (const [key, values] of rows) {
    values.forEach((v, i) => cells.push([i === 0 ? key : '', v]));
  }
  return tabwriteRows(cells, CILIUM_TABWRITER);
}

/**
 * `cilium-dbg bpf lb list [--revnat|--frontends|--backends|--source-ranges]` as text.
 *
 * @example
 * renderBpfLbList(maps, 'services');
 * // SERVICE ADDRESS              BACKEND ADDRESS (REVNAT_ID) (SLOT)
 * // 10.96.252.129:80/TCP (0)     0.0.0.0:0 (4) (0) [ClusterIP, non-routable]
 */
export function renderBpfLbList(maps: NodeLbMaps, mode: BpfLbListMode = 'services'): string {
  const [a, b] = TITLES[mode];
  return tablePrinter(a, b, bpfLbListRows(maps, mode));
}

/**
 * What `cilium-dbg bpf lb list -o json` prints: the dump as a JSON object whose keys Go sorts.
 *
 * @example
 * JSON.parse(bpfLbListJson(maps, 'revnat'))['1']; // ['0.0.0.0:31726']
 */
export function bpfLbListJson(maps: NodeLbMaps, mode: BpfLbListMode = 'services'): string {
  return goJson(bpfLbListRows(maps, mode));
}

function goJson(rows: DumpRows): string {
  const merged = new Map<string, string[]>();
  for (const [k, v] of rows) merged.set(k, [...(merged.get(k) ?? []), ...v]);
  const obj: Record<string, string[]> = {};
  for (const k of [...merged.keys()].sort(compareStrings)) obj[k] = merged.get(k)!;
  return `${JSON.stringify(obj, null, 2)}\n`;
}


/**
 * One row of `cilium-dbg service list`.
 *
 * @example
 * serviceListRows(maps)[0]?.backends[0]?.state; // 'active'
 */
export interface ServiceListRow {
  /** Service (frontend) ID. */
  readonly id: number;
  /** `ip:port/PROTO[/i]`. */
  readonly frontend: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalIPs`, `HostPort`. */
  readonly type: string;
  /** `ip:port/PROTO` and state of each backend, in slot order (and, for a backend from another cluster of a mesh, that cluster's ID). */
  readonly backends: readonly { readonly address: string; readonly state: string; readonly clusterId?: number }[];
  /** The service (`namespace/name`) the frontend belongs to. */
  readonly service?: string;
}

/**
 * The rows of `cilium-dbg service list`: the frontends of the frontends table (NodePort
 * surrogates yes, node-address copies and wildcard rows no), sorted by ID.
 *
 * @example
 * serviceListRows(maps).map((r) => r.frontend); // ['0.0.0.0:31726/TCP', '10.96.252.129:80/TCP', ...]
 */
export function serviceListRows(maps: NodeLbMaps): ServiceListRow[] {
  const byId = new Map(maps.backends.map((b) => [b.id, b]));
  return maps.frontends
    .filter((f) => !f.nodeAddressCopy && !f.wildcard)
    .sort((a, b) => a.id - b.id)
    .map((f) => ({
      id: f.id,
      frontend: `${joinHostPort(f.address, f.port)}/${f.protocol}${f.scope === 'internal' ? '/i' : ''}`,
      type: f.type,
      backends: f.backendIds.flatMap((id) => {
        const b = byId.get(id);
        return b === undefined ? [] : [{ address: `${joinHostPort(b.address, b.port)}/${b.protocol}`, state: b.state, ...(b.clusterId !== undefined ? { clusterId: b.clusterId } : {}) }];
      }),
      service: `${f.service.namespace}/${f.service.name}`,
    }));
}

/**
 * `cilium-dbg service list` as text (the 1.18 layout with the ID column, as the lab printed it).
 * With `preferred` (`--clustermesh-affinity`), the backends it says are marked `(preferred)`.
 *
 * @example
 * renderServiceList(maps);
 * // ID   Frontend               Service Type   Backend
 * // 5    172.16.1.1:80/TCP      LoadBalancer   1 => 172.20.0.28:80/TCP (active)
 */
export function renderServiceList(
  rows: readonly ServiceListRow[],
  preferred?: (row: ServiceListRow, backend: ServiceListRow['backends'][number]) => boolean,
): string {
  const lines = ['ID\tFrontend\tService Type\tBackend\t'];
  for (const r of rows) {
    if (r.backends.length === 0) {
      lines.push(`${r.id}\t${r.frontend}\t${r.type}\t\t`);
      continue;
    }
    r.backends.forEach((b, i) => {
      const be = `${i + 1} => ${b.address} (${b.state})${preferred?.(r, b) === true ? ' (preferred)' : ''}`;
      lines.push(i === 0 ? `${r.id}\t${r.frontend}\t${r.type}\t${be}\t` : `\t\t\t${be}\t`);
    });
  }
  return tabwrite(lines, CILIUM_TABWRITER);
}

/**
 * `cilium-dbg service list -o json`: the REST model's essentials per frontend.
 *
 * @example
 * JSON.parse(serviceListJson(rows))[0].spec['frontend-address'].port; // 31726
 */
export function serviceListJson(maps: NodeLbMaps, rows: readonly ServiceListRow[]): string {
  const byId = new Map(maps.frontends.map((f) => [f.id, f]));
  const items = rows.map((r) => {
    const f = byId.get(r.id)!;
    const fe = {
      ip: formatIp(f.address),
      port: f.port,
      protocol: f.protocol,
      ...(f.scope === 'internal' ? { scope: 'internal' } : { scope: 'external' }),
    };
    const be = r.backends.map((b) => {
      const m = /^\[?([^\]]*?)\]?:(\d+)\/(\w+)$/.exec(b.address);
      return { ip: m?.[1] ?? b.address, port: Number(m?.[2] ?? 0), protocol: m?.[3] ?? '', state: b.state };
    });
    return {
      spec: {
        id: r.id,
        'frontend-address': fe,
        'backend-addresses': be,
        flags: {
          type: r.type,
          trafficPolicy: f.externalTrafficPolicy,
          extTrafficPolicy: f.externalTrafficPolicy,
          intTrafficPolicy: f.internalTrafficPolicy,
          namespace: f.service.namespace,
          name: f.service.name,
        },
      },
      status: { realized: { id: r.id, 'frontend-address': fe, 'backend-addresses': be } },
    };
  });
  return `${JSON.stringify(items, null, 2)}\n`;
}

/**
 * Result of `cilium-dbg bpf lb maglev get`: text, or the error the tool exits with.
 *
 * @example
 * const r: MaglevGetResult = renderMaglevGet(maps, 5, { json: false, rle: false });
 */
export interface MaglevGetResult {
  /** Standard output. */
  readonly stdout: string;
  /** Standard error (`Error: No entry found for service N`). */
  readonly stderr: string;
  /** Exit code (1 when the service has no table). */
  readonly exitCode: number;
}

/**
 * `cilium-dbg bpf lb maglev get <id>`: the table of a service ID as the tool prints it
 * (`SVC ID` / `LOOKUP TABLE`, key `[id]/v4`, value Go's `%v` of the ID slice). With `rle`, the
 * value is the table in run-length form (`id(run),…`) followed by each backend's count
 * (a twin option: the real table is M numbers long).
 *
 * @example
 * renderMaglevGet(maps, 5, { json: false, rle: true }).stdout;
 * // SVC ID   LOOKUP TABLE
 * // [5]/v4   counts: 1(8191), 2(8190)
 * //          runs: 2(1),1(2),...
 */
export function renderMaglevGet(
  maps: NodeLbMaps,
  id: number,
  opts: { readonly json: boolean; readonly rle: boolean },
): MaglevGetResult {
  const f = maps.frontends.find((x) => !x.wildcard && x.id === id && x.maglev !== undefined);
  if (f === undefined || f.maglev === undefined) {
    return { stdout: '', stderr: `Error: No entry found for service ${id}\n`, exitCode: 1 };
  }
  const key = `[${id}]/${isIPv4(f.address) ? 'v4' : 'v6'}`;
  const values = opts.rle
    ? [
        `counts: ${maglevCounts(f.maglev)
          .map((c) => `${c.id}(${c.count})`)
          .join(', ')}`,
        `runs: ${maglevRunString(f.maglev)}`,
      ]
    : [maglevGoSlice(f.maglev)];
  if (opts.json) return { stdout: goJson([[key, values]]), stderr: '', exitCode: 0 };
  if (opts.rle) {
    // The value cells are left unterminated so that the long run line pads nothing.
    const lines = ['SVC ID\tLOOKUP TABLE', ...values.map((v, i) => `${i === 0 ? key : ''}\t${v}`)];
    return { stdout: tabwrite(lines, CILIUM_TABWRITER), stderr: '', exitCode: 0 };
  }
  return { stdout: tablePrinter('SVC ID', 'LOOKUP TABLE', [[key, values]]), stderr: '', exitCode: 0 };
}
