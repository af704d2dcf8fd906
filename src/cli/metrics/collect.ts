/**
 * @module One scrape: one inspection of this host or a capture (summary,
 * TIME_WAIT report, listeners, kernel counters and, with -p, the CLOSE_WAIT
 * processes, from one read), as metric families. Each analysis reports its
 * own success and time; one that fails leaves its families out and says why
 * on stderr, the others are still exported. A read that fails altogether
 * still answers, with collector="read" at 0, so Prometheus sees why.
 */
import { performance } from "node:perf_hooks";
import { FirstSeen } from "../../analysis/close-wait/first-seen.js";
import type { Analysis } from "../../inspect/analysis.js";
import { type CloseWaitResult, closeWaitAnalysis } from "../../inspect/analyses/close-wait.js";
import { kernelCountersAnalysis } from "../../inspect/analyses/kernel-counters.js";
import { listenersAnalysis } from "../../inspect/analyses/listeners.js";
import { summaryAnalysis } from "../../inspect/analyses/summary.js";
import { timeWaitAnalysis } from "../../inspect/analyses/time-wait.js";
import { failures, type Inspection, inspect, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import { UsageError } from "../../model/errors.js";
import { ALL_STATES_MASK } from "../../model/tcp-state.js";
import { VERSION } from "../../model/version.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { type CloseWaitInput, type CollectorRun, metricFamilies } from "../../report/metrics/families.js";
import { debugInspection } from "../common.js";
import { processMetricNote } from "./process-note.js";

/** TIME_WAIT ages younger than this give the close rate (as timewait's default --window). */
const WINDOW_SEC = 10;

const BUILD = { version: VERSION, nodeVersion: process.version };

/** First sightings per scope, kept across the scrapes of one exporter (the scope lives as long as it). */
const firstSeenByScope = new WeakMap<Scope, FirstSeen>();

function collectorRuns(inspection: Inspection): CollectorRun[] {
  const runs: CollectorRun[] = [{ name: "read", ok: true, seconds: inspection.stats.readMs / 1000 }];
  for (const [name, outcome] of inspection.outcomes)
    runs.push({ name, ok: outcome.ok, seconds: outcome.durationMs / 1000 });
  return runs;
}

/** The CLOSE_WAIT report and, per process, how long ago this exporter first saw its oldest socket. */
function closeWaitInput(
  scope: Scope,
  result: CloseWaitResult,
  at: number,
  netns: string | null,
): CloseWaitInput {
  let firstSeen = firstSeenByScope.get(scope);
  if (!firstSeen) firstSeenByScope.set(scope, (firstSeen = new FirstSeen()));
  const oldest = firstSeen.sample(at, result.sockets, netns ?? "");
  const oldestSeenSeconds = new Map<number, number>();
  for (const [holder, first] of oldest) {
    if (holder.startsWith("pid:"))
      oldestSeenSeconds.set(Number(holder.slice(4)), Math.round((at - first) / 1000));
  }
  return { report: result.report, oldestSeenSeconds };
}

/**
 * answerFailedRead: a read that fails altogether still gives families
 * (collector="read" at 0) instead of throwing, for a server that must answer
 * every scrape. A usage error (a flag that cannot work here) is thrown anyway.
 */
export async function scrape(
  scope: Scope,
  processes: boolean,
  top: number,
  answerFailedRead = false,
): Promise<{ families: MetricFamily[]; warnings: string[] }> {
  const t0 = performance.now();
  const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
  const timeWaitOf = timeWaitAnalysis({ windowSec: WINDOW_SEC });
  const listenersOf = listenersAnalysis();
  const countersOf = kernelCountersAnalysis();
  const closeWaitOf = closeWaitAnalysis({ threads: false });
  const analyses: Analysis<unknown>[] = [summaryOf, timeWaitOf, listenersOf];
  // A capture carries no kernel counters: not a failure worth a collector at 0.
  if (scope.kind === "host") analyses.push(countersOf);
  if (processes) analyses.push(closeWaitOf);
  let inspection: Inspection;
  try {
    inspection = await inspect(scope, analyses);
  } catch (err) {
    if (!answerFailedRead || err instanceof UsageError) throw err;
    const message = (err as Error).message;
    const families = metricFamilies({
      build: BUILD,
      collectors: [{ name: "read", ok: false, seconds: (performance.now() - t0) / 1000 }],
      summary: null,
      timeWait: null,
      closeWait: null,
      listeners: null,
      kernel: null,
      top,
      scrapeSeconds: (performance.now() - t0) / 1000,
    });
    return { families, warnings: [`read failed: ${message}`] };
  }
  debugInspection(inspection);
  const warnings = [...inspection.warnings, ...failures(inspection)];
  const timeWait = resultOrNull(inspection, timeWaitOf);
  if (timeWait) warnings.push(...timeWait.warnings);
  const closeWait = processes ? resultOrNull(inspection, closeWaitOf) : null;
  const processNote = closeWait
    ? processMetricNote(closeWait.sockets, closeWait.deniedCount, process.geteuid?.() === 0)
    : null;
  if (processNote) warnings.push(processNote);
  const families = metricFamilies({
    build: BUILD,
    collectors: collectorRuns(inspection),
    summary: resultOrNull(inspection, summaryOf),
    timeWait: timeWait?.report ?? null,
    closeWait:
      closeWait && closeWaitInput(scope, closeWait, inspection.facts.takenAt, inspection.facts.netns),
    listeners: resultOrNull(inspection, listenersOf),
    kernel: resultOrNull(inspection, countersOf),
    top,
    scrapeSeconds: (performance.now() - t0) / 1000,
  });
  return { families, warnings: [...new Set(warnings)] };
}
