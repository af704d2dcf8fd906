/**
 * @module The lock that keeps two `tune apply` / `rollback` runs apart. Each
 * reads the old values, the journal and the --persist file before it writes,
 * so two at once would journal stale old values and the last rename of the
 * file would drop the other's setting. The lock is a file beside the journal
 * (JOURNAL.lock), created exclusively and holding the owner's pid. A lock
 * whose pid no longer runs was left by a killed run: it is replaced, with a
 * note. A lock held by a running process is an error at once (no waiting).
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { InputError, PermissionError } from "../../model/errors.js";

export interface TuneLock {
  readonly path: string;
  /** For stderr: a stale lock that was replaced. */
  readonly notes: readonly string[];
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): void;
}

/** A lock without a pid yet may be a run between creating and writing it: young ones count as held. */
const FRESH_MS = 10_000;

export function lockPath(journal: string): string {
  return `${journal}.lock`;
}

/** Whether pid runs (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? "error";
}

/** The lock's text and age; null when it is gone. */
function readLock(path: string): { text: string; ageMs: number } | null {
  try {
    const ageMs = Date.now() - statSync(path).mtimeMs;
    return { text: readFileSync(path, "utf8"), ageMs };
  } catch (err) {
    if (codeOf(err) === "ENOENT") return null;
    throw new InputError(`cannot read the lock ${path} (${codeOf(err)})`, { cause: err });
  }
}

function pidIn(text: string): number | null {
  const t = text.trim();
  return /^[1-9]\d{0,9}$/.test(t) ? Number(t) : null;
}

/**
 * Moves the stale lock aside (rename is atomic: of two runs breaking it, one
 * wins) and removes it if it is still the one judged stale; a live lock taken
 * meanwhile by another run is put back.
 */
function breakStale(path: string, staleText: string): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (codeOf(err) === "ENOENT") return false;
    throw err;
  }
  let same = false;
  try {
    same = readFileSync(aside, "utf8") === staleText;
    if (!same) linkSync(aside, path);
  } catch {
    // Someone took the lock in between: theirs stands, this run tries again and finds it held.
  }
  rmSync(aside, { force: true });
  return same;
}

function createError(path: string, err: unknown, sudoRerun: string): Error {
  const code = codeOf(err);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new PermissionError(
      `cannot create the lock ${path} (${code}); nothing was changed; run: ${sudoRerun}`,
    );
  }
  return new InputError(
    `cannot create the lock ${path} (${code}); nothing was changed; choose another journal with --journal FILE`,
    { cause: err },
  );
}

/** Takes the lock of journal; sudoRerun: the command to suggest when it may not be created. */
export function takeLock(journal: string, sudoRerun: string): TuneLock {
  const path = lockPath(journal);
  const notes: string[] = [];
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  } catch (err) {
    throw createError(path, err, sudoRerun);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o640);
    } catch (err) {
      if (codeOf(err) !== "EEXIST") throw createError(path, err, sudoRerun);
      const held = readLock(path);
      if (held === null) continue; // released meanwhile
      const pid = pidIn(held.text);
      if (pid !== null ? pidAlive(pid) : held.ageMs < FRESH_MS) {
        throw new InputError(
          `another sockdoc tune apply or rollback${pid === null ? "" : ` (pid ${pid})`} holds ${path}; ` +
            "nothing was changed; run again when it is done",
        );
      }
      if (breakStale(path, held.text)) {
        notes.push(
          `replaced the stale lock ${path} (${pid === null ? "it held no pid" : `pid ${pid} is not running`})`,
        );
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return { path, notes, release: () => releaseLock(path) };
  }
  throw new InputError(`cannot take the lock ${path}: other runs keep taking it; nothing was changed`);
}

/**
 * Removes the lock when it is still ours (one judged stale and replaced by
 * another run is theirs now). Runs in a finally: it must not hide the error
 * that got there, and a lock it could not remove names a pid that has ended,
 * so the next run replaces it as stale.
 */
function releaseLock(path: string): void {
  try {
    const held = readLock(path);
    if (held && pidIn(held.text) === process.pid) unlinkSync(path);
  } catch {
    // See above: the next run replaces it.
  }
}
