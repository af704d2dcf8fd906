/**
 * @module The shapes `sockdoc kill` works with: what the kernel can destroy
 * (probe results), and what happened to each socket.
 */
import type { TcpSocket } from "../../model/socket.js";

/**
 * closed: destroyed now. gone: no longer there when we asked (closed by its
 * owner or peer, or replaced: the cookie did not match). unsupported: this
 * kernel cannot destroy it. denied: not permitted. failed: any other errno.
 * would-close: a dry run's prediction. stopped: not attempted, because the
 * run stopped when the audit log could not be written.
 */
export type KillOutcome = "closed" | "gone" | "unsupported" | "denied" | "failed" | "would-close" | "stopped";

export type SupportStatus = "supported" | "unsupported" | "unknown";

export interface ProbeResult {
  status: SupportStatus;
  /** How it was probed and what the kernel answered, in plain words. */
  detail: string;
}

export interface KillSupport {
  /** SOCK_DESTROY itself (CONFIG_INET_DIAG_DESTROY). */
  destroy: ProbeResult;
  /** Destroying TIME_WAIT sockets; null when nothing in TIME_WAIT was matched (not probed). */
  timeWait: ProbeResult | null;
}

export interface KillResult {
  socket: TcpSocket;
  outcome: KillOutcome;
  /** The errno the kernel answered (0 for closed); null when no call was made. */
  errno: number | null;
}
