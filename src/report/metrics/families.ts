/**
 * @module What `sockdoc metrics` exports, as Prometheus metric families, per
 * analysis of one inspection: sockets per state, TIME_WAIT per destination,
 * CLOSE_WAIT per process (-p), accept queues per listener, the kernel's
 * counters, and the scrape's own health (each collector's success and time,
 * as node_exporter reports its collectors; build_info). Pure: results in,
 * families out. An analysis that failed (null) leaves its families out and
 * shows as success 0. State labels are the canonical names in lower snake case.
 */
import type { Summary } from "../../analysis/summary.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import type { KernelCounters } from "../../inspect/analyses/kernel-counters.js";
import type { ListenerQueue } from "../../inspect/analyses/listeners.js";
import { ALL_STATES, stateName } from "../../model/tcp-state.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { type CloseWaitInput, closeWaitFamilies } from "./close-wait.js";
import type { Labels } from "./entities.js";
import { kernelFamilies } from "./kernel.js";
import { listenerFamilies } from "./listeners.js";
import { timeWaitFamilies } from "./time-wait.js";

export type { CloseWaitInput } from "./close-wait.js";

/** One collector of a scrape: an analysis, or "read" for the read they share. */
export interface CollectorRun {
  name: string;
  ok: boolean;
  seconds: number;
}

export interface MetricsInput {
  build: { version: string; nodeVersion: string };
  collectors: readonly CollectorRun[];
  /** Each null: not run or failed; its families are left out. */
  summary: Summary | null;
  timeWait: TimeWaitReport | null;
  /** null also without -p. */
  closeWait: CloseWaitInput | null;
  listeners: readonly ListenerQueue[] | null;
  kernel: KernelCounters | null;
  /** Entities exported per per-entity family (destinations, processes, listeners). */
  top: number;
  /**
   * Labels every sample of this scope carries first. Empty for this host;
   * the extension point for other scopes (network namespace, container).
   */
  scopeLabels?: Labels;
  scrapeSeconds: number;
}

const round = (seconds: number) => Math.round(seconds * 1e6) / 1e6;

function healthFamilies(input: MetricsInput, scope: Labels): MetricFamily[] {
  return [
    {
      name: "sockdoc_build_info",
      help: "sockdoc's version and the Node.js it runs on; always 1.",
      type: "gauge",
      samples: [{ labels: { version: input.build.version, nodejs: input.build.nodeVersion }, value: 1 }],
    },
    {
      name: "sockdoc_scrape_collector_success",
      help: 'Whether a collector succeeded (1) or failed (0) in this scrape; collector="read" is the read they share.',
      type: "gauge",
      samples: input.collectors.map((c) => ({
        labels: { ...scope, collector: c.name },
        value: c.ok ? 1 : 0,
      })),
    },
    {
      name: "sockdoc_scrape_collector_duration_seconds",
      help: 'Time a collector took in this scrape; collector="read" is the read they share (facts, sockets, owners).',
      type: "gauge",
      samples: input.collectors.map((c) => ({
        labels: { ...scope, collector: c.name },
        value: round(c.seconds),
      })),
    },
    {
      name: "sockdoc_scrape_duration_seconds",
      help: "Time sockdoc took to read and analyse the sockets for this scrape.",
      type: "gauge",
      samples: [{ labels: scope, value: Math.round(input.scrapeSeconds * 1000) / 1000 }],
    },
  ];
}

function stateFamily(summary: Summary, scope: Labels): MetricFamily {
  return {
    name: "sockdoc_tcp_sockets",
    help: "TCP sockets per state (every state, zero included).",
    type: "gauge",
    samples: ALL_STATES.map((state) => ({
      labels: { ...scope, state: stateName(state).toLowerCase() },
      value: summary.states[stateName(state)] ?? 0,
    })),
  };
}

export function metricFamilies(input: MetricsInput): MetricFamily[] {
  const scope = input.scopeLabels ?? {};
  const families: MetricFamily[] = [];
  if (input.summary) families.push(stateFamily(input.summary, scope));
  if (input.timeWait) families.push(...timeWaitFamilies(input.timeWait, input.top, scope));
  if (input.closeWait) families.push(...closeWaitFamilies(input.closeWait, input.top, scope));
  if (input.listeners) families.push(...listenerFamilies(input.listeners, input.top, scope));
  if (input.kernel) families.push(...kernelFamilies(input.kernel, scope));
  families.push(...healthFamilies(input, scope));
  return families;
}
