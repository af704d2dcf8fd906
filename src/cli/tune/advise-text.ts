/**
 * @module The advice as text: one table row per finding (fits 80 columns),
 * then each finding's reason and the command to run, numbered like the rows.
 */
import type { Finding } from "../../analysis/advisor/types.js";
import { terminalWidth } from "../../render/output.js";
import { type Column, renderTable } from "../../render/table.js";
import { para, tally } from "./text.js";

interface Row {
  n: number;
  f: Finding;
}

const COLUMNS: Column<Row>[] = [
  { header: "#", value: (r) => r.n, align: "right" },
  { header: "Severity", value: (r) => r.f.severity },
  { header: "Setting", value: (r) => r.f.setting ?? "(none: CLOSE_WAIT)", shrinkable: true },
  { header: "Current", value: (r) => r.f.current?.split(/\s+/).join(" ") ?? "-", shrinkable: true },
  { header: "Recommended", value: (r) => r.f.recommended ?? "-" },
];

export const FINDING_CSV: Column<Finding>[] = [
  { header: "id", value: (f) => f.id },
  { header: "severity", value: (f) => f.severity },
  { header: "setting", value: (f) => f.setting ?? "" },
  { header: "current", value: (f) => f.current ?? "" },
  { header: "recommended", value: (f) => f.recommended ?? "" },
  { header: "command", value: (f) => f.command ?? "" },
  { header: "why", value: (f) => f.why },
];

export function adviceText(
  findings: readonly Finding[],
  kernel: string | null,
  hostname: string,
  settingsKnown = true,
): string {
  const head = `Kernel ${kernel ?? "unknown"} on ${hostname}: ${
    findings.length === 0
      ? "no findings"
      : `${findings.length} findings (${tally(findings.map((f) => f.severity))})`
  }`;
  if (findings.length === 0) {
    if (!settingsKnown)
      return [head, ...para("No kernel settings were known, so only CLOSE_WAIT was checked.")].join("\n");
    return [
      head,
      ...para(
        "The settings sockdoc checks (tcp_tw_reuse, tcp_timestamps, tcp_tw_recycle, ip_local_port_range, " +
          "tcp_max_tw_buckets, tcp_fin_timeout, somaxconn) suit what this host is doing now.",
      ),
    ].join("\n");
  }
  const rows = findings.map((f, i) => ({ n: i + 1, f }));
  const out = [head, "", renderTable(rows, COLUMNS, terminalWidth()), ""];
  for (const { n, f } of rows) {
    const label = `${n}. `;
    out.push(...para(`${f.severity}: ${f.why}`, label, " ".repeat(label.length)));
    if (f.command) out.push(`${" ".repeat(label.length)}Run: ${f.command}`);
  }
  return out.join("\n");
}
