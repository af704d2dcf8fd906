/**
 * @module The one place sockets are destroyed: SOCK_DESTROY per socket by
 * its exact id and cookie (a socket replaced since the read answers ENOENT
 * and is left alone). Never signals a process: the owner keeps running and
 * keeps its fd. Nothing is destroyed without a record: a group of intents is
 * committed (written and synced) before its destroys, their outcomes after;
 * when a commit fails the run stops there, and says what it had closed.
 */
import type { TcpSocket } from "../../model/socket.js";
import type { NativeAddon } from "../../sources/native.js";
import { buildDestroyRequest } from "../../sources/sock-diag.js";
import { type AuditContext, type AuditRecord, intentRecord, outcomeRecord } from "./audit-record.js";
import { decide, outcomeOf, predict } from "./outcome.js";
import type { KillResult, KillSupport } from "./types.js";

export interface Auditor {
  /** Writes and syncs the records, or throws: then none of them counts. */
  commit(records: readonly AuditRecord[]): void;
}

/**
 * Sockets per commit: two fsyncs per group instead of two per socket (48,000
 * sockets would otherwise take minutes of fsyncs), and still a record on disk
 * before each destroy.
 */
export const AUDIT_GROUP = 256;

export interface DestroyRun {
  /** One per target, in order; "stopped" for those never attempted after a failed commit. */
  results: KillResult[];
  /** The failed commit's error when the run stopped; null when it ran to the end. */
  stopped: unknown;
}

/** SOCK_DESTROY in the namespace the socket was read in: netnsPath enters it, null for sockdoc's own. */
function destroyOne(
  addon: Pick<NativeAddon, "inetDiagDestroy">,
  socket: TcpSocket,
  netnsPath: string | null,
): KillResult {
  try {
    const request = buildDestroyRequest(socket);
    const errno =
      netnsPath === null ? addon.inetDiagDestroy(request) : addon.inetDiagDestroy(request, netnsPath);
    return { socket, outcome: outcomeOf(errno), errno };
  } catch {
    // Only a socket whose id cannot be encoded gets here; the batch goes on.
    return { socket, outcome: "failed", errno: null };
  }
}

export function destroySockets(
  addon: Pick<NativeAddon, "inetDiagDestroy">,
  targets: readonly TcpSocket[],
  support: KillSupport,
  audit: { log: Auditor; context: AuditContext },
  group = AUDIT_GROUP,
  netnsPath: string | null = null,
): DestroyRun {
  const results: Array<KillResult | null> = [];
  const attempts: number[] = [];
  targets.forEach((socket, i) => {
    const d = decide(socket, support);
    results.push(d === "attempt" ? null : d);
    if (d === "attempt") attempts.push(i);
  });
  const now = () => ({ ...audit.context, time: new Date() });
  let stopped: unknown = null;
  for (let g = 0; g < attempts.length && stopped === null; g += group) {
    const indexes = attempts.slice(g, g + group);
    try {
      audit.log.commit(indexes.map((i) => intentRecord(targets[i]!, now())));
    } catch (err) {
      stopped = err;
      break;
    }
    const done = indexes.map((i) => destroyOne(addon, targets[i]!, netnsPath));
    indexes.forEach((i, k) => {
      results[i] = done[k]!;
    });
    try {
      audit.log.commit(done.map((r) => outcomeRecord(r, now())));
    } catch (err) {
      // These sockets have their intents on disk; the next group would not have its outcomes.
      stopped = err;
    }
  }
  return {
    results: results.map((r, i) => r ?? { socket: targets[i]!, outcome: "stopped", errno: null }),
    stopped,
  };
}

/** A dry run: what would happen, with no call made. */
export function predictSockets(targets: readonly TcpSocket[], support: KillSupport): KillResult[] {
  return targets.map((s) => predict(s, support));
}
