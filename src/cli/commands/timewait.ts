/**
 * @module `sockdoc timewait [FILTER]`: TIME_WAIT per destination, the
 * ephemeral ports left toward each and when connect() would fail at the
 * current rate. Thin: the analysis lives in analysis/time-wait/.
 */
import { Command, Option } from "commander";
import { formatRate, formatSeconds } from "../../analysis/time-wait/note.js";
import {
  buildTimeWaitReport,
  type Destination,
  reportFromGrouping,
  type TimeWaitReport,
} from "../../analysis/time-wait/report.js";
import {
  settingsFromSysctls,
  TIME_WAIT_SYSCTLS,
  type TimeWaitSettings,
} from "../../analysis/time-wait/settings.js";
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import { SEVERITIES, type Severity, severityRank } from "../../analysis/time-wait/severity.js";
import { TimeWaitStream } from "../../analysis/time-wait/stream.js";
import { type CompiledFilter, compileFilter } from "../../filter/compile.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { EXIT, UsageError } from "../../model/errors.js";
import type { Snapshot } from "../../model/snapshot.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv, terminalWidth } from "../../render/output.js";
import { type Column, renderTable } from "../../render/table.js";
import {
  type LiveRequest,
  type SnapshotHeader,
  takeLiveSnapshot,
  visitLivePasses,
} from "../../sources/live.js";
import { ProcFs } from "../../sources/procfs.js";
import { localPortRangeProgram, type SocketCursor } from "../../sources/sock-diag.js";
import { wrap } from "../closewait/wrap.js";
import {
  addOutputOptions,
  addSourceOptions,
  type CommonOptions,
  captureFor,
  families,
  outputFormat,
  printWarnings,
  sourceChoice,
  sysctlsFor,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface TimeWaitOptions extends CommonOptions {
  top?: string;
  all?: boolean;
  window: string;
  failOn?: Severity;
}

const READ_MASK = PORT_HOLDING_STATES_MASK;

const DEFAULT_TOP = 10;
const MAX_NOTES = 5;

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} wants a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

function destinationText(d: Destination): string {
  const { local, remote } = d;
  if (d.direction === "outgoing") {
    return `${local.address} -> ${formatEndpoint({ address: remote.address, port: remote.port ?? 0 })}`;
  }
  return `${formatEndpoint({ address: local.address, port: local.port ?? 0 })} <- ${remote.address}`;
}

function secondsLeft(d: Destination): string {
  const { min, max } = d.remainingMs;
  return min === null || max === null ? "?" : `${Math.floor(min / 1000)}-${Math.ceil(max / 1000)}`;
}

function failsIn(d: Destination): string {
  if (d.direction === "incoming") return "-";
  if (d.exhaustedInSec === 0) return "now";
  if (d.exhaustedInSec !== null) return formatSeconds(d.exhaustedInSec);
  return d.reuse ? "no (reuse)" : "no";
}

const TABLE: Column<Destination>[] = [
  { header: "Destination", value: destinationText, shrinkable: true },
  { header: "Side", value: (d) => (d.direction === "outgoing" ? "out" : "in") },
  { header: "TW", value: (d) => d.count, align: "right" },
  { header: "Left s", value: secondsLeft, align: "right" },
  { header: "Free", value: (d) => d.portsLeft ?? "-", align: "right" },
  { header: "New/s", value: (d) => (d.ratePerSec === null ? "?" : formatRate(d.ratePerSec)), align: "right" },
  { header: "Fails in", value: failsIn },
];

const CSV: Column<Destination>[] = [
  { header: "direction", value: (d) => d.direction },
  { header: "local_address", value: (d) => d.local.address },
  { header: "local_port", value: (d) => d.local.port ?? "" },
  { header: "remote_address", value: (d) => d.remote.address },
  { header: "remote_port", value: (d) => d.remote.port ?? "" },
  { header: "count", value: (d) => d.count },
  { header: "remaining_min_ms", value: (d) => d.remainingMs.min ?? "" },
  { header: "remaining_max_ms", value: (d) => d.remainingMs.max ?? "" },
  { header: "ports_in_use", value: (d) => d.portsInUse ?? "" },
  { header: "ports_left", value: (d) => d.portsLeft ?? "" },
  { header: "rate_per_sec", value: (d) => d.ratePerSec ?? "" },
  { header: "exhausted_in_sec", value: (d) => d.exhaustedInSec ?? "" },
  { header: "severity", value: (d) => d.severity },
];

function headerLines(r: TimeWaitReport, width: number): string[] {
  const s = r.settings;
  const reuse = s.twReuse === null ? "unknown" : s.twReuse === 2 ? "2 (loopback only)" : String(s.twReuse);
  const buckets =
    s.maxTwBuckets === null
      ? `${r.buckets.used} TIME_WAIT read`
      : `${r.buckets.used} used (${Math.round((100 * r.buckets.used) / Math.max(1, s.maxTwBuckets))}%)`;
  const lines = [
    `TIME_WAIT ${r.total} to ${r.destinations.length} destinations: ${r.outgoing} out, ` +
      `${r.incoming} in; rates over ${r.windowSec} s`,
    `Ports ${s.portRange[0]}-${s.portRange[1]}: ${s.budget} usable (${s.reservedPorts} reserved, ` +
      `${s.listenPorts} listening), max ${formatRate(s.budget / 60)} new/s each`,
    `tcp_tw_reuse ${reuse}; tcp_max_tw_buckets ${s.maxTwBuckets ?? "unknown"}, ${buckets}`,
  ];
  return lines.flatMap((l) => wrap(l, width, "", "  "));
}

function textReport(r: TimeWaitReport, top: number | null): string {
  const width = terminalWidth() || 80;
  const out = headerLines(r, width);
  if (r.total === 0) return [...out, "", "No TIME_WAIT sockets match."].join("\n");
  const shown = top === null ? r.destinations : r.destinations.slice(0, top);
  out.push("", renderTable(shown, TABLE, width));
  if (shown.length < r.destinations.length) {
    out.push(`(${r.destinations.length - shown.length} more destinations; --all lists them)`);
  }
  // Notes on every flagged destination (shown or not); when none is, on the biggest one.
  const flagged = r.destinations.filter((d) => d.severity !== "info");
  const notes = flagged.length > 0 ? flagged : r.destinations.slice(0, 1);
  out.push("");
  for (const d of notes.slice(0, MAX_NOTES)) {
    out.push(...wrap(`${d.severity}: ${destinationText(d)}: ${d.note}`, width, "", "  "));
  }
  if (notes.length > MAX_NOTES) out.push(`(${notes.length - MAX_NOTES} more flagged; --json has every note)`);
  const remedy = flagged.find((d) => d.remedy !== null)?.remedy;
  if (remedy) out.push(...wrap(`What to do: ${remedy}`, width, "", "  "));
  if (r.buckets.note) out.push(...wrap(`${r.buckets.severity}: ${r.buckets.note}`, width, "", "  "));
  return out.join("\n");
}

const LISTEN_BIT = stateBit(TcpState.LISTEN);
const TIME_WAIT_BIT = stateBit(TcpState.TIME_WAIT);

/**
 * The report, streamed from netlink into the grouping when it can be (no
 * TcpSocket per socket: the listening ports in a first pass, then every
 * other socket through a reusable cursor, the filter evaluated on the cursor's
 * socket view); otherwise from a full snapshot (/proc, --proc-root, or netlink
 * unusable here). Both give the same report for the same sockets.
 */
function readReport(
  req: Pick<LiveRequest, "proc" | "families" | "source">,
  filter: CompiledFilter,
  settings: TimeWaitSettings,
  windowSec: number,
): { header: SnapshotHeader; report: TimeWaitReport } {
  // A filter of states only that keeps time-wait (checked by the caller) keeps every TIME_WAIT socket.
  const matches = filter.statesOnly ? undefined : filter.matches;
  const stream = new TimeWaitStream<SocketCursor>(settings, matches && ((c) => matches(c.socket)));
  const add = (c: SocketCursor) => stream.add(c);
  // Sockets in other states only count when their local port is in the
  // range (grouping.ts ephemeral()), so the kernel drops the rest unreported.
  const [low, high] = settings.portRange;
  const header = visitLivePasses(req, [
    { statesMask: LISTEN_BIT, visit: add },
    { statesMask: TIME_WAIT_BIT, visit: add },
    {
      statesMask: READ_MASK & ~LISTEN_BIT & ~TIME_WAIT_BIT,
      bytecode: localPortRangeProgram(low, high),
      visit: add,
    },
  ]);
  if (header) return { header, report: reportFromGrouping(stream.finish(), settings, windowSec) };
  const snapshot = takeLiveSnapshot({ ...req, statesMask: READ_MASK, owners: false });
  return { header: snapshot, report: reportFromSnapshot(snapshot, filter, settings, windowSec) };
}

/** The report from whole sockets: /proc, --proc-root, a capture, or netlink unusable here. */
function reportFromSnapshot(
  snapshot: Snapshot,
  filter: CompiledFilter,
  settings: TimeWaitSettings,
  windowSec: number,
): TimeWaitReport {
  return buildTimeWaitReport({
    sockets: snapshot.sockets,
    settings,
    windowSec,
    ...(filter.matchesAll ? {} : { matches: filter.matches }),
  });
}

const DESCRIPTION = `Report TIME_WAIT sockets per destination: how many, how long they still last,
and for connections this host opened, how many ephemeral ports are left toward
that destination and when connect() would start failing at the current rate.`;

const HELP = `
How it works:
  The side that closes a TCP connection first keeps its 4-tuple in TIME_WAIT
  for 60 s (TCP_TIMEWAIT_LEN, fixed in the kernel). The socket has no process
  and no fd. net.ipv4.tcp_fin_timeout is NOT this length: it is the timeout of
  orphaned FIN_WAIT_2 sockets.

  Outgoing ("out": the local port came from net.ipv4.ip_local_port_range and
  is not a listening port): this host was the client. connect() needs a local
  port not already used toward the same (source address, destination address,
  destination port), so ports run out per destination. Its budget is the
  range size, minus net.ipv4.ip_local_reserved_ports and listening ports
  inside the range. Without reuse a client sustains budget / 60 s new
  connections per second to one destination: 28232 / 60 = 470/s with the
  default range 32768-60999. Past that connect() fails with EADDRNOTAVAIL
  ("Cannot assign requested address"). Ports in use counts TIME_WAIT plus the
  sockets in other states on the same triple.

  Incoming ("in"): this host was the server and closed first. Grouped by
  (local address, local port, client address). Costs a little memory each,
  no ports.

  Rate and forecast: a TIME_WAIT socket's age is 60 s minus its time left, so
  the sockets younger than --window seconds give the current rate of closes.
  The forecast replays the next minute at that rate while the existing
  sockets expire at their known times. At a steady rate ports run out within
  one minute or not at all ("no": not on this course).

  net.ipv4.tcp_tw_reuse: 0 off; 1 on; 2 loopback only (the default since
  4.18). It lets connect() take over a port whose TIME_WAIT is older than
  net.ipv4.tcp_tw_reuse_delay (ms, default 1000, Linux 6.14+; about 1 s
  before). Outgoing connections only, and only with TCP timestamps
  (net.ipv4.tcp_timestamps). Where it applies, exhaustion is unlikely and
  the forecast uses that delay instead of 60 s.
  net.ipv4.tcp_tw_recycle was removed in Linux 4.12 (it broke clients behind
  NAT); a leftover line in sysctl.conf makes "sysctl -p" fail.
  net.ipv4.tcp_max_tw_buckets caps TIME_WAIT sockets (per network namespace);
  past it the kernel closes without TIME_WAIT (TcpExt TCPTimeWaitOverflow).

Columns:
  Destination  out: local address -> destination address:port
               in:  local address:port <- client address
  Side         out or in;  TW  TIME_WAIT sockets;  Left s  time left (min-max)
  Free         ports left toward the destination (out only)
  New/s        new TIME_WAIT per second over the window
  Fails in     when connect() fails at this rate: now, N s, or no

Severity (--fail-on exits 1 at or above it):
  critical  outgoing, and at the current rate connect() fails now or within
            the minute; or, without tcp_tw_reuse, under 5% of the ports left
  warning   outgoing, and half the ports or more are in use, or the rate is
            half or more of what the destination sustains; or TIME_WAIT is
            at 80% or more of tcp_max_tw_buckets
  info      anything else (every incoming group)

The filter picks the TIME_WAIT sockets reported (a state term other than
time-wait leaves nothing); sockets in other states are always read to count
ports in use.
${FILTER_HELP.split("\n\nExamples:")[0] ?? ""}

Examples:
  sockdoc timewait
  sockdoc timewait dport = :5432
  sockdoc timewait dst 10.0.0.0/8 --all --window 30
  sockdoc timewait --json --fail-on critical

Exit status: 0 ok; 1 a destination at or above --fail-on; 2 usage error;
3 input could not be read; 4 not permitted.`;

export function timewaitCommand(): Command {
  const cmd = new Command("timewait")
    .summary("TIME_WAIT per destination: ports left and when connect() fails")
    .description(DESCRIPTION)
    .argument("[filter...]", "ss-style filter on the TIME_WAIT sockets, e.g. dport = :443")
    .option("--top <n>", `destinations in the table (default ${DEFAULT_TOP}; JSON: all)`)
    .option("--all", "every destination")
    .option("--window <s>", "seconds of TIME_WAIT age that give the current rate (1-60)", "10")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a destination reaches this severity").choices(
        SEVERITIES,
      ),
    );
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", HELP);
  return cmd.action((words: string[], opts: TimeWaitOptions) => {
    const format = outputFormat(opts);
    const windowSec = wholeNumber("--window", opts.window, 1, 60);
    const topGiven = opts.top === undefined ? null : wholeNumber("--top", opts.top, 0, 1_000_000);
    const filter = compileFilter(words);
    if ((filter.mask & stateBit(TcpState.TIME_WAIT)) === 0) {
      throw new UsageError(`the filter "${filter.text}" leaves out time-wait, so there is nothing to report`);
    }
    // A capture holds sockets of every state: the report picks TIME_WAIT itself.
    const capture = captureFor([], opts);
    const sysctls = sysctlsFor(opts, TIME_WAIT_SYSCTLS, capture);
    const { settings, warnings } = settingsFromSysctls(sysctls.values);
    for (const u of sysctls.unreadable) warnings.push(`cannot read ${u.name} (${u.code})`);
    const { header, report } = capture
      ? { header: capture, report: reportFromSnapshot(capture, filter, settings, windowSec) }
      : readReport(
          {
            proc: new ProcFs(opts.procRoot ?? "/proc"),
            families: families(opts),
            source: sourceChoice(opts.source),
          },
          filter,
          settings,
          windowSec,
        );
    printWarnings([...header.warnings, ...warnings]);
    const top = opts.all ? null : topGiven;
    const limited = top === null ? report.destinations : report.destinations.slice(0, top);
    if (format === "json") {
      emitJson({ ...envelope("timewait", header, warnings), ...report, destinations: limited });
    } else if (format === "ndjson") emitNdjson(limited);
    else if (format === "csv") emit(tableOrCsv("csv", limited, CSV));
    else emit(textReport(report, opts.all ? null : (topGiven ?? DEFAULT_TOP)));
    if (opts.failOn && severityRank(report.severity) >= severityRank(opts.failOn)) {
      process.exitCode = EXIT.findings;
    }
  });
}
