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
import { failures, type Inspection, inspectMany, netnsOf, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import { UsageError } from "../../model/errors.js";
import { ALL_STATES_MASK } from "../../model/tcp-state.js";
import { VERSION } from "../../model/version.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { collectorRuns } from "../../report/metrics/collector-runs.js";
import { type CloseWaitInput, metricFamilies } from "../../report/metrics/families.js";
import { mergeFamilies } from "../../report/metrics/merge.js";
import { netnsLabels } from "../../report/netns.js";
import { debugInspection } from "../common.js";
import { processMetricNote } from "./process-note.js";

/** TIME_WAIT ages younger than this give the close rate (as timewait's default --window). */
const WINDOW_SEC = 10;

const BUILD = { version: VERSION, nodeVersion: process.version };

/**
 * First sightings per network namespace, kept across the scrapes of one
 * exporter (a namespace that is gone takes its entry along at the next
 * scrape that no longer sees it).
 */
const firstSeenByNetns = new Map<string, FirstSeen>();

/** The CLOSE_WAIT report and, per process, how long ago this exporter first saw its oldest socket. */
function closeWaitInput(result: CloseWaitResult, at: number, netns: string | null): CloseWaitInput {
  const key = netns ?? "";
  let firstSeen = firstSeenByNetns.get(key);
  if (!firstSeen) firstSeenByNetns.set(key, (firstSeen = new FirstSeen()));
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
/** The analyses of one scrape of a scope. */
function analysesOf(scope: Scope, processes: boolean) {
  const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
  const timeWaitOf = timeWaitAnalysis({ windowSec: WINDOW_SEC });
  const listenersOf = listenersAnalysis();
  const countersOf = kernelCountersAnalysis();
  const closeWaitOf = closeWaitAnalysis({ threads: false });
  const list: Analysis<unknown>[] = [summaryOf, timeWaitOf, listenersOf];
  // A capture carries no kernel counters: not a failure worth a collector at 0.
  if (scope.kind === "host") list.push(countersOf);
  if (processes) list.push(closeWaitOf);
  return { list, summaryOf, timeWaitOf, listenersOf, countersOf, closeWaitOf };
}

/** One inspection's families (with its namespace's labels when it has one) and warnings. */
function familiesOf(
  inspection: Inspection,
  of: ReturnType<typeof analysesOf>,
  processes: boolean,
  top: number,
  t0: number,
): { families: MetricFamily[]; warnings: string[] } {
  debugInspection(inspection);
  const warnings = [...inspection.warnings, ...failures(inspection)];
  const timeWait = resultOrNull(inspection, of.timeWaitOf);
  if (timeWait) warnings.push(...timeWait.warnings);
  const closeWait = processes ? resultOrNull(inspection, of.closeWaitOf) : null;
  const processNote = closeWait
    ? processMetricNote(closeWait.sockets, closeWait.deniedCount, process.geteuid?.() === 0)
    : null;
  if (processNote) warnings.push(processNote);
  const netns = netnsOf(inspection);
  const families = metricFamilies({
    build: BUILD,
    collectors: collectorRuns(inspection),
    summary: resultOrNull(inspection, of.summaryOf),
    timeWait: timeWait?.report ?? null,
    closeWait: closeWait && closeWaitInput(closeWait, inspection.facts.takenAt, inspection.facts.netns),
    listeners: resultOrNull(inspection, of.listenersOf),
    kernel: resultOrNull(inspection, of.countersOf),
    top,
    scrapeSeconds: (performance.now() - t0) / 1000,
    ...(netns ? { scopeLabels: netnsLabels(netns) } : {}),
  });
  return { families, warnings };
}

/**
 * answerFailedRead: a read that fails altogether still gives families
 * (collector="read" at 0) instead of throwing, for a server that must answer
 * every scrape. A usage error (a flag that cannot work here) is thrown anyway.
 * Several scopes (--netns, --all-netns): one read of each, one fd walk for
 * all, every family once with each namespace's samples labelled netns,
 * container and pod.
 */
export async function scrape(
  scopes: Scope | readonly Scope[],
  processes: boolean,
  top: number,
  answerFailedRead = false,
): Promise<{ families: MetricFamily[]; warnings: string[] }> {
  const t0 = performance.now();
  const list = Array.isArray(scopes) ? (scopes as readonly Scope[]) : [scopes as Scope];
  const plans = new Map(list.map((scope) => [scope, analysesOf(scope, processes)]));
  let inspections: Inspection[];
  try {
    inspections = await inspectMany(list, (scope) => plans.get(scope)!.list);
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
  const parts = inspections.map((i) => familiesOf(i, plans.get(i.scope)!, processes, top, t0));
  const seen = new Set(inspections.map((i) => i.facts.netns ?? ""));
  for (const key of firstSeenByNetns.keys()) if (!seen.has(key)) firstSeenByNetns.delete(key);
  return {
    families: parts.length === 1 ? parts[0]!.families : mergeFamilies(parts.map((p) => p.families)),
    warnings: [...new Set(parts.flatMap((p) => p.warnings))],
  };
}
