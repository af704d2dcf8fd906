/**
 * @module Groups a snapshot's sockets (TcpSocket records) by TIME_WAIT
 * destination through TimeWaitGrouper: the LISTEN sockets among them say
 * which ports are bound, the filter picks the TIME_WAIT sockets reported.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { type Grouping, TimeWaitGrouper } from "./grouping.js";
import type { PortRange } from "./ports.js";

/** Local ports of the LISTEN sockets among sockets. */
export function listeningPorts(sockets: readonly TcpSocket[]): Set<number> {
  const ports = new Set<number>();
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i]!;
    if (s.state === TcpState.LISTEN) ports.add(s.local.port);
  }
  return ports;
}

export interface GroupingInput {
  sockets: readonly TcpSocket[];
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
  /** Which TIME_WAIT sockets to report (the command's filter); all when absent. */
  matches?: (s: TcpSocket) => boolean;
}

/** Groups a snapshot's sockets. */
export function groupTimeWait(input: GroupingInput): Grouping {
  const grouper = new TimeWaitGrouper({
    portRange: input.portRange,
    reserved: input.reserved,
    listening: listeningPorts(input.sockets),
  });
  // Indexed loops: the first (and only) pass over 100k sockets runs before the JIT warms up.
  const sockets = input.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i]!;
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
