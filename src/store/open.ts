/**
 * @module Opening the history database, and the one line a database error
 * becomes. A write that fails (full disk, locked or corrupt file) rolls back
 * its transaction, so the samples already written stay as they were.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../model/errors.js";
import { ensureSchema, OLDEST_READABLE_VERSION, schemaVersionOf, STORE_SCHEMA_VERSION } from "./schema.js";

/** What a SQLite error code means for the user. */
function reason(code: string): string {
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") return "is not a sockdoc database or is corrupt";
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return "is locked by another process";
  if (code === "SQLITE_FULL" || code === "SQLITE_IOERR_WRITE") return "cannot grow: the disk is full";
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_")) return "is read-only";
  if (code === "SQLITE_CANTOPEN") return "cannot be opened";
  if (code === "SQLITE_PERM" || code === "SQLITE_AUTH") return "is not permitted";
  return `failed (${code})`;
}

/** Any error of a database operation as one InputError line (exit 3) naming the file. */
export function storeError(file: string, err: unknown): InputError {
  const e = err as { code?: string; message?: string };
  if (typeof e.code === "string" && e.code.startsWith("SQLITE_")) {
    return new InputError(`history database ${file} ${reason(e.code)}`, { cause: err });
  }
  if (typeof e.code === "string" && (e.code === "EACCES" || e.code === "EROFS" || e.code === "EPERM")) {
    return new InputError(`history database ${file}: not writable (${e.code})`, { cause: err });
  }
  return new InputError(`history database ${file}: ${e.message ?? String(err)}`, { cause: err });
}

/** Runs fn; a database error becomes storeError's one line. */
export function guarded<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw storeError(file, err);
  }
}

/**
 * For writing (watch): creates the file and its directory, WAL journal, the
 * schema. busy_timeout waits a little for another writer before "locked".
 */
export function openForWriting(file: string): Database.Database {
  return guarded(file, () => {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file, { timeout: 2000 });
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      // Take the write lock once now: a file another process keeps locked fails at start, not at the first sample.
      db.exec("BEGIN IMMEDIATE; COMMIT");
      ensureSchema(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  });
}

/** For reading (history, closewait's exact ages): the file must exist and carry our schema; works on a copy from another host. */
export function openForReading(file: string): Database.Database {
  return guarded(file, () => {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2000 });
    try {
      const version = schemaVersionOf(db);
      if (version === null) throw new InputError(`history database ${file} is not a sockdoc database`);
      // Older files read with what they lack left empty; a newer one may mean something else.
      if (version < OLDEST_READABLE_VERSION || version > STORE_SCHEMA_VERSION) {
        throw new InputError(
          `history database ${file} has schema version ${version}; this sockdoc reads ` +
            `${OLDEST_READABLE_VERSION} to ${STORE_SCHEMA_VERSION}`,
        );
      }
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  });
}
