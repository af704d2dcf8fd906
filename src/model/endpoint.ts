/**
 * @module Endpoint: an address and a port, as text the way an operator reads it.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) keep family 6 but are printed
 * as mixed notation so they can be matched against IPv4 filters.
 */

export type Family = 4 | 6;

export interface Endpoint {
  /** Printed address: "127.0.0.1", "::1", "::ffff:10.0.0.1"; "*" for wildcard in captures. */
  address: string;
  port: number;
  /**
   * Captures only: the endpoint as printed when it held a host or service
   * name ("localhost:smtp", "support.dcd"); absent when it was all numbers.
   */
  printed?: string;
  /** Captures only: the service name printed for the port ("smtp", "dcd"). */
  service?: string;
  /**
   * Captures only: false when the address (a host name: address holds the
   * name) or the port (a service name not in the table: port is 0) could not
   * be known. Absent when both are known.
   */
  resolved?: false;
}

/** Whether the port is known: not a service name that could not be looked up. */
export function portKnown(e: Endpoint): boolean {
  return !(e.service !== undefined && e.resolved === false && e.port === 0);
}

/** The port as shown: the number, or the printed service name when the number is unknown. */
export function portText(e: Endpoint): string {
  return portKnown(e) ? String(e.port) : e.service!;
}

/** "127.0.0.1:80", "[::1]:80"; "support:dcd" for a capture's names that could not be resolved. */
export function formatEndpoint(e: Endpoint): string {
  const port = portText(e);
  return e.address.includes(":") ? `[${e.address}]:${port}` : `${e.address}:${port}`;
}

/** IPv4 in dotted quad from 4 bytes in network order. */
export function ipv4FromBytes(b: Uint8Array, offset = 0): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/**
 * IPv6 text (RFC 5952: lower case, longest zero run compressed, IPv4-mapped in
 * mixed notation) from 16 bytes in network order.
 */
export function ipv6FromBytes(b: Uint8Array, offset = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((b[offset + 2 * i] ?? 0) << 8) | (b[offset + 2 * i + 1] ?? 0));
  if (
    words[0] === 0 &&
    words[1] === 0 &&
    words[2] === 0 &&
    words[3] === 0 &&
    words[4] === 0 &&
    words[5] === 0xffff
  ) {
    return `::ffff:${ipv4FromBytes(b, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLen).join(":");
  return `${head}::${tail}`;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address, or the address itself. */
export function unmapIpv4(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
