import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { decodeInetDiagMessages, planDumps, readSockDiag } from "../../src/sources/sock-diag.js";

const TW = stateBit(TcpState.TIME_WAIT);
const CW = stateBit(TcpState.CLOSE_WAIT);
const REST = ALL_STATES_MASK & ~TW;

describe("planDumps", () => {
  it("dumps both families at once, TIME_WAIT on lane 1 apart from the other states on lane 0", () => {
    assert.deepEqual(planDumps(ALL_STATES_MASK, [4, 6]), [
      { family: 0, statesMask: TW, lane: 1 },
      { family: 0, statesMask: REST, lane: 0 },
    ]);
  });
  it("dumps one family by its own number", () => {
    assert.deepEqual(planDumps(ALL_STATES_MASK, [6]), [
      { family: 10, statesMask: TW, lane: 1 },
      { family: 10, statesMask: REST, lane: 0 },
    ]);
  });
  it("keeps a single-state or TIME_WAIT-free mask whole, and drops an empty one", () => {
    assert.deepEqual(planDumps(TW, [4]), [{ family: 2, statesMask: TW, lane: 1 }]);
    assert.deepEqual(planDumps(CW, [6]), [{ family: 10, statesMask: CW, lane: 0 }]);
    assert.deepEqual(planDumps(0, [4, 6]), []);
  });
  it("gives every dump the bytecode", () => {
    const code = new Uint8Array(8);
    assert.ok(planDumps(ALL_STATES_MASK, [4, 6], code).every((d) => d.bytecode === code));
  });
});

describe("the dump stream", () => {
  const { addon, error } = loadNative();
  const skip = addon ? false : (error ?? "no addon");
  it("dumps both families in one request as in one dump per family", { skip }, async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const key = (s: TcpSocket) => `${s.family} ${s.state} ${s.local.port} ${s.remote.port}`;
    const both = decodeInetDiagMessages(addon!.inetDiagDump(0, ALL_STATES_MASK)).map(key);
    const apart = [2, 10].flatMap((f) =>
      decodeInetDiagMessages(addon!.inetDiagDump(f, ALL_STATES_MASK)).map(key),
    );
    server.close();
    assert.ok(both.includes(`6 ${TcpState.LISTEN} ${port} 0`), "the test's own IPv6 listener");
    const inApart = new Set(apart);
    const inBoth = both.filter((k) => inApart.has(k));
    assert.ok(
      inBoth.length >= Math.min(both.length, apart.length) * 0.9,
      `${inBoth.length} of ${both.length}`,
    );
  });
  it("returns the same sockets as one plain dump per family", { skip }, () => {
    const key = (s: { local: { port: number }; remote: { port: number }; state: number }) =>
      `${s.state} ${s.local.port} ${s.remote.port}`;
    const streamed = readSockDiag(addon!, ALL_STATES_MASK, [4, 6]).map(key).sort();
    const serial = readSockDiag({ inetDiagDump: addon!.inetDiagDump }, ALL_STATES_MASK, [4, 6])
      .map(key)
      .sort();
    // Sockets come and go on a live host; the two reads were taken a moment
    // apart, so compare the sockets that exist in both.
    const inSerial = new Set(serial);
    const inBoth = streamed.filter((k) => inSerial.has(k));
    assert.ok(
      inBoth.length >= Math.min(streamed.length, serial.length) * 0.9,
      `${inBoth.length} of ${streamed.length}`,
    );
  });
  it("rejects bad arguments like Node does", { skip }, () => {
    const Stream = addon!.InetDiagStream;
    assert.throws(() => new Stream([[3, 1]], [0]), RangeError);
    assert.throws(() => new Stream("x" as never, [0]), TypeError);
    assert.throws(() => new Stream([[2, 1]], [16]), RangeError);
    assert.throws(() => new Stream([[2, 1]], []), TypeError);
    assert.throws(() => new Stream([[2, 1, Buffer.alloc(3)]], [0]), RangeError);
    const stream = new Stream([[2, 1]], [0]);
    assert.throws(() => stream.next(1), RangeError);
    stream.close();
    assert.throws(() => stream.next(0), /after close/);
  });
  it("ends each dump with null, and a closed stream stops its lanes", { skip }, () => {
    const stream = new addon!.InetDiagStream(
      [
        [2, ALL_STATES_MASK],
        [10, ALL_STATES_MASK],
      ],
      [0, 1],
    );
    while (stream.next(0) !== null);
    assert.equal(stream.next(0), null);
    // Dump 1 is left unread: close() must not hang or leak.
    stream.close();
  });
  it("reports a dump the kernel refuses as a Node-style error", { skip }, () => {
    // A jump past the end of the program: the kernel's audit answers EINVAL.
    const bad = Buffer.from([2, 200, 8, 0, 0, 0, 1, 0]);
    const stream = new addon!.InetDiagStream([[2, ALL_STATES_MASK, bad]], [0]);
    assert.throws(
      () => stream.next(0),
      (e: NodeJS.ErrnoException) => e.code === "EINVAL",
    );
    stream.close();
  });
});
