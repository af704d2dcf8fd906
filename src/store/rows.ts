/**
 * @module Pure row mapping: a namespace sample to the rows of each table,
 * and a stored row back to the shapes `history` reports. No database here.
 */
import type { CloseWaitGroupSample, NamespaceSample } from "./sample.js";

export const MINUTE_MS = 60_000;

export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * A CLOSE_WAIT group's identity across samples: its namespace, owner
 * (pid, comm, cmdline, unit), port and cause. JSON of the parts, so NULLs
 * compare equal (a SQL UNIQUE over NULL columns would not).
 */
export function groupKey(netns: string, g: CloseWaitGroupSample): string {
  return JSON.stringify([netns, g.pid, g.comm, g.cmdline, g.unit, g.localPort, g.peerPort, g.cause]);
}

export interface StateRow {
  state: string;
  count: number;
}

/** A sample's CLOSE_WAIT group as stored: the group with the key that names it across samples. */
export interface CloseWaitRow extends CloseWaitGroupSample {
  groupKey: string;
}

export interface TimeWaitRow {
  local: string;
  remote: string;
  count: number;
  portsLeft: number | null;
  rate: number | null;
  exhaustedIn: number | null;
  severity: string;
}

export interface SampleRows {
  at: number;
  minute: number;
  netns: string;
  readMs: number;
  states: StateRow[];
  closeWait: CloseWaitRow[];
  timeWait: TimeWaitRow[];
}

/** Destinations kept per sample: the most TIME_WAIT first, plus every flagged one. */
export const MAX_DESTINATIONS = 50;

export function sampleRows(s: NamespaceSample): SampleRows {
  const states = Object.entries(s.states)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => ({ state, count }));
  // Two groups can share an identity when only fds differ (same owner, port and cause): one row.
  const byKey = new Map<string, CloseWaitRow>();
  for (const g of s.closeWait) {
    const key = groupKey(s.netns, g);
    const row = byKey.get(key);
    if (row) {
      row.count += g.count;
      if (g.firstSeen !== null && (row.firstSeen === null || g.firstSeen < row.firstSeen))
        row.firstSeen = g.firstSeen;
      continue;
    }
    byKey.set(key, {
      groupKey: key,
      pid: g.pid,
      comm: g.comm,
      cmdline: g.cmdline,
      unit: g.unit,
      localPort: g.localPort,
      peerPort: g.peerPort,
      cause: g.cause,
      count: g.count,
      firstSeen: g.firstSeen,
    });
  }
  const timeWait = s.timeWait
    .filter((d, i) => i < MAX_DESTINATIONS || d.severity === "warning" || d.severity === "critical")
    .map((d) => ({
      local: d.local,
      remote: d.remote,
      count: d.count,
      portsLeft: d.portsLeft,
      rate: d.ratePerSec,
      exhaustedIn: d.exhaustedInSec,
      severity: d.severity,
    }));
  return {
    at: s.at,
    minute: minuteOf(s.at),
    netns: s.netns,
    readMs: s.readMs,
    states,
    closeWait: [...byKey.values()],
    timeWait,
  };
}
