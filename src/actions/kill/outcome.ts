/**
 * @module Pure decisions per socket: whether to call SOCK_DESTROY at all
 * (not when a probe already showed the kernel cannot), what the kernel's
 * answer means, and the exit code a whole run ends with.
 */
import { EXIT } from "../../model/errors.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { ERRNO } from "./errno.js";
import type { KillOutcome, KillResult, KillSupport } from "./types.js";

/**
 * "attempt" when SOCK_DESTROY should be called for this socket, else the
 * result already known from the probes (no call is made).
 */
export function decide(socket: TcpSocket, support: KillSupport): "attempt" | KillResult {
  if (support.destroy.status === "unsupported") return { socket, outcome: "unsupported", errno: null };
  if (socket.state === TcpState.TIME_WAIT && support.timeWait?.status === "unsupported") {
    return { socket, outcome: "unsupported", errno: null };
  }
  return "attempt";
}

/** The outcome of one SOCK_DESTROY answer (0 or a positive errno). */
export function outcomeOf(errno: number): KillOutcome {
  if (errno === 0) return "closed";
  // The cookie makes a replaced socket (same 4-tuple, new connection) answer ENOENT too.
  if (errno === ERRNO.ENOENT) return "gone";
  if (errno === ERRNO.EOPNOTSUPP) return "unsupported";
  if (errno === ERRNO.EPERM || errno === ERRNO.EACCES) return "denied";
  return "failed";
}

/** What a dry run predicts: the probes' verdict, else would-close. */
export function predict(socket: TcpSocket, support: KillSupport): KillResult {
  const d = decide(socket, support);
  return d === "attempt" ? { socket, outcome: "would-close", errno: null } : d;
}

const DONE: ReadonlySet<KillOutcome> = new Set(["closed", "gone", "would-close"]);

/** 0 when every socket was (or would be) closed or was already gone; 1 when some were not. */
export function exitCodeFor(results: readonly KillResult[]): number {
  return results.every((r) => DONE.has(r.outcome)) ? EXIT.ok : EXIT.findings;
}

/** Results per outcome, only the outcomes that occur, in a fixed order. */
export function countOutcomes(results: readonly KillResult[]): Partial<Record<KillOutcome, number>> {
  const order: KillOutcome[] = [
    "closed",
    "would-close",
    "gone",
    "unsupported",
    "denied",
    "failed",
    "stopped",
  ];
  const counts: Partial<Record<KillOutcome, number>> = {};
  for (const o of order) {
    const n = results.filter((r) => r.outcome === o).length;
    if (n > 0) counts[o] = n;
  }
  return counts;
}
