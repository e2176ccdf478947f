/**
 * LB IPAM: which LoadBalancer address every Service gets from the `CiliumLoadBalancerIPPool`s,
 * following the Cilium operator's `lbipam` controller (operator/pkg/lbipam, pkg/ipalloc).
 *
 * The controller is event driven; this model is a pure function of the final objects, so it fixes
 * one processing order (see `docs/decisions.md`, "LB IPAM"):
 *
 * 1. Pools by name (the order a fresh operator lists them from the API server), blocks in spec
 *    order. Overlapping pools: the newer one (`creationTimestamp`; on a tie, the greater name)
 *    is marked conflicting and allocates nothing.
 * 2. Services of type LoadBalancer by namespace, then name. First every service's existing
 *    `status.loadBalancer.ingress` is imported where a matching, enabled range holds it (those
 *    addresses were handed out before anything else happens now), then every service that is not
 *    yet satisfied is satisfied in turn: requested addresses first, else one address per family.
 *
 * Applying the lab in order (pool, then the service) leads to the same state: the pool exists
 * before the service asks, and there is only one service.
 *
 * @module
 */
import type { Cluster } from '../cluster/types.js';
import type { IpAddress, LbIpPool, Service, StringMap } from '../input/types.js';
import { compareIp, formatIp, familyOf, ipFromValue, isIPv4, lastValue, networkValue, parseIp } from '../net/addr.js';
import { matchesSelector } from '../cluster/selector.js';
import type {
  LbIpamAllocation,
  LbIpamCondition,
  LbIpamPoolStatus,
  LbIpamResult,
  LbIpamServiceStatus,
} from './types.js';
import { REQUEST_SATISFIED } from './types.js';
import { compareStrings } from '../net/compare.js';

// ---------------------------------------------------------------------------------------------
// pkg/ipalloc HashAllocator: free blocks in a min-heap by size (container/heap semantics), so
// AllocAny takes the lowest address of the smallest free block.
// ---------------------------------------------------------------------------------------------

interface Block {
  from: bigint;
  to: bigint;
  size: bigint;
}

class HashAllocator {
  readonly blocks: Block[];
  readonly allocations = new Map<bigint, ServiceView[]>();

  constructor(
    readonly start: bigint,
    readonly stop: bigint,
  ) {
    this.blocks = [{ from: start, to: stop, size: stop - start }];
  }

  private less(i: number, j: number): boolean {
    return this.blocks[i]!.size < this.blocks[j]!.size;
  }

  private swap(i: number, j: number): void {
    const t = this.blocks[i]!;
    this.blocks[i] = this.blocks[j]!;
    this.blocks[j] = t;
  }

  private up(j0: number): void {
    let j = j0;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !this.less(j, i)) break;
      this.swap(i, j);
      j = i;
    }
  }

  private down(i0: number, n: number): boolean {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(j2, j1)) j = j2;
      if (!this.less(j, i)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }

  private push(b: Block): void {
    this.blocks.push(b);
    this.up(this.blocks.length - 1);
  }

  private remove(i: number): Block {
    const n = this.blocks.length - 1;
    if (n !== i) {
      this.swap(i, n);
      if (!this.down(i, n)) this.up(i);
    }
    return this.blocks.pop()!;
  }

  private fix(i: number): void {
    if (!this.down(i, this.blocks.length)) this.up(i);
  }

  private take(ip: bigint): boolean {
    const index = this.blocks.findIndex((b) => ip >= b.from && ip <= b.to);
    if (index < 0) return false;
    const b = this.blocks[index]!;
    if (b.from === ip) {
      if (b.from === b.to) {
        this.remove(index);
        return true;
      }
      b.from += 1n;
      b.size = b.to - b.from;
      this.fix(index);
      return true;
    }
    if (b.to === ip) {
      b.to -= 1n;
      b.size = b.to - b.from;
      this.fix(index);
      return true;
    }
    this.remove(index);
    this.push({ from: b.from, to: ip - 1n, size: ip - 1n - b.from });
    this.push({ from: ip + 1n, to: b.to, size: b.to - ip - 1n });
    return true;
  }

  /** The lowest address of the smallest free block, or undefined when full. */
  allocAny(val: ServiceView[]): bigint | undefined {
    const first = this.blocks[0];
    if (first === undefined) return undefined;
    const ip = first.from;
    this.take(ip);
    this.allocations.set(ip, val);
    return ip;
  }

  alloc(ip: bigint, val: ServiceView[]): 'ok' | 'in-use' | 'out-of-range' | 'full' {
    if (ip < this.start || ip > this.stop) return 'out-of-range';
    if (this.allocations.has(ip)) return 'in-use';
    if (this.blocks.length === 0) return 'full';
    if (!this.take(ip)) return 'in-use';
    this.allocations.set(ip, val);
    return 'ok';
  }

  stats(): { used: bigint; available: bigint } {
    const used = BigInt(this.allocations.size);
    return { used, available: this.stop - this.start + 1n - used };
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges, pools, service views
// ---------------------------------------------------------------------------------------------

interface LbRange {
  readonly bits: number;
  readonly alloc: HashAllocator;
  readonly pool: PoolState;
  readonly fromCidr: boolean;
  readonly reserved: boolean;
}

interface PoolState {
  readonly spec: LbIpPool;
  readonly name: string;
  readonly ranges: LbRange[];
  conflicting: boolean;
  conflictMessage: string;
}

function rangeDisabled(r: LbRange): boolean {
  return r.pool.conflicting || r.pool.spec.disabled;
}

interface ViewIP {
  readonly ip: bigint;
  readonly bits: number;
  readonly range: LbRange;
}

interface ServiceView {
  readonly svc: Service;
  readonly namespace: string;
  readonly name: string;
  readonly labels: StringMap;
  readonly requestedIPs: readonly IpAddress[];
  readonly families: { readonly ipv4: boolean; readonly ipv6: boolean };
  readonly sharingKey: string;
  readonly sharingCrossNamespace: readonly string[];
  readonly ports: readonly number[];
  readonly selector: StringMap;
  ingress: IpAddress[];
  readonly allocated: ViewIP[];
  condition?: LbIpamCondition;
}

const ANN_IPS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'];
const ANN_SHARING_KEY = ['lbipam.cilium.io/sharing-key', 'io.cilium/lb-ipam-sharing-key'];
const ANN_SHARING_NS = [
  'lbipam.cilium.io/sharing-cross-namespace',
  'io.cilium/lb-ipam-sharing-cross-namespace',
];

function annotation(svc: Service, keys: readonly string[]): string {
  for (const k of keys) {
    const v = svc.meta.annotations[k];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

function requestedIPs(svc: Service): IpAddress[] {
  const out: IpAddress[] = [];
  if (svc.loadBalancerIP !== undefined) out.push(svc.loadBalancerIP);
  const ann = annotation(svc, ANN_IPS);
  if (ann !== '') {
    for (const part of ann.split(',')) {
      const ip = parseIp(part.trim()); // Go's netip.ParseAddr(strings.TrimSpace(…))
      if (ip !== undefined) out.push(ip);
    }
  }
  // slices.CompactFunc: drop consecutive duplicates.
  return out.filter((ip, i) => i === 0 || compareIp(ip, out[i - 1]!) !== 0);
}

function requestedFamilies(
  svc: Service,
  v4Enabled: boolean,
  v6Enabled: boolean,
): { ipv4: boolean; ipv6: boolean } {
  // ipv6 (issue 18): operator/pkg/lbipam serviceViewFromService, per ipFamilyPolicy
  const policy = svc.ipFamilyPolicy;
  if (policy === 'RequireDualStack') return { ipv4: v4Enabled, ipv6: v6Enabled };
  if (policy === 'PreferDualStack') {
    if (svc.ipFamilies.length === 0) return { ipv4: v4Enabled, ipv6: v6Enabled };
    return { ipv4: svc.ipFamilies.includes('IPv4') && v4Enabled, ipv6: svc.ipFamilies.includes('IPv6') && v6Enabled };
  }
  // SingleStack and no policy: the first family, else IPv4 when enabled, else IPv6
  const first = svc.ipFamilies[0];
  if (first !== undefined) return { ipv4: first === 'IPv4', ipv6: first === 'IPv6' };
  if (v4Enabled) return { ipv4: true, ipv6: false };
  if (v6Enabled) return { ipv4: false, ipv6: true };
  return { ipv4: false, ipv6: false };
}

/** isCompatible of operator/pkg/lbipam/service_store.go: (compatible, reason). */
function isCompatible(sv: ServiceView, osv: ServiceView): [boolean, string] {
  if (sv.sharingKey !== osv.sharingKey) return [false, 'different sharing key'];
  if (sv.namespace !== osv.namespace) {
    const allows = (a: ServiceView, ns: string): boolean =>
      a.sharingCrossNamespace.includes(ns) || a.sharingCrossNamespace.includes('*');
    if (!allows(sv, osv.namespace) || !allows(osv, sv.namespace)) {
      return [false, 'different and not permitted namespace'];
    }
  }
  for (const p1 of sv.ports) {
    for (const p2 of osv.ports) if (p1 === p2) return [false, 'same port'];
  }
  if (sv.svc.externalTrafficPolicy !== osv.svc.externalTrafficPolicy) {
    return [false, 'different ExternalTrafficPolicy'];
  }
  if (sv.svc.externalTrafficPolicy === 'Local') {
    const a = Object.entries(sv.selector);
    const b = osv.selector;
    const reason = 'compatible ExternalTrafficPolicy local but selecting different set of pods';
    if (a.length === 0 || Object.keys(b).length === 0) return [false, reason];
    if (a.length !== Object.keys(b).length || a.some(([k, v]) => b[k] !== v)) return [false, reason];
  }
  return [true, ''];
}

function isSatisfied(sv: ServiceView): boolean {
  if (sv.requestedIPs.length > 0) {
    return sv.requestedIPs.every((r) => sv.ingress.some((i) => compareIp(i, r) === 0));
  }
  const hasV4 = sv.ingress.some((i) => isIPv4(i));
  const hasV6 = sv.ingress.some((i) => !isIPv4(i));
  return !((sv.families.ipv4 && !hasV4) || (sv.families.ipv6 && !hasV6));
}

function toAddr(bits: number, v: bigint): IpAddress {
  return ipFromValue(bits === 32 ? 4 : 6, v);
}

function timestampOf(pool: LbIpPool): number {
  const t = pool.meta.creationTimestamp;
  if (t === undefined) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** The status of a service the controller leaves alone: not responsible, its ingress kept. */
function untouchedStatus(svc: Service, config: Cluster['config']): LbIpamServiceStatus {
  return {
    namespace: ns(svc),
    name: svc.meta.name,
    responsible: false,
    requestedIPs: requestedIPs(svc),
    requestedFamilies: requestedFamilies(svc, config.enableIPv4, config.enableIPv6),
    ...(sharingKeyOf(svc) !== '' ? { sharingKey: sharingKeyOf(svc) } : {}),
    ips: svc.loadBalancerIngress,
    allocations: [],
  };
}

/**
 * Runs LB IPAM over the cluster: pool conflicts, reserved first/last addresses, imports of
 * existing ingress addresses, requested addresses, sharing keys and generic allocation, in the
 * documented deterministic order. Pure: the same cluster gives the same result in any document order.
 *
 * Phases, each a named function of this module: `lbServicesInOrder`, `buildPools` and
 * `settleConflicts`, `serviceViews`, `importIngresses`, `satisfyServices`, then `poolStatuses`
 * and `serviceStatuses`.
 *
 * @example
 * ```ts
 * import { allocateLbIps, lbIpsOf } from 'cilium-twin/ipam';
 * declare const cluster: import('cilium-twin/cluster').Cluster;
 * const ipam = allocateLbIps(cluster);
 * lbIpsOf(ipam, 'default', 'webpod').map(String); // ['172.16.1.1'] in the lab
 * ```
 */
export function allocateLbIps(cluster: Cluster): LbIpamResult {
  const config = cluster.config;
  const lbServices = lbServicesInOrder(cluster);
  const poolSpecs = [...cluster.scenario.lbIpPools].sort((a, b) => compareStrings(a.meta.name, b.meta.name));
  if (poolSpecs.length === 0) {
    // Dormant: the controller waits for its first pool and touches no service.
    return { active: false, pools: [], services: lbServices.map((svc) => untouchedStatus(svc, config)) };
  }
  const { pools, ranges } = buildPools(poolSpecs);
  settleConflicts(pools);
  const state: Allocation = { ranges, views: serviceViews(lbServices, config), sharing: new Map() };
  importIngresses(state);
  satisfyServices(state);
  return { active: true, pools: poolStatuses(pools), services: serviceStatuses(lbServices, state.views, config) };
}

/** The allocation in progress: the ranges in pool order, the views, the sharing-key index. */
interface Allocation {
  /** Every range of every pool, pools by name, blocks in spec order. */
  readonly ranges: readonly LbRange[];
  /** The services the controller is responsible for, in processing order. */
  readonly views: ReadonlyMap<Service, ServiceView>;
  /** Addresses held under each sharing key (the key annotation's value). */
  readonly sharing: Map<string, ViewIP[]>;
}

/** Phase: the Services of type LoadBalancer, by namespace then name (the controller's order). */
function lbServicesInOrder(cluster: Cluster): Service[] {
  return [...cluster.scenario.services]
    .filter((s) => s.type === 'LoadBalancer')
    .sort((a, b) => compareStrings(ns(a), ns(b)) || compareStrings(a.meta.name, b.meta.name));
}

/**
 * Phase: each pool's ranges from its blocks (CIDRs or start/stop), an allocator per range, the
 * first and last address of a CIDR reserved when `allowFirstLastIPs: No` and the block has room.
 * Blocks Cilium rejects (mixed families, start after stop) are left out.
 */
function buildPools(poolSpecs: readonly LbIpPool[]): { pools: PoolState[]; ranges: LbRange[] } {
  const pools: PoolState[] = [];
  const ranges: LbRange[] = [];
  for (const spec of poolSpecs) {
    const pool: PoolState = { spec, name: spec.meta.name, ranges: [], conflicting: false, conflictMessage: '' };
    pools.push(pool);
    for (const block of spec.blocks) {
      const fromCidr = 'cidr' in block;
      const from = 'cidr' in block ? ipFromValue(familyOf(block.cidr), networkValue(block.cidr)) : block.start;
      const to = 'cidr' in block ? ipFromValue(familyOf(block.cidr), lastValue(block.cidr)) : block.stop;
      if (from.bitSize !== to.bitSize || from.value > to.value) continue; // Cilium rejects the block
      const alloc = new HashAllocator(from.value, to.value);
      let reserved = false;
      if (fromCidr && spec.allowFirstLastIPs === 'No' && to.value - from.value >= 2n) {
        alloc.alloc(from.value, []);
        alloc.alloc(to.value, []);
        reserved = true;
      }
      const r: LbRange = { bits: from.bitSize, alloc, pool, fromCidr, reserved };
      pool.ranges.push(r);
      ranges.push(r);
    }
  }
  return { pools, ranges };
}

/**
 * Phase: a view of every service the controller is responsible for (no `loadBalancerClass` and
 * `default-lb-service-ipam: lbipam`, or a class of an enabled announcer), in processing order.
 */
function serviceViews(lbServices: readonly Service[], config: Cluster['config']): Map<Service, ServiceView> {
  const lbClasses: string[] = [];
  if (config.enableBgpControlPlane) lbClasses.push('io.cilium/bgp-control-plane');
  if (config.enableL2Announcements) lbClasses.push('io.cilium/l2-announcer');
  const responsible = (svc: Service): boolean =>
    svc.loadBalancerClass === undefined
      ? config.defaultLbServiceIpam === 'lbipam'
      : lbClasses.includes(svc.loadBalancerClass);
  const views = new Map<Service, ServiceView>();
  for (const svc of lbServices) {
    if (!responsible(svc)) continue;
    const crossNs = annotation(svc, ANN_SHARING_NS);
    views.set(svc, {
      svc,
      namespace: ns(svc),
      name: svc.meta.name,
      labels: {
        ...svc.meta.labels,
        'io.kubernetes.service.name': svc.meta.name,
        'io.kubernetes.service.namespace': ns(svc),
      },
      requestedIPs: requestedIPs(svc),
      families: requestedFamilies(svc, config.enableIPv4, config.enableIPv6),
      sharingKey: sharingKeyOf(svc),
      sharingCrossNamespace: crossNs === '' ? [] : crossNs.split(','),
      ports: svc.ports.map((p) => p.port),
      selector: svc.selector ?? {},
      ingress: [...svc.loadBalancerIngress],
      allocated: [],
    });
  }
  return views;
}

/** Records an address under the service's sharing key (once per address and range). */
function addSharing(state: Allocation, sv: ServiceView, vip: ViewIP): void {
  if (sv.sharingKey === '') return;
  const list = state.sharing.get(sv.sharingKey) ?? [];
  if (!list.some((x) => x.ip === vip.ip && x.range === vip.range)) list.push(vip);
  state.sharing.set(sv.sharingKey, list);
}

/** Whether a pool's `serviceSelector` selects the service (no selector selects all). */
function poolSelects(pool: PoolState, sv: ServiceView): boolean {
  return pool.spec.serviceSelector === undefined || matchesSelector(pool.spec.serviceSelector, sv.labels);
}

/**
 * The first enabled range holding `ip` whose pool selects the service; `foundPool` tells whether
 * a range held it but no such pool selected the service.
 */
function findRangeOfIP(state: Allocation, sv: ServiceView, ip: IpAddress): { range?: LbRange; foundPool: boolean } {
  let foundPool = false;
  for (const r of state.ranges) {
    if (rangeDisabled(r)) continue;
    if (r.bits !== ip.bitSize || ip.value < r.alloc.start || ip.value > r.alloc.stop) continue;
    foundPool = true;
    if (!poolSelects(r.pool, sv)) continue;
    return { range: r, foundPool: false };
  }
  return { foundPool };
}

function setCondition(sv: ServiceView, ok: boolean, reason: string, message: string): void {
  sv.condition = { type: REQUEST_SATISFIED, status: ok ? 'True' : 'False', reason, message };
}

/**
 * Phase 1 (`stripOrImportIngresses`): every service's existing ingress addresses that a matching,
 * enabled range holds are allocated to it; the others are dropped from its ingress.
 */
function importIngresses(state: Allocation): void {
  for (const sv of state.views.values()) {
    const kept: IpAddress[] = [];
    for (const ip of sv.ingress) {
      if (sv.allocated.some((a) => a.bits === ip.bitSize && a.ip === ip.value)) {
        kept.push(ip);
        continue;
      }
      if (sv.requestedIPs.length > 0 && !sv.requestedIPs.some((r) => compareIp(r, ip) === 0)) continue;
      if (isIPv4(ip) ? !sv.families.ipv4 : !sv.families.ipv6) continue;
      const { range } = findRangeOfIP(state, sv, ip);
      if (range === undefined) continue;
      if (range.alloc.alloc(ip.value, [sv]) !== 'ok') continue;
      const vip: ViewIP = { ip: ip.value, bits: ip.bitSize, range };
      sv.allocated.push(vip);
      addSharing(state, sv, vip);
      kept.push(ip);
    }
    // Deduplicate consecutive equal addresses, as slices.CompactFunc does.
    sv.ingress = kept.filter((ip, i) => i === 0 || compareIp(ip, kept[i - 1]!) !== 0);
  }
}

/**
 * Phase 2 (`satisfyService`): every service not yet satisfied gets its requested addresses
 * (`satisfySpecific`) or one address per requested family (`satisfyGeneric`); its
 * ingress grows by what it got and its condition says how it went.
 */
function satisfyServices(state: Allocation): void {
  for (const sv of state.views.values()) {
    if (!isSatisfied(sv)) {
      if (sv.requestedIPs.length > 0) satisfySpecific(state, sv);
      else satisfyGeneric(state, sv);
      for (const a of sv.allocated) {
        if (!sv.ingress.some((i) => i.bitSize === a.bits && i.value === a.ip)) {
          sv.ingress.push(toAddr(a.bits, a.ip));
          addSharing(state, sv, a);
        }
      }
    }
    if (isSatisfied(sv)) setCondition(sv, true, 'satisfied', '');
  }
}

/** Requested addresses: each from the range holding it, shared when the sharing rules allow. */
function satisfySpecific(state: Allocation, sv: ServiceView): void {
  for (const req of sv.requestedIPs) {
    if (sv.allocated.some((a) => a.bits === req.bitSize && a.ip === req.value)) continue;
    const { range, foundPool } = findRangeOfIP(state, sv, req);
    if (range === undefined) {
      if (foundPool) {
        setCondition(
          sv,
          false,
          'pool_selector_mismatch',
          `The pool with the CIDR containing '${formatIp(req)}', doesn't select this service`,
        );
      } else {
        setCondition(sv, false, 'no_pool', `No pool exists with a CIDR containing '${formatIp(req)}'`);
      }
      continue;
    }
    const existing = range.alloc.allocations.get(req.value);
    if (existing !== undefined) {
      if (sv.sharingKey === '') {
        setCondition(sv, false, 'already_allocated', `The IP '${formatIp(req)}' is already allocated to another service`);
        continue;
      }
      let incompatible = '';
      for (const other of existing) {
        const [c, r] = isCompatible(other, sv);
        if (!c) {
          incompatible = r;
          break;
        }
      }
      if (incompatible !== '') {
        setCondition(
          sv,
          false,
          'already_allocated_incompatible_service',
          `The IP '${formatIp(req)}' is already allocated to an incompatible service. Reason: ${incompatible}`,
        );
        continue;
      }
      existing.push(sv);
    } else if (range.alloc.alloc(req.value, [sv]) !== 'ok') {
      continue;
    }
    sv.allocated.push({ ip: req.value, bits: req.bitSize, range });
  }
}

/** No requested address: one address of each requested family the service lacks. */
function satisfyGeneric(state: Allocation, sv: ServiceView): void {
  const hasV4 = sv.allocated.some((a) => a.bits === 32);
  const hasV6 = sv.allocated.some((a) => a.bits === 128);
  if (sv.families.ipv4 && !hasV4) satisfyFamily(state, sv, 32);
  if (sv.families.ipv6 && !hasV6) satisfyFamily(state, sv, 128);
}

/** One address of a family: a compatible shared one first, else the first selecting range's. */
function satisfyFamily(state: Allocation, sv: ServiceView, bits: number): void {
  if (sv.sharingKey !== '') {
    for (const shared of state.sharing.get(sv.sharingKey) ?? []) {
      if (shared.bits !== bits) continue;
      const others = shared.range.alloc.allocations.get(shared.ip);
      if (others === undefined || others.length === 0) continue;
      if (others.every((o) => isCompatible(o, sv)[0])) {
        sv.allocated.push(shared);
        others.push(sv);
        return;
      }
    }
  }
  let full = false;
  for (const r of state.ranges) {
    if (rangeDisabled(r) || r.bits !== bits) continue;
    if (!poolSelects(r.pool, sv)) continue;
    const ip = r.alloc.allocAny([sv]);
    if (ip === undefined) {
      full = true;
      continue;
    }
    sv.allocated.push({ ip, bits, range: r });
    return;
  }
  if (full) {
    setCondition(
      sv,
      false,
      'out_of_ips',
      'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs',
    );
  } else {
    setCondition(sv, false, 'no_pool', 'There are no enabled CiliumLoadBalancerIPPools that match this service');
  }
}

/** Result phase: each pool's counters, ranges and conditions. */
function poolStatuses(pools: readonly PoolState[]): LbIpamPoolStatus[] {
  return pools.map((pool) => {
    let used = 0n;
    let available = 0n;
    for (const r of pool.ranges) {
      const s = r.alloc.stats();
      used += s.used;
      available += s.available;
    }
    const total = used + available;
    const conflict: LbIpamCondition = pool.conflicting
      ? { type: 'cilium.io/PoolConflict', status: 'True', reason: 'cidr_overlap', message: pool.conflictMessage }
      : { type: 'cilium.io/PoolConflict', status: 'False', reason: 'resolved', message: '' };
    return {
      name: pool.name,
      disabled: pool.spec.disabled,
      conflicting: pool.conflicting,
      conflictReason: conflict.reason,
      conflictMessage: conflict.message,
      total,
      used,
      available,
      ranges: pool.ranges.map((r) => ({
        from: toAddr(r.bits, r.alloc.start),
        to: toAddr(r.bits, r.alloc.stop),
        fromCidr: r.fromCidr,
        reservedFirstLast: r.reserved,
        disabled: rangeDisabled(r),
      })),
      conditions: [
        conflict,
        { type: 'cilium.io/IPsTotal', status: 'Unknown', reason: 'noreason', message: total.toString() },
        { type: 'cilium.io/IPsAvailable', status: 'Unknown', reason: 'noreason', message: available.toString() },
        { type: 'cilium.io/IPsUsed', status: 'Unknown', reason: 'noreason', message: used.toString() },
      ],
    };
  });
}

/** Result phase: every LoadBalancer service's status (untouched when not responsible). */
function serviceStatuses(
  lbServices: readonly Service[],
  views: ReadonlyMap<Service, ServiceView>,
  config: Cluster['config'],
): LbIpamServiceStatus[] {
  return lbServices.map((svc) => {
    const sv = views.get(svc);
    if (sv === undefined) return untouchedStatus(svc, config);
    const allocations: LbIpamAllocation[] = sv.allocated.map((a) => ({
      ip: toAddr(a.bits, a.ip),
      pool: a.range.pool.name,
      shared: (a.range.alloc.allocations.get(a.ip)?.length ?? 0) > 1,
    }));
    return {
      namespace: sv.namespace,
      name: sv.name,
      responsible: true,
      requestedIPs: sv.requestedIPs,
      requestedFamilies: sv.families,
      ...(sv.sharingKey !== '' ? { sharingKey: sv.sharingKey } : {}),
      ips: sv.ingress,
      allocations,
      ...(sv.condition !== undefined ? { condition: sv.condition } : {}),
    };
  });
}

/** Phase (`settleConflicts`): overlapping ranges mark a pool conflicting (the newer one across pools). */
function settleConflicts(pools: readonly PoolState[]): void {
  const rangeStr = (r: LbRange): string =>
    `${formatIp(toAddr(r.bits, r.alloc.start))} - ${formatIp(toAddr(r.bits, r.alloc.stop))}`;
  const intersect = (a: LbRange, b: LbRange): boolean =>
    a.bits === b.bits && a.alloc.start <= b.alloc.stop && b.alloc.start <= a.alloc.stop;
  const mark = (target: PoolState, collision: PoolState, tr: LbRange, cr: LbRange): void => {
    if (target.conflicting) return;
    target.conflicting = true;
    target.conflictMessage = `Pool conflicts since range '${rangeStr(tr)}' overlaps range '${rangeStr(cr)}' from IP Pool '${collision.name}'`;
  };
  for (const outer of pools) {
    if (outer.conflicting) continue;
    let internal: [LbRange, LbRange] | undefined;
    outer.ranges.forEach((a, i) =>
      outer.ranges.forEach((b, j) => {
        if (internal === undefined && i !== j && intersect(a, b)) internal = [a, b];
      }),
    );
    if (internal !== undefined) {
      mark(outer, outer, internal[0], internal[1]);
      continue;
    }
    for (const inner of pools) {
      if (inner === outer || inner.conflicting) continue;
      let hit: [LbRange, LbRange] | undefined;
      for (const a of outer.ranges) {
        for (const b of inner.ranges) {
          if (hit === undefined && intersect(a, b)) hit = [a, b];
        }
      }
      if (hit === undefined) continue;
      const to = timestampOf(outer.spec);
      const ti = timestampOf(inner.spec);
      const innerNewer = to < ti || (to === ti && outer.name < inner.name);
      if (innerNewer) mark(inner, outer, hit[1], hit[0]);
      else mark(outer, inner, hit[0], hit[1]);
      break;
    }
  }
}

function ns(svc: Service): string {
  return svc.meta.namespace ?? 'default';
}

function sharingKeyOf(svc: Service): string {
  return annotation(svc, ANN_SHARING_KEY);
}


/**
 * The LoadBalancer addresses of a service after LB IPAM (`status.loadBalancer.ingress[].ip`):
 * what the datapath turns into LoadBalancer frontends and BGP advertises. Empty for services that
 * are not of type LoadBalancer or got nothing.
 *
 * @example
 * ```ts
 * import { allocateLbIps, lbIpsOf } from 'cilium-twin/ipam';
 * declare const cluster: import('cilium-twin').Cluster;
 * lbIpsOf(allocateLbIps(cluster), 'default', 'webpod').map((ip) => ip.toString()); // ['172.16.1.1']
 * ```
 */
export function lbIpsOf(result: LbIpamResult, namespace: string, name: string): readonly IpAddress[] {
  const svc = result.services.find((s) => s.namespace === namespace && s.name === name);
  return svc?.ips ?? [];
}

/**
 * {@link lbIpsOf} for many questions: the services indexed once (O(services)), then each lookup
 * in O(1), with the same answer (the first status of a name). The BGP stage asks for every
 * LoadBalancer service, where a scan per question would be O(services²).
 *
 * @example
 * ```ts
 * import { allocateLbIps, lbIpsLookup } from 'cilium-twin/ipam';
 * declare const cluster: import('cilium-twin').Cluster;
 * lbIpsLookup(allocateLbIps(cluster))('default', 'webpod').map((ip) => ip.toString()); // ['172.16.1.1']
 * ```
 */
export function lbIpsLookup(result: LbIpamResult): (namespace: string, name: string) => readonly IpAddress[] {
  const byName = new Map<string, Map<string, readonly IpAddress[]>>();
  for (const s of result.services) {
    let byNs = byName.get(s.namespace);
    if (byNs === undefined) byName.set(s.namespace, (byNs = new Map()));
    if (!byNs.has(s.name)) byNs.set(s.name, s.ips);
  }
  return (namespace, name) => byName.get(namespace)?.get(name) ?? [];
}
