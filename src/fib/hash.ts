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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ (byte & 0xff), FNV_PRIME) >>> 0;
}

function fnvValue(h: number, value: bigint, bytes: number): number {
  let acc = h;
  if (bytes <= 4) {
    const n = Number(value);
    for (let i = bytes - 1; i >= 0; i--) acc = fnvByte(acc, Math.floor(n / 2 ** (i * 8)) & 0xff);
    return acc;
  }
  for (let i = bytes - 1; i >= 0; i--) acc = fnvByte(acc, Number((value >> BigInt(i * 8)) & 0xffn));
  return acc;
}

/** Bits of `fib_multipath_hash_fields` (policy 3). */
const FIELD_SRC = 0x1;
const FIELD_DST = 0x2;
const FIELD_PROTO = 0x4;
const FIELD_SPORT = 0x10;
const FIELD_DPORT = 0x20;

/**
 * The model's 31-bit multipath hash of a flow under a hash policy (see module doc).
 *
 * @example
 * const h = multipathHash(0, { family: 4, src: 0n, dst: 0xac100101n, protocol: 0, sport: 0, dport: 0 });
 * h >= 0 && h < 2 ** 31; // true
 */
export function multipathHash(policy: number, fields: HashFields, customFields = 0x0007): number {
  let mask: number;
  switch (policy) {
    case 1:
      mask = FIELD_SRC | FIELD_DST | FIELD_PROTO | FIELD_SPORT | FIELD_DPORT;
      break;
    case 3:
      mask = customFields;
      break;
    default:
      mask = FIELD_SRC | FIELD_DST;
  }
  const addrBytes = fields.family === 4 ? 4 : 16;
  let h = fnvByte(FNV_OFFSET, fields.family);
  h = fnvValue(h, mask & FIELD_SRC ? fields.src : 0n, addrBytes);
  h = fnvValue(h, mask & FIELD_DST ? fields.dst : 0n, addrBytes);
  if (policy === 1 || policy === 3) {
    h = fnvByte(h, mask & FIELD_PROTO ? fields.protocol : 0);
    h = fnvValue(h, BigInt(mask & FIELD_SPORT ? fields.sport : 0), 2);
    h = fnvValue(h, BigInt(mask & FIELD_DPORT ? fields.dport : 0), 2);
  }
  return h >>> 1;
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
  const total = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || total <= 0) return 0;
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += weights[i] ?? 0;
    // DIV_ROUND_CLOSEST_ULL((u64)w << 31, total) - 1
    const bound = Math.floor((running * 2 ** 31 + total / 2) / total) - 1;
    if (hash <= bound) return i;
  }
  return weights.length - 1;
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
