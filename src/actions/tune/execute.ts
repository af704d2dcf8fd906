/**
 * @module Writes a batch of changes: every old value goes to the journal
 * first, then each value is written and read back. If one fails (refused,
 * or read back different), the ones already written are put back, newest
 * first, and the rest are not tried: a batch lands whole or not at all,
 * as far as the kernel lets us. Each outcome is journaled too.
 */
import { sameValue } from "../../analysis/advisor/setting-value.js";
import { errnoOf, type SysctlIo } from "./sysctl-io.js";
import type { BatchContext, Change, ChangeResult, JournalRecord } from "./types.js";

export interface JournalSink {
  append(record: JournalRecord): void;
}

export interface Batchwork {
  changes: readonly Change[];
  /** Already at the value: journaled as "unchanged" (so history and rollback see them), not written. */
  unchanged?: readonly Change[];
  action?: "apply" | "rollback";
  /** For a rollback: the batch it undoes. */
  of?: string | null;
}

function base(ctx: BatchContext) {
  return { v: 1 as const, time: ctx.time.toISOString(), batch: ctx.batch, host: ctx.host, user: ctx.user };
}

/** Writes value and reads it back: the error (null when it took) and whether the kernel took a write. */
function writeChecked(io: SysctlIo, name: string, value: string): { error: string | null; touched: boolean } {
  try {
    io.write(name, value);
  } catch (err) {
    return { error: errnoOf(err), touched: false };
  }
  let back: string;
  try {
    back = io.read(name);
  } catch (err) {
    return { error: `written, but reading back failed (${errnoOf(err)})`, touched: true };
  }
  return sameValue(name, back, value)
    ? { error: null, touched: true }
    : { error: `read back "${back.split(/\s+/).join(" ")}"`, touched: true };
}

/**
 * Writes each applied change's old value back, newest first: outcome
 * "restored", or "restore-failed" with the error. Returns the ones it tried.
 */
export function putBack(io: SysctlIo, results: readonly ChangeResult[]): ChangeResult[] {
  const applied = results.filter((r) => r.outcome === "applied");
  for (const w of [...applied].reverse()) {
    const undo = writeChecked(io, w.name, w.old);
    w.outcome = undo.error === null ? "restored" : "restore-failed";
    w.error = undo.error;
  }
  return applied;
}

/** Journals the outcome of each result (a later record for a name replaces an earlier one). */
export function journalResults(
  journal: JournalSink,
  ctx: BatchContext,
  results: ReadonlyArray<Pick<ChangeResult, "name" | "outcome" | "error">>,
): void {
  for (const r of results) {
    journal.append({ ...base(ctx), action: "result", name: r.name, outcome: r.outcome, error: r.error });
  }
}

export function executeChanges(
  io: SysctlIo,
  work: Batchwork,
  journal: JournalSink,
  ctx: BatchContext,
): ChangeResult[] {
  const { changes, unchanged = [], action = "apply", of = null } = work;
  for (const c of [...changes, ...unchanged]) {
    const { name, old } = c;
    journal.append({ ...base(ctx), action, name, old, new: c.new, where: ctx.where, netns: ctx.netns, of });
  }
  const results: ChangeResult[] = changes.map((c) => ({ ...c, outcome: "skipped", error: null }));
  const written: ChangeResult[] = [];
  for (const r of results) {
    const { error, touched } = writeChecked(io, r.name, r.new);
    if (error === null) {
      r.outcome = "applied";
      written.push(r);
      continue;
    }
    r.outcome = "failed";
    r.error = error;
    // A value that was written but reads back wrong is put back like the others.
    if (touched) {
      const undo = writeChecked(io, r.name, r.old);
      r.error +=
        undo.error === null ? `; put back to ${r.old}` : `; could not put back ${r.old} (${undo.error})`;
    }
    putBack(io, written);
    break;
  }
  results.push(...unchanged.map((c): ChangeResult => ({ ...c, outcome: "unchanged", error: null })));
  journalResults(journal, ctx, results);
  return results;
}
