/**
 * @module The tune journal: JSON lines appended to a file (default
 * /var/lib/sockdoc/tune-journal.jsonl), opened before anything is written so
 * that a change that could not be journaled is not made. Each record is
 * written at once, so an interrupted run still leaves the old values.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
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

/** The records of the journal at path ([] when it does not exist); bad lines become warnings. */
export function readJournal(path: string): { records: JournalRecord[]; warnings: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") return { records: [], warnings: [] };
    if (code === "EACCES" || code === "EPERM") {
      throw new PermissionError(`cannot read the journal ${path} (${code}); run as root (sudo)`);
    }
    throw new InputError(`cannot read the journal ${path} (${code})`, { cause: err });
  }
  return parseJournal(text, path);
}
