/**
 * @module Exact CLOSE_WAIT entry times in the history database: while
 * `watch` runs its BPF tracer it keeps, per namespace and 4-tuple, the
 * moment each live socket entered CLOSE_WAIT (removed when it leaves), and
 * says in meta that it does (pid, since when, last heartbeat). Readers
 * (closewait) trust the entries only while that tracer is alive: a socket
 * of the same 4-tuple after a dead tracer would get a stale time.
 */
import type Database from "better-sqlite3";
import { hasTable } from "./schema.js";

/** The 4-tuple as stored: "4 127.0.0.1 8080 127.0.0.1 51234". */
export function tupleText(
  family: number,
  localAddress: string,
  localPort: number,
  remoteAddress: string,
  remotePort: number,
): string {
  return `${family} ${localAddress} ${localPort} ${remoteAddress} ${remotePort}`;
}

export interface EntryChange {
  netns: number;
  tuple: string;
  /** Wall-clock ms it entered CLOSE_WAIT; null: it left CLOSE_WAIT. */
  entered: number | null;
}

export interface TracerMeta {
  pid: number;
  /** When the tracer started (ms): sockets without an entry entered CLOSE_WAIT before. */
  since: number;
  heartbeat: number;
}

const META_KEY = "close_wait_tracer";
/** A tracer whose heartbeat is older than this is taken as gone. */
export const TRACER_STALE_MS = 30_000;

export class CloseWaitEntryWriter {
  private readonly put: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly setMeta: Database.Statement;
  private meta: TracerMeta | null = null;

  constructor(private readonly db: Database.Database) {
    this.put = db.prepare(
      "INSERT INTO close_wait_entries (netns, tuple, entered) VALUES (?, ?, ?) ON CONFLICT (netns, tuple) DO UPDATE SET entered = excluded.entered",
    );
    this.remove = db.prepare("DELETE FROM close_wait_entries WHERE netns = ? AND tuple = ?");
    this.setMeta = db.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  /** A new tracer: the last one's entries cannot be trusted (it missed the sockets that left meanwhile). */
  start(pid: number, since: number): void {
    this.meta = { pid, since, heartbeat: since };
    this.db.transaction(() => {
      this.db.exec("DELETE FROM close_wait_entries");
      this.setMeta.run(META_KEY, JSON.stringify(this.meta));
    })();
  }

  /** The changes of one batch, and the heartbeat, in one transaction. */
  apply(changes: readonly EntryChange[], now: number): void {
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.entered === null) this.remove.run(c.netns, c.tuple);
        else this.put.run(c.netns, c.tuple, c.entered);
      }
      if (this.meta) {
        this.meta.heartbeat = now;
        this.setMeta.run(META_KEY, JSON.stringify(this.meta));
      }
    })();
  }

  /** The tracer stopped: readers fall back to "at least". */
  stop(): void {
    this.meta = null;
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM meta WHERE key = ?").run(META_KEY);
      this.db.exec("DELETE FROM close_wait_entries");
    })();
  }

  /** The entry time of each sampled socket's row (scope, tracker key) that has one. */
  markSampled(rows: ReadonlyArray<{ scope: string; key: string; entered: number }>): void {
    const mark = this.db.prepare(
      "UPDATE close_wait_sockets SET entered_close_wait = ? WHERE scope = ? AND key = ?",
    );
    this.db.transaction(() => {
      for (const r of rows) mark.run(r.entered, r.scope, r.key);
    })();
  }
}

export interface ExactEntries {
  tracer: TracerMeta;
  /** Wall-clock ms the socket entered CLOSE_WAIT, or undefined (before the tracer started). */
  enteredAt(netns: number, tuple: string): number | undefined;
}

/**
 * The live tracer's entries, or null when no tracer is running (none
 * recorded, its pid gone, or its heartbeat stale) or the file predates them.
 */
export function readExactEntries(
  db: Database.Database,
  now: number,
  alive: (pid: number) => boolean,
): ExactEntries | null {
  if (!hasTable(db, "close_wait_entries")) return null;
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(META_KEY) as
    { value: string } | undefined;
  if (!row) return null;
  const tracer = JSON.parse(row.value) as TracerMeta;
  if (now - tracer.heartbeat > TRACER_STALE_MS || !alive(tracer.pid)) return null;
  const entries = new Map<string, number>();
  for (const r of db.prepare("SELECT netns, tuple, entered FROM close_wait_entries").all() as Array<{
    netns: number;
    tuple: string;
    entered: number;
  }>)
    entries.set(`${r.netns} ${r.tuple}`, r.entered);
  return { tracer, enteredAt: (netns, tuple) => entries.get(`${netns} ${tuple}`) };
}
