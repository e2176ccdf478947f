/**
 * Addresses as the Maglev code needs them: the 4 or 16 network-order bytes (for the per-packet
 * hash) and the text Go's `netip.Addr.String()` prints (for the backend hash string, which must
 * match Cilium byte for byte: RFC 5952 IPv6 with the first longest zero run compressed,
 * `::ffff:a.b.c.d` for IPv4-mapped IPv6).
 *
 * @module
 */
import { IPv4, IPv6 } from 'ip-num';

/**
 * An address given as text or as an ip-num value.
 *
 * @example
 * ```ts
 * const a: MaglevAddress = '10.0.0.1';
 * const b: MaglevAddress = IPv6.fromString('fd00::1');
 * ```
 */
export type MaglevAddress = string | IPv4 | IPv6;

/**
 * A decoded address.
 *
 * @example
 * ```ts
 * const d: DecodedAddress = decodeAddress('10.0.0.1'); // { bytes: [10,0,0,1], v6: false, text: '10.0.0.1' }
 * ```
 */
export interface DecodedAddress {
  /** Network-order bytes: 4 for IPv4, 16 for IPv6 (including IPv4-mapped IPv6). */
  readonly bytes: Uint8Array;
  /** True for a 16-byte address. */
  readonly v6: boolean;
  /** The address as Go's `netip.Addr.String()` prints it. */
  readonly text: string;
}

function bigToBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Parses a dotted quad as netip.ParseAddr does (no leading zeros); -1 when not one. */
function parseV4Number(s: string): number {
  const len = s.length;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  let first = 0;
  for (let i = 0; i < len; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (ch >= 48 && ch <= 57) {
      if (digits === 0) first = ch;
      else if (first === 48) return -1; // leading zero
      part = part * 10 + (ch - 48);
      if (++digits > 3 || part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

function parseV4(s: string): Uint8Array | undefined {
  const v = parseV4Number(s);
  if (v < 0) return undefined;
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function parseV6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  try {
    return bigToBytes(IPv6.fromString(s).value, 16);
  } catch {
    return undefined;
  }
}

/** Go's `netip.Addr.String()` for a 16-byte address. */
function formatV6(b: Uint8Array): string {
  let mapped = true;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) mapped = false;
  if (mapped && b[10] === 0xff && b[11] === 0xff) {
    return `::ffff:${String(b[12])}.${String(b[13])}.${String(b[14])}.${String(b[15])}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  // first longest run of >= 2 zero groups
  let bestStart = -1;
  let bestEnd = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > bestEnd - bestStart) {
      bestStart = i;
      bestEnd = j;
    }
    if (j > i) i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i = bestEnd - 1;
      continue;
    }
    if (i > 0 && i !== bestEnd) out += ':';
    out += groups[i]!.toString(16);
  }
  return out;
}

/**
 * The address as Go's `netip.Addr.String()` prints it, and whether it is 16 bytes long; the fast
 * path of {@link decodeAddress} for hash strings (a canonical IPv4 text is returned as given).
 * Throws a `RangeError` like {@link decodeAddress}.
 *
 * @example
 * ```ts
 * addressText('fd00:0::1'); // { text: 'fd00::1', v6: true }
 * ```
 */
export function addressText(address: MaglevAddress): { readonly text: string; readonly v6: boolean } {
  if (typeof address === 'string' && parseV4Number(address) >= 0) return { text: address, v6: false };
  if (typeof address === 'object' && (address instanceof IPv4 || (address as { type?: unknown }).type === 'IPv4')) {
    const v = Number(address.value);
    return { text: `${String(v >>> 24)}.${String((v >>> 16) & 0xff)}.${String((v >>> 8) & 0xff)}.${String(v & 0xff)}`, v6: false };
  }
  const d = decodeAddress(address);
  return { text: d.text, v6: d.v6 };
}

/**
 * Decodes an address given as text (IPv4 dotted quad or IPv6) or as an ip-num `IPv4`/`IPv6`.
 * Throws a `RangeError` for anything else.
 *
 * @example
 * ```ts
 * decodeAddress('fd00:0:0::1').text; // 'fd00::1'
 * decodeAddress('10.0.0.1').bytes;   // Uint8Array [10, 0, 0, 1]
 * ```
 */
export function decodeAddress(address: MaglevAddress): DecodedAddress {
  if (typeof address === 'string') {
    const s = address.trim();
    if (!s.includes(':')) {
      const b4 = parseV4(s);
      if (b4) return { bytes: b4, v6: false, text: `${String(b4[0])}.${String(b4[1])}.${String(b4[2])}.${String(b4[3])}` };
    } else {
      const b6 = parseV6(s);
      if (b6) return { bytes: b6, v6: true, text: formatV6(b6) };
    }
    throw new RangeError(`not an IP address: ${JSON.stringify(address)}`);
  }
  if (address instanceof IPv4 || (address as { type?: unknown }).type === 'IPv4') {
    const b = bigToBytes(address.value, 4);
    return { bytes: b, v6: false, text: `${String(b[0])}.${String(b[1])}.${String(b[2])}.${String(b[3])}` };
  }
  if (address instanceof IPv6 || (address as { type?: unknown }).type === 'IPv6') {
    const b = bigToBytes(address.value, 16);
    return { bytes: b, v6: true, text: formatV6(b) };
  }
  throw new RangeError('not an IP address');
}
