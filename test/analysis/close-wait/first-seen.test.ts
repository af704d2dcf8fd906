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

describe("FirstSeen holders and identities", () => {
  it("names the accept queue by port and an owner it cannot know as unknown", () => {
    const seen = new FirstSeen();
    const queued = sock({ cookie: "5", inode: 0, local: "10.0.0.1:8080", remote: "10.0.0.9:5000" });
    const hidden = sock({ cookie: "6", inode: 4242, remote: "10.0.0.9:5001", owners: [] });
    assert.deepEqual(
      seen.sample(1000, [queued, hidden]),
      new Map([
        ["queue:8080", 1000],
        ["unknown", 1000],
      ]),
    );
  });

  it("the lowest pid holds a socket shared after fork", () => {
    const seen = new FirstSeen();
    const shared = sock({ cookie: "7", remote: "10.0.0.9:5002", owners: [owner(30, 3), owner(12, 9)] });
    assert.deepEqual(seen.sample(1000, [shared]), new Map([["pid:12", 1000]]));
  });

  it("follows a socket without a cookie by its inode, and one without either by its addresses", () => {
    const seen = new FirstSeen();
    const byInode = sock({ cookie: null, inode: 777, remote: "10.0.0.9:5003", owners: [owner(7, 3)] });
    const byTuple = sock({ cookie: null, inode: 0, local: "10.0.0.1:9090", remote: "10.0.0.9:5004" });
    seen.sample(1000, [byInode, byTuple]);
    assert.deepEqual(
      seen.sample(5000, [byInode, byTuple]),
      new Map([
        ["pid:7", 1000],
        ["queue:9090", 1000],
      ]),
    );
    // A new socket on the same addresses with another inode is another socket.
    const replaced = sock({ cookie: null, inode: 778, remote: "10.0.0.9:5003", owners: [owner(7, 3)] });
    assert.deepEqual(seen.sample(9000, [replaced]), new Map([["pid:7", 9000]]));
  });
});
