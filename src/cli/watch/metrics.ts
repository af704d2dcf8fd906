/**
 * @module /metrics of `watch --listen`: the Prometheus families of the
 * round the watcher just took, from the same inspection and results it
 * stored (no inspection per scrape). The CLOSE_WAIT ages are the stored
 * first sights, so they survive a restart of the watcher.
 */
import type { Summary } from "../../analysis/summary.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import type { CloseWaitResult } from "../../inspect/analyses/close-wait.js";
import type { KernelCounters } from "../../inspect/analyses/kernel-counters.js";
import type { ListenerQueue } from "../../inspect/analyses/listeners.js";
import { type Inspection, netnsOf } from "../../inspect/inspect.js";
import { VERSION } from "../../model/version.js";
import { type MetricFamily, renderPrometheus } from "../../render/prometheus.js";
import { collectorRuns } from "../../report/metrics/collector-runs.js";
import { metricFamilies } from "../../report/metrics/families.js";
import { mergeFamilies } from "../../report/metrics/merge.js";
import { netnsLabels } from "../../report/netns.js";
import type { NamespaceSample } from "../../store/sample.js";

/** Per-entity families keep this many (as metrics --top's default). */
const TOP = 20;

export interface RoundPart {
  inspection: Inspection;
  sample: NamespaceSample;
  summary: Summary | null;
  timeWait: TimeWaitReport | null;
  closeWait: CloseWaitResult | null;
  listeners: ListenerQueue[] | null;
  kernel: KernelCounters | null;
}

function familiesOf(p: RoundPart): MetricFamily[] {
  const oldestSeenSeconds = new Map<number, number>();
  for (const g of p.sample.closeWait) {
    if (g.pid === null || g.firstSeen === null) continue;
    const age = Math.round((p.sample.at - g.firstSeen) / 1000);
    oldestSeenSeconds.set(g.pid, Math.max(age, oldestSeenSeconds.get(g.pid) ?? 0));
  }
  const netns = netnsOf(p.inspection);
  return metricFamilies({
    build: { version: VERSION, nodeVersion: process.version },
    collectors: collectorRuns(p.inspection),
    summary: p.summary,
    timeWait: p.timeWait,
    closeWait: p.closeWait && { report: p.closeWait.report, oldestSeenSeconds },
    listeners: p.listeners,
    kernel: p.kernel,
    top: TOP,
    scrapeSeconds: p.inspection.stats.totalMs / 1000,
    ...(netns ? { scopeLabels: netnsLabels(netns) } : {}),
  });
}

export function roundMetrics(parts: readonly RoundPart[]): string {
  const families = parts.map(familiesOf);
  return renderPrometheus(families.length === 1 ? families[0]! : mergeFamilies(families));
}
