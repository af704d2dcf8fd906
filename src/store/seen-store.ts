/**
 * @module The CLOSE_WAIT tracker's SeenStore kept in the history database:
 * each socket (by namespace and cookie) with when it was first and last
 * seen. A restarted watcher loads the last sample's sockets, so the ages
 * resume instead of starting over. Sockets that went away keep their row
 * (first and last seen) until retention removes it.
 */
import type Database from "better-sqlite3";
import type { Seen, SeenStore } from "../analysis/close-wait/tracker.js";

export class SqliteSeenStore implements SeenStore {
  private seen: Map<string, Seen>;
  private pendingAt: number | null = null;
  private readonly upsert: Database.Statement;

  /** scope: the namespace these sockets were read in (a cookie is unique only within one). */
  constructor(
    private readonly db: Database.Database,
    private readonly scope: string,
  ) {
    const last = db
      .prepare("SELECT max(last_seen) AS at FROM close_wait_sockets WHERE scope = ?")
      .get(scope) as { at: number | null };
    const rows =
      last.at === null
        ? []
        : (db
            .prepare(
              "SELECT key, holder, first_seen FROM close_wait_sockets WHERE scope = ? AND last_seen = ?",
            )
            .all(scope, last.at) as Array<{ key: string; holder: string; first_seen: number }>);
    this.seen = new Map(rows.map((r) => [r.key, { firstSeen: r.first_seen, holder: r.holder }]));
    this.upsert = db.prepare(
      `INSERT INTO close_wait_sockets (scope, key, holder, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope, key) DO UPDATE SET holder = excluded.holder, last_seen = excluded.last_seen`,
    );
  }

  previous(): ReadonlyMap<string, Seen> {
    return this.seen;
  }

  /** Kept in memory until flush(), which the writer calls inside the sample's transaction. */
  replace(current: Map<string, Seen>, at: number): void {
    this.seen = current;
    this.pendingAt = at;
  }

  /** Writes the last sample's sockets; call inside a transaction (one per sample, not one per row). */
  flush(): void {
    if (this.pendingAt === null) return;
    for (const [key, s] of this.seen) this.upsert.run(this.scope, key, s.holder, s.firstSeen, this.pendingAt);
    this.pendingAt = null;
  }

  /** First sight of a socket (by the tracker's key), for the group rows. */
  firstSeenOf(key: string): number | undefined {
    return this.seen.get(key)?.firstSeen;
  }
}
