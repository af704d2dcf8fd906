/**
 * @module `sockdoc trace`: a live stream of TCP state changes from the
 * kernel (a BPF program on sock:inet_sock_set_state, see
 * inspect/trace/trace-stream.ts), filtered, with owners; or, with
 * --closes, who closed first and TIME_WAIT entered per destination.
 */
import { Command } from "commander";
import { closeSide, entersTimeWait, TimeWaitPerSecond } from "../../analysis/state-changes/closes.js";
import { compileFilter } from "../../filter/compile.js";
import { TraceStream, type TracedChange } from "../../inspect/trace/trace-stream.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { parseDuration } from "../../model/duration.js";
import { UsageError } from "../../model/errors.js";
import { TracerUnavailable } from "../../sources/bpf/state-tracer.js";
import { loadNative } from "../../sources/native.js";
import { resolveNetns } from "../../sources/netns/discover.js";
import { parseNsLink } from "../../sources/netns/discover.js";
import { ProcFs } from "../../sources/procfs.js";
import { changeJson, tableHeader, tableLine } from "../../report/trace/changes.js";
import { closeJson, closeLine, closesHeader, timeWaitJson, timeWaitLine } from "../../report/trace/closes.js";
import { terminalSafe } from "../../render/terminal-safe.js";
import { wholeNumber } from "../common.js";
import { TRACE_HELP } from "../trace/help.js";

interface TraceOptions {
  netns?: string;
  allNetns?: boolean;
  format: string;
  closes?: boolean;
  duration?: string;
  count?: string;
  /** false with --no-owners */
  owners?: boolean;
}

function say(line: string): void {
  process.stderr.write(terminalSafe(`sockdoc trace: ${line}\n`));
}

/** The namespace to keep (its inode), or 0 for all. */
function netnsInodeOf(opts: TraceOptions, proc: ProcFs): number {
  if (opts.netns !== undefined && opts.allNetns)
    throw new UsageError("--netns and --all-netns exclude each other");
  if (opts.allNetns) return 0;
  if (opts.netns !== undefined) return resolveNetns(opts.netns, proc).inode;
  return parseNsLink(proc.tryReadlink("self", "ns", "net") ?? "") ?? 0;
}

export function traceCommand(): Command {
  const cmd = new Command("trace")
    .summary("stream TCP state changes live, with owners (BPF; root)")
    .description(
      "Streams TCP state changes as the kernel makes them, with the time spent in the\n" +
        "old state and the owning process, from a BPF program sockdoc assembles and\n" +
        "attaches to the tracepoint sock:inet_sock_set_state while it runs.",
    )
    .argument("[filter...]", "filter expression; a state term matches the new state")
    .option("--netns <ns>", "trace one network namespace: an ip netns name, a PID, or a path")
    .option("--all-netns", "trace every network namespace (adds a NETNS column)")
    .option("--format <fmt>", "table or ndjson", "table")
    .option("--closes", "who closed each connection first, and TIME_WAIT entered per destination per second")
    .option("--duration <time>", "stop after this long (90s, 5m; a bare number is seconds)")
    .option("--count <n>", "stop after this many lines (changes, or closes)")
    .option("--no-owners", "do not look up owners (about half the CPU at thousands of changes a second)");
  cmd.addHelpText("after", TRACE_HELP);
  return cmd.action(async (words: string[], opts: TraceOptions) => {
    if (opts.format !== "table" && opts.format !== "ndjson")
      throw new UsageError(`--format wants table or ndjson, not "${opts.format}"`);
    const durationMs = opts.duration === undefined ? null : parseDuration(opts.duration);
    if (durationMs === null && opts.duration !== undefined)
      throw new UsageError(`--duration wants a duration such as 30s or 5m, not "${opts.duration}"`);
    const limit = opts.count === undefined ? null : wholeNumber("--count", opts.count, 1, 1e12);
    const filter = compileFilter(words);
    const proc = new ProcFs();
    const netnsInode = netnsInodeOf(opts, proc);
    const { addon, error } = loadNative();
    if (!addon) throw new TracerUnavailable(`the BPF state tracer needs the native addon (${error})`);

    const ndjson = opts.format === "ndjson";
    const withNetns = netnsInode === 0;
    const out: string[] = [];
    let printed = 0;
    let stream: TraceStream | null = null;
    const tally = { active: 0, passive: 0, timeWait: 0 };
    const timeWaits = new TimeWaitPerSecond();
    const write = (lines: string[]) => {
      if (lines.length > 0) process.stdout.write(lines.join("\n") + "\n");
    };
    const reachedLimit = () => limit !== null && printed >= limit;
    const onChanges = (changes: TracedChange[]) => {
      for (const t of changes) {
        if (reachedLimit()) break;
        if (opts.closes) {
          const c = t.change;
          if (entersTimeWait(c.oldState, c.newState)) {
            tally.timeWait++;
            timeWaits.add(
              t.timeMs,
              c.netns,
              formatEndpoint({ address: c.remoteAddress, port: c.remotePort }),
            );
          }
          const side = closeSide(c.oldState, c.newState);
          if (side === null) continue;
          tally[side]++;
          out.push(ndjson ? JSON.stringify(closeJson(t, side)) : closeLine(t, side));
        } else {
          out.push(ndjson ? JSON.stringify(changeJson(t)) : tableLine(t, withNetns));
        }
        printed++;
      }
      if (opts.closes) {
        const last = changes[changes.length - 1];
        if (last) {
          for (const row of timeWaits.flush(last.timeMs))
            out.push(ndjson ? JSON.stringify(timeWaitJson(row)) : timeWaitLine(row));
        }
      }
      write(out.splice(0));
      if (reachedLimit()) stream?.stop();
    };
    stream = new TraceStream({
      stateMask: filter.mask,
      matches: filter.matchesAll ? null : filter.matches,
      netnsInode,
      proc,
      addon,
      owners: opts.owners !== false,
      onChanges,
      onLost: (newly, total) =>
        say(
          `${newly} changes lost (the ring buffer was full, or the program was already running on that CPU); ${total} so far`,
        ),
    });
    const started = Date.now();
    const where = netnsInode === 0 ? "every namespace" : `namespace ${netnsInode}`;
    say(`tracing TCP state changes in ${where}${filter.text ? ` (${filter.text})` : ""}; Ctrl-C stops`);
    if (!ndjson) write([opts.closes ? closesHeader() : tableHeader(withNetns)]);
    const stop = () => stream?.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const timer = durationMs === null ? undefined : setTimeout(stop, durationMs);
    try {
      const totals = await stream.run();
      if (opts.closes) {
        for (const row of timeWaits.flush(Number.POSITIVE_INFINITY))
          out.push(ndjson ? JSON.stringify(timeWaitJson(row)) : timeWaitLine(row));
        write(out.splice(0));
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const closes = opts.closes
        ? `; closes: ${tally.active} active, ${tally.passive} passive, ${tally.timeWait} into TIME_WAIT`
        : "";
      say(`${totals.seen} changes seen, ${printed} shown, ${totals.lost} lost in ${secs} s${closes}`);
    } finally {
      clearTimeout(timer);
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
    }
  });
}
