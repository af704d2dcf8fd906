/**
 * @module Where audit records go: appended as JSON lines to a file
 * (default /var/log/sockdoc/kill.log), opened before anything is destroyed
 * so that a run that could not be logged does not run; and, when `logger`
 * is installed, to the journal / syslog with tag "sockdoc". Records are
 * committed in groups, each written whole and fsynced before commit returns:
 * the caller destroys nothing whose intent was not committed.
 */
import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../../model/errors.js";
import type { AuditRecord } from "./audit-record.js";

export const DEFAULT_AUDIT_LOG = "/var/log/sockdoc/kill.log";

/**
 * The bytes' way to the disk. A file descriptor in use; tests hand one that
 * fails where they want (a disk that fills up after the first record).
 */
export interface AuditFile {
  /** Writes all of text or throws (ENOSPC, EIO, EROFS...). */
  write(text: string): void;
  /** Makes what was written durable or throws. */
  sync(): void;
  close(): void;
}

/** A write that could not be made durable: the errno code (or message) says why. */
export class AuditWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write the audit log ${path} (${reason})`, options);
    this.name = "AuditWriteError";
  }
}

/** Whether the file ends inside a line: a write cut short by a full disk left half a record. */
function endsMidLine(fd: number): boolean {
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
  } catch {
    return false; // not readable (opened for append only, a device): nothing to mend
  }
}

/** For appending, and reading the last byte when allowed (a write-only log is fine too). */
function openAppend(path: string): number {
  try {
    return openSync(path, "a+", 0o640);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EACCES") throw err;
    return openSync(path, "a", 0o640);
  }
}

function fdFile(fd: number): AuditFile {
  return {
    write(text) {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length;) {
        const n = writeSync(fd, bytes, at);
        // A regular file never writes 0 bytes; a device that does would loop forever.
        if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
        at += n;
      }
    },
    sync() {
      try {
        fsyncSync(fd);
      } catch (err) {
        // A terminal or pipe (--audit-log /dev/stderr) has nothing to sync: the write was the record.
        if ((err as NodeJS.ErrnoException).code !== "EINVAL") throw err;
      }
    },
    close: () => closeSync(fd),
  };
}

export class AuditLog {
  /** Kept only to send to the journal afterwards (48k closes: tens of MB otherwise held for nothing). */
  private lines: string[] = [];
  private committed = 0;
  /** Whether toJournal will be asked for the records. */
  keepForJournal = true;
  /** Written before the first record: a newline when the file ends mid-line. */
  private prefix = "";

  private constructor(
    readonly path: string,
    private readonly file: AuditFile,
  ) {}

  /** Opens (creating the directory and file) for appending; InputError (exit 3) when it cannot. */
  static open(path: string): AuditLog {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      const fd = openAppend(path);
      const log = new AuditLog(path, fdFile(fd));
      // The next record starts on a line of its own, not glued to a cut one.
      log.prefix = endsMidLine(fd) ? "\n" : "";
      return log;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // mkdir -p answers EEXIST when a parent is a file: what it means is ENOTDIR.
      const code = e.code === "EEXIST" ? "ENOTDIR" : (e.code ?? e.message);
      throw new InputError(
        `cannot open the audit log ${path} (${code}); nothing was closed; choose another with --audit-log FILE`,
        { cause: err },
      );
    }
  }

  /** The seam for tests: records go to file instead of an opened path. */
  static over(path: string, file: AuditFile): AuditLog {
    return new AuditLog(path, file);
  }

  /**
   * Writes the records (one JSON line each, in one write) and syncs them;
   * AuditWriteError when either failed. Then none of them counts as written
   * (a part may be on disk: a cut last line that readers skip).
   */
  commit(records: readonly AuditRecord[]): void {
    if (records.length === 0) return;
    const lines = records.map((r) => JSON.stringify(r));
    try {
      this.file.write(`${this.prefix}${lines.join("\n")}\n`);
      this.file.sync();
      this.prefix = "";
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new AuditWriteError(this.path, e.code ?? e.message, { cause: err });
    }
    this.committed += lines.length;
    if (this.keepForJournal) for (const line of lines) this.lines.push(line);
  }

  /** Records committed (written and synced). */
  get count(): number {
    return this.committed;
  }

  /** Every commit was synced already: a failing close loses nothing. */
  close(): void {
    try {
      this.file.close();
    } catch {
      // Nothing left to lose (see above).
    }
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
