/**
 * @module Reads a window of history from the database (the rollups and the
 * events). The window ends at the db's latest sample, not at the reader's
 * clock, so a copy taken from another host days ago still shows its last
 * hours with --since.
 */
import type Database from "better-sqlite3";
import type { History, HistoryFinding } from "./history.js";
import { MINUTE_MS, minuteOf } from "./rows.js";
import { hasTable } from "./schema.js";

interface EntryStats {
  sockets: number;
  exact: number;
  firstEntered: number | null;
}

/**
 * Per holder ("pid:N"), the sockets of close_wait_sockets seen in the window
 * and how many have an exact entry time (schema version 3; none before it).
 */
function entryStatsByHolder(db: Database.Database, from: number): Map<string, EntryStats> {
  const stats = new Map<string, EntryStats>();
  if (!hasTable(db, "close_wait_entries")) return stats;
  for (const r of db
    .prepare(
      `SELECT holder, count(*) AS sockets, count(entered_close_wait) AS exact, min(entered_close_wait) AS first
       FROM close_wait_sockets WHERE last_seen >= ? GROUP BY holder`,
    )
    .all(from) as Array<{ holder: string; sockets: number; exact: number; first: number | null }>)
    stats.set(r.holder, { sockets: r.sockets, exact: r.exact, firstEntered: r.first });
  return stats;
}

const nsOut = (netns: string): string | null => (netns === "" ? null : netns);

export function readHistory(db: Database.Database, sinceMs: number | null): History {
  const bounds = db
    .prepare(
      `SELECT max(coalesce((SELECT max(at) FROM samples), 0), coalesce((SELECT max(last_at) FROM close_wait_minutes), 0),
              coalesce((SELECT max(minute) FROM state_minutes), 0)) AS to_ms,
              (SELECT min(at) FROM samples) AS first_sample, (SELECT min(minute) FROM state_minutes) AS first_minute`,
    )
    .get() as { to_ms: number; first_sample: number | null; first_minute: number | null };
  // The first raw sample when it is in the first rolled-up minute (not pruned yet): exact, not a minute's start.
  const { first_sample: sample, first_minute: minute } = bounds;
  const first = sample !== null && (minute === null || sample < minute + MINUTE_MS) ? sample : minute;
  const hostname =
    (db.prepare("SELECT value FROM meta WHERE key = 'hostname'").get() as { value: string } | undefined)
      ?.value ?? null;
  const samples = (db.prepare("SELECT count(*) AS n FROM samples").get() as { n: number }).n;
  if (first === null) {
    const none = { closeWait: [], timeWait: [], states: [], events: [], findings: [] };
    return { from: null, to: null, hostname, samples, ...none };
  }
  const to = bounds.to_ms;
  const from = sinceMs === null ? first : Math.max(first, to - sinceMs);
  const fromMinute = minuteOf(from);

  // Each namespace's latest sample time: a group not seen then is gone (now = 0).
  const latestByNetns = new Map<string, number>();
  for (const r of db
    .prepare(
      `SELECT netns, max(t) AS t FROM (SELECT netns, max(at) AS t FROM samples GROUP BY netns
         UNION ALL SELECT netns, max(minute) AS t FROM state_minutes GROUP BY netns) GROUP BY netns`,
    )
    .all() as Array<{ netns: string; t: number }>)
    latestByNetns.set(r.netns, r.t);

  const groups = db
    .prepare(
      `SELECT g.netns, g.pid, g.comm, g.cmdline, g.unit, g.local_port, g.peer_port, g.cause,
              min(coalesce(c.first_seen, c.minute)) AS first_seen, max(c.last_at) AS last_seen, max(c.peak) AS peak,
              (SELECT last FROM close_wait_minutes c2 WHERE c2.group_id = g.id AND c2.minute >= ?
                 ORDER BY last_at DESC LIMIT 1) AS last
       FROM close_wait_minutes c JOIN close_wait_groups g ON g.id = c.group_id
       WHERE c.minute >= ? GROUP BY g.id ORDER BY peak DESC, first_seen`,
    )
    .all(fromMinute, fromMinute) as Array<{
    netns: string;
    pid: number | null;
    comm: string | null;
    cmdline: string | null;
    unit: string | null;
    local_port: number | null;
    peer_port: number | null;
    cause: string;
    first_seen: number;
    last_seen: number;
    peak: number;
    last: number;
  }>;
  const entries = entryStatsByHolder(db, from);
  // The entries are per process: a time is the group's only when the process has no other group.
  const groupsOfPid = new Map<number, number>();
  for (const g of groups) if (g.pid !== null) groupsOfPid.set(g.pid, (groupsOfPid.get(g.pid) ?? 0) + 1);
  const closeWait = groups.map((g) => {
    const latestAt = latestByNetns.get(g.netns) ?? g.last_seen;
    const present = g.last_seen >= latestAt;
    // Exact when the tracer saw every socket of the process enter CLOSE_WAIT, and they are this group's.
    const e = g.pid === null || groupsOfPid.get(g.pid) !== 1 ? undefined : entries.get(`pid:${g.pid}`);
    const exact = e !== undefined && e.sockets > 0 && e.exact === e.sockets && e.firstEntered !== null;
    return {
      netns: nsOut(g.netns),
      owner: { pid: g.pid, comm: g.comm, cmdline: g.cmdline, unit: g.unit },
      localPort: g.local_port,
      peerPort: g.peer_port,
      cause: g.cause,
      firstSeen: g.first_seen,
      enteredCloseWait: exact ? e.firstEntered! : null,
      lastSeen: g.last_seen,
      peak: g.peak,
      last: g.last,
      now: present ? g.last : 0,
    };
  });

  const timeWait = (
    db
      .prepare(
        `SELECT d.netns, d.local, d.remote, max(t.peak) AS peak, min(t.min_ports_left) AS min_left,
                (SELECT peak_at FROM time_wait_minutes t2 WHERE t2.destination_id = d.id AND t2.minute >= ?
                   ORDER BY peak DESC, minute LIMIT 1) AS at
         FROM time_wait_minutes t JOIN destinations d ON d.id = t.destination_id
         WHERE t.minute >= ? GROUP BY d.id ORDER BY peak DESC`,
      )
      .all(fromMinute, fromMinute) as Array<{
      netns: string;
      local: string;
      remote: string;
      peak: number;
      min_left: number | null;
      at: number;
    }>
  ).map((r) => ({
    netns: nsOut(r.netns),
    local: r.local,
    remote: r.remote,
    peakCount: r.peak,
    minPortsLeft: r.min_left,
    at: r.at,
  }));

  const states = (
    db
      .prepare(
        `SELECT netns, state, max(peak) AS peak,
                (SELECT last FROM state_minutes s2 WHERE s2.netns = s.netns AND s2.state = s.state
                   ORDER BY minute DESC LIMIT 1) AS last
         FROM state_minutes s WHERE minute >= ? GROUP BY netns, state ORDER BY netns, peak DESC`,
      )
      .all(fromMinute) as Array<{ netns: string; state: string; peak: number; last: number }>
  ).map((r) => ({ netns: nsOut(r.netns), state: r.state, peak: r.peak, last: r.last }));

  const events = (
    db.prepare("SELECT at, netns, kind, text FROM events WHERE at >= ? ORDER BY at, id").all(from) as Array<{
      at: number;
      netns: string;
      kind: string;
      text: string;
    }>
  ).map((e) => ({ time: e.at, netns: nsOut(e.netns), kind: e.kind, text: e.text }));

  const findings = readFindings(db, from, latestByNetns);
  return { from, to, hostname, samples, closeWait, timeWait, states, events, findings };
}

/** The findings that held at some time in the window, oldest first; none from a schema 1 file. */
function readFindings(
  db: Database.Database,
  from: number,
  latestByNetns: ReadonlyMap<string, number>,
): HistoryFinding[] {
  if (!hasTable(db, "findings")) return [];
  const rows = db
    .prepare(
      `SELECT netns, finding, severity, setting, current, recommended, why, command, first_at, last_at
       FROM findings WHERE last_at >= ? ORDER BY first_at, id`,
    )
    .all(from) as Array<{
    netns: string;
    finding: string;
    severity: string;
    setting: string | null;
    current: string | null;
    recommended: string | null;
    why: string;
    command: string | null;
    first_at: number;
    last_at: number;
  }>;
  return rows.map((r) => ({
    netns: nsOut(r.netns),
    id: r.finding,
    severity: r.severity,
    setting: r.setting,
    current: r.current,
    recommended: r.recommended,
    why: r.why,
    command: r.command,
    firstSeen: r.first_at,
    lastSeen: r.last_at,
    present: r.last_at >= (latestByNetns.get(r.netns) ?? r.last_at),
  }));
}
