/**
 * @module THE table of command lines the bench times. Change sockdoc's lines
 * here when its commands change (e.g. T3 becomes the TIME_WAIT report).
 * `{sockdoc}` stands for the repository's bin/sockdoc. Every line runs with
 * `sh -c` inside the namespace, its output going to a drained pipe.
 */

export interface BenchCommand {
  /** Short label for the table. */
  tool: string;
  shell: string;
  /** A program that must be installed, else the row is skipped with a note. */
  needs: string;
  /** What to install when `needs` is missing (Debian package). */
  installHint?: string;
  /** Check the warm-up run's output against the counted load (see checks.ts). */
  check?: "summary-json";
}

export interface TaskSpec {
  id: string;
  title: string;
  /** sockdoc's first; the others are the tools people use today. */
  sockdoc: BenchCommand;
  tools: BenchCommand[];
  /** The target: sockdoc's median at most `ratio` × the reference tool's. */
  target: { tool: string; ratio: number };
}

const SS = { needs: "ss", installHint: "iproute2" };
const NETSTAT = { needs: "netstat", installHint: "net-tools" };
const LSOF = { needs: "lsof", installHint: "lsof" };
const SOCKDOC = { tool: "sockdoc", needs: "{sockdoc}" };

// Group TIME_WAIT by destination (peer) with the smallest and largest time
// left; ss prints the timer as e.g. timer:(timewait,1min2sec,0) or 512ms.
const TW_BY_DESTINATION = `awk 'NR > 1 { split($5, t, /[(,]/); v = t[3]; s = 0
  if (v ~ /min/) { s += 60 * v; sub(/.*min/, "", v) }
  if (v ~ /ms/) s += v / 1000; else s += v
  n[$4]++; if (!($4 in lo) || s < lo[$4]) lo[$4] = s; if (s > hi[$4]) hi[$4] = s }
  END { for (d in n) printf "%s %d %.0f %.0f\\n", d, n[d], lo[d], hi[d] }'`;

export const TASKS: TaskSpec[] = [
  {
    id: "T1",
    title: "counts per state",
    sockdoc: { ...SOCKDOC, shell: "{sockdoc} summary --json", check: "summary-json" },
    tools: [
      { ...SS, tool: "ss", shell: "ss -tan | awk '{print $1}' | sort | uniq -c" },
      { ...NETSTAT, tool: "netstat", shell: "netstat -tan | awk '{print $6}' | sort | uniq -c" },
    ],
    target: { tool: "ss", ratio: 0.4 },
  },
  {
    id: "T2",
    title: "CLOSE_WAIT with owning process",
    sockdoc: { ...SOCKDOC, shell: "{sockdoc} ls state close-wait -p --json" },
    tools: [
      { ...SS, tool: "ss -tanp", shell: "ss -tanp state close-wait" },
      { ...LSOF, tool: "lsof", shell: "lsof -nP -iTCP -sTCP:CLOSE_WAIT" },
      { ...NETSTAT, tool: "netstat -tanp", shell: "netstat -tanp | grep CLOSE_WAIT" },
    ],
    target: { tool: "ss -tanp", ratio: 0.3 },
  },
  {
    id: "T3",
    title: "TIME_WAIT by destination, time left",
    sockdoc: { ...SOCKDOC, shell: "{sockdoc} timewait --json" },
    tools: [{ ...SS, tool: "ss", shell: `ss -tano state time-wait | ${TW_BY_DESTINATION}` }],
    target: { tool: "ss", ratio: 0.8 },
  },
];

/** Scaling times T1's commands at several load sizes. */
export const SCALING_TASK_ID = "T1";

/** One of T4's exporters: a server the bench starts in the namespace and scrapes over loopback. */
export interface ExporterSpec {
  tool: string;
  /** Program and arguments; {sockdoc} is bin/sockdoc, {port} the port below. */
  argv: string[];
  needs: string;
  installHint?: string;
  /** A loopback port below the namespace's ephemeral range and the load's listeners. */
  port: number;
  /** The metric with one sample per TCP state, checked against the counted load. */
  stateMetric: string;
}

export interface ScrapeTaskSpec {
  id: string;
  title: string;
  exporters: ExporterSpec[];
  /** The exporter the ratios are taken against. */
  reference: string;
  /** Per exporter: wall time and CPU seconds per scrape at most `ratio` × the reference's. */
  targets: Array<{ tool: string; ratio: number }>;
  /** Scrapes sent at once for the concurrency line. */
  concurrent: number;
  /** Another request, sent while a scrape is in flight, is answered within this. */
  otherRequestMs: number;
}

export const SCRAPE_TASK: ScrapeTaskSpec = {
  id: "T4",
  title: "one scrape",
  exporters: [
    {
      tool: "node_exporter",
      argv: [
        "/usr/bin/prometheus-node-exporter",
        "--collector.disable-defaults",
        "--collector.tcpstat",
        "--web.listen-address=127.0.0.1:{port}",
      ],
      needs: "/usr/bin/prometheus-node-exporter",
      installHint: "prometheus-node-exporter",
      port: 900,
      stateMetric: "node_tcp_connection_states",
    },
    {
      tool: "sockdoc metrics",
      argv: ["{sockdoc}", "metrics", "--listen", "127.0.0.1:{port}"],
      needs: "{sockdoc}",
      port: 901,
      stateMetric: "sockdoc_tcp_sockets",
    },
    {
      tool: "sockdoc metrics -p",
      argv: ["{sockdoc}", "metrics", "-p", "--listen", "127.0.0.1:{port}"],
      needs: "{sockdoc}",
      port: 902,
      stateMetric: "sockdoc_tcp_sockets",
    },
  ],
  reference: "node_exporter",
  targets: [
    { tool: "sockdoc metrics", ratio: 0.5 },
    { tool: "sockdoc metrics -p", ratio: 1.0 },
  ],
  concurrent: 50,
  otherRequestMs: 100,
};
import type { CaptureKind } from "./captures.js";

/** A command whose peak RSS the bench measures (one run each, at the built load). */
export interface MemoryCommand {
  /** Short label for the RSS table. */
  label: string;
  shell: string;
  /** Closes sockets: runs last, and not with --keep (which leaves the load as built). */
  destructive?: boolean;
  /**
   * Reads a generated capture of a million rows (bench/captures.ts) instead
   * of the load: `{capture}` stands for its path, and the target is a peak
   * RSS under CAPTURE_RSS_RATIO times its size.
   */
  capture?: CaptureKind;
}

/** A capture's peak RSS at most this many times its size. */
export const CAPTURE_RSS_RATIO = 3;

/**
 * Every command a person runs against a busy host, each held to the RSS
 * target. `{audit}` stands for a scratch audit log the bench removes.
 */
export const MEMORY_COMMANDS: MemoryCommand[] = [
  { label: "sockdoc (report)", shell: "{sockdoc}" },
  { label: "summary -p", shell: "{sockdoc} summary -p" },
  { label: "ls -o", shell: "{sockdoc} ls -o" },
  { label: "ls -p --format csv", shell: "{sockdoc} ls -p --format csv" },
  { label: "ls -p --json", shell: "{sockdoc} ls -p --json" },
  { label: "closewait", shell: "{sockdoc} closewait" },
  { label: "timewait", shell: "{sockdoc} timewait" },
  { label: "metrics -p", shell: "{sockdoc} metrics -p" },
  { label: "summary --input netstat", shell: "{sockdoc} summary --input {capture}", capture: "netstat" },
  { label: "closewait --input netstat", shell: "{sockdoc} closewait --input {capture}", capture: "netstat" },
  { label: "ls --json --input netstat", shell: "{sockdoc} ls --json --input {capture}", capture: "netstat" },
  { label: "summary --input ss", shell: "{sockdoc} summary --input {capture}", capture: "ss" },
  { label: "closewait --input ss", shell: "{sockdoc} closewait --input {capture}", capture: "ss" },
  { label: "ls --json --input ss", shell: "{sockdoc} ls --json --input {capture}", capture: "ss" },
  { label: "kill (dry run)", shell: "{sockdoc} kill state close-wait --dry-run --force" },
  {
    label: "kill --yes",
    shell: "{sockdoc} kill state close-wait --yes --force --no-journal --audit-log {audit}",
    destructive: true,
  },
];
