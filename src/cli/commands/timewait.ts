/**
 * @module `sockdoc timewait [FILTER]`: TIME_WAIT per destination, the
 * ephemeral ports left toward each and when connect() would fail at the
 * current rate. Thin: the analysis lives in analysis/time-wait/.
 */
import { Command, Option } from "commander";
import { SEVERITIES, type Severity, severityRank } from "../../analysis/time-wait/severity.js";
import { compileFilter } from "../../filter/compile.js";
import { timeWaitAnalysis } from "../../inspect/analyses/time-wait.js";
import { headerOf } from "../../inspect/header.js";
import { resultOf } from "../../inspect/inspect.js";
import { EXIT, UsageError } from "../../model/errors.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv, terminalWidth } from "../../render/output.js";
import {
  addOutputOptions,
  addSourceOptions,
  beyondStates,
  type CommonOptions,
  inspectAndWarn,
  outputFormat,
  printWarnings,
  scopeFor,
  wholeNumber,
} from "../common.js";
import { DESCRIPTION, HELP } from "../timewait/help.js";
import { CSV, DEFAULT_TOP, textReport } from "../../report/time-wait/text.js";

interface TimeWaitOptions extends CommonOptions {
  top?: string;
  all?: boolean;
  window: string;
  failOn?: Severity;
}

export function timewaitCommand(): Command {
  const cmd = new Command("timewait")
    .summary("TIME_WAIT per destination: ports left and when connect() fails")
    .description(DESCRIPTION)
    .argument("[filter...]", "ss-style filter on the TIME_WAIT sockets, e.g. dport = :443")
    .option("--top <n>", `destinations in the table (default ${DEFAULT_TOP}; JSON: all)`)
    .option("--all", "every destination")
    .option("--window <s>", "seconds of TIME_WAIT age that give the current rate (1-60)", "10")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a destination reaches this severity").choices(
        SEVERITIES,
      ),
    );
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", HELP);
  return cmd.action(async (words: string[], opts: TimeWaitOptions) => {
    const format = outputFormat(opts);
    const windowSec = wholeNumber("--window", opts.window, 1, 60);
    const topGiven = opts.top === undefined ? null : wholeNumber("--top", opts.top, 0, 1_000_000);
    const filter = compileFilter(words);
    if ((filter.mask & stateBit(TcpState.TIME_WAIT)) === 0) {
      throw new UsageError(`the filter "${filter.text}" leaves out time-wait, so there is nothing to report`);
    }
    const analysis = timeWaitAnalysis({ matches: beyondStates(filter), windowSec });
    const inspection = await inspectAndWarn(scopeFor(opts), [analysis]);
    const { report, warnings } = resultOf(inspection, analysis);
    printWarnings(warnings);
    const header = headerOf(inspection);
    const top = opts.all ? null : topGiven;
    const limited = top === null ? report.destinations : report.destinations.slice(0, top);
    if (format === "json") {
      emitJson({ ...envelope("timewait", header, warnings), ...report, destinations: limited });
    } else if (format === "ndjson") emitNdjson(limited);
    else if (format === "csv") emit(tableOrCsv("csv", limited, CSV));
    else emit(textReport(report, opts.all ? null : (topGiven ?? DEFAULT_TOP), terminalWidth() || 80));
    if (opts.failOn && severityRank(report.severity) >= severityRank(opts.failOn)) {
      process.exitCode = EXIT.findings;
    }
  });
}
