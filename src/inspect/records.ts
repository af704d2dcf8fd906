/**
 * @module Turns the socket a cursor points at into a TcpSocket record that
 * outlives the visit: what an analysis keeps when it needs owners or prints
 * every socket. Same fields, in the same order, as the sock_diag decoder.
 */
import type { TcpSocket } from "../model/socket.js";
import type { SocketCursor } from "../sources/sock-diag.js";
import { RecordCursor } from "./record-cursor.js";

export function materialize(c: SocketCursor): TcpSocket {
  // Sockets from /proc or a capture already are records (with a capture's owners).
  if (c instanceof RecordCursor) return c.socket;
  return {
    family: c.family,
    state: c.state,
    local: { address: c.localAddress, port: c.localPort },
    remote: { address: c.remoteAddress, port: c.remotePort },
    recvQ: c.recvQ,
    sendQ: c.sendQ,
    timer: c.timer,
    uid: c.uid,
    inode: c.inode,
    cookie: c.cookie,
    ifindex: c.ifindex,
    owners: null,
  };
}
