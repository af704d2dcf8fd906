import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { readlinkSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import { type FdScanResult, loadNative, type NativeAddon } from "../../src/sources/native.js";
import { socketInode } from "../../src/sources/owners/js-scan.js";
import { findOwners } from "../../src/sources/owners.js";
import { parseProcNetTcp } from "../../src/sources/proc-net-tcp.js";
import { ProcFs } from "../../src/sources/procfs.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const host1 = join(repoRoot, "test", "fixtures", "proc", "host1");

/** A ProcFs over the fixture that records fd-directory listings and can deny some pids. */
class RecordingProcFs extends ProcFs {
  listed: number[] = [];
  constructor(private readonly deny: number[] = []) {
    super(host1);
  }
  override list(...parts: Array<string | number>): string[] {
    if (parts[1] === "fd") {
      const pid = Number(parts[0]);
      this.listed.push(pid);
      if (this.deny.includes(pid)) {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      }
    }
    return super.list(...parts);
  }
  /** Fixed order, as the real /proc lists pids (a plain directory may not). */
  override pids(): number[] {
    return super.pids().sort((a, b) => a - b);
  }
}

function stubAddon(
  result: FdScanResult,
  calls: Array<{ root: string; wanted: Float64Array | null }>,
): NativeAddon {
  return {
    inetDiagDump: () => Buffer.alloc(0),
    InetDiagStream: class {
      next = () => null;
      nextAsync = () => Promise.resolve(null);
      close = () => undefined;
    },
    inetDiagDestroy: () => 0,
    inetDiagDestroyBatchAsync: (requests) => Promise.resolve(new Int32Array(requests.length)),
    readFilesInNetns: (_path, paths) => paths.map(() => null),
    BpfStateTracer: class {
      nextAsync = () => Promise.resolve(null);
      lost = () => 0;
      close = () => undefined;
    },
    scanSocketFds(root, wanted) {
      calls.push({ root, wanted });
      return result;
    },
    scanSocketFdsAsync(root, wanted) {
      calls.push({ root, wanted });
      return Promise.resolve(result);
    },
  };
}

describe("findOwners on the fixture host", () => {
  it("maps each CLOSE_WAIT inode to its pid, comm and fd", () => {
    const r = findOwners(new ProcFs(host1), [30020, 30021, 30030, 30031, 30040, 0]);
    assert.deepEqual(Object.fromEntries(r.byInode), {
      30020: [{ pid: 4242, comm: "java", fd: 41 }],
      30021: [{ pid: 4242, comm: "java", fd: 42 }],
      30030: [{ pid: 5151, comm: "node", fd: 22 }],
      30031: [{ pid: 5151, comm: "node", fd: 23 }],
      30040: [{ pid: 5151, comm: "node", fd: 24 }],
    });
    assert.equal(r.deniedPids, 0);
    assert.deepEqual(r.warnings, []);
  });

  it("does not scan at all for inode 0 alone", () => {
    const proc = new RecordingProcFs();
    const r = findOwners(proc, [0, 0]);
    assert.equal(r.byInode.size, 0);
    assert.deepEqual(proc.listed, []);
  });

  it("stops after the process holding the last wanted inode", () => {
    const proc = new RecordingProcFs();
    const r = findOwners(proc, [30001]);
    assert.deepEqual(r.byInode.get(30001), [{ pid: 4242, comm: "java", fd: 5 }]);
    assert.deepEqual(proc.listed, [4242]);
  });

  it("leaves unknown inodes out and warns about denied pids only when something stayed unfound", () => {
    const denying = new RecordingProcFs([5151]);
    const found = findOwners(denying, [30020]);
    assert.equal(found.byInode.size, 1);
    assert.deepEqual(found.warnings, []);

    const asRoot = findOwners(new RecordingProcFs([5151]), [30020, 30030], { asRoot: true });
    assert.deepEqual(asRoot.warnings, [
      "owners of 1 sockets are unknown: 1 processes refused to show their fds even to root (another user namespace or a security module)",
    ]);

    const missing = findOwners(new RecordingProcFs([5151]), [30020, 30030, 30031], { asRoot: false });
    assert.equal(missing.deniedPids, 1);
    assert.equal(missing.byInode.get(30030), undefined);
    assert.deepEqual(missing.warnings, [
      "owners of 2 sockets belong to processes of other users; run as root (sudo sockdoc ...) to see them",
    ]);

    const noDenied = findOwners(new ProcFs(host1), [123456]);
    assert.equal(noDenied.byInode.size, 0);
    assert.deepEqual(noDenied.warnings, []);
  });

  it("uses the addon's scan when given one, with a sorted wanted list and comm from /proc", () => {
    const calls: Array<{ root: string; wanted: Float64Array | null }> = [];
    const addon = stubAddon(
      {
        pids: Int32Array.from([4242, 5151, 5151]),
        fds: Int32Array.from([41, 22, 99]),
        inodes: Float64Array.from([30020, 30030, 55555]),
        deniedPids: Int32Array.from([1, 2]),
        gonePids: new Int32Array(0),
      },
      calls,
    );
    const r = findOwners(new ProcFs(host1), [30030, 0, 30020, 30031], { native: addon, asRoot: false });
    assert.deepEqual(calls, [{ root: host1, wanted: Float64Array.from([30020, 30030, 30031]) }]);
    assert.deepEqual(r.byInode.get(30030), [{ pid: 5151, comm: "node", fd: 22 }]);
    assert.deepEqual(r.byInode.get(30020), [{ pid: 4242, comm: "java", fd: 41 }]);
    assert.equal(r.byInode.has(55555), false);
    assert.equal(r.deniedPids, 2);
    assert.match(r.warnings.join("\n"), /owners of 1 sockets belong to processes of other users/);
  });

  it("falls back to the JS scan when the addon's scan throws", () => {
    const addon: NativeAddon = {
      ...stubAddon({} as FdScanResult, []),
      scanSocketFds() {
        throw new Error("boom");
      },
    };
    const r = findOwners(new ProcFs(host1), [30040], { native: addon });
    assert.deepEqual(r.byInode.get(30040), [{ pid: 5151, comm: "node", fd: 24 }]);
    assert.match(r.warnings[0] ?? "", /native fd scan failed \(boom\)/);
  });

  it("reads only socket links", () => {
    assert.equal(socketInode("socket:[30020]"), 30020);
    assert.equal(socketInode("pipe:[9]"), -1);
    assert.equal(socketInode("socket:[]"), -1);
    assert.equal(socketInode("socket:[12"), -1);
    assert.equal(socketInode("/dev/null"), -1);
  });
});

/** A CLOSE_WAIT socket held by this process on 127.0.0.1, with its inode and fd. */
async function withCloseWait(body: (inode: number, fd: number) => void): Promise<void> {
  const held: Socket[] = [];
  // allowHalfOpen: the server never answers the client's FIN, so its side stays in CLOSE_WAIT.
  const server = createServer({ allowHalfOpen: true }, (s) => held.push(s));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  const client = createConnection({ port, host: "127.0.0.1" });
  try {
    await once(client, "connect");
    while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
    const serverSide = held[0] as Socket;
    const ended = once(serverSide, "end");
    serverSide.resume();
    client.end();
    await ended;
    const text = new ProcFs().read("net", "tcp");
    const { sockets } = parseProcNetTcp(text, 4, "/proc/net/tcp", stateBit(TcpState.CLOSE_WAIT));
    const row = sockets.find((s) => s.local.port === port && s.remote.port === client.localPort);
    assert.ok(row?.inode, `no CLOSE_WAIT row for 127.0.0.1:${port}`);
    const fd = (serverSide as unknown as { _handle: { fd: number } })._handle.fd;
    assert.equal(readlinkSync(`/proc/self/fd/${fd}`), `socket:[${row.inode}]`);
    body(row.inode, fd);
  } finally {
    client.destroy();
    for (const s of held) s.destroy();
    server.close();
  }
}

const NOBODY = 65534;

describe("findOwners on the live host", () => {
  it("finds this process as the owner of a CLOSE_WAIT socket it holds on 127.0.0.1", async () => {
    await withCloseWait((inode, fd) => {
      const comm = new ProcFs().read(process.pid, "comm").trim();
      const expected = [{ pid: process.pid, comm, fd }];
      const js = findOwners(new ProcFs(), [inode], { native: null });
      assert.deepEqual(js.byInode.get(inode), expected);
      assert.deepEqual(js.warnings, []);
      const { addon } = loadNative();
      if (addon) {
        const viaAddon = findOwners(new ProcFs(), [inode], { native: addon });
        assert.deepEqual(viaAddon.byInode.get(inode), expected);
      }
    });
  });

  it(
    "as root, finds it with the BPF fd iterator, the same owners as the walk",
    {
      skip:
        process.getuid?.() !== 0
          ? "not root: the fd iterator is a BPF program"
          : !loadNative().addon
            ? "native addon not available"
            : false,
    },
    async () => {
      await withCloseWait((inode, fd) => {
        const { addon } = loadNative();
        const comm = new ProcFs().read(process.pid, "comm").trim();
        // Loaded whatever the host's size (a test host has few files open).
        process.env.SOCKDOC_OWNERS = "bpf";
        let viaIterator;
        try {
          viaIterator = findOwners(new ProcFs(), [inode], { native: addon });
        } finally {
          delete process.env.SOCKDOC_OWNERS;
        }
        assert.equal(viaIterator.via, "bpf");
        assert.deepEqual(viaIterator.byInode.get(inode), [{ pid: process.pid, comm, fd }]);
        const viaWalk = findOwners(new ProcFs(), [inode], { native: addon, iterator: false });
        assert.equal(viaWalk.via, "walk");
        assert.deepEqual([...viaWalk.byInode], [...viaIterator.byInode]);
        process.env.SOCKDOC_OWNERS = "walk";
        try {
          assert.equal(findOwners(new ProcFs(), [inode], { native: addon }).via, "walk");
        } finally {
          delete process.env.SOCKDOC_OWNERS;
        }
      });
    },
  );

  it(
    "as another user, counts this process as denied and says to run as root",
    {
      skip: process.getuid?.() === 0 ? false : "needs root to start a child as uid 65534",
    },
    async () => {
      await withCloseWait((inode) => {
        const owners = join(repoRoot, "dist", "src", "sources", "owners.js");
        const procfs = join(repoRoot, "dist", "src", "sources", "procfs.js");
        const script = `
          const { findOwners } = await import(${JSON.stringify(owners)});
          const { ProcFs } = await import(${JSON.stringify(procfs)});
          const r = findOwners(new ProcFs(), [${inode}], { native: null });
          console.log(JSON.stringify({ found: r.byInode.size, denied: r.deniedPids, warnings: r.warnings }));`;
        const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
          uid: NOBODY,
          gid: NOBODY,
          encoding: "utf8",
          timeout: 20_000,
        });
        assert.equal(child.status, 0, child.stderr);
        const r = JSON.parse(child.stdout) as { found: number; denied: number; warnings: string[] };
        assert.equal(r.found, 0);
        assert.ok(r.denied > 0);
        assert.deepEqual(r.warnings, [
          "owners of 1 sockets belong to processes of other users; run as root (sudo sockdoc ...) to see them",
        ]);
      });
    },
  );
});
