/**
 * @module What `sockdoc metrics` exports, as Prometheus metric families:
 * sockets per state, TIME_WAIT per destination with the ports left, the
 * tcp_max_tw_buckets headroom and, with -p, CLOSE_WAIT per process. Pure:
 * the reports in, the families out. State labels are the canonical names in
 * lower snake case (DESIGN.md).
 */
import type { ProcessReport } from "../../analysis/close-wait/report.js";
import type { Summary } from "../../analysis/summary.js";
import type { Destination, TimeWaitReport } from "../../analysis/time-wait/report.js";
import { severityRank } from "../../model/severity.js";
import { ALL_STATES, stateName } from "../../model/tcp-state.js";
import type { MetricFamily, Sample } from "../../render/prometheus.js";

export interface MetricsInput {
  /** null: the analysis failed; its families are left out. */
  summary: Summary | null;
  timeWait: TimeWaitReport | null;
  /** Outgoing destinations exported, most ports in use first. */
  topDestinations: number;
  /** null: owners were not looked up (no -p). */
  closeWaitProcesses: ProcessReport[] | null;
  scrapeSeconds: number;
}

function destinationLabels(d: Destination): Record<string, string> {
  return { local: d.local.address, remote: d.remote.address, port: String(d.remote.port ?? 0) };
}

function perDestination(
  destinations: readonly Destination[],
  value: (d: Destination) => number | null,
): Sample[] {
  const samples: Sample[] = [];
  for (const d of destinations) {
    const v = value(d);
    if (v !== null) samples.push({ labels: destinationLabels(d), value: v });
  }
  return samples;
}

/** One gauge per outgoing destination each: name, help, value (absent when null). */
const DESTINATION_METRICS: Array<[string, string, (d: Destination) => number | null]> = [
  [
    "sockdoc_time_wait_destination_sockets",
    "TIME_WAIT sockets toward an outgoing destination (local address, remote address, remote port).",
    (d) => d.count,
  ],
  [
    "sockdoc_time_wait_destination_ports_in_use",
    "Ephemeral ports in use toward the destination: TIME_WAIT plus sockets in other states.",
    (d) => d.portsInUse,
  ],
  [
    "sockdoc_time_wait_destination_ports_free",
    "Ephemeral ports connect() can still pick toward the destination.",
    (d) => d.portsLeft,
  ],
  [
    "sockdoc_time_wait_destination_close_rate",
    "New TIME_WAIT sockets per second toward the destination, from the ages of the sockets.",
    (d) => d.ratePerSec,
  ],
  [
    "sockdoc_time_wait_destination_exhausted_in_seconds",
    "Seconds until connect() fails toward the destination at the current rate (0: already); absent when not on this course.",
    (d) => d.exhaustedInSec,
  ],
];

function stateFamily(summary: Summary): MetricFamily {
  return {
    name: "sockdoc_tcp_sockets",
    help: "TCP sockets per state (every state, zero included).",
    type: "gauge",
    samples: ALL_STATES.map((state) => ({
      labels: { state: stateName(state).toLowerCase() },
      value: summary.states[stateName(state)] ?? 0,
    })),
  };
}

function timeWaitFamilies(timeWait: TimeWaitReport, top: number): MetricFamily[] {
  const outgoing = timeWait.destinations
    .filter((d) => d.direction === "outgoing")
    .sort((a, b) => (b.portsInUse ?? 0) - (a.portsInUse ?? 0))
    .slice(0, top);
  return [
    ...DESTINATION_METRICS.map(([name, help, value]): MetricFamily => ({
      name,
      help,
      type: "gauge",
      samples: perDestination(outgoing, value),
    })),
    {
      name: "sockdoc_time_wait_severity",
      help: "Worst TIME_WAIT finding: 0 none or info, 1 warning, 2 critical.",
      type: "gauge",
      // info (0), warning (1), critical (2); none counts as info.
      samples: [{ value: Math.max(0, severityRank(timeWait.severity)) }],
    },
    {
      name: "sockdoc_time_wait_buckets_max",
      help: "net.ipv4.tcp_max_tw_buckets: past it, closing sockets skip TIME_WAIT.",
      type: "gauge",
      samples: timeWait.settings.maxTwBuckets === null ? [] : [{ value: timeWait.settings.maxTwBuckets }],
    },
  ];
}

export function metricFamilies(input: MetricsInput): MetricFamily[] {
  const families: MetricFamily[] = [];
  if (input.summary) families.push(stateFamily(input.summary));
  if (input.timeWait) families.push(...timeWaitFamilies(input.timeWait, input.topDestinations));
  if (input.closeWaitProcesses) {
    families.push({
      name: "sockdoc_close_wait_process_sockets",
      help: "CLOSE_WAIT sockets held by a process (they never time out).",
      type: "gauge",
      samples: input.closeWaitProcesses.map((p) => ({
        labels: { pid: String(p.pid), comm: p.comm },
        value: p.closeWait,
      })),
    });
  }
  families.push({
    name: "sockdoc_scrape_duration_seconds",
    help: "Time sockdoc took to read and analyse the sockets for this scrape.",
    type: "gauge",
    samples: [{ value: Math.round(input.scrapeSeconds * 1000) / 1000 }],
  });
  return families;
}
