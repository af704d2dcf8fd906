/**
 * @module The bench's whole result: what `--json` prints and what the text
 * report renders.
 */
import type { StateCounts } from "./load/counts.js";
import type { Mix } from "./load/plan.js";
import type { MemoryResult } from "./memory.js";
import type { ScalingResult } from "./scaling.js";
import type { ScrapeResult } from "./scrape-task.js";
import type { NetnsResult } from "./netns/task.js";
import type { TraceResult } from "./trace/task.js";
import type { TaskResult } from "./tasks.js";

export const RESULT_SCHEMA = "sockdoc-bench/1";

export interface BenchResult {
  schema: typeof RESULT_SCHEMA;
  host: { kernel: string; cpus: number; node: string; gnuTime: boolean };
  namespace: string;
  runs: number;
  /** True at the default mix, where the RSS target applies. */
  defaultLoad: boolean;
  load: { mix: Mix; buildMs: number; counts: StateCounts; sockets: number } | null;
  tasks: TaskResult[];
  /** T5, every network namespace read from the host; null when not run. */
  netns: NetnsResult | null;
  /** T6, the BPF tracer's CPU under connection churn; null when not run. */
  trace: TraceResult | null;
  /** T4, the exporters scraped over HTTP; null when not run. */
  scrape: ScrapeResult | null;
  scaling: ScalingResult | null;
  /** Peak RSS of every command at the built load; null when not measured. */
  memory: MemoryResult | null;
  notes: string[];
}

/** sockdoc's median over a tool's, when both ran. */
export function ratio(task: TaskResult, tool: string): number | null {
  const sockdoc = task.rows[0]?.medianMs;
  const other = task.rows.find((r) => r.tool === tool)?.medianMs;
  if (sockdoc === undefined || other === undefined || other === 0) return null;
  return sockdoc / other;
}

/** An exporter's wall time and CPU per scrape over the reference exporter's. */
export function scrapeRatios(result: ScrapeResult, tool: string): { wall: number; cpu: number } | null {
  const row = result.rows.find((r) => r.tool === tool);
  const ref = result.rows.find((r) => r.tool === result.reference);
  if (row?.medianMs === undefined || row.cpuMsPerScrape === undefined) return null;
  if (!ref?.medianMs || !ref.cpuMsPerScrape) return null;
  return { wall: row.medianMs / ref.medianMs, cpu: row.cpuMsPerScrape / ref.cpuMsPerScrape };
}

export const RSS_TARGET_MB = 150;
