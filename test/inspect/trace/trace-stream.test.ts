/**
 * A tracer that fails while a trace runs (the ring buffer's read, a batch's
 * handling) ends the stream with that error from run(), after detaching:
 * never an unhandled rejection that kills the process with a stack trace.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type TracedChange, TraceStream } from "../../../src/inspect/trace/trace-stream.js";
import type { StateChange } from "../../../src/sources/bpf/state-event.js";
import type { StateTracer } from "../../../src/sources/bpf/state-tracer.js";
import type { NativeAddon } from "../../../src/sources/native.js";
import { ProcFs } from "../../../src/sources/procfs.js";

const change: StateChange = {
  monotonicMs: 1,
  skaddr: "ffff1",
  netns: 0,
  family: 4,
  localAddress: "127.0.0.1",
  localPort: 8080,
  remoteAddress: "127.0.0.1",
  remotePort: 50000,
  oldState: 1,
  newState: 8,
};

/** A tracer that hands one change, then answers the next read with later(). */
function fakeTracer(later: () => Promise<StateChange[] | null>): StateTracer & { closed: boolean } {
  let calls = 0;
  return {
    closed: false,
    wallOffsetMs: 0,
    lost: () => 0,
    close() {
      this.closed = true;
    },
    next: () => (++calls === 1 ? Promise.resolve([change]) : later()),
  };
}

function streamOf(tracer: StateTracer, onChanges: (changes: TracedChange[]) => void): TraceStream {
  return new TraceStream({
    stateMask: 1 << 8,
    matches: null,
    netnsInode: 0,
    proc: new ProcFs("/proc"),
    addon: {} as NativeAddon,
    owners: false,
    batchMs: 5,
    tracer,
    onChanges,
    onLost: () => {},
  });
}

describe("TraceStream when the tracer fails", () => {
  it("rejects run() with the read's error and detaches, with nothing unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const tracer = fakeTracer(() =>
        Promise.reject(Object.assign(new Error("read failed"), { code: "EIO" })),
      );
      await assert.rejects(streamOf(tracer, () => {}).run(), /read failed/);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(tracer.closed, true);
      assert.deepEqual(unhandled, []);
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
    }
  });

  it("rejects run() when a batch's handling throws, and detaches", async () => {
    const tracer = fakeTracer(() => new Promise((resolve) => setTimeout(() => resolve(null), 5)));
    const stream = streamOf(tracer, () => {
      throw new Error("handler broke");
    });
    await assert.rejects(stream.run(), /handler broke/);
    assert.equal(tracer.closed, true);
  });
});
