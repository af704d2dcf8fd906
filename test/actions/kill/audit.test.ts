import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AuditLog, AuditWriteError } from "../../../src/actions/kill/audit-log.js";
import { type AuditContext, intentRecord, outcomeRecord } from "../../../src/actions/kill/audit-record.js";
import { InputError } from "../../../src/model/errors.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock } from "./make.js";

const context: AuditContext = {
  time: new Date("2025-01-02T03:04:05.678Z"),
  host: "web1",
  user: { uid: 0, name: "root", sudoUser: "alice" },
  filter: "state close-wait and sport = :8080",
};

describe("audit records", () => {
  it("holds time, user, phase, 4-tuple, state, inode, cookie, owners and outcome", () => {
    const s = sock({ local: "[::1]:8080", remote: "[::1]:40000", owners: [{ pid: 9, comm: "app", fd: 12 }] });
    const rec = outcomeRecord({ socket: s, outcome: "closed", errno: 0 }, context);
    assert.deepEqual(rec, {
      time: "2025-01-02T03:04:05.678Z",
      host: "web1",
      user: { uid: 0, name: "root", sudoUser: "alice" },
      action: "SOCK_DESTROY",
      phase: "outcome",
      filter: "state close-wait and sport = :8080",
      socket: {
        family: "inet6",
        state: "CLOSE_WAIT",
        local: { address: "::1", port: 8080 },
        remote: { address: "::1", port: 40000 },
      },
      inode: s.inode,
      cookie: s.cookie,
      owners: [{ pid: 9, comm: "app", fd: 12 }],
      outcome: "closed",
    });
  });
  it("an intent is the same record without an outcome", () => {
    const s = sock();
    const intent = intentRecord(s, context);
    assert.equal(intent.phase, "intent");
    assert.equal(intent.outcome, null);
    assert.deepEqual(
      { ...intent, phase: "outcome", outcome: "closed" },
      outcomeRecord({ socket: s, outcome: "closed", errno: 0 }, context),
    );
  });
  it("keeps owners null for TIME_WAIT (no process can hold one)", () => {
    const rec = outcomeRecord(
      { socket: sock({ state: TcpState.TIME_WAIT }), outcome: "closed", errno: 0 },
      context,
    );
    assert.equal(rec.owners, null);
    assert.equal(rec.socket.state, "TIME_WAIT");
  });
});

describe("AuditLog", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-audit-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the directory and appends one JSON line per record, keeping earlier lines", () => {
    const path = join(dir, "nested", "kill.log");
    const first = AuditLog.open(path);
    first.commit([intentRecord(sock(), context)]);
    first.close();
    const second = AuditLog.open(path);
    second.commit([intentRecord(sock(), context), intentRecord(sock(), context)]);
    assert.equal(second.count, 2);
    second.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 3);
    for (const line of lines) assert.equal(JSON.parse(line).action, "SOCK_DESTROY");
  });

  it("refuses with exit 3 when the log cannot be opened, saying nothing was closed", () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    chmodSync(blocker, 0o400);
    assert.throws(
      () => AuditLog.open(join(blocker, "kill.log")),
      (e: unknown) =>
        e instanceof InputError && e.exitCode === 3 && /nothing was closed.*--audit-log/.test(e.message),
    );
  });

  it("starts on a new line after a record a full disk cut short", () => {
    const path = join(dir, "cut.log");
    writeFileSync(path, '{"whole":1}\n{"cut');
    const log = AuditLog.open(path);
    log.commit([intentRecord(sock(), context)]);
    log.close();
    const lines = readFileSync(path, "utf8").split("\n");
    assert.deepEqual(lines.slice(0, 2), ['{"whole":1}', '{"cut']);
    assert.equal(JSON.parse(lines[2]!).phase, "intent");
    assert.equal(lines[3], "");
  });

  it("a commit to a full device fails with its errno and counts nothing", () => {
    const log = AuditLog.open("/dev/full");
    assert.throws(
      () => log.commit([intentRecord(sock(), context)]),
      (e: unknown) =>
        e instanceof AuditWriteError && e.reason === "ENOSPC" && e.message.includes("/dev/full (ENOSPC)"),
    );
    assert.equal(log.count, 0);
    assert.equal(log.toJournal(), "nothing");
    log.close();
  });

  it("has nothing to send to the journal when nothing was appended", () => {
    const log = AuditLog.open(join(dir, "empty.log"));
    assert.equal(log.toJournal(), "nothing");
    log.close();
  });
});
