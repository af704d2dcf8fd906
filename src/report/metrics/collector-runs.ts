/**
 * @module An inspection's collectors for sockdoc_scrape_collector_*: the
 * shared read, then each analysis with its outcome and time.
 */
import type { Inspection } from "../../inspect/inspect.js";
import type { CollectorRun } from "./families.js";

export function collectorRuns(inspection: Inspection): CollectorRun[] {
  const runs: CollectorRun[] = [{ name: "read", ok: true, seconds: inspection.stats.readMs / 1000 }];
  for (const [name, outcome] of inspection.outcomes)
    runs.push({ name, ok: outcome.ok, seconds: outcome.durationMs / 1000 });
  return runs;
}
