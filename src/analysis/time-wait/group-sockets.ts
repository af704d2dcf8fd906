/**
 * @module Groups a snapshot's sockets (TcpSocket records) by TIME_WAIT
 * destination: the records through the one streaming implementation
 * (stream.ts). The LISTEN sockets among them say which ports are bound, the
 * filter picks the TIME_WAIT sockets reported.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { Grouping } from "./grouping.js";
import type { PortRange } from "./ports.js";
import { type StreamedSocket, TimeWaitStream } from "./stream.js";

export interface GroupingInput {
  sockets: readonly TcpSocket[];
  portRange: PortRange;
  reserved: ReadonlyArray<readonly [number, number]>;
  /** Which TIME_WAIT sockets to report (the command's filter); all when absent. */
  matches?: (s: TcpSocket) => boolean;
}

/** A record as the stream reads it. */
function streamed(s: TcpSocket): StreamedSocket & { record: TcpSocket } {
  return {
    record: s,
    state: s.state,
    localAddress: s.local.address,
    localPort: s.local.port,
    remoteAddress: s.remote.address,
    remotePort: s.remote.port,
    expiresMs: s.timer ? s.timer.expiresMs : null,
  };
}

/**
 * Groups a snapshot's sockets through the same stream the inspection feeds
 * (stream.ts): the LISTEN sockets first, then the rest in their order.
 */
export function groupTimeWait(input: GroupingInput): Grouping {
  const { matches } = input;
  const stream = new TimeWaitStream<ReturnType<typeof streamed>>(
    { portRange: input.portRange, reserved: input.reserved },
    matches && ((v) => matches(v.record)),
  );
  const sockets = input.sockets;
  for (let i = 0; i < sockets.length; i++) {
    if (sockets[i]!.state === TcpState.LISTEN) stream.add(streamed(sockets[i]!));
  }
  for (let i = 0; i < sockets.length; i++) {
    if (sockets[i]!.state !== TcpState.LISTEN) stream.add(streamed(sockets[i]!));
  }
  return stream.finish();
}
