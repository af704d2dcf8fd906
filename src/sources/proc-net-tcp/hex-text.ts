/**
 * @module The hex text of /proc/net/tcp rows as numbers and addresses: hex
 * digits read in place, and address strings cached so the rows of a busy
 * host share a few strings.
 */
import { ipv6FromBytes } from "../../model/endpoint.js";

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

/** len hex digits at t[at...]; -1 if any is not hex. */
export function hexAt(t: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = t.charCodeAt(i);
    const d = HEX[c & 0xff] as number;
    if (d < 0 || c > 0xff) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** A space or a tab. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

const v4cache = new Map<number, string>();

/** A host-order (little-endian) u32 as a dotted quad. */
export function v4text(v: number): string {
  let s = v4cache.get(v);
  if (s === undefined) {
    s = `${v & 0xff}.${(v >>> 8) & 0xff}.${(v >>> 16) & 0xff}.${v >>> 24}`;
    if (v4cache.size >= 65536) v4cache.clear();
    v4cache.set(v, s);
  }
  return s;
}

const mappedCache = new Map<number, string>();

/** "::ffff:a.b.c.d", cached like v4text so rows share one string. */
function v4mapped(v: number): string {
  let s = mappedCache.get(v);
  if (s === undefined) {
    s = `::ffff:${v4text(v)}`;
    if (mappedCache.size >= 65536) mappedCache.clear();
    mappedCache.set(v, s);
  }
  return s;
}

const v6cache = new Map<string, string>();
const v6bytes = new Uint8Array(16);

/**
 * 32 hex digits at t[at...] (four host-order u32 words) as RFC 5952 text;
 * null if not hex. The wildcard, loopback and IPv4-mapped forms that fill
 * most tables skip the generic formatter.
 */
export function v6text(t: string, at: number): string | null {
  const w0 = hexAt(t, at, 8);
  const w1 = hexAt(t, at + 8, 8);
  const w2 = hexAt(t, at + 16, 8);
  const w3 = hexAt(t, at + 24, 8);
  if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return null;
  if (w0 === 0 && w1 === 0) {
    if (w2 === 0xffff0000) return v4mapped(w3);
    if (w2 === 0 && w3 === 0) return "::";
    if (w2 === 0 && w3 === 0x01000000) return "::1";
  }
  const key = t.slice(at, at + 32);
  let s = v6cache.get(key);
  if (s !== undefined) return s;
  const words = [w0, w1, w2, w3];
  for (let w = 0; w < 4; w++) {
    // Network byte order is the reverse of the printed host-order word.
    const word = words[w] as number;
    v6bytes[w * 4] = word & 0xff;
    v6bytes[w * 4 + 1] = (word >>> 8) & 0xff;
    v6bytes[w * 4 + 2] = (word >>> 16) & 0xff;
    v6bytes[w * 4 + 3] = word >>> 24;
  }
  s = ipv6FromBytes(v6bytes);
  if (v6cache.size >= 65536) v6cache.clear();
  v6cache.set(key, s);
  return s;
}
