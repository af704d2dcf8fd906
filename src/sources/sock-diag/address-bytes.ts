/**
 * @module IP address text -> bytes in network order, the inverse of
 * ipv4FromBytes/ipv6FromBytes, for building kernel requests. Strict: anything
 * that is not a literal address (a "*" wildcard from a capture, a host name)
 * gives null rather than a guess.
 */

/** 4 bytes of a dotted-quad IPv4 address, or null. */
export function ipv4ToBytes(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

/** 16 bytes of an IPv6 address (with "::" and a trailing dotted IPv4 allowed), or null. */
export function ipv6ToBytes(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const total = head.length + tail.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return null;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const out = new Uint8Array(16);
  words.forEach((word, i) => {
    out[2 * i] = word >> 8;
    out[2 * i + 1] = word & 0xff;
  });
  return out;
}

/** 16-bit groups of one side of "::"; a final dotted IPv4 counts as two. */
function groups(side: string): number[] | null {
  if (side === "") return [];
  const parts = side.split(":");
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = ipv4ToBytes(part);
      if (v4 === null) return null;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      words.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return words;
}
