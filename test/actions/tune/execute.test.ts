/**
 * Writing a batch against a temp dir standing in for /proc/sys: journal
 * first, read back, and a failure in the middle puts back what was written.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { executeChanges } from "../../../src/actions/tune/execute.js";
import { procSysIo, type SysctlIo } from "../../../src/actions/tune/sysctl-io.js";
import { sysctlPath } from "../../../src/sources/sysctl.js";
import { context, fakeProc, MemoryJournal } from "./fake-proc.js";

const START = {
  "net.ipv4.tcp_fin_timeout": "60",
  "net.ipv4.tcp_tw_reuse": "2",
  "net.ipv4.ip_local_port_range": "32768\t60999",
};

/** The io over root, whose write of failName throws EINVAL like the kernel refusing a value. */
function refusing(io: SysctlIo, failName: string): SysctlIo {
  return {
    ...io,
    write: (name, value) => {
      if (name === failName)
        throw Object.assign(new Error("EINVAL: invalid argument, write"), { code: "EINVAL" });
      io.write(name, value);
    },
  };
}

describe("executeChanges", () => {
  it("journals old values before writing, writes, reads back", () => {
    const proc = fakeProc(START);
    const io = procSysIo(proc.root);
    const journal = new MemoryJournal();
    let journaledBeforeWrite = false;
    const watching: SysctlIo = {
      ...io,
      write: (n, v) => {
        journaledBeforeWrite = journal.records.filter((r) => r.action === "apply").length === 3;
        io.write(n, v);
      },
    };
    const results = executeChanges(
      watching,
      {
        changes: [
          { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "37" },
          { name: "net.ipv4.ip_local_port_range", old: "32768\t60999", new: "10240 65535" },
        ],
        unchanged: [{ name: "net.ipv4.tcp_tw_reuse", old: "2", new: "2" }],
      },
      journal,
      context(),
    );
    assert.ok(journaledBeforeWrite);
    assert.deepEqual(
      results.map((r) => [r.name, r.outcome, r.error]),
      [
        ["net.ipv4.tcp_fin_timeout", "applied", null],
        ["net.ipv4.ip_local_port_range", "applied", null],
        ["net.ipv4.tcp_tw_reuse", "unchanged", null],
      ],
    );
    assert.equal(proc.value("net.ipv4.tcp_fin_timeout"), "37");
    assert.equal(proc.value("net.ipv4.ip_local_port_range"), "10240 65535");
    const first = journal.records[0]!;
    assert.deepEqual(first, {
      v: 1,
      time: "2025-01-02T03:04:05.000Z",
      batch: "20250102T030405Z-abcd",
      host: "web1",
      user: { uid: 0, name: "root", sudoUser: "alice" },
      action: "apply",
      name: "net.ipv4.tcp_fin_timeout",
      old: "60",
      new: "37",
      where: "/proc/sys",
      netns: "net:[1]",
      of: null,
    });
    assert.deepEqual(
      journal.records.map((r) => r.action),
      ["apply", "apply", "apply", "result", "result", "result"],
    );
    rmSync(proc.root, { recursive: true });
  });

  it("a refused write in the middle: earlier ones put back, later ones not tried", () => {
    const proc = fakeProc(START);
    const journal = new MemoryJournal();
    const results = executeChanges(
      refusing(procSysIo(proc.root), "net.ipv4.tcp_tw_reuse"),
      {
        changes: [
          { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "37" },
          { name: "net.ipv4.tcp_tw_reuse", old: "2", new: "1" },
          { name: "net.ipv4.ip_local_port_range", old: "32768\t60999", new: "10240 65535" },
        ],
      },
      journal,
      context(),
    );
    assert.deepEqual(
      results.map((r) => [r.name, r.outcome, r.error]),
      [
        ["net.ipv4.tcp_fin_timeout", "restored", null],
        ["net.ipv4.tcp_tw_reuse", "failed", "EINVAL"],
        ["net.ipv4.ip_local_port_range", "skipped", null],
      ],
    );
    for (const [name, value] of Object.entries(START)) assert.equal(proc.value(name), value);
    const outcomes = journal.records.filter((r) => r.action === "result").map((r) => r.outcome);
    assert.deepEqual(outcomes, ["restored", "failed", "skipped"]);
    rmSync(proc.root, { recursive: true });
  });

  it("a real write error (the path is a directory) fails the same way", () => {
    const proc = fakeProc({ "net.ipv4.tcp_fin_timeout": "60" });
    mkdirSync(join(proc.root, ...sysctlPath("net.ipv4.tcp_max_tw_buckets")));
    const results = executeChanges(
      procSysIo(proc.root),
      {
        changes: [
          { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "30" },
          { name: "net.ipv4.tcp_max_tw_buckets", old: "262144", new: "524288" },
        ],
      },
      new MemoryJournal(),
      context(),
    );
    assert.deepEqual(
      results.map((r) => [r.outcome, r.error]),
      [
        ["restored", null],
        ["failed", "EISDIR"],
      ],
    );
    assert.equal(proc.value("net.ipv4.tcp_fin_timeout"), "60");
    rmSync(proc.root, { recursive: true });
  });

  it("a value that reads back different counts as failed, and is put back too", () => {
    const proc = fakeProc(START);
    const io = procSysIo(proc.root);
    // Like a kernel that clamps: whatever is asked, 120 lands.
    const clamping: SysctlIo = {
      ...io,
      write: (n, v) => io.write(n, n === "net.ipv4.tcp_fin_timeout" && v !== "60" ? "120" : v),
    };
    const results = executeChanges(
      clamping,
      { changes: [{ name: "net.ipv4.tcp_fin_timeout", old: "60", new: "999" }] },
      new MemoryJournal(),
      context(),
    );
    assert.equal(results[0]!.outcome, "failed");
    assert.equal(results[0]!.error, 'read back "120"; put back to 60');
    assert.equal(proc.value("net.ipv4.tcp_fin_timeout"), "60");
    rmSync(proc.root, { recursive: true });
  });

  it("says restore-failed when a value cannot be put back", () => {
    const proc = fakeProc(START);
    const io = procSysIo(proc.root);
    let writes = 0;
    const flaky: SysctlIo = {
      ...io,
      write: (n, v) => {
        writes++;
        if (writes >= 2) throw Object.assign(new Error("EBUSY"), { code: "EBUSY" });
        io.write(n, v);
      },
    };
    const results = executeChanges(
      flaky,
      {
        changes: [
          { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "30" },
          { name: "net.ipv4.tcp_tw_reuse", old: "2", new: "1" },
        ],
      },
      new MemoryJournal(),
      context(),
    );
    assert.deepEqual(
      results.map((r) => [r.outcome, r.error]),
      [
        ["restore-failed", "EBUSY"],
        ["failed", "EBUSY"],
      ],
    );
    rmSync(proc.root, { recursive: true });
  });
});
