/**
 * @module Splits a printed endpoint into address and port, in the notations
 * captures use: "10.0.0.1:80", "[::1]:80", ":::22" and "::ffff:1.2.3.4:80"
 * (the port is after the last colon), BSD and Solaris "10.0.0.1.80" and
 * "fe80::1.80" (after the last dot), and wildcards ("*:*", "*.22", "0.0.0.0:*").
 * Tools run without -n print names instead ("localhost:smtp", "*:ssh",
 * "[::]:http", "support.dcd"): a service name becomes its port through the
 * service table, and the endpoint keeps what was printed, with resolved:
 * false when the host name or the service cannot be turned into numbers.
 * Pure.
 */
import { isIP } from "node:net";
import type { Endpoint } from "../model/endpoint.js";
import { intern } from "./intern.js";
import { DEFAULT_SERVICES, looksLikeServiceName, type ServiceTable } from "../model/service-names.js";

/** The port of a printed port: "*" is any (0, as the kernel reports it); null when malformed. */
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

/** A host name as resolvers print it (letters, digits, "-", "_", dots), with a letter somewhere. */
function isHostName(address: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(address) && /[A-Za-z]/.test(address) && isIP(address) === 0;
}

/**
 * The endpoint of an address and a port as printed; null when the port is
 * neither a number, "*" nor a service-name-like word.
 */
function endpointOf(
  text: string,
  address: string,
  portWord: string,
  services: ServiceTable,
): Endpoint | null {
  const number = portOf(portWord);
  if (number !== null && !isHostName(address)) return { address: intern(address), port: number };
  if (number === null && !looksLikeServiceName(portWord)) return null;
  const e: Endpoint = { address: intern(address), port: number ?? 0, printed: intern(text) };
  let resolved = !isHostName(address);
  if (number === null) {
    e.service = intern(portWord);
    const known = services.get(portWord.toLowerCase());
    if (known === undefined) resolved = false;
    else e.port = known;
  }
  if (!resolved) e.resolved = false;
  return e;
}

/** Linux and Windows style: the port follows the last colon; IPv6 may be bracketed. Null when malformed. */
export function splitColonEndpoint(text: string, services: ServiceTable = DEFAULT_SERVICES): Endpoint | null {
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return null;
  let address = text.slice(0, colon);
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  address = withoutScope(address);
  return address ? endpointOf(text, address, text.slice(colon + 1), services) : null;
}

/** BSD and Solaris style: the port follows the last dot. Null when malformed. */
export function splitDotEndpoint(text: string, services: ServiceTable = DEFAULT_SERVICES): Endpoint | null {
  const dot = text.lastIndexOf(".");
  if (dot <= 0) return null;
  const address = withoutScope(text.slice(0, dot));
  return address ? endpointOf(text, address, text.slice(dot + 1), services) : null;
}

/** 4 or 6 from the printed address ("*" and host names count as the given default). */
export function familyOf(address: string, wildcardFamily: 4 | 6 = 4): 4 | 6 {
  if (address === "*" || isHostName(address)) return wildcardFamily;
  return address.includes(":") ? 6 : 4;
}
