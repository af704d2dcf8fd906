/**
 * @module `sockdoc watch`: samples this host (or its namespaces) every
 * interval through the inspection layer and keeps the history in SQLite:
 * per-state counts, CLOSE_WAIT per process with each socket's first and last
 * sight, TIME_WAIT per destination, and events. `sockdoc history` reads it.
 */
import { homedir, hostname } from "node:os";
import { Command } from "commander";
import type { Summary } from "../../analysis/summary.js";
import { CloseWaitTracker } from "../../analysis/close-wait/tracker.js";
import { type AdvisorSettings, advisorSettingsAnalysis } from "../../inspect/analyses/advice.js";
import { closeWaitAnalysis, type CloseWaitResult } from "../../inspect/analyses/close-wait.js";
import { type KernelCounters, kernelCountersAnalysis } from "../../inspect/analyses/kernel-counters.js";
import { type ListenerQueue, listenersAnalysis } from "../../inspect/analyses/listeners.js";
import { summaryAnalysis } from "../../inspect/analyses/summary.js";
import { timeWaitAnalysis, type TimeWaitResult } from "../../inspect/analyses/time-wait.js";
import type { Analysis } from "../../inspect/analysis.js";
import { failures, resultOrNull } from "../../inspect/inspect.js";
import { readRepeatedly, type Scope } from "../../inspect/scope.js";
import { inspectionsOfMany } from "../../inspect/watch.js";
import { parseDuration } from "../../model/duration.js";
import { UsageError } from "../../model/errors.js";
import { ALL_STATES_MASK } from "../../model/tcp-state.js";
import { terminalSafe } from "../../render/terminal-safe.js";
import { loadNative } from "../../sources/native.js";
import { DEFAULT_MAX_CONNECTIONS } from "../../http/connection-cap.js";
import { parseListen } from "../../http/listen-address.js";
import { guarded, openForWriting } from "../../store/open.js";
import { defaultDbPath } from "../../store/paths.js";
import { DEFAULT_RETENTION, prune, type RetentionPolicy } from "../../store/retention.js";
import { SqliteSeenStore } from "../../store/seen-store.js";
import { StoreWriter } from "../../store/writer.js";
import { debugInspection, printWarnings, scopesFor, sourceChoice, wholeNumber } from "../common.js";
import { namespaceSample, netnsNameOf } from "../watch/sample.js";
import type { RoundPart } from "../watch/metrics.js";
import type { DashboardHandle } from "../watch/serve.js";
import { type ExactAges, startExactAges } from "../watch/exact-ages.js";
import { parseNsLink } from "../../sources/netns/discover.js";
import { ProcFs } from "../../sources/procfs.js";

interface WatchOptions {
  db?: string;
  interval: string;
  count?: string;
  netns?: string;
  allNetns?: boolean;
  source?: string;
  retention?: string;
  listen?: string;
  maxConnections: string;
}

/** TIME_WAIT ages younger than this give the close rate (timewait's default window). */
const RATE_WINDOW_SEC = 10;
/** Retention runs at most this often (a DELETE over an index: cheap, but not every sample). */
const PRUNE_EVERY_MS = 60_000;

const HELP = `
What is stored (one transaction per sample, every namespace of it):
  raw, kept 24 h:        per-state counts per namespace; CLOSE_WAIT per process
                         (pid, comm, cmdline, unit), port and cause, with the
                         first sight of its oldest socket; TIME_WAIT for the 50
                         busiest destinations (and every flagged one): count,
                         ports left, close rate, forecast
  one-minute rollups, 14 days: the peak and last of each of those
  each CLOSE_WAIT socket by namespace and cookie: first and last seen, so a
                         restarted watcher resumes the ages
  events, 14 days:       leak-start (a process's first CLOSE_WAIT), leak-end,
                         leak-restart (same comm and cmdline, new pid),
                         timewait-warning / timewait-critical (a destination
                         crosses it), setting (a sysctl of the scope changed)
  findings, 14 days:     the advisor's findings (as tune advise, without the
                         config files), one row per stretch of time each held

Dashboard (--listen [HOST:]PORT; HOST defaults to 127.0.0.1, any other
address prints a warning; port 0 picks a free one, said on stderr):
  /               the page: states over time, CLOSE_WAIT per process with
                  ages and causes, TIME_WAIT per destination with ports left
                  and forecast, the TCP state diagram with live counts, the
                  events and findings; live over Server-Sent Events
  /metrics        Prometheus, from the latest sample (no scrape of its own)
  /api/live       the latest sample as JSON (also each /api/stream event)
  /api/stream     Server-Sent Events, one per sample (32 clients at most)
  /api/history    ?since=1h: history --json's document; also its parts:
  /api/closewait, /api/timewait, /api/events, /api/findings, /api/summary
  /api/timeline   ?since=1h: state counts and CLOSE_WAIT groups over time
  /routes         the list. GET and HEAD only; every file is served here
                  (nothing from elsewhere, a Content-Security-Policy of 'self').

Exact CLOSE_WAIT ages: as root (or with CAP_BPF and CAP_PERFMON) the watcher
  also runs sockdoc trace's BPF program and records the moment each socket
  enters CLOSE_WAIT, live, so \`sockdoc closewait\` can print exact ages while
  it runs ("at least" for sockets already in CLOSE_WAIT when it started).
  Without BPF, root or the tracepoint it says so once and samples as usual.

Database: --db, else /var/lib/sockdoc/history.db as root and
  $XDG_STATE_HOME/sockdoc/history.db (~/.local/state/sockdoc) otherwise; WAL.
  Run one watcher per file. A database that is corrupt, locked, read-only or
  on a full disk ends the watch with one line (exit 3); what was written stays.
  history reads files of older sockdocs (schema 1: no findings) as they are.

Days, not minutes: samples never overlap (the next starts an interval after
  one ends; a sample slower than the interval is said once); memory stays
  flat (one round is kept, the history is in the file); SIGTERM ends the
  sample under way, the server and the database cleanly. A systemd unit:
  deploy/systemd/sockdoc-watch.service.

Examples:
  sockdoc watch --interval 15
  sockdoc watch --listen 127.0.0.1:9924     # then open http://127.0.0.1:9924/
  sockdoc watch --all-netns --db /tmp/h.db --count 3 --interval 0.5
  sockdoc history --since 2h

Exit status: 0 ok (Ctrl-C or SIGTERM ends cleanly); 2 usage (or --listen's
  address taken); 3 database error; 4 not permitted.`;

function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null)
    throw new UsageError(`${flag} wants a duration such as 90s, 30m, 24h or 14d, not "${text}"`);
  return ms;
}

function retentionOf(text: string | undefined): RetentionPolicy {
  if (text === undefined) return DEFAULT_RETENTION;
  const [raw, rollup, extra] = text.split(",");
  if (raw === undefined || rollup === undefined || extra !== undefined)
    throw new UsageError(`--retention wants RAW,ROLLUP such as 24h,14d, not "${text}"`);
  const policy = { rawMs: durationFlag("--retention", raw), rollupMs: durationFlag("--retention", rollup) };
  if (policy.rollupMs < policy.rawMs)
    throw new UsageError("--retention: keep the rollups at least as long as the raw rows");
  return policy;
}

function intervalOf(text: string): number {
  const s = Number(text);
  if (!Number.isFinite(s) || s < 0.1 || s > 86_400)
    throw new UsageError(`--interval wants seconds from 0.1 to 86400, not "${text}"`);
  return Math.round(s * 1000);
}

/** The namespace a seen-store partition belongs to ("host" for sockdoc's own when not named). */
function partitionOf(scope: Scope): string {
  return scope.kind === "host" && scope.netns ? `net:[${scope.netns.ref.inode}]` : "host";
}

export function watchCommand(): Command {
  const cmd = new Command("watch")
    .summary("sample CLOSE_WAIT and TIME_WAIT over time into a history database")
    .description(
      "Samples this host every --interval seconds (one inspection: states, TIME_WAIT\n" +
        "per destination, CLOSE_WAIT per process, the advisor's findings) and stores it\n" +
        "in SQLite for `sockdoc history`. With --listen it also serves a dashboard.",
    )
    .option("--db <file>", "the history database (default: see below)")
    .option("--interval <s>", "seconds between samples", "15")
    .option("--count <n>", "samples to take, then exit (default: until Ctrl-C or SIGTERM)")
    .option("--retention <raw,rollup>", "how long raw samples and one-minute rollups are kept", "24h,14d")
    .option("--source <kind>", "where to read sockets: auto, netlink or proc", "auto")
    .option("--netns <ns>", "watch one network namespace: an ip netns name, a PID, or a path")
    .option("--all-netns", "watch every network namespace of the host (those present at start)")
    .option("--listen <[host:]port>", "serve the dashboard, /metrics and /api over HTTP (host: 127.0.0.1)")
    .option(
      "--max-connections <n>",
      "with --listen: open connections at most (idle ones closed first)",
      String(DEFAULT_MAX_CONNECTIONS),
    );
  cmd.addHelpText("after", HELP);
  return cmd.action(async (opts: WatchOptions) => {
    const intervalMs = intervalOf(opts.interval);
    const count = opts.count === undefined ? null : wholeNumber("--count", opts.count, 1, 1e9);
    const retention = retentionOf(opts.retention);
    const maxConnections = wholeNumber("--max-connections", opts.maxConnections, 1, 1_000_000);
    const listen = opts.listen === undefined ? null : parseListen(opts.listen);
    sourceChoice(opts.source);
    const file = opts.db ?? defaultDbPath(process.env, process.geteuid?.() ?? 0, homedir());
    const { scopes: found, namespaced } = scopesFor({
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
      ...(opts.allNetns ? { allNetns: true } : {}),
      ...(opts.source !== undefined ? { source: opts.source } : {}),
    });
    // Sampled again and again: one walk of the kernel's table per sample (CPU over wall time).
    const scopes = readRepeatedly(found);
    // A long run: the addon now, not during the first sample.
    loadNative();
    const db = openForWriting(file);
    const writer = new StoreWriter(db);
    guarded(file, () => {
      writer.setMeta("hostname", hostname());
      writer.setMeta("retention", JSON.stringify(retention));
    });

    interface Plan {
      analyses: Analysis<unknown>[];
      seen: SqliteSeenStore;
      summary: Analysis<Summary>;
      timeWait: Analysis<TimeWaitResult>;
      closeWait: Analysis<CloseWaitResult>;
      advisor: Analysis<AdvisorSettings>;
      listeners: Analysis<ListenerQueue[]>;
      kernel: Analysis<KernelCounters>;
    }
    const perScope = new Map<Scope, Plan>();
    for (const scope of scopes) {
      const seen = guarded(file, () => new SqliteSeenStore(db, partitionOf(scope)));
      const plan = {
        seen,
        summary: summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false }),
        timeWait: timeWaitAnalysis({ windowSec: RATE_WINDOW_SEC }),
        // Two points: the tracker here only carries the ages; the history is in the db.
        closeWait: closeWaitAnalysis({ threads: false, tracker: new CloseWaitTracker(2, seen) }),
        // The advisor's settings and counters (its socket facts come from the analyses above).
        advisor: advisorSettingsAnalysis(),
        listeners: listenersAnalysis(),
        kernel: kernelCountersAnalysis(),
      };
      const analyses = [
        plan.summary,
        plan.timeWait,
        plan.closeWait,
        plan.advisor,
        plan.listeners,
        plan.kernel,
      ];
      perScope.set(scope, { ...plan, analyses: analyses as Analysis<unknown>[] });
    }
    const host = hostname();
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const tty = process.stderr.isTTY;
    if (tty)
      process.stderr.write(terminalSafe(`sockdoc: watching, every ${intervalMs / 1000} s, into ${file}\n`));
    const warned = new Set<string>();
    let lastPrune = Number.NEGATIVE_INFINITY;
    let n = 0;
    let slowReported = false;
    let dashboard: DashboardHandle | null = null;
    let exact: ExactAges | null = null;
    try {
      // Inside the try: a dashboard or tracer that started is closed whatever fails next.
      // The server is loaded only with --listen: a watcher without it needs no HTTP server.
      if (listen) {
        const { serveDashboard } = await import("../watch/serve.js");
        dashboard = await serveDashboard(listen, { file, db, maxConnections });
      }
      // Exact CLOSE_WAIT entry times from the BPF tracer, for the namespaces watched.
      const proc = new ProcFs();
      const ownInode = parseNsLink(proc.tryReadlink("self", "ns", "net") ?? "") ?? 0;
      const inodeOf = (scope: Scope) =>
        scope.kind === "host" && scope.netns ? scope.netns.ref.inode : ownInode;
      exact = startExactAges(db, file, proc, opts.allNetns ? 0 : inodeOf(scopes[0]!), (line) =>
        printWarnings([line]),
      );
      const rounds = inspectionsOfMany(
        scopes,
        (scope) => perScope.get(scope)!.analyses,
        { count, intervalMs },
        controller.signal,
      );
      for await (const round of rounds) {
        const fresh: string[] = [];
        for (const inspection of round) {
          debugInspection(inspection);
          for (const w of [...inspection.warnings, ...failures(inspection)])
            if (!warned.has(w)) fresh.push(w);
        }
        for (const w of fresh) warned.add(w);
        if (tty && fresh.length > 0) process.stderr.write("\r\x1b[K");
        printWarnings(fresh);
        const parts = round.map((inspection): RoundPart => {
          const plan = perScope.get(inspection.scope)!;
          const results = {
            summary: resultOrNull(inspection, plan.summary),
            closeWait: resultOrNull(inspection, plan.closeWait),
            timeWait: resultOrNull(inspection, plan.timeWait)?.report ?? null,
            advisor: resultOrNull(inspection, plan.advisor),
            listeners: resultOrNull(inspection, plan.listeners),
            kernel: resultOrNull(inspection, plan.kernel),
          };
          const sample = namespaceSample(inspection, netnsNameOf(inspection, namespaced), results, (key) =>
            plan.seen.firstSeenOf(key),
          );
          return { inspection, sample, ...results };
        });
        const samples = parts.map((p) => p.sample);
        // Samples never overlap (the next starts an interval after this one ends); one slower than
        // the interval delays the next, and is said once.
        const took = Math.max(...round.map((i) => i.stats.totalMs));
        if (took > intervalMs && !slowReported) {
          slowReported = true;
          if (tty) process.stderr.write("\r\x1b[K");
          printWarnings([
            `a sample took ${Math.round(took)} ms, longer than --interval ${intervalMs / 1000} s: ` +
              "samples run one after another, each an interval after the last ended",
          ]);
        }
        const events = guarded(file, () =>
          writer.writeRound(
            samples,
            scopes.map((s) => perScope.get(s)!.seen),
          ),
        );
        exact?.check();
        for (const { inspection, closeWait } of parts) {
          const sockets = closeWait?.sockets ?? [];
          exact?.markSampled(
            inodeOf(inspection.scope),
            inspection.facts.netns ?? "",
            partitionOf(inspection.scope),
            sockets,
          );
        }
        n++;
        dashboard?.publish(parts, events, { sample: n, intervalMs, hostname: host });
        const at = samples[0]?.at ?? Date.now();
        if (at - lastPrune >= PRUNE_EVERY_MS) {
          guarded(file, () => prune(db, at, retention));
          lastPrune = at;
        }
        if (tty) process.stderr.write("\r\x1b[K");
        for (const e of events) {
          const ns = e.netns ? `[${e.netns}] ` : "";
          process.stderr.write(
            terminalSafe(`sockdoc: ${new Date(e.at).toISOString()} ${ns}${e.kind}: ${e.text}\n`),
          );
        }
        if (tty) {
          let cw = 0;
          let tw = 0;
          let total = 0;
          for (const s of samples) {
            cw += s.states.CLOSE_WAIT ?? 0;
            tw += s.states.TIME_WAIT ?? 0;
            for (const c of Object.values(s.states)) total += c;
          }
          const ms = Math.round(Math.max(...round.map((i) => i.stats.totalMs)));
          const status =
            `sockdoc: sample ${n} ${new Date(at).toISOString().slice(11, 19)}: ${total} sockets, ` +
            `${cw} CLOSE_WAIT, ${tw} TIME_WAIT (${ms} ms)`;
          // One line that the next sample overwrites: never wider than the terminal.
          process.stderr.write(
            terminalSafe(status).slice(0, Math.max(20, (process.stderr.columns || 80) - 1)),
          );
        }
      }
    } finally {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      if (tty && n > 0) process.stderr.write("\n");
      // The server first: no request reads the db while it closes; each closes even if one before failed.
      try {
        await dashboard?.close();
      } finally {
        try {
          await exact?.stop();
        } finally {
          db.close();
        }
      }
    }
  });
}
