/**
 * @module Where audit records go: appended as JSON lines to a file
 * (default /var/log/sockdoc/kill.log), opened before anything is destroyed
 * so that a run that could not be logged does not run; and, when `logger`
 * is installed, to the journal / syslog with tag "sockdoc".
 */
import { spawnSync } from "node:child_process";
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../../model/errors.js";
import type { AuditRecord } from "./audit-record.js";

export const DEFAULT_AUDIT_LOG = "/var/log/sockdoc/kill.log";

export class AuditLog {
  readonly path: string;
  private fd: number;
  private lines: string[] = [];

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Opens (creating the directory and file) for appending; InputError (exit 3) when it cannot. */
  static open(path: string): AuditLog {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      return new AuditLog(path, openSync(path, "a", 0o640));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new InputError(
        `cannot open the audit log ${path} (${e.code ?? e.message}); nothing was closed; choose another with --audit-log FILE`,
        { cause: err },
      );
    }
  }

  /** Written at once, one line per record, so an interrupted run still leaves its records. */
  append(record: AuditRecord): void {
    const line = JSON.stringify(record);
    writeSync(this.fd, `${line}\n`);
    this.lines.push(line);
  }

  get count(): number {
    return this.lines.length;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /**
   * Sends every record to the journal through `logger -t sockdoc` (one line,
   * one entry). "absent" when logger is not installed; a warning text when it failed.
   */
  toJournal(): "sent" | "absent" | "nothing" | string {
    if (this.lines.length === 0) return "nothing";
    const input = `${this.lines.join("\n")}\n`;
    // util-linux logger exits 0 when nothing listens on /dev/log unless asked to report it.
    let r = spawnSync("logger", ["--socket-errors=on", "-t", "sockdoc"], { input, encoding: "utf8" });
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return "absent";
    if (r.status !== 0 && /unrecognized|invalid|unknown/i.test(r.stderr)) {
      r = spawnSync("logger", ["-t", "sockdoc"], { input, encoding: "utf8" }); // busybox, older util-linux
    }
    if (r.error) return `logger failed: ${r.error.message}`;
    if (r.status !== 0) return `logger failed: ${r.stderr.trim() || `exit ${r.status}`}`;
    return "sent";
  }
}
