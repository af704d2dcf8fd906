/**
 * @module Builders for the TIME_WAIT analysis tests: sockets from "addr:port"
 * text with only the fields the analysis reads, and settings with defaults.
 */
import type { TimeWaitSettings } from "../../../src/analysis/time-wait/settings.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";

function endpoint(text: string): { address: string; port: number } {
  const at = text.lastIndexOf(":");
  return { address: text.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(text.slice(at + 1)) };
}

export function sock(state: TcpState, local: string, remote: string, remainingMs?: number): TcpSocket {
  const l = endpoint(local);
  return {
    family: l.address.includes(":") ? 6 : 4,
    state,
    local: l,
    remote: endpoint(remote),
    recvQ: 0,
    sendQ: 0,
    timer: remainingMs === undefined ? null : { kind: "timewait", expiresMs: remainingMs, retrans: 0 },
    uid: null,
    inode: 0,
    cookie: null,
    owners: null,
  };
}

/** A TIME_WAIT socket with remainingMs left (default: just created, 60 s). */
export function tw(local: string, remote: string, remainingMs = 60_000): TcpSocket {
  return sock(TcpState.TIME_WAIT, local, remote, remainingMs);
}

/** count TIME_WAIT sockets from local ports firstPort.. toward remote. */
export function tws(address: string, firstPort: number, count: number, remote: string, remainingMs = 60_000) {
  return Array.from({ length: count }, (_, i) => tw(`${address}:${firstPort + i}`, remote, remainingMs));
}

export function settings(over: Partial<TimeWaitSettings> = {}): TimeWaitSettings {
  return {
    portRange: [32768, 60999],
    reserved: [],
    reservedPorts: 0,
    twReuse: 0,
    twReuseDelayMs: 1000,
    timestamps: 1,
    maxTwBuckets: 262144,
    ...over,
  };
}
