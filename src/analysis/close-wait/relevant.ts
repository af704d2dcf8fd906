/**
 * @module Which sockets the CLOSE_WAIT report looks at: the CLOSE_WAIT ones
 * and only the listeners on their local ports (for accept queues). Pure.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";

export function keepRelevant(sockets: readonly TcpSocket[]): TcpSocket[] {
  const ports = new Set<number>();
  for (const s of sockets) if (s.state === TcpState.CLOSE_WAIT) ports.add(s.local.port);
  return sockets.filter((s) => s.state === TcpState.CLOSE_WAIT || ports.has(s.local.port));
}
