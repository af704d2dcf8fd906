/**
 * @module Builders for the kill tests: sockets and support verdicts with only
 * the fields a test cares about spelled out.
 */
import type { KillSupport, SupportStatus } from "../../../src/actions/kill/types.js";
import type { Owner, TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";

let nextInode = 5000;

function endpoint(text: string): { address: string; port: number } {
  const at = text.lastIndexOf(":");
  return { address: text.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(text.slice(at + 1)) };
}

export function sock(
  spec: { state?: TcpState; local?: string; remote?: string; inode?: number; owners?: Owner[] | null } = {},
): TcpSocket {
  const local = spec.local ?? "10.0.0.5:8080";
  const state = spec.state ?? TcpState.CLOSE_WAIT;
  const inode = spec.inode ?? (state === TcpState.TIME_WAIT ? 0 : nextInode++);
  return {
    family: local.startsWith("[") ? 6 : 4,
    state,
    local: endpoint(local),
    remote: endpoint(spec.remote ?? "10.0.0.9:51000"),
    recvQ: 0,
    sendQ: 0,
    timer: null,
    uid: state === TcpState.TIME_WAIT ? null : 1001,
    inode,
    cookie: String(inode + 1_000_000),
    ifindex: 0,
    owners: spec.owners !== undefined ? spec.owners : state === TcpState.TIME_WAIT ? null : [],
  };
}

export function support(destroy: SupportStatus, timeWait: SupportStatus | null = null): KillSupport {
  return {
    destroy: { status: destroy, detail: `destroy ${destroy}` },
    timeWait: timeWait === null ? null : { status: timeWait, detail: `time-wait ${timeWait}` },
  };
}
