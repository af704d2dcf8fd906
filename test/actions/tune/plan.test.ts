/**
 * NAME=VALUE words, refusals, and planning against a temp /proc/sys.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { describe, it } from "node:test";
import { parseAssignments } from "../../../src/actions/tune/assignments.js";
import { planChanges } from "../../../src/actions/tune/plan.js";
import { procSysIo } from "../../../src/actions/tune/sysctl-io.js";
import { UsageError } from "../../../src/model/errors.js";
import { fakeProc } from "./fake-proc.js";

describe("parseAssignments", () => {
  it("reads NAME=VALUE, names made canonical, values trimmed", () => {
    assert.deepEqual(
      parseAssignments(["net/ipv4/tcp_tw_reuse=1", "net.ipv4.ip_local_port_range= 10240 65535 "]),
      [
        { name: "net.ipv4.tcp_tw_reuse", value: "1" },
        { name: "net.ipv4.ip_local_port_range", value: "10240 65535" },
      ],
    );
    assert.deepEqual(parseAssignments(["net.ipv4.ip_local_reserved_ports="]), [
      { name: "net.ipv4.ip_local_reserved_ports", value: "" },
    ]);
  });
  const bad: Array<[string[], RegExp]> = [
    [[], /at least one NAME=VALUE/],
    [["net.ipv4.tcp_tw_reuse"], /is not NAME=VALUE/],
    [["net..x=1"], /is not a sysctl name/],
    [["net.ipv4.tcp_tw_reuse="], /has no value/],
    [["net.ipv4.tcp_tw_reuse=1", "net/ipv4/tcp_tw_reuse=2"], /given twice/],
  ];
  for (const [words, re] of bad) {
    it(`refuses ${JSON.stringify(words)}`, () => assert.throws(() => parseAssignments(words), re));
  }
});

describe("planChanges", () => {
  const proc = fakeProc({
    "net.ipv4.tcp_fin_timeout": "60",
    "net.ipv4.tcp_tw_reuse": "2",
    "net.ipv4.ip_local_port_range": "32768\t60999",
    "net.ipv4.ip_unprivileged_port_start": "1024",
    "kernel.shmmax": "100",
  });
  const io = procSysIo(proc.root);
  const opts = { force: false, kernel: "6.1.0-18-amd64" };

  it("sets values already in place apart", () => {
    const plan = planChanges(
      io,
      parseAssignments(["net.ipv4.tcp_fin_timeout=37", "net.ipv4.tcp_tw_reuse=2"]),
      opts,
    );
    assert.deepEqual(plan.changes, [{ name: "net.ipv4.tcp_fin_timeout", old: "60", new: "37" }]);
    assert.deepEqual(plan.unchanged, [{ name: "net.ipv4.tcp_tw_reuse", old: "2", new: "2" }]);
  });

  const refused: Array<[string, RegExp]> = [
    ["net.ipv4.tcp_tw_recycle=0", /refusing net\.ipv4\.tcp_tw_recycle: .*removed in Linux 4\.12/],
    ["kernel.shmmax=200", /refusing kernel\.shmmax: not one of the settings .* --force/],
    ["net.ipv4.tcp_tw_reuse=3", /the kernel would refuse it: .* from 0 to 2/],
    ["net.ipv4.ip_local_port_range=1000 2000", /ip_unprivileged_port_start \(1024\)/],
    [
      "net.ipv4.tcp_tw_reuse_delay=500",
      /this kernel \(6\.1\.0-18-amd64\) has no .* \(it arrived in Linux 6\.14\)/,
    ],
  ];
  refused.push([
    "net.ipv4.tcp_max_orphans=65536",
    /tcp_max_orphans exists only in the host's network namespace, not in this one/,
  ]);
  for (const [word, re] of refused) {
    it(`refuses ${word}`, () => {
      assert.throws(
        () => planChanges(io, parseAssignments([word]), opts),
        (err: unknown) => err instanceof UsageError && re.test(err.message),
      );
    });
  }

  it("--force lets other names through, never tcp_tw_recycle", () => {
    const plan = planChanges(io, parseAssignments(["kernel.shmmax=200"]), { ...opts, force: true });
    assert.deepEqual(plan.changes, [{ name: "kernel.shmmax", old: "100", new: "200" }]);
    assert.throws(
      () => planChanges(io, parseAssignments(["net.ipv4.tcp_tw_recycle=0"]), { ...opts, force: true }),
      UsageError,
    );
  });

  it("takes fs.file-max at LONG_MAX, an unsigned long", () => {
    const files = fakeProc({ "fs.file-max": "9223372036854775807" });
    const plan = planChanges(procSysIo(files.root), parseAssignments(["fs.file-max=1048576"]), opts);
    assert.deepEqual(plan.changes, [{ name: "fs.file-max", old: "9223372036854775807", new: "1048576" }]);
    const back = planChanges(
      procSysIo(files.root),
      parseAssignments(["fs.file-max=0x7fffffffffffffff"]),
      opts,
    );
    assert.deepEqual(back.unchanged.length, 1);
    rmSync(files.root, { recursive: true });
  });

  it("checks nothing is refused before reading anything (one bad word refuses the batch)", () => {
    assert.throws(
      () =>
        planChanges(io, parseAssignments(["net.ipv4.tcp_fin_timeout=30", "net.ipv4.tcp_tw_reuse=9"]), opts),
      /from 0 to 2/,
    );
  });

  it("cleans up", () => rmSync(proc.root, { recursive: true }));
});
