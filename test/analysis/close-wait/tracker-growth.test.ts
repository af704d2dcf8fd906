import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { growthOf, limitEta, slopePerMinute } from "../../../src/analysis/close-wait/growth.js";
import { CloseWaitTracker, holderOf, socketKey } from "../../../src/analysis/close-wait/tracker.js";
import { owner, sock } from "./make.js";

const MIN = 60_000;

describe("socketKey and holderOf", () => {
  it("identifies a socket by cookie, else inode, else its 4-tuple", () => {
    assert.equal(socketKey(sock({ cookie: "77", inode: 5 })), "c77");
    assert.equal(socketKey(sock({ inode: 5 })), "i5");
    assert.equal(
      socketKey(sock({ inode: 0, local: "10.0.0.5:80", remote: "10.0.0.9:1" })),
      "t10.0.0.5:80-10.0.0.9:1",
    );
  });
  it("charges a socket to its lowest-pid owner, its accept queue, or unknown", () => {
    assert.equal(holderOf(sock({ owners: [owner(9, 1), owner(3, 1)] })), "pid:3");
    assert.equal(holderOf(sock({ inode: 0, local: "10.0.0.5:80" })), "queue:80");
    assert.equal(holderOf(sock({ owners: [] })), "unknown");
  });
});

describe("CloseWaitTracker", () => {
  it("counts new and gone sockets and keeps first-seen times across samples", () => {
    const a = sock({ inode: 1, owners: [owner(5, 1)] });
    const b = sock({ inode: 2, owners: [owner(5, 2)] });
    const c = sock({ inode: 3, owners: [owner(5, 3)] });
    const d = sock({ inode: 4, owners: [owner(5, 4)] });
    const tr = new CloseWaitTracker();
    tr.add(0, [a, b]);
    tr.add(MIN, [a, b, c]);
    tr.add(2 * MIN, [a, c, d]);
    const h = tr.get("pid:5");
    assert.ok(h);
    assert.equal(h.added, 2);
    assert.equal(h.gone, 1);
    assert.equal(h.oldestFirstSeen, 0);
    assert.deepEqual(h.series, [
      [0, 2],
      [MIN, 3],
      [2 * MIN, 3],
    ]);
    const g = growthOf(h, 2 * MIN, { count: 100, limit: 1024 });
    assert.equal(g.samples, 3);
    assert.equal(g.windowSeconds, 120);
    assert.equal(g.oldestSeenSeconds, 120);
    assert.equal(g.perMinute, 0.5);
    assert.equal(g.new, 2);
    assert.equal(g.gone, 1);
    // (1024 - 100) fds at 0.5/min.
    assert.equal(g.limitEtaSeconds, 924 * 2 * 60);
  });

  it("starts a holder that appears mid-watch from zero", () => {
    const tr = new CloseWaitTracker();
    tr.add(0, []);
    tr.add(MIN, [sock({ inode: 9, owners: [owner(8, 1)] })]);
    assert.deepEqual(tr.get("pid:8")?.series, [
      [0, 0],
      [MIN, 1],
    ]);
    assert.equal(tr.get("pid:8")?.added, 1);
  });

  it("bounds the points it keeps", () => {
    const tr = new CloseWaitTracker(3);
    for (let i = 0; i < 10; i++) tr.add(i * 1000, [sock({ inode: 1, owners: [owner(1, 1)] })]);
    assert.equal(tr.get("pid:1")?.series.length, 3);
    assert.equal(tr.sampleCount, 10);
  });
});

describe("slopePerMinute and limitEta", () => {
  it("fits a least-squares line in sockets per minute", () => {
    assert.equal(slopePerMinute([[0, 10]]), null);
    assert.equal(
      slopePerMinute([
        [0, 10],
        [30_000, 15],
        [60_000, 20],
      ]),
      10,
    );
    assert.equal(
      slopePerMinute([
        [0, 20],
        [MIN, 10],
      ]),
      -10,
    );
  });
  it("forecasts only growth toward a known limit", () => {
    assert.equal(limitEta(10, 900, 1000), 600);
    assert.equal(limitEta(0, 900, 1000), null);
    assert.equal(limitEta(-3, 900, 1000), null);
    assert.equal(limitEta(10, 900, null), null);
    assert.equal(limitEta(null, 1000, 1000), 0);
  });
});
