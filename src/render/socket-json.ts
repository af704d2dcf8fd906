/**
 * @module The JSON form of a socket (DESIGN.md "JSON contract"): canonical
 * state names, owners null where the source cannot know them.
 */

import type { TcpSocket } from "../model/socket.js";
import { stateName } from "../model/tcp-state.js";

export interface SocketJson {
  family: "inet" | "inet6";
  state: string;
  local: { address: string; port: number };
  remote: { address: string; port: number };
  recvQ: number;
  sendQ: number;
  timer: { kind: string; expiresMs: number; retrans: number } | null;
  uid: number | null;
  inode: number | null;
  cookie: string | null;
  owners: Array<{ pid: number; comm: string; fd: number | null }> | null;
}

export function socketToJson(s: TcpSocket): SocketJson {
  return {
    family: s.family === 4 ? "inet" : "inet6",
    state: stateName(s.state),
    local: { address: s.local.address, port: s.local.port },
    remote: { address: s.remote.address, port: s.remote.port },
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    timer: s.timer,
    uid: s.uid,
    inode: s.inode,
    cookie: s.cookie,
    owners: s.owners,
  };
}
