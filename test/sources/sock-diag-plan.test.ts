import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { planDumps, readSockDiag } from "../../src/sources/sock-diag.js";

const TW = stateBit(TcpState.TIME_WAIT);
const CW = stateBit(TcpState.CLOSE_WAIT);

describe("planDumps", () => {
  it("splits TIME_WAIT from the other states so they dump in parallel", () => {
    assert.deepEqual(planDumps(ALL_STATES_MASK, [4, 6]), [
      [2, TW],
      [2, ALL_STATES_MASK & ~TW],
      [10, TW],
      [10, ALL_STATES_MASK & ~TW],
    ]);
  });
  it("keeps a single-state or TIME_WAIT-free mask whole, and drops an empty one", () => {
    assert.deepEqual(planDumps(TW, [4]), [[2, TW]]);
    assert.deepEqual(planDumps(CW, [6]), [[10, CW]]);
    assert.deepEqual(planDumps(0, [4, 6]), []);
  });
});

describe("parallel dumps", () => {
  const { addon, error } = loadNative();
  it(
    "return the same sockets as one dump per family",
    {
      skip: addon ? false : (error ?? "no addon"),
    },
    () => {
      const key = (s: { local: { port: number }; remote: { port: number }; state: number }) =>
        `${s.state} ${s.local.port} ${s.remote.port}`;
      const parallel = readSockDiag(addon!, ALL_STATES_MASK, [4, 6]).map(key).sort();
      const serial = readSockDiag({ inetDiagDump: addon!.inetDiagDump }, ALL_STATES_MASK, [4, 6])
        .map(key)
        .sort();
      // Sockets come and go on a live host; the two reads were taken a moment
      // apart, so compare the sockets that exist in both.
      const inBoth = parallel.filter((k) => serial.includes(k));
      assert.ok(
        inBoth.length >= Math.min(parallel.length, serial.length) * 0.9,
        `${inBoth.length} of ${parallel.length}`,
      );
    },
  );
  it("reject bad arguments like Node does", { skip: addon ? false : (error ?? "no addon") }, () => {
    assert.throws(() => addon!.inetDiagDumpMany([[3, 1]]), RangeError);
    assert.throws(() => addon!.inetDiagDumpMany("x" as never), TypeError);
  });
});
