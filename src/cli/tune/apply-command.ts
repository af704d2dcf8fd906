/**
 * @module `sockdoc tune apply NAME=VALUE...`: a dry run unless --yes; then
 * journaled, written, read back, put back whole if one fails; --persist
 * also writes a sysctl.d file. The work is in actions/tune/.
 */
import { Command, Option } from "commander";
import { parseAssignments } from "../../actions/tune/assignments.js";
import { currentNetns } from "../../actions/tune/context.js";
import { DEFAULT_JOURNAL } from "../../actions/tune/journal.js";
import { persistWarnings, readOptional } from "../../actions/tune/persist.js";
import { DEFAULT_PERSIST_FILE, persistText } from "../../actions/tune/persist-text.js";
import { dryRunResults, planChanges } from "../../actions/tune/plan.js";
import { procSysIo } from "../../actions/tune/sysctl-io.js";
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
import { checkWritable, runBatch } from "./run-batch.js";
import { rollbackHint } from "./text.js";

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
    const procRoot = opts.procRoot ?? "/proc";
    const io = procSysIo(procRoot);
    const kernel = readKernelRelease(new ProcFs(procRoot));
    const plan = planChanges(io, wanted, { force: Boolean(opts.force), kernel });
    const settings = wanted.map((a) => [a.name, a.value] as const);
    const previous = file === null ? null : readOptional(file);
    const next = file === null ? null : persistText(previous, settings);
    const fileChange = file !== null && next !== previous ? { file, content: next } : null;
    const netns = currentNetns();
    const host = {
      hostname: new ProcFs(procRoot).tryRead("sys", "kernel", "hostname")?.trim() ?? null,
      kernel,
    };
    const source = { kind: "sysctl", detail: io.where };
    if (!opts.yes) {
      const results = dryRunResults(plan);
      if (format === "json") {
        emitJson({
          ...tuneEnvelope("tune-apply", host, source, []),
          dryRun: true,
          batch: null,
          where: io.where,
          netns,
          results: results.map(resultJson),
          persist: fileChange,
          journal: null,
        });
      } else
        emit(
          planLines(results, io.where, netns, fileChange, rollbackHint(opts.journal, opts.procRoot)).join(
            "\n",
          ),
        );
      return;
    }
    if (plan.changes.length === 0 && !fileChange) {
      if (format === "json") {
        emitJson({
          ...tuneEnvelope("tune-apply", host, source, []),
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
            settings.map(([n]) => n),
          )
        : [];
    printWarnings(warnings);
    const failed = done.results.some((r) => r.outcome !== "applied" && r.outcome !== "unchanged");
    if (format === "json") {
      emitJson({
        ...tuneEnvelope("tune-apply", host, source, warnings),
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
  });
}
