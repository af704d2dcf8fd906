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

/**
 * Counts the sockets with an address that is not an IP as they pass (a
 * streamed capture is never held), for one warning at the end.
 */
export class AddressCheck {
  // Captures repeat the same few addresses: check each distinct one once,
  // in a memo kept small, so a million distinct peers cost no million entries.
  private verdict = new Map<string, boolean>();
  private rows = 0;
  private readonly examples = new Set<string>();

  private usable(a: string): boolean {
    let ok = this.verdict.get(a);
    if (ok === undefined) {
      if (this.verdict.size >= MAX_MEMO) this.verdict = new Map();
      this.verdict.set(a, (ok = isUsableAddress(a)));
    }
    return ok;
  }

  add(s: TcpSocket): void {
    const bad = !this.usable(s.local.address)
      ? s.local.address
      : !this.usable(s.remote.address)
        ? s.remote.address
        : null;
    if (bad === null) return;
    this.rows++;
    if (this.examples.size < EXAMPLES)
      this.examples.add(JSON.stringify(bad.length > 40 ? `${bad.slice(0, 40)}...` : bad));
  }

  /** The warning; null when every address was an IP. */
  warning(origin: string): string | null {
    const { rows } = this;
    if (rows === 0) return null;
    return (
      `${origin}: ${rows} row${rows === 1 ? " has an address" : "s have addresses"} that ${rows === 1 ? "is" : "are"} ` +
      `not an IP address (${[...this.examples].join(", ")}): kept as printed, left out of suggested commands`
    );
  }
}

/** One warning for the sockets with an address that is not an IP; null when there are none. */
export function invalidAddressWarning(sockets: readonly TcpSocket[], origin: string): string | null {
  const check = new AddressCheck();
  for (const s of sockets) check.add(s);
  return check.warning(origin);
}
