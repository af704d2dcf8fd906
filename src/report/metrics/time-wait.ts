/**
 * @module TIME_WAIT families: per outgoing destination (local address,
 * remote address, remote port: the triple whose ephemeral ports run out)
 * the sockets, ports in use and free, the close rate and the forecast, which
 * is always present (+Inf when not on course to run out) so alerts and
 * graphs see one steady series; plus the worst severity and the TIME_WAIT
 * bucket limit.
 */
import type { Destination, TimeWaitReport } from "../../analysis/time-wait/report.js";
import { severityRank } from "../../model/severity.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { capped, type Labels, leftOutFamily, perEntity } from "./entities.js";

type Value = (d: Destination) => number | null;

export const DESTINATION_FAMILIES: ReadonlyArray<readonly [string, string, Value]> = [
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
    "New TIME_WAIT sockets per second toward the destination, from the ages of the sockets (over 10 s).",
    (d) => d.ratePerSec,
  ],
  [
    "sockdoc_time_wait_destination_exhausted_in_seconds",
    "Seconds until connect() fails toward the destination at the current rate; 0: already; +Inf: not on this course.",
    (d) => (d.portsInUse === null ? null : (d.exhaustedInSec ?? Number.POSITIVE_INFINITY)),
  ],
];

/** Most ports in use first: the destinations closest to running out are the ones kept. */
function outgoingByPortsInUse(report: TimeWaitReport): Destination[] {
  return report.destinations
    .filter((d) => d.direction === "outgoing")
    .sort((a, b) => (b.portsInUse ?? 0) - (a.portsInUse ?? 0));
}

export function timeWaitFamilies(report: TimeWaitReport, top: number, scope: Labels): MetricFamily[] {
  const { kept, leftOut } = capped(outgoingByPortsInUse(report), top);
  const labels = (d: Destination): Labels => ({
    ...scope,
    local_address: d.local.address,
    remote_address: d.remote.address,
    remote_port: String(d.remote.port ?? 0),
  });
  return [
    ...DESTINATION_FAMILIES.map(([name, help, value]) => perEntity(name, help, kept, labels, value)),
    leftOutFamily(
      "sockdoc_time_wait_destinations_left_out",
      "Outgoing TIME_WAIT destinations",
      leftOut,
      scope,
    ),
    {
      name: "sockdoc_time_wait_severity",
      help: "Worst TIME_WAIT finding, an enum: 0 none or info, 1 warning, 2 critical.",
      type: "gauge",
      // severityRank: info 0, warning 1, critical 2; none (-1) counts as info.
      samples: [{ labels: scope, value: Math.max(0, severityRank(report.severity)) }],
    },
    {
      name: "sockdoc_time_wait_buckets_max",
      help: "net.ipv4.tcp_max_tw_buckets: past it, closing sockets skip TIME_WAIT (TcpExt TCPTimeWaitOverflow).",
      type: "gauge",
      samples:
        report.settings.maxTwBuckets === null ? [] : [{ labels: scope, value: report.settings.maxTwBuckets }],
    },
    {
      name: "sockdoc_ephemeral_ports_usable",
      help: "Ephemeral ports connect() may pick toward one destination: net.ipv4.ip_local_port_range less reserved and listening ports.",
      type: "gauge",
      samples: [{ labels: scope, value: report.settings.budget }],
    },
  ];
}
