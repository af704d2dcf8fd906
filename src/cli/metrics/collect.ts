/**
 * @module One scrape: one inspection of this host or a capture (the summary,
 * the TIME_WAIT report and, with -p, the CLOSE_WAIT processes from one
 * read), as metric families. An analysis that fails leaves its families out
 * and says why on stderr; the others are still exported.
 */
import { performance } from "node:perf_hooks";
import { closeWaitAnalysis } from "../../inspect/analyses/close-wait.js";
import { summaryAnalysis } from "../../inspect/analyses/summary.js";
import { timeWaitAnalysis } from "../../inspect/analyses/time-wait.js";
import { failures, inspect, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import { ALL_STATES_MASK } from "../../model/tcp-state.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { metricFamilies } from "../../report/metrics/families.js";
import { debugInspection } from "../common.js";
import { processMetricNote } from "./process-note.js";

/** TIME_WAIT ages younger than this give the close rate (as timewait's default --window). */
const WINDOW_SEC = 10;

export async function scrape(
  scope: Scope,
  processes: boolean,
  topDestinations: number,
): Promise<{ families: MetricFamily[]; warnings: string[] }> {
  const t0 = performance.now();
  const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
  const timeWaitOf = timeWaitAnalysis({ windowSec: WINDOW_SEC });
  const closeWaitOf = closeWaitAnalysis({ threads: false });
  const inspection = await inspect(
    scope,
    processes ? [summaryOf, timeWaitOf, closeWaitOf] : [summaryOf, timeWaitOf],
  );
  debugInspection(inspection);
  const warnings = [...inspection.warnings, ...failures(inspection)];
  const summary = resultOrNull(inspection, summaryOf);
  const timeWait = resultOrNull(inspection, timeWaitOf);
  const closeWait = processes ? resultOrNull(inspection, closeWaitOf) : null;
  if (timeWait) warnings.push(...timeWait.warnings);
  const processNote = closeWait
    ? processMetricNote(closeWait.sockets, closeWait.deniedCount, process.geteuid?.() === 0)
    : null;
  if (processNote) warnings.push(processNote);
  const families = metricFamilies({
    summary,
    timeWait: timeWait?.report ?? null,
    topDestinations,
    closeWaitProcesses: closeWait?.report.processes ?? null,
    scrapeSeconds: (performance.now() - t0) / 1000,
  });
  return { families, warnings: [...new Set(warnings)] };
}
