/**
 * @module Builders for the CLOSE_WAIT analysis tests: sockets, listeners and
 * process facts with only the fields a test cares about spelled out.
 */
import type { ProcessFacts } from "../../../src/analysis/close-wait/types.js";
import type { Owner, TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";

let nextInode = 1000;

export interface SocketSpec {
  local?: string;
  remote?: string;
  recvQ?: number;
  sendQ?: number;
  inode?: number | null;
  owners?: Owner[] | null;
  uid?: number | null;
  state?: TcpState;
  cookie?: string | null;
}

function endpoint(text: string): { address: string; port: number } {
  const at = text.lastIndexOf(":");
  return { address: text.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(text.slice(at + 1)) };
}

export function sock(spec: SocketSpec = {}): TcpSocket {
  const local = spec.local ?? "10.0.0.5:8080";
  return {
    family: local.includes("[") || local.split(":").length > 2 ? 6 : 4,
    state: spec.state ?? TcpState.CLOSE_WAIT,
    local: endpoint(local),
    remote: endpoint(spec.remote ?? "10.0.0.9:51000"),
    recvQ: spec.recvQ ?? 0,
    sendQ: spec.sendQ ?? 0,
    timer: null,
    uid: spec.uid === undefined ? 1001 : spec.uid,
    inode: spec.inode === undefined ? nextInode++ : spec.inode,
    cookie: spec.cookie ?? null,
    owners: spec.owners === undefined ? [] : spec.owners,
  };
}

export function owner(pid: number, fd: number, comm = "app"): Owner {
  return { pid, comm, fd };
}

export function listener(
  local: string,
  acceptQueue: number,
  backlog: number,
  owners: Owner[] = [],
): TcpSocket {
  return sock({
    state: TcpState.LISTEN,
    local,
    remote: "0.0.0.0:0",
    recvQ: acceptQueue,
    sendQ: backlog,
    owners,
  });
}

export function facts(pid: number, over: Partial<ProcessFacts> = {}): ProcessFacts {
  return {
    pid,
    comm: "app",
    cmdline: null,
    uid: 1001,
    user: "shop",
    unit: null,
    container: null,
    fdCount: 10,
    fdLimit: 1024,
    threads: [],
    ...over,
  };
}
