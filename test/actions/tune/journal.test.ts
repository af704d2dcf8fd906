/**
 * The journal on disk (append, read back, bad lines), its batches, which
 * batch rollback undoes, and what the rollback writes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  changesToUndo,
  groupBatches,
  interruptedRollbacks,
  persistsDone,
  rollbackTarget,
} from "../../../src/actions/tune/batches.js";
import { batchId } from "../../../src/actions/tune/context.js";
import { executeChanges } from "../../../src/actions/tune/execute.js";
import { readJournal, requireJournal, TuneJournal } from "../../../src/actions/tune/journal.js";
import { parseJournal } from "../../../src/actions/tune/journal-parse.js";
import { planRollback } from "../../../src/actions/tune/rollback-plan.js";
import { procSysIo } from "../../../src/actions/tune/sysctl-io.js";
import type { JournalRecord } from "../../../src/actions/tune/types.js";
import { InputError } from "../../../src/model/errors.js";
import { context, fakeProc, MemoryJournal } from "./fake-proc.js";

const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-journal-"));

/** A journal of: apply A (two changes), apply B (one change, failed and restored). */
function twoApplies(): JournalRecord[] {
  const proc = fakeProc({ "net.ipv4.tcp_fin_timeout": "60", "net.ipv4.tcp_tw_reuse": "2" });
  const io = procSysIo(proc.root);
  const j = new MemoryJournal();
  executeChanges(
    io,
    {
      changes: [
        { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "30" },
        { name: "net.ipv4.tcp_tw_reuse", old: "2", new: "1" },
      ],
    },
    j,
    context("A"),
  );
  const refusing = {
    ...io,
    write: () => {
      throw Object.assign(new Error("x"), { code: "EINVAL" });
    },
  };
  executeChanges(
    refusing,
    { changes: [{ name: "net.ipv4.tcp_fin_timeout", old: "30", new: "20" }] },
    j,
    context("B"),
  );
  rmSync(proc.root, { recursive: true });
  return j.records;
}

describe("the journal file", () => {
  it("appends JSON lines that read back as the same records", () => {
    const path = join(dir, "sub", "j.jsonl");
    const journal = TuneJournal.open(path, "sudo x");
    const records = twoApplies();
    for (const r of records) journal.append(r);
    journal.close();
    assert.equal(readFileSync(path, "utf8").trimEnd().split("\n").length, records.length);
    assert.deepEqual(readJournal(path), { records, warnings: [] });
  });

  it("a missing journal is an InputError unless missingOk; a directory in the way is one too", () => {
    const none = join(dir, "none.jsonl");
    assert.throws(
      () => readJournal(none),
      (err: unknown) => err instanceof InputError && err.message === `no journal at ${none}`,
    );
    assert.throws(
      () => requireJournal(none),
      (err: unknown) => err instanceof InputError && err.message === `no journal at ${none}`,
    );
    assert.deepEqual(readJournal(none, true), { records: [], warnings: [] });
    assert.throws(() => TuneJournal.open(join(dir, "sub", "j.jsonl", "x"), "sudo x"), InputError);
  });

  it("a journal of nothing but bad lines is an InputError; an empty one has no records", () => {
    const garbage = join(dir, "garbage.jsonl");
    writeFileSync(garbage, 'not json\n{"v":1}\n');
    assert.throws(
      () => readJournal(garbage),
      (err: unknown) =>
        err instanceof InputError && /is not a tune journal: none of its 2 lines/.test(err.message),
    );
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "");
    assert.deepEqual(readJournal(empty), { records: [], warnings: [] });
  });

  it("skips lines that are not records, naming them", () => {
    const good = JSON.stringify(twoApplies()[0]);
    const r = parseJournal(`${good}\n{"v":1}\nnot json\n\n${good.slice(0, 30)}\n`, "j");
    assert.equal(r.records.length, 1);
    assert.deepEqual(r.warnings, [
      "j:2: not a tune journal record; skipped",
      "j:3: not JSON; skipped",
      "j:5: not JSON; skipped",
    ]);
  });
});

describe("batches and the rollback target", () => {
  it("groups records by batch, with outcomes", () => {
    const batches = groupBatches(twoApplies());
    assert.deepEqual(
      batches.map((b) => [b.id, b.action, b.changes.length, [...b.results.values()].map((r) => r.outcome)]),
      [
        ["A", "apply", 2, ["applied", "applied"]],
        ["B", "apply", 1, ["failed"]],
      ],
    );
    assert.deepEqual(
      changesToUndo(batches[0]!).map((c) => c.name),
      ["net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_reuse"],
    );
  });

  it("picks the newest apply that changed something (B failed whole, so A)", () => {
    const batches = groupBatches(twoApplies());
    assert.equal(rollbackTarget(batches).id, "A");
    assert.equal(rollbackTarget(batches, "B").id, "B");
    assert.throws(() => rollbackTarget(batches, "Z"), /no batch Z/);
  });

  it("after a rollback of A, A is done: nothing left, and --batch A is refused", () => {
    const records = twoApplies();
    const j = new MemoryJournal();
    const proc = fakeProc({ "net.ipv4.tcp_fin_timeout": "30", "net.ipv4.tcp_tw_reuse": "1" });
    executeChanges(
      procSysIo(proc.root),
      {
        changes: [
          { name: "net.ipv4.tcp_tw_reuse", old: "1", new: "2" },
          { name: "net.ipv4.tcp_fin_timeout", old: "30", new: "60" },
        ],
        action: "rollback",
        of: "A",
      },
      j,
      context("R"),
    );
    rmSync(proc.root, { recursive: true });
    const batches = groupBatches([...records, ...j.records]);
    assert.deepEqual(
      batches.map((b) => [b.id, b.action, b.of]),
      [
        ["A", "apply", null],
        ["B", "apply", null],
        ["R", "rollback", "A"],
      ],
    );
    assert.throws(() => rollbackTarget(batches), /nothing to roll back/);
    assert.throws(() => rollbackTarget(batches, "A"), /already rolled back by batch R/);
    assert.throws(() => rollbackTarget(batches, "R"), /itself a rollback/);
  });

  it("a rollback killed before its outcomes were journaled does not count: A is the target again", () => {
    const records = twoApplies();
    const j = new MemoryJournal();
    const proc = fakeProc({ "net.ipv4.tcp_fin_timeout": "30", "net.ipv4.tcp_tw_reuse": "1" });
    executeChanges(
      procSysIo(proc.root),
      {
        changes: [
          { name: "net.ipv4.tcp_tw_reuse", old: "1", new: "2" },
          { name: "net.ipv4.tcp_fin_timeout", old: "30", new: "60" },
        ],
        action: "rollback",
        of: "A",
      },
      j,
      context("R"),
    );
    rmSync(proc.root, { recursive: true });
    // Killed after the first outcome was journaled: the second is missing.
    const cut = j.records.filter((r) => !(r.action === "result" && r.name === "net.ipv4.tcp_fin_timeout"));
    const batches = groupBatches([...records, ...cut]);
    assert.equal(rollbackTarget(batches).id, "A");
    assert.equal(rollbackTarget(batches, "A").id, "A");
    assert.deepEqual(
      interruptedRollbacks(batches, "A").map((b) => b.id),
      ["R"],
    );
    // With every outcome, it counts.
    assert.deepEqual(interruptedRollbacks(groupBatches([...records, ...j.records]), "A"), []);
  });

  it("a rollback whose changes were put back (its file failed) does not count either", () => {
    const records = twoApplies();
    const base = { v: 1 as const, time: "2025-01-02T03:04:05.000Z", batch: "R", host: "web1" };
    const user = { uid: 0, name: "root", sudoUser: null };
    const rollbackRecords: JournalRecord[] = [
      {
        ...base,
        user,
        action: "rollback",
        name: "net.ipv4.tcp_fin_timeout",
        old: "30",
        new: "60",
        where: "/proc/sys",
        netns: "net:[1]",
        of: "A",
      },
      { ...base, user, action: "result", name: "net.ipv4.tcp_fin_timeout", outcome: "applied", error: null },
      { ...base, user, action: "persist", file: "/etc/x.conf", previous: "a", content: "b", of: "A" },
      { ...base, user, action: "result", name: "/etc/x.conf", outcome: "failed", error: "EISDIR" },
      { ...base, user, action: "result", name: "net.ipv4.tcp_fin_timeout", outcome: "restored", error: null },
    ];
    const batches = groupBatches([...records, ...rollbackRecords]);
    assert.deepEqual(persistsDone(batches[2]!), []);
    assert.equal(rollbackTarget(batches).id, "A");
    assert.deepEqual(interruptedRollbacks(batches, "A"), []);
  });

  it("batch ids sort by time", () => {
    assert.equal(batchId(new Date("2025-01-02T03:04:05.678Z"), "1a2b"), "20250102T030405Z-1a2b");
  });
});

describe("planRollback", () => {
  const batch = groupBatches(twoApplies())[0]!;
  const here = { where: "/proc/sys", netns: "net:[1]" };

  it("writes each old value back, newest change first", () => {
    const plan = planRollback(
      batch,
      { "net.ipv4.tcp_fin_timeout": "30", "net.ipv4.tcp_tw_reuse": "1" },
      here,
      false,
    );
    assert.deepEqual(plan.changes, [
      { name: "net.ipv4.tcp_tw_reuse", old: "1", new: "2" },
      { name: "net.ipv4.tcp_fin_timeout", old: "30", new: "60" },
    ]);
    assert.deepEqual(plan.conflicts, []);
  });

  it("leaves values already back alone", () => {
    const plan = planRollback(
      batch,
      { "net.ipv4.tcp_fin_timeout": "60", "net.ipv4.tcp_tw_reuse": "1" },
      here,
      false,
    );
    assert.deepEqual(
      plan.unchanged.map((c) => c.name),
      ["net.ipv4.tcp_fin_timeout"],
    );
    assert.equal(plan.changes.length, 1);
  });

  it("refuses a value changed since by someone else, unless forced", () => {
    const now = { "net.ipv4.tcp_fin_timeout": "45", "net.ipv4.tcp_tw_reuse": "1" };
    assert.throws(
      () => planRollback(batch, now, here, false),
      /net\.ipv4\.tcp_fin_timeout is 45, the batch set 30/,
    );
    const forced = planRollback(batch, now, here, true);
    assert.deepEqual(forced.conflicts, [{ name: "net.ipv4.tcp_fin_timeout", now: "45", batchSet: "30" }]);
    assert.equal(forced.changes.length, 2);
  });

  it("refuses another network namespace or root, unless forced", () => {
    const now = { "net.ipv4.tcp_fin_timeout": "30", "net.ipv4.tcp_tw_reuse": "1" };
    assert.throws(
      () => planRollback(batch, now, { ...here, netns: "net:[2]" }, false),
      /applied in network namespace net:\[1\], this is net:\[2\]/,
    );
    assert.throws(
      () => planRollback(batch, now, { ...here, where: "/tmp/x/sys" }, false),
      /wrote under \/proc\/sys/,
    );
    assert.equal(planRollback(batch, now, { ...here, netns: "net:[2]" }, true).changes.length, 2);
  });

  it("cleans up", () => rmSync(dir, { recursive: true }));
});
