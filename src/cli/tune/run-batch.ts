/**
 * @module What apply and rollback share once the plan is made: check that
 * this process may write (before anything is journaled or written), open
 * the journal, write the batch, then the --persist file (only when every
 * change took), and close the journal.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { batchContext } from "../../actions/tune/context.js";
import { type Batchwork, executeChanges } from "../../actions/tune/execute.js";
import { TuneJournal } from "../../actions/tune/journal.js";
import { replaceFile } from "../../actions/tune/persist.js";
import type { SysctlIo } from "../../actions/tune/sysctl-io.js";
import type { BatchContext, ChangeResult } from "../../actions/tune/types.js";
import { PermissionError } from "../../model/errors.js";
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
    if (ok && file) replaceFile(file.file, file.content, journal, ctx, work.of ?? null);
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
