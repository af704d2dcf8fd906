/**
 * @module `sockdoc summary [FILTER]`: counts per state and the top local
 * ports, peers and (with -p) owning processes.
 */
import { Command, Option } from "commander";
import { type Summary, SummaryBuilder, summarize } from "../../analysis/summary.js";
import { UsageError } from "../../model/errors.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv } from "../../render/output.js";
import type { Column } from "../../render/table.js";
import { type SnapshotHeader, visitLive } from "../../sources/live.js";
import {
  addOutputOptions,
  addSourceOptions,
  type CommonOptions,
  liveRequest,
  outputFormat,
  snapshotFor,
  warnNoOwners,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface SummaryOptions extends CommonOptions {
  processes?: boolean;
  top: string;
}

function parseTop(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--top wants a whole number, not "${value}"`);
  return n;
}

interface Line {
  what: string;
  /** Empty on heading rows. */
  count: number | "";
}

const COLUMNS: Column<Line>[] = [
  { header: "What", value: (l) => l.what, shrinkable: true },
  { header: "Count", value: (l) => l.count, align: "right" },
];

/** The summary as rows for a table: states, then each top list under a heading row. */
export function summaryLines(summary: Summary): Line[] {
  const lines: Line[] = [{ what: "total", count: summary.total }];
  for (const [state, count] of Object.entries(summary.states)) lines.push({ what: `  ${state}`, count });
  const section = (title: string, items: Array<{ label: string; count: number }>) => {
    if (items.length === 0) return;
    lines.push({ what: title, count: "" });
    for (const item of items) lines.push({ what: `  ${item.label}`, count: item.count });
  };
  section(
    "top local ports",
    summary.topLocalPorts.map((p) => ({ label: `:${p.port}`, count: p.count })),
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

/**
 * Counts straight from netlink when nothing needs whole sockets (no owners,
 * a filter of states only); otherwise from a full snapshot.
 */
export function readSummary(
  words: string[],
  opts: SummaryOptions,
  top: number,
): { header: SnapshotHeader; summary: Summary } {
  const processes = Boolean(opts.processes);
  const { request, filter } = liveRequest(words, opts, processes);
  if (!processes && filter.statesOnly && opts.input === undefined) {
    const builder = new SummaryBuilder();
    const header = visitLive(request, (state, port, peer) => builder.add(state, port, peer));
    if (header) return { header, summary: builder.result(top, false) };
  }
  const snapshot = snapshotFor(words, opts, processes);
  warnNoOwners(snapshot, processes);
  return {
    header: snapshot,
    summary: summarize(snapshot.sockets, top, processes && snapshot.ownersResolved),
  };
}

export function summaryCommand(): Command {
  const cmd = new Command("summary")
    .summary("count sockets per state, top ports, peers and processes")
    .description(
      "Count TCP sockets per state (canonical kernel names), then the busiest local ports,\n" +
        "peer addresses and, with -p, owning processes (LISTEN sockets are left out of the top lists).",
    )
    .argument("[filter...]", "ss-style filter, e.g. exclude listen")
    .option("-p, --processes", "also count sockets per owning process (scans /proc/*/fd)")
    .addOption(new Option("--top <n>", "entries in each top list").default("5"));
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", FILTER_HELP);
  return cmd.action((words: string[], opts: SummaryOptions) => {
    const format = outputFormat(opts);
    const top = parseTop(opts.top);
    const { header, summary } = readSummary(words, opts, top);
    if (format === "json") emitJson({ ...envelope("summary", header), ...summary });
    else if (format === "ndjson") emitNdjson([{ ...envelope("summary", header), ...summary }]);
    else emit(tableOrCsv(format, summaryLines(summary), COLUMNS));
  });
}
