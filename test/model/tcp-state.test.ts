import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseStateWord,
  stateBit,
  stateName,
  stateSsName,
  statesInMask,
  TcpState,
} from "../../src/model/tcp-state.js";

describe("tcp-state", () => {
  it("uses the kernel numbering and canonical names", () => {
    assert.equal(TcpState.CLOSE_WAIT, 8);
    assert.equal(stateName(6), "TIME_WAIT");
    assert.equal(stateName(12), "SYN_RECV");
    assert.equal(stateSsName(TcpState.ESTABLISHED), "estab");
  });

  const cases: Array<[string, TcpState[]]> = [
    ["close-wait", [TcpState.CLOSE_WAIT]],
    ["CLOSE_WAIT", [TcpState.CLOSE_WAIT]],
    ["estab", [TcpState.ESTABLISHED]],
    ["time-wait", [TcpState.TIME_WAIT]],
    ["bucket", [TcpState.SYN_RECV, TcpState.TIME_WAIT]],
    [
      "connected",
      [
        TcpState.ESTABLISHED,
        TcpState.SYN_SENT,
        TcpState.FIN_WAIT1,
        TcpState.FIN_WAIT2,
        TcpState.TIME_WAIT,
        TcpState.CLOSE_WAIT,
        TcpState.LAST_ACK,
        TcpState.CLOSING,
      ],
    ],
  ];
  for (const [word, states] of cases) {
    it(`parses ${word}`, () => {
      const mask = parseStateWord(word);
      assert.ok(mask !== undefined);
      assert.deepEqual(statesInMask(mask), states);
    });
  }

  it("rejects words that are not states", () => {
    assert.equal(parseStateWord("closewait"), undefined);
    assert.equal(parseStateWord("constructor"), undefined);
    assert.equal(parseStateWord("__proto__"), undefined);
    assert.equal(stateBit(TcpState.LISTEN), 1024);
  });
});
