/**
 * @module `sockdoc closewait [FILTER]`: who holds CLOSE_WAIT sockets, since
 * when, why, and what to do. Thin: sampling and rendering live in
 * cli/closewait/, the analysis in analysis/close-wait/.
 */
import { Command, Option } from "commander";
import type { CloseWaitReport } from "../../analysis/close-wait/report.js";
import { SEVERITIES, type Severity, severityRank } from "../../analysis/close-wait/severity.js";
import { CloseWaitTracker } from "../../analysis/close-wait/tracker.js";
import { EXIT, UsageError } from "../../model/errors.js";
import { TcpState } from "../../model/tcp-state.js";
import { renderCsv } from "../../render/csv.js";
import { emit, emitExact, emitJson, emitNdjson, terminalWidth } from "../../render/output.js";
import { reportFor } from "../closewait/analyze.js";
import { type CloseWaitSample, type CollectOptions, collectSample } from "../closewait/collect.js";
import { CSV_COLUMNS } from "../closewait/csv-columns.js";
import { CLOSEWAIT_DESCRIPTION, CLOSEWAIT_EXAMPLES, CLOSEWAIT_HELP } from "../closewait/help.js";
import { closeWaitJson, groupJson, type Sampling } from "../closewait/json.js";
import { planSampling, sampleLoop } from "../closewait/sampling.js";
import { closeWaitText } from "../closewait/text.js";
import { addOutputOptions, addSourceOptions, capturedFrom, outputFormat, printWarnings } from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface CloseWaitOptions extends CollectOptions {
  interval?: string;
  count?: string;
  watch?: boolean;
  failOn?: Severity;
}

function render(format: string, sample: CloseWaitSample, report: CloseWaitReport, extra: ExtraInfo): void {
  if (format === "json") {
    const doc = closeWaitJson(sample.snapshot, report, extra);
    // In --watch, one compact document per sample so a script can read them as they come.
    if (extra.streaming) emitExact(JSON.stringify(doc));
    else emitJson(doc);
  } else if (format === "ndjson") emitNdjson(report.groups.map(groupJson));
  else if (format === "csv") emit(renderCsv(report.groups, CSV_COLUMNS));
  else emit(closeWaitText(report, terminalWidth(), capturedFrom(sample.snapshot)));
}

interface ExtraInfo {
  failOn: Severity | null;
  sampling: Sampling | null;
  streaming: boolean;
}

export function closewaitCommand(): Command {
  const cmd = new Command("closewait")
    .summary("who holds CLOSE_WAIT sockets, since when, why, and what to do")
    .description(CLOSEWAIT_DESCRIPTION)
    .argument("[filter...]", "ss-style filter, e.g. sport = :8080 (only CLOSE_WAIT sockets are reported)")
    .option("--interval <s>", "seconds between samples (default 5; with no --count, takes 2 samples)")
    .option("--count <n>", "number of samples (default 1)")
    .option("--watch", "sample until Ctrl-C (or --count), printing the report after each sample")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a group reaches this severity").choices(SEVERITIES),
    )
    .option("--no-threads", "do not read each owner's thread states (faster with thousands of threads)");
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  // The shared filter help ends with ls/summary examples; closewait's own examples replace them.
  const filterHelp = FILTER_HELP.split("\n\nExamples:")[0] ?? "";
  cmd.addHelpText("after", `${CLOSEWAIT_HELP}\n${filterHelp}\n${CLOSEWAIT_EXAMPLES}`);
  return cmd.action(async (words: string[], opts: CloseWaitOptions) => {
    const format = outputFormat(opts);
    if (opts.input !== undefined && (opts.interval ?? opts.count ?? opts.watch) !== undefined) {
      throw new UsageError(
        "--interval, --count and --watch sample the live host; a capture (--input) is one moment",
      );
    }
    const plan = planSampling(opts);
    const tracker = new CloseWaitTracker();
    const warned = new Set<string>();
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    let last: { sample: CloseWaitSample; report: CloseWaitReport } | null = null;
    const extra = (): ExtraInfo => ({
      failOn: opts.failOn ?? null,
      sampling:
        tracker.sampleCount > 1
          ? {
              samples: tracker.sampleCount,
              intervalSeconds: plan.intervalMs / 1000,
              windowSeconds: Math.round(((tracker.lastAt ?? 0) - (tracker.firstAt ?? 0)) / 1000),
            }
          : null,
      streaming: plan.watch,
    });
    try {
      await sampleLoop(
        plan,
        (i) => {
          const sample = collectSample(words, opts);
          printWarnings(sample.snapshot.warnings.filter((w) => !warned.has(w)));
          for (const w of sample.snapshot.warnings) warned.add(w);
          const cw = sample.snapshot.sockets.filter((s) => s.state === TcpState.CLOSE_WAIT);
          tracker.add(sample.snapshot.takenAt, cw);
          last = { sample, report: reportFor(sample, tracker) };
          if (plan.watch) {
            if (format === "table" && process.stdout.isTTY) process.stdout.write("\x1b[H\x1b[2J");
            else if (format === "table" && i > 0) emit("");
            if (format === "table")
              emit(`sample ${i + 1} at ${new Date(sample.snapshot.takenAt).toISOString()}`);
            render(format, sample, last.report, extra());
          } else if (plan.count !== null && plan.count > 1 && process.stderr.isTTY) {
            process.stderr.write(`sockdoc: sample ${i + 1} of ${plan.count}\r`);
          }
        },
        controller.signal,
      );
    } finally {
      process.removeListener("SIGINT", onSignal);
    }
    const done = last as { sample: CloseWaitSample; report: CloseWaitReport } | null;
    if (!done) return;
    if (!plan.watch) render(format, done.sample, done.report, extra());
    if (opts.failOn && severityRank(done.report.severity) >= severityRank(opts.failOn)) {
      process.exitCode = EXIT.findings;
    }
  });
}
