/**
 * @module The cause of one CLOSE_WAIT socket, read from its Recv-Q and inode,
 * and what each cause means in plain words. The kernel counts the peer's FIN
 * as one byte of the receive queue until the application reads it (a read
 * that returns 0), which is what tells the causes apart.
 */
import type { TcpSocket } from "../../model/socket.js";
import type { Cause } from "./types.js";

/**
 * inode 0 on a CLOSE_WAIT socket means no process has an fd on it: it is
 * still in a listener's accept queue (once accepted and closed it would be
 * LAST_ACK, not CLOSE_WAIT). An unknown inode (null, from captures without
 * it) falls back to Recv-Q.
 */
export function causeOf(s: Pick<TcpSocket, "recvQ" | "inode">): Cause {
  if (s.inode === 0) return "not-accepted";
  if (s.recvQ <= 0) return "eof-not-closed";
  if (s.recvQ === 1) return "fin-unread";
  return "data-unread";
}

export interface CauseText {
  /** One-line meaning, evidence first. */
  why: string;
  /** Where to look in the application's code. */
  look: string;
}

export const CAUSE_TEXT: Record<Cause, CauseText> = {
  "eof-not-closed": {
    why: "Recv-Q 0: the application read the end of the stream and never called close().",
    look:
      "Look for the path that handles a read returning 0 / EOF: a missing close(), a connection " +
      "object that leaks (not closed in finally / defer / with), or a pool that keeps dead connections.",
  },
  "fin-unread": {
    why: "Recv-Q 1: the application never read the peer's FIN; nobody is reading this socket.",
    look:
      "Look for the thread or callback that should read it: stuck on a lock or on another call, " +
      "a socket paused and never resumed, or a connection handed off and forgotten.",
  },
  "data-unread": {
    why: "Recv-Q > 1: unread data plus the FIN are waiting; the application stopped reading.",
    look:
      "Look for a reader that stopped before the end: a response body never consumed, a request " +
      "left half-read, or a consumer blocked elsewhere.",
  },
  "not-accepted": {
    why: "No fd (inode 0): the connection was never accept()ed; it waits in the listener's queue.",
    look:
      "Look at the accept loop: it is stuck, too slow, or the process stopped accepting " +
      "(paused, overloaded, blocked on a lock). Compare the accept queue with the backlog.",
  },
};
