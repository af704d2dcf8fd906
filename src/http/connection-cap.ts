/**
 * @module A cap on open connections that keeps the door open for real
 * clients. Idle connections past the cap (opened and silent, or kept alive
 * between requests) would otherwise hold file descriptors until the process
 * runs out and Prometheus itself is locked out. When a new connection would
 * pass the cap, the oldest connection with no request being answered is
 * closed to make room; only when every connection is busy is the newcomer
 * refused. (server.maxConnections would refuse the newcomer always, which
 * hands the port to whoever opened connections first.)
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export const DEFAULT_MAX_CONNECTIONS = 512;

export function capConnections(server: Server, max: number): void {
  // Insertion order is age order: the first idle one found is the oldest.
  const open = new Set<Socket>();
  const busy = new Map<Socket, number>();

  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      busy.delete(socket);
    });
    if (open.size <= max) return;
    for (const candidate of open) {
      if (candidate !== socket && !busy.has(candidate)) {
        candidate.destroy();
        open.delete(candidate);
        return;
      }
    }
    socket.destroy();
    open.delete(socket);
  });

  server.on("request", (req, res) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once("close", () => {
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) busy.set(socket, left);
      else busy.delete(socket);
    });
  });
}
