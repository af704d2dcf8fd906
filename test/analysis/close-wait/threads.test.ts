import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizeThreads, threadLine } from "../../../src/analysis/close-wait/threads.js";
import type { ThreadFacts } from "../../../src/analysis/close-wait/types.js";

function t(tid: number, state: string, wchan: string | null, name = `w${tid}`): ThreadFacts {
  return { tid, name, state, wchan };
}

describe("summarizeThreads", () => {
  it("counts threads per state and wait channel, largest first, with a few names", () => {
    const s = summarizeThreads([
      t(1, "S", "futex_wait_queue", "main"),
      t(2, "S", "futex_wait_queue", "pool-1"),
      t(3, "S", "futex_wait_queue", "pool-2"),
      t(4, "S", "futex_wait_queue", "pool-3"),
      t(5, "S", "do_epoll_wait", "io"),
      t(6, "R", "0", "cpu"),
    ]);
    assert.equal(s.total, 6);
    assert.deepEqual(
      s.buckets.map((b) => [b.state, b.wchan, b.count]),
      [
        ["S", "futex_wait_queue", 4],
        ["R", "", 1],
        ["S", "do_epoll_wait", 1],
      ],
    );
    assert.deepEqual(s.buckets[0]?.names, ["main", "pool-1", "pool-2"]);
    assert.equal(s.note, null);
    assert.equal(threadLine(s), "6: 4 sleeping in futex_wait_queue, 1 running, 1 sleeping in do_epoll_wait");
  });

  it("points at threads blocked in D state", () => {
    const s = summarizeThreads([t(1, "S", "do_epoll_wait"), t(2, "D", "io_schedule")]);
    assert.equal(s.blocked, 1);
    assert.match(s.note ?? "", /1 of 2 threads blocked in the kernel/);
  });

  it("points at a stopped process", () => {
    const s = summarizeThreads([t(1, "T", "do_signal_stop"), t(2, "T", "do_signal_stop")]);
    assert.match(s.note ?? "", /2 of 2 threads stopped/);
  });

  it("notes when every thread waits in the same place", () => {
    const s = summarizeThreads([t(1, "S", "futex_wait_queue"), t(2, "S", "futex_wait_queue")]);
    assert.match(s.note ?? "", /all 2 threads wait in futex_wait_queue/);
  });

  it("treats an unreadable wchan as unknown, not as a place", () => {
    const s = summarizeThreads([t(1, "S", null)]);
    assert.deepEqual(s.buckets, [{ state: "S", wchan: "", count: 1, names: ["w1"] }]);
  });

  it("says more kinds exist past the shown buckets", () => {
    const s = summarizeThreads(["a", "b", "c", "d", "e", "f"].map((w, i) => t(i, "S", w)));
    assert.match(threadLine(s, 4), /, 2 more kinds$/);
  });
});
