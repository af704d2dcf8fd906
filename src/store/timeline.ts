/**
 * @module The dashboard's time series from the database: per-state counts
 * and each CLOSE_WAIT group's count over a window ending at the latest
 * sample. Raw samples while they cover the window (they are kept a day),
 * the one-minute rollups' last values beyond it. Summed over namespaces for
 * the states; one series per group (owner, port, cause) for CLOSE_WAIT.
 */
import type Database from "better-sqlite3";
import { minuteOf } from "./rows.js";

export interface TimelineGroup {
  netns: string | null;
  pid: number | null;
  comm: string | null;
  localPort: number | null;
  peerPort: number | null;
  cause: string;
  /** Count at each time; null where the group was not seen. */
  counts: Array<number | null>;
}

export interface Timeline {
  from: number | null;
  to: number | null;
  /** "sample": one point per sample; "minute": one per rolled-up minute (its last value). */
  resolution: "sample" | "minute";
  /** ms, ascending. */
  times: number[];
  /** State -> count at each time (0 where none). */
  states: Record<string, number[]>;
  /** The groups with the highest peak first, at most maxGroups. */
  closeWait: TimelineGroup[];
}

/** Series drawn at most (the rest are in /api/closewait). */
export const MAX_TIMELINE_GROUPS = 12;
/** Points at most: past it the raw samples give way to the minute rollups. */
const MAX_POINTS = 4000;

interface Point {
  t: number;
  key: string | number;
  count: number;
}

function series(times: number[], points: readonly Point[]): Map<string | number, Array<number | null>> {
  const index = new Map(times.map((t, i) => [t, i]));
  const out = new Map<string | number, Array<number | null>>();
  for (const p of points) {
    let row = out.get(p.key);
    if (!row) out.set(p.key, (row = new Array<number | null>(times.length).fill(null)));
    row[index.get(p.t)!] = (row[index.get(p.t)!] ?? 0) + p.count;
  }
  return out;
}

export function readTimeline(
  db: Database.Database,
  sinceMs: number,
  maxGroups = MAX_TIMELINE_GROUPS,
): Timeline {
  const bounds = db
    .prepare(
      `SELECT (SELECT max(at) FROM samples) AS last_sample, (SELECT min(at) FROM samples) AS first_sample,
              (SELECT max(minute) FROM state_minutes) AS last_minute,
              (SELECT min(minute) FROM state_minutes) AS first_minute`,
    )
    .get() as {
    last_sample: number | null;
    first_sample: number | null;
    last_minute: number | null;
    first_minute: number | null;
  };
  const to = bounds.last_sample ?? bounds.last_minute;
  if (to === null)
    return { from: null, to: null, resolution: "sample", times: [], states: {}, closeWait: [] };
  const from = to - sinceMs;
  const rawCount =
    bounds.first_sample === null
      ? 0
      : (
          db.prepare("SELECT count(DISTINCT at) AS n FROM samples WHERE at >= ?").get(from) as {
            n: number;
          }
        ).n;
  // Raw rows when they reach back to the window's start (or nothing older was kept) and are not too many.
  const first = bounds.first_sample;
  const reaches = first !== null && (first <= from || (bounds.first_minute ?? first) >= minuteOf(first));
  const raw = reaches && rawCount > 0 && rawCount <= MAX_POINTS;
  const stateRows = raw
    ? (db
        .prepare(
          `SELECT s.at AS t, c.state AS key, c.count AS count FROM samples s
           JOIN state_counts c ON c.sample_id = s.id WHERE s.at >= ? ORDER BY s.at`,
        )
        .all(from) as Point[])
    : (db
        .prepare(
          "SELECT minute AS t, state AS key, last AS count FROM state_minutes WHERE minute >= ? ORDER BY minute",
        )
        .all(minuteOf(from)) as Point[]);
  const times = raw
    ? (db.prepare("SELECT DISTINCT at FROM samples WHERE at >= ? ORDER BY at").pluck().all(from) as number[])
    : (db
        .prepare("SELECT DISTINCT minute FROM state_minutes WHERE minute >= ? ORDER BY minute")
        .pluck()
        .all(minuteOf(from)) as number[]);
  const states: Record<string, number[]> = {};
  for (const [state, counts] of series(times, stateRows)) states[String(state)] = counts.map((c) => c ?? 0);

  const groupRows = raw
    ? (db
        .prepare(
          `SELECT s.at AS t, c.group_id AS key, c.count AS count FROM samples s
           JOIN close_wait c ON c.sample_id = s.id WHERE s.at >= ?`,
        )
        .all(from) as Point[])
    : (db
        .prepare(
          `SELECT c.minute AS t, c.group_id AS key, c.last AS count FROM close_wait_minutes c
           WHERE c.minute >= ?`,
        )
        .all(minuteOf(from)) as Point[]);
  const byGroup = series(times, groupRows);
  const peakOf = (counts: Array<number | null>) => Math.max(0, ...counts.map((c) => c ?? 0));
  const top = [...byGroup].sort((a, b) => peakOf(b[1]) - peakOf(a[1])).slice(0, maxGroups);
  const describe = db.prepare(
    "SELECT netns, pid, comm, local_port, peer_port, cause FROM close_wait_groups WHERE id = ?",
  );
  const closeWait = top.map(([id, counts]): TimelineGroup => {
    const g = describe.get(id) as {
      netns: string;
      pid: number | null;
      comm: string | null;
      local_port: number | null;
      peer_port: number | null;
      cause: string;
    };
    return {
      netns: g.netns === "" ? null : g.netns,
      pid: g.pid,
      comm: g.comm,
      localPort: g.local_port,
      peerPort: g.peer_port,
      cause: g.cause,
      counts,
    };
  });
  return { from: times[0] ?? from, to, resolution: raw ? "sample" : "minute", times, states, closeWait };
}
