import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AuditLog } from "../../../src/actions/kill/audit-log.js";
import { type AuditContext, auditRecord } from "../../../src/actions/kill/audit-record.js";
import { InputError } from "../../../src/model/errors.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock } from "./make.js";

const context: AuditContext = {
  time: new Date("2025-01-02T03:04:05.678Z"),
  host: "web1",
  user: { uid: 0, name: "root", sudoUser: "alice" },
  filter: "state close-wait and sport = :8080",
};

describe("auditRecord", () => {
  it("holds time, user, 4-tuple, state, inode, cookie, owners and outcome", () => {
    const s = sock({ local: "[::1]:8080", remote: "[::1]:40000", owners: [{ pid: 9, comm: "app", fd: 12 }] });
    const rec = auditRecord({ socket: s, outcome: "closed", errno: 0 }, context);
    assert.deepEqual(rec, {
      time: "2025-01-02T03:04:05.678Z",
      host: "web1",
      user: { uid: 0, name: "root", sudoUser: "alice" },
      action: "SOCK_DESTROY",
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
  it("keeps owners null for TIME_WAIT (no process can hold one)", () => {
    const rec = auditRecord(
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
    first.append(auditRecord({ socket: sock(), outcome: "closed", errno: 0 }, context));
    first.close();
    const second = AuditLog.open(path);
    second.append(auditRecord({ socket: sock(), outcome: "closed", errno: 0 }, context));
    second.append(auditRecord({ socket: sock(), outcome: "closed", errno: 0 }, context));
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

  it("has nothing to send to the journal when nothing was appended", () => {
    const log = AuditLog.open(join(dir, "empty.log"));
    assert.equal(log.toJournal(), "nothing");
    log.close();
  });
});
