/**
 * @module The advisor's findings as stretches of time: a finding that holds
 * at consecutive samples of a namespace is one row whose last_at (and
 * wording) each sample moves on; one that went away and came back is a new
 * row. What holds is remembered between samples, and read back from the db
 * at start (the rows that held at the namespace's last sample), so a
 * restarted watcher extends them instead of starting new ones.
 */
import type Database from "better-sqlite3";
import type { Finding } from "../analysis/advisor/types.js";

/** What makes two findings the same one: the rule's case and the setting's values, not the wording. */
function identity(f: Finding): string {
  return JSON.stringify([f.id, f.severity, f.setting, f.current, f.recommended]);
}

export class FindingStretches {
  private readonly stmts;
  /** netns -> identity -> row id, of the findings that held at its last written sample. */
  private readonly open = new Map<string, Map<string, number>>();

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.stmts = {
      insert: p(
        `INSERT INTO findings (netns, finding, severity, setting, current, recommended, why, command, first_at, last_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      extend: p("UPDATE findings SET last_at = ?, why = ?, command = ? WHERE id = ?"),
      // Rows that held at the namespace's last sample: a row that ended before it is not resumed.
      held: p(
        `SELECT id, finding, severity, setting, current, recommended FROM findings
         WHERE netns = ? AND last_at = (SELECT max(at) FROM samples WHERE netns = ?)`,
      ),
    };
  }

  private openOf(netns: string): Map<string, number> {
    let m = this.open.get(netns);
    if (!m) {
      const rows = this.stmts.held.all(netns, netns) as Array<
        { id: number; finding: string } & Pick<Finding, "severity" | "setting" | "current" | "recommended">
      >;
      m = new Map(rows.map((r) => [identity({ ...r, id: r.finding, why: "", command: null }), r.id]));
      this.open.set(netns, m);
    }
    return m;
  }

  /**
   * Writes one sample's findings; call inside the sample's transaction.
   * Returns what to keep once it commits (commit() takes it).
   */
  write(
    netns: string,
    at: number,
    findings: readonly Finding[],
  ): { netns: string; held: Map<string, number> } {
    const before = this.openOf(netns);
    const held = new Map<string, number>();
    for (const f of findings) {
      const key = identity(f);
      if (held.has(key)) continue;
      const id = before.get(key);
      if (id !== undefined) {
        this.stmts.extend.run(at, f.why, f.command, id);
        held.set(key, id);
      } else {
        const row = [f.id, f.severity, f.setting, f.current, f.recommended, f.why, f.command] as const;
        held.set(key, Number(this.stmts.insert.run(netns, ...row, at, at).lastInsertRowid));
      }
    }
    return { netns, held };
  }

  /** After the transaction committed: these are what holds now. */
  commit(written: { netns: string; held: Map<string, number> }): void {
    this.open.set(written.netns, written.held);
  }
}
