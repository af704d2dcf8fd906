/**
 * The store on a real SQLite file: a restarted tracker resumes first sights
 * from the db; retention keeps a synthetic week bounded (time injected, no
 * sleeping); history reads first sight, peak and now back; a failing write
 * loses nothing already written.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { CloseWaitTracker } from "../../src/analysis/close-wait/tracker.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { openForReading, openForWriting } from "../../src/store/open.js";
import { readHistory } from "../../src/store/reader.js";
import { prune } from "../../src/store/retention.js";
import type { Finding } from "../../src/analysis/advisor/types.js";
import type { NamespaceSample } from "../../src/store/sample.js";
import { SqliteSeenStore } from "../../src/store/seen-store.js";
import { StoreWriter } from "../../src/store/writer.js";

const dir = mkdtempSync(join(tmpdir(), "sockdoc-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function cw(cookie: string, pid: number): TcpSocket {
  return {
    family: 4,
    state: TcpState.CLOSE_WAIT,
    local: { address: "127.0.0.1", port: 8080 },
    remote: { address: "127.0.0.1", port: 40000 + Number(cookie) },
    recvQ: 0,
    sendQ: 0,
    inode: 100 + Number(cookie),
    uid: 0,
    cookie,
    owners: [{ pid, comm: "java", fd: 3 }],
  } as unknown as TcpSocket;
}

function sample(
  at: number,
  count: number,
  firstSeen: number | null,
  pid = 10,
  findings: Finding[] = [],
): NamespaceSample {
  return {
    at,
    netns: "",
    readMs: 1,
    states: { CLOSE_WAIT: count, ESTABLISHED: 3 },
    closeWait:
      count === 0
        ? []
        : [
            {
              pid,
              comm: "java",
              cmdline: "java -jar app.jar",
              unit: "app.service",
              localPort: 8080,
              peerPort: null,
              cause: "eof-not-closed",
              count,
              firstSeen,
            },
          ],
    timeWait: [
      {
        local: "10.0.0.1:*",
        remote: "10.0.0.2:5432",
        count: count * 10,
        portsLeft: 28000 - count * 10,
        ratePerSec: 1,
        exhaustedInSec: null,
        severity: "info",
      },
    ],
    sysctls: { "net.ipv4.tcp_tw_reuse": "2" },
    findings,
  };
}

describe("SqliteSeenStore", () => {
  it("a tracker on a reopened db keeps the first sight of sockets still there", () => {
    const file = join(dir, "seen.db");
    let db = openForWriting(file);
    let store = new SqliteSeenStore(db, "host");
    let writer = new StoreWriter(db);
    new CloseWaitTracker(2, store).add(1000, [cw("1", 10), cw("2", 10)], "net:[1]");
    writer.writeRound([], [store]);
    db.close();

    db = openForWriting(file);
    store = new SqliteSeenStore(db, "host");
    writer = new StoreWriter(db);
    assert.equal(store.firstSeenOf("net:[1]/c1"), 1000);
    const tracker = new CloseWaitTracker(2, store);
    tracker.add(5000, [cw("1", 10), cw("3", 10)], "net:[1]");
    writer.writeRound([], [store]);
    assert.equal(store.firstSeenOf("net:[1]/c1"), 1000, "resumed, not restarted at 5000");
    assert.equal(store.firstSeenOf("net:[1]/c3"), 5000);
    assert.equal(store.firstSeenOf("net:[1]/c2"), undefined, "gone");
    // The gone socket keeps its row: first and last seen.
    const row = db
      .prepare("SELECT first_seen, last_seen FROM close_wait_sockets WHERE key = 'net:[1]/c2'")
      .get();
    assert.deepEqual(row, { first_seen: 1000, last_seen: 1000 });
    // Another partition (namespace) is not mixed in.
    assert.equal(new SqliteSeenStore(db, "net:[2]").previous().size, 0);
    db.close();
  });
});

describe("history from the rollups", () => {
  it("first sight, peak, last and now of a group; a group that ended has now 0", () => {
    const file = join(dir, "history.db");
    const db = openForWriting(file);
    const writer = new StoreWriter(db);
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 0);
    const counts = [2, 5, 9, 4, 0, 0];
    counts.forEach((c, i) => writer.writeRound([sample(t0 + i * 30_000, c, c ? t0 - 5000 : null)], []));
    db.close();
    const h = readHistory(openForReading(file), null);
    assert.equal(h.closeWait.length, 1);
    const g = h.closeWait[0]!;
    assert.equal(g.firstSeen, t0 - 5000);
    assert.equal(g.peak, 9);
    assert.equal(g.last, 4);
    assert.equal(g.lastSeen, t0 + 3 * 30_000);
    assert.equal(g.now, 0);
    assert.equal(h.timeWait[0]!.peakCount, 90);
    assert.equal(h.timeWait[0]!.minPortsLeft, 28000 - 90);
    assert.equal(h.timeWait[0]!.at, t0 + 2 * 30_000);
    assert.deepEqual(
      h.events.map((e) => e.kind),
      ["leak-start", "leak-end"],
    );
    assert.equal(h.from, t0);
    assert.equal(h.to, t0 + 5 * 30_000);
  });
});

describe("retention", () => {
  it("keeps a synthetic week bounded: raw rows of the last day, rollups of the last two", () => {
    const file = join(dir, "week.db");
    const db = openForWriting(file);
    const writer = new StoreWriter(db);
    const policy = { rawMs: 24 * 3600_000, rollupMs: 2 * 24 * 3600_000 };
    const t0 = Date.UTC(2026, 0, 1);
    const step = 60_000;
    let last = 0;
    for (let t = t0; t < t0 + 7 * 24 * 3600_000; t += step) {
      // A new leaking pid each day: leak-start events every day.
      const day = Math.floor((t - t0) / 86_400_000);
      writer.writeRound([sample(t, 1 + (Math.floor(t / step) % 7), t0, 100 + day)], []);
      if (t - last >= 3600_000) {
        prune(db, t, policy);
        last = t;
      }
    }
    const end = t0 + 7 * 24 * 3600_000 - step;
    prune(db, end, policy);
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const rawDay = 24 * 60;
    assert.ok(n("SELECT count(*) AS n FROM samples") <= rawDay + 1, "raw samples beyond a day");
    assert.ok(n("SELECT min(at) AS n FROM samples") >= end - policy.rawMs);
    assert.equal(
      n("SELECT count(*) AS n FROM state_counts WHERE sample_id NOT IN (SELECT id FROM samples)"),
      0,
    );
    assert.ok(n("SELECT count(DISTINCT minute) AS n FROM state_minutes") <= 2 * rawDay + 1);
    assert.ok(n("SELECT min(minute) AS n FROM close_wait_minutes") >= end - policy.rollupMs);
    assert.ok(n("SELECT min(at) AS n FROM events") >= end - policy.rollupMs);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    // Bounded: the file stops growing once retention runs (pages are reused).
    const size = statSync(file).size;
    assert.ok(size < 4 * 1024 * 1024, `db of ${size} bytes`);
  });
});

describe("a failing write", () => {
  it("rolls back its round and leaves the rounds before it", () => {
    const file = join(dir, "fail.db");
    const db = openForWriting(file);
    const writer = new StoreWriter(db);
    writer.writeRound([sample(1000, 2, 900)], []);
    db.exec("CREATE TRIGGER fail BEFORE INSERT ON time_wait BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    assert.throws(() => writer.writeRound([sample(2000, 3, 900)], []), /disk full/);
    db.exec("DROP TRIGGER fail");
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(n("SELECT count(*) AS n FROM samples"), 1);
    assert.equal(n("SELECT max(peak) AS n FROM close_wait_minutes"), 2);
    db.close();
    const other = new Database(file, { readonly: true });
    assert.equal((other.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n, 1);
    other.close();
  });
});
