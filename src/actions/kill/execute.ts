/**
 * @module The one place sockets are destroyed: SOCK_DESTROY per socket by
 * its exact id and cookie (a socket replaced since the read answers ENOENT
 * and is left alone), an audit record for each one closed. Never signals a
 * process: the owner keeps running and keeps its fd.
 */
import type { TcpSocket } from "../../model/socket.js";
import type { NativeAddon } from "../../sources/native.js";
import { buildDestroyRequest } from "../../sources/sock-diag.js";
import { type AuditContext, auditRecord } from "./audit-record.js";
import { decide, outcomeOf, predict } from "./outcome.js";
import type { KillResult, KillSupport } from "./types.js";

export interface Auditor {
  append(record: ReturnType<typeof auditRecord>): void;
}

export function destroySockets(
  addon: Pick<NativeAddon, "inetDiagDestroy">,
  targets: readonly TcpSocket[],
  support: KillSupport,
  audit: { log: Auditor; context: AuditContext },
): KillResult[] {
  const results: KillResult[] = [];
  for (const socket of targets) {
    const d = decide(socket, support);
    if (d !== "attempt") {
      results.push(d);
      continue;
    }
    let result: KillResult;
    try {
      const errno = addon.inetDiagDestroy(buildDestroyRequest(socket));
      result = { socket, outcome: outcomeOf(errno), errno };
    } catch {
      // Only a socket whose id cannot be encoded gets here; the batch goes on.
      result = { socket, outcome: "failed", errno: null };
    }
    if (result.outcome === "closed") {
      audit.log.append(auditRecord(result, { ...audit.context, time: new Date() }));
    }
    results.push(result);
  }
  return results;
}

/** A dry run: what would happen, with no call made. */
export function predictSockets(targets: readonly TcpSocket[], support: KillSupport): KillResult[] {
  return targets.map((s) => predict(s, support));
}
