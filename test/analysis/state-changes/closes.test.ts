/** Who closed first, TIME_WAIT entries per destination per second, and time spent in a state. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closeSide, entersTimeWait, TimeWaitPerSecond } from "../../../src/analysis/state-changes/closes.js";
import { StateClock } from "../../../src/analysis/state-changes/state-clock.js";
import { TcpState as S } from "../../../src/model/tcp-state.js";

describe("closeSide", () => {
  it("active for ESTABLISHED to FIN_WAIT1, passive for ESTABLISHED to CLOSE_WAIT, else null", () => {
    assert.equal(closeSide(S.ESTABLISHED, S.FIN_WAIT1), "active");
    assert.equal(closeSide(S.ESTABLISHED, S.CLOSE_WAIT), "passive");
    assert.equal(closeSide(S.SYN_RECV, S.FIN_WAIT1), null);
    assert.equal(closeSide(S.CLOSE_WAIT, S.LAST_ACK), null);
    assert.equal(closeSide(S.ESTABLISHED, S.CLOSE), null);
  });
});

describe("entersTimeWait", () => {
  it("counts the full socket ending from FIN_WAIT2 or CLOSING", () => {
    assert.equal(entersTimeWait(S.FIN_WAIT2, S.CLOSE), true);
    assert.equal(entersTimeWait(S.CLOSING, S.CLOSE), true);
    assert.equal(entersTimeWait(S.LAST_ACK, S.CLOSE), false);
    assert.equal(entersTimeWait(S.FIN_WAIT1, S.FIN_WAIT2), false);
  });
});

describe("TimeWaitPerSecond", () => {
  it("counts per second and destination, hands over only ended seconds, busiest first", () => {
    const t = new TimeWaitPerSecond();
    t.add(10_100, 1, "10.0.0.1:80");
    t.add(10_200, 1, "10.0.0.2:80");
    t.add(10_900, 1, "10.0.0.2:80");
    t.add(11_000, 1, "10.0.0.1:80");
    assert.deepEqual(t.flush(10_999), []);
    assert.deepEqual(t.flush(11_500), [
      { secondMs: 10_000, netns: 1, destination: "10.0.0.2:80", count: 2 },
      { secondMs: 10_000, netns: 1, destination: "10.0.0.1:80", count: 1 },
    ]);
    assert.deepEqual(t.flush(Infinity), [
      { secondMs: 11_000, netns: 1, destination: "10.0.0.1:80", count: 1 },
    ]);
  });
});

describe("StateClock", () => {
  it("knows the time in a state only when it saw the socket enter it", () => {
    const clock = new StateClock();
    assert.equal(clock.change("a", S.ESTABLISHED, S.CLOSE_WAIT, 1000), null); // entered ESTABLISHED before
    assert.equal(clock.change("a", S.CLOSE_WAIT, S.LAST_ACK, 4500), 3500);
    assert.equal(clock.change("a", S.LAST_ACK, S.CLOSE, 4600), 100);
    assert.equal(clock.size, 0);
    // The address is reused by a new socket: nothing carried over.
    assert.equal(clock.change("a", S.ESTABLISHED, S.FIN_WAIT1, 5000), null);
  });
});
