import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { findOwners, findOwnersAsync } from "../../src/sources/owners.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { type DiagPass, readSockDiag, visitSockDiagPasses } from "../../src/sources/sock-diag.js";
import { readSockDiagAsync, visitSockDiagPassesAsync } from "../../src/sources/sock-diag-async.js";
import { echoCloser, fdOf, inodeOfFd, loopback, makeTimeWait } from "../fixtures/native/loopback.js";

const { addon, error } = loadNative();
const skip = addon ? false : `native addon not available: ${error}`;
const lo = loopback();
after(() => lo.cleanup());

/** A load on loopback: a listener, some ESTABLISHED pairs and some TIME_WAIT; its ports. */
async function makeLoad(pairs: number, timeWait: number): Promise<{ ports: Set<number>; inodes: number[] }> {
  const server = await lo.listen("127.0.0.1");
  const port = (server.address() as AddressInfo).port;
  const inodes = [inodeOfFd(fdOf(server))];
  for (let i = 0; i < pairs; i++) {
    const { client, accepted } = await lo.connect(server);
    inodes.push(inodeOfFd(fdOf(client)), inodeOfFd(fdOf(accepted)));
  }
  const closer = await echoCloser("127.0.0.1");
  const closerPort = (closer.address() as AddressInfo).port;
  await makeTimeWait("127.0.0.1", closerPort, timeWait);
  await new Promise((resolve) => closer.close(resolve));
  // The last clients' FINs settle (FIN_WAIT2 -> TIME_WAIT) before a test reads twice:
  // on a busy machine that can take a while, and a socket that moves between two reads differs.
  const settled = () =>
    readSockDiag(addon!, stateBit(TcpState.TIME_WAIT), [4, 6]).filter((s) => s.remote.port === closerPort)
      .length >= timeWait;
  for (let waited = 0; !settled() && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return { ports: new Set([port, closerPort]), inodes };
}

/**
 * The test's own sockets (other processes on the host come and go between
 * two dumps), every field but the timer, which counts down between them.
 */
function ours(sockets: readonly TcpSocket[], ports: Set<number>): string[] {
  return sockets
    .filter((s) => ports.has(s.local.port) || ports.has(s.remote.port))
    .map((s) => JSON.stringify({ ...s, timer: s.timer?.kind ?? null }))
    .sort();
}

describe("the addon's async calls (live, loopback)", { skip }, () => {
  it("readSockDiagAsync returns the sockets readSockDiag returns, every field", async () => {
    const { ports } = await makeLoad(200, 300);
    // The last clients' FINs settle (FIN_WAIT2 -> TIME_WAIT) before the two reads.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sync = ours(readSockDiag(addon!, ALL_STATES_MASK, [4, 6]), ports);
    const viaAsync = ours(await readSockDiagAsync(addon!, ALL_STATES_MASK, [4, 6]), ports);
    assert.ok(sync.length >= 1 + 400 + 300, `only ${sync.length} of the test's sockets seen`);
    assert.deepEqual(viaAsync, sync);
  });

  it("visitSockDiagPassesAsync visits what visitSockDiagPasses visits, in the same order", async () => {
    const { ports } = await makeLoad(50, 50);
    const record = (seen: string[]): DiagPass[] => [
      {
        statesMask: stateBit(TcpState.LISTEN),
        visit: (c) => void (ports.has(c.localPort) && seen.push(`L ${c.localPort}`)),
      },
      {
        statesMask: ALL_STATES_MASK & ~stateBit(TcpState.LISTEN),
        // A filter made from what the first pass saw: called between the passes.
        bytecode: () => null,
        visit: () => seen.push("never: the filter skips this pass"),
      },
      {
        statesMask: stateBit(TcpState.TIME_WAIT) | stateBit(TcpState.ESTABLISHED),
        visit: (c) =>
          void (
            (ports.has(c.localPort) || ports.has(c.remotePort)) &&
            seen.push(`${c.state} ${c.localPort} ${c.remotePort} ${c.inode}`)
          ),
      },
    ];
    const sync: string[] = [];
    visitSockDiagPasses(addon!, [4, 6], record(sync));
    const viaAsync: string[] = [];
    await visitSockDiagPassesAsync(addon!, [4, 6], record(viaAsync));
    assert.ok(sync.length >= 1 + 100 + 50);
    // The kernel lists a hash table: the same sockets, in an order that may shift between dumps.
    assert.deepEqual([...viaAsync].sort(), [...sync].sort());
    assert.equal(viaAsync[0], sync[0]);
  });

  it("findOwnersAsync finds the owners findOwners finds", async () => {
    const { inodes } = await makeLoad(100, 0);
    const proc = new ProcFs();
    const sync = findOwners(proc, inodes, { native: addon });
    const viaAsync = await findOwnersAsync(proc, inodes, { native: addon });
    assert.equal(sync.byInode.size, inodes.length);
    assert.deepEqual([...viaAsync.byInode].sort(), [...sync.byInode].sort());
    assert.deepEqual(viaAsync.warnings, sync.warnings);
    assert.ok([...viaAsync.byInode.values()].every((owners) => owners[0]!.pid === process.pid));
  });

  it("nextAsync: one pending call per dump; close() while it is pending settles it and frees the stream", async () => {
    // A dump the lane has already answered settles nextAsync at once (nothing pending): on a quiet
    // host the lane can win that race, so try a few streams until one call is really waiting.
    let stream = new addon!.InetDiagStream([[0, ALL_STATES_MASK]], [0]);
    let pending = stream.nextAsync(0);
    for (let tries = 1; ; tries++) {
      try {
        stream.nextAsync(0).catch(() => {});
      } catch (err) {
        assert.match((err as Error).message, /still pending/);
        break;
      }
      assert.ok(tries < 50, "a nextAsync() was never pending in 50 streams");
      await pending.catch(() => {});
      stream.close();
      stream = new addon!.InetDiagStream([[0, ALL_STATES_MASK]], [0]);
      pending = stream.nextAsync(0);
    }
    assert.throws(() => stream.next(0), /still pending/);
    stream.close();
    // Settled either way: a chunk made before the close, or ECANCELED.
    const outcome = await pending.then(
      (chunk) => (chunk === null ? "end" : "chunk"),
      (err: NodeJS.ErrnoException) => err.code,
    );
    assert.ok(["chunk", "end", "ECANCELED"].includes(outcome ?? ""), `settled with ${outcome}`);
    assert.throws(() => stream.nextAsync(0), /after close\(\)/);

    // Many streams closed mid-wait: every Promise settles (a deadlock would time the test out).
    const settled = await Promise.allSettled(
      Array.from({ length: 100 }, () => {
        const s = new addon!.InetDiagStream(
          [
            [0, ALL_STATES_MASK],
            [0, stateBit(TcpState.TIME_WAIT)],
          ],
          [0, 1],
        );
        const both = [s.nextAsync(0), s.nextAsync(1)];
        s.close();
        return Promise.all(both);
      }),
    );
    for (const r of settled) {
      if (r.status === "rejected") assert.equal((r.reason as NodeJS.ErrnoException).code, "ECANCELED");
    }
  });

  it("scanSocketFdsAsync returns what scanSocketFds returns, and rejects like it throws", async () => {
    const { inodes } = await makeLoad(20, 0);
    const wanted = Float64Array.from(inodes).sort();
    const sync = addon!.scanSocketFds("/proc", wanted);
    const viaAsync = await addon!.scanSocketFdsAsync("/proc", wanted);
    const rows = (r: typeof sync) =>
      [...r.inodes].map((inode, i) => `${r.pids[i]} ${r.fds[i]} ${inode}`).sort();
    assert.deepEqual(rows(viaAsync), rows(sync));
    assert.equal(new Set(viaAsync.inodes).size, inodes.length);
    await assert.rejects(addon!.scanSocketFdsAsync("/nonexistent-proc-root", null), { code: "ENOENT" });
    assert.throws(() => addon!.scanSocketFdsAsync("/proc", new Float64Array([5, 1])), RangeError);
  });

  it("inetDiagDestroyBatchAsync answers per request and refuses a bad one before sending any", async () => {
    assert.deepEqual([...(await addon!.inetDiagDestroyBatchAsync([]))], []);
    assert.throws(() => addon!.inetDiagDestroyBatchAsync([Buffer.alloc(10)]), RangeError);
    assert.throws(() => addon!.inetDiagDestroyBatchAsync("x" as unknown as Buffer[]), TypeError);
  });
});
