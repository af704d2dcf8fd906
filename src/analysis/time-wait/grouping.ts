/**
 * @module Groups TIME_WAIT sockets by destination. A socket whose local port
 * came from the ephemeral range (and is not a listening port) was a
 * connection this host opened: it is grouped by (local address, remote
 * address, remote port), the triple the kernel's port choice is unique per,
 * and counts against that destination's port budget. Any other TIME_WAIT
 * socket is this host's server side, closed first: grouped by (local
 * address, local port, remote address), it costs memory, not ports.
 * Sockets in other connected states toward an outgoing destination hold
 * ports too, so they are counted beside it.
 */
import { unmapIpv4 } from "../../model/endpoint.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { isReserved, type PortRange } from "./ports.js";

export type Direction = "outgoing" | "incoming";

export interface GroupEnd {
  address: string;
  /** null on the side whose ports vary: local for outgoing, remote for incoming. */
  port: number | null;
}

export interface TimeWaitGroup {
  direction: Direction;
  local: GroupEnd;
  remote: GroupEnd;
  count: number;
  /** Time left of each socket whose timer is known, in ms (unsorted). */
  remainingMs: number[];
  minRemainingMs: number | null;
  maxRemainingMs: number | null;
  /** Outgoing only: sockets in other states on the same triple, holding a port of the range. */
  otherInUse: number;
}

export interface Grouping {
  groups: TimeWaitGroup[];
  /** Every TIME_WAIT socket read, before the filter (what tcp_max_tw_buckets counts). */
  timeWaitRead: number;
  /** Distinct listening ports inside the range and not reserved: connect() skips them. */
  listenPortsInRange: number;
}

export interface GroupingInput {
  sockets: readonly TcpSocket[];
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
  /** Which TIME_WAIT sockets to report (the command's filter); all when absent. */
  matches?: (s: TcpSocket) => boolean;
}

export function groupTimeWait(input: GroupingInput): Grouping {
  const [lo, hi] = input.portRange;
  const listening = new Set<number>();
  for (const s of input.sockets) {
    if (s.state === TcpState.LISTEN && s.local.port >= lo && s.local.port <= hi) listening.add(s.local.port);
  }
  let listenPortsInRange = 0;
  for (const port of listening) if (!isReserved(port, input.reserved)) listenPortsInRange++;
  // Reserved ports are never picked by connect(), so a socket on one was bound on purpose.
  const ephemeral = (port: number): boolean =>
    port >= lo && port <= hi && !listening.has(port) && !isReserved(port, input.reserved);

  const byKey = new Map<string, TimeWaitGroup>();
  let timeWaitRead = 0;
  for (const s of input.sockets) {
    if (s.state !== TcpState.TIME_WAIT) continue;
    timeWaitRead++;
    if (input.matches && !input.matches(s)) continue;
    const local = unmapIpv4(s.local.address);
    const remote = unmapIpv4(s.remote.address);
    const outgoing = ephemeral(s.local.port);
    const key = outgoing ? `o ${local} ${remote} ${s.remote.port}` : `i ${local} ${s.local.port} ${remote}`;
    let g = byKey.get(key);
    if (!g) {
      g = newGroup(outgoing, local, remote, s);
      byKey.set(key, g);
    }
    g.count++;
    const ms = s.timer?.expiresMs;
    if (ms !== undefined) {
      g.remainingMs.push(ms);
      if (g.minRemainingMs === null || ms < g.minRemainingMs) g.minRemainingMs = ms;
      if (g.maxRemainingMs === null || ms > g.maxRemainingMs) g.maxRemainingMs = ms;
    }
  }
  for (const s of input.sockets) {
    if (s.state === TcpState.TIME_WAIT || s.state === TcpState.LISTEN || !ephemeral(s.local.port)) continue;
    const g = byKey.get(`o ${unmapIpv4(s.local.address)} ${unmapIpv4(s.remote.address)} ${s.remote.port}`);
    if (g) g.otherInUse++;
  }
  return { groups: [...byKey.values()], timeWaitRead, listenPortsInRange };
}

function newGroup(outgoing: boolean, local: string, remote: string, s: TcpSocket): TimeWaitGroup {
  return {
    direction: outgoing ? "outgoing" : "incoming",
    local: { address: local, port: outgoing ? null : s.local.port },
    remote: { address: remote, port: outgoing ? s.remote.port : null },
    count: 0,
    remainingMs: [],
    minRemainingMs: null,
    maxRemainingMs: null,
    otherInUse: 0,
  };
}
