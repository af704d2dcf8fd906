/**
 * @module The bench's result as a table that fits 80 columns.
 */
import type { MemoryResult } from "./memory.js";
import { netnsBlock } from "./netns/task.js";
import { CAPTURE_RSS_RATIO } from "./commands.js";
import { traceBlock } from "./trace/task.js";
import { type BenchResult, RSS_TARGET_MB, ratio, scrapeRatios } from "./result.js";
import type { ScalingResult } from "./scaling.js";
import type { ScrapeResult, ScrapeRow } from "./scrape-task.js";
import type { TaskResult } from "./tasks.js";
import type { Row } from "./timing.js";

const n0 = (n: number): string => n.toLocaleString("en-US");
const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const mb = (kb: number | undefined): string => (kb === undefined ? "-" : `${(kb / 1024).toFixed(1)} MB`);
const STATE_ORDER = ["ESTABLISHED", "TIME_WAIT", "CLOSE_WAIT", "FIN_WAIT2", "LISTEN"];

function countsLine(counts: Record<string, number>): string[] {
  const names = [...STATE_ORDER, ...Object.keys(counts).filter((s) => !STATE_ORDER.includes(s))];
  const parts = names.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${n0(counts[s]!)}`);
  const lines: string[] = [];
  let line = " ";
  for (const part of parts) {
    if (line.length + part.length + 3 > 78) {
      lines.push(line);
      line = " ";
    }
    line += `  ${part}`;
  }
  if (line.trim() !== "") lines.push(line);
  return lines;
}

function rowLine(task: TaskResult, row: Row, notes: string[]): string {
  let median: string;
  let range = "";
  if (row.status === "ok" && row.medianMs !== undefined) {
    median = ms(row.medianMs);
    range = `${ms(Math.min(...row.runsMs))}-${ms(Math.max(...row.runsMs))}`;
  } else {
    notes.push(`${task.id} ${row.tool}: ${row.note ?? row.status}`);
    median = `${row.status} [${notes.length}]`;
  }
  const r = row === task.rows[0] ? null : ratio(task, row.tool);
  const cells = [
    `  ${row.tool.padEnd(15)}`,
    median.padStart(11),
    range.padStart(14),
    (r === null ? "-" : r.toFixed(2)).padStart(10),
    mb(row.rssKb).padStart(11),
    (row.lines === undefined ? "" : n0(row.lines)).padStart(11),
  ];
  return cells.join("").trimEnd();
}

function taskBlock(task: TaskResult, notes: string[]): string[] {
  const lines = [`${task.id} ${task.title}`];
  for (const row of task.rows) lines.push(rowLine(task, row, notes));
  const r = ratio(task, task.target.tool);
  const verdict =
    r === null ? "not measured" : `${r <= task.target.ratio ? "MET" : "NOT MET"} (${r.toFixed(2)})`;
  lines.push(`  target sockdoc <= ${task.target.ratio.toFixed(2)} x ${task.target.tool}: ${verdict}`);
  const tw =
    task.timeWaitMaxAgeS === null
      ? ""
      : `; TIME_WAIT at most ${task.timeWaitMaxAgeS.toFixed(0)} s old, re-made ${task.timeWaitRemakes}x`;
  lines.push(
    `  load ${task.problems.length === 0 ? "checked before and after" : "NOT as built, see notes"}${tw}`,
  );
  for (const p of task.problems) notes.push(`${task.id} load: ${p}`);
  return lines;
}

function scrapeRowLine(result: ScrapeResult, row: ScrapeRow, notes: string[]): string {
  if (row.status !== "ok" || row.medianMs === undefined) {
    notes.push(`${result.id} ${row.tool}: ${row.note ?? row.status}`);
    return `  ${row.tool.padEnd(19)}${`${row.status} [${notes.length}]`.padStart(11)}`;
  }
  const r = row.tool === result.reference ? null : scrapeRatios(result, row.tool);
  const cells = [
    `  ${row.tool.padEnd(19)}`,
    ms(row.medianMs).padStart(11),
    `${ms(Math.min(...row.wallMs))}-${ms(Math.max(...row.wallMs))}`.padStart(14),
    (row.cpuMsPerScrape === undefined ? "-" : ms(row.cpuMsPerScrape)).padStart(9),
    (r === null ? "-" : r.wall.toFixed(2)).padStart(10),
    (r === null ? "-" : r.cpu.toFixed(2)).padStart(9),
  ];
  return cells.join("").trimEnd();
}

function scrapeBlock(result: ScrapeResult, notes: string[]): string[] {
  const lines = [`${result.id} ${result.title} (GET /metrics in the namespace; CPU: the server's)`];
  lines.push(
    [
      "  exporter".padEnd(21),
      "median ms".padStart(11),
      "range ms".padStart(14),
      "CPU ms".padStart(9),
      "wall/ref".padStart(10),
      "CPU/ref".padStart(9),
    ].join(""),
  );
  for (const row of result.rows) lines.push(scrapeRowLine(result, row, notes));
  for (const target of result.targets) {
    const r = scrapeRatios(result, target.tool);
    const verdict =
      r === null
        ? "not measured"
        : `${r.wall <= target.ratio && r.cpu <= target.ratio ? "MET" : "NOT MET"} ` +
          `(wall ${r.wall.toFixed(2)}, CPU ${r.cpu.toFixed(2)})`;
    lines.push(`  target ${target.tool} <= ${target.ratio.toFixed(2)} x ${result.reference}: ${verdict}`);
  }
  lines.push(`  GET / while /metrics is in flight, median ms (target < ${result.otherRequestMs}):`);
  for (const row of result.rows) {
    if (row.otherMedianMs === undefined) continue;
    const verdict = row.otherMedianMs < result.otherRequestMs ? "MET" : "NOT MET";
    const late = row.otherNotDuring > 0 ? ` (${row.otherNotDuring} sent after the scrape ended)` : "";
    lines.push(`    ${row.tool.padEnd(19)}${ms(row.otherMedianMs).padStart(9)}  ${verdict}${late}`);
  }
  const concurrent = result.rows.find((r) => r.concurrent)?.concurrent?.count;
  if (concurrent !== undefined) {
    lines.push(`  ${concurrent} concurrent scrapes, latency ms:`);
    for (const row of result.rows) {
      const c = row.concurrent;
      if (c === undefined) continue;
      const failed = c.failed > 0 ? `, ${c.failed} failed (${c.firstError ?? "?"})` : "";
      lines.push(`    ${row.tool.padEnd(19)}p50 ${ms(c.p50Ms).padStart(7)}, max ${ms(c.maxMs)}${failed}`);
    }
  }
  const tw =
    result.timeWaitMaxAgeS === null
      ? ""
      : `; TIME_WAIT at most ${result.timeWaitMaxAgeS.toFixed(0)} s old, re-made ${result.timeWaitRemakes}x`;
  lines.push(
    `  load ${result.problems.length === 0 ? "checked before and after" : "NOT as built, see notes"}${tw}`,
  );
  const checked = result.rows.filter((r) => r.status === "ok").map((r) => r.tool);
  if (checked.length > 0)
    lines.push(`  state counts in the scrapes agree with the load: ${checked.join(", ")}`);
  for (const p of result.problems) notes.push(`${result.id} load: ${p}`);
  return lines;
}

function scalingBlock(scaling: ScalingResult, notes: string[]): string[] {
  const tools = scaling.points[0]?.task.rows.map((r) => r.tool) ?? [];
  const lines = [`Scaling ${scaling.taskId} (median ms, and ms per 1k sockets)`];
  lines.push(`  ${"sockets".padStart(9)}${tools.map((t) => t.padStart(19)).join("")}`);
  for (const point of scaling.points) {
    const cells = point.task.rows.map((row) => {
      if (row.medianMs === undefined) return "-".padStart(19);
      return `${ms(row.medianMs)} (${(row.medianMs / (point.sockets / 1000)).toFixed(2)})`.padStart(19);
    });
    lines.push(`  ${n0(point.sockets).padStart(9)}${cells.join("")}`);
    for (const p of point.task.problems) notes.push(`scaling ${n0(point.size)}: ${p}`);
    for (const row of point.task.rows) {
      if (row.status !== "ok") notes.push(`scaling ${n0(point.size)} ${row.tool}: ${row.note ?? row.status}`);
    }
  }
  for (const [tool, lin] of Object.entries(scaling.linearity)) {
    const steps = lin.marginalMsPer1k.map((m) => m.toFixed(2)).join(", ");
    const verdict = lin.linear
      ? `linear or better (marginal cost rose at most ${(lin.rise * 100).toFixed(0)}%)`
      : `NOT linear (marginal cost rose ${(lin.rise * 100).toFixed(0)}%)`;
    lines.push(`  ${tool}: ms per 1k added ${steps}: ${verdict}`);
  }
  if (!("sockdoc" in scaling.linearity)) lines.push("  sockdoc: not measured at every size");
  return lines;
}

function rssLine(result: BenchResult): string {
  const peaks = result.tasks.map((t) => t.rows[0]?.rssKb).filter((k): k is number => k !== undefined);
  if (peaks.length === 0) {
    return result.host.gnuTime
      ? "sockdoc peak RSS: not measured"
      : "peak RSS: needs GNU time (apt-get install time)";
  }
  const peak = Math.max(...peaks) / 1024;
  const verdict = result.defaultLoad
    ? `${peak <= RSS_TARGET_MB ? "MET" : "NOT MET"}`
    : "applies at the default load only";
  return `sockdoc peak RSS ${peak.toFixed(1)} MB; target <= ${RSS_TARGET_MB} MB: ${verdict}`;
}

/** One row per command: its peak RSS and the verdict against the target. */
export function memoryBlock(memory: MemoryResult, defaultLoad: boolean, notes: string[]): string[] {
  const lines = [
    `Peak RSS per command (target <= ${RSS_TARGET_MB} MB${defaultLoad ? "" : ", at the default load"})`,
  ];
  for (const row of memory.rows) {
    let verdict: string;
    if (row.rssKb === undefined) verdict = row.status === "skipped" ? "skipped" : "not measured";
    else if (row.captureBytes !== undefined) {
      // A capture's target is against its size, at any load.
      const times = (row.rssKb * 1024) / row.captureBytes;
      verdict = `${times.toFixed(1)}x its ${mb(row.captureBytes / 1024).trim()} (<= ${CAPTURE_RSS_RATIO}x: ${times <= CAPTURE_RSS_RATIO ? "MET" : "NOT MET"})`;
    } else if (!defaultLoad) verdict = "-";
    else verdict = row.rssKb / 1024 <= RSS_TARGET_MB ? "MET" : "NOT MET";
    if (row.status !== "ok") {
      notes.push(`RSS ${row.label}: ${row.note ?? row.status}`);
      verdict += ` [${notes.length}]`;
    }
    lines.push(`  ${row.label.padEnd(26)}${mb(row.rssKb).padStart(11)}  ${verdict}`);
  }
  for (const p of memory.problems) notes.push(`RSS load: ${p}`);
  return lines;
}

export function renderText(result: BenchResult): string {
  const notes = [...result.notes];
  const out: string[] = [];
  const h = result.host;
  out.push(
    `sockdoc bench: kernel ${h.kernel}, ${h.cpus} CPUs, node ${h.node}, median of ${result.runs} runs`,
  );
  if (result.load !== null) {
    const l = result.load;
    out.push(`Load: ${n0(l.sockets)} TCP sockets, built in ${(l.buildMs / 1000).toFixed(1)} s`);
    out.push(...countsLine(l.counts));
  }
  if (result.tasks.length > 0) {
    out.push("");
    const head = ["Task/tool".padEnd(17), "median ms".padStart(11), "range ms".padStart(14)];
    out.push([...head, "sockdoc/x".padStart(10), "peak RSS".padStart(11), "out lines".padStart(11)].join(""));
    for (const task of result.tasks) out.push(...taskBlock(task, notes));
    out.push(rssLine(result));
  }
  if (result.scrape !== null) out.push("", ...scrapeBlock(result.scrape, notes));
  if (result.memory !== null) out.push("", ...memoryBlock(result.memory, result.defaultLoad, notes));
  if (result.netns !== null) out.push("", ...netnsBlock(result.netns));
  if (result.trace !== null) out.push("", ...traceBlock(result.trace));
  if (result.scaling !== null) out.push("", ...scalingBlock(result.scaling, notes));
  if (notes.length > 0) {
    out.push("", "Notes:");
    notes.forEach((note, i) => {
      out.push(...wrap(`[${i + 1}] ${note}`, 78).map((l, j) => (j === 0 ? `  ${l}` : `      ${l}`)));
    });
  }
  return `${out.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + word.length + 1 > width - 6) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
