/**
 * @module The order sockets are listed and closed in: by family, state,
 * local port, peer address and peer port, so a table (and the audit log)
 * reads in the same order on every run instead of the kernel's hash order.
 */
import type { TcpSocket } from "../../model/socket.js";

export function compareSockets(a: TcpSocket, b: TcpSocket): number {
  return (
    a.family - b.family ||
    a.state - b.state ||
    a.local.port - b.local.port ||
    a.local.address.localeCompare(b.local.address) ||
    a.remote.address.localeCompare(b.remote.address) ||
    a.remote.port - b.remote.port
  );
}
