/**
 * @module timewait's text and CSV: the header lines, the destination table
 * and the notes on flagged destinations. Pure (the width is passed in).
 */
import { formatRate, formatSeconds } from "../../analysis/time-wait/note.js";
import type { Destination, TimeWaitReport } from "../../analysis/time-wait/report.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { type Column, renderTable } from "../../render/table.js";
import { wrap } from "../wrap.js";

export const DEFAULT_TOP = 10;
const MAX_NOTES = 5;

function destinationText(d: Destination): string {
  const { local, remote } = d;
  if (d.direction === "outgoing") {
    return `${local.address} -> ${formatEndpoint({ address: remote.address, port: remote.port ?? 0 })}`;
  }
  return `${formatEndpoint({ address: local.address, port: local.port ?? 0 })} <- ${remote.address}`;
}

function secondsLeft(d: Destination): string {
  const { min, max } = d.remainingMs;
  return min === null || max === null ? "?" : `${Math.floor(min / 1000)}-${Math.ceil(max / 1000)}`;
}

function failsIn(d: Destination): string {
  if (d.direction === "incoming") return "-";
  if (d.exhaustedInSec === 0) return "now";
  if (d.exhaustedInSec !== null) return formatSeconds(d.exhaustedInSec);
  return d.reuse ? "no (reuse)" : "no";
}

const TABLE: Column<Destination>[] = [
  { header: "Destination", value: destinationText, shrinkable: true },
  { header: "Side", value: (d) => (d.direction === "outgoing" ? "out" : "in") },
  { header: "TW", value: (d) => d.count, align: "right" },
  { header: "Left s", value: secondsLeft, align: "right" },
  { header: "Free", value: (d) => d.portsLeft ?? "-", align: "right" },
  { header: "New/s", value: (d) => (d.ratePerSec === null ? "?" : formatRate(d.ratePerSec)), align: "right" },
  { header: "Fails in", value: failsIn },
];

export const CSV: Column<Destination>[] = [
  { header: "direction", value: (d) => d.direction },
  { header: "local_address", value: (d) => d.local.address },
  { header: "local_port", value: (d) => d.local.port ?? "" },
  { header: "remote_address", value: (d) => d.remote.address },
  { header: "remote_port", value: (d) => d.remote.port ?? "" },
  { header: "count", value: (d) => d.count },
  { header: "remaining_min_ms", value: (d) => d.remainingMs.min ?? "" },
  { header: "remaining_max_ms", value: (d) => d.remainingMs.max ?? "" },
  { header: "ports_in_use", value: (d) => d.portsInUse ?? "" },
  { header: "ports_left", value: (d) => d.portsLeft ?? "" },
  { header: "rate_per_sec", value: (d) => d.ratePerSec ?? "" },
  { header: "exhausted_in_sec", value: (d) => d.exhaustedInSec ?? "" },
  { header: "severity", value: (d) => d.severity },
];

function headerLines(r: TimeWaitReport, width: number): string[] {
  const s = r.settings;
  const reuse = s.twReuse === null ? "unknown" : s.twReuse === 2 ? "2 (loopback only)" : String(s.twReuse);
  const buckets =
    s.maxTwBuckets === null
      ? `${r.buckets.used} TIME_WAIT read`
      : `${r.buckets.used} used (${Math.round((100 * r.buckets.used) / Math.max(1, s.maxTwBuckets))}%)`;
  const lines = [
    `TIME_WAIT ${r.total} to ${r.destinations.length} destinations: ${r.outgoing} out, ` +
      `${r.incoming} in; rates over ${r.windowSec} s`,
    `Ports ${s.portRange[0]}-${s.portRange[1]}: ${s.budget} usable (${s.reservedPorts} reserved, ` +
      `${s.listenPorts} listening), max ${formatRate(s.budget / 60)} new/s each`,
    `tcp_tw_reuse ${reuse}; tcp_max_tw_buckets ${s.maxTwBuckets ?? "unknown"}, ${buckets}`,
  ];
  return lines.flatMap((l) => wrap(l, width, "", "  "));
}

/** The report as text at this width; top limits the table (null: every destination). */
export function textReport(r: TimeWaitReport, top: number | null, width: number): string {
  const out = headerLines(r, width);
  if (r.total === 0) return [...out, "", "No TIME_WAIT sockets match."].join("\n");
  const shown = top === null ? r.destinations : r.destinations.slice(0, top);
  out.push("", renderTable(shown, TABLE, width));
  if (shown.length < r.destinations.length) {
    out.push(`(${r.destinations.length - shown.length} more destinations; --all lists them)`);
  }
  // Notes on every flagged destination (shown or not); when none is, on the biggest one.
  const flagged = r.destinations.filter((d) => d.severity !== "info");
  const notes = flagged.length > 0 ? flagged : r.destinations.slice(0, 1);
  out.push("");
  for (const d of notes.slice(0, MAX_NOTES)) {
    out.push(...wrap(`${d.severity}: ${destinationText(d)}: ${d.note}`, width, "", "  "));
  }
  if (notes.length > MAX_NOTES) out.push(`(${notes.length - MAX_NOTES} more flagged; --json has every note)`);
  const remedy = flagged.find((d) => d.remedy !== null)?.remedy;
  if (remedy) out.push(...wrap(`What to do: ${remedy}`, width, "", "  "));
  if (r.buckets.note) out.push(...wrap(`${r.buckets.severity}: ${r.buckets.note}`, width, "", "  "));
  return out.join("\n");
}
