/**
 * @module `sockdoc metrics`: Prometheus metrics, printed once (for
 * node_exporter's textfile collector or a cron job) or served over HTTP
 * with --listen.
 */
import { Command, Option } from "commander";
import { DEFAULT_MAX_CONNECTIONS } from "../../http/connection-cap.js";
import { UsageError } from "../../model/errors.js";
import { writeFileAtomic } from "../../render/atomic-file.js";
import { emitMachineText } from "../../render/output.js";
import { renderPrometheus } from "../../render/prometheus.js";
import { loadNative } from "../../sources/native.js";
import { addSourceOptions, type CommonOptions, printWarnings, scopesFor, wholeNumber } from "../common.js";
import { readRepeatedly } from "../../inspect/scope.js";
import { scrape } from "../metrics/collect.js";

interface MetricsOptions extends CommonOptions {
  processes?: boolean;
  listen?: string;
  maxConnections: string;
  output?: string;
  top: string;
}

const HELP = `
Metrics (gauges unless _total; per-entity families keep the --top largest and
count the rest in a _left_out gauge):
  sockdoc_tcp_sockets{state}                     sockets per state, every state
  sockdoc_time_wait_destination_sockets{local_address,remote_address,remote_port}
  sockdoc_time_wait_destination_ports_in_use{...}   TIME_WAIT + other states
  sockdoc_time_wait_destination_ports_free{...}     ports connect() can still pick
  sockdoc_time_wait_destination_close_rate{...}     new TIME_WAIT per second
  sockdoc_time_wait_destination_exhausted_in_seconds{...}  +Inf: not on course
  sockdoc_time_wait_destinations_left_out
  sockdoc_time_wait_severity                     enum: 0 none/info, 1 warning, 2 critical
  sockdoc_time_wait_buckets_max                  net.ipv4.tcp_max_tw_buckets
  sockdoc_ephemeral_ports_usable                 port range less reserved, listening
  sockdoc_close_wait_process_sockets{pid,comm}   with -p (and the 5 below)
  sockdoc_close_wait_process_cause_sockets{pid,comm,cause}
  sockdoc_close_wait_process_oldest_seen_seconds{pid,comm}  since sockdoc first saw it
  sockdoc_close_wait_process_open_fds{pid,comm}
  sockdoc_close_wait_process_max_fds{pid,comm}
  sockdoc_close_wait_processes_left_out
  sockdoc_listen_queue_length{local_address,local_port}
  sockdoc_listen_queue_backlog{local_address,local_port}   netlink only
  sockdoc_listeners_left_out
  sockdoc_tcpext_time_wait_overflow_total        TcpExt counters (host only)
  sockdoc_tcpext_time_wait_finished_total
  sockdoc_tcpext_listen_overflows_total
  sockdoc_tcpext_listen_drops_total
  sockdoc_tcpext_abort_on_close_total
  sockdoc_tcpext_abort_on_timeout_total
  sockdoc_sockstat_tcp_inuse   sockdoc_sockstat_tcp_orphan    /proc/net/sockstat
  sockdoc_sockstat_tcp_tw      sockdoc_sockstat_tcp_alloc
  sockdoc_build_info{version,nodejs}             always 1
  sockdoc_scrape_collector_success{collector}    read, summary, timewait,
  sockdoc_scrape_collector_duration_seconds{collector}  listeners, counters, closewait
  sockdoc_scrape_duration_seconds

  Destinations are the outgoing ones (this host connected), most ports in use
  first. Alerting rules, a Grafana dashboard and a systemd unit are in deploy/.

With --listen: GET or HEAD /metrics (a fresh scrape; scrapes arriving while
  one runs share it) and / (the routes); other methods 405, other paths 404.
  At most --max-connections open, idle ones closed first to make room; a
  client gets 10 s for its request headers and a kept-alive connection is
  closed after 5 s without one. Listening beyond loopback prints a warning.

Examples:
  sockdoc metrics -p --output /var/lib/prometheus/node-exporter/sockdoc.prom
  sockdoc metrics --listen 127.0.0.1:9923 -p
  sockdoc metrics --input sosreport-dir/

Exit status: 0 ok; 2 usage error; 3 input could not be read; 4 not permitted.`;

export function metricsCommand(): Command {
  const cmd = new Command("metrics")
    .summary("Prometheus metrics: print once, or serve with --listen")
    .description(
      "Socket counts per state, TIME_WAIT per destination with the ports left, accept\n" +
        "queues, kernel counters and (-p) CLOSE_WAIT per process, in the Prometheus text format.",
    )
    .option("-p, --processes", "also CLOSE_WAIT per owning process (scans /proc/*/fd)")
    .addOption(new Option("--top <n>", "destinations, processes and listeners exported (each)").default("20"))
    .option("--listen <[host:]port>", "serve GET /metrics over HTTP (host defaults to 127.0.0.1)")
    .addOption(
      new Option(
        "--max-connections <n>",
        "with --listen: open connections at most (idle ones closed first)",
      ).default(String(DEFAULT_MAX_CONNECTIONS)),
    )
    .option("--output <file>", "write to FILE atomically (node_exporter textfile collector)");
  addSourceOptions(cmd);
  cmd.addHelpText("after", HELP);
  return cmd.action(async (opts: MetricsOptions) => {
    const top = wholeNumber("--top", opts.top, 0, 10_000);
    const maxConnections = wholeNumber("--max-connections", opts.maxConnections, 1, 1_000_000);
    if (opts.listen !== undefined && opts.input !== undefined)
      throw new UsageError("--listen serves this host; a capture (--input) is printed once");
    if (opts.listen !== undefined && opts.output !== undefined)
      throw new UsageError("--listen serves each scrape; --output writes one file: choose one");
    // --netns / --all-netns: one exposition, each namespace's samples labelled netns, container, pod.
    // With --all-netns a server finds the namespaces again at every scrape (containers come and go).
    // A server reads again and again in one process: one walk of the kernel's table per
    // scrape and the BPF tcp iterator loaded once (CPU over wall time). Printing once
    // (a textfile run from a timer) would pay the iterator's load every time.
    const scopesNow = () =>
      opts.listen !== undefined ? readRepeatedly(scopesFor(opts).scopes) : scopesFor(opts).scopes;
    const first = scopesNow();
    let scrapes = 0;
    const render = async () => {
      const scopes = opts.allNetns && scrapes++ > 0 ? scopesNow() : first;
      const { families, warnings } = await scrape(
        scopes,
        Boolean(opts.processes),
        top,
        opts.listen !== undefined,
      );
      printWarnings(warnings);
      return renderPrometheus(families);
    };
    if (opts.output !== undefined) {
      writeFileAtomic(opts.output, await render());
      return;
    }
    if (opts.listen === undefined) {
      emitMachineText((await render()).trimEnd());
      return;
    }
    // A long-running server loads the addon now, not during the first scrape.
    loadNative();
    // Loaded here: printing once needs no HTTP server.
    const { parseListen } = await import("../../http/listen-address.js");
    const { serveMetrics } = await import("../../http/serve-metrics.js");
    await serveMetrics(parseListen(opts.listen), render, { maxConnections });
  });
}
