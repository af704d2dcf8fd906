/**
 * @module TIME_WAIT over several network namespaces: each has its own ports
 * and settings, so each keeps its own report; the worst comes first.
 */
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import { severityRank } from "../../model/severity.js";
import type { NetnsRef } from "../../model/netns.js";

export interface NamespaceTimeWait {
  netns: NetnsRef;
  report: TimeWaitReport;
}

/** Worst severity first, then most TIME_WAIT. */
export function rankByTimeWait(parts: readonly NamespaceTimeWait[]): NamespaceTimeWait[] {
  return [...parts].sort(
    (a, b) =>
      severityRank(b.report.severity) - severityRank(a.report.severity) || b.report.total - a.report.total,
  );
}
