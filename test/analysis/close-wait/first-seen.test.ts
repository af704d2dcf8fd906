import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FirstSeen } from "../../../src/analysis/close-wait/first-seen.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { owner, sock } from "./make.js";

const held = (pid: number, cookie: string) =>
  sock({ cookie, remote: `10.0.0.9:${1000 + Number(cookie)}`, owners: [owner(pid, 3)] });

describe("FirstSeen", () => {
  it("gives each holder the first sight of its oldest socket still there", () => {
    const seen = new FirstSeen();
    assert.deepEqual(seen.sample(1000, [held(7, "1")]), new Map([["pid:7", 1000]]));
    // Socket 1 stays, 2 is new: the oldest is still 1's first sight.
    assert.deepEqual(seen.sample(5000, [held(7, "1"), held(7, "2")]), new Map([["pid:7", 1000]]));
    // Socket 1 was closed: the age restarts from 2's first sight.
    assert.deepEqual(seen.sample(9000, [held(7, "2")]), new Map([["pid:7", 5000]]));
  });

  it("keeps namespaces apart, ignores other states and forgets what is gone", () => {
    const seen = new FirstSeen();
    seen.sample(1000, [held(7, "1")], "net:[1]");
    // The same cookie in another namespace is another socket.
    assert.deepEqual(seen.sample(2000, [held(7, "1")], "net:[2]"), new Map([["pid:7", 2000]]));
    const listening = sock({ state: TcpState.LISTEN, cookie: "3", owners: [owner(8, 4)] });
    assert.deepEqual(seen.sample(3000, [listening]), new Map());
    assert.deepEqual(seen.sample(4000, [held(7, "1")], "net:[2]"), new Map([["pid:7", 4000]]));
  });
});
