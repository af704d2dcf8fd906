/**
 * @module Text for apply and rollback: the table of changes (name, old,
 * new, outcome; fits 80 columns) and the lines around it that say what
 * happened and what to run next.
 */
import { knownSetting } from "../../analysis/advisor/known-settings.js";
import type { ChangeResult } from "../../actions/tune/types.js";
import { type Column, renderTable } from "../../render/table.js";
import { terminalWidth } from "../../render/output.js";
import { para } from "./text.js";

const flat = (v: string) => v.split(/\s+/).join(" ") || '""';

const COLUMNS: Column<ChangeResult>[] = [
  { header: "Setting", value: (r) => r.name, shrinkable: true },
  { header: "Old", value: (r) => flat(r.old), shrinkable: true },
  { header: "New", value: (r) => flat(r.new), shrinkable: true },
  { header: "Outcome", value: (r) => r.outcome },
];

export function changeTable(results: readonly ChangeResult[]): string {
  return renderTable(results, COLUMNS, terminalWidth());
}

export function resultJson(r: ChangeResult) {
  return { name: r.name, old: r.old, new: r.new, outcome: r.outcome, error: r.error };
}

/** Lines about what went wrong: each failure and its errno, what was put back. */
export function problemLines(results: readonly ChangeResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.outcome === "failed") out.push(...para(`${r.name}=${flat(r.new)} failed: ${r.error}.`));
    if (r.outcome === "restore-failed") {
      out.push(...para(`${r.name} could not be put back to ${flat(r.old)} (${r.error}): set it by hand.`));
    }
  }
  const restored = results.filter((r) => r.outcome === "restored").length;
  if (restored > 0)
    out.push(...para(`The ${restored} already written were put back: nothing of this batch remains.`));
  return out;
}

/** Settings that are one value for the whole host, not per network namespace. */
export function hostWideLines(names: readonly string[]): string[] {
  const hostWide = names.filter((n) => knownSetting(n)?.perNetns === false);
  if (hostWide.length === 0) return [];
  return para(
    `${hostWide.join(", ")} ${hostWide.length === 1 ? "is" : "are"} one value for the whole host, ` +
      "not per network namespace: changing it inside a namespace changes it for everyone.",
  );
}
