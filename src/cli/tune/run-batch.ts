/**
 * @module What apply and rollback share once the plan is made: check that
 * this process may write (before anything is journaled or written), open
 * the journal, write the batch, then the --persist file (only when every
 * change took), and close the journal. If the file cannot be written the
 * values just written are put back, as for a failed write, and journaled so.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { batchContext } from "../../actions/tune/context.js";
import { type Batchwork, executeChanges, journalResults, putBack } from "../../actions/tune/execute.js";
import { TuneJournal } from "../../actions/tune/journal.js";
import { replaceFile } from "../../actions/tune/persist.js";
import type { SysctlIo } from "../../actions/tune/sysctl-io.js";
import type { BatchContext, ChangeResult } from "../../actions/tune/types.js";
import { InputError, PermissionError, SockdocError } from "../../model/errors.js";
import { rerun } from "./text.js";

export interface FileChange {
  file: string;
  /** null removes the file. */
  content: string | null;
}

/** The nearest directory that exists, for a write-permission check on a file not created yet. */
function existingDir(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Names that exist but may not be written: a PermissionError. Names the
 * kernel lacks pass here (planning says what is wrong with them), so this can
 * run before the lock and the plan: not root is said first, as it should be.
 */
export function checkSysctlsWritable(io: SysctlIo, names: readonly string[]): void {
  checkWritable(
    io,
    names.filter((n) => !["ENOENT", "ENOTDIR"].includes(io.denied(n) ?? "")),
    null,
  );
}

export function checkWritable(io: SysctlIo, names: readonly string[], file: FileChange | null): void {
  for (const name of names) {
    const code = io.denied(name);
    if (code === null) continue;
    if (code === "EROFS") {
      throw new PermissionError(
        `${io.where} is read-only here (EROFS): a container without the right to change sysctls? ` +
          "Change it on the host or in the container's settings",
      );
    }
    throw new PermissionError(
      `writing ${name} needs root (${code}); nothing was changed; run: ${rerun(true)}`,
    );
  }
  if (file) {
    const target = existsSync(file.file) ? file.file : existingDir(file.file);
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "EACCES";
      throw new PermissionError(
        `cannot write ${file.file} (${code}); nothing was changed; run: ${rerun(true)}`,
      );
    }
  }
}

export interface BatchDone {
  ctx: BatchContext;
  results: ChangeResult[];
  persisted: boolean;
  journal: { path: string; records: number };
}

/** The errno of a failed file write (a SockdocError keeps it in its cause). */
function errnoName(err: unknown): string {
  const e = (err instanceof SockdocError ? err.cause : err) as NodeJS.ErrnoException | undefined;
  return e?.code ?? (err instanceof Error ? err.message : String(err));
}

/** Puts back what the batch wrote, journals that, and says so in one line. */
function persistFailed(
  io: SysctlIo,
  file: string,
  err: unknown,
  results: ChangeResult[],
  journal: TuneJournal,
  ctx: BatchContext,
): InputError {
  const code = errnoName(err);
  const undone = putBack(io, results);
  journalResults(journal, ctx, [
    // Under the file's path, as its persist record names it: history and rollback then skip it.
    { name: resolve(file), outcome: "failed", error: code },
    ...undone,
  ]);
  const stuck = undone.filter((r) => r.outcome === "restore-failed");
  const what =
    undone.length === 0
      ? "no value had changed"
      : stuck.length === 0
        ? `the ${undone.length} value${undone.length === 1 ? "" : "s"} written were put back`
        : `${stuck.map((r) => `${r.name} could not be put back to ${r.old} (${r.error})`).join(", ")}: set it by hand`;
  return new InputError(`cannot write ${file} (${code}): ${what}; journaled in ${journal.path}`, {
    cause: err,
  });
}

export function runBatch(
  io: SysctlIo,
  work: Batchwork,
  file: FileChange | null,
  journalPath: string,
): BatchDone {
  const journal = TuneJournal.open(journalPath, rerun(true));
  const ctx = batchContext(io.where);
  try {
    const results = executeChanges(io, work, journal, ctx);
    const ok = results.every((r) => r.outcome === "applied" || r.outcome === "unchanged");
    if (ok && file) {
      try {
        replaceFile(file.file, file.content, journal, ctx, work.of ?? null);
      } catch (err) {
        throw persistFailed(io, file.file, err, results, journal, ctx);
      }
    }
    return {
      ctx,
      results,
      persisted: ok && file !== null,
      journal: { path: journalPath, records: journal.records },
    };
  } finally {
    journal.close();
  }
}
