/**
 * @module Whether this process may destroy sockets: SOCK_DESTROY checks
 * CAP_NET_ADMIN (not uid 0), so read the effective capability set from
 * /proc/self/status. The parse is pure; the read is one small file.
 */
import { readFileSync } from "node:fs";

const CAP_NET_ADMIN = 12n;

/** true/false from a /proc/PID/status text; null when it has no CapEff line. */
export function hasNetAdmin(statusText: string): boolean | null {
  const match = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  if (!match?.[1]) return null;
  return ((BigInt(`0x${match[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n;
}

/** This process's CAP_NET_ADMIN; falls back to "is root" when /proc cannot say. */
export function canDestroySockets(): boolean {
  try {
    const known = hasNetAdmin(readFileSync("/proc/self/status", "utf8"));
    if (known !== null) return known;
  } catch {
    // No /proc (odd container): uid 0 is the best remaining guess.
  }
  return process.geteuid?.() === 0;
}
