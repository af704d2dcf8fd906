/**
 * @module One scrape: the summary, the TIME_WAIT report and (with -p) the
 * CLOSE_WAIT processes of this host or a capture, as metric families.
 */
import { performance } from "node:perf_hooks";
import { summarize } from "../../analysis/summary.js";
import { compileFilter } from "../../filter/compile.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { reportFor } from "../closewait/analyze.js";
import { collectSample } from "../closewait/collect.js";
import { type CommonOptions, captureFor } from "../common.js";
import { readSummary } from "../commands/summary.js";
import { collectTimeWait } from "../timewait/collect.js";
import { metricFamilies } from "./families.js";
import { processMetricNote } from "./process-note.js";

export interface ScrapeOptions extends CommonOptions {
  processes?: boolean;
}

/** TIME_WAIT ages younger than this give the close rate (as timewait's default --window). */
const WINDOW_SEC = 10;

export function scrape(
  opts: ScrapeOptions,
  topDestinations: number,
): { families: MetricFamily[]; warnings: string[] } {
  const t0 = performance.now();
  // A capture is read once and shared: stdin cannot be read again.
  const capture = captureFor([], opts) ?? undefined;
  const { header, summary } = capture
    ? { header: capture, summary: summarize(capture.sockets, 0, false) }
    : readSummary([], { ...opts, processes: false, top: "0" }, 0);
  const timeWait = collectTimeWait(compileFilter([]), opts, WINDOW_SEC, capture);
  const sample = opts.processes ? collectSample([], opts, capture) : null;
  const closeWait = sample ? reportFor(sample, null) : null;
  const processNote = sample
    ? processMetricNote(sample.snapshot.sockets, sample.deniedCount, process.geteuid?.() === 0)
    : null;
  const families = metricFamilies({
    summary,
    timeWait: timeWait.report,
    topDestinations,
    closeWaitProcesses: closeWait?.processes ?? null,
    scrapeSeconds: (performance.now() - t0) / 1000,
  });
  return {
    families,
    warnings: [
      ...new Set([
        ...header.warnings,
        ...timeWait.header.warnings,
        ...timeWait.warnings,
        ...(processNote ? [processNote] : []),
      ]),
    ],
  };
}
