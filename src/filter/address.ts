/**
 * @module Numeric IPv4 / IPv6 addresses and prefix matching for the filter's
 * src/dst terms. Hand-written parsers because the evaluator runs over every
 * socket (170k and more): no allocation, no regular expressions, no native
 * calls on the hot path. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match
 * both as IPv6 and as the IPv4 address they carry.
 */

/** An IPv4 network: addr and mask as unsigned 32-bit numbers, addr already masked. */
export interface Ipv4Prefix {
  family: 4;
  addr: number;
  bits: number;
}

/** An IPv6 network as four 32-bit words (network order), masked to bits. */
export interface Ipv6Prefix {
  family: 6;
  words: [number, number, number, number];
  bits: number;
}

export type Prefix = Ipv4Prefix | Ipv6Prefix;

/** Mask of the top `bits` bits of a 32-bit word (bits may be outside 0..32). */
export function wordMask(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/**
 * Dotted quad between start and end as an unsigned number, or -1. Strict:
 * exactly four decimal parts 0..255 without leading zeros.
 */
export function parseIpv4(text: string, start = 0, end = text.length): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Scratch groups for parseIpv6 (single-threaded, so one buffer is enough). */
const groups = new Uint16Array(8);

/**
 * IPv6 text (with "::" and an optional trailing dotted quad) into out[0..3] as
 * unsigned words. A "%zone" suffix ends the address when allowZone. Returns false
 * when the text is not an IPv6 address.
 */
export function parseIpv6(text: string, out: Uint32Array, allowZone = false): boolean {
  let end = text.length;
  if (allowZone) {
    const zone = text.indexOf("%");
    if (zone >= 0) end = zone;
  }
  let n = 0;
  let gap = -1;
  let i = 0;
  if (end >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let j = i;
    let value = 0;
    while (j < end && j - i < 5) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      // The last 32 bits written as a dotted quad.
      const v4 = parseIpv4(text, i, end);
      if (v4 < 0 || n > 6) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (j === i || j - i > 4 || n >= 8) return false;
    groups[n++] = value;
    if (j === end) {
      i = end;
      break;
    }
    if (text.charCodeAt(j) !== 58) return false;
    j++;
    if (j < end && text.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = n;
      j++;
    } else if (j === end) {
      return false;
    }
    i = j;
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  const missing = 8 - n;
  for (let w = 0; w < 4; w++) {
    const hi = groupAt(2 * w, n, gap, missing);
    const lo = groupAt(2 * w + 1, n, gap, missing);
    out[w] = ((hi << 16) | lo) >>> 0;
  }
  return true;
}

/** Group k of the expanded address, given n parsed groups and a "::" at gap. */
function groupAt(k: number, n: number, gap: number, missing: number): number {
  if (gap < 0 || k < gap) return groups[k] ?? 0;
  if (k < gap + missing) return 0;
  return k - missing < n ? (groups[k - missing] ?? 0) : 0;
}

/** Whether the words hold an IPv4-mapped address (::ffff:0:0/96). */
export function isMapped(w: ArrayLike<number>): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

/** A prefix with its host bits cleared. */
export function ipv4Prefix(addr: number, bits: number): Ipv4Prefix {
  return { family: 4, addr: (addr & wordMask(bits)) >>> 0, bits };
}

export function ipv6Prefix(w: ArrayLike<number>, bits: number): Ipv6Prefix {
  const m = (k: number) => ((w[k] ?? 0) & wordMask(bits - 32 * k)) >>> 0;
  return { family: 6, words: [m(0), m(1), m(2), m(3)], bits };
}

/**
 * The IPv4 view of an IPv6 prefix inside ::ffff:0:0/96 (so a filter written
 * as ::ffff:10.0.0.0/104 also matches plain IPv4 10.x sockets); null otherwise.
 */
export function mappedView(p: Ipv6Prefix): Ipv4Prefix | null {
  return p.bits >= 96 && isMapped(p.words) ? ipv4Prefix(p.words[3], p.bits - 96) : null;
}

const scratch = new Uint32Array(4);

/**
 * A test "is this socket address inside the prefix?" for printed addresses
 * ("10.0.0.1", "::1", "::ffff:10.0.0.1", "fe80::1%eth0"). Anything else
 * ("*", garbage) is outside every prefix.
 */
export function prefixMatcher(prefix: Prefix): (address: string) => boolean {
  const v4 = prefix.family === 4 ? prefix : mappedView(prefix);
  const v4Addr = v4?.addr ?? 0;
  const v4Mask = wordMask(v4?.bits ?? 0);
  const insideV4 = (a: number) => v4 !== null && ((a ^ v4Addr) & v4Mask) === 0;
  if (prefix.family === 4) {
    return (address) => {
      let a = parseIpv4(address);
      // sockdoc prints mapped addresses as "::ffff:a.b.c.d": try that before a full IPv6 parse.
      if (a < 0 && address.startsWith("::ffff:")) a = parseIpv4(address, 7);
      if (a >= 0) return insideV4(a);
      return parseIpv6(address, scratch, true) && isMapped(scratch) && insideV4(scratch[3] as number);
    };
  }
  const [p0, p1, p2, p3] = prefix.words;
  const [m0, m1, m2, m3] = [0, 1, 2, 3].map((k) => wordMask(prefix.bits - 32 * k)) as [
    number,
    number,
    number,
    number,
  ];
  return (address) => {
    if (parseIpv6(address, scratch, true)) {
      return (
        (((scratch[0] as number) ^ p0) & m0) === 0 &&
        (((scratch[1] as number) ^ p1) & m1) === 0 &&
        (((scratch[2] as number) ^ p2) & m2) === 0 &&
        (((scratch[3] as number) ^ p3) & m3) === 0
      );
    }
    const a = v4 === null ? -1 : parseIpv4(address);
    return a >= 0 && insideV4(a);
  };
}
