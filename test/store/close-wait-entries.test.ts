/**
 * Exact CLOSE_WAIT entries in the history database: the schema steps from
 * version 1, the writer's entries and heartbeat, and readers that trust
 * them only while the tracer lives.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import {
  CloseWaitEntryWriter,
  readExactEntries,
  TRACER_STALE_MS,
  tupleText,
} from "../../src/store/close-wait-entries.js";
import { ensureSchema, schemaVersionOf, STORE_SCHEMA_VERSION } from "../../src/store/schema.js";
import { CloseWaitTracker } from "../../src/analysis/close-wait/tracker.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { readHistory } from "../../src/store/reader.js";
import { SqliteSeenStore } from "../../src/store/seen-store.js";
import { StoreWriter } from "../../src/store/writer.js";
import { sock } from "../analysis/close-wait/make.js";

function freshDb(): Database.Database {
  const db = new Database(":memory:");
  ensureSchema(db);
  return db;
}

describe("schema step 3 (exact CLOSE_WAIT ages)", () => {
  it("brings a version 1 file up to date and keeps its rows", () => {
    const db = freshDb();
    // Back to version 1's shape, with a row.
    db.exec("DROP TABLE close_wait_entries; ALTER TABLE close_wait_sockets DROP COLUMN entered_close_wait");
    db.exec("UPDATE schema_version SET version = 1");
    db.prepare("INSERT INTO close_wait_sockets VALUES ('host', 'k', 'pid:1', 10, 20)").run();
    ensureSchema(db);
    assert.equal(schemaVersionOf(db), STORE_SCHEMA_VERSION);
    assert.deepEqual(db.prepare("SELECT key, entered_close_wait FROM close_wait_sockets").all(), [
      { key: "k", entered_close_wait: null },
    ]);
    assert.equal((db.prepare("SELECT count(*) AS n FROM close_wait_entries").get() as { n: number }).n, 0);
  });
});

describe("CloseWaitEntryWriter and readExactEntries", () => {
  const tuple = tupleText(4, "127.0.0.1", 8080, "127.0.0.1", 50000);

  it("keeps a socket's entry until it leaves CLOSE_WAIT; readers see it while the tracer lives", () => {
    const db = freshDb();
    const w = new CloseWaitEntryWriter(db);
    w.start(4242, 1000);
    w.apply([{ netns: 7, tuple, entered: 1500.5 }], 2000);
    const alive = () => true;
    const read = readExactEntries(db, 2100, alive);
    assert.ok(read);
    assert.deepEqual(read.tracer, { pid: 4242, since: 1000, heartbeat: 2000 });
    assert.equal(read.enteredAt(7, tuple), 1500.5);
    assert.equal(read.enteredAt(8, tuple), undefined); // another namespace
    w.apply([{ netns: 7, tuple, entered: null }], 3000);
    assert.equal(readExactEntries(db, 3100, alive)?.enteredAt(7, tuple), undefined);
  });

  it("is not trusted once the tracer's process is gone, its heartbeat stale, or it stopped", () => {
    const db = freshDb();
    const w = new CloseWaitEntryWriter(db);
    w.start(4242, 1000);
    w.apply([{ netns: 7, tuple, entered: 1500 }], 2000);
    assert.equal(
      readExactEntries(db, 2100, () => false),
      null,
    );
    assert.equal(
      readExactEntries(db, 2000 + TRACER_STALE_MS + 1, () => true),
      null,
    );
    w.stop();
    assert.equal(
      readExactEntries(db, 2100, () => true),
      null,
    );
  });

  it("a new tracer drops the last one's entries (it missed the sockets that left)", () => {
    const db = freshDb();
    const w = new CloseWaitEntryWriter(db);
    w.start(1, 1000);
    w.apply([{ netns: 7, tuple, entered: 1500 }], 2000);
    new CloseWaitEntryWriter(db).start(2, 5000);
    assert.equal(readExactEntries(db, 5100, () => true)?.enteredAt(7, tuple), undefined);
  });

  it("marks the sampled socket's row with its entry time", () => {
    const db = freshDb();
    db.prepare(
      "INSERT INTO close_wait_sockets (scope, key, holder, first_seen, last_seen) VALUES ('host', 'net:[7]/c1', 'pid:1', 10, 20)",
    ).run();
    new CloseWaitEntryWriter(db).markSampled([{ scope: "host", key: "net:[7]/c1", entered: 1500 }]);
    assert.deepEqual(db.prepare("SELECT entered_close_wait AS e FROM close_wait_sockets").get(), { e: 1500 });
  });
});

describe("history: a group's first sight, exact or at least", () => {
  function round(db: Database.Database, at: number, sockets: Array<[string, number]>, ports = [8080]): void {
    const writer = new StoreWriter(db);
    const store = new SqliteSeenStore(db, "host");
    new CloseWaitTracker(2, store).add(
      at,
      sockets.map(([cookie]) => cw(cookie, 10)),
      "",
    );
    writer.writeRound(
      [
        {
          at,
          netns: "",
          readMs: 1,
          states: { CLOSE_WAIT: sockets.length },
          closeWait: ports.map((localPort) => ({
            pid: 10,
            comm: "java",
            cmdline: "java",
            unit: null,
            localPort,
            peerPort: null,
            cause: "eof-not-closed",
            count: sockets.length / ports.length,
            firstSeen: at,
          })),
          timeWait: [],
          sysctls: {},
          findings: [],
        },
      ],
      [store],
    );
    const marks = sockets.filter(([, entered]) => entered > 0);
    new CloseWaitEntryWriter(db).markSampled(
      marks.map(([c, e]) => ({ scope: "host", key: `/c${c}`, entered: e })),
    );
  }

  it("is exact (the entry time) when every socket of the process was seen entering, else at least", () => {
    const at = Date.UTC(2026, 0, 1, 10, 0, 0);
    const exactDb = freshDb();
    round(exactDb, at, [
      ["1", at - 4000],
      ["2", at - 2500],
    ]);
    const exact = readHistory(exactDb, null).closeWait[0]!;
    assert.equal(exact.enteredCloseWait, at - 4000);
    assert.equal(exact.firstSeen, at);
    const mixedDb = freshDb();
    round(mixedDb, at, [
      ["1", at - 4000],
      ["2", 0],
    ]);
    const mixed = readHistory(mixedDb, null).closeWait[0]!;
    assert.equal(mixed.enteredCloseWait, null);
    assert.equal(mixed.firstSeen, at);
  });

  it("is at least for each group of a process with several: the entries are the process's", () => {
    const at = Date.UTC(2026, 0, 1, 10, 0, 0);
    const db = freshDb();
    round(
      db,
      at,
      [
        ["1", at - 90_000],
        ["2", at - 2500],
      ],
      [8080, 9090],
    );
    const groups = readHistory(db, null).closeWait;
    assert.equal(groups.length, 2);
    assert.deepEqual(
      groups.map((g) => g.enteredCloseWait),
      [null, null],
    );
  });
});

function cw(cookie: string, pid: number): TcpSocket {
  return sock({
    local: "127.0.0.1:8080",
    remote: `127.0.0.1:${40000 + Number(cookie)}`,
    cookie,
    owners: [{ pid, comm: "java", fd: 3 }],
  });
}
