/**
 * @module Address text by value, for the dump decoder. On a loaded host most
 * sockets share a few local and remote addresses, so each distinct address is
 * formatted once per dump. Open addressing over Int32Array keys: a lookup
 * allocates nothing (a Map keyed by the address as a number allocates for
 * every key above 2^30, which is most IPv4 addresses in host order).
 */
import { ipv4FromBytes, ipv6FromBytes } from "../../model/endpoint.js";

/** Past this many distinct addresses (an internet-facing server) hits are rare: stop caching. */
const MAX_ENTRIES = 1 << 16;

export class AddressCache {
  private v4 = new Table(1);
  private v6 = new Table(4);
  constructor(
    private readonly bytes: Uint8Array,
    private readonly i32: Int32Array,
  ) {}

  /** IPv4 text of the 4 bytes at offset (4-aligned). */
  v4At(offset: number): string {
    const table = this.v4;
    const key = this.i32[offset >>> 2]!;
    let slot = hash1(key) & table.mask;
    for (;;) {
      const text = table.values[slot];
      if (text === undefined) break;
      if (table.keys[slot] === key) return text;
      slot = (slot + 1) & table.mask;
    }
    const text = ipv4FromBytes(this.bytes, offset);
    if (table.size < MAX_ENTRIES) {
      table.keys[slot] = key;
      table.values[slot] = text;
      if (++table.size * 2 > table.values.length) this.v4 = table.grown();
    }
    return text;
  }

  /** IPv6 text of the 16 bytes at offset (4-aligned). */
  v6At(offset: number): string {
    const w = offset >>> 2;
    const table = this.v6;
    const a = this.i32[w]!;
    const b = this.i32[w + 1]!;
    const c = this.i32[w + 2]!;
    const d = this.i32[w + 3]!;
    let slot = hash4(a, b, c, d) & table.mask;
    for (;;) {
      const text = table.values[slot];
      if (text === undefined) break;
      const k = slot * 4;
      const keys = table.keys;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) return text;
      slot = (slot + 1) & table.mask;
    }
    const text = ipv6FromBytes(this.bytes, offset);
    if (table.size < MAX_ENTRIES) {
      const k = slot * 4;
      table.keys[k] = a;
      table.keys[k + 1] = b;
      table.keys[k + 2] = c;
      table.keys[k + 3] = d;
      table.values[slot] = text;
      if (++table.size * 2 > table.values.length) this.v6 = table.grown();
    }
    return text;
  }
}

function hash1(a: number): number {
  return Math.imul(a, 0x9e3779b1) >>> 7;
}

function hash4(a: number, b: number, c: number, d: number): number {
  return hash1(a ^ Math.imul(b ^ Math.imul(c ^ Math.imul(d, 0x85ebca6b), 0xc2b2ae35), 0x27d4eb2f));
}

/** Slots of `width` key words each; an undefined value marks an empty slot. */
class Table {
  readonly keys: Int32Array;
  readonly values: Array<string | undefined>;
  readonly mask: number;
  size = 0;

  constructor(
    private readonly width: 1 | 4,
    capacity = 256,
  ) {
    this.keys = new Int32Array(capacity * width);
    this.values = new Array<string | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
  }

  /** A table of twice the capacity with the same entries. */
  grown(): Table {
    const next = new Table(this.width, this.values.length * 2);
    const w = this.width;
    for (let slot = 0; slot < this.values.length; slot++) {
      const text = this.values[slot];
      if (text === undefined) continue;
      const k = slot * w;
      const keys = this.keys;
      let to =
        (w === 1 ? hash1(keys[k]!) : hash4(keys[k]!, keys[k + 1]!, keys[k + 2]!, keys[k + 3]!)) & next.mask;
      while (next.values[to] !== undefined) to = (to + 1) & next.mask;
      next.keys.set(keys.subarray(k, k + w), to * w);
      next.values[to] = text;
      next.size++;
    }
    return next;
  }
}
