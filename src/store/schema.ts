/**
 * @module The history database's schema and how a file gets it: a new file
 * gets version 1 and then every migration in order; an older file gets the
 * migrations it lacks, each in its own transaction with its version number,
 * so a later migration (another column, another table) is one more entry.
 * Raw rows (one per sample) and one-minute rollups, kept apart so retention
 * can drop the raw rows after a day and keep the rollups for weeks; `history`
 * reads only the rollups, which every sample updates as it is written.
 */
import type Database from "better-sqlite3";

/** The version this sockdoc writes (the last migration's). */
export const STORE_SCHEMA_VERSION = 3;
/** The oldest version `history` still reads (what it lacks reads as empty). */
export const OLDEST_READABLE_VERSION = 1;

const DDL_V1 = `
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- What a row is about, stored once and referred to by id (a command line is long; a sample has many rows).
CREATE TABLE IF NOT EXISTS close_wait_groups (
  id INTEGER PRIMARY KEY, group_key TEXT NOT NULL UNIQUE, netns TEXT NOT NULL, pid INTEGER, comm TEXT,
  cmdline TEXT, unit TEXT, local_port INTEGER, peer_port INTEGER, cause TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS destinations (
  id INTEGER PRIMARY KEY, netns TEXT NOT NULL, local TEXT NOT NULL, remote TEXT NOT NULL,
  UNIQUE (netns, local, remote));

-- Raw: one row per namespace per sample (kept 24 h by default).
CREATE TABLE IF NOT EXISTS samples (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, netns TEXT NOT NULL, read_ms REAL NOT NULL);
CREATE INDEX IF NOT EXISTS samples_at ON samples (at);
CREATE TABLE IF NOT EXISTS state_counts (
  sample_id INTEGER NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (sample_id, state))
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS close_wait (
  sample_id INTEGER NOT NULL, group_id INTEGER NOT NULL, count INTEGER NOT NULL, first_seen INTEGER,
  PRIMARY KEY (sample_id, group_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS time_wait (
  sample_id INTEGER NOT NULL, destination_id INTEGER NOT NULL, count INTEGER NOT NULL, ports_left INTEGER,
  rate REAL, exhausted_in REAL, severity TEXT NOT NULL, PRIMARY KEY (sample_id, destination_id)) WITHOUT ROWID;

-- Each CLOSE_WAIT socket by namespace and cookie: when first and last seen.
CREATE TABLE IF NOT EXISTS close_wait_sockets (
  scope TEXT NOT NULL, key TEXT NOT NULL, holder TEXT NOT NULL,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS close_wait_sockets_last ON close_wait_sockets (scope, last_seen);

-- One-minute rollups (kept 14 days by default): the peak and the last value of each minute.
CREATE TABLE IF NOT EXISTS state_minutes (
  minute INTEGER NOT NULL, netns TEXT NOT NULL, state TEXT NOT NULL, peak INTEGER NOT NULL,
  last INTEGER NOT NULL, PRIMARY KEY (minute, netns, state)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS close_wait_minutes (
  minute INTEGER NOT NULL, group_id INTEGER NOT NULL, peak INTEGER NOT NULL, last INTEGER NOT NULL,
  last_at INTEGER NOT NULL, first_seen INTEGER, PRIMARY KEY (minute, group_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS close_wait_minutes_group ON close_wait_minutes (group_id);
CREATE TABLE IF NOT EXISTS time_wait_minutes (
  minute INTEGER NOT NULL, destination_id INTEGER NOT NULL, peak INTEGER NOT NULL, peak_at INTEGER NOT NULL,
  min_ports_left INTEGER, PRIMARY KEY (minute, destination_id)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, netns TEXT NOT NULL, kind TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_at ON events (at);

-- What the event detector remembers per namespace (JSON), so a restart does not repeat events.
CREATE TABLE IF NOT EXISTS detector_state (netns TEXT PRIMARY KEY, state TEXT NOT NULL);
`;

/** The file's schema version; null for a file sockdoc never wrote (no version table). */
export function schemaVersionOf(db: Database.Database): number | null {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (!table) return null;
  const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
  return row?.version ?? null;
}

/**
 * Version N+1's changes to a version N file, by target version. Only ever
 * appended to: a file written by any earlier sockdoc is brought forward.
 */
const MIGRATIONS: ReadonlyMap<number, string> = new Map([
  [
    2,
    `-- The advisor's findings (tune advise's rules on each sample), one row per stretch of time a
-- finding held: a finding still there at the next sample extends its row (last_at, and the
-- wording, whose numbers move); one that went away and came back starts a new row.
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, netns TEXT NOT NULL, finding TEXT NOT NULL, severity TEXT NOT NULL,
  setting TEXT, current TEXT, recommended TEXT, why TEXT NOT NULL, command TEXT,
  first_at INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS findings_last ON findings (netns, last_at);`,
  ],
  [
    3,
    `-- Exact CLOSE_WAIT ages (watch's BPF tracer): when each socket entered CLOSE_WAIT, live by
-- namespace and 4-tuple (unique for a live CLOSE_WAIT socket; the tracepoint gives no cookie),
-- and on the sampled socket's row.
CREATE TABLE IF NOT EXISTS close_wait_entries (
  netns INTEGER NOT NULL, tuple TEXT NOT NULL, entered REAL NOT NULL, PRIMARY KEY (netns, tuple)) WITHOUT ROWID;
ALTER TABLE close_wait_sockets ADD COLUMN entered_close_wait REAL;`,
  ],
]);

/** Whether the file has a table (a reader of an older version leaves out what it lacks). */
export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Brings the file to STORE_SCHEMA_VERSION: a new file gets version 1's
 * tables, then each missing migration runs in a transaction that also sets
 * the version (a failure leaves the file at the version before). A file of
 * a newer sockdoc is refused. target: the version to stop at (a test makes
 * an older file with it).
 */
export function ensureSchema(db: Database.Database, target = STORE_SCHEMA_VERSION): void {
  let version = schemaVersionOf(db);
  if (version !== null && version > STORE_SCHEMA_VERSION) {
    throw new Error(`schema version ${version}, this sockdoc reads ${STORE_SCHEMA_VERSION}`);
  }
  if (version === null) {
    db.transaction(() => {
      db.exec(DDL_V1);
      db.prepare("INSERT INTO schema_version (version) VALUES (1)").run();
    })();
    version = 1;
  }
  for (let next = version + 1; next <= target; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS.get(next)!);
      db.prepare("UPDATE schema_version SET version = ?").run(next);
    })();
  }
}
