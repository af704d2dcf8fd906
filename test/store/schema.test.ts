/**
 * Schema versions and the advisor's findings in the store: a file of
 * schema 1 (before findings were stored) is read by history as it was, with
 * no findings, and a watcher brings it to schema 2 keeping every row; a
 * newer file is refused with one line; findings are kept as stretches of
 * time, and a restarted writer extends the stretch that held at the last
 * sample instead of starting another.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import type { Finding } from "../../src/analysis/advisor/types.js";
import { historyJson } from "../../src/report/history/json.js";
import { historyText } from "../../src/report/history/table.js";
import { openForReading, openForWriting } from "../../src/store/open.js";
import { readHistory } from "../../src/store/reader.js";
import type { NamespaceSample } from "../../src/store/sample.js";
import { ensureSchema, schemaVersionOf, STORE_SCHEMA_VERSION } from "../../src/store/schema.js";
import { StoreWriter } from "../../src/store/writer.js";

const dir = mkdtempSync(join(tmpdir(), "sockdoc-schema-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function finding(id: string, why = `${id} holds`): Finding {
  return { id, severity: "warning", setting: null, current: null, recommended: null, why, command: null };
}

function sample(at: number, findings: Finding[], closeWait = 0): NamespaceSample {
  return {
    at,
    netns: "",
    readMs: 1,
    states: closeWait ? { CLOSE_WAIT: closeWait } : { LISTEN: 1 },
    closeWait: closeWait
      ? [
          {
            pid: 7,
            comm: "java",
            cmdline: "java -jar a.jar",
            unit: null,
            localPort: 8080,
            peerPort: null,
            cause: "eof-not-closed",
            count: closeWait,
            firstSeen: at,
          },
        ]
      : [],
    timeWait: [],
    sysctls: null,
    findings,
  };
}

describe("schema versions", () => {
  it("history reads a schema 1 file with no findings; a watcher brings it to the latest and keeps its rows", () => {
    const file = join(dir, "v1.db");
    // A file as the sockdoc before findings wrote it: schema 1, one sample with a leak.
    const old = new Database(file);
    ensureSchema(old, 1);
    const t0 = Date.UTC(2026, 0, 1, 10);
    old.prepare("INSERT INTO samples (id, at, netns, read_ms) VALUES (1, ?, '', 1)").run(t0);
    old
      .prepare(
        `INSERT INTO close_wait_groups (id, group_key, netns, pid, comm, local_port, cause)
         VALUES (1, 'k', '', 7, 'java', 8080, 'eof-not-closed')`,
      )
      .run();
    old
      .prepare(
        "INSERT INTO close_wait_minutes (minute, group_id, peak, last, last_at, first_seen) VALUES (?, 1, 3, 3, ?, ?)",
      )
      .run(t0 - (t0 % 60_000), t0, t0);
    old.close();

    const read = openForReading(file);
    assert.equal(schemaVersionOf(read), 1);
    const h = readHistory(read, null);
    read.close();
    assert.equal(h.closeWait[0]?.owner.comm, "java");
    assert.deepEqual(h.findings, []);
    assert.deepEqual(historyJson(file, h, []).findings, []);

    const db = openForWriting(file);
    assert.equal(schemaVersionOf(db), STORE_SCHEMA_VERSION);
    new StoreWriter(db).writeRound([sample(t0 + 60_000, [finding("close-wait-leak")], 4)], []);
    db.close();
    const again = openForReading(file);
    const h2 = readHistory(again, null);
    again.close();
    assert.equal(h2.closeWait.length, 2, "the schema 1 group and the new one");
    assert.ok(h2.closeWait.some((g) => g.firstSeen === t0 && g.peak === 3));
    assert.deepEqual(
      h2.findings.map((f) => [f.id, f.present]),
      [["close-wait-leak", true]],
    );
  });

  it("refuses a file of a newer sockdoc with one line", () => {
    const file = join(dir, "v9.db");
    const db = new Database(file);
    ensureSchema(db);
    db.prepare("UPDATE schema_version SET version = 9").run();
    db.close();
    assert.throws(
      () => openForReading(file),
      new RegExp(`schema version 9; this sockdoc reads 1 to ${STORE_SCHEMA_VERSION}`),
    );
    assert.throws(() => openForWriting(file), /schema version 9/);
  });
});

describe("findings as stretches of time", () => {
  it("one row while a finding holds, a new one when it comes back; a restart extends the held one", () => {
    const file = join(dir, "findings.db");
    let db = openForWriting(file);
    let writer = new StoreWriter(db);
    const t = (i: number) => Date.UTC(2026, 0, 1, 10) + i * 15_000;
    const a = finding("close-wait-leak");
    const b = finding("tw-reuse-pressure");
    writer.writeRound([sample(t(0), [a])], []);
    writer.writeRound([sample(t(1), [finding("close-wait-leak", "the numbers moved")])], []);
    writer.writeRound([sample(t(2), [a, b])], []);
    writer.writeRound([sample(t(3), [b])], []);
    writer.writeRound([sample(t(4), [a])], []);
    db.close();

    // A restarted watcher: the close-wait-leak that held at the last sample goes on in the same row.
    db = openForWriting(file);
    writer = new StoreWriter(db);
    writer.writeRound([sample(t(5), [a])], []);
    const rows = db.prepare("SELECT finding, first_at, last_at FROM findings ORDER BY id").all() as Array<{
      finding: string;
      first_at: number;
      last_at: number;
    }>;
    db.close();
    assert.deepEqual(
      rows.map((r) => [r.finding, r.first_at, r.last_at]),
      [
        ["close-wait-leak", t(0), t(2)],
        ["tw-reuse-pressure", t(2), t(3)],
        ["close-wait-leak", t(4), t(5)],
      ],
    );

    const read = openForReading(file);
    const h = readHistory(read, null);
    read.close();
    assert.deepEqual(
      h.findings.map((f) => [f.id, f.present]),
      [
        ["close-wait-leak", false],
        ["tw-reuse-pressure", false],
        ["close-wait-leak", true],
      ],
    );
    const doc = historyJson(file, h, []);
    assert.equal(doc.findings[0]!.firstSeen, new Date(t(0)).toISOString());
    assert.equal(doc.findings[0]!.why, "close-wait-leak holds", "the latest wording of the stretch");
    const text = historyText(file, h, 80);
    assert.match(text, /^Advisor findings: 3$/m);
    assert.match(text, /^WARNING +close-wait-leak \(10:01:00–now\): close-wait-leak holds$/m);
  });
});
