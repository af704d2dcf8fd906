import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readProcessInfo, readThreads } from "../../src/sources/process-info.js";
import { ProcFs } from "../../src/sources/procfs.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fixtures = join(repoRoot, "test", "fixtures", "proc");
const host1 = new ProcFs(join(fixtures, "host1"));
const passwdPath = join(fixtures, "etc", "passwd");

describe("readProcessInfo on the fixture host", () => {
  it("describes the java process: unit, user, start time, fds, threads", () => {
    assert.deepEqual(readProcessInfo(host1, 4242, { passwdPath }), {
      pid: 4242,
      comm: "java",
      cmdline: "java -Xmx512m -jar /opt/shop/shop.jar --server.port=8080",
      uid: 1001,
      user: "shop",
      cgroup: "/system.slice/shop.service",
      unit: "shop.service",
      containerId: null,
      // btime 1700000000 s + 12345 ticks of 10 ms.
      startedAt: 1700000000000 + 123450,
      fdCount: 9,
      fdSoftLimit: 4096,
      threads: [
        { tid: 4242, name: "java", state: "S", wchan: "futex_wait_queue" },
        { tid: 4250, name: "http-nio-8080-e", state: "S", wchan: "do_epoll_wait" },
        { tid: 4251, name: "weird) (name", state: "R", wchan: null },
      ],
    });
  });

  it("describes the node process: container id, uid without a name", () => {
    const info = readProcessInfo(host1, 5151, { passwdPath, threads: false });
    assert.equal(info.containerId, "3f4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f");
    assert.equal(info.unit, null);
    assert.equal(info.uid, 1002);
    assert.equal(info.user, "1002");
    assert.equal(info.fdSoftLimit, 1024);
    assert.equal(info.threads, null);
    assert.deepEqual(
      readThreads(host1, 5151)?.map((t) => `${t.tid}:${t.state}:${t.wchan}`),
      ["5151:S:do_epoll_wait", "5152:S:futex_wait_queue", "5160:D:io_schedule"],
    );
  });

  it("gives null fields, not an error, for a process that is gone", () => {
    const info = readProcessInfo(host1, 999999, { passwdPath });
    assert.deepEqual(info, {
      pid: 999999,
      comm: null,
      cmdline: null,
      uid: null,
      user: null,
      cgroup: null,
      unit: null,
      containerId: null,
      startedAt: null,
      fdCount: null,
      fdSoftLimit: null,
      threads: null,
    });
  });
});

describe("readProcessInfo on the live host", () => {
  it("describes this test process as ps would", () => {
    const info = readProcessInfo(new ProcFs(), process.pid, {
      users: new Map([[process.getuid?.() ?? 0, "me"]]),
    });
    assert.equal(info.comm, readFileSync("/proc/self/comm", "utf8").trim());
    assert.ok(info.cmdline?.includes(process.argv[1] ?? "?"), `${info.cmdline}`);
    assert.equal(info.uid, process.geteuid?.());
    assert.equal(info.user, "me");
    assert.ok(info.fdCount !== null && info.fdCount >= 3);
    assert.ok(typeof info.fdSoftLimit === "number" || info.fdSoftLimit === "unlimited");
    const ageMs = Date.now() - (info.startedAt ?? 0);
    // Start time is in 10 ms ticks and btime in whole seconds: allow for both.
    assert.ok(ageMs > -2000 && ageMs < process.uptime() * 1000 + 2000, `age ${ageMs} ms`);
    assert.ok((info.threads?.length ?? 0) >= 1);
    assert.equal(info.threads?.[0]?.tid, process.pid);
    assert.equal(info.threads?.[0]?.state, "R");
  });

  it("counts a child's open fds as listing /proc/PID/fd does, after it opens 300 more", async () => {
    // A child, so nothing in this process opens or closes an fd between the two counts.
    const child = spawn(process.execPath, [
      "-e",
      `const fs = require("fs"); const held = []; for (let i = 0; i < 300; i++) held.push(fs.openSync("/dev/null", "r"));
       process.stdout.write("ready\\n"); setInterval(() => {}, 1000);`,
    ]);
    try {
      await new Promise((resolve) => child.stdout.once("data", resolve));
      const listed = readdirSync(`/proc/${child.pid}/fd`).length;
      assert.ok(listed >= 303, `listed ${listed}`);
      assert.equal(readProcessInfo(new ProcFs(), child.pid!, { threads: false }).fdCount, listed);
    } finally {
      child.kill();
    }
  });
});
