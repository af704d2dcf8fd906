/**
 * @module Retention: raw rows (one per sample) for a day, one-minute rollups
 * and events for two weeks by default, so the file stays bounded. `now` is
 * a parameter, which lets a test age a database without waiting.
 */
import type Database from "better-sqlite3";

export interface RetentionPolicy {
  rawMs: number;
  rollupMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 24 * 3600_000, rollupMs: 14 * 24 * 3600_000 };

export interface Pruned {
  samples: number;
  minutes: number;
  events: number;
  sockets: number;
}

export function prune(
  db: Database.Database,
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Pruned {
  const rawBefore = now - policy.rawMs;
  const rollupBefore = now - policy.rollupMs;
  return db.transaction(() => {
    const old = "SELECT id FROM samples WHERE at < ?";
    for (const table of ["state_counts", "close_wait", "time_wait"])
      db.prepare(`DELETE FROM ${table} WHERE sample_id IN (${old})`).run(rawBefore);
    const samples = db.prepare("DELETE FROM samples WHERE at < ?").run(rawBefore).changes;
    // Sockets gone for longer than the raw window: their ages are in the rollups.
    const sockets = db.prepare("DELETE FROM close_wait_sockets WHERE last_seen < ?").run(rawBefore).changes;
    let minutes = 0;
    for (const table of ["state_minutes", "close_wait_minutes", "time_wait_minutes"])
      minutes += db.prepare(`DELETE FROM ${table} WHERE minute < ?`).run(rollupBefore).changes;
    const events = db.prepare("DELETE FROM events WHERE at < ?").run(rollupBefore).changes;
    db.prepare("DELETE FROM findings WHERE last_at < ?").run(rollupBefore);
    // What no row refers to any more (rollups outlive the raw rows, so they decide).
    db.prepare(
      "DELETE FROM close_wait_groups WHERE id NOT IN (SELECT group_id FROM close_wait_minutes)",
    ).run();
    db.prepare(
      "DELETE FROM destinations WHERE id NOT IN (SELECT destination_id FROM time_wait_minutes)",
    ).run();
    return { samples, minutes, events, sockets };
  })();
}
