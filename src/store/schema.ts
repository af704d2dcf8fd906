/**
 * @module The history database's schema and how a file gets it: version 1's
 * tables, then each migration step in order (a new file runs them all).
 * Raw rows (one per sample) and one-minute rollups, kept apart so retention
 * can drop the raw rows after a day and keep the rollups for weeks; `history`
 * reads only the rollups, which every sample updates as it is written.
 */
import type Database from "better-sqlite3";

export const STORE_SCHEMA_VERSION = 2;

const DDL = `
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

/**
 * Steps after version 1, in order: [the version a step reaches, its DDL].
 * Each is small and on its own, so steps from parallel work can be renumbered.
 */
const MIGRATIONS: ReadonlyArray<readonly [number, string]> = [
  // Exact CLOSE_WAIT ages (watch's BPF tracer): when each socket entered
  // CLOSE_WAIT, live by namespace and 4-tuple (unique for a live CLOSE_WAIT
  // socket; the tracepoint gives no cookie), and on the sampled socket's row.
  [
    2,
    `CREATE TABLE IF NOT EXISTS close_wait_entries (
       netns INTEGER NOT NULL, tuple TEXT NOT NULL, entered REAL NOT NULL, PRIMARY KEY (netns, tuple)) WITHOUT ROWID;
     ALTER TABLE close_wait_sockets ADD COLUMN entered_close_wait REAL;`,
  ],
];

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
 * Creates the tables of a new file, or brings an older file up to date (one
 * transaction); a file of a newer version is refused.
 */
export function ensureSchema(db: Database.Database): void {
  const version = schemaVersionOf(db);
  if (version !== null && version > STORE_SCHEMA_VERSION) {
    throw new Error(`schema version ${version}, this sockdoc reads ${STORE_SCHEMA_VERSION}`);
  }
  if (version === STORE_SCHEMA_VERSION) return;
  db.transaction(() => {
    if (version === null) {
      db.exec(DDL);
      db.prepare("INSERT INTO schema_version (version) VALUES (1)").run();
    }
    for (const [reaches, ddl] of MIGRATIONS) if (reaches > (version ?? 1)) db.exec(ddl);
    db.prepare("UPDATE schema_version SET version = ?").run(STORE_SCHEMA_VERSION);
  })();
}
