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
import { TIME_WAIT_MS } from "./forecast.js";
import { foldOrphanServerPorts } from "./orphan-server-ports.js";
import { isReserved, type PortRange } from "./ports.js";

export type { Direction } from "../../model/direction.js";
import type { Direction } from "../../model/direction.js";

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
  /** Local port of the group's first socket (spots server ports whose listener is gone). */
  firstLocalPort: number;
}

export interface Grouping {
  groups: TimeWaitGroup[];
  /** Every TIME_WAIT socket seen, before the filter (what tcp_max_tw_buckets counts). */
  timeWaitRead: number;
  /** Distinct listening ports inside the range and not reserved: connect() skips them. */
  listenPortsInRange: number;
  /** TIME_WAIT timers over 60 s (see addTimeWait), and the longest; 0 and null when none. */
  overlongTimers: number;
  longestTimerMs: number | null;
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
  /** Other sockets on ephemeral ports, counted per triple; joined to the groups at the end. */
  private readonly others: Index<number> = new Map();
  private groups: TimeWaitGroup[] = [];
  private timeWaitRead = 0;
  private overlongTimers = 0;
  private longestTimerMs: number | null = null;

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
      ? this.group(this.outgoing, "outgoing", local, remote, remotePort, localPort)
      : this.group(this.incoming, "incoming", local, localPort, remote, localPort);
    if (g.count === 0) this.groups.push(g);
    g.count++;
    // Linux holds TIME_WAIT exactly 60 s (TCP_TIMEWAIT_LEN): a longer timer is
    // a clock or capture anomaly, or another OS. Its age (60 s - left) would
    // be negative and count it as just closed, so it stays out of the rate.
    if (remainingMs !== null && remainingMs > TIME_WAIT_MS) {
      this.overlongTimers++;
      if (this.longestTimerMs === null || remainingMs > this.longestTimerMs)
        this.longestTimerMs = remainingMs;
      return;
    }
    if (remainingMs !== null) {
      g.remainingMs.push(remainingMs);
      if (g.minRemainingMs === null || remainingMs < g.minRemainingMs) g.minRemainingMs = remainingMs;
      if (g.maxRemainingMs === null || remainingMs > g.maxRemainingMs) g.maxRemainingMs = remainingMs;
    }
  }

  /**
   * Remote ports of the outgoing groups so far: sockets in other states
   * count only toward these (see finish()), so a source may skip the rest.
   */
  outgoingRemotePorts(): number[] {
    const ports = new Set<number>();
    for (const byRemote of this.outgoing.values()) {
      for (const byPort of byRemote.values()) for (const port of byPort.keys()) ports.add(port as number);
    }
    return [...ports];
  }

  /** A socket in another connected state (not TIME_WAIT, not LISTEN). */
  addOther(localAddress: string, localPort: number, remoteAddress: string, remotePort: number): void {
    if (!this.ephemeral(localPort)) return;
    const byPort = inner(this.others, unmapIpv4(localAddress), unmapIpv4(remoteAddress));
    byPort.set(remotePort, (byPort.get(remotePort) ?? 0) + 1);
  }

  finish(): Grouping {
    for (const g of this.groups) {
      if (g.direction !== "outgoing") continue;
      const byPort = this.others.get(g.local.address)?.get(g.remote.address);
      g.otherInUse = byPort?.get(g.remote.port ?? 0) ?? 0;
    }
    this.groups = foldOrphanServerPorts(this.groups, (address, port, remote) =>
      this.group(this.incoming, "incoming", address, port, remote, port),
    );
    const { portRange, reserved, listening } = this.settings;
    let listenPortsInRange = 0;
    for (const port of listening) {
      if (port >= portRange[0] && port <= portRange[1] && !isReserved(port, reserved)) listenPortsInRange++;
    }
    return {
      groups: this.groups,
      timeWaitRead: this.timeWaitRead,
      listenPortsInRange,
      overlongTimers: this.overlongTimers,
      longestTimerMs: this.longestTimerMs,
    };
  }

  /**
   * The group at a -> b -> c, made (with count 0, not yet listed) on first use. Outgoing: local address,
   * remote address, remote port; incoming: local address, local port, remote
   * address. No closure per call: this runs once per socket.
   */
  private group(
    index: Index<TimeWaitGroup>,
    direction: Direction,
    a: string,
    b: string | number,
    c: string | number,
    localPort: number,
  ): TimeWaitGroup {
    const byC = inner(index, a, b);
    let g = byC.get(c);
    if (g === undefined) {
      const outgoing = direction === "outgoing";
      g = {
        direction,
        local: { address: a, port: outgoing ? null : (b as number) },
        remote: outgoing ? { address: b as string, port: c as number } : { address: c as string, port: null },
        count: 0,
        remainingMs: [],
        minRemainingMs: null,
        maxRemainingMs: null,
        otherInUse: 0,
        firstLocalPort: localPort,
      };
      byC.set(c, g);
    }
    return g;
  }
}

/** The innermost map at a -> b, made on first use. */
function inner<V>(index: Index<V>, a: string, b: string | number): Map<string | number, V> {
  let byB = index.get(a);
  if (byB === undefined) {
    byB = new Map();
    index.set(a, byB);
  }
  let byC = byB.get(b);
  if (byC === undefined) {
    byC = new Map();
    byB.set(b, byC);
  }
  return byC;
}
