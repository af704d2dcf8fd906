import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CAUSE_TEXT, causeOf } from "../../../src/analysis/close-wait/cause.js";
import { CAUSES } from "../../../src/analysis/close-wait/types.js";

describe("causeOf", () => {
  const cases: Array<[string, { recvQ: number; inode: number | null }, string]> = [
    ["Recv-Q 0 with an fd: EOF read, not closed", { recvQ: 0, inode: 5 }, "eof-not-closed"],
    ["Recv-Q 1: only the FIN is queued", { recvQ: 1, inode: 5 }, "fin-unread"],
    ["Recv-Q 2: one byte of data plus the FIN", { recvQ: 2, inode: 5 }, "data-unread"],
    ["Recv-Q 101: data plus the FIN", { recvQ: 101, inode: 5 }, "data-unread"],
    ["inode 0: never accepted, whatever Recv-Q says", { recvQ: 1, inode: 0 }, "not-accepted"],
    ["inode 0 with data queued is still not accepted", { recvQ: 50, inode: 0 }, "not-accepted"],
    ["unknown inode (capture) falls back to Recv-Q", { recvQ: 1, inode: null }, "fin-unread"],
    ["unknown inode and Recv-Q 0", { recvQ: 0, inode: null }, "eof-not-closed"],
  ];
  for (const [name, s, want] of cases) {
    it(name, () => assert.equal(causeOf(s), want));
  }

  it("has a plain explanation and a place to look for every cause", () => {
    for (const c of CAUSES) {
      assert.match(CAUSE_TEXT[c].why, /Recv-Q|inode|fd/);
      assert.ok(CAUSE_TEXT[c].look.length > 40, c);
    }
  });
});
