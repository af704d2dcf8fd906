/**
 * @module Splits a printed endpoint into address and port, in the notations
 * captures use: "10.0.0.1:80", "[::1]:80", ":::22" and "::ffff:1.2.3.4:80"
 * (the port is after the last colon), BSD and Solaris "10.0.0.1.80" and
 * "fe80::1.80" (after the last dot), and wildcards ("*:*", "*.22", "0.0.0.0:*").
 * Pure.
 */
import type { Endpoint } from "../model/endpoint.js";
import { intern } from "./intern.js";

/** "*" as a port means any: port 0, as the kernel reports it. */
function portOf(text: string): number | null {
  if (text === "*") return 0;
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/** ss and macOS print an interface scope as fe80::1%eth0: keep the address. */
function withoutScope(address: string): string {
  const scope = address.indexOf("%");
  return scope > 0 ? address.slice(0, scope) : address;
}

/** Linux and Windows style: the port follows the last colon; IPv6 may be bracketed. Null when malformed. */
export function splitColonEndpoint(text: string): Endpoint | null {
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return null;
  const port = portOf(text.slice(colon + 1));
  if (port === null) return null;
  let address = text.slice(0, colon);
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  address = withoutScope(address);
  return address ? { address: intern(address), port } : null;
}

/** BSD and Solaris style: the port follows the last dot. Null when malformed. */
export function splitDotEndpoint(text: string): Endpoint | null {
  const dot = text.lastIndexOf(".");
  if (dot <= 0) return null;
  const port = portOf(text.slice(dot + 1));
  if (port === null) return null;
  const address = withoutScope(text.slice(0, dot));
  return address ? { address: intern(address), port } : null;
}

/** 4 or 6 from the printed address ("*" counts as the given default). */
export function familyOf(address: string, wildcardFamily: 4 | 6 = 4): 4 | 6 {
  if (address === "*") return wildcardFamily;
  return address.includes(":") ? 6 : 4;
}
