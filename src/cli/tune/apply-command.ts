/**
 * @module `sockdoc tune apply NAME=VALUE...`: a dry run unless --yes; then
 * journaled, written, read back, put back whole if one fails; --persist
 * also writes a sysctl.d file. A write holds the journal's lock from before
 * the plan to the end, so two runs cannot interleave. The work is in
 * actions/tune/.
 */
import { Command, Option } from "commander";
import { type Assignment, parseAssignments } from "../../actions/tune/assignments.js";
import { currentNetns } from "../../actions/tune/context.js";
import { DEFAULT_JOURNAL } from "../../actions/tune/journal.js";
import { checkJournalTrust } from "../../actions/tune/journal-trust.js";
import { takeLock } from "../../actions/tune/lock.js";
import { persistWarnings, readOptional } from "../../actions/tune/persist.js";
import { DEFAULT_PERSIST_FILE, persistText } from "../../actions/tune/persist-text.js";
import { dryRunResults, type Plan, planChanges } from "../../actions/tune/plan.js";
import { procSysIo, type SysctlIo } from "../../actions/tune/sysctl-io.js";
import { EXIT } from "../../model/errors.js";
import { emit, emitJson } from "../../render/output.js";
import { readKernelRelease } from "../../sources/kernel.js";
import { ProcFs } from "../../sources/procfs.js";
import { readSysctlConfig } from "../../sources/sysctl-conf.js";
import { type CommonOptions, printWarnings } from "../common.js";
import { addTableOrJson, persistFile, planLines, textFormat } from "./apply-text.js";
import { changeTable, hostWideLines, problemLines, resultJson } from "./change-text.js";
import { tuneEnvelope } from "./envelope.js";
import { APPLY_HELP } from "./help.js";
import { checkSysctlsWritable, checkWritable, type FileChange, runBatch } from "./run-batch.js";
import { rerun, rollbackHint } from "./text.js";

interface Options extends CommonOptions {
  yes?: boolean;
  force?: boolean;
  journal: string;
  persist?: string | true;
}

export function applyCommand(): Command {
  const cmd = new Command("apply")
    .summary("set kernel settings: dry run, then journaled, verified, reversible")
    .description("Set kernel settings (NAME=VALUE, as sysctl -w takes them), safely.")
    .argument("[setting...]", "NAME=VALUE, e.g. net.ipv4.tcp_tw_reuse=1 ('NAME=A B' for two numbers)")
    .option("-y, --yes", "write them (without it: a dry run)")
    .option("--journal <file>", "the journal of old values", DEFAULT_JOURNAL)
    .addOption(
      new Option("--persist [file]", `also write them to a sysctl.d file (default ${DEFAULT_PERSIST_FILE})`),
    )
    .option("--force", "allow settings outside the list below")
    .option("--proc-root <dir>", "write under DIR/sys instead of /proc/sys (a test tree)");
  addTableOrJson(cmd);
  cmd.addHelpText("after", APPLY_HELP);
  return cmd.action((words: string[], opts: Options) => {
    const format = textFormat(opts);
    // Before the words: a --persist that swallowed the only NAME=VALUE says so.
    const file = persistFile(opts.persist);
    const wanted = parseAssignments(words);
    const io = procSysIo(opts.procRoot ?? "/proc");
    if (!opts.yes) {
      dryRun(prepare(io, wanted, file, opts), format, opts);
      return;
    }
    // Not root is said before anything else; then no other apply or rollback may run until this one ends.
    checkSysctlsWritable(
      io,
      wanted.map((a) => a.name),
    );
    // A journal rollback would refuse is refused now, before anything is written.
    checkJournalTrust(opts.journal);
    const lock = takeLock(opts.journal, rerun(true));
    try {
      printWarnings(lock.notes);
      write(prepare(io, wanted, file, opts), format, opts, lock.notes);
    } finally {
      lock.release();
    }
  });
}

interface Prepared {
  io: SysctlIo;
  plan: Plan;
  file: string | null;
  settings: Array<readonly [string, string]>;
  fileChange: FileChange | null;
  netns: string | null;
  host: { hostname: string | null; kernel: string | null };
  source: { kind: string; detail: string };
}

/** The plan and the --persist file's new content (read under the lock when writing). */
function prepare(io: SysctlIo, wanted: readonly Assignment[], file: string | null, opts: Options): Prepared {
  const proc = new ProcFs(opts.procRoot ?? "/proc");
  const kernel = readKernelRelease(proc);
  const plan = planChanges(io, wanted, { force: Boolean(opts.force), kernel });
  const settings = wanted.map((a) => [a.name, a.value] as const);
  const previous = file === null ? null : readOptional(file);
  const next = file === null ? null : persistText(previous, settings);
  return {
    io,
    plan,
    file,
    settings,
    fileChange: file !== null && next !== previous ? { file, content: next } : null,
    netns: currentNetns(),
    host: { hostname: proc.tryRead("sys", "kernel", "hostname")?.trim() ?? null, kernel },
    source: { kind: "sysctl", detail: io.where },
  };
}

function dryRun(p: Prepared, format: "table" | "json", opts: Options): void {
  const results = dryRunResults(p.plan);
  if (format === "json") {
    emitJson({
      ...tuneEnvelope("tune-apply", p.host, p.source, []),
      dryRun: true,
      batch: null,
      where: p.io.where,
      netns: p.netns,
      results: results.map(resultJson),
      persist: p.fileChange,
      journal: null,
    });
    return;
  }
  const undo = rollbackHint(opts.journal, opts.procRoot);
  emit(planLines(results, p.io.where, p.netns, p.fileChange, undo).join("\n"));
}

function write(p: Prepared, format: "table" | "json", opts: Options, notes: readonly string[]): void {
  const { io, plan, file, fileChange, netns } = p;
  if (plan.changes.length === 0 && !fileChange) {
    if (format === "json") {
      emitJson({
        ...tuneEnvelope("tune-apply", p.host, p.source, notes),
        dryRun: false,
        batch: null,
        where: io.where,
        netns,
        results: plan.unchanged.map((c) => resultJson({ ...c, outcome: "unchanged", error: null })),
        persist: null,
        journal: null,
      });
    } else emit("Every setting already has that value: nothing written.");
    return;
  }
  checkWritable(
    io,
    plan.changes.map((c) => c.name),
    fileChange,
  );
  const done = runBatch(io, { changes: plan.changes, unchanged: plan.unchanged }, fileChange, opts.journal);
  const warnings =
    done.persisted && file
      ? persistWarnings(
          readSysctlConfig("/"),
          file,
          p.settings.map(([n]) => n),
        )
      : [];
  printWarnings(warnings);
  const failed = done.results.some((r) => r.outcome !== "applied" && r.outcome !== "unchanged");
  if (format === "json") {
    emitJson({
      ...tuneEnvelope("tune-apply", p.host, p.source, [...notes, ...warnings]),
      dryRun: false,
      batch: done.ctx.batch,
      where: io.where,
      netns,
      results: done.results.map(resultJson),
      persist: done.persisted ? fileChange : null,
      journal: done.journal,
    });
  } else {
    const applied = done.results.filter((r) => r.outcome === "applied").length;
    const out = [
      `Batch ${done.ctx.batch} in ${io.where}: ${applied} applied${failed ? ", batch put back" : ""}.`,
      "",
      changeTable(done.results),
      "",
    ];
    out.push(...problemLines(done.results), ...hostWideLines(done.results.map((r) => r.name)));
    if (done.persisted && file) out.push(`Wrote ${file} (its previous content is in the journal).`);
    out.push(`Journal: ${done.journal.path}.`);
    if (!failed) out.push(`Undo with: ${rollbackHint(opts.journal, opts.procRoot)}`);
    emit(out.join("\n"));
  }
  if (failed) process.exitCode = EXIT.findings;
}
