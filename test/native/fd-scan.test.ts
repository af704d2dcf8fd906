import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type FdScanResult, loadNative } from "../../src/sources/native.js";
import { fdOf, inodeOfFd, loopback } from "../fixtures/native/loopback.js";

const { addon, error } = loadNative();
const skip = addon ? false : `native addon not available: ${error}`;
const isRoot = process.getuid?.() === 0;
// dist/test/native/ -> repo root, for a child process that loads the addon directly.
const ADDON_PATH = fileURLToPath(new URL("../../../build/Release/sockdoc.node", import.meta.url));

type Row = [pid: number, fd: number, inode: number];

function rows(result: FdScanResult): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < result.pids.length; i++) out.push([result.pids[i]!, result.fds[i]!, result.inodes[i]!]);
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** A fake /proc: pid -> fd -> link target (dangling symlinks, like a capture of /proc would hold). */
function buildTree(root: string, processes: Record<string, Record<string, string>>): void {
  for (const [pid, fds] of Object.entries(processes)) {
    mkdirSync(join(root, pid, "fd"), { recursive: true });
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, pid, "fd", fd));
  }
}

describe("scanSocketFds", { skip }, () => {
  let root = "";
  before(() => {
    root = mkdtempSync(join(tmpdir(), "sockdoc-fdscan-"));
    buildTree(root, {
      "100": { "0": "/dev/null", "3": "socket:[1000]", "4": "socket:[2000]", "5": "pipe:[5]" },
      // 200 shares socket 1000 with 100, as after a fork.
      "200": { "3": "socket:[3000]", "7": "socket:[1000]" },
      "300": { "9": "socket:[4000]", "10": "anon_inode:[eventfd]" },
      // Malformed links and names are not sockets.
      "500": {
        x: "socket:[1]",
        "12": "socket:[12",
        "13": "socket:[abc]",
        "14": "socket:[]",
        "15": "socket:[77]x",
      },
    });
    mkdirSync(join(root, "400")); // no fd directory: a process that just exited
    mkdirSync(join(root, "net"));
    symlinkSync("100", join(root, "self"));
    mkdirSync(join(root, "600"));
    symlinkSync("/nonexistent/fd", join(root, "600", "fd")); // vanished between listing and open
    mkdirSync(join(root, "700"));
    writeFileSync(join(root, "700", "fd"), "not a directory");
    mkdirSync(join(root, "800", "fd"), { recursive: true });
    writeFileSync(join(root, "800", "fd", "3"), "a regular file where a link was expected");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reports every socket fd of every process when wanted is null", () => {
    const result = addon!.scanSocketFds(root, null);
    assert.deepEqual(rows(result), [
      [100, 3, 1000],
      [100, 4, 2000],
      [200, 3, 3000],
      [200, 7, 1000],
      [300, 9, 4000],
    ]);
    assert.deepEqual([...result.deniedPids], []);
    assert.ok(result.pids instanceof Int32Array && result.inodes instanceof Float64Array);
  });

  it("reports only wanted inodes", () => {
    assert.deepEqual(rows(addon!.scanSocketFds(root, new Float64Array([2000, 4000, 99999]))), [
      [100, 4, 2000],
      [300, 9, 4000],
    ]);
  });

  it("stops after the process where the last wanted inode was found", () => {
    // 1000 is held by 100 and 200. The walk runs on one thread per core: a
    // thread already inside the other process when the first finds it may
    // report it too (seen under load), but nothing beyond those two.
    const found = rows(addon!.scanSocketFds(root, new Float64Array([1000])));
    assert.ok(found.length >= 1 && found.length <= 2, JSON.stringify(found));
    for (const row of found) {
      assert.ok(
        JSON.stringify(row) === JSON.stringify([100, 3, 1000]) ||
          JSON.stringify(row) === JSON.stringify([200, 7, 1000]),
        JSON.stringify(found),
      );
    }
  });

  it("keeps scanning a process after its last wanted inode, so all its fds are reported", () => {
    const found = rows(addon!.scanSocketFds(root, new Float64Array([1000, 3000])));
    // Either 200 alone (both there) or 100 then 200; 200's two fds always both.
    assert.deepEqual(
      found.filter((r) => r[0] === 200),
      [
        [200, 3, 3000],
        [200, 7, 1000],
      ],
    );
  });

  it("returns nothing for an empty wanted list, and ignores duplicates in it", () => {
    assert.equal(addon!.scanSocketFds(root, new Float64Array(0)).pids.length, 0);
    assert.deepEqual(rows(addon!.scanSocketFds(root, new Float64Array([4000, 4000]))), [[300, 9, 4000]]);
  });

  it("finds this process's own listening socket in the real /proc", async () => {
    const lo = loopback();
    try {
      const server = await lo.listen("127.0.0.1");
      const fd = fdOf(server);
      const inode = inodeOfFd(fd);
      const found = rows(addon!.scanSocketFds("/proc", new Float64Array([inode])));
      assert.deepEqual(
        found.filter((r) => r[0] === process.pid),
        [[process.pid, fd, inode]],
      );
    } finally {
      await lo.cleanup();
    }
  });

  it("lists processes whose fd directory is not readable in deniedPids", () => {
    const tree = mkdtempSync(join(tmpdir(), "sockdoc-fdscan-denied-"));
    try {
      buildTree(tree, { "10": { "3": "socket:[10]" }, "20": { "4": "socket:[20]" } });
      chmodSync(join(tree, "20", "fd"), 0o000);
      chmodSync(tree, 0o755);
      let result: { rows: Row[]; denied: number[] };
      if (isRoot) {
        // Root reads everything; an unprivileged child sees what a normal user would.
        const script = `const r = require(${JSON.stringify(ADDON_PATH)}).scanSocketFds(${JSON.stringify(tree)}, null);
          process.stdout.write(JSON.stringify({ rows: [...r.pids].map((p, i) => [p, r.fds[i], r.inodes[i]]), denied: [...r.deniedPids] }));`;
        result = JSON.parse(
          execFileSync(process.execPath, ["-e", script], { uid: 65534, gid: 65534, encoding: "utf8" }),
        );
      } else {
        const r = addon!.scanSocketFds(tree, null);
        result = { rows: rows(r), denied: [...r.deniedPids] };
      }
      assert.deepEqual(result, { rows: [[10, 3, 10]], denied: [20] });
    } finally {
      chmodSync(join(tree, "20", "fd"), 0o755);
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it("throws Node-style errors for a missing root and rejects bad arguments", () => {
    assert.throws(
      () => addon!.scanSocketFds(join(root, "missing"), null),
      (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, "ENOENT");
        assert.equal(err.errno, -2);
        assert.equal(err.syscall, "open");
        assert.match(err.message, /^ENOENT: no such file or directory, open$/);
        return true;
      },
    );
    assert.throws(() => addon!.scanSocketFds(root, new Float64Array([5, 1])), RangeError);
    assert.throws(() => addon!.scanSocketFds(root, [1] as unknown as Float64Array), TypeError);
    assert.throws(() => addon!.scanSocketFds(42 as unknown as string, null), TypeError);
  });
});
