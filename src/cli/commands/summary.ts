/**
 * @module `sockdoc summary [FILTER]`: counts per state and the top local
 * ports, peers and (with -p) owning processes.
 */
import { Command, Option } from "commander";
import { compileFilter } from "../../filter/compile.js";
import { summaryAnalysis } from "../../inspect/analyses/summary.js";
import { headerOf } from "../../inspect/header.js";
import { namespaceCounts, resultOf } from "../../inspect/inspect.js";
import { UsageError } from "../../model/errors.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv } from "../../render/output.js";
import { namespaceSummaryLines, SUMMARY_COLUMNS, summaryLines } from "../../report/summary.js";
import {
  addOutputOptions,
  addSourceOptions,
  beyondStates,
  type CommonOptions,
  inspectAllAndWarn,
  inspectAndWarn,
  outputFormat,
  scopesFor,
  warnNoOwners,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface SummaryOptions extends CommonOptions {
  processes?: boolean;
  top: string;
}

function parseTop(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--top wants a whole number, not "${value}"`);
  return n;
}

export function summaryCommand(): Command {
  const cmd = new Command("summary")
    .summary("count sockets per state, top ports, peers and processes")
    .description(
      "Count TCP sockets per state (canonical kernel names), then the busiest local ports,\n" +
        "peer addresses and, with -p, owning processes (LISTEN sockets are left out of the top lists).",
    )
    .argument("[filter...]", "ss-style filter, e.g. exclude listen")
    .option("-p, --processes", "also count sockets per owning process (scans /proc/*/fd)")
    .addOption(new Option("--top <n>", "entries in each top list").default("5"));
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", FILTER_HELP);
  return cmd.action(async (words: string[], opts: SummaryOptions) => {
    const format = outputFormat(opts);
    const top = parseTop(opts.top);
    const filter = compileFilter(words);
    const owners = Boolean(opts.processes);
    const params = { statesMask: filter.mask, matches: beyondStates(filter), top, owners };
    const { scopes, namespaced } = scopesFor(opts);
    if (!namespaced) {
      const analysis = summaryAnalysis(params);
      const inspection = await inspectAndWarn(scopes[0]!, [analysis]);
      warnNoOwners(inspection, owners);
      const summary = resultOf(inspection, analysis);
      const header = headerOf(inspection);
      if (format === "json") emitJson({ ...envelope("summary", header), ...summary });
      else if (format === "ndjson") emitNdjson([{ ...envelope("summary", header), ...summary }]);
      else emit(tableOrCsv(format, summaryLines(summary), SUMMARY_COLUMNS));
      return;
    }
    // Every namespace, and the host-wide summary over all of them.
    const each = summaryAnalysis({ ...params, top: 0, owners: false });
    const all = summaryAnalysis({ ...params, acrossScopes: true });
    const inspections = await inspectAllAndWarn(scopes, () => [each, all]);
    const summary = resultOf(inspections[0]!, all);
    const namespaces = namespaceCounts(inspections, each);
    const header = headerOf(inspections[0]!);
    const doc = { ...envelope("summary", header), ...summary, namespaces };
    if (format === "json") emitJson(doc);
    else if (format === "ndjson") emitNdjson([doc]);
    else emit(tableOrCsv(format, namespaceSummaryLines(summary, namespaces), SUMMARY_COLUMNS));
  });
}
