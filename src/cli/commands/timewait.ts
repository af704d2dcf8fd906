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
import { netnsOf, resultOf, resultOrNull } from "../../inspect/inspect.js";
import { netnsLabel } from "../../report/netns.js";
import { rankByTimeWait } from "../../report/time-wait/namespaces.js";
import { EXIT, UsageError } from "../../model/errors.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv, terminalWidth } from "../../render/output.js";
import {
  addOutputOptions,
  addSourceOptions,
  beyondStates,
  type CommonOptions,
  inspectAllAndWarn,
  inspectAndWarn,
  outputFormat,
  printWarnings,
  scopesFor,
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
    const { scopes, namespaced } = scopesFor(opts);
    if (namespaced) {
      // Each namespace has its own ports and settings: one report each, worst first.
      const round = await inspectAllAndWarn(scopes, () => [analysis]);
      const parts = round.flatMap((i) => {
        const result = resultOrNull(i, analysis);
        const netns = netnsOf(i);
        return result && netns ? [{ netns, report: result.report }] : [];
      });
      const ranked = rankByTimeWait(parts);
      const top = opts.all ? null : topGiven;
      if (format === "json") {
        emitJson({
          ...envelope("timewait", headerOf(round[0]!)),
          severity: ranked[0]?.report.severity ?? "none",
          namespaces: ranked.map((p) => ({
            netns: p.netns,
            ...p.report,
            destinations: (top === null ? p.report.destinations : p.report.destinations.slice(0, top)).map(
              (d) => ({ ...d, netns: p.netns }),
            ),
          })),
        });
      } else if (format === "ndjson" || format === "csv") {
        const rows = ranked.flatMap((p) => p.report.destinations.map((d) => ({ ...d, netns: p.netns })));
        if (format === "ndjson") emitNdjson(rows);
        else emit(tableOrCsv("csv", rows, CSV));
      } else {
        const width = terminalWidth() || 80;
        emit(
          ranked
            .map(
              (p) =>
                `== namespace ${netnsLabel(p.netns)} ==\n${textReport(p.report, top ?? (opts.all ? null : DEFAULT_TOP), width)}`,
            )
            .join("\n\n"),
        );
      }
      const worst = ranked[0]?.report.severity;
      if (opts.failOn && worst && severityRank(worst) >= severityRank(opts.failOn))
        process.exitCode = EXIT.findings;
      return;
    }
    const inspection = await inspectAndWarn(scopes[0]!, [analysis]);
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
