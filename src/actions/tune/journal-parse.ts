/**
 * @module Parse the tune journal's JSON lines back into records. Pure and
 * total: a line that is not a record sockdoc wrote (cut short by a crash,
 * edited by hand) is reported with its line number and skipped.
 */
import type { JournalRecord } from "./types.js";

function isRecord(x: unknown): x is JournalRecord {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  if (r.v !== 1 || typeof r.batch !== "string" || typeof r.time !== "string") return false;
  if (r.action === "apply" || r.action === "rollback") {
    return typeof r.name === "string" && typeof r.old === "string" && typeof r.new === "string";
  }
  if (r.action === "result") return typeof r.name === "string" && typeof r.outcome === "string";
  if (r.action === "persist") {
    return (
      typeof r.file === "string" &&
      (r.previous === null || typeof r.previous === "string") &&
      (r.content === null || typeof r.content === "string")
    );
  }
  return false;
}

export function parseJournal(
  text: string,
  origin = "journal",
): { records: JournalRecord[]; warnings: string[] } {
  const records: JournalRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      warnings.push(`${origin}:${i + 1}: not JSON; skipped`);
      continue;
    }
    if (isRecord(parsed)) records.push(parsed);
    else warnings.push(`${origin}:${i + 1}: not a tune journal record; skipped`);
  }
  return { records, warnings };
}
