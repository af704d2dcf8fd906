/**
 * The BPF socket fd iterator against the /proc walk, on sockets this test
 * makes (and one it shares with a child process, as after a fork): same
 * (pid, fd, inode) rows for the wanted inodes, each once though this process
 * has threads. Root only (loading a BPF program needs CAP_BPF + CAP_PERFMON).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  closeSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { Btf } from "../../src/sources/bpf/btf.js";
import { fdIteratorOffsets } from "../../src/sources/bpf/fd-offsets.js";
import { BTF_PATH } from "../../src/sources/bpf/kernel-btf.js";
import { type BpfSocketFdIterHandle, type FdScanResult, loadNative } from "../../src/sources/native.js";
import { repoRoot } from "../support/run.js";
import { fdOf, inodeOfFd, type Loopback, loopback, waitFor } from "../fixtures/native/loopback.js";

/** Linux's O_PATH (Node's fs.constants lacks it): a handle on the path itself, no open of the socket. */
const O_PATH = 0o10000000;

/** The first line a child prints. */
async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return line;
}

const { addon, error } = loadNative();
const skip = !addon
  ? `native addon not available: ${error}`
  : process.getuid?.() !== 0
    ? "not root: loading a BPF program needs CAP_BPF and CAP_PERFMON"
    : !existsSync(BTF_PATH)
      ? `no ${BTF_PATH}: the iterator's offsets come from the kernel's BTF`
      : false;

type Row = [pid: number, fd: number, inode: number];

function rows(result: FdScanResult): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < result.pids.length; i++) out.push([result.pids[i]!, result.fds[i]!, result.inodes[i]!]);
  return out;
}

const sortedRows = (r: FdScanResult) => rows(r).sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

describe("BpfSocketFdIter", { skip }, () => {
  let iter: BpfSocketFdIterHandle;
  let lo: Loopback;
  let child: ChildProcess;
  let wanted: Float64Array;
  let shared = 0;

  before(async () => {
    const found = fdIteratorOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found, JSON.stringify(found));
    iter = new addon!.BpfSocketFdIter!(found.offsets, found.btfId);
    lo = loopback();
    const server = await lo.listen("127.0.0.1");
    const inodes = [inodeOfFd(fdOf(server))];
    for (let i = 0; i < 3; i++) {
      const { client, accepted } = await lo.connect(server);
      inodes.push(inodeOfFd(fdOf(client)), inodeOfFd(fdOf(accepted)));
    }
    // The child holds the last client socket as its fd 3 too.
    const { client } = await lo.connect(server);
    shared = inodeOfFd(fdOf(client));
    inodes.push(shared);
    child = spawn("sleep", ["60"], { stdio: ["ignore", "ignore", "ignore", client] });
    assert.ok(await waitFor(() => existsSync(`/proc/${child.pid}/fd/3`)), "the child holds fd 3");
    wanted = Float64Array.from(inodes).sort();
  });

  after(async () => {
    child?.kill("SIGKILL");
    iter?.close();
    await lo?.cleanup();
  });

  it("finds the wanted sockets as the /proc walk does, in the walk's order", () => {
    const walk = addon!.scanSocketFds("/proc", null);
    const keep = new Set(wanted);
    const walked: Row[] = rows(walk).filter((r) => keep.has(r[2]));
    const iterated = rows(iter.scan(wanted));
    assert.deepEqual(iterated, walked);
    assert.equal(iterated.length, wanted.length + 1, "one row per socket, two for the shared one");
    assert.deepEqual(
      iterated.filter((r) => r[2] === shared).map((r) => r[0]),
      [process.pid, child.pid!].sort((a, b) => a - b),
    );
    assert.deepEqual(
      iterated.filter((r) => r[0] === child.pid),
      [[child.pid, 3, shared]],
    );
  });

  it("lists every socket fd with wanted null, and nothing is denied or gone", () => {
    const all = iter.scan(null);
    const mine = rows(all).filter((r) => wanted.includes(r[2]));
    assert.equal(mine.length, wanted.length + 1);
    assert.equal(all.deniedPids.length, 0);
    assert.equal(all.gonePids.length, 0);
  });

  it("gives the same rows off the event loop (scanAsync)", async () => {
    assert.deepEqual(sortedRows(await iter.scanAsync(wanted)), sortedRows(iter.scan(wanted)));
  });

  it("forgets a socket once it is closed", async () => {
    const server = await lo.listen("127.0.0.1");
    const inode = inodeOfFd(fdOf(server));
    assert.equal(iter.scan(new Float64Array([inode])).pids.length, 1);
    await new Promise((resolve) => server.close(resolve));
    assert.equal(iter.scan(new Float64Array([inode])).pids.length, 0);
  });

  it("reads a table of thousands of sockets over several reads, as the walk lists it", async () => {
    // 3,000 socketpairs: 6,000 socket fds, about three of the kernel's 2,047-record reads.
    const holder = spawn(
      "python3",
      [
        "-c",
        "import socket,sys,time\np=[socket.socketpair() for _ in range(3000)]\nprint('ready',flush=True)\ntime.sleep(60)",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      assert.equal(await firstLine(holder), "ready");
      const all = rows(iter.scan(null)).filter((r) => r[0] === holder.pid);
      const walked = rows(addon!.scanSocketFds("/proc", null)).filter((r) => r[0] === holder.pid);
      assert.ok(all.length >= 6000, `only ${all.length} rows for the holder`);
      assert.deepEqual(all, walked);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("lists a process whose main thread exited once, not once per thread", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-leader-"));
    const binary = join(dir, "leader-exits");
    const source = join(repoRoot, "test", "fixtures", "native", "leader-exits.c");
    const cc = spawnSync("cc", ["-pthread", "-o", binary, source], { encoding: "utf8" });
    if (cc.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      t.skip(`no C compiler to build the helper: ${cc.error?.message ?? cc.stderr}`);
      return;
    }
    const leader = spawn(binary, [], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const fd = Number(await firstLine(leader));
      // The leader is a zombie: its fds are read through a live thread.
      assert.ok(await waitFor(() => readFileSync(`/proc/${leader.pid}/stat`, "utf8").includes(") Z ")));
      const tid = readdirSync(`/proc/${leader.pid}/task`).find((t) => t !== String(leader.pid));
      assert.ok(tid, "a live thread of the leader's process");
      const link = readlinkSync(`/proc/${leader.pid}/task/${tid}/fd/${fd}`);
      const inode = Number(/^socket:\[(\d+)\]$/.exec(link)![1]);
      assert.deepEqual(rows(iter.scan(new Float64Array([inode]))), [[leader.pid, fd, inode]]);
    } finally {
      leader.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not take an O_PATH fd on a socket's file for the socket", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-opath-"));
    const path = join(dir, "s.sock");
    const server = createServer().listen(path);
    await once(server, "listening");
    const handle = openSync(path, O_PATH);
    try {
      // The file's inode (of the filesystem) in the wanted list, as if it were a socket's.
      const fileInode = statSync(path).ino;
      assert.equal(readlinkSync(`/proc/self/fd/${handle}`), path);
      assert.deepEqual(rows(iter.scan(new Float64Array([fileInode]))), []);
    } finally {
      closeSync(handle);
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finishes a scanAsync() that was running when close() came", async () => {
    const found = fdIteratorOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found);
    const other = new addon!.BpfSocketFdIter!(found.offsets, found.btfId);
    const pending = other.scanAsync(wanted);
    other.close();
    assert.deepEqual(sortedRows(await pending), sortedRows(iter.scan(wanted)));
  });

  it("refuses bad arguments and a scan after close()", () => {
    assert.throws(() => new addon!.BpfSocketFdIter!({} as never, 1), TypeError);
    assert.throws(() => iter.scan(new Float64Array([2, 1])), /sorted ascending/);
    const found = fdIteratorOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found);
    const other = new addon!.BpfSocketFdIter!(found.offsets, found.btfId);
    other.close();
    assert.throws(() => other.scan(null), /closed/);
  });
});
