/**
 * @module `sockdoc tune rollback [--batch ID]`: puts back the old values of
 * the last apply batch (and its --persist file). A dry run unless --yes;
 * journaled as a batch of its own, under the journal's lock (taken before
 * the journal is read). The planning is in actions/tune/.
 */
import { Command } from "commander";
import {
  changesToUndo,
  groupBatches,
  interruptedRollbacks,
  persistsDone,
  rollbackTarget,
} from "../../actions/tune/batches.js";
import { currentNetns } from "../../actions/tune/context.js";
import { DEFAULT_JOURNAL, readJournal, requireJournal } from "../../actions/tune/journal.js";
import { checkJournalTrust } from "../../actions/tune/journal-trust.js";
import { takeLock } from "../../actions/tune/lock.js";
import { readOptional } from "../../actions/tune/persist.js";
import { currentValue, dryRunResults, valueContext } from "../../actions/tune/plan.js";
import { checkRollback } from "../../actions/tune/refusals.js";
import { planRollback } from "../../actions/tune/rollback-plan.js";
import { procSysIo } from "../../actions/tune/sysctl-io.js";
import { EXIT, UsageError } from "../../model/errors.js";
import { emit, emitJson } from "../../render/output.js";
import { readKernelRelease } from "../../sources/kernel.js";
import { ProcFs } from "../../sources/procfs.js";
import { type CommonOptions, printWarnings } from "../common.js";
import { addTableOrJson, textFormat } from "./apply-text.js";
import { changeTable, problemLines, resultJson } from "./change-text.js";
import { tuneEnvelope } from "./envelope.js";
import { ROLLBACK_HELP } from "./help.js";
import { checkWritable, type FileChange, runBatch } from "./run-batch.js";
import { isRoot, rerun } from "./text.js";

interface Options extends CommonOptions {
  yes?: boolean;
  force?: boolean;
  batch?: string;
  journal: string;
}

export function rollbackCommand(): Command {
  const cmd = new Command("rollback")
    .summary("put back the values of the last apply (or --batch ID)")
    .description("Restore the old values of an apply batch from the journal.")
    .option("--batch <id>", "the batch to undo (`sockdoc tune history` lists them)")
    .option("-y, --yes", "write them (without it: a dry run)")
    .option("--journal <file>", "the journal of old values", DEFAULT_JOURNAL)
    .option("--force", "restore values changed since the batch, or from another namespace")
    .option("--proc-root <dir>", "write under DIR/sys instead of /proc/sys (a test tree)");
  addTableOrJson(cmd);
  cmd.addHelpText("after", ROLLBACK_HELP);
  return cmd.action((opts: Options) => {
    const format = textFormat(opts);
    // Said at once, without taking a lock beside a journal that is not there, or one anyone could write.
    requireJournal(opts.journal);
    checkJournalTrust(opts.journal);
    if (!opts.yes) {
      rollback(opts, format, []);
      return;
    }
    // From before the journal is read to the end: two rollbacks would undo the same batch.
    const lock = takeLock(opts.journal, rerun(true));
    try {
      printWarnings(lock.notes);
      rollback(opts, format, lock.notes);
    } finally {
      lock.release();
    }
  });
}

function rollback(opts: Options, format: "table" | "json", notes: readonly string[]): void {
  const force = Boolean(opts.force);
  const { records, warnings } = readJournal(opts.journal);
  const batches = groupBatches(records);
  const target = rollbackTarget(batches, opts.batch);
  for (const r of interruptedRollbacks(batches, target.id)) {
    const missing = r.changes.filter((c) => !r.results.has(c.name)).length;
    warnings.push(
      `rollback batch ${r.id} of ${target.id} was interrupted (no outcome for ${missing} of its ` +
        `${r.changes.length} changes): rolling ${target.id} back again`,
    );
  }
  printWarnings(warnings);
  // The lock's notes were printed when it was taken; JSON has them all.
  warnings.unshift(...notes);
  const procRoot = opts.procRoot ?? "/proc";
  const io = procSysIo(procRoot);
  const kernel = readKernelRelease(new ProcFs(procRoot));
  // Before any value is read: the journal asks for writes apply would refuse.
  checkRollback(target.id, changesToUndo(target), force, valueContext(io));
  const now: Record<string, string> = {};
  for (const c of changesToUndo(target)) now[c.name] = currentValue(io, c.name, kernel);
  const plan = planRollback(target, now, { where: io.where, netns: currentNetns() }, force);
  const persisted = persistsDone(target).pop();
  let fileChange: FileChange | null = null;
  if (persisted) {
    if (!force && readOptional(persisted.file) !== persisted.content) {
      throw new UsageError(
        `refusing: ${persisted.file} changed since batch ${target.id}; add --force to restore it anyway`,
      );
    }
    fileChange = { file: persisted.file, content: persisted.previous };
  }
  const host = {
    hostname: new ProcFs(procRoot).tryRead("sys", "kernel", "hostname")?.trim() ?? null,
    kernel,
  };
  const source = { kind: "sysctl", detail: io.where };
  const fileLine = fileChange
    ? fileChange.content === null
      ? `${fileChange.file}: removed (the batch created it)`
      : `${fileChange.file}: previous content restored`
    : null;
  if (!opts.yes) {
    const results = dryRunResults(plan);
    if (format === "json") {
      emitJson({
        ...tuneEnvelope("tune-rollback", host, source, warnings),
        dryRun: true,
        of: target.id,
        batch: null,
        results: results.map(resultJson),
        persist: fileChange,
      });
      return;
    }
    const out = [`Dry run: would roll back batch ${target.id} (${target.time}) in ${io.where}:`, ""];
    if (results.length > 0) out.push(changeTable(results), "");
    if (fileLine) out.push(`Would write ${fileLine}.`);
    out.push(`To write: ${rerun(!isRoot())}`);
    emit(out.join("\n"));
    return;
  }
  checkWritable(
    io,
    plan.changes.map((c) => c.name),
    fileChange,
  );
  const done = runBatch(io, { ...plan, action: "rollback", of: target.id }, fileChange, opts.journal);
  const failed = done.results.some((r) => r.outcome !== "applied" && r.outcome !== "unchanged");
  if (format === "json") {
    emitJson({
      ...tuneEnvelope("tune-rollback", host, source, warnings),
      dryRun: false,
      of: target.id,
      batch: done.ctx.batch,
      results: done.results.map(resultJson),
      persist: done.persisted ? fileChange : null,
      journal: done.journal,
    });
  } else {
    const out = [
      `Rolled back batch ${target.id} as batch ${done.ctx.batch}${failed ? ": failed, put back" : ""}.`,
      "",
    ];
    if (done.results.length > 0) out.push(changeTable(done.results), "");
    out.push(...problemLines(done.results));
    if (done.persisted && fileLine) out.push(`${fileLine[0]!.toUpperCase()}${fileLine.slice(1)}.`);
    out.push(`Journal: ${done.journal.path}.`);
    emit(out.join("\n"));
  }
  if (failed) process.exitCode = EXIT.findings;
}
