/**
 * @module What rolling a batch back would write: each change's old value,
 * given the values now. A value that is neither the batch's new one nor its
 * old one was changed since by someone else: that is a conflict, refused
 * unless --force. A rollback in another network namespace than the apply
 * would restore the wrong namespace's values: refused too. Pure.
 */
import { sameValue } from "../../analysis/advisor/setting-value.js";
import { UsageError } from "../../model/errors.js";
import { type Batch, changesToUndo } from "./batches.js";
import type { Change } from "./types.js";

export interface RollbackPlan {
  changes: Change[];
  /** Already back at the old value. */
  unchanged: Change[];
  /** Changed since the batch (forced through, or refused). */
  conflicts: Array<{ name: string; now: string; batchSet: string }>;
}

export function planRollback(
  batch: Batch,
  now: Readonly<Record<string, string>>,
  here: { where: string; netns: string | null },
  force: boolean,
): RollbackPlan {
  if (!force && batch.where !== null && batch.where !== here.where) {
    throw new UsageError(
      `batch ${batch.id} wrote under ${batch.where}, not ${here.where}; roll it back with the same root or add --force`,
    );
  }
  if (!force && batch.netns && here.netns && batch.netns !== here.netns) {
    throw new UsageError(
      `batch ${batch.id} was applied in network namespace ${batch.netns}, this is ${here.netns}: ` +
        "run the rollback there (ip netns exec NAME sockdoc tune rollback) or add --force",
    );
  }
  const plan: RollbackPlan = { changes: [], unchanged: [], conflicts: [] };
  // Newest first: a name changed twice in a batch cannot happen, but order keeps undo natural.
  for (const c of [...changesToUndo(batch)].reverse()) {
    const current = now[c.name];
    if (current === undefined) continue;
    const change = { name: c.name, old: current, new: c.old };
    if (sameValue(c.name, current, c.old)) plan.unchanged.push(change);
    else {
      if (!sameValue(c.name, current, c.new))
        plan.conflicts.push({ name: c.name, now: current, batchSet: c.new });
      plan.changes.push(change);
    }
  }
  if (plan.conflicts.length > 0 && !force) {
    const list = plan.conflicts.map((c) => `${c.name} is ${c.now}, the batch set ${c.batchSet}`).join("; ");
    throw new UsageError(`refusing: changed since batch ${batch.id}: ${list}; add --force to restore anyway`);
  }
  return plan;
}
