/**
 * @module The tune journal: JSON lines appended to a file (default
 * /var/lib/sockdoc/tune-journal.jsonl), opened before anything is written so
 * that a change that could not be journaled is not made. Each record is
 * written and synced at once, so an interrupted run (or a power cut) still
 * leaves the old values on disk.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, PermissionError } from "../../model/errors.js";
import type { JournalSink } from "./execute.js";
import { parseJournal } from "./journal-parse.js";
import type { JournalRecord } from "./types.js";

export const DEFAULT_JOURNAL = "/var/lib/sockdoc/tune-journal.jsonl";

export class TuneJournal implements JournalSink {
  private count = 0;

  private constructor(
    readonly path: string,
    private fd: number,
  ) {}

  /** sudoRerun: the command to suggest when the journal may not be written. */
  static open(path: string, sudoRerun: string): TuneJournal {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      return new TuneJournal(path, openSync(path, "a", 0o640));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      if (code === "EACCES" || code === "EPERM") {
        throw new PermissionError(
          `cannot write the journal ${path} (${code}); nothing was changed; run: ${sudoRerun}`,
        );
      }
      throw new InputError(
        `cannot open the journal ${path} (${code}); nothing was changed; choose another with --journal FILE`,
        { cause: err },
      );
    }
  }

  append(record: JournalRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    // The old value must be on disk before the kernel's changes: a crash after it can still be undone.
    fsyncSync(this.fd);
    this.count++;
  }

  get records(): number {
    return this.count;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** Rollback needs a journal: "no journal at PATH" (exit 3) rather than "nothing to roll back". */
export function requireJournal(path: string): void {
  try {
    statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") throw new InputError(`no journal at ${path}`, { cause: err });
    if (code === "EACCES" || code === "EPERM") {
      throw new PermissionError(`cannot read the journal ${path} (${code}); run as root (sudo)`);
    }
    throw new InputError(`cannot read the journal ${path} (${code})`, { cause: err });
  }
}

/**
 * The records of the journal at path; bad lines become warnings. A missing
 * journal is an InputError ("no journal at PATH") unless missingOk (then it
 * has no records); so is one with lines but not a single record in them.
 */
export function readJournal(
  path: string,
  missingOk = false,
): { records: JournalRecord[]; warnings: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") {
      if (missingOk) return { records: [], warnings: [] };
      throw new InputError(`no journal at ${path}`, { cause: err });
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new PermissionError(`cannot read the journal ${path} (${code}); run as root (sudo)`);
    }
    throw new InputError(`cannot read the journal ${path} (${code})`, { cause: err });
  }
  const parsed = parseJournal(text, path);
  if (parsed.records.length === 0 && parsed.warnings.length > 0) {
    throw new InputError(
      `${path} is not a tune journal: none of its ${parsed.warnings.length} lines is a record sockdoc wrote`,
    );
  }
  return parsed;
}
