/**
 * @module The ephemeral port settings as numbers: ip_local_port_range
 * ("32768\t60999") and ip_local_reserved_ports ("8080,9000-9100"), and how
 * many reserved ports fall inside the range, and the states that hold
 * ports. Pure text-to-number parsing.
 */

import { stateBit, TcpState } from "../../model/tcp-state.js";

export type PortRange = readonly [number, number];

/**
 * The states a TIME_WAIT report reads: TIME_WAIT, every state that holds a
 * local port toward a peer, and LISTEN (bound ports, never ephemeral).
 */
export const PORT_HOLDING_STATES_MASK = [
  TcpState.ESTABLISHED,
  TcpState.SYN_SENT,
  TcpState.FIN_WAIT1,
  TcpState.FIN_WAIT2,
  TcpState.TIME_WAIT,
  TcpState.CLOSE_WAIT,
  TcpState.LAST_ACK,
  TcpState.CLOSING,
  TcpState.LISTEN,
].reduce((mask, s) => mask | stateBit(s), 0);

/** The kernel's default range since 2.6.x (28232 ports). */
export const DEFAULT_PORT_RANGE: PortRange = [32768, 60999];

/** "32768\t60999" -> [32768, 60999]; null when the text is not two ports lo <= hi. */
export function parsePortRange(text: string): PortRange | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return null;
  const lo = portNumber(parts[0] ?? "");
  const hi = portNumber(parts[1] ?? "");
  if (lo === null || hi === null || lo > hi) return null;
  return [lo, hi];
}

/**
 * "8080,9000-9100" -> [[8080, 8080], [9000, 9100]] merged and sorted; "" -> [].
 * null when an item is not a port or a lo-hi range.
 */
export function parseReservedPorts(text: string): Array<[number, number]> | null {
  const items = text.trim() === "" ? [] : text.trim().split(",");
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    const [a, b, extra] = item.trim().split("-");
    const lo = portNumber(a ?? "");
    const hi = b === undefined ? lo : portNumber(b);
    if (extra !== undefined || lo === null || hi === null || lo > hi) return null;
    ranges.push([lo, hi]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** How many ports of the (merged) reserved ranges lie inside range. */
export function reservedInRange(
  reserved: ReadonlyArray<readonly [number, number]>,
  range: PortRange,
): number {
  let n = 0;
  for (const [lo, hi] of reserved) {
    const from = Math.max(lo, range[0]);
    const to = Math.min(hi, range[1]);
    if (to >= from) n += to - from + 1;
  }
  return n;
}

export function isReserved(port: number, reserved: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of reserved) if (port >= lo && port <= hi) return true;
  return false;
}

function portNumber(text: string): number | null {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}
