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
import { destroySockets, predictSockets } from "../../actions/kill/execute.js";
import { exitCodeFor } from "../../actions/kill/outcome.js";
import { probeSupport } from "../../actions/kill/probe.js";
import { checkBatch, checkFilter, DEFAULT_MAX, parseMax } from "../../actions/kill/refusals.js";
import {
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
import type { Snapshot } from "../../model/snapshot.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, type Format, tableOrCsv, terminalWidth } from "../../render/output.js";
import { socketToJson } from "../../render/socket-json.js";
import type { Column } from "../../render/table.js";
import { takeLiveSnapshot } from "../../sources/live.js";
import { loadNative } from "../../sources/native.js";
import { ProcFs } from "../../sources/procfs.js";
import { wrap } from "../closewait/wrap.js";
import { addOutputOptions, type CommonOptions, families, outputFormat, printWarnings } from "../common.js";
import { FILTER_HELP } from "../help-text.js";
import { socketColumns } from "../socket-columns.js";

interface KillOptions extends CommonOptions {
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  max?: string;
  auditLog: string;
  journal: boolean;
}

const KILL_HELP = `
Without --yes this is a dry run: it lists the sockets (with their owners) and
what closing would do. On a terminal it then asks "Close N sockets? [y/N]";
--dry-run never asks. Closing a socket sends its peer a reset (RST); the owning
process is not killed or signalled: its fd stays open and its next call on it
fails with ECONNABORTED. Support is probed first and said up front: SOCK_DESTROY
(CONFIG_INET_DIAG_DESTROY) by destroying a socket that cannot exist, TIME_WAIT
(when matched) by destroying a TIME_WAIT socket sockdoc makes on loopback.
Sockets are read over netlink only (the cookie makes each destroy exact: a
socket replaced since the read is left alone and reported "gone").

Refused without --force (exit 2): no filter; a filter that can match LISTEN
sockets; more than --max sockets. Each closed socket gets an audit record (JSON
line: time, user, 4-tuple, state, inode, cookie, owners, outcome) in the audit
log and, when \`logger\` is installed, the journal (tag sockdoc).

Outcomes: closed, gone (already closed or replaced), unsupported (this kernel
cannot), denied (not permitted), failed (another errno), would-close (dry run).

Exit status: 0 every socket closed or already gone, or a dry run where all
would close (also when nothing matched); 1 some were not (or would not be)
closed; 2 refused or bad usage; 3 native addon missing, netlink or the audit
log unusable; 4 --yes without CAP_NET_ADMIN (the message has the sudo command).

Examples:
  sockdoc kill state close-wait sport = :8080          # dry run, lists owners
  sudo sockdoc kill state close-wait sport = :8080 --yes
  sudo sockdoc kill state time-wait dport = :5432 --max 50000 --yes
`;

function outcomeColumns(): Column<KillResult>[] {
  const cols: Column<KillResult>[] = socketColumns({ processes: true }).map((c) => ({
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

/** header: false after the plan was already shown for a confirmation; table: false when it was declined. */
function printText(format: "table" | "csv", run: Run, parts: { header: boolean; table: boolean }): void {
  const { snapshot, results } = run;
  if (format === "csv") {
    emit(tableOrCsv("csv", results, outcomeColumns()));
    return;
  }
  const out: string[] = [];
  if (parts.header) {
    out.push(...flow(headerLines(results.length, run.filterText, snapshot.source.detail, run.support)), "");
  }
  if (results.length === 0) {
    out.push("Nothing to do.");
    emit(out.join("\n"));
    return;
  }
  if (parts.table) out.push(tableOrCsv("table", results, outcomeColumns()), "");
  if (parts.header) out.push(...flow(effectLines(results)));
  const problems = problemLines(results, run.end.canAct ? null : run.sudoRerun);
  out.push(...flow([...problems, ...endLines(results, run.end)]));
  emit(out.join("\n"));
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
    .option("--force", "allow no filter, filters that can match LISTEN, and more than --max")
    .option("--audit-log <file>", "append audit records to FILE", DEFAULT_AUDIT_LOG)
    .option("--no-journal", "do not also send audit records to the journal (logger -t sockdoc)")
    .option("-4, --ipv4", "only IPv4 sockets")
    .option("-6, --ipv6", "only IPv6 sockets");
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
    const program = invokedAs(process.argv[1]);
    const args = process.argv.slice(2);
    const sudoRerun = rerunCommand(program, args, true);
    if (opts.yes && !canAct) {
      throw new PermissionError(`closing sockets needs CAP_NET_ADMIN (root); run: ${sudoRerun}`);
    }
    const snapshot = takeLiveSnapshot({
      proc: new ProcFs("/proc"),
      statesMask: filter.mask,
      families: families(opts),
      source: "netlink",
      owners: true,
      ...(filter.matchesAll ? {} : { filter: filter.matches }),
    });
    printWarnings(snapshot.warnings);
    const targets = snapshot.sockets;
    checkBatch(targets.length, max, force);
    const support = await probeSupport(addon, targets, canAct);
    const run: Run = {
      snapshot,
      filterText: filter.text || "(all)",
      support,
      results: predictSockets(targets, support),
      end: {
        dryRun: true,
        canAct,
        rerun: canAct ? rerunCommand(program, args, false) : sudoRerun,
        audit: null,
      },
      sudoRerun,
    };
    let act = Boolean(opts.yes);
    let headerShown = false;
    const ask =
      !act &&
      !opts.dryRun &&
      format === "table" &&
      canAct &&
      process.stdin.isTTY &&
      process.stderr.isTTY &&
      run.results.some((r) => r.outcome === "would-close");
    if (ask) {
      const out = [...flow(headerLines(targets.length, run.filterText, snapshot.source.detail, support)), ""];
      out.push(tableOrCsv("table", run.results, outcomeColumns()), "", ...flow(effectLines(run.results)));
      emit(out.join("\n"));
      headerShown = true;
      act = await confirm(
        `Close ${targets.length === 1 ? "this socket" : `these ${targets.length} sockets`}? [y/N] `,
      );
    }
    if (act) {
      const log = AuditLog.open(opts.auditLog);
      const context = {
        time: new Date(),
        host: snapshot.host.hostname,
        user: auditUser(),
        filter: run.filterText,
      };
      try {
        run.results = destroySockets(addon, targets, support, { log, context });
      } finally {
        log.close();
      }
      const journal = opts.journal ? log.toJournal() : "off";
      if (journal !== "sent" && journal !== "absent" && journal !== "nothing" && journal !== "off") {
        printWarnings([`audit records were not sent to the journal: ${journal}`]);
      }
      run.end = { ...run.end, dryRun: false, audit: { path: log.path, records: log.count, journal } };
    }
    if (format === "json" || format === "ndjson") printJson(format, run);
    else printText(format, run, { header: !headerShown, table: act || !headerShown });
    process.exitCode = exitCodeFor(run.results);
  });
}
