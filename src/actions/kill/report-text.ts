/**
 * @module The words around the table of `sockdoc kill` (pure): what
 * matched and what the kernel supports (said first), what closing does to
 * the peer and to the owner, why some sockets were not closed and what to
 * do instead, and the line that ends the run. Lines come unwrapped: "  - "
 * starts a bullet, any other line starting with two spaces is a command to
 * paste (never to be wrapped).
 */
import type { Owner } from "../../model/socket.js";
import { AuditWriteError } from "./audit-log.js";
import { TcpState } from "../../model/tcp-state.js";
import { errnoName } from "./errno.js";
import type { KillResult, KillSupport, ProbeResult } from "./types.js";

/**
 * States a socket reaches only after its application called close(): with
 * no fd (inode 0) it is orphaned, not waiting to be accepted.
 */
const CLOSED_BY_APP: ReadonlySet<TcpState> = new Set([
  TcpState.FIN_WAIT1,
  TcpState.FIN_WAIT2,
  TcpState.CLOSING,
  TcpState.LAST_ACK,
]);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function probeLine(what: string, p: ProbeResult): string {
  const verdict =
    p.status === "supported" ? "supported" : p.status === "unsupported" ? "NOT supported" : "unknown";
  return `${what}: ${verdict} by this kernel (probe: ${p.detail})`;
}

export function headerLines(matched: number, filter: string, source: string, support: KillSupport): string[] {
  const lines = [`${plural(matched, "socket")} match "${filter}" (read by ${source})`];
  lines.push(probeLine("SOCK_DESTROY", support.destroy));
  if (support.timeWait) lines.push(probeLine("TIME_WAIT destroy", support.timeWait));
  return lines;
}

/** "node (pid 12381), java (pid 7)": each owner once. */
export function ownerNames(results: readonly KillResult[]): string {
  const seen = new Map<number, Owner>();
  for (const r of results) for (const o of r.socket.owners ?? []) if (!seen.has(o.pid)) seen.set(o.pid, o);
  return [...seen.values()].map((o) => `${o.comm} (pid ${o.pid})`).join(", ");
}

/** What the peer and the owner see, for the kinds of socket in the batch. */
export function effectLines(results: readonly KillResult[]): string[] {
  const sockets = results.map((r) => r.socket);
  const timeWait = sockets.filter((s) => s.state === TcpState.TIME_WAIT).length;
  const listen = sockets.filter((s) => s.state === TcpState.LISTEN).length;
  const connected = sockets.filter((s) => s.state !== TcpState.TIME_WAIT && s.state !== TcpState.LISTEN);
  const withFd = connected.filter((s) => s.inode).length;
  // No fd means two things: before accept() (still queued) or after close() (orphaned).
  const orphaned = connected.filter((s) => !s.inode && CLOSED_BY_APP.has(s.state)).length;
  const queued = connected.length - withFd - orphaned;
  const lines = ["What closing does:"];
  if (connected.length > 0) {
    lines.push("  - the peer gets a reset (RST): its next read or write fails with ECONNRESET.");
  }
  if (withFd > 0) {
    const owners = ownerNames(results.filter((r) => r.socket.inode && r.socket.state !== TcpState.LISTEN));
    lines.push(
      `  - the owner${owners ? `, ${owners},` : ""} keeps running and keeps its fd: its next call on it ` +
        "fails with ECONNABORTED, and it still has to close() it.",
    );
  }
  if (queued > 0) {
    lines.push(
      `  - ${plural(queued, "socket")} not yet accepted (no fd): accept() hands the application an aborted connection.`,
    );
  }
  if (orphaned > 0) {
    lines.push(
      `  - ${plural(orphaned, "orphaned socket")} (no fd: the application already closed ` +
        `${orphaned === 1 ? "it" : "them"}; only the kernel holds ${orphaned === 1 ? "it" : "them"}): no process is told.`,
    );
  }
  if (timeWait > 0) {
    lines.push(
      `  - ${plural(timeWait, "TIME_WAIT socket")}: no process holds them; their ports are free at once.`,
    );
  }
  if (listen > 0) {
    lines.push(
      `  - ${plural(listen, "LISTEN socket")}: the service stops accepting; new connections are refused.`,
    );
  }
  lines.push("  - no process is killed or signalled.");
  return lines;
}

/**
 * Why sockets were not closed, one line per reason, with what to do instead.
 * sudoCommand: the command to run with the capability; null when we had it.
 */
export function problemLines(results: readonly KillResult[], sudoCommand: string | null): string[] {
  const lines: string[] = [];
  const unsupported = results.filter((r) => r.outcome === "unsupported");
  const twOnly = unsupported.filter((r) => r.socket.state === TcpState.TIME_WAIT);
  const others = unsupported.filter((r) => r.socket.state !== TcpState.TIME_WAIT);
  if (others.length > 0) {
    const owners = ownerNames(others);
    lines.push(
      `${plural(others.length, "socket")} not closed: this kernel cannot destroy sockets (EOPNOTSUPP: it was ` +
        "built without CONFIG_INET_DIAG_DESTROY; `ss -K` fails silently there for the same reason). " +
        `Instead: restart the owner${owners ? ` (${owners})` : ""}, or run a kernel built with ` +
        "CONFIG_INET_DIAG_DESTROY=y. TIME_WAIT sockets expire on their own within 60 s.",
    );
  }
  if (twOnly.length > 0) {
    lines.push(
      `${plural(twOnly.length, "TIME_WAIT socket")} not closed: this kernel cannot destroy TIME_WAIT sockets ` +
        "(EOPNOTSUPP; `ss -K` fails silently the same way); wait: they expire on their own within 60 s.",
    );
  }
  const denied = results.filter((r) => r.outcome === "denied");
  if (denied.length > 0) {
    const head = `${plural(denied.length, "socket")} not closed: not permitted (${errnoName(denied[0]?.errno ?? 1)})`;
    lines.push(
      sudoCommand === null
        ? `${head} although this process has CAP_NET_ADMIN: the sockets' network namespace belongs to ` +
            "another user namespace, or a security module (SELinux, AppArmor) refused."
        : `${head}: SOCK_DESTROY needs CAP_NET_ADMIN (root); run:`,
    );
    if (sudoCommand !== null) lines.push(`  ${sudoCommand}`);
  }
  const failed = new Map<string, number>();
  for (const r of results) {
    if (r.outcome !== "failed") continue;
    const why =
      r.errno === null ? "its id could not be encoded" : `the kernel answered ${errnoName(r.errno)}`;
    failed.set(why, (failed.get(why) ?? 0) + 1);
  }
  for (const [why, n] of failed) lines.push(`${plural(n, "socket")} not closed: ${why}.`);
  const stopped = results.filter((r) => r.outcome === "stopped").length;
  if (stopped > 0) {
    lines.push(
      `${plural(stopped, "socket")} not attempted: the run stopped when the audit log could not be written.`,
    );
  }
  return lines;
}

export interface RunEnd {
  dryRun: boolean;
  /** The command that acts: with sudo when this process lacks CAP_NET_ADMIN. */
  rerun: string;
  canAct: boolean;
  /** Where records went; null for a dry run. */
  audit: { path: string; records: number; journal: string } | null;
}

function journalText(journal: string): string {
  if (journal === "sent") return " and sent to the journal (logger -t sockdoc)";
  if (journal === "absent") return " (logger is not installed: no copy in the journal)";
  if (journal === "nothing" || journal === "off") return "";
  return ` (journal: ${journal})`;
}

/** The last lines: what was done, the audit trail, or the command that would do it. */
export function endLines(results: readonly KillResult[], end: RunEnd): string[] {
  if (end.dryRun) {
    if (results.length === 0) return [];
    if (!results.some((r) => r.outcome === "would-close")) {
      return ["Dry run: nothing was closed, and this kernel cannot close any of these sockets."];
    }
    return end.canAct
      ? ["Dry run: nothing was closed. To close them:", `  ${end.rerun}`]
      : ["Dry run: nothing was closed. Closing needs CAP_NET_ADMIN (root); run:", `  ${end.rerun}`];
  }
  const closed = results.filter((r) => r.outcome === "closed").length;
  const gone = results.filter((r) => r.outcome === "gone").length;
  const left = results.length - closed - gone;
  let line = `Closed ${closed} of ${plural(results.length, "socket")}`;
  if (gone > 0) line += `; ${gone} already gone (closed meanwhile, or replaced: left alone)`;
  if (left > 0) line += `; ${left} not closed`;
  const lines = [`${line}.`];
  if (end.audit && end.audit.records > 0) {
    lines.push(
      `Audit: ${plural(end.audit.records, "record")} (intent and outcome per socket) appended to ` +
        `${end.audit.path}${journalText(end.audit.journal)}.`,
    );
  }
  return lines;
}

/**
 * The one line a run stopped by the audit log ends with (exit 3): what could
 * not be written, and what was closed before (each of those has its intent
 * record: nothing is closed unrecorded).
 */
export function auditStopLine(path: string, stopped: unknown, results: readonly KillResult[]): string {
  const why = stopped instanceof AuditWriteError ? stopped.reason : String(stopped);
  const closed = results.filter((r) => r.outcome === "closed").length;
  const left = results.filter((r) => r.outcome === "stopped").length;
  const head = `cannot write the audit log ${path} (${why})`;
  const tail = "choose another with --audit-log FILE";
  if (closed === 0) return `${head}; nothing was closed; ${tail}`;
  const stop = left > 0 ? `stopped: ${left} not attempted` : "their outcomes are not in it";
  return (
    `${head} after closing ${plural(closed, "socket")} (listed above as closed, each with its intent ` +
    `record in the log); ${stop}; ${tail}`
  );
}
