/**
 * @module Arranges report groups into the text report's blocks: one per
 * owning process, one per accept queue (not-accepted), one for sockets whose
 * owner is unknown. Blocks keep the report's order (worst, then largest).
 */
import type { CloseWaitReport, ProcessReport, ReportGroup } from "../../analysis/close-wait/report.js";
import { maxSeverity, type Severity } from "../../analysis/close-wait/severity.js";

export interface Block {
  kind: "process" | "queue" | "unknown";
  groups: ReportGroup[];
  /** The owner, or for a queue the listener's process; null when unknown. */
  process: ProcessReport | null;
  severity: Severity;
}

function keyOf(g: ReportGroup): string {
  if (g.owner) return `pid:${g.owner.pid}`;
  if (g.cause === "not-accepted") return `queue:${g.listener?.local.address ?? "?"}:${g.localPort}`;
  return `unknown:${g.ownerNote}`;
}

export function blocksOf(report: CloseWaitReport): Block[] {
  const byPid = new Map(report.processes.map((p) => [p.pid, p]));
  const blocks = new Map<string, Block>();
  for (const g of report.groups) {
    const key = keyOf(g);
    let b = blocks.get(key);
    if (!b) {
      const pid = g.owner?.pid ?? g.listener?.ownerPid ?? null;
      b = {
        kind: g.owner ? "process" : g.cause === "not-accepted" ? "queue" : "unknown",
        groups: [],
        process: pid === null ? null : (byPid.get(pid) ?? null),
        severity: g.severity,
      };
      blocks.set(key, b);
    }
    b.groups.push(g);
    b.severity = maxSeverity([b.severity, g.severity]) as Severity;
  }
  return [...blocks.values()];
}
