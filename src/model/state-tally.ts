/**
 * @module Sockets counted instead of listed: per kernel state and, with
 * detail, per local port and remote address (what a summary reads of them).
 * The addon makes it from a dump (native/state-tally.h) for the sockets no
 * analysis needs one by one.
 */
export interface StateTally {
  /** Sockets per kernel state number (NEW_SYN_RECV apart from SYN_RECV, as the kernel has them). */
  states: Uint32Array;
  /** [local port, sockets]; empty without detail. LISTEN sockets are not in it. */
  ports: Array<[number, number]>;
  /** [remote address text, sockets]; empty without detail. LISTEN sockets are not in it. */
  peers: Array<[string, number]>;
}
