/**
 * @module Host counters that explain the states: TcpExt counters as
 * Prometheus counters (rate() works on them, unlike a gauge of sockets) and
 * the TCP line of sockstat. A counter the kernel does not have is left out.
 */
import type { KernelCounters } from "../../inspect/analyses/kernel-counters.js";
import type { MetricFamily } from "../../render/prometheus.js";
import type { Labels } from "./entities.js";

const TCPEXT: ReadonlyArray<readonly [string, string, string]> = [
  [
    "sockdoc_tcpext_time_wait_overflow_total",
    "TcpExt.TCPTimeWaitOverflow",
    "Closing sockets that skipped TIME_WAIT because net.ipv4.tcp_max_tw_buckets was reached.",
  ],
  [
    "sockdoc_tcpext_time_wait_finished_total",
    "TcpExt.TW",
    "TIME_WAIT sockets that ended after their 60 s; in a steady state its rate is the rate TIME_WAIT is entered.",
  ],
  [
    "sockdoc_tcpext_listen_overflows_total",
    "TcpExt.ListenOverflows",
    "Connections dropped because a listener's accept queue was full.",
  ],
  [
    "sockdoc_tcpext_listen_drops_total",
    "TcpExt.ListenDrops",
    "Connections a listener dropped for any reason (overflows included).",
  ],
  [
    "sockdoc_tcpext_abort_on_close_total",
    "TcpExt.TCPAbortOnClose",
    "Connections reset because the application closed them with unread data.",
  ],
  [
    "sockdoc_tcpext_abort_on_timeout_total",
    "TcpExt.TCPAbortOnTimeout",
    "Connections reset after their retransmission or keepalive timers ran out.",
  ],
];

const SOCKSTAT: ReadonlyArray<readonly [string, "inuse" | "orphan" | "tw" | "alloc", string]> = [
  [
    "sockdoc_sockstat_tcp_inuse",
    "inuse",
    "TCP sockets in use, TIME_WAIT excluded (IPv4; /proc/net/sockstat).",
  ],
  [
    "sockdoc_sockstat_tcp_orphan",
    "orphan",
    "TCP sockets no process holds any more (FIN_WAIT, LAST_ACK, CLOSING).",
  ],
  ["sockdoc_sockstat_tcp_tw", "tw", "TIME_WAIT sockets, both families (/proc/net/sockstat)."],
  ["sockdoc_sockstat_tcp_alloc", "alloc", "TCP sockets allocated, both families (/proc/net/sockstat)."],
];

export function kernelFamilies(k: KernelCounters, scope: Labels): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const [name, key, help] of TCPEXT) {
    const value = k.counters[key];
    families.push({
      name,
      help: `${help} (${key})`,
      type: "counter",
      samples: value === undefined ? [] : [{ labels: scope, value }],
    });
  }
  for (const [name, field, help] of SOCKSTAT) {
    const value = k.sockstat?.tcp?.[field] ?? null;
    families.push({ name, help, type: "gauge", samples: value === null ? [] : [{ labels: scope, value }] });
  }
  return families;
}
