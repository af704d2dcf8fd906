/**
 * @module `sockdoc closewait [FILTER]`: who holds CLOSE_WAIT sockets, since
 * when, why, and what to do. Thin: sampling and rendering live in
 * cli/closewait/, the analysis in analysis/close-wait/.
 */
import { Command, Option } from "commander";
import type { CloseWaitReport } from "../../analysis/close-wait/report.js";
import { SEVERITIES, type Severity, severityRank } from "../../analysis/close-wait/severity.js";
import { CloseWaitTracker } from "../../analysis/close-wait/tracker.js";
import { type CloseWaitResult, closeWaitAnalysis } from "../../inspect/analyses/close-wait.js";
import { type InspectionHeader, headerOf } from "../../inspect/header.js";
import type { Analysis } from "../../inspect/analysis.js";
import { type Inspection, resultOf, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import { inspectionsOfMany } from "../../inspect/watch.js";
import { EXIT, UsageError } from "../../model/errors.js";
import { renderCsv } from "../../render/csv.js";
import { loadNative } from "../../sources/native.js";
import { emit, emitExact, emitJson, emitNdjson, terminalWidth } from "../../render/output.js";
import { CSV_COLUMNS } from "../../report/close-wait/csv-columns.js";
import { CLOSEWAIT_DESCRIPTION, CLOSEWAIT_EXAMPLES, CLOSEWAIT_HELP } from "../closewait/help.js";
import { closeWaitJson, groupJson, type Sampling } from "../../report/close-wait/json.js";
import { planSampling } from "../closewait/sampling.js";
import {
  combined,
  type NamespaceReport,
  namespaceParts,
  namespacesJson,
  namespacesText,
} from "../../report/close-wait/namespaces.js";
import { closeWaitText } from "../../report/close-wait/text.js";
import { closeWaitPredicate } from "../closewait/predicate.js";
import { type ExactAgeSection, exactAgesOf } from "../closewait/exact-ages.js";
import { exactAgesJson, exactAgesText } from "../../report/close-wait/exact-ages.js";
import {
  addOutputOptions,
  addSourceOptions,
  type CommonOptions,
  debugInspection,
  outputFormat,
  printNewWarnings,
  scopesFor,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface CloseWaitOptions extends CommonOptions {
  /** false: skip /proc/PID/task (processes with thousands of threads). */
  threads?: boolean;
  interval?: string;
  count?: string;
  watch?: boolean;
  failOn?: Severity;
  db?: string;
}

interface Sample {
  header: InspectionHeader;
  /** Every namespace's together (worst severity, all groups); the one scope's without namespaces. */
  report: CloseWaitReport;
  /** With --netns or --all-netns: each namespace's report, and how many were read. */
  namespaces: { parts: NamespaceReport[]; scanned: number } | null;
}

function render(format: string, { header, report, namespaces }: Sample, extra: ExtraInfo): void {
  if (namespaces) {
    const { parts, scanned } = namespaces;
    if (format === "json") {
      const doc = {
        ...closeWaitJson(header, report, extra),
        ...namespacesJson(parts),
        namespacesRead: scanned,
        ...agesJson(extra),
      };
      if (extra.streaming) emitExact(JSON.stringify(doc));
      else emitJson(doc);
    } else if (format === "ndjson") emitNdjson(namespacesJson(parts).groups);
    else if (format === "csv") emit(renderCsv(report.groups, CSV_COLUMNS));
    else emit(namespacesText(parts, scanned, terminalWidth()));
    if (format === "table") emitAges(extra);
    return;
  }
  if (format === "json") {
    const doc = { ...closeWaitJson(header, report, extra), ...agesJson(extra) };
    // In --watch, one compact document per sample so a script can read them as they come.
    if (extra.streaming) emitExact(JSON.stringify(doc));
    else emitJson(doc);
  } else if (format === "ndjson") emitNdjson(report.groups.map(groupJson));
  else if (format === "csv") emit(renderCsv(report.groups, CSV_COLUMNS));
  else {
    const captured = header.source.kind === "capture" ? header.source.detail : undefined;
    emit(closeWaitText(report, terminalWidth(), captured));
    emitAges(extra);
  }
}

function emitAges(extra: ExtraInfo): void {
  const a = extra.exactAges;
  if (a && a.ages.length > 0) emit(`\n${exactAgesText(a.ages, a.watcherPid, a.since)}`);
}

interface ExtraInfo {
  failOn: Severity | null;
  sampling: Sampling | null;
  streaming: boolean;
  /** Exact ages from a running watcher's tracer (one-shot live reads only). */
  exactAges?: ExactAgeSection | null;
}

function agesJson(extra: ExtraInfo) {
  const a = extra.exactAges;
  return a ? { closeWaitAges: exactAgesJson(a.ages, a.watcherPid, a.since) } : {};
}

function oneSample(inspection: Inspection, analysisFor: (s: Scope) => Analysis<CloseWaitResult>): Sample {
  const { report } = resultOf(inspection, analysisFor(inspection.scope));
  return { header: headerOf(inspection), report, namespaces: null };
}

/** Each namespace's report, and all of them as one (ranked, worst first). */
function namespacesSample(
  round: readonly Inspection[],
  analysisFor: (s: Scope) => Analysis<CloseWaitResult>,
): Sample {
  const parts = namespaceParts(round, (i) => resultOrNull(i, analysisFor(i.scope))?.report ?? null);
  return {
    header: headerOf(round[0]!),
    report: combined(parts),
    namespaces: { parts, scanned: round.length },
  };
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
    .option("--no-threads", "do not read each owner's thread states (faster with thousands of threads)")
    .option("--db <file>", "a running watcher's history database, for exact ages (default: watch's)");
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
    let last: Sample | null = null;
    let lastRound: readonly Inspection[] = [];
    const matches = closeWaitPredicate(words);
    const threads = opts.threads !== false;
    // One tracker per namespace: each is sampled once a round.
    const trackers = new Map<Scope, CloseWaitTracker>();
    const analyses = new Map<Scope, ReturnType<typeof closeWaitAnalysis>>();
    const analysisFor = (scope: Scope) => {
      let analysis = analyses.get(scope);
      if (!analysis) {
        const own = trackers.size === 0 ? tracker : new CloseWaitTracker();
        trackers.set(scope, own);
        analysis = closeWaitAnalysis({ matches, threads, tracker: own });
        analyses.set(scope, analysis);
      }
      return analysis;
    };
    // A capture is read once; each sample of the live host reads it afresh.
    const { scopes, namespaced } = scopesFor(opts);
    // Watching runs long: load the addon before the first sample, not during it.
    if (plan.watch) {
      loadNative();
    }
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
      let i = 0;
      const rounds = inspectionsOfMany(scopes, (scope) => [analysisFor(scope)], plan, controller.signal);
      for await (const round of rounds) {
        for (const inspection of round) {
          debugInspection(inspection);
          printNewWarnings(inspection.warnings, warned);
        }
        last = namespaced ? namespacesSample(round, analysisFor) : oneSample(round[0]!, analysisFor);
        lastRound = round;
        if (plan.watch) {
          if (format === "table" && process.stdout.isTTY) process.stdout.write("\x1b[H\x1b[2J");
          else if (format === "table" && i > 0) emit("");
          if (format === "table") emit(`sample ${i + 1} at ${new Date(last.header.takenAt).toISOString()}`);
          render(format, last, extra());
        } else if (plan.count !== null && plan.count > 1 && process.stderr.isTTY) {
          process.stderr.write(`sockdoc: sample ${i + 1} of ${plan.count}\r`);
        }
        i++;
      }
    } finally {
      process.removeListener("SIGINT", onSignal);
    }
    const done = last as Sample | null;
    if (!done) return;
    if (!plan.watch) {
      const live = opts.input === undefined && opts.procRoot === undefined;
      const exactAges = live ? exactAgesOf(lastRound, analysisFor, opts.db) : null;
      render(format, done, { ...extra(), exactAges });
    }
    if (opts.failOn && severityRank(done.report.severity) >= severityRank(opts.failOn)) {
      process.exitCode = EXIT.findings;
    }
  });
}
