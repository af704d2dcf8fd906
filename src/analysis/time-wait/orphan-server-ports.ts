/**
 * @module A server port inside the ephemeral range whose listener is gone
 * (stopped, or restarting) looks like a client's port: each of its
 * TIME_WAIT sockets becomes an outgoing "destination" holding one socket
 * (one per client port, since the 4-tuple is unique), all with the same
 * local port. Where at least SERVER_PORT_SINGLES such one-socket groups
 * share a local address and port, they are folded back into incoming
 * groups. A real client port shared by that many destinations, each holding
 * exactly that one socket and nothing else, is very unlikely.
 */
import type { TimeWaitGroup } from "./grouping.js";

export const SERVER_PORT_SINGLES = 8;

/**
 * groups without the folded ones, plus the incoming groups they went into
 * (incomingFor returns the incoming group for local address, local port and
 * client address, making it when needed).
 */
export function foldOrphanServerPorts(
  groups: TimeWaitGroup[],
  incomingFor: (address: string, port: number, remote: string) => TimeWaitGroup,
): TimeWaitGroup[] {
  const singles = new Map<string, Map<number, TimeWaitGroup[]>>();
  for (const g of groups) {
    if (g.direction !== "outgoing" || g.count !== 1 || g.otherInUse !== 0) continue;
    let byPort = singles.get(g.local.address);
    if (byPort === undefined) {
      byPort = new Map();
      singles.set(g.local.address, byPort);
    }
    const list = byPort.get(g.firstLocalPort);
    if (list === undefined) byPort.set(g.firstLocalPort, [g]);
    else list.push(g);
  }
  const moved = new Set<TimeWaitGroup>();
  const made: TimeWaitGroup[] = [];
  for (const [address, byPort] of singles) {
    for (const [port, list] of byPort) {
      if (list.length < SERVER_PORT_SINGLES) continue;
      for (const g of list) {
        moved.add(g);
        const into = incomingFor(address, port, g.remote.address);
        if (into.count === 0) made.push(into);
        absorb(into, g);
      }
    }
  }
  return moved.size === 0 ? groups : [...groups.filter((g) => !moved.has(g)), ...made];
}

function absorb(into: TimeWaitGroup, g: TimeWaitGroup): void {
  into.count += g.count;
  for (const ms of g.remainingMs) into.remainingMs.push(ms);
  if (g.minRemainingMs !== null && (into.minRemainingMs === null || g.minRemainingMs < into.minRemainingMs)) {
    into.minRemainingMs = g.minRemainingMs;
  }
  if (g.maxRemainingMs !== null && (into.maxRemainingMs === null || g.maxRemainingMs > into.maxRemainingMs)) {
    into.maxRemainingMs = g.maxRemainingMs;
  }
}
