/**
 * @module TcpSocket and Owner: one TCP socket as every source reports it.
 * Plain data; fields a source cannot know are null, never guessed.
 */
import type { Endpoint, Family } from "./endpoint.js";
import type { TcpState } from "./tcp-state.js";

export type TimerKind = "on" | "keepalive" | "timewait" | "persist" | "off";

export interface Timer {
  kind: TimerKind;
  /** Milliseconds until the timer fires (0 when already due). */
  expiresMs: number;
  /** Retransmits (or keepalive probes) so far. */
  retrans: number;
}

export interface Owner {
  pid: number;
  /** Process name from /proc/PID/comm (or the capture's program column). */
  comm: string;
  /** The fd number in that process; null when the source only knows pid. */
  fd: number | null;
}

export interface TcpSocket {
  family: Family;
  state: TcpState;
  local: Endpoint;
  remote: Endpoint;
  /** Bytes not yet read by the application (LISTEN: accept queue length). */
  recvQ: number;
  /** Bytes not yet acknowledged by the peer (LISTEN: backlog). */
  sendQ: number;
  timer: Timer | null;
  uid: number | null;
  /** 0 = no fd (TIME_WAIT, never accepted, orphaned). */
  inode: number | null;
  /** Kernel socket cookie as a decimal string (64-bit); null where unknown. */
  cookie: string | null;
  /** Interface index the socket is bound to (0 = any); needed for SOCK_DESTROY. */
  ifindex?: number;
  /** null: the source cannot know; []: looked and found none. */
  owners: Owner[] | null;
}

/**
 * A socket known only by its state and endpoints (a traced state change, a
 * probe's made-up socket): every other field unknown, or as given in extra.
 */
export function bareSocket(
  family: Family,
  state: TcpState,
  local: Endpoint,
  remote: Endpoint,
  extra: Partial<TcpSocket> = {},
): TcpSocket {
  return {
    family,
    state,
    local,
    remote,
    recvQ: 0,
    sendQ: 0,
    timer: null,
    uid: null,
    inode: null,
    cookie: null,
    owners: null,
    ...extra,
  };
}
