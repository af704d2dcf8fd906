/**
 * @module Whether a bound address is reachable only from this host (pure).
 * The server checks the address it actually bound, so a hostname is judged
 * by what it resolved to.
 */
import { isIPv4 } from "node:net";

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x are loopback; 0.0.0.0 and :: are every interface. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a === "::1") return true;
  const v4 = a.startsWith("::ffff:") ? a.slice("::ffff:".length) : a;
  return isIPv4(v4) && v4.startsWith("127.");
}
