/**
 * @module The text report of `sockdoc closewait` (and the head of the
 * default `sockdoc` diagnosis): per process, who it is and what its threads
 * do, a small table of its groups, why and what to look at, growth, and the
 * ranked remedies. Wrapped to the terminal, 80 columns when not a terminal.
 */
import type { CloseWaitReport, ProcessReport, ReportGroup } from "../../analysis/close-wait/report.js";
import { threadLine } from "../../analysis/close-wait/threads.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { type Column, renderTable } from "../../render/table.js";
import { type Block, blocksOf } from "./blocks.js";
import { compactNumbers, duration, wrap } from "../wrap.js";

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function where(g: ReportGroup): string {
  const port = g.portService ?? (g.direction === "incoming" ? g.localPort : g.peerPort);
  return g.direction === "incoming" ? `:${port} in` : `->:${port} out`;
}

function recvQ(g: ReportGroup): string {
  return g.recvQ.min === g.recvQ.max ? `${g.recvQ.min}` : `${g.recvQ.min}-${g.recvQ.max}`;
}

const COLUMNS: Column<ReportGroup>[] = [
  { header: "Port", value: where },
  { header: "Sockets", value: (g) => g.count, align: "right" },
  { header: "Recv-Q", value: recvQ, align: "right" },
  { header: "Cause", value: (g) => g.cause },
  {
    header: "Peers",
    value: (g) => g.peers.map((p) => (p.count > 1 ? `${p.address} (${p.count})` : p.address)).join(", "),
    shrinkable: true,
  },
];

function title(b: Block): string {
  const p = b.process;
  if (b.kind === "queue") {
    const g = b.groups[0] as ReportGroup;
    const local = g.listener ? formatEndpoint(g.listener.local) : `:${g.localPort}`;
    return `accept queue of ${local}${p ? ` (${p.comm}, pid ${p.pid})` : ""}`;
  }
  if (!p) return "owner unknown";
  const parts = [`${p.comm}, pid ${p.pid}`];
  if (p.user) parts.push(`user ${p.user}`);
  if (p.unit) parts.push(`unit ${p.unit}`);
  else if (p.container) parts.push(`container ${p.container.slice(0, 12)}`);
  return parts.join(", ");
}

function headerLine(b: Block, width: number): string {
  const left = title(b);
  const right = b.severity.toUpperCase();
  const gap = Math.max(2, width - left.length - right.length);
  return `${left}${" ".repeat(gap)}${right}`;
}

const MAX_COMMAND_LINES = 3;

function processLines(p: ProcessReport, width: number): string[] {
  const out: string[] = [];
  if (p.cmdline) {
    // Java class paths and inline scripts run long; --json has the whole line.
    const lines = wrap(p.cmdline, width, "  command: ", "           ");
    out.push(...lines.slice(0, MAX_COMMAND_LINES));
    if (lines.length > MAX_COMMAND_LINES)
      out[out.length - 1] = `${(out[out.length - 1] ?? "").slice(0, width - 2)} …`;
  }
  if (p.fdCount !== null) {
    const share = p.fdLimit ? ` of ${p.fdLimit} allowed (${Math.round((p.fdCount / p.fdLimit) * 100)}%)` : "";
    out.push(`  open files: ${p.fdCount}${share}`);
  }
  if (p.threads && p.threads.total > 0) {
    out.push(...wrap(threadLine(p.threads), width, "  threads: ", "    "));
    if (p.threads.note) out.push(...wrap(p.threads.note, width, "    ! ", "      "));
  }
  return out;
}

function growthLines(g: ReportGroup, width: number): string[] {
  const w = g.growth;
  if (!w || w.samples < 2) return [];
  const parts = [`${w.new} new, ${w.gone} gone over ${duration(w.windowSeconds)}`];
  if (w.oldestSeenSeconds !== null) parts.push(`oldest seen ${duration(w.oldestSeenSeconds)} ago`);
  if (w.perMinute !== null) parts.push(`${w.perMinute >= 0 ? "+" : ""}${w.perMinute}/min`);
  if (w.limitEtaSeconds !== null) {
    parts.push(
      w.limitEtaSeconds === 0
        ? "AT its open-files limit"
        : `open-files limit in about ${duration(w.limitEtaSeconds)}`,
    );
  }
  return wrap(parts.join("; "), width, "  growth: ", "    ");
}

function explainLines(b: Block, width: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of b.groups) {
    if (seen.has(g.cause)) continue;
    seen.add(g.cause);
    out.push(...wrap(`${g.cause}: ${g.why}`, width, "  ", "    "));
    out.push(
      ...wrap(g.hint, width, g.runtime ? `    Hint (${g.runtime}): ` : "    ", g.runtime ? "      " : "    "),
    );
    if (g.listener) {
      const l = g.listener;
      const text =
        l.backlog === null
          ? `accept queue ${l.acceptQueue}, backlog unknown (/proc does not show it; netlink and ss -ltn do)`
          : `backlog ${l.backlog}, accept queue ${l.acceptQueue} (${l.full ? "FULL: new connections are dropped" : "not full"})`;
      out.push(...wrap(text, width, "    listener: ", "      "));
    }
  }
  for (const g of b.groups) {
    if (g.ownerNote) out.push(...wrap(g.ownerNote, width, "  note: ", "    "));
    if (g.fds.length > 0) {
      const label = b.groups.length > 1 ? `fds (${where(g)}, ${g.cause})` : "fds";
      out.push(...wrap(compactNumbers(g.fds), width, `  ${label}: `, "    "));
    }
    if (g.sharedWith.length > 0) out.push(`  also held by pid ${g.sharedWith.join(", ")} (inherited fds)`);
    if (g.reasons.length > 0)
      out.push(...wrap(`${g.severity}: ${g.reasons.join("; ")}`, width, "  ", "    "));
  }
  return out;
}

function remedyLines(b: Block, width: number): string[] {
  const out = ["  What to do, most lasting first:"];
  const subject = b.process ? `${b.process.comm}` : "the application";
  out.push(
    ...wrap(`1. Fix ${subject}: the cause and hint above say where to look.`, width, "    ", "       "),
  );
  const kills = b.groups.map((g) => g.remedies.find((r) => r.kind === "close")).filter((r) => r?.command);
  const first = kills[0];
  if (first) {
    const effect = first.text.replace(/^[^:]*: /, "");
    out.push(...wrap(`2. Close them now, no restart: ${effect}`, width, "    ", "       "));
    for (const cmd of new Set(kills.map((r) => r?.command))) out.push(`         ${cmd}`);
  }
  const restart = b.groups[0]?.remedies.find((r) => r.kind === "restart");
  if (restart) {
    const text = restart.command
      ? `3. ${restart.command}: ${restart.text.replace(/^[^:]*: /, "")}`
      : `3. ${restart.text}`;
    out.push(...wrap(text, width, "    ", "       "));
  }
  return out;
}

function blockText(b: Block, width: number, described: Set<number>): string {
  const lines = [headerLine(b, width)];
  if (b.process && described.has(b.process.pid))
    lines.push(`  process: ${b.process.comm} (pid ${b.process.pid}), as above`);
  else if (b.process) {
    lines.push(...processLines(b.process, width));
    described.add(b.process.pid);
  }
  lines.push(...growthLines(b.groups[0] as ReportGroup, width));
  lines.push("");
  for (const row of renderTable(b.groups, COLUMNS, width - 2).split("\n")) lines.push(`  ${row}`);
  lines.push("");
  lines.push(...explainLines(b, width));
  lines.push("");
  lines.push(...remedyLines(b, width));
  return lines.join("\n");
}

export function headlineText(report: CloseWaitReport): string {
  if (report.total === 0) {
    return "CLOSE_WAIT: none. No application is sitting on connections its peers closed.";
  }
  const owners = report.processes.filter((p) => p.closeWait > 0).length;
  return (
    `CLOSE_WAIT: ${plural(report.total, "socket")} in ${plural(report.groups.length, "group")}` +
    `${owners > 0 ? `, ${plural(owners, "process", "processes")}` : ""}; worst: ${report.severity}. ` +
    "They never time out: each waits for its application to call close()."
  );
}

/** The whole report; width is the terminal's (80 when output is not a terminal). */
/** captured: the capture's source detail, when the report is not of this host. */
export function closeWaitText(report: CloseWaitReport, width: number, captured?: string): string {
  const w = Math.max(60, Math.min(width || 80, 100));
  const parts = [wrap(headlineText(report), w).join("\n")];
  if (captured && report.total > 0) {
    const note = `From a ${captured.replace(/^capture: /, "capture of ")}: run the commands below on the host it was taken on.`;
    parts[0] = `${wrap(note, w).join("\n")}\n${parts[0]}`;
  }
  const described = new Set<number>();
  for (const b of blocksOf(report)) parts.push(blockText(b, w, described));
  return parts.join("\n\n");
}
