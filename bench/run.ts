/**
 * @module `npm run bench`: builds a known socket mix in a network namespace
 * of its own, times sockdoc against ss, netstat and lsof on it, scrapes
 * sockdoc's exporter and node_exporter there (T4), prints the table (or
 * --json), and removes the namespace and its processes.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, release } from "node:os";
import { PermissionError, SockdocError, UsageError } from "../src/model/errors.js";
import { cleanupNow, installCleanupHandlers, keepEverything } from "./cleanup.js";
import { MEMORY_COMMANDS, SCRAPE_TASK, TASKS } from "./commands.js";
import { NETNS_TASK, runNetnsTask } from "./netns/task.js";
import { runTraceTask } from "./trace/task.js";
import { checkLoad } from "./load/build.js";
import { total } from "./load/counts.js";
import { nativeMaker } from "./load/native-maker.js";
import { runMemory } from "./memory.js";
import { NAMESPACE_PREFIX, staleNamespaces } from "./namespace.js";
import { DEFAULT_MIX, parseOptions, USAGE } from "./options.js";
import { progress, thousands } from "./progress.js";
import { renderText } from "./report.js";
import { type BenchResult, RESULT_SCHEMA } from "./result.js";
import { GNU_TIME } from "./runner/protocol.js";
import { runScaling } from "./scaling.js";
import { runScrapeTask } from "./scrape-task.js";
import { closeSession, openSession, type Session } from "./session.js";
import { runTask, which } from "./tasks.js";

function preflight(cw: number): string[] {
  if (process.getuid?.() !== 0) {
    throw new PermissionError(
      "the bench creates a network namespace and must run as root: sudo npm run bench",
    );
  }
  if (which("ip") === null) throw new SockdocError("INPUT", "the bench needs ip (apt-get install iproute2)");
  // Orphans count against a host-wide limit; past it the kernel resets them.
  const maxOrphans = Number(readFileSync("/proc/sys/net/ipv4/tcp_max_orphans", "utf8"));
  if (cw > maxOrphans * 0.9) {
    throw new UsageError(
      `--cw ${cw}: its FIN_WAIT_2 orphans would pass the host's tcp_max_orphans (${maxOrphans})`,
    );
  }
  const notes: string[] = [];
  if (!existsSync(GNU_TIME)) notes.push(`${GNU_TIME} missing: no peak RSS (CI: apt-get install time)`);
  const native = nativeMaker();
  if (native.path === null) notes.push(`TIME_WAIT made by the slower Node worker: ${native.why}`);
  const stale = staleNamespaces();
  if (stale.removed.length > 0) progress(`removed namespaces of killed benches: ${stale.removed.join(" ")}`);
  for (const name of stale.kept) progress(`left in place (has processes, --keep?): ${name}`);
  return notes;
}

/** JSON numbers to 0.01 (ms and counts alike): more digits are noise. */
function roundMs(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
}

function printKept(session: Session): void {
  const pids = session.load.workers.map((w) => w.child.pid).filter((p) => p !== undefined);
  const ns = session.ns;
  process.stderr.write(
    [
      `kept namespace ${ns} with ${pids.length} workers (pids ${pids.join(" ")})`,
      `  enter:    ip netns exec ${ns} bash`,
      `  clean up: kill ${pids.join(" ")}; ip netns exec ${ns} ss -K -tan; ip netns del ${ns}`,
      "  (TIME_WAIT sockets expire 60 s after they were made)",
      "",
    ].join("\n"),
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const notes = preflight(options.mix.cw);
  installCleanupHandlers();
  const ns = `${NAMESPACE_PREFIX}${process.pid}`;
  const result: BenchResult = {
    schema: RESULT_SCHEMA,
    host: {
      kernel: release(),
      cpus: availableParallelism(),
      node: process.version,
      gnuTime: existsSync(GNU_TIME),
    },
    namespace: ns,
    runs: options.runs,
    defaultLoad: JSON.stringify(options.mix) === JSON.stringify(DEFAULT_MIX),
    load: null,
    tasks: [],
    scrape: null,
    scaling: null,
    memory: null,
    netns: null,
    trace: null,
    notes,
  };
  // Scaling first, so that the namespace left by --keep is the main load.
  if (options.sizes.length > 0 && !options.memoryOnly)
    result.scaling = await runScaling(ns, options.mix, options.sizes, options.runs);
  const session = await openSession(ns, options.mix);
  const first = await checkLoad(session.load, session.runner);
  const sockets = total(first.counts);
  progress(`load built in ${(session.load.buildMs / 1000).toFixed(1)} s: ${thousands(sockets)} sockets`);
  result.load = { mix: options.mix, buildMs: session.load.buildMs, counts: first.counts, sockets };
  if (!options.memoryOnly) {
    for (const task of TASKS) {
      if (options.tasks.includes(task.id)) result.tasks.push(await runTask(session, task, options.runs));
    }
    if (options.tasks.includes(SCRAPE_TASK.id))
      result.scrape = await runScrapeTask(session, SCRAPE_TASK, options.runs);
  }
  // After the timing: its last row (kill --yes) closes the CLOSE_WAIT sockets.
  result.memory = await runMemory(session, MEMORY_COMMANDS, options.keep);
  if (options.keep) {
    process.stdout.write(options.json ? `${JSON.stringify(result, roundMs, 2)}\n` : renderText(result));
    session.runner.close();
    keepEverything();
    printKept(session);
    return;
  }
  closeSession(session);
  // T5 reads every namespace from the host: the main load is gone by then.
  if (!options.memoryOnly && options.tasks.includes("T5"))
    result.netns = await runNetnsTask(NETNS_TASK, options.runs, ns);
  if (!options.memoryOnly && options.tasks.includes("T6"))
    result.trace = await runTraceTask(Math.min(options.runs, 3), ns);
  process.stdout.write(options.json ? `${JSON.stringify(result, roundMs, 2)}\n` : renderText(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const code = err instanceof SockdocError ? err.exitCode : 1;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sockdoc bench: ${message}\n`);
    if (code === 2) process.stderr.write("run with --help for the options\n");
    cleanupNow();
    process.exit(code);
  },
);
