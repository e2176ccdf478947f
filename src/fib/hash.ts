/**
 * The model's kernel ECMP hash (reference README, decision 5).
 *
 * Linux hashes the fields that `net.ipv4.fib_multipath_hash_policy` selects with a per-boot random
 * seed, so the real member of a flow cannot be predicted. The model keeps Linux's properties
 * (same fields ⇒ same member; policy 0 ignores ports) with a fixed, documented hash:
 *
 * 1. the selected fields are serialised as bytes: address family (4 or 6), source address,
 *    destination address (big-endian, 4 or 16 bytes each), then for L4 policies the IP protocol
 *    (1 byte), source port and destination port (2 bytes each, big-endian);
 * 2. the bytes are hashed with 32-bit FNV-1a (offset basis 0x811c9dc5, prime 0x01000193);
 * 3. the result is shifted right by one bit, giving a 31-bit hash as the kernel's
 *    `fib_multipath_hash` does;
 * 4. the member is chosen by hash-threshold (`nexthop_select_path_hthr`): with weights w_i and
 *    running sums W_i over the group's members in order, member i owns hashes up to
 *    round(W_i · 2^31 / ΣW) − 1; the first member whose bound is ≥ the hash is used.
 *
 * Policies: 0 (L3: addresses), 1 (L4: 5-tuple), 2 (L3 or inner L3: as 0 for plain packets),
 * 3 (custom: `net.ipv4.fib_multipath_hash_fields`, default 0x0007 = source, destination,
 * protocol; 0x10 source port, 0x20 destination port).
 *
 * @module
 */
import type { IpAddress } from '../input/types.js';

/**
 * The fields a multipath hash may read. Addresses absent = unspecified (0), ports absent = 0.
 *
 * @example
 * const f: HashFields = { family: 4, src: 0xc0a80ac8n, dst: 0xac100101n, protocol: 6, sport: 40000, dport: 80 };
 */
export interface HashFields {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Source address value (0n when unspecified). */
  readonly src: bigint;
  /** Destination address value. */
  readonly dst: bigint;
  /** IP protocol number. */
  readonly protocol: number;
  /** Source port. */
  readonly sport: number;
  /** Destination port. */
  readonly dport: number;
}

/**
 * The fields of an IPv4 flow as unsigned 32-bit numbers, for {@link multipathHash4} (the packet
 * walk's flow tuple has this shape).
 *
 * @example
 * const f: HashFields4 = { src: 0xc0a80ac8, dst: 0xac100101, sport: 40000, dport: 80, proto: 6 };
 */
export interface HashFields4 {
  /** Source address (0 when unspecified). */
  readonly src: number;
  /** Destination address. */
  readonly dst: number;
  /** Source port. */
  readonly sport: number;
  /** Destination port. */
  readonly dport: number;
  /** IP protocol number. */
  readonly proto: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ (byte & 0xff), FNV_PRIME) >>> 0;
}

function fnvWord32(h: number, v: number): number {
  h = fnvByte(h, v >>> 24);
  h = fnvByte(h, v >>> 16);
  h = fnvByte(h, v >>> 8);
  return fnvByte(h, v);
}

function fnvWord128(h: number, value: bigint): number {
  let acc = h;
  for (let i = 15; i >= 0; i--) acc = fnvByte(acc, Number((value >> BigInt(i * 8)) & 0xffn));
  return acc;
}

/** Bits of `fib_multipath_hash_fields` (policy 3). */
const FIELD_SRC = 0x1;
const FIELD_DST = 0x2;
const FIELD_PROTO = 0x4;
const FIELD_SPORT = 0x10;
const FIELD_DPORT = 0x20;

/** The fields a policy hashes (policy 2 hashes as 0 for plain packets). */
function policyMask(policy: number, customFields: number): number {
  if (policy === 1) return FIELD_SRC | FIELD_DST | FIELD_PROTO | FIELD_SPORT | FIELD_DPORT;
  if (policy === 3) return customFields;
  return FIELD_SRC | FIELD_DST;
}

/** The L4 part of the serialisation (L4 policies only), then the 31-bit shift. */
function finish(h: number, policy: number, mask: number, protocol: number, sport: number, dport: number): number {
  if (policy === 1 || policy === 3) {
    h = fnvByte(h, mask & FIELD_PROTO ? protocol : 0);
    const sp = mask & FIELD_SPORT ? sport : 0;
    const dp = mask & FIELD_DPORT ? dport : 0;
    h = fnvByte(fnvByte(h, sp >>> 8), sp);
    h = fnvByte(fnvByte(h, dp >>> 8), dp);
  }
  return h >>> 1;
}

/**
 * The model's 31-bit multipath hash of a flow under a hash policy (see module doc).
 *
 * @example
 * const h = multipathHash(0, { family: 4, src: 0n, dst: 0xac100101n, protocol: 0, sport: 0, dport: 0 });
 * h >= 0 && h < 2 ** 31; // true
 */
export function multipathHash(policy: number, fields: HashFields, customFields = 0x0007): number {
  if (fields.family === 4) {
    const flow = { src: Number(fields.src), dst: Number(fields.dst), sport: fields.sport, dport: fields.dport, proto: fields.protocol };
    return multipathHash4(policy, flow, customFields);
  }
  const mask = policyMask(policy, customFields);
  let h = fnvByte(FNV_OFFSET, 6);
  h = fnvWord128(h, mask & FIELD_SRC ? fields.src : 0n);
  h = fnvWord128(h, mask & FIELD_DST ? fields.dst : 0n);
  return finish(h, policy, mask, fields.protocol, fields.sport, fields.dport);
}

/**
 * {@link multipathHash} of an IPv4 flow on numbers, without bigints: the packet walk's hot path.
 *
 * @example
 * multipathHash4(0, { src: 0, dst: 0xac100101, sport: 0, dport: 0, proto: 6 }, 7);
 */
export function multipathHash4(policy: number, flow: HashFields4, customFields = 0x0007): number {
  const mask = policyMask(policy, customFields);
  let h = fnvByte(FNV_OFFSET, 4);
  h = fnvWord32(h, mask & FIELD_SRC ? flow.src : 0);
  h = fnvWord32(h, mask & FIELD_DST ? flow.dst : 0);
  return finish(h, policy, mask, flow.proto, flow.sport, flow.dport);
}

/**
 * Hash-threshold member selection (`nh_hthr_group_rebalance` + `nexthop_select_path_hthr`):
 * the index of the member that owns a 31-bit hash, given the members' weights in group order.
 *
 * @example
 * hashThresholdSelect([1, 1], 0); // 0
 * hashThresholdSelect([1, 1], 2 ** 31 - 1); // 1
 */
export function hashThresholdSelect(weights: readonly number[], hash: number): number {
  return hashThresholdSelectBy(weights, identity, hash);
}

const identity = (w: number): number => w;

/**
 * {@link hashThresholdSelect} over members that carry their weight (read with `weightOf`), without
 * building a weight array.
 *
 * @example
 * hashThresholdSelectBy([{ weight: 1 }, { weight: 3 }], (m) => m.weight, 2 ** 30); // 1
 */
export function hashThresholdSelectBy<T>(members: readonly T[], weightOf: (m: T) => number, hash: number): number {
  const n = members.length;
  if (n <= 1) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += weightOf(members[i]!);
  if (total <= 0) return 0;
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += weightOf(members[i]!);
    // DIV_ROUND_CLOSEST_ULL((u64)w << 31, total) - 1
    const bound = Math.floor((running * 2 ** 31 + total / 2) / total) - 1;
    if (hash <= bound) return i;
  }
  return n - 1;
}

/**
 * Builds {@link HashFields} from addresses and L4 fields.
 *
 * @example
 * hashFieldsOf(IPv4.fromString('10.0.0.1'), IPv4.fromString('10.0.0.2'), { protocol: 6, sport: 1, dport: 80 });
 */
export function hashFieldsOf(
  src: IpAddress | undefined,
  dst: IpAddress,
  l4: { readonly protocol?: number; readonly sport?: number; readonly dport?: number } = {},
): HashFields {
  return {
    family: dst.bitSize === 32 ? 4 : 6,
    src: src?.value ?? 0n,
    dst: dst.value,
    protocol: l4.protocol ?? 0,
    sport: l4.sport ?? 0,
    dport: l4.dport ?? 0,
  };
}
