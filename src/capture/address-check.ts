/**
 * @module Addresses in a capture that are not IP addresses ("hello",
 * "999.999.999.999", an IPv6 address netstat cut short without -W). The rows
 * are kept, as printed, and counted in one warning; analyses leave such an
 * address out of the commands they suggest (close-wait/remedies.ts). Pure.
 */
import { isIP } from "node:net";
import type { TcpSocket } from "../model/socket.js";

/** Whether a printed address can go into a filter: an IP address or the "*" wildcard. */
export function isUsableAddress(address: string): boolean {
  return address === "*" || isIP(address) !== 0;
}

const MAX_MEMO = 10_000;

/** Examples named in the warning. */
const EXAMPLES = 3;

/** One warning for the sockets with an address that is not an IP; null when there are none. */
export function invalidAddressWarning(sockets: readonly TcpSocket[], origin: string): string | null {
  // Captures repeat the same few addresses: check each distinct one once,
  // in a memo kept small, so a million distinct peers cost no million entries.
  let verdict = new Map<string, boolean>();
  const usable = (a: string): boolean => {
    let ok = verdict.get(a);
    if (ok === undefined) {
      if (verdict.size >= MAX_MEMO) verdict = new Map();
      verdict.set(a, (ok = isUsableAddress(a)));
    }
    return ok;
  };
  let rows = 0;
  const examples = new Set<string>();
  for (const s of sockets) {
    const bad = !usable(s.local.address)
      ? s.local.address
      : !usable(s.remote.address)
        ? s.remote.address
        : null;
    if (bad === null) continue;
    rows++;
    if (examples.size < EXAMPLES)
      examples.add(JSON.stringify(bad.length > 40 ? `${bad.slice(0, 40)}...` : bad));
  }
  if (rows === 0) return null;
  return (
    `${origin}: ${rows} row${rows === 1 ? " has an address" : "s have addresses"} that ${rows === 1 ? "is" : "are"} ` +
    `not an IP address (${[...examples].join(", ")}): kept as printed, left out of suggested commands`
  );
}
