/**
 * @module `sockdoc kill FILTER`: close stuck sockets with netlink
 * SOCK_DESTROY, without restarting or signalling anything. Thin: refusals,
 * probes, destroying and audit records live in actions/kill/; this file
 * reads the flags, asks on a TTY, and prints.
 */
import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { AuditLog, DEFAULT_AUDIT_LOG } from "../../actions/kill/audit-log.js";
import type { AuditContext } from "../../actions/kill/audit-record.js";
import { canDestroySockets } from "../../actions/kill/capability.js";
import { errnoName } from "../../actions/kill/errno.js";
import { AUDIT_GROUP, type DestroyRun, destroySockets, predictSockets } from "../../actions/kill/execute.js";
import { KILL_HELP } from "../../actions/kill/help.js";
import { compareSockets } from "../../actions/kill/order.js";
import { exitCodeFor } from "../../actions/kill/outcome.js";
import { probeSupport } from "../../actions/kill/probe.js";
import { checkBatch, checkFilter, DEFAULT_MAX, parseMax } from "../../actions/kill/refusals.js";
import {
  auditStopLine,
  effectLines,
  endLines,
  headerLines,
  problemLines,
  type RunEnd,
} from "../../actions/kill/report-text.js";
import { invokedAs, rerunCommand } from "../../actions/kill/rerun-command.js";
import type { KillResult, KillSupport } from "../../actions/kill/types.js";
import { compileFilter } from "../../filter/compile.js";
import { InputError, PermissionError, UsageError } from "../../model/errors.js";
import { socketsAnalysis } from "../../inspect/analyses/sockets.js";
import { headerOf } from "../../inspect/header.js";
import { inspectMany, resultOf, resultOrNull } from "../../inspect/inspect.js";
import { namespaceScopes } from "../../inspect/namespaces.js";
import type { HostScope } from "../../inspect/scope.js";
import type { Snapshot } from "../../model/snapshot.js";
import { envelope } from "../../render/envelope.js";
import { csvChunks } from "../../render/csv.js";
import {
  emit,
  emitJson,
  emitNdjson,
  emittedText,
  type Format,
  tableOrCsv,
  terminalWidth,
  writeChunks,
} from "../../render/output.js";
import { socketToJson } from "../../render/socket-json.js";
import { type Column, tableChunks } from "../../render/table.js";
import { terminalSafe } from "../../render/terminal-safe.js";
import { loadNative, type NativeAddon } from "../../sources/native.js";
import { netnsLabel } from "../../report/netns.js";
import type { TcpSocket } from "../../model/socket.js";
import { ProcFs } from "../../sources/procfs.js";
import { wrap } from "../../report/wrap.js";
import {
  addOutputOptions,
  type CommonOptions,
  families,
  outputFormat,
  printNewWarnings,
  printWarnings,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";
import { socketColumns } from "../../report/socket-columns.js";

interface KillOptions extends CommonOptions {
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  max?: string;
  auditLog: string;
  journal: boolean;
}

function outcomeColumns(): Column<KillResult>[] {
  // Send-Q is left out so the table, with its Outcome column, fits 80 columns.
  const base = socketColumns({ processes: true }).filter((c) => c.header !== "Send-Q");
  const cols: Column<KillResult>[] = base.map((c) => ({
    ...c,
    value: (r: KillResult) => c.value(r.socket),
  }));
  cols.push({ header: "Outcome", value: (r) => r.outcome });
  return cols;
}

function resultJson(r: KillResult) {
  return {
    socket: socketToJson(r.socket),
    outcome: r.outcome,
    error: r.errno ? errnoName(r.errno) : null,
  };
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Prose wrapped to the terminal (100 columns when piped); bullets hang; command lines stay whole. */
function flow(lines: readonly string[]): string[] {
  const width = terminalWidth() || 100;
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith("  - ")) out.push(...wrap(line.slice(4), width, "  - ", "    "));
    else if (line.startsWith("  ") || line === "") out.push(line);
    else out.push(...wrap(line, width, "", "  "));
  }
  return out;
}

interface Run {
  snapshot: Snapshot;
  filterText: string;
  support: KillSupport;
  results: KillResult[];
  end: RunEnd;
  sudoRerun: string;
}

/**
 * The text output in three parts: lines before the outcome table, whether
 * the table comes, lines after it. Kept apart so that the table of 50,000
 * closed sockets is streamed in chunks (tableChunks), never one string: as
 * one string its cells and text promoted ~30 MB to the old generation.
 */
interface TextParts {
  head: string[];
  table: boolean;
  tail: string[];
}

/** What will be done: the header (support first), the table, what closing does. */
function planParts(run: Run): TextParts {
  const { snapshot, results } = run;
  const head = [
    ...flow(headerLines(results.length, run.filterText, snapshot.source.detail, run.support)),
    "",
  ];
  if (results.length === 0) return { head: [...head, "Nothing to do."], table: false, tail: [] };
  return { head, table: true, tail: ["", ...flow(effectLines(results))] };
}

/** What was done: why some were not closed, and the last line (the command, or the audit trail). */
function endText(run: Run): string[] {
  const problems = problemLines(run.results, run.end.canAct ? null : run.sudoRerun);
  return flow([...problems, ...endLines(run.results, run.end)]);
}

/**
 * planShown: the plan was already printed before asking on a terminal; then
 * only the outcomes follow (the table again when sockets were closed).
 */
function textParts(run: Run, planShown: boolean): TextParts {
  const parts: TextParts = planShown ? { head: [], table: !run.end.dryRun, tail: [] } : planParts(run);
  const end = run.results.length > 0 ? endText(run) : [];
  if ((parts.head.length > 0 || parts.table || parts.tail.length > 0) && end.length > 0) parts.tail.push("");
  parts.tail.push(...end);
  return parts;
}

/** The parts as one string (the lines joined, the table in its place), for a small output or a namespace's section. */
function joinedText(run: Run, { head, table, tail }: TextParts): string {
  const middle = table ? [tableOrCsv("table", run.results, outcomeColumns())] : [];
  return [...head, ...middle, ...tail].join("\n");
}

/** The same bytes as emit(joinedText(...)), the table written a chunk at a time. */
function* textChunks(run: Run, { head, table, tail }: TextParts): Generator<string> {
  if (!table) {
    yield emittedText([...head, ...tail].join("\n"));
    return;
  }
  if (head.length > 0) yield terminalSafe(`${head.join("\n")}\n`);
  yield* tableChunks(run.results, outcomeColumns(), terminalWidth());
  // The table's last line ended with a newline: the tail's first line is the one after it.
  if (tail.length > 0) yield emittedText(tail.join("\n"));
}

async function printText(format: "table" | "csv", run: Run, planShown: boolean): Promise<void> {
  if (format === "csv") await writeChunks(csvChunks(run.results, outcomeColumns()));
  else await writeChunks(textChunks(run, textParts(run, planShown)));
}

/** One namespace's text (--all-netns), as one string. */
function namespaceText(format: "table" | "csv", run: Run): string {
  if (format === "csv") return tableOrCsv("csv", run.results, outcomeColumns());
  return joinedText(run, textParts(run, false));
}

function printJson(format: Format, run: Run): void {
  if (format === "ndjson") {
    emitNdjson(run.results.map(resultJson));
    return;
  }
  emitJson({
    ...envelope("kill", run.snapshot),
    dryRun: run.end.dryRun,
    filter: run.filterText,
    support: run.support,
    matched: run.results.length,
    results: run.results.map(resultJson),
    audit: run.end.audit,
  });
}

function requireAddon() {
  const { addon, error } = loadNative();
  if (addon) return addon;
  throw new InputError(
    `kill needs the native addon (netlink SOCK_DESTROY; /proc cannot close sockets): ${error}; ` +
      `build it with "npm run install"`,
  );
}

/** One namespace's sockets to close, in the order they are closed. */
interface Plan {
  scope: HostScope;
  snapshot: Snapshot;
  targets: TcpSocket[];
}

interface KillContext {
  addon: NativeAddon;
  support: KillSupport;
  opts: KillOptions;
  filterText: string;
  canAct: boolean;
  program: string;
  args: string[];
  sudoRerun: string;
}

function newRun(plan: Plan, ctx: KillContext): Run {
  return {
    snapshot: plan.snapshot,
    filterText: ctx.filterText,
    support: ctx.support,
    results: predictSockets(plan.targets, ctx.support),
    end: {
      dryRun: true,
      canAct: ctx.canAct,
      rerun: ctx.canAct ? rerunCommand(ctx.program, ctx.args, false) : ctx.sudoRerun,
      audit: null,
    },
    sudoRerun: ctx.sudoRerun,
  };
}

/**
 * Closes the plan's sockets in their own namespace, each after its audit
 * record is on disk; updates the run. The audit-stop line when the log
 * failed part way (thrown at once when nothing was closed), else null.
 */
function execute(run: Run, plan: Plan, ctx: KillContext): string | null {
  run.end = { ...run.end, dryRun: false };
  // Nothing to call the kernel for: no audit log to open (or create).
  if (!run.results.some((r) => r.outcome === "would-close")) return null;
  const log = AuditLog.open(ctx.opts.auditLog);
  log.keepForJournal = Boolean(ctx.opts.journal);
  const netns = plan.scope.netns;
  const context = {
    time: new Date(),
    host: plan.snapshot.host.hostname,
    user: auditUser(),
    filter: run.filterText,
    ...(netns ? { netns: netns.ref } : {}),
  };
  const inside = netns && !netns.own ? netns.path : null;
  let done: DestroyRun;
  try {
    done = destroySockets(ctx.addon, plan.targets, ctx.support, { log, context }, AUDIT_GROUP, inside);
  } finally {
    log.close();
  }
  run.results = done.results;
  const journal = ctx.opts.journal ? log.toJournal() : "off";
  run.end = { ...run.end, audit: { path: log.path, records: log.count, journal } };
  if (done.stopped === null) return null;
  const line = auditStopLine(log.path, done.stopped, run.results);
  // Nothing closed: the one line says it all.
  if (!run.results.some((r) => r.outcome === "closed")) throw new InputError(line);
  return line;
}

function auditUser(): AuditContext["user"] {
  let name: string | null = null;
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (containers): the uid alone is recorded.
  }
  return { uid: process.geteuid?.() ?? null, name, sudoUser: process.env.SUDO_USER ?? null };
}

export function killCommand(): Command {
  const cmd = new Command("kill")
    .summary("close stuck sockets now (SOCK_DESTROY), without restarting anything")
    .description(
      "Close the TCP sockets that match FILTER with netlink SOCK_DESTROY (what `ss -K` does, but it\n" +
        "says when the kernel cannot). A dry run unless --yes (or confirmed on a terminal).",
    )
    .argument("[filter...]", "ss-style filter, e.g. state close-wait sport = :8080")
    .option("-y, --yes", "close them without asking")
    .option("--dry-run", "only list what would be closed; never ask")
    .option("--max <n>", `refuse more than N sockets unless --force (default ${DEFAULT_MAX})`)
    .option("--force", "allow no filter, broad filters (LISTEN, ESTABLISHED un-narrowed), more than --max")
    .option("--audit-log <file>", "append audit records to FILE", DEFAULT_AUDIT_LOG)
    .option("--no-journal", "do not also send audit records to the journal (logger -t sockdoc)")
    .option("-4, --ipv4", "only IPv4 sockets")
    .option("-6, --ipv6", "only IPv6 sockets")
    .option(
      "--netns <ns>",
      "close sockets in this network namespace only (ip netns name, PID, or /proc/PID/ns/net or bind-mount path)",
    )
    .option("--all-netns", "every network namespace, each socket closed in its own (a dry run unless --yes)");
  addOutputOptions(cmd);
  cmd.addHelpText("after", `${KILL_HELP}${FILTER_HELP.split("\n\nExamples:")[0] ?? ""}`);
  return cmd.action(async (words: string[], opts: KillOptions) => {
    const format = outputFormat(opts);
    if (opts.yes && opts.dryRun) throw new UsageError("--yes and --dry-run contradict each other; pick one");
    const force = Boolean(opts.force);
    const filter = compileFilter(words);
    checkFilter(filter, force);
    const max = parseMax(opts.max);
    const addon = requireAddon();
    const canAct = canDestroySockets();
    // bin/sockdoc (a shell launcher) says how it was run; argv[1] is then main.js.
    const program = invokedAs(process.env.SOCKDOC_INVOKED_AS ?? process.argv[1]);
    const args = process.argv.slice(2);
    const sudoRerun = rerunCommand(program, args, true);
    if (opts.yes && !canAct) {
      throw new PermissionError(`closing sockets needs CAP_NET_ADMIN (root); run: ${sudoRerun}`);
    }
    // SOCK_DESTROY needs each socket's cookie, which only netlink gives.
    const analysis = socketsAnalysis({
      statesMask: filter.mask,
      matches: filter.matchesAll ? undefined : filter.matches,
      owners: true,
    });
    const base = { proc: new ProcFs("/proc"), source: "netlink" as const, families: families(opts) };
    if (opts.netns !== undefined && opts.allNetns) throw new UsageError("--netns and --all-netns: pick one");
    // --netns: that namespace only; the same 4-tuple in another is a different socket, never touched.
    // --all-netns: every namespace, each socket closed in its own.
    let scopes: HostScope[] = [{ kind: "host", ...base }];
    if (opts.netns !== undefined || opts.allNetns) {
      const found = namespaceScopes(opts.allNetns ? { all: true } : { spec: opts.netns! }, base);
      printWarnings(found.warnings);
      scopes = found.scopes;
    }
    const inspections = await inspectMany(scopes, () => [analysis]);
    const plans = inspections.map((i): Plan => {
      // One namespace: its error is the command's; among many, a warning (printed below).
      const sockets = opts.allNetns ? (resultOrNull(i, analysis) ?? []) : resultOf(i, analysis);
      return {
        scope: i.scope as HostScope,
        snapshot: { ...headerOf(i), sockets },
        targets: [...sockets].sort(compareSockets),
      };
    });
    const warned = new Set<string>();
    for (const plan of plans) printNewWarnings(plan.snapshot.warnings, warned);
    const all = plans.flatMap((p) => p.targets);
    checkBatch(all.length, max, force);
    const support = await probeSupport(addon, all, canAct);
    const ctx: KillContext = {
      addon,
      support,
      opts,
      filterText: filter.text || "(all)",
      canAct,
      program,
      args,
      sudoRerun,
    };
    if (!opts.allNetns) {
      const plan = plans[0]!;
      const run = newRun(plan, ctx);
      let act = Boolean(opts.yes);
      const ask =
        !act &&
        !opts.dryRun &&
        format === "table" &&
        canAct &&
        process.stdin.isTTY &&
        process.stderr.isTTY &&
        run.results.some((r) => r.outcome === "would-close");
      if (ask) {
        emit(joinedText(run, planParts(run)));
        const n = plan.targets.length;
        act = await confirm(`Close ${n === 1 ? "this socket" : `these ${n} sockets`}? [y/N] `);
      }
      const auditStop = act ? execute(run, plan, ctx) : null;
      if (format === "json" || format === "ndjson") printJson(format, run);
      else await printText(format, run, ask);
      process.exitCode = exitCodeFor(run.results);
      if (auditStop !== null) throw new InputError(auditStop);
      return;
    }
    // Every namespace: no question asked (a dry run unless --yes), each under its namespace.
    const runs = plans.filter((p) => p.targets.length > 0).map((plan) => ({ plan, run: newRun(plan, ctx) }));
    let auditStop: string | null = null;
    for (const { plan, run } of runs) {
      if (auditStop === null && opts.yes) auditStop = execute(run, plan, ctx);
    }
    const results = runs.flatMap((r) => r.run.results);
    if (format === "json") {
      emitJson({
        ...envelope("kill", plans[0]!.snapshot),
        dryRun: !opts.yes,
        filter: ctx.filterText,
        support,
        matched: results.length,
        namespaces: runs.map(({ plan, run }) => ({
          netns: plan.scope.netns!.ref,
          results: run.results.map(resultJson),
          audit: run.end.audit,
        })),
      });
    } else if (format === "ndjson") {
      emitNdjson(
        runs.flatMap(({ plan, run }) =>
          run.results.map((r) => ({ ...resultJson(r), netns: plan.scope.netns!.ref })),
        ),
      );
    } else if (runs.length === 0) {
      emit(`No socket matches "${ctx.filterText}" in ${plans.length} network namespaces. Nothing to do.`);
    } else {
      const width = terminalWidth() || 80;
      const parts = runs.map(({ plan, run }) => {
        const head = `== namespace ${netnsLabel(plan.scope.netns!.ref)} (net:[${plan.scope.netns!.ref.inode}]) `;
        return `${head.padEnd(Math.min(width, 80), "=")}\n${namespaceText(format, run)}`;
      });
      emit(parts.join("\n\n"));
    }
    process.exitCode = exitCodeFor(results);
    if (auditStop !== null) throw new InputError(auditStop);
  });
}
