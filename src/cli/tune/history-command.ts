/**
 * @module `sockdoc tune history`: the batches in the journal, oldest first.
 */
import { Command } from "commander";
import { groupBatches } from "../../actions/tune/batches.js";
import { DEFAULT_JOURNAL, readJournal } from "../../actions/tune/journal.js";
import { UsageError } from "../../model/errors.js";
import { emit, emitJson, emitNdjson, tableOrCsv } from "../../render/output.js";
import { addOutputOptions, type CommonOptions, outputFormat, printWarnings } from "../common.js";
import { tuneEnvelope } from "./envelope.js";
import { HISTORY_HELP } from "./help.js";
import { batchJson, HISTORY_COLUMNS, historyRows, historyText } from "./history-text.js";

interface Options extends CommonOptions {
  journal: string;
  limit: string;
}

export function historyCommand(): Command {
  const cmd = new Command("history")
    .summary("list the changes apply and rollback made")
    .description("List the batches in the tune journal: each change, its old and new value, its outcome.")
    .option("--journal <file>", "the journal to read", DEFAULT_JOURNAL)
    .option("--limit <n>", "only the last N batches", "20");
  addOutputOptions(cmd);
  cmd.addHelpText("after", HISTORY_HELP);
  return cmd.action((opts: Options) => {
    const format = outputFormat(opts);
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit wants a whole number of at least 1, not "${opts.limit}"`);
    // No journal yet is no changes yet (exit 0); one that is there but unreadable is an error.
    const { records, warnings } = readJournal(opts.journal, true);
    printWarnings(warnings);
    const all = groupBatches(records);
    const batches = all.slice(-limit);
    if (format === "json") {
      emitJson({
        ...tuneEnvelope(
          "tune-history",
          { hostname: null, kernel: null },
          { kind: "journal", detail: opts.journal },
          warnings,
        ),
        journal: opts.journal,
        total: all.length,
        batches: batches.map(batchJson),
      });
      return;
    }
    const rows = historyRows(batches);
    if (format === "ndjson") emitNdjson(batches.map(batchJson));
    else if (format === "csv") emit(tableOrCsv("csv", rows, HISTORY_COLUMNS));
    else if (all.length === 0) emit(`No changes journaled in ${opts.journal}.`);
    else {
      const shown = batches.length < all.length ? ` (the last ${batches.length}; --limit shows more)` : "";
      emit([`${all.length} batches in ${opts.journal}${shown}:`, "", historyText(batches)].join("\n"));
    }
  });
}
