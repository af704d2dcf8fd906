import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { countInetDiagStates, decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import { diagMessage, doneMessage, errorMessage } from "../fixtures/native/inet-diag-messages.js";

const message = (state: number, trailing = 0) =>
  diagMessage({ family: 2, state, sport: 1, dport: 2, src: [1, 2, 3, 4], dst: [5, 6, 7, 8], trailing });

describe("countInetDiagStates", () => {
  it("counts sockets per kernel state, request sockets as SYN_RECV, up to NLMSG_DONE", () => {
    const buf = Buffer.concat([
      message(TcpState.TIME_WAIT),
      message(TcpState.CLOSE_WAIT, 20),
      message(TcpState.TIME_WAIT),
      message(TcpState.NEW_SYN_RECV),
      message(TcpState.SYN_RECV),
      message(99),
      doneMessage(),
      message(TcpState.LISTEN),
    ]);
    const counts = countInetDiagStates(buf);
    assert.equal(counts.length, 13);
    assert.equal(counts[TcpState.TIME_WAIT], 2);
    assert.equal(counts[TcpState.CLOSE_WAIT], 1);
    assert.equal(counts[TcpState.SYN_RECV], 2);
    assert.equal(counts[TcpState.NEW_SYN_RECV], 0);
    assert.equal(counts[TcpState.LISTEN], 0);
    assert.equal(counts[0], 1, "unknown state 99");
  });

  it("agrees with the decoder on any valid stream", () => {
    const states = fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 30 });
    fc.assert(
      fc.property(states, (list) => {
        const buf = Buffer.concat(list.map((s) => message(s, s % 3)));
        const expected = new Array<number>(13).fill(0);
        for (const socket of decodeInetDiagMessages(buf)) expected[socket.state]!++;
        assert.deepEqual(countInetDiagStates(buf), expected);
      }),
    );
  });

  it("throws InputError on a cut stream or a kernel error, like the decoder", () => {
    const buf = Buffer.concat([message(1), message(6)]);
    for (const cut of [10, 50, buf.length - 1]) {
      assert.throws(() => countInetDiagStates(buf.subarray(0, cut)), /truncated at byte \d+/);
    }
    assert.throws(() => countInetDiagStates(errorMessage(13)), InputError);
  });
});
