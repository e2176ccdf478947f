/**
 * The per-packet Maglev slot choice of Cilium's datapath (`bpf/lib/lb.h`
 * `lb4_select_backend_id_maglev` / `lb6_select_backend_id_maglev`, `bpf/lib/hash.h`
 * `__hash_from_tuple_v4` / `__hash_from_tuple_v6`):
 *
 * `index = hash % LB_MAGLEV_LUT_SIZE`, backend ID = `lut[index]`, with, for IPv4,
 * `hash = jhash_3words(saddr, (dport << 16) | sport, nexthdr, HASH_INIT4_SEED)`.
 *
 * Which fields, in which byte order, and why:
 * - `saddr` is the client address (the packet's source). `lb4_extract_tuple` copies the IP
 *   header's source into `tuple->saddr`; the CT_SERVICE lookup in `lb4_local` uses
 *   `SCOPE_REVERSE`, which looks the tuple up as it is and does not reverse it for a new flow.
 *   The destination (VIP) is deliberately left out, so one client flow picks the same backend on
 *   every VIP and on every node.
 * - Ports: `lb4_extract_tuple` loads the two L4 port fields into `&tuple->dport`, so the CT tuple
 *   holds them swapped (`tuple->dport` = the packet's source port, `tuple->sport` = its
 *   destination port; `lb4_fill_key` reads the service port from `tuple->sport`).
 *   `lb4_select_backend_id_maglev` undoes the swap: `sport = tuple->dport` (client port, or 0
 *   with session affinity) and `dport = tuple->sport` (service port). So
 *   `b = (servicePort << 16) | clientPort`.
 * - Byte order: the hash reads each field as the little-endian number of its network-order
 *   bytes (`HASH_WORD32_LE` / `HASH_WORD16_LE`, identity on x86-64/arm64, a byte swap on
 *   big-endian builds so every node agrees). 10.0.0.1 is thus `0x0100000a` and port 80 is
 *   `0x5000`.
 * - `nexthdr` is the IP protocol number (TCP 6, UDP 17, SCTP 132).
 * - IPv6: `a, b, c` = the first three little-endian words of the source, `__jhash_mix`,
 *   `a += word 4`, `b += (dport << 16) | sport`, `c += nexthdr`, `__jhash_mix`,
 *   `a += HASH_INIT6_SEED`, `__jhash_final`, result `c`.
 * - Seeds: `HASH_INIT4_SEED` = seed bytes 4..7 (`SeedJhash0`), `HASH_INIT6_SEED` = bytes 8..11
 *   (`SeedJhash1`), each read big-endian from the base64 flag value.
 *
 * Only the north-south paths (bpf_host / XDP `nodeport_lb4`, and `bpf_lxc` when the service has
 * a LUT) use this; the choice is made once per connection and then pinned by conntrack.
 *
 * @module
 */
import { type MaglevAddress, decodeAddress } from './address.js';
import { type MaglevSeed, resolveMaglevSeed } from './config.js';
import { jhash3Words, jhashFinal, jhashMix } from './jhash.js';

/**
 * A flow as the first packet (client → frontend) carries it.
 *
 * @example
 * ```ts
 * const flow: MaglevFlow = { saddr: '192.168.10.200', sport: 40000, dport: 80, protocol: 'TCP' };
 * ```
 */
export interface MaglevFlow {
  /** The client address (the packet's source); IPv4 or IPv6, text or ip-num. */
  readonly saddr: MaglevAddress;
  /** The client port (the packet's source port). */
  readonly sport: number;
  /** The frontend port the packet is sent to (service port, nodePort, …). */
  readonly dport: number;
  /** `TCP`, `UDP`, `SCTP` or an IP protocol number. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | number;
  /** The frontend has session affinity: the client port is left out (hashed as 0). */
  readonly sessionAffinity?: boolean;
}

const PROTOCOLS: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

function protoNumber(p: MaglevFlow['protocol']): number {
  const n = typeof p === 'number' ? p : PROTOCOLS[p];
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 255) {
    throw new RangeError(`maglev: unknown protocol ${JSON.stringify(p)}`);
  }
  return n;
}

function port16(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
    throw new RangeError(`maglev: ${name} must be an integer in 0..65535, got ${String(v)}`);
  }
  // the little-endian number of the port's two network-order bytes
  return ((v & 0xff) << 8) | (v >>> 8);
}

function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * Cilium's per-packet Maglev hash of a flow (an unsigned 32-bit number); see the module comment
 * for the fields and byte order. `seed` is the `--bpf-lb-maglev-hash-seed` value or its parsed
 * words (default Cilium's).
 *
 * @example
 * ```ts
 * maglevFlowHash({ saddr: '192.168.10.200', sport: 40000, dport: 80, protocol: 'TCP' });
 * ```
 */
export function maglevFlowHash(flow: MaglevFlow, seed?: string | MaglevSeed): number {
  const s = resolveMaglevSeed(seed);
  const addr = decodeAddress(flow.saddr);
  const sport = flow.sessionAffinity ? 0 : port16('sport', flow.sport);
  const ports = ((port16('dport', flow.dport) << 16) | sport) >>> 0;
  const proto = protoNumber(flow.protocol);
  if (!addr.v6) return jhash3Words(le32(addr.bytes, 0), ports, proto, s.jhashSeed0); // = maglevPacketHash
  let [a, b, c] = jhashMix(le32(addr.bytes, 0), le32(addr.bytes, 4), le32(addr.bytes, 8));
  a = (a + le32(addr.bytes, 12)) >>> 0;
  b = (b + ports) >>> 0;
  c = (c + proto) >>> 0;
  [a, b, c] = jhashMix(a, b, c);
  a = (a + s.jhashSeed1) >>> 0;
  return jhashFinal(a, b, c);
}

/**
 * The per-packet Maglev hash of an IPv4 flow on numbers, the packet walk's hot path: the same
 * value as {@link maglevFlowHash} (`jhash_3words(saddr, (dport << 16) | sport, proto, seed)`, each
 * field the little-endian number of its network-order bytes). `saddr` is the client address as an
 * unsigned 32-bit number, `sport` the client port (0 for services with session affinity), `dport`
 * the service port, `seed` the `jhashSeed0` word of the Maglev seed. Ports are not validated.
 *
 * @example
 * ```ts
 * const slot = maglevPacketHash(0xc0a80ac8, 40000, 80, 6, DEFAULT_MAGLEV_SEED.jhashSeed0) % 16381;
 * ```
 */
export function maglevPacketHash(saddr: number, sport: number, dport: number, proto: number, seed: number): number {
  const a = ((saddr & 0xff) << 24) | ((saddr & 0xff00) << 8) | ((saddr >>> 8) & 0xff00) | (saddr >>> 24);
  const b = (((dport & 0xff) << 24) | ((dport & 0xff00) << 8) | ((sport & 0xff) << 8) | ((sport >>> 8) & 0xff)) >>> 0;
  return jhash3Words(a >>> 0, b, proto, seed);
}

/**
 * The LUT index Cilium's datapath picks for a flow: `maglevFlowHash(flow, seed) % m`.
 *
 * @example
 * ```ts
 * const slot = maglevSlot({ saddr: '10.0.0.1', sport: 1234, dport: 80, protocol: 'TCP' }, 'JLfvgnHc2kaSUFaI', 16381);
 * ```
 */
export function maglevSlot(flow: MaglevFlow, seed: string | MaglevSeed | undefined, m: number): number {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`maglev: table size must be a positive integer, got ${String(m)}`);
  return maglevFlowHash(flow, seed) % m;
}

/**
 * The backend ID a new flow gets from a frontend's Maglev table (`lut[hash % M]`), M being the
 * table's length. Returns 0 for an empty table, like the datapath's missing-LUT case.
 *
 * @example
 * ```ts
 * const id = maglevBackendFor(table, { saddr: '10.0.0.1', sport: 1234, dport: 80, protocol: 'TCP' });
 * ```
 */
export function maglevBackendFor(table: ArrayLike<number>, flow: MaglevFlow, seed?: string | MaglevSeed): number {
  if (table.length === 0) return 0;
  return table[maglevSlot(flow, seed, table.length)]!;
}

/**
 * The per-packet Maglev hash of an IPv6 flow on a bigint source (`__hash_from_tuple_v6`): the same
 * value as {@link maglevFlowHash} for an IPv6 `saddr`. `seed` is the `jhashSeed1` word
 * (`HASH_INIT6_SEED`).
 *
 * @example
 * ```ts
 * import { maglevPacketHash6 } from 'cilium-twin/datapath';
 * const slot = maglevPacketHash6(0xfd000000000000000000000000000001n, 40000, 80, 6, 0x92505688) % 16381;
 * ```
 */
export function maglevPacketHash6(saddr: bigint, sport: number, dport: number, proto: number, seed: number): number {
  const le = (shift: bigint): number => {
    const w = Number((saddr >> shift) & 0xffffffffn);
    return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
  };
  const ports = (((dport & 0xff) << 24) | ((dport & 0xff00) << 8) | ((sport & 0xff) << 8) | ((sport >>> 8) & 0xff)) >>> 0;
  let [a, b, c] = jhashMix(le(96n), le(64n), le(32n));
  a = (a + le(0n)) >>> 0;
  b = (b + ports) >>> 0;
  c = (c + proto) >>> 0;
  [a, b, c] = jhashMix(a, b, c);
  a = (a + seed) >>> 0;
  return jhashFinal(a, b, c);
}
