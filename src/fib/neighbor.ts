/**
 * L2 segments and neighbour resolution: which host answers ARP/ND for an address on the segment a
 * next hop is on.
 *
 * A segment is a connected network: every host device holding an address in the same subnet is on
 * it (input format: "hosts whose interfaces share a subnet share an L2 segment"); loopback and
 * Cilium's own devices are not on any segment. The owner of an address on a segment is the host
 * (other than the asking one) whose device on that segment holds it; failing that, with Linux's
 * default `arp_ignore=0`, a host on the segment that holds the address on any other device
 * answers too. A host whose `net.ipv4.conf.all.arp_ignore` is 1 or more answers only for
 * addresses of the device facing the segment. Several owners (duplicate addresses) resolve to the
 * first by host name. An address no device on the segment holds may be answered by an L2
 * responder (a node announcing it, L2 announcements): pass them to {@link ownerOf}.
 *
 * @module
 */
import type { IpAddress, IpPrefix } from '../input/types.js';
import { familyOf, formatPrefix, prefixContains, sameIp } from '../net/addr.js';
import type { RoutingTable } from './types.js';
import { compareEntryKeys } from '../net/compare.js';
import { compareStrings } from '../net/compare.js';

/**
 * A device attached to a segment.
 *
 * @example
 * const m: SegmentMember = { host: 'router', dev: 'eth1', address: IPv4.fromString('192.168.10.200') };
 */
export interface SegmentMember {
  /** Host name. */
  readonly host: string;
  /** Device name. */
  readonly dev: string;
  /** The device's address in the segment's subnet. */
  readonly address: IpAddress;
}

/**
 * An L2 segment (one connected subnet) and the devices on it.
 *
 * @example
 * segments(tables).find((s) => formatPrefix(s.network) === '192.168.10.0/24')?.members.length; // 3
 */
export interface Segment {
  /** The subnet. */
  readonly network: IpPrefix;
  /** Devices on it, sorted by host then device. */
  readonly members: readonly SegmentMember[];
}

/**
 * Every segment of the hosts' tables, sorted by subnet text.
 *
 * @example
 * segments(tables).map((s) => formatPrefix(s.network));
 */
export function segments(tables: ReadonlyMap<string, RoutingTable>): readonly Segment[] {
  let cached = segmentCache.get(tables);
  if (!cached) {
    cached = computeSegments(tables);
    segmentCache.set(tables, cached);
  }
  return cached;
}

const segmentCache = new WeakMap<ReadonlyMap<string, RoutingTable>, readonly Segment[]>();

function computeSegments(tables: ReadonlyMap<string, RoutingTable>): readonly Segment[] {
  const byNet = new Map<string, { network: IpPrefix; members: SegmentMember[] }>();
  for (const table of tables.values()) {
    for (const link of table.links) {
      if (link.kind !== 'ethernet') continue;
      for (const a of link.addresses) {
        const full = familyOf(a.address) === 4 ? 32 : 128;
        if (a.prefixLength >= full) continue;
        const key = formatPrefix(a.network);
        const seg = byNet.get(key) ?? { network: a.network, members: [] };
        seg.members.push({ host: table.host, dev: link.name, address: a.address });
        byNet.set(key, seg);
      }
    }
  }
  return [...byNet.entries()]
    .sort(compareEntryKeys)
    .map(([, s]) => ({
      network: s.network,
      members: [...s.members].sort((x, y) =>
        compareStrings(x.host, y.host) || compareStrings(x.dev, y.dev),
      ),
    }));
}

/**
 * The segments a host's device is on (one per subnet of its addresses).
 *
 * @example
 * segmentsOf(tables, 'k8s-ctr', 'eth1').map((s) => formatPrefix(s.network)); // ['192.168.10.0/24']
 */
export function segmentsOf(tables: ReadonlyMap<string, RoutingTable>, host: string, dev: string): readonly Segment[] {
  return segments(tables).filter((s) => s.members.some((m) => m.host === host && m.dev === dev));
}

/**
 * Which host (and device) answers for `address` on the segment(s) that `host`'s device `dev` is on
 * (see module doc): a device holding it, else one of `responders` (L2 responder entries: host,
 * device, announced address) on the segment, else (arp_ignore 0) a host holding it elsewhere;
 * `undefined` when nobody answers (the packet is lost, e.g. a gateway that is not modelled).
 *
 * @example
 * ownerOf(tables, 'k8s-ctr', 'eth1', IPv4.fromString('192.168.10.200')); // { host: 'router', dev: 'eth1', ... }
 */
export function ownerOf(
  tables: ReadonlyMap<string, RoutingTable>,
  host: string,
  dev: string,
  address: IpAddress,
  responders: readonly SegmentMember[] = [],
): SegmentMember | undefined {
  const segs = segmentsOf(tables, host, dev);
  // devices facing the segment that hold the address
  for (const s of segs) {
    const direct = s.members.find((m) => m.host !== host && sameIp(m.address, address));
    if (direct) return direct;
  }
  // L2 responders: a device on the segment that answers for an announced address
  for (const r of responders) {
    if (r.host === host || !sameIp(r.address, address)) continue;
    if (segs.some((s) => s.members.some((m) => m.host === r.host && m.dev === r.dev))) return r;
  }
  // arp_ignore=0: a host on the segment answers for any of its addresses
  for (const s of segs) {
    const seen = new Set<string>();
    for (const m of s.members) {
      if (m.host === host || seen.has(m.host)) continue;
      seen.add(m.host);
      const table = tables.get(m.host);
      if (!table) continue;
      const ignore = parseInt(table.sysctl['net.ipv4.conf.all.arp_ignore'] ?? '0', 10);
      if (ignore >= 1) continue;
      for (const l of table.links) {
        if (l.kind === 'loopback') continue;
        if (l.addresses.some((a) => sameIp(a.address, address))) return { host: m.host, dev: m.dev, address };
      }
    }
  }
  return undefined;
}

/**
 * True when `address` lies in the subnet of one of the segments of `host`'s device `dev`
 * (on-link for that device).
 *
 * @example
 * onSegment(tables, 'router', 'eth2', IPv4.fromString('192.168.20.100')); // true
 */
export function onSegment(
  tables: ReadonlyMap<string, RoutingTable>,
  host: string,
  dev: string,
  address: IpAddress,
): boolean {
  const table = tables.get(host);
  const link = table?.links.find((l) => l.name === dev);
  return (link?.addresses ?? []).some((a) => prefixContains(a.network, address));
}
