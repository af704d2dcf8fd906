/**
 * @module The summary as table rows: states, then each top list under a
 * heading row. Shared by `summary` and the default report.
 */
import type { Summary } from "../analysis/summary.js";
import type { NetnsRef } from "../model/netns.js";
import type { Column } from "../render/table.js";
import { netnsLabel } from "./netns.js";

export interface SummaryLine {
  what: string;
  /** Empty on heading rows. */
  count: number | "";
}

export const SUMMARY_COLUMNS: Column<SummaryLine>[] = [
  { header: "What", value: (l) => l.what, shrinkable: true },
  { header: "Count", value: (l) => l.count, align: "right" },
];

export function summaryLines(summary: Summary): SummaryLine[] {
  const lines: SummaryLine[] = [{ what: "total", count: summary.total }];
  for (const [state, count] of Object.entries(summary.states)) lines.push({ what: `  ${state}`, count });
  const section = (title: string, items: Array<{ label: string; count: number }>) => {
    if (items.length === 0) return;
    lines.push({ what: title, count: "" });
    for (const item of items) lines.push({ what: `  ${item.label}`, count: item.count });
  };
  section(
    "top local ports",
    summary.topLocalPorts.map((p) => ({ label: `:${p.service ?? p.port}`, count: p.count })),
  );
  section(
    "top peers",
    summary.topPeers.map((p) => ({ label: p.address, count: p.count })),
  );
  if (summary.topOwners) {
    section(
      "top processes",
      summary.topOwners.map((o) => ({ label: `${o.comm} (pid ${o.pid})`, count: o.count })),
    );
  }
  return lines;
}

export interface NamespaceCount {
  netns: NetnsRef | null;
  total: number | null;
  error: string | null;
}

/** The host-wide summary, then one row per namespace with its total (or why it could not be read). */
export function namespaceSummaryLines(
  summary: Summary,
  namespaces: readonly NamespaceCount[],
): SummaryLine[] {
  const lines = summaryLines(summary);
  lines.push({ what: `namespaces (${namespaces.length})`, count: "" });
  for (const n of namespaces) {
    const label = n.netns ? netnsLabel(n.netns) : "this namespace";
    // Why is in the warnings: a table row stays one short line.
    lines.push({ what: `  ${label}${n.error ? " (not read)" : ""}`, count: n.total ?? "" });
  }
  return lines;
}
