/**
 * @module `sockdoc tune history` as text and JSON: each batch (who, when,
 * where) with a small table of its changes and of the files --persist wrote.
 */
import type { Batch } from "../../actions/tune/batches.js";
import { terminalWidth } from "../../render/output.js";
import { type Column, renderTable } from "../../render/table.js";

export interface HistoryRow {
  batch: string;
  action: string;
  what: string;
  change: string;
  result: string;
}

const flat = (v: string) => v.split(/\s+/).join(" ") || '""';

export function historyRows(batches: readonly Batch[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const b of batches) {
    for (const c of b.changes) {
      const r = b.results.get(c.name);
      const change = `${flat(c.old)} -> ${flat(c.new)}`;
      rows.push({ batch: b.id, action: b.action, what: c.name, change, result: r ? r.outcome : "unknown" });
    }
    for (const p of b.persists) {
      const change = p.content === null ? "removed" : p.previous === null ? "created" : "rewritten";
      const failed = b.results.get(p.file)?.outcome === "failed";
      rows.push({
        batch: b.id,
        action: b.action,
        what: p.file,
        change,
        result: failed ? "failed" : "written",
      });
    }
  }
  return rows;
}

/** For CSV: every field. */
export const HISTORY_COLUMNS: Column<HistoryRow>[] = [
  { header: "batch", value: (r) => r.batch },
  { header: "action", value: (r) => r.action },
  { header: "setting", value: (r) => r.what },
  { header: "change", value: (r) => r.change },
  { header: "result", value: (r) => r.result },
];

const BATCH_COLUMNS: Column<HistoryRow>[] = [
  { header: "Setting", value: (r) => r.what, shrinkable: true },
  { header: "Change", value: (r) => r.change, shrinkable: true },
  { header: "Result", value: (r) => r.result },
];

function batchHead(b: Batch): string {
  const who = b.user.sudoUser
    ? `${b.user.name ?? b.user.uid} (sudo from ${b.user.sudoUser})`
    : (b.user.name ?? `uid ${b.user.uid}`);
  const what = b.action === "rollback" ? `rollback of ${b.of}` : "apply";
  const when = b.time.replace("T", " ").replace(/\.\d+Z$/, "Z");
  return `${b.id}  ${what}, by ${who} on ${b.host}, ${when}${b.netns ? `, ${b.netns}` : ""}`;
}

export function historyText(batches: readonly Batch[]): string {
  const width = terminalWidth();
  const out: string[] = [];
  for (const b of batches) {
    const rows = historyRows([b]);
    out.push(batchHead(b));
    if (rows.length > 0)
      out.push(
        ...renderTable(rows, BATCH_COLUMNS, width > 2 ? width - 2 : 0)
          .split("\n")
          .map((l) => `  ${l}`),
      );
    out.push("");
  }
  return out.join("\n").trimEnd();
}

export function batchJson(b: Batch) {
  return {
    id: b.id,
    action: b.action,
    of: b.of,
    time: b.time,
    host: b.host,
    user: b.user,
    where: b.where,
    netns: b.netns,
    changes: b.changes.map((c) => {
      const r = b.results.get(c.name);
      return { name: c.name, old: c.old, new: c.new, outcome: r?.outcome ?? null, error: r?.error ?? null };
    }),
    persisted: b.persists.map((p) => ({
      file: p.file,
      previous: p.previous,
      content: p.content,
      outcome: b.results.get(p.file)?.outcome === "failed" ? "failed" : "written",
      error: b.results.get(p.file)?.error ?? null,
    })),
  };
}
