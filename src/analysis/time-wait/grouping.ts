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
 *
 * The grouper takes sockets one at a time as plain fields, so a source can
 * stream a dump into it without building a TcpSocket per socket.
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
  /** Every TIME_WAIT socket seen, before the filter (what tcp_max_tw_buckets counts). */
  timeWaitRead: number;
  /** Distinct listening ports inside the range and not reserved: connect() skips them. */
  listenPortsInRange: number;
}

export interface GrouperSettings {
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
  /** Local ports of LISTEN sockets (any address, any family): bound, so never ephemeral. */
  listening: ReadonlySet<number>;
}

/** a -> b -> c -> value, so no key string is built per socket. */
type Index<V> = Map<string, Map<string | number, Map<string | number, V>>>;

export class TimeWaitGrouper {
  private readonly outgoing: Index<TimeWaitGroup> = new Map();
  private readonly incoming: Index<TimeWaitGroup> = new Map();
  /** Other sockets on ephemeral ports, per triple; joined to the groups at the end. */
  private readonly others: Index<{ n: number }> = new Map();
  private readonly groups: TimeWaitGroup[] = [];
  private timeWaitRead = 0;

  constructor(private readonly settings: GrouperSettings) {}

  /** Reserved ports are never picked by connect(), so a socket on one was bound on purpose. */
  private ephemeral(port: number): boolean {
    const { portRange, reserved, listening } = this.settings;
    return (
      port >= portRange[0] &&
      port <= portRange[1] &&
      !listening.has(port) &&
      (reserved.length === 0 || !isReserved(port, reserved))
    );
  }

  /** Counts a TIME_WAIT socket that the filter dropped (for the bucket total). */
  countOnly(): void {
    this.timeWaitRead++;
  }

  /** A TIME_WAIT socket; addresses as printed (IPv4-mapped ones are folded into IPv4). */
  addTimeWait(
    localAddress: string,
    localPort: number,
    remoteAddress: string,
    remotePort: number,
    remainingMs: number | null,
  ): void {
    this.timeWaitRead++;
    const local = unmapIpv4(localAddress);
    const remote = unmapIpv4(remoteAddress);
    const g = this.ephemeral(localPort)
      ? lookup(this.outgoing, local, remote, remotePort, () =>
          this.newGroup("outgoing", local, remote, remotePort),
        )
      : lookup(this.incoming, local, localPort, remote, () =>
          this.newGroup("incoming", local, remote, localPort),
        );
    g.count++;
    if (remainingMs !== null) {
      g.remainingMs.push(remainingMs);
      if (g.minRemainingMs === null || remainingMs < g.minRemainingMs) g.minRemainingMs = remainingMs;
      if (g.maxRemainingMs === null || remainingMs > g.maxRemainingMs) g.maxRemainingMs = remainingMs;
    }
  }

  /** A socket in another connected state (not TIME_WAIT, not LISTEN). */
  addOther(localAddress: string, localPort: number, remoteAddress: string, remotePort: number): void {
    if (!this.ephemeral(localPort)) return;
    lookup(this.others, unmapIpv4(localAddress), unmapIpv4(remoteAddress), remotePort, () => ({ n: 0 })).n++;
  }

  finish(): Grouping {
    for (const g of this.groups) {
      if (g.direction !== "outgoing") continue;
      g.otherInUse =
        this.others
          .get(g.local.address)
          ?.get(g.remote.address)
          ?.get(g.remote.port ?? 0)?.n ?? 0;
    }
    const { portRange, reserved, listening } = this.settings;
    let listenPortsInRange = 0;
    for (const port of listening) {
      if (port >= portRange[0] && port <= portRange[1] && !isReserved(port, reserved)) listenPortsInRange++;
    }
    return { groups: this.groups, timeWaitRead: this.timeWaitRead, listenPortsInRange };
  }

  private newGroup(direction: Direction, local: string, remote: string, port: number): TimeWaitGroup {
    const outgoing = direction === "outgoing";
    const g: TimeWaitGroup = {
      direction,
      local: { address: local, port: outgoing ? null : port },
      remote: { address: remote, port: outgoing ? port : null },
      count: 0,
      remainingMs: [],
      minRemainingMs: null,
      maxRemainingMs: null,
      otherInUse: 0,
    };
    this.groups.push(g);
    return g;
  }
}

function lookup<V>(index: Index<V>, a: string, b: string | number, c: string | number, make: () => V): V {
  let byB = index.get(a);
  if (!byB) {
    byB = new Map();
    index.set(a, byB);
  }
  let byC = byB.get(b);
  if (!byC) {
    byC = new Map();
    byB.set(b, byC);
  }
  let v = byC.get(c);
  if (v === undefined) {
    v = make();
    byC.set(c, v);
  }
  return v;
}

/** Local ports of the LISTEN sockets among sockets. */
export function listeningPorts(sockets: readonly TcpSocket[]): Set<number> {
  const ports = new Set<number>();
  for (const s of sockets) if (s.state === TcpState.LISTEN) ports.add(s.local.port);
  return ports;
}

export interface GroupingInput {
  sockets: readonly TcpSocket[];
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
  /** Which TIME_WAIT sockets to report (the command's filter); all when absent. */
  matches?: (s: TcpSocket) => boolean;
}

/** Groups a snapshot's sockets (the LISTEN ones among them say which ports are bound). */
export function groupTimeWait(input: GroupingInput): Grouping {
  const grouper = new TimeWaitGrouper({
    portRange: input.portRange,
    reserved: input.reserved,
    listening: listeningPorts(input.sockets),
  });
  for (const s of input.sockets) {
    if (s.state === TcpState.TIME_WAIT) {
      if (input.matches && !input.matches(s)) grouper.countOnly();
      else {
        const ms = s.timer ? s.timer.expiresMs : null;
        grouper.addTimeWait(s.local.address, s.local.port, s.remote.address, s.remote.port, ms);
      }
    } else if (s.state !== TcpState.LISTEN) {
      grouper.addOther(s.local.address, s.local.port, s.remote.address, s.remote.port);
    }
  }
  return grouper.finish();
}
