/**
 * @module Writes samples: one transaction per round (every namespace of it),
 * raw rows, the minute rollups, the sockets' first/last seen, the events,
 * the advisor's findings and the detector's memory. A failure rolls the whole round back; rounds
 * already written stay.
 */
import type Database from "better-sqlite3";
import { type DetectorState, detectEvents, emptyState, type StoreEvent } from "./events.js";
import { FindingStretches } from "./findings.js";
import type { NamespaceSample } from "./sample.js";
import { sampleRows } from "./rows.js";
import type { SqliteSeenStore } from "./seen-store.js";

export class StoreWriter {
  private readonly stmts;
  private readonly detectors = new Map<string, DetectorState>();
  private readonly findings: FindingStretches;

  constructor(private readonly db: Database.Database) {
    this.findings = new FindingStretches(db);
    const p = (sql: string) => db.prepare(sql);
    this.stmts = {
      sample: p("INSERT INTO samples (at, netns, read_ms) VALUES (?, ?, ?)"),
      state: p("INSERT INTO state_counts (sample_id, state, count) VALUES (?, ?, ?)"),
      group: p(
        `INSERT INTO close_wait_groups (group_key, netns, pid, comm, cmdline, unit, local_port, peer_port, cause)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_key) DO UPDATE SET group_key = excluded.group_key RETURNING id`,
      ),
      destination: p(
        `INSERT INTO destinations (netns, local, remote) VALUES (?, ?, ?)
         ON CONFLICT (netns, local, remote) DO UPDATE SET local = excluded.local RETURNING id`,
      ),
      closeWait: p("INSERT INTO close_wait (sample_id, group_id, count, first_seen) VALUES (?, ?, ?, ?)"),
      timeWait: p(
        `INSERT INTO time_wait (sample_id, destination_id, count, ports_left, rate, exhausted_in, severity)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      stateMinute: p(
        `INSERT INTO state_minutes (minute, netns, state, peak, last) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (minute, netns, state) DO UPDATE SET peak = max(peak, excluded.peak), last = excluded.last`,
      ),
      closeWaitMinute: p(
        `INSERT INTO close_wait_minutes (minute, group_id, peak, last, last_at, first_seen) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (minute, group_id) DO UPDATE SET peak = max(peak, excluded.peak), last = excluded.last,
           last_at = excluded.last_at,
           first_seen = coalesce(min(first_seen, excluded.first_seen), first_seen, excluded.first_seen)`,
      ),
      timeWaitMinute: p(
        `INSERT INTO time_wait_minutes (minute, destination_id, peak, peak_at, min_ports_left) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (minute, destination_id) DO UPDATE SET
           peak_at = CASE WHEN excluded.peak > peak THEN excluded.peak_at ELSE peak_at END,
           peak = max(peak, excluded.peak),
           min_ports_left = coalesce(min(min_ports_left, excluded.min_ports_left), min_ports_left, excluded.min_ports_left)`,
      ),
      event: p("INSERT INTO events (at, netns, kind, text) VALUES (?, ?, ?, ?)"),
      loadDetector: p("SELECT state FROM detector_state WHERE netns = ?"),
      saveDetector: p(
        "INSERT INTO detector_state (netns, state) VALUES (?, ?) ON CONFLICT (netns) DO UPDATE SET state = excluded.state",
      ),
      meta: p(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
  }

  setMeta(key: string, value: string): void {
    this.stmts.meta.run(key, value);
  }

  private detector(netns: string): DetectorState {
    let d = this.detectors.get(netns);
    if (!d) {
      const row = this.stmts.loadDetector.get(netns) as { state: string } | undefined;
      d = row ? (JSON.parse(row.state) as DetectorState) : emptyState();
      this.detectors.set(netns, d);
    }
    return d;
  }

  /** One round: every namespace's sample and the seen-stores they updated, in one transaction. Returns the events. */
  writeRound(samples: readonly NamespaceSample[], seen: readonly SqliteSeenStore[]): StoreEvent[] {
    const events: StoreEvent[] = [];
    const detected = new Map<string, DetectorState>();
    const held: Array<ReturnType<FindingStretches["write"]>> = [];
    this.db.transaction(() => {
      for (const s of samples) {
        // First: what held before is read back (after a restart) as of the sample before this one.
        held.push(this.findings.write(s.netns, s.at, s.findings));
        const rows = sampleRows(s);
        const id = this.stmts.sample.run(rows.at, rows.netns, rows.readMs).lastInsertRowid;
        for (const r of rows.states) {
          this.stmts.state.run(id, r.state, r.count);
          this.stmts.stateMinute.run(rows.minute, rows.netns, r.state, r.count, r.count);
        }
        for (const r of rows.closeWait) {
          const owner = [r.pid, r.comm, r.cmdline, r.unit, r.localPort, r.peerPort, r.cause] as const;
          const { id: group } = this.stmts.group.get(r.groupKey, rows.netns, ...owner) as { id: number };
          this.stmts.closeWait.run(id, group, r.count, r.firstSeen);
          this.stmts.closeWaitMinute.run(rows.minute, group, r.count, r.count, rows.at, r.firstSeen);
        }
        for (const r of rows.timeWait) {
          const { id: dest } = this.stmts.destination.get(rows.netns, r.local, r.remote) as { id: number };
          this.stmts.timeWait.run(id, dest, r.count, r.portsLeft, r.rate, r.exhaustedIn, r.severity);
          this.stmts.timeWaitMinute.run(rows.minute, dest, r.count, rows.at, r.portsLeft);
        }
        const { events: found, next } = detectEvents(this.detector(s.netns), s);
        for (const e of found) this.stmts.event.run(e.at, e.netns, e.kind, e.text);
        this.stmts.saveDetector.run(s.netns, JSON.stringify(next));
        detected.set(s.netns, next);
        events.push(...found);
      }
      for (const store of seen) store.flush();
    })();
    // Only once committed: a rolled-back round leaves the detector as it was.
    for (const [netns, state] of detected) this.detectors.set(netns, state);
    for (const h of held) this.findings.commit(h);
    return events;
  }
}
