/**
 * @module The journal as batches (one `apply` or `rollback` run each), and
 * which batch `rollback` undoes: the newest apply batch that changed
 * something and has not been rolled back yet, or the one --batch names. A
 * rollback counts only when it finished: every change has an outcome, each
 * applied or unchanged, and its file was written. One that was killed
 * midway (outcomes missing) is "interrupted": its batch is the target again.
 * Pure.
 */
import { UsageError } from "../../model/errors.js";
import type { ChangeRecord, JournalRecord, JournalUser, PersistRecord, ResultRecord } from "./types.js";

export interface Batch {
  id: string;
  action: "apply" | "rollback";
  time: string;
  host: string;
  user: JournalUser;
  where: string | null;
  netns: string | null;
  /** For a rollback: the batch it undid. */
  of: string | null;
  changes: ChangeRecord[];
  /**
   * Outcome per name; absent when the run stopped before writing it. A
   * --persist file that could not be written has a "failed" one under its path.
   */
  results: Map<string, ResultRecord>;
  persists: PersistRecord[];
}

export function groupBatches(records: readonly JournalRecord[]): Batch[] {
  const byId = new Map<string, Batch>();
  for (const r of records) {
    let b = byId.get(r.batch);
    if (!b) {
      b = {
        id: r.batch,
        action: "apply",
        time: r.time,
        host: r.host,
        user: r.user,
        where: null,
        netns: null,
        of: null,
        changes: [],
        results: new Map(),
        persists: [],
      };
      byId.set(r.batch, b);
    }
    if (r.action === "result") b.results.set(r.name, r);
    else if (r.action === "persist") {
      b.persists.push(r);
      if (r.of) [b.action, b.of] = ["rollback", r.of];
    } else {
      b.changes.push(r);
      [b.action, b.of, b.where, b.netns] = [r.action, r.of, r.where, r.netns];
    }
  }
  return [...byId.values()];
}

/** Changes the batch made that a rollback should undo: applied, or of unknown fate (a crash). */
export function changesToUndo(b: Batch): ChangeRecord[] {
  return b.changes.filter((c) => {
    const outcome = b.results.get(c.name)?.outcome;
    return outcome === undefined || outcome === "applied";
  });
}

/** The files the batch wrote: its persist records, less those whose write failed. */
export function persistsDone(b: Batch): PersistRecord[] {
  return b.persists.filter((p) => b.results.get(p.file)?.outcome !== "failed");
}

/** A rollback killed before it journaled every outcome. */
function interrupted(b: Batch): boolean {
  return b.changes.some((c) => !b.results.has(c.name));
}

/** Every change applied (or already so) and every file written. */
function complete(b: Batch): boolean {
  const took = (o: string | undefined) => o === "applied" || o === "unchanged";
  return (
    b.changes.every((c) => took(b.results.get(c.name)?.outcome)) &&
    persistsDone(b).length === b.persists.length
  );
}

function rolledBackBy(batches: readonly Batch[], id: string): Batch | undefined {
  return batches.find((b) => b.action === "rollback" && b.of === id && complete(b));
}

/** Rollbacks of batch id that were killed midway: it is rolled back again. */
export function interruptedRollbacks(batches: readonly Batch[], id: string): Batch[] {
  return batches.filter((b) => b.action === "rollback" && b.of === id && interrupted(b));
}

export function rollbackTarget(batches: readonly Batch[], id?: string): Batch {
  if (id !== undefined) {
    const b = batches.find((x) => x.id === id);
    if (!b) throw new UsageError(`no batch ${id} in the journal (\`sockdoc tune history\` lists them)`);
    if (b.action === "rollback") {
      throw new UsageError(`batch ${id} is itself a rollback (of ${b.of}); apply the values again instead`);
    }
    const by = rolledBackBy(batches, id);
    if (by) throw new UsageError(`batch ${id} was already rolled back by batch ${by.id}`);
    return b;
  }
  for (let i = batches.length - 1; i >= 0; i--) {
    const b = batches[i]!;
    if (b.action !== "apply" || rolledBackBy(batches, b.id)) continue;
    if (changesToUndo(b).length > 0 || persistsDone(b).length > 0) return b;
  }
  throw new UsageError("nothing to roll back: no apply batch in the journal that is not rolled back yet");
}
