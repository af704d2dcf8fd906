/**
 * @module How bad a CLOSE_WAIT group is, for --fail-on and for ordering.
 * The thresholds are documented in `sockdoc closewait --help`:
 *   critical: >= 1000 sockets; or the owner uses >= 90% of its open-files
 *             limit; or at the measured growth it reaches the limit within
 *             an hour; or the listener's accept queue is full.
 *   warning:  >= 100 sockets; or growing during the watch; or the owner uses
 *             >= 50% of its open-files limit; or connections wait un-accepted.
 *   info:     any other CLOSE_WAIT socket.
 */
import type { Growth } from "./growth.js";
import type { CloseWaitGroup } from "./types.js";

import { maxSeverity as worst, type Severity } from "../../model/severity.js";

export { SEVERITIES, type Severity, severityRank } from "../../model/severity.js";

export const THRESHOLDS = {
  warningCount: 100,
  criticalCount: 1000,
  warningFdShare: 0.5,
  criticalFdShare: 0.9,
  criticalEtaSeconds: 3600,
} as const;

/** The worst of the list; "none" when it is empty (no CLOSE_WAIT at all). */
export function maxSeverity(list: ReadonlyArray<Severity>): Severity | "none" {
  return worst(list) ?? "none";
}

export interface Graded {
  severity: Severity;
  /** Why, one short phrase per rule that fired; empty for plain info. */
  reasons: string[];
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function gradeGroup(
  g: Pick<CloseWaitGroup, "count" | "cause" | "listener">,
  growth: Growth | null,
  fd: { count: number | null; limit: number | null } | null,
): Graded {
  const critical: string[] = [];
  const warning: string[] = [];
  if (g.count >= THRESHOLDS.criticalCount)
    critical.push(`${g.count} sockets (>= ${THRESHOLDS.criticalCount})`);
  else if (g.count >= THRESHOLDS.warningCount)
    warning.push(`${g.count} sockets (>= ${THRESHOLDS.warningCount})`);
  if (fd?.count != null && fd.limit != null && fd.limit > 0) {
    const share = fd.count / fd.limit;
    const text = `owner has ${fd.count} of ${fd.limit} open files (${pct(share)})`;
    if (share >= THRESHOLDS.criticalFdShare) critical.push(text);
    else if (share >= THRESHOLDS.warningFdShare) warning.push(text);
  }
  if (growth?.limitEtaSeconds != null && growth.limitEtaSeconds <= THRESHOLDS.criticalEtaSeconds) {
    critical.push(`reaches the open-files limit in about ${Math.ceil(growth.limitEtaSeconds / 60)} min`);
  }
  if (growth?.perMinute != null && growth.perMinute > 0 && growth.new > 0) {
    warning.push(`growing by ${growth.perMinute}/min`);
  }
  if (g.cause === "not-accepted") {
    if (g.listener?.full) critical.push("accept queue full: new connections are dropped");
    else warning.push("connections wait un-accepted");
  }
  if (critical.length > 0) return { severity: "critical", reasons: [...critical, ...warning] };
  if (warning.length > 0) return { severity: "warning", reasons: warning };
  return { severity: "info", reasons: [] };
}
